/**
 * The types of a decoded component: every type definition, alias, import and export resolved to
 * a node in one arena, with the identities the component model gives them (the semantics
 * wasmparser's validator implements):
 *
 * - each type definition is a new node; an outer alias or an export alias reuses the node it
 *   names;
 * - an `(eq i)` bound (import, export declarator, component export) creates an **alias** node of
 *   `i`: a distinct id that {@link ComponentTypes.peel} follows back to `i`;
 * - `(sub resource)` and `resource` definitions create fresh **resource** nodes;
 * - importing an instance gives its abstract resources fresh identities, and instantiating a
 *   component substitutes its imports by the arguments and freshens what it defines.
 *
 * `to-wit.ts` reads imports and exports from here (their aliases recover WIT `use`), and
 * instantiation can ask the type of any component-level func, type, instance or component
 * index through {@link ComponentTypes.typingOf}.
 */
import type {
  Component,
  ComponentDecl,
  DefType,
  DefinedType,
  ExternDesc,
  InstanceDecl,
  SortIndex,
  ValType,
} from './model.js';
import { ComponentDecodeError } from './reader.js';
import { subst, type TypeArena } from './subst.js';
import type {
  ComponentTyping,
  EntityType,
  Extern,
  TypeId,
  TypeNode,
  TypeScope,
} from './type-nodes.js';

export type * from './type-nodes.js';

function newScope(parent: TypeScope | null): TypeScope {
  return {
    parent,
    types: [],
    funcs: [],
    instances: [],
    components: [],
    values: [],
    definedResources: [],
  };
}

/** How deeply value types may nest (`list<list<…>>`). */
export const MAX_VALUE_TYPE_DEPTH = 100;

/**
 * Computes the types of `component` (and of every component nested in it).
 *
 * @throws {ComponentDecodeError} for ill-typed input (unknown index, wrong sort, …).
 */
export function typeComponent(component: Component): ComponentTypes {
  const types = new ComponentTypes();
  try {
    types.root = types.typeComponentIn(component, null);
  } catch (e) {
    // A pathological input (say, a very long chain of nested instance types) can exhaust the
    // stack: report it like any other problem, at the definition being typed.
    if (e instanceof RangeError) {
      throw new ComponentDecodeError(types.at, 'types nested less deeply', e.message);
    }
    throw e;
  }
  return types;
}

export class ComponentTypes implements TypeArena {
  readonly nodes: TypeNode[] = [];
  /** The typing of the component passed to {@link typeComponent}. */
  root!: ComponentTyping;
  /** Offset of the definition being typed (for errors). */
  at = 0;
  /** Nesting depth of each defined value type. */
  private readonly depths = new Map<TypeId, number>();
  private readonly typings = new Map<Component, ComponentTyping>();

  node(id: TypeId): TypeNode {
    return this.nodes[id]!;
  }

  /** Follows alias nodes to the definition. */
  peel(id: TypeId): TypeId {
    let n = this.nodes[id]!;
    while (n.kind === 'alias') {
      id = n.of;
      n = this.nodes[id]!;
    }
    return id;
  }

  /** The node `id` stands for, aliases followed. */
  resolved(id: TypeId): Exclude<TypeNode, { kind: 'alias' }> {
    return this.nodes[this.peel(id)] as Exclude<TypeNode, { kind: 'alias' }>;
  }

  /** The typing of a component (the root or any component nested in it). */
  typingOf(component: Component): ComponentTyping | undefined {
    return this.typings.get(component);
  }

  /** @internal */
  addNode(node: TypeNode): TypeId {
    this.nodes.push(node);
    return (this.nodes.length - 1) as TypeId;
  }

  alias(of: TypeId): TypeId {
    return this.addNode({ kind: 'alias', of });
  }

  private depth(t: ValType<TypeId> | null): number {
    return typeof t === 'number' ? (this.depths.get(this.peel(t)) ?? 0) : 0;
  }

