/** Shared helpers for the WIT front-end tests. */
import { renderDiagnostic } from '../../src/wit/errors.js';
import { parseWitFile, type ParseResult } from '../../src/wit/parse.js';
import { SourceMap } from '../../src/wit/source-map.js';

/** Parses `text` as `test.wit` in a fresh SourceMap. */
export function parse(text: string): ParseResult & { messages: string[]; rendered: string; sourceMap: SourceMap } {
  const sourceMap = new SourceMap();
  const result = parseWitFile(sourceMap, 'test.wit', text);
  return {
    ...result,
    sourceMap,
    messages: result.diagnostics.map((d) => d.message),
    rendered: result.diagnostics.map((d) => renderDiagnostic(d, sourceMap)).join('\n\n'),
  };
}

/** A deep copy without `span` keys, for comparing ASTs modulo positions. */
export function withoutSpans<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'span' ? undefined : v))) as T;
}
