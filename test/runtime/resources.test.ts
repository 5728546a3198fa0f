import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trapReason } from '../support/outcome.js';
import { Trap } from '../../src/runtime/errors.js';
import { HandleTable, MAX_HANDLE_INDEX, ResourceTable } from '../../src/runtime/resources.js';

const R = 1;
const S = 2;

describe('HandleTable basics', () => {
  it('index 0 is never valid; handles start at 1', () => {
    const t = new HandleTable();
    expect(trapReason(() => t.resourceRep(0, R))).toBe('unknown handle');
    expect(t.lowerOwn(100, R)).toBe(1);
    expect(t.lowerOwn(200, R)).toBe(2);
    expect(t.size).toBe(2);
    expect(t.entry(1)).toEqual({ rt: R, rep: 100, own: true, lends: 0, scope: -1 });
    expect(t.entry(0)).toBeUndefined();
  });

  it('reuses the last freed slot first', () => {
    const t = new HandleTable();
    for (let i = 0; i < 5; i++) t.lowerOwn(i, R);
    t.resourceDrop(2, R);
    t.resourceDrop(4, R);
    t.resourceDrop(3, R);
    expect(t.resourceNew(7, R)).toBe(3);
    expect(t.resourceNew(8, R)).toBe(4);
    expect(t.resourceNew(9, R)).toBe(2);
    expect(t.resourceNew(10, R)).toBe(6);
  });

  it('grows past its initial capacity', () => {
    const t = new HandleTable();
    for (let i = 1; i <= 1000; i++) expect(t.lowerOwn(i * 3, R)).toBe(i);
    for (let i = 1; i <= 1000; i++) expect(t.resourceRep(i, R)).toBe(i * 3);
  });

  it('traps past the maximum index (2^28 - 1 by default)', () => {
    expect(MAX_HANDLE_INDEX).toBe(2 ** 28 - 1);
    const t = new HandleTable(3);
    t.lowerOwn(1, R);
    t.lowerOwn(2, R);
    t.lowerOwn(3, R);
    expect(trapReason(() => t.lowerOwn(4, R))).toBe('too many handles');
    t.resourceDrop(2, R);
    expect(t.lowerOwn(5, R)).toBe(2);
  });

  it('reps are u32 (a negative i32 rep is normalized)', () => {
    const t = new HandleTable();
    const h = t.lowerOwn(-1, R);
    expect(t.resourceRep(h, R)).toBe(2 ** 32 - 1);
  });

  it('get traps: unknown index, free slot, wrong type, negative i32 index', () => {
    const t = new HandleTable();
    const h = t.lowerOwn(1, R);
    expect(trapReason(() => t.resourceRep(h + 1, R))).toBe('unknown handle');
    expect(trapReason(() => t.resourceRep(h, S))).toBe('handle of the wrong type');
    expect(trapReason(() => t.liftBorrow(-1, R))).toBe('unknown handle');
    t.resourceDrop(h, R);
    expect(trapReason(() => t.resourceRep(h, R))).toBe('unknown handle');
    expect(trapReason(() => t.resourceDrop(h, R))).toBe('unknown handle');
  });
});

