/**
 * The `Resolve` arena: linking unresolved packages together (wasm-tools `Remap::append`),
 * `@unstable`/`@since` gating, `own<T>` handle creation, world `include`s and world elaboration
 * (`Resolve::elaborate_world`), package ordering and world selection.
 *
 * Every `push` appends one package in the arena order that the reference implementation produces;
 * see resolve-json.md §3 for why the order matters.
 */
import type { WitDiagnostic } from '../errors.js';
import type {
  Func,
  Interface,
  InterfaceId,
  Package,
  PackageId,
  PackageName,
  Resolve,
  Stability,
  Type,
  TypeDef,
  TypeDefKind,
  TypeId,
  TypeOwner,
  World,
  WorldId,
  WorldItem,
} from '../model.js';
import { UNKNOWN_STABILITY, formatPackageName, interfaceKey, nameWorldKey, worldKeyInterface } from '../model.js';
import type { SourceMap, Span } from '../source-map.js';
import { packageKey, type UnresolvedPackage, type UnresolvedTypeDef } from './package.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MTypeDef = Mutable<TypeDef>;
type MInterface = Mutable<Interface>;
type MWorld = Mutable<World>;

/** Which `@unstable` features are enabled. */
export interface FeatureOptions {
  readonly features?: readonly string[];
  readonly allFeatures?: boolean;
}

/** Thrown internally when linking fails. */
class LinkError {
  constructor(readonly diagnostic: WitDiagnostic) {}
}

function fail(span: Span | null, message: string, context?: readonly string[]): never {
  throw new LinkError(context ? { kind: 'resolve', message, span, context } : { kind: 'resolve', message, span });
}

