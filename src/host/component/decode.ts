/**
 * Decodes a component binary (`design/mvp/Binary.md`) into the {@link Component} model: the
 * preamble, every section (nested components recursively), and the index spaces built from
 * the definitions in order.
 *
 * Decoding checks the grammar and that every index a component-level definition uses exists in
 * its index space at that point (outer aliases included). It does not type-check: `types.ts`
 * does that while computing the component's type.
 */
import { readCanon } from './decode-canon.js';
import { decodeCoreModule } from './decode-core-module.js';
import { decodeNameSection } from './decode-names.js';
import {
  readAlias,
  readCoreSortIndex,
  readCoreType,
  readDefType,
  readExternDesc,
  readExternNameThen,
  readSortIndex,
  readValType,
} from './decode-types.js';
import type {
  Alias,
  Canon,
  CanonOptions,
  Component,
  ComponentNames,
  CoreInstance,
  DefType,
  DefinedType,
  Definition,
  ExternDesc,
  Instance,
  IndexSpaces,
  Sort,
  ValType,
} from './model.js';
import { ALL_SORTS } from './model.js';
import { ComponentDecodeError, hex, Reader } from './reader.js';

export { ComponentDecodeError } from './reader.js';

/** The binary format version this decoder reads (`version ::= 0x0d 0x00`). */
export const COMPONENT_VERSION = 0x0d;

/**
 * Decodes a component binary.
 *
 * @throws {ComponentDecodeError} for malformed input, with the byte offset and what was expected.
 */
export function decodeComponent(bytes: Uint8Array): Component {
  const r = Reader.of(bytes);
  return decodeComponentIn(r, null);
}

/** True when `bytes` starts with a component preamble (rather than a core module's). */
export function isComponentBinary(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 8 &&
    bytes[0] === 0x00 &&
    bytes[1] === 0x61 &&
    bytes[2] === 0x73 &&
    bytes[3] === 0x6d &&
    bytes[6] === 0x01 &&
    bytes[7] === 0x00
  );
}

function emptySpaces(): IndexSpaces {
  return Object.fromEntries(ALL_SORTS.map((s) => [s, []])) as unknown as IndexSpaces;
}

/** How deeply components may nest. */
export const MAX_COMPONENT_NESTING = 100;

function decodeComponentIn(r: Reader, parent: Component | null): Component {
  const offset = r.pos;
  let depth = 0;
  for (let p = parent; p; p = p.parent) depth++;
  if (depth > MAX_COMPONENT_NESTING)
    r.fail(`components nested at most ${MAX_COMPONENT_NESTING} deep`);
  const version = readPreamble(r);
  const component: Component = {
    offset,
    bytes: r.bytes.subarray(offset, r.end),
    version,
    parent,
    definitions: [],
    spaces: emptySpaces(),
    imports: [],
    exports: [],
    customSections: [],
    names: null,
  };
  const d = new Decoder(component);
  while (!r.done) {
    const at = r.pos;
    const id = r.byte('a section id');
    const size = r.u32('a section size');
    const s = r.window(size, `section ${id}`);
    d.section(id, s, at);
    s.expectEnd(`section ${id}`);
  }
  return component;
}

function readPreamble(r: Reader): number {
  const at = r.pos;
  const magic = r.raw(4, 'the wasm magic number');
  if (magic[0] !== 0x00 || magic[1] !== 0x61 || magic[2] !== 0x73 || magic[3] !== 0x6d) {
    r.fail('the wasm magic number (\\0asm)', undefined, at);
  }
  const v = r.pos;
  const version = r.raw(2, 'a version');
  const l = r.pos;
  const layer = r.raw(2, 'a layer');
  if (layer[0] === 0x00 && layer[1] === 0x00) {
    r.fail('a component (layer 1)', 'found a core module (layer 0)', l);
  }
  if (layer[0] !== 0x01 || layer[1] !== 0x00)
    r.fail('layer 1 (01 00)', `found ${hex(layer[0]!)} ${hex(layer[1]!)}`, l);
  if (version[0] !== COMPONENT_VERSION || version[1] !== 0x00) {
    r.fail(
      `component binary version 0x${hex(COMPONENT_VERSION)} (0d 00)`,
      `found ${hex(version[0]!)} ${hex(version[1]!)} (a pre-standard version this decoder does not read)`,
      v,
    );
  }
  return version[0]!;
}

