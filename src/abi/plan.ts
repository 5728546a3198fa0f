/**
 * The one canonical-ABI planner (style guide §1): for a function and a direction it produces a
 * {@link FunctionPlan} — the instructions a host runs to call a guest export (`canon lift` seen
 * from outside) or to implement a guest's import (`canon lower`). Only this file decides
 * flattening limits, spills, return pointers, realloc and post-return.
 *
 * References are to `definitions.py` (WebAssembly/component-model `design/mvp/canonical-abi/`).
 */
import { assertNever } from '../util.js';
import { dealias, dealiasType, type Func, type Resolve, type Type, type TypeId } from '../wit/model.js';
import { Flattener, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, type WasmType } from './flatten.js';
import type { Block, CanonNumeric, ConvertOp, Instruction, LoadKind, StoreKind, StringEncoding, VariantFlavor } from './instructions.js';
import { discriminantType, SizeAlign, type DiscriminantType } from './layout.js';
import { PlanError } from './errors.js';
import { describeType, FIXED_LIST_UNROLL, MAX_MEMORY_SIZE, MAX_TYPE_DEPTH, MAX_TYPE_WEIGHT, TypeMeasures } from './limits.js';

export { PlanError } from './errors.js';

/**
 * `export`: the host calls a function the guest exports (lower params, call, lift results,
 * post-return). `import`: the guest calls a function the host implements (lift params, call the
 * host, lower results).
 */
export type Direction = 'export' | 'import';

export interface PlanOptions {
  readonly encoding: StringEncoding;
  /** Core export name of the function (`export`) or core import field (`import`). */
  readonly coreName: string;
  /** Name of the export's post-return function, when the guest has one (`export` only). */
  readonly postReturn?: string | null;
}

export interface FunctionPlan {
  readonly func: Func;
  readonly direction: Direction;
  readonly coreName: string;
  readonly encoding: StringEncoding;
  /** The core function type (definitions.py `flatten_functype`). */
  readonly coreParams: readonly WasmType[];
  readonly coreResults: readonly WasmType[];
  /** True when params were spilled to memory (more than MAX_FLAT_PARAMS flat values). */
  readonly spilledParams: boolean;
  /** True when results go through memory (more than MAX_FLAT_RESULTS flat values). */
  readonly spilledResults: boolean;
  readonly body: readonly Instruction[];
  /** Post-return export called after lifting (`export` direction only). */
  readonly postReturn: string | null;
  /** Whether the plan calls `cabi_realloc`. */
  readonly usesRealloc: boolean;
  /** Number of locals the plan uses. */
  readonly locals: number;
}

/**
 * A source of flat values when lifting: each call returns the instructions that push the next
 * flat value as the core type `want` (args and locals are pure, so a variant's slots can be
 * re-read by every case block).
 */
type FlatSource = (want: WasmType) => Instruction[];

const CANON_NUMERIC = new Set<string>(['u8', 's8', 'u16', 's16', 'u32', 's32', 'u64', 's64', 'f32', 'f64']);

/** Plans function calls for one {@link Resolve}; reuse one planner for all functions. */
export class Planner {
  readonly resolve: Resolve;
  readonly sizes: SizeAlign;
  readonly flat: Flattener;
  readonly #measures: TypeMeasures;

  constructor(resolve: Resolve) {
    this.resolve = resolve;
    this.sizes = new SizeAlign(resolve);
    this.flat = new Flattener(resolve);
    this.#measures = new TypeMeasures(resolve);
  }

