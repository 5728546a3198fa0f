/**
 * Resolution of one package in isolation: AST → {@link UnresolvedPackage} (wasm-tools
 * `ast/resolve.rs`).
 *
 * Everything that can be decided without looking at other packages is decided here: scopes and
 * `use`, duplicate names, the topological order of interfaces/worlds and of types, anonymous-type
 * interning, handles, function signatures, world items. References to other packages become
 * placeholder interfaces/worlds/types (allocated first in each arena) that `resolve.ts` later maps
 * onto the real items.
 *
 * The allocation order of the arenas built here decides the indices of the final JSON (see
 * resolve-json.md §3), so the walk below follows the reference implementation step by step.
 */
import type * as ast from '../ast.js';
import type { WitDiagnostic } from '../errors.js';
import type {
  Docs,
  Func,
  FunctionKind,
  InterfaceId,
  Param,
  PackageName,
  Stability,
  Type,
  TypeDefKind,
  TypeId,
  TypeOwner,
  WorldId,
  WorldItem,
} from '../model.js';
import { NO_DOCS, UNKNOWN_STABILITY, interfaceKey } from '../model.js';
import type { SourceMap, Span } from '../source-map.js';
import { toposort, type TopoEdge } from './toposort.js';

// ---------------------------------------------------------------------------------------------
// Output types
// ---------------------------------------------------------------------------------------------

/** A type definition of an unresolved package; `unknown` marks a placeholder for a foreign type. */
export interface UnresolvedTypeDef {
  name: string | null;
  kind: TypeDefKind | { readonly tag: 'unknown' };
  owner: TypeOwner;
  docs: Docs;
  stability: Stability;
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

// ---------------------------------------------------------------------------------------------
// Grouping files into packages
// ---------------------------------------------------------------------------------------------

/** The packages defined by a set of files: the main package and any nested `package … { }`. */
export interface PackageGroup {
  readonly main: PackageSource;
  readonly nested: readonly PackageSource[];
}

/**
 * Splits parsed files (in sorted path order) into the main package and nested packages, checking
 * that the files agree on the package name and that at most one carries package docs.
 */
export function groupPackageFiles(
  files: readonly ast.File[],
  context: readonly string[],
): PackageGroup | WitDiagnostic[] {
  let name: ast.PackageName | null = null;
  let docs: Docs = NO_DOCS;
  const nested: PackageSource[] = [];
  const declLists: DeclItem[][] = [];
  for (const file of files) {
    const fileContext = [...context, `failed to start resolving path: ${file.path}`];
    if (file.package) {
      const cur = file.package.name;
      if (name !== null && !samePackageName(name, cur)) {
        return [
          {
            kind: 'resolve',
            message:
              `package identifier \`${formatAstName(cur)}\` does not match previous package name ` +
              `of \`${formatAstName(name)}\``,
            span: cur.span,
            context: fileContext,
          },
        ];
      }
      name = cur;
      if (file.package.docs.contents !== null) {
        if (docs.contents !== null) {
          return [
            {
              kind: 'resolve',
              message: "found doc comments on multiple 'package' items",
              span: file.package.span,
              context: fileContext,
            },
          ];
        }
        docs = { contents: file.package.docs.contents };
      }
    }
    const items: DeclItem[] = [];
    for (const item of file.items) {
      if (item.kind === 'nested-package') {
        nested.push({
          name: item.name,
          docs: item.docs.contents === null ? NO_DOCS : { contents: item.docs.contents },
          declLists: [item.items],
          context: [...context, `failed to handle nested package in: \`${file.path}\``],
        });
      } else {
        items.push(item);
      }
    }
    declLists.push(items);
  }
  if (name === null && nested.length > 0 && declLists.every((l) => l.length === 0)) {
    // Only nested `package … { }` blocks: they are the packages, and the last one counts as main.
    return { main: nested[nested.length - 1]!, nested: nested.slice(0, -1) };
  }
  if (name === null) {
    const first = files[0];
    return [
      {
        kind: 'resolve',
        message: 'no `package` header was found in any WIT file for this package',
        span: first ? { start: first.span.start, end: first.span.start + 1 } : null,
        context,
      },
    ];
  }
  return { main: { name, docs, declLists, context }, nested };
}

function samePackageName(a: ast.PackageName, b: ast.PackageName): boolean {
  return formatAstName(a) === formatAstName(b);
}

function formatAstName(n: ast.PackageName): string {
  return packageKey(toPackageName(n));
}

// ---------------------------------------------------------------------------------------------
// The resolver
// ---------------------------------------------------------------------------------------------

/** Thrown internally to abandon resolution of the current item ("bail!"). */
class Bail {
  constructor(readonly diagnostic: WitDiagnostic) {}
}

/** Several independent errors of one package. */
class BailMany {
  constructor(readonly diagnostics: WitDiagnostic[]) {}
}

function bail(span: Span, message: string): never {
  throw new Bail({ kind: 'resolve', message, span });
}

type LookupEntry =
  | { readonly kind: 'type'; readonly id: TypeId; readonly span: Span }
  | { readonly kind: 'item'; readonly what: string; readonly span: Span };

/** One `use`/`include`/`import` path found while walking a file (wasm-tools `for_each_path`). */
interface PathVisit {
  /** The interface (for `use`) or world (for `include`) that depends on the path, if any. */
  readonly origin: ast.Id | null;
  readonly gates: readonly ast.GateItem[];
  readonly path: ast.UsePath;
  readonly names: ast.UseItem['names'] | null;
  readonly expect: 'interface' | 'world' | 'unknown';
}

/** Resolves one package; returns the unresolved package or the diagnostics found. */
export function resolvePackage(
  source: PackageSource,
  sourceMap?: SourceMap,
): UnresolvedPackage | WitDiagnostic[] {
  const r = new PackageResolver(source, sourceMap);
  try {
    return r.resolve();
  } catch (e) {
    const found = e instanceof Bail ? [e.diagnostic] : e instanceof BailMany ? e.diagnostics : null;
    if (found === null) throw e;
    return found.map((d) =>
      source.context.length > 0 ? { ...d, context: [...source.context, ...(d.context ?? [])] } : d,
    );
  }
}

class PackageResolver {
  readonly #source: PackageSource;
  readonly #name: PackageName;

