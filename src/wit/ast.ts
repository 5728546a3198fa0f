/**
 * The WIT abstract syntax tree: what `to-ast.ts` builds from the CST and what `resolve/package.ts`
 * consumes. Every node has a `span` (global offsets into the {@link SourceMap}); items carry their
 * docs and gates. Names are kept as written, with a leading `%` already stripped (`Id.name`).
 *
 * Grammar reference: `design/mvp/WIT.md` of WebAssembly/component-model.
 */
import type { Span } from './source-map.js';

/** An identifier occurrence; `name` has any `%` escape removed. */
export interface Id {
  readonly name: string;
  readonly span: Span;
}

/** `ns:name@1.2.3` (a nested namespace path such as `a:b:c` is not WIT; `name` is one label). */
export interface PackageName {
  readonly namespace: Id;
  readonly name: Id;
  /** Full semver text, including pre-release and build (`1.0.0-rc.1+abc`), or null. */
  readonly version: { readonly text: string; readonly span: Span } | null;
  readonly span: Span;
}

/** Doc comments directly before an item, already processed (see resolve-json.md "Docs"). */
export interface Docs {
  /** null when there are no comments before the item. */
  readonly contents: string | null;
}

/** One attribute of a gate: `@since(version = 1.2.3)`, `@unstable(feature = x)`, `@deprecated(version = 1.2.3)`. */
export type GateItem =
  | { readonly kind: 'since'; readonly version: string; readonly span: Span }
  | { readonly kind: 'unstable'; readonly feature: Id; readonly span: Span }
  | { readonly kind: 'deprecated'; readonly version: string; readonly span: Span };

/** `@external-id("…")` (🏷️ WIT.md): any Unicode string naming the item for the outside world. */
export interface ExternalId {
  /** The decoded string (escapes processed). */
  readonly value: string;
  readonly span: Span;
}

/** Everything that may precede an item: its docs and its gates. */
export interface Attributes {
  readonly docs: Docs;
  readonly gates: readonly GateItem[];
  /**
   * `@external-id("…")`, only on import/export items with a plain name, on interface type and
   * function items, and on resource methods; absent otherwise.
   */
  readonly externalId?: ExternalId;
}

/** A parsed file: an optional package header, then top-level items and nested package blocks. */
export interface File {
  /** Path of the file as added to the SourceMap. */
  readonly path: string;
  /** `package ns:name;` at the top of the file, with its docs; null when absent. */
  readonly package: { readonly name: PackageName; readonly docs: Docs; readonly span: Span } | null;
  readonly items: readonly TopLevelItem[];
  readonly span: Span;
}

export type TopLevelItem = TopLevelUse | InterfaceItem | WorldItemDecl | NestedPackage;

/** `package a:b@1.0.0 { use … interface … world … }` (WIT.md: `package-decl '{' package-items* '}'`) */
export interface NestedPackage extends Attributes {
  readonly kind: 'nested-package';
  readonly name: PackageName;
  readonly items: readonly (TopLevelUse | InterfaceItem | WorldItemDecl)[];
  readonly span: Span;
}

/**
 * A path to an interface as written in `use`, `import`, `export`, `include`:
 * - `{ kind: 'name', name }` — a local name (`foo`)
 * - `{ kind: 'package', package, interface }` — `ns:pkg/iface@1.2.3` (version on the package)
 */
export type UsePath =
  | { readonly kind: 'name'; readonly name: Id; readonly span: Span }
  | {
      readonly kind: 'package';
      readonly package: PackageName;
      readonly interface: Id;
      readonly span: Span;
    };

/** Top-level `use ns:pkg/iface@1.0.0 as name;` */
export interface TopLevelUse extends Attributes {
  readonly kind: 'use';
  readonly path: UsePath;
  readonly as: Id | null;
  readonly span: Span;
}

/** `use path.{a, b as c};` inside an interface or a world. */
export interface UseItem extends Attributes {
  readonly kind: 'use';
  readonly from: UsePath;
  readonly names: readonly { readonly name: Id; readonly as: Id | null }[];
  readonly span: Span;
}

export interface InterfaceItem extends Attributes {
  readonly kind: 'interface';
  readonly name: Id;
  readonly items: readonly InterfaceMember[];
  readonly span: Span;
}

export type InterfaceMember = UseItem | TypeDefItem | FuncItem;

export interface WorldItemDecl extends Attributes {
  readonly kind: 'world';
  readonly name: Id;
  readonly items: readonly WorldMember[];
  readonly span: Span;
}

export type WorldMember = ImportExport | UseItem | TypeDefItem | Include;

/**
 * `import …;` / `export …;`:
 * - `import name: func(…);` → target `{ kind: 'func' }`
 * - `import name: interface { … }` → target `{ kind: 'interface' }`
 * - `import path;` (a local interface or `ns:pkg/iface@v`) → target `{ kind: 'path' }`
 * - `import name: path;` (🏷️ a plain name for an interface, WIT.md `extern-type ::= use-path ';'`)
 *   → target `{ kind: 'named-path' }`
 */
