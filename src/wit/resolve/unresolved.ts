/**
 * The output of resolving one package in isolation ({@link UnresolvedPackage}, wasm-tools
 * `UnresolvedPackage`) and the input it is built from ({@link PackageSource}).
 *
 * References to other packages are placeholder interfaces/worlds/types, allocated first in each
 * arena; linking (`resolve.ts`, `link.ts`) maps them onto the real items.
 */
import type * as ast from '../ast.js';
import type {
  Docs,
  Func,
  InterfaceId,
  PackageName,
  Stability,
  TypeDefKind,
  TypeId,
  TypeOwner,
  WorldId,
  WorldItem,
} from '../model.js';
import type { Span } from '../source-map.js';

export interface UnresolvedTypeDef {
  name: string | null;
  kind: TypeDefKind | { readonly tag: 'unknown' };
  owner: TypeOwner;
  docs: Docs;
  stability: Stability;
  externalId?: string;
  span: Span;
}

export interface UnresolvedInterface {
  name: string | null;
  types: Map<string, TypeId>;
  functions: Map<string, Func>;
  docs: Docs;
  stability: Stability;
  span: Span;
  /** Span of each function (by name), for errors raised while linking. */
  funcSpans: Map<string, Span>;
}

export interface UnresolvedInclude {
  readonly stability: Stability;
  readonly world: WorldId;
  readonly names: readonly { readonly name: string; readonly as: string }[];
  readonly span: Span;
}

export interface UnresolvedWorld {
  name: string;
  /** Keys as in the model: a kebab name or `interface-<id>` (local ids). */
  imports: Map<string, WorldItem>;
  exports: Map<string, WorldItem>;
  importSpans: Map<string, Span>;
  exportSpans: Map<string, Span>;
  includes: UnresolvedInclude[];
  docs: Docs;
  stability: Stability;
  span: Span;
}

export type AstRef =
  | { readonly kind: 'interface'; readonly id: InterfaceId }
  | { readonly kind: 'world'; readonly id: WorldId };

/** Items of another package that this package refers to. */
export interface ForeignDep {
  readonly name: PackageName;
  /** Where the package was first referenced. */
  readonly span: Span;
  /** Interface/world name → placeholder id, plus the stability of every reference. */
  readonly items: Map<string, { readonly ref: AstRef; readonly stabilities: Stability[] }>;
}

/** One package after local resolution, before linking into a `Resolve`. */
export interface UnresolvedPackage {
  readonly name: PackageName;
  readonly nameSpan: Span;
  readonly docs: Docs;
  readonly types: UnresolvedTypeDef[];
  readonly interfaces: UnresolvedInterface[];
  readonly worlds: UnresolvedWorld[];
  /** Keyed by {@link packageKey}, in order of first reference. */
  readonly foreignDeps: Map<string, ForeignDep>;
  /** Placeholder types used in `own`/`borrow` that must turn out to be resources. */
  readonly requiredResourceTypes: { readonly id: TypeId; readonly span: Span }[];
}

/** The source of one package: its name and docs, and the top-level items of each file. */
export interface PackageSource {
  readonly name: ast.PackageName;
  readonly docs: Docs;
  /** One list per file (files in sorted path order), or a single list for a nested package. */
  readonly declLists: readonly (readonly DeclItem[])[];
  /** Context prefixes for diagnostics raised while resolving this package. */
  readonly context: readonly string[];
}

export type DeclItem = ast.TopLevelUse | ast.InterfaceItem | ast.WorldItemDecl;

/** `ns:name` or `ns:name@version`, the key used for package maps. */
export function packageKey(name: PackageName): string {
  return `${name.namespace}:${name.name}${name.version === null ? '' : `@${name.version}`}`;
}

/** Converts an AST package name to the model's. */
export function toPackageName(name: ast.PackageName): PackageName {
  return { namespace: name.namespace.name, name: name.name.name, version: name.version?.text ?? null };
}
