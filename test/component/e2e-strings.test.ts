// The utf16 and latin1+utf16 C guests as components (wit-component `--encoding utf16` /
// `compact-utf16`): witbind's bindings generated for the same encoding, and jco side by side.
import { describe, expect, it } from 'vitest';
import { STRINGS_LATIN1, STRINGS_UTF16, guestComponentBytes } from '../support/modes.js';
import { STRING_GUESTS, stringsSuite } from '../support/cases/strings.js';
import { jcoTranspile } from './jco.js';

for (const g of STRING_GUESTS) stringsSuite('component', g);
stringsSuite('jco', STRINGS_UTF16);

describe('jco and latin1+utf16', () => {
  // witbind hosts this component (above); jco 1.35's transpiler cannot even generate bindings
  // for it: js-component-bindgen asserts `encoding` is UTF8 or UTF16 and panics (a Rust panic
  // surfacing as a wasm `unreachable` trap out of `transpile`).
  it('jco transpile fails on a latin1+utf16 (compact-utf16) component', async () => {
    await expect(
      jcoTranspile('strings-latin1', await guestComponentBytes(STRINGS_LATIN1)),
    ).rejects.toThrow(/unreachable/);
  });
});
