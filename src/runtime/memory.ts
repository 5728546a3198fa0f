/**
 * Guest linear memory: cached views, pointer checks, the checked `realloc` call, and bulk copies
 * of numeric lists.
 *
 * Pointers that arrive from wasm are `i32` values, which JS sees as *signed* numbers (an address
 * at or above 2 GiB arrives negative). Every helper here normalizes with `>>> 0` before using
 * one, and callers may pass raw wasm values.
 *
 * @module
 */

import { rangeError, trap, typeError } from './errors.js';

/**
 * A guest's `cabi_realloc` (canonical option `realloc`): `(old_ptr, old_size, align, new_size) ->
 * ptr`. A fresh allocation is `realloc(0, 0, align, size)`.
 */
export type Realloc = (oldPtr: number, oldSize: number, align: number, newSize: number) => number;

/** Anything with a linear-memory buffer: a `WebAssembly.Memory`, or a stand-in in tests. */
export interface MemoryLike {
  readonly buffer: ArrayBufferLike;
}

/**
 * definitions.py `MAX_LIST_BYTE_LENGTH`: lifting a list whose byte length (`len * elem_size`)
 * exceeds this traps.
 */
export const MAX_LIST_BYTE_LENGTH = 0x0fff_ffff;

/**
 * Whether typed arrays use little-endian byte order on this host. Wasm memory is always
 * little-endian; on a big-endian host (s390x) multi-byte typed-array views over it would see
 * swapped values, so the helpers below fall back to `DataView`/byte swapping there.
 */
export const LITTLE_ENDIAN: boolean = /* @__PURE__ */ (() =>
  new Uint8Array(new Uint16Array([1]).buffer)[0] === 1)();

/**
 * Cached views over a guest memory.
 *
 * Generated code holds one `MemoryViews` per instance and calls {@link MemoryViews.refresh}
 * after anything that can grow memory (a call into the guest, `realloc`) and before reading
 * through the views. Growing a non-shared `WebAssembly.Memory` detaches its old `ArrayBuffer`,
 * which turns every view over it into a zero-length view, so `refresh()` only has to test
 * `u8.length === 0` — a field load — instead of reading `memory.buffer` (a host getter that
 * measured ≈15 ns per access on Node 20). `length`, not `byteLength`: on Node 20 `length` is
 * inlined (≈0.1 ns) while `byteLength` of a typed array is a call (≈8.5 ns). A memory of zero
 * pages is simply re-synced on every refresh, which is still correct.
 *
 * A *shared* memory (`SharedArrayBuffer`) is never detached: growing it leaves the old views
 * valid but short. Pass `shared = true` and `refresh()` compares `memory.buffer` instead.
 */
export class MemoryViews {
  /** The memory the views are over. */
  readonly memory: MemoryLike;
  /** `true` if `memory` may grow without detaching (shared memory). */
  readonly shared: boolean;
  /** The buffer the current views were made from. */
  buffer: ArrayBufferLike;
  /** Bytes. `u8.length` is the memory size used by every bounds check. */
  u8: Uint8Array;
  /** 16-bit units over the same buffer (little-endian hosts only; see {@link LITTLE_ENDIAN}). */
  u16: Uint16Array;
  /** Little-endian scalar loads and stores (`dv.getUint32(p, true)`). */
  dv: DataView;
  /**
   * 64-bit integers over the same buffer, for {@link getI64}/{@link setI64} (little-endian hosts
   * only). On Node 20, `DataView`'s `getBigInt64`/`setBigInt64` are calls into a builtin (≈9 ns)
   * where the other `DataView` accessors are inlined; a `BigInt64Array` element is ≈2 ns.
   */
  i64: BigInt64Array;

  constructor(memory: MemoryLike, shared = false) {
    this.memory = memory;
    this.shared = shared;
    const b = memory.buffer;
    this.buffer = b;
    this.u8 = new Uint8Array(b);
    this.u16 = new Uint16Array(b, 0, b.byteLength >>> 1);
    this.dv = new DataView(b);
    this.i64 = new BigInt64Array(b, 0, b.byteLength >>> 3);
  }

  /**
   * The little-endian `i64` at byte address `p`. Canonical ABI layouts align every 64-bit field
   * to 8 bytes, so this is an element of {@link i64}; a misaligned or out-of-bounds address (or
   * a big-endian host) takes `DataView`, which gives the same result or the same `RangeError`.
   */
  getI64(p: number): bigint {
    const i = p >>> 3;
    if (LITTLE_ENDIAN && (p & 7) === 0 && i < this.i64.length) return this.i64[i]!;
    return this.dv.getBigInt64(p, true);
  }