  readonly types: UnresolvedTypeDef[] = [];
  readonly interfaces: UnresolvedInterface[] = [];
  readonly worlds: UnresolvedWorld[] = [];

  /** Structural interning of anonymous types. */
  readonly #anonTypes = new Map<string, TypeId>();
  /** The file whose namespace lookups currently go through. */
  #curFile = 0;
  /** Per file: top-level names (interfaces, worlds and top-level `use`). */
  readonly #fileItems: Map<string, AstRef>[] = [];
  /** The package's own interfaces and worlds. */
  readonly #packageItems = new Map<string, AstRef>();
  /** Per interface (parallel to `interfaces`): its names, available to `use`. */
  readonly #interfaceTypes: Map<string, LookupEntry>[] = [];
  readonly #foreignDeps = new Map<string, ForeignDep>();
  readonly #foreignInterfaces = new Set<number>();
  /** The current scope of names, while resolving an interface or world. */
  #typeLookup = new Map<string, LookupEntry>();
  readonly #requiredResourceTypes: { id: TypeId; span: Span }[] = [];

  readonly #sourceMap: SourceMap | undefined;

  constructor(source: PackageSource, sourceMap: SourceMap | undefined) {
    this.#source = source;
    this.#sourceMap = sourceMap;
    this.#name = toPackageName(source.name);
  }

  resolve(): UnresolvedPackage {
    const declLists = this.#source.declLists;
    this.#populateForeignDeps(declLists);
    const { ifaceOrder, worldOrder } = this.#populateAstItems(declLists);
    this.#populateForeignTypes(declLists);

    const ifaceAst = new Map<number, { item: ast.InterfaceItem; file: number }>();
    const worldAst = new Map<number, { item: ast.WorldItemDecl; file: number }>();
    declLists.forEach((list, file) => {
      for (const item of list) {
        if (item.kind === 'interface') {
          const ref = this.#fileItems[file]!.get(item.name.name)!;
          ifaceAst.set(ref.id, { item, file });
        } else if (item.kind === 'world') {
          const ref = this.#fileItems[file]!.get(item.name.name)!;
          worldAst.set(ref.id, { item, file });
        }
      }
    });
    // Interfaces and worlds are resolved one by one; an error in one is recorded and the items
    // that depend on it are skipped, so that independent errors are all reported.
    const errors: WitDiagnostic[] = [];
    const failed = new Set<string>();
    const attempt = (kind: 'interface' | 'world', id: number, item: DeclItem, file: number, run: () => void) => {
      this.#curFile = file;
      if (this.#dependsOnFailed(item, failed)) {
        failed.add(`${kind}:${id}`);
        return;
      }
      try {
        run();
      } catch (e) {
        if (!(e instanceof Bail)) throw e;
        errors.push(e.diagnostic);
        failed.add(`${kind}:${id}`);
        this.#typeLookup = new Map();
      }
    };
    for (const id of ifaceOrder) {
      const { item, file } = ifaceAst.get(id)!;
      attempt('interface', id, item, file, () => this.#resolveInterface(id, item.items, item.docs, item.gates));
    }
    for (const id of worldOrder) {
      const { item, file } = worldAst.get(id)!;
      attempt('world', id, item, file, () => this.#resolveWorld(id, item));
    }
    if (errors.length > 0) throw new BailMany(errors);

    return {
      name: this.#name,
      nameSpan: this.#source.name.span,
      docs: this.#source.docs,
      types: this.types,
      interfaces: this.interfaces,
      worlds: this.worlds,
      foreignDeps: this.#foreignDeps,
      requiredResourceTypes: this.#requiredResourceTypes,
    };
  }

  /** Whether an item refers (by a local path) to an interface or world that failed. */
  #dependsOnFailed(item: DeclItem, failed: ReadonlySet<string>): boolean {
    if (failed.size === 0) return false;
    for (const visit of this.#paths([item])) {
      if (visit.path.kind !== 'name') continue;
      const ref =
        this.#fileItems[this.#curFile]!.get(visit.path.name.name) ??
        this.#packageItems.get(visit.path.name.name);
      if (ref && failed.has(`${ref.kind}:${ref.id}`)) return true;
    }
    return false;
  }

  /** The span naming a resource member: its name, or the `constructor` keyword. */
  #memberSpan(member: ast.ResourceMember): Span {
    if (member.kind !== 'constructor') return member.name.span;
    const file = this.#sourceMap?.fileAt(member.span.start);
    if (file) {
      const text = file.text.slice(member.span.start - file.offset, member.span.end - file.offset);
      const at = /\bconstructor\b/.exec(text);
      if (at) {
        const start = member.span.start + at.index;
        return { start, end: start + 'constructor'.length };
      }
    }
    return member.span;
  }

