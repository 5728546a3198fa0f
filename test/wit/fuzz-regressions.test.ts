/**
 * Inputs found by the WIT fuzzer (`npm run fuzz:wit`) that once crashed the front end, minimized.
 * Each must now end with a resolved model or with diagnostics located inside the input (the
 * fuzzer's own check, scripts/fuzz-wit/check.mjs).
 */
import { afterAll, describe, expect, test } from 'vitest';
import { GENERATORS, InProcessExecutor, type FuzzInput, type InputFile } from '../../scripts/fuzz-wit/index.mjs';
import { WitError } from '../../src/wit/errors.js';
import { lexWit } from '../../src/wit/lexer.js';
import { loadWitSource } from '../../src/wit/load.js';
import { parseWitFile } from '../../src/wit/parse.js';
import { parseTokens, witParser } from '../../src/wit/parser.js';
import { printWit } from '../../src/wit/print.js';
import { SourceMap } from '../../src/wit/source-map.js';
import { srcApi } from './fuzz-helpers.js';

const executor = new InProcessExecutor(srcApi);
afterAll(() => executor.close());

function input(files: InputFile[], root = files[0]!.rel): FuzzInput {
  return { seed: 0, index: 0, entry: 'regression', root, files, target: files[0]!.rel, options: {}, mode: 'path', mutations: [] };
}

async function check(i: FuzzInput) {
  const r = await executor.run(i, { emit: false, roundTrip: true });
  expect(r.outcome === 'crash' ? [r.signature, ...(r.problems ?? [])] : []).toEqual([]);
  return r;
}

describe('fuzz regressions', () => {
  test('an empty file: the missing-package diagnostic stays inside the (empty) file', async () => {
    // The span was [0, 1) in a file of length 0.
    const r = await check(input([{ rel: 'empty.wit', data: '' }]));
    expect(r.outcome).toBe('diagnostics');
    expect(r.first).toBe('no `package` header was found in any WIT file for this package');
  });

  test('an empty file in a package directory', async () => {
    const r = await check(input([{ rel: 'a.wit', data: '' }, { rel: 'deps/b/b.wit', data: 'package x:b;\n' }], '.'));
    expect(r.outcome).toBe('diagnostics');
  });

  test('a `use` chain 10000 interfaces long is a diagnostic, not a stack overflow', async () => {
    // World elaboration follows the chain recursively and ran out of stack (RangeError) from about
    // 6000 on; so does package ordering for ~15000 nested packages. Any such overflow while
    // resolving is now a diagnostic (load.ts).
    const r = await check(input([{ rel: 'chain.wit', data: GENERATORS['use-chain']!(10_000) }]));
    expect(['ok', 'diagnostics']).toContain(r.outcome);
    if (r.outcome === 'diagnostics') expect(r.first).toMatch(/^dependencies are nested too deeply to resolve/);
  });

  test('thousands of errors on one long line: the snippets show a window of the line', async () => {
    // Every diagnostic repeated the whole 130 kB line: WitError's message outgrew the longest
    // string V8 allows (RangeError: Invalid string length).
    const line = `package a:b; interface i { ${'resource r { f: func(); } '.repeat(5000)}}`;
    const r = await check(input([{ rel: 'long.wit', data: `${line}\n` }]));
    expect(r.outcome).toBe('diagnostics');
    expect(r.diagnostics).toBeGreaterThan(1000);
  });

  test('a diagnostic far into a 1 MB line renders its real line and column, and a short snippet', () => {
    const text = `package a:b;\ninterface i { ${' '.repeat(1_000_000)}type u = nope; }\n`;
    let error: unknown;
    try {
      loadWitSource([{ path: 'wide.wit', text }]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WitError);
    const e = error as WitError;
    const d = e.diagnostics.find((x) => x.message.includes('nope'))!;
    const column = text.split('\n')[1]!.indexOf('nope') + 1;
    const rendered = srcApi.renderDiagnostic(d as never, e.sourceMap as never);
    expect(rendered).toContain(`--> wide.wit:2:${column}`);
    expect(rendered.length).toBeLessThan(1000);
    // The caret is under the name.
    const [, , , snippet, caret] = rendered.split('\n');
    expect(snippet!.slice(caret!.indexOf('^'), caret!.indexOf('^') + 4)).toBe('nope');
  });

  test('`option option option …` (2000 times) in a signature is a syntax error, not a stack overflow', async () => {
    // Recovery inserts each missing '<' and parses on, one level deeper per keyword, with no
    // bracket in the text for the nesting limit to count; chevrotain overflowed the stack (and
    // took quadratic time before that). Parsing now stops after 101 errors, and a stack
    // overflow in the parser would be a diagnostic.
    const text = `package a:b;\ninterface i {\n  f: func(a: ${'option '.repeat(2000)});\n}\n`;
    const r = await check(input([{ rel: 'options.wit', data: text }]));
    expect(r.outcome).toBe('diagnostics');
    expect(r.first).toBe("expected '<', found keyword `option`");
  });

  test('thousands of syntax errors in one item: the parser stops after the 101st', () => {
    // Each error's recovery scans the tokens after it: 8000 bad world items took seconds.
    const text = `package a:b;\nworld w {\n${'interface x { interface y.{t}; }\n'.repeat(8000)}}\n`;
    const tokens = lexWit(text, 0).tokens;
    expect(parseTokens(tokens, 101)).toBeNull();
    expect(witParser.errors.length).toBe(101);
    // Without a limit every error is recorded.
    parseTokens(tokens.slice(0, 2000));
    expect(witParser.errors.length).toBeGreaterThan(101);
  });

  test('docs with a line ending in whitespace survive the print round-trip', async () => {
    // A block comment keeps trailing whitespace on its inner lines; printed as `///` lines (which
    // lose it) the docs changed: "printed WIT parses to a different AST" (seed 12 index 1381).
    const data = '/* /* /* /* /* /* /* /* /* /* /* /*  */ \n*/*/*/*/*/*/*/*/*/*/*/interface i{}';
    const r = await check({ ...input([{ rel: 'gen.wit', data }]), mode: 'source' });
    expect(r.outcome).toBe('diagnostics'); // no package header; the round-trip still runs
    for (const [docs, item] of [
      ['/** a \n  b */', 'interface i {}'],
      ['// x\n/** a \n\n \n b */', 'interface i {}'],
      ['//\t \n\n// \t/', 'interface i {}'],
      ['//\t / \n//   */\n//  ', 'interface i {}'],
    ]) {
      const printed = printWit(parseWitFile(new SourceMap(), 'a.wit', `package a:b;\n${docs}\n${item}\n`).file!);
      const once = parseWitFile(new SourceMap(), 'a.wit', `package a:b;\n${docs}\n${item}\n`).file!;
      const again = parseWitFile(new SourceMap(), 'a.wit', printed);
      expect(again.diagnostics).toEqual([]);
      expect((again.file!.items[0] as { docs: unknown }).docs).toEqual((once.items[0] as { docs: unknown }).docs);
      expect(printWit(again.file!)).toBe(printed);
    }
  });
});