  /** Stores `v` as the little-endian `i64` at byte address `p` (see {@link getI64}). */
  setI64(p: number, v: bigint): void {
    const i = p >>> 3;
    if (LITTLE_ENDIAN && (p & 7) === 0 && i < this.i64.length) this.i64[i] = v;
    else this.dv.setBigInt64(p, v, true);
  }

  /** Makes the views current if memory has grown since they were made. Cheap; call freely. */
  refresh(): void {
    if (this.u8.length === 0 || this.shared) this.sync();
  }

  /** Re-reads `memory.buffer` and rebuilds the views if it changed. */
  sync(): void {
    const b = this.memory.buffer;
    if (b === this.buffer && b.byteLength === this.u8.length) return;
    this.buffer = b;
    this.u8 = new Uint8Array(b);
    this.u16 = new Uint16Array(b, 0, b.byteLength >>> 1);
    this.dv = new DataView(b);
    this.i64 = new BigInt64Array(b, 0, b.byteLength >>> 3);
  }
}

/** Traps with `"<what> misaligned"` unless `ptr` is a multiple of `align` (a power of two). */
export function checkAlign(ptr: number, align: number, what: string): void {
  if (((ptr >>> 0) & (align - 1)) !== 0) trap(`${what} misaligned`);
}

/** Traps with `"<what> out of bounds"` if `[ptr, ptr + size)` does not fit in `memBytes`. */
export function checkBounds(ptr: number, size: number, memBytes: number, what: string): void {
  if ((ptr >>> 0) + size > memBytes) trap(`${what} out of bounds`);
}

/**
 * The checks definitions.py runs on a list (or a spilled tuple, with `len = 1`) before reading it:
 * `len * elemSize <= MAX_LIST_BYTE_LENGTH`, `ptr` aligned (checked even when `len = 0`), and
 * in bounds. Returns the normalized pointer. `what` names the thing in the trap reason.
 */
export function checkListRange(
  mem: MemoryViews,
  ptr: number,
  len: number,
  elemSize: number,
  align: number,
  what = 'list',
): number {
  ptr >>>= 0;
  const bytes = (len >>> 0) * elemSize;
  if (bytes > MAX_LIST_BYTE_LENGTH) trap(`${what} too long`);
  if ((ptr & (align - 1)) !== 0) trap(`${what} misaligned`);
  if (ptr + bytes > mem.u8.length) trap(`${what} out of bounds`);
  return ptr;
}

/**
 * Calls `realloc` the way definitions.py does after every allocation for the guest: normalizes
 * the returned `i32` to an unsigned address, refreshes `mem` (realloc may have grown memory),
 * then traps if the address is misaligned or `[ptr, ptr + newSize)` is out of bounds.
 */
export function reallocChecked(
  realloc: Realloc,
  mem: MemoryViews,
  oldPtr: number,
  oldSize: number,
  align: number,
  newSize: number,
  what: string,
): number {
  const ptr = realloc(oldPtr, oldSize, align, newSize) >>> 0;
  mem.refresh();
  if ((ptr & (align - 1)) !== 0) trap(`${what} misaligned`);
  if (ptr + newSize > mem.u8.length) trap(`${what} out of bounds`);
  return ptr;
}

// ---------------------------------------------------------------------------------------------
// Numeric lists: `list<u8>` … `list<f64>` lift to a typed-array copy and lower from a typed
// array of the same type or a plain array (js-values.md).

/** The typed arrays that represent numeric lists. */
export type NumericArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | BigUint64Array
  | BigInt64Array
  | Float32Array
  | Float64Array;

/** Describes one numeric element type for {@link liftNumList} and {@link lowerNumList}. */
export interface NumListKind<A extends NumericArray> {
  /** The WIT element type, for messages (`u32`). */
  readonly elem: string;
  /** The typed-array class. */
  readonly ctor: {
    new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): A;
    readonly name: string;
  };
  /** elem_size = alignment. */
  readonly size: 1 | 2 | 4 | 8;
  /** Element check for plain arrays: `0` ok, `1` wrong type (TypeError), `2` out of range. */
  readonly check: (v: unknown) => 0 | 1 | 2;
  /** What a valid element is, for messages: `an integer in [0, 255]`. */
  readonly expected: string;
}

function intCheck(lo: number, hi: number): (v: unknown) => 0 | 1 | 2 {
  return (v) => {
    if (typeof v !== 'number') return 1;
    return Number.isInteger(v) && v >= lo && v <= hi ? 0 : 2;
  };
}
function bigCheck(lo: bigint, hi: bigint): (v: unknown) => 0 | 1 | 2 {
  return (v) => {
    if (typeof v !== 'bigint') return 1;
    return v >= lo && v <= hi ? 0 : 2;
  };
}
function floatCheck(v: unknown): 0 | 1 | 2 {
  return typeof v === 'number' ? 0 : 1;
}

