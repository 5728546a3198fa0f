/**
 * Machinery of the round-trip property (roundtrip.test.ts) and its focused regressions: build a
 * world (WIT → resolve → checked signatures → forwarding guest), generate and import its
 * bindings in an encoding, instantiate with a checking host, and run calls through it.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseWat } from '@bytecodealliance/jco-transpile/wasm-tools';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { StringEncoding } from '../../src/abi/instructions.js';
import { Planner } from '../../src/abi/plan.js';
import { generateWorld } from '../../src/generate.js';
import { ComponentError } from '../../src/runtime/index.js';
import { loadWitSource, selectWorld } from '../../src/wit/load.js';
import type { PackageId, Resolve } from '../../src/wit/model.js';
import { ROOT } from '../support/bindings.js';
import { guestWat, type GuestFunc } from './wat-guest.js';
import {
  coreSig,
  diff,
  funcArb,
  lowerCamel,
  makeWorld,
  mutate,
  recordAlign,
  recordSize,
  show,
  throwsResult,
  typeArb,
  valueArb,
  witFunc,
  worldWit,
  type FuncSpec,
  type Mutation,
  type Ty,
  type World,
} from './wit-gen.js';

export const SEED = Number(process.env.FC_SEED ?? 20240611);
export const RUNS = Number(process.env.FC_NUM_RUNS ?? 3);
export const MAX_FUNCS = Number(process.env.FC_FUNCS ?? 16);
/** Shrinking regenerates a module per step: off unless FC_SHRINK=1 (the failing case is printed either way). */
export const SHRINK = process.env.FC_SHRINK === '1';
const PKG = 'prop:rt';
const RUNTIME = join(ROOT, 'src/runtime/index.ts');
/** Generated modules, by the hash of their WIT and their encoding (content-addressed: files stay valid across runs). */
const OUT = join(ROOT, '.cache/test-gen/property');

/** One call of a function: the args, the result the host returns, where to put a wrong value. */
export interface Call {
  readonly args: readonly unknown[];
  readonly result: unknown;
  /** [arg index pick, spot pick, wrong-value pick] (taken modulo the number of choices). */
  readonly bad: readonly [number, number, number];
}

export interface Case {
  readonly world: World;
  readonly calls: readonly (readonly Call[])[];
}

function callsArb(f: FuncSpec): fc.Arbitrary<Call[]> {
  const call = fc.record({
    args: fc.tuple(...f.params.map((p) => valueArb(p.ty))),
    result: f.result ? valueArb(f.result) : fc.constant(undefined),
    bad: fc.tuple(fc.nat(), fc.nat(), fc.nat()),
  });
  return fc.array(call, { minLength: 1, maxLength: 3 });
}

export const caseArb: fc.Arbitrary<Case> = fc
  .array(funcArb(typeArb({ depth: 3 })), { minLength: 1, maxLength: MAX_FUNCS })
  .map(makeWorld)
  .chain((world) =>
    fc.tuple(...world.funcs.map(callsArb)).map((calls): Case => ({ world, calls })),
  );

// ---------------------------------------------------------------------------------------------
// Building a case: WIT → resolve → (checked) signatures → guest module and bindings.

interface Built {
  readonly resolve: Resolve;
  readonly main: PackageId;
  readonly wit: string;
  readonly hash: string;
  readonly module: WebAssembly.Module;
}

const modules = new Map<string, Built>();

export async function build(world: World): Promise<Built> {
  const wit = worldWit(world, PKG);
  const hash = createHash('sha256').update(wit).digest('hex').slice(0, 16);
  const known = modules.get(hash);
  if (known) return known;
  const { resolve, main } = loadWitSource([{ path: 'w.wit', text: wit }]);
  const guestFuncs = checkSignatures(resolve, world);
  const bytes = await parseWat(guestWat(PKG, guestFuncs));
  const built = {
    resolve,
    main,
    wit,
    hash,
    module: await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>),
  };
  modules.set(hash, built);
  return built;
}

/**
 * The flat signatures and layouts the guest is built from, computed independently
 * (wit-gen.ts, from definitions.py) and checked against witbind's planner, flattener and layout.
 */
