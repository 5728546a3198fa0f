// Hand-written components (test/component/fixtures/*.wat, assembled by wasm-tools `parse`) that
// exercise what the C guests do not: every type constructor, resources with every kind of
// function, async functions, versioned names, nested components and outer aliases of every
// sort, component and module imports, every canonical built-in.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeComponent } from '../../src/host/component/decode.js';
import type { Canon, Component } from '../../src/host/component/model.js';
import { ComponentWitError, componentToWit } from '../../src/host/component/to-wit.js';
import { typeComponent } from '../../src/host/component/types.js';
import { formatPackageName } from '../../src/wit/model.js';
import { expectIndicesMatchPrinter, expectWitMatchesOracle } from './helpers.js';
import { componentWit, root, watComponent } from './support.js';

function fixture(name: string): Promise<Uint8Array> {
  return watComponent(
    name,
    readFileSync(join(root, 'test', 'component', 'fixtures', `${name}.wat`), 'utf8'),
  );
}

function canons(c: Component): Canon[] {
  return c.definitions.flatMap((d) => (d.kind === 'canon' ? [d.canon] : []));
}

describe('types.wat: every type constructor, resources, async, versions', () => {
  it('decodes with the index spaces wasm-tools prints', async () => {
    await expectIndicesMatchPrinter(await fixture('types'));
  });

  it('recovers the WIT wasm-tools recovers', async () => {
    await expectWitMatchesOracle(await fixture('types'));
  });

  it('groups interfaces into versioned packages', async () => {
    const { resolve, world } = componentToWit(await fixture('types'));
    expect(resolve.packages.map((p) => formatPackageName(p.name))).toEqual([
      'test:types@1.2.3-rc.1+build.5',
      'test:types',
      'root:component',
    ]);
    const w = resolve.worlds[world]!;
    expect(w.name).toBe('root');
    expect([...w.imports.keys()]).toEqual([
      'interface-0',
      'interface-1',
      'point',
      'color',
      'world-fn',
      'world-async',
      'wres',
      '[constructor]wres',
      '[method]wres.size',
      '[static]wres.all',
    ]);
    const wres = w.imports.get('wres')!;
    if (wres.kind !== 'type') throw new Error('expected a type');
    expect(resolve.types[wres.id]).toMatchObject({
      name: 'wres',
      kind: { tag: 'resource' },
      owner: { kind: 'world' },
    });
    expect(w.imports.get('[static]wres.all')).toMatchObject({
      kind: 'function',
      func: { kind: { tag: 'static', resource: wres.id } },
    });
    const user = resolve.interfaces[1]!;
    // `user` uses `point`, `res` and `color` from `types`: aliases, not copies.
    for (const name of ['point', 'res', 'color']) {
      const def = resolve.types[user.types.get(name)!]!;
      expect(def.kind).toEqual({ tag: 'type', type: resolve.interfaces[0]!.types.get(name) });
    }
    const res = resolve.interfaces[0]!.types.get('res')!;
    const fns = resolve.interfaces[0]!.functions;
    expect(fns.get('[constructor]res')!.kind).toEqual({ tag: 'constructor', resource: res });
    expect(fns.get('[method]res.get')!.kind).toEqual({ tag: 'method', resource: res });
    expect(fns.get('[method]res.wait')!.kind).toEqual({ tag: 'async-method', resource: res });
    expect(fns.get('[static]res.merge')!.kind).toEqual({ tag: 'static', resource: res });
    expect(fns.get('[static]res.make')!.kind).toEqual({ tag: 'async-static', resource: res });
    expect(fns.get('async-fn')!.kind).toEqual({ tag: 'async-freestanding' });
  });
});

describe('nested.wat: shims, inline instances, outer aliases, component imports', () => {
  it('decodes with the index spaces wasm-tools prints (nested components too)', async () => {
    const c = await expectIndicesMatchPrinter(await fixture('nested'));
    const nested = c.definitions.flatMap((d) => (d.kind === 'component' ? [d.component] : []));
    expect(nested.map((n) => n.parent)).toEqual([c, c]);
    const outerUser = nested[1]!;
    expect(
      outerUser.definitions.flatMap((d) =>
        d.kind === 'alias' && d.alias.target.kind === 'outer' ? [d.alias.sort] : [],
      ),
    ).toEqual(['component', 'core-module', 'core-type', 'type']);
  });

  it('recovers the WIT wasm-tools recovers', async () => {
    await expectWitMatchesOracle(await fixture('nested'));
  });

  it('types the shim instance: the exported resource is the one the component defines', async () => {
    const c = decodeComponent(await fixture('nested'));
    const types = typeComponent(c);
    const exp = types.root.externs.find((e) => e.name === 'test:nested/things@0.1.0')!;
    if (exp.entity.sort !== 'instance') throw new Error('expected an instance export');
    const inst = types.resolved(exp.entity.type);
    if (inst.kind !== 'instance') throw new Error('expected an instance type');
    const thing = inst.exports.get('thing')!;
    if (thing.sort !== 'type') throw new Error('expected a type export');
    const resource = types.resolved(thing.referenced);
    expect(resource.kind).toBe('resource');
    expect(resource.kind === 'resource' && resource.origin).toEqual({
      kind: 'defined',
      component: c,
      definition: 17,
    });
    expect(c.definitions[17]).toMatchObject({ kind: 'type', type: { kind: 'resource', dtor: 4 } });
  });
});

