/**
 * Decodes a component binary (`design/mvp/Binary.md`) into the {@link Component} model: the
 * preamble, every section (nested components recursively), and the index spaces built from
 * the definitions in order.
 *
 * Decoding checks the grammar and that every index a component-level definition uses exists in
 * its index space at that point (outer aliases included). It does not type-check: `types.ts`
 * does that while computing the component's type.
 */
import { decodeCoreModule } from './decode-core-module.js';
import {
  readAlias,
  readCoreSortIndex,
  readCoreType,
  readCoreValType,
  readDefType,
  readExternDesc,
  readExternNameThen,
  readSort,
  readSortIndex,
  readValType,
} from './decode-types.js';
import type {
  Alias,
  Canon,
  CanonOpt,
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
  SortIndex,
  StringEncoding,
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

// ---------------------------------------------------------------------------------------------
// Canonical definitions
// ---------------------------------------------------------------------------------------------

function readCanonOpt(r: Reader): CanonOpt {
  const at = r.pos;
  const b = r.byte('a canonical option');
  switch (b) {
    case 0x00:
      return { kind: 'string-encoding', encoding: 'utf8' };
    case 0x01:
      return { kind: 'string-encoding', encoding: 'utf16' };
    case 0x02:
      return { kind: 'string-encoding', encoding: 'latin1+utf16' };
    case 0x03:
      return { kind: 'memory', index: r.u32('a core memory index') };
    case 0x04:
      return { kind: 'realloc', index: r.u32('a core func index') };
    case 0x05:
      return { kind: 'post-return', index: r.u32('a core func index') };
    case 0x06:
      return { kind: 'async' };
    case 0x07:
      return { kind: 'callback', index: r.u32('a core func index') };
    case 0x08:
      return { kind: 'core-type', index: r.u32('a core type index') };
    case 0x09:
      return { kind: 'gc' };
    default:
      return r.unknown('a canonical option (0x00-0x09)', b, at);
  }
}

/** `opts ::= opt*:vec(<canonopt>)`, summarized; a repeated or conflicting option is malformed. */
function readCanonOptions(r: Reader): CanonOptions {
  const at = r.pos;
  const list = r.vec('canonical options', readCanonOpt);
  let stringEncoding: StringEncoding | null = null;
  let memory: number | null = null;
  let realloc: number | null = null;
  let postReturn: number | null = null;
  let callback: number | null = null;
  let coreType: number | null = null;
  let async = false;
  let gc = false;
  const seen = new Set<string>();
  for (const o of list) {
    if (seen.has(o.kind)) {
      r.fail('canonical options without repeats', `\`${o.kind}\` is given more than once`, at);
    }
    seen.add(o.kind);
    switch (o.kind) {
      case 'string-encoding':
        stringEncoding = o.encoding;
        break;
      case 'memory':
        memory = o.index;
        break;
      case 'realloc':
        realloc = o.index;
        break;
      case 'post-return':
        postReturn = o.index;
        break;
      case 'callback':
        callback = o.index;
        break;
      case 'core-type':
        coreType = o.index;
        break;
      case 'async':
        async = true;
        break;
      case 'gc':
        gc = true;
        break;
    }
  }
  return { list, stringEncoding, memory, realloc, postReturn, async, callback, coreType, gc };
}

function readSubSort(r: Reader, what: string): void {
  const at = r.pos;
  const b = r.byte(`0x00 (${what})`);
  if (b !== 0x00) r.unknown(`0x00 (the func sort of ${what})`, b, at);
}

const NO_IMMEDIATES = {
  0x08: 'backpressure.set',
  0x05: 'task.cancel',
  0x0d: 'subtask.drop',
  0x1e: 'error-context.drop',
  0x1f: 'waitable-set.new',
  0x22: 'waitable-set.drop',
  0x23: 'waitable.join',
  0x24: 'backpressure.inc',
  0x25: 'backpressure.dec',
  0x26: 'thread.index',
  0x28: 'thread.resume-later',
} as const;

const TYPE_ONLY = {
  0x02: 'resource.new',
  0x04: 'resource.rep',
  0x0e: 'stream.new',
  0x13: 'stream.drop-readable',
  0x14: 'stream.drop-writable',
  0x15: 'future.new',
  0x1a: 'future.drop-readable',
  0x1b: 'future.drop-writable',
} as const;

const TYPE_OPTS = {
  0x0f: 'stream.read',
  0x10: 'stream.write',
  0x16: 'future.read',
  0x17: 'future.write',
} as const;

const TYPE_ASYNC = {
  0x11: 'stream.cancel-read',
  0x12: 'stream.cancel-write',
  0x18: 'future.cancel-read',
  0x19: 'future.cancel-write',
} as const;

const CANCELLABLE = {
  0x0c: 'thread.yield',
  0x29: 'thread.suspend',
  0x2a: 'thread.suspend-then-resume',
  0x2b: 'thread.yield-then-resume',
  0x2c: 'thread.suspend-then-promote',
  0x2d: 'thread.yield-then-promote',
} as const;

function lookup<T extends Record<number, string>>(table: T, b: number): T[keyof T] | undefined {
  return (table as Record<number, T[keyof T]>)[b];
}

/** `canon` (every built-in of `Binary.md`, including the async and thread ones). */
export function readCanon(r: Reader): Canon {
  const at = r.pos;
  const b = r.byte('a canonical function');
  switch (b) {
    case 0x00: {
      readSubSort(r, 'canon lift');
      const coreFunc = r.u32('a core func index');
      const options = readCanonOptions(r);
      return { op: 'lift', coreFunc, options, type: r.u32('a type index') };
    }
    case 0x01: {
      readSubSort(r, 'canon lower');
      const func = r.u32('a func index');
      return { op: 'lower', func, options: readCanonOptions(r) };
    }
    case 0x03:
      return { op: 'resource.drop', type: r.u32('a type index'), async: false };
    case 0x07:
      return { op: 'resource.drop', type: r.u32('a type index'), async: true };
    case 0x09: {
      const rt = r.pos;
      const tag = r.byte('a result list');
      let result: ValType | null;
      if (tag === 0x00) result = readValType(r);
      else if (tag === 0x01) {
        const n = r.pos;
        if (r.byte('0x00 (no result)') !== 0x00) r.fail('0x01 0x00 (no result)', undefined, n);
        result = null;
      } else return r.unknown('a result list (0x00 or 0x01)', tag, rt);
      return { op: 'task.return', result, options: readCanonOptions(r) };
    }
    case 0x0a:
    case 0x0b: {
      const valtype = readCoreValType(r);
      return {
        op: b === 0x0a ? 'context.get' : 'context.set',
        valtype,
        index: r.u32('a context slot index'),
      };
    }
    case 0x06:
      return { op: 'subtask.cancel', async: r.flag('the async? immediate') };
    case 0x1c:
    case 0x1d:
      return {
        op: b === 0x1c ? 'error-context.new' : 'error-context.debug-message',
        options: readCanonOptions(r),
      };
    case 0x20:
    case 0x21: {
      const cancellable = r.flag('the cancel? immediate');
      return {
        op: b === 0x20 ? 'waitable-set.wait' : 'waitable-set.poll',
        cancellable,
        memory: r.u32('a core memory index'),
      };
    }
    case 0x27: {
      const coreType = r.u32('a core type index');
      return { op: 'thread.new-indirect', coreType, table: r.u32('a core table index') };
    }
    // The shared-everything-threads built-ins: Binary.md's draft gives them a `shared?`
    // immediate, but wasm-tools (what produces these today) encodes none; we follow wasm-tools.
    case 0x40:
      return { op: 'thread.spawn-ref', coreType: r.u32('a core type index') };
    case 0x41: {
      const coreType = r.u32('a core type index');
      return { op: 'thread.spawn-indirect', coreType, table: r.u32('a core table index') };
    }
    case 0x42:
      return { op: 'thread.available-parallelism' };
  }
  const none = lookup(NO_IMMEDIATES, b);
  if (none) return { op: none };
  const typeOnly = lookup(TYPE_ONLY, b);
  if (typeOnly) return { op: typeOnly, type: r.u32('a type index') };
  const typeOpts = lookup(TYPE_OPTS, b);
  if (typeOpts) {
    const type = r.u32('a type index');
    return { op: typeOpts, type, options: readCanonOptions(r) };
  }
  const typeAsync = lookup(TYPE_ASYNC, b);
  if (typeAsync) {
    const type = r.u32('a type index');
    return { op: typeAsync, type, async: r.flag('the async? immediate') };
  }
  const cancel = lookup(CANCELLABLE, b);
  if (cancel) return { op: cancel, cancellable: r.flag('the cancel? immediate') };
  return r.unknown('a canonical function', b, at);
}

// ---------------------------------------------------------------------------------------------
// The `component-name` section
// ---------------------------------------------------------------------------------------------

/**
 * Decodes the subsections of a `component-name` custom section. The spec says an invalid name
 * section must not make the component invalid, so any problem yields null instead of an error.
 */
export function decodeNameSection(r: Reader): ComponentNames | null {
  try {
    let component: string | null = null;
    const sorts = new Map<Sort, Map<number, string>>();
    while (!r.done) {
      const id = r.byte('a name subsection id');
      const size = r.u32('a name subsection size');
      const s = r.window(size, 'a name subsection');
      if (id === 0) component = s.name('the component name');
      else if (id === 1) {
        const sort: Sort = readSort(s);
        const map = sorts.get(sort) ?? new Map<number, string>();
        sorts.set(sort, map);
        s.vec('names', (s) => map.set(s.u32('an index'), s.name('a name')), 2);
      } else s.pos = s.end;
      s.expectEnd('a name subsection');
    }
    return { component, sorts };
  } catch (e) {
    if (e instanceof ComponentDecodeError) return null;
    throw e;
  }
}
