/**
 * The interpreting backend of the plan machine: where `TsBindgen` (src/emit/function-bindgen.ts)
 * turns each instruction of a {@link FunctionPlan} into TypeScript, {@link execPlan} executes it on
 * JS values against a `CoreInstance` (memory views, realloc, string and list codecs), calling the
 * very runtime methods generated code calls, with the same checks and traps. One ABI (the plans),
 * two backends.
 *
 * It hosts the adapters between two components of a composition: a value is lifted out of one
 * component's memory by the caller side's `import` plan and lowered into the other's by the
 * callee side's `export` plan of the same function. Both plans come from the same `Func`, so the
 * JS values in between never reach the host and use a plain, typed-names-free representation:
 *
 * - records, tuples, fixed-length lists: arrays of their fields/elements;
 * - variants, options, results: `{ d, val }` (`d` the case index, `val` the payload if any);
 * - enums: the case index; flags: the bits (unknown bits masked off, as TsBindgen keeps only named flags);
 * - strings, chars, numbers, bigints: as in generated code; numeric lists: typed arrays; maps: `Map`.
 *
 * Nested blocks (list elements, variant cases) are executed per element / per case, so the
 * driver is not `runPlan`'s one-pass symbolic walk, but it asserts the same stack effects
 * ({@link arity}).
 *
 * Resource handles are passed by rep, between the handle tables of the two sides
 * (definitions.py `lift_own`/`lift_borrow` take the handle out of one table, `lower_own`/
 * `lower_borrow` put it in the other): between the two plans a handle's value is its rep.
 *
 * @module
 */
import { arity, type Block, type CanonNumeric, type Instruction } from './instructions.js';
import type { WasmType } from './flatten.js';
import type { FunctionPlan } from './plan.js';
import { dealias, type Resolve, type TypeId } from '../wit/model.js';
import type { CoreInstance } from '../runtime/instance.js';
import { assertNever } from '../util.js';

/** A variant/option/result value between the two sides of an adapter. */
export interface CaseValue {
  readonly d: number;
  readonly val?: unknown;
}

/** What an executed plan calls out to. */
export interface ExecContext {
  readonly resolve: Resolve;
  /** The state lowering writes into / lifting reads from (memory, realloc, codecs). */
  readonly st: CoreInstance;
  /** `getArg i`: core values (`import` direction) or JS values (`export` direction). */
  readonly args: readonly unknown[];
  /** `callWasm`: calls the core function with the lowered core args (`export` direction). */
  readonly callWasm?: (args: readonly unknown[]) => unknown;
  /** `callInterface`: calls the implementation with the lifted values (`import` direction). */
  readonly callInterface?: (args: readonly unknown[]) => unknown;
  /** The post-return function (`export` direction), if the callee has one. */
  readonly postReturn?: ((...results: unknown[]) => unknown) | null;
  /**
   * A resource type as this side's handle table knows it: its type number in the table, and
   * whether this side's component instance implements it (then a borrow is lowered as the rep
   * itself, definitions.py `lower_borrow`). Required when the plan passes handles.
   */
  readonly resource?: (id: TypeId) => { readonly rt: number; readonly local: boolean };
}

/** Executes `plan` and returns what its `return` returns (the core results, or the lifted value). */
export function execPlan(plan: FunctionPlan, cx: ExecContext): unknown[] {
  const ex = new Executor(plan, cx);
  cx.st.mem.refresh();
  const stack: unknown[] = [];
  ex.run(plan.body, stack);
  if (ex.returned === undefined) throw new Error('internal error: the plan did not return');
  return ex.returned;
}

interface Frame {
  readonly parent: Instruction;
  readonly elem: unknown;
  readonly base: number;
}

