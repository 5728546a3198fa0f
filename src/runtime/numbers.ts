/**
 * Scalars: validation of host numbers before lowering, lifting from flat `i32`/`i64` values,
 * `char`, and the bit reinterpretations used by variant payload joins.
 *
 * The `isX` predicates are one or two comparisons, small enough for V8 to inline; generated code
 * tests them inline and calls a `checkX` (or builds a dynamic path and calls {@link badNumber})
 * only to produce the error. `checkX(v, path)` returns the value for straight-line code.
 *
 * Floats: any JS number is a valid `f32`/`f64` (an `f32` is rounded by the store or by wasm's
 * `ToWebAssemblyValue`), and NaN is allowed. The spec canonicalizes NaNs on lift
 * (`CANONICAL_FLOAT32_NAN = 0x7fc00000`, `CANONICAL_FLOAT64_NAN = 0x7ff8000000000000`). JS has a
 * single NaN *value*, but V8 can carry a NaN's payload bits through a typed-array read and write,
 * so a lifted NaN that is lowered again could leak the guest's payload; {@link canonNaN} (one
 * comparison) replaces it with the `NaN` constant, whose bits are the canonical f64 NaN and
 * become `0x7fc00000` when stored as an f32. Lowering may produce any NaN (definitions.py
 * `maybe_scramble_nan32`), so nothing is needed on that side.
 *
 * @module
 */

import { rangeError, trap, typeError, valueError } from './errors.js';

/** Largest `u64`. */
const U64_MAX = 0xffff_ffff_ffff_ffffn;
/** Smallest and largest `s64`. */
const S64_MIN = -0x8000_0000_0000_0000n;
const S64_MAX = 0x7fff_ffff_ffff_ffffn;

// ---------------------------------------------------------------------------------------------
// Predicates (inline-sized)

/** `v` is a `u8`: a number that is an integer in [0, 255]. */
export function isU8(v: unknown): v is number {
  return typeof v === 'number' && (v & 0xff) === v;
}
/** `v` is an `s8`: an integer in [-128, 127]. */
export function isS8(v: unknown): v is number {
  return typeof v === 'number' && (v << 24) >> 24 === v;
}
/** `v` is a `u16`: an integer in [0, 65535]. */
export function isU16(v: unknown): v is number {
  return typeof v === 'number' && (v & 0xffff) === v;
}
/** `v` is an `s16`: an integer in [-32768, 32767]. */
export function isS16(v: unknown): v is number {
  return typeof v === 'number' && (v << 16) >> 16 === v;
}
/** `v` is a `u32`: an integer in [0, 2^32-1]. */
export function isU32(v: unknown): v is number {
  return typeof v === 'number' && v >>> 0 === v;
}
/** `v` is an `s32`: an integer in [-2^31, 2^31-1]. */
export function isS32(v: unknown): v is number {
  return typeof v === 'number' && (v | 0) === v;
}
/** `v` is a `u64`: a bigint in [0, 2^64-1]. */
export function isU64(v: unknown): v is bigint {
  return typeof v === 'bigint' && v >= 0n && v <= U64_MAX;
}
/** `v` is an `s64`: a bigint in [-2^63, 2^63-1]. */
export function isS64(v: unknown): v is bigint {
  return typeof v === 'bigint' && v >= S64_MIN && v <= S64_MAX;
}

/** The integer kinds, for {@link badNumber}. */
export type IntKind = 'u8' | 's8' | 'u16' | 's16' | 'u32' | 's32' | 'u64' | 's64';

function intRange(kind: IntKind): string {
  switch (kind) {
    case 'u8': return 'an integer in [0, 255]';
    case 's8': return 'an integer in [-128, 127]';
    case 'u16': return 'an integer in [0, 65535]';
    case 's16': return 'an integer in [-32768, 32767]';
    case 'u32': return 'an integer in [0, 4294967295]';
    case 's32': return 'an integer in [-2147483648, 2147483647]';
    case 'u64': return 'a bigint in [0, 2^64-1]';
    case 's64': return 'a bigint in [-2^63, 2^63-1]';
  }
}