  /** @internal */
  addDefined(type: DefinedType<TypeId>, at: number): TypeId {
    let d = 0;
    const see = (t: ValType<TypeId> | null): void => {
      d = Math.max(d, this.depth(t));
    };
    switch (type.kind) {
      case 'record':
        type.fields.forEach((f) => see(f.type));
        break;
      case 'variant':
        type.cases.forEach((c) => see(c.type));
        break;
      case 'tuple':
        type.types.forEach(see);
        break;
      case 'list':
        see(type.element);
        break;
      case 'option':
        see(type.type);
        break;
      case 'result':
        see(type.ok);
        see(type.err);
        break;
      case 'stream':
      case 'future':
        see(type.element);
        break;
      case 'map':
        see(type.key);
        see(type.value);
        break;
      default:
        break;
    }
    if (d + 1 > MAX_VALUE_TYPE_DEPTH) {
      this.fail(at, `value types nested at most ${MAX_VALUE_TYPE_DEPTH} deep`);
    }
    const id = this.addNode({ kind: 'defined', type });
    this.depths.set(id, d + 1);
    return id;
  }

  // -------------------------------------------------------------------------------------------
  // Components
  // -------------------------------------------------------------------------------------------

  /** @internal */
  typeComponentIn(component: Component, parent: TypeScope | null): ComponentTyping {
    const scope = newScope(parent);
    const externs: Extern[] = [];
    const imports = new Map<string, EntityType>();
    const exports = new Map<string, EntityType>();
    component.definitions.forEach((def, i) => {
      const at = def.offset;
      this.at = at;
      switch (def.kind) {
        case 'core-module':
        case 'core-instance':
        case 'core-type':
          return;
        case 'component':
          scope.components.push(this.typeComponentIn(def.component, scope).type);
          return;
        case 'instance': {
          const inst = def.instance;
          if (inst.kind === 'instantiate') {
            const args = new Map(
              inst.args.map((a) => [a.name, this.itemEntity(scope, a.item, at)]),
            );
            scope.instances.push(
              this.instantiate(
                this.get(scope.components, inst.component, at, 'component'),
                args,
                at,
              ),
            );
          } else {
            const ex = new Map<string, EntityType>();
            for (const e of inst.exports)
              ex.set(e.name.name, this.exportedEntity(scope, e.item, null, at));
            scope.instances.push(this.addNode({ kind: 'instance', exports: ex }));
          }
          return;
        }
        case 'alias':
          this.alias_(scope, def.alias.sort, def.alias.target, at);
          return;
        case 'type':
          scope.types.push(this.defineType(scope, def.type, at, { component, definition: i }));
          return;
        case 'canon':
          if (def.canon.op === 'lift') {
            const ft = this.get(scope.types, def.canon.type, at, 'type');
            if (this.resolved(ft).kind !== 'func')
              this.fail(at, 'a func type for canon lift', `type ${def.canon.type}`);
            scope.funcs.push(ft);
          }
          return;
        case 'start': {
          const ft = this.resolved(this.get(scope.funcs, def.start.func, at, 'func'));
          if (ft.kind === 'func' && ft.result !== null && def.start.results === 1)
            scope.values.push(ft.result);
          else for (let k = 0; k < def.start.results; k++) scope.values.push('bool');
          return;
        }
        case 'value':
          scope.values.push(this.valType(scope, def.value.type, at));
          return;
        case 'import': {
          const entity = this.importEntity(scope, def.import.desc, at);
          this.push(scope, entity);
          imports.set(def.import.name.name, entity);
          externs.push({ kind: 'import', name: def.import.name.name, entity, definition: i });
          return;
        }
        case 'export': {
          const entity = this.exportedEntity(scope, def.export.item, def.export.desc, at);
          this.push(scope, entity);
          exports.set(def.export.name.name, entity);
          externs.push({ kind: 'export', name: def.export.name.name, entity, definition: i });
          return;
        }
      }
    });
    const type = this.addNode({
      kind: 'component',
      imports,
      exports,
      definedResources: scope.definedResources,
    });
    const typing: ComponentTyping = { component, scope, externs, type };
    this.typings.set(component, typing);
    return typing;
  }

  /** Adds the index an import/export/declarator introduces to its space. */
  private push(scope: TypeScope, e: EntityType): void {
    switch (e.sort) {
      case 'func':
        scope.funcs.push(e.type);
        return;
      case 'type':
        scope.types.push(e.created);
        return;
      case 'instance':
        scope.instances.push(e.type);
        return;
      case 'component':
        scope.components.push(e.type);
        return;
      case 'value':
        scope.values.push(e.type);
        return;
      case 'core-module':
        return;
    }
  }