describe('own handles', () => {
  it('liftOwn removes the handle and returns the rep', () => {
    const t = new HandleTable();
    const h = t.lowerOwn(42, R);
    expect(t.liftOwn(h, R)).toBe(42);
    expect(t.size).toBe(0);
    expect(trapReason(() => t.liftOwn(h, R))).toBe('unknown handle');
  });

  it('liftOwn traps on a wrong type, a lent handle, or a borrow', () => {
    const t = new HandleTable();
    const h = t.lowerOwn(1, R);
    expect(trapReason(() => t.liftOwn(h, S))).toBe('handle of the wrong type');
    const m = t.lendMark();
    t.liftBorrow(h, R);
    expect(trapReason(() => t.liftOwn(h, R))).toBe('handle is lent');
    t.releaseLends(m);
    expect(t.entry(h)!.lends).toBe(0);
    const s = t.enterScope();
    const b = t.lowerBorrow(9, R, s);
    expect(trapReason(() => t.liftOwn(b, R))).toBe('handle is a borrow');
    t.resourceDrop(b, R);
    t.exitScope(s);
    expect(t.liftOwn(h, R)).toBe(1);
  });

  it('resource.drop of an own handle runs the destructor with the rep, after removal', () => {
    const t = new HandleTable();
    const h = t.resourceNew(77, R);
    const seen: number[] = [];
    t.resourceDrop(h, R, (rep) => {
      seen.push(rep);
      expect(t.entry(h)).toBeUndefined();
    });
    expect(seen).toEqual([77]);
    // No destructor: fine.
    t.resourceDrop(t.resourceNew(1, R), R);
  });

  it('resource.drop traps if the handle is lent or of the wrong type; nothing is removed', () => {
    const t = new HandleTable();
    const h = t.lowerOwn(5, R);
    t.liftBorrow(h, R);
    let ran = false;
    expect(trapReason(() => t.resourceDrop(h, R, () => (ran = true)))).toBe('handle is lent');
    expect(trapReason(() => t.resourceDrop(h, S))).toBe('handle of the wrong type');
    expect(ran).toBe(false);
    expect(t.entry(h)).toBeDefined();
  });
});

