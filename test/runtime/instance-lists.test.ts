// The numeric-list methods of CoreInstance (what generated code calls: `st.lowerList_u32(v)`,
// `st.liftList_f64(p, n)`) are written out per element kind for speed. These tests hold each of
// them to the kind-generic reference in memory.ts (`lowerNumList` / `liftNumList`): the same
// realloc calls, the same bytes in guest memory, the same lifted copies, the same traps.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trapReason } from '../support/outcome.js';
import { Trap } from '../../src/runtime/errors.js';
import { CoreInstance } from '../../src/runtime/instance.js';
import {
  LIST_F32,
  LIST_F64,
  LIST_S16,
  LIST_S32,
  LIST_S64,
  LIST_S8,
  LIST_U16,
  LIST_U32,
  LIST_U64,
  LIST_U8,
  liftNumList,
  lowerNumList,
  type NumericArray,
  type NumListKind,
} from '../../src/runtime/memory.js';
import { createFake, type Fake, type FakeOptions } from './fake-memory.js';

type Elem = 'u8' | 's8' | 'u16' | 's16' | 'u32' | 's32' | 'u64' | 's64' | 'f32' | 'f64';
type AnyList = NumericArray | readonly unknown[];

interface Case {
  kind: NumListKind<NumericArray>;
  arb: fc.Arbitrary<unknown[]>;
}

const CASES: Record<Elem, Case> = {
  u8: { kind: LIST_U8, arb: fc.array(fc.integer({ min: 0, max: 255 })) },
  s8: { kind: LIST_S8, arb: fc.array(fc.integer({ min: -128, max: 127 })) },
  u16: { kind: LIST_U16, arb: fc.array(fc.integer({ min: 0, max: 65535 })) },
  s16: { kind: LIST_S16, arb: fc.array(fc.integer({ min: -32768, max: 32767 })) },
  u32: { kind: LIST_U32, arb: fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 })) },
  s32: { kind: LIST_S32, arb: fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })) },
  u64: { kind: LIST_U64, arb: fc.array(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })) },
  s64: { kind: LIST_S64, arb: fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })) },
  f32: { kind: LIST_F32, arb: fc.array(fc.float()) },
  f64: { kind: LIST_F64, arb: fc.array(fc.double()) },
};
const ELEMS = Object.keys(CASES) as Elem[];

/** A CoreInstance bound to a fake memory (and the fake, to read its realloc log). */
function instance(opts?: FakeOptions): [CoreInstance, Fake] {
  const f = createFake(opts);
  const st = new CoreInstance();
  st.bind({ memory: f.memory, cabi_realloc: f.realloc });
  return [st, f];
}

const lowerVia = (st: CoreInstance, e: Elem, v: AnyList): number =>
  (st as unknown as Record<string, (v: AnyList) => number>)[`lowerList_${e}`]!.call(st, v);
const liftVia = (st: CoreInstance, e: Elem, p: number, n: number): NumericArray =>
  (st as unknown as Record<string, (p: number, n: number) => NumericArray>)[`liftList_${e}`]!.call(st, p, n);

/** Bits of a lifted list, so that NaN payloads and -0 compare exactly. */
const bits = (a: NumericArray): number[] =>
  [...new Uint8Array(a.buffer, a.byteOffset, a.byteLength)];

describe('CoreInstance numeric lists agree with the generic reference', () => {
  for (const e of ELEMS) {
    const { kind, arb } = CASES[e];
    it(`${e}: lowering (plain and typed arrays) and lifting, against lowerNumList/liftNumList`, () => {
      fc.assert(
        fc.property(arb, fc.boolean(), fc.integer({ min: 0, max: 3 }), (values, typed, skew) => {
          // The same fake allocator, with the same history, for both sides.
          const [st, f] = instance({ fill: 0xa5 });
          const g = createFake({ fill: 0xa5 });
          for (const x of [f, g]) x.realloc(0, 0, 1, skew);
          const v: AnyList = typed ? new kind.ctor(values as never) : values;
          const p = lowerVia(st, e, v);
          const q = lowerNumList(kind, v, g.realloc, g.mem, 'xs');
          expect(p).toBe(q);
          expect(st.len).toBe(values.length);
          expect(f.calls).toEqual(g.calls);
          expect(Buffer.from(f.bytes()).equals(Buffer.from(g.bytes()))).toBe(true);
          const lifted = liftVia(st, e, p, values.length);
          const ref = liftNumList(kind, g.mem, q, values.length);
          expect(lifted).toBeInstanceOf(kind.ctor);
          expect(bits(lifted)).toEqual(bits(ref));
          // A copy, not a view of guest memory.
          expect(lifted.buffer).not.toBe(f.memory.buffer);
        }),
        { numRuns: 60 },
      );
    });

    it(`${e}: lift traps like load_list_from_range`, () => {
      const [st] = instance();
      const size = kind.size;
      const mem = st.mem;
      const probes: [number, number][] = [
        [65536, 0],
        [65536 - size, 1],
        [65536 - size, 2],
        [-size, 1],
        [0, Math.floor(2 ** 28 / size)],
        [0, Math.floor((2 ** 28 - 1) / size)],
        [0, 2 ** 32 - 1],
      ];
      if (size > 1) probes.push([1, 0], [size + 1, 1], [size / 2, 3]);
      for (const [p, n] of probes) {
        let want: string | number;
        try {
          want = liftNumList(kind, mem, p, n).length;
        } catch (err) {
          want = (err as Trap).reason;
        }
        const got = typeof want === 'number' ? liftVia(st, e, p, n).length : trapReason(() => liftVia(st, e, p, n));
        expect([p, n, got]).toEqual([p, n, want]);
      }
    });

    it(`${e}: lowering traps on a bad realloc result, and refuses an over-long host list`, () => {
      const empty = kind.ctor === (BigInt64Array as unknown) || kind.ctor === (BigUint64Array as unknown) ? [1n] : [1];
      if (kind.size > 1) {
        const [st] = instance({ override: () => kind.size / 2 });
        expect(trapReason(() => lowerVia(st, e, empty))).toBe('list misaligned');
      }
      const [st2] = instance({ override: () => 65536 });
      expect(trapReason(() => lowerVia(st2, e, empty))).toBe('list out of bounds');
      const [st3, f3] = instance();
      const long = { length: Math.floor(2 ** 28 / kind.size) } as unknown as AnyList;
      expect(() => lowerVia(st3, e, long)).toThrow(
        new RangeError(`list: list of ${Math.floor(2 ** 28 / kind.size)} ${e} is too long (at most 2^28-1 bytes)`),
      );
      expect(f3.calls).toEqual([]);
      // realloc runs with may_leave cleared, and it is set again after.
      let during: boolean | undefined;
      const st4 = new CoreInstance();
      const f4 = createFake();
      st4.bind({
        memory: f4.memory,
        cabi_realloc: (...a: [number, number, number, number]) => {
          during = st4.mayLeave;
          return f4.realloc(...a);
        },
      });
      lowerVia(st4, e, []);
      expect([during, st4.mayLeave, f4.calls]).toEqual([false, true, [[0, 0, kind.size, 0]]]);
    });
  }
});
