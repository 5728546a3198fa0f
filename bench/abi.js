#!/usr/bin/env node
// `npm run bench`: witbind's generated bindings against hand-written glue (bench/handwritten.js)
// on the same core module (guests/bench, world wit/codegen/bench.wit), call by call.
//
//   npm run bench                       every row, a table on stdout
//   npm run bench -- --filter str       only rows whose name matches the regular expression
//   npm run bench -- --json             the results as JSON on stdout (progress on stderr)
//   npm run bench -- --check            only check that every binding gives the expected results
//   npm run bench -- --time 300         minimum measuring time per row and binding, in ms (300)
//   npm run bench -- --rounds 2         measure each row this many times, alternating the order
//                                       of the bindings, and keep the fastest median (2)
//
// It generates the bindings with the built library (dist/, which `npm ci` builds) into
// .cache/bench/ as JavaScript, importing the built runtime. Before timing anything it checks,
// for every row, that each binding returns the expected value (computed here in JS) and leaks
// nothing in the guest: a wrong benchmark is worse than none.
//
// Timing: mitata's `measure` (batched calls for fast functions, so a ~20 ns call is not drowned
// in timer overhead; a forced GC before each measurement). The figure kept for a row is the
// median time per call, the lowest over the rounds (on a shared machine, noise only adds time).
// ratio = hand-written time / generated time: ≥ 1 means the generated bindings are faster, and
// the target is ≥ 0.8 on every row.
//
// Bindings are "modes" (MODES below): each instantiates the guest its own way and returns an
// object of jco's ES-module export shape (`x.api.echoStr(…)`, `x.allocatedBytes()`). A later
// component mode (the same guest wrapped as a component, through witbind's component output and
// through `jco transpile`) is one more entry there; the rows and the table need no change.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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
  const o = { filter: null, json: false, check: false, time: 300, rounds: 2 };
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
    else if (a === '--help' || a === '-h') usage();
    else usage(`unknown argument ${a}`);
  }
  if (!(o.time > 0) || !(Number.isInteger(o.rounds) && o.rounds > 0)) usage('bad --time or --rounds');
  return o;
}

function usage(msg) {
  const text = readFileSync(fileURLToPath(import.meta.url), 'utf8')
    .split('\n')
    .slice(1, 11)
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
  const mod = await import(pathToFileURL(join(OUT, 'bench.js')).href);
  return (bytes) => mod.instantiateCore(bytes);
}

async function handwrittenMode() {
  const mod = await import('./handwritten.js');
  return (bytes) => mod.instantiate(bytes);
}

/** Baseline first: the ratio columns are relative to it. */
const MODES = [
  { name: 'hand-written', setup: handwrittenMode },
  { name: 'generated', setup: generatedMode },
];

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
 * A row: `name`, `arg` (built once, not timed), `expr` (the call, as source over `api` and `arg`;
 * compiled once per row and mode so no call site is shared between bindings) and `expect` (the
 * value the call must return, or `{ throws: payload }`).
 */
function buildRows() {
  const rows = [];
  const row = (name, arg, expr, expect) => rows.push({ name, arg, expr, expect });
  row('noop', null, 'api.noop()', undefined);
  row('add(u32, u32)', null, 'api.add(4000000000, 300000000)', 4300000000 % 2 ** 32);

  const sizes = [
    [16, '16 B'],
    [1024, '1 KiB'],
    [65536, '64 KiB'],
    [1048576, '1 MiB'],
  ];
  for (const multibyte of [false, true]) {
    const kind = multibyte ? 'multibyte' : 'ascii';
    for (const [n, label] of sizes) {
      const s = makeString(n, multibyte);
      row(`echo-str ${kind} ${label}`, s, 'api.echoStr(arg)', s);
      row(`len-str ${kind} ${label}`, s, 'api.lenStr(arg)', n);
      row(`make-str ${kind} ${label}`, [n, multibyte], 'api.makeStr(arg[0], arg[1])', s);
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
      const v = build(n);
      row(`echo-${kebab} ${label}`, v, `api.echo${camel}(arg)`, v);
      row(`len-${kebab} ${label}`, v, `api.len${camel}(arg)`, n);
      row(`make-${kebab} ${label}`, n, `api.make${camel}(arg)`, v);
    }
  }

  const a = MANY_ARGS;
  const call = `api.many(${a.map((_, i) => `arg[${i}]`).join(', ')})`;
  row('many (18 flat params)', a, call, manyExpected(a));
  row('half → err (result<u32, string>)', 7, 'api.half(arg)', { throws: 'odd: 7' });
  return rows;
}