  private fail(at: number, expected: string, detail?: string): never {
    throw new ComponentDecodeError(at, expected, detail);
  }

  private get<T>(space: readonly T[], index: number, at: number, what: string): T {
    const v = space[index];
    if (v === undefined) this.fail(at, `a ${what} index below ${space.length}`, `found ${index}`);
    return v;
  }

  /** The entity a `sortidx` in this scope denotes (instantiation arguments). */
  private itemEntity(scope: TypeScope, item: SortIndex, at: number): EntityType {
    switch (item.sort) {
      case 'func':
        return { sort: 'func', type: this.get(scope.funcs, item.index, at, 'func') };
      case 'type': {
        const t = this.get(scope.types, item.index, at, 'type');
        return { sort: 'type', referenced: t, created: t };
      }
      case 'instance':
        return { sort: 'instance', type: this.get(scope.instances, item.index, at, 'instance') };
      case 'component':
        return { sort: 'component', type: this.get(scope.components, item.index, at, 'component') };
      case 'value':
        return { sort: 'value', type: this.get(scope.values, item.index, at, 'value') };
      default:
        return { sort: 'core-module' };
    }
  }

  /** The entity an `export` (or inline instance export) introduces; `desc` is the ascription. */
  private exportedEntity(
    scope: TypeScope,
    item: SortIndex,
    desc: ExternDesc | null,
    at: number,
  ): EntityType {
    switch (item.sort) {
      case 'func': {
        const type =
          desc?.sort === 'func'
            ? this.get(scope.types, desc.type, at, 'type')
            : this.get(scope.funcs, item.index, at, 'func');
        return { sort: 'func', type };
      }
      case 'type': {
        const referenced =
          desc?.sort === 'type' && desc.bound.kind === 'eq'
            ? this.get(scope.types, desc.bound.type, at, 'type')
            : this.get(scope.types, item.index, at, 'type');
        return { sort: 'type', referenced, created: this.alias(referenced) };
      }
      default:
        return this.itemEntity(scope, item, at);
    }
  }