function checkSignatures(resolve: Resolve, world: World): GuestFunc[] {
  const planner = new Planner(resolve);
  const iface = resolve.interfaces.find((i) => i.name === 'guest')!;
  return world.funcs.map((f) => {
    const func = iface.functions.get(f.name)!;
    const lift = coreSig(f, 'lift');
    const lower = coreSig(f, 'lower');
    const exp = planner.plan(func, 'export', { encoding: 'utf8', coreName: f.name });
    const imp = planner.plan(func, 'import', { encoding: 'utf8', coreName: f.name });
    const where = `${f.name}: ${show({ params: f.params.length })}`;
    expect(
      { params: exp.coreParams, results: exp.coreResults },
      `${where} export signature`,
    ).toEqual({ params: lift.params, results: lift.results });
    expect(
      { params: imp.coreParams, results: imp.coreResults },
      `${where} import signature`,
    ).toEqual({ params: lower.params, results: lower.results });
    expect([exp.spilledParams, exp.spilledResults]).toEqual([
      lift.spilledParams,
      lift.spilledResults,
    ]);
    f.params.forEach((p, i) => {
      const t = func.params[i]!.type;
      expect(planner.sizes.layout(t), `${f.name}(${p.name}) layout`).toEqual({
        size: recordSize([p.ty]),
        align: recordAlign([p.ty]),
      });
    });
    const paramTys = f.params.map((p) => p.ty);
    const tuple = planner.sizes.recordLayout(func.params.map((p) => p.type));
    expect(tuple, `${f.name} params tuple layout`).toEqual({
      size: recordSize(paramTys),
      align: recordAlign(paramTys),
    });
    const results = f.result ? [f.result] : [];
    return {
      name: f.name,
      lift,
      lower,
      resultSize: recordSize(results),
      resultAlign: recordAlign(results),
    };
  });
}

export async function bindings(built: Built, encoding: StringEncoding): Promise<any> {
  const worldId = selectWorld(built.resolve, built.main, 'w');
  const files = await generateWorld(built.resolve, worldId, { encoding, runtime: RUNTIME });
  const dir = join(OUT, `${built.hash}-${encoding.replace('+', '-')}`);
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'w.ts');
  await writeFile(file, files.get('w.ts')!);
  return import(file);
}

interface Guest {
  readonly ex: any;
  readonly raw: WebAssembly.Exports;
  readonly host: HostState;
}

interface HostState {
  /** What the next host call must receive and return; null when no call is expected. */
  expect: {
    readonly fi: number;
    readonly args: readonly unknown[];
    readonly result: unknown;
  } | null;
  calls: number;
  readonly problems: string[];
  /** Runs when the host implementation is about to answer. */
  beforeReturn?: () => void;
  /** The guest's memory: lifted values must not be views of it. */
  memory?: WebAssembly.Memory;
}

export async function instantiate(mod: any, built: Built, world: World): Promise<Guest> {
  const host: HostState = { expect: null, calls: 0, problems: [] };
  const api: Record<string, (...args: unknown[]) => unknown> = {};
  world.funcs.forEach((f, fi) => {
    api[lowerCamel(f.name)] = (...got: unknown[]) => {
      host.calls++;
      const e = host.expect;
      if (e === null || e.fi !== fi) {
        host.problems.push(`${f.name}: unexpected host call`);
        throw new Error('unexpected host call');
      }
      if (got.length !== f.params.length) host.problems.push(`${f.name}: ${got.length} args`);
      f.params.forEach((p, i) => {
        const d = diff(p.ty, got[i], e.args[i], `${f.name}(${p.name})`);
        if (d) host.problems.push(`host received ${d}`);
      });
      if (host.memory && viewsOf(got, host.memory.buffer))
        host.problems.push(`${f.name}: an arg lifted as a view of guest memory`);
      host.beforeReturn?.();
      return hostReturn(f, e.result);
    };
  });
  const link = mod.createCoreImports({ [`${PKG}/host`]: api });
  const instance = await WebAssembly.instantiate(built.module, link.imports);
  host.memory = instance.exports.memory as WebAssembly.Memory;
  return { ex: mod.bindCore(instance.exports, link), raw: instance.exports, host };
}

/** Whether `v` holds a typed array viewing `buffer` (lifting must copy out of guest memory). */
function viewsOf(v: unknown, buffer: ArrayBufferLike): boolean {
  if (ArrayBuffer.isView(v)) return v.buffer === buffer;
  if (v instanceof Map) return [...v].some(([k, x]) => viewsOf(k, buffer) || viewsOf(x, buffer));
  if (Array.isArray(v)) return v.some((x) => viewsOf(x, buffer));
  if (typeof v === 'object' && v !== null) return Object.values(v).some((x) => viewsOf(x, buffer));
  return false;
}

/** The host returns the result value; a function result `result<T, E>` returns T or throws E. */
function hostReturn(f: FuncSpec, value: unknown): unknown {
  if (!throwsResult(f)) return value;
  const r = value as { tag: string; val?: unknown };
  if (r.tag === 'ok') return r.val;
  throw new ComponentError(r.val);
}

const global = (raw: WebAssembly.Exports, name: string) =>
  (raw[name] as WebAssembly.Global).value as number;
const memoryBytes = (raw: WebAssembly.Exports) =>
  new Uint8Array((raw.memory as WebAssembly.Memory).buffer).slice();

// ---------------------------------------------------------------------------------------------
// The properties.

