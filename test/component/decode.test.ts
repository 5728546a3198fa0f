// Decoder unit tests on hand-made bytes: encodings that wasm-tools' text format does not produce
// (values, start, async destructors, legacy names, version suffixes, …), the light core module
// parse, the name section, and index-space bookkeeping.
import { describe, expect, it } from 'vitest';
import {
  ComponentDecodeError,
  decodeComponent,
  isComponentBinary,
} from '../../src/host/component/decode.js';
import type { Canon, Definition } from '../../src/host/component/model.js';
import { typeComponent } from '../../src/host/component/types.js';
import { component, componentBody, leb, section, sleb, str, vec, type Bytes } from './bytes.js';
import { parseWat, root, watComponent } from './support.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ALIAS = 6;
const TYPE = 7;
const CANON = 8;
const IMPORT = 10;
const EXPORT = 11;

function defs(bytes: Uint8Array): Definition[] {
  return decodeComponent(bytes).definitions;
}

/** A resource type 0 and a core memory 0, for canonical built-ins to refer to. */
const CANON_PRELUDE: Bytes[] = [
  section(TYPE, vec([[0x3f, 0x7f, 0x00]])),
  section(1, [
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...section(5, vec([[0x00, 0x01]])),
    ...section(7, vec([[...str('m'), 0x02, 0x00]])),
  ]),
  section(2, vec([[0x00, 0x00, ...vec([])]])),
  section(ALIAS, vec([[0x00, 0x02, 0x01, 0x00, ...str('m')]])),
];

function canon(...entries: Bytes[]): Canon[] {
  return defs(component(...CANON_PRELUDE, section(CANON, vec(entries)))).flatMap((d) =>
    d.kind === 'canon' ? [d.canon] : [],
  );
}

function decodeError(bytes: Uint8Array): ComponentDecodeError {
  try {
    decodeComponent(bytes);
  } catch (e) {
    if (e instanceof ComponentDecodeError) return e;
    throw e;
  }
  throw new Error('expected a ComponentDecodeError');
}

describe('preamble', () => {
  it('an empty component has empty index spaces', () => {
    const c = decodeComponent(component());
    expect(c.version).toBe(0x0d);
    expect(c.definitions).toEqual([]);
    expect(Object.values(c.spaces).every((s) => s.length === 0)).toBe(true);
    expect(isComponentBinary(component())).toBe(true);
  });

  it('rejects a core module, a bad magic number and other versions, with the offset', () => {
    const core = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    expect(isComponentBinary(core)).toBe(false);
    expect(decodeError(core)).toMatchObject({ offset: 6, expected: 'a component (layer 1)' });
    expect(decodeError(Uint8Array.from([0, 0x61, 0x73, 0x6e, 0x0d, 0, 1, 0]))).toMatchObject({
      offset: 0,
    });
    const old = decodeError(Uint8Array.from([0, 0x61, 0x73, 0x6d, 0x0a, 0, 1, 0]));
    expect(old.offset).toBe(4);
    expect(old.message).toMatch(/version 0x0d.*found 0a 00/);
  });
});