describe('borrows', () => {
  it('liftBorrow lends own and borrow handles until releaseLends', () => {
    const t = new HandleTable();
    const own = t.lowerOwn(1, R);
    const s = t.enterScope();
    const bor = t.lowerBorrow(2, S, s);
    const m = t.lendMark();
    expect(t.liftBorrow(own, R)).toBe(1);
    expect(t.liftBorrow(own, R)).toBe(1);
    expect(t.liftBorrow(bor, S)).toBe(2);
    expect(t.entry(own)!.lends).toBe(2);
    expect(trapReason(() => t.resourceDrop(bor, S))).toBe('handle is lent');
    t.releaseLends(m);
    expect(t.entry(own)!.lends).toBe(0);
    expect(t.entry(bor)!.lends).toBe(0);
    t.resourceDrop(bor, S);
    t.exitScope(s);
  });

  it('nested import calls release only their own lends', () => {
    const t = new HandleTable();
    const h = t.lowerOwn(1, R);
    const outer = t.lendMark();
    t.liftBorrow(h, R);
    const inner = t.lendMark();
    t.liftBorrow(h, R);
    t.releaseLends(inner);
    expect(t.entry(h)!.lends).toBe(1);
    t.releaseLends(outer);
    expect(t.entry(h)!.lends).toBe(0);
  });

  it('lowerBorrow adds a borrow handle in a scope; exitScope traps if it was not dropped', () => {
    const t = new HandleTable();
    const s = t.enterScope();
    const b = t.lowerBorrow(10, R, s);
    expect(t.entry(b)).toEqual({ rt: R, rep: 10, own: false, lends: 0, scope: s });
    expect(trapReason(() => t.exitScope(s))).toBe('borrowed handles remain at the end of the call');
  });

  it('dropping the borrow ends it (no destructor) and exitScope succeeds', () => {
    const t = new HandleTable();
    const s = t.enterScope();
    const b = t.lowerBorrow(10, R, s);
    let ran = false;
    t.resourceDrop(b, R, () => (ran = true));
    expect(ran).toBe(false);
    expect(() => t.exitScope(s)).not.toThrow();
  });

  it('scopes nest; exitScope discards scopes left open inside it', () => {
    const t = new HandleTable();
    const a = t.enterScope();
    const b = t.enterScope();
    const h = t.lowerBorrow(1, R, b);
    // b was unwound by an exception and never exited; a has no borrows of its own.
    expect(() => t.exitScope(a)).not.toThrow();
    expect(() => t.lowerBorrow(1, R, b)).toThrow(RangeError);
    expect(() => t.exitScope(b)).not.toThrow(); // no longer open: nothing to do
    // The leftover borrow handle of the abandoned scope is not charged to a new call's scope.
    const c = t.enterScope();
    expect(c).not.toBe(a);
    expect(c).not.toBe(b);
    t.resourceDrop(h, R);
    expect(() => t.exitScope(c)).not.toThrow();
    const d = t.enterScope();
    t.lowerBorrow(2, R, d);
    const e = t.enterScope();
    t.exitScope(e);
    expect(() => t.exitScope(d)).toThrow('borrowed handles remain at the end of the call');
  });

  it('lowerBorrow outside an open scope is a host bug (RangeError)', () => {
    const t = new HandleTable();
    expect(() => t.lowerBorrow(1, R, 0)).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Property test against a direct model of definitions.py (Table, ResourceHandle, lift_own,
// lift_borrow, lower_own, lower_borrow, canon resource.drop/rep, Task.return_, deliver_resolve).

class ModelHandle {
  numLends = 0;
  constructor(
    readonly rt: number,
    readonly rep: number,
    readonly own: boolean,
    readonly scope: { numBorrows: number } | null,
  ) {}
}

class ModelTable {
  array: (ModelHandle | null)[] = [null];
  free: number[] = [];
  scopes: { numBorrows: number }[] = [];
  lenders: ModelHandle[][] = [];
  constructor(readonly max: number) {}
  get(i: number): ModelHandle {
    if (i >= this.array.length) throw new Trap('model');
    const h = this.array[i];
    if (h == null) throw new Trap('model');
    return h;
  }
  add(h: ModelHandle): number {
    if (this.free.length) {
      const i = this.free.pop()!;
      this.array[i] = h;
      return i;
    }
    const i = this.array.length;
    if (i > this.max) throw new Trap('model');
    this.array.push(h);
    return i;
  }
  remove(i: number): ModelHandle {
    const h = this.get(i);
    this.array[i] = null;
    this.free.push(i);
    return h;
  }
  // Checks happen before removal here, as in HandleTable; after a trap the instance is dead, so
  // the order is unobservable.
  liftOwn(i: number, rt: number): number {
    const h = this.get(i);
    if (h.rt !== rt || h.numLends !== 0 || !h.own) throw new Trap('model');
    this.remove(i);
    return h.rep;
  }
  liftBorrow(i: number, rt: number): number {
    const h = this.get(i);
    if (h.rt !== rt) throw new Trap('model');
    h.numLends++;
    this.lenders.at(-1)!.push(h);
    return h.rep;
  }
  drop(i: number, rt: number, dtor: (rep: number) => void): void {
    const h = this.get(i);
    if (h.rt !== rt || h.numLends !== 0) throw new Trap('model');
    this.remove(i);
    if (h.own) dtor(h.rep);
    else h.scope!.numBorrows--;
  }
}

type Op =
  | { op: 'lowerOwn'; rep: number; rt: number }
  | { op: 'lowerBorrow'; rep: number; rt: number }
  | { op: 'liftOwn'; i: number; rt: number }
  | { op: 'liftBorrow'; i: number; rt: number }
  | { op: 'rep'; i: number; rt: number }
  | { op: 'drop'; i: number; rt: number }
  | { op: 'beginImport' }
  | { op: 'endImport' }
  | { op: 'enter' }
  | { op: 'exit' };

const idx = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 4 }) }, fc.integer({ min: 0, max: 8 }));
const rt = fc.constantFrom(R, S);
const rep = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('lowerOwn' as const), rep, rt }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('lowerBorrow' as const), rep, rt }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('liftOwn' as const), i: idx, rt }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('liftBorrow' as const), i: idx, rt }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('rep' as const), i: idx, rt }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('drop' as const), i: idx, rt }) },
  { weight: 1, arbitrary: fc.constant({ op: 'beginImport' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'endImport' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'enter' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'exit' as const }) },
);