  /**
   * Refuses a type beyond the planner's limits (limits.ts) before anything recurses over it:
   * nesting deeper than MAX_TYPE_DEPTH, a plan larger than MAX_TYPE_WEIGHT nodes, a size beyond
   * a 32-bit memory (SizeAlign refuses that).
   */
  #checkLimits(t: Type, what: string): void {
    const depth = this.#measures.depth(t);
    if (depth > MAX_TYPE_DEPTH) {
      throw new PlanError(
        `${what} (${describeType(this.resolve, t)}): type nesting deeper than ${MAX_TYPE_DEPTH} levels is not supported (it nests ${depth} levels deep)`,
      );
    }
    const weight = this.#measures.weight(t);
    if (weight > MAX_TYPE_WEIGHT) {
      throw new PlanError(
        `${what} (${describeType(this.resolve, t)}): the type expands to more than ${MAX_TYPE_WEIGHT} parts to lower or lift (${weight === Number.MAX_SAFE_INTEGER ? 'far more' : weight}); shared named types multiply`,
      );
    }
    try {
      this.sizes.layout(t);
    } catch (e) {
      if (e instanceof PlanError) throw new PlanError(`${what}: ${e.message}`);
      throw e;
    }
  }

  /**
   * Plans `func` in `direction`. Throws a {@link PlanError} naming the function for what the
   * planner does not handle yet: async functions, `future`, `stream` and `error-context`.
   */
  plan(func: Func, direction: Direction, options: PlanOptions): FunctionPlan {
    const what = `${direction} \`${options.coreName}\``;
    if (func.kind.tag.startsWith('async')) throw new PlanError(`${what}: async functions are not supported yet`);
    try {
      return this.#planSync(func, direction, options);
    } catch (e) {
      if (e instanceof PlanError) throw new PlanError(`${what}: ${e.message}`);
      throw e;
    }
  }

  #planSync(func: Func, direction: Direction, options: PlanOptions): FunctionPlan {
    const g = new Generator(this, options.encoding);
    for (const p of func.params) this.#checkLimits(p.type, `param \`${p.name}\``);
    if (func.result !== null) this.#checkLimits(func.result, 'the result');
    const paramTypes = func.params.map((p) => p.type);
    const resultTypes = func.result === null ? [] : [func.result];
    // Only as many flat values as fit are built (a `list<u8, 4294967295>` just spills).
    const flatParams = this.flat.flattenUpTo(paramTypes, MAX_FLAT_PARAMS);
    const flatResults = this.flat.flattenUpTo(resultTypes, MAX_FLAT_RESULTS);
    const spilledParams = flatParams === null;
    const spilledResults = flatResults === null;
    const tuple = this.sizes.recordLayout(paramTypes);
    if (tuple.size > MAX_MEMORY_SIZE) {
      throw new PlanError(`the parameters take ${tuple.size} bytes together, more than a 32-bit memory holds (at most ${MAX_MEMORY_SIZE})`);
    }
    const offsets = this.sizes.fieldOffsets(paramTypes);
    const resultLayout = this.sizes.recordLayout(resultTypes);

    let coreParams: WasmType[] = flatParams ?? ['i32'];
    let coreResults: WasmType[] = flatResults ?? [];
    if (spilledResults) {
      if (direction === 'export') coreResults = ['i32'];
      else {
        coreParams = [...coreParams, 'i32'];
        coreResults = [];
      }
    }

    if (direction === 'export') {
      // definitions.py canon_lift → lower_flat_values(MAX_FLAT_PARAMS): spill tuple allocated first.
      if (!spilledParams) {
        func.params.forEach((p, i) => {
          g.emit({ op: 'getArg', index: i });
          g.lower(p.type);
        });
      } else {
        const tupleLocal = g.newLocal();
        g.usesRealloc = true;
        g.emit({ op: 'malloc', size: tuple.size, align: tuple.align });
        g.emit({ op: 'setLocal', local: tupleLocal });
        func.params.forEach((p, i) => {
          g.emit({ op: 'getArg', index: i });
          g.write(p.type, { op: 'getLocal', local: tupleLocal }, offsets[i]!);
        });
        g.emit({ op: 'getLocal', local: tupleLocal });
      }
      g.emit({ op: 'callWasm', name: options.coreName, params: coreParams, results: coreResults });
      // lift_flat_values(MAX_FLAT_RESULTS): read through the returned pointer when spilled.
      if (func.result !== null) {
        const ret = g.newLocal();
        g.emit({ op: 'setLocal', local: ret });
        if (!spilledResults) {
          g.lift(func.result, () => [{ op: 'getLocal', local: ret }]);
        } else {
          g.emit({ op: 'getLocal', local: ret });
          g.emit({ op: 'pointerCheck', align: resultLayout.align, size: resultLayout.size });
          g.emit({ op: 'setLocal', local: ret });
          g.read(func.result, { op: 'getLocal', local: ret }, 0);
        }
      }
      // Post-return runs only after the result has been copied out (definitions.py canon_lift), so
      // the lifted value is bound to a local first.
      const postReturn = options.postReturn ?? null;
      if (postReturn !== null) {
        const value = g.newLocal();
        if (func.result !== null) g.emit({ op: 'setLocal', local: value });
        g.emit({ op: 'postReturn', name: postReturn });
        if (func.result !== null) g.emit({ op: 'getLocal', local: value });
      }
      g.emit({ op: 'return', count: func.result === null ? 0 : 1 });
      return this.#finish(func, direction, options, g, coreParams, coreResults, spilledParams, spilledResults, postReturn);
    }

    // direction === 'import': definitions.py canon_lower.
    if (!spilledParams) {
      let next = 0;
      const args: FlatSource = () => [{ op: 'getArg', index: next++ }];
      for (const p of func.params) g.lift(p.type, args);
    } else {
      const tupleLocal = g.newLocal();
      g.emit({ op: 'getArg', index: 0 });
      g.emit({ op: 'pointerCheck', align: tuple.align, size: tuple.size });
      g.emit({ op: 'setLocal', local: tupleLocal });
      func.params.forEach((p, i) => g.read(p.type, { op: 'getLocal', local: tupleLocal }, offsets[i]!));
    }
    g.emit({ op: 'callInterface', func, results: func.result === null ? 0 : 1 });
    if (func.result === null) {
      g.emit({ op: 'return', count: 0 });
    } else if (flatResults !== null) {
      g.lower(func.result);
      g.emit({ op: 'return', count: flatResults.length });
    } else {
      const retptr = g.newLocal();
      g.emit({ op: 'getArg', index: coreParams.length - 1 });
      g.emit({ op: 'pointerCheck', align: resultLayout.align, size: resultLayout.size });
      g.emit({ op: 'setLocal', local: retptr });
      g.write(func.result, { op: 'getLocal', local: retptr }, 0);
      g.emit({ op: 'return', count: 0 });
    }
    return this.#finish(func, direction, options, g, coreParams, coreResults, spilledParams, spilledResults, null);
  }

  #finish(
    func: Func,
    direction: Direction,
    options: PlanOptions,
    g: Generator,
    coreParams: WasmType[],
    coreResults: WasmType[],
    spilledParams: boolean,
    spilledResults: boolean,
    postReturn: string | null,
  ): FunctionPlan {
    return {
      func,
      direction,
      coreName: options.coreName,
      encoding: options.encoding,
      coreParams,
      coreResults,
      spilledParams,
      spilledResults,
      body: g.finish(),
      postReturn,
      usesRealloc: g.usesRealloc,
      locals: g.locals,
    };
  }
}

