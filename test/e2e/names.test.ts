/**
 * `wit/codegen/names.wit` (names that JS/TS reserve, globals the generated code uses, names the
 * generated module declares, and names colliding with each other) through generated bindings,
 * bound with `bindCore` to a stand-in core module written in JS: every typed export must reach the
 * right core function with the right arguments, and every core import the right host method. The
 * golden test type-checks the same module (generated/codegen/names.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBindings } from '../support/bindings.js';

let mod: any;

beforeAll(async () => {
  mod = await loadBindings('wit/codegen/names.wit', { name: 'names' });
});

/** A stand-in core instance: a memory, a bump allocator, and core functions that record calls. */
function fakeCore(impls: Record<string, (...args: any[]) => unknown> = {}) {
  const memory = new WebAssembly.Memory({ initial: 1 });
  let top = 1024;
  const calls: [string, unknown[]][] = [];
  const target: Record<string, unknown> = {
    memory,
    cabi_realloc: (_old: number, _oldSize: number, align: number, size: number) => {
      top = (top + align - 1) & -align;
      const p = top;
      top += size;
      return p;
    },
  };
  const ex = new Proxy(target, {
    get(t, name: string) {
      if (name in t) return t[name];
      if (name.startsWith('cabi_post_')) return undefined;
      return (...args: unknown[]) => {
        calls.push([name, args]);
        return impls[name]?.(...args) ?? 0;
      };
    },
  });
  return { ex, memory, calls };
}

/** Host implementation of the imports (they are only called through the raw core imports). */
function hostImports(log: unknown[] = []) {
  class R {
    constructor(public n: number) {}
    delete(d: number) {
      return d + this.n;
    }
    then() {
      return 'then';
    }
    constructor_() {
      return 77;
    }
    static static(f: string) {
      return new R(f.length);
    }
    static name_() {
      return 'static name';
    }
  }
  return {
    R,
    imports: {
      'test:names/web-assembly': { getMap: () => [] },
      'test:names/host-side': { R, useR: (r: R, c: number) => new R(r.n + c) },
      log: (...args: unknown[]) => log.push(args),
    },
  };
}

