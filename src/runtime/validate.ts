/**
 * Helpers of the generated validators (see `src/emit/validate.ts`): one function answers in two
 * modes, so error paths cost nothing until a value is actually wrong.
 *
 * @module
 */
import { describeValue, valueError } from './errors.js';
import { MAX_STRING_BYTE_LENGTH } from './string.js';
import { deadResource, GuestResource } from './instance.js';

const INT_RANGES: Record<string, readonly [number | bigint, number | bigint]> = {
  u8: [0, 255],
  s8: [-128, 127],
  u16: [0, 65535],
  s16: [-32768, 32767],
  u32: [0, 4294967295],
  s32: [-2147483648, 2147483647],
  u64: [0n, 18446744073709551615n],
  s64: [-9223372036854775808n, 9223372036854775807n],
};

/**
 * Reports a value that failed its check. Without a path (fast mode) it returns `false`; with a
 * path it throws: a `RangeError` for a number/bigint of the right kind but out of range or not an
 * integer, a `TypeError` otherwise (`points[3].label: expected string, got number 5`).
 */
export function invalid(path: string | undefined, expected: string, got: unknown): boolean {
  if (path === undefined) return false;
  const range = INT_RANGES[expected];
  if (range !== undefined) {
    const big = expected.endsWith('64');
    if ((big && typeof got === 'bigint') || (!big && typeof got === 'number')) {
      throw valueError(new RangeError(
        `${path}: expected ${expected} (an integer in [${String(range[0])}, ${String(range[1])}]), got ${String(got)}`,
      ));
    }
    if (big && typeof got === 'number') {
      throw valueError(new TypeError(`${path}: expected ${expected} as a bigint, got number ${String(got)}`));
    }
  }
  if (expected === 'string' && typeof got === 'string') {
    if (got.length > MAX_STRING_BYTE_LENGTH) {
      throw valueError(new RangeError(`${path}: string of ${got.length} code units is too long (at most 2^28-1)`));
    }
    throw valueError(new TypeError(`${path}: expected string of Unicode scalar values, got a string with a lone surrogate`));
  }
  if (expected === 'char' && typeof got === 'string') {
    throw valueError(new TypeError(`${path}: expected char (one Unicode scalar value), got ${JSON.stringify(got.slice(0, 10))}`));
  }
  throw valueError(new TypeError(`${path}: expected ${expected}, got ${describeValue(got)}`));
}

type WellFormed = { isWellFormed(): boolean };

/**
 * A string of Unicode scalar values (no lone surrogates) of at most `MAX_STRING_BYTE_LENGTH` code
 * units: what a WIT `string` can carry, and exactly what the string encoders' own check accepts
 * (so generated code, which runs this first, lowers with the unchecked encoders).
 */
export function isUsvString(v: unknown): v is string {
  return (
    typeof v === 'string' && v.length <= MAX_STRING_BYTE_LENGTH && (v as unknown as WellFormed).isWellFormed()
  );
}

/** A string of exactly one Unicode scalar value. */
export function isChar(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  if (v.length === 1) return (v.charCodeAt(0) & 0xf800) !== 0xd800;
  return v.length === 2 && v.codePointAt(0)! > 0xffff;
}

/**
 * Reports a value that failed a resource check (not an instance of the resource's class for this
 * instance, or no longer usable). Fast mode (no path) returns `false`; with a path it throws a
 * `TypeError` saying which.
 */
export function invalidResource(path: string | undefined, name: string, got: unknown): boolean {
  if (path === undefined) return false;
  if (got instanceof GuestResource && describeValue(got) === name) {
    if (got._rep < 0 || got._borrowed) deadResource(got, path);
    throw valueError(new TypeError(`${path}: expected ${name} of this instance, got one that belongs to another instance`));
  }
  throw valueError(new TypeError(`${path}: expected ${name}, got ${describeValue(got)}`));
}
