/**
 * Limits of the planner, and iterative walks over type definitions.
 *
 * WIT's parser bounds how deeply a type expression nests (100 levels), but named types get
 * around it: `type t1 = list<t0>; type t2 = list<t1>; …` nests as deep as the file is long, and
 * `list<T, N>` multiplies. So nothing here recurses along a chain of named types: per-type facts
 * (layout, flat count, depth, plan weight) are computed bottom-up by {@link postOrder}, an explicit
 * stack, and memoized; and the planner refuses (with a {@link PlanError}) a function whose types
 * are deeper than {@link MAX_TYPE_DEPTH} before it recurses over their structure (the planner's and
 * the emitters' recursions are then at most that deep).
 *
 * - {@link MAX_TYPE_DEPTH} = 100: structural nesting (aliases do not count). The same bound as
 *   the component decoder's `MAX_VALUE_TYPE_DEPTH` (src/host/component/types.ts) and WIT's
 *   nesting limit, so everything a component binary or a single WIT type expression can spell
 *   is accepted; real interfaces nest a handful of levels.
 * - {@link MAX_TYPE_WEIGHT} = 1,000,000: the number of plan nodes a type expands to (below), as
 *   wasmparser's `MAX_WASM_TYPE_SIZE` (1,000,000) bounds a component type's expanded size. It
 *   catches types that share named sub-types (a record of ten `t9`s, each a record of ten `t8`s…):
 *   small in the source, exponential once planned.
 * - {@link MAX_MEMORY_SIZE} = 2^32 − 1: a value stored in a 32-bit memory must fit it
 *   (definitions.py sizes are unbounded; `list<u8, 4294967295>` fits, `tuple<u8, list<u8,
 *   4294967295>>` does not).
 * - {@link FIXED_LIST_UNROLL} = 16: a `list<T, N>` in memory is stored/loaded element by element
 *   (unrolled, as before) up to 16 elements, and by a loop above. In flat position (params and
 *   results in registers) N × flat(T) ≤ MAX_FLAT_PARAMS = 16, so it is always unrolled.
 */
import type { Resolve, Type, TypeDefKind, TypeId } from '../wit/model.js';

export const MAX_TYPE_DEPTH = 100;
export const MAX_TYPE_WEIGHT = 1_000_000;
export const MAX_MEMORY_SIZE = 0xffff_ffff;
export const FIXED_LIST_UNROLL = 16;

/** Saturating arithmetic for counts that can exceed 2^53 (`list<list<u8, 4294967295>, 4294967295>`). */
export const SATURATED = Number.MAX_SAFE_INTEGER;
export function satAdd(a: number, b: number): number {
  return Math.min(SATURATED, a + b);
}
export function satMul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : Math.min(SATURATED, a * b);
}

/** The types a definition is made of (aliases: their target), for walks. */
export function typeChildren(kind: TypeDefKind): readonly Type[] {
  switch (kind.tag) {
    case 'type':
    case 'option':
    case 'list':
    case 'fixed-length-list':
      return [kind.type];
    case 'record':
      return kind.fields.map((f) => f.type);
    case 'tuple':
      return kind.types;
    case 'variant':
      return kind.cases.flatMap((c) => (c.type === null ? [] : [c.type]));
    case 'result':
      return [kind.ok, kind.err].filter((t): t is Type => t !== null);
    case 'map':
      return [kind.key, kind.value];
    default:
      // enum, flags, handle (its resource has no layout of interest), resource, future, stream
      return [];
  }
}

/**
 * Calls `visit(id)` for `root` and every definition under it not yet `known`, children first,
 * each at most once; iterative, so the depth of the type does not matter. `visit` must make its
 * id known. Types are acyclic (the resolver rejects cycles).
 */
export function postOrder(resolve: Resolve, root: Type, known: (id: TypeId) => boolean, visit: (id: TypeId) => void): void {
  if (typeof root === 'string' || known(root)) return;
  const stack: { id: TypeId; expanded: boolean }[] = [{ id: root, expanded: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (known(top.id)) {
      stack.pop();
      continue;
    }
    if (!top.expanded) {
      top.expanded = true;
      for (const c of typeChildren(resolve.types[top.id]!.kind)) {
        if (typeof c !== 'string' && !known(c)) stack.push({ id: c, expanded: false });
      }
      continue;
    }
    stack.pop();
    visit(top.id);
  }
}

/** A short description of a type for messages (`list<u8, 4294967295>`, `record \`r\``), bounded. */
export function describeType(resolve: Resolve, t: Type, depth = 0): string {
  if (typeof t === 'string') return t;
  const def = resolve.types[t]!;
  if (def.name !== null) return `\`${def.name}\``;
  if (depth > 2) return '…';
  const kind = def.kind;
  const d = (x: Type | null) => (x === null ? '_' : describeType(resolve, x, depth + 1));
  switch (kind.tag) {
    case 'type':
      return d(kind.type);
    case 'list':
      return `list<${d(kind.type)}>`;
    case 'fixed-length-list':
      return `list<${d(kind.type)}, ${kind.size}>`;
    case 'option':
      return `option<${d(kind.type)}>`;
    case 'result':
      return `result<${d(kind.ok)}, ${d(kind.err)}>`;
    case 'tuple':
      return `tuple<${kind.types.map(d).join(', ')}>`;
    case 'map':
      return `map<${d(kind.key)}, ${d(kind.value)}>`;
    default:
      return kind.tag;
  }
}

/**
 * Depth and plan weight of types, memoized and computed iteratively.
 *
 * - depth: primitives 0, aliases the depth of their target, anything else 1 + its deepest part.
 * - weight: how many plan nodes lowering or lifting the type takes, roughly: 1 per node, a list's
 *   element once (a loop), a fixed-length list's element N times when unrolled
 *   (N ≤ {@link FIXED_LIST_UNROLL}) and once otherwise (a loop).
 */
export class TypeMeasures {
  readonly #resolve: Resolve;
  readonly #depth = new Map<TypeId, number>();
  readonly #weight = new Map<TypeId, number>();

  constructor(resolve: Resolve) {
    this.#resolve = resolve;
  }

  depth(t: Type): number {
    if (typeof t === 'string') return 0;
    postOrder(
      this.#resolve,
      t,
      (id) => this.#depth.has(id),
      (id) => {
        const kind = this.#resolve.types[id]!.kind;
        let d = 0;
        for (const c of typeChildren(kind)) d = Math.max(d, typeof c === 'string' ? 0 : this.#depth.get(c)!);
        this.#depth.set(id, kind.tag === 'type' ? d : d + 1);
      },
    );
    return this.#depth.get(t)!;
  }

  weight(t: Type): number {
    if (typeof t === 'string') return 1;
    postOrder(
      this.#resolve,
      t,
      (id) => this.#weight.has(id),
      (id) => {
        const kind = this.#resolve.types[id]!.kind;
        const w = (c: Type) => (typeof c === 'string' ? 1 : this.#weight.get(c)!);
        let r: number;
        if (kind.tag === 'type') r = w(kind.type);
        else if (kind.tag === 'fixed-length-list') r = satAdd(1, satMul(kind.size <= FIXED_LIST_UNROLL ? kind.size : 1, w(kind.type)));
        else r = typeChildren(kind).reduce((acc, c) => satAdd(acc, w(c)), 1);
        this.#weight.set(id, r);
      },
    );
    return this.#weight.get(t)!;
  }
}
