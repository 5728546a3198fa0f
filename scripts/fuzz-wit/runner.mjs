// The campaign: validate the corpus, generate inputs deterministically from (seed, index), run
// them, tally outcomes, keep the first input of every distinct crash (minimized), and summarize.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { entrySize } from './corpus.mjs';
import { inputSize, makeInput, tokenize } from './mutate.mjs';

/** Runs every corpus entry unmutated; keeps those that resolve (with their options, or all features). */
export async function validateCorpus(executor, entries, timeLimitMs) {
  const kept = [];
  const dropped = [];
  for (const entry of entries) {
    let ok = null;
    for (const options of [entry.options, { allFeatures: true }]) {
      const input = { seed: 0, index: 0, entry: entry.name, root: entry.root, files: entry.files, target: null, options, mode: 'path', mutations: [] };
      const r = await executor.run(input, { emit: false, roundTrip: false }, timeLimitMs * 4);
      if (r.outcome === 'ok') {
        ok = options;
        break;
      }
      if (!dropped.some((d) => d.name === entry.name)) dropped.push({ name: entry.name, outcome: r.outcome, first: r.first ?? r.signature });
    }
    if (ok) {
      kept.push({ ...entry, options: ok });
      const i = dropped.findIndex((d) => d.name === entry.name);
      if (i >= 0) dropped.splice(i, 1);
    }
  }
  return { kept, dropped };
}

/** An input with its binary files as base64, for `input.json`. */
export function serializeInput(input) {
  return {
    ...input,
    files: input.files.map((f) => (typeof f.data === 'string' ? { rel: f.rel, text: f.data } : { rel: f.rel, base64: Buffer.from(f.data).toString('base64') })),
  };
}

export function deserializeInput(json) {
  return {
    ...json,
    files: json.files.map((f) => ({ rel: f.rel, data: 'text' in f ? f.text : new Uint8Array(Buffer.from(f.base64, 'base64')) })),
  };
}

