/**
 * Strings in the three canonical-ABI encodings: `utf8`, `utf16` and `latin1+utf16`.
 *
 * **Lifting** (`*Decode`) follows definitions.py `load_string_from_range`, with its checks in
 * its order: byte length `> MAX_STRING_BYTE_LENGTH` → trap `string too long`; misaligned pointer
 * (checked even when the length is 0) → `string misaligned`; out of bounds → `string out of
 * bounds`; malformed data → `invalid utf-8` / `invalid utf-16`. These helpers do all of those
 * checks themselves (one comparison each), so callers pass the raw `(ptr, len)` wasm values.
 *
 * **Lowering** (`*Encode`) treats a JS string as the spec's *UTF-16 source* and reproduces the
 * realloc sequence of definitions.py exactly — the number, order and arguments of realloc calls
 * and what is in memory at each call are visible to the guest:
 *
 * | encoding       | spec function                                | realloc calls (n = `str.length`)  |
 * |----------------|----------------------------------------------|-----------------------------------|
 * | `utf8`         | `store_utf16_to_utf8` → `store_string_to_utf8` | `(0,0,1,n)`; on the first non-ASCII code unit `(p,n,1,3n)`, then `(p,3n,1,len)` if `len < 3n` |
 * | `utf16`        | `store_string_copy(…, 2, 2, 'utf-16-le')`    | `(0,0,2,2n)`                       |
 * | `latin1+utf16` | `store_string_to_latin1_or_utf16`            | `(0,0,2,n)`; on the first code point ≥ 256 `(p,n,2,2n)` and widen in place |
 *
 * Every returned pointer is checked (alignment, then bounds) and traps like the spec.
 *
 * **Zero-allocation result.** An encoder returns the pointer and leaves the length (code units,
 * tagged with bit 31 for UTF-16 in `latin1+utf16`) in a module-level slot read with
 * {@link loweredLen} right after the call — no `[ptr, len]` tuple per string. Calls are
 * synchronous and the slot is read immediately, so sharing it is safe even across instances:
 *
 * ```ts
 * const p = utf8Encode(s, realloc, mem, 'name');
 * const l = loweredLen();
 * ```
 *
 * **Host validation** happens before the first realloc, so a bad host value never touches guest
 * memory: not a string → `TypeError`; a lone surrogate → `TypeError` (component strings are
 * sequences of Unicode scalar values); more than `MAX_STRING_BYTE_LENGTH` code units →
 * `RangeError`. The spec only *asserts* a size bound when storing (its values were lifted, so
 * they are within `MAX_STRING_BYTE_LENGTH` bytes in their source encoding); bounding the code
 * units by the same constant accepts every string any guest can produce and keeps every realloc
 * size (at most 3 × that) a positive `i32`.
 *
 * @module
 */

import { rangeError, trap, typeError, valueError } from './errors.js';
import { LITTLE_ENDIAN, reallocChecked, type MemoryViews, type Realloc } from './memory.js';
import { BYTES as SCAN_BYTES } from './wasm/utf8-scan.js';

/** definitions.py `MAX_STRING_BYTE_LENGTH`: `2^28 - 1`. Lifting a longer string traps. */
export const MAX_STRING_BYTE_LENGTH = 0x0fff_ffff;

/** definitions.py `UTF16_TAG` (32-bit memories): bit 31 of a `latin1+utf16` length. */
export const UTF16_TAG = 0x8000_0000;

/**
 * Strings up to this many code units are decoded with `String.fromCharCode` instead of
 * `TextDecoder`. Measured on Node 20: `TextDecoder.decode` costs a fixed ≈70–100 ns, the
 * unrolled `fromCharCode` path ≈3 ns per character, so they cross near 16–24 bytes.
 */
const SHORT_DECODE = 16;

/**
 * Strings up to this many code units are encoded by a plain `charCodeAt` loop instead of
 * `TextEncoder.encodeInto` (fixed ≈80 ns plus an allocated result object; the loop costs ≈2.5 ns
 * per character), measured on Node 20.
 */
const SHORT_ENCODE = 64;

const UTF8_DECODER = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const UTF16_DECODER = /* @__PURE__ */ new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });
const ENCODER = /* @__PURE__ */ new TextEncoder();
const fromCharCode = String.fromCharCode;

