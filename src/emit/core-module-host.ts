/**
 * Emits the TypeScript module for one world: its types, and host glue for a core module that
 * follows the canonical ABI and its core naming convention (canonical-abi.md "Core-module names"):
 * `instantiateCore`, `createCoreImports` + `bindCore`.
 */
import { runPlan } from '../abi/machine.js';
import type { StringEncoding } from '../abi/instructions.js';
import { Planner, type FunctionPlan } from '../abi/plan.js';
import {
  dealias,
  dealiasType,
  formatPackageName,
  nameWorldKey,
  worldKeyInterface,
  type Func,
  type InterfaceId,
  type Resolve,
  type Type,
  type TypeId,
  type WorldId,
} from '../wit/model.js';
import { TsBindgen, type BindgenContext, type ResourceInfo } from './function-bindgen.js';
import { bindingName, declKey, exportKey, lowerCamel, methodKey, namespaceName, propertyKey, quote, staticKey, typeName, upperCamel } from './names.js';
import { jsDoc, TypeEmitter } from './types.js';
import { ValidatorEmitter } from './validate.js';

export interface EmitOptions {
  /** String encoding the core module uses (`string-encoding=` canonical option). */
  readonly encoding?: StringEncoding;
  /** Module specifier of the runtime (default `witbind/runtime`). */
  readonly runtime?: string;
  /** Version put in the header. */
  readonly version?: string;
}

/** One interface of the world as the bindings see it. */
interface WorldInterface {
  readonly key: string;
  /** Name used for core module/export names and the imports object (`ns:pkg/iface@v`, or the kebab key). */
  readonly coreKey: string;
  readonly id: InterfaceId;
  readonly ns: string;
  readonly prop: string;
}

/** A generated module. */
export interface GeneratedModule {
  readonly source: string;
  readonly plans: readonly FunctionPlan[];
}

/** Emits the bindings module of `worldId`. */
export function emitWorldModule(resolve: Resolve, worldId: WorldId, options: EmitOptions = {}): GeneratedModule {
  return new WorldEmitter(resolve, worldId, options).emit();
}

class WorldEmitter {
  readonly #resolve: Resolve;
  readonly #world: WorldId;
  readonly #encoding: StringEncoding;
  readonly #opts: EmitOptions;
  readonly #planner: Planner;
  readonly #types: TypeEmitter;
  readonly #validators: ValidatorEmitter;
  readonly #imports: WorldInterface[] = [];
  readonly #exports: WorldInterface[] = [];
  readonly #importFuncs: Func[] = [];
  readonly #exportFuncs: Func[] = [];
  readonly #plans: FunctionPlan[] = [];
  readonly #runtimeNames = new Set<string>();
  readonly #resources = new Map<string, ResourceInfo>();
  /** World-level resource types (imported; their functions are world imports in `$root`). */
  readonly #worldResources: TypeId[] = [];

  constructor(resolve: Resolve, worldId: WorldId, opts: EmitOptions) {
    this.#resolve = resolve;
    this.#world = worldId;
    this.#encoding = opts.encoding ?? 'utf8';
    this.#opts = opts;
    this.#planner = new Planner(resolve);
    this.#collect();
    this.#types = new TypeEmitter(resolve, this.#namespaceMap());
    this.#validators = new ValidatorEmitter(resolve, this.#types, (id, side) => this.#resourceInfo(id, side));
  }