/** Saves a finding below `outDir`: the files as a loadable directory, input.json, error.txt. */
export function saveFinding(outDir, kind, finding) {
  const slug = `${kind}-${hash(finding.signature)}`;
  const dir = join(outDir, slug);
  for (const [name, input] of [['input', finding.input], ['minimized', finding.minimized]]) {
    if (!input) continue;
    mkdirSync(join(dir, name), { recursive: true });
    for (const f of input.files) {
      const path = join(dir, name, f.rel);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, f.data);
    }
    writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(serializeInput(input), null, 1)}\n`);
  }
  const repro = `node scripts/fuzz-wit.mjs --seed ${finding.input.seed} --index ${finding.input.index}`;
  writeFileSync(
    join(dir, 'error.txt'),
    `${finding.signature}\n\nreproduce: ${repro}\nreplay:    node scripts/fuzz-wit.mjs --replay ${join(dir, 'input.json')}\n\n${finding.error?.stack ?? ''}\n${(finding.problems ?? []).join('\n')}\n`,
  );
  return dir;
}

function hash(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Runs left for minimizing: a count and a deadline (an input that takes seconds per run…). */
class Budget {
  constructor(runs, maxMs) {
    this.runs = runs;
    this.deadline = performance.now() + maxMs;
  }

  /** Takes one run; false when none is left. */
  take() {
    if (this.runs <= 0 || performance.now() > this.deadline) return false;
    this.runs--;
    return true;
  }
}

/** Delta debugging (ddmin) of `parts` under `stillFails`, within `budget`: the smallest failing list found. */
async function ddmin(parts, stillFails, budget) {
  let n = 2;
  while (parts.length >= 2) {
    const chunk = Math.ceil(parts.length / n);
    let reduced = false;
    for (let i = 0; i < parts.length; i += chunk) {
      if (!budget.take()) return parts;
      const complement = [...parts.slice(0, i), ...parts.slice(i + chunk)];
      if (await stillFails(complement)) {
        parts = complement;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= parts.length) break;
      n = Math.min(parts.length, n * 2);
    }
  }
  return parts;
}

/**
 * Shrinks a crashing input while `matches(result)` holds: drop other files, then the target
 * file's lines, tokens and characters. At most `budget` runs and `maxMs` milliseconds.
 */
export async function minimize(executor, input, matches, { budget = 400, timeLimitMs, emit = false, maxMs = 120_000 } = {}) {
  const left = new Budget(budget, maxMs);
  const fails = async (candidate) => matches(await executor.run(candidate, { emit, roundTrip: true }, timeLimitMs, false));
  let current = input;
  if (current.files.length > 1) {
    const keep = await ddmin(
      current.files.filter((f) => f.rel !== input.target),
      (files) => fails({ ...current, files: [...current.files.filter((f) => f.rel === input.target), ...files] }),
      left,
    );
    current = { ...current, files: [...current.files.filter((f) => f.rel === input.target), ...keep] };
  }
  const target = current.files.find((f) => f.rel === input.target);
  if (!target) return current;
  const withData = (data) => ({ ...current, files: current.files.map((f) => (f === target ? { rel: f.rel, data } : f)) });
  if (typeof target.data === 'string') {
    let text = target.data;
    for (const split of [(t) => t.split(/(?<=\n)/), tokenize, (t) => [...t]]) {
      const parts = await ddmin(split(text), (p) => fails(withData(p.join(''))), left);
      text = parts.join('');
    }
    return withData(text);
  }
  const bytes = await ddmin([...target.data], (p) => fails(withData(new Uint8Array(p))), left);
  return withData(new Uint8Array(bytes));
}

/**
 * Runs `count` inputs of campaign `seed` (indices `start` …). Options: timeLimitMs, emit,
 * outDir (save findings), minimize (budget of runs per new finding, 0 = off), log (progress).
 */
export async function runCampaign(executor, corpus, opts) {
  const { seed, count, start = 0, timeLimitMs = 10_000, emit = true, outDir = null, minimizeBudget = 300, maxInputBytes = Infinity, log = () => {} } = opts;
  const outcomes = { ok: 0, diagnostics: 0, crash: 0, timeout: 0 };
  let skipped = 0;
  const emitOutcomes = { ok: 0, clean: 0, crash: 0, timeout: 0, skipped: 0 };
  /** Clean emitter errors (PlanError/WitError) by message shape: how often each kind is refused. */
  const emitClean = {};
  const crashes = new Map();
  const emitCrashes = new Map();
  const byMutation = {};
  let slowest = null;
  let costliest = null;
  const slowInputs = [];
  let loadCpuMsTotal = 0;
  let slowestEmit = null;
  let loadMsTotal = 0;
  let bytes = 0;
  const t0 = performance.now();
  let lastLog = t0;
  for (let i = start; i < start + count; i++) {
    const input = makeInput(corpus, seed, i);
    const size = inputSize(input);
    if (size > maxInputBytes) {
      skipped++;
      continue;
    }
    bytes += size;
    const r = await executor.run(input, { emit, roundTrip: true }, timeLimitMs);
    outcomes[r.outcome]++;
    for (const m of new Set(input.mutations)) {
      const t = (byMutation[m] ??= { ok: 0, diagnostics: 0, crash: 0, timeout: 0 });
      t[r.outcome]++;
    }
    loadMsTotal += r.loadMs ?? 0;
    loadCpuMsTotal += r.loadCpuMs ?? 0;
    // Slowest by CPU time (the wall clock depends on what else the machine runs).
    const cost = r.loadCpuMs ?? r.loadMs;
    if (cost !== undefined && (!slowest || cost > slowest.cpuMs)) {
      slowest = { cpuMs: cost, ms: r.loadMs, size, seed, index: i, entry: input.entry, mutations: input.mutations, outcome: r.outcome };
    }
    // The costliest per byte, among inputs big enough to measure (a hint of super-linearity).
    if (cost !== undefined && size >= 4096 && (!costliest || cost / size > costliest.cpuMs / costliest.size)) {
      costliest = { cpuMs: cost, size, seed, index: i, entry: input.entry, mutations: input.mutations, outcome: r.outcome };
    }
    if (r.emit) emitOutcomes[r.emit] = (emitOutcomes[r.emit] ?? 0) + 1;
    if (r.emit === 'clean') {
      const shape = cleanShape(r.emitMessage);
      emitClean[shape] = (emitClean[shape] ?? 0) + 1;
    }
    if (r.slow) slowInputs.push({ index: i, entry: input.entry, mutations: input.mutations, size, loadCpuMs: r.loadCpuMs, outcome: r.outcome });
    if (r.emitMs !== undefined && (!slowestEmit || r.emitMs > slowestEmit.ms)) {
      slowestEmit = { ms: r.emitMs, size, seed, index: i, entry: input.entry };
    }
    if (r.outcome === 'crash' || r.outcome === 'timeout') {
      const sig = r.outcome === 'timeout' ? `timeout: ${input.entry} [${input.mutations.join(', ')}]` : r.signature;
      const known = crashes.get(sig);
      if (known) known.count++;
      else {
        const finding = { kind: r.outcome, signature: sig, phase: r.phase ?? 'timeout', error: r.error, problems: r.problems, count: 1, input, size };
        crashes.set(sig, finding);
        log(`\n${r.outcome.toUpperCase()} at seed ${seed} index ${i} (${input.entry}; ${input.mutations.join(', ')}): ${sig}`);
        if (minimizeBudget > 0 && r.outcome === 'crash' && r.phase !== 'oom' && r.phase !== 'died') {
          finding.minimized = await minimize(executor, input, (x) => x.outcome === 'crash' && x.signature === sig, { budget: minimizeBudget, timeLimitMs });
        }
        if (outDir) log(`  saved to ${saveFinding(outDir, 'crash', finding)}`);
      }
    }
    if (r.emit === 'crash' || r.emit === 'timeout') {
      const sig = r.emitSignature;
      const known = emitCrashes.get(sig);
      if (known) known.count++;
      else {
        const finding = { kind: 'emit', signature: sig, error: r.emitError, world: r.emitWorld, count: 1, input, size };
        emitCrashes.set(sig, finding);
        log(`\nEMITTER CRASH at seed ${seed} index ${i} (${input.entry}): ${sig}`);
        if (minimizeBudget > 0 && !r.workerDied) {
          const budget = r.emit === 'timeout' ? Math.min(minimizeBudget, 40) : minimizeBudget;
          // A hang is minimized with a shorter budget: each candidate that still hangs costs it.
          const limit = r.emit === 'timeout' ? Math.min(timeLimitMs, 2000) : timeLimitMs;
          finding.minimized = await minimize(executor, input, (x) => x.emit === r.emit && (r.emit === 'timeout' || x.emitSignature === sig), { budget, timeLimitMs: limit, emit: true });
        }
        if (outDir) log(`  saved to ${saveFinding(outDir, 'emit', finding)}`);
      }
    }
    const now = performance.now();
    if (now - lastLog > 10_000) {
      lastLog = now;
      const done = i - start + 1;
      log(`  seed ${seed}: ${done}/${count} inputs, ${(done / ((now - t0) / 1000)).toFixed(0)}/s, ok ${outcomes.ok}, diagnostics ${outcomes.diagnostics}, crash ${outcomes.crash}, timeout ${outcomes.timeout}`);
    }
  }
  const wallMs = performance.now() - t0;
  return {
    seed,
    start,
    count,
    skipped,
    outcomes,
    emitOutcomes,
    emitClean,
    crashes: [...crashes.values()],
    emitCrashes: [...emitCrashes.values()],
    slowest,
    costliest,
    slowestEmit,
    wallMs,
    loadMsTotal,
    loadCpuMsTotal,
    slowInputs,
    bytes,
    byMutation,
  };
}

/** A clean emitter error's message without the function it is about, names and numbers. */
export function cleanShape(message) {
  return String(message ?? '')
    .replace(/^(import|export) `[^`]*`: /, '')
    .replace(/`[^`]*`/g, '`…`')
    .replace(/\d+/g, 'N')
    .slice(0, 120);
}

export function corpusSummary(corpus) {
  return `${corpus.length} corpus entries, ${corpus.reduce((n, e) => n + e.files.length, 0)} files, ${(corpus.reduce((n, e) => n + entrySize(e), 0) / 1024).toFixed(0)} KiB`;
}