/** What the runs covered (printed by the test with FC_STATS=1). */
export const stats = {
  worlds: 0,
  calls: 0,
  rejected: 0,
  rangeErrors: 0,
  spilledParams: 0,
  spilledResults: 0,
  componentErrors: 0,
  memoryGrown: 0,
  kinds: {} as Record<string, number>,
};

function countKinds(t: Ty): void {
  const k =
    t.k === 'prim'
      ? t.p
      : t.k === 'flags'
        ? `flags${t.flags.length <= 8 ? 8 : t.flags.length <= 16 ? 16 : 32}`
        : t.k;
  stats.kinds[k] = (stats.kinds[k] ?? 0) + 1;
  if ((t.k === 'variant' || t.k === 'enum') && t.cases.length > 256)
    stats.kinds['u16 discriminant'] = (stats.kinds['u16 discriminant'] ?? 0) + 1;
  switch (t.k) {
    case 'list':
    case 'fixed':
    case 'option':
      return countKinds(t.el);
    case 'map':
      countKinds(t.key);
      return countKinds(t.val);
    case 'tuple':
      return t.els.forEach(countKinds);
    case 'result':
      if (t.ok) countKinds(t.ok);
      if (t.err) countKinds(t.err);
      return;
    case 'record':
      return t.fields.forEach((f) => countKinds(f.ty));
    case 'variant':
      return t.cases.forEach((c) => c.ty && countKinds(c.ty));
    case 'alias':
      return countKinds(t.ty);
    default:
      return;
  }
}

export async function roundTrip(c: Case, encoding: StringEncoding): Promise<void> {
  const built = await build(c.world);
  const mod = await bindings(built, encoding);
  const g = await instantiate(mod, built, c.world);
  stats.worlds++;
  let posts = 0;
  for (const [fi, f] of c.world.funcs.entries()) {
    const fn = g.ex.guest[lowerCamel(f.name)] as (...a: unknown[]) => unknown;
    const sig = coreSig(f, 'lift');
    f.params.forEach((p) => countKinds(p.ty));
    if (f.result) countKinds(f.result);
    for (const call of c.calls[fi]!) {
      stats.calls++;
      if (sig.spilledParams) stats.spilledParams++;
      if (sig.spilledResults) stats.spilledResults++;
      const where = `${f.name}(${f.params.map((p) => p.name).join(', ')}) with ${show(call.args)}`;
      if (f.params.length > 0) badArgument(g, f, fn, call, where);
      g.host.expect = { fi, args: call.args, result: call.result };
      const before = g.host.calls;
      let got: unknown;
      let thrown: unknown = undefined;
      try {
        got = fn(...call.args);
      } catch (e) {
        thrown = e;
      }
      g.host.expect = null;
      if (thrown !== undefined && !(thrown instanceof ComponentError)) {
        throw new Error(
          `${witFunc(f)} threw ${String(thrown)}\n  args: ${show(call.args)}\n  host: ${g.host.problems.join('; ')}`,
          { cause: thrown },
        );
      }
      expect(g.host.problems, where).toEqual([]);
      expect(g.host.calls - before, `${where}: host calls`).toBe(1);
      checkResult(f, call.result, got, thrown, where);
      expect(
        viewsOf(got, (g.raw.memory as WebAssembly.Memory).buffer),
        `${where}: result is a view of guest memory`,
      ).toBe(false);
      if (thrown !== undefined) stats.componentErrors++;
      posts++;
      expect(global(g.raw, 'posts'), `${where}: post-return calls`).toBe(posts);
    }
  }
  if ((g.raw.memory as WebAssembly.Memory).buffer.byteLength > 65536) stats.memoryGrown++;
}

/** The export's answer: the result value, or for a `result` function its `ok` value or thrown `err`. */
function checkResult(
  f: FuncSpec,
  want: unknown,
  got: unknown,
  thrown: unknown,
  where: string,
): void {
  const r = throwsResult(f);
  if (r) {
    const w = want as { tag: string; val?: unknown };
    if (w.tag === 'ok') {
      if (thrown !== undefined) throw thrown;
      const d = r.ok
        ? diff(r.ok, got, w.val, 'result')
        : got === undefined
          ? null
          : `result: ${show(got)} for an ok without payload`;
      expect(d, where).toBeNull();
    } else {
      expect(thrown, `${where}: err must throw ComponentError`).toBeInstanceOf(ComponentError);
      const payload = (thrown as ComponentError).payload;
      const d = r.err
        ? diff(r.err, payload, w.val, 'payload')
        : payload === undefined
          ? null
          : `payload ${show(payload)}`;
      expect(d, where).toBeNull();
    }
    return;
  }
  if (thrown !== undefined) throw thrown;
  if (!f.result) expect(got, where).toBeUndefined();
  else expect(diff(f.result, got, want, 'result'), where).toBeNull();
}

