#!/usr/bin/env node
// `npm run bench`: witbind's generated bindings against hand-written glue (bench/handwritten.js)
// on the same core module (guests/bench, world wit/codegen/bench.wit), call by call; and the
// same guest wrapped as a component, through witbind's `instantiateComponent` and through
// `jco transpile`.
//
//   npm run bench                       every row, a table on stdout
//   npm run bench -- --filter str       only rows whose name matches the regular expression
//   npm run bench -- --json             the results as JSON on stdout (progress on stderr)
//   npm run bench -- --check            only check that every binding gives the expected results
//   npm run bench -- --time 300         minimum measuring time per row and binding, in ms (300)
//   npm run bench -- --rounds 3         measure each row this many times, alternating the order
//                                       of the bindings, and keep the fastest median (3)
//   npm run bench -- --procs 2          time each row in this many fresh child processes and
//                                       keep each binding's fastest (2)
//   npm run bench -- --in-process       time every row in this process (default: child
//                                       processes per row)
//   npm run bench -- --clock wall       time with the wall clock (default: cpu, see below)
//   npm run bench -- --core             only the core-module bindings (no component, no jco)
//
// It generates the bindings with the built library (dist/, which `npm ci` builds) into
// .cache/bench/ as JavaScript, importing the built runtime. Before timing anything it checks,
// for every row, that each binding returns the expected value (computed here in JS) and leaks
// nothing in the guest: a wrong benchmark is worse than none.
//
// Timing: mitata's `measure` (batched calls for fast functions, so a ~3 ns call is not drowned
// in timer overhead; a forced GC before each measurement). The figure kept for a row is the
// median time per call, the lowest over the rounds (on a shared machine, noise only adds time).
// Each row runs in fresh child processes (one per group of modes: hand-written + generated, and
// component + jco; the modes of a group measured in turns), so what one row leaves behind (heap,
// JIT type feedback in shared helpers) does not tilt the next one, and the two witbind modes do
// not share type feedback (see MODES). And it runs in `--procs` such processes, keeping each
// binding's lowest median over all of them: a process is a draw of its own (where V8 and the
// allocators place code and buffers; the JIT's decisions), which rounds inside one process do
// not average out — with one process, identical code measured from 0.70 to 1.05 of itself on
// the rows that copy kilobytes. Every other process instantiates the modes of its group in
// reverse order: the instance made second was consistently slower on `echo-list-u8 100k`
// (whichever binding it was, 10–20%: where its memory lands relative to the host's buffers
// changes how fast the 100 KB copies run), so neither binding may always be second.
// The default clock is the process's CPU time (`process.cpuUsage`, user + system), with the
// child run as `node --single-threaded` so that GC and JIT work happen on the measured thread
// and count, and with batches sized to last ≥ 2 ms (the clock ticks in µs): on a machine shared
// with other work, wall time mostly measures the other work (descheduled time); CPU time does
// not. `--clock wall` uses mitata's own wall clock instead.
// ratio = hand-written time / generated time: ≥ 1 means the generated bindings are faster, and
// the target is ≥ 0.8 on every row.
//
// Bindings are "modes" (MODES below): each instantiates the guest its own way and returns an
// object of jco's ES-module export shape (`x.api.echoStr(…)`, `x.allocatedBytes()`):
//   hand-written  bench/handwritten.js over the core module (the baseline of every ratio)
//   generated     witbind's bindings, `instantiateCore` over the core module
//   component     witbind's bindings, `instantiateComponent` over the component
//   jco           `jco transpile` of the same component (instantiation: 'async'), the reference
//                 host (@bytecodealliance/jco, the dev dependency)
// The component is the core module through wit-component (jco's `componentEmbed` +
// `componentNew`), built into .cache/bench/ at start; the jco output goes to
// .cache/bench/jco/<hash of the component and jco's version>/ (transpiled once, ~1 s). The table
// adds "jco/wb": jco time / component time (≥ 1 means witbind's component bindings are faster).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WIT = join(ROOT, 'wit/codegen/bench.wit');
const GUEST = join(ROOT, 'guests/bench/bench.wasm');
const OUT = join(ROOT, '.cache/bench');

// ------------------------------------------------------------------------------------ options

