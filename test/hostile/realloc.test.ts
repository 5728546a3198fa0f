/**
 * Hostile guests: a `cabi_realloc` that returns a misaligned block, a block out of bounds or one
 * straddling the end of memory, traps, or calls an import (leaving the instance while `may_leave`
 * is false) — when the host lowers export arguments (strings, lists, lists of records with
 * strings, a spilled params tuple), import results (strings, lists of strings, bytes), and a
 * post-return that calls an import. definitions.py checks every block realloc returns
 * (`trap_if(ptr != align_to(ptr, alignment))`, `trap_if(ptr + byte_length > len(memory))`), and
 * traps on `not may_leave` in every import and built-in. Core module and component alike.
 */
import { describe, expect, it } from 'vitest';
import { Trap } from '../../src/runtime/index.js';
import { CELL, host, MODES, RMODE, SCRATCH, type Encoding, type Hosted } from './guest.js';
import { Blob, recordingHost } from './host.js';

interface Case {
  readonly name: string;
  readonly encoding?: Encoding;
  readonly mode: number;
  /** Good realloc calls before it misbehaves. */
  readonly skip?: number;
  readonly call: (h: Hosted) => unknown;
  /** The trap reason; null for an engine trap (`unreachable` in the guest). */
  readonly trap: string | null;
  /** Host functions called before the trap. */
  readonly hostCalls?: string[];
  /** The export's core function ran (and its post-return). */
  readonly posts?: number;
}

const LEAVE = 'cannot leave the instance during realloc or post-return';

const CASES: Case[] = [
  // Export arguments.
  { name: 'string (utf8): out of bounds', mode: RMODE.OUT_OF_BOUNDS, call: (h) => h.ex.sink.putString('hello'), trap: 'string out of bounds' },
  { name: 'string (utf8): straddling the end of memory', mode: RMODE.STRADDLE, call: (h) => h.ex.sink.putString('hello'), trap: 'string out of bounds' },
  { name: 'string (utf8): the second realloc (growing to 3n for non-ASCII) out of bounds', mode: RMODE.OUT_OF_BOUNDS, skip: 1, call: (h) => h.ex.sink.putString('héllo'), trap: 'string out of bounds' },
  { name: 'string (utf8): the third realloc (shrinking to the encoded length) out of bounds', mode: RMODE.STRADDLE, skip: 2, call: (h) => h.ex.sink.putString('héllo'), trap: 'string out of bounds' },
  { name: 'string (utf16): misaligned', encoding: 'utf16', mode: RMODE.MISALIGNED, call: (h) => h.ex.sink.putString('hello'), trap: 'string misaligned' },
  { name: 'string (latin1+utf16): Latin-1 block misaligned', encoding: 'latin1+utf16', mode: RMODE.MISALIGNED, call: (h) => h.ex.sink.putString('héllo'), trap: 'string misaligned' },
  { name: 'string (latin1+utf16): the UTF-16 block (second realloc) misaligned', encoding: 'latin1+utf16', mode: RMODE.MISALIGNED, skip: 1, call: (h) => h.ex.sink.putString('héllo Ω'), trap: 'string misaligned' },
  { name: 'list<u8>: out of bounds', mode: RMODE.OUT_OF_BOUNDS, call: (h) => h.ex.sink.putBytes(new Uint8Array(10)), trap: 'list out of bounds' },
  { name: 'list<u64>: misaligned (1 past an 8-aligned address)', mode: RMODE.MISALIGNED, call: (h) => h.ex.sink.putU64s([1n, 2n]), trap: 'list misaligned' },
  { name: 'list<u64>: straddling the end of memory', mode: RMODE.STRADDLE, call: (h) => h.ex.sink.putU64s(new BigUint64Array(3)), trap: 'list out of bounds' },
  { name: 'list<pair>: the list block misaligned', mode: RMODE.MISALIGNED, call: (h) => h.ex.sink.putPairs([{ a: 1, b: 'x' }]), trap: 'realloc result misaligned' },
  { name: 'list<pair>: the string of the second element out of bounds', mode: RMODE.OUT_OF_BOUNDS, skip: 2, call: (h) => h.ex.sink.putPairs([{ a: 1, b: 'x' }, { a: 2, b: 'y' }]), trap: 'string out of bounds' },
  { name: 'spilled params: the tuple block misaligned', mode: RMODE.MISALIGNED, call: (h) => h.ex.sink.putMany('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'), trap: 'realloc result misaligned' },
  { name: 'spilled params: the tuple block out of bounds', mode: RMODE.OUT_OF_BOUNDS, call: (h) => h.ex.sink.putMany('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'), trap: 'realloc result out of bounds' },
  { name: 'spilled params: the last string out of bounds', mode: RMODE.OUT_OF_BOUNDS, skip: 9, call: (h) => h.ex.sink.putMany('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'), trap: 'string out of bounds' },
  { name: 'realloc executes unreachable', mode: RMODE.TRAP, call: (h) => h.ex.sink.putString('x'), trap: null },
  { name: 'realloc calls an import (resource.drop)', mode: RMODE.LEAVE, call: (h) => h.ex.sink.putString('x'), trap: LEAVE },
  // Import results, lowered by the host into the guest's memory.
  { name: 'import result string: out of bounds', mode: RMODE.OUT_OF_BOUNDS, call: (h) => h.ex.calls.callGiveString(), trap: 'string out of bounds', hostCalls: ['giveString'] },
  { name: 'import result string (utf16): misaligned', encoding: 'utf16', mode: RMODE.MISALIGNED, call: (h) => h.ex.calls.callGiveString(), trap: 'string misaligned', hostCalls: ['giveString'] },
  { name: 'import result list<string>: the list block misaligned', mode: RMODE.MISALIGNED, call: (h) => h.ex.calls.callGiveStrings(), trap: 'realloc result misaligned', hostCalls: ['giveStrings'] },
  { name: 'import result list<string>: the second string straddling the end', mode: RMODE.STRADDLE, skip: 2, call: (h) => h.ex.calls.callGiveStrings(), trap: 'string out of bounds', hostCalls: ['giveStrings'] },
  { name: 'import result list<u8>: out of bounds', mode: RMODE.OUT_OF_BOUNDS, call: (h) => h.ex.calls.callGiveBytes(), trap: 'list out of bounds', hostCalls: ['giveBytes'] },
  { name: 'import result: realloc executes unreachable', mode: RMODE.TRAP, call: (h) => h.ex.calls.callGiveString(), trap: null, hostCalls: ['giveString'] },
];