export interface ImportExport extends Attributes {
  readonly kind: 'import' | 'export';
  readonly target:
    | { readonly kind: 'func'; readonly name: Id; readonly func: FuncType }
    | { readonly kind: 'interface'; readonly name: Id; readonly items: readonly InterfaceMember[] }
    | { readonly kind: 'path'; readonly path: UsePath }
    | { readonly kind: 'named-path'; readonly name: Id; readonly path: UsePath };
  readonly span: Span;
}

/** `include path with { a as b, … };` */
export interface Include extends Attributes {
  readonly kind: 'include';
  readonly path: UsePath;
  readonly with: readonly { readonly name: Id; readonly as: Id }[];
  readonly span: Span;
}

/** A named function in an interface: `name: async? func(params) -> result;` */
export interface FuncItem extends Attributes {
  readonly kind: 'func';
  readonly name: Id;
  readonly func: FuncType;
  readonly span: Span;
}

export interface FuncType {
  readonly async: boolean;
  readonly params: readonly Param[];
  /** The single result type, or null for none. (Named multi-value results are a parse error.) */
  readonly result: TypeExpr | null;
  readonly span: Span;
}

export interface Param {
  readonly name: Id;
  readonly type: TypeExpr;
  readonly span: Span;
}

/** A type definition item. */
export type TypeDefItem =
  | RecordItem
  | VariantItem
  | EnumItem
  | FlagsItem
  | ResourceItem
  | TypeAliasItem;

export interface RecordItem extends Attributes {
  readonly kind: 'record';
  readonly name: Id;
  readonly fields: readonly (Attributes & { readonly name: Id; readonly type: TypeExpr; readonly span: Span })[];
  readonly span: Span;
}

export interface VariantItem extends Attributes {
  readonly kind: 'variant';
  readonly name: Id;
  readonly cases: readonly (Attributes & { readonly name: Id; readonly type: TypeExpr | null; readonly span: Span })[];
  readonly span: Span;
}

export interface EnumItem extends Attributes {
  readonly kind: 'enum';
  readonly name: Id;
  readonly cases: readonly (Attributes & { readonly name: Id; readonly span: Span })[];
  readonly span: Span;
}

export interface FlagsItem extends Attributes {
  readonly kind: 'flags';
  readonly name: Id;
  readonly flags: readonly (Attributes & { readonly name: Id; readonly span: Span })[];
  readonly span: Span;
}

/** `resource r;` or `resource r { constructor(…); m: func(…); s: static func(…); }` */
export interface ResourceItem extends Attributes {
  readonly kind: 'resource';
  readonly name: Id;
  readonly members: readonly ResourceMember[];
  readonly span: Span;
}

export type ResourceMember =
  | (Attributes & {
      readonly kind: 'constructor';
      readonly params: readonly Param[];
      /** `constructor(…) -> result<_, E>` or `-> result` is allowed; null when absent. */
      readonly result: TypeExpr | null;
      readonly span: Span;
    })
  | (Attributes & { readonly kind: 'method'; readonly name: Id; readonly func: FuncType; readonly span: Span })
  | (Attributes & { readonly kind: 'static'; readonly name: Id; readonly func: FuncType; readonly span: Span });

/** `type name = T;` */
export interface TypeAliasItem extends Attributes {
  readonly kind: 'type';
  readonly name: Id;
  readonly type: TypeExpr;
  readonly span: Span;
}

export type PrimitiveName =
  | 'bool'
  | 's8'
  | 's16'
  | 's32'
  | 's64'
  | 'u8'
  | 'u16'
  | 'u32'
  | 'u64'
  | 'f32'
  | 'f64'
  | 'char'
  | 'string'
  | 'error-context';

/** A type as written in a type position. */
export type TypeExpr =
  | { readonly kind: 'primitive'; readonly name: PrimitiveName; readonly span: Span }
  | { readonly kind: 'named'; readonly name: Id; readonly span: Span }
  | { readonly kind: 'list'; readonly element: TypeExpr; readonly span: Span }
  | {
      readonly kind: 'fixed-length-list';
      readonly element: TypeExpr;
      readonly length: number;
      readonly span: Span;
    }
  | { readonly kind: 'map'; readonly key: TypeExpr; readonly value: TypeExpr; readonly span: Span }
  | { readonly kind: 'tuple'; readonly types: readonly TypeExpr[]; readonly span: Span }
  | { readonly kind: 'option'; readonly type: TypeExpr; readonly span: Span }
  /** `result`, `result<T>`, `result<_, E>`, `result<T, E>` */
  | {
      readonly kind: 'result';
      readonly ok: TypeExpr | null;
      readonly err: TypeExpr | null;
      readonly span: Span;
    }
  | { readonly kind: 'own'; readonly resource: Id; readonly span: Span }
  | { readonly kind: 'borrow'; readonly resource: Id; readonly span: Span }
  | { readonly kind: 'future'; readonly type: TypeExpr | null; readonly span: Span }
  | { readonly kind: 'stream'; readonly type: TypeExpr | null; readonly span: Span };
