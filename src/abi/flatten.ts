/**
 * Flattening of WIT types into core wasm value types (definitions.py § Flattening).
 */
import { assertNever } from '../util.js';
import type { Resolve, Type, TypeDefKind, TypeId } from '../wit/model.js';
import { PlanError } from './errors.js';
import { describeType, postOrder, satAdd, satMul } from './limits.js';

export type WasmType = 'i32' | 'i64' | 'f32' | 'f64';

/** definitions.py `MAX_FLAT_PARAMS`/`MAX_FLAT_RESULTS` (synchronous functions). */
export const MAX_FLAT_PARAMS = 16;
export const MAX_FLAT_RESULTS = 1;

/** definitions.py `join`: the slot type shared by two variant cases. */
export function join(a: WasmType, b: WasmType): WasmType {
  if (a === b) return a;
  if ((a === 'i32' && b === 'f32') || (a === 'f32' && b === 'i32')) return 'i32';
  return 'i64';
}

/**
 * The most flat values {@link Flattener.flatten} materializes. The planner only ever needs up to
 * MAX_FLAT_PARAMS + 1 of them (more means spilling); `list<u8, 10000000>` has ten million.
 */
export const MAX_MATERIALIZED_FLAT = 1 << 16;

/**
 * Flattens types for one {@link Resolve}, caching per definition. Flat counts are computed
 * arithmetically ({@link count}: a `list<T, N>` counts N × count(T) without expanding), and flat
 * type lists are only built for types with at most {@link MAX_MATERIALIZED_FLAT} values.
 * Everything is bottom-up over an explicit stack: the depth of a type does not matter.
 */
export class Flattener {
  readonly #resolve: Resolve;
  readonly #count = new Map<TypeId, number>();
  /** Flat types of definitions with at most MAX_MATERIALIZED_FLAT values. */
  readonly #cache = new Map<TypeId, readonly WasmType[]>();

  constructor(resolve: Resolve) {
    this.#resolve = resolve;
  }

  /** `flatten_type(t).length`, without building it (saturating at 2^53 − 1). */
  count(t: Type): number {
    if (typeof t === 'string') return t === 'string' ? 2 : 1;
    postOrder(
      this.#resolve,
      t,
      (id) => this.#count.has(id),
      (id) => this.#count.set(id, this.#countDef(this.#resolve.types[id]!.kind)),
    );
    return this.#count.get(t)!;
  }

  /** The total flat count of `types`. */
  countTypes(types: readonly Type[]): number {
    return types.reduce((n, t) => satAdd(n, this.count(t)), 0);
  }

  /**
   * definitions.py `flatten_types` when it has at most `max` values, else null (the caller spills
   * to memory); costs O(max), whatever the types.
   */
  flattenUpTo(types: readonly Type[], max: number): WasmType[] | null {
    if (this.countTypes(types) > max) return null;
    return this.flattenTypes(types);
  }

  /** definitions.py `flatten_types` (refused beyond MAX_MATERIALIZED_FLAT values). */
  flattenTypes(types: readonly Type[]): WasmType[] {
    const out: WasmType[] = [];
    for (const t of types) for (const w of this.flatten(t)) out.push(w);
    return out;
  }

  /** definitions.py `flatten_type` (refused beyond MAX_MATERIALIZED_FLAT values). */
  flatten(t: Type): readonly WasmType[] {
    if (typeof t === 'string') {
      switch (t) {
        case 'bool':
        case 'u8':
        case 'u16':
        case 'u32':
        case 's8':
        case 's16':
        case 's32':
        case 'char':
        case 'error-context':
          return ['i32'];
        case 'u64':
        case 's64':
          return ['i64'];
        case 'f32':
          return ['f32'];
        case 'f64':
          return ['f64'];
        case 'string':
          return ['i32', 'i32'];
        default:
          return assertNever(t);
      }
    }
    const n = this.count(t);
    if (n > MAX_MATERIALIZED_FLAT) {
      throw new PlanError(`${describeType(this.#resolve, t)} flattens to ${n} core values, more than ${MAX_MATERIALIZED_FLAT}`);
    }
    // Parts have at most as many flat values as the whole, except under a `list<T, 0>` (only a
    // component binary can spell one): those are not built (an empty placeholder, never read).
    postOrder(
      this.#resolve,
      t,
      (id) => this.#cache.has(id),
      (id) => this.#cache.set(id, this.count(id) > MAX_MATERIALIZED_FLAT ? [] : this.#flattenDef(this.#resolve.types[id]!.kind)),
    );
    return this.#cache.get(t)!;
  }

  /** definitions.py `flatten_variant`: discriminant, then payload slots joined across cases. */
  flattenVariant(cases: readonly (Type | null)[]): WasmType[] {
    const flat: WasmType[] = [];
    for (const c of cases) {
      if (c === null) continue;
      this.flatten(c).forEach((ft, i) => {
        if (i < flat.length) flat[i] = join(flat[i]!, ft);
        else flat.push(ft);
      });
    }
    return ['i32', ...flat];
  }

  /** definitions.py `flatten_variant`'s length: 1 + the longest case. */
  #countVariant(cases: readonly (Type | null)[]): number {
    let n = 0;
    for (const c of cases) if (c !== null) n = Math.max(n, this.count(c));
    return satAdd(1, n);
  }

  #countDef(kind: TypeDefKind): number {
    switch (kind.tag) {
      case 'type':
        return this.count(kind.type);
      case 'record':
        return this.countTypes(kind.fields.map((f) => f.type));
      case 'tuple':
        return this.countTypes(kind.types);
      case 'variant':
        return this.#countVariant(kind.cases.map((c) => c.type));
      case 'option':
        return this.#countVariant([null, kind.type]);
      case 'result':
        return this.#countVariant([kind.ok, kind.err]);
      case 'list':
      case 'map':
        return 2;
      case 'fixed-length-list':
        return satMul(kind.size, this.count(kind.type));
      case 'enum':
      case 'flags':
      case 'handle':
      case 'future':
      case 'stream':
      case 'resource':
        return 1;
      default:
        return assertNever(kind);
    }
  }

  #flattenDef(kind: TypeDefKind): readonly WasmType[] {
    switch (kind.tag) {
      case 'type':
        return this.flatten(kind.type);
      case 'record':
        return this.flattenTypes(kind.fields.map((f) => f.type));
      case 'tuple':
        return this.flattenTypes(kind.types);
      case 'variant':
        return this.flattenVariant(kind.cases.map((c) => c.type));
      case 'enum':
        return ['i32'];
      case 'option':
        return this.flattenVariant([null, kind.type]);
      case 'result':
        return this.flattenVariant([kind.ok, kind.err]);
      case 'flags':
        return ['i32'];
      case 'list':
      case 'map':
        return ['i32', 'i32'];
      case 'fixed-length-list': {
        // definitions.py flatten_list: flatten_type(t) * n (at most MAX_MATERIALIZED_FLAT values).
        if (kind.size === 0) return [];
        const one = this.flatten(kind.type);
        const out: WasmType[] = [];
        for (let i = 0; i < kind.size; i++) for (const w of one) out.push(w);
        return out;
      }
      case 'handle':
      case 'future':
      case 'stream':
      case 'resource':
        return ['i32'];
      default:
        return assertNever(kind);
    }
  }
}