  #collect(): void {
    const world = this.#resolve.worlds[this.#world]!;
    const used = new Set<string>();
    const add = (key: string, id: InterfaceId, into: WorldInterface[]) => {
      const iface = this.#resolve.interfaces[id]!;
      const coreKey = nameWorldKey(this.#resolve, key);
      // An interface both imported and exported (world elaboration, `include`) has one set of
      // types, so one namespace.
      let ns = [...this.#imports, ...this.#exports].find((wi) => wi.id === id)?.ns;
      if (ns === undefined) {
        const base = namespaceName(iface.name ?? key);
        ns = base;
        if (used.has(ns) && iface.package !== null) {
          const pkg = this.#resolve.packages[iface.package]!.name;
          ns = namespaceName(`${pkg.namespace}-${pkg.name}-${iface.name ?? key}`);
        }
        for (let n = 2; used.has(ns); n++) ns = `${base}${n}`;
        used.add(ns);
      }
      into.push({ key, coreKey, id, ns, prop: lowerCamel(iface.name ?? key) });
    };
    for (const [key, item] of world.imports) {
      if (item.kind === 'interface') add(key, item.id, this.#imports);
      else if (item.kind === 'function' && isFreestanding(item.func)) this.#importFuncs.push(item.func);
      else if (item.kind === 'type' && this.#resolve.types[item.id]!.kind.tag === 'resource') this.#worldResources.push(item.id);
    }
    for (const [key, item] of world.exports) {
      if (item.kind === 'interface') add(key, item.id, this.#exports);
      else if (item.kind === 'function') this.#exportFuncs.push(item.func);
    }
    void worldKeyInterface;
  }

  #namespaceMap(): Map<string, string> {
    const m = new Map<string, string>();
    for (const i of [...this.#imports, ...this.#exports]) m.set(`i${i.id}`, i.ns);
    return m;
  }

  #rt(name: string): string {
    this.#runtimeNames.add(name);
    return name;
  }

  emit(): GeneratedModule {
    const world = this.#resolve.worlds[this.#world]!;
    const pkg = world.package === null ? '' : `${formatPackageName(this.#resolve.packages[world.package]!.name)}/`;
    const header = `// Generated by witbind ${this.#opts.version ?? '0.1.0'} from ${pkg}${world.name}. DO NOT EDIT.`;

    const typeDecls = this.#emitTypes();
    const importsCode = this.#emitImports();
    const exportsCode = this.#emitExports();
    const validators = this.#validators.code;
    for (const h of this.#validators.helpers) this.#rt(h);
    this.#rt('CoreInstance');
    this.#rt('ComponentError');

    const runtime = this.#opts.runtime ?? 'witbind/runtime';
    const valueImports = [...this.#runtimeNames].filter((n) => !['CoreExportsLike', 'CoreFn'].includes(n)).sort();
    // Guest resource classes implement `Disposable` (TypeScript's lib `esnext.disposable`).
    const disposable = [...this.#resources.values()].some((r) => r.guestDefined);
    const lines = [
      header,
      ...(disposable ? ['/// <reference lib="esnext.disposable" />'] : []),
      `import { ${valueImports.join(', ')} } from ${quote(runtime)};`,
      `import type { CompiledComponent, CoreExportsLike } from ${quote(runtime)};`,
      '',
      typeDecls,
      '',
      ...this.#types.constants.map((c) => c.code),
      '',
      validators,
      '',
      importsCode,
      '',
      exportsCode,
    ];
    return { source: lines.join('\n') + '\n', plans: this.#plans };
  }

  // Types ---------------------------------------------------------------------------------------

  #emitTypes(): string {
    const out: string[] = [];
    const world = this.#resolve.worlds[this.#world]!;
    const seen = new Set<InterfaceId>();
    const emitIface = (wi: WorldInterface, direction: 'import' | 'export') => {
      if (seen.has(wi.id)) return;
      seen.add(wi.id);
      const iface = this.#resolve.interfaces[wi.id]!;
      const decls: string[] = [];
      for (const id of iface.types.values()) {
        const d = this.#types.declaration(id);
        if (d) decls.push(d);
        if (this.#definesResource(id)) decls.push(this.#resourceDecl(id, iface.functions.values(), direction));
      }
      decls.push(this.#apiDecl(wi, direction));
      out.push(`${jsDoc(iface.docs, [`\`${wi.coreKey}\``])}export namespace ${wi.ns} {\n${decls.join('\n\n')}\n}`);
    };
    for (const wi of this.#imports) emitIface(wi, 'import');
    for (const wi of this.#exports) emitIface(wi, 'export');
    for (const [, item] of world.imports) {
      if (item.kind === 'type') {
        const d = this.#types.declaration(item.id);
        if (d) out.push(d);
      }
    }
    for (const id of this.#worldResources) out.push(this.#resourceDecl(id, this.#worldFuncs(), 'import'));

    const importsType = [
      ...this.#imports.filter((wi) => this.#hasMembers(wi.id)).map((wi) => `${quote(wi.coreKey)}: ${wi.ns}.Api;`),
      ...this.#importFuncs.map((f) => `${jsDoc(f.docs)}${declKey(lowerCamel(f.name))}${this.#signature(f)};`),
      ...this.#worldResources.map((id) => {
        const name = this.#resolve.types[id]!.name!;
        return `${upperCamel(name)}: ${typeName(name)}Class;`;
      }),
    ];
    const aliases = this.#exportAliases();
    const exportsType = [
      ...this.#exportFuncs.map((f) => `${jsDoc(f.docs)}${declKey(exportKey(f.name))}${this.#signature(f)};`),
      ...this.#exports.flatMap((wi, i) => [
        ...(aliases[i] !== null ? [`${aliases[i]}: ${wi.ns}.Api;`] : []),
        `${quote(wi.coreKey)}: ${wi.ns}.Api;`,
      ]),
    ];
    out.push(`/** What the host provides for the world's imports. */\nexport interface Imports {\n${importsType.join('\n')}\n}`);
    out.push(`/** The world's exports, typed. */\nexport interface Exports {\n${exportsType.join('\n')}\n}`);
    return out.join('\n\n');
  }

  /**
   * Per exported interface, its lowerCamelCase property in the exports object (beside its full
   * name), or null when that name is already taken: by a world-level export function, by a full
   * name (an inline `export b: interface { … }` is just `b`), or by an earlier interface of
   * the same name from another package.
   */
  #exportAliases(): (string | null)[] {
    const taken = new Set<string>([...this.#exportFuncs.map((f) => exportKey(f.name)), ...this.#exports.map((wi) => wi.coreKey)]);
    return this.#exports.map((wi) => {
      if (taken.has(wi.prop)) return null;
      taken.add(wi.prop);
      return wi.prop;
    });
  }

  #signature(f: Func, skipSelf = false): string {
    const params = (skipSelf ? f.params.slice(1) : f.params).map((p) => `${bindingName(p.name)}: ${this.#types.typeRef(p.type)}`);
    return `(${params.join(', ')}): ${this.#resultType(f)}`;
  }

  #resultType(f: Func): string {
    if (f.result === null) return 'void';
    const r = this.#resultOk(f);
    return r === undefined ? this.#types.typeRef(f.result) : r;
  }

  /** For a `result<T, E>` function result: the TS type of T (`void` when absent); else undefined. */
  #resultOk(f: Func): string | undefined {
    if (f.result === null || typeof f.result === 'string') return undefined;
    const def = this.#resolve.types[dealias(this.#resolve, f.result)]!;
    if (def.kind.tag !== 'result') return undefined;
    return def.kind.ok === null ? 'void' : this.#types.typeRef(def.kind.ok);
  }

