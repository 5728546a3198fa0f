/**
 * The per-instance state generated bindings run against: the guest's memory views, its
 * `cabi_realloc`, the handle table, the call guards of the canonical ABI, and thin methods over
 * the codecs of `string.ts`/`memory.ts`/`numbers.ts`. Generated code holds one `CoreInstance` in a
 * variable typed by this class, so every method call is monomorphic.
 *
 * @module
 */
import { ComponentError, isValueError, renderValue, trap, Trap, valueError } from './errors.js';
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
  listTooLong,
  LITTLE_ENDIAN,
  MAX_LIST_BYTE_LENGTH,
  MemoryViews,
  swapBytes,
  type NumericArray,
  type NumListKind,
  reallocChecked,
  type MemoryLike,
  type Realloc,
} from './memory.js';
import { canonNaN, f32ToI32, f64ToI64, i32ToF32, i64ToF64, liftChar } from './numbers.js';
import { HandleTable, ResourceTable } from './resources.js';
import {
  latin1Utf16Decode,
  latin1Utf16EncodeValid,
  loweredLen,
  utf16Decode,
  utf16EncodeValid,
  utf8Decode,
  utf8EncodeValid,
} from './string.js';

/** The core exports a binding needs from an instance (a real `WebAssembly.Instance` or not). */
export interface CoreExportsLike {
  readonly memory?: MemoryLike | unknown;
  readonly cabi_realloc?: Realloc | unknown;
  readonly [name: string]: unknown;
}

const NO_REALLOC: Realloc = () => trap('the guest has no `cabi_realloc` export');

/** `GuestResource._rep` of a resource whose handle was dropped with `[Symbol.dispose]()`. */
export const DISPOSED = -1;
/** `GuestResource._rep` of a resource passed to the guest as `own` (ownership moved). */
export const MOVED = -2;

/**
 * Base class of the classes generated for guest-defined (exported) resources. An object stands
 * for the host's handle to one resource of one instance; generated classes are per instance.
 */
export class GuestResource {
  /** The resource's rep inside the guest; {@link DISPOSED} or {@link MOVED} once unusable. */
  _rep = DISPOSED;
  /** True for a borrow lifted from the guest (valid only during that call). */
  _borrowed = false;
  /** The number of the last call ({@link CoreInstance.calls}) that lent it to the guest as a borrow. */
  _lent = -1;
}

/**
 * Throws the `TypeError` for a guest resource that can no longer be used (`what` names the
 * place: an argument path or `Class.method`).
 */
export function deadResource(obj: GuestResource, what: string): never {
  const name = resourceName(obj);
  if (obj._rep === MOVED) {
    throw valueError(
      new TypeError(`${what}: the ${name} was moved into the guest (passed as an owned handle) and can no longer be used`),
    );
  }
  if (obj._borrowed && obj._rep >= 0) {
    throw valueError(new TypeError(`${what}: a borrowed ${name} cannot be passed as an owned handle`));
  }
  if (obj._borrowed) {
    throw valueError(new TypeError(`${what}: the borrowed ${name} was used after the call that lent it returned`));
  }
  throw valueError(new TypeError(`${what}: the ${name} was disposed`));
}

/**
 * The host passed one guest resource both as an owned handle and as a borrow (or as two owned
 * handles) in one call: ownership moves into the guest, so it cannot also be lent, nor moved
 * twice. Found while lowering (the arguments were each valid on their own).
 */
function passedTwice(obj: GuestResource): never {
  const name = resourceName(obj);
  throw valueError(
    new TypeError(
      `the ${name} is passed to the guest as an owned handle and again in the same call (as a borrow or owned handle); ownership moves into the guest, so it cannot also be lent or moved twice`,
    ),
  );
}

function resourceName(obj: object): string {
  const ctor = (Object.getPrototypeOf(obj) as { constructor?: { name?: unknown } } | null)?.constructor;
  return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'resource';
}

/** `Symbol.dispose` where the engine has it (typed without TypeScript's `esnext.disposable` lib). */
const DISPOSE = (Symbol as { readonly dispose?: symbol }).dispose;

