/**
 * Unit tests of the interpreting backend (src/abi/interpret.ts) on hand-written functions: the
 * `export` plan lowers values into a memory, a stand-in guest forwards the flat values to the
 * `import` plan, which lifts them back (and the result the other way) — the values must survive,
 * in the interpreter's own representation; and the traps of lifting bad memory. The generated
 * code is the oracle of test/property/interpret.test.ts; these pin the representation and the
 * trap messages.
 */
import { describe, expect, it } from 'vitest';
import { execPlan } from '../../src/abi/interpret.js';
import type { StringEncoding } from '../../src/abi/instructions.js';
import { Planner } from '../../src/abi/plan.js';
import { Trap } from '../../src/runtime/errors.js';
import { CoreInstance } from '../../src/runtime/instance.js';
import { loadWitSource } from '../../src/wit/load.js';
import type { Func } from '../../src/wit/model.js';

const WIT = `package t:i;
interface api {
  record point { x: s32, y: f64 }
  variant shape { none, circle(f32), at(point), named(string) }
  enum color { red, green, blue }
  flags perms { read, write, exec }
  echo-point: func(p: point) -> point;
  echo-shape: func(s: shape) -> shape;
  echo-many: func(a: option<string>, b: result<list<u8>, color>, c: tuple<char, u64, bool>, d: perms) -> tuple<option<string>, result<list<u8>, color>, tuple<char, u64, bool>, perms>;
  echo-lists: func(a: list<list<string>>, b: list<point>, c: list<s16, 3>, d: map<string, u32>) -> tuple<list<list<string>>, list<point>, list<s16, 3>, map<string, u32>>;
  take-color: func(c: color);
  take-shape: func(s: shape);
  take-perms: func(p: perms) -> perms;
  take-char: func(c: char);
  take-bytes: func(b: list<u32>);
}
world w { export api; }
`;

const { resolve } = loadWitSource([{ path: 'i.wit', text: WIT }]);
const api = resolve.interfaces.find((i) => i.name === 'api')!;
const planner = new Planner(resolve);
const fn = (name: string): Func => api.functions.get(name)!;

/** A state over a fresh memory with a bump allocator (copying on reallocation). */
function state(): CoreInstance {
  const memory = new WebAssembly.Memory({ initial: 1 });
  let top = 64;
  const st = new CoreInstance();
  st.bind({
    memory,
    cabi_realloc: (old: number, oldSize: number, align: number, size: number) => {
      const p = (top + align - 1) & -align;
      top = p + size;
      if (top > memory.buffer.byteLength) memory.grow(Math.ceil((top - memory.buffer.byteLength) / 65536));
      if (old !== 0) new Uint8Array(memory.buffer).copyWithin(p, old, old + Math.min(oldSize, size));
      return p;
    },
  });
  return st;
}

/**
 * Calls `name` with `args` (interpreter values) through export plan → forwarding guest → import
 * plan → `impl`, and back, in `encoding`; the guest's caller and callee sides have different
 * memories (it copies).
 */
function roundTrip(
  name: string,
  args: unknown[],
  impl: (...vals: unknown[]) => unknown,
  encoding: StringEncoding = 'utf8',
): unknown {
  const f = fn(name);
  const caller = state();
  const callee = state();
  const exp = planner.plan(f, 'export', { encoding, coreName: name });
  const imp = planner.plan(f, 'import', { encoding, coreName: name });
  const result = f.result === null ? null : planner.sizes.recordLayout([f.result]);
  return execPlan(exp, {
    resolve,
    st: caller,
    args,
    callWasm: (flat) => {
      // The guest: copies the memory the arguments point into over to the callee's memory
      // (both bump allocators started at the same address), then calls its import.
      callee.mem.refresh();
      caller.mem.refresh();
      callee.mem.u8.set(caller.mem.u8.subarray(0, callee.mem.u8.length));
      const coreArgs = [...flat];
      let retptr = 0;
      if (imp.spilledResults) coreArgs.push((retptr = 32768));
      const out = execPlan(imp, { resolve, st: callee, args: coreArgs, callInterface: (vals) => impl(...vals) });
      caller.mem.refresh();
      callee.mem.refresh();
      caller.mem.u8.set(callee.mem.u8.subarray(0, caller.mem.u8.length));
      if (imp.spilledResults) {
        expect(result).not.toBeNull();
        return retptr;
      }
      return out[0];
    },
  })[0];
}

