/**
 * Resource handles.
 *
 * {@link HandleTable} is a component instance's handle table (CanonicalABI.md § Table State,
 * § Resource State; definitions.py `Table`, `ResourceHandle`, `lift_own`, `lift_borrow`,
 * `lower_own`, `lower_borrow`, `canon_resource_{new,drop,rep}`). {@link ResourceTable} is the
 * host's side for host-implemented resources: JS object ↔ `rep`.
 *
 * Resource types are small positive integers chosen by the generated code (one per resource type
 * the instance sees). `rep`s are `u32`.
 *
 * @module
 */

import { trap } from './errors.js';

/** definitions.py `Table.MAX_LENGTH`: the largest valid handle index, `2^28 - 1`. */
export const MAX_HANDLE_INDEX = 0x0fff_ffff;

/** A debugging snapshot of one handle (see {@link HandleTable.entry}). */
export interface HandleEntry {
  readonly rt: number;
  readonly rep: number;
  readonly own: boolean;
  /** definitions.py `num_lends`. */
  readonly lends: number;
  /** The call scope of a borrow handle ({@link HandleTable.enterScope}); `-1` for own. */
  readonly scope: number;
}

/**
 * A component instance's handle table.
 *
 * Layout: parallel typed arrays indexed by handle (type, rep, lend count, scope) instead of an
 * object per handle, so adding a handle allocates nothing and the table is four flat arrays the
 * GC never scans element by element. Slot 0 is never valid. Freed slots go on a stack and the
 * **last freed slot is reused first** (definitions.py `Table.add` pops `free`).
 *
 * Call scopes replace the spec's task/subtask objects without allocating per call; sync calls
 * nest, so both are stacks:
 *
 * - **Guest → host import** (the host *lifts* borrows from the guest): take
 *   `const m = t.lendMark()` before lifting the arguments; each {@link liftBorrow} increments the
 *   handle's lend count (definitions.py `Subtask.add_lender`); after the host function returned
 *   and its results are lowered, `t.releaseLends(m)` decrements them (`deliver_resolve`).
 * - **Host → guest export** (the host *lowers* borrows into the guest): `const s =
 *   t.enterScope()`; each {@link lowerBorrow} adds a borrow handle counted in scope `s`; the
 *   guest must `resource.drop` each before returning; `t.exitScope(s)` traps if any remain
 *   (definitions.py `Task.return_`: `trap_if(self.num_borrows > 0)`). `exitScope` also discards
 *   scopes nested inside `s` that were never exited (an exception unwound them).
 *
 * `lower_borrow`'s shortcut — when the receiving instance implements the resource type, it gets
 * the `rep` itself and no handle is added — is static, so it is the caller's: only call
 * `lowerBorrow` for resource types the guest does not implement.
 */
export class HandleTable {
  /** Resource type per slot; 0 marks a free slot. */
  private types: Int32Array;
  private reps: Uint32Array;
  private lends: Int32Array;
  /** `-1` for an own handle; the call scope of a borrow handle. */
  private scopes: Int32Array;
  /** definitions.py `len(self.array)` (slot 0 included). */
  private len = 1;
  private readonly free: number[] = [];
  private readonly lent: number[] = [];
  /** Open borrow scopes, innermost last: their ids and borrow counts (`Task.num_borrows`). */
  private readonly scopeIds: number[] = [];
  private readonly scopeBorrows: number[] = [];
  private nextScope = 0;
  private readonly maxIndex: number;

  /** @param maxIndex the largest handle index; only tests lower it from {@link MAX_HANDLE_INDEX}. */
  constructor(maxIndex = MAX_HANDLE_INDEX) {
    this.maxIndex = maxIndex;
    const cap = 16;
    this.types = new Int32Array(cap);
    this.reps = new Uint32Array(cap);
    this.lends = new Int32Array(cap);
    this.scopes = new Int32Array(cap);
  }

  /** The number of live handles. */
  get size(): number {
    return this.len - 1 - this.free.length;
  }

  private grow(): void {
    const cap = this.types.length * 2;
    const types = new Int32Array(cap);
    types.set(this.types);
    this.types = types;
    const reps = new Uint32Array(cap);
    reps.set(this.reps);
    this.reps = reps;
    const lends = new Int32Array(cap);
    lends.set(this.lends);
    this.lends = lends;
    const scopes = new Int32Array(cap);
    scopes.set(this.scopes);
    this.scopes = scopes;
  }

