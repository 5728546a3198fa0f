/**
 * The instruction set of an ABI plan (after wit-bindgen's `abi::Instruction`). A plan is data: a
 * list of instructions, some with nested {@link Block}s (variant arms, list element bodies), each
 * with a declared stack effect ({@link arity}). Backends translate instructions one by one.
 *
 * Operands are abstract: the TypeScript backend uses expressions, another could use registers.
 * Instructions that reference an operand twice (loads from a base pointer, block params) rely on
 * the backend binding non-trivial operands to variables first.
 */
import type { DiscriminantType } from './layout.js';
import type { WasmType } from './flatten.js';
import type { Func, Type, TypeId } from '../wit/model.js';
import { assertNever } from '../util.js';

export type StringEncoding = 'utf8' | 'utf16' | 'latin1+utf16';

/** Numeric element types whose lists are copied in bulk (typed arrays). */
export type CanonNumeric = 'u8' | 's8' | 'u16' | 's16' | 'u32' | 's32' | 'u64' | 's64' | 'f32' | 'f64';

/** Memory access widths; `*u`/`*s` say how a narrow load extends to i32. */
export type LoadKind = 'i32' | 'u8' | 's8' | 'u16' | 's16' | 'i64' | 'f32' | 'f64';
export type StoreKind = 'i32' | 'i8' | 'i16' | 'i64' | 'f32' | 'f64';

/** Primitive conversions between a WIT value and one core value. */
export type ConvertOp =
  | 'i32FromBool'
  | 'i32FromU8'
  | 'i32FromS8'
  | 'i32FromU16'
  | 'i32FromS16'
  | 'i32FromU32'
  | 'i32FromS32'
  | 'i64FromU64'
  | 'i64FromS64'
  | 'coreF32FromF32'
  | 'coreF64FromF64'
  | 'i32FromChar'
  | 'boolFromI32'
  | 'u8FromI32'
  | 's8FromI32'
  | 'u16FromI32'
  | 's16FromI32'
  | 'u32FromI32'
  | 's32FromI32'
  | 'u64FromI64'
  | 's64FromI64'
  | 'f32FromCoreF32'
  | 'f64FromCoreF64'
  | 'charFromI32';

/** A nested instruction sequence (one variant arm, one list element). */
export interface Block {
  readonly body: readonly Instruction[];
  /** How many operands the block leaves on its stack. */
  readonly results: number;
}