describe('interpreter: values survive lowering and lifting (its own representation)', () => {
  it('records are arrays of fields; f64 and s32 as they are', () => {
    let seen: unknown;
    const r = roundTrip('echo-point', [[-5, 2.5]], (p) => ((seen = p), [7, -0.25]));
    expect(seen).toEqual([-5, 2.5]);
    expect(r).toEqual([7, -0.25]);
  });

  it('variants are { d, val }: every case, a string payload in every encoding', () => {
    for (const encoding of ['utf8', 'utf16', 'latin1+utf16'] as const) {
      for (const v of [{ d: 0 }, { d: 1, val: 1.5 }, { d: 2, val: [1, 2] }, { d: 3, val: 'héllo 😀' }, { d: 3, val: 'ÿ' }]) {
        let seen: unknown;
        expect(roundTrip('echo-shape', [v], (s) => ((seen = s), s), encoding)).toEqual(v);
        expect(seen).toEqual(v);
      }
    }
  });

  it('options, results, tuples, chars, u64, bools, flags (bits)', () => {
    const args = [{ d: 1, val: 'é' }, { d: 0, val: new Uint8Array([1, 2, 3]) }, ['😀', 2n ** 64n - 1n, true], 0b101];
    let seen: unknown[] = [];
    const r = roundTrip('echo-many', args, (...vals) => ((seen = vals), [{ d: 0 }, { d: 1, val: 2 }, ['x', 0n, false], 0]));
    expect(seen).toEqual(args);
    expect(r).toEqual([{ d: 0 }, { d: 1, val: 2 }, ['x', 0n, false], 0]);
  });

  it('nested lists, lists of records, fixed-length lists, maps (latin1+utf16)', () => {
    const args = [[['a', 'ÿ'], [], ['€']], [[1, 1.5], [-1, -1.5]], [1, -2, 3], new Map([['k', 1], ['ü', 2]])];
    let seen: unknown[] = [];
    const r = roundTrip('echo-lists', args, (...vals) => ((seen = vals), vals), 'latin1+utf16');
    expect(seen).toEqual(args);
    expect(r).toEqual(args);
  });
});

describe('interpreter: lifting bad values traps like the generated code', () => {
  const lift = (name: string, flat: unknown[], setup?: (st: CoreInstance) => void) => {
    const st = state();
    setup?.(st);
    const plan = planner.plan(fn(name), 'import', { encoding: 'utf8', coreName: name });
    return () => execPlan(plan, { resolve, st, args: flat, callInterface: (vals) => vals[0] });
  };

  it('an enum or variant discriminant out of range', () => {
    expect(lift('take-color', [3])).toThrow(new Trap('invalid discriminant 3'));
    expect(lift('take-shape', [4, 0, 0n])).toThrow(new Trap('invalid discriminant 4'));
    expect(lift('take-shape', [-1, 0, 0n])).toThrow(new Trap('invalid discriminant 4294967295'));
  });

  it('flags: bits past the last flag are ignored', () => {
    const st = state();
    const plan = planner.plan(fn('take-perms'), 'import', { encoding: 'utf8', coreName: 'take-perms' });
    let seen: unknown;
    execPlan(plan, { resolve, st, args: [0xff], callInterface: (vals) => ((seen = vals[0]), vals[0]) });
    expect(seen).toBe(0b111);
  });

  it('a char that is not a Unicode scalar value, invalid UTF-8, a misaligned list', () => {
    expect(lift('take-char', [0xd800])).toThrow(new Trap('invalid char'));
    expect(lift('take-char', [0x110000])).toThrow(new Trap('invalid char'));
    expect(lift('take-shape', [3, 64, 2n], (st) => st.mem.u8.set([0xc3, 0x28], 64))).toThrow(new Trap('invalid utf-8'));
    expect(lift('take-bytes', [66, 1])).toThrow(new Trap('list misaligned'));
    expect(lift('take-bytes', [65532, 2])).toThrow(new Trap('list out of bounds'));
  });
});

