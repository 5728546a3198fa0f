/**
 * witbind's public API.
 */
export * from './wit/model.js';
export type { Span } from './wit/source-map.js';
export { SourceMap } from './wit/source-map.js';
export { WitError, renderDiagnostic, type WitDiagnostic, type WitErrorKind } from './wit/errors.js';
export { generate, generateWorld, type GenerateOptions, type Files } from './generate.js';
export { loadWitPath, loadWitSource, resolveToJson, selectWorld, type LoadOptions } from './wit/load.js';
export { Planner, type FunctionPlan, type Direction, PlanError } from './abi/plan.js';
export { printPlan } from './abi/print-plan.js';
export type { Instruction, StringEncoding } from './abi/instructions.js';
export { emitWorldModule, type EmitOptions } from './emit/core-module-host.js';
