/**
 * WIT diagnostics: structured, span-bearing, rendered only at the edge (`renderDiagnostic`).
 * Voice: lowercase, item names in backticks, the kind first ("type `bar` does not exist").
 */
import type { SourceMap, Span } from './source-map.js';

/** What went wrong, coarsely; the message says the rest. */
export type WitErrorKind =
  /** Invalid characters, unterminated comments, bad tokens. */
  | 'lex'
  /** Unexpected token, malformed construct. */
  | 'parse'
  /** Well-formed syntax with invalid content (bad identifier, empty record, legacy syntax). */
  | 'syntax'
  /** Name resolution, duplicates, cycles, bad handles, world elaboration. */
  | 'resolve'
  /** Reading files and directories. */
  | 'io';

export interface WitDiagnostic {
  readonly kind: WitErrorKind;
  readonly message: string;
  /** Where; null only for errors with no source location (e.g. a missing directory). */
  readonly span: Span | null;
  /** Context prefixes, outermost first, joined with ": " when rendered (wasm-tools' error chain). */
  readonly context?: readonly string[];
}

/** Thrown by the front end's public entry points; carries every diagnostic found. */
export class WitError extends Error {
  readonly diagnostics: readonly WitDiagnostic[];
  readonly sourceMap: SourceMap;

  constructor(diagnostics: readonly WitDiagnostic[], sourceMap: SourceMap) {
    super(diagnostics.map((d) => renderDiagnostic(d, sourceMap)).join('\n\n'));
    this.name = 'WitError';
    this.diagnostics = diagnostics;
    this.sourceMap = sourceMap;
  }
}

/** Renders one diagnostic in wasm-tools' format (message, `--> file:line:col`, snippet, caret). */
export function renderDiagnostic(d: WitDiagnostic, sourceMap: SourceMap): string {
  const body = d.span ? sourceMap.highlight(d.span, d.message) : d.message;
  return d.context && d.context.length > 0 ? `${d.context.join(': ')}: ${body}` : body;
}