describe('interpreter: handles move between two handle tables by rep', () => {
  const { resolve: rres } = loadWitSource([
    {
      path: 'r.wit',
      text: `package t:r;
interface api {
  resource thing;
  pass: func(a: own<thing>, b: borrow<thing>, c: list<borrow<thing>>) -> own<thing>;
}
world w { export api; }
`,
    },
  ]);
  const rapi = rres.interfaces.find((i) => i.name === 'api')!;
  const thing = rapi.types.get('thing')!;
  const rplanner = new Planner(rres);
  const pass = rapi.functions.get('pass')!;
  const RT = 7;

  /** Caller → callee through both plans; `calleeImplements` says whether borrows arrive as reps. */
  function call(caller: CoreInstance, callee: CoreInstance, flat: unknown[], calleeImplements: boolean, core: (...a: unknown[]) => unknown) {
    const imp = rplanner.plan(pass, 'import', { encoding: 'utf8', coreName: 'pass' });
    const exp = rplanner.plan(pass, 'export', { encoding: 'utf8', coreName: 'pass' });
    const resource = (local: boolean) => (id: number) => {
      expect(id).toBe(thing);
      return { rt: RT, local };
    };
    const mark = caller.handles.lendMark();
    try {
      return execPlan(imp, {
        resolve: rres,
        st: caller,
        args: flat,
        resource: resource(false),
        callInterface: (vals) => {
          callee.enter();
          const r = execPlan(exp, { resolve: rres, st: callee, args: vals, resource: resource(calleeImplements), callWasm: (a) => core(...a) })[0];
          callee.leave();
          return r;
        },
      })[0];
    } finally {
      caller.handles.releaseLends(mark);
    }
  }

  it('own moves (gone from the caller), borrows become scoped borrow handles, the own result moves back', () => {
    const caller = state();
    const callee = state();
    const a = caller.handles.resourceNew(100, RT);
    const b = caller.handles.resourceNew(200, RT);
    const c = caller.handles.resourceNew(300, RT);
    caller.mem.dv.setInt32(64, b, true);
    caller.mem.dv.setInt32(68, c, true);
    let seen: number[] = [];
    const out = call(caller, callee, [a, b, 64, 2], false, (ha, hb, p, n) => {
      // In the callee: its own handles, with the same reps.
      seen = [callee.handles.resourceRep(ha as number, RT), callee.handles.resourceRep(hb as number, RT)];
      // The own handle left the caller's table when it was lifted.
      expect(() => caller.handles.resourceRep(a, RT)).toThrow(new Trap('unknown handle'));
      for (let i = 0; i < (n as number); i++) {
        const h = callee.mem.dv.getInt32((p as number) + 4 * i, true);
        seen.push(callee.handles.resourceRep(h, RT));
        callee.handles.resourceDrop(h, RT);
      }
      callee.handles.resourceDrop(hb as number, RT); // borrows must be dropped before returning
      return ha; // the own handle goes back
    }) as number;
    expect(seen).toEqual([100, 200, 200, 300]);
    expect(caller.handles.resourceRep(out, RT)).toBe(100);
    expect(caller.handles.resourceRep(b, RT)).toBe(200);
    // The lends ended with the call: the borrowed handles can be dropped again.
    expect(caller.handles.resourceDrop(b, RT)).toBe(200);
    expect(callee.handles.size).toBe(0);
  });

  it('borrows to the implementing component are the reps themselves; a borrow handle kept past the call traps', () => {
    const caller = state();
    const callee = state();
    const a = caller.handles.resourceNew(1, RT);
    const b = caller.handles.resourceNew(2, RT);
    let got: unknown[] = [];
    call(caller, callee, [a, b, 0, 0], true, (ha, hb) => ((got = [hb]), ha));
    expect(got).toEqual([2]);
    const a2 = caller.handles.resourceNew(3, RT);
    expect(() => call(caller, callee, [a2, b, 0, 0], false, (ha) => ha)).toThrow(new Trap('borrowed handles remain at the end of the call'));
  });

  it('a handle of the wrong type or unknown traps in the caller’s table', () => {
    const caller = state();
    const callee = state();
    const other = caller.handles.resourceNew(5, RT + 1);
    expect(() => call(caller, callee, [other, other, 0, 0], false, (ha) => ha)).toThrow(new Trap('handle of the wrong type'));
    expect(() => call(caller, callee, [42, 42, 0, 0], false, (ha) => ha)).toThrow(new Trap('unknown handle'));
  });
});