/** A wrong value in one argument: the right error, naming the path, before touching the guest. */
function badArgument(
  g: Guest,
  f: FuncSpec,
  fn: (...a: unknown[]) => unknown,
  call: Call,
  where: string,
): void {
  const ai = call.bad[0] % f.params.length;
  const p = f.params[ai]!;
  const m = mutate(p.ty, call.args[ai], lowerCamel(p.name), [call.bad[1], call.bad[2]]);
  const args = call.args.map((a, i) => (i === ai ? m.value : a));
  const memory = memoryBytes(g.raw);
  const bump = global(g.raw, 'bump');
  const reallocs = global(g.raw, 'reallocs');
  expectRejected(() => fn(...args), m, `${where}, arg ${p.name} made wrong at ${m.path}`);
  stats.rejected++;
  if (m.error === 'RangeError') stats.rangeErrors++;
  expect(global(g.raw, 'bump'), `${where}: bump pointer after a rejected value`).toBe(bump);
  expect(global(g.raw, 'reallocs'), `${where}: realloc calls after a rejected value`).toBe(
    reallocs,
  );
  expect(
    Buffer.compare(memoryBytes(g.raw), memory),
    `${where}: guest memory after a rejected value`,
  ).toBe(0);
}

/** The error must be `m.error` and its message start with `<path>: ` for one of `paths` (default `m.path`). */
function expectRejected(
  run: () => unknown,
  m: Mutation,
  where: string,
  paths: readonly string[] = [m.path],
): void {
  let thrown: unknown = undefined;
  try {
    run();
  } catch (e) {
    thrown = e;
  }
  const E = m.error === 'TypeError' ? TypeError : RangeError;
  expect(thrown, `${where}: expected a ${m.error}`).toBeInstanceOf(E);
  const message = (thrown as Error).message;
  expect(
    paths.some((p) => message.startsWith(`${p}: `)),
    `${where}: message ${JSON.stringify(message)} must start with ${paths.map((p) => JSON.stringify(`${p}: `)).join(' or ')}`,
  ).toBe(true);
}

/**
 * A wrong value returned (or thrown as a `result` error) by the host: the export call fails with
 * the error naming `<func>() result…`. The instance is poisoned afterwards, so each check uses a
 * fresh one.
 */
export async function badResults(c: Case, encoding: StringEncoding): Promise<void> {
  const built = await build(c.world);
  const mod = await bindings(built, encoding);
  for (const [fi, f] of c.world.funcs.entries()) {
    if (!f.result) continue;
    const call = c.calls[fi]![0]!;
    const r = throwsResult(f);
    let m: Mutation;
    let returned: unknown;
    let paths: string[] | undefined;
    if (r) {
      const w = call.result as { tag: string; val?: unknown };
      const payload = w.tag === 'ok' ? r.ok : r.err;
      if (!payload) continue; // a payload-less case has no value to get wrong
      m = mutate(payload, w.val, '$', [call.bad[1], call.bad[2]]);
      returned = { tag: w.tag, val: m.value };
      // The host returned `ok`'s payload itself, or threw a ComponentError carrying `err`'s: the
      // path names that (`f() result…` / `f() ComponentError payload…`), not the `{ tag, val }`
      // the wrapper makes of it.
      const named = w.tag === 'ok' ? `${f.name}() result` : `${f.name}() ComponentError payload`;
      paths = [m.path.replace('$', named)];
    } else {
      m = mutate(f.result, call.result, `${f.name}() result`, [call.bad[1], call.bad[2]]);
      returned = m.value;
    }
    const g = await instantiate(mod, built, c.world);
    g.host.expect = { fi, args: call.args, result: returned };
    // What guest memory held when the host answered: the wrong answer must not change it.
    let before: { memory: Uint8Array; bump: number; reallocs: number } | null = null;
    g.host.beforeReturn = () => {
      before = {
        memory: memoryBytes(g.raw),
        bump: global(g.raw, 'bump'),
        reallocs: global(g.raw, 'reallocs'),
      };
    };
    const fn = g.ex.guest[lowerCamel(f.name)] as (...a: unknown[]) => unknown;
    const where = `${f.name} returning ${show(returned)}`;
    expectRejected(() => fn(...call.args), m, where, paths);
    expect(g.host.problems).toEqual([]);
    const b = before as { memory: Uint8Array; bump: number; reallocs: number } | null;
    expect(b, `${where}: the host was called`).not.toBeNull();
    expect(global(g.raw, 'bump'), `${where}: bump pointer`).toBe(b!.bump);
    expect(global(g.raw, 'reallocs'), `${where}: realloc calls`).toBe(b!.reallocs);
    expect(Buffer.compare(memoryBytes(g.raw), b!.memory), `${where}: guest memory`).toBe(0);
  }
}