  private alias_(
    scope: TypeScope,
    sort: SortIndex['sort'],
    target: import('./model.js').AliasTarget,
    at: number,
  ): void {
    switch (target.kind) {
      case 'core-export':
        return;
      case 'export': {
        const inst = this.resolved(this.get(scope.instances, target.instance, at, 'instance'));
        if (inst.kind !== 'instance') return this.fail(at, 'an instance type');
        const e = inst.exports.get(target.name);
        if (!e)
          return this.fail(at, `an export named \`${target.name}\` of instance ${target.instance}`);
        if (!sortMatches(sort, e))
          return this.fail(at, `a ${sort} export`, `\`${target.name}\` is a ${e.sort}`);
        return this.push(scope, e);
      }
      case 'outer': {
        let s: TypeScope | null = scope;
        for (let i = 0; i < target.count && s; i++) s = s.parent;
        if (!s)
          return this.fail(
            at,
            'an outer count within the enclosing scopes',
            `found ${target.count}`,
          );
        switch (sort) {
          case 'type':
            scope.types.push(this.get(s.types, target.index, at, 'outer type'));
            return;
          case 'component':
            scope.components.push(this.get(s.components, target.index, at, 'outer component'));
            return;
          case 'instance':
            scope.instances.push(this.get(s.instances, target.index, at, 'outer instance'));
            return;
          case 'func':
            scope.funcs.push(this.get(s.funcs, target.index, at, 'outer func'));
            return;
          case 'value':
            scope.values.push(this.get(s.values, target.index, at, 'outer value'));
            return;
          default:
            return;
        }
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Type definitions and declarators
  // -------------------------------------------------------------------------------------------

  private valType(scope: TypeScope, t: ValType, at: number): ValType<TypeId> {
    return typeof t === 'number' ? this.get(scope.types, t, at, 'type') : t;
  }

  private defineType(
    scope: TypeScope,
    t: DefType,
    at: number,
    site: { component: Component; definition: number } | null,
  ): TypeId {
    switch (t.kind) {
      case 'defined':
        return this.addDefined(this.defined(scope, t.type, at), at);
      case 'func':
        return this.addNode({
          kind: 'func',
          async: t.async,
          params: t.params.map((p) => ({ name: p.name, type: this.valType(scope, p.type, at) })),
          result: t.result === null ? null : this.valType(scope, t.result, at),
        });
      case 'resource': {
        if (!site)
          return this.fail(
            at,
            'a resource type only in a component',
            'found one in a type declarator',
          );
        const id = this.addNode({ kind: 'resource', origin: { kind: 'defined', ...site } });
        scope.definedResources.push(id);
        return id;
      }
      case 'instance': {
        const inner = newScope(scope);
        const exports = new Map<string, EntityType>();
        for (const d of t.decls) this.declarator(inner, d, null, exports);
        return this.addNode({ kind: 'instance', exports });
      }
      case 'component': {
        const inner = newScope(scope);
        const imports = new Map<string, EntityType>();
        const exports = new Map<string, EntityType>();
        for (const d of t.decls) this.declarator(inner, d, imports, exports);
        return this.addNode({ kind: 'component', imports, exports, definedResources: [] });
      }
    }
  }

  private defined(scope: TypeScope, t: DefinedType, at: number): DefinedType<TypeId> {
    const v = (x: ValType): ValType<TypeId> => this.valType(scope, x, at);
    const o = (x: ValType | null): ValType<TypeId> | null => (x === null ? null : v(x));
    switch (t.kind) {
      case 'primitive':
      case 'flags':
      case 'enum':
        return t;
      case 'record':
        return { kind: 'record', fields: t.fields.map((f) => ({ name: f.name, type: v(f.type) })) };
      case 'variant':
        return {
          kind: 'variant',
          cases: t.cases.map((c) => ({ name: c.name, type: o(c.type), refines: c.refines })),
        };
      case 'list':
        return { kind: 'list', element: v(t.element), length: t.length };
      case 'tuple':
        return { kind: 'tuple', types: t.types.map(v) };
      case 'option':
        return { kind: 'option', type: v(t.type) };
      case 'result':
        return { kind: 'result', ok: o(t.ok), err: o(t.err) };
      case 'own':
      case 'borrow': {
        const r = this.get(scope.types, t.resource, at, 'type');
        if (this.resolved(r).kind !== 'resource')
          this.fail(at, `a resource type for ${t.kind}`, `type ${t.resource}`);
        return { kind: t.kind, resource: r };
      }
      case 'stream':
      case 'future':
        return { kind: t.kind, element: o(t.element) };
      case 'map':
        return { kind: 'map', key: v(t.key), value: v(t.value) };
    }
  }

  private declarator(
    scope: TypeScope,
    d: ComponentDecl | InstanceDecl,
    imports: Map<string, EntityType> | null,
    exports: Map<string, EntityType>,
  ): void {
    switch (d.kind) {
      case 'core-type':
        return;
      case 'type':
        scope.types.push(this.defineType(scope, d.type, d.offset, null));
        return;
      case 'alias':
        return this.alias_(scope, d.alias.sort, d.alias.target, d.offset);
      case 'export':
      case 'import': {
        const entity = this.declEntity(scope, d.desc, d.offset);
        this.push(scope, entity);
        (d.kind === 'import' ? imports! : exports).set(d.name.name, entity);
        return;
      }
    }
  }

  /** The entity of an import/export declarator (no freshening: that happens on use). */
  private declEntity(scope: TypeScope, desc: ExternDesc, at: number): EntityType {
    switch (desc.sort) {
      case 'func':
        return { sort: 'func', type: this.get(scope.types, desc.type, at, 'type') };
      case 'type':
        if (desc.bound.kind === 'sub-resource') {
          const r = this.addNode({ kind: 'resource', origin: { kind: 'abstract' } });
          return { sort: 'type', referenced: r, created: r };
        } else {
          const referenced = this.get(scope.types, desc.bound.type, at, 'type');
          return { sort: 'type', referenced, created: this.alias(referenced) };
        }
      case 'instance':
        return { sort: 'instance', type: this.get(scope.types, desc.type, at, 'type') };
      case 'component':
        return { sort: 'component', type: this.get(scope.types, desc.type, at, 'type') };
      case 'value':
        return {
          sort: 'value',
          type:
            desc.bound.kind === 'type'
              ? this.valType(scope, desc.bound.type, at)
              : this.get(scope.values, desc.bound.value, at, 'value'),
        };
      case 'core-module':
        return { sort: 'core-module' };
    }
  }

  /** A component-level import: instance types get fresh resources and type identities. */
  private importEntity(scope: TypeScope, desc: ExternDesc, at: number): EntityType {
    const e = this.declEntity(scope, desc, at);
    if (e.sort !== 'instance') return e;
    if (this.resolved(e.type).kind !== 'instance')
      this.fail(at, 'an instance type', `type ${desc.sort === 'instance' ? desc.type : '?'}`);
    return { sort: 'instance', type: this.freshInstance(e.type, new Map()) };
  }

  // -------------------------------------------------------------------------------------------
  // Substitution
  // -------------------------------------------------------------------------------------------

  /**
   * A copy of instance type `id` whose exported abstract resources are fresh and whose exported
   * types have fresh `created` ids; `map` collects old → new so later exports follow.
   */
  private freshInstance(id: TypeId, map: Map<TypeId, TypeId>): TypeId {
    const node = this.resolved(id);
    if (node.kind !== 'instance') return id;
    const exports = new Map<string, EntityType>();
    const memo = new Map<TypeId, TypeId>();
    for (const [name, e] of node.exports) exports.set(name, this.freshEntity(e, map, memo));
    return this.addNode({ kind: 'instance', exports });
  }

  private freshEntity(
    e: EntityType,
    map: Map<TypeId, TypeId>,
    memo: Map<TypeId, TypeId>,
  ): EntityType {
    switch (e.sort) {
      case 'type': {
        if (
          e.referenced === e.created &&
          this.nodes[e.created]!.kind === 'resource' &&
          !map.has(e.created)
        ) {
          const r = this.addNode({ kind: 'resource', origin: { kind: 'fresh', from: e.created } });
          map.set(e.created, r);
          return { sort: 'type', referenced: r, created: r };
        }
        const referenced = subst(this, e.referenced, map, memo);
        const created = this.alias(referenced);
        map.set(e.created, created);
        return { sort: 'type', referenced, created };
      }
      case 'func':
      case 'component':
        return { sort: e.sort, type: subst(this, e.type, map, memo) };
      case 'instance':
        return { sort: 'instance', type: this.freshInstance(subst(this, e.type, map, memo), map) };
      case 'value':
        return {
          sort: 'value',
          type: typeof e.type === 'number' ? subst(this, e.type, map, memo) : e.type,
        };
      case 'core-module':
        return e;
    }
  }

  /**
   * The instance type of instantiating component type `cid` with `args` (by import name): each
   * import's type is replaced by its argument's, and what the component defines or exports is
   * fresh for this instance.
   */
  private instantiate(cid: TypeId, args: ReadonlyMap<string, EntityType>, at: number): TypeId {
    const c = this.resolved(cid);
    if (c.kind !== 'component') return this.fail(at, 'a component to instantiate');
    const map = new Map<TypeId, TypeId>();
    for (const [name, imp] of c.imports) {
      const arg = args.get(name);
      if (!arg) {
        if (imp.sort === 'core-module') continue;
        return this.fail(at, `an instantiation argument named \`${name}\``);
      }
      this.bind(imp, arg, map);
    }
    for (const r of c.definedResources) {
      map.set(r, this.addNode({ kind: 'resource', origin: { kind: 'fresh', from: r } }));
    }
    const memo = new Map<TypeId, TypeId>();
    const exports = new Map<string, EntityType>();
    for (const [name, e] of c.exports) exports.set(name, this.freshEntity(e, map, memo));
    return this.addNode({ kind: 'instance', exports });
  }

  /** Records in `map` what an import's types become when `arg` is supplied for it. */
  private bind(imp: EntityType, arg: EntityType, map: Map<TypeId, TypeId>): void {
    if (imp.sort === 'type' && arg.sort === 'type') {
      map.set(imp.created, arg.created);
      if (imp.referenced === imp.created) return;
      return;
    }
    if (imp.sort === 'instance' && arg.sort === 'instance') {
      const i = this.resolved(imp.type);
      const a = this.resolved(arg.type);
      if (i.kind !== 'instance' || a.kind !== 'instance') return;
      for (const [name, e] of i.exports) {
        const ae = a.exports.get(name);
        if (ae) this.bind(e, ae, map);
      }
    }
  }
}

function sortMatches(sort: SortIndex['sort'], e: EntityType): boolean {
  return sort === e.sort;
}
