/**
 * The planner's error (re-exported by `plan.ts`), in a module of its own so that the layout and
 * flattening code can refuse types too without an import cycle.
 */

/**
 * A type the planner cannot handle yet (async values, error-context), that the canonical ABI
 * forbids (flags with more than 32 labels), or that is beyond the planner's limits (see
 * `limits.ts`: nesting depth, plan size, the 32-bit address space).
 */
export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}
