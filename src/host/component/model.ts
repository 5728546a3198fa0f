/**
 * The decoded form of a component binary (`design/mvp/Binary.md`), close to the binary's own
 * structure: every definition in section order, plus the index spaces the spec builds from them,
 * so that later stages (typing, instantiation) can resolve any `(sort, index)` to the definition
 * that introduced it.
 *
 * Indices stored in definitions are raw: they refer to the index space of the sort named by the
 * field, in the enclosing component (or, inside type declarators, the enclosing type's scope).
 * Every node carries `offset`, the absolute byte offset of its first byte in the input.
 */

// ---------------------------------------------------------------------------------------------
// Sorts and index spaces
// ---------------------------------------------------------------------------------------------

/** `core:sort`: the core index spaces a component has. */
export type CoreSort =
  | 'core-func'
  | 'core-table'
  | 'core-memory'
  | 'core-global'
  | 'core-type'
  | 'core-module'
  | 'core-instance';

/** `sort` (without `core`): the component-level index spaces. */
export type ComponentSort = 'func' | 'value' | 'type' | 'component' | 'instance';

export type Sort = CoreSort | ComponentSort;

export const CORE_SORTS: readonly CoreSort[] = [
  'core-func',
  'core-table',
  'core-memory',
  'core-global',
  'core-type',
  'core-module',
  'core-instance',
];

export const COMPONENT_SORTS: readonly ComponentSort[] = [
  'func',
  'value',
  'type',
  'component',
  'instance',
];

export const ALL_SORTS: readonly Sort[] = [...CORE_SORTS, ...COMPONENT_SORTS];

/** `sortidx` / `core:sortidx`. */
export interface SortIndex {
  readonly sort: Sort;
  readonly index: number;
}

/**
 * What introduced one index: the definition (position in {@link Component.definitions}) and,
 * where one definition introduces several indices of the same sort, which one (`item`): the
 * n-th subtype of a core rec group, or the n-th result value of a `start`.
 */
export interface IndexEntry {
  readonly definition: number;
  readonly item: number;
}

export type IndexSpaces = { readonly [S in Sort]: IndexEntry[] };

// ---------------------------------------------------------------------------------------------
// The component
// ---------------------------------------------------------------------------------------------

export interface Component {
  /** Absolute offset of the preamble. */
  readonly offset: number;
  /** The component's bytes (a view into the input). */
  readonly bytes: Uint8Array;
  /** The binary format version from the preamble (0x0d today). */
  readonly version: number;
  /** The enclosing component for a nested one, null at the root. Outer aliases count up this chain. */
  readonly parent: Component | null;
  /** Every definition, flattened from the sections in binary order. */
  readonly definitions: Definition[];
  /** The index spaces, built incrementally in definition order as the spec describes. */
  readonly spaces: IndexSpaces;
  /** Convenience views (same objects as in `definitions`). */
  readonly imports: Import[];
  readonly exports: Export[];
  readonly customSections: CustomSection[];
  /** The decoded `component-name` section, if present and well-formed. */
  readonly names: ComponentNames | null;
}

/** One item of a section, in binary order. */
export type Definition =
  | { readonly kind: 'core-module'; readonly offset: number; readonly module: CoreModule }
  | { readonly kind: 'core-instance'; readonly offset: number; readonly instance: CoreInstance }
  | { readonly kind: 'core-type'; readonly offset: number; readonly type: CoreType }
  | { readonly kind: 'component'; readonly offset: number; readonly component: Component }
  | { readonly kind: 'instance'; readonly offset: number; readonly instance: Instance }
  | { readonly kind: 'alias'; readonly offset: number; readonly alias: Alias }
  | { readonly kind: 'type'; readonly offset: number; readonly type: DefType }
  | { readonly kind: 'canon'; readonly offset: number; readonly canon: Canon }
  | { readonly kind: 'start'; readonly offset: number; readonly start: Start }
  | { readonly kind: 'import'; readonly offset: number; readonly import: Import }
  | { readonly kind: 'export'; readonly offset: number; readonly export: Export }
  | { readonly kind: 'value'; readonly offset: number; readonly value: Value };

