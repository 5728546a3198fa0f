/**
 * Inputs found by the WIT fuzzer (`npm run fuzz:wit`) that once crashed the front end, minimized.
 * Each must now end with a resolved model or with diagnostics located inside the input (the
 * fuzzer's own check, scripts/fuzz-wit/check.mjs).
 */
import { afterAll, describe, expect, test } from 'vitest';
import { GENERATORS, InProcessExecutor, type FuzzInput, type InputFile } from '../../scripts/fuzz-wit/index.mjs';
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
});