/** `list<u8>` ↔ `Uint8Array`. */
export const LIST_U8: NumListKind<Uint8Array> = /* @__PURE__ */ Object.freeze({
  elem: 'u8', ctor: Uint8Array, size: 1, check: /* @__PURE__ */ intCheck(0, 0xff),
  expected: 'an integer in [0, 255]',
});
/** `list<s8>` ↔ `Int8Array`. */
export const LIST_S8: NumListKind<Int8Array> = /* @__PURE__ */ Object.freeze({
  elem: 's8', ctor: Int8Array, size: 1, check: /* @__PURE__ */ intCheck(-0x80, 0x7f),
  expected: 'an integer in [-128, 127]',
});
/** `list<u16>` ↔ `Uint16Array`. */
export const LIST_U16: NumListKind<Uint16Array> = /* @__PURE__ */ Object.freeze({
  elem: 'u16', ctor: Uint16Array, size: 2, check: /* @__PURE__ */ intCheck(0, 0xffff),
  expected: 'an integer in [0, 65535]',
});
/** `list<s16>` ↔ `Int16Array`. */
export const LIST_S16: NumListKind<Int16Array> = /* @__PURE__ */ Object.freeze({
  elem: 's16', ctor: Int16Array, size: 2, check: /* @__PURE__ */ intCheck(-0x8000, 0x7fff),
  expected: 'an integer in [-32768, 32767]',
});
/** `list<u32>` ↔ `Uint32Array`. */
export const LIST_U32: NumListKind<Uint32Array> = /* @__PURE__ */ Object.freeze({
  elem: 'u32', ctor: Uint32Array, size: 4, check: /* @__PURE__ */ intCheck(0, 0xffff_ffff),
  expected: 'an integer in [0, 4294967295]',
});
/** `list<s32>` ↔ `Int32Array`. */
export const LIST_S32: NumListKind<Int32Array> = /* @__PURE__ */ Object.freeze({
  elem: 's32', ctor: Int32Array, size: 4, check: /* @__PURE__ */ intCheck(-0x8000_0000, 0x7fff_ffff),
  expected: 'an integer in [-2147483648, 2147483647]',
});
/** `list<u64>` ↔ `BigUint64Array`. */
export const LIST_U64: NumListKind<BigUint64Array> = /* @__PURE__ */ Object.freeze({
  elem: 'u64', ctor: BigUint64Array, size: 8,
  check: /* @__PURE__ */ bigCheck(0n, 0xffff_ffff_ffff_ffffn),
  expected: 'a bigint in [0, 2^64-1]',
});
/** `list<s64>` ↔ `BigInt64Array`. */
export const LIST_S64: NumListKind<BigInt64Array> = /* @__PURE__ */ Object.freeze({
  elem: 's64', ctor: BigInt64Array, size: 8,
  check: /* @__PURE__ */ bigCheck(-0x8000_0000_0000_0000n, 0x7fff_ffff_ffff_ffffn),
  expected: 'a bigint in [-2^63, 2^63-1]',
});
/** `list<f32>` ↔ `Float32Array`. */
export const LIST_F32: NumListKind<Float32Array> = /* @__PURE__ */ Object.freeze({
  elem: 'f32', ctor: Float32Array, size: 4, check: floatCheck, expected: 'a number',
});
/** `list<f64>` ↔ `Float64Array`. */
export const LIST_F64: NumListKind<Float64Array> = /* @__PURE__ */ Object.freeze({
  elem: 'f64', ctor: Float64Array, size: 8, check: floatCheck, expected: 'a number',
});

/** Reverses the byte order of each `size`-byte element in `u8[ptr, ptr + bytes)`. */
export function swapBytes(u8: Uint8Array, ptr: number, bytes: number, size: number): void {
  for (let p = ptr, end = ptr + bytes; p < end; p += size) {
    for (let a = p, b = p + size - 1; a < b; a++, b--) {
      const t = u8[a]!;
      u8[a] = u8[b]!;
      u8[b] = t;
    }
  }
}

/**
 * Lifts a numeric list as a *copy* (never a view of guest memory, which the guest may free or
 * overwrite after post-return): checks length limit, alignment and bounds like
 * definitions.py `load_list_from_range`, then copies the bytes. A NaN in a float list becomes the
 * canonical NaN (definitions.py `canonicalize_nan32/64`): a typed array shows its elements' bits.
 */
