/**
 * The TypeScript backend of the plan machine (wit-bindgen's per-language `FunctionBindgen`): one
 * case per instruction, operands are TypeScript expressions, statements accumulate per block.
 *
 * Generated code talks to one runtime object, `st` (a `CoreInstance` of `witbind/runtime`): its
 * cached memory views (`st.mem`), `cabi_realloc`, string codecs and handle tables.
 */
import { blocksOf, type Bindgen, type BlockResult } from '../abi/machine.js';
import type { CanonNumeric, Instruction } from '../abi/instructions.js';
import type { WasmType } from '../abi/flatten.js';
import type { FunctionPlan } from '../abi/plan.js';
import { assertNever } from '../util.js';
import { dealias, dealiasType, type Resolve, type TypeId } from '../wit/model.js';
import type { TypeEmitter } from './types.js';
import { quote } from './names.js';

/** How the generated function binds its inputs and hands back its outputs. */
export interface BindgenContext {
  readonly resolve: Resolve;
  readonly types: TypeEmitter;
  /** Expressions for `getArg i`. */
  readonly args: readonly string[];
  /** The expression that calls the core export (`export` direction), given the core args. */
  readonly callWasm: (args: readonly string[]) => string;
  /** The expression that calls the host implementation (`import` direction). */
  readonly callInterface: (args: readonly string[]) => string;
  /** Expression of the post-return function (`export` direction). */
  readonly postReturn: string | null;
  /** Whether the function's result is a `result<T, E>` unwrapped into a throw. */
  readonly throwsResult: boolean;
  /**
   * With `throwsResult`, an export whose wrapper throws the error (core-module-host.ts
   * `#splitExport`): its `err` payload is lifted into `thrown` and `failed` set, instead of
   * `thrown` holding the ComponentError.
   */
  readonly errorToWrapper?: boolean;
  /** A statement validating the host function's result held in `expr` (`import` direction). */
  readonly checkResult?: (expr: string) => string;
  /** How a resource type appears in generated code. */
  readonly resource: (id: TypeId) => ResourceInfo;
  /**
   * Set in the constructor of a guest-defined resource's class: the own handle of this resource
   * type that the constructor returns is adopted by `this` instead of lifted into a new object.
   */
  readonly ctorTarget?: TypeId;
}

/** A resource type as generated code refers to it. */
export interface ResourceInfo {
  /** Resource type index in the instance's handle table and `st.classes`. */
  readonly index: number;
  /** Whether the guest implements it (a generated class) or the host does (the host's class). */
  readonly guestDefined: boolean;
  /** Class name, for messages. */
  readonly name: string;
  /** The TS type of its values (`Ns.Blob`). */
  readonly type: string;
}

interface BlockFrame {
  readonly lines: string[];
  readonly parent: Instruction | null;
  readonly index: number;
  readonly operands: readonly string[];
  /** Name of the element / payload variable provided to the block. */
  readonly elem: string;
  readonly base: string;
}

const TYPED_ARRAY: Record<CanonNumeric, string> = {
  u8: 'Uint8Array',
  s8: 'Int8Array',
  u16: 'Uint16Array',
  s16: 'Int16Array',
  u32: 'Uint32Array',
  s32: 'Int32Array',
  u64: 'BigUint64Array',
  s64: 'BigInt64Array',
  f32: 'Float32Array',
  f64: 'Float64Array',
};

/** Translates one plan to the body of a TypeScript function. */
export class TsBindgen implements Bindgen<string> {
  readonly #cx: BindgenContext;
  readonly #plan: FunctionPlan;
  readonly #frames: BlockFrame[];
  readonly #locals = new Map<number, string>();
  #tmp = 0;
  /** Core results of `callWasm`, for post-return. */
  #callResults: string[] = [];
  /** Whether the post-return was registered with the instance while lifting. */
  #pendingPost = false;

  constructor(plan: FunctionPlan, cx: BindgenContext) {
    this.#plan = plan;
    this.#cx = cx;
    this.#frames = [{ lines: [], parent: null, index: 0, operands: [], elem: '', base: '' }];
    // The guest may have grown its memory before calling the import: make the views current
    // before reading the arguments or writing the results.
    if (plan.direction === 'import' && touchesMemory(plan.body)) this.#line('st.mem.refresh();');
  }

