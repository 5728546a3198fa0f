// What the vitest tests use of the fuzzer (typed by index.d.mts).
export { checkInput, diagnosticProblems } from './check.mjs';
export { collectCorpus } from './corpus.mjs';
export { InProcessExecutor } from './executor.mjs';
export { DIR_GENERATORS, GENERATORS } from './generators.mjs';
export { makeInput } from './mutate.mjs';
export { runCampaign, validateCorpus } from './runner.mjs';