function parseArgs(argv) {
  const o = { filter: null, json: false, check: false, time: 300, rounds: 3, procs: 2, isolate: true, worker: null, group: null, reverse: false, clock: 'cpu', core: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--filter') o.filter = new RegExp(value());
    else if (a.startsWith('--filter=')) o.filter = new RegExp(a.slice(9));
    else if (a === '--json') o.json = true;
    else if (a === '--check') o.check = true;
    else if (a === '--time') o.time = Number(value());
    else if (a === '--rounds') o.rounds = Number(value());
    else if (a === '--procs') o.procs = Number(value());
    else if (a === '--in-process') o.isolate = false;
    else if (a === '--clock') o.clock = value();
    else if (a === '--core') o.core = true;
    else if (a === '--worker') o.worker = value(); // internal: time the row of that name, print JSON
    else if (a === '--group') o.group = value(); // internal: with --worker, only the modes of that group
    else if (a === '--reverse') o.reverse = true; // internal: instantiate the modes in reverse order
    else if (a === '--help' || a === '-h') usage();
    else usage(`unknown argument ${a}`);
  }
  if (!(o.time > 0) || !(Number.isInteger(o.rounds) && o.rounds > 0)) usage('bad --time or --rounds');
  if (!(Number.isInteger(o.procs) && o.procs > 0)) usage('bad --procs');
  if (o.clock !== 'cpu' && o.clock !== 'wall') usage('--clock is cpu or wall');
  return o;
}

function usage(msg) {
  const text = readFileSync(fileURLToPath(import.meta.url), 'utf8')
    .split('\n')
    .slice(1, 19)
    .map((l) => l.replace(/^\/\/ ?/, ''))
    .join('\n');
  if (msg) console.error(`bench/abi.js: ${msg}\n`);
  console.error(text);
  process.exit(msg ? 2 : 0);
}

const opts = parseArgs(process.argv.slice(2));
const log = (s) => (opts.json ? process.stderr : process.stdout).write(`${s}\n`);

// A GC between measurements keeps one row's garbage out of the next row's time. `npm run bench`
// runs plain `node`, so expose it here (before mitata looks for it).
setFlagsFromString('--expose-gc');
globalThis.gc ??= runInNewContext('gc');
const { measure } = await import('mitata');

// ------------------------------------------------------------------------------------ modes

/** Newest modification time of the files under `dir` (recursive). */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

async function generatedMode() {
  // A worker imports what its parent generated.
  if (opts.worker === null) await generateBindings();
  const mod = await import(pathToFileURL(join(OUT, 'bench.js')).href);
  const bytes = readFileSync(GUEST);
  return () => mod.instantiateCore(bytes);
}

async function componentMode() {
  // The parent generates the bindings (generatedMode) before this runs. A module instance of its
  // own (the query), so that the generated functions' type feedback is not shared with the core
  // mode's when both run in one process (--in-process, the checks): sharing it costs both ~10 ns
  // per small call. (The runtime is still shared then: a few % more.)
  const mod = await import(`${pathToFileURL(join(OUT, 'bench.js')).href}?component`);
  const bytes = await benchComponent();
  return () => mod.instantiateComponent(bytes);
}

async function jcoMode() {
  const dir = await jcoTranspile(await benchComponent());
  const mod = await import(pathToFileURL(join(dir, 'bench.js')).href);
  // Core modules compiled once (what witbind's `compileComponent` does too).
  const modules = new Map();
  const getCoreModule = (path) => {
    if (!modules.has(path)) modules.set(path, WebAssembly.compile(readFileSync(join(dir, path))));
    return modules.get(path);
  };
  return () => mod.instantiate(getCoreModule, {});
}

const jcoVersion = () => JSON.parse(readFileSync(join(ROOT, 'node_modules/@bytecodealliance/jco/package.json'), 'utf8')).version;
const hash = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 16);
};

