/**
 * WIT lexing: the invalid-codepoint pre-scan (wasm-tools `detect_invalid_input`), then one
 * chevrotain {@link Lexer} singleton. Comments go to their own group so `to-ast.ts` can attach
 * them as docs; every problem becomes a located {@link WitDiagnostic}, never an exception.
 */
import { Lexer, type IToken } from 'chevrotain';
import type { WitDiagnostic } from './errors.js';
import { allTokens, isUnterminatedComment } from './tokens.js';

/** The lexer singleton (chevrotain builds its tables once). */
export const witLexer = new Lexer(allTokens, {
  // Lines and columns are computed by SourceMap from offsets; only offsets are needed here.
  positionTracking: 'onlyOffset',
  // Every pattern has a known first character, so the first-char optimisation must hold.
  ensureOptimizations: true,
});

export interface LexResult {
  /** Significant tokens (no whitespace, no comments). Offsets are local to the file. */
  readonly tokens: IToken[];
  /** Comment tokens, in order. Offsets are local to the file. */
  readonly comments: IToken[];
  readonly diagnostics: WitDiagnostic[];
}

/**
 * Only the first invalid codepoint is reported (as wasm-tools does): such a file is not parsed
 * further, and binary input would otherwise produce a diagnostic per byte.
 */
const MAX_CODEPOINT_ERRORS = 1;

/**
 * WIT.md: files must not contain bidirectional override scalar values, control codes other than
 * newline, carriage return and horizontal tab, or codepoints Unicode deprecates or strongly
 * discourages. Returns diagnostics with global spans (`fileOffset` added).
 */
export function scanInvalidCodepoints(text: string, fileOffset: number): WitDiagnostic[] {
  const out: WitDiagnostic[] = [];
  for (let i = 0; i < text.length && out.length < MAX_CODEPOINT_ERRORS; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) continue; // fast path: printable ASCII
    let message: string | null = null;
    if (c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
      message = `control code '${escapeUnicode(c)}'`;
    } else if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
      // CVE-2021-42574: source that displays differently from what it means.
      message = `input contains bidirectional override codepoint '${escapeUnicode(c)}'`;
    } else if ([0x149, 0x673, 0xf77, 0xf79, 0x17a3, 0x17a4, 0x17b4, 0x17b5].includes(c)) {
      message = `codepoint '${escapeUnicode(c)}' is discouraged by unicode`;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++; // a valid surrogate pair
        continue;
      }
      message = 'invalid unicode: unpaired surrogate';
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      message = 'invalid unicode: unpaired surrogate';
    }
    if (message !== null) {
      out.push({ kind: 'lex', message, span: { start: fileOffset + i, end: fileOffset + i + 1 } });
    }
  }
  return out;
}

function escapeUnicode(c: number): string {
  return `\\u{${c.toString(16)}}`;
}

/** Describes the first character of an unexpected run for a message. */
function describeChar(text: string, offset: number): string {
  const cp = text.codePointAt(offset) ?? 0;
  const ch = String.fromCodePoint(cp);
  if (cp < 0x20 || cp === 0x7f) return `'${escapeUnicode(cp)}'`;
  if (ch === "'") return "'\\''";
  return `'${ch}'`;
}

/**
 * Tokenizes one file. `fileOffset` is the file's global offset in the SourceMap; diagnostics get
 * global spans, tokens keep local offsets (the parser and `to-ast.ts` add the offset).
 */
export function lexWit(text: string, fileOffset: number): LexResult {
  // A leading UTF-8 byte-order mark is ignored (wasm-tools eats it); replacing it by a space keeps
  // every offset unchanged.
  const input = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const result = witLexer.tokenize(input);
  // 'onlyOffset' tracking leaves `endOffset` unset; the parser's node locations need it.
  for (const t of result.tokens) t.endOffset = t.startOffset + t.image.length - 1;
  for (const t of result.groups['comments'] ?? []) t.endOffset = t.startOffset + t.image.length - 1;
  const diagnostics: WitDiagnostic[] = [];
  for (const err of result.errors) {
    const ch = input.codePointAt(err.offset) ?? 0;
    const isLetter = /\p{L}/u.test(String.fromCodePoint(ch));
    const message = isLetter
      ? `invalid character in identifier ${describeChar(input, err.offset)} (identifiers are ASCII kebab-case)`
      : `unexpected character ${describeChar(input, err.offset)}`;
    const width = ch > 0xffff ? 2 : 1;
    diagnostics.push({
      kind: 'lex',
      message,
      span: { start: fileOffset + err.offset, end: fileOffset + err.offset + width },
    });
  }
  const comments = result.groups['comments'] ?? [];
  for (const c of comments) {
    if (isUnterminatedComment(c.image)) {
      diagnostics.push({
        kind: 'lex',
        message: 'unterminated block comment',
        span: { start: fileOffset + c.startOffset, end: fileOffset + c.startOffset + 2 },
      });
    }
  }
  return { tokens: result.tokens, comments, diagnostics };
}
