/**
 * Memory layout of WIT types in a 32-bit linear memory, named after `definitions.py`
 * (§ Alignment, § Element Size). Results are memoized per resolved type id.
 */
import { assertNever } from '../util.js';
import type { Resolve, Type, TypeDefKind, TypeId } from '../wit/model.js';
import { PlanError } from './errors.js';
import { describeType, MAX_MEMORY_SIZE, postOrder } from './limits.js';

/** Size and alignment of a type: `elem_size` and `alignment` in definitions.py. */
export interface Layout {
  readonly size: number;
  readonly align: number;
}

/** The memory type of a discriminant: definitions.py `discriminant_type`. */
export type DiscriminantType = 'u8' | 'u16' | 'u32';

/** definitions.py `align_to`. */
export function alignTo(ptr: number, align: number): number {
  return Math.ceil(ptr / align) * align;
}

/** definitions.py `discriminant_type`: u8 up to 256 cases, u16 up to 65536, else u32. */
export function discriminantType(numCases: number): DiscriminantType {
  if (numCases <= 0x100) return 'u8';
  if (numCases <= 0x10000) return 'u16';
  return 'u32';
}

export function discriminantSize(d: DiscriminantType): number {
  return d === 'u8' ? 1 : d === 'u16' ? 2 : 4;
}

/** Flags take 1, 2 or 4 bytes (definitions.py `elem_size_flags`); the planner refuses more than 32. */
export function flagsSize(numFlags: number): number {
  if (numFlags <= 8) return 1;
  if (numFlags <= 16) return 2;
  return 4;
}

/** The pointer size of a 32-bit memory: strings and lists are (ptr, len) pairs of this width. */
export const PTR_SIZE = 4;

/**
 * Computes and caches layouts of the types of one {@link Resolve}.
 */
export class SizeAlign {
  readonly #resolve: Resolve;
  readonly #cache = new Map<TypeId, Layout>();

  constructor(resolve: Resolve) {
    this.#resolve = resolve;
  }

  layout(t: Type): Layout {
    if (typeof t === 'string') {
      switch (t) {
        case 'bool':
        case 'u8':
        case 's8':
          return { size: 1, align: 1 };
        case 'u16':
        case 's16':
          return { size: 2, align: 2 };
        case 'u32':
        case 's32':
        case 'f32':
        case 'char':
        case 'error-context':
          return { size: 4, align: 4 };
        case 'u64':
        case 's64':
        case 'f64':
          return { size: 8, align: 8 };
        case 'string':
          return { size: 2 * PTR_SIZE, align: PTR_SIZE };
        default:
          return assertNever(t);
      }
    }
    const cached = this.#cache.get(t);
    if (cached) return cached;
    // Bottom-up over the definitions under `t` (an explicit stack: alias chains and nested named
    // types can be thousands deep), so #kindLayout only meets cached parts.
    postOrder(
      this.#resolve,
      t,
      (id) => this.#cache.has(id),
      (id) => {
        const l = this.#kindLayout(this.#resolve.types[id]!.kind);
        if (l.size > MAX_MEMORY_SIZE) {
          throw new PlanError(
            `${describeType(this.#resolve, id)} takes ${l.size} bytes, more than a 32-bit memory holds (at most ${MAX_MEMORY_SIZE})`,
          );
        }
        this.#cache.set(id, l);
      },
    );
    return this.#cache.get(t)!;
  }

  size(t: Type): number {
    return this.layout(t).size;
  }

  align(t: Type): number {
    return this.layout(t).align;
  }

  /** Offsets of a record's (or tuple's) fields, definitions.py `store_record`. */
  fieldOffsets(types: readonly Type[]): number[] {
    const offsets: number[] = [];
    let s = 0;
    for (const t of types) {
      const l = this.layout(t);
      s = alignTo(s, l.align);
      offsets.push(s);
      s += l.size;
    }
    return offsets;
  }

  /** Layout of a record/tuple made of `types`. */
  recordLayout(types: readonly Type[]): Layout {
    let s = 0;
    let a = 1;
    for (const t of types) {
      const l = this.layout(t);
      s = alignTo(s, l.align);
      s += l.size;
      a = Math.max(a, l.align);
    }
    return { size: alignTo(s, a), align: a };
  }

  /** Max alignment of the payloads of a variant's cases (definitions.py `max_case_alignment`). */
  maxCaseAlign(cases: readonly (Type | null)[]): number {
    let a = 1;
    for (const c of cases) if (c !== null) a = Math.max(a, this.align(c));
    return a;
  }

  /** Offset of a variant's payload from its start. */
  payloadOffset(cases: readonly (Type | null)[]): number {
    return alignTo(discriminantSize(discriminantType(cases.length)), this.maxCaseAlign(cases));
  }

  variantLayout(cases: readonly (Type | null)[]): Layout {
    const disc = discriminantSize(discriminantType(cases.length));
    const caseAlign = this.maxCaseAlign(cases);
    let s = alignTo(disc, caseAlign);
    let cs = 0;
    for (const c of cases) if (c !== null) cs = Math.max(cs, this.size(c));
    s += cs;
    const a = Math.max(disc, caseAlign);
    return { size: alignTo(s, a), align: a };
  }

  #kindLayout(kind: TypeDefKind): Layout {
    switch (kind.tag) {
      case 'type':
        return this.layout(kind.type);
      case 'record':
        return this.recordLayout(kind.fields.map((f) => f.type));
      case 'tuple':
        return this.recordLayout(kind.types);
      case 'variant':
        return this.variantLayout(kind.cases.map((c) => c.type));
      case 'enum':
        return this.variantLayout(kind.cases.map(() => null));
      case 'option':
        return this.variantLayout([null, kind.type]);
      case 'result':
        return this.variantLayout([kind.ok, kind.err]);
      case 'flags': {
        const n = flagsSize(kind.flags.length);
        return { size: n, align: n };
      }
      case 'list':
      case 'map':
        return { size: 2 * PTR_SIZE, align: PTR_SIZE };
      case 'fixed-length-list': {
        const l = this.layout(kind.type);
        return { size: kind.size * l.size, align: l.align };
      }
      case 'handle':
      case 'future':
      case 'stream':
      case 'resource':
        return { size: 4, align: 4 };
      default:
        return assertNever(kind);
    }
  }
}