const SECTION_NAMES: Readonly<Record<number, string>> = {
  1: 'core module',
  2: 'core instance',
  3: 'core type',
  4: 'component',
  5: 'instance',
  6: 'alias',
  7: 'type',
  8: 'canon',
  9: 'start',
  10: 'import',
  11: 'export',
  12: 'value',
};

class Decoder {
  constructor(private readonly c: Component) {}

  private add(def: Definition, introduces: readonly { sort: Sort; count: number }[]): void {
    const definition = this.c.definitions.length;
    this.c.definitions.push(def);
    for (const { sort, count } of introduces) {
      for (let item = 0; item < count; item++) this.c.spaces[sort].push({ definition, item });
    }
  }

  /** Checks that `index` exists in `sort`'s index space of the component `up` levels out. */
  private check(sort: Sort, index: number, at: number, up = 0): void {
    let c: Component | null = this.c;
    for (let i = 0; i < up && c; i++) c = c.parent;
    if (!c)
      throw new ComponentDecodeError(
        at,
        `an outer count of at most the nesting depth`,
        `found ${up}`,
      );
    const size = c.spaces[sort].length;
    if (index >= size) {
      throw new ComponentDecodeError(
        at,
        `a ${sort} index below ${size}`,
        `found ${index}${up ? ` (${up} level${up === 1 ? '' : 's'} out)` : ''}`,
      );
    }
  }

  private checkValType(t: ValType | null, at: number): void {
    if (typeof t === 'number') this.check('type', t, at);
  }

  section(id: number, r: Reader, at: number): void {
    switch (id) {
      case 0:
        return this.custom(r, at);
      case 1: {
        const module = decodeCoreModule(r);
        return this.add({ kind: 'core-module', offset: at, module }, [
          { sort: 'core-module', count: 1 },
        ]);
      }
      case 4: {
        const component = decodeComponentIn(r, this.c);
        return this.add({ kind: 'component', offset: at, component }, [
          { sort: 'component', count: 1 },
        ]);
      }
      case 9: {
        const offset = r.pos;
        const func = r.u32('a function index');
        const args = r.vec('start arguments', (r) => r.u32('a value index'));
        const results = r.u32('the number of start results');
        this.check('func', func, offset);
        for (const a of args) this.check('value', a, offset);
        return this.add({ kind: 'start', offset, start: { func, args, results } }, [
          { sort: 'value', count: results },
        ]);
      }
      case 2:
      case 3:
      case 5:
      case 6:
      case 7:
      case 8:
      case 10:
      case 11:
      case 12:
        r.vec(`${SECTION_NAMES[id]} section entries`, (r) => this.item(id, r));
        return;
      default:
        r.unknown('a section id (0-12)', id, at);
    }
  }

  private custom(r: Reader, at: number): void {
    const name = r.name('a custom section name');
    const data = r.raw(r.remaining, 'custom section data');
    this.c.customSections.push({ offset: at, name, data });
    if (name === 'component-name') {
      const names = decodeNameSection(new Reader(r.bytes, r.end - data.length, r.end));
      (this.c as { names: ComponentNames | null }).names = names;
    }
  }

