/**
 * Runs a plan against a backend (wit-bindgen's `Generator::emit` loop): keeps the operand stack,
 * runs nested blocks first, and asserts every instruction's declared stack effect.
 */
import { arity, type Block, type Instruction } from './instructions.js';

/** What a backend produced for one nested block. */
export interface BlockResult<Op> {
  /** The backend's rendering of the block's statements. */
  readonly code: string;
  /** Operands the block left on its stack (`block.results` of them). */
  readonly results: readonly Op[];
}

/** A backend translating instructions (e.g. to TypeScript). */
export interface Bindgen<Op> {
  /**
   * Translates one instruction: `operands` are its popped inputs (deepest first) and `blocks` the
   * results of its nested blocks; returns the operands it pushes.
   */
  emit(inst: Instruction, operands: readonly Op[], blocks: readonly BlockResult<Op>[]): Op[];
  /** Starts capturing the statements of block `index` of `parent`, whose inputs are `operands`. */
  pushBlock(parent: Instruction, index: number, operands: readonly Op[]): void;
  /** Ends the innermost block, returning its code. */
  finishBlock(results: readonly Op[]): string;
}

/** Runs `body` through `bindgen`. Returns whatever is left on the stack (nothing for a full plan). */
export function runPlan<Op>(body: readonly Instruction[], bindgen: Bindgen<Op>): Op[] {
  const stack: Op[] = [];
  runInto(body, bindgen, stack);
  return stack;
}

function runInto<Op>(body: readonly Instruction[], bindgen: Bindgen<Op>, stack: Op[]): void {
  for (const inst of body) {
    const [pops, pushes] = arity(inst);
    if (stack.length < pops) {
      throw new Error(`internal error: \`${inst.op}\` pops ${pops} operands, stack has ${stack.length}`);
    }
    const operands = stack.splice(stack.length - pops, pops);
    const blocks = blocksOf(inst).map((block, index) => runBlock(inst, index, block, operands, bindgen));
    const results = bindgen.emit(inst, operands, blocks);
    if (results.length !== pushes) {
      throw new Error(`internal error: \`${inst.op}\` pushes ${pushes} operands, backend produced ${results.length}`);
    }
    stack.push(...results);
  }
}

function runBlock<Op>(parent: Instruction, index: number, block: Block, operands: readonly Op[], bindgen: Bindgen<Op>): BlockResult<Op> {
  bindgen.pushBlock(parent, index, operands);
  const stack: Op[] = [];
  runInto(block.body, bindgen, stack);
  if (stack.length !== block.results) {
    throw new Error(`internal error: block ${index} of \`${parent.op}\` leaves ${stack.length} operands, declared ${block.results}`);
  }
  const code = bindgen.finishBlock(stack);
  return { code, results: stack };
}

/** The nested blocks of an instruction, in order. */
export function blocksOf(inst: Instruction): readonly Block[] {
  switch (inst.op) {
    case 'listLower':
    case 'listLift':
    case 'fixedListStore':
    case 'fixedListLoad':
      return [inst.body];
    case 'variantLower':
    case 'variantLift':
    case 'variantLoad':
    case 'variantStore':
      return inst.blocks;
    default:
      return [];
  }
}
