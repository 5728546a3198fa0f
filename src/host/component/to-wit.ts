/**
 * Recovers the WIT of a component: a witbind {@link Resolve} (the model the WIT front end
 * builds, so the ABI planner and emitters consume it unchanged) holding one world for the
 * component's imports and exports.
 *
 * It follows what `wasm-tools component wit` (wit-component's decoder) does, so that both give
 * the same WIT:
 * - the world is `root` in package `root:component`;
 * - an instance import or export named `ns:pkg/iface@v` is interface `iface` of package
 *   `ns:pkg@v` (foreign packages are created as met and ordered so that a package comes after
 *   those it `use`s); a kebab-named one is an anonymous interface of the world;
 * - a type export whose type was already registered (through the chain of aliases) becomes a
 *   `use` (a `type` alias of that definition), otherwise a new definition;
 * - resources get their methods, statics and constructors from `[method]r.m`-style names.
 */
import {
  NO_DOCS,
  UNKNOWN_STABILITY,
  interfaceKey,
  type Field,
  type Func,
  type FunctionKind,
  type Interface,
  type InterfaceId,
  type Package,
  type PackageId,
  type PackageName,
  type Resolve,
  type Type,
  type TypeDef,
  type TypeDefKind,
  type TypeId,
  type TypeOwner,
  type World,
  type WorldId,
  type WorldItem,
} from '../../wit/model.js';
import { SourceMap } from '../../wit/source-map.js';
import { decodeComponent } from './decode.js';
import type { Component, DefinedType, ValType } from './model.js';
import {
  typeComponent,
  type ComponentTypes,
  type EntityType,
  type TypeId as CTypeId,
} from './types.js';

/** The component's WIT could not be recovered (a shape WIT cannot express). */
export class ComponentWitError extends Error {
  override readonly name = 'ComponentWitError';
}

export interface ComponentWit {
  readonly resolve: Resolve;
  /** The world describing the component (`root:component/root`). */
  readonly world: WorldId;
}

/**
 * Builds the WIT of a decoded component (or of component bytes).
 *
 * @throws {ComponentWitError} for imports/exports WIT cannot describe.
 * @throws {ComponentDecodeError} for malformed or ill-typed input.
 */
export function componentToWit(
  component: Component | Uint8Array,
  types?: ComponentTypes,
): ComponentWit {
  const c = component instanceof Uint8Array ? decodeComponent(component) : component;
  return new WitBuilder(types ?? typeComponent(c)).build();
}

/** A component function type as a model {@link Func}, with the {@link Resolve} its types live in. */
export interface StructuralFunc {
  readonly resolve: Resolve;
  readonly func: Func;
  /** The resource type definitions of the handles it passes, and the component resource types (peeled ids) they stand for. */
  readonly resources: ReadonlyMap<TypeId, CTypeId>;
}

/**
 * Converts the component function type `funcType` (any type id of `types`, e.g. the type of an
 * inner component's import or of a `canon lift`) into a freestanding {@link Func} whose types are
 * structural: records, variants, enums and flags need no name (the planner only needs their
 * layout). For the adapters between the components of a composition, whose function types are
 * not part of the root's world.
 *
 * Each resource type its handles refer to becomes an anonymous `resource` definition
 * ({@link StructuralFunc.resources} says which).
 */
