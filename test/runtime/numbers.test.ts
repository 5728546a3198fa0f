import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Trap } from '../../src/runtime/errors.js';
import * as n from '../../src/runtime/numbers.js';

describe('integer predicates and checks', () => {
  const cases: [string, (v: unknown) => boolean, (v: unknown, p: string) => unknown, unknown[], unknown[]][] = [
    ['u8', n.isU8, n.checkU8, [0, 1, 255, -0], [-1, 256, 1.5, NaN, Infinity, '1', 1n, null]],
    ['s8', n.isS8, n.checkS8, [-128, 0, 127], [-129, 128, 0.1, '0']],
    ['u16', n.isU16, n.checkU16, [0, 65535], [-1, 65536, 2.5]],
    ['s16', n.isS16, n.checkS16, [-32768, 32767], [-32769, 32768]],
    ['u32', n.isU32, n.checkU32, [0, 2 ** 32 - 1], [-1, 2 ** 32, 0.5, NaN]],
    ['s32', n.isS32, n.checkS32, [-(2 ** 31), 2 ** 31 - 1], [-(2 ** 31) - 1, 2 ** 31, 1e-9]],
    ['u64', n.isU64, n.checkU64, [0n, 2n ** 64n - 1n], [-1n, 2n ** 64n, 1, '1']],
    ['s64', n.isS64, n.checkS64, [-(2n ** 63n), 2n ** 63n - 1n], [-(2n ** 63n) - 1n, 2n ** 63n, 0]],
  ];
  it.each(cases)('%s', (_kind, is, check, good, bad) => {
    for (const v of good) {
      expect(is(v)).toBe(true);
      expect(check(v, 'x')).toBe(v);
    }
    for (const v of bad) {
      expect(is(v)).toBe(false);
      expect(() => check(v, 'x')).toThrow(/^x: expected/);
    }
  });

  it('does not call valueOf on objects', () => {
    let called = false;
    const o = { valueOf: () => ((called = true), 1) };
    expect(n.isU8(o)).toBe(false);
    expect(n.isS32(o)).toBe(false);
    expect(called).toBe(false);
  });

  it('messages: TypeError for the wrong type, RangeError for the wrong range', () => {
    expect(() => n.checkU8('5', 'rgb.r')).toThrow(new TypeError('rgb.r: expected u8, got string'));
    expect(() => n.checkU8(300, 'rgb.r')).toThrow(
      new RangeError('rgb.r: expected u8 (an integer in [0, 255]), got 300'),
    );
    expect(() => n.checkS32(1.5, 'x')).toThrow(
      new RangeError('x: expected s32 (an integer in [-2147483648, 2147483647]), got 1.5'),
    );
    expect(() => n.checkU64(5, 'id')).toThrow(new TypeError('id: expected u64 (a bigint), got number'));
    expect(() => n.checkS64(2n ** 63n, 'id')).toThrow(
      new RangeError('id: expected s64 (a bigint in [-2^63, 2^63-1]), got 9223372036854775808n'),
    );
  });

  it('floats and bools', () => {
    expect(n.checkF32(1.5, 'x')).toBe(1.5);
    expect(Number.isNaN(n.checkF64(NaN, 'x'))).toBe(true);
    expect(n.checkF64(-Infinity, 'x')).toBe(-Infinity);
    expect(() => n.checkF32('1', 'x')).toThrow(new TypeError('x: expected f32, got string'));
    expect(() => n.checkF64(1n, 'x')).toThrow(new TypeError('x: expected f64, got bigint'));
    expect(n.checkBool(false, 'x')).toBe(false);
    expect(() => n.checkBool(0, 'flag')).toThrow(new TypeError('flag: expected bool, got number'));
  });
});

describe('char', () => {
  it('lowers one Unicode scalar value to its code point', () => {
    expect(n.checkChar('a', 'c')).toBe(0x61);
    expect(n.checkChar('\u0000', 'c')).toBe(0);
    expect(n.checkChar('\ud7ff', 'c')).toBe(0xd7ff);
    expect(n.checkChar('\ue000', 'c')).toBe(0xe000);
    expect(n.checkChar('😀', 'c')).toBe(0x1f600);
    expect(n.checkChar('\u{10ffff}', 'c')).toBe(0x10ffff);
  });

  it.each(['', 'ab', '\ud800', '\udfff', '\udc00\ud800', 'a😀', '\ud800a'])('rejects %j', (s) => {
    expect(() => n.checkChar(s, 'c')).toThrow(TypeError);
    expect(() => n.checkChar(s, 'c')).toThrow(/^c: expected char \(a string of one Unicode scalar value\), got "/);
  });

  it('rejects non-strings', () => {
    expect(() => n.checkChar(65, 'c')).toThrow(
      new TypeError('c: expected char (a string of one Unicode scalar value), got number'),
    );
  });

  it('lifts valid code points and traps on invalid ones', () => {
    expect(n.liftChar(0x61)).toBe('a');
    expect(n.liftChar(0x1f600)).toBe('😀');
    expect(n.liftChar(0xd7ff)).toBe('\ud7ff');
    expect(n.liftChar(0xe000)).toBe('\ue000');
    expect(n.liftChar(0x10ffff)).toBe('\u{10ffff}');
    for (const bad of [0xd800, 0xdfff, 0x110000, -1, 2 ** 31]) {
      expect(() => n.liftChar(bad)).toThrow(Trap);
      expect(() => n.liftChar(bad)).toThrow('wasm trap: invalid char');
    }
  });

  it('property: checkChar ∘ liftChar is the identity on scalar values', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x10ffff }), (cp) => {
        if (cp >= 0xd800 && cp <= 0xdfff) return;
        expect(n.checkChar(n.liftChar(cp), 'c')).toBe(cp);
      }),
    );
  });
});

