/**
 * witbind's public API.
 *
 * - Diagnostics as data: {@link parseWit}, {@link resolveWit}, {@link resolveWitPath},
 *   {@link generateBindings} return `{ ok, diagnostics, … }`; {@link formatDiagnostics} renders them.
 * - Throwing variants: {@link loadWitPath}, {@link loadWitSource}, {@link generate},
 *   {@link generateWorld}, {@link generateComponent} throw a {@link WitError} (or a
 *   `PlanError`, `ComponentDecodeError`, `ComponentWitError`); {@link toDiagnostics} turns any of
 *   them into diagnostics.
 * - The resolved model ({@link Resolve} and its parts), the ABI planner, the emitter.
 *
 * @module
 */
export * from './wit/model.js';
export type * as WitAst from './wit/ast.js';
export type { Span, SourceFile, Location } from './wit/source-map.js';
export { SourceMap } from './wit/source-map.js';
export { WitError, renderDiagnostic, type WitDiagnostic, type WitErrorKind } from './wit/errors.js';
export {
  collectDiagnostics,
  formatDiagnostics,
  shouldColor,
  toDiagnostics,
  type Diagnostic,
  type DiagnosticKind,
  type FormatDiagnosticsOptions,
  type Result,
} from './diagnostics.js';
export {
  generateBindings,
  parseWit,
  resolveWit,
  resolveWitPath,
  type BindingsInput,
  type GeneratedBindings,
  type ParsedWit,
  type ResolvedWit,
  type WitSource,
} from './api.js';
export {
  generate,
  generateComponent,
  generateWorld,
  type GenerateOptions,
  type Files,
  type ProgressEvent,
} from './generate.js';
export { loadWitPath, loadWitSource, resolveToJson, selectWorld, type LoadOptions } from './wit/load.js';
export { Planner, type FunctionPlan, type Direction, type PlanOptions, PlanError } from './abi/plan.js';
export { printPlan } from './abi/print-plan.js';
export type {
  Block,
  CanonNumeric,
  ConvertOp,
  Instruction,
  LoadKind,
  StoreKind,
  StringEncoding,
  VariantFlavor,
} from './abi/instructions.js';
export { SizeAlign, type DiscriminantType, type Layout } from './abi/layout.js';
export { Flattener, type WasmType } from './abi/flatten.js';
export { emitWorldModule, type EmitOptions, type GeneratedModule } from './emit/core-module-host.js';
