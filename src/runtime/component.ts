/**
 * Hosting a component binary with the same generated glue as a core module.
 *
 * A component built from a canonical-ABI core module (by `wasm-tools component new`, wit-bindgen,
 * componentize-js) is a graph: core modules instantiated with each other's exports, host
 * functions lowered into them with `canon lower`, their exports lifted with `canon lift`, and the
 * resource built-ins. {@link instantiateComponentCore} walks that graph in definition order
 * (Binary.md: every definition appends to its sort's index space) and wires it with the raw core
 * imports generated bindings already provide (`createCoreImports(imports).imports`): a
 * `canon lower` of the imported function `f` of instance `ns:pkg/iface` *is* the generated
 * import wrapper `imports['ns:pkg/iface'].f`, bound to the memory and realloc named by the
 * canonical options. What the component exports becomes an object in the shape of a core
 * module's exports (`ns:pkg/iface#f`, `cabi_post_…`, `memory`, `cabi_realloc`) that the
 * generated `bindCore` turns into typed exports. So there is one ABI implementation — the
 * generated code — for both hosting modes.
 *
 * Compositions (nested components wired to each other): only the canonical functions the
 * bindings drive — lifts the root exports, lowerings of host imports — are checked against the
 * bindings' encoding and bound to their `CoreInstance`. Every other component instance has its
 * own state (a `CoreInstance`: memory, realloc, handle table, may-leave and poisoned flags;
 * definitions.py's per-component-instance state). A `canon lower` of a function another
 * component lifted becomes a fused adapter made of the planner's two plans for the function's
 * type (the caller's `import` plan, the callee's `export` plan), executed by the interpreting
 * backend (`abi/interpret.ts`) against the two instances' states: strings are transcoded between
 * their encodings, lists and records copied between their memories, resource handles moved
 * between their tables by rep. Those modules are loaded only for components that nest others.
 *
 * Anything this host does not implement fails here, at load time, naming the construct.
 *
 * @module
 */
import { decodeComponent, isComponentBinary } from '../host/component/decode.js';
import type {
  CanonOptions,
  Component,
  CoreModule,
  DefType,
  ExternName,
  SortIndex,
  ValType,
} from '../host/component/model.js';
import type { ComponentTypes, TypeId } from '../host/component/types.js';
import type { Instruction } from '../abi/instructions.js';
import { blocksOf } from '../abi/machine.js';
import { CoreInstance, type CoreExportsLike } from './instance.js';
import { MemoryViews, type MemoryLike } from './memory.js';

/** A decoded component with its core modules compiled, ready to instantiate any number of times. */
export interface CompiledComponent {
  readonly component: Component;
  /** The compiled form of every core module definition, nested components included. */
  readonly modules: ReadonlyMap<CoreModule, WebAssembly.Module>;
}

/** Thrown when a component uses something this host does not support, or is not a component. */
export class ComponentLoadError extends Error {
  override name = 'ComponentLoadError';
}

/** Is `x` a {@link CompiledComponent}? */
export function isCompiledComponent(x: unknown): x is CompiledComponent {
  return typeof x === 'object' && x !== null && 'component' in x && 'modules' in x && (x as { modules: unknown }).modules instanceof Map;
}

/** Decodes a component and compiles its core modules (in parallel). */
export async function compileComponent(
  source: BufferSource | Response | PromiseLike<Response> | CompiledComponent,
): Promise<CompiledComponent> {
  if (isCompiledComponent(source)) return source;
  const awaited = await source;
  let bytes: Uint8Array;
  if (typeof Response !== 'undefined' && awaited instanceof Response) bytes = new Uint8Array(await awaited.arrayBuffer());
  else if (awaited instanceof Uint8Array) bytes = awaited;
  else if (ArrayBuffer.isView(awaited)) bytes = new Uint8Array(awaited.buffer, awaited.byteOffset, awaited.byteLength);
  else bytes = new Uint8Array(awaited as ArrayBuffer);
  if (!isComponentBinary(bytes)) {
    throw new ComponentLoadError('not a WebAssembly component (a core module? use instantiateCore)');
  }
  const component = decodeComponent(bytes);
  const defs: CoreModule[] = [];
  const collect = (c: Component): void => {
    for (const d of c.definitions) {
      if (d.kind === 'core-module') defs.push(d.module);
      else if (d.kind === 'component') collect(d.component);
    }
  };
  collect(component);
  const compiled = await Promise.all(defs.map((m) => WebAssembly.compile(m.bytes as Uint8Array<ArrayBuffer>)));
  return { component, modules: new Map(defs.map((m, i) => [m, compiled[i]!])) };
}

/** The index spaces of a component's type scope that {@link Linker} looks func types up in. */
interface TypeScopeLike {
  readonly types: readonly TypeId[];
  readonly funcs: readonly TypeId[];
}

/**
 * Whether a value of type `t` (or a call of func type `t`) can carry a string: the only values
 * whose lifting and lowering depend on the string encoding. Streams and futures count (their
 * element types are not followed).
 */