describe('names', () => {
  // (type (component)) so imports have something to refer to.
  const componentType = section(TYPE, vec([[0x41, ...leb(0)]]));

  it('reads plain names, version suffixes and the legacy 0x01 form', () => {
    const c = decodeComponent(
      component(
        componentType,
        section(
          IMPORT,
          vec([
            [0x00, ...str('a:b/c@1.0.0'), 0x04, 0x00],
            [0x01, ...str('a:b/d@1.0'), ...str('1.0.3'), 0x04, 0x00],
            [0x01, ...str('a:b/e'), 0x04, 0x00],
          ]),
        ),
      ),
    );
    expect(c.imports.map((i) => i.name)).toEqual([
      { name: 'a:b/c@1.0.0', versionSuffix: null, legacyInterface: false },
      { name: 'a:b/d@1.0', versionSuffix: '1.0.3', legacyInterface: false },
      { name: 'a:b/e', versionSuffix: null, legacyInterface: true },
    ]);
    expect(c.imports.map((i) => i.desc)).toEqual([
      { sort: 'component', type: 0 },
      { sort: 'component', type: 0 },
      { sort: 'component', type: 0 },
    ]);
  });

  it('decodes the component-name section, and ignores a broken one', async () => {
    const wat = readFileSync(join(root, 'test', 'component', 'fixtures', 'nested.wat'), 'utf8');
    const c = decodeComponent(await watComponent('nested', wat));
    expect(c.names?.sorts.get('core-func')?.get(1)).toBe('log-lowered');
    expect(c.names?.sorts.get('type')?.get(0)).toBe('logger-t');
    expect(c.names?.sorts.get('component')?.get(0)).toBe('shim');
    const broken = decodeComponent(
      component(section(0, [...str('component-name'), 0x01, 0x05, 0x03])),
    );
    expect(broken.names).toBeNull();
    expect(broken.customSections.map((s) => s.name)).toEqual(['component-name']);
    const named = decodeComponent(
      component(section(0, [...str('component-name'), 0x00, 0x04, ...str('top')])),
    );
    expect(named.names?.component).toBe('top');
  });
});