export function liftNumList<A extends NumericArray>(
  kind: NumListKind<A>,
  mem: MemoryViews,
  ptr: number,
  len: number,
): A {
  len >>>= 0;
  const size = kind.size;
  ptr = checkListRange(mem, ptr, len, size, size);
  // TypedArray `slice` of a view (≈50 ns for a short list) rather than `ArrayBuffer.slice`
  // (≈500 ns of fixed cost on Node 20, whatever the length).
  const u8 = mem.u8;
  if ((kind as NumListKind<NumericArray>) === LIST_U8) return u8.slice(ptr, ptr + len) as A;
  const copy = (new kind.ctor(u8.buffer, ptr, len) as NumericArray).slice() as A;
  if (!LITTLE_ENDIAN && size > 1) swapBytes(new Uint8Array(copy.buffer), 0, len * size, size);
  if (kind === (LIST_F32 as unknown) || kind === (LIST_F64 as unknown)) {
    const f = copy as Float32Array | Float64Array;
    for (let i = 0; i < len; i++) if (f[i] !== f[i]) f[i] = NaN;
  }
  return copy;
}

/**
 * Validates a host value for a numeric list without touching guest memory: a typed array of
 * exactly `kind.ctor`, or a plain array whose every element passes `kind.check`. Returns the
 * element count. Throws `TypeError`/`RangeError` with `path` (`path[i]` for a bad element).
 */
export function checkNumList<A extends NumericArray>(
  kind: NumListKind<A>,
  value: unknown,
  path: string,
): number {
  if (value instanceof kind.ctor) return (value as A).length;
  if (!Array.isArray(value)) {
    return typeError(path, `${kind.ctor.name} or array of ${kind.elem}`, value);
  }
  if (value.length * kind.size > MAX_LIST_BYTE_LENGTH) {
    rangeError(path, `list of ${value.length} ${kind.elem} is too long (at most 2^28-1 bytes)`);
  }
  const check = kind.check;
  for (let i = 0; i < value.length; i++) {
    const r = check(value[i]);
    if (r !== 0) badElement(kind, `${path}[${i}]`, value[i], r);
  }
  return value.length;
}

function badElement(kind: NumListKind<NumericArray>, path: string, v: unknown, r: number): never {
  if (r === 1) return typeError(path, kind.elem, v);
  return rangeError(path, `expected ${kind.elem} (${kind.expected}), got ${String(v)}`);
}

/**
 * Lowers a numeric list (definitions.py `store_list_into_range`): validates `value` first
 * (host errors never touch guest memory), then `realloc(0, 0, size, len * size)` — called even
 * for an empty list — checks the result, and copies. Returns the pointer; the length is
 * `value.length`.
 */
export function lowerNumList<A extends NumericArray>(
  kind: NumListKind<A>,
  value: A | readonly unknown[],
  realloc: Realloc,
  mem: MemoryViews,
  path: string,
): number {
  checkNumList(kind, value, path);
  return lowerNumListValid(kind, value, realloc, mem, path);
}

/** Throws the `RangeError` of a host list over `MAX_LIST_BYTE_LENGTH` bytes. */
export function listTooLong(kind: NumListKind<NumericArray>, len: number, path = 'list'): never {
  return rangeError(path, `list of ${len} ${kind.elem} is too long (at most 2^28-1 bytes)`);
}

/**
 * {@link lowerNumList} of a value already validated (generated bindings check every argument
 * before lowering anything): only the length limit is checked here, so the realloc size is
 * always a valid `i32`.
 */
export function lowerNumListValid<A extends NumericArray>(
  kind: NumListKind<A>,
  value: A | readonly unknown[],
  realloc: Realloc,
  mem: MemoryViews,
  path: string,
): number {
  const len = value.length;
  const size = kind.size;
  const bytes = len * size;
  if (bytes > MAX_LIST_BYTE_LENGTH) listTooLong(kind, len, path);
  const ptr = reallocChecked(realloc, mem, 0, 0, size, bytes, 'list');
  const u8 = mem.u8;
  if (value instanceof kind.ctor) {
    const src = value as A;
    if (src instanceof Uint8Array) u8.set(src, ptr);
    else u8.set(new Uint8Array(src.buffer, src.byteOffset, bytes), ptr);
  } else {
    // Plain array, already validated: the typed-array store converts and writes every element.
    (new kind.ctor(u8.buffer, ptr, len) as unknown as { set(a: ArrayLike<unknown>): void }).set(
      value as readonly unknown[],
    );
  }
  if (!LITTLE_ENDIAN && size > 1) swapBytes(u8, ptr, bytes, size);
  return ptr;
}