export function funcTypeToWit(
  types: ComponentTypes,
  funcType: CTypeId,
  name: string,
): StructuralFunc {
  return new WitBuilder(types, true).structuralFunc(funcType, name);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface PendingPackage {
  readonly name: PackageName;
  readonly interfaces: Map<string, InterfaceId>;
}

class WitBuilder {
  private readonly typeDefs: TypeDef[] = [];
  private readonly interfaces: Mutable<Interface>[] = [];
  private readonly worlds: Mutable<World>[] = [];
  private readonly packages: Package[] = [];
  /** Component type id → WIT type (wit-component's `type_map`). */
  private readonly typeMap = new Map<CTypeId, TypeId>();
  /** Foreign packages by `ns:pkg@v`, in the order met. */
  private readonly foreign = new Map<string, PendingPackage>();
  private readonly ifacePackage = new Map<InterfaceId, string>();
  /** Resources by owner and name, for `[method]r.m` and friends. */
  private readonly resources = new Map<string, Map<string, TypeId>>();

  /**
   * @param structural unnamed records/variants/enums/flags are allowed (as anonymous type
   *   definitions): {@link funcTypeToWit}.
   */
  constructor(
    private readonly types: ComponentTypes,
    private readonly structural = false,
  ) {}

  /** {@link funcTypeToWit}. */
  structuralFunc(funcType: CTypeId, name: string): StructuralFunc {
    const ft = this.types.resolved(funcType);
    if (ft.kind !== 'func') throw new ComponentWitError(`\`${name}\` is not a function`);
    const func: Func = {
      name,
      kind: { tag: ft.async ? 'async-freestanding' : 'freestanding' },
      params: ft.params.map((p) => ({ name: p.name, type: this.convertValType(p.type) })),
      result: ft.result === null ? null : this.convertValType(ft.result),
      docs: NO_DOCS,
      stability: UNKNOWN_STABILITY,
      span: null,
    };
    const resolve: Resolve = {
      types: this.typeDefs,
      interfaces: this.interfaces,
      worlds: this.worlds,
      packages: this.packages,
      sourceMap: new SourceMap(),
    };
    return { resolve, func, resources: this.structuralResources };
  }

  /** Structural mode: the resource definitions made for handles, by the component resource type. */
  private readonly structuralResources = new Map<TypeId, CTypeId>();

  build(): ComponentWit {
    const world = 0 as WorldId;
    this.worlds.push({
      name: 'root',
      imports: new Map(),
      exports: new Map(),
      package: null,
      docs: NO_DOCS,
      stability: UNKNOWN_STABILITY,
      span: null,
    });
    const w = this.worlds[world]!;
    const owner: TypeOwner = { kind: 'world', id: world };
    for (const ext of this.types.root.externs) {
      const e = ext.entity;
      let key: string;
      let item: WorldItem;
      if (e.sort === 'instance') {
        const id = ext.name.includes('/')
          ? this.registerImport(ext.name, e.type)
          : this.registerInterface(e.type);
        key = ext.name.includes('/') ? interfaceKey(id) : ext.name;
        item = { kind: 'interface', id, stability: UNKNOWN_STABILITY, docs: NO_DOCS };
      } else if (e.sort === 'func') {
        key = ext.name;
        item = { kind: 'function', func: this.convertFunction(ext.name, e.type, owner) };
      } else if (e.sort === 'type' && ext.kind === 'import') {
        key = ext.name;
        item = {
          kind: 'type',
          id: this.registerTypeExport(ext.name, owner, e.referenced, e.created),
        };
      } else if (ext.kind === 'import') {
        continue; // other imports (components, modules, values) are not part of the world
      } else {
        throw new ComponentWitError(
          `component export \`${ext.name}\` was not a function or instance`,
        );
      }
      (ext.kind === 'import' ? w.imports : w.exports).set(key, item);
    }
    this.finish(world);
    return {
      resolve: {
        types: this.typeDefs,
        interfaces: this.interfaces,
        worlds: this.worlds,
        packages: this.packages,
        sourceMap: new SourceMap(),
      },
      world,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Interfaces
  // -------------------------------------------------------------------------------------------

  private newInterface(name: string | null): InterfaceId {
    this.interfaces.push({
      name,
      types: new Map(),
      functions: new Map(),
      docs: NO_DOCS,
      stability: UNKNOWN_STABILITY,
      package: null,
      span: null,
    });
    return (this.interfaces.length - 1) as InterfaceId;
  }

  private instanceExports(instance: CTypeId): ReadonlyMap<string, EntityType> {
    const node = this.types.resolved(instance);
    if (node.kind !== 'instance') throw new ComponentWitError('expected an instance type');
    return node.exports;
  }

  /**
   * An interface named by ID (`ns:pkg/iface@v`): created in its (foreign) package on first use,
   * then filled in lazily with the types and functions this instance type has.
   */
  private registerImport(name: string, instance: CTypeId): InterfaceId {
    const id = this.depInterface(name);
    const iface = this.interfaces[id]!;
    const owner: TypeOwner = { kind: 'interface', id };
    for (const [n, e] of this.instanceExports(instance)) {
      if (e.sort === 'type') {
        const existing = iface.types.get(n);
        if (existing !== undefined) this.typeMap.set(e.created, existing);
        else iface.types.set(n, this.registerTypeExport(n, owner, e.referenced, e.created));
      } else if (e.sort === 'func') {
        if (!iface.functions.has(n)) iface.functions.set(n, this.convertFunction(n, e.type, owner));
      } else {
        throw new ComponentWitError(`instance type export \`${n}\` is not a type or function`);
      }
    }
    return id;
  }

  /** An anonymous interface (a world import or export with a kebab name). */
  private registerInterface(instance: CTypeId): InterfaceId {
    const id = this.newInterface(null);
    const iface = this.interfaces[id]!;
    const owner: TypeOwner = { kind: 'interface', id };
    for (const [n, e] of this.instanceExports(instance)) {
      if (e.sort === 'type')
        iface.types.set(n, this.registerTypeExport(n, owner, e.referenced, e.created));
      else if (e.sort === 'func') iface.functions.set(n, this.convertFunction(n, e.type, owner));
      else throw new ComponentWitError(`instance type export \`${n}\` is not a type or function`);
    }
    return id;
  }

  private depInterface(name: string): InterfaceId {
    const parsed = parseInterfaceName(name);
    if (!parsed) throw new ComponentWitError(`package name is not a valid id: ${name}`);
    const key = packageKey(parsed.package);
    let pkg = this.foreign.get(key);
    if (!pkg) {
      pkg = { name: parsed.package, interfaces: new Map() };
      this.foreign.set(key, pkg);
    }
    let id = pkg.interfaces.get(parsed.interface);
    if (id === undefined) {
      id = this.newInterface(parsed.interface);
      pkg.interfaces.set(parsed.interface, id);
    }
    this.ifacePackage.set(id, key);
    return id;
  }

  // -------------------------------------------------------------------------------------------
  // Types
  // -------------------------------------------------------------------------------------------

  private push(def: TypeDef): TypeId {
    this.typeDefs.push(def);
    return (this.typeDefs.length - 1) as TypeId;
  }

  /** The WIT type already registered for `id` or one of the types it aliases. */
  private findAlias(id: CTypeId): TypeId | undefined {
    for (;;) {
      const hit = this.typeMap.get(id);
      if (hit !== undefined) return hit;
      const node = this.types.node(id);
      if (node.kind !== 'alias') return undefined;
      id = node.of;
    }
  }

  private registerTypeExport(
    name: string,
    owner: TypeOwner,
    referenced: CTypeId,
    created: CTypeId,
  ): TypeId {
    const prev = this.findAlias(referenced);
    let kind: TypeDefKind;
    if (prev !== undefined) kind = { tag: 'type', type: prev };
    else {
      const node = this.types.resolved(referenced);
      if (node.kind === 'resource') kind = { tag: 'resource' };
      else if (node.kind === 'defined') kind = this.convertDefined(node.type);
      else throw new ComponentWitError(`type \`${name}\` is not a value type or resource`);
    }
    const id = this.push({
      name,
      kind,
      owner,
      docs: NO_DOCS,
      stability: UNKNOWN_STABILITY,
      span: null,
    });
    if (kind.tag === 'resource') {
      const k = ownerKey(owner);
      const m = this.resources.get(k) ?? new Map<string, TypeId>();
      this.resources.set(k, m);
      m.set(name, id);
    }
    this.typeMap.set(created, id);
    return id;
  }

  private convertValType(t: ValType<CTypeId>): Type {
    if (typeof t === 'string') return t;
    const hit = this.typeMap.get(t);
    if (hit !== undefined) return hit;
    const node = this.types.resolved(t);
    if (node.kind !== 'defined')
      throw new ComponentWitError('a value type refers to a non-value type');
    const kind = this.convertDefined(node.type);
    switch (kind.tag) {
      case 'record':
      case 'variant':
      case 'enum':
      case 'flags':
      case 'resource':
        if (!this.structural || kind.tag === 'resource') {
          throw new ComponentWitError(`unexpected unnamed type of kind '${kind.tag}'`);
        }
        break;
      default:
        break;
    }
    const id = this.push({
      name: null,
      kind,
      owner: { kind: 'none' },
      docs: NO_DOCS,
      stability: UNKNOWN_STABILITY,
      span: null,
    });
    this.typeMap.set(t, id);
    return id;
  }

  private convertDefined(t: DefinedType<CTypeId>): TypeDefKind {
    const v = (x: ValType<CTypeId>): Type => this.convertValType(x);
    const o = (x: ValType<CTypeId> | null): Type | null => (x === null ? null : v(x));
    switch (t.kind) {
      case 'primitive':
        return { tag: 'type', type: t.type };
      case 'list':
        return t.length === null
          ? { tag: 'list', type: v(t.element) }
          : { tag: 'fixed-length-list', type: v(t.element), size: t.length };
      case 'map':
        return { tag: 'map', key: v(t.key), value: v(t.value) };
      case 'tuple':
        return { tag: 'tuple', types: t.types.map(v) };
      case 'option':
        return { tag: 'option', type: v(t.type) };
      case 'result':
        return { tag: 'result', ok: o(t.ok), err: o(t.err) };
      case 'record':
        return {
          tag: 'record',
          fields: t.fields.map((f): Field => ({ name: f.name, type: v(f.type), docs: NO_DOCS })),
        };
      case 'variant':
        return {
          tag: 'variant',
          cases: t.cases.map((c) => ({ name: c.name, type: o(c.type), docs: NO_DOCS })),
        };
      case 'flags':
        return { tag: 'flags', flags: t.names.map((name) => ({ name, docs: NO_DOCS })) };
      case 'enum':
        return { tag: 'enum', cases: t.names.map((name) => ({ name, docs: NO_DOCS })) };
      case 'own':
      case 'borrow': {
        if (this.structural) {
          const peeled = this.types.peel(t.resource);
          let resource = this.typeMap.get(peeled);
          if (resource === undefined) {
            resource = this.push({
              name: null,
              kind: { tag: 'resource' },
              owner: { kind: 'none' },
              docs: NO_DOCS,
              stability: UNKNOWN_STABILITY,
              span: null,
            });
            this.typeMap.set(peeled, resource);
            this.structuralResources.set(resource, peeled);
          }
          return { tag: 'handle', handle: t.kind, resource };
        }
        const resource = this.typeMap.get(t.resource);
        if (resource === undefined)
          throw new ComponentWitError(
            `${t.kind} handle of a resource that is not imported or exported`,
          );
        return { tag: 'handle', handle: t.kind, resource };
      }
      case 'stream':
      case 'future':
        return { tag: t.kind, type: o(t.element) };
    }
  }

  // -------------------------------------------------------------------------------------------
  // Functions
  // -------------------------------------------------------------------------------------------

  private convertFunction(name: string, funcType: CTypeId, owner: TypeOwner): Func {
    const ft = this.types.resolved(funcType);
    if (ft.kind !== 'func') throw new ComponentWitError(`\`${name}\` is not a function`);
    const params = ft.params.map((p) => ({ name: p.name, type: this.convertValType(p.type) }));
    const result = ft.result === null ? null : this.convertValType(ft.result);
    return {
      name,
      kind: this.functionKind(name, ft.async, owner),
      params,
      result,
      docs: NO_DOCS,
      stability: UNKNOWN_STABILITY,
      span: null,
    };
  }

  private functionKind(name: string, async: boolean, owner: TypeOwner): FunctionKind {
    const m =
      /^\[(constructor|method|static|async|async method|async static)\]([^.]*)(?:\.(.*))?$/.exec(
        name,
      );
    if (!m) return { tag: async ? 'async-freestanding' : 'freestanding' };
    const [, annotation, resourceName] = m as unknown as [string, string, string];
    if (annotation === 'async') return { tag: 'async-freestanding' };
    const resource = this.resources.get(ownerKey(owner))?.get(resourceName);
    if (resource === undefined) {
      throw new ComponentWitError(
        `function \`${name}\` refers to resource \`${resourceName}\`, which is not defined here`,
      );
    }
    switch (annotation) {
      case 'constructor':
        return { tag: 'constructor', resource };
      case 'method':
        return { tag: async ? 'async-method' : 'method', resource };
      case 'async method':
        return { tag: 'async-method', resource };
      case 'static':
        return { tag: async ? 'async-static' : 'static', resource };
      default:
        return { tag: 'async-static', resource };
    }
  }

  // -------------------------------------------------------------------------------------------
  // Packages
  // -------------------------------------------------------------------------------------------

  /** Orders foreign packages so that each follows those it uses, then adds the root package. */
  private finish(world: WorldId): void {
    const keys = [...this.foreign.keys()];
    const order: string[] = [];
    const visit = (key: string): void => {
      if (order.includes(key)) return;
      const pkg = this.foreign.get(key)!;
      for (const iface of pkg.interfaces.values()) {
        for (const dep of this.directDeps(iface)) {
          const depKey = this.ifacePackage.get(dep);
          if (depKey !== undefined && depKey !== key) visit(depKey);
        }
      }
      order.push(key);
    };
    for (const k of keys) visit(k);
    for (const k of order) {
      const p = this.foreign.get(k)!;
      this.insertPackage(p.name, p.interfaces, new Map());
    }
    const w = this.worlds[world]!;
    const root = this.insertPackage(
      { namespace: 'root', name: 'component', version: null },
      new Map(),
      new Map([['root', world]]),
    );
    w.package = root;
    for (const item of [...w.imports.values(), ...w.exports.values()]) {
      if (item.kind === 'interface' && this.interfaces[item.id]!.name === null)
        this.interfaces[item.id]!.package = root;
    }
  }

  private directDeps(id: InterfaceId): InterfaceId[] {
    const out: InterfaceId[] = [];
    for (const t of this.interfaces[id]!.types.values()) {
      const def = this.typeDefs[t]!;
      if (def.kind.tag !== 'type' || typeof def.kind.type !== 'number') continue;
      const target = this.typeDefs[def.kind.type]!;
      if (target.owner.kind === 'interface' && target.owner.id !== id) out.push(target.owner.id);
    }
    return out;
  }

  private insertPackage(
    name: PackageName,
    interfaces: ReadonlyMap<string, InterfaceId>,
    worlds: ReadonlyMap<string, WorldId>,
  ): PackageId {
    const key = packageKey(name);
    let id = this.packages.findIndex((p) => packageKey(p.name) === key) as PackageId;
    if (id < 0) {
      this.packages.push({ name, docs: NO_DOCS, interfaces: new Map(), worlds: new Map() });
      id = (this.packages.length - 1) as PackageId;
    }
    const pkg = this.packages[id]!;
    for (const [n, i] of interfaces) {
      pkg.interfaces.set(n, i);
      this.interfaces[i]!.package = id;
    }
    for (const [n, w] of worlds) pkg.worlds.set(n, w);
    return id;
  }
}

function ownerKey(owner: TypeOwner): string {
  return owner.kind === 'none' ? 'none' : `${owner.kind}-${owner.id}`;
}

function packageKey(p: PackageName): string {
  return `${p.namespace}:${p.name}${p.version === null ? '' : `@${p.version}`}`;
}

/** `ns:pkg/iface@version` (namespaces and packages may nest with `:`, interfaces with `/`). */
export function parseInterfaceName(
  name: string,
): { package: PackageName; interface: string } | null {
  const at = name.indexOf('@');
  const path = at < 0 ? name : name.slice(0, at);
  const version = at < 0 ? null : name.slice(at + 1);
  const slash = path.indexOf('/');
  if (slash < 0) return null;
  const pkgPart = path.slice(0, slash);
  const colon = pkgPart.lastIndexOf(':');
  if (colon < 0) return null;
  return {
    package: { namespace: pkgPart.slice(0, colon), name: pkgPart.slice(colon + 1), version },
    interface: path.slice(slash + 1),
  };
}
