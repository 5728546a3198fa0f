/**
 * The per-instance state generated bindings run against: the guest's memory views, its
 * `cabi_realloc`, the handle table, the call guards of the canonical ABI, and thin methods over
 * the codecs of `string.ts`/`memory.ts`/`numbers.ts`. Generated code holds one `CoreInstance` in a
 * variable typed by this class, so every method call is monomorphic.
 *
 * @module
 */
import { ComponentError, trap, Trap } from './errors.js';
import {
  checkListRange,
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
  MemoryViews,
  reallocChecked,
  type MemoryLike,
  type Realloc,
} from './memory.js';
import { f32ToI32, f64ToI64, i32ToF32, i64ToF64, liftChar } from './numbers.js';
import { HandleTable, ResourceTable } from './resources.js';
import {
  latin1Utf16Decode,
  latin1Utf16Encode,
  loweredLen,
  utf16Decode,
  utf16Encode,
  utf8Decode,
  utf8Encode,
} from './string.js';

/** The core exports a binding needs from an instance (a real `WebAssembly.Instance` or not). */
export interface CoreExportsLike {
  readonly memory?: MemoryLike | unknown;
  readonly cabi_realloc?: Realloc | unknown;
  readonly [name: string]: unknown;
}

const NO_REALLOC: Realloc = () => trap('the guest has no `cabi_realloc` export');

/** Base class of objects that stand for a guest-defined resource on the host side. */
export class GuestResource {
  /** The resource's rep inside the guest; -1 once dropped or moved. */
  _rep = -1;
  /** True for a borrow lifted from the guest (valid only during that call). */
  _borrowed = false;
}

/** State of one instance of a core module or component. */
export class CoreInstance {
  /** Views over the guest memory; refreshed after anything that may grow it. */
  mem: MemoryViews;
  /** Length that goes with the pointer returned by the last lowering of a string or list. */
  len = 0;
  /** Handles of resources held by the guest (one table per instance). */
  readonly handles = new HandleTable();
  /** Host objects lowered into the guest, by rep. */
  readonly hostObjects = new ResourceTable<object>();
  #realloc: Realloc = NO_REALLOC;
  /** definitions.py `may_leave`: false while realloc or post-return runs. */
  mayLeave = true;
  /** True while a call into the guest is active (reentrance traps). */
  inCall = false;
  /** Set once the instance trapped; every later call traps. */
  poisoned: unknown = undefined;
  /** Borrow scope of the current export call. */
  scope = -1;

  constructor() {
    this.mem = new MemoryViews({ buffer: new ArrayBuffer(0) });
  }

  /** Binds the instance's memory and realloc (called once, right after instantiation). */
  bind(exports: CoreExportsLike): void {
    const memory = exports.memory as MemoryLike | undefined;
    if (memory && typeof memory === 'object' && 'buffer' in memory) {
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      this.mem = new MemoryViews(memory, shared);
    }
    const realloc = exports.cabi_realloc;
    if (typeof realloc === 'function') this.#realloc = realloc as Realloc;
  }

  /** Starts a call from the host into the guest. Traps on a poisoned instance or reentrance. */
  enter(): void {
    if (this.poisoned !== undefined) trap('the instance trapped earlier and cannot be used');
    if (this.inCall) trap('cannot enter the instance: a call into it is already active (reentrance)');
    this.inCall = true;
    this.scope = this.handles.enterScope();
  }

  /** Ends a call started with {@link enter}; traps if the guest kept borrow handles. */
  leave(): void {
    this.inCall = false;
    const s = this.scope;
    this.scope = -1;
    this.handles.exitScope(s);
  }

  /** Records that a call failed with a trap or a foreign exception: the instance is poisoned. */
  fail(e: unknown): void {
    this.inCall = false;
    this.poisoned = e;
  }

  /**
   * Called with whatever a call into the guest threw. A `ComponentError` (a `result`'s `err`) is
   * the function's answer, so it passes through; anything else (a trap, a host import throwing)
   * poisons the instance, as the canonical ABI requires after a trap.
   */
  abort(e: unknown): unknown {
    if (!(e instanceof ComponentError)) this.fail(e);
    else this.inCall = false;
    return e;
  }