  /** The statements of the function body. */
  get code(): string {
    return this.#frames[0]!.lines.join('\n');
  }

  #line(s: string): void {
    this.#frames[this.#frames.length - 1]!.lines.push(s);
  }

  #fresh(prefix: string): string {
    return `${prefix}${this.#tmp++}`;
  }

  /** Binds an expression to a fresh `const` unless it is already a plain name or literal. */
  #bind(expr: string, prefix = 't'): string {
    if (/^[A-Za-z_$][\w$]*$/.test(expr) || /^-?\d+n?$/.test(expr)) return expr;
    const v = this.#fresh(prefix);
    this.#line(`const ${v} = ${expr};`);
    return v;
  }

  /** Innermost frame whose parent is one of `ops`. */
  #frame(...ops: Instruction['op'][]): BlockFrame {
    for (let i = this.#frames.length - 1; i > 0; i--) {
      const f = this.#frames[i]!;
      if (f.parent && ops.includes(f.parent.op)) return f;
    }
    throw new Error(`internal error: no enclosing ${ops.join('/')}`);
  }

  pushBlock(parent: Instruction, index: number, operands: readonly string[]): void {
    const elem = this.#fresh('e');
    const base = this.#fresh('b');
    let names = this.#blockNames.get(parent);
    if (!names) this.#blockNames.set(parent, (names = []));
    names[index] = { elem, base };
    this.#frames.push({ lines: [], parent, index, operands, elem, base });
  }

  /** Element/payload and base-pointer names of the blocks of an instruction, by block index. */
  readonly #blockNames = new Map<Instruction, { elem: string; base: string }[]>();

  #names(inst: Instruction, index = 0): { elem: string; base: string } {
    const n = this.#blockNames.get(inst)?.[index];
    if (!n) throw new Error('internal error: block names');
    return n;
  }

  finishBlock(_results: readonly string[]): string {
    return this.#frames.pop()!.lines.join('\n');
  }

  emit(inst: Instruction, ops: readonly string[], blocks: readonly BlockResult<string>[]): string[] {
    const o = (i: number): string => ops[i]!;
    switch (inst.op) {
      case 'getArg':
        return [this.#cx.args[inst.index]!];
      case 'setLocal': {
        // A scalar conversion of a variable (`ret0 >>> 0`) is kept as an expression: it reads no
        // memory, so it may be evaluated after post-return, and the function stays smaller.
        const name = PURE_SCALAR.test(o(0)) ? (o(0).startsWith('(') ? o(0) : `(${o(0)})`) : this.#bind(o(0), 'l');
        this.#locals.set(inst.local, name);
        return [];
      }
      case 'getLocal':
        return [this.#locals.get(inst.local)!];
      case 'convert':
        return [this.#convert(inst.convert, o(0))];
      case 'bitcast':
        return [bitcast(inst.from, inst.to, o(0))];
      case 'constZero':
        return [inst.type === 'i64' ? '0n' : '0'];
      case 'load':
        return [this.#load(inst.kind, o(0), inst.offset)];
      case 'store':
        this.#line(this.#store(inst.kind, o(1), inst.offset, o(0)) + ';');
        return [];
      case 'stringLower': {
        const ptr = this.#fresh('p');
        this.#line(`const ${ptr} = st.lowerString${encSuffix(inst.encoding)}(${o(0)});`);
        const len = this.#bind('st.len', 'n');
        return [ptr, len];
      }
      case 'stringLift':
        return [`st.liftString${encSuffix(inst.encoding)}(${o(0)}, ${o(1)})`];
      case 'listCanonLower': {
        const ptr = this.#fresh('p');
        this.#line(`const ${ptr} = st.lowerList_${inst.element}(${o(0)});`);
        const len = this.#bind('st.len', 'n');
        return [ptr, len];
      }
      case 'listCanonLift':
        return [`st.liftList_${inst.element}(${o(0)}, ${o(1)})`];
      case 'listLower': {
        const frame = blocks[0]!;
        const list = this.#bind(o(0), 'v');
        const ptr = this.#fresh('p');
        const len = this.#fresh('n');
        const i = this.#fresh('i');
        const names = this.#names(inst);
        this.#line(`const ${len} = ${inst.map ? `${list}.size` : `${list}.length`};`);
        this.#line(`const ${ptr} = st.alloc(${inst.align}, ${len} * ${inst.size});`);
        if (inst.map) {
          this.#line(`let ${i} = 0;`);
          this.#line(`for (const ${names.elem} of ${list}) {`);
          this.#line(`const ${names.base} = ${ptr} + ${i}++ * ${inst.size};`);
        } else {
          this.#line(`for (let ${i} = 0; ${i} < ${len}; ${i}++) {`);
          this.#line(`const ${names.elem} = ${list}[${i}]!;`);
          this.#line(`const ${names.base} = ${ptr} + ${i} * ${inst.size};`);
        }
        this.#line(frame.code);
        this.#line('}');
        return [ptr, len];
      }
      case 'listLift': {
        const frame = blocks[0]!;
        const names = this.#names(inst);
        const ptr = this.#fresh('p');
        const len = this.#bind(`${o(1)} >>> 0`, 'n');
        const out = this.#fresh('r');
        const i = this.#fresh('i');
        this.#line(`const ${ptr} = st.checkList(${o(0)}, ${len}, ${inst.size}, ${inst.align});`);
        if (inst.map) {
          this.#line(`const ${out} = new Map();`);
        } else {
          this.#line(`const ${out}: ${this.#elemType(inst)}[] = new Array(${len});`);
        }
        this.#line(`for (let ${i} = 0; ${i} < ${len}; ${i}++) {`);
        this.#line(`const ${names.base} = ${ptr} + ${i} * ${inst.size};`);
        this.#line(frame.code);
        const r = frame.results[0]!;
        this.#line(inst.map ? `${out}.set(${r}[0], ${r}[1]);` : `${out}[${i}] = ${r};`);
        this.#line('}');
        return [out];
      }
      case 'fixedListStore': {
        // A long `list<T, N>` in memory (src/abi/plan.ts): a loop, like listLower without the allocation.
        const names = this.#names(inst);
        const list = this.#bind(o(0), 'v');
        const base = this.#bind(o(1), 'b');
        const i = this.#fresh('i');
        this.#line(`for (let ${i} = 0; ${i} < ${inst.length}; ${i}++) {`);
        this.#line(`const ${names.elem} = ${list}[${i}]!;`);
        this.#line(`const ${names.base} = ${base} + ${inst.offset} + ${i} * ${inst.size};`);
        this.#line(blocks[0]!.code);
        this.#line('}');
        return [];
      }
      case 'fixedListLoad': {
        const names = this.#names(inst);
        const base = this.#bind(o(0), 'b');
        const out = this.#fresh('r');
        const i = this.#fresh('i');
        const el = this.#cx.types.typeRef(inst.element);
        this.#line(`const ${out}: ${/[|&]/.test(el) ? `(${el})` : el}[] = new Array(${inst.length});`);
        this.#line(`for (let ${i} = 0; ${i} < ${inst.length}; ${i}++) {`);
        this.#line(`const ${names.base} = ${base} + ${inst.offset} + ${i} * ${inst.size};`);
        this.#line(blocks[0]!.code);
        this.#line(`${out}[${i}] = ${blocks[0]!.results[0]!};`);
        this.#line('}');
        return [`(${out} as ${this.#cx.types.typeRef(inst.type)})`];
      }
      case 'iterElem':
        return [this.#frame('listLower', 'fixedListStore').elem];
      case 'iterBasePointer':
        return [this.#frame('listLower', 'listLift', 'fixedListStore', 'fixedListLoad').base];
      case 'fixedListElem':
        return [`${o(0)}[${inst.index}]`];
      case 'fixedListLift':
      case 'tupleLift': {
        const list = `[${ops.join(', ')}]`;
        return [inst.type === null ? list : `${list} as ${this.#cx.types.typeRef(inst.type)}`];
      }
      case 'recordField': {
        const field = this.#cx.types.recordFieldName(inst.type, inst.index);
        return [`${o(0)}.${field}`];
      }
      case 'recordLift': {
        const names = this.#cx.types.recordFieldNames(inst.type);
        return [`{ ${names.map((n, i) => `${n}: ${o(i)}`).join(', ')} }`];
      }
      case 'tupleElem':
        return [`${o(0)}[${inst.index}]`];
      case 'flagsLower': {
        const v = this.#bind(o(0), 'v');
        const names = this.#cx.types.flagNames(inst.type);
        // A flag named like a member of every object (`constructor`, `toString`) is never
        // undefined: for those, only `true` sets the bit.
        const test = (n: string) => (n in Object.prototype ? `${v}.${n} === true` : `${v}.${n}`);
        const bits = names.map((n, i) => `(${test(n)} ? ${i === 31 ? '-2147483648' : 1 << i} : 0)`);
        return [`(${bits.join(' | ')})`];
      }
      case 'flagsLift': {
        const v = this.#bind(o(0), 'v');
        const names = this.#cx.types.flagNames(inst.type);
        return [`{ ${names.map((n, i) => `${n}: (${v} & ${i === 31 ? '-2147483648' : 1 << i}) !== 0`).join(', ')} }`];
      }
      case 'enumLower': {
        const table = this.#cx.types.enumIndexTable(inst.type);
        return [`${table}[${o(0)}]!`];
      }
      case 'enumLift': {
        const d = this.#bind(o(0), 'd');
        const table = this.#cx.types.enumNamesTable(inst.type);
        const n = this.#cx.types.caseCount(inst.type);
        this.#line(`if ((${d} >>> 0) >= ${n}) st.badDiscriminant(${d});`);
        return [`${table}[${d}]!`];
      }
      case 'variantLower':
        return this.#variantLower(inst, o(0), blocks);
      case 'variantPayload':
        return [this.#frame('variantLower', 'variantStore').elem];
      case 'variantLift':
        return this.#variantLift(inst, o(0), blocks);
      case 'variantLoad': {
        const base = this.#bind(o(0), 'b');
        const disc = this.#load(inst.disc === 'u8' ? 'u8' : inst.disc === 'u16' ? 'u16' : 'i32', base, inst.offset);
        return this.#variantLift(inst, disc, blocks, base);
      }
      case 'variantStore': {
        const v = this.#bind(o(0), 'v');
        const base = this.#bind(o(1), 'b');
        const store = (i: number) => this.#store(inst.disc === 'u8' ? 'i8' : inst.disc === 'u16' ? 'i16' : 'i32', base, inst.offset, String(i));
        this.#emitCases(inst, v, blocks, (i, code) => `${store(i)};\n${code}`, base);
        return [];
      }
      case 'variantBase':
        return [this.#frame('variantLoad', 'variantStore').base];
      case 'handleLower': {
        const r = this.#cx.resource(inst.resource);
        let call: string;
        if (r.guestDefined) call = inst.handle === 'own' ? `st.lowerOwnGuest(${o(0)}, ${r.index})` : `st.lowerBorrowGuest(${o(0)})`;
        else call = `st.${inst.handle === 'own' ? 'lowerOwnHost' : 'lowerBorrowHost'}(${o(0)}, ${r.index})`;
        return [this.#bind(call, 'h')];
      }
      case 'handleLift': {
        const r = this.#cx.resource(inst.resource);
        if (this.#cx.ctorTarget !== undefined && inst.handle === 'own' && dealias(this.#cx.resolve, inst.resource) === this.#cx.ctorTarget) {
          this.#line(`st.adoptOwn(this, ${o(0)}, ${r.index});`);
          return ['this'];
        }
        const fn = `${inst.handle === 'own' ? 'liftOwn' : 'liftBorrow'}${r.guestDefined ? 'Guest' : 'Host'}`;
        return [`(st.${fn}(${o(0)}, ${r.index}) as ${r.type})`];
      }
      case 'pointerCheck': {
        const p = this.#fresh('p');
        this.#line(`const ${p} = st.checkPointer(${o(0)}, ${inst.align}, ${inst.size});`);
        return [p];
      }
      case 'malloc': {
        const p = this.#fresh('p');
        this.#line(`const ${p} = st.alloc(${inst.align}, ${inst.size});`);
        return [p];
      }
      case 'callWasm': {
        const call = this.#cx.callWasm(ops);
        // The call may grow memory; the views are refreshed only if lifting reads it (the next
        // call refreshes after its own realloc or call, an import wrapper on entry).
        const refresh = touchesMemory(this.#plan.body.slice(this.#plan.body.indexOf(inst) + 1));
        if (inst.results.length === 0) {
          this.#line(`${call};`);
          if (refresh) this.#line('st.mem.refresh();');
          this.#callResults = [];
          return [];
        }
        const r = this.#fresh('ret');
        this.#line(`const ${r} = ${call};`);
        if (refresh) this.#line('st.mem.refresh();');
        this.#callResults = [r];
        if (this.#cx.postReturn !== null && this.#liftMayFail()) {
          // Lifting may trap: the post-return must still run once (see CoreInstance.fail).
          this.#line(`st.postFn = ${this.#cx.postReturn};`);
          this.#line(`st.postArg = ${r};`);
          this.#pendingPost = true;
        }
        return [r];
      }
      case 'callInterface': {
        const call = this.#cx.callInterface(ops);
        if (inst.results === 0) {
          this.#line(`${call};`);
          return [];
        }
        const r = this.#fresh('r');
        if (this.#cx.throwsResult) {
          // A host import returns `T` for `ok` and throws ComponentError(payload) for `err`.
          const t = this.#cx.types.typeRef(inst.func.result!);
          const okVoid = this.#cx.types.caseHasPayload(this.#resultId(inst.func.result!), 0) === false;
          this.#line(`let ${r}: ${t};`);
          this.#line('try {');
          if (okVoid) this.#line(`${call};\n${r} = { tag: 'ok' };`);
          else this.#line(`${r} = { tag: 'ok', val: ${call} };`);
          this.#line('} catch (e) {');
          this.#line('if (!(e instanceof ComponentError)) throw e;');
          const errVal = this.#cx.types.caseHasPayload(this.#resultId(inst.func.result!), 1);
          this.#line(errVal ? `${r} = { tag: 'err', val: e.payload as never };` : `${r} = { tag: 'err' };`);
          this.#line('}');
        } else {
          this.#line(`const ${r} = ${call};`);
        }
        if (this.#cx.checkResult) this.#line(this.#cx.checkResult(r));
        return [r];
      }
      case 'postReturn': {
        // Lifting already copied everything out (definitions.py canon_lift: post_return after
        // lift, with may_leave false: a post-return calling an import traps).
        if (this.#pendingPost) this.#line('st.postFn = undefined;');
        const pr = this.#cx.postReturn;
        // \`pr\` comes from postReturnFunc: it clears may_leave itself (one closure per export, built at bind).
        this.#line(`${pr}?.(${this.#callResults.join(', ')});`);
        return [];
      }
      case 'return':
        // `st.leave()` written out (see the export body in core-module-host.ts).
        if (this.#plan.direction === 'export') this.#line('if (st.state !== 0) st.settle();');
        if (this.#cx.ctorTarget !== undefined) {
          // A constructor: `this` adopted the handle; only a `result`'s error is left to throw.
          if (this.#cx.throwsResult) {
            // `thrown` is thrown after the call's try/catch (see the export body in core-module-host.ts).
            this.#thrownResultVar(o(0));
            this.#line('if (thrown === undefined) return;');
          } else this.#line('return;');
        } else if (inst.count === 0) this.#line('return;');
        else if (inst.count === 1) {
          if (this.#plan.direction === 'export' && this.#cx.throwsResult) {
            const v = this.#thrownResultVar(o(0));
            const okVal = this.#cx.types.caseHasPayload(this.#resultId(this.#plan.func.result!), 0);
            const ok = this.#cx.errorToWrapper === true ? '!failed' : 'thrown === undefined';
            this.#line(`if (${ok}) return${okVal ? ` ${v}` : ''};`);
          } else this.#line(`return ${o(0)};`);
        } else this.#line(`return [${ops.join(', ')}];`);
        return [];
      default:
        return assertNever(inst);
    }
  }

  /** Whether lifting the function's result can trap (anything but plain numbers and bools). */
  #liftMayFail(): boolean {
    const r = this.#plan.func.result;
    if (r === null) return false;
    const d = typeof r === 'string' ? r : dealiasType(this.#cx.resolve, r);
    if (typeof d !== 'string') {
      const kind = this.#cx.resolve.types[d]!.kind;
      return kind.tag !== 'flags';
    }
    return d === 'char' || d === 'string';
  }

  #resultId(t: import('../wit/model.js').Type): TypeId {
    if (typeof t === 'string') throw new Error('internal error: not a result');
    return dealias(this.#cx.resolve, t);
  }

  #elemType(inst: Extract<Instruction, { op: 'listLift' }>): string {
    if (inst.element === null) return 'unknown';
    const t = this.#cx.types.typeRef(inst.element);
    return /[|&]/.test(t) ? `(${t})` : t;
  }

  #convert(op: string, x: string): string {
    switch (op) {
      case 'i32FromBool':
        return `(${x} ? 1 : 0)`;
      case 'i32FromChar':
        return `${x}.codePointAt(0)!`;
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
        // definitions.py canonicalize_nan32/64: a NaN's payload bits survive in a JS number (and
        // show through any typed array it is stored in), so lifting replaces them.
        return `st.canonNaN(${x})`;
      case 'boolFromI32':
        return `(${x} !== 0)`;
      case 'u8FromI32':
        return `(${x} & 255)`;
      case 's8FromI32':
        return `((${x} << 24) >> 24)`;
      case 'u16FromI32':
        return `(${x} & 65535)`;
      case 's16FromI32':
        return `((${x} << 16) >> 16)`;
      case 'u32FromI32':
        return `(${x} >>> 0)`;
      case 'u64FromI64':
        return `BigInt.asUintN(64, ${x})`;
      case 'charFromI32':
        return `st.liftChar(${x})`;
      default:
        throw new Error(`internal error: convert ${op}`);
    }
  }

  #load(kind: string, base: string, offset: number): string {
    const addr = offset === 0 ? base : `${base} + ${offset}`;
    switch (kind) {
      case 'i32':
        return `st.mem.dv.getInt32(${addr}, true)`;
      case 'u8':
        return `st.mem.dv.getUint8(${addr})`;
      case 's8':
        return `st.mem.dv.getInt8(${addr})`;
      case 'u16':
        return `st.mem.dv.getUint16(${addr}, true)`;
      case 's16':
        return `st.mem.dv.getInt16(${addr}, true)`;
      case 'i64':
        return `st.mem.getI64(${addr})`;
      case 'f32':
        return `st.mem.dv.getFloat32(${addr}, true)`;
      case 'f64':
        return `st.mem.dv.getFloat64(${addr}, true)`;
      default:
        throw new Error(`internal error: load ${kind}`);
    }
  }

  #store(kind: string, base: string, offset: number, value: string): string {
    const addr = offset === 0 ? base : `${base} + ${offset}`;
    switch (kind) {
      case 'i32':
        return `st.mem.dv.setInt32(${addr}, ${value}, true)`;
      case 'i8':
        return `st.mem.dv.setUint8(${addr}, ${value})`;
      case 'i16':
        return `st.mem.dv.setUint16(${addr}, ${value}, true)`;
      case 'i64':
        return `st.mem.setI64(${addr}, ${value})`;
      case 'f32':
        return `st.mem.dv.setFloat32(${addr}, ${value}, true)`;
      case 'f64':
        return `st.mem.dv.setFloat64(${addr}, ${value}, true)`;
      default:
        throw new Error(`internal error: store ${kind}`);
    }
  }

  /** The JS test and payload expression of case `i` of a variant-shaped value `v`. */
  #caseOf(inst: { type: TypeId; flavor: string }, v: string): { test: (i: number) => string; payload: string } {
    const types = this.#cx.types;
    switch (inst.flavor) {
      case 'option':
        if (types.optionIsTagged(inst.type)) return { test: (i) => `${v}.tag === ${i === 0 ? "'none'" : "'some'"}`, payload: `${v}.val` };
        return { test: (i) => (i === 0 ? `${v} == null` : `${v} != null`), payload: v };
      case 'result':
        return { test: (i) => `${v}.tag === ${i === 0 ? "'ok'" : "'err'"}`, payload: `${v}.val` };
      case 'enum':
        return { test: (i) => `${v} === ${quote(types.caseName(inst.type, i))}`, payload: v };
      default:
        return { test: (i) => `${v}.tag === ${quote(types.caseName(inst.type, i))}`, payload: `${v}.val` };
    }
  }

  /** Emits `if (case 0) {…} else if …` over a validated value; `wrap` prefixes each arm. */
  #emitCases(
    inst: Extract<Instruction, { op: 'variantLower' | 'variantStore' }>,
    v: string,
    blocks: readonly BlockResult<string>[],
    arm: (i: number, code: string) => string,
    base?: string,
  ): void {
    const { test, payload } = this.#caseOf(inst, v);
    blocks.forEach((b, i) => {
      const n = this.#names(inst, i);
      const isLast = i === blocks.length - 1;
      if (blocks.length === 1) this.#line('{');
      else if (i === 0) this.#line(`if (${test(i)}) {`);
      else if (isLast) this.#line('} else {');
      else this.#line(`} else if (${test(i)}) {`);
      if (this.#cx.types.caseHasPayload(inst.type, i)) this.#line(`const ${n.elem} = ${payload};`);
      if (base !== undefined) this.#line(`const ${n.base} = ${base};`);
      this.#line(arm(i, b.code));
    });
    this.#line('}');
  }

  #variantLower(inst: Extract<Instruction, { op: 'variantLower' }>, value: string, blocks: readonly BlockResult<string>[]): string[] {
    const v = this.#bind(value, 'v');
    const d = this.#fresh('d');
    const slots = inst.results.map(() => this.#fresh('s'));
    this.#line(`let ${d}: number;`);
    for (const [i, s] of slots.entries()) this.#line(`let ${s}: ${inst.results[i] === 'i64' ? 'bigint' : 'number'};`);
    this.#emitCases(inst, v, blocks, (i, code) => {
      const assigns = blocks[i]!.results.map((r, j) => `${slots[j]} = ${r};`).join('\n');
      return `${code}\n${d} = ${i};\n${assigns}`;
    });
    return [d, ...slots];
  }

  #variantLift(
    inst: Extract<Instruction, { op: 'variantLift' | 'variantLoad' }>,
    disc: string,
    blocks: readonly BlockResult<string>[],
    base?: string,
  ): string[] {
    const types = this.#cx.types;
    const d = this.#bind(disc, 'd');
    const out = this.#fresh('v');
    const top = this.#isThrownResult(inst);
    if (top) {
      // The export's own `result`, which the function returns as its `ok` value or throws as a
      // ComponentError: lifted straight into the value and `thrown` (no `{ tag, val }` object,
      // thrown after the call's try/catch; see the export body in core-module-host.ts).
      this.#thrownResult = out;
      const kind = this.#cx.resolve.types[dealias(this.#cx.resolve, inst.type)]!.kind;
      const ok = kind.tag === 'result' ? kind.ok : null;
      if (ok !== null) this.#line(`let ${out}!: ${types.typeRef(ok)};`);
    } else this.#line(`let ${out}: ${types.typeRef(inst.type)};`);
    this.#line(`switch (${d}) {`);
    blocks.forEach((b, i) => {
      this.#line(`case ${i}: {`);
      if (base !== undefined) this.#line(`const ${this.#names(inst, i).base} = ${base};`);
      this.#line(b.code);
      const val = b.results[0];
      if (!top) this.#line(`${out} = ${this.#liftCase(inst, i, val)};`);
      else if (i === 1) {
        if (this.#cx.errorToWrapper === true) this.#line(`failed = true;\nthrown = ${val ?? 'undefined'};`);
        else this.#line(`thrown = new ComponentError(${val ?? 'undefined'});`);
      }
      else if (val !== undefined) this.#line(`${out} = ${val};`);
      this.#line('break;');
      this.#line('}');
    });
    this.#line(`default:`);
    this.#line(`st.badDiscriminant(${d});`);
    this.#line('}');
    return [out];
  }

  /** The variable {@link #variantLift} lifted the export's thrown `result` into, if it did. */
  #thrownResult: string | undefined;

  /** Checks that `operand` is what {@link #variantLift} lifted the thrown result into. */
  #thrownResultVar(operand: string): string {
    if (operand !== this.#thrownResult) throw new Error('internal error: an export\'s result was not lifted for throwing');
    return operand;
  }

  /** Whether `inst` lifts the `result` an export returns by value or throws (only that one: a type cannot contain itself). */
  #isThrownResult(inst: { type: TypeId; flavor: string }): boolean {
    const r = this.#plan.func.result;
    return (
      this.#plan.direction === 'export' &&
      this.#cx.throwsResult &&
      inst.flavor === 'result' &&
      r !== null &&
      typeof r !== 'string' &&
      dealias(this.#cx.resolve, r) === dealias(this.#cx.resolve, inst.type)
    );
  }

  #liftCase(inst: { type: TypeId; flavor: string }, i: number, val: string | undefined): string {
    const types = this.#cx.types;
    switch (inst.flavor) {
      case 'option':
        if (types.optionIsTagged(inst.type)) return i === 0 ? "{ tag: 'none' }" : `{ tag: 'some', val: ${val} }`;
        return i === 0 ? 'undefined' : val!;
      case 'result': {
        const tag = i === 0 ? "'ok'" : "'err'";
        return val === undefined ? `{ tag: ${tag} }` : `{ tag: ${tag}, val: ${val} }`;
      }
      case 'enum':
        return quote(types.caseName(inst.type, i));
      default: {
        const tag = quote(types.caseName(inst.type, i));
        return val === undefined ? `{ tag: ${tag} }` : `{ tag: ${tag}, val: ${val} }`;
      }
    }
  }
}

/** `x >>> 0`, `x | 0`, `x !== 0`, `x & 255`, …: one operator, a variable and a literal. */
const PURE_SCALAR = /^(?:[A-Za-z_$][\w$]* (?:>>>|>>|<<|\||&|!==) -?\d+|\([A-Za-z_$][\w$]* (?:>>>|>>|<<|\||&|!==) -?\d+\))$/;

/** Instructions that read or write guest memory through the cached views. */
const MEMORY_OPS = new Set<Instruction['op']>([
  'load',
  'store',
  'pointerCheck',
  'stringLift',
  'stringLower',
  'listCanonLift',
  'listCanonLower',
  'listLift',
  'listLower',
  'fixedListStore',
  'fixedListLoad',
  'variantLoad',
  'variantStore',
  'malloc',
]);

/** Whether any of `body` (blocks included) touches guest memory. */
function touchesMemory(body: readonly Instruction[]): boolean {
  return body.some((i) => MEMORY_OPS.has(i.op) || blocksOf(i).some((b) => touchesMemory(b.body)));
}

/** Encoding suffix of the runtime's string methods. */
function encSuffix(e: string): string {
  return e === 'utf8' ? 'Utf8' : e === 'utf16' ? 'Utf16' : 'Latin1Utf16';
}

/** definitions.py variant join casts, in JS. */
function bitcast(from: WasmType, to: WasmType, x: string): string {
  const key = `${from}->${to}`;
  switch (key) {
    case 'f32->i32':
      return `st.f32ToI32(${x})`;
    case 'i32->f32':
      return `st.i32ToF32(${x})`;
    case 'i32->i64':
      return `BigInt(${x} >>> 0)`;
    case 'i64->i32':
      return `Number(BigInt.asIntN(32, ${x}))`;
    case 'f32->i64':
      return `BigInt(st.f32ToI32(${x}) >>> 0)`;
    case 'i64->f32':
      return `st.i32ToF32(Number(BigInt.asIntN(32, ${x})))`;
    case 'f64->i64':
      return `st.f64ToI64(${x})`;
    case 'i64->f64':
      return `st.i64ToF64(${x})`;
    default:
      throw new Error(`internal error: bitcast ${key}`);
  }
}
