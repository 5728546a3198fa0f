/**
 * The WIT token vocabulary (WIT.md "Lexical structure"), as chevrotain token types.
 *
 * Keywords share the {@link Keyword} category and use `longer_alt: Id`, so `list-of` is one
 * identifier while `list` is the keyword; a keyword is only usable as a name through the
 * `%`-escaped form ({@link ExplicitId}). Identifier *validity* (kebab-case words) is checked later,
 * in `to-ast.ts`, like wasm-tools' `validate_id`: the lexer takes any run of `[A-Za-z0-9_-]`
 * starting with a letter or `_`, so `Foo` and `a--b` become located errors rather than
 * "unexpected character".
 */
import { createToken, EOF, Lexer, type IToken, type TokenType } from 'chevrotain';

// --- trivia -----------------------------------------------------------------------------------

/** Space, tab, newline, carriage return (WIT.md `whitespace`, without comments). */
export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

/**
 * `// …` up to and including the newline, or a block comment, which may nest (`/*` … `/*` … `*` `/` … `*` `/`).
 * An unterminated block comment still matches (to the end of input) so that `lexer.ts` can report
 * it once, at its start, instead of a cascade of `/` and `*` errors.
 */
export const Comment = createToken({
  name: 'Comment',
  pattern: { exec: matchComment },
  group: 'comments',
  line_breaks: true,
  start_chars_hint: ['/'],
});

function matchComment(text: string, offset: number): [string] | null {
  if (text.charCodeAt(offset) !== 47 /* / */) return null;
  const next = text.charCodeAt(offset + 1);
  if (next === 47 /* / */) {
    const nl = text.indexOf('\n', offset + 2);
    return [text.slice(offset, nl === -1 ? text.length : nl + 1)];
  }
  if (next !== 42 /* * */) return null;
  // WIT.md: block comments nest and their delimiters must be balanced.
  let depth = 1;
  let i = offset + 2;
  while (i < text.length && depth > 0) {
    const c = text.charCodeAt(i);
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      depth++;
      i += 2;
    } else if (c === 42 && text.charCodeAt(i + 1) === 47) {
      depth--;
      i += 2;
    } else {
      i++;
    }
  }
  return [text.slice(offset, i)];
}

/** True when a `Comment` token's image is a block comment that never closed. */
export function isUnterminatedComment(image: string): boolean {
  if (!image.startsWith('/*')) return false;
  let depth = 0;
  for (let i = 0; i < image.length; i++) {
    const c = image.charCodeAt(i);
    if (c === 47 && image.charCodeAt(i + 1) === 42) {
      depth++;
      i++;
    } else if (c === 42 && image.charCodeAt(i + 1) === 47) {
      depth--;
      i++;
    }
  }
  return depth > 0;
}

// --- identifiers and literals -----------------------------------------------------------------

/** A plain identifier (validated as kebab-case in `to-ast.ts`). */
export const Id = createToken({ name: 'Id', pattern: /[A-Za-z_][A-Za-z0-9_-]*/ });

/** `%name`: an identifier that may spell a keyword; `name` alone is the identifier. */
export const ExplicitId = createToken({ name: 'ExplicitId', pattern: /%[A-Za-z0-9_-]*/ });

/**
 * A word that starts with digits (`1a`): never a valid identifier, but lexed as one word so that
 * the message is "identifiers start with a letter" at the right place, and so that semver
 * identifiers such as the `5a` of `1.0.0+5a` stay one token.
 */
export const BadId = createToken({ name: 'BadId', pattern: /[0-9]+[A-Za-z_][A-Za-z0-9_-]*/ });

/** `[0-9]+` (versions and fixed list lengths). */
export const Integer = createToken({ name: 'Integer', pattern: /[0-9]+/ });

/** `"…"` (used by `@external-id`); escapes and termination are checked in `to-ast.ts`. */
export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: /"(?:[^"\\\n]|\\[^\n])*"?/,
});

// --- operators ----------------------------------------------------------------------------------