/** Builds one plan: a stack of instruction lists (the innermost is the block being built). */
class Generator {
  readonly #p: Planner;
  readonly #encoding: StringEncoding;
  readonly #blocks: Instruction[][] = [[]];
  usesRealloc = false;
  locals = 0;

  constructor(planner: Planner, encoding: StringEncoding) {
    this.#p = planner;
    this.#encoding = encoding;
  }

  emit(inst: Instruction): void {
    this.#blocks[this.#blocks.length - 1]!.push(inst);
  }

  emitAll(insts: readonly Instruction[]): void {
    for (const inst of insts) this.emit(inst);
  }

  newLocal(): number {
    return this.locals++;
  }

  finish(): Instruction[] {
    return this.#blocks[0]!;
  }

  #block(results: number, build: () => void): Block {
    this.#blocks.push([]);
    build();
    return { body: this.#blocks.pop()!, results };
  }

  /** Resolves aliases: a primitive, or the id of a non-alias definition. */
  #deal(t: Type): Type {
    return dealiasType(this.#p.resolve, t);
  }

  #variantShape(id: TypeId): { flavor: VariantFlavor; cases: (Type | null)[] } | null {
    const kind = this.#p.resolve.types[id]!.kind;
    switch (kind.tag) {
      case 'variant':
        return { flavor: 'variant', cases: kind.cases.map((c) => c.type) };
      case 'option':
        return { flavor: 'option', cases: [null, kind.type] };
      case 'result':
        return { flavor: 'result', cases: [kind.ok, kind.err] };
      case 'enum':
        return { flavor: 'enum', cases: kind.cases.map(() => null) };
      default:
        return null;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Flat lowering (definitions.py lower_flat): the JS value on top → its flat core values.

  lower(ty: Type): void {
    const t = this.#deal(ty);
    if (typeof t === 'string') {
      switch (t) {
        case 'string':
          this.usesRealloc = true;
          this.emit({ op: 'stringLower', encoding: this.#encoding });
          return;
        case 'error-context':
          return unplannable(t);
        default:
          this.emit({ op: 'convert', convert: LOWER_PRIM[t] });
          return;
      }
    }
    const kind = this.#p.resolve.types[t]!.kind;
    switch (kind.tag) {
      case 'record': {
        const local = this.newLocal();
        this.emit({ op: 'setLocal', local });
        kind.fields.forEach((f, index) => {
          this.emit({ op: 'getLocal', local });
          this.emit({ op: 'recordField', type: t, index });
          this.lower(f.type);
        });
        return;
      }
      case 'tuple': {
        const local = this.newLocal();
        this.emit({ op: 'setLocal', local });
        kind.types.forEach((et, index) => {
          this.emit({ op: 'getLocal', local });
          this.emit({ op: 'tupleElem', index });
          this.lower(et);
        });
        return;
      }
      case 'fixed-length-list': {
        // In flat position N × flat(T) ≤ MAX_FLAT_PARAMS, so unrolling is short.
        this.#flatFixedList(kind.size, kind.type);
        const local = this.newLocal();
        this.emit({ op: 'setLocal', local });
        for (let index = 0; index < kind.size; index++) {
          this.emit({ op: 'getLocal', local });
          this.emit({ op: 'fixedListElem', index });
          this.lower(kind.type);
        }
        return;
      }
      case 'flags':
        flagsStore(kind.flags.length, this.#p.resolve.types[t]!.name);
        this.emit({ op: 'flagsLower', type: t });
        return;
      case 'enum':
        this.emit({ op: 'enumLower', type: t });
        return;
      case 'variant':
      case 'option':
      case 'result': {
        const shape = this.#variantShape(t)!;
        const joined = this.#p.flat.flattenVariant(shape.cases).slice(1);
        const blocks = shape.cases.map((c) =>
          this.#block(joined.length, () => {
            let n = 0;
            if (c !== null) {
              this.emit({ op: 'variantPayload' });
              this.lower(c);
              const own = this.#p.flat.flatten(c);
              // Cast each slot to the joined type; the casts apply to the top `own.length` values,
              // so they are emitted as a single instruction per slot via locals.
              if (own.some((w, i) => w !== joined[i])) this.#castTop(own, joined);
              n = own.length;
            }
            for (let i = n; i < joined.length; i++) this.emit({ op: 'constZero', type: joined[i]! });
          }),
        );
        this.emit({ op: 'variantLower', type: t, flavor: shape.flavor, results: joined, blocks });
        return;
      }
      case 'list':
      case 'map':
        this.#listLower(t);
        return;
      case 'handle':
        this.emit({ op: 'handleLower', handle: kind.handle, resource: dealias(this.#p.resolve, kind.resource) });
        return;
      case 'future':
      case 'stream':
      case 'resource':
      case 'type':
        return unplannable(kind.tag);
      default:
        assertNever(kind);
    }
  }

  /**
   * Bitcasts the top `own.length` operands from `own` types to `joined` types. Operands below the
   * top are reached by spilling them to locals first (the stack machine only sees the top).
   */
  #castTop(own: readonly WasmType[], joined: readonly WasmType[]): void {
    const locals: number[] = [];
    for (let i = own.length - 1; i >= 0; i--) {
      const l = this.newLocal();
      this.emit({ op: 'setLocal', local: l });
      locals[i] = l;
    }
    own.forEach((w, i) => {
      this.emit({ op: 'getLocal', local: locals[i]! });
      if (w !== joined[i]) this.emit({ op: 'bitcast', from: w, to: joined[i]! });
    });
  }

  /**
   * A fixed-length list in flat position is unrolled: that is short because N × flat(T) ≤
   * MAX_FLAT_PARAMS, unless T has no flat values (an empty record or tuple: WIT cannot spell one).
   */
  #flatFixedList(n: number, element: Type): void {
    if (n > MAX_FLAT_PARAMS) {
      throw new PlanError(`\`list<${describeType(this.#p.resolve, element)}, ${n}>\` of a type without core values is not supported`);
    }
  }

  #listElement(id: TypeId): { element: Type; map: null } | { element: null; map: { key: Type; value: Type } } {
    const kind = this.#p.resolve.types[id]!.kind;
    if (kind.tag === 'list') return { element: kind.type, map: null };
    if (kind.tag === 'map') return { element: null, map: { key: kind.key, value: kind.value } };
    throw new Error('internal error: not a list');
  }

  #canonNumeric(t: Type): CanonNumeric | null {
    const d = this.#deal(t);
    return typeof d === 'string' && CANON_NUMERIC.has(d) ? (d as CanonNumeric) : null;
  }

  #listLower(id: TypeId): void {
    this.usesRealloc = true;
    const { element, map } = this.#listElement(id);
    if (element !== null) {
      const canon = this.#canonNumeric(element);
      if (canon) {
        this.emit({ op: 'listCanonLower', element: canon });
        return;
      }
      const l = this.#p.sizes.layout(element);
      const body = this.#block(0, () => {
        this.emit({ op: 'iterElem' });
        this.write(element, { op: 'iterBasePointer' }, 0);
      });
      this.emit({ op: 'listLower', element, map: false, size: l.size, align: l.align, body });
      return;
    }
    const kv = [map.key, map.value];
    const l = this.#p.sizes.recordLayout(kv);
    const offs = this.#p.sizes.fieldOffsets(kv);
    const body = this.#block(0, () => {
      const entry = this.newLocal();
      this.emit({ op: 'iterElem' });
      this.emit({ op: 'setLocal', local: entry });
      kv.forEach((t, index) => {
        this.emit({ op: 'getLocal', local: entry });
        this.emit({ op: 'tupleElem', index });
        this.write(t, { op: 'iterBasePointer' }, offs[index]!);
      });
    });
    this.emit({ op: 'listLower', element: null, map: true, size: l.size, align: l.align, body });
  }

  // ---------------------------------------------------------------------------------------------
  // Flat lifting (definitions.py lift_flat): flat values from `src` → the JS value on top.

  lift(ty: Type, src: FlatSource): void {
    const t = this.#deal(ty);
    if (typeof t === 'string') {
      switch (t) {
        case 'string':
          this.emitAll(src('i32'));
          this.emitAll(src('i32'));
          this.emit({ op: 'stringLift', encoding: this.#encoding });
          return;
        case 'error-context':
          return unplannable(t);
        default:
          this.emitAll(src(FLAT_PRIM[t]));
          this.emit({ op: 'convert', convert: LIFT_PRIM[t] });
          return;
      }
    }
    const kind = this.#p.resolve.types[t]!.kind;
    switch (kind.tag) {
      case 'record':
        for (const f of kind.fields) this.lift(f.type, src);
        this.emit({ op: 'recordLift', type: t, fields: kind.fields.length });
        return;
      case 'tuple':
        for (const et of kind.types) this.lift(et, src);
        this.emit({ op: 'tupleLift', size: kind.types.length, type: t });
        return;
      case 'fixed-length-list':
        this.#flatFixedList(kind.size, kind.type);
        for (let i = 0; i < kind.size; i++) this.lift(kind.type, src);
        this.emit({ op: 'fixedListLift', size: kind.size, type: t });
        return;
      case 'flags':
        flagsStore(kind.flags.length, this.#p.resolve.types[t]!.name);
        this.emitAll(src('i32'));
        this.emit({ op: 'flagsLift', type: t });
        return;
      case 'enum':
        this.emitAll(src('i32'));
        this.emit({ op: 'enumLift', type: t });
        return;
      case 'variant':
      case 'option':
      case 'result': {
        const shape = this.#variantShape(t)!;
        const joined = this.#p.flat.flattenVariant(shape.cases).slice(1);
        this.emitAll(src('i32'));
        // Every case reads the same slots: take their instructions once, replay per block.
        const slots = joined.map((w) => src(w));
        const blocks = shape.cases.map((c) =>
          this.#block(c === null ? 0 : 1, () => {
            if (c === null) return;
            let i = 0;
            this.lift(c, (want) => {
              const have = joined[i]!;
              const insts = slots[i++]!;
              // definitions.py lift_flat_variant CoerceValueIter: cast the joined slot back.
              return have === want ? insts : [...insts, { op: 'bitcast', from: have, to: want }];
            });
          }),
        );
        this.emit({ op: 'variantLift', type: t, flavor: shape.flavor, blocks });
        return;
      }
      case 'list':
      case 'map':
        this.emitAll(src('i32'));
        this.emitAll(src('i32'));
        this.#listLift(t);
        return;
      case 'handle':
        this.emitAll(src('i32'));
        this.emit({ op: 'handleLift', handle: kind.handle, resource: dealias(this.#p.resolve, kind.resource) });
        return;
      case 'future':
      case 'stream':
      case 'resource':
      case 'type':
        return unplannable(kind.tag);
      default:
        assertNever(kind);
    }
  }

  #listLift(id: TypeId): void {
    const { element, map } = this.#listElement(id);
    if (element !== null) {
      const canon = this.#canonNumeric(element);
      if (canon) {
        this.emit({ op: 'listCanonLift', element: canon });
        return;
      }
      const l = this.#p.sizes.layout(element);
      const body = this.#block(1, () => this.read(element, { op: 'iterBasePointer' }, 0));
      this.emit({ op: 'listLift', element, map: false, size: l.size, align: l.align, body });
      return;
    }
    const kv = [map.key, map.value];
    const l = this.#p.sizes.recordLayout(kv);
    const offs = this.#p.sizes.fieldOffsets(kv);
    const body = this.#block(1, () => {
      kv.forEach((t, i) => this.read(t, { op: 'iterBasePointer' }, offs[i]!));
      this.emit({ op: 'tupleLift', size: 2, type: null });
    });
    this.emit({ op: 'listLift', element: null, map: true, size: l.size, align: l.align, body });
  }

  // ---------------------------------------------------------------------------------------------
  // Storing (definitions.py store): the JS value on top → memory at base + offset.

  write(ty: Type, base: Instruction, offset: number): void {
    const t = this.#deal(ty);
    if (typeof t === 'string') {
      switch (t) {
        case 'string':
          this.usesRealloc = true;
          this.emit({ op: 'stringLower', encoding: this.#encoding });
          this.#storePair(base, offset);
          return;
        case 'error-context':
          return unplannable(t);
        default:
          this.emit({ op: 'convert', convert: LOWER_PRIM[t] });
          this.emit(base);
          this.emit({ op: 'store', kind: STORE_PRIM[t], offset });
          return;
      }
    }
    const kind = this.#p.resolve.types[t]!.kind;
    switch (kind.tag) {
      case 'record':
      case 'tuple': {
        const types = kind.tag === 'record' ? kind.fields.map((f) => f.type) : kind.types;
        const offs = this.#p.sizes.fieldOffsets(types);
        const local = this.newLocal();
        this.emit({ op: 'setLocal', local });
        types.forEach((ft, index) => {
          this.emit({ op: 'getLocal', local });
          this.emit(kind.tag === 'record' ? { op: 'recordField', type: t, index } : { op: 'tupleElem', index });
          this.write(ft, base, offset + offs[index]!);
        });
        return;
      }
      case 'fixed-length-list': {
        const size = this.#p.sizes.size(kind.type);
        if (kind.size > FIXED_LIST_UNROLL) {
          // definitions.py store_list_into_valid_range, as a loop.
          const body = this.#block(0, () => {
            this.emit({ op: 'iterElem' });
            this.write(kind.type, { op: 'iterBasePointer' }, 0);
          });
          this.emit(base);
          this.emit({ op: 'fixedListStore', element: kind.type, length: kind.size, size, offset, body });
          return;
        }
        const local = this.newLocal();
        this.emit({ op: 'setLocal', local });
        for (let index = 0; index < kind.size; index++) {
          this.emit({ op: 'getLocal', local });
          this.emit({ op: 'fixedListElem', index });
          this.write(kind.type, base, offset + index * size);
        }
        return;
      }
      case 'flags': {
        const store = flagsStore(kind.flags.length, this.#p.resolve.types[t]!.name);
        this.emit({ op: 'flagsLower', type: t });
        this.emit(base);
        this.emit({ op: 'store', kind: store, offset });
        return;
      }
      case 'enum':
        this.emit({ op: 'enumLower', type: t });
        this.emit(base);
        this.emit({ op: 'store', kind: DISC_STORE[discriminantType(kind.cases.length)], offset });
        return;
      case 'variant':
      case 'option':
      case 'result': {
        const shape = this.#variantShape(t)!;
        const payloadOffset = offset + this.#p.sizes.payloadOffset(shape.cases);
        const blocks = shape.cases.map((c) =>
          this.#block(0, () => {
            if (c === null) return;
            this.emit({ op: 'variantPayload' });
            this.write(c, { op: 'variantBase' }, payloadOffset);
          }),
        );
        this.emit(base);
        this.emit({
          op: 'variantStore',
          type: t,
          flavor: shape.flavor,
          disc: discriminantType(shape.cases.length),
          offset,
          blocks,
        });
        return;
      }
      case 'list':
      case 'map':
        this.#listLower(t);
        this.#storePair(base, offset);
        return;
      case 'handle':
        this.emit({ op: 'handleLower', handle: kind.handle, resource: dealias(this.#p.resolve, kind.resource) });
        this.emit(base);
        this.emit({ op: 'store', kind: 'i32', offset });
        return;
      case 'future':
      case 'stream':
      case 'resource':
      case 'type':
        return unplannable(kind.tag);
      default:
        assertNever(kind);
    }
  }

  /** Stack [ptr, len] → stores len at offset+4 then ptr at offset (definitions.py store_string/store_list). */
  #storePair(base: Instruction, offset: number): void {
    this.emit(base);
    this.emit({ op: 'store', kind: 'i32', offset: offset + 4 });
    this.emit(base);
    this.emit({ op: 'store', kind: 'i32', offset });
  }

  // ---------------------------------------------------------------------------------------------
  // Loading (definitions.py load): memory at base + offset → the JS value on top.

  read(ty: Type, base: Instruction, offset: number): void {
    const t = this.#deal(ty);
    if (typeof t === 'string') {
      switch (t) {
        case 'string':
          this.emit(base);
          this.emit({ op: 'load', kind: 'i32', offset });
          this.emit(base);
          this.emit({ op: 'load', kind: 'i32', offset: offset + 4 });
          this.emit({ op: 'stringLift', encoding: this.#encoding });
          return;
        case 'error-context':
          return unplannable(t);
        default:
          this.emit(base);
          this.emit({ op: 'load', kind: LOAD_PRIM[t], offset });
          this.emit({ op: 'convert', convert: LIFT_PRIM[t] });
          return;
      }
    }
    const kind = this.#p.resolve.types[t]!.kind;
    switch (kind.tag) {
      case 'record':
      case 'tuple': {
        const types = kind.tag === 'record' ? kind.fields.map((f) => f.type) : kind.types;
        const offs = this.#p.sizes.fieldOffsets(types);
        types.forEach((ft, i) => this.read(ft, base, offset + offs[i]!));
        this.emit(
          kind.tag === 'record'
            ? { op: 'recordLift', type: t, fields: types.length }
            : { op: 'tupleLift', size: types.length, type: t },
        );
        return;
      }
      case 'fixed-length-list': {
        const size = this.#p.sizes.size(kind.type);
        if (kind.size > FIXED_LIST_UNROLL) {
          // definitions.py load_list_from_valid_range, as a loop.
          const body = this.#block(1, () => this.read(kind.type, { op: 'iterBasePointer' }, 0));
          this.emit(base);
          this.emit({ op: 'fixedListLoad', type: t, element: kind.type, length: kind.size, size, offset, body });
          return;
        }
        for (let i = 0; i < kind.size; i++) this.read(kind.type, base, offset + i * size);
        this.emit({ op: 'fixedListLift', size: kind.size, type: t });
        return;
      }
      case 'flags': {
        const store = flagsStore(kind.flags.length, this.#p.resolve.types[t]!.name);
        this.emit(base);
        this.emit({ op: 'load', kind: store === 'i8' ? 'u8' : store === 'i16' ? 'u16' : 'i32', offset });
        this.emit({ op: 'flagsLift', type: t });
        return;
      }
      case 'enum':
        this.emit(base);
        this.emit({ op: 'load', kind: DISC_LOAD[discriminantType(kind.cases.length)], offset });
        this.emit({ op: 'enumLift', type: t });
        return;
      case 'variant':
      case 'option':
      case 'result': {
        const shape = this.#variantShape(t)!;
        const payloadOffset = offset + this.#p.sizes.payloadOffset(shape.cases);
        const blocks = shape.cases.map((c) =>
          this.#block(c === null ? 0 : 1, () => {
            if (c !== null) this.read(c, { op: 'variantBase' }, payloadOffset);
          }),
        );
        this.emit(base);
        this.emit({
          op: 'variantLoad',
          type: t,
          flavor: shape.flavor,
          disc: discriminantType(shape.cases.length),
          offset,
          blocks,
        });
        return;
      }
      case 'list':
      case 'map':
        this.emit(base);
        this.emit({ op: 'load', kind: 'i32', offset });
        this.emit(base);
        this.emit({ op: 'load', kind: 'i32', offset: offset + 4 });
        this.#listLift(t);
        return;
      case 'handle':
        this.emit(base);
        this.emit({ op: 'load', kind: 'i32', offset });
        this.emit({ op: 'handleLift', handle: kind.handle, resource: dealias(this.#p.resolve, kind.resource) });
        return;
      case 'future':
      case 'stream':
      case 'resource':
      case 'type':
        return unplannable(kind.tag);
      default:
        assertNever(kind);
    }
  }
}

/**
 * Refuses what the planner does not handle: async values and `error-context` (a clear
 * {@link PlanError}), and kinds that cannot occur in a value position after dealiasing (a bug).
 */
function unplannable(tag: string): never {
  if (tag === 'future' || tag === 'stream') throw new PlanError(`\`${tag}\` is not supported yet (async)`);
  if (tag === 'error-context') throw new PlanError('`error-context` is not supported yet');
  throw new Error(`internal error: unexpected \`${tag}\` in value position`);
}

/**
 * The memory width of flags with `n` labels (definitions.py `elem_size_flags`: 1, 2 or 4 bytes).
 * More than 32 labels is refused: the canonical ABI allows at most 32 (`assert(0 < n <= 32)`;
 * component validation: "cannot have more than 32 flags"), although WIT parses more.
 */
function flagsStore(n: number, name: string | null): 'i8' | 'i16' | 'i32' {
  if (n > 32) {
    throw new PlanError(`flags${name === null ? '' : ` \`${name}\``} has ${n} flags; the canonical ABI allows at most 32`);
  }
  return n <= 8 ? 'i8' : n <= 16 ? 'i16' : 'i32';
}


type NumericPrim = Exclude<import('../wit/model.js').PrimitiveType, 'string' | 'error-context'>;

const LOWER_PRIM: Record<NumericPrim, ConvertOp> = {
  bool: 'i32FromBool',
  u8: 'i32FromU8',
  s8: 'i32FromS8',
  u16: 'i32FromU16',
  s16: 'i32FromS16',
  u32: 'i32FromU32',
  s32: 'i32FromS32',
  u64: 'i64FromU64',
  s64: 'i64FromS64',
  f32: 'coreF32FromF32',
  f64: 'coreF64FromF64',
  char: 'i32FromChar',
};

const LIFT_PRIM: Record<NumericPrim, ConvertOp> = {
  bool: 'boolFromI32',
  u8: 'u8FromI32',
  s8: 's8FromI32',
  u16: 'u16FromI32',
  s16: 's16FromI32',
  u32: 'u32FromI32',
  s32: 's32FromI32',
  u64: 'u64FromI64',
  s64: 's64FromI64',
  f32: 'f32FromCoreF32',
  f64: 'f64FromCoreF64',
  char: 'charFromI32',
};

const FLAT_PRIM: Record<NumericPrim, WasmType> = {
  bool: 'i32',
  u8: 'i32',
  s8: 'i32',
  u16: 'i32',
  s16: 'i32',
  u32: 'i32',
  s32: 'i32',
  u64: 'i64',
  s64: 'i64',
  f32: 'f32',
  f64: 'f64',
  char: 'i32',
};

const LOAD_PRIM: Record<NumericPrim, LoadKind> = {
  bool: 'u8',
  u8: 'u8',
  s8: 's8',
  u16: 'u16',
  s16: 's16',
  u32: 'i32',
  s32: 'i32',
  u64: 'i64',
  s64: 'i64',
  f32: 'f32',
  f64: 'f64',
  char: 'i32',
};

const STORE_PRIM: Record<NumericPrim, StoreKind> = {
  bool: 'i8',
  u8: 'i8',
  s8: 'i8',
  u16: 'i16',
  s16: 'i16',
  u32: 'i32',
  s32: 'i32',
  u64: 'i64',
  s64: 'i64',
  f32: 'f32',
  f64: 'f64',
  char: 'i32',
};

const DISC_LOAD: Record<DiscriminantType, LoadKind> = { u8: 'u8', u16: 'u16', u32: 'i32' };
const DISC_STORE: Record<DiscriminantType, StoreKind> = { u8: 'i8', u16: 'i16', u32: 'i32' };
