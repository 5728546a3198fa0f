/**
 * The resolved WIT model: an arena of packages, interfaces, worlds and type definitions addressed by
 * branded ids (wasm-tools' `Resolve`). Everything downstream (ABI planner, emitters, hosts) reads
 * this; `resolve-json.ts` serializes it in the reference JSON shape.
 *
 * Maps are insertion-ordered and that order is meaningful (it is the JSON order).
 */
import type { SourceMap, Span } from './source-map.js';

export type TypeId = number & { readonly __brand: 'TypeId' };
export type InterfaceId = number & { readonly __brand: 'InterfaceId' };
export type WorldId = number & { readonly __brand: 'WorldId' };
export type PackageId = number & { readonly __brand: 'PackageId' };

export type PrimitiveType =
  | 'bool'
  | 'u8'
  | 'u16'
  | 'u32'
  | 'u64'
  | 's8'
  | 's16'
  | 's32'
  | 's64'
  | 'f32'
  | 'f64'
  | 'char'
  | 'string'
  | 'error-context';

/** A type reference: a primitive by name, or a {@link TypeId} into `Resolve.types`. */
export type Type = PrimitiveType | TypeId;

export function isPrimitive(t: Type): t is PrimitiveType {
  return typeof t === 'string';
}

/** Doc comments; `contents` is null when there are none (omitted in JSON). */
export interface Docs {
  readonly contents: string | null;
}

export const NO_DOCS: Docs = { contents: null };

/** `@since`/`@unstable`/`@deprecated`; `unknown` means no gate (omitted in JSON). */
export type Stability =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'stable'; readonly since: string; readonly deprecated: string | null }
  | { readonly kind: 'unstable'; readonly feature: string; readonly deprecated: string | null };

export const UNKNOWN_STABILITY: Stability = { kind: 'unknown' };

export interface Field {
  readonly name: string;
  readonly type: Type;
  readonly docs: Docs;
}

export interface Case {
  readonly name: string;
  /** null for a case without payload. */
  readonly type: Type | null;
  readonly docs: Docs;
}

export interface EnumCase {
  readonly name: string;
  readonly docs: Docs;
}

export interface Flag {
  readonly name: string;
  readonly docs: Docs;
}

/** The structure of a type definition. Dispatch with an exhaustive `switch (kind.tag)`. */
export type TypeDefKind =
  | { readonly tag: 'resource' }
  | { readonly tag: 'record'; readonly fields: readonly Field[] }
  | { readonly tag: 'variant'; readonly cases: readonly Case[] }
  | { readonly tag: 'enum'; readonly cases: readonly EnumCase[] }
  | { readonly tag: 'flags'; readonly flags: readonly Flag[] }
  | { readonly tag: 'tuple'; readonly types: readonly Type[] }
  | { readonly tag: 'option'; readonly type: Type }
  | { readonly tag: 'list'; readonly type: Type }
  | { readonly tag: 'fixed-length-list'; readonly type: Type; readonly size: number }
  | { readonly tag: 'map'; readonly key: Type; readonly value: Type }
  | { readonly tag: 'result'; readonly ok: Type | null; readonly err: Type | null }
  | { readonly tag: 'future'; readonly type: Type | null }
  | { readonly tag: 'stream'; readonly type: Type | null }
  /** `resource` is the resource TypeDef or an alias of one (dealias to reach the resource). */
  | { readonly tag: 'handle'; readonly handle: 'own' | 'borrow'; readonly resource: TypeId }
  /** `type x = T;` and every `use`d name. */
  | { readonly tag: 'type'; readonly type: Type };

export type TypeOwner =
  | { readonly kind: 'interface'; readonly id: InterfaceId }
  | { readonly kind: 'world'; readonly id: WorldId }
  | { readonly kind: 'none' };

export interface TypeDef {
  /** null for anonymous types (`list<u32>`, handles, …). */
  readonly name: string | null;
  readonly kind: TypeDefKind;
  readonly owner: TypeOwner;
  readonly docs: Docs;
  readonly stability: Stability;
  /** `@external-id("…")` of a named type definition. */
  readonly externalId?: string;
  readonly span: Span | null;
}

export type FunctionKind =
  | { readonly tag: 'freestanding' }
  | { readonly tag: 'async-freestanding' }
  | { readonly tag: 'method'; readonly resource: TypeId }
  | { readonly tag: 'async-method'; readonly resource: TypeId }
  | { readonly tag: 'static'; readonly resource: TypeId }
  | { readonly tag: 'async-static'; readonly resource: TypeId }
  | { readonly tag: 'constructor'; readonly resource: TypeId };