  private item(id: number, r: Reader): void {
    const offset = r.pos;
    switch (id) {
      case 2: {
        const instance = this.coreInstance(r, offset);
        return this.add({ kind: 'core-instance', offset, instance }, [
          { sort: 'core-instance', count: 1 },
        ]);
      }
      case 3: {
        const type = readCoreType(r, true);
        const count = type.kind === 'rec' ? type.types.length : 1;
        return this.add({ kind: 'core-type', offset, type }, [{ sort: 'core-type', count }]);
      }
      case 5: {
        const instance = this.instance(r, offset);
        return this.add({ kind: 'instance', offset, instance }, [{ sort: 'instance', count: 1 }]);
      }
      case 6: {
        const alias = readAlias(r);
        this.checkAlias(alias, offset);
        return this.add({ kind: 'alias', offset, alias }, [{ sort: alias.sort, count: 1 }]);
      }
      case 7: {
        const type = readDefType(r);
        this.checkDefType(type, offset);
        return this.add({ kind: 'type', offset, type }, [{ sort: 'type', count: 1 }]);
      }
      case 8: {
        const canon = readCanon(r);
        this.checkCanon(canon, offset);
        return this.add({ kind: 'canon', offset, canon }, [
          { sort: canon.op === 'lift' ? 'func' : 'core-func', count: 1 },
        ]);
      }
      case 10: {
        const { name, rest: desc } = readExternNameThen(r, readExternDesc);
        this.checkDesc(desc, offset);
        const imp = { offset, name, desc };
        this.c.imports.push(imp);
        return this.add({ kind: 'import', offset, import: imp }, [{ sort: desc.sort, count: 1 }]);
      }
      case 11: {
        const { name, rest } = readExternNameThen(r, (r) => {
          const item = readSortIndex(r);
          return { item, desc: r.optional('an ascribed type', readExternDesc) };
        });
        this.check(rest.item.sort, rest.item.index, offset);
        if (rest.desc) this.checkDesc(rest.desc, offset);
        const exp = { offset, name, item: rest.item, desc: rest.desc };
        this.c.exports.push(exp);
        return this.add({ kind: 'export', offset, export: exp }, [
          { sort: rest.item.sort, count: 1 },
        ]);
      }
      case 12: {
        const type = readValType(r);
        const len = r.u32('a value length');
        const bytes = r.raw(len, 'a value');
        this.checkValType(type, offset);
        return this.add({ kind: 'value', offset, value: { type, bytes } }, [
          { sort: 'value', count: 1 },
        ]);
      }
    }
  }

  private coreInstance(r: Reader, offset: number): CoreInstance {
    const b = r.byte('a core instance expression');
    if (b === 0x00) {
      const module = r.u32('a core module index');
      this.check('core-module', module, offset);
      const args = r.vec(
        'instantiation arguments',
        (r) => {
          const name = r.name('an argument name');
          const at = r.pos;
          const sort = r.byte('0x12 (core instance)');
          if (sort !== 0x12)
            r.unknown('0x12 (core instance) in an instantiation argument', sort, at);
          const instance = r.u32('a core instance index');
          this.check('core-instance', instance, at);
          return { name, instance };
        },
        3,
      );
      return { kind: 'instantiate', module, args };
    }
    if (b === 0x01) {
      const exports = r.vec(
        'inline exports',
        (r) => {
          const name = r.name('an export name');
          const item = readCoreSortIndex(r);
          this.check(item.sort, item.index, offset);
          return { name, item };
        },
        3,
      );
      return { kind: 'exports', exports };
    }
    return r.unknown('a core instance expression (0x00 or 0x01)', b, offset);
  }

  private instance(r: Reader, offset: number): Instance {
    const b = r.byte('an instance expression');
    if (b === 0x00) {
      const component = r.u32('a component index');
      this.check('component', component, offset);
      const args = r.vec(
        'instantiation arguments',
        (r) => {
          const name = r.name('an argument name');
          const item = readSortIndex(r);
          this.check(item.sort, item.index, offset);
          return { name, item };
        },
        3,
      );
      return { kind: 'instantiate', component, args };
    }
    if (b === 0x01) {
      const exports = r.vec(
        'inline exports',
        (r) => {
          const { name, rest: item } = readExternNameThen(r, readSortIndex);
          this.check(item.sort, item.index, offset);
          return { name, item };
        },
        4,
      );
      return { kind: 'exports', exports };
    }
    return r.unknown('an instance expression (0x00 or 0x01)', b, offset);
  }

  private checkAlias(a: Alias, at: number): void {
    switch (a.target.kind) {
      case 'export':
        return this.check('instance', a.target.instance, at);
      case 'core-export':
        return this.check('core-instance', a.target.instance, at);
      case 'outer':
        return this.check(a.sort, a.target.index, at, a.target.count);
    }
  }

  private checkDesc(desc: ExternDesc, at: number): void {
    switch (desc.sort) {
      case 'core-module':
        return this.check('core-type', desc.type, at);
      case 'func':
      case 'component':
      case 'instance':
        return this.check('type', desc.type, at);
      case 'value':
        if (desc.bound.kind === 'eq') return this.check('value', desc.bound.value, at);
        return this.checkValType(desc.bound.type, at);
      case 'type':
        if (desc.bound.kind === 'eq') this.check('type', desc.bound.type, at);
        return;
    }
  }

