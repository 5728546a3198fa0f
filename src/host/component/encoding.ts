/**
 * The string encoding of the functions a component's root exports, found through its instance
 * graph: in a composition, the lifts the root exports are usually an inner component's, and the
 * bindings drive those (the runtime linker checks them against the bindings' encoding).
 *
 * A static walk of the component-level index spaces that matter for it — functions, instances,
 * components — in definition order (Binary.md), instantiating nested components symbolically.
 *
 * @module
 */
import type { Component, SortIndex } from './model.js';
import type { StringEncoding } from '../../abi/instructions.js';

/** A component-level function: a lift (with its encoding option, null when absent), or anything else. */
type Fn = { readonly lift: StringEncoding | null } | null;
type Inst = ReadonlyMap<string, Item> | null;
interface Comp {
  readonly component: Component;
  readonly outer: Scope;
}
type Item =
  | { readonly sort: 'func'; readonly v: Fn }
  | { readonly sort: 'instance'; readonly v: Inst }
  | { readonly sort: 'component'; readonly v: Comp | null }
  | { readonly sort: 'other' };

interface Scope {
  readonly parent: Scope | null;
  readonly funcs: Fn[];
  readonly instances: Inst[];
  readonly components: (Comp | null)[];
}

const fullName = (n: { name: string; versionSuffix: string | null }) => (n.versionSuffix === null ? n.name : n.name + n.versionSuffix);

/** Nesting limit of the symbolic instantiation (a malformed component could recurse). */
const MAX_DEPTH = 100;

/**
 * The first string encoding named by a lift that `component` exports (directly or in an exported
 * instance), or null when none names one (or the graph cannot be followed).
 */
export function exportedLiftEncoding(component: Component): StringEncoding | null {
  try {
    const scope = walk(component, null, () => ({ sort: 'other' }), 0);
    for (const e of component.exports) {
      const enc = encodingOf(item(scope, e.item));
      if (enc !== null) return enc;
    }
  } catch {
    // Malformed or unusual graphs: the caller falls back to its default.
  }
  return null;
}

function encodingOf(it: Item): StringEncoding | null {
  if (it.sort === 'func') return it.v?.lift ?? null;
  if (it.sort === 'instance' && it.v !== null) {
    for (const x of it.v.values()) {
      if (x.sort === 'func' && x.v?.lift) return x.v.lift;
    }
  }
  return null;
}

function item(scope: Scope, s: SortIndex): Item {
  switch (s.sort) {
    case 'func':
      return { sort: 'func', v: scope.funcs[s.index] ?? null };
    case 'instance':
      return { sort: 'instance', v: scope.instances[s.index] ?? null };
    case 'component':
      return { sort: 'component', v: scope.components[s.index] ?? null };
    default:
      return { sort: 'other' };
  }
}

function push(scope: Scope, it: Item, sort: string): void {
  if (sort === 'func') scope.funcs.push(it.sort === 'func' ? it.v : null);
  else if (sort === 'instance') scope.instances.push(it.sort === 'instance' ? it.v : null);
  else if (sort === 'component') scope.components.push(it.sort === 'component' ? it.v : null);
}

function walk(c: Component, outer: Scope | null, importOf: (name: string) => Item, depth: number): Scope {
  if (depth > MAX_DEPTH) throw new Error('nesting too deep');
  const scope: Scope = { parent: outer, funcs: [], instances: [], components: [] };
  for (const d of c.definitions) {
    switch (d.kind) {
      case 'component':
        scope.components.push({ component: d.component, outer: scope });
        break;
      case 'canon':
        if (d.canon.op === 'lift') scope.funcs.push({ lift: d.canon.options.stringEncoding });
        break;
      case 'import':
        push(scope, importOf(fullName(d.import.name)), d.import.desc.sort);
        break;
      case 'export':
        push(scope, item(scope, d.export.item), d.export.item.sort);
        break;
      case 'instance': {
        const inst = d.instance;
        if (inst.kind === 'exports') {
          scope.instances.push(new Map(inst.exports.map((x) => [fullName(x.name), item(scope, x.item)])));
        } else {
          const cv = scope.components[inst.component];
          if (cv === undefined || cv === null) {
            scope.instances.push(null);
            break;
          }
          const args = new Map(inst.args.map((a) => [a.name, item(scope, a.item)]));
          const inner = walk(cv.component, cv.outer, (name) => args.get(name) ?? { sort: 'other' }, depth + 1);
          scope.instances.push(new Map(cv.component.exports.map((e) => [fullName(e.name), item(inner, e.item)])));
        }
        break;
      }
      case 'alias': {
        const { sort, target } = d.alias;
        if (target.kind === 'export') {
          const inst = scope.instances[target.instance];
          push(scope, inst?.get(target.name) ?? { sort: 'other' }, sort);
        } else if (target.kind === 'outer' && sort === 'component') {
          let s: Scope | null = scope;
          for (let i = 0; i < target.count && s !== null; i++) s = s.parent;
          scope.components.push(s?.components[target.index] ?? null);
        }
        break;
      }
      default:
        break;
    }
  }
  return scope;
}