describe('aliases.wat: exports and aliases of every sort', () => {
  it('decodes with the index spaces wasm-tools prints (nested components too)', async () => {
    const c = await expectIndicesMatchPrinter(await fixture('aliases'));
    const aliases = c.definitions.flatMap((d) =>
      d.kind === 'alias' ? [[d.alias.sort, d.alias.target.kind]] : [],
    );
    expect(aliases).toEqual([
      ['instance', 'export'],
      ['component', 'export'],
      ['type', 'export'],
      ['func', 'export'],
      ['core-func', 'core-export'],
      ['core-memory', 'core-export'],
    ]);
    expect(c.exports.map((e) => [e.name.name, e.item.sort])).toEqual([
      ['inner-again', 'instance'],
      ['comp-again', 'component'],
      ['mod-again', 'core-module'],
      ['t-again', 'type'],
    ]);
  });

  it('types every alias, and has no WIT (as wasm-tools says)', async () => {
    const bytes = await fixture('aliases');
    const types = typeComponent(decodeComponent(bytes));
    expect(types.root.scope.funcs.length).toBe(1);
    expect(types.resolved(types.root.scope.types[3]!).kind).toBe('resource');
    expect(() => componentToWit(bytes)).toThrow(ComponentWitError);
    await expect(componentWit(bytes)).rejects.toThrow(
      /instance type export `inner` is not a type or function/,
    );
  });
});

describe('canon.wat: every canonical built-in', () => {
  it('decodes with the index spaces wasm-tools prints', async () => {
    await expectIndicesMatchPrinter(await fixture('canon'));
  });

  it('recovers the WIT wasm-tools recovers', async () => {
    await expectWitMatchesOracle(await fixture('canon'));
  });

  it('decodes each built-in and its options', async () => {
    const all = canons(decodeComponent(await fixture('canon')));
    expect(all.map((c) => c.op)).toEqual([
      'lift',
      'lift',
      'lift',
      'lift',
      'lift',
      'lower',
      'lower',
      'resource.new',
      'resource.drop',
      'resource.rep',
      'backpressure.inc',
      'backpressure.dec',
      'task.return',
      'task.return',
      'task.cancel',
      'context.get',
      'context.set',
      'thread.yield',
      'subtask.cancel',
      'subtask.cancel',
      'subtask.drop',
      'stream.new',
      'stream.read',
      'stream.write',
      'stream.cancel-read',
      'stream.cancel-write',
      'stream.drop-readable',
      'stream.drop-writable',
      'future.new',
      'future.read',
      'future.write',
      'future.cancel-read',
      'future.cancel-write',
      'future.drop-readable',
      'future.drop-writable',
      'error-context.new',
      'error-context.debug-message',
      'error-context.drop',
      'waitable-set.new',
      'waitable-set.wait',
      'waitable-set.poll',
      'waitable-set.drop',
      'waitable.join',
      'thread.index',
      'thread.new-indirect',
      'thread.resume-later',
      'thread.suspend',
      'thread.suspend-then-resume',
      'thread.yield-then-resume',
      'thread.suspend-then-promote',
      'thread.yield-then-promote',
      'thread.spawn-ref',
      'thread.spawn-indirect',
      'thread.available-parallelism',
    ]);
    const [liftAsync, utf8, utf16, latin1, post] = all as Extract<Canon, { op: 'lift' }>[];
    expect(liftAsync!.options).toMatchObject({
      async: true,
      callback: 2,
      memory: 0,
      stringEncoding: null,
    });
    expect(utf8!.options).toMatchObject({ stringEncoding: 'utf8', realloc: 3, memory: 0 });
    expect(utf16!.options.stringEncoding).toBe('utf16');
    expect(latin1!.options.stringEncoding).toBe('latin1+utf16');
    expect(post!.options).toMatchObject({ postReturn: 5, async: false });
    const lowerAsync = all[6] as Extract<Canon, { op: 'lower' }>;
    expect(lowerAsync.options.async).toBe(true);
    expect(all[12]).toMatchObject({ op: 'task.return', result: 'string' });
    expect(all[13]).toMatchObject({ op: 'task.return', result: null });
    expect(all[15]).toEqual({ op: 'context.get', valtype: 'i32', index: 0 });
    expect(all[19]).toEqual({ op: 'subtask.cancel', async: true });
    expect(all[23]).toMatchObject({ op: 'stream.write', options: { async: true, memory: 0 } });
    expect(all[26 - 1]).toEqual({ op: 'stream.cancel-write', type: 1, async: true });
    expect(all[44]).toEqual({ op: 'thread.new-indirect', coreType: 0, table: 0 });
    expect(all[51]).toEqual({ op: 'thread.spawn-ref', coreType: 1 });
    expect(all[52]).toEqual({ op: 'thread.spawn-indirect', coreType: 1, table: 1 });
  });
});

describe('reexport.wat: an imported instance exported again', () => {
  it('decodes with the index spaces wasm-tools prints', async () => {
    await expectIndicesMatchPrinter(await fixture('reexport'));
  });

  it('imports and exports one interface (wasm-tools panics on this one)', async () => {
    const { resolve, world } = componentToWit(await fixture('reexport'));
    const w = resolve.worlds[world]!;
    expect([...w.imports.keys()]).toEqual(['interface-0']);
    expect([...w.exports.keys()]).toEqual(['interface-0']);
    expect(resolve.interfaces).toHaveLength(1);
    const api = resolve.interfaces[0]!;
    expect([...api.types.keys()]).toEqual(['handle', 'info']);
    expect([...api.functions.keys()]).toEqual(['[constructor]handle', '[method]handle.read']);
    expect(resolve.packages.map((p) => formatPackageName(p.name))).toEqual([
      'test:reexport@2.0.0',
      'root:component',
    ]);
  });
});