  /** The guest called an import while `may_leave` is false (from realloc or post-return). */
  checkLeave(): void {
    if (!this.mayLeave) trap('cannot leave the instance during realloc or post-return');
  }

  /** `realloc(0, 0, align, size)`, checked (definitions.py: alignment and bounds after every call). */
  alloc(align: number, size: number): number {
    this.mayLeave = false;
    try {
      return reallocChecked(this.#realloc, this.mem, 0, 0, align, size, 'realloc result');
    } finally {
      this.mayLeave = true;
    }
  }

  /** Checks a spilled tuple / return pointer: aligned and `size` bytes in bounds. */
  checkPointer(ptr: number, align: number, size: number): number {
    ptr >>>= 0;
    if ((ptr & (align - 1)) !== 0) trap('pointer misaligned');
    if (ptr + size > this.mem.u8.length) trap('pointer out of bounds');
    return ptr;
  }

  /** Checks a list's range before reading (length limit, alignment, bounds); returns the pointer. */
  checkList(ptr: number, len: number, size: number, align: number): number {
    return checkListRange(this.mem, ptr, len, size, align);
  }

  badDiscriminant(d: number): never {
    return trap(`invalid discriminant ${d >>> 0}`);
  }

  liftChar(i: number): string {
    return liftChar(i);
  }

  f32ToI32(f: number): number {
    return f32ToI32(f);
  }
  i32ToF32(i: number): number {
    return i32ToF32(i);
  }
  f64ToI64(f: number): bigint {
    return f64ToI64(f);
  }
  i64ToF64(i: bigint): number {
    return i64ToF64(i);
  }

  // Strings -----------------------------------------------------------------------------------

  lowerStringUtf8(s: string): number {
    this.mayLeave = false;
    try {
      const p = utf8Encode(s, this.#realloc, this.mem, 'string');
      this.len = loweredLen();
      return p;
    } finally {
      this.mayLeave = true;
    }
  }
  lowerStringUtf16(s: string): number {
    this.mayLeave = false;
    try {
      const p = utf16Encode(s, this.#realloc, this.mem, 'string');
      this.len = loweredLen();
      return p;
    } finally {
      this.mayLeave = true;
    }
  }
  lowerStringLatin1Utf16(s: string): number {
    this.mayLeave = false;
    try {
      const p = latin1Utf16Encode(s, this.#realloc, this.mem, 'string');
      this.len = loweredLen();
      return p;
    } finally {
      this.mayLeave = true;
    }
  }
  liftStringUtf8(ptr: number, len: number): string {
    return utf8Decode(this.mem.u8, ptr, len);
  }
  liftStringUtf16(ptr: number, len: number): string {
    return utf16Decode(this.mem.u8, ptr, len);
  }
  liftStringLatin1Utf16(ptr: number, len: number): string {
    return latin1Utf16Decode(this.mem.u8, ptr, len);
  }

  // Numeric lists (bulk copies) ----------------------------------------------------------------

  #lowerList<A extends Parameters<typeof lowerNumList>[1]>(kind: Parameters<typeof lowerNumList>[0], v: A): number {
    this.mayLeave = false;
    try {
      const p = lowerNumList(kind, v, this.#realloc, this.mem, 'list');
      this.len = v.length;
      return p;
    } finally {
      this.mayLeave = true;
    }
  }
  lowerList_u8(v: Uint8Array | readonly number[]): number {
    return this.#lowerList(LIST_U8, v);
  }
  lowerList_s8(v: Int8Array | readonly number[]): number {
    return this.#lowerList(LIST_S8, v);
  }
  lowerList_u16(v: Uint16Array | readonly number[]): number {
    return this.#lowerList(LIST_U16, v);
  }
  lowerList_s16(v: Int16Array | readonly number[]): number {
    return this.#lowerList(LIST_S16, v);
  }
  lowerList_u32(v: Uint32Array | readonly number[]): number {
    return this.#lowerList(LIST_U32, v);
  }
  lowerList_s32(v: Int32Array | readonly number[]): number {
    return this.#lowerList(LIST_S32, v);
  }
  lowerList_u64(v: BigUint64Array | readonly bigint[]): number {
    return this.#lowerList(LIST_U64, v);
  }
  lowerList_s64(v: BigInt64Array | readonly bigint[]): number {
    return this.#lowerList(LIST_S64, v);
  }
  lowerList_f32(v: Float32Array | readonly number[]): number {
    return this.#lowerList(LIST_F32, v);
  }
  lowerList_f64(v: Float64Array | readonly number[]): number {
    return this.#lowerList(LIST_F64, v);
  }
  liftList_u8(ptr: number, len: number): Uint8Array {
    return liftNumList(LIST_U8, this.mem, ptr, len);
  }
  liftList_s8(ptr: number, len: number): Int8Array {
    return liftNumList(LIST_S8, this.mem, ptr, len);
  }
  liftList_u16(ptr: number, len: number): Uint16Array {
    return liftNumList(LIST_U16, this.mem, ptr, len);
  }
  liftList_s16(ptr: number, len: number): Int16Array {
    return liftNumList(LIST_S16, this.mem, ptr, len);
  }
  liftList_u32(ptr: number, len: number): Uint32Array {
    return liftNumList(LIST_U32, this.mem, ptr, len);
  }
  liftList_s32(ptr: number, len: number): Int32Array {
    return liftNumList(LIST_S32, this.mem, ptr, len);
  }
  liftList_u64(ptr: number, len: number): BigUint64Array {
    return liftNumList(LIST_U64, this.mem, ptr, len);
  }
  liftList_s64(ptr: number, len: number): BigInt64Array {
    return liftNumList(LIST_S64, this.mem, ptr, len);
  }
  liftList_f32(ptr: number, len: number): Float32Array {
    return liftNumList(LIST_F32, this.mem, ptr, len);
  }
  liftList_f64(ptr: number, len: number): Float64Array {
    return liftNumList(LIST_F64, this.mem, ptr, len);
  }

  // Resources ---------------------------------------------------------------------------------

  /**
   * Lowers an owned resource into the guest (definitions.py `lower_own`). A guest-defined resource
   * object gives up its rep (it is moved); a host object gets (or keeps) a rep in `hostObjects`.
   */
  lowerOwn(obj: object, rt: number, guestDefined: boolean): number {
    if (guestDefined) {
      const r = obj as GuestResource;
      if (!(r instanceof GuestResource) || r._rep < 0) throw new TypeError('expected a live resource, got a disposed one');
      if (r._borrowed) throw new TypeError('a borrowed resource cannot be passed as `own`');
      const rep = r._rep;
      r._rep = -1;
      return this.handles.lowerOwn(rep, rt);
    }
    return this.handles.lowerOwn(this.hostObjects.repOf(obj), rt);
  }

  /** Lowers a borrowed resource (definitions.py `lower_borrow`). */
  lowerBorrow(obj: object, rt: number, guestDefined: boolean): number {
    if (guestDefined) {
      const r = obj as GuestResource;
      if (!(r instanceof GuestResource) || r._rep < 0) throw new TypeError('expected a live resource, got a disposed one');
      // The guest implements the type: it receives the rep itself.
      return r._rep;
    }
    return this.handles.lowerBorrow(this.hostObjects.repOf(obj), rt, this.scope);
  }

  /** Lifts an owned handle from the guest (definitions.py `lift_own`). */
  liftOwn(i: number, rt: number, guestDefined: boolean, cls: abstract new (...a: never[]) => object): object {
    const rep = this.handles.liftOwn(i, rt);
    if (guestDefined) {
      const obj = Object.create(cls.prototype as object) as GuestResource;
      obj._rep = rep;
      obj._borrowed = false;
      return obj;
    }
    return this.hostObjects.get(rep);
  }

  /** Lifts a borrowed handle from the guest (definitions.py `lift_borrow`). */
  liftBorrow(i: number, rt: number, guestDefined: boolean, cls: abstract new (...a: never[]) => object): object {
    const rep = this.handles.liftBorrow(i, rt);
    if (guestDefined) {
      const obj = Object.create(cls.prototype as object) as GuestResource;
      obj._rep = rep;
      obj._borrowed = true;
      return obj;
    }
    return this.hostObjects.get(rep);
  }
}

/** Converts anything thrown inside a call into the error the caller sees. */
export function isTrap(e: unknown): e is Trap {
  return e instanceof Trap;
}