export const RArrow = createToken({ name: 'RArrow', pattern: /->/ });
export const Equals = createToken({ name: 'Equals', pattern: /=/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/ });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/ });
export const LAngle = createToken({ name: 'LAngle', pattern: /</ });
export const RAngle = createToken({ name: 'RAngle', pattern: />/ });
export const Star = createToken({ name: 'Star', pattern: /\*/ });
export const Slash = createToken({ name: 'Slash', pattern: /\// });
export const Period = createToken({ name: 'Period', pattern: /\./ });
export const At = createToken({ name: 'At', pattern: /@/ });
export const Plus = createToken({ name: 'Plus', pattern: /\+/ });
export const Minus = createToken({ name: 'Minus', pattern: /-/ });

// --- keywords -------------------------------------------------------------------------------------

/** Category shared by every keyword token. */
export const Keyword = createToken({ name: 'Keyword', pattern: Lexer.NA });

/** Category of the primitive type keywords (`u8` … `string`, `error-context`). */
export const PrimitiveType = createToken({ name: 'PrimitiveType', pattern: Lexer.NA });

/** Every WIT keyword spelling (WIT.md "Keywords", plus `error-context` and `_`). */
export const KEYWORDS = [
  'as',
  'async',
  'bool',
  'borrow',
  'char',
  'constructor',
  'enum',
  'error-context',
  'export',
  'f32',
  'f64',
  'flags',
  'from',
  'func',
  'future',
  'import',
  'include',
  'interface',
  'list',
  'map',
  'option',
  'own',
  'package',
  'record',
  'resource',
  'result',
  's16',
  's32',
  's64',
  's8',
  'static',
  'stream',
  'string',
  'tuple',
  'type',
  'u16',
  'u32',
  'u64',
  'u8',
  'use',
  'variant',
  'with',
  'world',
  '_',
] as const;

export type KeywordName = (typeof KEYWORDS)[number];

const keywordSet: ReadonlySet<string> = new Set(KEYWORDS);

/** True when `name` can only be written as `%name`. */
export function isKeyword(name: string): name is KeywordName {
  return keywordSet.has(name);
}

/** Primitive type keywords, in WIT.md order. */
export const PRIMITIVE_KEYWORDS = [
  'u8',
  'u16',
  'u32',
  'u64',
  's8',
  's16',
  's32',
  's64',
  'f32',
  'f64',
  'char',
  'bool',
  'string',
  'error-context',
] as const;

function keyword(word: KeywordName): TokenType {
  const name = `Kw_${word === '_' ? 'underscore' : word.replace('-', '_')}`;
  const escaped = word.replace(/[-]/g, '\\-');
  const primitive = (PRIMITIVE_KEYWORDS as readonly string[]).includes(word);
  return createToken({
    name,
    pattern: new RegExp(escaped),
    categories: primitive ? [Keyword, PrimitiveType] : [Keyword],
    longer_alt: Id,
    label: `keyword \`${word}\``,
  });
}

/** Keyword token types by spelling. */
export const kw: { readonly [K in KeywordName]: TokenType } = Object.fromEntries(
  KEYWORDS.map((w) => [w, keyword(w)]),
) as { [K in KeywordName]: TokenType };


// --- vocabulary -------------------------------------------------------------------------------------

/**
 * All token types in match order: trivia, then keywords longest first (so `async` is not read as
 * `as` + `ync`; `longer_alt` then turns `asynchronous` back into an identifier), then identifiers,
 * literals and operators (`->` before `-`).
 */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  Keyword,
  PrimitiveType,
  ...[...KEYWORDS].sort((a, b) => b.length - a.length).map((w) => kw[w]),
  Id,
  ExplicitId,
  BadId,
  Integer,
  StringLiteral,
  RArrow,
  Equals,
  Comma,
  Colon,
  Semicolon,
  LParen,
  RParen,
  LBrace,
  RBrace,
  LAngle,
  RAngle,
  Star,
  Slash,
  Period,
  At,
  Plus,
  Minus,
];

const descriptions = new Map<TokenType, string>([
  [Id, 'an identifier'],
  [ExplicitId, "an '%' identifier"],
  [BadId, 'an identifier'],
  [Integer, 'an integer'],
  [StringLiteral, 'a string literal'],
  [Comment, 'a comment'],
  [WhiteSpace, 'whitespace'],
  [RArrow, '`->`'],
  [Equals, "'='"],
  [Comma, "','"],
  [Colon, "':'"],
  [Semicolon, "';'"],
  [LParen, "'('"],
  [RParen, "')'"],
  [LBrace, "'{'"],
  [RBrace, "'}'"],
  [LAngle, "'<'"],
  [RAngle, "'>'"],
  [Star, '`*`'],
  [Slash, '`/`'],
  [Period, "'.'"],
  [At, '`@`'],
  [Plus, '`+`'],
  [Minus, '`-`'],
  [Keyword, 'a keyword'],
  [PrimitiveType, 'a primitive type'],
  [EOF, 'eof'],
]);

/**
 * How a token type is named in diagnostics, in wasm-tools' words (`Token::describe`):
 * "keyword `record`", "an identifier", "';'", "eof".
 */
export function describeToken(type: TokenType): string {
  return descriptions.get(type) ?? type.LABEL ?? type.name;
}

/** {@link describeToken} for a scanned token (chevrotain's EOF token included). */
export function describeFound(token: IToken): string {
  return describeToken(token.tokenType);
}