describe('flat lifting', () => {
  it('ignores high bits and sign-extends signed types', () => {
    expect(n.liftBool(0)).toBe(false);
    expect(n.liftBool(2)).toBe(true);
    expect(n.liftBool(-1)).toBe(true);
    expect(n.liftU8(0x1ff)).toBe(0xff);
    expect(n.liftS8(0x80)).toBe(-128);
    expect(n.liftS8(0x17f)).toBe(127);
    expect(n.liftU16(-1)).toBe(0xffff);
    expect(n.liftS16(0x8000)).toBe(-32768);
    expect(n.liftU32(-1)).toBe(2 ** 32 - 1);
    expect(n.liftS32(2 ** 32 - 1)).toBe(-1);
    expect(n.liftU64(-1n)).toBe(2n ** 64n - 1n);
    expect(n.liftS64(2n ** 64n - 1n)).toBe(-1n);
  });
});

describe('floats: NaN canonicalization and reinterpretation', () => {
  const bits32 = (f: number) => {
    const dv = new DataView(new ArrayBuffer(4));
    dv.setFloat32(0, f, true);
    return dv.getUint32(0, true);
  };
  const bits64 = (f: number) => {
    const dv = new DataView(new ArrayBuffer(8));
    dv.setFloat64(0, f, true);
    return dv.getBigUint64(0, true);
  };

  it('canonNaN maps any NaN to the canonical one and leaves numbers alone', () => {
    expect(n.canonNaN(1.5)).toBe(1.5);
    expect(Object.is(n.canonNaN(-0), -0)).toBe(true);
    expect(bits64(n.canonNaN(NaN))).toBe(0x7ff8000000000000n);
    expect(bits32(n.canonNaN(NaN))).toBe(0x7fc00000);
  });

  it('i32ToF32 canonicalizes NaN payloads (decode_i32_as_float)', () => {
    expect(bits32(n.i32ToF32(0x7fc00001))).toBe(0x7fc00000);
    expect(bits32(n.i32ToF32(0xffc00000 | 0))).toBe(0x7fc00000);
    expect(bits32(n.i32ToF32(0x7f800001))).toBe(0x7fc00000);
    expect(n.i32ToF32(0x3fc00000)).toBe(1.5);
    expect(n.i32ToF32(0x7f800000)).toBe(Infinity);
  });

  it('i64ToF64 canonicalizes NaN payloads (decode_i64_as_float)', () => {
    expect(bits64(n.i64ToF64(0x7ff0000000000001n))).toBe(0x7ff8000000000000n);
    expect(bits64(n.i64ToF64(-1n))).toBe(0x7ff8000000000000n);
    expect(n.i64ToF64(0x3ff8000000000000n)).toBe(1.5);
    expect(n.i64ToF64(0x4000000000000000n)).toBe(2);
  });

  it('f32ToI32 / f64ToI64 give the bits', () => {
    expect(n.f32ToI32(1.5)).toBe(0x3fc00000);
    expect(n.f32ToI32(-0)).toBe(0x80000000 | 0);
    expect(n.f32ToI32(0.1)).toBe(0x3dcccccd); // rounded to f32
    expect(n.f64ToI64(1.5)).toBe(0x3ff8000000000000n);
    expect(n.f64ToI64(-1)).toBe(-0x4010000000000000n);
  });

  it('join coercions: zero-extend into i64, wrap out of it', () => {
    expect(n.i32ToI64(-1)).toBe(0xffffffffn);
    expect(n.i64ToI32(0x1_0000_0005n)).toBe(5);
    expect(n.i64ToI32(0xffffffffn)).toBe(-1);
    expect(n.f32ToI64(-0)).toBe(0x80000000n);
    expect(n.i64ToF32(0xdead_0000_3fc0_0000n)).toBe(1.5);
  });

  it('property: float bit round trips', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true }), (f) => {
        expect(Object.is(n.i32ToF32(n.f32ToI32(f)), f)).toBe(true);
        expect(Object.is(n.i64ToF32(n.f32ToI64(f)), f)).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (f) => {
        expect(Object.is(n.i64ToF64(n.f64ToI64(f)), f)).toBe(true);
      }),
    );
  });
});