describe('types', () => {
  it('reads every defvaltype opcode, with type indices as s33', () => {
    const types: Bytes[] = [
      [0x79], // u32
      [0x72, ...vec([[...str('a'), 0x00]])], // record { a: 0 }
      [
        0x71,
        ...vec([
          [...str('x'), 0x00, 0x00],
          [...str('y'), 0x01, 0x73, 0x00],
        ]),
      ],
      [0x70, 0x7d],
      [0x67, 0x7d, ...leb(16)],
      [0x6f, ...vec([[0x7f], [0x64]])],
      [0x6e, ...vec([str('f')])],
      [0x6d, ...vec([str('e')])],
      [0x6b, 0x74],
      [0x6a, 0x01, 0x73, 0x00],
      [0x3f, 0x7f, 0x00], // resource, no dtor
      [0x69, ...sleb(10)],
      [0x68, ...sleb(10)],
      [0x66, 0x00],
      [0x65, 0x01, 0x76],
      [0x63, 0x73, 0x75],
    ];
    // Pad to 70 types so the last one can use an index needing a 2-byte s33 (65 = 0xc1 0x00).
    while (types.length < 70) types.push([0x7f]);
    types.push([0x70, ...sleb(65)]);
    const c = decodeComponent(component(section(TYPE, vec(types))));
    const defined = c.definitions.map((d) =>
      d.kind === 'type' && d.type.kind === 'defined' ? d.type.type : d,
    );
    expect(defined.slice(0, 16)).toEqual([
      { kind: 'primitive', type: 'u32' },
      { kind: 'record', fields: [{ name: 'a', type: 0 }] },
      {
        kind: 'variant',
        cases: [
          { name: 'x', type: null, refines: null },
          { name: 'y', type: 'string', refines: null },
        ],
      },
      { kind: 'list', element: 'u8', length: null },
      { kind: 'list', element: 'u8', length: 16 },
      { kind: 'tuple', types: ['bool', 'error-context'] },
      { kind: 'flags', names: ['f'] },
      { kind: 'enum', names: ['e'] },
      { kind: 'option', type: 'char' },
      { kind: 'result', ok: 'string', err: null },
      expect.objectContaining({ kind: 'type' }),
      { kind: 'own', resource: 10 },
      { kind: 'borrow', resource: 10 },
      { kind: 'stream', element: null },
      { kind: 'future', element: 'f32' },
      { kind: 'map', key: 'string', value: 'f64' },
    ]);
    expect(defined[70]).toEqual({ kind: 'list', element: 65, length: null });
  });

  it('reads sync and async resource types, and async function types', () => {
    const core = [
      ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
      ...section(1, vec([[0x60, ...vec([[0x7f]]), ...vec([])]])),
      ...section(3, vec([[0x00]])),
      ...section(7, vec([[...str('d'), 0x00, 0x00]])),
      ...section(10, vec([[0x02, 0x00, 0x0b]])),
    ];
    const c = decodeComponent(
      component(
        section(1, core),
        section(2, vec([[0x00, 0x00, ...vec([])]])),
        section(ALIAS, vec([[0x00, 0x00, 0x01, 0x00, ...str('d')]])),
        section(
          TYPE,
          vec([
            [0x3f, 0x7f, 0x01, 0x00],
            [0x3e, 0x7f, 0x00, 0x01, 0x00],
            [0x3e, 0x7f, 0x00, 0x00],
            [0x43, ...vec([[...str('x'), 0x79]]), 0x01, 0x00],
            [0x40, ...vec([]), 0x00, 0x73],
          ]),
        ),
      ),
    );
    const t = c.definitions.flatMap((d) => (d.kind === 'type' ? [d.type] : []));
    expect(t).toEqual([
      { kind: 'resource', rep: 'i32', dtor: 0, async: false, callback: null },
      { kind: 'resource', rep: 'i32', dtor: 0, async: true, callback: 0 },
      { kind: 'resource', rep: 'i32', dtor: 0, async: true, callback: null },
      { kind: 'func', async: true, params: [{ name: 'x', type: 'u32' }], result: null },
      { kind: 'func', async: false, params: [], result: 'string' },
    ]);
    expect(c.spaces['core-module']).toHaveLength(1);
    expect(c.spaces['core-instance']).toHaveLength(1);
    expect(c.spaces['core-func']).toEqual([{ definition: 2, item: 0 }]);
  });

  it('rejects named results (the old resultlist form)', () => {
    const e = decodeError(
      component(section(TYPE, vec([[0x40, ...vec([]), 0x01, 0x01, ...str('r'), 0x79]]))),
    );
    expect(e.message).toMatch(/no named results/);
  });

  it('counts one core type index per subtype of a rec group, and one per module type', () => {
    const c = decodeComponent(
      component(
        section(
          3,
          vec([
            [
              0x4e,
              ...vec([
                [0x60, 0x00, 0x00],
                [0x5f, ...vec([[0x7f, 0x01]])],
                [0x50, ...vec([]), 0x5e, 0x78, 0x00],
              ]),
            ],
            [0x00, 0x50, ...vec([]), 0x60, 0x00, 0x00],
            [0x4f, ...vec([[0x00]]), 0x65, 0x60, 0x00, 0x00],
            [
              0x50,
              ...vec([
                [0x01, 0x60, ...vec([[0x7e]]), ...vec([])],
                [0x00, ...str('m'), ...str('f'), 0x00, 0x00],
                [0x00, ...str('m'), ...str('t'), 0x01, 0x70, 0x01, 0x00, 0x02],
                [0x00, ...str('m'), ...str('mem'), 0x02, 0x05, 0x01, 0x02],
                [0x00, ...str('m'), ...str('g'), 0x03, 0x7c, 0x01],
                [0x00, ...str('m'), ...str('e'), 0x04, 0x00, 0x00],
                [0x02, 0x10, 0x01, 0x01, 0x00],
                [0x03, ...str('x'), 0x00, 0x00],
              ]),
            ],
          ]),
        ),
      ),
    );
    expect(c.spaces['core-type'].map((e) => [e.definition, e.item])).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
    const [rec, sub, fin, mod] = c.definitions.map((d) => (d.kind === 'core-type' ? d.type : null));
    expect(rec).toMatchObject({
      kind: 'rec',
      types: [
        { final: true, type: { kind: 'func', params: [], results: [] } },
        { type: { kind: 'struct', fields: [{ type: 'i32', mutable: true }] } },
        { final: false, type: { kind: 'array', field: { type: 'i8', mutable: false } } },
      ],
    });
    expect(sub).toMatchObject({ kind: 'rec', types: [{ final: false, supertypes: [] }] });
    expect(fin).toMatchObject({
      kind: 'rec',
      types: [{ final: true, supertypes: [0], shared: true }],
    });
    expect(mod).toMatchObject({
      kind: 'module',
      decls: [
        { kind: 'type' },
        { kind: 'import', import: { module: 'm', name: 'f', desc: { kind: 'func', type: 0 } } },
        {
          kind: 'import',
          import: {
            desc: { kind: 'table', type: { min: 0n, max: 2n, element: { nullable: true } } },
          },
        },
        {
          kind: 'import',
          import: {
            desc: { kind: 'memory', type: { min: 1n, max: 2n, index64: true, shared: false } },
          },
        },
        {
          kind: 'import',
          import: { desc: { kind: 'global', type: { type: 'f64', mutable: true } } },
        },
        { kind: 'import', import: { desc: { kind: 'tag', type: 0 } } },
        { kind: 'alias', sort: 'core-type', count: 1, index: 0 },
        { kind: 'export', name: 'x', desc: { kind: 'func', type: 0 } },
      ],
    });
  });
});