  // -- walking paths ---------------------------------------------------------------------------

  /** Every path in a file, in the reference order (worlds visit imports before exports). */
  *#paths(list: readonly DeclItem[]): Generator<PathVisit> {
    for (const item of list) {
      switch (item.kind) {
        case 'world': {
          const imports: ast.ImportExport[] = [];
          const exports: ast.ImportExport[] = [];
          for (const m of item.items) {
            if (m.kind === 'use') {
              yield { origin: null, gates: m.gates, path: m.from, names: m.names, expect: 'interface' };
            } else if (m.kind === 'include') {
              yield { origin: item.name, gates: m.gates, path: m.path, names: null, expect: 'world' };
            } else if (m.kind === 'import') {
              imports.push(m);
            } else if (m.kind === 'export') {
              exports.push(m);
            }
          }
          for (const ie of [...imports, ...exports]) {
            const t = ie.target;
            if (t.kind === 'interface') {
              for (const m of t.items) {
                if (m.kind === 'use') {
                  yield { origin: null, gates: m.gates, path: m.from, names: m.names, expect: 'interface' };
                }
              }
            } else if (t.kind === 'path' || t.kind === 'named-path') {
              yield { origin: null, gates: ie.gates, path: t.path, names: null, expect: 'interface' };
            }
          }
          break;
        }
        case 'interface':
          for (const m of item.items) {
            if (m.kind === 'use') {
              yield { origin: item.name, gates: m.gates, path: m.from, names: m.names, expect: 'interface' };
            }
          }
          break;
        case 'use':
          yield { origin: null, gates: item.gates, path: item.path, names: null, expect: 'unknown' };
          break;
      }
    }
  }

  // -- arenas ----------------------------------------------------------------------------------

