/**
 * The first layer of one package's resolution (wasm-tools `ast/resolve.rs`): the arenas, the
 * package's items and their scopes, `use`/`include`/`import` paths, placeholders for foreign items,
 * the topological order of interfaces and worlds, and attributes (gates).
 *
 * The allocation order of the arenas decides the indices of the final JSON (resolve-json.md §3),
 * so the walk follows the reference implementation step by step. `package-types.ts` and
 * `package.ts` build on this class.
 */
import type * as ast from '../ast.js';
import type { WitDiagnostic } from '../errors.js';
import type { Docs, InterfaceId, PackageName, Stability, TypeId, WorldId } from '../model.js';
import { NO_DOCS, UNKNOWN_STABILITY } from '../model.js';
import type { SourceMap, Span } from '../source-map.js';
import { toposort, type TopoEdge } from './toposort.js';
import {
  packageKey,
  toPackageName,
  type AstRef,
  type DeclItem,
  type ForeignDep,
  type PackageSource,
  type UnresolvedInterface,
  type UnresolvedTypeDef,
  type UnresolvedWorld,
} from './unresolved.js';

/** Thrown internally to abandon resolution of the current item ("bail!"). */
export class Bail {
  constructor(readonly diagnostic: WitDiagnostic) {}
}

/** Several independent errors of one package. */
export class BailMany {
  constructor(readonly diagnostics: WitDiagnostic[]) {}
}

export function bail(span: Span, message: string): never {
  throw new Bail({ kind: 'resolve', message, span });
}

/**
 * Thrown to abandon an item that refers to a name whose definition already failed: that error is
 * reported once, at the definition, and not again at every use.
 */
export class Poisoned {}

export type LookupEntry =
  | { readonly kind: 'type'; readonly id: TypeId; readonly span: Span }
  | { readonly kind: 'item'; readonly what: string; readonly span: Span }
  /** A name whose definition failed; any use of it abandons the using item silently. */
  | { readonly kind: 'poisoned'; readonly span: Span };

/** One `use`/`include`/`import` path found while walking a file (wasm-tools `for_each_path`). */
export interface PathVisit {
  /** The interface (for `use`) or world (for `include`) that depends on the path, if any. */
  readonly origin: ast.Id | null;
  readonly gates: readonly ast.GateItem[];
  readonly path: ast.UsePath;
  readonly names: ast.UseItem['names'] | null;
  readonly expect: 'interface' | 'world' | 'unknown';
}

/** State of one package's resolution, and the package-level walk (items, paths, placeholders). */
export class PackageScope {
  protected readonly source: PackageSource;
  protected readonly packageName: PackageName;

  readonly types: UnresolvedTypeDef[] = [];
  readonly interfaces: UnresolvedInterface[] = [];
  readonly worlds: UnresolvedWorld[] = [];

  /** Structural interning of anonymous types. */
  protected readonly anonTypes = new Map<string, TypeId>();
  /** The file whose namespace lookups currently go through. */
  protected curFile = 0;
  /** Per file: top-level names (interfaces, worlds and top-level `use`). */
  protected readonly fileItems: Map<string, AstRef>[] = [];
  /** The package's own interfaces and worlds. */
  protected readonly packageItems = new Map<string, AstRef>();
  /** Per interface (parallel to `interfaces`): its names, available to `use`. */
  protected readonly interfaceTypes: Map<string, LookupEntry>[] = [];
  protected readonly foreignDeps = new Map<string, ForeignDep>();
  protected readonly foreignInterfaces = new Set<number>();
  /** The current scope of names, while resolving an interface or world. */
  protected typeLookup = new Map<string, LookupEntry>();
  protected readonly requiredResourceTypes: { id: TypeId; span: Span }[] = [];

  protected readonly sourceMap: SourceMap | undefined;

  /**
   * Errors of single items (a type, a function, a world import…), collected so that independent
   * mistakes are all reported in one run; see {@link attemptItem}.
   */
  protected readonly itemErrors: WitDiagnostic[] = [];

  constructor(source: PackageSource, sourceMap: SourceMap | undefined) {
    this.source = source;
    this.sourceMap = sourceMap;
    this.packageName = toPackageName(source.name);
  }

  /**
   * Runs the resolution of one item. A {@link Bail} is recorded in {@link itemErrors} and a
   * {@link Poisoned} dropped; either way `onFail` runs (typically to poison the item's name) and
   * the caller carries on with the next item. Returns whether the item was resolved.
   */
  protected attemptItem(run: () => void, onFail?: () => void): boolean {
    try {
      run();
      return true;
    } catch (e) {
      if (e instanceof Bail) this.itemErrors.push(e.diagnostic);
      else if (!(e instanceof Poisoned)) throw e;
      onFail?.();
      return false;
    }
  }