describe('canonical built-ins wasm-tools no longer writes', () => {
  it('decodes resource.drop async, backpressure.set and the cancellable immediates', () => {
    expect(
      canon(
        [0x07, 0x00],
        [0x08],
        [0x0c, 0x01],
        [0x20, 0x01, 0x00],
        [0x29, 0x01],
        [0x0a, 0x7e, 0x03],
      ).slice(0),
    ).toEqual([
      { op: 'resource.drop', type: 0, async: true },
      { op: 'backpressure.set' },
      { op: 'thread.yield', cancellable: true },
      { op: 'waitable-set.wait', cancellable: true, memory: 0 },
      { op: 'thread.suspend', cancellable: true },
      { op: 'context.get', valtype: 'i64', index: 3 },
    ]);
  });

  it('rejects repeated options (with the offset of the option list)', () => {
    const bytes = component(section(CANON, vec([[0x01, 0x00, 0x00, ...vec([[0x00], [0x01]])]])));
    expect(decodeError(bytes)).toMatchObject({
      offset: 14,
      expected: 'canonical options without repeats',
    });
  });
});

describe('values, start and index bookkeeping', () => {
  it('adds values, start results and every export to their index spaces', () => {
    const c = decodeComponent(
      component(
        section(TYPE, vec([[0x40, ...vec([[...str('v'), 0x79]]), 0x00, 0x79]])),
        section(IMPORT, vec([[0x00, ...str('f'), 0x01, 0x00]])),
        section(12, vec([[0x79, ...leb(1), 42]])),
        section(9, [0x00, ...vec([[0x00]]), 0x01]),
        section(
          IMPORT,
          vec([
            [0x00, ...str('v'), 0x02, 0x01, 0x73],
            [0x00, ...str('w'), 0x02, 0x00, 0x00],
          ]),
        ),
        section(
          EXPORT,
          vec([
            [0x00, ...str('g'), 0x01, 0x00, 0x01, 0x01, 0x00],
            [0x00, ...str('x'), 0x02, 0x01, 0x00],
          ]),
        ),
      ),
    );
    expect(c.spaces.value.map((e) => [c.definitions[e.definition]!.kind, e.item])).toEqual([
      ['value', 0],
      ['start', 0],
      ['import', 0],
      ['import', 0],
      ['export', 0],
    ]);
    expect(c.spaces.func.map((e) => c.definitions[e.definition]!.kind)).toEqual([
      'import',
      'export',
    ]);
    const v = c.definitions[2]!;
    expect(v.kind === 'value' && [...v.value.bytes]).toEqual([42]);
    expect(c.definitions[3]).toMatchObject({
      kind: 'start',
      start: { func: 0, args: [0], results: 1 },
    });
    expect(c.exports[0]).toMatchObject({
      name: { name: 'g' },
      item: { sort: 'func', index: 0 },
      desc: { sort: 'func', type: 0 },
    });
    expect(c.imports[1]!.desc).toEqual({ sort: 'value', bound: { kind: 'type', type: 'string' } });
    expect(c.imports[2]!.desc).toEqual({ sort: 'value', bound: { kind: 'eq', value: 0 } });
    const types = typeComponent(c);
    expect(types.root.scope.values).toEqual(['u32', 'u32', 'string', 'u32', 'u32']);
  });

  it('checks indices, outer aliases included, against the spaces built so far', () => {
    const lift = component(section(CANON, vec([[0x00, 0x00, 0x00, ...vec([]), 0x00]])));
    expect(decodeError(lift)).toMatchObject({ offset: 11, expected: 'a core-func index below 0' });
    const outer = component(
      section(4, componentBody(section(ALIAS, vec([[0x03, 0x02, 0x02, 0x00]])))),
    );
    expect(decodeError(outer).expected).toBe('an outer count of at most the nesting depth');
    const ok = decodeComponent(
      component(
        section(TYPE, vec([[0x79]])),
        section(4, componentBody(section(ALIAS, vec([[0x03, 0x02, 0x01, 0x00]])))),
      ),
    );
    const nested = ok.definitions[1]!;
    expect(nested.kind === 'component' && nested.component.parent).toBe(ok);
    expect(nested.kind === 'component' && nested.component.spaces.type).toHaveLength(1);
  });
});