  /** definitions.py `Table.add`. Traps `too many handles` past the maximum index. */
  private add(rt: number, rep: number, scope: number): number {
    let i: number;
    if (this.free.length !== 0) {
      i = this.free.pop()!;
    } else {
      i = this.len;
      if (i > this.maxIndex) trap('too many handles');
      if (i === this.types.length) this.grow();
      this.len = i + 1;
    }
    this.types[i] = rt;
    this.reps[i] = rep;
    this.lends[i] = 0;
    this.scopes[i] = scope;
    return i;
  }

  /**
   * definitions.py `Table.get` plus the resource-type check every user makes: traps
   * `unknown handle` (index 0, past the end, or a free slot) or `handle of the wrong type`.
   * Returns the normalized index.
   */
  private check(i: number, rt: number): number {
    i >>>= 0;
    if (i >= this.len || this.types[i] === 0) trap('unknown handle');
    if (this.types[i] !== rt) trap('handle of the wrong type');
    return i;
  }

  private release(i: number): void {
    this.types[i] = 0;
    this.free.push(i);
  }

  /** definitions.py `lower_own` / `canon resource.new`: adds an owning handle, returns its index. */
  lowerOwn(rep: number, rt: number): number {
    return this.add(rt, rep >>> 0, -1);
  }

  /** `canon resource.new`: the same as {@link lowerOwn}. */
  resourceNew(rep: number, rt: number): number {
    return this.add(rt, rep >>> 0, -1);
  }

  /**
   * definitions.py `lift_own`: *removes* handle `i` and returns its rep. Traps: `unknown handle`,
   * `handle of the wrong type`, `handle is lent` (`num_lends != 0`), `handle is a borrow`.
   */
  liftOwn(i: number, rt: number): number {
    i = this.check(i, rt);
    if (this.lends[i] !== 0) trap('handle is lent');
    if (this.scopes[i] !== -1) trap('handle is a borrow');
    this.release(i);
    return this.reps[i]!;
  }

  /**
   * definitions.py `lift_borrow`: gets handle `i` (own or borrow), checks its type, lends it until
   * {@link releaseLends} and returns its rep.
   */
  liftBorrow(i: number, rt: number): number {
    i = this.check(i, rt);
    this.lends[i]!++;
    this.lent.push(i);
    return this.reps[i]!;
  }

  /** The lend stack position to pass to {@link releaseLends} when the import call ends. */
  lendMark(): number {
    return this.lent.length;
  }

  /** Ends the lends made since `mark` (definitions.py `Subtask.deliver_resolve`). */
  releaseLends(mark: number): void {
    const lent = this.lent;
    while (lent.length > mark) this.lends[lent.pop()!]!--;
  }

  /**
   * Opens a borrow scope for a call into the guest; returns its id for {@link lowerBorrow} and
   * {@link exitScope}. Ids are never reused while a borrow handle could still name them (they
   * count up, wrapping after 2^31 calls), so a borrow handle left over from an abandoned call
   * cannot be charged to a later call's scope.
   */
  enterScope(): number {
    const id = this.nextScope;
    this.nextScope = (id + 1) & 0x7fff_ffff;
    this.scopeIds.push(id);
    this.scopeBorrows.push(0);
    return id;
  }

  /** The stack position of open scope `s`, or -1. Scopes nest, so `s` is nearly always on top. */
  private findScope(s: number): number {
    const ids = this.scopeIds;
    for (let k = ids.length - 1; k >= 0; k--) if (ids[k] === s) return k;
    return -1;
  }

  /**
   * Closes scope `s` and any scope opened inside it and left open (an exception unwound it).
   * Traps `borrowed handles remain at the end of the call` if the guest did not drop every
   * borrow handle of `s`. Closing a scope that is no longer open does nothing.
   */
  exitScope(s: number): void {
    const k = this.findScope(s);
    if (k < 0) return;
    const remaining = this.scopeBorrows[k]!;
    // pop() rather than `length = k`: truncating through `length` measured ≈10× slower in V8.
    while (this.scopeIds.length > k) {
      this.scopeIds.pop();
      this.scopeBorrows.pop();
    }
    if (remaining !== 0) trap('borrowed handles remain at the end of the call');
  }

  /**
   * definitions.py `lower_borrow` (for a resource type the receiver does not implement): adds a
   * borrow handle in open scope `s` and returns its index.
   */
  lowerBorrow(rep: number, rt: number, s: number): number {
    const k = this.findScope(s);
    if (k < 0) throw new RangeError(`no open borrow scope ${s}`);
    const i = this.add(rt, rep >>> 0, s); // may trap; count only a handle that exists
    this.scopeBorrows[k]!++;
    return i;
  }

