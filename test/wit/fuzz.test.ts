/**
 * The WIT fuzzer (`npm run fuzz:wit`, scripts/fuzz-wit/) run in-process against src/ for a fixed
 * seed, so that neither the front end nor the fuzzer itself rots: every input ends with a resolved
 * model or with located diagnostics. The emitter is left to the CLI campaign (it runs in a worker
 * there, with a time budget); no timing is asserted here.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { collectCorpus, InProcessExecutor, makeInput, runCampaign, validateCorpus } from '../../scripts/fuzz-wit/index.mjs';
import { srcApi } from './fuzz-helpers.js';
import { repoRoot } from './resolve-helpers.js';

const executor = new InProcessExecutor(srcApi);
afterAll(() => executor.close());

describe('WIT fuzzer', () => {
  test('inputs are a pure function of (seed, index)', () => {
    const corpus = collectCorpus(repoRoot);
    for (const index of [0, 7, 123]) {
      expect(makeInput(corpus, 42, index)).toEqual(makeInput(corpus, 42, index));
    }
    expect(makeInput(corpus, 42, 0)).not.toEqual(makeInput(corpus, 43, 0));
  });

  test('300 inputs of seed 1: no crash', async () => {
    const { kept, dropped } = await validateCorpus(executor, collectCorpus(repoRoot), 10_000);
    // The repo's wit/ (ui, codegen) and jco's WASI packages are all valid.
    expect(dropped).toEqual([]);
    expect(kept.length).toBeGreaterThanOrEqual(40);
    // Huge inputs (up to megabytes) are the CLI's business: here they would only cost time.
    const summary = await runCampaign(executor, kept, { seed: 1, count: 300, emit: false, minimizeBudget: 0, maxInputBytes: 64 * 1024 });
    expect(summary.crashes.map((c) => `${c.signature} (index ${c.input.index})`)).toEqual([]);
    expect(summary.outcomes.ok + summary.outcomes.diagnostics).toBe(300 - summary.skipped);
    expect(summary.skipped).toBeLessThan(60);
    // The mutations are not all fatal: the resolver sees valid variants too.
    expect(summary.outcomes.ok).toBeGreaterThan(10);
  });
});