  #allocInterface(span: Span): InterfaceId {
    const id = this.interfaces.length as InterfaceId;
    this.interfaces.push({
      name: null,
      types: new Map(),
      functions: new Map(),
      docs: NO_DOCS,
      stability: UNKNOWN_STABILITY,
      span,
      funcSpans: new Map(),
    });
    this.#interfaceTypes.push(new Map());
    return id;
  }

  #allocWorld(span: Span): WorldId {
    const id = this.worlds.length as WorldId;
    this.worlds.push({
      name: '',
      imports: new Map(),
      exports: new Map(),
      importSpans: new Map(),
      exportSpans: new Map(),
      includes: [],
      docs: NO_DOCS,
      stability: UNKNOWN_STABILITY,
      span,
    });
    return id;
  }

  #allocType(def: UnresolvedTypeDef): TypeId {
    const id = this.types.length as TypeId;
    this.types.push(def);
    return id;
  }

  // -- package structure -----------------------------------------------------------------------

  /** Allocates placeholders for every interface/world of another package that is referenced. */
  #populateForeignDeps(declLists: readonly (readonly DeclItem[])[]): void {
    for (const list of declLists) {
      for (const visit of this.#paths(list)) {
        const path = visit.path;
        if (path.kind !== 'package') continue;
        const stability = this.#stability(visit.gates);
        const name = toPackageName(path.package);
        const key = packageKey(name);
        let dep = this.#foreignDeps.get(key);
        if (!dep) {
          dep = { name, span: path.package.span, items: new Map() };
          this.#foreignDeps.set(key, dep);
        }
        let entry = dep.items.get(path.interface.name);
        if (!entry) {
          const ref: AstRef =
            visit.expect === 'world'
              ? { kind: 'world', id: this.#allocWorld(path.interface.span) }
              : { kind: 'interface', id: this.#allocInterface(path.interface.span) };
          entry = { ref, stabilities: [] };
          dep.items.set(path.interface.name, entry);
        }
        entry.stabilities.push(stability);
        if (entry.ref.kind === 'interface') this.#foreignInterfaces.add(entry.ref.id);
      }
    }
  }

  /**
   * Checks names, orders the package's interfaces and worlds topologically (by `use` and
   * `include`) and allocates them in that order.
   */
  #populateAstItems(declLists: readonly (readonly DeclItem[])[]): {
    ifaceOrder: InterfaceId[];
    worldOrder: WorldId[];
  } {
    const packageItems = new Map<string, Span>();
    const kinds = new Map<string, 'interface' | 'world'>();
    const order = new Map<string, TopoEdge[]>();
    for (const list of declLists) {
      for (const item of list) {
        if (item.kind === 'use') continue;
        if (packageItems.has(item.name.name)) {
          bail(item.name.span, `${item.kind} \`${item.name.name}\` is defined more than once`);
        }
        packageItems.set(item.name.name, item.name.span);
        kinds.set(item.name.name, item.kind);
        order.set(item.name.name, []);
      }
    }

    type Source = { kind: 'foreign' } | { kind: 'local'; id: ast.Id };
    for (const list of declLists) {
      const ns = new Map<string, Source>();
      for (const item of list) {
        let name: ast.Id;
        let src: Source;
        if (item.kind === 'use') {
          name = item.as ?? usePathName(item.path);
          src = item.path.kind === 'name' ? { kind: 'local', id: item.path.name } : { kind: 'foreign' };
        } else {
          name = item.name;
          src = { kind: 'local', id: item.name };
        }
        if (ns.has(name.name)) bail(name.span, `duplicate name \`${name.name}\` in this file`);
        ns.set(name.name, src);
      }
      for (const visit of this.#paths(list)) {
        if (visit.origin === null || visit.path.kind !== 'name') continue;
        const used = visit.path.name;
        const src = ns.get(used.name);
        if (src?.kind === 'foreign') continue;
        if (src?.kind === 'local') {
          order.get(visit.origin.name)!.push({ name: src.id.name, span: src.id.span });
        } else if (packageItems.has(used.name)) {
          order.get(visit.origin.name)!.push({ name: used.name, span: used.span });
        } else {
          bail(used.span, `interface or world \`${used.name}\` does not exist`);
        }
      }
    }

    const sorted = toposort('interface or world', order);
    if (!Array.isArray(sorted)) throw new Bail(sorted);

    const ids = new Map<string, AstRef>();
    const ifaceOrder: InterfaceId[] = [];
    const worldOrder: WorldId[] = [];
    for (const name of sorted) {
      const span = packageItems.get(name)!;
      if (kinds.get(name) === 'interface') {
        const id = this.#allocInterface(span);
        this.interfaces[id]!.name = name;
        ids.set(name, { kind: 'interface', id });
        ifaceOrder.push(id);
      } else {
        const id = this.#allocWorld(span);
        this.worlds[id]!.name = name;
        ids.set(name, { kind: 'world', id });
        worldOrder.push(id);
      }
    }

    for (const list of declLists) {
      const items = new Map<string, AstRef>();
      for (const item of list) {
        if (item.kind === 'use') {
          if (item.gates.length > 0) bail(item.span, 'attributes not allowed on top-level use');
          const name = item.as ?? usePathName(item.path);
          let ref: AstRef;
          if (item.path.kind === 'name') {
            const found = ids.get(item.path.name.name);
            if (!found) {
              bail(item.path.name.span, `interface or world \`${item.path.name.name}\` does not exist`);
            }
            ref = found;
          } else {
            ref = this.#foreignRef(item.path);
          }
          items.set(name.name, ref);
        } else {
          const ref = ids.get(item.name.name)!;
          items.set(item.name.name, ref);
          this.#packageItems.set(item.name.name, ref);
        }
      }
      this.#fileItems.push(items);
    }
    return { ifaceOrder, worldOrder };
  }

  #foreignRef(path: Extract<ast.UsePath, { kind: 'package' }>): AstRef {
    const dep = this.#foreignDeps.get(packageKey(toPackageName(path.package)))!;
    return dep.items.get(path.interface.name)!.ref;
  }

  /** Allocates an `unknown` placeholder for every name `use`d from a foreign interface. */
  #populateForeignTypes(declLists: readonly (readonly DeclItem[])[]): void {
    declLists.forEach((list, file) => {
      this.#curFile = file;
      for (const visit of this.#paths(list)) {
        if (visit.names === null) continue;
        const stability = this.#stability(visit.gates);
        const { ref, name, span } = this.#resolvePath(visit.path);
        const iface = this.#expectInterface(ref, name, span);
        if (!this.#foreignInterfaces.has(iface)) continue;
        const lookup = this.#interfaceTypes[iface]!;
        for (const n of visit.names) {
          if (lookup.has(n.name.name)) continue;
          const id = this.#allocType({
            name: n.name.name,
            kind: { tag: 'unknown' },
            owner: { kind: 'interface', id: iface },
            docs: NO_DOCS,
            stability,
            span: n.name.span,
          });
          lookup.set(n.name.name, { kind: 'type', id, span: n.name.span });
          this.interfaces[iface]!.types.set(n.name.name, id);
        }
      }
    });
  }

  #resolvePath(path: ast.UsePath): { ref: AstRef; name: string; span: Span } {
    if (path.kind === 'name') {
      const ref = this.#fileItems[this.#curFile]!.get(path.name.name) ?? this.#packageItems.get(path.name.name);
      if (!ref) bail(path.name.span, `interface or world \`${path.name.name}\` does not exist`);
      return { ref, name: path.name.name, span: path.name.span };
    }
    return { ref: this.#foreignRef(path), name: path.interface.name, span: path.interface.span };
  }

  #expectInterface(ref: AstRef, name: string, span: Span): InterfaceId {
    if (ref.kind === 'world') bail(span, `name \`${name}\` is defined as a world, not an interface`);
    return ref.id;
  }

  #expectWorld(ref: AstRef, name: string, span: Span): WorldId {
    if (ref.kind === 'interface') bail(span, `name \`${name}\` is defined as an interface, not a world`);
    return ref.id;
  }

  // -- interfaces and worlds -------------------------------------------------------------------

  #resolveInterface(
    id: InterfaceId,
    members: readonly ast.InterfaceMember[],
    docs: ast.Docs,
    gates: readonly ast.GateItem[],
  ): void {
    const iface = this.interfaces[id]!;
    iface.docs = toDocs(docs);
    iface.stability = this.#stability(gates);

    this.#resolveTypes(
      { kind: 'interface', id },
      members.filter((m): m is ast.UseItem | ast.TypeDefItem => m.kind !== 'func'),
    );
    for (const [name, entry] of this.#typeLookup) {
      if (entry.kind === 'type') iface.types.set(name, entry.id);
    }

    const funcs: { func: Func; span: Span }[] = [];
    for (const m of members) {
      if (m.kind === 'func') {
        this.#defineName(m.name, { kind: 'item', what: 'function', span: m.name.span });
        funcs.push({
          func: this.#resolveFunction(m.docs, m.gates, m.name.name, m.func, {
            tag: m.func.async ? 'async-freestanding' : 'freestanding',
          }),
          span: m.name.span,
        });
      } else if (m.kind === 'resource') {
        for (const member of m.members) {
          funcs.push({ func: this.#resolveResourceFunc(member, m.name), span: this.#memberSpan(member) });
        }
      }
    }
    for (const { func, span } of funcs) {
      iface.functions.set(func.name, func);
      iface.funcSpans.set(func.name, span);
    }
    this.#interfaceTypes[id] = this.#typeLookup;
    this.#typeLookup = new Map();
  }

  #resolveWorld(id: WorldId, decl: ast.WorldItemDecl): void {
    const world = this.worlds[id]!;
    world.docs = toDocs(decl.docs);
    world.stability = this.#stability(decl.gates);

    this.#resolveTypes(
      { kind: 'world', id },
      decl.items.filter(
        (m): m is ast.UseItem | ast.TypeDefItem =>
          m.kind !== 'import' && m.kind !== 'export' && m.kind !== 'include',
      ),
    );

    for (const m of decl.items) {
      if (m.kind !== 'include') continue;
      const stability = this.#stability(m.gates);
      const { ref, name, span } = this.#resolvePath(m.path);
      const from = this.#expectWorld(ref, name, span);
      world.includes.push({
        stability,
        world: from,
        names: m.with.map((w) => ({ name: w.name.name, as: w.as.name })),
        span,
      });
    }

    for (const [name, entry] of this.#typeLookup) {
      if (entry.kind !== 'type') continue;
      if (world.imports.has(name)) bail(entry.span, `import \`${name}\` conflicts with prior import of same name`);
      world.imports.set(name, { kind: 'type', id: entry.id });
      world.importSpans.set(name, entry.span);
    }

    const imported = new Set<number>();
    const exported = new Set<number>();
    for (const m of decl.items) {
      if (m.kind === 'resource') {
        for (const member of m.members) {
          const func = this.#resolveResourceFunc(member, m.name);
          world.imports.set(func.name, { kind: 'function', func });
          world.importSpans.set(func.name, this.#memberSpan(member));
        }
        continue;
      }
      if (m.kind !== 'import' && m.kind !== 'export') continue;
      const desc = m.kind;
      const target = m.target;
      const targetSpan = target.kind === 'path' ? target.path.span : target.name.span;
      const item = this.#resolveWorldItem(m);
      let key: string;
      if (target.kind === 'interface' || target.kind === 'named-path') key = target.name.name;
      else if (target.kind === 'func') key = (item as Extract<WorldItem, { kind: 'function' }>).func.name;
      else key = interfaceKey((item as Extract<WorldItem, { kind: 'interface' }>).id);
      if (item.kind === 'interface') {
        const seen = desc === 'import' ? imported : exported;
        if (seen.has(item.id)) bail(targetSpan, `interface cannot be ${desc}ed more than once`);
        seen.add(item.id);
      }
      const dst = desc === 'import' ? world.imports : world.exports;
      const prev = dst.get(key);
      if (prev) {
        const what = prev.kind === 'interface' ? 'interface' : prev.kind === 'function' ? 'func' : 'type';
        bail(targetSpan, `${desc} \`${key}\` conflicts with prior ${what} of same name`);
      }
      dst.set(key, item);
      (desc === 'import' ? world.importSpans : world.exportSpans).set(key, targetSpan);
    }
    this.#typeLookup = new Map();
  }

  #resolveWorldItem(m: ast.ImportExport): WorldItem {
    const target = m.target;
    switch (target.kind) {
      case 'interface': {
        const prev = this.#typeLookup;
        this.#typeLookup = new Map();
        const id = this.#allocInterface(target.name.span);
        this.#resolveInterface(id, target.items, m.docs, m.gates);
        this.#typeLookup = prev;
        return { kind: 'interface', id, stability: this.interfaces[id]!.stability, docs: NO_DOCS };
      }
      case 'path':
      case 'named-path': {
        const stability = this.#stability(m.gates);
        const { ref, name, span } = this.#resolvePath(target.path);
        const id = this.#expectInterface(ref, name, span);
        return { kind: 'interface', id, stability, docs: toDocs(m.docs) };
      }
      case 'func': {
        const func = this.#resolveFunction(m.docs, m.gates, target.name.name, target.func, {
          tag: target.func.async ? 'async-freestanding' : 'freestanding',
        });
        return { kind: 'function', func };
      }
    }
    return assertNever(target);
  }

  // -- types -----------------------------------------------------------------------------------

  /** Defines the `use`d names, then the type definitions in dependency order. */
  #resolveTypes(owner: TypeOwner, fields: readonly (ast.UseItem | ast.TypeDefItem)[]): void {
    for (const f of fields) if (f.kind === 'use') this.#resolveUse(owner, f);

    const typeDeps = new Map<string, TopoEdge[]>();
    const typeDefs = new Map<string, ast.TypeDefItem | null>();
    for (const f of fields) {
      if (f.kind === 'use') {
        for (const n of f.names) {
          const name = (n.as ?? n.name).name;
          typeDeps.set(name, []);
          typeDefs.set(name, null);
        }
      } else {
        if (typeDefs.has(f.name.name)) bail(f.name.span, `name \`${f.name.name}\` is defined more than once`);
        typeDefs.set(f.name.name, f);
        const deps: TopoEdge[] = [];
        collectItemDeps(f, deps);
        typeDeps.set(f.name.name, deps);
      }
    }
    const order = toposort('type', typeDeps);
    if (!Array.isArray(order)) throw new Bail(order);
    for (const name of order) {
      const def = typeDefs.get(name);
      if (!def) continue;
      const stability = this.#stability(def.gates);
      const kind = this.#resolveTypeDefItem(def, stability);
      const id = this.#allocType({
        name: def.name.name,
        kind,
        owner,
        docs: toDocs(def.docs),
        stability,
        span: def.name.span,
      });
      this.#defineName(def.name, { kind: 'type', id, span: def.name.span });
    }
  }

  #resolveUse(owner: TypeOwner, u: ast.UseItem): void {
    const { ref, name, span } = this.#resolvePath(u.from);
    const from = this.#expectInterface(ref, name, span);
    const stability = this.#stability(u.gates);
    for (const n of u.names) {
      const entry = this.#interfaceTypes[from]!.get(n.name.name);
      if (!entry) bail(n.name.span, `name \`${n.name.name}\` is not defined`);
      if (entry.kind === 'item') bail(n.name.span, `cannot import ${entry.what} \`${n.name.name}\``);
      const local = n.as ?? n.name;
      const id = this.#allocType({
        name: local.name,
        kind: { tag: 'type', type: entry.id },
        owner,
        docs: NO_DOCS,
        stability,
        span: n.name.span,
      });
      this.#defineName(local, { kind: 'type', id, span: local.span });
    }
  }

  #defineName(name: ast.Id, entry: LookupEntry): void {
    if (this.#typeLookup.has(name.name)) bail(name.span, `name \`${name.name}\` is defined more than once`);
    this.#typeLookup.set(name.name, entry);
  }

  #resolveTypeDefItem(def: ast.TypeDefItem, stability: Stability): TypeDefKind {
    switch (def.kind) {
      case 'type':
        return this.#resolveTypeExprKind(def.type, stability);
      case 'record': {
        checkUnique(def.fields, 'field');
        return {
          tag: 'record',
          fields: def.fields.map((f) => ({
            name: f.name.name,
            type: this.#resolveType(f.type, stability),
            docs: toDocs(f.docs),
          })),
        };
      }
      case 'variant': {
        if (def.cases.length === 0) bail(def.span, 'empty variant');
        checkUnique(def.cases, 'case');
        return {
          tag: 'variant',
          cases: def.cases.map((c) => ({
            name: c.name.name,
            type: c.type === null ? null : this.#resolveType(c.type, stability),
            docs: toDocs(c.docs),
          })),
        };
      }
      case 'enum':
        if (def.cases.length === 0) bail(def.span, 'empty enum');
        checkUnique(def.cases, 'case');
        return { tag: 'enum', cases: def.cases.map((c) => ({ name: c.name.name, docs: toDocs(c.docs) })) };
      case 'flags':
        checkUnique(def.flags, 'flag');
        return { tag: 'flags', flags: def.flags.map((f) => ({ name: f.name.name, docs: toDocs(f.docs) })) };
      case 'resource': {
        let ctors = 0;
        const names = new Set<string>();
        for (const m of def.members) {
          if (m.kind === 'constructor') {
            if (++ctors > 1) bail(m.span, 'duplicate constructors');
          } else {
            if (names.has(m.name.name)) bail(m.name.span, `duplicate function name \`${m.name.name}\``);
            names.add(m.name.name);
          }
        }
        return { tag: 'resource' };
      }
    }
  }

  /** The structure of a type expression (the kind of a typedef, or of an anonymous type). */
  #resolveTypeExprKind(ty: ast.TypeExpr, stability: Stability): TypeDefKind {
    switch (ty.kind) {
      case 'primitive':
        return { tag: 'type', type: ty.name };
      case 'named':
        return { tag: 'type', type: this.#resolveTypeName(ty.name) };
      case 'list':
        return { tag: 'list', type: this.#resolveType(ty.element, stability) };
      case 'fixed-length-list':
        return { tag: 'fixed-length-list', type: this.#resolveType(ty.element, stability), size: ty.length };
      case 'map': {
        const key = this.#resolveType(ty.key, stability);
        const value = this.#resolveType(ty.value, stability);
        if (typeof key !== 'string' || key === 'f32' || key === 'f64' || key === 'error-context') {
          bail(
            ty.span,
            'invalid map key type: map keys must be bool, u8, u16, u32, u64, s8, s16, s32, s64, char, or string',
          );
        }
        return { tag: 'map', key, value };
      }
      case 'tuple':
        return { tag: 'tuple', types: ty.types.map((t) => this.#resolveType(t, stability)) };
      case 'option':
        return { tag: 'option', type: this.#resolveType(ty.type, stability) };
      case 'result':
        return {
          tag: 'result',
          ok: ty.ok === null ? null : this.#resolveType(ty.ok, stability),
          err: ty.err === null ? null : this.#resolveType(ty.err, stability),
        };
      case 'future':
        return { tag: 'future', type: ty.type === null ? null : this.#resolveType(ty.type, stability) };
      case 'stream':
        return { tag: 'stream', type: ty.type === null ? null : this.#resolveType(ty.type, stability) };
      case 'own':
        return { tag: 'handle', handle: 'own', resource: this.#validateResource(ty.resource) };
      case 'borrow':
        return { tag: 'handle', handle: 'borrow', resource: this.#validateResource(ty.resource) };
    }
  }

  #resolveTypeName(name: ast.Id): TypeId {
    const entry = this.#typeLookup.get(name.name);
    if (!entry) bail(name.span, `name \`${name.name}\` is not defined`);
    if (entry.kind === 'item') bail(name.span, `cannot use ${entry.what} \`${name.name}\` as a type`);
    return entry.id;
  }

  #validateResource(name: ast.Id): TypeId {
    const id = this.#resolveTypeName(name);
    let cur = id;
    for (;;) {
      const kind = this.types[cur]!.kind;
      if (kind.tag === 'resource') return id;
      if (kind.tag === 'type' && typeof kind.type === 'number') {
        cur = kind.type;
        continue;
      }
      if (kind.tag === 'unknown') {
        this.#requiredResourceTypes.push({ id: cur, span: name.span });
        return id;
      }
      bail(name.span, `type \`${name.name}\` used in a handle must be a resource`);
    }
  }

  /** A type in a type position: primitives and named types as is, others interned. */
  #resolveType(ty: ast.TypeExpr, stability: Stability): Type {
    const kind = this.#resolveTypeExprKind(ty, stability);
    return this.#anonType(kind, this.#findStability(kind, stability), ty.span);
  }

  /**
   * An anonymous type without explicit stability inherits that of the first gated type it
   * mentions directly (`option<gated>` is gated like `gated`).
   */
  #findStability(kind: TypeDefKind, stability: Stability): Stability {
    if (stability.kind !== 'unknown') return stability;
    const inType = (t: Type | null): Stability | null => {
      if (t === null || typeof t === 'string') return null;
      const s = this.types[t]!.stability;
      return s.kind === 'unknown' ? null : s;
    };
    let found: Stability | null = null;
    switch (kind.tag) {
      case 'type':
      case 'list':
      case 'fixed-length-list':
      case 'option':
      case 'future':
      case 'stream':
        found = inType(kind.type);
        break;
      case 'handle':
        found = inType(kind.resource);
        break;
      case 'tuple':
        for (const t of kind.types) if ((found = inType(t))) break;
        break;
      case 'map':
        found = inType(kind.key) ?? inType(kind.value);
        break;
      case 'result':
        found = inType(kind.ok) ?? inType(kind.err);
        break;
      case 'resource':
      case 'record':
      case 'variant':
      case 'enum':
      case 'flags':
        break;
    }
    return found ?? UNKNOWN_STABILITY;
  }

  #anonType(kind: TypeDefKind, stability: Stability, span: Span): Type {
    let key: string;
    switch (kind.tag) {
      case 'type':
        return kind.type;
      case 'handle':
        // An anonymous `own<T>` is the same as a reference to `T`; linking turns it into the
        // package's one `own<T>` handle.
        if (kind.handle === 'own') return kind.resource;
        key = `borrow(${kind.resource})`;
        break;
      case 'list':
        key = `list(${kind.type})`;
        break;
      case 'fixed-length-list':
        key = `fixed-length-list(${kind.type},${kind.size})`;
        break;
      case 'map':
        key = `map(${kind.key},${kind.value})`;
        break;
      case 'option':
        key = `option(${kind.type})`;
        break;
      case 'result':
        key = `result(${kind.ok},${kind.err})`;
        break;
      case 'tuple':
        key = `tuple(${kind.types.join(',')})`;
        break;
      case 'future':
        key = `future(${kind.type})`;
        break;
      case 'stream':
        key = `stream(${kind.type})`;
        break;
      case 'resource':
      case 'record':
      case 'variant':
      case 'enum':
      case 'flags':
        /* c8 ignore next */
        throw new Error(`anonymous ${kind.tag} types do not exist in WIT`);
    }
    const existing = this.#anonTypes.get(key);
    if (existing !== undefined) return existing;
    const id = this.#allocType({ name: null, kind, owner: { kind: 'none' }, docs: NO_DOCS, stability, span });
    this.#anonTypes.set(key, id);
    return id;
  }

  // -- functions -------------------------------------------------------------------------------

  #resolveResourceFunc(member: ast.ResourceMember, resource: ast.Id): Func {
    const entry = this.#typeLookup.get(resource.name);
    /* c8 ignore next */
    if (!entry || entry.kind !== 'type') throw new Error('resource lookup failed');
    const id = entry.id;
    switch (member.kind) {
      case 'method':
        return this.#resolveFunction(
          member.docs,
          member.gates,
          `[method]${resource.name}.${member.name.name}`,
          member.func,
          { tag: member.func.async ? 'async-method' : 'method', resource: id },
        );
      case 'static':
        return this.#resolveFunction(
          member.docs,
          member.gates,
          `[static]${resource.name}.${member.name.name}`,
          member.func,
          { tag: member.func.async ? 'async-static' : 'static', resource: id },
        );
      case 'constructor':
        return this.#resolveFunction(
          member.docs,
          member.gates,
          `[constructor]${resource.name}`,
          { async: false, params: member.params, result: member.result, span: member.span },
          { tag: 'constructor', resource: id },
        );
    }
  }

  #resolveFunction(
    docs: ast.Docs,
    gates: readonly ast.GateItem[],
    name: string,
    func: ast.FuncType,
    kind: FunctionKind,
  ): Func {
    const stability = this.#stability(gates);
    const params: Param[] = [];
    const seen = new Set<string>();
    if (kind.tag === 'method' || kind.tag === 'async-method') {
      const handle: TypeDefKind = { tag: 'handle', handle: 'borrow', resource: kind.resource };
      params.push({
        name: 'self',
        type: this.#anonType(handle, this.#findStability(handle, UNKNOWN_STABILITY), func.span),
      });
      seen.add('self');
    }
    for (const p of func.params) {
      if (seen.has(p.name.name)) bail(p.name.span, `param \`${p.name.name}\` is defined more than once`);
      seen.add(p.name.name);
      params.push({ name: p.name.name, type: this.#resolveType(p.type, UNKNOWN_STABILITY) });
    }
    let result: Type | null;
    if (kind.tag === 'constructor') {
      result = func.result === null ? kind.resource : this.#resolveConstructorResult(kind.resource, func.result);
    } else {
      result = func.result === null ? null : this.#resolveType(func.result, UNKNOWN_STABILITY);
    }
    return { name, kind, params, result, docs: toDocs(docs), stability, span: func.span };
  }

  #resolveConstructorResult(resource: TypeId, ty: ast.TypeExpr): Type {
    const result = this.#resolveType(ty, UNKNOWN_STABILITY);
    const def = typeof result === 'number' ? this.types[result] : undefined;
    if (!def || def.kind.tag !== 'result') {
      bail(ty.span, 'if a constructor return type is declared it must be a `result`');
    }
    if (def.kind.ok !== resource) {
      const okSpan = ty.kind === 'result' && ty.ok !== null ? ty.ok.span : ty.span;
      bail(okSpan, 'the `ok` type must be the resource being constructed');
    }
    return result;
  }

  // -- attributes ------------------------------------------------------------------------------

  #stability(gates: readonly ast.GateItem[]): Stability {
    if (gates.length === 0) return UNKNOWN_STABILITY;
    const [a, b] = gates;
    if (gates.length === 1 && a) {
      switch (a.kind) {
        case 'since':
          return { kind: 'stable', since: a.version, deprecated: null };
        case 'unstable':
          return { kind: 'unstable', feature: a.feature.name, deprecated: null };
        case 'deprecated':
          bail(a.span, 'must pair @deprecated with either @since or @unstable');
      }
    }
    if (gates.length === 2 && a && b) {
      const dep = a.kind === 'deprecated' ? a : b.kind === 'deprecated' ? b : null;
      const other = dep === a ? b : a;
      if (dep && other.kind === 'since') {
        return { kind: 'stable', since: other.version, deprecated: dep.version };
      }
      if (dep && other.kind === 'unstable') {
        return { kind: 'unstable', feature: other.feature.name, deprecated: dep.version };
      }
    }
    bail((b ?? a)!.span, 'unsupported combination of attributes');
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function assertNever(x: never): never {
  throw new Error(`unexpected ${JSON.stringify(x)}`);
}

function toDocs(docs: ast.Docs): Docs {
  return docs.contents === null ? NO_DOCS : { contents: docs.contents };
}

function usePathName(path: ast.UsePath): ast.Id {
  return path.kind === 'name' ? path.name : path.interface;
}



function checkUnique(items: readonly { readonly name: ast.Id }[], what: string): void {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.name.name)) bail(item.name.span, `duplicate ${what} named \`${item.name.name}\``);
    seen.add(item.name.name);
  }
}