/**
 * Throws the right error for a value that failed `isX`: `TypeError` if it is not a number
 * (`bigint` for 64-bit kinds), else `RangeError` naming the range and the value.
 */
export function badNumber(path: string, kind: IntKind, v: unknown): never {
  const big = kind === 'u64' || kind === 's64';
  if (typeof v !== (big ? 'bigint' : 'number')) {
    return typeError(path, big ? `${kind} (a bigint)` : kind, v);
  }
  return rangeError(path, `expected ${kind} (${intRange(kind)}), got ${String(v)}${big ? 'n' : ''}`);
}

// ---------------------------------------------------------------------------------------------
// Checks that return the value

/** Returns `v` if it is a `u8`, else throws (see {@link badNumber}). */
export function checkU8(v: unknown, path: string): number {
  return isU8(v) ? v : badNumber(path, 'u8', v);
}
/** Returns `v` if it is an `s8`, else throws. */
export function checkS8(v: unknown, path: string): number {
  return isS8(v) ? v : badNumber(path, 's8', v);
}
/** Returns `v` if it is a `u16`, else throws. */
export function checkU16(v: unknown, path: string): number {
  return isU16(v) ? v : badNumber(path, 'u16', v);
}
/** Returns `v` if it is an `s16`, else throws. */
export function checkS16(v: unknown, path: string): number {
  return isS16(v) ? v : badNumber(path, 's16', v);
}
/** Returns `v` if it is a `u32`, else throws. */
export function checkU32(v: unknown, path: string): number {
  return isU32(v) ? v : badNumber(path, 'u32', v);
}
/** Returns `v` if it is an `s32`, else throws. */
export function checkS32(v: unknown, path: string): number {
  return isS32(v) ? v : badNumber(path, 's32', v);
}
/** Returns `v` if it is a `u64` bigint, else throws (a `number` is a `TypeError`). */
export function checkU64(v: unknown, path: string): bigint {
  return isU64(v) ? v : badNumber(path, 'u64', v);
}
/** Returns `v` if it is an `s64` bigint, else throws (a `number` is a `TypeError`). */
export function checkS64(v: unknown, path: string): bigint {
  return isS64(v) ? v : badNumber(path, 's64', v);
}
/** Returns `v` if it is a number (any, NaN included), else throws `TypeError`. */
export function checkF32(v: unknown, path: string): number {
  return typeof v === 'number' ? v : typeError(path, 'f32', v);
}
/** Returns `v` if it is a number (any, NaN included), else throws `TypeError`. */
export function checkF64(v: unknown, path: string): number {
  return typeof v === 'number' ? v : typeError(path, 'f64', v);
}
/** Returns `v` if it is a boolean, else throws `TypeError`. */
export function checkBool(v: unknown, path: string): boolean {
  return typeof v === 'boolean' ? v : typeError(path, 'bool', v);
}

/**
 * Lowers a `char`: `v` must be a string of exactly one Unicode scalar value (one code unit that
 * is not a surrogate, or one valid surrogate pair). Returns the code point; throws `TypeError`
 * otherwise (definitions.py `char_to_i32` asserts the value is a scalar value).
 */
export function checkChar(v: unknown, path: string): number {
  if (typeof v === 'string') {
    const n = v.length;
    if (n === 1) {
      const c = v.charCodeAt(0);
      if ((c & 0xf800) !== 0xd800) return c;
    } else if (n === 2) {
      const c = v.codePointAt(0)!;
      if (c > 0xffff) return c; // a valid pair
    }
    throw valueError(
      new TypeError(
        `${path}: expected char (a string of one Unicode scalar value), got ${JSON.stringify(v.length > 10 ? `${v.slice(0, 10)}…` : v)}`,
      ),
    );
  }
  return typeError(path, 'char (a string of one Unicode scalar value)', v);
}

// ---------------------------------------------------------------------------------------------
// Lifting from flat values (definitions.py lift_flat_unsigned / lift_flat_signed: high bits are
// ignored, not trapped on)