/** The result slot of the last encoder call; see {@link loweredLen}. */
let lastLen = 0;

/**
 * The length that goes with the pointer returned by the last `*Encode` call: code units for
 * `utf8` (bytes) and `utf16`, and the tagged length for `latin1+utf16`, as an unsigned number.
 */
export function loweredLen(): number {
  return lastLen;
}

// ---------------------------------------------------------------------------------------------
// Host-side validation

type WellFormed = { isWellFormed(): boolean };

/**
 * Validates a host value to be lowered as a WIT `string` without touching guest memory:
 * a `string`, at most {@link MAX_STRING_BYTE_LENGTH} code units, no lone surrogates
 * (`String.prototype.isWellFormed`, O(1) for V8's one-byte strings). Throws
 * `TypeError`/`RangeError` with `path` on failure.
 */
export function checkString(v: unknown, path: string): asserts v is string {
  if (typeof v !== 'string') typeError(path, 'string', v);
  if (v.length > MAX_STRING_BYTE_LENGTH) {
    rangeError(path, `string of ${v.length} code units is too long (at most 2^28-1)`);
  }
  if (!(v as unknown as WellFormed).isWellFormed()) loneSurrogate(path, v);
}

function loneSurrogate(path: string, s: string): never {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      break;
    }
    if (c >= 0xdc00 && c <= 0xdfff) break;
  }
  const unit = s.charCodeAt(i).toString(16).padStart(4, '0');
  throw valueError(
    new TypeError(
      `${path}: string contains a lone surrogate (\\u${unit} at index ${i}); component strings must be Unicode scalar values`,
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Lifting

/**
 * `fromCharCode` of the `n <= 8` codes `a[p..p + n)` (bytes of Latin-1/ASCII in guest memory, or
 * UTF-16 code units decoded into {@link shortUnits}), unrolled so V8 makes one flat string.
 */
function codesShort(a: Uint8Array | Uint16Array, p: number, n: number): string {
  switch (n) {
    case 0: return '';
    case 1: return fromCharCode(a[p]!);
    case 2: return fromCharCode(a[p]!, a[p + 1]!);
    case 3: return fromCharCode(a[p]!, a[p + 1]!, a[p + 2]!);
    case 4: return fromCharCode(a[p]!, a[p + 1]!, a[p + 2]!, a[p + 3]!);
    case 5: return fromCharCode(a[p]!, a[p + 1]!, a[p + 2]!, a[p + 3]!, a[p + 4]!);
    case 6: return fromCharCode(a[p]!, a[p + 1]!, a[p + 2]!, a[p + 3]!, a[p + 4]!, a[p + 5]!);
    case 7: return fromCharCode(a[p]!, a[p + 1]!, a[p + 2]!, a[p + 3]!, a[p + 4]!, a[p + 5]!, a[p + 6]!);
    default: return fromCharCode(a[p]!, a[p + 1]!, a[p + 2]!, a[p + 3]!, a[p + 4]!, a[p + 5]!, a[p + 6]!, a[p + 7]!);
  }
}

/** `fromCharCode` of the `n <= 16` codes `a[p..p + n)`. */
function codesToString(a: Uint8Array | Uint16Array, p: number, n: number): string {
  return n <= 8 ? codesShort(a, p, n) : codesShort(a, p, 8) + codesShort(a, p + 8, n - 8);
}

/** Where {@link utf8ShortDecode} decodes to: a UTF-8 string of `n` bytes has at most `n` code units. */
const shortUnits = /* @__PURE__ */ new Uint16Array(SHORT_DECODE);

/**
 * Decodes the `len <= SHORT_DECODE` bytes of UTF-8 at `ptr`, or returns `undefined` if they are
 * not well-formed UTF-8 (RFC 3629, what the fatal `TextDecoder` accepts: no overlong forms, no
 * encoded surrogates, nothing above U+10FFFF, no truncated sequence). For a string this short,
 * a loop costs a third of `TextDecoder.decode` (≈45 ns against ≈155 ns for 16 bytes, Node 20).
 */
function utf8ShortDecode(u8: Uint8Array, ptr: number, len: number): string | undefined {
  const units = shortUnits;
  const end = ptr + len;
  let k = 0;
  for (let i = ptr; i < end; ) {
    const b = u8[i]!;
    if (b < 0x80) {
      units[k++] = b;
      i++;
      continue;
    }
    let c: number;
    let more: number;
    let min: number;
    if (b < 0xc2) return undefined; // a continuation byte, or the lead of an overlong pair
    if (b < 0xe0) {
      c = b & 0x1f;
      more = 1;
      min = 0x80;
    } else if (b < 0xf0) {
      c = b & 0x0f;
      more = 2;
      min = 0x800;
    } else if (b < 0xf5) {
      c = b & 0x07;
      more = 3;
      min = 0x10000;
    } else return undefined;
    if (i + more >= end) return undefined;
    for (let j = 1; j <= more; j++) {
      const x = u8[i + j]!;
      if ((x & 0xc0) !== 0x80) return undefined;
      c = (c << 6) | (x & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return undefined;
    if (c >= 0x10000) {
      c -= 0x10000;
      units[k++] = 0xd800 | (c >> 10);
      units[k++] = 0xdc00 | (c & 0x3ff);
    } else units[k++] = c;
    i += more + 1;
  }
  return codesToString(units, 0, k);
}

/**
 * Lifts a `utf8` string (definitions.py `load_string_from_range`, `'utf8'`). `ptr` and `len`
 * (bytes) are the raw wasm values. Traps: `string too long`, `string out of bounds`,
 * `invalid utf-8` (overlong forms, encoded surrogates, code points above U+10FFFF, truncated
 * sequences). A leading U+FEFF is kept (the decoder is created with `ignoreBOM: true`).
 */
export function utf8Decode(u8: Uint8Array, ptr: number, len: number): string {
  ptr >>>= 0;
  len >>>= 0;
  if (len > MAX_STRING_BYTE_LENGTH) trap('string too long');
  if (ptr + len > u8.length) trap('string out of bounds');
  if (len <= SHORT_DECODE) {
    let bits = 0;
    for (let i = ptr, end = ptr + len; i < end; i++) bits |= u8[i]!;
    if (bits < 0x80) return codesToString(u8, ptr, len);
    return utf8ShortDecode(u8, ptr, len) ?? trap('invalid utf-8');
  }
  try {
    return UTF8_DECODER.decode(u8.subarray(ptr, ptr + len));
  } catch {
    return decodeFailed(UTF8_DECODER, u8, ptr, len, 'invalid utf-8');
  }
}

/**
 * The decoder threw. Usually the data is malformed, but an engine that implements an older
 * Encoding standard rejects views of a `SharedArrayBuffer` (a shared memory) outright, so retry
 * on a copy before calling it a trap. Only reached on failure.
 */
function decodeFailed(
  decoder: TextDecoder,
  u8: Uint8Array,
  ptr: number,
  len: number,
  reason: string,
): string {
  if (!(u8.buffer instanceof ArrayBuffer)) {
    try {
      return decoder.decode(u8.slice(ptr, ptr + len));
    } catch {
      // malformed after all
    }
  }
  return trap(reason);
}

/**
 * Lifts a `utf16` string: `units` 16-bit little-endian code units at `ptr`, which must be
 * 2-aligned (even when `units = 0`). Traps: `string too long` (`2 * units` bytes over the
 * limit), `string misaligned`, `string out of bounds`, `invalid utf-16` (an unpaired surrogate).
 */
export function utf16Decode(u8: Uint8Array, ptr: number, units: number): string {
  ptr >>>= 0;
  const bytes = (units >>> 0) * 2;
  if (bytes > MAX_STRING_BYTE_LENGTH) trap('string too long');
  if ((ptr & 1) !== 0) trap('string misaligned');
  if (ptr + bytes > u8.length) trap('string out of bounds');
  return utf16At(u8, ptr, bytes);
}

/** Decodes checked UTF-16LE bytes; unpaired surrogates trap. */
function utf16At(u8: Uint8Array, ptr: number, bytes: number): string {
  if (bytes <= 2 * 8) {
    // Short: build from code units (endianness-independent byte reads) unless a surrogate is
    // present, in which case the fatal decoder validates the pairing.
    let s = '';
    for (let p = ptr, end = ptr + bytes; p < end; p += 2) {
      const c = u8[p]! | (u8[p + 1]! << 8);
      if (c >= 0xd800 && c <= 0xdfff) return utf16Slow(u8, ptr, bytes);
      s += fromCharCode(c);
    }
    return s;
  }
  return utf16Slow(u8, ptr, bytes);
}

function utf16Slow(u8: Uint8Array, ptr: number, bytes: number): string {
  try {
    return UTF16_DECODER.decode(u8.subarray(ptr, ptr + bytes));
  } catch {
    return decodeFailed(UTF16_DECODER, u8, ptr, bytes, 'invalid utf-16');
  }
}

/**
 * Decodes `len` Latin-1 bytes (ISO-8859-1: byte = code point). Not `TextDecoder('latin1')`,
 * which the Encoding standard maps to windows-1252 (0x80 would become U+20AC).
 */
function latin1At(u8: Uint8Array, ptr: number, len: number): string {
  if (len <= SHORT_DECODE) return codesToString(u8, ptr, len);
  let bits = 0;
  for (let i = ptr, end = ptr + len; i < end; i++) bits |= u8[i]!;
  if (bits < 0x80) return UTF8_DECODER.decode(u8.subarray(ptr, ptr + len)); // ASCII = UTF-8
  // Widen to UTF-16LE bytes (endianness-independent) and let the decoder build the string.
  const wide = new Uint8Array(len * 2);
  for (let i = 0; i < len; i++) wide[2 * i] = u8[ptr + i]!;
  return UTF16_DECODER.decode(wide);
}

/**
 * Lifts a `latin1+utf16` string. If bit 31 of `tagged` is set the data is UTF-16 with
 * `tagged ^ UTF16_TAG` code units, else Latin-1 with `tagged` bytes; the pointer must be
 * 2-aligned in **both** cases (definitions.py). Traps like {@link utf16Decode}.
 */
export function latin1Utf16Decode(u8: Uint8Array, ptr: number, tagged: number): string {
  ptr >>>= 0;
  tagged >>>= 0;
  const wide = tagged >= UTF16_TAG;
  const bytes = wide ? (tagged - UTF16_TAG) * 2 : tagged;
  if (bytes > MAX_STRING_BYTE_LENGTH) trap('string too long');
  if ((ptr & 1) !== 0) trap('string misaligned');
  if (ptr + bytes > u8.length) trap('string out of bounds');
  return wide ? utf16At(u8, ptr, bytes) : latin1At(u8, ptr, bytes);
}

// ---------------------------------------------------------------------------------------------
// Lowering

/**
 * Writes the UTF-8 encoding of `str[from..]` at `u8[at..]` (room for it is guaranteed by the
 * caller) and returns the number of bytes written. `str` is well-formed.
 */
function utf8Long(str: string, from: number, u8: Uint8Array, at: number, room: number): number {
  return ENCODER.encodeInto(from === 0 ? str : str.slice(from), u8.subarray(at, at + room)).written;
}

/**
 * {@link utf8Long} of a short rest ({@link SHORT_ENCODE}): a plain loop. It also checks the
 * surrogates and returns -1 at a lone one, which is how {@link prepareShort} validates; lowering
 * passes strings validated already, so for it that never happens.
 */
function utf8Short(str: string, from: number, u8: Uint8Array, at: number): number {
  const n = str.length;
  let o = at;
  for (let i = from; i < n; i++) {
    let c = str.charCodeAt(i);
    if (c < 0x80) {
      u8[o++] = c;
    } else if (c < 0x800) {
      u8[o++] = 0xc0 | (c >> 6);
      u8[o++] = 0x80 | (c & 0x3f);
    } else if ((c & 0xf800) === 0xd800) {
      // A surrogate: only a high one followed by a low one is a code point.
      const d = str.charCodeAt(i + 1);
      if (c >= 0xdc00 || !((d & 0xfc00) === 0xdc00)) return -1;
      i++;
      c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      u8[o++] = 0xf0 | (c >> 18);
      u8[o++] = 0x80 | ((c >> 12) & 0x3f);
      u8[o++] = 0x80 | ((c >> 6) & 0x3f);
      u8[o++] = 0x80 | (c & 0x3f);
    } else {
      u8[o++] = 0xe0 | (c >> 12);
      u8[o++] = 0x80 | ((c >> 6) & 0x3f);
      u8[o++] = 0x80 | (c & 0x3f);
    }
  }
  return o - at;
}

/**
 * Writes the ASCII prefix of `str` at `u8[ptr..]` (the block of `str.length` bytes realloc just
 * returned), as definitions.py `store_string_to_utf8` does before its first non-ASCII code
 * point, and returns its length (`str.length` if all ASCII).
 *
 * Long strings are encoded with `TextEncoder.encodeInto` (an order of magnitude faster than a
 * `charCodeAt` loop) straight into the block: for an all-ASCII string that is exactly the
 * spec's stores. Otherwise the encoder also wrote some non-ASCII bytes after the prefix, inside
 * the block; the spec leaves those bytes as they were, but the next step (`realloc(ptr, n, 1,
 * 3n)`) overwrites them with the rest of the encoding, which is longer than `n` bytes, wherever
 * the block ends up. Only a block realloc moves away from keeps them: freed memory, whose
 * contents are the guest's allocator's business (test/runtime/string.test.ts compares
 * everything else with definitions.py byte for byte).
 */
function asciiPrefix(str: string, u8: Uint8Array, ptr: number): number {
  const n = str.length;
  // Short strings, or one that starts with a non-ASCII code unit (the encoder's output would be
  // thrown away at once): a plain loop. (Probing more code units costs more than it saves: on a
  // sliced string each `charCodeAt` unwraps the slice.)
  if (n <= SHORT_ENCODE || str.charCodeAt(0) >= 0x80) {
    let i = 0;
    for (; i < n; i++) {
      const c = str.charCodeAt(i);
      if (c >= 0x80) break;
      u8[ptr + i] = c;
    }
    return i;
  }
  return asciiPrefixLong(str, u8, ptr);
}

/** {@link asciiPrefix} of a long string (a function of its own: the short path stays small). */
function asciiPrefixLong(str: string, u8: Uint8Array, ptr: number): number {
  const n = str.length;
  const r = ENCODER.encodeInto(str, u8.subarray(ptr, ptr + n));
  // A non-ASCII code unit takes more bytes than code units: all of it fit only if all ASCII.
  if (r.read === n) return n;
  return firstNonAscii(u8, ptr, ptr + r.written) - ptr;
}

/** The index of the first byte ≥ 0x80 in `u8[from..to)`, or `to`; four bytes per step. */
function firstNonAscii(u8: Uint8Array, from: number, to: number): number {
  let i = from;
  for (; i < to && ((u8.byteOffset + i) & 3) !== 0; i++) if (u8[i]! >= 0x80) return i;
  if (i + 4 <= to) {
    const u32 = new Uint32Array(u8.buffer, u8.byteOffset + i, (to - i) >>> 2);
    let k = 0;
    while (k < u32.length && (u32[k]! & 0x80808080) === 0) k++;
    i += 4 * k;
  }
  for (; i < to; i++) if (u8[i]! >= 0x80) return i;
  return to;
}

/**
 * Lowers `str` as `utf8` (definitions.py `store_utf16_to_utf8`): `realloc(0, 0, 1, n)`; the
 * ASCII prefix is written; on the first non-ASCII code unit `realloc(ptr, n, 1, 3n)` and the
 * rest is encoded after the prefix; if the encoding is shorter than `3n`,
 * `realloc(ptr, 3n, 1, len)`. Returns the pointer; {@link loweredLen} gives the byte length.
 * Validates `str` first ({@link checkString}).
 */
export function utf8Encode(str: string, realloc: Realloc, mem: MemoryViews, path: string): number {
  checkString(str, path);
  return utf8EncodeValid(str, realloc, mem);
}

/**
 * {@link utf8Encode} of a string already validated (what {@link checkString} accepts, as the
 * generated validators' `isUsvString` does): generated bindings check every value before they
 * lower anything, so they skip the second check (`isWellFormed` is O(n) for two-byte strings).
 */
export function utf8EncodeValid(str: string, realloc: Realloc, mem: MemoryViews): number {
  if (str === prepared) return preparedShort ? utf8FromShort(realloc, mem) : utf8FromScratch(realloc, mem);
  const n = str.length;
  let ptr = reallocChecked(realloc, mem, 0, 0, 1, n, 'string');
  const i = asciiPrefix(str, mem.u8, ptr);
  if (i === n) {
    lastLen = n;
    return ptr;
  }
  return utf8Rest(str, i, ptr, realloc, mem);
}

/**
 * {@link utf8EncodeValid} from the first non-ASCII code unit `i` on (a function of its own: the
 * all-ASCII path stays small): grow the block to the worst case, encode the rest after the
 * prefix, shrink to fit.
 */
function utf8Rest(str: string, i: number, ptr: number, realloc: Realloc, mem: MemoryViews): number {
  const worst = 3 * str.length;
  ptr = reallocChecked(realloc, mem, ptr, str.length, 1, worst, 'string');
  const rest = str.length - i;
  const len = i + (rest > SHORT_ENCODE ? utf8Long(str, i, mem.u8, ptr + i, worst - i) : utf8Short(str, i, mem.u8, ptr + i));
  if (worst > len) ptr = reallocChecked(realloc, mem, ptr, worst, 1, len, 'string');
  lastLen = len;
  return ptr;
}

/** Writes `str[from..]` as UTF-16LE code units at byte address `at` (2-aligned). */
function utf16Write(str: string, from: number, mem: MemoryViews, at: number): void {
  const n = str.length;
  // The u16 view is host-endian; wasm memory is little-endian. Use it only on LE hosts.
  if (LITTLE_ENDIAN) {
    const u16 = mem.u16;
    for (let i = from, o = (at >>> 1) + from; i < n; i++, o++) u16[o] = str.charCodeAt(i);
  } else {
    const dv = mem.dv;
    for (let i = from; i < n; i++) dv.setUint16(at + 2 * i, str.charCodeAt(i), true);
  }
}

/**
 * Lowers `str` as `utf16` (definitions.py `store_string_copy(cx, src, n, 2, 2, 'utf-16-le')`):
 * one `realloc(0, 0, 2, 2n)`, checked for 2-alignment and bounds. Returns the pointer;
 * {@link loweredLen} gives `n` (code units).
 */
export function utf16Encode(str: string, realloc: Realloc, mem: MemoryViews, path: string): number {
  checkString(str, path);
  return utf16EncodeValid(str, realloc, mem);
}

/** {@link utf16Encode} of a string already validated (see {@link utf8EncodeValid}). */
export function utf16EncodeValid(str: string, realloc: Realloc, mem: MemoryViews): number {
  const n = str.length;
  const ptr = reallocChecked(realloc, mem, 0, 0, 2, 2 * n, 'string');
  utf16Write(str, 0, mem, ptr);
  lastLen = n;
  return ptr;
}

/**
 * Lowers `str` as `latin1+utf16` (definitions.py `store_string_to_latin1_or_utf16`):
 * `realloc(0, 0, 2, n)`; code points below 256 are written as Latin-1 bytes; at the first code
 * point ≥ 256, `realloc(ptr, n, 2, 2n)`, the Latin-1 bytes written so far are widened in place
 * (back to front, reading them from the block realloc returned, as the spec does) and the rest
 * is written as UTF-16. Returns the pointer; {@link loweredLen} gives `n` (Latin-1) or
 * `n | UTF16_TAG` (UTF-16), unsigned.
 *
 * The spec's shrinking reallocs (`dst < n` after Latin-1, `2n > len(encoded)` after UTF-16)
 * never fire for a UTF-16 source: every code point below 256 is exactly one code unit, and the
 * UTF-16 encoding of a JS string is exactly `2n` bytes.
 */
export function latin1Utf16Encode(
  str: string,
  realloc: Realloc,
  mem: MemoryViews,
  path: string,
): number {
  checkString(str, path);
  return latin1Utf16EncodeValid(str, realloc, mem);
}

/** {@link latin1Utf16Encode} of a string already validated (see {@link utf8EncodeValid}). */
export function latin1Utf16EncodeValid(str: string, realloc: Realloc, mem: MemoryViews): number {
  const n = str.length;
  let ptr = reallocChecked(realloc, mem, 0, 0, 2, n, 'string');
  let u8 = mem.u8;
  // ASCII is Latin-1: take the (bulk-encoded) ASCII prefix, then go on byte by byte.
  let dst = asciiPrefix(str, u8, ptr);
  for (; dst < n; dst++) {
    const c = str.charCodeAt(dst);
    if (c >= 0x100) break;
    u8[ptr + dst] = c;
  }
  if (dst === n) {
    lastLen = n;
    return ptr;
  }
  const worst = 2 * n;
  ptr = reallocChecked(realloc, mem, ptr, n, 2, worst, 'string');
  u8 = mem.u8;
  for (let j = dst - 1; j >= 0; j--) {
    u8[ptr + 2 * j] = u8[ptr + j]!;
    u8[ptr + 2 * j + 1] = 0;
  }
  utf16Write(str, dst, mem, ptr);
  lastLen = n + UTF16_TAG;
  return ptr;
}

// ---------------------------------------------------------------------------------------------
// Long non-ASCII strings: validated and encoded in one pass (prepareUtf8)

/** Strings up to this many code units go through {@link prepareUtf8}'s scratch (3 bytes each at most). */
const PREPARE_MAX = 1 << 20;

export interface Scanner {
  readonly memory: WebAssembly.Memory;
  /** The index of the first byte ≥ 0x80 in scratch `[0, n)`, or `n`. */
  ascii(n: number): number;
  /** 1 if scratch `[0, n)` holds EF BF BD (U+FFFD), else 0. */
  fffd(n: number): number;
}

/** The SIMD scanner (wasm/utf8-scan.wat), its memory the scratch; null where wasm SIMD is missing. */
let scanner: Scanner | null | undefined;

/** The SIMD scanner, instantiated on first use; `null` where the engine lacks wasm SIMD (exported for tests). */
export function getScanner(): Scanner | null {
  if (scanner === undefined) {
    try {
      scanner = WebAssembly.validate(SCAN_BYTES)
        ? (new WebAssembly.Instance(new WebAssembly.Module(SCAN_BYTES)).exports as unknown as Scanner)
        : null;
    } catch {
      scanner = null;
    }
  }
  return scanner;
}

/** A view of the whole scratch (the scanner's memory), replaced when it grows. */
let scratchView = /* @__PURE__ */ new Uint8Array(0);

/** The string whose UTF-8 encoding {@link prepareUtf8} left in the scratch, and its byte length. */
let prepared: string | undefined;
let preparedLen = 0;
/** Whether {@link prepared} is in {@link shortScratch} (else in the scanner's memory). */
let preparedShort = false;
/** Where {@link prepareUtf8} encodes short strings (3 bytes per code unit at most). */
const shortScratch = /* @__PURE__ */ new Uint8Array(3 * SHORT_ENCODE);
const shortScratchDv = /* @__PURE__ */ new DataView(shortScratch.buffer);

/**
 * What the generated validator of a `string` parameter calls in `utf8` bindings instead of
 * `isUsvString` (same answer). A string whose first code unit is not ASCII is validated by
 * encoding it into a scratch, where {@link utf8EncodeValid} then copies it from if the same
 * string comes to be lowered next: one pass instead of `isWellFormed` (a scalar pass over the
 * code units, about half the cost of encoding them; ≈8 ns even for a few) and then the encoding.
 * A short one ({@link SHORT_ENCODE}) is checked and encoded in one loop; a long one by
 * `TextEncoder` into the memory of the SIMD scanner, which looks for EF BF BD (what `TextEncoder`
 * writes for a lone surrogate: without it the string is well-formed; with it, `isWellFormed`
 * decides). Strings that start with ASCII, all-ASCII ones in particular (which the encoder writes
 * straight into guest memory), take `isWellFormed`.
 *
 * Only the last string prepared is kept; a string lowered that is not it (another parameter, or
 * the scratch reused by a nested call) is encoded the ordinary way, so this is never wrong, at
 * worst wasted. Validation still ends before the first realloc.
 */
export function prepareUtf8(s: unknown): boolean {
  if (typeof s !== 'string' || s.length > MAX_STRING_BYTE_LENGTH) return false;
  const n = s.length;
  // Kept small (it is inlined into every generated function taking a string): a string that
  // starts with ASCII (or is empty) takes isWellFormed (O(1) for V8's one-byte strings).
  if (n > PREPARE_MAX || !(s.charCodeAt(0) >= 0x80)) return (s as unknown as WellFormed).isWellFormed();
  return n <= SHORT_ENCODE ? prepareShort(s) : prepareLong(s, n);
}

/** A short string for {@link prepareUtf8}: validated and encoded in one loop, into {@link shortScratch}. */
function prepareShort(s: string): boolean {
  // Whatever was prepared before is overwritten here, even if `s` turns out ill-formed.
  prepared = undefined;
  const len = utf8Short(s, 0, shortScratch, 0);
  if (len < 0) return false;
  prepared = s;
  preparedLen = len;
  preparedShort = true;
  return true;
}

function prepareLong(s: string, n: number): boolean {
  const sc = getScanner();
  if (sc === null) return (s as unknown as WellFormed).isWellFormed();
  // Whatever was prepared before is overwritten here, even if `s` turns out ill-formed.
  prepared = undefined;
  const need = 3 * n;
  let view = scratchView;
  if (view.length < need) {
    const have = sc.memory.buffer.byteLength;
    if (have < need) sc.memory.grow(Math.ceil((need - have) / 65536));
    view = scratchView = new Uint8Array(sc.memory.buffer);
  }
  const len = ENCODER.encodeInto(s, need === view.length ? view : view.subarray(0, need)).written;
  if (sc.fffd(len) !== 0 && !(s as unknown as WellFormed).isWellFormed()) return false;
  prepared = s;
  preparedLen = len;
  preparedShort = false;
  return true;
}

/**
 * {@link utf8EncodeValid} of the prepared string, copying its encoding out of the scratch with
 * exactly the spec's reallocs and stores: the ASCII prefix into the first block, then the rest
 * after the prefix in the grown one.
 */
function utf8FromScratch(realloc: Realloc, mem: MemoryViews): number {
  const n = prepared!.length;
  const len = preparedLen;
  prepared = undefined;
  const sc = scanner!;
  const i = sc.ascii(len);
  let ptr = reallocChecked(realloc, mem, 0, 0, 1, n, 'string');
  // The scratch is the scanner's own memory: realloc (guest code) cannot touch it.
  const src = scratchView;
  mem.u8.set(src.subarray(0, i), ptr);
  if (i === len) {
    lastLen = n;
    return ptr;
  }
  const worst = 3 * n;
  ptr = reallocChecked(realloc, mem, ptr, n, 1, worst, 'string');
  mem.u8.set(src.subarray(i, len), ptr + i);
  if (worst > len) ptr = reallocChecked(realloc, mem, ptr, worst, 1, len, 'string');
  lastLen = len;
  return ptr;
}

/**
 * {@link utf8FromScratch} of a short prepared string ({@link shortScratch}): it starts with a
 * non-ASCII code unit, so there is no prefix: `realloc(0, 0, 1, n)`, `realloc(ptr, n, 1, 3n)`,
 * the bytes, and the shrink.
 */
function utf8FromShort(realloc: Realloc, mem: MemoryViews): number {
  const n = prepared!.length;
  const len = preparedLen;
  prepared = undefined;
  let ptr = reallocChecked(realloc, mem, 0, 0, 1, n, 'string');
  const worst = 3 * n;
  ptr = reallocChecked(realloc, mem, ptr, n, 1, worst, 'string');
  // Four bytes per step through DataViews (unaligned is fine): a byte loop of typed-array
  // stores costs about twice as much for the few dozen bytes a short string takes.
  const dv = mem.dv;
  let k = 0;
  for (; k + 4 <= len; k += 4) dv.setUint32(ptr + k, shortScratchDv.getUint32(k, true), true);
  const u8 = mem.u8;
  for (; k < len; k++) u8[ptr + k] = shortScratch[k]!;
  if (worst > len) ptr = reallocChecked(realloc, mem, ptr, worst, 1, len, 'string');
  lastLen = len;
  return ptr;
}
