#!/usr/bin/env node
// `npm run fuzz:wit -- --seed S --count N`: mutates a corpus of valid WIT (the repo's wit/ and the
// WASI packages shipped with jco) and checks that every input ends with a resolved model or with
// located diagnostics — no uncaught exception, no hang, no super-linear blow-up. Runs against the
// compiled dist/ (`npm run build`) in a child process that is replaced when an input exceeds its
// time budget. Input I of seed S is a pure function of (S, I): `--seed S --index I` replays it.
//
// Options:
//   --seed S             campaign seed; a list (1,2,3) or a range (1..4) runs several   [1]
//   --count N            inputs per seed                                                 [1000]
//   --start I            first input index                                               [0]
//   --index I            run input I only and print it and its result
//   --replay FILE        run a saved input.json (from --out) and print the result
//   --time-limit-ms MS   wall-clock budget per input; over it is a `timeout` finding     [10000]
//   --emit-limit-ms MS   budget of the bindings emitter per input (retried as above)    [5000]
//   --out DIR            save every distinct finding (input, minimized input, error) here
//   --minimize-budget N  runs spent minimizing each new finding (0: off)                 [300]
//   --no-emit            skip the bindings emitter on resolved inputs
//   --no-scaling         skip the scaling check;  --scaling-only: run only it
//   --json FILE          also write the summary as JSON
//   --dist DIR           the compiled library to fuzz                                    [dist]
// Exit status: 0 when nothing was found, 1 on any crash, timeout, emitter crash or flagged scaling.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleDist } from './fuzz-wit/api.mjs';
import { collectCorpus } from './fuzz-wit/corpus.mjs';
import { WorkerExecutor } from './fuzz-wit/executor.mjs';
import { inputSize, makeInput } from './fuzz-wit/mutate.mjs';
import { corpusSummary, deserializeInput, runCampaign, serializeInput, validateCorpus } from './fuzz-wit/runner.mjs';
import { formatRow, runScaling } from './fuzz-wit/scaling.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

function parseArgs(argv) {
  const opts = { seeds: [1], count: 1000, start: 0, index: null, replay: null, timeLimitMs: 10_000, out: null, minimizeBudget: 300, emit: true, scaling: true, scalingOnly: false, json: null, dist: null, emitLimitMs: 5000 };
  const int = (v, name) => {
    if (!/^\d+$/.test(v ?? '')) throw new Error(`${name} needs a non-negative integer, got ${v}`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? a.split(/=(.*)/s) : [a, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--seed': {
        const v = value();
        const range = /^(\d+)\.\.(\d+)$/.exec(v ?? '');
        opts.seeds = range ? Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, k) => Number(range[1]) + k) : String(v).split(',').map((s) => int(s, '--seed'));
        break;
      }
      case '--count': opts.count = int(value(), flag); break;
      case '--start': opts.start = int(value(), flag); break;
      case '--index': opts.index = int(value(), flag); break;
      case '--replay': opts.replay = value(); break;
      case '--time-limit-ms': opts.timeLimitMs = int(value(), flag); break;
      case '--emit-limit-ms': opts.emitLimitMs = int(value(), flag); break;
      case '--out': opts.out = value(); break;
      case '--minimize-budget': opts.minimizeBudget = int(value(), flag); break;
      case '--no-emit': opts.emit = false; break;
      case '--no-scaling': opts.scaling = false; break;
      case '--scaling-only': opts.scalingOnly = true; break;
      case '--json': opts.json = value(); break;
      case '--dist': opts.dist = value(); break;
      case '--help': case '-h':
        console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
        process.exit(0);
      default: throw new Error(`unknown option ${a} (see --help)`);
    }
  }
  return opts;
}

const pct = (n, total) => `${((100 * n) / Math.max(total, 1)).toFixed(1)}%`;

function printInput(input) {
  console.log(`input: seed ${input.seed} index ${input.index}, ${input.entry}, root ${input.root}, mode ${input.mode}, options ${JSON.stringify(input.options)}`);
  console.log(`mutations: ${input.mutations.join(', ') || '(none)'}; mutated file: ${input.target}; ${inputSize(input)} bytes`);
  const target = input.files.find((f) => f.rel === input.target);
  if (target) {
    const text = typeof target.data === 'string' ? target.data : Buffer.from(target.data).toString('latin1');
    console.log(`--- ${target.rel} ---\n${text.length > 4000 ? `${text.slice(0, 4000)}\n… (${text.length} chars)` : text}\n---`);
  }
}