/** `bool` from an `i32`: any non-zero value is `true`. */
export function liftBool(i: number): boolean {
  return i !== 0;
}
/** `u8` from an `i32` (high bits ignored). */
export function liftU8(i: number): number {
  return i & 0xff;
}
/** `s8` from an `i32` (sign-extended from bit 7). */
export function liftS8(i: number): number {
  return (i << 24) >> 24;
}
/** `u16` from an `i32`. */
export function liftU16(i: number): number {
  return i & 0xffff;
}
/** `s16` from an `i32`. */
export function liftS16(i: number): number {
  return (i << 16) >> 16;
}
/** `u32` from an `i32` (JS sees wasm `i32` results as signed). */
export function liftU32(i: number): number {
  return i >>> 0;
}
/** `s32` from an `i32`. */
export function liftS32(i: number): number {
  return i | 0;
}
/** `u64` from an `i64` (JS sees wasm `i64` results as signed bigints). */
export function liftU64(i: bigint): bigint {
  return BigInt.asUintN(64, i);
}
/** `s64` from an `i64`. */
export function liftS64(i: bigint): bigint {
  return BigInt.asIntN(64, i);
}

/**
 * `char` from an `i32` (definitions.py `convert_i32_to_char`): traps with `invalid char` for
 * values ≥ 0x110000 or in the surrogate range 0xD800–0xDFFF.
 */
export function liftChar(i: number): string {
  i >>>= 0;
  if (i >= 0x110000 || (i >= 0xd800 && i <= 0xdfff)) trap('invalid char');
  return i < 0x10000 ? String.fromCharCode(i) : String.fromCodePoint(i);
}

/** Replaces any NaN by the canonical `NaN` (see the module doc); other values pass through. */
export function canonNaN(f: number): number {
  // eslint-disable-next-line no-self-compare
  return f === f ? f : NaN;
}

// ---------------------------------------------------------------------------------------------
// Bit reinterpretation for variant joins (definitions.py flatten_variant / join,
// lower_flat_variant, lift_flat_variant's CoerceValueIter). One shared 8-byte scratch buffer.

const SCRATCH = /* @__PURE__ */ new ArrayBuffer(8);
const F32 = /* @__PURE__ */ new Float32Array(SCRATCH);
const I32 = /* @__PURE__ */ new Int32Array(SCRATCH);
const F64 = /* @__PURE__ */ new Float64Array(SCRATCH);
const I64 = /* @__PURE__ */ new BigInt64Array(SCRATCH);

/** `i32.reinterpret_f32`: the bits of `f` rounded to f32, as a signed `i32`. */
export function f32ToI32(f: number): number {
  F32[0] = f;
  return I32[0]!;
}
/** `f32.reinterpret_i32`, NaN canonicalized (definitions.py `decode_i32_as_float`). */
export function i32ToF32(i: number): number {
  I32[0] = i;
  return canonNaN(F32[0]!);
}
/** `i64.reinterpret_f64`: the bits of `f` as a signed `i64`. */
export function f64ToI64(f: number): bigint {
  F64[0] = f;
  return I64[0]!;
}
/** `f64.reinterpret_i64`, NaN canonicalized (definitions.py `decode_i64_as_float`). */
export function i64ToF64(i: bigint): number {
  I64[0] = BigInt.asIntN(64, i);
  return canonNaN(F64[0]!);
}
/** An `i32` placed in an `i64` join slot: zero-extended (definitions.py `('i32', 'i64')`). */
export function i32ToI64(i: number): bigint {
  return BigInt(i >>> 0);
}
/** An `i64` join slot read as `i32`: wrapped (definitions.py `wrap_i64_to_i32`), signed. */
export function i64ToI32(i: bigint): number {
  return Number(BigInt.asIntN(32, i));
}
/** An `f32` placed in an `i64` join slot: its bits, zero-extended. */
export function f32ToI64(f: number): bigint {
  return BigInt(f32ToI32(f) >>> 0);
}
/** An `i64` join slot read as `f32`: wrap to `i32`, then reinterpret (NaN canonicalized). */
export function i64ToF32(i: bigint): number {
  return i32ToF32(Number(BigInt.asIntN(32, i)));
}