/** Writes `files` ({ relative path: data }) as the directory `dir`, atomically (rename). */
function writeDir(dir, files) {
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  for (const [file, data] of Object.entries(files)) {
    mkdirSync(dirname(join(tmp, file)), { recursive: true });
    writeFileSync(join(tmp, file), data);
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
}

let componentBytes;
/**
 * The bench guest as a component (wit-component through jco's API), cached as
 * .cache/bench/component/<hash of the core module, the WIT and jco's version>/bench.wasm.
 */
async function benchComponent() {
  if (componentBytes) return componentBytes;
  const core = readFileSync(GUEST);
  const wit = readFileSync(WIT, 'utf8');
  const dir = join(OUT, 'component', hash(core, wit, jcoVersion()));
  const file = join(dir, 'bench.wasm');
  if (!existsSync(file)) {
    const { componentEmbed, componentNew } = await import('@bytecodealliance/jco');
    const embedded = await componentEmbed({ binary: core, witSource: wit, world: 'bench' });
    writeDir(dir, { 'bench.wasm': await componentNew(embedded) });
  }
  return (componentBytes = readFileSync(file));
}

/**
 * `jco transpile` of `component` (its JS API, `instantiation: 'async'`: the output exports
 * `instantiate(getCoreModule, imports)`, as in test/component/jco.ts), cached; returns its
 * directory.
 */
async function jcoTranspile(component) {
  const dir = join(OUT, 'jco', hash(component, `jco ${jcoVersion()}`));
  if (!existsSync(join(dir, 'bench.js'))) {
    const { transpile } = await import('@bytecodealliance/jco');
    const t = performance.now();
    const out = await transpile(component, { name: 'bench', instantiation: 'async', quiet: true, noTypescript: true });
    writeDir(dir, out.files);
    log(`jco transpile: ${Math.round(performance.now() - t)} ms → ${dir.slice(ROOT.length)}`);
  }
  return dir;
}

async function generateBindings() {
  let generate;
  try {
    ({ generate } = await import(pathToFileURL(join(ROOT, 'dist/generate.js')).href));
  } catch {
    console.error('bench/abi.js: dist/ is missing: run `npm run build` (npm ci does) first');
    process.exit(1);
  }
  if (newest(join(ROOT, 'src')) > newest(join(ROOT, 'dist'))) {
    console.error('bench/abi.js: warning: src/ is newer than dist/ (run `npm run build` to measure your changes)');
  }
  const files = await generate(WIT, { js: true, runtime: '../../dist/runtime/index.js' });
  mkdirSync(OUT, { recursive: true });
  for (const [name, text] of files) writeFileSync(join(OUT, name), text);
}

async function handwrittenMode() {
  const mod = await import('./handwritten.js');
  const bytes = readFileSync(GUEST);
  return () => mod.instantiate(bytes);
}

/**
 * Baseline first: the ratio columns are relative to it. `setup()` returns `instantiate()`.
 * `group`: the modes timed in one worker process. The two witbind modes run the same generated
 * code and runtime, so in one process they share JIT type feedback, which slows both (polymorphic
 * call sites: ~35 → ~45 ns on a small call); each group gets its own process for a row.
 */
const MODES = [
  { name: 'hand-written', group: 'core', setup: handwrittenMode },
  { name: 'generated', group: 'core', setup: generatedMode },
  ...(opts.core
    ? []
    : [
        { name: 'component', group: 'component', setup: componentMode },
        { name: 'jco', group: 'component', setup: jcoMode },
      ]),
];
const GROUPS = [...new Set(MODES.map((m) => m.group))];
/** The extra column: jco time / witbind component time. */
const VERSUS = opts.core ? null : ['jco', 'component'];

// ------------------------------------------------------------------------------------ inputs

const MULTI = ['é', '€', 'ж', '✓', '日', '本', '🚀'];

/** The string make-str builds: exactly `n` UTF-8 bytes (see wit/codegen/bench.wit). */
function makeString(n, multibyte) {
  if (!multibyte) {
    const az = 'abcdefghijklmnopqrstuvwxyz';
    return az.repeat(Math.ceil(n / 26)).slice(0, n);
  }
  const unit = MULTI.join('');
  const unitBytes = Buffer.byteLength(unit);
  let s = unit.repeat(Math.floor(n / unitBytes));
  let bytes = unitBytes * Math.floor(n / unitBytes);
  for (let u = 0; ; u = (u + 1) % MULTI.length) {
    const k = Buffer.byteLength(MULTI[u]);
    if (bytes + k > n) break;
    s += MULTI[u];
    bytes += k;
  }
  return s + 'x'.repeat(n - bytes);
}

const iotaU32 = (n) => Uint32Array.from({ length: n }, (_, i) => i);
const iotaU8 = (n) => Uint8Array.from({ length: n }, (_, i) => i & 255);
const items = (n) => Array.from({ length: n }, (_, i) => ({ id: i, name: `item-${i}`, score: i / 4 }));
const strs = (n) => Array.from({ length: n }, (_, i) => `str-${i}`);
function values(n) {
  return Array.from({ length: n }, (_, i) => {
    switch (i % 5) {
      case 0:
        return { tag: 'empty' };
      case 1:
        return { tag: 'int', val: -i };
      case 2:
        return { tag: 'big', val: BigInt(i) << 32n };
      case 3:
        return { tag: 'real', val: i / 2 };
      default:
        return { tag: 'text', val: `v${i}` };
    }
  });
}

const MANY_ARGS = [200, -100, 60000, -30000, 4000000000, -2000000000, 2n ** 63n + 5n, -(2n ** 40n), 1.5, -2.25, true, '🚀', 1, 2, 3, 4, 5, 6];

/** What `many` returns for `a`: see wit/codegen/bench.wit. */
function manyExpected(a) {
  const f32 = new Uint32Array(new Float32Array([a[8]]).buffer)[0];
  const f64 = new BigUint64Array(new Float64Array([a[9]]).buffer)[0];
  let s = 0n;
  for (const i of [0, 1, 2, 3, 4, 5, 12, 13, 14, 15, 16, 17]) s += BigInt(a[i]);
  s += a[6] + a[7] + BigInt(f32) + f64 + (a[10] ? 1n : 0n) + BigInt(a[11].codePointAt(0));
  return BigInt.asUintN(64, s);
}

// ------------------------------------------------------------------------------------ rows

/**
 * A row: `name`, `expr` (the call, as source over `api` and `arg`; compiled once per row and mode
 * so no call site is shared between bindings), and `data()`, which builds (once, not timed) `arg`
 * and `expect`, the value the call must return (or `{ throws: payload }`).
 */
function buildRows() {
  const rows = [];
  const row = (name, expr, data) => {
    let cached;
    rows.push({ name, expr, data: () => (cached ??= data()) });
  };
  row('noop', 'api.noop()', () => ({ arg: null, expect: undefined }));
  row('add(u32, u32)', 'api.add(4000000000, 300000000)', () => ({ arg: null, expect: 4300000000 % 2 ** 32 }));

  const sizes = [
    [16, '16 B'],
    [1024, '1 KiB'],
    [65536, '64 KiB'],
    [1048576, '1 MiB'],
  ];
  for (const multibyte of [false, true]) {
    const kind = multibyte ? 'multibyte' : 'ascii';
    for (const [n, label] of sizes) {
      const s = () => makeString(n, multibyte);
      row(`echo-str ${kind} ${label}`, 'api.echoStr(arg)', () => ({ arg: s(), expect: s() }));
      row(`len-str ${kind} ${label}`, 'api.lenStr(arg)', () => ({ arg: s(), expect: n }));
      row(`make-str ${kind} ${label}`, 'api.makeStr(arg[0], arg[1])', () => ({ arg: [n, multibyte], expect: s() }));
    }
  }

  const counts = [
    [1, '1'],
    [1000, '1k'],
    [100000, '100k'],
  ];
  const lists = [
    ['list-u32', 'ListU32', iotaU32],
    ['list-u8', 'ListU8', iotaU8],
    ['items', 'Items', items],
    ['values', 'Values', values],
    ['strs', 'Strs', strs],
  ];
  for (const [kebab, camel, build] of lists) {
    for (const [n, label] of counts) {
      // The expected value is built separately from the argument: an echo must not hand back
      // the very object it was given.
      row(`echo-${kebab} ${label}`, `api.echo${camel}(arg)`, () => ({ arg: build(n), expect: build(n) }));
      row(`len-${kebab} ${label}`, `api.len${camel}(arg)`, () => ({ arg: build(n), expect: n }));
      row(`make-${kebab} ${label}`, `api.make${camel}(arg)`, () => ({ arg: n, expect: build(n) }));
    }
  }

  const a = MANY_ARGS;
  const call = `api.many(${a.map((_, i) => `arg[${i}]`).join(', ')})`;
  row('many (18 flat params)', call, () => ({ arg: a, expect: manyExpected(a) }));
  row('half → err (result<u32, string>)', 'api.half(arg)', () => ({ arg: 7, expect: { throws: 'odd: 7' } }));
  return rows;
}

const throws = (expect) => typeof expect === 'object' && expect !== null && 'throws' in expect;

/** `() => <expr>` bound to this mode's exports and the row's argument (a fresh function each time). */
function compile(row, exportsObj) {
  const { arg, expect } = row.data();
  const body = throws(expect)
    ? `try { ${row.expr}; } catch (e) { return e; } throw new Error('did not throw');`
    : `return ${row.expr};`;
  return new Function('api', 'arg', `return () => { ${body} };`)(exportsObj.api, arg);
}

// ------------------------------------------------------------------------------------ checks

function describe(v) {
  if (typeof v === 'string') return `string(${v.length}) ${JSON.stringify(v.slice(0, 40))}`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${v.length})`;
  if (Array.isArray(v)) return `array(${v.length}) ${JSON.stringify(v.slice(0, 2), (_, x) => (typeof x === 'bigint' ? `${x}n` : x))}`;
  return String(v);
}

/** Checks one row on one mode: expected value (twice, so cached state is exercised) and no leak. */
function check(row, mode, x) {
  const fn = compile(row, x);
  const { expect } = row.data();
  const before = x.allocatedBytes();
  for (let i = 0; i < 2; i++) {
    const got = fn();
    if (throws(expect)) {
      // jco's ComponentError keeps the name 'Error': its class name is what they share.
      const isComponentError = got instanceof Error && (got.name === 'ComponentError' || got.constructor.name === 'ComponentError');
      if (!isComponentError || got.payload !== expect.throws) {
        throw new Error(`${row.name} [${mode}]: expected a ComponentError with payload ${JSON.stringify(expect.throws)}, got ${got}`);
      }
    } else if (!isDeepStrictEqual(got, expect)) {
      throw new Error(`${row.name} [${mode}]: expected ${describe(expect)}, got ${describe(got)}`);
    }
  }
  const after = x.allocatedBytes();
  if (after !== before) throw new Error(`${row.name} [${mode}]: the guest holds ${after - before} more bytes after the calls (a leak)`);
}

// ------------------------------------------------------------------------------------ table

function fmtNs(ns) {
  if (ns < 1e3) return `${ns.toFixed(1)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${(ns / 1e6).toFixed(2)} ms`;
}

const baseline = MODES[0].name;
const others = MODES.slice(1).map((m) => m.name);
const ratio = (res, m) => res.ns[baseline] / res.ns[m];
const W = 36;

/** The modes the ≥ 0.8 target applies to (witbind's). */
const targeted = others.filter((m) => m !== 'jco');
const versus = (res) => res.ns[VERSUS[0]] / res.ns[VERSUS[1]];

/** Two decimals, or two significant digits below 0.1 (jco's ratios on the fastest calls). */
const fmtRatio = (q) => (q >= 0.1 ? q.toFixed(2) : q.toPrecision(2));

function header() {
  const cols = others.flatMap((m) => [m.padStart(12), 'ratio'.padStart(7)]);
  const vs = VERSUS ? ` ${`${VERSUS[0]}/wb`.padStart(7)}` : '';
  return `${'row'.padEnd(W)} ${baseline.padStart(12)} ${cols.join(' ')}${vs}`;
}
function formatRow(res) {
  const cols = others.flatMap((m) => {
    const q = ratio(res, m);
    return [fmtNs(res.ns[m]).padStart(12), `${fmtRatio(q)}${q < 0.8 && targeted.includes(m) ? '!' : ' '}`.padStart(7)];
  });
  const vs = VERSUS ? ` ${versus(res).toFixed(versus(res) >= 100 ? 0 : 2).padStart(7)}` : '';
  return `${res.row.padEnd(W)} ${fmtNs(res.ns[baseline]).padStart(12)} ${cols.join(' ')}${vs}`;
}

// ------------------------------------------------------------------------------------ main

/** Times one row on every instance: `rounds` turns, alternating the order; best median each. */
async function measureRow(row, instances) {
  const times = instances.map(() => Infinity);
  for (let r = 0; r < opts.rounds; r++) {
    // Alternate the order so neither binding always runs right after the other's garbage.
    const order = instances.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) {
      const fn = compile(row, instances[i].x);
      const stats = await measure(fn, { min_cpu_time: opts.time * 1e6, ...clockOptions(fn) });
      times[i] = Math.min(times[i], stats.p50);
    }
  }
  return { row: row.name, ns: Object.fromEntries(instances.map((m, i) => [m.name, times[i]])) };
}

/** CPU time of this process in ns (µs resolution). */
function cpuNow() {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1e3;
}

/**
 * mitata options for the chosen clock. With the CPU clock, a batch of calls must last ≥ 2 ms
 * for the µs ticks not to matter: estimate the time per call (wall clock, a few ms), size
 * batches from it. Calls of ≥ 65 µs are timed one by one (mitata's own threshold).
 */
function clockOptions(fn) {
  if (opts.clock === 'wall') return {};
  let n = 1;
  let per = 0;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    const dt = (performance.now() - t) * 1e6;
    if (dt > 5e6 || n >= 1 << 20) {
      per = dt / n;
      break;
    }
    n *= 4;
  }
  const batch = Math.min(1 << 22, Math.max(4, Math.ceil(2e6 / Math.max(per, 0.1) / 4) * 4));
  return { now: cpuNow, batch_samples: batch, min_samples: 8 };
}

/**
 * Times one row in `--procs` child processes per group of modes (`--worker`, each printing
 * JSON); keeps each mode's lowest time.
 */
function measureRowIsolated(row) {
  const ns = {};
  for (let p = 0; p < opts.procs; p++) {
    for (const group of GROUPS) {
      for (const [mode, t] of Object.entries(measureRowInWorker(row, group, p % 2 === 1).ns)) ns[mode] = Math.min(ns[mode] ?? Infinity, t);
    }
  }
  return { row: row.name, ns: Object.fromEntries(MODES.map((m) => [m.name, ns[m.name]])) };
}

function measureRowInWorker(row, group, reverse) {
  const args = [
    ...(opts.clock === 'cpu' ? ['--single-threaded'] : []),
    fileURLToPath(import.meta.url),
    '--worker',
    row.name,
    '--time',
    String(opts.time),
    '--rounds',
    String(opts.rounds),
    '--clock',
    opts.clock,
    ...(opts.core ? ['--core'] : []),
    '--group',
    group,
    ...(reverse ? ['--reverse'] : []),
  ];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`bench/abi.js: the worker for ${row.name} (${group}) failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

const instances = [];
for (const m of opts.reverse ? [...MODES].reverse() : MODES) {
  if (opts.group !== null && m.group !== opts.group) continue;
  const instantiate = await m.setup();
  instances.push({ name: m.name, x: await instantiate() });
}
const allRows = buildRows();

if (opts.worker !== null) {
  const row = allRows.find((r) => r.name === opts.worker);
  if (!row) usage(`no row named ${opts.worker}`);
  for (const { name, x } of instances) check(row, name, x);
  console.log(JSON.stringify(await measureRow(row, instances)));
  process.exit(0);
}

const rows = allRows.filter((r) => !opts.filter || opts.filter.test(r.name));
if (rows.length === 0) usage(`no row matches ${opts.filter}`);

for (const row of rows) for (const { name, x } of instances) check(row, name, x);
log(`checked ${rows.length} rows × ${instances.length} bindings: results as expected, nothing leaked`);
if (opts.check) process.exit(0);

const results = [];
if (!opts.json) log(`\n${header()}`);
for (const row of rows) {
  const result = opts.isolate ? measureRowIsolated(row) : await measureRow(row, instances);
  results.push(result);
  if (!opts.json) log(formatRow(result));
  else process.stderr.write('.');
}

if (opts.json) {
  process.stderr.write('\n');
  const out = {
    node: process.version,
    modes: MODES.map((m) => m.name),
    baseline,
    unit: `ns per call (median, best of rounds and processes; ${opts.clock === 'cpu' ? 'process CPU time' : 'wall time'})`,
    rounds: opts.rounds,
    procs: opts.isolate ? opts.procs : 1,
    minTimeMs: opts.time,
    isolated: opts.isolate,
    clock: opts.clock,
    rows: results.map((r) => ({
      ...r,
      ratio: Object.fromEntries(others.map((m) => [m, ratio(r, m)])),
      ...(VERSUS ? { [`${VERSUS[0]}/${VERSUS[1]}`]: versus(r) } : {}),
    })),
  };
  console.log(JSON.stringify(out, null, 2));
} else {
  const below = results.flatMap((r) => targeted.filter((m) => ratio(r, m) < 0.8).map((m) => `${r.row} [${m}]`));
  log('');
  log(`ratio = ${baseline} time / binding time (≥ 0.8 is the target for witbind's; ! marks a miss)`);
  if (VERSUS) {
    log(`${VERSUS[0]}/wb = ${VERSUS[0]} time / witbind ${VERSUS[1]} time, on the same component (≥ 1: witbind is faster)`);
    const g = Math.exp(results.reduce((s, r) => s + Math.log(versus(r)), 0) / results.length);
    log(`${VERSUS[0]}/wb geometric mean over ${results.length} rows: ${g.toFixed(2)}`);
  }
  log(below.length ? `below 0.8: ${below.join(', ')}` : 'every row meets the target');
}