export type Instruction =
  /** Pushes the `index`-th parameter of the function being generated. */
  | { readonly op: 'getArg'; readonly index: number }
  /** Pops one operand, pushes it converted (`op` names the conversion, wit-bindgen style). */
  | { readonly op: 'convert'; readonly convert: ConvertOp }
  /** Pops a core value of type `from`, pushes its bits reinterpreted/extended/wrapped as `to` (variant joins). */
  | { readonly op: 'bitcast'; readonly from: WasmType; readonly to: WasmType }
  /** Pushes zero of the given core type (unused variant slots). */
  | { readonly op: 'constZero'; readonly type: WasmType }
  /** Pops a base pointer, pushes the value loaded at `offset`. */
  | { readonly op: 'load'; readonly kind: LoadKind; readonly offset: number }
  /** Pops a value then a base pointer (the pointer is on top), stores the value at `offset`. */
  | { readonly op: 'store'; readonly kind: StoreKind; readonly offset: number }
  /** Pops a string, pushes (ptr, len) of its copy in guest memory, allocated with `cabi_realloc`. */
  | { readonly op: 'stringLower'; readonly encoding: StringEncoding }
  /** Pops (ptr, len), pushes the string read from guest memory (validated). */
  | { readonly op: 'stringLift'; readonly encoding: StringEncoding }
  /** Pops a numeric list, pushes (ptr, len) of its bulk copy in guest memory. */
  | { readonly op: 'listCanonLower'; readonly element: CanonNumeric }
  /** Pops (ptr, len), pushes a typed-array copy of the numeric list. */
  | { readonly op: 'listCanonLift'; readonly element: CanonNumeric }
  /**
   * Pops a list (or a `Map` when `map`), allocates `len * size` bytes aligned to `align`, runs
   * `body` once per element (with `iterElem` and `iterBasePointer` available), pushes (ptr, len).
   */
  | {
      readonly op: 'listLower';
      readonly element: Type | null;
      readonly map: boolean;
      readonly size: number;
      readonly align: number;
      readonly body: Block;
    }
  /** Pops (ptr, len), checks bounds/alignment, runs `body` per element (it pushes one value), pushes the list (or `Map`). */
  | {
      readonly op: 'listLift';
      readonly element: Type | null;
      readonly map: boolean;
      readonly size: number;
      readonly align: number;
      readonly body: Block;
    }
  /** Pushes the current element inside a `listLower` (or `fixedListStore`) body. */
  | { readonly op: 'iterElem' }
  /** Pushes the current element's address inside a `listLower`/`listLift` (or `fixedListStore`/`fixedListLoad`) body. */
  | { readonly op: 'iterBasePointer' }
  /** Pops a fixed-length list, pushes its element `index`. */
  | { readonly op: 'fixedListElem'; readonly index: number }
  /** Pops `size` elements, pushes the fixed-length list (an array of type `type`). */
  | { readonly op: 'fixedListLift'; readonly size: number; readonly type: TypeId }
  /**
   * Pops a fixed-length list then a base pointer (on top); runs `body` once per element, with
   * `iterElem` the element and `iterBasePointer` its address `base + offset + i * size`, which
   * stores it. The loop form of storing `list<T, N>` (long lists; short ones are unrolled).
   */
  | {
      readonly op: 'fixedListStore';
      readonly element: Type;
      readonly length: number;
      readonly size: number;
      readonly offset: number;
      readonly body: Block;
    }
  /**
   * Pops a base pointer; runs `body` once per element, with `iterBasePointer` its address
   * `base + offset + i * size` (the body pushes the element), pushes the fixed-length list (an
   * array of type `type`). The loop form of loading `list<T, N>`; the memory was bounds-checked
   * with the value that holds it.
   */
  | {
      readonly op: 'fixedListLoad';
      readonly type: TypeId;
      readonly element: Type;
      readonly length: number;
      readonly size: number;
      readonly offset: number;
      readonly body: Block;
    }
  /** Pops a record, pushes its field `index`. */
  | { readonly op: 'recordField'; readonly type: TypeId; readonly index: number }
  /** Pops the `fields` fields, pushes the record. */
  | { readonly op: 'recordLift'; readonly type: TypeId; readonly fields: number }
  /** Pops a tuple, pushes its element `index`. */
  | { readonly op: 'tupleElem'; readonly index: number }
  /** Pops `size` elements, pushes the tuple (of type `type`; null for a map entry). */
  | { readonly op: 'tupleLift'; readonly size: number; readonly type: TypeId | null }
  /** Pops a flags object, pushes its i32 bits. */
  | { readonly op: 'flagsLower'; readonly type: TypeId }
  /** Pops the i32 bits, pushes the flags object. */
  | { readonly op: 'flagsLift'; readonly type: TypeId }
  /** Pops an enum value, pushes its discriminant. */
  | { readonly op: 'enumLower'; readonly type: TypeId }
  /** Pops a discriminant (trapping when out of range), pushes the enum value. */
  | { readonly op: 'enumLift'; readonly type: TypeId }
  /**
   * Pops a variant/option/result, runs the block of its case (`variantPayload` pushes the payload;
   * each block pushes `results.length` core values), pushes the discriminant then the results.
   */
  | {
      readonly op: 'variantLower';
      readonly type: TypeId;
      readonly flavor: VariantFlavor;
      readonly results: readonly WasmType[];
      readonly blocks: readonly Block[];
    }
  /** Pushes the payload of the case being lowered (inside a `variantLower` block). */
  | { readonly op: 'variantPayload' }
  /**
   * Pops a discriminant (trapping when out of range), runs the block of the case (the block fetches
   * its payload slots itself and pushes the payload, or nothing), pushes the value.
   */
  | {
      readonly op: 'variantLift';
      readonly type: TypeId;
      readonly flavor: VariantFlavor;
      readonly blocks: readonly Block[];
    }
  /** Pops one operand into local `local` (the backend binds it to a variable). */
  | { readonly op: 'setLocal'; readonly local: number }
  /** Pushes local `local`. */
  | { readonly op: 'getLocal'; readonly local: number }
  /**
   * Pops a base pointer, loads the discriminant (`disc`) at `offset` (trapping when out of range),
   * runs the case's block (`variantBase` pushes the base pointer; the block loads the payload at
   * static offsets and pushes it, or nothing), pushes the value.
   */
  | {
      readonly op: 'variantLoad';
      readonly type: TypeId;
      readonly flavor: VariantFlavor;
      readonly disc: DiscriminantType;
      readonly offset: number;
      readonly blocks: readonly Block[];
    }
  /**
   * Pops a variant value then a base pointer (on top); stores the discriminant at `offset` and runs
   * the case's block (`variantPayload` and `variantBase` available), which stores the payload.
   */
  | {
      readonly op: 'variantStore';
      readonly type: TypeId;
      readonly flavor: VariantFlavor;
      readonly disc: DiscriminantType;
      readonly offset: number;
      readonly blocks: readonly Block[];
    }
  /** Pushes the base pointer of the enclosing `variantStore`/`variantLoad` (payload offsets are static). */
  | { readonly op: 'variantBase' }
  /** Pops a resource object, pushes its i32 handle for the guest. */
  | { readonly op: 'handleLower'; readonly handle: 'own' | 'borrow'; readonly resource: TypeId }
  /** Pops an i32 handle from the guest, pushes the resource object. */
  | { readonly op: 'handleLift'; readonly handle: 'own' | 'borrow'; readonly resource: TypeId }
  /** Pops a pointer, traps unless aligned to `align` with `size` bytes in bounds; pushes it back. */
  | { readonly op: 'pointerCheck'; readonly align: number; readonly size: number }
  /** Pushes a fresh allocation `cabi_realloc(0, 0, align, size)` (checked); spilled export params. */
  | { readonly op: 'malloc'; readonly size: number; readonly align: number }
  /** Pops the core params, calls the core export `name`, pushes its results. */
  | {
      readonly op: 'callWasm';
      readonly name: string;
      readonly params: readonly WasmType[];
      readonly results: readonly WasmType[];
    }
  /** Pops the function's params (JS values), calls the host implementation, pushes its result if any. */
  | { readonly op: 'callInterface'; readonly func: Func; readonly results: number }
  /** Calls the export's post-return function with the core results of `callWasm` (no stack effect). */
  | { readonly op: 'postReturn'; readonly name: string }
  /** Pops `count` operands and returns them from the generated function. */
  | { readonly op: 'return'; readonly count: number };

