/**
 * More than 16 flat params and results (spilled through memory), one table of expectations for
 * every hosting mode.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MANY_PARAMS, hostGuest, type Mode } from '../modes.js';

const ARGS = [200, -100, 60000, -30000, 4000000000, -2000000000, 2n ** 63n + 5n, -(2n ** 62n), 1.5, 2.25, true, '😀', 'text', new Uint8Array([1, 2, 3]), 7, 0.5, 9n, 0.125] as const;
const RECORD = {
  a1: 200, a2: -100, a3: 60000, a4: -30000, a5: 4000000000, a6: -2000000000, a7: 2n ** 63n + 5n, a8: -(2n ** 62n),
  a9: 1.5, a10: 2.25, a11: true, a12: '😀', a13: 'text', a14: new Uint8Array([1, 2, 3]), a15: 7, a16: 0.5, a17: 9n, a18: 0.125,
};
const big = (n: number) => ({ a: BigInt(n), b: n / 2, c: `c${n}`, d: new Uint32Array([n, n + 1]), e: [n & 255, n, n * 3] as [number, number, number], f: n * 1.5 });

export function manyParamsSuite(mode: Mode): void {
  describe(`more than 16 flat params and results through memory (${mode})`, () => {
    let ex: any;
    const calls: string[] = [];
    beforeAll(async () => {
      const instantiate = await hostGuest(mode, MANY_PARAMS);
      ex = await instantiate({
        'test:many-params/host': {
          echoMany(...args: unknown[]) {
            calls.push('echo-many');
            return Object.fromEntries(args.map((a, i) => [`a${i + 1}`, a]));
          },
          swapBig(x: unknown, y: unknown) {
            calls.push('swap-big');
            return [y, x];
          },
          sixteen(...a: number[]) {
            return BigInt(a.reduce((s, v, i) => s + (i + 1) * v, 0));
          },
          seventeen(...a: number[]) {
            return BigInt(a.reduce((s, v, i) => s + (i + 1) * v, 0));
          },
        },
      });
    });

    it('spills 18 params of every kind into a realloc-ed tuple and reads the result through the return pointer', () => {
      expect(ex.api.echoMany(...ARGS)).toEqual(RECORD);
    });

    it('computes from spilled params (so lowering bugs cannot cancel out)', () => {
      const r = ex.api.mix(...ARGS);
      expect(r.floats).toBe(1.5 + 2.25 + 0.5 + 0.125);
      expect(r.text).toBe('text|😀|3');
      const ints = 200n - 100n + 60000n - 30000n + 4000000000n - 2000000000n + (2n ** 63n + 5n) - 2n ** 62n + 1n + 0x1f600n + 6n + 7n + 9n;
      expect(r.ints).toBe(BigInt.asUintN(64, ints));
    });

    it('passes records with strings, lists and tuples both ways', () => {
      expect(ex.api.swapBig(big(1), big(2))).toEqual([big(2), big(1)]);
    });

    it('lets the guest call host imports with spilled params and a return pointer', () => {
      calls.length = 0;
      expect(ex.api.selfTest()).toEqual([]);
      expect(calls).toContain('echo-many');
      expect(calls).toContain('swap-big');
    });

    it('frees everything', () => {
      const before = ex.allocatedBytes();
      for (let i = 0; i < 50; i++) {
        ex.api.echoMany(...ARGS);
        ex.api.swapBig(big(i), big(i + 1));
      }
      expect(ex.allocatedBytes()).toBe(before);
    });
  });
}