export interface Param {
  readonly name: string;
  readonly type: Type;
}

export interface Func {
  /** `f`, `[constructor]r`, `[method]r.m`, `[static]r.s`. */
  readonly name: string;
  readonly kind: FunctionKind;
  /** Methods have an explicit first param `self: borrow<R>`. */
  readonly params: readonly Param[];
  /** null when the function returns nothing. Constructors return `own<R>` (or `result<own<R>, E>`). */
  readonly result: Type | null;
  readonly docs: Docs;
  readonly stability: Stability;
  /** `@external-id("…")` of the function. */
  readonly externalId?: string;
  readonly span: Span | null;
}

export interface Interface {
  /** null for an anonymous `import x: interface { … }` in a world. */
  readonly name: string | null;
  /** Every named type in the interface, including `use`d aliases. */
  readonly types: Map<string, TypeId>;
  readonly functions: Map<string, Func>;
  readonly docs: Docs;
  readonly stability: Stability;
  readonly package: PackageId | null;
  readonly span: Span | null;
}

/**
 * A world item. Keys of `World.imports`/`World.exports` are strings: a kebab name (`foo`,
 * `[constructor]r`) or `interface-<id>` for an interface named by path (see {@link worldKeyOf}).
 */
export type WorldItem =
  | {
      readonly kind: 'interface';
      readonly id: InterfaceId;
      readonly stability: Stability;
      /** `@external-id("…")` of an interface imported or exported under a plain name. */
      readonly externalId?: string;
      readonly docs: Docs;
    }
  | { readonly kind: 'function'; readonly func: Func }
  | { readonly kind: 'type'; readonly id: TypeId };

export interface World {
  readonly name: string;
  readonly imports: Map<string, WorldItem>;
  readonly exports: Map<string, WorldItem>;
  readonly package: PackageId | null;
  readonly docs: Docs;
  readonly stability: Stability;
  readonly span: Span | null;
}

export interface PackageName {
  readonly namespace: string;
  readonly name: string;
  /** Full semver text or null. */
  readonly version: string | null;
}

export interface Package {
  readonly name: PackageName;
  readonly docs: Docs;
  readonly interfaces: Map<string, InterfaceId>;
  readonly worlds: Map<string, WorldId>;
}

/** The arena. Ids index these arrays. */
export interface Resolve {
  readonly types: TypeDef[];
  readonly interfaces: Interface[];
  readonly worlds: World[];
  readonly packages: Package[];
  /** Every source file read, for rendering diagnostics that point into the model. */
  readonly sourceMap: SourceMap;
}

/** `ns:name` or `ns:name@version`. */
export function formatPackageName(name: PackageName): string {
  return `${name.namespace}:${name.name}${name.version === null ? '' : `@${name.version}`}`;
}

/** The world key of an interface imported or exported by path. */
export function interfaceKey(id: InterfaceId): string {
  return `interface-${id}`;
}

/** Parses a world key back: the interface id for `interface-N`, otherwise null. */
export function worldKeyInterface(key: string): InterfaceId | null {
  const m = /^interface-(\d+)$/.exec(key);
  return m ? (Number(m[1]) as InterfaceId) : null;
}

/**
 * The name by which a world refers to an item: the interface's fully qualified name
 * (`ns:pkg/iface@1.0.0`) for keys of interfaces named by path, otherwise the key itself
 * (wasm-tools' `Resolve::name_world_key`).
 */
export function nameWorldKey(resolve: Resolve, key: string): string {
  const id = worldKeyInterface(key);
  if (id === null) return key;
  const iface = resolve.interfaces[id];
  if (!iface || iface.name === null || iface.package === null) return key;
  const pkg = resolve.packages[iface.package]!;
  const { namespace, name, version } = pkg.name;
  return `${namespace}:${name}/${iface.name}${version === null ? '' : `@${version}`}`;
}

/** Follows `type` aliases to the underlying definition (wasm-tools' `dealias`). */
export function dealias(resolve: Resolve, id: TypeId): TypeId {
  for (;;) {
    const def = resolve.types[id]!;
    if (def.kind.tag === 'type' && typeof def.kind.type === 'number') id = def.kind.type;
    else return id;
  }
}

/** Follows aliases of a {@link Type}; a primitive alias (`type x = u32`) yields the primitive. */
export function dealiasType(resolve: Resolve, t: Type): Type {
  for (;;) {
    if (typeof t === 'string') return t;
    const def = resolve.types[t]!;
    if (def.kind.tag === 'type') t = def.kind.type;
    else return t;
  }
}
