/**
 * Substitution in the type arena: a type with some ids replaced (the imports of a component by
 * its instantiation arguments, resources by fresh ones), copying only the nodes that change.
 */
import type { DefinedType, ValType } from './model.js';
import type { EntityType, TypeId, TypeNode } from './type-nodes.js';

/** What substitution needs of the arena (`ComponentTypes`). */
export interface TypeArena {
  readonly nodes: readonly TypeNode[];
  /** Offset of the definition being typed (for errors). */
  readonly at: number;
  addNode(node: TypeNode): TypeId;
  addDefined(type: DefinedType<TypeId>, at: number): TypeId;
  alias(of: TypeId): TypeId;
}

/** `id` with every id in `map` replaced (nodes copied only where something changed). */
export function subst(
  arena: TypeArena,
  id: TypeId,
  map: ReadonlyMap<TypeId, TypeId>,
  memo: Map<TypeId, TypeId>,
): TypeId {
  const mapped = map.get(id);
  if (mapped !== undefined) return mapped;
  const done = memo.get(id);
  if (done !== undefined) return done;
  const node = arena.nodes[id]!;
  let out: TypeId = id;
  const s = (t: TypeId): TypeId => subst(arena, t, map, memo);
  const v = <T extends ValType<TypeId> | null>(t: T): T =>
    typeof t === 'number' ? (s(t as TypeId) as T) : t;
  switch (node.kind) {
    case 'alias':
      // Iteratively: alias chains can be long (each export of an export adds a link).
      return substAliasChain(arena, id, map, memo);
    case 'resource':
      break;
    case 'defined': {
      const t = mapDefined(node.type, v, s);
      if (t !== node.type) out = arena.addDefined(t, arena.at);
      break;
    }
    case 'func': {
      const params = node.params.map((p) => ({ name: p.name, type: v(p.type) }));
      const result = v(node.result);
      if (result !== node.result || params.some((p, i) => p.type !== node.params[i]!.type)) {
        out = arena.addNode({ kind: 'func', async: node.async, params, result });
      }
      break;
    }
    case 'instance': {
      const exports = substEntities(arena, node.exports, map, memo);
      if (exports !== node.exports) out = arena.addNode({ kind: 'instance', exports });
      break;
    }
    case 'component': {
      const imports = substEntities(arena, node.imports, map, memo);
      const exports = substEntities(arena, node.exports, map, memo);
      if (imports !== node.imports || exports !== node.exports) {
        out = arena.addNode({
          kind: 'component',
          imports,
          exports,
          definedResources: node.definedResources,
        });
      }
      break;
    }
  }
  memo.set(id, out);
  return out;
}

function substAliasChain(
  arena: TypeArena,
  id: TypeId,
  map: ReadonlyMap<TypeId, TypeId>,
  memo: Map<TypeId, TypeId>,
): TypeId {
  const chain: TypeId[] = [];
  let cur = id;
  let base: TypeId;
  for (;;) {
    const known = cur === id ? undefined : (map.get(cur) ?? memo.get(cur));
    if (known !== undefined) {
      base = known;
      break;
    }
    const n = arena.nodes[cur]!;
    if (n.kind !== 'alias') {
      base = subst(arena, cur, map, memo);
      break;
    }
    chain.push(cur);
    cur = n.of;
  }
  let result = base;
  for (let i = chain.length - 1; i >= 0; i--) {
    const a = chain[i]!;
    const n = arena.nodes[a] as { kind: 'alias'; of: TypeId };
    const r = result === n.of ? a : arena.alias(result);
    memo.set(a, r);
    result = r;
  }
  return result;
}

function substEntities(
  arena: TypeArena,
  m: ReadonlyMap<string, EntityType>,
  map: ReadonlyMap<TypeId, TypeId>,
  memo: Map<TypeId, TypeId>,
): ReadonlyMap<string, EntityType> {
  let changed = false;
  const out = new Map<string, EntityType>();
  for (const [name, e] of m) {
    let n: EntityType = e;
    switch (e.sort) {
      case 'type': {
        const referenced = subst(arena, e.referenced, map, memo);
        const created = subst(arena, e.created, map, memo);
        if (referenced !== e.referenced || created !== e.created)
          n = { sort: 'type', referenced, created };
        break;
      }
      case 'func':
      case 'instance':
      case 'component': {
        const t = subst(arena, e.type, map, memo);
        if (t !== e.type) n = { sort: e.sort, type: t };
        break;
      }
      case 'value':
        if (typeof e.type === 'number') {
          const t = subst(arena, e.type, map, memo);
          if (t !== e.type) n = { sort: 'value', type: t };
        }
        break;
      case 'core-module':
        break;
    }
    if (n !== e) changed = true;
    out.set(name, n);
  }
  return changed ? out : m;
}

/** Maps the type references of a defined type; returns `t` itself when nothing changed. */
function mapDefined(
  t: DefinedType<TypeId>,
  v: <T extends ValType<TypeId> | null>(t: T) => T,
  s: (t: TypeId) => TypeId,
): DefinedType<TypeId> {
  const same = <T>(a: readonly T[], b: readonly T[]): boolean => a.every((x, i) => x === b[i]);
  switch (t.kind) {
    case 'primitive':
    case 'flags':
    case 'enum':
      return t;
    case 'record': {
      const fields = t.fields.map((f) => ({ name: f.name, type: v(f.type) }));
      return same(
        fields.map((f) => f.type),
        t.fields.map((f) => f.type),
      )
        ? t
        : { kind: 'record', fields };
    }
    case 'variant': {
      const cases = t.cases.map((c) => ({ ...c, type: v(c.type) }));
      return same(
        cases.map((c) => c.type),
        t.cases.map((c) => c.type),
      )
        ? t
        : { kind: 'variant', cases };
    }
    case 'list': {
      const element = v(t.element);
      return element === t.element ? t : { ...t, element };
    }
    case 'tuple': {
      const types = t.types.map(v);
      return same(types, t.types) ? t : { kind: 'tuple', types };
    }
    case 'option': {
      const type = v(t.type);
      return type === t.type ? t : { kind: 'option', type };
    }
    case 'result': {
      const ok = v(t.ok);
      const err = v(t.err);
      return ok === t.ok && err === t.err ? t : { kind: 'result', ok, err };
    }
    case 'own':
    case 'borrow': {
      const resource = s(t.resource);
      return resource === t.resource ? t : { kind: t.kind, resource };
    }
    case 'stream':
    case 'future': {
      const element = v(t.element);
      return element === t.element ? t : { kind: t.kind, element };
    }
    case 'map': {
      const key = v(t.key);
      const value = v(t.value);
      return key === t.key && value === t.value ? t : { kind: 'map', key, value };
    }
  }
}
