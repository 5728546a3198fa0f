/**
 * Linking one unresolved package into the `Resolve` arena (wasm-tools `Remap::append`): maps the
 * placeholders for foreign items onto the real ones, drops gated items, copies types, interfaces
 * and worlds with their references updated, creates the package's `own<T>` handles, then
 * processes each world's `include`s and elaborates it.
 */
import type {
  Func,
  InterfaceId,
  Package,
  PackageId,
  Resolve,
  Stability,
  Type,
  TypeDef,
  TypeDefKind,
  TypeId,
  WorldId,
  WorldItem,
} from '../model.js';
import { UNKNOWN_STABILITY, formatPackageName, interfaceKey, worldKeyInterface } from '../model.js';
import type { Span } from '../source-map.js';
import { elaborateWorld } from './elaborate.js';
import { processIncludes } from './include.js';
import { fail, withContext, withSuffix, type MInterface, type MTypeDef, type MWorld } from './link-common.js';
import type { ResolveBuilder } from './resolve.js';
import { packageKey, type UnresolvedPackage, type UnresolvedTypeDef } from './unresolved.js';

export class Linker {
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
        ...(ty.externalId === undefined ? {} : { externalId: ty.externalId }),
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
          id: withSuffix('; this type is not gated by a feature but its interface is', () =>
            this.#mapInterface(def.owner.kind === 'interface' ? def.owner.id : (0 as InterfaceId), span),
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
          id: withSuffix('; this type is not gated by a feature but its world is', () => this.#mapWorld(owner, span)),
        };
      }
    }

    // Includes, then elaboration; worlds are in topological order so included worlds are done.
    for (let i = foreignWorlds; i < u.worlds.length; i++) {
      const id = this.#worlds[i];
      if (id === null || id === undefined) continue;
      const world = u.worlds[i]!;
      processIncludes(
        {
          r,
          pkg: pkgid,
          pkgName,
          mapWorld: (w, span) => this.#mapWorld(w, span),
          linkedWorld: (w) => this.#worlds[w] ?? null,
          includeStability: (s, span) => this.#b.includeStability(s, pkgid, span),
        },
        id,
        world.includes,
      );
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
        // Every package registered so far, this one included (wit-parser lists them all).
        const known = this.#b.knownPackages();
        fail(owner.span, `package '${owner.pkgKey}' not found. known packages:${known.map((k) => `\n    ${k}`).join('')}`);
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
      if (id === undefined) fail(span, `interface '${owner.name}' not found in package '${owner.pkgKey}'`);
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
      if (id === undefined) fail(span, `world '${owner.name}' not found in package '${owner.pkgKey}'`);
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
      this.#checkResult(out.functions.get(name)!, span);
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
    return { ...func, kind: newKind, params, result };
  }

  /** Results may not contain a `borrow<T>`, however deeply. */
  #checkResult(func: Func, span: Span | null): void {
    if (func.result !== null && this.#typeHasBorrow(func.result)) {
      fail(span, `function \`${func.name}\` returns a type which contains a \`borrow<T>\` which is not supported`);
    }
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
      ...[...world.imports].map(([k, v]): [string, WorldItem, Span, boolean] => [
        k,
        v,
        world.importSpans.get(k)!,
        true,
      ]),
      ...[...world.exports].map(([k, v]): [string, WorldItem, Span, boolean] => [
        k,
        v,
        world.exportSpans.get(k)!,
        false,
      ]),
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
      else if (item.kind === 'function') {
        item = { kind: 'function', func: this.#updateFunction(item.func, span) };
        this.#checkResult(item.func, span);
      }
      (isImport ? out.imports : out.exports).set(key, item);
    }
  }
}
