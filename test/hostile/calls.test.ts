/**
 * Hostile guests and host mistakes around calls, as a core module and as a component:
 * - a guest that traps mid-call (`unreachable`), with a borrow scope and a lend open;
 * - a host import that calls back into the instance while a call is active (reentrance);
 * - a host import implementation that throws: the instance traps, the caller sees a `Trap` naming
 *   the import with the exception as its `cause` (a `ComponentError` is an answer only for an
 *   import returning `result`);
 * - a guest that *catches* what an import threw (wasm exception handling, legacy `try …
 *   catch_all`: JS exceptions thrown by host functions are catchable) and returns normally: the
 *   instance must still be poisoned when the trap happened, the export must still fail, and the
 *   guest can call no import or built-in any more (CanonicalABI.md: a trap is not recoverable by
 *   the guest).
 * Every case ends with the instance refusing further calls.
 */
import { describe, expect, it } from 'vitest';
import { ComponentError, Trap } from '../../src/runtime/index.js';
import { CELL, host, MODES, SCRATCH } from './guest.js';
import { Blob, recordingHost } from './host.js';

const TRAPPED = new Trap('the instance trapped earlier and cannot be used');
const REENTRANCE = 'cannot enter the instance: a call into it is already active (reentrance)';

function thrownBy(f: () => unknown): any {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
}

