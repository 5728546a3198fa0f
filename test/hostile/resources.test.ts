/**
 * Resources misused by a hostile guest and by a careless host, as a core module and as a
 * component (test/hostile/guest.ts: `thing` is implemented by the guest, `blob` and `other` by the
 * host).
 *
 * Guest side (definitions.py `Table.get`/`remove`, `lift_own`, `lift_borrow`, `canon_resource_drop`,
 * `Task.exit`): a handle that was never created, was already lifted or dropped, is of another
 * resource type, is a borrow where an own is needed, is lent and lifted as own in the same call,
 * or a borrow handle kept past the end of the call — each a Trap with its reason, the handle table
 * left as the spec leaves it, the instance unusable afterwards.
 *
 * Host side: use after dispose, double dispose, use after moving, one object passed as own and
 * again in the same call, disposing while a call is active (the resource lent to it, or another),
 * disposing after a trap, and what "kept past its call" means for borrows:
 * - a *host-defined* resource the host receives as `borrow` in an import is the host's own object
 *   (the very one it lowered): keeping it is keeping a JS reference; the resource's life ends when
 *   the guest drops its last own handle, and the host sees that as `[Symbol.dispose]()`;
 * - a *guest-defined* resource never reaches the host as a borrow (an import cannot use a type
 *   of an exported interface, and results cannot hold borrows); its borrows go the other way: the
 *   host lends its own handle for one export call, and the guest gets the rep itself
 *   (definitions.py `lower_borrow`: no handle, so nothing to keep, drop or trap on); after the
 *   call the object is still the host's, usable and disposable.
 */
import { describe, expect, it } from 'vitest';
import { Trap } from '../../src/runtime/index.js';
import { CELL, host, MODES, SCRATCH, type Hosted } from './guest.js';
import { Blob, Other, recordingHost } from './host.js';

const TRAPPED = new Trap('the instance trapped earlier and cannot be used');
const THINGS = 256;

function thrownBy(f: () => unknown): any {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
}

function expectTrap(f: () => unknown, reason: string): void {
  const e = thrownBy(f);
  expect(e).toBeInstanceOf(Trap);
  expect(e.reason).toBe(reason);
}

/** The guest's `[resource-new]thing` for a thing of value `v` (what its constructor does). */
function guestNewThing(h: Hosted, v: number): number {
  const rep = h.cell(CELL.NEXTREP);
  h.set(CELL.NEXTREP, rep + 1);
  h.set(THINGS + 4 * rep, v);
  h.set(CELL.LIVE, h.cell(CELL.LIVE) + 1);
  return h.state.resourceNew(rep, h.state.classes.indexOf(h.ex.res.Thing));
}

/** A blob made by the host for the guest (make-blob): the guest's own handle. */
function guestBlob(h: Hosted, v: number): number {
  h.set(CELL.A0, v);
  return h.ex.calls.callMakeBlob();
}

