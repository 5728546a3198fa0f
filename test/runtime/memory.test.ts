import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trapReason } from '../support/outcome.js';
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
  MAX_LIST_BYTE_LENGTH,
  MemoryViews,
  checkAlign,
  checkBounds,
  checkListRange,
  checkNumList,
  liftNumList,
  lowerNumList,
  reallocChecked,
  type NumListKind,
  type NumericArray,
} from '../../src/runtime/memory.js';
import { createFake } from './fake-memory.js';

describe('MemoryViews', () => {
  it('refresh() rebuilds views after a non-shared memory grows (old buffer detached)', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
    const mem = new MemoryViews(memory);
    const u8 = mem.u8;
    expect(u8.length).toBe(65536);
    mem.refresh();
    expect(mem.u8).toBe(u8); // unchanged: no work
    memory.grow(1);
    expect(u8.byteLength).toBe(0);
    mem.refresh();
    expect(mem.u8.length).toBe(131072);
    expect(mem.u16.length).toBe(65536);
    expect(mem.dv.byteLength).toBe(131072);
    expect(mem.buffer).toBe(memory.buffer);
  });

  it('a zero-page memory re-syncs on every refresh and picks up growth', () => {
    const memory = new WebAssembly.Memory({ initial: 0, maximum: 2 });
    const mem = new MemoryViews(memory);
    expect(mem.u8.length).toBe(0);
    mem.refresh();
    memory.grow(1);
    mem.refresh();
    expect(mem.u8.length).toBe(65536);
  });

  it('shared memories compare memory.buffer on refresh', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
    const mem = new MemoryViews(memory, true);
    memory.grow(1);
    expect(mem.u8.length).toBe(65536); // a shared buffer is not detached
    mem.refresh();
    expect(mem.u8.length).toBe(131072);
  });

  it('works over any { buffer } stand-in', () => {
    const mem = new MemoryViews({ buffer: new ArrayBuffer(16) });
    mem.dv.setUint32(4, 0xdeadbeef, true);
    expect(mem.u8[4]).toBe(0xef);
  });

  describe('getI64 / setI64 (a BigInt64Array where aligned, else DataView)', () => {
    const values = [0n, 1n, -1n, 0x0123_4567_89ab_cdefn, -(2n ** 63n), 2n ** 63n - 1n, 2n ** 40n + 7n];

    it('are little-endian 64-bit integers at any address, the same as DataView', () => {
      const mem = new MemoryViews(new WebAssembly.Memory({ initial: 1 }));
      for (const at of [0, 8, 16, 3, 5, 12, 65528, 65520, 65527]) {
        for (const v of values) {
          mem.u8.fill(0xa5, Math.max(0, at - 8), Math.min(65536, at + 16));
          const before = mem.u8.slice();
          mem.setI64(at, v);
          expect(mem.getI64(at)).toBe(v);
          expect(mem.dv.getBigInt64(at, true)).toBe(v);
          // Nothing outside those eight bytes changed.
          const after = Buffer.from(mem.u8.buffer);
          const was = Buffer.from(before.buffer);
          expect(after.subarray(0, at).equals(was.subarray(0, at))).toBe(true);
          expect(after.subarray(at + 8).equals(was.subarray(at + 8))).toBe(true);
        }
      }
    });

    it('wrap like DataView (u64 values stored as i64), and read back as i64', () => {
      const mem = new MemoryViews(new WebAssembly.Memory({ initial: 1 }));
      mem.setI64(8, 2n ** 64n - 1n);
      expect(mem.getI64(8)).toBe(-1n);
      mem.setI64(16, 2n ** 63n);
      expect(mem.getI64(16)).toBe(-(2n ** 63n));
    });

    it('throw a RangeError out of bounds, as DataView does, rather than dropping the store', () => {
      const mem = new MemoryViews(new WebAssembly.Memory({ initial: 1 }));
      expect(() => mem.setI64(65536, 1n)).toThrow(RangeError);
      expect(() => mem.setI64(65532, 1n)).toThrow(RangeError);
      expect(() => mem.getI64(65536)).toThrow(RangeError);
      expect(() => mem.getI64(65529)).toThrow(RangeError);
    });

    it('follow memory growth and shared memories', () => {
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
      const mem = new MemoryViews(memory);
      memory.grow(1);
      mem.refresh();
      mem.setI64(100000, -5n);
      expect(mem.dv.getBigInt64(100000, true)).toBe(-5n);
      expect(mem.i64.length).toBe(131072 / 8);
      const shared = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
      const smem = new MemoryViews(shared, true);
      shared.grow(1);
      smem.refresh();
      smem.setI64(131064, 9n);
      expect(smem.getI64(131064)).toBe(9n);
      expect(new DataView(shared.buffer).getBigInt64(131064, true)).toBe(9n);
    });
  });
});