describe('names.wit: keywords, globals and collisions', () => {
  it('world-level exports named like keywords and generated functions reach their core functions', () => {
    const f = fakeCore({ types: () => 1, delete: (n: number) => n + 1, then: () => 3, 'bind-core': () => 4, 'create-core-imports': () => 5 });
    const ex = mod.bindCore(f.ex, mod.createCoreImports(hostImports().imports));
    expect(ex.types()).toBe(1);
    expect(ex.delete(41)).toBe(42);
    expect(ex.then_()).toBe(3);
    expect(ex.bindCore()).toBe(4);
    expect(ex.createCoreImports()).toBe(5);
    expect(f.calls.map(([n]) => n)).toEqual(['types', 'delete', 'then', 'bind-core', 'create-core-imports']);
  });

  it('the exports object is not a thenable: awaiting it does not call the guest', async () => {
    const f = fakeCore();
    const ex = mod.bindCore(f.ex, mod.createCoreImports(hostImports().imports));
    expect('then' in ex).toBe(false);
    expect(await Promise.resolve(ex)).toBe(ex);
    expect(f.calls).toEqual([]);
  });

  it('interfaces of the same name: both under their full names, the short name is the world function', () => {
    const f = fakeCore({
      'test:names/types#make': () => {
        new DataView(f.memory.buffer).setInt32(64, -5, true);
        new DataView(f.memory.buffer).setInt32(68, 6, true);
        return 64;
      },
    });
    const ex = mod.bindCore(f.ex, mod.createCoreImports(hostImports().imports));
    expect(ex['test:names/types'].make(1, 2)).toEqual({ x: -5, y: 6 });
    expect(f.calls[0]).toEqual(['test:names/types#make', [1, 2]]);
    expect(() => ex['other:names/types'].make('x')).not.toThrow(TypeError);
    expect(f.calls[1]![0]).toBe('other:names/types#make');
    expect(typeof ex.types).toBe('function');
    expect(ex.interface).toBe(ex['test:names/interface']);
    expect(ex.exports).toBe(ex['test:names/exports']);
  });

  it('functions and params named like keywords, locals and runtime helpers keep their order', () => {
    const f = fakeCore({ 'test:names/interface#params': (...a: number[]) => a.length, 'test:names/interface#new': () => 9 });
    const ex = mod.bindCore(f.ex, mod.createCoreImports(hostImports().imports));
    const i = ex.interface;
    expect(i.params(1, 2, 3, 4, 5, 6, 7, 8, 'p1', 10, 11, 12, 13, 14, 15)).toBe(16);
    const [name, args] = f.calls[0]!;
    expect(name).toBe('test:names/interface#params');
    expect((args as number[]).filter((_, k) => k !== 8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 2, 10, 11, 12, 13, 14, 15]);
    expect(i.new()).toBe(9);
    expect(() => i.params(1, 2, 3, 4, 5, 6, 7, 8, 'p1', 10, 11, 12, 13, 14, -1)).toThrow(/^result: expected u32 /);
  });

  it('flags named like members of every object are false unless set to true', () => {
    const f = fakeCore({ 'test:names/interface#use-flags': (bits: number) => bits });
    const ex = mod.bindCore(f.ex, mod.createCoreImports(hostImports().imports));
    const none = { constructor: false, toString: false, valueOf: false, hasOwnProperty: false, isPrototypeOf: false, proto: false };
    expect(ex.interface.useFlags({})).toEqual(none);
    expect(f.calls[0]).toEqual(['test:names/interface#use-flags', [0]]);
    expect(ex.interface.useFlags({ constructor: true, proto: true })).toEqual({ ...none, constructor: true, proto: true });
    expect(f.calls[1]).toEqual(['test:names/interface#use-flags', [1 | 32]]);
    expect(ex.interface.useFlags({ ...none, toString: true, hasOwnProperty: true })).toEqual({ ...none, toString: true, hasOwnProperty: true });
  });

  it('enum cases and variant tags named like keywords', () => {
    const f = fakeCore();
    const ex = mod.bindCore(f.ex, mod.createCoreImports(hostImports().imports));
    expect(() => ex.interface.useKeywords('constructor', { tag: 'constructor', val: 1 }, {})).toThrow(/^f\.constructor: expected u32, got function$/);
    expect(() => ex.interface.useKeywords('toString', { tag: 'default' }, {})).toThrow(TypeError);
    expect(f.calls).toEqual([]);
  });

  it('a guest resource with a method named `constructor` and a static named `name`', () => {
    let rep = 0;
    const f = fakeCore({
      'test:names/interface#[constructor]r': (n: number) => link.imports['[export]test:names/interface']['[resource-new]r'](100 + n),
      'test:names/interface#[method]r.constructor': (self: number) => {
        rep = self;
        return 7;
      },
    });
    const link = mod.createCoreImports(hostImports().imports);
    const ex = mod.bindCore(f.ex, link);
    const r = new ex.interface.R(5, 'class');
    expect(r.constructor_()).toBe(7);
    expect(rep).toBe(105);
    expect(r.constructor).toBe(ex.interface.R);
    expect(typeof ex.interface.R.name_).toBe('function');
    expect(ex.interface.R.name).toBe('R');
  });

  it('a host resource with the same names, called through the raw core imports', () => {
    const { R, imports } = hostImports();
    const link = mod.createCoreImports(imports);
    const f = fakeCore();
    mod.bindCore(f.ex, link);
    const raw = link.imports['test:names/host-side'];
    const h = raw['[constructor]r'](3);
    expect(raw['[method]r.delete'](h, 4)).toBe(7);
    expect(raw['[method]r.constructor'](h)).toBe(77);
    raw['[static]r.name'](512);
    const dv = new DataView(f.memory.buffer);
    const [p, n] = [dv.getInt32(512, true), dv.getInt32(516, true)];
    expect(new TextDecoder().decode(new Uint8Array(f.memory.buffer, p, n))).toBe('static name');
    expect(link.state.hostObjects.size).toBe(1);
    raw['[resource-drop]r'](h);
    expect(link.state.hostObjects.size).toBe(0);
    expect(R.name).toBe('R');
  });

  it('world-level types named like globals are the host import types', () => {
    const log: unknown[] = [];
    const link = mod.createCoreImports(hostImports(log).imports);
    const f = fakeCore();
    mod.bindCore(f.ex, link);
    new Uint8Array(f.memory.buffer).set(new TextEncoder().encode('errcl'), 256);
    link.imports.$root.log(1, 256, 3, 7, 259, 2, 9);
    expect(log).toEqual([[{ map: 1 }, { error: 'err' }, 7, 'cl', { default: 9 }]]);
  });
});
