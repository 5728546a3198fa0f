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
 * resolve-json.md §3), so the walk follows the reference implementation step by step. Three
 * layers, one per file: `package-scope.ts` (arenas, items, paths, placeholders, gates),
 * `package-types.ts` (types, interning, functions) and this file (interfaces and worlds).
 */
import type * as ast from '../ast.js';
import type { WitDiagnostic } from '../errors.js';
import type { Func, InterfaceId, WorldId, WorldItem } from '../model.js';
import { NO_DOCS, interfaceKey } from '../model.js';
import type { SourceMap, Span } from '../source-map.js';
import { Bail, BailMany, bail, toDocs, withExternalId } from './package-scope.js';
import { TypeResolver } from './package-types.js';
import type { DeclItem, PackageSource, UnresolvedPackage, UnresolvedWorld } from './unresolved.js';

export { groupPackageFiles, type PackageGroup } from './group.js';
export * from './unresolved.js';

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
    // In source order (items are resolved in dependency order); stable for equal starts.
    found.sort((a, b) => (a.span?.start ?? Infinity) - (b.span?.start ?? Infinity));
    return found.map((d) =>
      source.context.length > 0 ? { ...d, context: [...source.context, ...(d.context ?? [])] } : d,
    );
  }
}

/** The last layer: orchestration, then each interface and world with its items. */
class PackageResolver extends TypeResolver {
  resolve(): UnresolvedPackage {
    const declLists = this.source.declLists;
    this.populateForeignDeps(declLists);
    const { ifaceOrder, worldOrder } = this.populateAstItems(declLists);
    this.populateForeignTypes(declLists);

    const ifaceAst = new Map<number, { item: ast.InterfaceItem; file: number }>();
    const worldAst = new Map<number, { item: ast.WorldItemDecl; file: number }>();
    declLists.forEach((list, file) => {
      for (const item of list) {
        if (item.kind === 'interface') {
          const ref = this.fileItems[file]!.get(item.name.name)!;
          ifaceAst.set(ref.id, { item, file });
        } else if (item.kind === 'world') {
          const ref = this.fileItems[file]!.get(item.name.name)!;
          worldAst.set(ref.id, { item, file });
        }
      }
    });
    // Interfaces and worlds are resolved one by one; an error in one is recorded and the items
    // that depend on it are skipped, so that independent errors are all reported.
    // Inside one, each item is attempted on its own (see `attemptItem`): a failed definition is
    // poisoned, so that its uses are skipped rather than reported again.
    const failed = new Set<string>();
    const attempt = (kind: 'interface' | 'world', id: number, item: DeclItem, file: number, run: () => void) => {
      this.curFile = file;
      if (this.dependsOnFailed(item, failed)) {
        failed.add(`${kind}:${id}`);
        return;
      }
      if (!this.attemptItem(run)) {
        failed.add(`${kind}:${id}`);
        this.typeLookup = new Map();
      }
    };
    for (const id of ifaceOrder) {
      const { item, file } = ifaceAst.get(id)!;
      attempt('interface', id, item, file, () => this.resolveInterface(id, item.items, item.docs, item.gates));
    }
    for (const id of worldOrder) {
      const { item, file } = worldAst.get(id)!;
      attempt('world', id, item, file, () => this.resolveWorld(id, item));
    }
    if (this.itemErrors.length > 0) throw new BailMany(this.itemErrors);

    return {
      name: this.packageName,
      nameSpan: this.source.name.span,
      docs: this.source.docs,
      types: this.types,
      interfaces: this.interfaces,
      worlds: this.worlds,
      foreignDeps: this.foreignDeps,
      requiredResourceTypes: this.requiredResourceTypes,
    };
  }

  /** Whether an item refers (by a local path) to an interface or world that failed. */
  private dependsOnFailed(item: DeclItem, failed: ReadonlySet<string>): boolean {
    if (failed.size === 0) return false;
    for (const visit of this.paths([item])) {
      if (visit.path.kind !== 'name') continue;
      const ref =
        this.fileItems[this.curFile]!.get(visit.path.name.name) ??
        this.packageItems.get(visit.path.name.name);
      if (ref && failed.has(`${ref.kind}:${ref.id}`)) return true;
    }
    return false;
  }

