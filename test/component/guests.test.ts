// The C guests (guests/<case>/) as components made by wit-component: decoded, index spaces as
// wasm-tools numbers them, and their WIT as wasm-tools recovers it.
import { describe, expect, it } from 'vitest';
import { GUESTS, guestComponent } from './support.js';
import { expectIndicesMatchPrinter, expectWitMatchesOracle } from './helpers.js';

describe.each(GUESTS.map((g) => [g.name, g] as const))('guest %s', (_name, guest) => {
  it('decodes with the index spaces wasm-tools prints', async () => {
    const c = await expectIndicesMatchPrinter(await guestComponent(guest));
    expect(c.definitions.length).toBeGreaterThan(0);
  });

  it('recovers the WIT wasm-tools recovers', async () => {
    await expectWitMatchesOracle(await guestComponent(guest));
  });
});
