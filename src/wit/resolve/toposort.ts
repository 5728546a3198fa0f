/**
 * Deterministic topological sort used for interfaces/worlds of a package and for the named types
 * of an interface or world (wasm-tools `ast/toposort.rs`).
 *
 * The order is Kahn's algorithm where, among all nodes whose dependencies are already placed, the
 * one that comes first in the input (source) order is always taken next. That makes the result a
 * function of the graph and the source order only, which is what array indices in the reference
 * JSON depend on.
 */
import type { WitDiagnostic } from '../errors.js';
import type { Span } from '../source-map.js';

/** A reference from one node to another, with the span of the reference for diagnostics. */
export interface TopoEdge {
  readonly name: string;
  readonly span: Span;
}

/**
 * Sorts `deps` (node name → the nodes it depends on, in source order) so that every node comes
 * after its dependencies.
 *
 * Returns the sorted names, or a diagnostic: "`{kind}` `x` does not exist" for an edge to an
 * unknown node, "`{kind}` `x` depends on itself" for a cycle (pointing at the first edge, in
 * source order, that lies on an unresolved node).
 */
export function toposort(
  kind: string,
  deps: ReadonlyMap<string, readonly TopoEdge[]>,
): string[] | WitDiagnostic {
  const names = [...deps.keys()];
  const index = new Map<string, number>();
  names.forEach((n, i) => index.set(n, i));

  const remaining: number[] = new Array<number>(names.length).fill(0);
  const reverse: number[][] = names.map(() => []);
  for (let i = 0; i < names.length; i++) {
    const edges = deps.get(names[i]!)!;
    remaining[i] = edges.length;
    for (const edge of edges) {
      const j = index.get(edge.name);
      if (j === undefined) {
        return { kind: 'resolve', message: `${kind} \`${edge.name}\` does not exist`, span: edge.span };
      }
      reverse[j]!.push(i);
    }
  }

  const heap = new MinHeap();
  for (let i = 0; i < names.length; i++) if (remaining[i] === 0) heap.push(i);
  const order: string[] = [];
  for (let node = heap.pop(); node !== undefined; node = heap.pop()) {
    order.push(names[node]!);
    for (const r of reverse[node]!) {
      remaining[r]!--;
      if (remaining[r] === 0) heap.push(r);
    }
    reverse[node] = [];
  }
  if (order.length === names.length) return order;

  for (let i = 0; i < names.length; i++) {
    if (remaining[i] === 0) continue;
    for (const edge of deps.get(names[i]!)!) {
      const j = index.get(edge.name)!;
      if (remaining[j] === 0) continue;
      return { kind: 'resolve', message: `${kind} \`${edge.name}\` depends on itself`, span: edge.span };
    }
  }
  /* c8 ignore next */
  throw new Error('toposort: cycle detected but no cyclic edge found');
}

/** A binary min-heap of node indices (smallest index = earliest in source order). */
class MinHeap {
  readonly #items: number[] = [];

  push(value: number): void {
    const a = this.#items;
    a.push(value);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= a[i]!) break;
      [a[parent], a[i]] = [a[i]!, a[parent]!];
      i = parent;
    }
  }

  pop(): number | undefined {
    const a = this.#items;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]! < a[m]!) m = l;
        if (r < a.length && a[r]! < a[m]!) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}