for (const mode of MODES) {
  describe(`resources misused by the guest (${mode})`, () => {
    for (const [what, handle] of [
      ['never created', 99],
      ['index 0 (never valid)', 0],
      ['past the largest index (2^28)', 0x1000_0000],
      ['negative as an i32', -1],
    ] as const) {
      it(`returns an own handle ${what}: Trap "unknown handle"`, async () => {
        const h = await host(mode, recordingHost().imports);
        h.set(CELL.RET, handle);
        expectTrap(() => h.ex.res.getThing(), 'unknown handle');
        expect(h.posts()).toBe(1);
        expect(h.state.handles.size).toBe(0);
        expect(() => h.ex.res.liveThings()).toThrow(TRAPPED);
      });
    }

    it('returns a handle the host already lifted (a constructor result): Trap "unknown handle"', async () => {
      const h = await host(mode, recordingHost().imports);
      const t = new h.ex.res.Thing(1);
      expect(h.state.handles.size).toBe(0);
      h.set(CELL.RET, 1);
      expectTrap(() => h.ex.res.getThing(), 'unknown handle');
      expect(t).toBeInstanceOf(h.ex.res.Thing);
    });

    it('returns a handle of another resource type (a blob as a thing): Trap "handle of the wrong type", the handle stays', async () => {
      const h = await host(mode, recordingHost().imports);
      const b = guestBlob(h, 4);
      h.set(CELL.RET, b);
      expectTrap(() => h.ex.res.getThing(), 'handle of the wrong type');
      // definitions.py: Table.get traps before anything is removed.
      expect(h.state.handles.size).toBe(1);
      expect(h.state.handles.entry(b)).toMatchObject({ rt: 1, own: true, lends: 0 });
      expect(Blob.disposed.some((x) => x.v === 4)).toBe(false);
    });

    it('returns the same own handle twice in a list: the second is "unknown handle"', async () => {
      const h = await host(mode, recordingHost().imports);
      const t = guestNewThing(h, 5);
      h.set(CELL.RET, SCRATCH);
      h.set(SCRATCH, SCRATCH + 16, 2);
      h.set(SCRATCH + 16, t, t);
      expectTrap(() => h.ex.res.getThings(), 'unknown handle');
      expect(h.posts()).toBe(1);
      // The first element was lifted (its handle removed) before the second trapped.
      expect(h.state.handles.size).toBe(0);
    });

    it('lifts a list of distinct own handles (control)', async () => {
      const h = await host(mode, recordingHost().imports);
      const hs = [guestNewThing(h, 5), guestNewThing(h, 6)];
      h.set(CELL.RET, SCRATCH);
      h.set(SCRATCH, SCRATCH + 16, 2);
      h.set(SCRATCH + 16, ...hs);
      const things = h.ex.res.getThings();
      expect(things.map((x: any) => x.get())).toEqual([5, 6]);
      for (const x of things) x[Symbol.dispose]();
      expect(h.ex.res.liveThings()).toBe(0);
      expect(h.state.handles.size).toBe(0);
    });

    it('passes a handle never created to an import: Trap "unknown handle", the host is not called', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      h.set(CELL.A0, 99);
      expectTrap(() => h.ex.calls.callBlobValue(), 'unknown handle');
      expect(rh.calls).toEqual([]);
      expect(() => h.ex.calls.callBlobValue()).toThrow(TRAPPED);
    });

    it('passes a handle never created to an import taking own: Trap "unknown handle", the host is not called', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      h.set(CELL.A0, 42);
      expectTrap(() => h.ex.calls.callBlobTake(), 'unknown handle');
      expect(rh.calls).toEqual([]);
      expect(h.state.hostObjects.size).toBe(0);
    });

    it('passes a handle it dropped to an import: Trap "unknown handle"', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      const b = guestBlob(h, 6);
      h.set(CELL.A0, b);
      expect(h.ex.calls.dropBlob()).toBe(0);
      expect(Blob.disposed.at(-1)!.v).toBe(6);
      expect(h.state.handles.size).toBe(0);
      expect(h.state.hostObjects.size).toBe(0);
      expectTrap(() => h.ex.calls.callBlobValue(), 'unknown handle');
      expect(rh.calls.map(([n]) => n)).toEqual(['makeBlob']);
    });

    it('drops a handle twice: Trap "unknown handle" (the host destructor ran once)', async () => {
      const h = await host(mode, recordingHost().imports);
      const b = guestBlob(h, 7);
      h.set(CELL.A0, b);
      h.ex.calls.dropBlob();
      const disposed = Blob.disposed.length;
      expectTrap(() => h.ex.calls.dropBlob(), 'unknown handle');
      expect(Blob.disposed.length).toBe(disposed);
    });

    it('passes a blob handle where an `other` is expected: Trap "handle of the wrong type", table unchanged', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      const b = guestBlob(h, 8);
      h.set(CELL.A0, b);
      expectTrap(() => h.ex.calls.callOtherValue(), 'handle of the wrong type');
      expect(h.state.handles.entry(b)).toMatchObject({ rt: 1, own: true, lends: 0 });
      expect(rh.calls.map(([n]) => n)).toEqual(['makeBlob']);
    });

    it('lends a handle and lifts it as own in the same import call: Trap "handle is lent", the lend ends', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      const b = guestBlob(h, 9);
      h.set(CELL.A0, b, b);
      expectTrap(() => h.ex.calls.callBlobBoth(), 'handle is lent');
      expect(h.state.handles.entry(b)).toMatchObject({ own: true, lends: 0 });
      expect(h.state.hostObjects.size).toBe(1);
      expect(rh.calls.map(([n]) => n)).toEqual(['makeBlob']);
      expect(Blob.disposed.some((x) => x.v === 9)).toBe(false);
    });

    it('passes a borrow handle to an import taking own: Trap "handle is a borrow"', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      h.set(CELL.KEEP, 2);
      const blob = new Blob(10);
      expectTrap(() => h.ex.res.useBlob(blob), 'handle is a borrow');
      expect(rh.calls).toEqual([]);
      expect(Blob.disposed.includes(blob)).toBe(false);
    });

    it('keeps a borrow handle past the end of the call: Trap "borrowed handles remain at the end of the call"', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      h.set(CELL.KEEP, 1);
      const blob = new Blob(11);
      expectTrap(() => h.ex.res.useBlob(blob), 'borrowed handles remain at the end of the call');
      // The guest's post-return ran (the call returned), then the check failed (Task.exit).
      expect(h.posts()).toBe(1);
      expect(Blob.disposed.includes(blob)).toBe(false);
      expect(() => h.ex.res.useBlob(blob)).toThrow(TRAPPED);
    });

    it('drops the borrow handle before returning (control): tables back to empty', async () => {
      const h = await host(mode, recordingHost().imports);
      const blob = new Blob(12);
      expect(h.ex.res.useBlob(blob)).toBe(12);
      expect(h.ex.res.useBlob(blob)).toBe(12);
      expect(h.state.handles.size).toBe(0);
      expect(h.state.hostObjects.size).toBe(0);
      expect(Blob.disposed.includes(blob)).toBe(false);
    });

    it('keeps an owned handle past the call (allowed), drops it later: the host destructor runs then', async () => {
      const h = await host(mode, recordingHost().imports);
      h.set(CELL.KEEP, 1);
      const blob = new Blob(13);
      expect(h.ex.res.ownBlob(blob)).toBe(13);
      expect(h.state.handles.size).toBe(1);
      expect(h.state.hostObjects.size).toBe(1);
      expect(Blob.disposed.includes(blob)).toBe(false);
      h.set(CELL.A0, 1);
      h.ex.calls.dropBlob();
      expect(Blob.disposed.includes(blob)).toBe(true);
      expect(h.state.handles.size).toBe(0);
      expect(h.state.hostObjects.size).toBe(0);
    });
  });

  describe(`resources misused by the host (${mode})`, () => {
    it('use after dispose and double dispose: TypeErrors naming the method or argument, nothing reaches the guest', async () => {
      const h = await host(mode, recordingHost().imports);
      const { Thing } = h.ex.res;
      const t = new Thing(1);
      const u = new Thing(2);
      t[Symbol.dispose]();
      expect(h.cell(CELL.DTORS)).toBe(1);
      expect(() => t.get()).toThrow(new TypeError('Thing.get: the Thing was disposed'));
      expect(() => t[Symbol.dispose]()).toThrow(new TypeError('Thing: the Thing was disposed'));
      expect(() => h.ex.res.pairThings(t, u)).toThrow(new TypeError('a: the Thing was disposed'));
      expect(() => h.ex.res.pairThings(u, t)).toThrow(new TypeError('b: the Thing was disposed'));
      expect(h.cell(CELL.DTORS)).toBe(1);
      expect(h.ex.res.liveThings()).toBe(1);
      expect(u.get()).toBe(2);
      u[Symbol.dispose]();
      expect(h.ex.res.liveThings()).toBe(0);
    });

    it('use after moving into the guest; the borrowed argument stays the host’s', async () => {
      const h = await host(mode, recordingHost().imports);
      const { Thing } = h.ex.res;
      const a = new Thing(3);
      const b = new Thing(4);
      expect(h.ex.res.pairThings(a, b)).toBe(7);
      expect(h.ex.res.liveThings()).toBe(1);
      expect(() => a.get()).toThrow(/^Thing\.get: the Thing was moved into the guest/);
      expect(() => a[Symbol.dispose]()).toThrow(/moved into the guest/);
      // "Kept past its call": b was lent for the call only — still the host's, no handle left.
      expect(b.get()).toBe(4);
      expect(h.state.handles.size).toBe(0);
      b[Symbol.dispose]();
      expect(h.ex.res.liveThings()).toBe(0);
    });

    it('one object as the own and the borrow argument of one call: a TypeError before anything is lowered; nothing lost', async () => {
      const h = await host(mode, recordingHost().imports);
      const t = new h.ex.res.Thing(5);
      const e = thrownBy(() => h.ex.res.pairThings(t, t));
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toMatch(/^the Thing is passed to the guest as an owned handle and again in the same call/);
      // Found among the parameters before the call began: the guest never ran, the object is
      // still the host's, and the instance goes on.
      expect(h.cell(CELL.DTORS)).toBe(0);
      expect(h.cell(CELL.LIVE)).toBe(1);
      expect(t.get()).toBe(5);
      expect(h.ex.res.liveThings()).toBe(1);
      const u = new h.ex.res.Thing(6);
      expect(h.ex.res.pairThings(t, u)).toBe(11);
    });

    it('disposing the resource lent to the active call, from an import: refused with a TypeError, nothing changes', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      const t = new h.ex.res.Thing(6);
      let refused: any;
      rh.overrides.ping = () => {
        refused = thrownBy(() => t[Symbol.dispose]());
        return 100;
      };
      expect(t.pingInside()).toBe(106);
      expect(refused).toBeInstanceOf(TypeError);
      expect(refused.message).toBe(
        'Thing: cannot be disposed while a call into its instance is active (its destructor would re-enter the instance, and it may be lent to that call); dispose it after the call returns',
      );
      // Still alive and usable; disposable once the call has returned.
      expect(h.cell(CELL.DTORS)).toBe(0);
      expect(t.get()).toBe(6);
      t[Symbol.dispose]();
      expect(h.ex.res.liveThings()).toBe(0);
    });

    it('disposing while lent, not caught by the host: the instance traps, naming the import', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      const t = new h.ex.res.Thing(7);
      rh.overrides.ping = () => {
        t[Symbol.dispose]();
        return 0;
      };
      const e = thrownBy(() => t.pingInside());
      expect(e).toBeInstanceOf(Trap);
      expect(e.reason).toMatch(/^the host import `hostile:test\/host#ping` threw TypeError: Thing: cannot be disposed while a call/);
      expect(h.cell(CELL.DTORS)).toBe(0);
      expect(() => t.get()).toThrow(TRAPPED);
    });

    it('disposing another resource of the instance from an import: refused the same way', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      const other = new h.ex.res.Thing(8);
      rh.overrides.ping = () => {
        expect(() => other[Symbol.dispose]()).toThrow(/^Thing: cannot be disposed while a call/);
        return 1;
      };
      expect(h.ex.calls.callPing()).toBe(1);
      expect(other.get()).toBe(8);
      other[Symbol.dispose]();
      expect(h.ex.res.liveThings()).toBe(0);
    });

    it('disposing after the instance trapped: marked disposed, no error (a `using` block unwinding after a trap)', async () => {
      const h = await host(mode, recordingHost().imports);
      const t = new h.ex.res.Thing(9);
      expect(() => h.ex.calls.crash()).toThrow(WebAssembly.RuntimeError);
      expect(() => t[Symbol.dispose]()).not.toThrow();
      expect(h.cell(CELL.DTORS)).toBe(0);
      expect(() => t.get()).toThrow(new TypeError('Thing.get: the Thing was disposed'));
      expect(() => t[Symbol.dispose]()).toThrow(new TypeError('Thing: the Thing was disposed'));
    });

    it('a host-defined resource received as a borrow in an import is the host’s own object: kept, it stays the same object', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      let kept: Blob | undefined;
      rh.overrides.blobValue = (b: Blob) => {
        kept = b;
        return b.v;
      };
      const bh = guestBlob(h, 14);
      const made = h.state.hostObjects.get(1);
      h.set(CELL.A0, bh);
      expect(h.ex.calls.callBlobValue()).toBe(14);
      // After the call: the very object the host made, usable as any JS object; its handle is
      // the guest's, no longer lent.
      expect(kept).toBe(made);
      expect(kept!.value()).toBe(14);
      expect(h.state.handles.entry(bh)).toMatchObject({ own: true, lends: 0 });
      // Its life as a resource ends when the guest drops its last own handle.
      h.ex.calls.dropBlob();
      expect(Blob.disposed.includes(kept!)).toBe(true);
      expect(h.state.hostObjects.size).toBe(0);
    });

    it('objects of the wrong class or of another instance are rejected with the argument path', async () => {
      const h1 = await host(mode, recordingHost().imports);
      const h2 = await host(mode, recordingHost().imports);
      const foreign = new h2.ex.res.Thing(1);
      const mine = new h1.ex.res.Thing(2);
      expect(() => h1.ex.res.pairThings(foreign, mine)).toThrow(
        new TypeError('a: expected Thing of this instance, got one that belongs to another instance'),
      );
      expect(() => h1.ex.res.pairThings(mine, new Blob(1))).toThrow(new TypeError('b: expected Thing, got Blob'));
      expect(() => h1.ex.res.useBlob(new Other())).toThrow(new TypeError('b: expected Blob, got Other'));
      expect(() => h1.ex.res.useBlob(mine)).toThrow(new TypeError('b: expected Blob, got Thing'));
      expect(h1.ex.res.liveThings()).toBe(1);
      expect(foreign.get()).toBe(1);
    });
  });
}