describe('pointer checks', () => {
  it('checkAlign', () => {
    expect(() => checkAlign(8, 8, 'x')).not.toThrow();
    expect(() => checkAlign(0, 4, 'x')).not.toThrow();
    expect(trapReason(() => checkAlign(6, 4, 'return pointer'))).toBe('return pointer misaligned');
    expect(trapReason(() => checkAlign(-3, 2, 'p'))).toBe('p misaligned');
    expect(() => checkAlign(-4, 4, 'p')).not.toThrow(); // 0xfffffffc
  });

  it('checkBounds', () => {
    expect(() => checkBounds(0, 16, 16, 'x')).not.toThrow();
    expect(() => checkBounds(16, 0, 16, 'x')).not.toThrow();
    expect(trapReason(() => checkBounds(1, 16, 16, 'params'))).toBe('params out of bounds');
    expect(trapReason(() => checkBounds(17, 0, 16, 'x'))).toBe('x out of bounds');
    expect(trapReason(() => checkBounds(-16, 4, 2 ** 31, 'x'))).toBe('x out of bounds');
  });

  it('checkListRange: limit, then alignment (even for empty lists), then bounds', () => {
    const mem = new MemoryViews(new WebAssembly.Memory({ initial: 1 }));
    expect(checkListRange(mem, 8, 2, 8, 8)).toBe(8);
    expect(trapReason(() => checkListRange(mem, 4, 0, 8, 8))).toBe('list misaligned');
    expect(trapReason(() => checkListRange(mem, 3, 2 ** 28, 1, 1))).toBe('list too long');
    expect(trapReason(() => checkListRange(mem, 0, 2 ** 26, 4, 4))).toBe('list too long');
    expect(trapReason(() => checkListRange(mem, 0, 2 ** 26 - 1, 4, 4))).toBe('list out of bounds');
    expect(trapReason(() => checkListRange(mem, 65528, 2, 8, 8, 'tuple'))).toBe('tuple out of bounds');
    expect(checkListRange(mem, 65536, 0, 8, 8)).toBe(65536);
  });

  it('reallocChecked normalizes, refreshes and checks', () => {
    const f = createFake({ growEveryCall: true });
    const p = reallocChecked(f.realloc, f.mem, 0, 0, 8, 16, 'list');
    expect(p % 8).toBe(0);
    expect(f.mem.u8.length).toBe(131072);
    const g = createFake({ override: () => 6 });
    expect(trapReason(() => reallocChecked(g.realloc, g.mem, 0, 0, 4, 4, 'list'))).toBe('list misaligned');
    const h = createFake({ override: () => -8 });
    expect(trapReason(() => reallocChecked(h.realloc, h.mem, 0, 0, 4, 4, 'list'))).toBe('list out of bounds');
  });
});

const KINDS: [NumListKind<NumericArray>, number[] | bigint[]][] = [
  [LIST_U8, [0, 1, 255]],
  [LIST_S8, [-128, 0, 127]],
  [LIST_U16, [0, 65535, 258]],
  [LIST_S16, [-32768, 32767, -1]],
  [LIST_U32, [0, 4294967295, 7]],
  [LIST_S32, [-2147483648, 2147483647, -1]],
  [LIST_U64, [0n, 2n ** 64n - 1n, 5n]],
  [LIST_S64, [-(2n ** 63n), 2n ** 63n - 1n, -1n]],
  [LIST_F32, [0.5, -Infinity, 3.25]],
  [LIST_F64, [Math.PI, -0, Number.MAX_VALUE]],
];

