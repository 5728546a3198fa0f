/**
 * Lexical validations done after parsing, with wit-parser's messages (checked against wit-parser
 * 0.259): kebab-case identifiers (`validate_id`), semver versions (the Rust `semver` crate's
 * errors, in its order) and string literals (core wasm `name` syntax, for `@external-id`).
 */

const KEBAB_HINT = 'each word of an identifier must be all lowercase or all uppercase';

/**
 * wasm-tools `validate_id`: words separated by single `-`; every word is ASCII letters and digits,
 * all lowercase or all uppercase; the first word starts with a letter. Returns a message or null:
 * the reference's wording on the first line, a hint after it where it helps.
 */
export function validateIdentifier(name: string): string | null {
  if (name.length === 0) return 'empty identifier';
  const words = name.split('-');
  for (let w = 0; w < words.length; w++) {
    const word = words[w]!;
    if (word.length === 0) {
      return `identifiers must have characters between '-'s\n\`${name}\` has an empty word (words are separated by a single '-')`;
    }
    if (w === 0 && !/[A-Za-z]/.test(word[0]!)) {
      // wasm-tools lexes the leading digits as an integer.
      return `expected an identifier or string, found an integer\nidentifiers start with a letter: \`${name}\``;
    }
    let upper: boolean | null = null;
    for (const ch of word) {
      if (ch >= '0' && ch <= '9') continue;
      const isUpper = ch >= 'A' && ch <= 'Z';
      const isLower = ch >= 'a' && ch <= 'z';
      if (!isUpper && !isLower) return `invalid character in identifier '${ch}'\nin \`${name}\``;
      if (upper === null) upper = isUpper;
      else if (upper !== isUpper) {
        return `invalid character in identifier '${ch}'\n${KEBAB_HINT}: \`${name}\``;
      }
    }
  }
  return null;
}

type SemverPosition =
  | 'major version number'
  | 'minor version number'
  | 'patch version number'
  | 'pre-release identifier'
  | 'build metadata';

const U64_MAX = (1n << 64n) - 1n;

/**
 * Why `text` is not a valid semver (semver.org 2.0.0), or null when it is. The messages and their
 * order follow the Rust `semver` crate that wit-parser hands the version text to, so that a
 * version error reads the same as the reference's.
 */
export function semverProblem(text: string): string | null {
  if (text.length === 0) return 'empty string, expected a semver version';
  const quote = (c: string) => (c === '\n' ? "'\\n'" : c === '\t' ? "'\\t'" : `'${c}'`);
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  let i = 0;
  const numeric = (pos: SemverPosition): string | null => {
    const c = text[i];
    if (c === undefined) return `unexpected end of input while parsing ${pos}`;
    if (!isDigit(c)) return `unexpected character ${quote(c)} while parsing ${pos}`;
    if (c === '0' && isDigit(text[i + 1])) return `invalid leading zero in ${pos}`;
    let value = 0n;
    while (isDigit(text[i])) {
      value = value * 10n + BigInt(text.charCodeAt(i) - 48);
      if (value > U64_MAX) return `value of ${pos} exceeds u64::MAX`;
      i++;
    }
    return null;
  };
  const dot = (pos: SemverPosition): string | null => {
    const c = text[i];
    if (c === '.') {
      i++;
      return null;
    }
    return c === undefined ? `unexpected end of input while parsing ${pos}` : `unexpected character ${quote(c)} after ${pos}`;
  };
  const identifiers = (pos: SemverPosition): string | null => {
    for (;;) {
      const start = i;
      while (i < text.length && /[0-9A-Za-z-]/.test(text[i]!)) i++;
      const segment = text.slice(start, i);
      if (segment.length === 0) {
        const c = text[i];
        return c === undefined || c === '.' ? `empty identifier segment in ${pos}` : `unexpected character ${quote(c)} while parsing ${pos}`;
      }
      if (pos === 'pre-release identifier' && /^\d+$/.test(segment) && segment.length > 1 && segment.startsWith('0')) {
        return `invalid leading zero in ${pos}`;
      }
      if (text[i] !== '.') return null;
      i++;
    }
  };
  const steps: (() => string | null)[] = [
    () => numeric('major version number'),
    () => dot('major version number'),
    () => numeric('minor version number'),
    () => dot('minor version number'),
    () => numeric('patch version number'),
  ];
  for (const step of steps) {
    const problem = step();
    if (problem) return problem;
  }
  let last: SemverPosition = 'patch version number';
  if (text[i] === '-') {
    i++;
    last = 'pre-release identifier';
    const problem = identifiers(last);
    if (problem) return problem;
  }
  if (text[i] === '+') {
    i++;
    last = 'build metadata';
    const problem = identifiers(last);
    if (problem) return problem;
  }
  const rest = text[i];
  return rest === undefined ? null : `unexpected character ${quote(rest)} after ${last}`;
}

/** Decodes a WIT string literal (core wasm `name` syntax); returns the value or an error. */
export function decodeStringLiteral(image: string): { value: string } | { error: string; at: number } {
  if (!/^"(?:[^"\\]|\\.)*"$/s.test(image)) return { error: 'unterminated string literal', at: 0 };
  const bytes: number[] = [];
  const enc = new TextEncoder();
  const body = image.slice(1, -1);
  for (let i = 0; i < body.length; ) {
    const cp = body.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (ch !== '\\') {
      if (cp < 0x20 || cp === 0x7f) return { error: `invalid string character ${JSON.stringify(ch).replace(/^"|"$/g, "'")}`, at: i + 1 };
      bytes.push(...enc.encode(ch));
      i += ch.length;
      continue;
    }
    const e = body[i + 1];
    const simple: Record<string, number> = { '"': 0x22, "'": 0x27, t: 9, n: 10, r: 13, '\\': 0x5c };
    if (e !== undefined && simple[e] !== undefined) {
      bytes.push(simple[e]!);
      i += 2;
    } else if (e === 'u') {
      const m = /^\{([0-9a-fA-F](?:_?[0-9a-fA-F])*)\}/.exec(body.slice(i + 2));
      const value = m ? parseInt(m[1]!.replace(/_/g, ''), 16) : NaN;
      if (!m || !(value <= 0x10ffff) || (value >= 0xd800 && value <= 0xdfff)) {
        return { error: 'invalid unicode escape in string literal', at: i + 1 };
      }
      bytes.push(...enc.encode(String.fromCodePoint(value)));
      i += 2 + m[0].length;
    } else if (e !== undefined && /[0-9a-fA-F]/.test(e) && /[0-9a-fA-F]/.test(body[i + 2] ?? '')) {
      bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      return { error: `invalid string escape '\\${e ?? ''}'`, at: i + 1 };
    }
  }
  try {
    return { value: new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes)) };
  } catch {
    return { error: 'string literal is not valid UTF-8', at: 0 };
  }
}
