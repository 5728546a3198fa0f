/**
 * An interface both imported and exported: its resource is two resource types (the host's class
 * on the import side, the guest's generated class on the export side), with separate handle
 * types. The guest here is a stand-in core module written in JS that drives the raw core imports.
 */
import { describe, expect, it } from 'vitest';
import { loadBindings } from '../support/bindings.js';

const KEY = 'test:import-export/store';

class HostItem {
  constructor(readonly n: number) {}
  get(): number {
    return this.n;
  }
}

describe('a resource of an interface both imported and exported', () => {
  it('keeps the host class and the guest class apart', async () => {
    const mod: any = await loadBindings('wit/codegen/import-export-resource.wit', { name: 'import-export-resource' });
    const link = mod.createCoreImports({
      [KEY]: { Item: HostItem, make: (n: number) => new HostItem(n), read: (x: HostItem) => x.n },
    });
    const host = link.imports[KEY];
    const builtins = link.imports[`[export]${KEY}`];
    const reps = new Map<number, number>();
    let next = 100;
    const seen: number[] = [];
    const ex = {
      memory: new WebAssembly.Memory({ initial: 1 }),
      cabi_realloc: () => 8,
      // The guest's own items: a rep per item, a handle from [resource-new].
      [`${KEY}#[constructor]item`]: (n: number) => {
        reps.set(next, n);
        return builtins['[resource-new]item'](next++);
      },
      [`${KEY}#[method]item.get`]: (rep: number) => reps.get(rep),
      [`${KEY}#read`]: (rep: number) => reps.get(rep),
      // make: uses the host's item through the imports (own handle in, method, drop), then
      // returns one of its own.
      [`${KEY}#make`]: (n: number) => {
        const h = host['[constructor]item'](n);
        seen.push(host['[method]item.get'](h));
        host['[resource-drop]item'](h);
        reps.set(next, n * 10);
        return builtins['[resource-new]item'](next++);
      },
      [`${KEY}#[dtor]item`]: (rep: number) => reps.delete(rep),
    };
    const { store } = mod.bindCore(ex, link);
    const made = store.make(7);
    expect(seen).toEqual([7]); // the host's HostItem passed its own class check
    expect(made).toBeInstanceOf(store.Item);
    expect(made).not.toBeInstanceOf(HostItem);
    expect(made.get()).toBe(70);
    const mine = new store.Item(3);
    expect(store.read(mine)).toBe(3);
    // A host item is not the guest's type, and the other way round.
    expect(() => store.read(new HostItem(1))).toThrow(new TypeError('x: expected Item, got HostItem'));
    mine[Symbol.dispose]();
    made[Symbol.dispose]();
    expect(reps.size).toBe(0);
    expect(link.state.handles.size).toBe(0);
    expect(link.state.hostObjects.size).toBe(0);
  });
});