/** `() => <expr>` bound to this mode's exports and the row's argument (a fresh function each time). */
function compile(row, exportsObj) {
  const body = typeof row.expect === 'object' && row.expect !== null && 'throws' in row.expect
    ? `try { ${row.expr}; } catch (e) { return e; } throw new Error('did not throw');`
    : `return ${row.expr};`;
  return new Function('api', 'arg', `return () => { ${body} };`)(exportsObj.api, row.arg);
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
  const before = x.allocatedBytes();
  for (let i = 0; i < 2; i++) {
    const got = fn();
    if (row.expect !== null && typeof row.expect === 'object' && 'throws' in row.expect) {
      if (!(got instanceof Error) || got.name !== 'ComponentError' || got.payload !== row.expect.throws) {
        throw new Error(`${row.name} [${mode}]: expected a ComponentError with payload ${JSON.stringify(row.expect.throws)}, got ${got}`);
      }
    } else if (!isDeepStrictEqual(got, row.expect)) {
      throw new Error(`${row.name} [${mode}]: expected ${describe(row.expect)}, got ${describe(got)}`);
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

function header() {
  const cols = others.flatMap((m) => [m.padStart(13), 'ratio'.padStart(7)]);
  return `${'row'.padEnd(W)} ${cols.join(' ')} ${baseline.padStart(13)}`;
}
function formatRow(res) {
  const cols = others.flatMap((m) => {
    const q = ratio(res, m);
    return [fmtNs(res.ns[m]).padStart(13), `${q.toFixed(2)}${q < 0.8 ? '!' : ' '}`.padStart(7)];
  });
  return `${res.row.padEnd(W)} ${cols.join(' ')} ${fmtNs(res.ns[baseline]).padStart(13)}`;
}

// ------------------------------------------------------------------------------------ main

const bytes = readFileSync(GUEST);
const instances = [];
for (const m of MODES) {
  const instantiate = await m.setup();
  instances.push({ name: m.name, x: await instantiate(bytes) });
}

const rows = buildRows().filter((r) => !opts.filter || opts.filter.test(r.name));
if (rows.length === 0) usage(`no row matches ${opts.filter}`);

for (const row of rows) for (const { name, x } of instances) check(row, name, x);
log(`checked ${rows.length} rows × ${instances.length} bindings: results as expected, nothing leaked`);
if (opts.check) process.exit(0);

const results = [];
if (!opts.json) log(`\n${header()}`);
for (const row of rows) {
  const times = instances.map(() => Infinity);
  for (let r = 0; r < opts.rounds; r++) {
    // Alternate the order so neither binding always runs right after the other's garbage.
    const order = instances.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) {
      const fn = compile(row, instances[i].x);
      const stats = await measure(fn, { min_cpu_time: opts.time * 1e6 });
      times[i] = Math.min(times[i], stats.p50);
    }
  }
  const result = { row: row.name, ns: Object.fromEntries(instances.map((m, i) => [m.name, times[i]])) };
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
    unit: 'ns per call (median, best of rounds)',
    rounds: opts.rounds,
    minTimeMs: opts.time,
    rows: results.map((r) => ({ ...r, ratio: Object.fromEntries(others.map((m) => [m, ratio(r, m)])) })),
  };
  console.log(JSON.stringify(out, null, 2));
} else {
  const below = results.flatMap((r) => others.filter((m) => ratio(r, m) < 0.8).map((m) => `${r.row} [${m}]`));
  log('');
  log(`ratio = ${baseline} time / binding time (≥ 0.8 is the target; ! marks a miss)`);
  log(below.length ? `below 0.8: ${below.join(', ')}` : 'every row meets the target');
}
