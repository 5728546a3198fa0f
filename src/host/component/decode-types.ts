/**
 * Decoders for the type grammar of `Binary.md` (§ Type Definitions): component `deftype`s with
 * their declarators, and the core types a component (or a core module) can hold, plus the
 * productions shared with the other sections (sorts, aliases, extern names and descs).
 */
import type {
  AbstractHeapType,
  Alias,
  ComponentDecl,
  CoreCompositeType,
  CoreExternType,
  CoreImport,
  CoreRefType,
  CoreSort,
  CoreSubType,
  CoreType,
  CoreValType,
  DefType,
  DefinedType,
  ExternDesc,
  ExternName,
  FieldType,
  FuncType,
  GlobalType,
  HeapType,
  InstanceDecl,
  LabeledValType,
  MemoryType,
  ModuleDecl,
  PrimitiveValType,
  Sort,
  SortIndex,
  StorageType,
  TableType,
  ValType,
} from './model.js';
import { ComponentDecodeError, hex, Reader } from './reader.js';

// ---------------------------------------------------------------------------------------------
// Sorts
// ---------------------------------------------------------------------------------------------

const CORE_SORT_BYTES: Readonly<Record<number, CoreSort>> = {
  0x00: 'core-func',
  0x01: 'core-table',
  0x02: 'core-memory',
  0x03: 'core-global',
  0x10: 'core-type',
  0x11: 'core-module',
  0x12: 'core-instance',
};

export function readCoreSort(r: Reader): CoreSort {
  const at = r.pos;
  const b = r.byte('a core sort');
  return CORE_SORT_BYTES[b] ?? r.unknown('a core sort (0x00-0x03, 0x10-0x12)', b, at);
}

/** `sort ::= 0x00 core:sort | 0x01 func | 0x02 value | 0x03 type | 0x04 component | 0x05 instance` */
export function readSort(r: Reader): Sort {
  const at = r.pos;
  const b = r.byte('a sort');
  switch (b) {
    case 0x00:
      return readCoreSort(r);
    case 0x01:
      return 'func';
    case 0x02:
      return 'value';
    case 0x03:
      return 'type';
    case 0x04:
      return 'component';
    case 0x05:
      return 'instance';
    default:
      return r.unknown('a sort (0x00-0x05)', b, at);
  }
}

export function readSortIndex(r: Reader): SortIndex {
  const sort = readSort(r);
  return { sort, index: r.u32(`a ${sort} index`) };
}