/** How a variant-shaped type is represented in JS. */
export type VariantFlavor = 'variant' | 'option' | 'result' | 'enum';

/**
 * The stack effect `[pops, pushes]` of an instruction; the single source `machine.ts` asserts.
 * Blocks are checked separately against their declared `results`.
 */
export function arity(inst: Instruction): readonly [number, number] {
  switch (inst.op) {
    case 'getArg':
    case 'constZero':
    case 'iterElem':
    case 'iterBasePointer':
    case 'variantPayload':
    case 'getLocal':
    case 'variantBase':
    case 'malloc':
      return [0, 1];
    case 'convert':
    case 'bitcast':
    case 'load':
    case 'flagsLower':
    case 'flagsLift':
    case 'enumLower':
    case 'enumLift':
    case 'handleLower':
    case 'handleLift':
    case 'pointerCheck':
    case 'recordField':
    case 'tupleElem':
    case 'fixedListElem':
    case 'variantLift':
      return [1, 1];
    case 'setLocal':
      return [1, 0];
    case 'store':
      return [2, 0];
    case 'stringLower':
    case 'listCanonLower':
    case 'listLower':
      return [1, 2];
    case 'stringLift':
    case 'listLift':
    case 'listCanonLift':
      return [2, 1];
    case 'fixedListLift':
      return [inst.size, 1];
    case 'fixedListStore':
      return [2, 0];
    case 'fixedListLoad':
      return [1, 1];
    case 'recordLift':
      return [inst.fields, 1];
    case 'tupleLift':
      return [inst.size, 1];
    case 'variantLower':
      return [1, 1 + inst.results.length];
    case 'variantLoad':
      return [1, 1];
    case 'variantStore':
      return [2, 0];
    case 'callWasm':
      return [inst.params.length, inst.results.length];
    case 'callInterface':
      return [inst.func.params.length, inst.results];
    case 'postReturn':
      return [0, 0];
    case 'return':
      return [inst.count, 0];
    default:
      return assertNever(inst);
  }
}