  #apiDecl(wi: WorldInterface, _direction: 'import' | 'export'): string {
    const iface = this.#resolve.interfaces[wi.id]!;
    const members: string[] = [];
    for (const f of iface.functions.values()) {
      if (!isFreestanding(f)) continue;
      members.push(`${jsDoc(f.docs)}${declKey(lowerCamel(f.name))}${this.#signature(f)};`);
    }
    for (const [name, id] of iface.types) {
      if (this.#definesResource(id)) members.push(`${upperCamel(name)}: ${typeName(name)}Class;`);
    }
    return `export interface Api {\n${members.join('\n')}\n}`;
  }

  /** Whether `id` is a resource defined here (not a `use` of one). */
  #definesResource(id: TypeId): boolean {
    const def = this.#resolve.types[id]!;
    return def.kind.tag === 'resource' && def.owner.kind !== 'none';
  }

  /** The functions of the world's own imports (world-level resources' methods among them). */
  #worldFuncs(): Func[] {
    const out: Func[] = [];
    for (const [, item] of this.#resolve.worlds[this.#world]!.imports) if (item.kind === 'function') out.push(item.func);
    return out;
  }

  /** The constructor, methods and statics of resource `id` among `funcs`. */
  #resourceFuncs(id: TypeId, funcs: Iterable<Func>): { ctor: Func | undefined; methods: Func[]; statics: Func[] } {
    let ctor: Func | undefined;
    const methods: Func[] = [];
    const statics: Func[] = [];
    for (const f of funcs) {
      const k = f.kind;
      if (!('resource' in k) || dealias(this.#resolve, k.resource) !== id) continue;
      if (k.tag === 'method' || k.tag === 'async-method') methods.push(f);
      else if (k.tag === 'static' || k.tag === 'async-static') statics.push(f);
      else if (k.tag === 'constructor') ctor = f;
    }
    return { ctor, methods, statics };
  }

  /**
   * The instance type of a resource (its methods; `Disposable` when the guest implements it) and
   * its class type (constructor and statics).
   */
  #resourceDecl(id: TypeId, funcs: Iterable<Func>, direction: 'import' | 'export'): string {
    const def = this.#resolve.types[id]!;
    const name = typeName(def.name!);
    const { ctor, methods, statics } = this.#resourceFuncs(id, funcs);
    const inst = methods.map((f) => `${jsDoc(f.docs)}${declKey(methodKey(methodName(f.name)))}${this.#signature(f, true)};`);
    const cls: string[] = [];
    if (ctor) {
      const params = ctor.params.map((p) => `${bindingName(p.name)}: ${this.#types.typeRef(p.type)}`);
      cls.push(`${jsDoc(ctor.docs)}new (${params.join(', ')}): ${name};`);
    } else if (direction === 'import') {
      // Still a class: the bindings check values with `instanceof` (`st.classes`).
      cls.push(`/** No WIT constructor: only the host creates \`${name}\` objects, with any arguments. */\nnew (...args: never[]): ${name};`);
    }
    for (const f of statics) cls.push(`${jsDoc(f.docs)}${declKey(staticKey(methodName(f.name)))}${this.#signature(f)};`);
    const ext = direction === 'export' ? ' extends Disposable' : '';
    const note =
      direction === 'export'
        ? ['Implemented by the guest; `[Symbol.dispose]()` drops the handle (the guest destructor runs).']
        : ['Implemented by the host; when the guest drops its last handle, the object\'s `[Symbol.dispose]()` runs if it has one.'];
    return [
      `${jsDoc(def.docs, note)}export interface ${name}${ext} {\n${inst.join('\n')}\n}`,
      `/** The class of \`${name}\`: constructor and static functions. */\nexport interface ${name}Class {\n${cls.join('\n')}\n}`,
    ].join('\n\n');
  }

  // Functions -----------------------------------------------------------------------------------

  /**
   * Resource type indices are assigned in order of first use, from 1. A resource of an interface
   * the world both imports and exports is two resource types (the host's import, the guest's
   * export); `side` says which one the function being emitted sees.
   */
  #resourceInfo(id: TypeId, side: 'import' | 'export'): ResourceInfo {
    id = dealias(this.#resolve, id);
    const dual = this.#isImported(id) && this.#isExported(id);
    const key = dual ? `${id}:${side}` : String(id);
    let info = this.#resources.get(key);
    if (info === undefined) {
      info = {
        index: this.#resources.size + 1,
        guestDefined: dual ? side === 'export' : this.#isExported(id),
        name: typeName(this.#resolve.types[id]!.name!),
        type: this.#types.resourceName(id),
      };
      this.#resources.set(key, info);
    }
    return info;
  }

  /**
   * Checks, before anything is lowered, that no guest resource object is passed both as an owned
   * handle and again (owned or borrowed, `self` included) among the parameters themselves: the
   * move would leave nothing to lend or move the second time. Caught while lowering instead (in
   * a list, a record, …), the call is already half done and the instance is poisoned.
   */
  #movedTwiceChecks(f: Func, names: readonly string[]): string[] {
    const handles: { name: string; own: boolean; rt: number }[] = [];
    f.params.forEach((p, i) => {
      const d = dealiasType(this.#resolve, p.type);
      if (typeof d === 'string') return;
      const kind = this.#resolve.types[d]!.kind;
      if (kind.tag !== 'handle') return;
      const info = this.#resourceInfo(kind.resource, 'export');
      if (info.guestDefined) handles.push({ name: names[i]!, own: kind.handle === 'own', rt: info.index });
    });
    const out: string[] = [];
    handles.forEach((a, i) => {
      for (const b of handles.slice(i + 1)) {
        if (a.rt === b.rt && (a.own || b.own)) out.push(`if (${a.name} === ${b.name}) st.passedTwice(${a.name});`);
      }
    });
    return out;
  }

  #isImported(id: TypeId): boolean {
    const owner = this.#resolve.types[id]!.owner;
    if (owner.kind !== 'interface') return false;
    return this.#imports.some((e) => e.id === owner.id);
  }

  #isExported(id: TypeId): boolean {
    const owner = this.#resolve.types[id]!.owner;
    if (owner.kind !== 'interface') return false;
    return this.#exports.some((e) => e.id === owner.id);
  }

  #plan(f: Func, direction: 'export' | 'import', coreName: string): FunctionPlan {
    const plan = this.#planner.plan(f, direction, {
      encoding: this.#encoding,
      coreName,
      postReturn: direction === 'export' ? `cabi_post_${coreName}` : null,
    });
    this.#plans.push(plan);
    return plan;
  }

  #context(over: Partial<BindgenContext> & Pick<BindgenContext, 'args'>): BindgenContext {
    return {
      resolve: this.#resolve,
      types: this.#types,
      callWasm: () => {
        throw new Error('internal error: callWasm');
      },
      callInterface: () => {
        throw new Error('internal error: callInterface');
      },
      postReturn: null,
      throwsResult: false,
      resource: (id) => this.#resourceInfo(id, this.#validators.side),
      ...over,
    } as BindgenContext;
  }

  /**
   * The body of a host→guest export wrapper. `self`: a method's receiver (`this`, already
   * checked); `ctor`: the resource a constructor builds into `this`.
   */
  #exportBody(
    f: Func,
    coreName: string,
    fnVar: string,
    postVar: string,
    opts: { self?: string; selfCheck?: (self: string) => string; ctor?: TypeId; inner?: boolean } = {},
  ): { params: string; body: string } {
    const throwsResult = this.#resultOk(f) !== undefined;
    // An export whose `result` is thrown, other than a constructor: the work is done by a
    // function of its own, which returns normally and leaves the error's payload in
    // `pendingError`, and the export is a small wrapper that throws it. V8 gives a function its
    // feedback vector, and later optimizes it, only after it has *returned* often enough: a
    // function that throws on every call (one whose guest always answers `err`) would otherwise
    // run in the interpreter forever, with no inline caches (measured 1.5 µs against 1.0 µs per
    // call, without stack traces). The wrapper has no property accesses, so it costs little
    // uncompiled.
    if (throwsResult && opts.ctor === undefined && opts.inner !== true) return this.#splitExport(f, coreName, fnVar, postVar, opts);
    const plan = this.#plan(f, 'export', coreName);
    const skip = opts.self !== undefined ? 1 : 0;
    const names = f.params.map((p, i) => (i < skip ? opts.self! : bindingName(p.name)));
    this.#validators.side = 'export';
    // utf8: the last plain `string` parameter is validated by encoding it into the runtime's
    // scratch (prepareUtf8), which its lowering then copies from (one pass instead of two).
    let prep = -1;
    if (this.#encoding === 'utf8') {
      f.params.forEach((p, i) => {
        if (i >= skip && dealiasType(this.#resolve, p.type) === 'string') prep = i;
      });
    }
    const checks = f.params
      .map((p, i) => {
        if (i < skip) return '';
        if (i !== prep) return this.#validators.checkStatement(p.type, names[i]!, lowerCamel(p.name));
        this.#rt('prepareUtf8');
        this.#rt('invalid');
        return `if (!prepareUtf8(${names[i]!})) invalid(${quote(lowerCamel(p.name))}, 'string', ${names[i]!});`;
      })
      .filter((s) => s.length > 0);
    if (opts.selfCheck !== undefined) checks.unshift(opts.selfCheck(opts.self!));
    checks.push(...this.#movedTwiceChecks(f, names));
    const bg = new TsBindgen(
      plan,
      this.#context({
        args: names,
        callWasm: (args) => `${fnVar}(${args.join(', ')})`,
        postReturn: postVar,
        throwsResult,
        ...(opts.inner === true ? { errorToWrapper: true } : {}),
        ...(opts.ctor !== undefined ? { ctorTarget: opts.ctor } : {}),
      }),
    );
    runPlan(plan.body, bg);
    const params = f.params
      .slice(skip)
      .map((p) => `${bindingName(p.name)}: ${this.#types.typeRef(p.type)}`)
      .join(', ');
    // A `result`'s `err` is thrown after the try/catch (`thrown`), not from inside it: a throw
    // caught and rethrown costs twice, and `abort` would have to tell it from a trap.
    const body = [
      ...checks,
      ...(throwsResult ? [opts.inner === true ? 'let failed = false;\nlet thrown: unknown;' : 'let thrown: ComponentError | undefined;'] : []),
      // `st.enter()` written out: the call guard inline costs less inlining budget than the call.
      'if (st.state !== 0) st.refused();',
      'try {',
      bg.code,
      '} catch (e) {',
      'throw st.abort(e);',
      '}',
      ...(throwsResult ? [opts.inner === true ? 'pendingFailed = true;\npendingError = thrown;\nreturn undefined as never;' : 'throw thrown;'] : []),
    ].join('\n');
    return { params, body };
  }

  /** The numbered helper functions of {@link #splitExport}, declared in `bindCore`. */
  #innerDecls: string[] = [];

  /** {@link #exportBody} of an export whose `result` is thrown: a wrapper over a helper. */
  #splitExport(
    f: Func,
    coreName: string,
    fnVar: string,
    postVar: string,
    opts: { self?: string; selfCheck?: (self: string) => string },
  ): { params: string; body: string } {
    const helper = `x${this.#innerDecls.length}`;
    const method = opts.self !== undefined;
    const inner = this.#exportBody(f, coreName, fnVar, postVar, {
      ...(method ? { self: 'self', selfCheck: opts.selfCheck! } : {}),
      inner: true,
    });
    // (`this` of the resource's class, checked first thing by the helper.)
    const selfParam = method ? 'self: GuestResource' : '';
    const params = [selfParam, inner.params].filter((x) => x.length > 0).join(', ');
    const resultType = this.#resultType(f);
    this.#innerDecls.push(`function ${helper}(${params}): ${resultType} {\n${inner.body}\n}`);
    const args = [...(method ? ['this'] : []), ...f.params.slice(method ? 1 : 0).map((p) => bindingName(p.name))].join(', ');
    const call = resultType === 'void' ? `${helper}(${args});` : `const r0 = ${helper}(${args});`;
    // The ComponentError is made here, not in the helper: V8 records the stack trace when it is
    // made, and a trace through an optimized frame costs more to take (about 0.6 µs here).
    const body = [
      call,
      'if (pendingFailed) {',
      'const e0 = pendingError;',
      'pendingFailed = false;',
      'pendingError = undefined;',
      'throw new ComponentError(e0);',
      '}',
      ...(resultType === 'void' ? [] : ['return r0;']),
    ].join('\n');
    return { params: inner.params, body };
  }

  #emitExports(): string {
    const lines: string[] = [];
    const fnDecls: string[] = [];
    let n = 0;
    /** Declares the core export (and its optional post-return) of `coreName`; returns their variables. */
    const coreFn = (coreName: string): { fnVar: string; postVar: string } => {
      const fnVar = `f${n}`;
      const postVar = `pr${n}`;
      n++;
      fnDecls.push(`var ${fnVar} = coreFunc(ex, ${quote(coreName)});`);
      fnDecls.push(`var ${postVar} = postReturnFunc(st, ex, ${quote(`cabi_post_${coreName}`)});`);
      return { fnVar, postVar };
    };
    const wrap = (f: Func, coreName: string, key = lowerCamel(f.name)): string => {
      const { fnVar, postVar } = coreFn(coreName);
      const { params, body } = this.#exportBody(f, coreName, fnVar, postVar);
      return `${key}(${params}): ${this.#resultType(f)} {\n${body}\n}`;
    };
    this.#rt('coreFunc');
    this.#rt('optionalCoreFunc');
    this.#rt('postReturnFunc');
    const members: string[] = [];
    for (const f of this.#exportFuncs) members.push(wrap(f, f.name, exportKey(f.name)) + ',');
    const aliases = this.#exportAliases();
    const variables = new Set<string>();
    for (const [i, wi] of this.#exports.entries()) {
      const iface = this.#resolve.interfaces[wi.id]!;
      const fns: string[] = [];
      for (const [name, id] of iface.types) {
        if (!this.#definesResource(id)) continue;
        const cls = this.#guestClass(wi, id, coreFn);
        lines.push(cls.code);
        fns.push(`${upperCamel(name)}: ${cls.variable},`);
      }
      for (const f of iface.functions.values()) {
        if (!isFreestanding(f)) continue;
        fns.push(wrap(f, `${wi.coreKey}#${f.name}`) + ',');
      }
      let v = `i_${wi.prop}`;
      for (let n = 2; variables.has(v); n++) v = `i_${wi.prop}${n}`;
      variables.add(v);
      lines.push(`const ${v}: ${wi.ns}.Api = {\n${fns.join('\n')}\n};`);
      if (aliases[i] !== null) members.push(`${aliases[i]}: ${v},`);
      members.push(`${quote(wi.coreKey)}: ${v},`);
    }
    return [
      '/** Raw core imports for `WebAssembly.instantiate`, plus the state they share with `bindCore`. */',
      'export interface CoreLink {',
      'readonly imports: WebAssembly.Imports;',
      'readonly state: CoreInstance;',
      '}',
      '',
      '/**',
      ' * Binds the exports of an instantiated core module (anything carrying `memory`, `cabi_realloc`',
      ' * and the named functions) to typed exports. `link` comes from `createCoreImports`.',
      ' */',
      `export function bindCore(ex: CoreExportsLike, link?: CoreLink): Exports {`,
      '// `var`: the functions below read these on every call, and V8 checks a closure\'s `const`',
      '// for its temporal dead zone on each read (a load and a branch, and bytecode that counts',
      '// against inlining budgets).',
      'var st: CoreInstance = link ? link.state : new CoreInstance();',
      'st.bind(ex);',
      ...fnDecls,
      ...(this.#innerDecls.length > 0
        ? ['// The `err` of a `result` an export throws, handed over by its helper (`x0`, …): the helper', '// returns normally, so that V8 optimizes it even when every call fails.', 'var pendingFailed = false;', 'var pendingError: unknown;', ...this.#innerDecls]
        : []),
      ...lines,
      `return {\n${members.join('\n')}\n};`,
      '}',
      '',
      ...this.#instantiate(),
    ].join('\n');
  }

  /**
   * The class of a guest-defined resource, created per instance inside `bindCore`: its
   * constructor, methods and statics call the guest's exports; `[Symbol.dispose]()` drops the
   * host's handle, which runs the guest's `[dtor]`.
   */
  #guestClass(
    wi: WorldInterface,
    id: TypeId,
    coreFn: (coreName: string) => { fnVar: string; postVar: string },
  ): { code: string; variable: string } {
    const iface = this.#resolve.interfaces[wi.id]!;
    const info = this.#resourceInfo(id, 'export');
    const wit = this.#resolve.types[id]!.name!;
    const variable = `R${info.index}`;
    const { ctor, methods, statics } = this.#resourceFuncs(id, iface.functions.values());
    this.#rt('GuestResource');
    this.#rt('invalidResource');
    const members: string[] = [];
    if (ctor) {
      const coreName = `${wi.coreKey}#${ctor.name}`;
      const { fnVar, postVar } = coreFn(coreName);
      const { params, body } = this.#exportBody(ctor, coreName, fnVar, postVar, { ctor: id });
      members.push(`constructor(${params}) {\nsuper();\n${body}\n}`);
    } else {
      members.push(`constructor() {\nsuper();\nthrow new TypeError(${quote(`resource \`${wit}\` has no constructor`)});\n}`);
    }
    for (const f of methods) {
      const coreName = `${wi.coreKey}#${f.name}`;
      const { fnVar, postVar } = coreFn(coreName);
      const where = `${info.name}.${methodKey(methodName(f.name))}`;
      const selfCheck = (self: string): string =>
        `if (!st.isResource(${self}, ${info.index}) || ${self}._rep < 0) invalidResource(${quote(where)}, ${quote(info.name)}, ${self});`;
      const { params, body } = this.#exportBody(f, coreName, fnVar, postVar, { self: 'this', selfCheck });
      members.push(`${methodKey(methodName(f.name))}(${params}): ${this.#resultType(f)} {\n${body}\n}`);
    }
    for (const f of statics) {
      const coreName = `${wi.coreKey}#${f.name}`;
      const { fnVar, postVar } = coreFn(coreName);
      const { params, body } = this.#exportBody(f, coreName, fnVar, postVar);
      members.push(`static ${staticKey(methodName(f.name))}(${params}): ${this.#resultType(f)} {\n${body}\n}`);
    }
    members.push(
      `/** Drops the host's handle: the guest's destructor runs. Using the object afterwards throws. */\n[Symbol.dispose](): void {\nst.disposeGuest(this, ${info.index}, ${quote(info.name)});\n}`,
    );
    const code = [
      `st.dtors[${info.index}] = optionalCoreFunc(ex, ${quote(`${wi.coreKey}#[dtor]${wit}`)});`,
      `const ${variable} = class ${info.name} extends GuestResource implements ${info.type} {\n${members.join('\n\n')}\n};`,
      `st.classes[${info.index}] = ${variable};`,
    ].join('\n');
    return { code, variable };
  }

  #instantiate(): string[] {
    const wasi = this.#imports.filter((wi) => wi.coreKey.startsWith('wasi:') && this.#hasMembers(wi.id)).map((wi) => wi.coreKey);
    if (wasi.length > 0) this.#rt('withWasiDefaults');
    const wasiKeys = wasi.map(quote).join(' | ');
    const wasiOnly =
      this.#imports.every((wi) => wi.coreKey.startsWith('wasi:') || !this.#hasMembers(wi.id)) &&
      this.#importFuncs.length === 0 &&
      this.#worldResources.length === 0;
    this.#rt('compileCore');
    this.#rt('instantiateCoreModule');
    this.#rt('compileComponent');
    this.#rt('instantiateComponentCore');
    return [
      '/** Options of `instantiateCore`. */',
      'export interface InstantiateCoreOptions {',
      '/** Extra raw core imports merged into the import object (e.g. `wasi_snapshot_preview1`). */',
      'readonly coreImports?: WebAssembly.Imports;',
      '}',
      '',
      '/**',
      ' * Compiles (unless given a `WebAssembly.Module`) and instantiates a core module, runs',
      ' * `_initialize` when present, and returns its typed exports.',
      ' */',
      'export async function instantiateCore(',
      'source: BufferSource | WebAssembly.Module | Response | PromiseLike<Response>,',
      `imports: Imports${this.#importsRequired() ? '' : ' = {} as Imports'},`,
      'options: InstantiateCoreOptions = {},',
      '): Promise<Exports> {',
      'const link = createCoreImports(imports);',
      'const module = await compileCore(source);',
      'const ex = await instantiateCoreModule(module, link.imports, options.coreImports, link.state);',
      'return bindCore(ex, link);',
      '}',
      '',
      '/**',
      ' * Instantiates a component binary (bytes, a `Response`, or the result of `compileComponent`,',
      ' * which can be instantiated any number of times without recompiling) and returns its typed',
      ' * exports. The component\'s string encoding must be the one these bindings were generated for.',
      ' */',
      ...(wasi.length > 0
        ? [
            '/**',
            ' * The imports of `instantiateComponent`: WASI interfaces may be left out (the default is',
            ' * `@bytecodealliance/preview2-shim`); one given here replaces the default.',
            ' */',
            `export type ComponentImports = Omit<Imports, ${wasiKeys}> & Partial<Pick<Imports, ${wasiKeys}>>;`,
            '',
          ]
        : []),
      'export async function instantiateComponent(',
      'source: BufferSource | Response | PromiseLike<Response> | CompiledComponent,',
      wasi.length > 0
        ? `imports: ComponentImports${wasiOnly ? ' = {}' : ''},`
        : `imports: Imports${this.#importsRequired() ? '' : ' = {} as Imports'},`,
      '): Promise<Exports> {',
      ...(wasi.length > 0
        ? [`const link = createCoreImports(await withWasiDefaults(imports as Imports, [${wasi.map(quote).join(', ')}]));`]
        : ['const link = createCoreImports(imports);']),
      'const compiled = await compileComponent(source);',
      `const ex = await instantiateComponentCore(compiled, link.imports, link.state, { encoding: ${quote(this.#encoding)} });`,
      'return bindCore(ex, link);',
      '}',
      '',
      '/** Decodes a component and compiles its core modules once, for `instantiateComponent`. */',
      'export { compileComponent };',
    ];
  }

  #importsRequired(): boolean {
    return this.#imports.some((wi) => this.#hasMembers(wi.id)) || this.#importFuncs.length > 0 || this.#worldResources.length > 0;
  }

  /** Whether an interface has functions or resources (types-only interfaces need no host object). */
  #hasMembers(id: InterfaceId): boolean {
    const iface = this.#resolve.interfaces[id]!;
    return iface.functions.size > 0 || [...iface.types.values()].some((t) => this.#definesResource(t));
  }

  #emitImports(): string {
    const modules: string[] = [];
    const implDecls: string[] = [];
    /**
     * A guest→host import wrapper: lifts the guest's arguments, calls `call`, lowers the result.
     * Whatever escapes it goes through `st.importFailed` (the instance is poisoned at once; an
     * exception of the host implementation becomes a trap naming `importName`, its WIT name).
     */
    const wrap = (
      f: Func,
      call: (args: readonly string[]) => string,
      fieldName: string,
      display: string,
      importName: string,
    ): string => {
      this.#validators.side = 'import';
      const plan = this.#plan(f, 'import', fieldName);
      const args = plan.coreParams.map((_, i) => `a${i}`);
      const params = plan.coreParams.map((t, i) => `a${i}: ${t === 'i64' ? 'bigint' : 'number'}`).join(', ');
      const throwsResult = this.#resultOk(f) !== undefined;
      const resultCheck = f.result === null ? null : f.result;
      const checkResult = (expr: string): string => {
        if (!throwsResult) return this.#validators.checkStatement(resultCheck!, expr, `${display} result`);
        // The host returned `ok`'s payload itself, or threw a ComponentError carrying `err`'s:
        // the paths name those, not the `{ tag, val }` the wrapper made of them.
        const kind = this.#resolve.types[dealias(this.#resolve, resultCheck as TypeId)]!.kind as { ok: Type | null; err: Type | null };
        const checks: string[] = [];
        if (kind.ok !== null) {
          checks.push(`if (${expr}.tag === 'ok') {\n${this.#validators.checkStatement(kind.ok, `${expr}.val`, `${display} result`)}\n}`);
        }
        if (kind.err !== null) {
          const check = this.#validators.checkStatement(kind.err, `${expr}.val`, `${display} ComponentError payload`);
          checks.push(`if (${expr}.tag === 'err') {\n${check}\n}`);
        }
        return checks.join('\n');
      };
      const bg = new TsBindgen(
        plan,
        this.#context({
          args,
          callInterface: call,
          throwsResult,
          ...(resultCheck !== null ? { checkResult } : {}),
        } as Partial<BindgenContext> & Pick<BindgenContext, 'args'>),
      );
      runPlan(plan.body, bg);
      return `${quote(fieldName)}: (${params}) => {\nconst mark = st.enterImport();\ntry {\n${bg.code}\n} catch (e) {\nthrow st.importFailed(e, ${quote(importName)});\n} finally {\nst.leaveImport(mark);\n}\n},`;
    };
    /** Fields of a resource implemented by the host: constructor, methods, statics, `[resource-drop]`. */
    const hostResource = (id: TypeId, funcs: Iterable<Func>, classExpr: string, prefix: string): string[] => {
      const info = this.#resourceInfo(id, 'import');
      implDecls.push(`st.classes[${info.index}] = ${classExpr};`);
      const { ctor, methods, statics } = this.#resourceFuncs(id, funcs);
      const fields: string[] = [];
      if (ctor) fields.push(wrap(ctor, (a) => `new ${classExpr}(${a.join(', ')})`, ctor.name, `new ${info.name}()`, prefix + ctor.name));
      for (const f of methods) {
        const m = methodKey(methodName(f.name));
        fields.push(wrap(f, (a) => `(${a[0]}).${m}(${a.slice(1).join(', ')})`, f.name, `${info.name}.${m}()`, prefix + f.name));
      }
      for (const f of statics) {
        const m = staticKey(methodName(f.name));
        fields.push(wrap(f, (a) => `${classExpr}.${m}(${a.join(', ')})`, f.name, `${info.name}.${m}()`, prefix + f.name));
      }
      const wit = this.#resolve.types[id]!.name!;
      fields.push(`${quote(`[resource-drop]${wit}`)}: (h: number) => {\nst.dropHostHandle(h, ${info.index});\n},`);
      return fields;
    };
    this.#rt('importTable');
    for (const [k, wi] of this.#imports.entries()) {
      const iface = this.#resolve.interfaces[wi.id]!;
      if (!this.#hasMembers(wi.id)) continue;
      const impl = `im${k}`;
      const fnNames = [...iface.functions.values()].filter(isFreestanding).map((f) => quote(lowerCamel(f.name)));
      const classNames = [...iface.types].filter(([, id]) => this.#definesResource(id)).map(([n]) => quote(upperCamel(n)));
      implDecls.push(
        `const ${impl} = importTable(imports, ${quote(wi.coreKey)}, [${fnNames.join(', ')}]${classNames.length > 0 ? `, [${classNames.join(', ')}]` : ''}) as unknown as ${wi.ns}.Api;`,
      );
      const fields: string[] = [];
      for (const [name, id] of iface.types) {
        if (this.#definesResource(id)) {
          fields.push(...hostResource(id, iface.functions.values(), `${impl}.${upperCamel(name)}`, `${wi.coreKey}#`));
        }
      }
      for (const f of iface.functions.values()) {
        if (!isFreestanding(f)) continue;
        fields.push(
          wrap(f, (a) => `${impl}.${lowerCamel(f.name)}(${a.join(', ')})`, f.name, `${lowerCamel(f.name)}()`, `${wi.coreKey}#${f.name}`),
        );
      }
      modules.push(`${quote(wi.coreKey)}: {\n${fields.join('\n')}\n},`);
    }
    if (this.#importFuncs.length > 0 || this.#worldResources.length > 0) {
      const fnNames = this.#importFuncs.map((f) => quote(lowerCamel(f.name)));
      const classNames = this.#worldResources.map((id) => quote(upperCamel(this.#resolve.types[id]!.name!)));
      implDecls.push(
        `const imr = importTable({ $root: imports }, '$root', [${fnNames.join(', ')}]${classNames.length > 0 ? `, [${classNames.join(', ')}]` : ''}) as unknown as Imports;`,
      );
      const fields: string[] = [];
      for (const id of this.#worldResources) {
        fields.push(...hostResource(id, this.#worldFuncs(), `imr.${upperCamel(this.#resolve.types[id]!.name!)}`, ''));
      }
      fields.push(
        ...this.#importFuncs.map((f) =>
          wrap(f, (a) => `imr.${lowerCamel(f.name)}(${a.join(', ')})`, f.name, `${lowerCamel(f.name)}()`, f.name),
        ),
      );
      modules.push(`$root: {\n${fields.join('\n')}\n},`);
    }
    // The canonical built-ins of resources the guest itself defines (`[export]<key>`).
    for (const wi of this.#exports) {
      const fields: string[] = [];
      for (const id of this.#resolve.interfaces[wi.id]!.types.values()) {
        if (!this.#definesResource(id)) continue;
        const { index } = this.#resourceInfo(id, 'export');
        const wit = this.#resolve.types[id]!.name!;
        fields.push(
          `${quote(`[resource-new]${wit}`)}: (rep: number): number => st.resourceNew(rep, ${index}),`,
          `${quote(`[resource-rep]${wit}`)}: (h: number): number => st.resourceRep(h, ${index}),`,
          `${quote(`[resource-drop]${wit}`)}: (h: number) => {\nst.dropGuestHandle(h, ${index});\n},`,
        );
      }
      if (fields.length > 0) modules.push(`${quote(`[export]${wi.coreKey}`)}: {\n${fields.join('\n')}\n},`);
    }
    return [
      '/**',
      ' * The raw core imports implementing the world\'s imports with `imports`; pass `link.imports`',
      ' * to `WebAssembly.instantiate`, then `bindCore(instance.exports, link)`.',
      ' */',
      `export function createCoreImports(imports: Imports${this.#importsRequired() ? '' : ' = {} as Imports'}): CoreLink {`,
      'var st: CoreInstance = new CoreInstance(); // `var`: see bindCore',
      ...implDecls,
      `const raw = {\n${modules.join('\n')}\n};`,
      'return { imports: raw, state: st };',
      '}',
    ].join('\n');
  }
}

/** Whether `f` is a plain function (not a resource's constructor, method or static). */
function isFreestanding(f: Func): boolean {
  return f.kind.tag === 'freestanding' || f.kind.tag === 'async-freestanding';
}

/** `[method]r.m` → `m`, `[static]r.s` → `s`. */
function methodName(name: string): string {
  const i = name.lastIndexOf('.');
  return i >= 0 ? name.slice(i + 1) : name.replace(/^\[[^\]]*\]/, '');
}