  /** `canon resource.rep`: the rep of handle `i`; traps like {@link liftBorrow}. */
  resourceRep(i: number, rt: number): number {
    return this.reps[this.check(i, rt)]!;
  }

  /**
   * `canon resource.drop`: removes handle `i` and returns its rep. Traps: `unknown handle`,
   * `handle of the wrong type`, `handle is lent`. Dropping an own handle then calls `dtor(rep)` if
   * given (the resource's destructor); dropping a borrow ends it in its scope. Afterwards
   * {@link droppedOwn} tells which of the two it was.
   */
  resourceDrop(i: number, rt: number, dtor?: (rep: number) => void): number {
    i = this.check(i, rt);
    if (this.lends[i] !== 0) trap('handle is lent');
    this.release(i);
    const scope = this.scopes[i]!;
    const rep = this.reps[i]!;
    this.droppedOwn = scope === -1;
    if (scope === -1) {
      if (dtor !== undefined) dtor(rep);
    } else {
      // definitions.py: h.borrow_scope.num_borrows -= 1 (a closed scope has nothing to count).
      const k = this.findScope(scope);
      if (k >= 0) this.scopeBorrows[k]!--;
    }
    return rep;
  }

  /** Whether the last {@link resourceDrop} removed an own handle (false: a borrow). */
  droppedOwn = false;

  /** A snapshot of handle `i`, or `undefined` if the slot is not in use. For tests and debugging. */
  entry(i: number): HandleEntry | undefined {
    i >>>= 0;
    if (i >= this.len || this.types[i] === 0) return undefined;
    return {
      rt: this.types[i]!,
      rep: this.reps[i]!,
      own: this.scopes[i] === -1,
      lends: this.lends[i]!,
      scope: this.scopes[i]!,
    };
  }
}

/**
 * The host's table for host-implemented resources: gives each JS object lowered into a guest a
 * `rep`, and maps the rep back to **the very same object** when the guest hands it back.
 *
 * Every guest handle that names an object counts as one reference ({@link acquire} when a handle
 * is added, {@link release} when it goes away: the guest drops it, or hands the object back as
 * `own`). While an object has references it keeps its rep, so lowering it twice yields the same
 * rep; when the last reference goes, the entry is removed and the rep becomes free. Reps start at
 * 1; the last freed rep is reused first. The object → rep direction is a `WeakMap`, so no property
 * is added to user objects.
 */
export class ResourceTable<T extends object> {
  private readonly objs: (T | undefined)[] = [undefined];
  private readonly refs: number[] = [0];
  private readonly free: number[] = [];
  private readonly ids = new WeakMap<T, number>();

  /** The number of objects in the table. */
  get size(): number {
    return this.objs.length - 1 - this.free.length;
  }

  /** Adds a reference to `obj` and returns its rep (its current one, else a newly assigned one). */
  acquire(obj: T): number {
    const have = this.ids.get(obj);
    if (have !== undefined) {
      this.refs[have]!++;
      return have;
    }
    let rep: number;
    if (this.free.length !== 0) {
      rep = this.free.pop()!;
      this.objs[rep] = obj;
      this.refs[rep] = 1;
    } else {
      rep = this.objs.push(obj) - 1;
      this.refs.push(1);
      if (rep > 0xffff_ffff) trap('too many host resources');
    }
    this.ids.set(obj, rep);
    return rep;
  }

  /** Whether `obj` is in the table. */
  has(obj: T): boolean {
    return this.ids.has(obj);
  }

  /** The number of references to the object with rep `rep` (0 if none). */
  refCount(rep: number): number {
    return this.objs[rep >>> 0] === undefined ? 0 : this.refs[rep >>> 0]!;
  }

  /** The object with rep `rep`; traps `unknown resource rep` if none. */
  get(rep: number): T {
    const obj = this.objs[rep >>> 0];
    if (obj === undefined) trap('unknown resource rep');
    return obj;
  }

  /**
   * Drops one reference to the object with rep `rep` and returns the object; the entry is
   * removed (and the rep freed) when that was the last one — check with {@link has}. Traps
   * `unknown resource rep` if there is no such object.
   */
  release(rep: number): T {
    rep >>>= 0;
    const obj = this.objs[rep];
    if (obj === undefined) trap('unknown resource rep');
    if (--this.refs[rep]! === 0) {
      this.objs[rep] = undefined;
      this.free.push(rep);
      this.ids.delete(obj);
    }
    return obj;
  }
}