/** Runs `f`, prefixing any link error with `context` (anyhow's `with_context`). */
function withContext<T>(context: () => string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof LinkError) {
      const d = e.diagnostic;
      throw new LinkError({ ...d, context: [context(), ...(d.context ?? [])] });
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Semver (package versions and `@since` comparisons)
// ---------------------------------------------------------------------------------------------

interface SemVer {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  readonly pre: readonly string[];
  readonly build: readonly string[];
}

/** Parses `1.2.3-pre.1+build`; null when not a version. */
export function parseSemver(text: string): SemVer | null {
  const m = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/.exec(text);
  if (!m) return null;
  return {
    major: BigInt(m[1]!),
    minor: BigInt(m[2]!),
    patch: BigInt(m[3]!),
    pre: m[4] ? m[4].split('.') : [],
    build: m[5] ? m[5].split('.') : [],
  };
}

function compareIdents(a: readonly string[], b: readonly string[], emptyIsGreatest: boolean): number {
  if (a.length === 0 || b.length === 0) {
    if (a.length === b.length) return 0;
    const aFirst = a.length === 0 ? 1 : -1;
    return emptyIsGreatest ? aFirst : -aFirst;
  }
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) {
      const d = BigInt(x) - BigInt(y);
      if (d !== 0n) return d < 0n ? -1 : 1;
    } else if (xn !== yn) {
      return xn ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return Math.sign(a.length - b.length);
}

/** Semver precedence, with build metadata as a final tie-breaker (Rust `semver::Version` order). */
export function compareSemver(a: SemVer, b: SemVer): number {
  for (const k of ['major', 'minor', 'patch'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return compareIdents(a.pre, b.pre, true) || compareIdents(a.build, b.build, false);
}

function compareVersionText(a: string, b: string): number {
  const x = parseSemver(a);
  const y = parseSemver(b);
  if (x && y) return compareSemver(x, y);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders package names by namespace, name, then version (no version first). */
export function comparePackageNames(a: PackageName, b: PackageName): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.version === b.version) return 0;
  if (a.version === null) return -1;
  if (b.version === null) return 1;
  return compareVersionText(a.version, b.version);
}

// ---------------------------------------------------------------------------------------------
// The builder
// ---------------------------------------------------------------------------------------------

/** One group of packages from one source (a file or directory): nested packages, then main. */
export interface UnresolvedGroup {
  readonly main: UnresolvedPackage;
  readonly nested: readonly UnresolvedPackage[];
}

/** Accumulates packages into a {@link Resolve}. */
export class ResolveBuilder {
  readonly resolve: Resolve;
  readonly #packageNames = new Map<string, PackageId>();
  readonly #features: ReadonlySet<string>;
  readonly #allFeatures: boolean;

  constructor(sourceMap: SourceMap, options: FeatureOptions = {}) {
    this.resolve = { types: [], interfaces: [], worlds: [], packages: [], sourceMap };
    this.#features = new Set(options.features ?? []);
    this.#allFeatures = options.allFeatures ?? false;
  }

  /**
   * Adds groups of packages: all are ordered by their dependencies (starting from the sorted
   * package names) and appended. Returns the ids in append order, or the diagnostics.
   */
  pushGroups(groups: readonly UnresolvedGroup[]): PackageId[] | WitDiagnostic[] {
    const byName = new Map<string, UnresolvedPackage>();
    for (const group of groups) {
      for (const pkg of [...group.nested, group.main]) {
        const key = packageKey(pkg.name);
        const prev = byName.get(key);
        if (prev) {
          const loc = (span: Span) => {
            const l = this.resolve.sourceMap.locate(span.start);
            return l ? `${l.file.path}:${l.line}:${l.column}` : '<unknown>';
          };
          return [
            {
              kind: 'resolve',
              message:
                `package \`${key}\` is defined in two different locations:\n` +
                `  * ${loc(pkg.nameSpan)}\n  * ${loc(prev.nameSpan)}`,
              span: pkg.nameSpan,
            },
          ];
        }
        byName.set(key, pkg);
      }
    }

    const sorted = [...byName.values()].sort((a, b) => comparePackageNames(a.name, b.name));
    const order: UnresolvedPackage[] = [];
    const placed = new Set<string>();
    const visiting = new Set<string>();
    const visit = (pkg: UnresolvedPackage): WitDiagnostic | null => {
      if (placed.has(packageKey(pkg.name))) return null;
      for (const [depKey, dep] of pkg.foreignDeps) {
        if (visiting.has(depKey)) {
          return {
            kind: 'resolve',
            message: `package \`${depKey}\` creates a dependency cycle`,
            span: dep.span,
          };
        }
        visiting.add(depKey);
        const depPkg = byName.get(depKey);
        if (depPkg) {
          const err = visit(depPkg);
          if (err) return err;
        }
        visiting.delete(depKey);
      }
      placed.add(packageKey(pkg.name));
      order.push(pkg);
      return null;
    };
    for (const pkg of sorted) {
      const err = visit(pkg);
      if (err) return [err];
    }

    const ids: PackageId[] = [];
    for (const pkg of order) {
      try {
        ids.push(new Linker(this, pkg).append());
      } catch (e) {
        if (e instanceof LinkError) return [e.diagnostic];
        throw e;
      }
    }
    return ids;
  }

  /** @internal */
  packageId(key: string): PackageId | undefined {
    return this.#packageNames.get(key);
  }

  /** @internal */
  registerPackage(key: string, id: PackageId): void {
    this.#packageNames.set(key, id);
  }

  /** @internal names of all known packages, in insertion order */
  knownPackages(): string[] {
    return [...this.#packageNames.keys()];
  }

  /**
   * Whether an item with `stability`, in package `pkg`, is included. `@since` requires the
   * package to be versioned and the version not to be in the future.
   */
  includeStability(stability: Stability, pkg: PackageId, span: Span | null): boolean {
    switch (stability.kind) {
      case 'unknown':
        return true;
      case 'stable': {
        const p = this.resolve.packages[pkg]!;
        const version = p.name.version;
        const name = formatPackageName(p.name);
        if (version === null) {
          fail(span, `package [${name}] contains a feature gate with a version specifier, so it must have a version`);
        }
        if (compareVersionText(stability.since, version) > 0) {
          fail(
            span,
            `feature gate cannot reference unreleased version ${stability.since} of package ` +
              `[${name}] (current version ${version})`,
          );
        }
        return true;
      }
      case 'unstable':
        return this.#allFeatures || this.#features.has(stability.feature);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Linking one package (Remap::append)
// ---------------------------------------------------------------------------------------------

class Linker {
  readonly #b: ResolveBuilder;
  readonly #r: Resolve;
  readonly #u: UnresolvedPackage;
  readonly #types: (TypeId | null)[] = [];
  readonly #interfaces: (InterfaceId | null)[] = [];
  readonly #worlds: (WorldId | null)[] = [];
  /** The package's anonymous `own<T>` handles, by `T` (a resource or an alias of one). */
  readonly #ownHandles = new Map<TypeId, TypeId>();
  readonly #hasBorrow = new Map<TypeId, boolean>();
  #pkg = 0 as PackageId;

  constructor(builder: ResolveBuilder, pkg: UnresolvedPackage) {
    this.#b = builder;
    this.#r = builder.resolve;
    this.#u = pkg;
  }

  append(): PackageId {
    const u = this.#u;
    const r = this.#r;
    const pkgid = r.packages.length as PackageId;
    this.#pkg = pkgid;
    const pkg: Package = { name: u.name, docs: u.docs, interfaces: new Map(), worlds: new Map() };
    r.packages.push(pkg);
    this.#b.registerPackage(packageKey(u.name), pkgid);
    const pkgName = formatPackageName(u.name);

    this.#processForeignDeps();
    const foreignTypes = this.#types.length;
    const foreignInterfaces = this.#interfaces.length;
    const foreignWorlds = this.#worlds.length;

    // Types, in order, with their references updated and `own<T>` handles created.
    for (let i = foreignTypes; i < u.types.length; i++) {
      const ty = u.types[i]!;
      if (!this.#includeType(ty)) {
        this.#types.push(null);
        continue;
      }
      const kind = this.#updateTypeDefKind(ty.kind, ty.span);
      const def: MTypeDef = {
        name: ty.name,
        kind,
        owner: ty.owner,
        docs: ty.docs,
        stability: ty.stability,
        span: ty.span,
      };
      let id = this.#allocType(def);
      if (def.name === null && kind.tag === 'handle' && kind.handle === 'own' && def.owner.kind === 'none') {
        const prev = this.#ownHandles.get(kind.resource);
        if (prev !== undefined) id = prev;
        else this.#ownHandles.set(kind.resource, id);
      }
      this.#types.push(id);
    }

    // Interfaces.
    for (let i = foreignInterfaces; i < u.interfaces.length; i++) {
      const iface = u.interfaces[i]!;
      const included = withContext(
        () => `failed to process feature gate for interface [${iface.name ?? '<unknown>'}] in package [${pkgName}]`,
        () => this.#b.includeStability(iface.stability, pkgid, iface.span),
      );
      if (!included) {
        this.#interfaces.push(null);
        continue;
      }
      const id = r.interfaces.length as InterfaceId;
      const out: MInterface = {
        name: iface.name,
        types: new Map(),
        functions: new Map(),
        docs: iface.docs,
        stability: iface.stability,
        package: pkgid,
        span: iface.span,
      };
      this.#updateInterface(iface, out);
      r.interfaces.push(out);
      this.#interfaces.push(id);
    }

    // Interface owners of types.
    for (let i = foreignTypes; i < this.#types.length; i++) {
      const id = this.#types[i];
      if (id === null || id === undefined) continue;
      const def = r.types[id] as MTypeDef;
      if (def.owner.kind === 'interface') {
        const span = u.types[i]!.span;
        def.owner = {
          kind: 'interface',
          id: withContext(
            () => 'this type is not gated by a feature but its interface is gated by a feature',
            () => this.#mapInterface(def.owner.kind === 'interface' ? def.owner.id : (0 as InterfaceId), span),
          ),
        };
      }
    }

    // Worlds (without their includes).
    for (let i = foreignWorlds; i < u.worlds.length; i++) {
      const world = u.worlds[i]!;
      const included = withContext(
        () => `failed to process feature gate for world [${world.name}] in package [${pkgName}]`,
        () => this.#b.includeStability(world.stability, pkgid, world.span),
      );
      if (!included) {
        this.#worlds.push(null);
        continue;
      }
      const out: MWorld = {
        name: world.name,
        imports: new Map(),
        exports: new Map(),
        package: null,
        docs: world.docs,
        stability: world.stability,
        span: world.span,
      };
      this.#updateWorld(world, out);
      this.#worlds.push(r.worlds.length as WorldId);
      r.worlds.push(out);
    }

    // World owners of types.
    for (let i = foreignTypes; i < this.#types.length; i++) {
      const id = this.#types[i];
      if (id === null || id === undefined) continue;
      const def = r.types[id] as MTypeDef;
      if (def.owner.kind === 'world') {
        const span = u.types[i]!.span;
        const owner = def.owner.id;
        def.owner = {
          kind: 'world',
          id: withContext(
            () => 'this type is not gated by a feature but its world is gated by a feature',
            () => this.#mapWorld(owner, span),
          ),
        };
      }
    }

    // Includes, then elaboration; worlds are in topological order so included worlds are done.
    for (let i = foreignWorlds; i < u.worlds.length; i++) {
      const id = this.#worlds[i];
      if (id === null || id === undefined) continue;
      const world = u.worlds[i]!;
      this.#processIncludes(id, world.includes, pkgName);
      withContext(
        () => `failed to elaborate world imports/exports of \`${r.worlds[id]!.name}\``,
        () => elaborateWorld(r, id, world.span),
      );
    }

    for (let i = foreignInterfaces; i < this.#interfaces.length; i++) {
      const id = this.#interfaces[i];
      if (id === null || id === undefined) continue;
      const iface = r.interfaces[id] as MInterface;
      iface.package = pkgid;
      if (iface.name !== null) pkg.interfaces.set(iface.name, id);
    }
    for (let i = foreignWorlds; i < this.#worlds.length; i++) {
      const id = this.#worlds[i];
      if (id === null || id === undefined) continue;
      const world = r.worlds[id] as MWorld;
      world.package = pkgid;
      pkg.worlds.set(world.name, id);
    }
    return pkgid;
  }

  // -- id maps ---------------------------------------------------------------------------------

  #apply<T>(map: readonly (T | null)[], id: number, desc: string, span: Span | null): T {
    const v = map[id];
    if (v === undefined) throw new Error(`request to remap a ${desc} that has not yet been registered`);
    if (v === null) {
      fail(span, `found a reference to a ${desc} which is excluded due to its feature not being activated`);
    }
    return v;
  }

  #mapType(id: TypeId, span: Span | null): TypeId {
    return this.#apply(this.#types, id, 'type', span);
  }

  #mapInterface(id: InterfaceId, span: Span | null): InterfaceId {
    return this.#apply(this.#interfaces, id, 'interface', span);
  }

  #mapWorld(id: WorldId, span: Span | null): WorldId {
    return this.#apply(this.#worlds, id, 'world', span);
  }

  #allocType(def: TypeDef): TypeId {
    const id = this.#r.types.length as TypeId;
    this.#r.types.push(def);
    return id;
  }

  #includeType(ty: UnresolvedTypeDef): boolean {
    return withContext(
      () =>
        `failed to process feature gate for type [${ty.name ?? '<unknown>'}] in package ` +
        `[${formatPackageName(this.#u.name)}]`,
      () => this.#b.includeStability(ty.stability, this.#pkg, ty.span),
    );
  }

  // -- foreign items ---------------------------------------------------------------------------

  #processForeignDeps(): void {
    const u = this.#u;
    const r = this.#r;
    type Owner = { pkgKey: string; name: string; span: Span; stabilities: readonly Stability[] };
    const ifaceOwners = new Map<number, Owner>();
    const worldOwners = new Map<number, Owner>();
    for (const [pkgKey, dep] of u.foreignDeps) {
      for (const [name, { ref, stabilities }] of dep.items) {
        (ref.kind === 'interface' ? ifaceOwners : worldOwners).set(ref.id, {
          pkgKey,
          name,
          span: dep.span,
          stabilities,
        });
      }
    }
    const lookupPackage = (owner: Owner): Package => {
      const id = this.#b.packageId(owner.pkgKey);
      if (id === undefined) {
        const known = this.#b.knownPackages().filter((k) => k !== packageKey(u.name));
        fail(
          owner.span,
          known.length === 0
            ? `package '${owner.pkgKey}' not found`
            : `package '${owner.pkgKey}' not found. known packages:${known.map((k) => `\n    ${k}`).join('')}`,
        );
      }
      return r.packages[id]!;
    };
    const enabled = (owner: Owner, span: Span) =>
      owner.stabilities.some((s) => this.#b.includeStability(s, this.#pkg, span));

    for (let i = 0; i < u.interfaces.length; i++) {
      const owner = ifaceOwners.get(i);
      if (!owner) break;
      const pkg = lookupPackage(owner);
      const span = u.interfaces[i]!.span;
      if (!enabled(owner, span)) {
        this.#interfaces.push(null);
        continue;
      }
      const id = pkg.interfaces.get(owner.name);
      if (id === undefined) fail(span, `interface \`${owner.name}\` not found in package \`${owner.pkgKey}\``);
      this.#interfaces.push(id);
    }
    for (let i = 0; i < u.worlds.length; i++) {
      const owner = worldOwners.get(i);
      if (!owner) break;
      const pkg = lookupPackage(owner);
      const span = u.worlds[i]!.span;
      if (!enabled(owner, span)) {
        this.#worlds.push(null);
        continue;
      }
      const id = pkg.worlds.get(owner.name);
      if (id === undefined) fail(span, `world \`${owner.name}\` not found in package \`${owner.pkgKey}\``);
      this.#worlds.push(id);
    }
    for (const ty of u.types) {
      if (ty.kind.tag !== 'unknown') break;
      if (!this.#includeType(ty)) {
        this.#types.push(null);
        continue;
      }
      /* c8 ignore next */
      if (ty.owner.kind !== 'interface') throw new Error('foreign type without interface owner');
      const iface = this.#mapInterface(ty.owner.id, ty.span);
      const id = r.interfaces[iface]!.types.get(ty.name!);
      if (id === undefined) fail(ty.span, `type \`${ty.name!}\` not defined in interface`);
      this.#types.push(id);
    }
    for (const { id: local, span } of u.requiredResourceTypes) {
      const mapped = this.#types[local];
      if (mapped === null || mapped === undefined) continue;
      let id = mapped;
      for (;;) {
        const kind = r.types[id]!.kind;
        if (kind.tag === 'type' && typeof kind.type === 'number') id = kind.type;
        else if (kind.tag === 'resource') break;
        else fail(span, 'type used in a handle must be a resource');
      }
    }
  }

  // -- updating references ---------------------------------------------------------------------

  #updateTypeDefKind(kind: UnresolvedTypeDef['kind'], span: Span): TypeDefKind {
    const ty = (t: Type) => this.#updateTy(t, span);
    const opt = (t: Type | null) => (t === null ? null : ty(t));
    switch (kind.tag) {
      case 'unknown':
        throw new Error('unexpected unknown type');
      case 'handle':
        return { ...kind, resource: this.#mapType(kind.resource, span) };
      case 'resource':
      case 'flags':
      case 'enum':
        return kind;
      case 'record':
        return {
          tag: 'record',
          fields: kind.fields.map((f) =>
            withContext(
              () => `failed to update field \`${f.name}\``,
              () => ({ ...f, type: ty(f.type) }),
            ),
          ),
        };
      case 'variant':
        return { tag: 'variant', cases: kind.cases.map((c) => ({ ...c, type: opt(c.type) })) };
      case 'tuple':
        return { tag: 'tuple', types: kind.types.map(ty) };
      case 'option':
      case 'list':
      case 'fixed-length-list':
        return { ...kind, type: ty(kind.type) };
      case 'future':
      case 'stream':
        return { ...kind, type: opt(kind.type) };
      case 'map':
        return { tag: 'map', key: ty(kind.key), value: ty(kind.value) };
      case 'result':
        return { tag: 'result', ok: opt(kind.ok), err: opt(kind.err) };
      case 'type':
        // `type a = r` keeps naming the resource itself (usable both as resource and handle).
        return typeof kind.type === 'number' ? { tag: 'type', type: this.#mapType(kind.type, span) } : kind;
    }
  }

  /** Maps a type reference; a reference to a resource becomes the package's `own<R>` handle. */
  #updateTy(t: Type, span: Span | null): Type {
    if (typeof t === 'string') return t;
    const id = this.#mapType(t, span);
    let cur = id;
    for (;;) {
      const kind = this.#r.types[cur]!.kind;
      if (kind.tag === 'type' && typeof kind.type === 'number') cur = kind.type;
      else if (kind.tag === 'resource') break;
      else return id;
    }
    let handle = this.#ownHandles.get(id);
    if (handle === undefined) {
      handle = this.#allocType({
        name: null,
        kind: { tag: 'handle', handle: 'own', resource: id },
        owner: { kind: 'none' },
        docs: { contents: null },
        stability: UNKNOWN_STABILITY,
        span,
      });
      this.#ownHandles.set(id, handle);
    }
    return handle;
  }

  #updateInterface(iface: UnresolvedPackage['interfaces'][number], out: MInterface): void {
    const pkgName = formatPackageName(this.#u.name);
    for (const [name, ty] of iface.types) {
      const mapped = this.#types[ty];
      if (mapped === null || mapped === undefined) continue;
      out.types.set(name, mapped);
    }
    for (const [name, func] of iface.functions) {
      const span = iface.funcSpans.get(name) ?? null;
      const included = withContext(
        () => `failed to process feature gate for function [${name}] in package [${pkgName}]`,
        () => this.#b.includeStability(func.stability, this.#pkg, span),
      );
      if (!included) continue;
      out.functions.set(
        name,
        withContext(
          () => `failed to update function \`${func.name}\``,
          () => this.#updateFunction(func, span),
        ),
      );
    }
  }

  #updateFunction(func: Func, span: Span | null): Func {
    const kind = func.kind;
    const newKind =
      kind.tag === 'freestanding' || kind.tag === 'async-freestanding'
        ? kind
        : { ...kind, resource: this.#mapType(kind.resource, span) };
    const params = func.params.map((p) => ({ name: p.name, type: this.#updateTy(p.type, span) }));
    const result = func.result === null ? null : this.#updateTy(func.result, span);
    if (result !== null && this.#typeHasBorrow(result)) {
      fail(span, 'function returns a type which contains a `borrow<T>` which is not supported');
    }
    return { ...func, kind: newKind, params, result };
  }

  #typeHasBorrow(t: Type): boolean {
    if (typeof t === 'string') return false;
    const cached = this.#hasBorrow.get(t);
    if (cached !== undefined) return cached;
    const kind = this.#r.types[t]!.kind;
    const any = (ts: readonly (Type | null)[]) => ts.some((x) => x !== null && this.#typeHasBorrow(x));
    let result: boolean;
    switch (kind.tag) {
      case 'type':
        result = this.#typeHasBorrow(kind.type);
        break;
      case 'handle':
        result = kind.handle === 'borrow';
        break;
      case 'variant':
        result = any(kind.cases.map((c) => c.type));
        break;
      case 'record':
        result = any(kind.fields.map((f) => f.type));
        break;
      case 'tuple':
        result = any(kind.types);
        break;
      case 'list':
      case 'fixed-length-list':
      case 'option':
      case 'future':
      case 'stream':
        result = any([kind.type]);
        break;
      case 'map':
        result = any([kind.key, kind.value]);
        break;
      case 'result':
        result = any([kind.ok, kind.err]);
        break;
      case 'resource':
      case 'flags':
      case 'enum':
        result = false;
        break;
    }
    this.#hasBorrow.set(t, result);
    return result;
  }

  #updateWorld(world: UnresolvedPackage['worlds'][number], out: MWorld): void {
    const entries: [string, WorldItem, Span, boolean][] = [
      ...[...world.imports].map(([k, v]): [string, WorldItem, Span, boolean] => [k, v, world.importSpans.get(k)!, true]),
      ...[...world.exports].map(([k, v]): [string, WorldItem, Span, boolean] => [k, v, world.exportSpans.get(k)!, false]),
    ];
    for (const [key0, item0, span, isImport] of entries) {
      let item = item0;
      if (item.kind === 'type') item = { kind: 'type', id: this.#mapType(item.id, span) };
      const stability =
        item.kind === 'interface'
          ? item.stability
          : item.kind === 'function'
            ? item.func.stability
            : this.#r.types[item.id]!.stability;
      const included = withContext(
        () => `failed to process world item in \`${world.name}\``,
        () => this.#b.includeStability(stability, this.#pkg, span),
      );
      if (!included) continue;
      let key = key0;
      const keyIface = worldKeyInterface(key);
      if (keyIface !== null) key = interfaceKey(this.#mapInterface(keyIface, span));
      if (item.kind === 'interface') item = { ...item, id: this.#mapInterface(item.id, span) };
      else if (item.kind === 'function') item = { kind: 'function', func: this.#updateFunction(item.func, span) };
      (isImport ? out.imports : out.exports).set(key, item);
    }
  }

  // -- includes --------------------------------------------------------------------------------

  #processIncludes(id: WorldId, includes: UnresolvedPackage['worlds'][number]['includes'], pkgName: string): void {
    const r = this.#r;
    for (const inc of includes) {
      const included = withContext(
        () =>
          `failed to process feature gate for included world [${r.worlds[this.#worlds[inc.world] ?? 0]?.name ?? '<unknown>'}] ` +
          `in package [${pkgName}]`,
        () => this.#b.includeStability(inc.stability, this.#pkg, inc.span),
      );
      if (!included) continue;
      this.#resolveInclude(id, inc.world, inc.names, inc.span);
    }
    const world = r.worlds[id]!;
    const check = (items: ReadonlyMap<string, WorldItem>, what: string) => {
      const seen = new Map<string, string>();
      for (const key of items.keys()) {
        if (worldKeyInterface(key) !== null) continue;
        const lower = key.toLowerCase();
        const existing = seen.get(lower);
        if (existing !== undefined && existing !== key) {
          fail(
            world.span,
            `${what} \`${key}\` conflicts with ${what} \`${existing}\` (kebab-case identifiers are case-insensitive)`,
            [`failed to validate ${what}s in world \`${world.name}\``],
          );
        }
        seen.set(lower, key);
      }
    };
    check(world.imports, 'import');
    check(world.exports, 'export');
  }

  #resolveInclude(
    id: WorldId,
    includeOrig: WorldId,
    names: readonly { readonly name: string; readonly as: string }[],
    span: Span,
  ): void {
    const r = this.#r;
    const world = r.worlds[id] as MWorld;
    const includeId = this.#mapWorld(includeOrig, span);
    const include = r.worlds[includeId]!;
    const isExternal = world.package !== include.package;
    const includeImports = [...include.imports];
    const includeExports = [...include.exports];

    let left = [...names];
    for (const [key] of [...includeImports, ...includeExports]) {
      if (worldKeyInterface(key) !== null) continue;
      left = left.filter((n) => renameKey(key, n) === null);
    }
    if (left.length > 0) {
      fail(span, `no import or export kebab-name \`${left[0]!.name}\`. Note that an ID does not support renaming`);
    }

    const cloner = new Cloner(r, { kind: 'world', id: includeId }, { kind: 'world', id }, this.#pkg);
    const add = (target: Map<string, WorldItem>, key: string, item: WorldItem, what: 'import' | 'export') => {
      if (worldKeyInterface(key) === null) {
        let n = key;
        for (const name of names) {
          const renamed = renameKey(key, name);
          if (renamed !== null) {
            n = renamed;
            break;
          }
        }
        let newItem = cloner.worldItem(item);
        if (newItem.kind === 'function') newItem = { kind: 'function', func: { ...newItem.func, name: n } };
        else if (newItem.kind === 'type') (r.types[newItem.id] as MTypeDef).name = n;
        if (target.has(n)) fail(span, `${what} of \`${n}\` shadows previously ${what}ed items`);
        target.set(n, newItem);
      } else {
        let existing = target.get(key);
        if (existing === undefined) {
          existing = item;
          target.set(key, item);
        }
        /* c8 ignore next */
        if (item.kind !== 'interface' || existing.kind !== 'interface') throw new Error('bad include item');
        const merged = mergeIncludeStability(item.stability, existing.stability, isExternal, span);
        if (merged !== existing.stability) target.set(key, { ...existing, stability: merged });
      }
    };
    for (const [key, item] of includeImports) add(world.imports, key, item, 'import');
    for (const [key, item] of includeExports) add(world.exports, key, item, 'export');
  }
}

/** `include w with { a as b }`: the renamed key, also for `[method]a.x` style keys; else null. */
function renameKey(original: string, include: { readonly name: string; readonly as: string }): string | null {
  if (original === include.name) return include.as;
  const close = original.indexOf(']');
  if (close < 0) return null;
  const kind = original.slice(0, close);
  const rest = original.slice(close + 1);
  const dot = rest.indexOf('.');
  if (dot >= 0 && rest.slice(0, dot) === include.name) return `${kind}]${include.as}.${rest.slice(dot + 1)}`;
  if (rest === include.name) return `${kind}]${include.as}`;
  return null;
}

function sameStability(a: Stability, b: Stability): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function mergeIncludeStability(from: Stability, into: Stability, isExternal: boolean, span: Span): Stability {
  if (isExternal && from.kind === 'stable') return UNKNOWN_STABILITY;
  if (sameStability(from, into) || from.kind === 'unknown') return into;
  if (into.kind === 'unknown') return from;
  fail(span, `mismatch in stability from '${describeStability(from)}' to '${describeStability(into)}'`);
}

function describeStability(s: Stability): string {
  switch (s.kind) {
    case 'unknown':
      return 'unknown';
    case 'stable':
      return `@since(version = ${s.since})`;
    case 'unstable':
      return `@unstable(feature = ${s.feature})`;
  }
}

function sameOwner(a: TypeOwner, b: TypeOwner): boolean {
  return a.kind === b.kind && (a.kind === 'none' || (b.kind !== 'none' && a.id === b.id));
}

/**
 * Deep-copies world items from an included world into the including one: world-owned types,
 * anonymous types that mention them, functions and anonymous interfaces (wasm-tools `Cloner`).
 */
class Cloner {
  readonly #types = new Map<TypeId, TypeId>();

  constructor(
    private readonly r: Resolve,
    private readonly prevOwner: TypeOwner,
    private readonly newOwner: TypeOwner,
    private readonly newPackage: PackageId,
  ) {}

  worldItem(item: WorldItem): WorldItem {
    switch (item.kind) {
      case 'type':
        return { kind: 'type', id: this.typeId(item.id) };
      case 'function':
        return { kind: 'function', func: this.func(item.func) };
      case 'interface':
        return { ...item, id: this.interface(item.id) };
    }
  }

  typeId(id: TypeId): TypeId {
    let mapped = this.#types.get(id);
    if (mapped === undefined) {
      const def = this.typeDef(this.r.types[id]!);
      mapped = this.r.types.length as TypeId;
      this.r.types.push(def);
      this.#types.set(id, mapped);
    }
    return mapped;
  }

  typeDef(def: TypeDef): TypeDef {
    const owner = def.owner.kind === 'none' ? def.owner : this.newOwner;
    return { ...def, owner, kind: this.kind(def.kind) };
  }

  kind(kind: TypeDefKind): TypeDefKind {
    const ty = (t: Type): Type => (typeof t === 'number' ? this.typeId(t) : t);
    const opt = (t: Type | null) => (t === null ? null : ty(t));
    switch (kind.tag) {
      case 'type':
        if (typeof kind.type === 'number' && sameOwner(this.r.types[kind.type]!.owner, this.prevOwner)) {
          return { tag: 'type', type: this.typeId(kind.type) };
        }
        return kind;
      case 'resource':
      case 'flags':
      case 'enum':
        return kind;
      case 'handle':
        return { ...kind, resource: this.typeId(kind.resource) };
      case 'option':
      case 'list':
      case 'fixed-length-list':
        return { ...kind, type: ty(kind.type) };
      case 'map':
        return { tag: 'map', key: ty(kind.key), value: ty(kind.value) };
      case 'tuple':
        return { tag: 'tuple', types: kind.types.map(ty) };
      case 'record':
        return { tag: 'record', fields: kind.fields.map((f) => ({ ...f, type: ty(f.type) })) };
      case 'variant':
        return { tag: 'variant', cases: kind.cases.map((c) => ({ ...c, type: opt(c.type) })) };
      case 'result':
        return { tag: 'result', ok: opt(kind.ok), err: opt(kind.err) };
      case 'future':
      case 'stream':
        return { ...kind, type: opt(kind.type) };
    }
  }

  func(f: Func): Func {
    const kind = f.kind;
    const newKind =
      kind.tag === 'freestanding' || kind.tag === 'async-freestanding'
        ? kind
        : { ...kind, resource: this.typeId(kind.resource) };
    const ty = (t: Type): Type => (typeof t === 'number' ? this.typeId(t) : t);
    return {
      ...f,
      kind: newKind,
      params: f.params.map((p) => ({ name: p.name, type: ty(p.type) })),
      result: f.result === null ? null : ty(f.result),
    };
  }

  interface(id: InterfaceId): InterfaceId {
    const old = this.r.interfaces[id]!;
    const nextId = this.r.interfaces.length as InterfaceId;
    const sub = new Cloner(this.r, { kind: 'interface', id }, { kind: 'interface', id: nextId }, this.newPackage);
    const types = new Map<string, TypeId>();
    for (const [name, t] of old.types) types.set(name, sub.typeId(t));
    const functions = new Map<string, Func>();
    for (const [name, f] of old.functions) functions.set(name, sub.func(f));
    const copy: Interface = { ...old, types, functions, package: this.newPackage };
    const newId = this.r.interfaces.length as InterfaceId;
    this.r.interfaces.push(copy);
    /* c8 ignore next */
    if (newId !== nextId) throw new Error('cloned interface id mismatch');
    return newId;
  }
}

// ---------------------------------------------------------------------------------------------
// World elaboration
// ---------------------------------------------------------------------------------------------

/** The interface that a `use`-alias type comes from, if it is owned elsewhere. */
function typeInterfaceDep(r: Resolve, id: TypeId): InterfaceId | null {
  const ty = r.types[id]!;
  if (ty.kind.tag !== 'type' || typeof ty.kind.type !== 'number') return null;
  const other = r.types[ty.kind.type]!;
  if (sameOwner(ty.owner, other.owner)) return null;
  return other.owner.kind === 'interface' ? other.owner.id : null;
}

/** Interfaces that `id` uses types from (may repeat). */
function interfaceDirectDeps(r: Resolve, id: InterfaceId): InterfaceId[] {
  const out: InterfaceId[] = [];
  for (const ty of r.interfaces[id]!.types.values()) {
    const dep = typeInterfaceDep(r, ty);
    if (dep !== null) out.push(dep);
  }
  return out;
}

function importClass(r: Resolve, item: WorldItem): number {
  switch (item.kind) {
    case 'interface':
      return 0;
    case 'type': {
      const ty = r.types[item.id]!;
      if (ty.kind.tag === 'type' && typeof ty.kind.type === 'number') {
        if (!sameOwner(r.types[ty.kind.type]!.owner, ty.owner)) return 1;
      }
      return 2;
    }
    case 'function':
      return item.func.kind.tag === 'freestanding' || item.func.kind.tag === 'async-freestanding' ? 3 : 4;
  }
}

function sortByClass(r: Resolve, items: Map<string, WorldItem>): Map<string, WorldItem> {
  const entries = [...items];
  const keyed = entries.map((e, i) => ({ e, i, c: importClass(r, e[1]) }));
  keyed.sort((a, b) => a.c - b.c || a.i - b.i);
  return new Map(keyed.map((k) => k.e));
}

/**
 * Adds the interfaces that imports and exports depend on as imports (each before the first item
 * that needs it), orders imports by class, and checks that exports do not depend on an interface
 * both through an import and an export.
 */
export function elaborateWorld(r: Resolve, worldId: WorldId, span: Span | null): void {
  const world = r.worlds[worldId] as MWorld;
  const imports = new Map<string, WorldItem>();

  const addImport = (key: string, id: InterfaceId, stability: Stability) => {
    if (imports.has(key)) return;
    for (const dep of interfaceDirectDeps(r, id)) addImport(interfaceKey(dep), dep, stability);
    imports.set(key, { kind: 'interface', id, stability, docs: { contents: null } });
  };

  for (const [key, item] of sortByClass(r, world.imports)) {
    switch (item.kind) {
      case 'interface':
        if (imports.has(key)) break;
        for (const dep of interfaceDirectDeps(r, item.id)) addImport(interfaceKey(dep), dep, item.stability);
        imports.set(key, item);
        break;
      case 'function':
        imports.set(key, item);
        break;
      case 'type': {
        const dep = typeInterfaceDep(r, item.id);
        if (dep !== null) addImport(interfaceKey(dep), dep, r.types[item.id]!.stability);
        imports.set(key, item);
        break;
      }
    }
  }

  const exports = new Map<string, WorldItem>();
  const exportInterfaces = new Map<InterfaceId, { key: string; item: Extract<WorldItem, { kind: 'interface' }> }>();
  for (const [key, item] of world.exports) {
    if (item.kind === 'interface') exportInterfaces.set(item.id, { key, item });
    else if (item.kind === 'function') exports.set(key, item);
  }

  const requiredImports = new Set<InterfaceId>();
  const addExport = (
    id: InterfaceId,
    key: string,
    asExport: boolean,
    stability: Stability,
    original: WorldItem | null,
  ): boolean => {
    if (exports.has(key)) return asExport;
    if (!asExport && requiredImports.has(id)) return true;
    for (const dep of interfaceDirectDeps(r, id)) {
      const depExported = asExport && exportInterfaces.has(dep);
      const depOriginal = depExported ? exportInterfaces.get(dep)!.item : null;
      if (!addExport(dep, interfaceKey(dep), depExported, stability, depOriginal)) return false;
    }
    if (asExport) {
      if (requiredImports.has(id)) return false;
      exports.set(key, original ?? { kind: 'interface', id, stability, docs: { contents: null } });
    } else {
      requiredImports.add(id);
      imports.set(key, { kind: 'interface', id, stability, docs: { contents: null } });
    }
    return true;
  };
  for (const [id, { key, item }] of exportInterfaces) {
    if (!addExport(id, key, true, item.stability, item)) {
      fail(span, `interface \`${nameWorldKey(r, key)}\` transitively depends on an interface in incompatible ways`);
    }
  }

  world.imports = sortByClass(r, imports);
  world.exports = exports;
}

// ---------------------------------------------------------------------------------------------
// World selection
// ---------------------------------------------------------------------------------------------

/**
 * Picks a world of `pkg`: by name (`w`, or `ns:pkg/w@1.0.0` for any loaded package), or the
 * package's only world. Returns the world or a diagnostic message.
 */
export function selectWorldIn(r: Resolve, pkg: PackageId, world: string | undefined): WorldId | string {
  const main = r.packages[pkg]!;
  const mainName = formatPackageName(main.name);
  if (world === undefined) {
    const worlds = [...main.worlds.values()];
    if (worlds.length === 1) return worlds[0]!;
    if (worlds.length === 0) return `no worlds found in package \`${mainName}\``;
    return `multiple worlds found in package \`${mainName}\`: one must be explicitly chosen`;
  }
  const m = /^([^:/@]+):([^:/@]+)\/([^:/@]+)(?:@(.+))?$/.exec(world);
  if (m) {
    const key = `${m[1]}:${m[2]}${m[4] === undefined ? '' : `@${m[4]}`}`;
    const found = r.packages.find((p) => formatPackageName(p.name) === key);
    if (!found) return `no package named \`${key}\``;
    const id = found.worlds.get(m[3]!);
    return id ?? `world \`${m[3]!}\` not found in package \`${key}\``;
  }
  const id = main.worlds.get(world);
  return id ?? `world \`${world}\` not found in package \`${mainName}\``;
}