const LIFT_LIST: Record<CanonNumeric, (st: CoreInstance, p: number, n: number) => unknown> = {
  u8: (st, p, n) => st.liftList_u8(p, n),
  s8: (st, p, n) => st.liftList_s8(p, n),
  u16: (st, p, n) => st.liftList_u16(p, n),
  s16: (st, p, n) => st.liftList_s16(p, n),
  u32: (st, p, n) => st.liftList_u32(p, n),
  s32: (st, p, n) => st.liftList_s32(p, n),
  u64: (st, p, n) => st.liftList_u64(p, n),
  s64: (st, p, n) => st.liftList_s64(p, n),
  f32: (st, p, n) => st.liftList_f32(p, n),
  f64: (st, p, n) => st.liftList_f64(p, n),
};

const LOWER_LIST: Record<CanonNumeric, (st: CoreInstance, v: never) => number> = {
  u8: (st, v) => st.lowerList_u8(v),
  s8: (st, v) => st.lowerList_s8(v),
  u16: (st, v) => st.lowerList_u16(v),
  s16: (st, v) => st.lowerList_s16(v),
  u32: (st, v) => st.lowerList_u32(v),
  s32: (st, v) => st.lowerList_s32(v),
  u64: (st, v) => st.lowerList_u64(v),
  s64: (st, v) => st.lowerList_s64(v),
  f32: (st, v) => st.lowerList_f32(v),
  f64: (st, v) => st.lowerList_f64(v),
};

class Executor {
  readonly #plan: FunctionPlan;
  readonly #cx: ExecContext;
  readonly #st: CoreInstance;
  readonly #locals = new Map<number, unknown>();
  readonly #frames: Frame[] = [];
  #callResults: unknown[] = [];
  returned: unknown[] | undefined;

  constructor(plan: FunctionPlan, cx: ExecContext) {
    this.#plan = plan;
    this.#cx = cx;
    this.#st = cx.st;
  }

  run(body: readonly Instruction[], stack: unknown[]): void {
    for (const inst of body) {
      const [pops, pushes] = arity(inst);
      if (stack.length < pops) throw new Error(`internal error: \`${inst.op}\` pops ${pops} operands, stack has ${stack.length}`);
      const ops = stack.splice(stack.length - pops, pops);
      const out = this.#exec(inst, ops);
      if (out.length !== pushes) throw new Error(`internal error: \`${inst.op}\` pushes ${pushes} operands, got ${out.length}`);
      for (const v of out) stack.push(v);
    }
  }