/** Names a type definition refers to, for ordering the definitions of one interface or world. */
function collectItemDeps(def: ast.TypeDefItem, deps: TopoEdge[]): void {
  switch (def.kind) {
    case 'type':
      collectDeps(def.type, deps);
      break;
    case 'record':
      for (const f of def.fields) collectDeps(f.type, deps);
      break;
    case 'variant':
      for (const c of def.cases) if (c.type) collectDeps(c.type, deps);
      break;
    case 'enum':
    case 'flags':
    case 'resource':
      break;
  }
}

function collectDeps(ty: ast.TypeExpr, deps: TopoEdge[]): void {
  switch (ty.kind) {
    case 'primitive':
      break;
    case 'named':
      deps.push({ name: ty.name.name, span: ty.name.span });
      break;
    case 'own':
    case 'borrow':
      deps.push({ name: ty.resource.name, span: ty.resource.span });
      break;
    case 'list':
    case 'fixed-length-list':
      collectDeps(ty.element, deps);
      break;
    case 'option':
      collectDeps(ty.type, deps);
      break;
    case 'map':
      collectDeps(ty.key, deps);
      collectDeps(ty.value, deps);
      break;
    case 'tuple':
      for (const t of ty.types) collectDeps(t, deps);
      break;
    case 'result':
      if (ty.ok) collectDeps(ty.ok, deps);
      if (ty.err) collectDeps(ty.err, deps);
      break;
    case 'future':
    case 'stream':
      if (ty.type) collectDeps(ty.type, deps);
      break;
  }
}