function carriesString(types: ComponentTypes, t: ValType<TypeId> | null, seen: Set<TypeId>): boolean {
  if (t === null) return false;
  if (typeof t === 'string') return t === 'string';
  const id = types.peel(t);
  if (seen.has(id)) return false;
  seen.add(id);
  const n = types.node(id);
  const any = (ts: readonly (ValType<TypeId> | null)[]) => ts.some((x) => carriesString(types, x, seen));
  if (n.kind === 'func') return any(n.params.map((p) => p.type)) || any([n.result]);
  if (n.kind !== 'defined') return false;
  const d = n.type;
  switch (d.kind) {
    case 'primitive':
      return d.type === 'string';
    case 'record':
      return any(d.fields.map((f) => f.type));
    case 'variant':
      return any(d.cases.map((c) => c.type));
    case 'list':
      return any([d.element]);
    case 'tuple':
      return any(d.types);
    case 'option':
      return any([d.type]);
    case 'result':
      return any([d.ok, d.err]);
    case 'map':
      return any([d.key, d.value]);
    case 'stream':
    case 'future':
      return true;
    default:
      return false;
  }
}

/** Whether a component defines nested components (a composition may need adapters). */
function nestsComponents(c: Component): boolean {
  return c.definitions.some((d) => d.kind === 'component');
}

/** The modules adapters between components are built with (loaded only for nested components). */
interface ComposeModules {
  readonly toWit: typeof import('../host/component/to-wit.js');
  readonly plan: typeof import('../abi/plan.js');
  readonly interpret: typeof import('../abi/interpret.js');
}

/** Whether a plan (blocks included) has an instruction `pred` accepts. */
function planHas(body: readonly Instruction[], pred: (i: Instruction) => boolean): boolean {
  return body.some((i) => pred(i) || blocksOf(i).some((b) => planHas(b.body, pred)));
}

/** The full name of an import or export (`wasi:cli/stdout@0.2.0`). */
function fullName(n: ExternName): string {
  return n.versionSuffix === null ? n.name : n.name + n.versionSuffix;
}

// Values of the index spaces while instantiating ------------------------------------------------

/** A resource type the component defines itself: its built-ins resolve once it is exported. */
interface LocalResource {
  readonly dtor: Function | null;
  /** The component instance that defines (implements) it. */
  readonly env: Env;
  /**
   * Where the exported instances name it: `[export]<interface>` and the resource's name. An
   * interface that `use`s the resource re-exports the same type, so there can be several; the
   * bindings' built-ins live under the defining interface.
   */
  readonly names: { readonly module: string; readonly name: string }[];
}

type FuncVal =
  | { readonly kind: 'import'; readonly module: string; readonly name: string }
  | {
      readonly kind: 'lifted';
      readonly core: Function;
      readonly postReturn: Function | null;
      /** The component instance that lifted it, and the lift's options and func type. */
      readonly env: Env;
      readonly options: CanonOptions;
      readonly type: (scope: TypeScopeLike) => TypeId | undefined;
      readonly realloc: Function | undefined;
    };

type TypeVal =
  | { readonly kind: 'import'; readonly module: string; readonly name: string }
  | { readonly kind: 'local-resource'; readonly res: LocalResource }
  | { readonly kind: 'other' };

type InstanceVal =
  | { readonly kind: 'import'; readonly module: string }
  | { readonly kind: 'exports'; readonly items: ReadonlyMap<string, Item> };

interface ComponentVal {
  readonly component: Component;
  readonly outer: Env;
}

type Item =
  | { readonly sort: 'func'; readonly v: FuncVal }
  | { readonly sort: 'type'; readonly v: TypeVal }
  | { readonly sort: 'instance'; readonly v: InstanceVal }
  | { readonly sort: 'component'; readonly v: ComponentVal }
  | { readonly sort: 'core-module'; readonly v: CoreModule }
  | { readonly sort: 'value'; readonly v: undefined };

/** One component instance's index spaces. */
interface Env {
  readonly parent: Env | null;
  /** The component this is an instance of. */
  readonly component: Component;
  readonly coreModules: CoreModule[];
  readonly coreInstances: Record<string, unknown>[];
  readonly coreFuncs: unknown[];
  readonly coreTables: unknown[];
  readonly coreMemories: unknown[];
  readonly coreGlobals: unknown[];
  readonly coreTypes: unknown[];
  readonly funcs: FuncVal[];
  readonly types: TypeVal[];
  readonly instances: InstanceVal[];
  readonly components: ComponentVal[];
  readonly values: undefined[];
  /**
   * Whether the bindings call into this instance (it lifts what the root exports): its state is
   * then the bindings' `CoreInstance`. (Host imports it lowers use the bindings' state for their
   * memory and realloc, but do not make it host-facing: a component of a composition that only
   * imports from the host keeps its own call guards and handle table.)
   */
  hostFacing: boolean;
  /** The linear memory its canonical functions name (one per component instance). */
  memory: unknown;
  /** Its own state, when it is not host-facing (created on first use). */
  own: CoreInstance | undefined;
}