  /** Runs block `block` of `parent` with its element / base pointer; returns what it leaves. */
  #block(parent: Instruction, block: Block, elem: unknown, base: number): unknown[] {
    this.#frames.push({ parent, elem, base });
    const stack: unknown[] = [];
    try {
      this.run(block.body, stack);
    } finally {
      this.#frames.pop();
    }
    if (stack.length !== block.results) {
      throw new Error(`internal error: a block of \`${parent.op}\` leaves ${stack.length} operands, declared ${block.results}`);
    }
    return stack;
  }

  #frame(...ops: Instruction['op'][]): Frame {
    for (let i = this.#frames.length - 1; i >= 0; i--) {
      const f = this.#frames[i]!;
      if (ops.includes(f.parent.op)) return f;
    }
    throw new Error(`internal error: no enclosing ${ops.join('/')}`);
  }

  #caseCount(type: TypeId): number {
    const kind = this.#cx.resolve.types[dealias(this.#cx.resolve, type)]!.kind;
    switch (kind.tag) {
      case 'enum':
      case 'variant':
        return kind.cases.length;
      case 'flags':
        return kind.flags.length;
      case 'option':
      case 'result':
        return 2;
      default:
        throw new Error(`internal error: ${kind.tag} has no cases`);
    }
  }

  #exec(inst: Instruction, o: unknown[]): unknown[] {
    const st = this.#st;
    switch (inst.op) {
      case 'getArg':
        return [this.#cx.args[inst.index]];
      case 'setLocal':
        this.#locals.set(inst.local, o[0]);
        return [];
      case 'getLocal':
        return [this.#locals.get(inst.local)];
      case 'convert':
        return [convert(st, inst.convert, o[0])];
      case 'bitcast':
        return [bitcast(st, inst.from, inst.to, o[0])];
      case 'constZero':
        return [inst.type === 'i64' ? 0n : 0];
      case 'load':
        return [load(st, inst.kind, (o[0] as number) + inst.offset)];
      case 'store':
        store(st, inst.kind, (o[1] as number) + inst.offset, o[0]);
        return [];
      case 'stringLower': {
        const s = o[0] as string;
        const p =
          inst.encoding === 'utf8' ? st.lowerStringUtf8(s) : inst.encoding === 'utf16' ? st.lowerStringUtf16(s) : st.lowerStringLatin1Utf16(s);
        return [p, st.len];
      }
      case 'stringLift': {
        const p = o[0] as number;
        const n = o[1] as number;
        return [
          inst.encoding === 'utf8' ? st.liftStringUtf8(p, n) : inst.encoding === 'utf16' ? st.liftStringUtf16(p, n) : st.liftStringLatin1Utf16(p, n),
        ];
      }
      case 'listCanonLower': {
        const p = LOWER_LIST[inst.element](st, o[0] as never);
        return [p, st.len];
      }
      case 'listCanonLift':
        return [LIFT_LIST[inst.element](st, o[0] as number, o[1] as number)];
      case 'listLower': {
        const list = o[0] as readonly unknown[] | ReadonlyMap<unknown, unknown>;
        const elems: unknown[] = inst.map ? [...(list as ReadonlyMap<unknown, unknown>).entries()] : (list as readonly unknown[]).slice();
        const len = elems.length;
        const ptr = st.alloc(inst.align, len * inst.size);
        for (let i = 0; i < len; i++) this.#block(inst, inst.body, elems[i], ptr + i * inst.size);
        return [ptr, len];
      }
      case 'listLift': {
        const len = (o[1] as number) >>> 0;
        const ptr = st.checkList(o[0] as number, len, inst.size, inst.align);
        if (inst.map) {
          const out = new Map<unknown, unknown>();
          for (let i = 0; i < len; i++) {
            const r = this.#block(inst, inst.body, undefined, ptr + i * inst.size)[0] as [unknown, unknown];
            out.set(r[0], r[1]);
          }
          return [out];
        }
        const out: unknown[] = new Array(len);
        for (let i = 0; i < len; i++) out[i] = this.#block(inst, inst.body, undefined, ptr + i * inst.size)[0];
        return [out];
      }
      case 'fixedListStore': {
        const list = o[0] as readonly unknown[];
        const base = (o[1] as number) + inst.offset;
        for (let i = 0; i < inst.length; i++) this.#block(inst, inst.body, list[i], base + i * inst.size);
        return [];
      }
      case 'fixedListLoad': {
        const base = (o[0] as number) + inst.offset;
        const out: unknown[] = new Array(inst.length);
        for (let i = 0; i < inst.length; i++) out[i] = this.#block(inst, inst.body, undefined, base + i * inst.size)[0];
        return [out];
      }
      case 'iterElem':
        return [this.#frame('listLower', 'fixedListStore').elem];
      case 'iterBasePointer':
        return [this.#frame('listLower', 'listLift', 'fixedListStore', 'fixedListLoad').base];
      case 'fixedListElem':
      case 'tupleElem':
      case 'recordField':
        return [(o[0] as readonly unknown[])[inst.index]];
      case 'fixedListLift':
      case 'tupleLift':
      case 'recordLift':
        return [o.slice()];
      case 'flagsLower':
        return [o[0] as number];
      case 'flagsLift': {
        const n = this.#caseCount(inst.type);
        return [n >= 32 ? (o[0] as number) | 0 : (o[0] as number) & ((1 << n) - 1)];
      }
      case 'enumLower':
        return [o[0] as number];
      case 'enumLift': {
        const d = o[0] as number;
        if (d >>> 0 >= this.#caseCount(inst.type)) st.badDiscriminant(d);
        return [d];
      }
      case 'variantLower': {
        const { d, val } = caseOf(inst.flavor, o[0]);
        const block = inst.blocks[d];
        if (block === undefined) return st.badDiscriminant(d);
        return [d, ...this.#block(inst, block, val, 0)];
      }
      case 'variantPayload':
        return [this.#frame('variantLower', 'variantStore').elem];
      case 'variantLift':
        return [this.#liftCase(inst, o[0] as number, 0)];
      case 'variantLoad': {
        const base = o[0] as number;
        const kind = inst.disc === 'u8' ? 'u8' : inst.disc === 'u16' ? 'u16' : 'i32';
        return [this.#liftCase(inst, load(st, kind, base + inst.offset) as number, base)];
      }
      case 'variantStore': {
        const base = o[1] as number;
        const { d, val } = caseOf(inst.flavor, o[0]);
        const block = inst.blocks[d];
        if (block === undefined) return st.badDiscriminant(d);
        store(st, inst.disc === 'u8' ? 'i8' : inst.disc === 'u16' ? 'i16' : 'i32', base + inst.offset, d);
        this.#block(inst, block, val, base);
        return [];
      }
      case 'variantBase':
        return [this.#frame('variantLoad', 'variantStore').base];
      case 'handleLower': {
        const { rt, local } = this.#resource(inst.resource);
        const rep = o[0] as number;
        if (inst.handle === 'own') return [st.handles.lowerOwn(rep, rt)];
        if (local) return [rep];
        return [st.handles.lowerBorrow(rep, rt, st.openScope())];
      }
      case 'handleLift': {
        const { rt } = this.#resource(inst.resource);
        const i = o[0] as number;
        return [inst.handle === 'own' ? st.handles.liftOwn(i, rt) : st.handles.liftBorrow(i, rt)];
      }
      case 'pointerCheck':
        return [st.checkPointer(o[0] as number, inst.align, inst.size)];
      case 'malloc':
        return [st.alloc(inst.align, inst.size)];
      case 'callWasm': {
        const call = this.#cx.callWasm;
        if (call === undefined) throw new Error('internal error: callWasm without a core function');
        const r = call(o);
        st.mem.refresh();
        this.#callResults = inst.results.length === 0 ? [] : [r];
        const post = this.#cx.postReturn;
        if (post !== undefined && post !== null && inst.results.length > 0) {
          // Lifting may trap: the post-return must still run once (CoreInstance.fail), as in TsBindgen.
          st.postFn = post as (ret: never) => unknown;
          st.postArg = r;
        }
        return inst.results.length === 0 ? [] : [r];
      }
      case 'callInterface': {
        const call = this.#cx.callInterface;
        if (call === undefined) throw new Error('internal error: callInterface without an implementation');
        const r = call(o);
        st.mem.refresh();
        return inst.results === 0 ? [] : [r];
      }
      case 'postReturn': {
        const post = this.#cx.postReturn;
        st.postFn = undefined;
        if (post !== undefined && post !== null) {
          st.mayLeave = false;
          post(...this.#callResults);
          st.mayLeave = true;
        }
        return [];
      }
      case 'return':
        this.returned = o.slice();
        return [];
      default:
        return assertNever(inst);
    }
  }

  #resource(id: TypeId): { readonly rt: number; readonly local: boolean } {
    const r = this.#cx.resource;
    if (r === undefined) throw new Error('internal error: a handle without resource types');
    return r(dealias(this.#cx.resolve, id));
  }

  /** Lifts case `d` of a variant-shaped value (the block reads its payload itself). */
  #liftCase(inst: Extract<Instruction, { op: 'variantLift' | 'variantLoad' }>, d: number, base: number): unknown {
    const block = inst.blocks[d];
    if (block === undefined) return this.#st.badDiscriminant(d);
    const r = this.#block(inst, block, undefined, base);
    if (inst.flavor === 'enum') return d;
    return r.length === 0 ? { d } : { d, val: r[0] };
  }

  /** The plan being executed (for messages). */
  get plan(): FunctionPlan {
    return this.#plan;
  }
}

/** Case index and payload of a variant-shaped value. */
function caseOf(flavor: string, v: unknown): CaseValue {
  if (flavor === 'enum') return { d: v as number };
  return v as CaseValue;
}

function convert(st: CoreInstance, op: string, x: unknown): unknown {
  switch (op) {
    case 'i32FromBool':
      return x ? 1 : 0;
    case 'i32FromChar':
      return (x as string).codePointAt(0)!;
    case 'i32FromU8':
    case 'i32FromS8':
    case 'i32FromU16':
    case 'i32FromS16':
    case 'i32FromU32':
    case 'i32FromS32':
    case 'i64FromU64':
    case 'i64FromS64':
    case 'coreF32FromF32':
    case 'coreF64FromF64':
    case 's32FromI32':
    case 's64FromI64':
      return x;
    case 'f32FromCoreF32':
    case 'f64FromCoreF64':
      return st.canonNaN(x as number);
    case 'boolFromI32':
      return x !== 0;
    case 'u8FromI32':
      return (x as number) & 255;
    case 's8FromI32':
      return ((x as number) << 24) >> 24;
    case 'u16FromI32':
      return (x as number) & 65535;
    case 's16FromI32':
      return ((x as number) << 16) >> 16;
    case 'u32FromI32':
      return (x as number) >>> 0;
    case 'u64FromI64':
      return BigInt.asUintN(64, x as bigint);
    case 'charFromI32':
      return st.liftChar(x as number);
    default:
      throw new Error(`internal error: convert ${op}`);
  }
}

function load(st: CoreInstance, kind: string, addr: number): number | bigint {
  const dv = st.mem.dv;
  switch (kind) {
    case 'i32':
      return dv.getInt32(addr, true);
    case 'u8':
      return dv.getUint8(addr);
    case 's8':
      return dv.getInt8(addr);
    case 'u16':
      return dv.getUint16(addr, true);
    case 's16':
      return dv.getInt16(addr, true);
    case 'i64':
      return dv.getBigInt64(addr, true);
    case 'f32':
      return dv.getFloat32(addr, true);
    case 'f64':
      return dv.getFloat64(addr, true);
    default:
      throw new Error(`internal error: load ${kind}`);
  }
}

function store(st: CoreInstance, kind: string, addr: number, v: unknown): void {
  const dv = st.mem.dv;
  switch (kind) {
    case 'i32':
      dv.setInt32(addr, v as number, true);
      return;
    case 'i8':
      dv.setUint8(addr, v as number);
      return;
    case 'i16':
      dv.setUint16(addr, v as number, true);
      return;
    case 'i64':
      dv.setBigInt64(addr, v as bigint, true);
      return;
    case 'f32':
      dv.setFloat32(addr, v as number, true);
      return;
    case 'f64':
      dv.setFloat64(addr, v as number, true);
      return;
    default:
      throw new Error(`internal error: store ${kind}`);
  }
}

/** definitions.py variant join casts (as TsBindgen's `bitcast`). */
function bitcast(st: CoreInstance, from: WasmType, to: WasmType, x: unknown): unknown {
  switch (`${from}->${to}`) {
    case 'f32->i32':
      return st.f32ToI32(x as number);
    case 'i32->f32':
      return st.i32ToF32(x as number);
    case 'i32->i64':
      return BigInt((x as number) >>> 0);
    case 'i64->i32':
      return Number(BigInt.asIntN(32, x as bigint));
    case 'f32->i64':
      return BigInt(st.f32ToI32(x as number) >>> 0);
    case 'i64->f32':
      return st.i32ToF32(Number(BigInt.asIntN(32, x as bigint)));
    case 'f64->i64':
      return st.f64ToI64(x as number);
    case 'i64->f64':
      return st.i64ToF64(x as bigint);
    default:
      throw new Error(`internal error: bitcast ${from}->${to}`);
  }
}