function thrownBy(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
}

function expectTrap(e: unknown, reason: string | null): void {
  expect(e).toBeInstanceOf(WebAssembly.RuntimeError);
  if (reason === null) {
    // The engine's own trap, not one of witbind's.
    expect(e).not.toBeInstanceOf(Trap);
    expect((e as Error).message).toMatch(/unreachable/);
  } else {
    expect(e).toBeInstanceOf(Trap);
    expect((e as Trap).reason).toBe(reason);
  }
}

for (const mode of MODES) {
  describe(`a hostile cabi_realloc (${mode})`, () => {
    for (const c of CASES) {
      it(`${c.name}: ${c.trap === null ? 'the engine trap' : `Trap "${c.trap}"`}`, async () => {
        const rh = recordingHost();
        const h = await host(mode, rh.imports, c.encoding ?? 'utf8');
        // The pointer of the import's result goes to SCRATCH.
        h.set(CELL.A0, SCRATCH);
        h.set(CELL.RMODE, c.mode, c.skip ?? 0);
        const reallocs = h.cell(CELL.REALLOCS);
        expectTrap(thrownBy(() => c.call(h)), c.trap);
        expect(h.cell(CELL.REALLOCS)).toBe(reallocs + (c.skip ?? 0) + 1);
        expect(rh.calls.map(([n]) => n)).toEqual(c.hostCalls ?? []);
        // The guest never returned: no post-return; the instance is left consistent and unusable.
        expect(h.posts()).toBe(0);
        expect(h.state.mayLeave).toBe(true);
        expect(h.state.inImport).toBe(false);
        h.set(CELL.RMODE, RMODE.OK);
        expect(() => h.ex.sink.putString('x')).toThrow(new Trap('the instance trapped earlier and cannot be used'));
        expect(() => h.ex.give.getU32()).toThrow(new Trap('the instance trapped earlier and cannot be used'));
      });
    }

    it('realloc dropping a handle that is lent to the import being answered: may_leave traps first, the lend ends', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      h.set(CELL.A0, 7);
      const handle = h.ex.calls.callMakeBlob();
      expect(h.state.handles.size).toBe(1);
      // blob-name(borrow h): the host answers a string; lowering it calls realloc, which drops h.
      h.set(CELL.A0, handle, SCRATCH);
      h.set(CELL.RMODE, RMODE.LEAVE);
      const e = thrownBy(() => h.ex.calls.callBlobName());
      expectTrap(e, LEAVE);
      expect(rh.calls.map(([n]) => n)).toEqual(['makeBlob', 'blobName']);
      // The handle is still there (the drop never happened) and no longer lent.
      expect(h.state.handles.size).toBe(1);
      expect(h.state.handles.entry(handle)).toMatchObject({ own: true, lends: 0 });
      expect(Blob.disposed.filter((b) => b.v === 7)).toEqual([]);
      expect(() => h.ex.calls.dropBlob()).toThrow(/trapped earlier/);
    });

    it('a post-return calling an import traps (may_leave), and runs exactly once', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      h.set(CELL.POSTLEAVE, 1);
      expectTrap(thrownBy(() => h.ex.sink.putString('abc')), LEAVE);
      expect(h.posts()).toBe(1);
      expect(h.cell(CELL.POSTS)).toBe(1);
      expect(rh.calls).toEqual([]);
      expect(h.state.mayLeave).toBe(true);
      expect(() => h.ex.sink.putString('x')).toThrow(/trapped earlier/);
      expect(h.posts()).toBe(1);
    });

    it('a post-return calling an import while a result fails to lift: the lift trap is reported, post-return ran once', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      h.set(CELL.POSTLEAVE, 1);
      h.set(CELL.RET, 0xd800);
      expectTrap(thrownBy(() => h.ex.give.getChar()), 'invalid char');
      expect(h.posts()).toBe(1);
      expect(rh.calls).toEqual([]);
    });

    it('a well-behaved realloc afterwards (control): every lowering works and is freed by post-return', async () => {
      const rh = recordingHost();
      const h = await host(mode, rh.imports);
      expect(h.ex.sink.putString('héllo')).toBe(6);
      expect(h.ex.sink.putPairs([{ a: 1, b: 'x' }, { a: 2, b: 'yz' }])).toBe(2);
      expect(h.ex.sink.putMany('a', 'bb', 'c', 'd', 'e', 'f', 'g', 'h', 'iii')).toBe(12);
      h.set(CELL.A0, SCRATCH);
      expect(h.ex.calls.callGiveStrings()).toBe(0);
      expect(h.cell(CELL.BUMP)).toBe(4096);
      expect(h.posts()).toBe(4);
    });
  });
}
