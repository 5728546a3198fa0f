// A big real-world component: the `xyz:machine` world in JS, built by componentize-js (with the
// WASI preview1 adapter, dozens of WASI imports, several core modules and instances).
import { describe, expect, it } from 'vitest';
import { componentizeMachine } from './support.js';
import { expectIndicesMatchPrinter, expectWitMatchesOracle } from './helpers.js';

const built = await componentizeMachine();
const skip = typeof built === 'string';
if (skip)
  console.warn(`componentize.test.ts: SKIPPED, componentize-js could not build here: ${built}`);

describe.skipIf(skip)('componentize-js machine component', () => {
  const bytes = built as Uint8Array;

  it('decodes with the index spaces wasm-tools prints', async () => {
    const c = await expectIndicesMatchPrinter(bytes);
    expect(c.spaces['core-module'].length).toBeGreaterThan(1);
    expect(c.imports.some((i) => i.name.name.startsWith('wasi:'))).toBe(true);
  });

  it('recovers the WIT wasm-tools recovers', async () => {
    await expectWitMatchesOracle(bytes);
  });
});