function outcome(f: () => unknown): unknown {
  try {
    return { ok: f() ?? null };
  } catch (e) {
    if (e instanceof Trap) return 'trap';
    throw e;
  }
}

describe('HandleTable against the definitions.py model', () => {
  it('agrees on every result, trap, destructor call and final state', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 10, maxLength: 120, size: 'max' }), fc.constantFrom(6, MAX_HANDLE_INDEX), (ops, max) => {
        const t = new HandleTable(max);
        const m = new ModelTable(max);
        const marks: number[] = [];
        const scopes: number[] = [];
        const dtorT: number[] = [];
        const dtorM: number[] = [];
        // There is always an open import call (for lends) and an open export scope (for borrows).
        marks.push(t.lendMark());
        m.lenders.push([]);
        scopes.push(t.enterScope());
        m.scopes.push({ numBorrows: 0 });
        for (const o of ops) {
          let a: unknown;
          let b: unknown;
          switch (o.op) {
            case 'lowerOwn':
              a = outcome(() => t.lowerOwn(o.rep, o.rt));
              b = outcome(() => m.add(new ModelHandle(o.rt, o.rep, true, null)));
              break;
            case 'lowerBorrow': {
              const s = scopes.at(-1)!;
              const ms = m.scopes.at(-1)!;
              a = outcome(() => t.lowerBorrow(o.rep, o.rt, s));
              b = outcome(() => {
                const i = m.add(new ModelHandle(o.rt, o.rep, false, ms));
                ms.numBorrows++;
                return i;
              });
              break;
            }
            case 'liftOwn':
              a = outcome(() => t.liftOwn(o.i, o.rt));
              b = outcome(() => m.liftOwn(o.i, o.rt));
              break;
            case 'liftBorrow':
              a = outcome(() => t.liftBorrow(o.i, o.rt));
              b = outcome(() => m.liftBorrow(o.i, o.rt));
              break;
            case 'rep':
              a = outcome(() => t.resourceRep(o.i, o.rt));
              b = outcome(() => {
                const h = m.get(o.i);
                if (h.rt !== o.rt) throw new Trap('model');
                return h.rep;
              });
              break;
            case 'drop':
              a = outcome(() => {
                const rep = t.resourceDrop(o.i, o.rt, (r) => dtorT.push(r));
                return t.droppedOwn ? rep : -1;
              });
              b = outcome(() => {
                const h = m.get(o.i);
                m.drop(o.i, o.rt, (r) => dtorM.push(r));
                return h.own ? h.rep : -1;
              });
              break;
            case 'beginImport':
              marks.push(t.lendMark());
              m.lenders.push([]);
              continue;
            case 'endImport':
              t.releaseLends(marks.pop()!);
              for (const h of m.lenders.pop()!) h.numLends--;
              if (marks.length === 0) {
                marks.push(t.lendMark());
                m.lenders.push([]);
              }
              continue;
            case 'enter':
              scopes.push(t.enterScope());
              m.scopes.push({ numBorrows: 0 });
              continue;
            case 'exit': {
              a = outcome(() => t.exitScope(scopes.pop()!));
              b = outcome(() => {
                if (m.scopes.pop()!.numBorrows !== 0) throw new Trap('model');
              });
              if (scopes.length === 0) {
                scopes.push(t.enterScope());
                m.scopes.push({ numBorrows: 0 });
              }
              break;
            }
          }
          expect(a).toEqual(b);
          expect(dtorT).toEqual(dtorM);
          // A trap poisons a real instance; both sides check before mutating, so the run can go
          // on and keep comparing states (a stronger test than stopping).
        }
        expect(t.size).toBe(m.array.filter((h) => h !== null).length);
        for (let i = 0; i < m.array.length + 2; i++) {
          const h = m.array[i];
          const e = t.entry(i);
          if (h == null) expect(e).toBeUndefined();
          else expect(e).toMatchObject({ rt: h.rt, rep: h.rep, own: h.own, lends: h.numLends });
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('ResourceTable (host resources)', () => {
  it('gives the same object back for its rep, and the same rep while referenced', () => {
    const t = new ResourceTable<object>();
    const a = { name: 'a' };
    const b = { name: 'b' };
    const ra = t.acquire(a);
    const rb = t.acquire(b);
    expect(ra).toBe(1);
    expect(rb).toBe(2);
    expect(t.acquire(a)).toBe(ra);
    expect(t.refCount(ra)).toBe(2);
    expect(t.get(ra)).toBe(a);
    expect(t.get(rb)).toBe(b);
    expect(t.has(a)).toBe(true);
    expect(t.size).toBe(2);
  });

  it('keeps an object until its last reference is released', () => {
    const t = new ResourceTable<object>();
    const a = {};
    const r = t.acquire(a);
    t.acquire(a);
    expect(t.release(r)).toBe(a);
    expect(t.has(a)).toBe(true);
    expect(t.release(r)).toBe(a);
    expect(t.has(a)).toBe(false);
    expect(t.refCount(r)).toBe(0);
    expect(t.size).toBe(0);
  });

  it('release of the last reference frees the rep (reused last-freed-first)', () => {
    const t = new ResourceTable<object>();
    const objs = [{}, {}, {}];
    const reps = objs.map((o) => t.acquire(o));
    expect(t.release(reps[0]!)).toBe(objs[0]);
    expect(t.release(reps[2]!)).toBe(objs[2]);
    expect(t.has(objs[0]!)).toBe(false);
    const c = {};
    expect(t.acquire(c)).toBe(reps[2]);
    expect(t.acquire(objs[0]!)).toBe(reps[0]);
    expect(t.size).toBe(3);
  });

  it('traps on unknown reps', () => {
    const t = new ResourceTable<object>();
    expect(trapReason(() => t.get(0))).toBe('unknown resource rep');
    expect(trapReason(() => t.get(5))).toBe('unknown resource rep');
    const r = t.acquire({});
    t.release(r);
    expect(trapReason(() => t.release(r))).toBe('unknown resource rep');
  });

  it('round trip through a guest handle table keeps object identity', () => {
    const host = new ResourceTable<{ id: number }>();
    const guest = new HandleTable();
    const obj = { id: 1 };
    const h = guest.lowerOwn(host.acquire(obj), R);
    // The guest borrows it back to a host import, then returns ownership.
    const m = guest.lendMark();
    expect(host.get(guest.liftBorrow(h, R))).toBe(obj);
    guest.releaseLends(m);
    expect(host.release(guest.liftOwn(h, R))).toBe(obj);
  });
});

describe('CoreInstance: guest resources lent to a host import', () => {
  it('the objects lifted from borrow<R> arguments die when the import call ends', async () => {
    const { CoreInstance, GuestResource, DISPOSED, deadResource } = await import('../../src/runtime/instance.js');
    type GuestResource = InstanceType<typeof GuestResource>;
    class Thing extends GuestResource {}
    const st = new CoreInstance();
    st.classes[1] = Thing;
    const h = st.handles.resourceNew(42, 1);
    const mark = st.enterImport();
    expect(st.inImport).toBe(true);
    const lent = st.liftBorrowGuest(h, 1) as GuestResource;
    expect(lent).toBeInstanceOf(Thing);
    expect(lent._rep).toBe(42);
    st.leaveImport(mark);
    expect(st.inImport).toBe(false);
    expect(lent._rep).toBe(DISPOSED);
    expect(() => deadResource(lent, 'kept.get()')).toThrow(
      new TypeError('kept.get(): the borrowed Thing was used after the call that lent it returned'),
    );
    // The guest's own handle is untouched, and the next import call starts with no lends.
    expect(st.handles.resourceRep(h, 1)).toBe(42);
    const m2 = st.enterImport();
    st.leaveImport(m2);
  });
});