function newEnv(parent: Env | null, component: Component): Env {
  return {
    parent,
    component,
    coreModules: [],
    coreInstances: [],
    coreFuncs: [],
    coreTables: [],
    coreMemories: [],
    coreGlobals: [],
    coreTypes: [],
    funcs: [],
    types: [],
    instances: [],
    components: [],
    values: [],
    hostFacing: false,
    memory: undefined,
    own: undefined,
  };
}

/** Options of {@link instantiateComponentCore}. */
export interface ComponentLinkOptions {
  /** The string encoding the bindings were generated for; every canonical function must match it. */
  readonly encoding: 'utf8' | 'utf16' | 'latin1+utf16';
}

/**
 * Instantiates `compiled` with `coreImports` (the generated `createCoreImports(...).imports`) and
 * returns the component's exports as a core-module-shaped exports object for `bindCore`. `state`
 * is bound to the component's memory and realloc as soon as they exist, so imports called while
 * the core instances start up already work.
 */
export async function instantiateComponentCore(
  compiled: CompiledComponent,
  coreImports: WebAssembly.Imports,
  state: CoreInstance,
  options: ComponentLinkOptions,
): Promise<CoreExportsLike> {
  const linker = new Linker(compiled, coreImports as Record<string, Record<string, unknown>>, state, options);
  await linker.run();
  return linker.exports;
}

class Linker {
  readonly exports: Record<string, unknown> = {};
  readonly #compiled: CompiledComponent;
  readonly #imports: Record<string, Record<string, unknown>>;
  readonly #state: CoreInstance;
  readonly #encoding: string;
  #memory: unknown = undefined;
  /** Whether {@link Linker.#memory} is a root-exported lift's (else a host import's, replaceable). */
  #memoryFromLift = false;
  /** Views of the memories of host imports lowered by other component instances than the root-facing one. */
  readonly #views = new Map<unknown, MemoryViews>();
  #realloc: unknown = undefined;
  /** `typeComponent`, loaded when the bindings' encoding is not utf8 (see {@link Linker.#passesStrings}). */
  #typing: typeof import('../host/component/types.js') | undefined;
  #types: ComponentTypes | undefined;
  /** What adapters between components need, loaded when the component nests components. */
  #compose: ComposeModules | undefined;
  /**
   * Handle-table type numbers of the resource types that live between components (not the
   * bindings' own, which the generated code numbers from 0: these start high).
   */
  readonly #rts = new Map<LocalResource, number>();