export function readCoreSortIndex(r: Reader): SortIndex {
  const sort = readCoreSort(r);
  return { sort, index: r.u32(`a ${sort} index`) };
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

const SEMVER_SUFFIX = /^[0-9A-Za-z.+-]+$/;

/**
 * `importname'`/`exportname'` followed by whatever `rest` reads.
 *
 * `0x00 len name` is the plain form. `0x01` is ambiguous across toolchain generations: the
 * current spec reads `0x01 len name versionsuffix'` (a second length-prefixed string), while
 * earlier wasm-tools (and the wasmparser in jco-transpile 0.15) used `0x01 len name` for
 * interface names. We try the spec form first and fall back to the legacy one when the
 * suffix is not semver-suffix text or what follows does not decode.
 */
export function readExternNameThen<T>(
  r: Reader,
  rest: (r: Reader) => T,
): { name: ExternName; rest: T } {
  const at = r.pos;
  const tag = r.byte('an import or export name (0x00 or 0x01)');
  if (tag === 0x00) {
    const name = r.name('an import or export name');
    return { name: { name, versionSuffix: null, legacyInterface: false }, rest: rest(r) };
  }
  if (tag !== 0x01) r.unknown('an import or export name (0x00 or 0x01)', tag, at);
  const name = r.name('an import or export name');
  const afterName = r.pos;
  let specError: ComponentDecodeError;
  try {
    const suffixAt = r.pos;
    const versionSuffix = r.name('a version suffix');
    if (!SEMVER_SUFFIX.test(versionSuffix)) r.fail('a semver version suffix', undefined, suffixAt);
    return { name: { name, versionSuffix, legacyInterface: false }, rest: rest(r) };
  } catch (e) {
    if (!(e instanceof ComponentDecodeError)) throw e;
    specError = e;
  }
  r.pos = afterName;
  try {
    return { name: { name, versionSuffix: null, legacyInterface: true }, rest: rest(r) };
  } catch (e) {
    if (e instanceof ComponentDecodeError) throw specError;
    throw e;
  }
}

/** `label'`: a length-prefixed label (the same bytes as a `core:name`). */
function readLabel(r: Reader, what: string): string {
  return r.name(what);
}

// ---------------------------------------------------------------------------------------------
// Aliases
// ---------------------------------------------------------------------------------------------

/** `alias ::= s:<sort> t:<aliastarget>` */
export function readAlias(r: Reader): Alias {
  const sort = readSort(r);
  const at = r.pos;
  const b = r.byte('an alias target');
  switch (b) {
    case 0x00:
      return {
        sort,
        target: {
          kind: 'export',
          instance: r.u32('an instance index'),
          name: r.name('an export name'),
        },
      };
    case 0x01:
      return {
        sort,
        target: {
          kind: 'core-export',
          instance: r.u32('a core instance index'),
          name: r.name('a core export name'),
        },
      };
    case 0x02:
      return {
        sort,
        target: { kind: 'outer', count: r.u32('an outer count'), index: r.u32('an outer index') },
      };
    default:
      return r.unknown('an alias target (0x00-0x02)', b, at);
  }
}

// ---------------------------------------------------------------------------------------------
// Component types
// ---------------------------------------------------------------------------------------------

const PRIMITIVES: Readonly<Record<number, PrimitiveValType>> = {
  0x7f: 'bool',
  0x7e: 's8',
  0x7d: 'u8',
  0x7c: 's16',
  0x7b: 'u16',
  0x7a: 's32',
  0x79: 'u32',
  0x78: 's64',
  0x77: 'u64',
  0x76: 'f32',
  0x75: 'f64',
  0x74: 'char',
  0x73: 'string',
  0x64: 'error-context',
};

/**
 * `valtype ::= i:<typeidx> | pvt:<primvaltype>`. Type opcodes are negative SLEB128 values, so a
 * type index is read as a (non-negative) s33, as wasm-tools encodes it.
 */
export function readValType(r: Reader): ValType {
  const at = r.pos;
  const prim = PRIMITIVES[r.peek('a value type')];
  if (prim !== undefined) {
    r.pos++;
    return prim;
  }
  const idx = r.s33('a value type');
  if (idx < 0)
    r.fail('a value type (a primitive or a type index)', `found opcode 0x${hex(r.bytes[at]!)}`, at);
  return idx;
}

function readOptValType(r: Reader, what: string): ValType | null {
  return r.optional(what, readValType);
}

function readLabeled(r: Reader, what: string): LabeledValType {
  return { name: readLabel(r, what), type: readValType(r) };
}

/** `defvaltype`, after its opcode byte `b` (at `at`) has been read. */
function readDefinedType(r: Reader, b: number, at: number): DefinedType {
  const prim = PRIMITIVES[b];
  if (prim !== undefined) return { kind: 'primitive', type: prim };
  switch (b) {
    case 0x72:
      return {
        kind: 'record',
        fields: r.vec('record fields', (r) => readLabeled(r, 'a field name'), 2),
      };
    case 0x71:
      return {
        kind: 'variant',
        cases: r.vec(
          'variant cases',
          (r) => {
            const name = readLabel(r, 'a case name');
            const type = readOptValType(r, 'a case type');
            const refAt = r.pos;
            const tag = r.byte('the end of a case (0x00)');
            if (tag === 0x00) return { name, type, refines: null };
            if (tag === 0x01) return { name, type, refines: r.u32('a refined case index') };
            return r.unknown('the end of a case (0x00)', tag, refAt);
          },
          3,
        ),
      };
    case 0x70:
      return { kind: 'list', element: readValType(r), length: null };
    case 0x67: {
      const element = readValType(r);
      return { kind: 'list', element, length: r.u32('a fixed list length') };
    }
    case 0x6f:
      return { kind: 'tuple', types: r.vec('tuple types', readValType) };
    case 0x6e:
      return { kind: 'flags', names: r.vec('flag names', (r) => readLabel(r, 'a flag name')) };
    case 0x6d:
      return { kind: 'enum', names: r.vec('enum cases', (r) => readLabel(r, 'an enum case name')) };
    case 0x6b:
      return { kind: 'option', type: readValType(r) };
    case 0x6a: {
      const ok = readOptValType(r, 'a result ok type');
      return { kind: 'result', ok, err: readOptValType(r, 'a result error type') };
    }
    case 0x69:
      return { kind: 'own', resource: r.u32('a resource type index') };
    case 0x68:
      return { kind: 'borrow', resource: r.u32('a resource type index') };
    case 0x66:
      return { kind: 'stream', element: readOptValType(r, 'a stream element type') };
    case 0x65:
      return { kind: 'future', element: readOptValType(r, 'a future element type') };
    case 0x63: {
      const key = readValType(r);
      return { kind: 'map', key, value: readValType(r) };
    }
    default:
      return r.unknown('a type definition', b, at);
  }
}

function readFuncType(r: Reader, async: boolean): FuncType {
  const params = r.vec('function params', (r) => readLabeled(r, 'a param name'), 2);
  const at = r.pos;
  const tag = r.byte('a result list (0x00 or 0x01)');
  if (tag === 0x00) return { async, params, result: readValType(r) };
  if (tag === 0x01) {
    const countAt = r.pos;
    const n = r.u32('the number of named results');
    if (n !== 0)
      r.fail(
        'no named results (0x01 0x00)',
        `found ${n}; named results are no longer part of the format`,
        countAt,
      );
    return { async, params, result: null };
  }
  return r.unknown('a result list (0x00 or 0x01)', tag, at);
}

/** How deeply component and instance types may nest inside each other. */
export const MAX_TYPE_NESTING = 100;

/**
 * `type ::= dt:<deftype>` (a component type section entry, or a `type` declarator at nesting
 * `depth`).
 */
export function readDefType(r: Reader, depth = 0): DefType {
  const at = r.pos;
  const b = r.byte('a type definition');
  switch (b) {
    case 0x40:
      return { kind: 'func', ...readFuncType(r, false) };
    case 0x43:
      return { kind: 'func', ...readFuncType(r, true) };
    case 0x41:
      return {
        kind: 'component',
        decls: r.vec('component type declarators', (r) => readComponentDecl(r, depth + 1), 2),
      };
    case 0x42:
      return {
        kind: 'instance',
        decls: r.vec('instance type declarators', (r) => readInstanceDecl(r, depth + 1), 2),
      };
    case 0x3f: {
      readRep(r);
      return {
        kind: 'resource',
        rep: 'i32',
        dtor: r.optional('a destructor', (r) => r.u32('a core func index')),
        async: false,
        callback: null,
      };
    }
    case 0x3e: {
      readRep(r);
      const dtor = r.u32('a core func index (async destructor)');
      const callback = r.optional('a destructor callback', (r) => r.u32('a core func index'));
      return { kind: 'resource', rep: 'i32', dtor, async: true, callback };
    }
    default:
      return { kind: 'defined', type: readDefinedType(r, b, at) };
  }
}

function readRep(r: Reader): void {
  const at = r.pos;
  const b = r.byte('a resource representation (0x7f: i32)');
  if (b !== 0x7f) r.unknown('a resource representation (0x7f: i32)', b, at);
}

/** `externdesc` */
export function readExternDesc(r: Reader): ExternDesc {
  const at = r.pos;
  const b = r.byte('an extern description');
  switch (b) {
    case 0x00: {
      const k = r.pos;
      const m = r.byte('0x11 (core module)');
      if (m !== 0x11) r.unknown('0x11 (core module)', m, k);
      return { sort: 'core-module', type: r.u32('a core type index') };
    }
    case 0x01:
      return { sort: 'func', type: r.u32('a type index') };
    case 0x02: {
      const t = r.pos;
      const tag = r.byte('a value bound');
      if (tag === 0x00)
        return { sort: 'value', bound: { kind: 'eq', value: r.u32('a value index') } };
      if (tag === 0x01) return { sort: 'value', bound: { kind: 'type', type: readValType(r) } };
      return r.unknown('a value bound (0x00 or 0x01)', tag, t);
    }
    case 0x03: {
      const t = r.pos;
      const tag = r.byte('a type bound');
      if (tag === 0x00) return { sort: 'type', bound: { kind: 'eq', type: r.u32('a type index') } };
      if (tag === 0x01) return { sort: 'type', bound: { kind: 'sub-resource' } };
      return r.unknown('a type bound (0x00 or 0x01)', tag, t);
    }
    case 0x04:
      return { sort: 'component', type: r.u32('a type index') };
    case 0x05:
      return { sort: 'instance', type: r.u32('a type index') };
    default:
      return r.unknown('an extern description (0x00-0x05)', b, at);
  }
}

function readInstanceDecl(r: Reader, depth: number): InstanceDecl {
  const offset = r.pos;
  if (depth > MAX_TYPE_NESTING) r.fail(`types nested at most ${MAX_TYPE_NESTING} deep`);
  const b = r.byte('an instance type declarator');
  switch (b) {
    case 0x00:
      return { kind: 'core-type', offset, type: readCoreType(r, true) };
    case 0x01:
      return { kind: 'type', offset, type: readDefType(r, depth) };
    case 0x02:
      return { kind: 'alias', offset, alias: readAlias(r) };
    case 0x04: {
      const { name, rest } = readExternNameThen(r, readExternDesc);
      return { kind: 'export', offset, name, desc: rest };
    }
    default:
      return r.unknown('an instance type declarator (0x00-0x02, 0x04)', b, offset);
  }
}

function readComponentDecl(r: Reader, depth: number): ComponentDecl {
  const offset = r.pos;
  if (r.peek('a component type declarator') === 0x03) {
    r.pos++;
    const { name, rest } = readExternNameThen(r, readExternDesc);
    return { kind: 'import', offset, name, desc: rest };
  }
  return readInstanceDecl(r, depth);
}

// ---------------------------------------------------------------------------------------------
// Core types
// ---------------------------------------------------------------------------------------------

const NUM_TYPES: Readonly<Record<number, CoreValType>> = {
  0x7f: 'i32',
  0x7e: 'i64',
  0x7d: 'f32',
  0x7c: 'f64',
  0x7b: 'v128',
};

/** Abstract heap types by their one-byte encoding (function references, GC, EH, stack switching). */
const ABSTRACT_HEAP: Readonly<Record<number, string>> = {
  0x75: 'nocont',
  0x74: 'noexn',
  0x73: 'nofunc',
  0x72: 'noextern',
  0x71: 'none',
  0x70: 'func',
  0x6f: 'extern',
  0x6e: 'any',
  0x6d: 'eq',
  0x6c: 'i31',
  0x6b: 'struct',
  0x6a: 'array',
  0x69: 'exn',
  0x68: 'cont',
};

function readAbstractHeap(r: Reader, shared: boolean): AbstractHeapType | null {
  const name = ABSTRACT_HEAP[r.peek('a heap type')];
  if (name === undefined) return null;
  r.pos++;
  return { kind: 'abstract', name, shared };
}

function readHeapType(r: Reader): HeapType {
  const at = r.pos;
  const b = r.peek('a heap type');
  if (b === 0x65) {
    r.pos++;
    return (
      readAbstractHeap(r, true) ??
      r.unknown('an abstract heap type after `shared`', r.bytes[r.pos] ?? 0, r.pos)
    );
  }
  const abs = readAbstractHeap(r, false);
  if (abs) return abs;
  const idx = r.s33('a heap type');
  if (idx < 0) r.fail('a heap type', `found opcode 0x${hex(b)}`, at);
  return { kind: 'index', index: idx };
}

export function readRefType(r: Reader): CoreRefType {
  const at = r.pos;
  const b = r.peek('a reference type');
  if (b === 0x64 || b === 0x63) {
    r.pos++;
    return { kind: 'ref', nullable: b === 0x63, heap: readHeapType(r) };
  }
  if (b === 0x65) {
    r.pos++;
    const heap = readAbstractHeap(r, true);
    if (heap) return { kind: 'ref', nullable: true, heap };
    return r.unknown('an abstract heap type after `shared`', r.bytes[r.pos] ?? 0, r.pos);
  }
  const heap = readAbstractHeap(r, false);
  if (heap) return { kind: 'ref', nullable: true, heap };
  return r.unknown('a reference type', b, at);
}

export function readCoreValType(r: Reader): CoreValType {
  const num = NUM_TYPES[r.peek('a core value type')];
  if (num !== undefined) {
    r.pos++;
    return num;
  }
  return readRefType(r);
}

function readStorageType(r: Reader): StorageType {
  const b = r.peek('a storage type');
  if (b === 0x78 || b === 0x77) {
    r.pos++;
    return b === 0x78 ? 'i8' : 'i16';
  }
  return readCoreValType(r);
}

function readFieldType(r: Reader): FieldType {
  const type = readStorageType(r);
  return { type, mutable: r.flag('a field mutability') };
}

function readCompositeType(r: Reader): { shared: boolean; type: CoreCompositeType } {
  let shared = false;
  if (r.peek('a composite type') === 0x65) {
    r.pos++;
    shared = true;
  }
  const at = r.pos;
  const b = r.byte('a composite type');
  switch (b) {
    case 0x60: {
      const params = r.vec('function params', readCoreValType);
      return {
        shared,
        type: { kind: 'func', params, results: r.vec('function results', readCoreValType) },
      };
    }
    case 0x5f:
      return { shared, type: { kind: 'struct', fields: r.vec('struct fields', readFieldType, 2) } };
    case 0x5e:
      return { shared, type: { kind: 'array', field: readFieldType(r) } };
    case 0x5d: {
      const idx = r.s33('a continuation type index');
      if (idx < 0) r.fail('a type index', undefined, at + 1);
      return { shared, type: { kind: 'cont', type: idx } };
    }
    default:
      return r.unknown('a composite type (func, struct, array or cont)', b, at);
  }
}

function readSubType(r: Reader, inComponent: boolean): CoreSubType {
  const b = r.peek('a core type');
  // In a component, a non-final `sub` is prefixed by 0x00 (0x50 alone is a module type).
  if ((inComponent && b === 0x00) || (!inComponent && b === 0x50) || b === 0x4f) {
    r.pos++;
    if (inComponent && b === 0x00) {
      const at = r.pos;
      const s = r.byte('0x50 (sub)');
      if (s !== 0x50) r.unknown('0x50 (sub) after 0x00', s, at);
    }
    const supertypes = r.vec('supertypes', (r) => r.u32('a type index'));
    const { shared, type } = readCompositeType(r);
    return { final: b === 0x4f, supertypes, shared, type };
  }
  const { shared, type } = readCompositeType(r);
  return { final: true, supertypes: [], shared, type };
}

/** The rec group (or plain subtype) of a core type section entry. */
function readRecGroup(r: Reader, inComponent: boolean): CoreSubType[] {
  if (r.peek('a core type') === 0x4e) {
    r.pos++;
    // Inside `rec` there is no ambiguity with module types: the core encoding (0x50 = sub).
    return r.vec('rec group types', (r) => readSubType(r, false), 2);
  }
  return [readSubType(r, inComponent)];
}

/** A core module's type section entry: the subtypes it defines. */
export function readModuleRecGroup(r: Reader): CoreSubType[] {
  return readRecGroup(r, false);
}

/** `core:type` in a component (section 3, or a `core-type` declarator). */
export function readCoreType(r: Reader, inComponent: boolean): CoreType {
  if (inComponent && r.peek('a core type') === 0x50) {
    r.pos++;
    return { kind: 'module', decls: r.vec('module type declarators', readModuleDecl, 2) };
  }
  return { kind: 'rec', types: readRecGroup(r, inComponent) };
}

function readModuleDecl(r: Reader): ModuleDecl {
  const at = r.pos;
  const b = r.byte('a module type declarator');
  switch (b) {
    case 0x00:
      return { kind: 'import', import: readCoreImport(r) };
    case 0x01: {
      if (r.peek('a core type') === 0x50)
        r.fail('a core type other than a module type', 'module types do not nest');
      return { kind: 'type', type: readCoreType(r, true) };
    }
    case 0x02: {
      const sort = readCoreSort(r);
      const t = r.pos;
      const tag = r.byte('a core alias target (0x01: outer)');
      if (tag !== 0x01) r.unknown('a core alias target (0x01: outer)', tag, t);
      return {
        kind: 'alias',
        sort,
        count: r.u32('an outer count'),
        index: r.u32('an outer index'),
      };
    }
    case 0x03: {
      const name = r.name('an export name');
      return { kind: 'export', name, desc: readCoreExternType(r) };
    }
    default:
      return r.unknown('a module type declarator (0x00-0x03)', b, at);
  }
}

export function readCoreImport(r: Reader): CoreImport {
  const module = r.name('an import module name');
  const name = r.name('an import name');
  return { module, name, desc: readCoreExternType(r) };
}

/** `core:importdesc` */
export function readCoreExternType(r: Reader): CoreExternType {
  const at = r.pos;
  const b = r.byte('an import description');
  switch (b) {
    case 0x00:
      return { kind: 'func', type: r.u32('a type index') };
    case 0x01:
      return { kind: 'table', type: readTableType(r) };
    case 0x02:
      return { kind: 'memory', type: readMemoryType(r) };
    case 0x03:
      return { kind: 'global', type: readGlobalType(r) };
    case 0x04: {
      const t = r.pos;
      const attr = r.byte('a tag attribute (0x00)');
      if (attr !== 0x00) r.unknown('a tag attribute (0x00)', attr, t);
      return { kind: 'tag', type: r.u32('a type index') };
    }
    default:
      return r.unknown('an import description (0x00-0x04)', b, at);
  }
}

function readLimitsWith(
  r: Reader,
  flags: number,
  index64: boolean,
): { min: bigint; max: bigint | null } {
  const read = (what: string): bigint => (index64 ? r.u64(what) : BigInt(r.u32(what)));
  const min = read('a minimum size');
  return { min, max: flags & 0x01 ? read('a maximum size') : null };
}

export function readMemoryType(r: Reader): MemoryType {
  const at = r.pos;
  const flags = r.byte('memory limits flags');
  if (flags & ~0x0f) r.fail('memory limits flags', `found 0x${hex(flags)}`, at);
  const index64 = (flags & 0x04) !== 0;
  const { min, max } = readLimitsWith(r, flags, index64);
  const pageSizeLog2 = flags & 0x08 ? r.u32('a page size') : null;
  return { min, max, index64, shared: (flags & 0x02) !== 0, pageSizeLog2 };
}

export function readTableType(r: Reader): TableType {
  const element = readRefType(r);
  const at = r.pos;
  const flags = r.byte('table limits flags');
  if (flags & ~0x07) r.fail('table limits flags', `found 0x${hex(flags)}`, at);
  const index64 = (flags & 0x04) !== 0;
  return { element, index64, ...readLimitsWith(r, flags, index64) };
}

export function readGlobalType(r: Reader): GlobalType {
  const type = readCoreValType(r);
  const at = r.pos;
  const m = r.byte('a global mutability');
  if (m & ~0x03) r.fail('a global mutability (0x00-0x03)', `found 0x${hex(m)}`, at);
  return { type, mutable: (m & 0x01) !== 0, shared: (m & 0x02) !== 0 };
}
