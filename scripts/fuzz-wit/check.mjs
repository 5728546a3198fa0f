// Runs one fuzz input against the front end and classifies the result. `api` is the library
// (dist/ from the CLI's worker, src/ from the vitest test): see api.mjs.
//
//   ok           the input resolved; the model serializes to JSON
//   diagnostics  a WitError whose every diagnostic is located inside the input and renders
//   crash        anything else: another exception, a diagnostic without a valid location, a
//                model that does not serialize, a print round-trip that does not hold
//
// For resolved inputs the bindings emitter also runs (`generateWorld`, per world of the main
// package): `ok`, `clean` (PlanError/WitError) or `crash`; emitter crashes are reported apart.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const KINDS = new Set(['lex', 'parse', 'syntax', 'resolve', 'io']);

/** A crash signature: phase, error type, message shape and the innermost project frame. */
export function signature(phase, error) {
  const name = error?.name ?? typeof error;
  const message = String(error?.message ?? error)
    .split('\n')[0]
    .replace(/`[^`]*`/g, '`…`')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\d+/g, 'N')
    .slice(0, 160);
  const frame =
    String(error?.stack ?? '')
      .split('\n')
      .slice(1)
      .filter((l) => !l.includes('node_modules'))
      .map((l) => /(?:\/|\()((?:src|dist|scripts)\/[^:)]+:\d+)/.exec(l)?.[1])
      .find((f) => f !== undefined) ?? '';
  return `${phase}: ${name}: ${message}${frame ? ` @ ${frame}` : ''}`;
}

function describeError(error) {
  return { name: error?.name ?? typeof error, message: String(error?.message ?? error), stack: String(error?.stack ?? '') };
}

function crash(phase, error, extra = {}) {
  return { outcome: 'crash', phase, signature: signature(phase, error), error: describeError(error), ...extra };
}

/** Writes the input's files below `dir` (emptied first); returns the path to load. */
export function layOut(input, dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of input.files) {
    const path = join(dir, f.rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.data);
  }
  return input.root === '.' ? dir : join(dir, input.root);
}

/** Problems with a WitError's diagnostics (empty when every one is located and renders). */
export function diagnosticProblems(api, error, isInputPath) {
  const problems = [];
  const sm = error.sourceMap;
  if (!Array.isArray(error.diagnostics) || error.diagnostics.length === 0) problems.push('WitError without diagnostics');
  if (typeof error.message !== 'string') problems.push('WitError message is not a string');
  for (const d of error.diagnostics ?? []) {
    const what = `diagnostic ${JSON.stringify(String(d?.message).slice(0, 100))}`;
    if (typeof d?.message !== 'string' || d.message.length === 0) problems.push(`${what}: empty message`);
    if (!KINDS.has(d?.kind)) problems.push(`${what}: unknown kind ${d?.kind}`);
    let expected = null;
    if (d.span === null || d.span === undefined) {
      // Unreadable input (io), the "too many errors" summary and a package directory without
      // any `.wit` file have nothing to point at.
      const unlocatable = d.kind === 'io' || /^too many errors/.test(d.message) || /^no `package` header/.test(d.message);
      if (!unlocatable) problems.push(`${what}: no location`);
    } else {
      const { start, end } = d.span;
      const file = Number.isInteger(start) ? sm.fileAt(start) : undefined;
      if (!file) {
        problems.push(`${what}: span ${start}..${end} is in no file`);
      } else {
        if (!isInputPath(file.path)) problems.push(`${what}: points into ${file.path}, not the input`);
        if (!Number.isInteger(end) || end < start || end > file.offset + file.text.length) {
          problems.push(`${what}: span ${start}..${end} leaves ${file.path} (${file.offset}..${file.offset + file.text.length})`);
        }
        const loc = sm.locate(start);
        if (!loc || loc.line < 1 || loc.line > file.lineStarts.length || loc.column < 1) {
          problems.push(`${what}: no line and column`);
        } else {
          expected = `--> ${file.path}:${loc.line}:${loc.column}`;
        }
      }
    }
    let rendered;
    try {
      rendered = api.renderDiagnostic(d, sm);
    } catch (e) {
      problems.push(`${what}: rendering throws ${e?.name}: ${e?.message}`);
      continue;
    }
    if (typeof rendered !== 'string') problems.push(`${what}: renders as ${typeof rendered}`);
    else if (expected && !rendered.includes(expected)) problems.push(`${what}: rendering lacks '${expected}'`);
  }
  return problems;
}

/** A deep copy without spans, for comparing ASTs. */
function withoutSpans(value) {
  return JSON.stringify(value, (key, v) => (key === 'span' ? undefined : v));
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Inputs above this size skip the print round-trip (it would double their cost). */
const ROUND_TRIP_MAX = 64 * 1024;

/** parse → print → parse gives the same AST, and printing is a normal form. */
function printRoundTrip(api, data) {
  if (data.length > ROUND_TRIP_MAX) return null;
  let text = data;
  if (typeof data !== 'string') {
    try {
      text = fatalUtf8.decode(data);
    } catch {
      return null;
    }
  }
  let phase = 'parse';
  try {
    const first = api.parseWitFile(new api.SourceMap(), 'input.wit', text);
    if (first.diagnostics.length > 0 || !first.file) return null;
    phase = 'print';
    const printed = api.printWit(first.file);
    const second = api.parseWitFile(new api.SourceMap(), 'input.wit', printed);
    if (second.diagnostics.length > 0 || !second.file) {
      const d = second.diagnostics[0];
      return crash('print', new Error(`printed WIT does not parse: ${d?.message ?? 'no AST'}`), { printed });
    }
    if (withoutSpans(second.file) !== withoutSpans(first.file)) {
      return crash('print', new Error('printed WIT parses to a different AST'), { printed });
    }
    if (api.printWit(second.file) !== printed) return crash('print', new Error('printing is not a normal form'), { printed });
  } catch (e) {
    return crash(phase, e);
  }
  return null;
}

const ENCODINGS = ['utf8', 'utf16', 'latin1+utf16'];

/**
 * Emits bindings for (up to `maxWorlds`) worlds of the main package: `emitWorldModule` and every
 * plan printed; one input in `fullEvery` also goes through `generateWorld` (prettier formatting
 * too, which also proves the emitted TypeScript parses — slow, hence not always).
 */
async function checkEmit(api, resolve, main, index, { maxWorlds = 2, fullEvery = 8 } = {}) {
  const worlds = [...(resolve.packages[main]?.worlds.values() ?? [])].slice(0, maxWorlds);
  if (worlds.length === 0) return { emit: 'skipped' };
  const t = performance.now();
  const encoding = ENCODINGS[index % ENCODINGS.length];
  const full = index % fullEvery === 0;
  for (const w of worlds) {
    try {
      const module = api.emitWorldModule(resolve, w, { encoding });
      for (const p of module.plans) api.printPlan(p, resolve);
      // Formatting a big module costs seconds (prettier): only smaller ones go the whole way.
      if (full && module.source.length < 100_000) await api.generateWorld(resolve, w, { plans: true, encoding });
    } catch (e) {
      const emitMs = performance.now() - t;
      if (e instanceof api.PlanError || e instanceof api.WitError) return { emit: 'clean', emitMs, emitMessage: String(e.message).split('\n')[0] };
      return { emit: 'crash', emitMs, emitSignature: signature('emit', e), emitError: describeError(e), emitWorld: resolve.worlds[w]?.name, emitFull: full };
    }
  }
  return { emit: 'ok', emitMs: performance.now() - t };
}

/**
 * Runs one input. `scratch` is a directory this call may empty and fill.
 * Options: `emit` (run the emitter on resolved inputs), `roundTrip` (print round-trip).
 */
export async function checkInput(api, input, scratch, { emit = true, roundTrip = true } = {}, onPhase = () => {}) {
  const dir = join(scratch, 'in');
  const root = input.mode === 'source' ? null : layOut(input, dir);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const cpuMs = () => {
    const d = process.cpuUsage(c0);
    return (d.user + d.system) / 1000;
  };
  let loaded;
  let isInputPath;
  try {
    if (input.mode === 'source') {
      const file = input.files.find((f) => f.rel === input.root);
      const text = typeof file.data === 'string' ? file.data : new TextDecoder().decode(file.data);
      isInputPath = (p) => p === input.root;
      const r = api.loadWitSource([{ path: input.root, text }], input.options);
      loaded = { resolve: r.resolve, main: r.main };
    } else {
      isInputPath = (p) => p.startsWith(`${dir}/`);
      const r = await api.loadWitPath(root, input.options);
      loaded = { resolve: r.resolve, main: r.packages[r.packages.length - 1] };
    }
  } catch (e) {
    const loadMs = performance.now() - t0;
    const loadCpuMs = cpuMs();
    if (!(e instanceof api.WitError)) return { ...crash('load', e), loadMs, loadCpuMs };
    const problems = diagnosticProblems(api, e, isInputPath);
    if (problems.length > 0) {
      return { ...crash('diagnostic', new Error(problems[0])), problems: problems.slice(0, 10), loadMs, loadCpuMs };
    }
    const result = { outcome: 'diagnostics', loadMs, loadCpuMs, diagnostics: e.diagnostics.length, first: e.diagnostics[0].message };
    if (roundTrip) {
      const target = input.files.find((f) => f.rel === input.target);
      const bad = target ? printRoundTrip(api, target.data) : null;
      if (bad) return { ...bad, loadMs, loadCpuMs };
    }
    return result;
  }
  const loadMs = performance.now() - t0;
  const loadCpuMs = cpuMs();
  try {
    JSON.stringify(api.resolveToJson(loaded.resolve));
  } catch (e) {
    return { ...crash('json', e), loadMs, loadCpuMs };
  }
  if (roundTrip) {
    const target = input.files.find((f) => f.rel === input.target);
    const bad = target ? printRoundTrip(api, target.data) : null;
    if (bad) return { ...bad, loadMs, loadCpuMs };
  }
  const result = { outcome: 'ok', loadMs, loadCpuMs };
  if (!emit) return result;
  // The caller learns that the front end is done: a timeout from here on is the emitter's.
  onPhase('emit', result);
  return { ...result, ...(await checkEmit(api, loaded.resolve, loaded.main, input.index ?? 0)) };
}