  #rtOf(res: LocalResource): number {
    let rt = this.#rts.get(res);
    if (rt === undefined) this.#rts.set(res, (rt = 0x4000_0000 + this.#rts.size));
    return rt;
  }

  /**
   * The resource built-ins of a resource type the bindings do not know (the root never exports
   * it: it lives between the components of a composition), against the handle table of the
   * component instance `env` that calls them (definitions.py `canon_resource_new/rep/drop`).
   */
  #innerBuiltin(env: Env, res: LocalResource, kind: string): Function {
    const rt = this.#rtOf(res);
    const what = `resource.${kind}`;
    switch (kind) {
      case 'new':
        return (rep: number) => {
          const st = this.#stateOf(env);
          try {
            st.checkLeave();
            return st.handles.resourceNew(rep, rt);
          } catch (e) {
            throw st.importFailed(e, what);
          }
        };
      case 'rep':
        return (i: number) => {
          const st = this.#stateOf(env);
          try {
            if (st.poisoned !== undefined) st.checkLeave();
            return st.handles.resourceRep(i, rt);
          } catch (e) {
            throw st.importFailed(e, what);
          }
        };
      default:
        return (i: number) => {
          const st = this.#stateOf(env);
          let rep: number;
          try {
            st.checkLeave();
            rep = st.handles.resourceDrop(i, rt);
          } catch (e) {
            throw st.importFailed(e, what);
          }
          const dtor = res.dtor;
          if (!st.handles.droppedOwn || dtor === null) return;
          if (res.env === env) {
            dtor(rep);
            return;
          }
          // The destructor of another component instance: a call into it (reentrance traps).
          const impl = this.#stateOf(res.env);
          try {
            impl.enter();
          } catch (e) {
            throw st.importFailed(e, what);
          }
          try {
            dtor(rep);
          } catch (e) {
            impl.fail(e);
            throw st.importFailed(e, what);
          }
          impl.leave();
        };
    }
  }

  constructor(
    compiled: CompiledComponent,
    imports: Record<string, Record<string, unknown>>,
    state: CoreInstance,
    options: ComponentLinkOptions,
  ) {
    this.#compiled = compiled;
    this.#imports = imports;
    this.#state = state;
    this.#encoding = options.encoding;
  }

  async run(): Promise<void> {
    const root = this.#compiled.component;
    if (this.#encoding !== 'utf8' || nestsComponents(root)) this.#typing = await import('../host/component/types.js');
    if (nestsComponents(root)) {
      const [toWit, plan, interpret] = await Promise.all([
        import('../host/component/to-wit.js'),
        import('../abi/plan.js'),
        import('../abi/interpret.js'),
      ]);
      this.#compose = { toWit, plan, interpret };
    }
    const env = await this.#instantiate(root, null, (name, desc) => {
      switch (desc) {
        case 'instance':
          return { sort: 'instance', v: { kind: 'import', module: name } };
        case 'func':
          return { sort: 'func', v: { kind: 'import', module: '$root', name } };
        case 'type':
          return { sort: 'type', v: { kind: 'import', module: '$root', name } };
        default:
          throw new ComponentLoadError(`the component imports \`${name}\` as a ${desc}: only functions, instances and types can be imported`);
      }
    });
    for (const e of root.exports) this.#exportRoot(fullName(e.name), this.#item(env, e.item));
    this.exports['memory'] = this.#memory;
    if (this.#realloc !== undefined) this.exports['cabi_realloc'] = this.#realloc;
  }

  /** Instantiates one component; `importOf` supplies its imports. */
  async #instantiate(c: Component, outer: Env | null, importOf: (name: string, sort: string) => Item): Promise<Env> {
    const env = newEnv(outer, c);
    for (const d of c.definitions) {
      switch (d.kind) {
        case 'core-module':
          env.coreModules.push(d.module);
          break;
        case 'core-type':
          env.coreTypes.push(d.type);
          break;
        case 'core-instance': {
          const inst = d.instance;
          if (inst.kind === 'exports') {
            const obj: Record<string, unknown> = {};
            for (const x of inst.exports) obj[x.name] = this.#coreItem(env, x.item);
            env.coreInstances.push(obj);
          } else {
            const def = env.coreModules[inst.module]!;
            const module = this.#compiled.modules.get(def)!;
            const importObject: Record<string, Record<string, unknown>> = {};
            for (const a of inst.args) importObject[a.name] = env.coreInstances[a.instance]!;
            const instance = await WebAssembly.instantiate(module, importObject as WebAssembly.Imports);
            env.coreInstances.push(instance.exports as Record<string, unknown>);
          }
          break;
        }
        case 'component':
          env.components.push({ component: d.component, outer: env });
          break;
        case 'instance': {
          const inst = d.instance;
          if (inst.kind === 'exports') {
            const items = new Map<string, Item>();
            for (const x of inst.exports) items.set(fullName(x.name), this.#item(env, x.item));
            env.instances.push({ kind: 'exports', items });
          } else {
            const cv = env.components[inst.component]!;
            const args = new Map(inst.args.map((a) => [a.name, this.#item(env, a.item)]));
            const inner = await this.#instantiate(cv.component, cv.outer, (name) => {
              const it = args.get(name);
              if (it === undefined) throw new ComponentLoadError(`nested component import \`${name}\` has no argument`);
              return it;
            });
            const items = new Map<string, Item>();
            for (const e of cv.component.exports) items.set(fullName(e.name), this.#item(inner, e.item));
            env.instances.push({ kind: 'exports', items });
          }
          break;
        }
        case 'alias':
          this.#alias(env, d.alias.sort, d.alias.target);
          break;
        case 'type':
          env.types.push(this.#defType(env, d.type));
          break;
        case 'canon':
          this.#canon(env, d.canon);
          break;
        case 'start':
          throw new ComponentLoadError('component `start` functions are not supported yet');
        case 'import': {
          const it = importOf(fullName(d.import.name), d.import.desc.sort);
          this.#push(env, it);
          break;
        }
        case 'export':
          this.#push(env, this.#item(env, d.export.item));
          break;
        case 'value':
          throw new ComponentLoadError('component value definitions are not supported yet');
      }
    }
    return env;
  }

  #push(env: Env, it: Item): void {
    switch (it.sort) {
      case 'func':
        env.funcs.push(it.v);
        break;
      case 'type':
        env.types.push(it.v);
        break;
      case 'instance':
        env.instances.push(it.v);
        break;
      case 'component':
        env.components.push(it.v);
        break;
      case 'core-module':
        env.coreModules.push(it.v);
        break;
      case 'value':
        env.values.push(undefined);
        break;
    }
  }

  #item(env: Env, s: SortIndex): Item {
    const need = <T>(v: T | undefined): T => {
      if (v === undefined) throw new ComponentLoadError(`${s.sort} index ${s.index} out of range`);
      return v;
    };
    switch (s.sort) {
      case 'func':
        return { sort: 'func', v: need(env.funcs[s.index]) };
      case 'type':
        return { sort: 'type', v: need(env.types[s.index]) };
      case 'instance':
        return { sort: 'instance', v: need(env.instances[s.index]) };
      case 'component':
        return { sort: 'component', v: need(env.components[s.index]) };
      case 'core-module':
        return { sort: 'core-module', v: need(env.coreModules[s.index]) };
      default:
        throw new ComponentLoadError(`a ${s.sort} cannot be passed or exported between components here`);
    }
  }

  #coreItem(env: Env, s: SortIndex): unknown {
    const space = this.#coreSpace(env, s.sort);
    const v = space[s.index];
    if (v === undefined) throw new ComponentLoadError(`${s.sort} index ${s.index} out of range`);
    return v;
  }

  #coreSpace(env: Env, sort: string): unknown[] {
    switch (sort) {
      case 'core-func':
        return env.coreFuncs;
      case 'core-table':
        return env.coreTables;
      case 'core-memory':
        return env.coreMemories;
      case 'core-global':
        return env.coreGlobals;
      case 'core-instance':
        return env.coreInstances;
      case 'core-module':
        return env.coreModules;
      case 'core-type':
        return env.coreTypes;
      default:
        throw new ComponentLoadError(`unexpected core sort ${sort}`);
    }
  }

  #alias(env: Env, sort: string, target: import('../host/component/model.js').AliasTarget): void {
    switch (target.kind) {
      case 'core-export': {
        const inst = env.coreInstances[target.instance];
        if (inst === undefined) throw new ComponentLoadError(`core instance ${target.instance} out of range`);
        const v = inst[target.name];
        if (v === undefined) throw new ComponentLoadError(`core instance ${target.instance} has no export \`${target.name}\``);
        this.#coreSpace(env, sort).push(v);
        return;
      }
      case 'export': {
        const inst = env.instances[target.instance];
        if (inst === undefined) throw new ComponentLoadError(`instance ${target.instance} out of range`);
        if (inst.kind === 'import') {
          if (sort === 'func') env.funcs.push({ kind: 'import', module: inst.module, name: target.name });
          else if (sort === 'type') env.types.push({ kind: 'import', module: inst.module, name: target.name });
          else throw new ComponentLoadError(`cannot take a ${sort} out of the imported instance \`${inst.module}\``);
          return;
        }
        const it = inst.items.get(target.name);
        if (it === undefined) throw new ComponentLoadError(`instance ${target.instance} has no export \`${target.name}\``);
        this.#push(env, it);
        return;
      }
      case 'outer': {
        let e: Env = env;
        for (let i = 0; i < target.count; i++) {
          if (e.parent === null) throw new ComponentLoadError('outer alias past the root component');
          e = e.parent;
        }
        if (sort === 'type') env.types.push(e.types[target.index] ?? { kind: 'other' });
        else if (sort === 'core-module') env.coreModules.push(e.coreModules[target.index]!);
        else if (sort === 'component') env.components.push(e.components[target.index]!);
        else if (sort === 'core-type') env.coreTypes.push(e.coreTypes[target.index]);
        else throw new ComponentLoadError(`outer alias of a ${sort} is not allowed`);
        return;
      }
    }
  }

  #defType(env: Env, t: DefType): TypeVal {
    if (t.kind !== 'resource') return { kind: 'other' };
    if (t.async) throw new ComponentLoadError('async resource destructors are not supported yet');
    const dtor = t.dtor === null ? null : (env.coreFuncs[t.dtor] as Function);
    return { kind: 'local-resource', res: { dtor, names: [], env } };
  }

  /** Cached views of a memory that is not the bindings' own. */
  #viewsOf(memory: unknown): MemoryViews {
    let v = this.#views.get(memory);
    if (v === undefined) {
      const m = memory as MemoryLike;
      const shared = typeof SharedArrayBuffer !== 'undefined' && m.buffer instanceof SharedArrayBuffer;
      this.#views.set(memory, (v = new MemoryViews(m, shared)));
    }
    return v;
  }

  /** Refuses the canonical options this host does not implement. */
  #supported(o: CanonOptions, what: string): void {
    if (o.async) throw new ComponentLoadError(`${what}: async canonical functions are not supported yet`);
    if (o.callback !== null) throw new ComponentLoadError(`${what}: async callbacks are not supported yet`);
    if (o.gc) throw new ComponentLoadError(`${what}: the \`gc\` canonical option is not supported`);
  }

  /** Notes the memory the options name as the component instance's one memory. */
  #envMemory(env: Env, o: CanonOptions, what: string): void {
    if (o.memory === null) return;
    const m = env.coreMemories[o.memory];
    if (m === undefined) throw new ComponentLoadError(`${what}: core memory index ${o.memory} out of range`);
    if (env.memory !== undefined && m !== env.memory) {
      throw new ComponentLoadError(`${what} uses a second linear memory: components with several memories are not supported yet`);
    }
    env.memory = m;
  }

  /**
   * The state of a component instance: the bindings' when the bindings drive its canonical
   * functions, otherwise its own (definitions.py's per-component-instance state: handle table,
   * memory, realloc, may-leave and poisoned flags).
   */
  #stateOf(env: Env): CoreInstance {
    if (env.hostFacing) return this.#state;
    if (env.own === undefined) {
      env.own = new CoreInstance();
      if (env.memory !== undefined) env.own.bind({ memory: env.memory });
    }
    return env.own;
  }

  /**
   * Checks the options of a canonical function the bindings drive (a host import's lowering, a
   * root export's lift) against what the bindings were generated for, binds the memory to the
   * bindings' state, and returns the realloc they name (undefined if none).
   */
  #options(
    env: Env,
    o: CanonOptions,
    what: string,
    type: (scope: TypeScopeLike) => TypeId | undefined,
    lift: boolean,
  ): Function | undefined {
    this.#supported(o, what);
    this.#envMemory(env, o, what);
    // A function without a memory cannot pass strings (wit-component gives those, e.g. a
    // `func() -> u32`, no options at all): its encoding, utf8 by default, does not matter.
    // Without the option (utf8 by default) the encoding matters only to a function that passes
    // strings: wit-component leaves the option out of every other one, lists or not.
    const enc = o.stringEncoding ?? 'utf8';
    if (
      enc !== this.#encoding &&
      (o.stringEncoding !== null || (o.memory !== null && this.#passesStrings(env, type)))
    ) {
      throw new ComponentLoadError(
        `${what} uses string-encoding=${enc} but the bindings were generated for ${this.#encoding} (regenerate with --encoding ${enc})`,
      );
    }
    if (o.memory !== null) {
      // The bindings' state gets the memory of the lifts the root exports (the generated export
      // wrappers use it), or until one is met, of the first host import (imports called while
      // the core instances start up). A host import lowered by another component instance with
      // its own memory gets that memory swapped in for its calls (see #canon).
      const m = env.coreMemories[o.memory];
      if (this.#memory !== undefined && m !== this.#memory && lift) {
        if (this.#memoryFromLift) {
          throw new ComponentLoadError(
            `${what} uses a second linear memory: the bindings drive canonical functions of component instances with different memories, not supported yet`,
          );
        }
        this.#memory = undefined;
      }
      if (this.#memory === undefined) {
        this.#memory = m;
        this.#state.bind({ memory: m });
      }
      if (lift) this.#memoryFromLift = true;
    }
    return o.realloc === null ? undefined : (env.coreFuncs[o.realloc] as Function);
  }

  /**
   * Whether the canonical function whose func type `type` picks out of its component's scope
   * passes a string (conservatively true when the types cannot be worked out).
   */
  #passesStrings(env: Env, type: (scope: TypeScopeLike) => TypeId | undefined): boolean {
    if (this.#typing === undefined) return true;
    try {
      this.#types ??= this.#typing.typeComponent(this.#compiled.component);
      const typing = this.#types.typingOf(env.component);
      const id = typing === undefined ? undefined : type(typing.scope);
      return id === undefined || carriesString(this.#types, id, new Set());
    } catch {
      return true;
    }
  }

  #hostImport(module: string, name: string): Function {
    const f = this.#imports[module]?.[name];
    if (typeof f !== 'function') {
      throw new ComponentLoadError(`the component imports \`${name}\` from \`${module}\`, which the bindings' world does not have`);
    }
    return f;
  }

  #canon(env: Env, c: import('../host/component/model.js').Canon): void {
    switch (c.op) {
      case 'lift': {
        // Checked against the bindings and bound to their state only if the root exports it
        // (#exportFunc); another component of a composition may call it through an adapter.
        const core = env.coreFuncs[c.coreFunc] as Function;
        this.#supported(c.options, 'a lifted function');
        this.#envMemory(env, c.options, 'a lifted function');
        const realloc = c.options.realloc === null ? undefined : (env.coreFuncs[c.options.realloc] as Function);
        const postReturn = c.options.postReturn === null ? null : (env.coreFuncs[c.options.postReturn] as Function);
        const type = (scope: TypeScopeLike) => scope.types[c.type];
        env.funcs.push({ kind: 'lifted', core, postReturn, env, options: c.options, type, realloc });
        return;
      }
      case 'lower': {
        const f = env.funcs[c.func];
        if (f === undefined) throw new ComponentLoadError(`func index ${c.func} out of range`);
        if (f.kind === 'lifted') {
          env.coreFuncs.push(this.#adapter(env, c.options, (scope) => scope.funcs[c.func], f));
          return;
        }
        const realloc = this.#options(
          env,
          c.options,
          `the import \`${f.module === '$root' ? f.name : `${f.module}#${f.name}`}\``,
          (scope) => scope.funcs[c.func],
          false,
        );
        const host = this.#hostImport(f.module, f.name);
        const memory = c.options.memory === null ? undefined : env.coreMemories[c.options.memory];
        if (realloc === undefined && memory === undefined) {
          env.coreFuncs.push(host);
          return;
        }
        // Results are lowered with this function's realloc (e.g. the WASI adapter's own), which
        // may not be the one the exports use: swap it in for the call when it differs. So is
        // the memory, when another component instance than the root-facing one lowers it.
        const st = this.#state;
        const r = (realloc ?? null) as never;
        const linker = this;
        env.coreFuncs.push(function (this: unknown) {
          const prev = st.realloc;
          const prevMem = st.mem;
          const views = memory === undefined || memory === linker.#memory ? undefined : linker.#viewsOf(memory);
          if ((r === null || prev === r) && views === undefined) return host.apply(this, arguments);
          if (r !== null) st.realloc = r;
          if (views !== undefined) st.mem = views;
          try {
            return host.apply(this, arguments);
          } finally {
            st.realloc = prev;
            st.mem = prevMem;
          }
        });
        return;
      }
      case 'resource.new':
      case 'resource.rep':
      case 'resource.drop': {
        const t = env.types[c.type];
        const kind = c.op.slice('resource.'.length);
        if (t === undefined || t.kind === 'other') throw new ComponentLoadError(`canon ${c.op} of a type that is not a resource`);
        if (c.op === 'resource.drop' && c.async) throw new ComponentLoadError('async resource.drop is not supported yet');
        if (t.kind === 'import') {
          if (c.op !== 'resource.drop') throw new ComponentLoadError(`canon ${c.op} of an imported resource type`);
          env.coreFuncs.push(this.#hostImport(t.module, `[resource-drop]${t.name}`));
          return;
        }
        // A resource the component defines: the generated built-in is known once it is exported.
        // One the root never exports lives between the components of a composition.
        const res = t.res;
        let fn: Function | undefined;
        const resolve = (): Function => {
          if (fn !== undefined) return fn;
          if (res.names.length === 0) {
            if (this.#compose === undefined) throw new ComponentLoadError(`resource.${kind} of a resource type the component never exports`);
            return (fn = this.#innerBuiltin(env, res, kind));
          }
          const at = res.names.find((n) => typeof this.#imports[n.module]?.[`[resource-${kind}]${n.name}`] === 'function') ?? res.names[0]!;
          fn = this.#hostImport(at.module, `[resource-${kind}]${at.name}`);
          return fn;
        };
        env.coreFuncs.push((x: number) => resolve()(x));
        return;
      }
      default:
        throw new ComponentLoadError(`canon ${c.op} is not supported yet`);
    }
  }

  /**
   * The core function a component's `canon lower` of a function another component lifted
   * becomes (a composition): a fused adapter (definitions.py `canon_lower` of a `canon_lift`)
   * made of two plans of the one planner for the function's type — the caller side `import`
   * (lift the caller's flat arguments out of its memory with its string encoding; lower the
   * results into its memory) and the callee side `export` (lower the arguments into the callee's
   * memory with its realloc and encoding, call its core function, lift the results,
   * post-return) — executed by the interpreting backend against each instance's own state.
   * Strings are transcoded on the way: decoded with one encoding, encoded with the other.
   */
  #adapter(env: Env, o: CanonOptions, type: (scope: TypeScopeLike) => TypeId | undefined, f: Extract<FuncVal, { kind: 'lifted' }>): Function {
    const what = 'the component lowers a function another component lifted (a composition)';
    this.#supported(o, what);
    this.#envMemory(env, o, what);
    const cm = this.#compose;
    if (cm === undefined || this.#typing === undefined) throw new ComponentLoadError(`${what}: internal error: adapters not loaded`);
    this.#types ??= this.#typing.typeComponent(this.#compiled.component);
    const typing = this.#types.typingOf(env.component);
    const id = typing === undefined ? undefined : type(typing.scope);
    if (id === undefined) throw new ComponentLoadError(`${what}: its function type is unknown`);
    let conv: import('../host/component/to-wit.js').StructuralFunc;
    try {
      conv = cm.toWit.funcTypeToWit(this.#types, id, 'adapter');
    } catch (e) {
      if (e instanceof cm.toWit.ComponentWitError) {
        throw new ComponentLoadError(`${what}: not supported yet for this function type (${e.message})`);
      }
      throw e;
    }
    const { resolve, func } = conv;
    const planner = new cm.plan.Planner(resolve);
    let lowerSide: import('../abi/plan.js').FunctionPlan;
    let liftSide: import('../abi/plan.js').FunctionPlan;
    try {
      lowerSide = planner.plan(func, 'import', { encoding: o.stringEncoding ?? 'utf8', coreName: 'adapter' });
      liftSide = planner.plan(func, 'export', {
        encoding: f.options.stringEncoding ?? 'utf8',
        coreName: 'adapter',
        postReturn: f.postReturn === null ? null : 'post-return',
      });
    } catch (e) {
      if (e instanceof cm.plan.PlanError) throw new ComponentLoadError(`${what}: ${e.message}`);
      throw e;
    }
    // The resource types its handles refer to, as this linker knows them (the caller's view of
    // a type: its typing scope's index spaces are the env's).
    const resources = new Map<number, LocalResource>();
    for (const [witId, cId] of conv.resources) {
      const tv = this.#runtimeType(env, typing!, cId);
      if (tv?.kind !== 'local-resource') {
        throw new ComponentLoadError(
          `${what}: handles of a resource type ${tv?.kind === 'import' ? 'the host implements' : 'it cannot place'} passed between components are not supported yet`,
        );
      }
      resources.set(witId, tv.res);
    }
    const sideResource = (side: Env) => (id: number) => {
      const res = resources.get(id);
      if (res === undefined) throw new Error('internal error: unknown resource type in an adapter');
      return { rt: this.#rtOf(res), local: res.env === side };
    };
    const callerResource = sideResource(env);
    const calleeResource = sideResource(f.env);
    const needsMemory = (i: Instruction) =>
      i.op === 'load' || i.op === 'store' || i.op === 'stringLift' || i.op === 'stringLower' || i.op === 'listLift' || i.op === 'listLower' ||
      i.op === 'listCanonLift' || i.op === 'listCanonLower' || i.op === 'malloc' || i.op === 'pointerCheck';
    if (o.memory === null && planHas(lowerSide.body, needsMemory)) throw new ComponentLoadError(`${what}: the lowering names no memory`);
    if (f.options.memory === null && planHas(liftSide.body, needsMemory)) throw new ComponentLoadError(`${what}: the lift names no memory`);
    const callerRealloc = o.realloc === null ? undefined : (env.coreFuncs[o.realloc] as never);
    const calleeRealloc = f.realloc as never;
    const { execPlan } = cm.interpret;
    const core = f.core;
    const post = f.postReturn;
    const postReturn = post === null ? null : (...r: unknown[]) => post(...r);
    const callee = (args: readonly unknown[]): unknown => {
      const st = this.#stateOf(f.env);
      st.enter();
      const prev = st.realloc;
      if (calleeRealloc !== undefined) st.realloc = calleeRealloc;
      let out: unknown[];
      try {
        out = execPlan(liftSide, { resolve, st, args, callWasm: (a) => core(...a), postReturn, resource: calleeResource });
      } catch (e) {
        // A trap in the callee (or while lowering into it) poisons it; the caller too (below).
        st.fail(e);
        throw e;
      } finally {
        st.realloc = prev;
      }
      st.leave();
      return out[0];
    };
    const caller = (): CoreInstance => this.#stateOf(env);
    return (...args: unknown[]): unknown => {
      const st = caller();
      try {
        // Borrows lifted from the caller's table are lent for the call (definitions.py lift_borrow);
        // the caller is in an import (a call back into it is reentrance).
        const mark = st.enterImport();
        const prev = st.realloc;
        if (callerRealloc !== undefined) st.realloc = callerRealloc;
        try {
          return execPlan(lowerSide, { resolve, st, args, callInterface: callee, resource: callerResource })[0];
        } finally {
          st.leaveImport(mark);
          st.realloc = prev;
        }
      } catch (e) {
        throw st.importFailed(e, 'a function of another component');
      }
    };
  }

  /**
   * The runtime type of the component type `cId` (peeled) in `env`: found through the typing
   * scope of its component (a type index, or a type exported by an instance), whose index spaces
   * are the env's.
   */
  #runtimeType(env: Env, typing: import('../host/component/types.js').ComponentTyping, cId: TypeId): TypeVal | undefined {
    const types = this.#types!;
    const scope = typing.scope;
    for (let k = 0; k < scope.types.length; k++) {
      if (types.peel(scope.types[k]!) === cId) return env.types[k];
    }
    for (let k = 0; k < scope.instances.length; k++) {
      const node = types.resolved(scope.instances[k]!);
      const inst = env.instances[k];
      if (node.kind !== 'instance' || inst?.kind !== 'exports') continue;
      for (const [name, e] of node.exports) {
        if (e.sort !== 'type' || types.peel(e.created) !== cId) continue;
        const it = inst.items.get(name);
        if (it?.sort === 'type') return it.v;
      }
    }
    return undefined;
  }

  /** A root export: an interface instance, or a world-level function. */
  #exportRoot(name: string, it: Item): void {
    if (it.sort === 'func') {
      this.#exportFunc(name, it.v);
      return;
    }
    if (it.sort === 'instance') {
      if (it.v.kind !== 'exports') throw new ComponentLoadError(`the component re-exports the imported instance \`${name}\``);
      for (const [n, x] of it.v.items) {
        if (x.sort === 'func') this.#exportFunc(`${name}#${n}`, x.v);
        else if (x.sort === 'type' && x.v.kind === 'local-resource') {
          x.v.res.names.push({ module: `[export]${name}`, name: n });
          if (x.v.res.dtor !== null) this.exports[`${name}#[dtor]${n}`] = x.v.res.dtor;
        }
      }
      return;
    }
    // Types and others carry nothing the bindings call.
  }

  #exportFunc(coreName: string, f: FuncVal): void {
    if (f.kind !== 'lifted') throw new ComponentLoadError(`the component re-exports the imported function \`${coreName}\``);
    const realloc = this.#options(f.env, f.options, 'a lifted function', f.type, true);
    // The bindings call into this component instance: its state is theirs.
    f.env.hostFacing = true;
    if (realloc !== undefined) {
      // Exports lower their arguments with the instance's realloc: the one every lift names.
      if (this.#realloc !== undefined && realloc !== this.#realloc) {
        throw new ComponentLoadError('lifted functions with different reallocs are not supported yet');
      }
      this.#realloc = realloc;
      this.#state.realloc = realloc as never;
    }
    this.exports[coreName] = f.core;
    if (f.postReturn !== null) this.exports[`cabi_post_${coreName}`] = f.postReturn;
  }
}
