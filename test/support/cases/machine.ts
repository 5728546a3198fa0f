/**
 * The `xyz:machine` C guest, one table of expectations for every hosting mode (core module,
 * component through witbind, the same component through jco).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MACHINE, hostGuest, type Instantiate, type Mode } from '../modes.js';
import { thrownBy } from '../outcome.js';

export function machineSuite(mode: Mode): void {
  describe(`xyz:machine (${mode})`, () => {
    let instantiate: Instantiate;
    let m: any;

    beforeAll(async () => {
      instantiate = await hostGuest(mode, MACHINE);
      m = (await instantiate()).machineInterface;
    });

    it('calls every function', () => {
      expect(m.getU32()).toBe(42);
      expect(m.getStr()).toBe('Hello, wörld! ✓ 🚀');
      expect(m.getVec()).toEqual(new Uint8Array([0, 1, 2, 127, 128, 255]));
      expect(m.run(42n, { x: 1, y: 2 }, { x: 4, y: 6 })).toEqual({
        machineId: 42n,
        message: 'machine 42 moved from (1, 2) to (4, 6): distance 7',
      });
      expect(m.countSymbols('héllo 🌍')).toBe(7);
      expect(m.countSymbols('')).toBe(0);
    });

    it('exposes interfaces under their full name too', async () => {
      const ex = await instantiate();
      expect(ex['xyz:machine/machine-interface']).toBe(ex.machineInterface);
    });

    it('returns copies, never views of guest memory', () => {
      const a = m.getVec();
      a[0] = 99;
      expect(m.getVec()[0]).toBe(0);
    });

    if (mode !== 'jco') {
      it('rejects bad host values with the argument path before calling the guest', () => {
        expect(() => m.run(1n, { x: -1, y: 2 }, { x: 0, y: 0 })).toThrow(
          new RangeError('start.x: expected u32 (an integer in [0, 4294967295]), got -1'),
        );
        expect(() => m.run(1n, { x: 1, y: 2 }, null)).toThrow(TypeError);
        expect(() => m.run(1n, { x: 1, y: 2 }, null)).toThrow(/^destination: expected record `point`/);
        expect(() => m.run(1, { x: 1, y: 2 }, { x: 1, y: 2 })).toThrow(/machine: expected u64 as a bigint/);
        expect(() => m.run(2n ** 64n, { x: 1, y: 2 }, { x: 1, y: 2 })).toThrow(RangeError);
        expect(() => m.countSymbols(5)).toThrow(new TypeError('s: expected string, got number'));
        expect(() => m.countSymbols('a\uD800b')).toThrow(/s: expected string of Unicode scalar values/);
        // The instance is still usable: nothing was touched.
        expect(m.getU32()).toBe(42);
      });
    } else {
      // Where witbind rejects, jco truncates or converts silently (it validates only under
      // `--strict`-like options the JS API does not have) and the guest computes with the result.
      it('jco: accepts bad host values silently (witbind rejects them, naming the path)', () => {
        // u32 -1 → 4294967295 (`>>> 0`).
        expect(m.run(1n, { x: -1, y: 2 }, { x: 0, y: 0 }).message).toBe(
          'machine 1 moved from (4294967295, 2) to (0, 0): distance 4294967297',
        );
        // u64 as a number → BigInt(1); 2^64 → 0 (`BigInt.asUintN(64, …)`).
        expect(m.run(1, { x: 1, y: 2 }, { x: 1, y: 2 }).machineId).toBe(1n);
        expect(m.run(2n ** 64n, { x: 1, y: 2 }, { x: 1, y: 2 }).machineId).toBe(0n);
        // A lone surrogate is encoded as U+FFFD (TextEncoder): 3 scalars, not an error.
        expect(m.countSymbols('a\uD800b')).toBe(3);
        // Errors it does raise are JS's own, without the argument's path.
        const nul = thrownBy(() => m.run(1n, { x: 1, y: 2 }, null));
        expect(nul).toBeInstanceOf(TypeError);
        expect(nul.message).toBe("Cannot destructure property 'x' of 'arg2' as it is null.");
        expect(() => m.countSymbols(5)).toThrow(new TypeError('expected a string, received [number]'));
        expect(m.getU32()).toBe(42);
      });
    }
  });
}
