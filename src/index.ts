/**
 * witbind's public API.
 */
export * from './wit/model.js';
export type { Span } from './wit/source-map.js';
export { SourceMap } from './wit/source-map.js';
export { WitError, renderDiagnostic, type WitDiagnostic, type WitErrorKind } from './wit/errors.js';