export interface CustomSection {
  readonly offset: number;
  readonly name: string;
  /** The payload after the name. */
  readonly data: Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/**
 * `importname'` / `exportname'`: the name string, plus the version suffix of the
 * `0x01 len name versionsuffix'` form. `legacyInterface` marks the old `0x01 len name` encoding
 * of interface names (no suffix) that earlier wasm-tools emitted; see `decode.ts`.
 */
export interface ExternName {
  readonly name: string;
  readonly versionSuffix: string | null;
  readonly legacyInterface: boolean;
}

/** The `component-name` custom section. */
export interface ComponentNames {
  readonly component: string | null;
  /** Names by sort and index. */
  readonly sorts: ReadonlyMap<Sort, ReadonlyMap<number, string>>;
}

// ---------------------------------------------------------------------------------------------
// Instances and aliases
// ---------------------------------------------------------------------------------------------

export type CoreInstance =
  | {
      readonly kind: 'instantiate';
      readonly module: number;
      /** `(with name (instance i))`; only the instance sort exists today. */
      readonly args: readonly { readonly name: string; readonly instance: number }[];
    }
  | { readonly kind: 'exports'; readonly exports: readonly CoreInlineExport[] };

export interface CoreInlineExport {
  readonly name: string;
  readonly item: SortIndex;
}

export type Instance =
  | {
      readonly kind: 'instantiate';
      readonly component: number;
      readonly args: readonly { readonly name: string; readonly item: SortIndex }[];
    }
  | { readonly kind: 'exports'; readonly exports: readonly InlineExport[] };

export interface InlineExport {
  readonly name: ExternName;
  readonly item: SortIndex;
}

export interface Alias {
  readonly sort: Sort;
  readonly target: AliasTarget;
}

export type AliasTarget =
  /** `export i n`: a component instance's export. */
  | { readonly kind: 'export'; readonly instance: number; readonly name: string }
  /** `core export i n`: a core instance's export. */
  | { readonly kind: 'core-export'; readonly instance: number; readonly name: string }
  /** `outer ct idx`: index `idx` of the `ct`-th enclosing scope (0 = this one). */
  | { readonly kind: 'outer'; readonly count: number; readonly index: number };

// ---------------------------------------------------------------------------------------------
// Component types
// ---------------------------------------------------------------------------------------------

export type PrimitiveValType =
  | 'bool'
  | 's8'
  | 'u8'
  | 's16'
  | 'u16'
  | 's32'
  | 'u32'
  | 's64'
  | 'u64'
  | 'f32'
  | 'f64'
  | 'char'
  | 'string'
  | 'error-context';

/**
 * `valtype`: a primitive, or a type index (a number). `I` is the index type: a raw type index
 * in the decoded model, a resolved type id in `types.ts`.
 */
export type ValType<I = number> = PrimitiveValType | I;

export interface LabeledValType<I = number> {
  readonly name: string;
  readonly type: ValType<I>;
}

/** `defvaltype`. */
export type DefinedType<I = number> =
  | { readonly kind: 'primitive'; readonly type: PrimitiveValType }
  | { readonly kind: 'record'; readonly fields: readonly LabeledValType<I>[] }
  | {
      readonly kind: 'variant';
      readonly cases: readonly {
        readonly name: string;
        readonly type: ValType<I> | null;
        /** `refines` (an old case immediate, now always absent). */
        readonly refines: number | null;
      }[];
    }
  /** `length` is set for fixed-length lists (`list<T, N>`). */
  | { readonly kind: 'list'; readonly element: ValType<I>; readonly length: number | null }
  | { readonly kind: 'tuple'; readonly types: readonly ValType<I>[] }
  | { readonly kind: 'flags'; readonly names: readonly string[] }
  | { readonly kind: 'enum'; readonly names: readonly string[] }
  | { readonly kind: 'option'; readonly type: ValType<I> }
  | { readonly kind: 'result'; readonly ok: ValType<I> | null; readonly err: ValType<I> | null }
  | { readonly kind: 'own'; readonly resource: I }
  | { readonly kind: 'borrow'; readonly resource: I }
  | { readonly kind: 'stream'; readonly element: ValType<I> | null }
  | { readonly kind: 'future'; readonly element: ValType<I> | null }
  | { readonly kind: 'map'; readonly key: ValType<I>; readonly value: ValType<I> };

export interface FuncType<I = number> {
  readonly async: boolean;
  readonly params: readonly LabeledValType<I>[];
  /** null for no result. */
  readonly result: ValType<I> | null;
}

/** `deftype` (plus `resourcetype`, which only a component's type section may hold). */
export type DefType =
  | { readonly kind: 'defined'; readonly type: DefinedType }
  | ({ readonly kind: 'func' } & FuncType)
  | { readonly kind: 'component'; readonly decls: readonly ComponentDecl[] }
  | { readonly kind: 'instance'; readonly decls: readonly InstanceDecl[] }
  | {
      readonly kind: 'resource';
      /** The representation: `i32` is the only one today. */
      readonly rep: 'i32';
      /** Core func index of the destructor. */
      readonly dtor: number | null;
      /** `(dtor async f (callback cb)?)` */
      readonly async: boolean;
      readonly callback: number | null;
    };

export type InstanceDecl =
  | { readonly kind: 'core-type'; readonly offset: number; readonly type: CoreType }
  | { readonly kind: 'type'; readonly offset: number; readonly type: DefType }
  | { readonly kind: 'alias'; readonly offset: number; readonly alias: Alias }
  | {
      readonly kind: 'export';
      readonly offset: number;
      readonly name: ExternName;
      readonly desc: ExternDesc;
    };

export type ComponentDecl =
  | InstanceDecl
  | {
      readonly kind: 'import';
      readonly offset: number;
      readonly name: ExternName;
      readonly desc: ExternDesc;
    };

/** `externdesc`: the sort and type of an import or export. */
export type ExternDesc =
  | { readonly sort: 'core-module'; readonly type: number }
  | { readonly sort: 'func'; readonly type: number }
  | { readonly sort: 'value'; readonly bound: ValueBound }
  | { readonly sort: 'type'; readonly bound: TypeBound }
  | { readonly sort: 'component'; readonly type: number }
  | { readonly sort: 'instance'; readonly type: number };

export type TypeBound =
  { readonly kind: 'eq'; readonly type: number } | { readonly kind: 'sub-resource' };

export type ValueBound =
  | { readonly kind: 'eq'; readonly value: number }
  | { readonly kind: 'type'; readonly type: ValType };

// ---------------------------------------------------------------------------------------------
// Core types (the parts of core wasm a component's core type section holds)
// ---------------------------------------------------------------------------------------------

export type CoreNumType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';

/** An abstract heap type (`func`, `extern`, … and the GC ones), possibly `shared`. */
export interface AbstractHeapType {
  readonly kind: 'abstract';
  readonly name: string;
  readonly shared: boolean;
}

export type HeapType = AbstractHeapType | { readonly kind: 'index'; readonly index: number };

export interface CoreRefType {
  readonly kind: 'ref';
  readonly nullable: boolean;
  readonly heap: HeapType;
}

export type CoreValType = CoreNumType | CoreRefType;

export type StorageType = CoreValType | 'i8' | 'i16';

export interface FieldType {
  readonly type: StorageType;
  readonly mutable: boolean;
}

export type CoreCompositeType =
  | {
      readonly kind: 'func';
      readonly params: readonly CoreValType[];
      readonly results: readonly CoreValType[];
    }
  | { readonly kind: 'struct'; readonly fields: readonly FieldType[] }
  | { readonly kind: 'array'; readonly field: FieldType }
  /** Stack switching's `cont $ft`. */
  | { readonly kind: 'cont'; readonly type: number };

export interface CoreSubType {
  readonly final: boolean;
  readonly supertypes: readonly number[];
  /** `shared` composite types (shared-everything threads). */
  readonly shared: boolean;
  readonly type: CoreCompositeType;
}

/** A `core:type`: a rec group (one index per subtype) or a module type (one index). */
export type CoreType =
  | { readonly kind: 'rec'; readonly types: readonly CoreSubType[] }
  | { readonly kind: 'module'; readonly decls: readonly ModuleDecl[] };

export type ModuleDecl =
  | { readonly kind: 'import'; readonly import: CoreImport }
  | { readonly kind: 'type'; readonly type: CoreType }
  | {
      readonly kind: 'alias';
      readonly sort: CoreSort;
      readonly count: number;
      readonly index: number;
    }
  | { readonly kind: 'export'; readonly name: string; readonly desc: CoreExternType };

export interface Limits {
  readonly min: bigint;
  readonly max: bigint | null;
  /** memory64 / table64. */
  readonly index64: boolean;
}

export interface MemoryType extends Limits {
  readonly shared: boolean;
  /** log2 of the page size when the custom-page-sizes flag is set. */
  readonly pageSizeLog2: number | null;
}

export interface TableType extends Limits {
  readonly element: CoreRefType;
}

export interface GlobalType {
  readonly type: CoreValType;
  readonly mutable: boolean;
  readonly shared: boolean;
}

export type CoreExternType =
  | { readonly kind: 'func'; readonly type: number }
  | { readonly kind: 'table'; readonly type: TableType }
  | { readonly kind: 'memory'; readonly type: MemoryType }
  | { readonly kind: 'global'; readonly type: GlobalType }
  | { readonly kind: 'tag'; readonly type: number };

export interface CoreImport {
  readonly module: string;
  readonly name: string;
  readonly desc: CoreExternType;
}

// ---------------------------------------------------------------------------------------------
// Core modules (a light parse: what instantiation needs to wire them)
// ---------------------------------------------------------------------------------------------

export type CoreExternKind = CoreExternType['kind'];

export interface CoreModule {
  /** Absolute offset of the module's preamble. */
  readonly offset: number;
  /** The whole module (a view into the input): hand it to `WebAssembly.compile`. */
  readonly bytes: Uint8Array;
  /** The module's type index space, rec groups flattened. */
  readonly types: readonly CoreSubType[];
  readonly imports: readonly CoreImport[];
  /** Type index of every function, imported ones first. */
  readonly funcs: readonly number[];
  readonly tables: readonly TableType[];
  readonly memories: readonly MemoryType[];
  readonly globals: readonly GlobalType[];
  /** Type index of every tag, imported ones first. */
  readonly tags: readonly number[];
  readonly exports: readonly {
    readonly name: string;
    readonly kind: CoreExternKind;
    readonly index: number;
  }[];
  readonly start: number | null;
  readonly customSections: readonly CustomSection[];
}

// ---------------------------------------------------------------------------------------------
// Canonical definitions
// ---------------------------------------------------------------------------------------------

export type StringEncoding = 'utf8' | 'utf16' | 'latin1+utf16';

/** `canonopt` in binary order. */
export type CanonOpt =
  | { readonly kind: 'string-encoding'; readonly encoding: StringEncoding }
  | { readonly kind: 'memory'; readonly index: number }
  | { readonly kind: 'realloc'; readonly index: number }
  | { readonly kind: 'post-return'; readonly index: number }
  | { readonly kind: 'async' }
  | { readonly kind: 'callback'; readonly index: number }
  | { readonly kind: 'core-type'; readonly index: number }
  | { readonly kind: 'gc' };

/** The options of one canonical definition, summarized (each appears at most once). */
export interface CanonOptions {
  readonly list: readonly CanonOpt[];
  /** null when not given (utf8 is the default). */
  readonly stringEncoding: StringEncoding | null;
  /** Core memory index. */
  readonly memory: number | null;
  /** Core func indices. */
  readonly realloc: number | null;
  readonly postReturn: number | null;
  readonly async: boolean;
  readonly callback: number | null;
  /** Core type index. */
  readonly coreType: number | null;
  readonly gc: boolean;
}

/**
 * `canon`: `lift` defines a component func; everything else defines a core func. `type`
 * fields are component type indices, `coreType`/`table` core indices.
 */
export type Canon =
  | {
      readonly op: 'lift';
      readonly coreFunc: number;
      readonly type: number;
      readonly options: CanonOptions;
    }
  | { readonly op: 'lower'; readonly func: number; readonly options: CanonOptions }
  | { readonly op: 'resource.new'; readonly type: number }
  | { readonly op: 'resource.drop'; readonly type: number; readonly async: boolean }
  | { readonly op: 'resource.rep'; readonly type: number }
  | { readonly op: 'backpressure.set' }
  | { readonly op: 'backpressure.inc' }
  | { readonly op: 'backpressure.dec' }
  | { readonly op: 'task.return'; readonly result: ValType | null; readonly options: CanonOptions }
  | { readonly op: 'task.cancel' }
  | { readonly op: 'context.get'; readonly valtype: CoreValType; readonly index: number }
  | { readonly op: 'context.set'; readonly valtype: CoreValType; readonly index: number }
  | { readonly op: 'thread.yield'; readonly cancellable: boolean }
  | { readonly op: 'subtask.cancel'; readonly async: boolean }
  | { readonly op: 'subtask.drop' }
  | { readonly op: 'stream.new' | 'future.new'; readonly type: number }
  | {
      readonly op: 'stream.read' | 'stream.write' | 'future.read' | 'future.write';
      readonly type: number;
      readonly options: CanonOptions;
    }
  | {
      readonly op:
        'stream.cancel-read' | 'stream.cancel-write' | 'future.cancel-read' | 'future.cancel-write';
      readonly type: number;
      readonly async: boolean;
    }
  | {
      readonly op:
        | 'stream.drop-readable'
        | 'stream.drop-writable'
        | 'future.drop-readable'
        | 'future.drop-writable';
      readonly type: number;
    }
  | {
      readonly op: 'error-context.new' | 'error-context.debug-message';
      readonly options: CanonOptions;
    }
  | { readonly op: 'error-context.drop' }
  | { readonly op: 'waitable-set.new' }
  | {
      readonly op: 'waitable-set.wait' | 'waitable-set.poll';
      readonly cancellable: boolean;
      readonly memory: number;
    }
  | { readonly op: 'waitable-set.drop' }
  | { readonly op: 'waitable.join' }
  | { readonly op: 'thread.index' }
  | { readonly op: 'thread.new-indirect'; readonly coreType: number; readonly table: number }
  | { readonly op: 'thread.resume-later' }
  | {
      readonly op:
        | 'thread.suspend'
        | 'thread.suspend-then-resume'
        | 'thread.yield-then-resume'
        | 'thread.suspend-then-promote'
        | 'thread.yield-then-promote';
      readonly cancellable: boolean;
    }
  | { readonly op: 'thread.spawn-ref'; readonly coreType: number }
  | { readonly op: 'thread.spawn-indirect'; readonly coreType: number; readonly table: number }
  | { readonly op: 'thread.available-parallelism' };

export type CanonOp = Canon['op'];

// ---------------------------------------------------------------------------------------------
// Start, imports, exports, values
// ---------------------------------------------------------------------------------------------

/** 🪙 `start f (value arg)* (result (value))^r`. */
export interface Start {
  readonly func: number;
  readonly args: readonly number[];
  readonly results: number;
}

export interface Import {
  readonly offset: number;
  readonly name: ExternName;
  readonly desc: ExternDesc;
}

export interface Export {
  readonly offset: number;
  readonly name: ExternName;
  readonly item: SortIndex;
  /** The optional ascribed type. */
  readonly desc: ExternDesc | null;
}

/** 🪙 A value definition: its type and the encoded value bytes (not interpreted). */
export interface Value {
  readonly type: ValType;
  readonly bytes: Uint8Array;
}