describe('numeric lists', () => {
  it.each(KINDS.map(([k, v]) => [k.elem, k, v] as const))('%s: lower a plain array and a typed array, lift a copy', (_e, kind, values) => {
    const f = createFake();
    const p = lowerNumList(kind, values, f.realloc, f.mem, 'xs');
    expect(f.calls).toEqual([[0, 0, kind.size, values.length * kind.size]]);
    expect(p % kind.size).toBe(0);
    const lifted = liftNumList(kind, f.mem, p, values.length);
    expect(lifted).toBeInstanceOf(kind.ctor);
    expect([...lifted]).toEqual(values);
    // A copy, not a view of guest memory.
    expect(lifted.buffer).not.toBe(f.memory.buffer);
    f.mem.u8.fill(0, p, p + values.length * kind.size);
    expect([...lifted]).toEqual(values);
    // Lowering the typed array copies its bytes (also from an offset view).
    const p2 = lowerNumList(kind, lifted, f.realloc, f.mem, 'xs');
    expect([...liftNumList(kind, f.mem, p2, values.length)]).toEqual(values);
    const sub = lifted.subarray(1);
    const p3 = lowerNumList(kind, sub, f.realloc, f.mem, 'xs');
    expect([...liftNumList(kind, f.mem, p3, sub.length)]).toEqual(values.slice(1));
  });

  it('little-endian in memory', () => {
    const f = createFake();
    const p = lowerNumList(LIST_U32, [0x01020304], f.realloc, f.mem, 'xs');
    expect([...f.mem.u8.subarray(p, p + 4)]).toEqual([4, 3, 2, 1]);
  });

  it('empty lists still call realloc', () => {
    const f = createFake();
    lowerNumList(LIST_F64, [], f.realloc, f.mem, 'xs');
    expect(f.calls).toEqual([[0, 0, 8, 0]]);
  });

  it('validates every element before realloc, with the element path', () => {
    const f = createFake();
    expect(() => lowerNumList(LIST_U8, [1, 2, 256], f.realloc, f.mem, 'args.bytes')).toThrow(
      new RangeError('args.bytes[2]: expected u8 (an integer in [0, 255]), got 256'),
    );
    expect(() => lowerNumList(LIST_S32, [1.5], f.realloc, f.mem, 'xs')).toThrow(RangeError);
    expect(() => lowerNumList(LIST_U32, [1, '2'], f.realloc, f.mem, 'xs')).toThrow(
      new TypeError('xs[1]: expected u32, got string'),
    );
    expect(() => lowerNumList(LIST_U64, [1], f.realloc, f.mem, 'xs')).toThrow(
      new TypeError('xs[0]: expected u64, got number'),
    );
    expect(() => lowerNumList(LIST_S64, [2n ** 63n], f.realloc, f.mem, 'xs')).toThrow(RangeError);
    expect(() => lowerNumList(LIST_F32, [NaN, 1n], f.realloc, f.mem, 'xs')).toThrow(
      new TypeError('xs[1]: expected f32, got bigint'),
    );
    expect(() =>
      lowerNumList(LIST_U32, new Int32Array(2) as unknown as Uint32Array, f.realloc, f.mem, 'xs'),
    ).toThrow(new TypeError('xs: expected Uint32Array or array of u32, got Int32Array'));
    expect(() => lowerNumList(LIST_U8, 'abc' as unknown as number[], f.realloc, f.mem, 'xs')).toThrow(
      new TypeError('xs: expected Uint8Array or array of u8, got string'),
    );
    expect(f.calls).toEqual([]);
  });

  it('checkNumList bounds plain arrays by MAX_LIST_BYTE_LENGTH', () => {
    expect(MAX_LIST_BYTE_LENGTH).toBe(2 ** 28 - 1);
    expect(checkNumList(LIST_U8, [], 'xs')).toBe(0);
    expect(() => checkNumList(LIST_U32, new Array(2 ** 26), 'xs')).toThrow(
      new RangeError('xs: list of 67108864 u32 is too long (at most 2^28-1 bytes)'),
    );
  });

  it('NaN floats pass validation and round-trip as NaN', () => {
    const f = createFake();
    const p = lowerNumList(LIST_F64, [NaN], f.realloc, f.mem, 'xs');
    expect(Number.isNaN(liftNumList(LIST_F64, f.mem, p, 1)[0])).toBe(true);
  });

  it('lift traps: misaligned (even empty), out of bounds, too long', () => {
    const mem = new MemoryViews(new WebAssembly.Memory({ initial: 1 }));
    expect(trapReason(() => liftNumList(LIST_U32, mem, 2, 0))).toBe('list misaligned');
    expect(trapReason(() => liftNumList(LIST_U64, mem, 65536 - 8, 2))).toBe('list out of bounds');
    expect(trapReason(() => liftNumList(LIST_U16, mem, 0, 2 ** 27))).toBe('list too long');
    expect(trapReason(() => liftNumList(LIST_U8, mem, -1, 1))).toBe('list out of bounds');
    expect(liftNumList(LIST_U8, mem, 65536, 0).length).toBe(0);
  });

  it('lowering traps on a bad realloc result', () => {
    const f = createFake({ override: () => 2 });
    expect(trapReason(() => lowerNumList(LIST_U32, [1], f.realloc, f.mem, 'xs'))).toBe('list misaligned');
  });

  it('property: plain arrays round-trip for every kind', () => {
    const arbs: [NumListKind<NumericArray>, fc.Arbitrary<unknown[]>][] = [
      [LIST_U8, fc.array(fc.integer({ min: 0, max: 255 }))],
      [LIST_S16, fc.array(fc.integer({ min: -32768, max: 32767 }))],
      [LIST_U32, fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }))],
      [LIST_S64, fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }))],
      [LIST_F64, fc.array(fc.double({ noNaN: true }))],
      [LIST_F32, fc.array(fc.float({ noNaN: true }))],
    ];
    for (const [kind, arb] of arbs) {
      fc.assert(
        fc.property(arb, (values) => {
          const f = createFake();
          const p = lowerNumList(kind, values, f.realloc, f.mem, 'xs');
          expect([...liftNumList(kind, f.mem, p, values.length)]).toEqual(values);
        }),
        { numRuns: 100 },
      );
    }
  });
});