  /** Marks `name` in the current scope as failed (unless something else already holds it). */
  protected poison(name: ast.Id): void {
    if (!this.typeLookup.has(name.name)) this.typeLookup.set(name.name, { kind: 'poisoned', span: name.span });
  }

  // -- walking paths ---------------------------------------------------------------------------

  /** Every path in a file, in the reference order (worlds visit imports before exports). */
  protected *paths(list: readonly DeclItem[]): Generator<PathVisit> {
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

  protected allocInterface(span: Span): InterfaceId {
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
    this.interfaceTypes.push(new Map());
    return id;
  }

  protected allocWorld(span: Span): WorldId {
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

  protected allocType(def: UnresolvedTypeDef): TypeId {
    const id = this.types.length as TypeId;
    this.types.push(def);
    return id;
  }

  // -- package structure -----------------------------------------------------------------------

  /** Allocates placeholders for every interface/world of another package that is referenced. */
  protected populateForeignDeps(declLists: readonly (readonly DeclItem[])[]): void {
    for (const list of declLists) {
      for (const visit of this.paths(list)) {
        const path = visit.path;
        if (path.kind !== 'package') continue;
        const stability = this.stability(visit.gates);
        const name = toPackageName(path.package);
        const key = packageKey(name);
        let dep = this.foreignDeps.get(key);
        if (!dep) {
          dep = { name, span: path.package.span, items: new Map() };
          this.foreignDeps.set(key, dep);
        }
        let entry = dep.items.get(path.interface.name);
        if (!entry) {
          const ref: AstRef =
            visit.expect === 'world'
              ? { kind: 'world', id: this.allocWorld(path.interface.span) }
              : { kind: 'interface', id: this.allocInterface(path.interface.span) };
          entry = { ref, stabilities: [] };
          dep.items.set(path.interface.name, entry);
        }
        entry.stabilities.push(stability);
        if (entry.ref.kind === 'interface') this.foreignInterfaces.add(entry.ref.id);
      }
    }
  }

  /**
   * Checks names, orders the package's interfaces and worlds topologically (by `use` and
   * `include`) and allocates them in that order.
   */
  protected populateAstItems(declLists: readonly (readonly DeclItem[])[]): {
    ifaceOrder: InterfaceId[];
    worldOrder: WorldId[];
  } {
    // The package's structure: every problem is collected, then reported together, before any
    // item is resolved (the order of the items depends on it).
    const errors: WitDiagnostic[] = [];
    const report = (span: Span, message: string) => errors.push({ kind: 'resolve', message, span });
    const packageItems = new Map<string, Span>();
    const kinds = new Map<string, 'interface' | 'world'>();
    const order = new Map<string, TopoEdge[]>();
    for (const list of declLists) {
      for (const item of list) {
        if (item.kind === 'use') continue;
        if (packageItems.has(item.name.name)) {
          report(item.name.span, `duplicate item named \`${item.name.name}\``);
          continue;
        }
        packageItems.set(item.name.name, item.name.span);
        kinds.set(item.name.name, item.kind);
        order.set(item.name.name, []);
      }
    }

    type Source = { kind: 'foreign' } | { kind: 'local'; id: ast.Id };
    for (const list of declLists) {
      const ns = new Map<string, Source>();
      const useNames = new Set<string>();
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
        if (ns.has(name.name)) {
          // Two interfaces/worlds of one name are already reported as a duplicate item.
          if (item.kind === 'use' || useNames.has(name.name)) {
            report(name.span, `duplicate name \`${name.name}\` in this file`);
          }
          continue;
        }
        ns.set(name.name, src);
        if (item.kind === 'use') useNames.add(name.name);
      }
      for (const visit of this.paths(list)) {
        if (visit.origin === null || visit.path.kind !== 'name') continue;
        const used = visit.path.name;
        const src = ns.get(used.name);
        if (src?.kind === 'foreign') continue;
        if (src?.kind === 'local') {
          order.get(visit.origin.name)!.push({ name: src.id.name, span: src.id.span });
        } else if (packageItems.has(used.name)) {
          order.get(visit.origin.name)!.push({ name: used.name, span: used.span });
        } else {
          report(used.span, `interface or world \`${used.name}\` does not exist`);
        }
      }
    }
    if (errors.length > 0) throw new BailMany(errors);

    const sorted = toposort('interface or world', order);
    if (!Array.isArray(sorted)) throw new Bail(sorted);

    const ids = new Map<string, AstRef>();
    const ifaceOrder: InterfaceId[] = [];
    const worldOrder: WorldId[] = [];
    for (const name of sorted) {
      const span = packageItems.get(name)!;
      if (kinds.get(name) === 'interface') {
        const id = this.allocInterface(span);
        this.interfaces[id]!.name = name;
        ids.set(name, { kind: 'interface', id });
        ifaceOrder.push(id);
      } else {
        const id = this.allocWorld(span);
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
            ref = this.foreignRef(item.path);
          }
          items.set(name.name, ref);
        } else {
          const ref = ids.get(item.name.name)!;
          items.set(item.name.name, ref);
          this.packageItems.set(item.name.name, ref);
        }
      }
      this.fileItems.push(items);
    }
    return { ifaceOrder, worldOrder };
  }

  protected foreignRef(path: Extract<ast.UsePath, { kind: 'package' }>): AstRef {
    const dep = this.foreignDeps.get(packageKey(toPackageName(path.package)))!;
    return dep.items.get(path.interface.name)!.ref;
  }

  /** Allocates an `unknown` placeholder for every name `use`d from a foreign interface. */
  protected populateForeignTypes(declLists: readonly (readonly DeclItem[])[]): void {
    declLists.forEach((list, file) => {
      this.curFile = file;
      for (const visit of this.paths(list)) {
        if (visit.names === null) continue;
        const stability = this.stability(visit.gates);
        const { ref, name, span } = this.resolvePath(visit.path);
        const iface = this.expectInterface(ref, name, span);
        if (!this.foreignInterfaces.has(iface)) continue;
        const lookup = this.interfaceTypes[iface]!;
        for (const n of visit.names) {
          if (lookup.has(n.name.name)) continue;
          const id = this.allocType({
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

  protected resolvePath(path: ast.UsePath): { ref: AstRef; name: string; span: Span } {
    if (path.kind === 'name') {
      const ref = this.fileItems[this.curFile]!.get(path.name.name) ?? this.packageItems.get(path.name.name);
      if (!ref) bail(path.name.span, `interface or world \`${path.name.name}\` does not exist`);
      return { ref, name: path.name.name, span: path.name.span };
    }
    return { ref: this.foreignRef(path), name: path.interface.name, span: path.interface.span };
  }

  protected expectInterface(ref: AstRef, name: string, span: Span): InterfaceId {
    if (ref.kind === 'world') bail(span, `name \`${name}\` is defined as a world, not an interface`);
    return ref.id;
  }

  protected expectWorld(ref: AstRef, name: string, span: Span): WorldId {
    if (ref.kind === 'interface') bail(span, `name \`${name}\` is defined as an interface, not a world`);
    return ref.id;
  }

  // -- attributes ------------------------------------------------------------------------------

  /**
   * The stability of an item from its gates: at most one `@since` or `@unstable`, optionally with
   * one `@deprecated` (reported with wit-parser's wording).
   */
  protected stability(gates: readonly ast.GateItem[]): Stability {
    let since: Extract<ast.GateItem, { kind: 'since' }> | null = null;
    let unstable: Extract<ast.GateItem, { kind: 'unstable' }> | null = null;
    let deprecated: Extract<ast.GateItem, { kind: 'deprecated' }> | null = null;
    for (const g of gates) {
      switch (g.kind) {
        case 'since':
          if (since) bail(g.span, 'cannot specify @since twice');
          if (unstable) bail(g.span, 'cannot specify both @since and @unstable');
          since = g;
          break;
        case 'unstable':
          if (unstable) bail(g.span, 'cannot specify @unstable twice');
          if (since) bail(g.span, 'cannot specify both @since and @unstable');
          unstable = g;
          break;
        case 'deprecated':
          if (deprecated) bail(g.span, 'cannot specify @deprecated twice');
          deprecated = g;
          break;
      }
    }
    const dep = deprecated?.version ?? null;
    if (since) return { kind: 'stable', since: since.version, deprecated: dep };
    if (unstable) return { kind: 'unstable', feature: unstable.feature.name, deprecated: dep };
    if (deprecated) bail(deprecated.span, 'cannot specify both @deprecated without @since or @unstable');
    return UNKNOWN_STABILITY;
  }
}

/** `value` with its `@external-id` (when the item has one). */
export function withExternalId<T extends object>(value: T, externalId: ast.ExternalId | undefined): T {
  return externalId ? { ...value, externalId: externalId.value } : value;
}

export function toDocs(docs: ast.Docs): Docs {
  return docs.contents === null ? NO_DOCS : { contents: docs.contents };
}

function usePathName(path: ast.UsePath): ast.Id {
  return path.kind === 'name' ? path.name : path.interface;
}
