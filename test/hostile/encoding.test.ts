/**
 * Regression: a utf16 or latin1+utf16 component loads with bindings of its encoding even though
 * wit-component gives its string-free functions (`take-bytes: func(b: list<u8>)`, with a memory)
 * no `string-encoding` option, which means utf8. The linker used to refuse the component at the
 * first such function; only a function that passes strings must match the bindings' encoding.
 */
import { describe, expect, it } from 'vitest';
import { ComponentLoadError } from '../../src/runtime/index.js';
import { CELL, guestComponent, host, hostileBindings, SCRATCH } from './guest.js';
import { recordingHost } from './host.js';

describe('string-encoding options of a component', () => {
  for (const encoding of ['utf16', 'latin1+utf16'] as const) {
    it(`${encoding}: functions without strings need no string-encoding option`, async () => {
      const rh = recordingHost();
      const h = await host('component', rh.imports, encoding);
      h.set(CELL.A0, SCRATCH, 3);
      h.bytes(SCRATCH, [7, 8, 9]);
      expect(h.ex.calls.callTakeBytes()).toBe(3);
      expect(h.ex.sink.putU64s([1n, 2n])).toBe(2);
      expect(h.ex.sink.putString('añ€😀')).toBe(encoding === 'utf16' ? 5 : 0x8000_0005);
      expect(rh.calls).toEqual([['takeBytes', [new Uint8Array([7, 8, 9])]]]);
    });
  }

  it('a function that passes strings still has to match: the utf8 component with utf16 bindings', async () => {
    const mod = await hostileBindings('utf16');
    const err = await mod.instantiateComponent(await guestComponent('utf8'), { 'hostile:test/host': recordingHost().imports }).then(
      () => expect.fail('instantiated'),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ComponentLoadError);
    // The first function with a string in the component's definition order (take-bytes comes
    // before take-string among the lowered imports, and carries no string).
    expect((err as Error).message).toMatch(
      /^the import `hostile:test\/host#(take-string|take-pairs|take-shape|take-result|take-many|give-string|give-strings|blob-name)` uses string-encoding=utf8 but the bindings were generated for utf16/,
    );
  });
});