function printFinding(f) {
  console.log(`  ${f.signature}`);
  console.log(`    ${f.count}×, first: seed ${f.input.seed} index ${f.input.index} (${f.input.entry}; ${f.input.mutations.join(', ')})`);
  const m = f.minimized?.files.find((x) => x.rel === f.input.target);
  if (m) {
    const text = typeof m.data === 'string' ? m.data : `<bytes> ${Buffer.from(m.data).toString('hex')}`;
    const others = f.minimized.files.filter((x) => x !== m).map((x) => x.rel);
    console.log(`    minimized ${m.rel}${others.length ? ` (with ${others.join(', ')})` : ''}, options ${JSON.stringify(f.input.options)}:`);
    console.log(text.length > 1500 ? `${text.slice(0, 1500)}…` : text.split('\n').map((l) => `      | ${l}`).join('\n'));
  }
  if (f.error?.stack) console.log(f.error.stack.split('\n').slice(0, 6).map((l) => `      ${l}`).join('\n'));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const stale = opts.dist ? [] : staleDist(repoRoot);
  if (stale.length > 0) {
    console.warn(`warning: dist/ is older than ${stale.length} source file(s) (${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ', …' : ''}); run \`npm run build\` to fuzz the current code`);
  }
  const executor = new WorkerExecutor({ dist: resolvePath(opts.dist ?? join(repoRoot, 'dist')), emitLimitMs: opts.emitLimitMs });
  // Interrupted: take the child process (and its scratch files) down too.
  process.on('exit', () => executor.kill());
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
  let findings = 0;
  try {
    if (opts.replay) {
      const input = deserializeInput(JSON.parse(readFileSync(opts.replay, 'utf8')));
      printInput(input);
      const r = await executor.run(input, { emit: opts.emit, roundTrip: true }, opts.timeLimitMs);
      console.log(JSON.stringify(r, null, 2));
      return r.outcome === 'crash' || r.outcome === 'timeout' || r.emit === 'crash' ? 1 : 0;
    }
    const summary = { seeds: [], scaling: null };
    if (!opts.scalingOnly) {
      const { kept: corpus, dropped } = await validateCorpus(executor, collectCorpus(repoRoot), opts.timeLimitMs);
      console.log(`corpus: ${corpusSummary(corpus)}${dropped.length ? `; ${dropped.length} dropped (not valid): ${dropped.map((d) => d.name).join(', ')}` : ''}`);
      if (corpus.length === 0) throw new Error('empty corpus (is node_modules installed?)');
      if (opts.index !== null) {
        const input = makeInput(corpus, opts.seeds[0], opts.index);
        printInput(input);
        const r = await executor.run(input, { emit: opts.emit, roundTrip: true }, opts.timeLimitMs);
        console.log(JSON.stringify(r, null, 2));
        return r.outcome === 'crash' || r.outcome === 'timeout' || r.emit === 'crash' ? 1 : 0;
      }
      for (const seed of opts.seeds) {
        const s = await runCampaign(executor, corpus, {
          seed,
          count: opts.count,
          start: opts.start,
          timeLimitMs: opts.timeLimitMs,
          emit: opts.emit,
          outDir: opts.out,
          minimizeBudget: opts.minimizeBudget,
          log: (m) => console.log(m),
        });
        summary.seeds.push(s);
        const o = s.outcomes;
        console.log(`\nseed ${seed}: ${s.count} inputs (indices ${s.start}..${s.start + s.count - 1}) in ${(s.wallMs / 1000).toFixed(1)} s, ${(s.count / (s.wallMs / 1000)).toFixed(0)} inputs/s, ${(s.bytes / s.wallMs / 1024).toFixed(0)} KiB/ms... ` .replace(/, [\d.]+ KiB\/ms\.\.\. $/, `, ${((s.bytes / 1024 / 1024) / (s.wallMs / 1000)).toFixed(1)} MiB/s`));
        console.log(`  outcomes: ok ${o.ok} (${pct(o.ok, s.count)}), diagnostics ${o.diagnostics} (${pct(o.diagnostics, s.count)}), crash ${o.crash}, timeout ${o.timeout}`);
        if (opts.emit) {
          const e = s.emitOutcomes;
          console.log(`  emitter on resolved inputs: ok ${e.ok}, clean error ${e.clean}, crash ${e.crash}, timeout ${e.timeout}, no world ${e.skipped}`);
          for (const [shape, n] of Object.entries(s.emitClean).sort((a, b) => b[1] - a[1])) console.log(`    clean ${n}×: ${shape}`);
        }
        if (s.slowest) {
          console.log(`  slowest load: ${s.slowest.cpuMs.toFixed(1)} ms CPU (${s.slowest.ms.toFixed(1)} ms wall), ${s.slowest.size} bytes, ${s.slowest.outcome} — --seed ${seed} --index ${s.slowest.index} (${s.slowest.entry}; ${s.slowest.mutations.join(', ')})`);
          console.log(`  mean load: ${(s.loadCpuMsTotal / s.count).toFixed(2)} ms CPU, ${(s.loadMsTotal / s.count).toFixed(2)} ms wall`);
          if (s.slowInputs.length > 0) console.log(`  over the time limit once but done on a retry: ${s.slowInputs.length} (${s.slowInputs.slice(0, 3).map((x) => `index ${x.index} ${x.loadCpuMs?.toFixed(0)} ms CPU`).join(', ')})`);
        }
        if (s.costliest) {
          const c = s.costliest;
          console.log(`  costliest per byte (inputs ≥ 4 KiB): ${((1000 * c.cpuMs) / c.size).toFixed(1)} µs/byte, ${c.cpuMs.toFixed(1)} ms CPU for ${c.size} bytes — --seed ${seed} --index ${c.index} (${c.entry}; ${c.mutations.join(', ')})`);
        }
        if (s.slowestEmit) console.log(`  slowest emit: ${s.slowestEmit.ms.toFixed(1)} ms — --seed ${seed} --index ${s.slowestEmit.index} (${s.slowestEmit.entry})`);
      }
      const all = summary.seeds;
      const total = all.reduce((n, s) => n + s.count, 0);
      // One entry per signature over all seeds (the first input found, the total count).
      const merge = (findings) => {
        const bySignature = new Map();
        for (const f of findings) {
          const known = bySignature.get(f.signature);
          if (known) known.count += f.count;
          else bySignature.set(f.signature, { ...f });
        }
        return [...bySignature.values()];
      };
      const crashes = merge(all.flatMap((s) => s.crashes));
      const emitCrashes = merge(all.flatMap((s) => s.emitCrashes));
      findings += crashes.length + emitCrashes.length;
      if (all.length > 1) {
        const sum = (k) => all.reduce((n, s) => n + s.outcomes[k], 0);
        console.log(`\ntotal: ${total} inputs over seeds ${opts.seeds.join(', ')} in ${(all.reduce((n, s) => n + s.wallMs, 0) / 1000).toFixed(1)} s: ok ${sum('ok')}, diagnostics ${sum('diagnostics')}, crash ${sum('crash')}, timeout ${sum('timeout')}`);
      }
      console.log(`\nfront-end findings (crash/timeout): ${crashes.length === 0 ? 'none' : crashes.length}`);
      for (const f of crashes) printFinding(f);
      if (opts.emit) {
        console.log(`emitter crashes: ${emitCrashes.length === 0 ? 'none' : emitCrashes.length}`);
        for (const f of emitCrashes) printFinding(f);
      }
    }
    if (opts.scaling || opts.scalingOnly) {
      console.log('\nscaling (parse + resolve, best of 3, at n, 2n, 4n, 8n):');
      summary.scaling = await runScaling(executor, { log: (m) => console.log(`  ${m}`), timeLimitMs: Math.max(opts.timeLimitMs, 60_000) });
      const flagged = summary.scaling.filter((r) => r.flagged);
      findings += flagged.length;
      console.log(`super-linear or failing constructs: ${flagged.length === 0 ? 'none' : flagged.map((r) => r.name).join(', ')}`);
    }
    if (opts.json) {
      const strip = (f) => ({ ...f, input: serializeInput(f.input), minimized: f.minimized ? serializeInput(f.minimized) : undefined });
      const json = { ...summary, seeds: summary.seeds.map((s) => ({ ...s, crashes: s.crashes.map(strip), emitCrashes: s.emitCrashes.map(strip) })) };
      writeFileSync(opts.json, `${JSON.stringify(json, null, 1)}\n`);
    }
    console.log(`worker restarts: ${executor.restarts}`);
    return findings > 0 ? 1 : 0;
  } finally {
    await executor.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e?.stack ?? e);
    process.exit(2);
  },
);