describe('core modules', () => {
  it('parses imports, exports and the types of functions, tables, memories, globals and tags', async () => {
    const core = await parseWat(`(module
      (type $t (func (param i32) (result i64)))
      (import "env" "f" (func (type $t)))
      (import "env" "tbl" (table 2 10 externref))
      (import "env" "mem" (memory i64 1 2))
      (import "env" "g" (global (mut f32)))
      (import "env" "tag" (tag (param i32)))
      (memory (export "memory") 1 2 shared)
      (global $g1 i32 (i32.add (i32.const 1) (i32.const 2)))
      (global (export "g2") (mut i64) (i64.const -5))
      (global f64 (f64.const 1.5))
      (global funcref (ref.func 1))
      (global externref (ref.null extern))
      (global v128 (v128.const i32x4 1 2 3 4))
      (table 1 funcref)
      (func (export "run") (result i32) i32.const 0)
      (func $start)
      (start $start)
      (tag (export "e") (param i64))
      (data (memory 1) (i32.const 0) "hi")
      (@custom "my-section" "payload")
    )`);
    const c = decodeComponent(component(section(1, [...core])));
    const d = c.definitions[0]!;
    if (d.kind !== 'core-module') throw new Error('expected a core module');
    const m = d.module;
    expect(m.offset).toBe(8 + 1 + leb(core.length).length);
    expect(m.bytes).toEqual(core);
    expect(m.imports.map((i) => [i.module, i.name, i.desc.kind])).toEqual([
      ['env', 'f', 'func'],
      ['env', 'tbl', 'table'],
      ['env', 'mem', 'memory'],
      ['env', 'g', 'global'],
      ['env', 'tag', 'tag'],
    ]);
    expect(m.funcs).toEqual([0, 2, 3]);
    expect(m.types[m.funcs[0]!]!.type).toEqual({ kind: 'func', params: ['i32'], results: ['i64'] });
    expect(m.tables.map((t) => [t.min, t.max, t.element.heap])).toEqual([
      [2n, 10n, { kind: 'abstract', name: 'extern', shared: false }],
      [1n, null, { kind: 'abstract', name: 'func', shared: false }],
    ]);
    expect(m.memories).toEqual([
      { min: 1n, max: 2n, index64: true, shared: false, pageSizeLog2: null },
      { min: 1n, max: 2n, index64: false, shared: true, pageSizeLog2: null },
    ]);
    expect(m.globals.map((g) => [g.type, g.mutable])).toEqual([
      ['f32', true],
      ['i32', false],
      ['i64', true],
      ['f64', false],
      [
        { kind: 'ref', nullable: true, heap: { kind: 'abstract', name: 'func', shared: false } },
        false,
      ],
      [
        { kind: 'ref', nullable: true, heap: { kind: 'abstract', name: 'extern', shared: false } },
        false,
      ],
      ['v128', false],
    ]);
    expect(m.tags).toEqual([1, 4]);
    expect(m.exports).toEqual([
      { name: 'memory', kind: 'memory', index: 1 },
      { name: 'g2', kind: 'global', index: 2 },
      { name: 'run', kind: 'func', index: 1 },
      { name: 'e', kind: 'tag', index: 1 },
    ]);
    expect(m.start).toBe(2);
    expect(m.customSections.find((s) => s.name === 'my-section')?.data).toEqual(
      new TextEncoder().encode('payload'),
    );
  });
});
