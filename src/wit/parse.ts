/**
 * Entry point of the WIT front end for one file: text → tokens → CST → AST, with every problem
 * reported as a located diagnostic. Nothing here throws on user input.
 *
 * The token stream is cut into top-level *segments* (a `package`, `interface`, `world` or `use`
 * item, with its gates, starting after a `;` or `}` at brace depth 0) and each segment is parsed
 * on its own. Chevrotain's recovery is good inside an item but, being brace-unaware, can let a
 * broken record close its interface; segments keep such a cascade from swallowing the rest of
 * the file, so independent errors in different items are all reported.
 */
import type { IToken } from 'chevrotain';
import type { File } from './ast.js';
import type { WitDiagnostic } from './errors.js';
import { lexWit, scanInvalidCodepoints } from './lexer.js';
import { EOF, parseTokens, witParser } from './parser.js';
import type { SourceMap, Span } from './source-map.js';
import { buildFile } from './to-ast.js';
import { At, describeFound, kw, LAngle, LBrace, LParen, RAngle, RBrace, RParen, Semicolon } from './tokens.js';

export interface ParseResult {
  /** The AST; null only when nothing usable could be built (e.g. binary input). */
  readonly file: File | null;
  readonly diagnostics: WitDiagnostic[];
}

/** Deepest nesting of `{`, `(` and `<` accepted; deeper input is refused with a located error. */
export const MAX_NESTING = 100;

/** At most this many diagnostics are reported for one file. */
export const MAX_DIAGNOSTICS = 100;

/**
 * Parses one WIT file. Adds it to `sourceMap` (spans are global offsets) and returns a
 * best-effort AST plus all diagnostics (lexical, syntactic, and the checks of `to-ast.ts`).
 */
export function parseWitFile(sourceMap: SourceMap, path: string, text: string): ParseResult {
  const source = sourceMap.addFile(path, text);
  const base = source.offset;
  const invalid = scanInvalidCodepoints(text, base);
  if (invalid.length > 0) return { file: null, diagnostics: invalid };

  const lexed = lexWit(text, base);
  const diagnostics: WitDiagnostic[] = [...lexed.diagnostics];
  const segments = splitSegments(lexed.tokens);
  const csts = [];
  for (let s = 0; s < segments.length; s++) {
    if (diagnostics.length > MAX_DIAGNOSTICS) {
      // Enough to act on; parsing the rest would only cost time (the AST stays partial).
      break;
    }
    const segment = segments[s]!;
    const tooDeep = findExcessiveNesting(segment);
    if (tooDeep) {
      diagnostics.push({
        kind: 'parse',
        message: `nesting is too deep (more than ${MAX_NESTING} levels of '{', '(' or '<')`,
        span: tokenSpan(tooDeep, base),
      });
      continue;
    }
    try {
      // At most one error over the file's limit: the rest would not be shown.
      const cst = parseTokens(segment, MAX_DIAGNOSTICS + 1);
      if (cst) csts.push(cst);
    } catch (e) {
      if (!(e instanceof RangeError) || !/call stack/i.test(e.message)) throw e;
      // Error recovery nests without any bracket in the text (`f: func(a: option option …)`:
      // it inserts each missing '<' and goes on), beyond what the stack allows. The errors
      // recorded so far are reported; the segment gets no syntax tree.
      diagnostics.push({
        kind: 'parse',
        message: 'syntax errors nest too deeply to recover from',
        span: tokenSpan(segment[0]!, base),
      });
    }
    const next = segments[s + 1]?.[0];
    for (const err of witParser.errors) {
      diagnostics.push(syntaxError(err.message, err.token, next, base, text.length));
    }
  }
  const file = buildFile(
    { path, text, fileOffset: base, tokens: lexed.tokens, comments: lexed.comments, csts },
    diagnostics,
  );
  return { file, diagnostics: capDiagnostics(dedupe(sortBySpan(diagnostics))) };
}

function tokenSpan(t: IToken, base: number): Span {
  return { start: base + t.startOffset, end: base + (t.endOffset ?? t.startOffset) + 1 };
}

/**
 * A parser error as a diagnostic. When a segment ran out of tokens, "eof" is replaced by the token
 * that actually follows (the start of the next segment).
 */
function syntaxError(
  message: string,
  token: IToken,
  next: IToken | undefined,
  base: number,
  textLength: number,
): WitDiagnostic {
  if (token.tokenType === EOF || !Number.isFinite(token.startOffset)) {
    if (next) {
      return {
        kind: 'parse',
        message: message.replace(/found eof$/, `found ${describeFound(next)}`),
        span: tokenSpan(next, base),
      };
    }
    return { kind: 'parse', message, span: { start: base + textLength, end: base + textLength } };
  }
  return { kind: 'parse', message, span: tokenSpan(token, base) };
}

const SEGMENT_STARTS = new Set([kw.package, kw.interface, kw.world, kw.use, At]);

/** Cuts the token stream before each top-level item (see the module comment). */
export function splitSegments(tokens: readonly IToken[]): IToken[][] {
  const segments: IToken[][] = [];
  let current: IToken[] = [];
  let depth = 0;
  let previous: IToken | undefined;
  for (const t of tokens) {
    const boundary =
      depth === 0 &&
      SEGMENT_STARTS.has(t.tokenType) &&
      (previous === undefined || previous.tokenType === Semicolon || previous.tokenType === RBrace);
    if (boundary && current.length > 0) {
      segments.push(current);
      current = [];
    }
    current.push(t);
    if (t.tokenType === LBrace) depth++;
    else if (t.tokenType === RBrace && depth > 0) depth--;
    previous = t;
  }
  if (current.length > 0) segments.push(current);
  return segments;
}

/** The first token that opens a level beyond {@link MAX_NESTING}, if any. */
function findExcessiveNesting(tokens: readonly IToken[]): IToken | undefined {
  let depth = 0;
  for (const t of tokens) {
    const type = t.tokenType;
    if (type === LBrace || type === LParen || type === LAngle) {
      if (++depth > MAX_NESTING) return t;
    } else if ((type === RBrace || type === RParen || type === RAngle) && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

/** Source order (stable); diagnostics without a span go last. */
function sortBySpan(diagnostics: WitDiagnostic[]): WitDiagnostic[] {
  const at = (d: WitDiagnostic): number => d.span?.start ?? Number.MAX_SAFE_INTEGER;
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => at(a.d) - at(b.d) || a.i - b.i)
    .map((x) => x.d);
}

/** Recovery can report the same problem twice at one place; keep the first. */
function dedupe(diagnostics: WitDiagnostic[]): WitDiagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.span?.start ?? -1}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function capDiagnostics(diagnostics: WitDiagnostic[]): WitDiagnostic[] {
  if (diagnostics.length <= MAX_DIAGNOSTICS) return diagnostics;
  return [
    ...diagnostics.slice(0, MAX_DIAGNOSTICS),
    {
      kind: 'parse',
      message: `too many errors: ${diagnostics.length - MAX_DIAGNOSTICS} more not shown`,
      span: null,
    },
  ];
}