  /** The span naming a resource member: its name, or the `constructor` keyword. */
  private memberSpan(member: ast.ResourceMember): Span {
    if (member.kind !== 'constructor') return member.name.span;
    const file = this.sourceMap?.fileAt(member.span.start);
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

  // -- interfaces and worlds -------------------------------------------------------------------

  private resolveInterface(
    id: InterfaceId,
    members: readonly ast.InterfaceMember[],
    docs: ast.Docs,
    gates: readonly ast.GateItem[],
  ): void {
    const iface = this.interfaces[id]!;
    iface.docs = toDocs(docs);
    iface.stability = this.stability(gates);

    this.resolveTypes(
      { kind: 'interface', id },
      members.filter((m): m is ast.UseItem | ast.TypeDefItem => m.kind !== 'func'),
    );
    for (const [name, entry] of this.typeLookup) {
      if (entry.kind === 'type') iface.types.set(name, entry.id);
    }

    // Each function (and each resource member) is an item of its own: one failing does not hide
    // the errors of the others.
    const funcs: { func: Func; span: Span }[] = [];
    for (const m of members) {
      if (m.kind === 'func') {
        this.attemptItem(() => {
          this.defineName(m.name, { kind: 'item', what: 'function', span: m.name.span });
          funcs.push({
            func: withExternalId(
              this.resolveFunction(m.docs, m.gates, m.name.name, m.func, {
                tag: m.func.async ? 'async-freestanding' : 'freestanding',
              }),
              m.externalId,
            ),
            span: m.name.span,
          });
        });
      } else if (m.kind === 'resource') {
        for (const member of m.members) {
          this.attemptItem(() => {
            funcs.push({ func: this.resolveResourceFunc(member, m.name), span: this.memberSpan(member) });
          });
        }
      }
    }
    for (const { func, span } of funcs) {
      iface.functions.set(func.name, func);
      iface.funcSpans.set(func.name, span);
    }
    this.interfaceTypes[id] = this.typeLookup;
    this.typeLookup = new Map();
  }

  private resolveWorld(id: WorldId, decl: ast.WorldItemDecl): void {
    const world = this.worlds[id]!;
    world.docs = toDocs(decl.docs);
    world.stability = this.stability(decl.gates);

    this.resolveTypes(
      { kind: 'world', id },
      decl.items.filter(
        (m): m is ast.UseItem | ast.TypeDefItem =>
          m.kind !== 'import' && m.kind !== 'export' && m.kind !== 'include',
      ),
    );

    for (const m of decl.items) {
      if (m.kind !== 'include') continue;
      this.attemptItem(() => {
        const stability = this.stability(m.gates);
        const { ref, name, span } = this.resolvePath(m.path);
        const from = this.expectWorld(ref, name, span);
        world.includes.push({
          stability,
          world: from,
          names: m.with.map((w) => ({ name: w.name.name, as: w.as.name })),
          span,
        });
      });
    }

    for (const [name, entry] of this.typeLookup) {
      if (entry.kind !== 'type') continue;
      this.attemptItem(() => {
        if (world.imports.has(name)) bail(entry.span, `import \`${name}\` conflicts with prior import of same name`);
        world.imports.set(name, { kind: 'type', id: entry.id });
        world.importSpans.set(name, entry.span);
      });
    }

    const imported = new Set<number>();
    const exported = new Set<number>();
    for (const m of decl.items) {
      if (m.kind === 'resource') {
        for (const member of m.members) {
          this.attemptItem(() => {
            const func = this.resolveResourceFunc(member, m.name);
            world.imports.set(func.name, { kind: 'function', func });
            world.importSpans.set(func.name, this.memberSpan(member));
          });
        }
        continue;
      }
      if (m.kind !== 'import' && m.kind !== 'export') continue;
      this.attemptItem(() => this.resolveImportExport(world, m, imported, exported));
    }
    this.typeLookup = new Map();
  }

  /** One `import`/`export` of a world, added under its key. */
  private resolveImportExport(
    world: UnresolvedWorld,
    m: ast.ImportExport,
    imported: Set<number>,
    exported: Set<number>,
  ): void {
    const desc = m.kind;
    const target = m.target;
    const targetSpan = target.kind === 'path' ? target.path.span : target.name.span;
    const item = this.resolveWorldItem(m);
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

  private resolveWorldItem(m: ast.ImportExport): WorldItem {
    const item = this.resolveWorldItemOnly(m);
    return item.kind === 'function'
      ? { kind: 'function', func: withExternalId(item.func, m.externalId) }
      : withExternalId(item, m.externalId);
  }

  private resolveWorldItemOnly(m: ast.ImportExport): WorldItem {
    const target = m.target;
    switch (target.kind) {
      case 'interface': {
        const prev = this.typeLookup;
        this.typeLookup = new Map();
        const id = this.allocInterface(target.name.span);
        this.resolveInterface(id, target.items, m.docs, m.gates);
        this.typeLookup = prev;
        return { kind: 'interface', id, stability: this.interfaces[id]!.stability, docs: NO_DOCS };
      }
      case 'path':
      case 'named-path': {
        const stability = this.stability(m.gates);
        const { ref, name, span } = this.resolvePath(target.path);
        const id = this.expectInterface(ref, name, span);
        return { kind: 'interface', id, stability, docs: toDocs(m.docs) };
      }
      case 'func': {
        const func = this.resolveFunction(m.docs, m.gates, target.name.name, target.func, {
          tag: target.func.async ? 'async-freestanding' : 'freestanding',
        });
        return { kind: 'function', func };
      }
    }
    return assertNever(target);
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected ${JSON.stringify(x)}`);
}
