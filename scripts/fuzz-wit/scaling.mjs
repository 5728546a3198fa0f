// Scaling check: each construct of generators.mjs at sizes n, 2n, 4n, 8n; the parse + resolve time
// (CPU, best of `repeat` runs) should grow about linearly. The exponent of a doubling step is
// log2(t(2m) / t(m)); a last step above `maxExponent` (with enough time to measure) is checked at
// 32n, and flagged if the growth from 8n to 32n is still above it (not a one-off step).
import { DIR_GENERATORS, GENERATORS } from './generators.mjs';

/** Base sizes: the largest (8n) takes tens of milliseconds; nested types stop at the nesting limit. */
export const SCALING_CASES = [
  ['nested-type', 12],
  ['nested-mixed', 12],
  ['open-angles', 2000],
  ['alias-chain', 500],
  ['alias-chain-reversed', 500],
  ['use-chain', 250],
  ['use-chain-reversed', 250],
  ['many-interfaces', 500],
  ['include-chain', 250],
  ['many-types', 500],
  ['long-line', 2000],
  ['many-params', 500],
  ['many-cases', 500],
  ['doc-comment', 5000],
  ['long-identifier', 50000],
  ['nested-comments', 2000],
  ['unclosed-comments', 2000],
  ['nested-packages', 100],
  ['many-errors', 1000],
  ['lex-errors', 1000],
  ['garbage-tokens', 500],
  ['bad-world-items', 500],
  ['bare-options', 40],
  ['unknown-names', 500],
  ['many-resources', 250],
  ['world-functions', 500],
  ['deps-chain', 25],
];

function inputFor(name, n) {
  if (name in DIR_GENERATORS) {
    return { seed: 0, index: 0, entry: `gen/${name}(${n})`, root: '.', files: DIR_GENERATORS[name](n), target: null, options: {}, mode: 'path', mutations: [] };
  }
  const files = [{ rel: 'gen.wit', data: GENERATORS[name](n) }];
  return { seed: 0, index: 0, entry: `gen/${name}(${n})`, root: 'gen.wit', files, target: null, options: {}, mode: 'path', mutations: [] };
}

export async function runScaling(executor, { cases = SCALING_CASES, repeat = 3, timeLimitMs = 60_000, maxExponent = 1.5, minMs = 20, log = () => {} } = {}) {
  const rows = [];
  for (const [name, base] of cases) {
    const sizes = [base, 2 * base, 4 * base, 8 * base];
    const times = [];
    const outcomes = [];
    let bytes = 0;
    for (const n of sizes) {
      const input = inputFor(name, n);
      bytes = input.files.reduce((s, f) => s + f.data.length, 0);
      let best = Infinity;
      let outcome;
      for (let k = 0; k < repeat; k++) {
        const r = await executor.run(input, { emit: false, roundTrip: false }, timeLimitMs, false);
        outcome = r.outcome === 'crash' ? `crash (${r.signature})` : r.outcome;
        // CPU time: the wall clock depends on what else the machine runs.
        best = Math.min(best, r.loadCpuMs ?? r.loadMs ?? Infinity);
        if (r.outcome === 'timeout' || r.outcome === 'crash') break;
      }
      times.push(best);
      outcomes.push(outcome);
    }
    const exponents = [1, 2, 3].map((k) => Math.log2(Math.max(times[k], 0.01) / Math.max(times[k - 1], 0.01)));
    const overall = Math.log2(Math.max(times[3], 0.01) / Math.max(times[0], 0.01)) / 3;
    let superLinear = times[3] >= minMs && exponents[2] > maxExponent && overall > maxExponent;
    const failed = outcomes.some((o) => o === 'timeout' || o.startsWith('crash'));
    let confirm = null;
    if (superLinear && !failed) {
      // A step (a V8 heuristic kicking in at some size) or a trend? Look further: 32n.
      const n32 = 32 * base;
      const r = await executor.run(inputFor(name, n32), { emit: false, roundTrip: false }, timeLimitMs, false);
      const t32 = r.loadCpuMs ?? Infinity;
      const exponent = Math.log2(Math.max(t32, 0.01) / Math.max(times[3], 0.01)) / 2;
      confirm = { n: n32, ms: t32, exponent, outcome: r.outcome };
      superLinear = exponent > maxExponent || r.outcome === 'timeout';
    }
    const row = { name, sizes, times, outcomes, exponents, overall, bytes, confirm, flagged: superLinear || failed };
    rows.push(row);
    log(formatRow(row));
  }
  return rows;
}

export function formatRow(r) {
  const t = r.times.map((x) => `${x.toFixed(1).padStart(7)}`).join(' ');
  const outcome = [...new Set(r.outcomes)].join('/');
  const confirm = r.confirm ? `  [32n: ${r.confirm.ms.toFixed(1)} ms, exp ${r.confirm.exponent.toFixed(2)} from 8n]` : '';
  return `${r.name.padEnd(22)} n=${String(r.sizes[0]).padStart(6)}..${String(r.sizes[3]).padEnd(7)} cpu ms:${t}  exp ${r.overall.toFixed(2)} (last ${r.exponents[2].toFixed(2)})  ${(r.bytes / 1024).toFixed(0).padStart(5)} KiB  ${outcome}${confirm}${r.flagged ? '  <-- FLAGGED' : ''}`;
}
