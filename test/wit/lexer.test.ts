import { describe, expect, test } from 'vitest';
import { lexWit, scanInvalidCodepoints } from '../../src/wit/lexer.js';
import { describeToken, isKeyword, kw, Id } from '../../src/wit/tokens.js';

const names = (text: string): string[] => lexWit(text, 0).tokens.map((t) => t.tokenType.name);
const images = (text: string): string[] => lexWit(text, 0).tokens.map((t) => t.image);

describe('lexer', () => {
  test('keywords, identifiers and %-identifiers', () => {
    expect(names('record list-of %record asynchronous async as')).toEqual([
      'Kw_record',
      'Id',
      'ExplicitId',
      'Id',
      'Kw_async',
      'Kw_as',
    ]);
    expect(names('error-context error-contexts _ _x u8 u8x')).toEqual([
      'Kw_error_context',
      'Id',
      'Kw_underscore',
      'Id',
      'Kw_u8',
      'Id',
    ]);
    // Malformed identifiers are still one token each; to-ast validates them.
    expect(images('Foo a--b a- 1a')).toEqual(['Foo', 'a--b', 'a-', '1a']);
  });

  test('operators, integers and versions', () => {
    expect(images('a: func() -> result<_, e>;')).toEqual(['a', ':', 'func', '(', ')', '->', 'result', '<', '_', ',', 'e', '>', ';']);
    expect(images('@1.2.3-rc.1+build.5')).toEqual(['@', '1', '.', '2', '.', '3', '-', 'rc', '.', '1', '+', 'build', '.', '5']);
    expect(names('= * / . { } ( )')).toEqual(['Equals', 'Star', 'Slash', 'Period', 'LBrace', 'RBrace', 'LParen', 'RParen']);
    expect(names('"a \\" b"')).toEqual(['StringLiteral']);
  });

  test('comments are grouped separately and may nest', () => {
    const r = lexWit('/* a /* b */ c */ x // d\n/// e\ny /** f */', 0);
    expect(r.tokens.map((t) => t.image)).toEqual(['x', 'y']);
    expect(r.comments.map((c) => c.image)).toEqual(['/* a /* b */ c */', '// d\n', '/// e\n', '/** f */']);
    expect(r.diagnostics).toEqual([]);
  });

  test('unterminated block comment is one diagnostic at its start', () => {
    const r = lexWit('x /* /* */ y', 10);
    expect(r.diagnostics).toEqual([{ kind: 'lex', message: 'unterminated block comment', span: { start: 12, end: 14 } }]);
  });

  test('unexpected characters', () => {
    const r = lexWit('a $ b é', 0);
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      "unexpected character '$'",
      "invalid character in identifier 'é' (identifiers are ASCII kebab-case)",
    ]);
    expect(r.tokens.map((t) => t.image)).toEqual(['a', 'b']);
  });

  test('byte-order mark and CRLF', () => {
    const r = lexWit('\uFEFFinterface x {\r\n}\r\n', 0);
    expect(r.diagnostics).toEqual([]);
    expect(r.tokens.map((t) => [t.image, t.startOffset])).toEqual([
      ['interface', 1],
      ['x', 11],
      ['{', 13],
      ['}', 16],
    ]);
  });

  test('invalid codepoints pre-scan', () => {
    expect(scanInvalidCodepoints('a\tb\r\nc', 0)).toEqual([]);
    expect(scanInvalidCodepoints('ab\u0007', 5)).toEqual([
      { kind: 'lex', message: "control code '\\u{7}'", span: { start: 7, end: 8 } },
    ]);
    expect(scanInvalidCodepoints('x\u202ey', 0)[0]?.message).toBe(
      "input contains bidirectional override codepoint '\\u{202e}'",
    );
    expect(scanInvalidCodepoints('\u0149', 0)[0]?.message).toBe("codepoint '\\u{149}' is discouraged by unicode");
    expect(scanInvalidCodepoints('\ud800', 0)[0]?.message).toBe('invalid unicode: unpaired surrogate');
    expect(scanInvalidCodepoints('😀 ok', 0)).toEqual([]);
  });

  test('describeToken', () => {
    expect(describeToken(kw.record)).toBe('keyword `record`');
    expect(describeToken(Id)).toBe('an identifier');
    expect(isKeyword('interface')).toBe(true);
    expect(isKeyword('since')).toBe(false);
  });
});
