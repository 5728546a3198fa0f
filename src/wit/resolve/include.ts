/**
 * World `include`s (wasm-tools `Resolve::include_world`): copies the included world's items into
 * the including world, with `with { a as b }` renames, merging interface stabilities, and deep
 * copies of world-owned types, functions and anonymous interfaces ({@link Cloner}).
 */
import type {
  Func,
  Interface,
  InterfaceId,
  PackageId,
  Resolve,
  Stability,
  Type,
  TypeDef,
  TypeDefKind,
  TypeId,
  TypeOwner,
  WorldId,
  WorldItem,
} from '../model.js';
import { UNKNOWN_STABILITY, worldKeyInterface } from '../model.js';
import type { Span } from '../source-map.js';
import { fail, sameOwner, withContext, type MTypeDef, type MWorld } from './link-common.js';
import type { UnresolvedInclude } from './unresolved.js';

/** What include processing needs from the package being linked. */
export interface IncludeContext {
  readonly r: Resolve;
  /** The package being linked. */
  readonly pkg: PackageId;
  readonly pkgName: string;
  /** Maps a world id of the unresolved package to the arena (an error if gated out). */
  mapWorld(id: WorldId, span: Span | null): WorldId;
  /** The arena id of a world of the unresolved package, if linked and included. */
  linkedWorld(id: WorldId): WorldId | null;
  /** Whether an item with this stability is included (may fail for bad `@since`). */
  includeStability(stability: Stability, span: Span): boolean;
}

/**
 * Processes the `include`s of world `id` (already linked, not yet elaborated), then checks that no
 * two import (or export) names differ only in case.
 */
export function processIncludes(cx: IncludeContext, id: WorldId, includes: readonly UnresolvedInclude[]): void {
  const r = cx.r;
  for (const inc of includes) {
    const included = withContext(
      () =>
        `failed to process feature gate for included world [${r.worlds[cx.linkedWorld(inc.world) ?? 0]?.name ?? '<unknown>'}] ` +
        `in package [${cx.pkgName}]`,
      () => cx.includeStability(inc.stability, inc.span),
    );
    if (!included) continue;
    resolveInclude(cx, id, inc.world, inc.names, inc.span);
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

function resolveInclude(
  cx: IncludeContext,
  id: WorldId,
  includeOrig: WorldId,
  names: readonly { readonly name: string; readonly as: string }[],
  span: Span,
): void {
  const r = cx.r;
  const world = r.worlds[id] as MWorld;
  const includeId = cx.mapWorld(includeOrig, span);
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

  const cloner = new Cloner(r, { kind: 'world', id: includeId }, { kind: 'world', id }, cx.pkg);
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
