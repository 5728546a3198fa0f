/**
 * Flattening of WIT types into core wasm value types (definitions.py § Flattening).
 */
import { assertNever } from '../util.js';
import type { Resolve, Type, TypeId } from '../wit/model.js';

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

/** Flattens types for one {@link Resolve}, caching named definitions. */
export class Flattener {
  readonly #resolve: Resolve;
  readonly #cache = new Map<TypeId, readonly WasmType[]>();

  constructor(resolve: Resolve) {
    this.#resolve = resolve;
  }

  /** definitions.py `flatten_types`. */
  flattenTypes(types: readonly Type[]): WasmType[] {
    const out: WasmType[] = [];
    for (const t of types) out.push(...this.flatten(t));
    return out;
  }

  /** definitions.py `flatten_type`. */
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
    const cached = this.#cache.get(t);
    if (cached) return cached;
    const flat = this.#flattenDef(t);
    this.#cache.set(t, flat);
    return flat;
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

  #flattenDef(id: TypeId): readonly WasmType[] {
    const kind = this.#resolve.types[id]!.kind;
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
        const one = this.flatten(kind.type);
        const out: WasmType[] = [];
        for (let i = 0; i < kind.size; i++) out.push(...one);
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