/** Value of the finalization registry: rep and resource type packed in one number (no allocation). */
const RT_SPAN = 0x1_0000;

/** {@link CoreInstance.state}: the guest is in a host import. */
export const IN_IMPORT = 1;
/** {@link CoreInstance.state}: the active call has a borrow scope to close or lent a guest resource. */
const CLEANUP = 2;
/** {@link CoreInstance.state}: the instance trapped. */
const POISONED = 4;

/** {@link CoreInstance.enter} on an instance that is poisoned or already in a call. */
function enterRefused(st: CoreInstance): void {
  if (st.poisoned !== undefined) trap('the instance trapped earlier and cannot be used');
  if (st.state & (IN_IMPORT | CLEANUP)) trap('cannot enter the instance: a call into it is already active (reentrance)');
}

/** {@link CoreInstance.leave} when the call has cleanup to do or the instance was poisoned during it. */
function leaveSlow(st: CoreInstance): void {
  if (st.state & CLEANUP) {
    st.state &= ~CLEANUP;
    st.calls++;
  }
  const s = st.scope;
  if (s >= 0) {
    st.scope = -1;
    st.handles.exitScope(s);
  }
  if (st.poisoned !== undefined) throw st.poisoned;
}

/** {@link CoreInstance.leaveImport}: the borrowed objects of the import call that ended die. */
function endLends(objs: GuestResource[]): void {
  for (const o of objs) o._rep = DISPOSED;
  objs.length = 0;
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
  /**
   * Per resource type index: the class host values of that type must be instances of — the
   * generated (per-instance) class of a guest-defined resource, or the host's class.
   */
  readonly classes: (abstract new (...args: never[]) => object)[] = [];
  /** Per guest-defined resource type index: the guest's destructor export (`<key>#[dtor]r`). */
  readonly dtors: (((rep: number) => unknown) | undefined)[] = [];
  /** Leak backstop: runs the destructor of guest resources the host forgot to dispose. */
  #registry: FinalizationRegistry<number> | undefined;
  #realloc: Realloc = NO_REALLOC;
  /** definitions.py `may_leave`: false while realloc or post-return runs. */
  mayLeave = true;
  /**
   * The call guards in one word, so that a call from the host into the guest tests one field on
   * entry and one on exit, and stores nothing: {@link IN_IMPORT} while the guest is in a host
   * import (the only way host code runs while the guest is on the stack, so a call into the
   * instance then is reentrance, which traps), {@link CLEANUP} once the current call opened a
   * borrow scope or lent a guest resource (its exit has work to do), {@link POISONED} once the
   * instance trapped. `enter` and `leave` take their slow paths only when the word is not 0.
   */
  state = 0;
  /** The trap that poisoned the instance (set with {@link POISONED}); every later call traps. */
  poisoned: unknown = undefined;
  /**
   * Epoch of guest-resource lending: a borrow lent to the guest is stamped with it, and it moves
   * on at the end of each call that lent something; tells the borrows of the current call apart
   * ({@link lowerOwnGuest}).
   */
  calls = 0;
  /**
   * Borrow scope of the current export call, opened lazily by the first borrow lowered in it
   * (most calls lower none, and opening and closing a scope costs more than the rest of a
   * small call); -1 while none is open.
   */
  scope = -1;

  /** True while host code runs inside a call into the guest (the guest called a host import). */
  get inImport(): boolean {
    return (this.state & IN_IMPORT) !== 0;
  }

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

  /** The realloc lowerings call (component glue swaps it for functions whose options name another). */
  get realloc(): Realloc {
    return this.#realloc;
  }
  set realloc(r: Realloc) {
    this.#realloc = r;
  }

  /**
   * Starts a call from the host into the guest (the runtime's own calls: destructors, component
   * adapters). Traps on a poisoned instance or reentrance (the guest is in a host import).
   */
  enter(): void {
    if (this.state !== 0) this.refused();
  }

  /**
   * {@link enter}'s slow path: traps on a poisoned instance or reentrance. Generated functions
   * write the guard out, `if (st.state !== 0) st.refused();` — as a call, even one V8 inlines, it
   * counts against the inlining budget of the caller's caller, and a call of a few nanoseconds
   * then stops being inlined into the user's loop.
   */
  refused(): void {
    enterRefused(this);
  }

  /**
   * Ends a call started with {@link enter}: closes the call's borrow scope (trapping if the guest
   * kept borrow handles), and rethrows the trap of an import that failed during the call if the
   * guest caught it and returned anyway (wasm exception handling catches what a host function
   * throws; see {@link importFailed}).
   */
  leave(): void {
    if (this.state !== 0) this.settle();
  }

  /** {@link leave}'s slow path (generated functions write out `if (st.state !== 0) st.settle();`). */
  settle(): void {
    leaveSlow(this);
  }

  /**
   * Called on entry to a host import the guest called (a generated import wrapper, or an
   * adapter to another component): traps if the instance trapped earlier (a guest that caught
   * the trap of an import goes on running) or if `may_leave` is false (the guest is in realloc
   * or post-return); then marks the instance as in an import (a call into it now is reentrance).
   * Returns the mark of the handle table's lends, for {@link leaveImport}.
   */
  enterImport(): number {
    this.checkLeave();
    this.state |= IN_IMPORT;
    return this.handles.lendMark();
  }

  /**
   * Ends a host import started with {@link enterImport} (in a `finally`): the guest's lends end,
   * and the objects that stood for guest resources it lent (`borrow<R>` arguments) die, so a host
   * that kept one gets a `TypeError` instead of reaching a rep the guest may have freed.
   */
  leaveImport(mark: number): void {
    this.state &= ~IN_IMPORT;
    this.handles.releaseLends(mark);
    if (this.#lentToHost.length !== 0) endLends(this.#lentToHost);
  }

  /** Objects lifted from `borrow<R>` arguments of the current import call (guest-defined `R`). */
  readonly #lentToHost: GuestResource[] = [];

  /** The borrow scope of the current call, opened on first use (lowering a borrowed host handle). */
  openScope(): number {
    if (this.scope >= 0) return this.scope;
    this.state |= CLEANUP;
    return (this.scope = this.handles.enterScope());
  }

  /** Records that this call lent a guest resource: its exit moves the lending epoch on. */
  #lent(): number {
    this.state |= CLEANUP;
    return this.calls;
  }

  /** Marks the instance poisoned by `e` (the first trap wins). */
  #poison(e: unknown): void {
    if (this.poisoned === undefined) {
      this.poisoned = e;
      this.state |= POISONED;
    }
  }

  /**
   * The post-return of the current export call while its results are being lifted, and its
   * argument: if lifting fails, {@link fail} still runs it once, so the guest frees what it
   * returned even though the instance is then unusable.
   */
  postFn: ((ret: never) => unknown) | undefined = undefined;
  postArg: unknown = undefined;

  /** Records that a call failed with a trap or a foreign exception: the instance is poisoned. */
  fail(e: unknown): void {
    this.#poison(e);
    const post = this.postFn;
    if (post !== undefined) {
      this.postFn = undefined;
      this.mayLeave = false;
      try {
        post(this.postArg as never);
      } catch {
        // The instance already failed with `e`; a second failure adds nothing.
      }
    }
    // A trap in realloc or post-return left it false.
    this.mayLeave = true;
  }

  /**
   * Called by an import wrapper (the guest called the host) with whatever it threw: a trap of the
   * bindings (lifting the guest's arguments, lowering the result), a wrong value returned by the
   * host (passed through as it is: it names the result's path), or an exception thrown by the host
   * implementation (anything else) — which becomes a {@link Trap} naming the import (`name`, its WIT name), with
   * the exception as `cause`: a host function cannot throw through a component (only a
   * `ComponentError` from an import returning `result` is an answer, and the wrapper already
   * turned that into `err`). The instance is poisoned at once, not when the exception reaches
   * the export: a guest may catch it (wasm exception handling catches what host functions
   * throw) and go on, but every later import, built-in and call refuses, and the export that is
   * running still fails with it ({@link leave}). Returns the error to throw.
   */
  importFailed(e: unknown, name: string): unknown {
    let err = e;
    // A trap (the bindings' or the engine's: realloc may execute `unreachable`) stays what it is.
    if (!(e instanceof WebAssembly.RuntimeError) && !isValueError(e)) {
      const what = e instanceof Error ? `${e.name}: ${e.message}` : renderValue(e);
      const hint = e instanceof ComponentError ? ' (only an import whose result is a `result` may throw ComponentError)' : '';
      err = new Trap(`the host import \`${name}\` threw ${what}${hint}`, { cause: e });
    }
    this.#poison(err);
    return err;
  }

  /**
   * Called with whatever a call into the guest threw (generated functions throw a `result`'s
   * `err` after their `try`, so it never gets here): a trap, a host import throwing, a value
   * error found while lowering. It poisons the instance, as the canonical ABI requires after a
   * trap. Returns `e`, to rethrow.
   */
  abort(e: unknown): unknown {
    this.fail(e);
    return e;
  }

  /**
   * Called on entry to every import and built-in the guest calls: traps if the instance trapped
   * earlier (a guest that caught the trap of an import goes on running) or if `may_leave` is
   * false (the guest is in realloc or post-return).
   */
  checkLeave(): void {
    if (this.poisoned !== undefined) trap('the instance trapped earlier and cannot be used');
    if (!this.mayLeave) trap('cannot leave the instance during realloc or post-return');
  }

  /** `realloc(0, 0, align, size)`, checked (definitions.py: alignment and bounds after every call). */
  alloc(align: number, size: number): number {
    // may_leave is cleared around realloc without a try/finally: a throw here (a trap, or a
    // foreign exception out of realloc) fails the call, and `fail` sets it again.
    this.mayLeave = false;
    const p = reallocChecked(this.#realloc, this.mem, 0, 0, align, size, 'realloc result');
    this.mayLeave = true;
    return p;
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

  /** A lifted `f32`/`f64`: any NaN becomes the canonical NaN (definitions.py `canonicalize_nan32/64`). */
  canonNaN(f: number): number {
    return canonNaN(f);
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
  // Lowering takes strings the generated code has already validated (`isUsvString`).

  lowerStringUtf8(s: string): number {
    this.mayLeave = false; // (no try/finally: see alloc)
    const p = utf8EncodeValid(s, this.#realloc, this.mem);
    this.mayLeave = true;
    this.len = loweredLen();
    return p;
  }
  lowerStringUtf16(s: string): number {
    this.mayLeave = false; // (no try/finally: see alloc)
    const p = utf16EncodeValid(s, this.#realloc, this.mem);
    this.mayLeave = true;
    this.len = loweredLen();
    return p;
  }
  lowerStringLatin1Utf16(s: string): number {
    this.mayLeave = false; // (no try/finally: see alloc)
    const p = latin1Utf16EncodeValid(s, this.#realloc, this.mem);
    this.mayLeave = true;
    this.len = loweredLen();
    return p;
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

  // Each kind has its own method so that every call site sees constant sizes and one typed-array
  // class (V8 folds them once inlined); the u8 pair is written out, being the most common and
  // the cheapest (no alignment, no second view). Same checks and order as `lowerNumListValid` /
  // `liftNumList` in memory.ts (definitions.py `store_list_into_range` /
  // `load_list_from_range`): length limit, realloc (called even for an empty list), alignment
  // and bounds of its result; on lifting, length limit, alignment and bounds.

  /** Lowers a validated numeric list; sets `len`. See {@link lowerNumListValid}. */
  #lowerList(kind: NumListKind<NumericArray>, v: NumericArray | readonly unknown[]): number {
    const len = v.length;
    const size = kind.size;
    const bytes = len * size;
    if (bytes > MAX_LIST_BYTE_LENGTH) listTooLong(kind, len);
    this.mayLeave = false; // (no try/finally: see alloc)
    const ptr = this.#realloc(0, 0, size, bytes) >>> 0;
    this.mayLeave = true;
    const mem = this.mem;
    mem.refresh();
    if ((ptr & (size - 1)) !== 0) trap('list misaligned');
    if (ptr + bytes > mem.u8.length) trap('list out of bounds');
    if (v instanceof kind.ctor) {
      mem.u8.set(new Uint8Array(v.buffer, v.byteOffset, bytes), ptr);
    } else {
      // Plain array, already validated: the typed-array store converts and writes every element.
      (new kind.ctor(mem.buffer, ptr, len) as unknown as { set(a: ArrayLike<unknown>): void }).set(
        v as readonly unknown[],
      );
    }
    if (!LITTLE_ENDIAN && size > 1) swapBytes(mem.u8, ptr, bytes, size);
    this.len = len;
    return ptr;
  }
  lowerList_u8(v: Uint8Array | readonly number[]): number {
    const len = v.length;
    if (len > MAX_LIST_BYTE_LENGTH) listTooLong(LIST_U8, len);
    this.mayLeave = false; // (no try/finally: see alloc)
    const ptr = this.#realloc(0, 0, 1, len) >>> 0;
    this.mayLeave = true;
    const mem = this.mem;
    mem.refresh();
    if (ptr + len > mem.u8.length) trap('list out of bounds');
    mem.u8.set(v, ptr); // a validated plain array converts element by element
    this.len = len;
    return ptr;
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

  /** Lifts a numeric list as a copy. See {@link liftNumList}. */
  #liftList<A extends NumericArray>(kind: NumListKind<A>, ptr: number, len: number): A {
    ptr >>>= 0;
    len >>>= 0;
    const size = kind.size;
    const bytes = len * size;
    if (bytes > MAX_LIST_BYTE_LENGTH) trap('list too long');
    if ((ptr & (size - 1)) !== 0) trap('list misaligned');
    const mem = this.mem;
    if (ptr + bytes > mem.u8.length) trap('list out of bounds');
    const copy = (new kind.ctor(mem.buffer, ptr, len) as NumericArray).slice() as A;
    if (!LITTLE_ENDIAN && size > 1) swapBytes(new Uint8Array(copy.buffer), 0, bytes, size);
    return copy;
  }
  /** {@link #liftList} of a float list: any NaN becomes the canonical NaN. */
  #liftFloats<A extends Float32Array | Float64Array>(kind: NumListKind<A>, ptr: number, len: number): A {
    const f = this.#liftList(kind, ptr, len);
    for (let i = 0; i < f.length; i++) if (f[i] !== f[i]) f[i] = NaN;
    return f;
  }
  liftList_u8(ptr: number, len: number): Uint8Array {
    ptr >>>= 0;
    len >>>= 0;
    if (len > MAX_LIST_BYTE_LENGTH) trap('list too long');
    const u8 = this.mem.u8;
    if (ptr + len > u8.length) trap('list out of bounds');
    return u8.slice(ptr, ptr + len);
  }
  liftList_s8(ptr: number, len: number): Int8Array {
    return this.#liftList(LIST_S8, ptr, len);
  }
  liftList_u16(ptr: number, len: number): Uint16Array {
    return this.#liftList(LIST_U16, ptr, len);
  }
  liftList_s16(ptr: number, len: number): Int16Array {
    return this.#liftList(LIST_S16, ptr, len);
  }
  liftList_u32(ptr: number, len: number): Uint32Array {
    return this.#liftList(LIST_U32, ptr, len);
  }
  liftList_s32(ptr: number, len: number): Int32Array {
    return this.#liftList(LIST_S32, ptr, len);
  }
  liftList_u64(ptr: number, len: number): BigUint64Array {
    return this.#liftList(LIST_U64, ptr, len);
  }
  liftList_s64(ptr: number, len: number): BigInt64Array {
    return this.#liftList(LIST_S64, ptr, len);
  }
  liftList_f32(ptr: number, len: number): Float32Array {
    return this.#liftFloats(LIST_F32, ptr, len);
  }
  liftList_f64(ptr: number, len: number): Float64Array {
    return this.#liftFloats(LIST_F64, ptr, len);
  }

  // Resources ---------------------------------------------------------------------------------
  //
  // A guest-defined resource reaches the host as an object of its generated class holding the
  // rep (the host's handle to it); a host-defined one is any object of the host's class, given a
  // rep in `hostObjects` for as long as the guest holds handles to it.

  /** Whether `x` is an instance of the class of resource type `rt`. */
  isResource(x: unknown, rt: number): boolean {
    return x instanceof this.classes[rt]!;
  }

  /**
   * Lowers an owned guest-defined resource (definitions.py `lower_own`): the object gives up its
   * rep. The arguments were validated one by one; one object passed twice in the call (moved
   * already, or lent by an earlier borrow argument) is found here.
   */
  lowerOwnGuest(value: object, rt: number): number {
    const obj = value as GuestResource;
    const rep = obj._rep;
    if (rep < 0 || obj._lent === this.calls) passedTwice(obj);
    obj._rep = MOVED;
    this.#registry?.unregister(obj);
    return this.handles.lowerOwn(rep, rt);
  }

  /**
   * Lowers a borrowed guest-defined resource: the guest implements the type, so it gets the rep
   * itself (no handle; definitions.py `lower_borrow`). An object moved earlier in the same call
   * has no rep to lend any more.
   */
  lowerBorrowGuest(value: object): number {
    const obj = value as GuestResource;
    const rep = obj._rep;
    if (rep < 0) passedTwice(obj);
    obj._lent = this.#lent();
    return rep;
  }

  /**
   * Throws the `TypeError` for one guest resource passed as an owned handle and again in the
   * same call (generated functions check their parameters for it before anything is lowered).
   */
  passedTwice(obj: object): never {
    return passedTwice(obj as GuestResource);
  }

  /** Lowers an owned host object: a new own handle to its rep. */
  lowerOwnHost(obj: object, rt: number): number {
    return this.handles.lowerOwn(this.hostObjects.acquire(obj), rt);
  }

  /** Lowers a borrowed host object: a borrow handle in the current call's scope. */
  lowerBorrowHost(obj: object, rt: number): number {
    return this.handles.lowerBorrow(this.hostObjects.acquire(obj), rt, this.openScope());
  }

  /** Lifts an owned guest-defined resource (definitions.py `lift_own`) into a new object of its class. */
  liftOwnGuest(i: number, rt: number): object {
    const obj = Object.create(this.classes[rt]!.prototype as object) as GuestResource;
    obj._borrowed = false;
    obj._lent = -1;
    this.adoptOwn(obj, i, rt);
    return obj;
  }

  /** Lifts an owned handle into `target` (a generated constructor's `this`). */
  adoptOwn(value: object, i: number, rt: number): void {
    const target = value as GuestResource;
    const rep = this.handles.liftOwn(i, rt);
    target._rep = rep;
    if (typeof FinalizationRegistry === 'function') {
      this.#registry ??= new FinalizationRegistry((v: number) => this.#finalize(v));
      this.#registry.register(target, rep * RT_SPAN + rt, target);
    }
  }

  /** Lifts a borrowed guest-defined resource (definitions.py `lift_borrow`). */
  liftBorrowGuest(i: number, rt: number): object {
    const obj = Object.create(this.classes[rt]!.prototype as object) as GuestResource;
    obj._rep = this.handles.liftBorrow(i, rt);
    obj._borrowed = true;
    obj._lent = -1;
    this.#lentToHost.push(obj);
    return obj;
  }

  /** Lifts an owned host object: the guest gives it back, its handle is gone. */
  liftOwnHost(i: number, rt: number): object {
    return this.hostObjects.release(this.handles.liftOwn(i, rt));
  }

  /** Lifts a borrowed host object: the very object the host lowered. */
  liftBorrowHost(i: number, rt: number): object {
    return this.hostObjects.get(this.handles.liftBorrow(i, rt));
  }

  // The built-ins below are called by the guest: a trap in one poisons the instance at once
  // (importFailed), like a trap in an import.

  /** `canon resource.new` for a guest-defined resource type. */
  resourceNew(rep: number, rt: number): number {
    try {
      this.checkLeave();
      return this.handles.resourceNew(rep, rt);
    } catch (e) {
      throw this.importFailed(e, 'resource.new');
    }
  }

  /** `canon resource.rep` for a guest-defined resource type. */
  resourceRep(i: number, rt: number): number {
    try {
      if (this.poisoned !== undefined) trap('the instance trapped earlier and cannot be used');
      return this.handles.resourceRep(i, rt);
    } catch (e) {
      throw this.importFailed(e, 'resource.rep');
    }
  }

  /** `canon resource.drop` of a guest-defined resource type: an own handle runs the guest's destructor. */
  dropGuestHandle(i: number, rt: number): void {
    let rep: number;
    try {
      this.checkLeave();
      rep = this.handles.resourceDrop(i, rt);
    } catch (e) {
      throw this.importFailed(e, 'resource.drop');
    }
    // The guest's own destructor, called by the guest: whatever it throws is its own.
    if (this.handles.droppedOwn) this.dtors[rt]?.(rep);
  }

  /**
   * `[resource-drop]` of a host-defined resource type: the handle goes; when the guest held the
   * object's last handle and it was an own one, the object's `[Symbol.dispose]()` runs (the host
   * resource's destructor).
   */
  dropHostHandle(i: number, rt: number): void {
    let obj: object;
    let own: boolean;
    try {
      this.checkLeave();
      const rep = this.handles.resourceDrop(i, rt);
      own = this.handles.droppedOwn;
      obj = this.hostObjects.release(rep);
    } catch (e) {
      throw this.importFailed(e, 'resource.drop');
    }
    if (own && !this.hostObjects.has(obj)) {
      const dispose = DISPOSE === undefined ? undefined : (obj as Record<symbol, unknown>)[DISPOSE];
      if (typeof dispose === 'function') {
        // Host code running for the guest: the instance is in an import (calling back into it is reentrance).
        this.state |= IN_IMPORT;
        try {
          (dispose as () => void).call(obj);
        } catch (e) {
          throw this.importFailed(e, `${resourceName(obj)}[Symbol.dispose]()`);
        } finally {
          this.state &= ~IN_IMPORT;
        }
      }
    }
  }

  /**
   * The host drops its handle to a guest resource (`[Symbol.dispose]()` of a generated class):
   * calls the guest's destructor. `what` names the class for messages.
   *
   * Not while a call into the instance is active (from a host import the guest called): the
   * destructor would re-enter the instance, and the resource may be the very one lent to that
   * call. That is refused with a `TypeError` before anything changes, so a host that catches it
   * can dispose later. Once the instance trapped, the resource is simply marked disposed (the
   * instance is gone with everything in it; a `using` block unwinding after a trap must not
   * throw again).
   */
  disposeGuest(value: object, rt: number, what: string): void {
    const obj = value as GuestResource;
    if (obj._rep < 0 || obj._borrowed) {
      if (obj._borrowed && obj._rep >= 0) throw new TypeError(`${what}: a borrowed resource cannot be disposed by the host`);
      deadResource(obj, what);
    }
    const dtor = this.dtors[rt];
    if (dtor !== undefined && this.inImport && this.poisoned === undefined) {
      throw new TypeError(
        `${what}: cannot be disposed while a call into its instance is active (its destructor would re-enter the instance, and it may be lent to that call); dispose it after the call returns`,
      );
    }
    const rep = obj._rep;
    obj._rep = DISPOSED;
    this.#registry?.unregister(obj);
    if (dtor === undefined || this.poisoned !== undefined) return;
    this.enter();
    try {
      dtor(rep);
    } catch (e) {
      throw this.abort(e);
    }
    this.leave();
  }

  /** FinalizationRegistry callback: a live guest resource object was garbage-collected. */
  #finalize(v: number): void {
    const rt = v % RT_SPAN;
    const rep = (v - rt) / RT_SPAN;
    const dtor = this.dtors[rt];
    if (dtor === undefined || this.state !== 0) return;
    try {
      this.enter();
      dtor(rep);
      this.leave();
    } catch (e) {
      this.fail(e);
    }
  }
}

/** Converts anything thrown inside a call into the error the caller sees. */
export function isTrap(e: unknown): e is Trap {
  return e instanceof Trap;
}
