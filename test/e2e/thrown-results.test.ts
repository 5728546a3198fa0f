/**
 * `wit/codegen/thrown-results.wit`: exports whose `result` error is thrown as a ComponentError.
 * The generated export is a small wrapper over a helper that does the call and returns normally,
 * handing the error over (so that V8 optimizes the helper even when every call fails). Bound with
 * `bindCore` to a stand-in core module written in JS, these check what the split must keep:
 * the ok value, the thrown payload, no error left over for the next call, the receiver check of
 * methods, argument validation, and traps that come after the error was lifted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ComponentError, Trap } from '../../src/runtime/index.js';
import { loadBindings } from '../support/bindings.js';
import { thrownBy } from '../support/outcome.js';

let mod: any;

beforeAll(async () => {
  mod = await loadBindings('wit/codegen/thrown-results.wit', { name: 'thrown-results' });
});

const K = 'test:thrown/api#';

/**
 * A stand-in for a core module implementing the world by hand, bound to generated bindings:
 * counters are reps into `values`, made handles with the `[resource-new]` built-in; results are
 * written at RET (disc u8 @0, payload @4), strings at STR.
 */
function bind(opts: { postReturnTraps?: boolean } = {}) {
  const link = mod.createCoreImports();
  const builtins = link.imports['[export]test:thrown/api'];
  const memory = new WebAssembly.Memory({ initial: 1 });
  const RET = 64;
  const STR = 256;
  let top = 4096;
  const values = new Map<number, number>();
  let nextRep = 1;
  const calls: string[] = [];
  const dv = () => new DataView(memory.buffer);
  const ok = (val: number) => {
    dv().setUint8(RET, 0);
    dv().setUint32(RET + 4, val, true);
    return RET;
  };
  const errStr = (s: string) => {
    const bytes = new TextEncoder().encode(s);
    new Uint8Array(memory.buffer).set(bytes, STR);
    dv().setUint8(RET, 1);
    dv().setUint32(RET + 4, STR, true);
    dv().setUint32(RET + 8, bytes.length, true);
    return RET;
  };
  const newCounter = (start: number): number => {
    const rep = nextRep++;
    values.set(rep, start);
    return builtins['[resource-new]counter'](rep);
  };
  const post = (name: string) => () => {
    calls.push(`post ${name}`);
    if (opts.postReturnTraps) throw new WebAssembly.RuntimeError('unreachable');
  };
  const ex: Record<string, unknown> = {
    memory,
    cabi_realloc: (_old: number, _oldSize: number, align: number, size: number) => {
      top = (top + align - 1) & -align;
      const p = top;
      top += size;
      return p;
    },
    [`${K}[constructor]counter`]: (start: number) => newCounter(start >>> 0),
    [`${K}[method]counter.add`]: (rep: number, by: number) => {
      calls.push(`add ${rep} ${by}`);
      if (by === 0) return errStr('zero');
      return ok(values.get(rep)! + by);
    },
    [`cabi_post_${K}[method]counter.add`]: post('add'),
    [`${K}[method]counter.fail`]: (rep: number) => {
      calls.push(`fail ${rep}`);
      dv().setUint8(RET, 1);
      dv().setUint32(RET + 4, values.get(rep)!, true);
      return RET;
    },
    [`${K}[static]counter.make`]: (start: number) => {
      if (start === 0) return errStr('start is 0');
      dv().setUint8(RET, 0);
      dv().setUint32(RET + 4, newCounter(start), true);
      return RET;
    },
    [`cabi_post_${K}[static]counter.make`]: post('make'),
    [`${K}half`]: (n: number) => (n % 2 === 0 ? ok(n / 2) : errStr(`odd: ${n}`)),
    [`cabi_post_${K}half`]: post('half'),
    [`${K}unit`]: (flag: number) => (flag ? 0 : 1),
    [`${K}[dtor]counter`]: (rep: number) => {
      calls.push(`dtor ${rep}`);
      values.delete(rep);
    },
  };
  return { api: mod.bindCore(ex, link).api, calls };
}

describe('exports whose result error is thrown', () => {
  it('return the ok value and throw the err payload, with nothing left over for the next call', () => {
    const { api } = bind();
    expect(api.half(10)).toBe(5);
    const e = thrownBy(() => api.half(7));
    expect(e).toBeInstanceOf(ComponentError);
    expect((e as ComponentError).payload).toBe('odd: 7');
    // An error is thrown once: the calls after it see only their own outcome.
    expect(api.half(4)).toBe(2);
    for (let i = 0; i < 2000; i++) {
      if (i % 3 === 0) expect(api.half(2 * i)).toBe(i);
      else expect((thrownBy(() => api.half(2 * i + 1)) as ComponentError).payload).toBe(`odd: ${2 * i + 1}`);
    }
  });

  it('a result with no payloads: ok returns undefined, err throws a ComponentError with payload undefined', () => {
    const { api } = bind();
    expect(api.unit(true)).toBeUndefined();
    const e = thrownBy(() => api.unit(false)) as ComponentError;
    expect(e).toBeInstanceOf(ComponentError);
    expect(e.payload).toBeUndefined();
    expect(api.unit(true)).toBeUndefined();
  });

  it('methods reach the guest with their receiver, and throw their err', () => {
    const f = bind();
    const api = f.api;
    const a = new api.Counter(10);
    const b = new api.Counter(20);
    expect(a.add(1)).toBe(11);
    expect(b.add(2)).toBe(22);
    expect((thrownBy(() => b.add(0)) as ComponentError).payload).toBe('zero');
    expect(a.add(3)).toBe(13);
    expect((thrownBy(() => a.fail()) as ComponentError).payload).toBe(10);
    expect((thrownBy(() => b.fail()) as ComponentError).payload).toBe(20);
    expect(f.calls.filter((c) => !c.startsWith('post'))).toEqual(['add 1 1', 'add 2 2', 'add 2 0', 'add 1 3', 'fail 1', 'fail 2']);
  });

  it('statics return a new object or throw', () => {
    const { api } = bind();
    const c = api.Counter.make(5);
    expect(c).toBeInstanceOf(api.Counter);
    expect(c.add(1)).toBe(6);
    expect((thrownBy(() => api.Counter.make(0)) as ComponentError).payload).toBe('start is 0');
  });

  it('a method on a wrong receiver, a dropped one, or with a bad argument throws naming it', () => {
    const f = bind();
    const api = f.api;
    const c = new api.Counter(1);
    expect(() => api.Counter.prototype.add.call({}, 1)).toThrow(/^Counter\.add: expected Counter/);
    expect(() => c.add(-1)).toThrow(new RangeError('by: expected u32 (an integer in [0, 4294967295]), got -1'));
    c[Symbol.dispose]();
    expect(() => c.add(1)).toThrow(TypeError);
    expect(f.calls).toEqual(['dtor 1']);
    // The instance is still fine.
    expect(new api.Counter(2).add(2)).toBe(4);
  });

  it('a trap after the error was lifted (in post-return) is what the call throws, and poisons the instance', () => {
    const f = bind({ postReturnTraps: true });
    const api = f.api;
    const e = thrownBy(() => api.half(7));
    expect(e).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(e).not.toBeInstanceOf(ComponentError);
    expect(f.calls).toEqual(['post half']);
    const again = thrownBy(() => api.half(8));
    expect(again).toBeInstanceOf(Trap);
    expect((again as Trap).reason).toMatch(/trapped earlier/);
  });
});