for (const mode of MODES) {
  describe(`calls (${mode})`, () => {
    it('a guest that executes unreachable: the engine trap, then the instance refuses calls', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      const e = thrownBy(() => h.ex.calls.crash());
      expect(e).toBeInstanceOf(WebAssembly.RuntimeError);
      expect(e).not.toBeInstanceOf(Trap);
      expect(e.message).toMatch(/unreachable/);
      expect(h.posts()).toBe(0);
      expect(h.state.inImport).toBe(false);
      expect(() => h.ex.calls.crash()).toThrow(TRAPPED);
      expect(() => h.ex.give.getU32()).toThrow(TRAPPED);
    });

    it('a trap mid-call while a borrow is lent to the guest and a handle is lent to the host', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      const blob = new Blob(5);
      // use-blob(borrow): the guest calls [method]blob.value with the borrow handle; the host's
      // method throws.
      const boom = new Error('value failed');
      (blob as { value: () => number }).value = () => {
        throw boom;
      };
      const e = thrownBy(() => h.ex.res.useBlob(blob));
      expect(e).toBeInstanceOf(Trap);
      expect(e.message).toBe('wasm trap: the host import `hostile:test/host#[method]blob.value` threw Error: value failed');
      expect(e.cause).toBe(boom);
      // The lend of the import call ended; the borrow handle of the abandoned call is left in the
      // dead instance's table.
      expect(h.state.handles.entry(1)).toMatchObject({ own: false, lends: 0 });
      expect(() => h.ex.res.useBlob(new Blob(1))).toThrow(TRAPPED);
    });

    it('reentrance: a host import calling an export of the instance that called it traps', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      let inner: unknown;
      rh.overrides.ping = () => {
        try {
          return h.ex.give.getU32();
        } catch (e) {
          inner = e;
          throw e;
        }
      };
      const e = thrownBy(() => h.ex.calls.callPing());
      expect(e).toBeInstanceOf(Trap);
      expect(e.reason).toBe(REENTRANCE);
      expect(inner).toBe(e);
      expect(h.posts()).toBe(0);
      expect(() => h.ex.give.getU32()).toThrow(TRAPPED);
    });

    it('reentrance caught by the host: the inner call is refused, the outer call goes on', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      h.set(CELL.RET, 42);
      rh.overrides.ping = () => {
        expect(() => h.ex.give.getU32()).toThrow(new Trap(REENTRANCE));
        return 7;
      };
      // Refusing to enter is not a trap of this instance: nothing of it ran.
      expect(h.ex.calls.callPing()).toBe(7);
      expect(h.ex.give.getU32()).toBe(42);
    });

    it('reentrance from a guest-resource method (the resource is lent to the active call)', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      const t = new h.ex.res.Thing(3);
      rh.overrides.ping = () => t.get();
      expect(() => t.pingInside()).toThrow(new Trap(REENTRANCE));
      expect(() => t.get()).toThrow(TRAPPED);
    });

    it('a host import throwing an Error: a Trap naming the import, with the exception as cause', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      const boom = new RangeError('out of pings');
      rh.overrides.ping = () => {
        throw boom;
      };
      const e = thrownBy(() => h.ex.calls.callPing());
      expect(e).toBeInstanceOf(Trap);
      expect(e.reason).toBe('the host import `hostile:test/host#ping` threw RangeError: out of pings');
      expect(e.cause).toBe(boom);
      expect(() => h.ex.calls.callPing()).toThrow(TRAPPED);
      expect(rh.calls).toEqual([['ping', []]]);
    });

    it('a host import throwing a non-Error value', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      rh.overrides.takeString = () => {
        throw { code: 42 };
      };
      h.set(CELL.A0, SCRATCH, 1);
      h.bytes(SCRATCH, [0x61]);
      const e = thrownBy(() => h.ex.calls.callTakeString());
      expect(e).toBeInstanceOf(Trap);
      expect(e.reason).toBe('the host import `hostile:test/host#take-string` threw { code: 42 }');
      expect(e.cause).toEqual({ code: 42 });
    });

    it('a host import throwing a ComponentError though its result is not a `result`', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      rh.overrides.makeBlob = () => {
        throw new ComponentError('nope');
      };
      const e = thrownBy(() => h.ex.calls.callMakeBlob());
      expect(e).toBeInstanceOf(Trap);
      expect(e.reason).toBe(
        'the host import `hostile:test/host#make-blob` threw ComponentError: component error: nope (only an import whose result is a `result` may throw ComponentError)',
      );
      expect(h.state.handles.size).toBe(0);
      expect(h.state.hostObjects.size).toBe(0);
    });

    it('a host resource destructor throwing when the guest drops its last handle', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      h.set(CELL.A0, 9);
      const handle = h.ex.calls.callMakeBlob();
      const boom = new Error('dispose failed');
      const blob = h.state.hostObjects.get(1) as Blob;
      (blob as unknown as Record<symbol, unknown>)[Symbol.dispose] = () => {
        throw boom;
      };
      h.set(CELL.A0, handle);
      const e = thrownBy(() => h.ex.calls.dropBlob());
      expect(e).toBeInstanceOf(Trap);
      expect(e.reason).toBe('the host import `Blob[Symbol.dispose]()` threw Error: dispose failed');
      expect(e.cause).toBe(boom);
      // The handle was dropped before the destructor ran.
      expect(h.state.handles.size).toBe(0);
      expect(h.state.hostObjects.size).toBe(0);
      expect(() => h.ex.calls.dropBlob()).toThrow(TRAPPED);
    });

    it('reentrance from a host resource destructor (the guest dropped its last handle)', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      h.set(CELL.A0, 9);
      const handle = h.ex.calls.callMakeBlob();
      const blob = h.state.hostObjects.get(1) as Blob;
      let inner: unknown;
      (blob as unknown as Record<symbol, unknown>)[Symbol.dispose] = () => {
        inner = thrownBy(() => h.ex.give.getU32());
      };
      h.set(CELL.A0, handle);
      h.ex.calls.dropBlob();
      // The destructor ran inside the guest's call: the call back into the instance was refused.
      expect(inner).toEqual(new Trap(REENTRANCE));
      expect(h.state.inImport).toBe(false);
      h.set(CELL.RET, 5);
      expect(h.ex.give.getU32()).toBe(5);
    });

    it('a wrong value returned by a host import keeps its own error (naming the result path) and poisons the instance', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      rh.overrides.giveStrings = () => ['ok', 5];
      h.set(CELL.A0, SCRATCH);
      expect(() => h.ex.calls.callGiveStrings()).toThrow(new TypeError('giveStrings() result[1]: expected string, got number'));
      expect(() => h.ex.calls.callGiveStrings()).toThrow(TRAPPED);
    });

    describe('a guest catching what an import threw (wasm exception handling)', () => {
      it('the host throwing: the guest swallows it and returns, the export still fails with the trap', async () => {
        const rh = recordingHost();
        const h = await host(mode, rh.imports);
        const boom = new Error('host failure');
        rh.overrides.ping = () => {
          throw boom;
        };
        const e = thrownBy(() => h.ex.calls.swallowPing());
        expect(e).toBeInstanceOf(Trap);
        expect(e.reason).toBe('the host import `hostile:test/host#ping` threw Error: host failure');
        // The guest's core function returned normally (its post-return ran) …
        expect(h.posts()).toBe(1);
        // … but the instance is dead.
        expect(() => h.ex.calls.swallowPing()).toThrow(TRAPPED);
        expect(rh.calls).toEqual([['ping', []]]);
      });

      it('a trap lifting the import arguments (invalid UTF-8): swallowed by the guest, still a trap', async () => {
        const rh = recordingHost();
        const h = await host(mode, rh.imports);
        h.set(CELL.A0, SCRATCH, 2);
        h.bytes(SCRATCH, [0xc3, 0x28]);
        const e = thrownBy(() => h.ex.calls.swallowTakeString());
        expect(e).toBeInstanceOf(Trap);
        expect(e.reason).toBe('invalid utf-8');
        expect(rh.calls).toEqual([]);
        expect(() => h.ex.give.getU32()).toThrow(TRAPPED);
      });

      it('reentrance: swallowed by the guest, still a trap', async () => {
        const rh = recordingHost();
        const h = await host(mode, rh.imports);
        rh.overrides.ping = () => h.ex.give.getU32();
        expect(() => h.ex.calls.swallowPing()).toThrow(new Trap(REENTRANCE));
        expect(() => h.ex.give.getU32()).toThrow(TRAPPED);
      });

      it('after swallowing, every import and built-in the guest calls traps', async () => {
        const rh = recordingHost();
        const h = await host(mode, rh.imports);
        rh.overrides.ping = () => {
          throw new Error('first');
        };
        // Caught by the guest inside the call; a later import in the same call is refused
        // (the guest is still running, but the instance is poisoned).
        expect(() => h.ex.calls.swallowPing()).toThrow(/threw Error: first/);
        expect(h.state.checkLeave.bind(h.state)).toThrow(TRAPPED);
        expect(() => h.state.resourceNew(1, 2)).toThrow(TRAPPED);
        expect(() => h.state.dropHostHandle(1, 1)).toThrow(TRAPPED);
      });

      it('a host that catches its own exception before it reaches the guest keeps the instance', async () => {
        const rh = recordingHost();
        const h = await host(mode, rh.imports);
        rh.overrides.ping = () => {
          try {
            throw new Error('handled');
          } catch {
            return 3;
          }
        };
        expect(h.ex.calls.swallowPing()).toBe(0);
        expect(h.ex.calls.callPing()).toBe(3);
      });
    });
  });
}