  private checkDefType(t: DefType, at: number): void {
    switch (t.kind) {
      case 'defined':
        return this.checkDefined(t.type, at);
      case 'func':
        for (const p of t.params) this.checkValType(p.type, at);
        return this.checkValType(t.result, at);
      case 'resource':
        if (t.dtor !== null) this.check('core-func', t.dtor, at);
        if (t.callback !== null) this.check('core-func', t.callback, at);
        return;
      case 'component':
      case 'instance':
        // Declarators have their own scopes; `types.ts` resolves them.
        return;
    }
  }

  private checkDefined(t: DefinedType, at: number): void {
    switch (t.kind) {
      case 'primitive':
      case 'flags':
      case 'enum':
        return;
      case 'record':
        for (const f of t.fields) this.checkValType(f.type, at);
        return;
      case 'variant':
        for (const c of t.cases) this.checkValType(c.type, at);
        return;
      case 'list':
        return this.checkValType(t.element, at);
      case 'tuple':
        for (const e of t.types) this.checkValType(e, at);
        return;
      case 'option':
        return this.checkValType(t.type, at);
      case 'result':
        this.checkValType(t.ok, at);
        return this.checkValType(t.err, at);
      case 'own':
      case 'borrow':
        return this.check('type', t.resource, at);
      case 'stream':
      case 'future':
        return this.checkValType(t.element, at);
      case 'map':
        this.checkValType(t.key, at);
        return this.checkValType(t.value, at);
    }
  }

  private checkOptions(o: CanonOptions, at: number): void {
    if (o.memory !== null) this.check('core-memory', o.memory, at);
    if (o.realloc !== null) this.check('core-func', o.realloc, at);
    if (o.postReturn !== null) this.check('core-func', o.postReturn, at);
    if (o.callback !== null) this.check('core-func', o.callback, at);
    if (o.coreType !== null) this.check('core-type', o.coreType, at);
  }

  private checkCanon(c: Canon, at: number): void {
    switch (c.op) {
      case 'lift':
        this.check('core-func', c.coreFunc, at);
        this.check('type', c.type, at);
        return this.checkOptions(c.options, at);
      case 'lower':
        this.check('func', c.func, at);
        return this.checkOptions(c.options, at);
      case 'resource.new':
      case 'resource.drop':
      case 'resource.rep':
      case 'stream.new':
      case 'future.new':
      case 'stream.cancel-read':
      case 'stream.cancel-write':
      case 'future.cancel-read':
      case 'future.cancel-write':
      case 'stream.drop-readable':
      case 'stream.drop-writable':
      case 'future.drop-readable':
      case 'future.drop-writable':
        return this.check('type', c.type, at);
      case 'stream.read':
      case 'stream.write':
      case 'future.read':
      case 'future.write':
        this.check('type', c.type, at);
        return this.checkOptions(c.options, at);
      case 'task.return':
        this.checkValType(c.result, at);
        return this.checkOptions(c.options, at);
      case 'error-context.new':
      case 'error-context.debug-message':
        return this.checkOptions(c.options, at);
      case 'waitable-set.wait':
      case 'waitable-set.poll':
        return this.check('core-memory', c.memory, at);
      case 'thread.new-indirect':
      case 'thread.spawn-indirect':
        this.check('core-type', c.coreType, at);
        return this.check('core-table', c.table, at);
      case 'thread.spawn-ref':
        return this.check('core-type', c.coreType, at);
      case 'backpressure.set':
      case 'backpressure.inc':
      case 'backpressure.dec':
      case 'task.cancel':
      case 'context.get':
      case 'context.set':
      case 'thread.yield':
      case 'subtask.cancel':
      case 'subtask.drop':
      case 'error-context.drop':
      case 'waitable-set.new':
      case 'waitable-set.drop':
      case 'waitable.join':
      case 'thread.index':
      case 'thread.resume-later':
      case 'thread.suspend':
      case 'thread.suspend-then-resume':
      case 'thread.yield-then-resume':
      case 'thread.suspend-then-promote':
      case 'thread.yield-then-promote':
      case 'thread.available-parallelism':
        return;
    }
  }
}
