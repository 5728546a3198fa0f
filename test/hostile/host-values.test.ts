/**
 * Host mistakes: wrong values at every nesting depth, as a core module and as a component.
 *
 * A world of functions `f<i>(v: T) -> T`, one per depth d (1 … 10), where `T` nests d containers
 * (list, option, result, record, variant, tuple, fixed-length list, map — chosen at random,
 * fast-check with a fixed seed) around a primitive, enum or flags; the guest is the property
 * tests' forwarding guest (test/property/wat-guest.ts): each export calls the import of the same
 * name. Values reach the innermost level (every option is some, every list has elements, the
 * variant takes its nested case).
 *
 * - Arguments: every position of the value, at every depth, replaced by every kind of wrong
 *   value the property generators know (test/property/wit-gen.ts `mutate`) must be rejected with
 *   a TypeError/RangeError whose message starts with the argument's path — before any guest
 *   memory is touched (memory bytes and realloc calls unchanged) — and the instance stays usable.
 * - Results: the host import returning a value wrong at its deepest position fails the export
 *   with the path of the result (`f3() result…`), guest memory as it was when the host answered.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { componentEmbed, componentNew } from '@bytecodealliance/jco';
import { parse as parseWat } from '@bytecodealliance/jco-transpile/wasm-tools';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantiateComponentCore } from '../../src/runtime/component.js';
import type { CoreInstance } from '../../src/runtime/instance.js';
import { loadBindings, ROOT } from '../support/bindings.js';
import { guestWat } from '../property/wat-guest.js';
import {
  coreSig,
  diff,
  lowerCamel,
  makeWorld,
  mutate,
  optionTagged,
  prim,
  recordAlign,
  recordSize,
  show,
  valueArb,
  worldWit,
  type FuncSpec,
  type Mutation,
  type Ty,
  type World,
} from '../property/wit-gen.js';
import { MODES, type Mode } from './guest.js';

const SEED = Number(process.env.FC_SEED ?? 20241121);
const DEPTHS = [1, 2, 3, 4, 5, 6, 7, 8, 10];
const PKG = 'hostile:deep';

const leafArb: fc.Arbitrary<Ty> = fc.oneof(
  fc.constantFrom('bool', 'u8', 's16', 'u32', 's64', 'f32', 'f64', 'char', 'string').map((p) => prim(p as never)),
  fc.constant<Ty>({ k: 'enum', name: '', cases: ['red', 'green', 'blue'] }),
  fc.constant<Ty>({ k: 'flags', name: '', flags: ['a', 'b', 'c'] }),
);

/** A type nesting exactly `depth` containers (none of them a `result` at the top). */
function nestedArb(depth: number, top = true): fc.Arbitrary<Ty> {
  if (depth === 0) return leafArb;
  const inner = nestedArb(depth - 1, false);
  const kinds: fc.Arbitrary<Ty>[] = [
    inner.map((el): Ty => ({ k: 'list', el })),
    inner.map((el): Ty => ({ k: 'option', el })),
    fc.tuple(inner, leafArb).map(([t, l]): Ty => ({ k: 'record', name: '', fields: [{ name: 'a', ty: l }, { name: 'deep', ty: t }] })),
    inner.map((t): Ty => ({ k: 'variant', name: '', cases: [{ name: 'none', ty: null }, { name: 'deep', ty: t }] })),
    fc.tuple(leafArb, inner).map(([l, t]): Ty => ({ k: 'tuple', els: [l, t] })),
    inner.map((el): Ty => ({ k: 'fixed', el, n: 2 })),
    inner.map((val): Ty => ({ k: 'map', key: prim('string'), val })),
  ];
  if (!top) {
    kinds.push(
      fc.tuple(inner, fc.boolean()).map(([t, ok]): Ty => (ok ? { k: 'result', ok: t, err: prim('string') } : { k: 'result', ok: null, err: t })),
    );
  }
  return fc.oneof(...kinds);
}

/** A valid value of `t` that reaches the innermost level everywhere. */
function deepValue(t: Ty, leaf: (t: Ty) => unknown): unknown {
  switch (t.k) {
    case 'list':
      return [deepValue(t.el, leaf), deepValue(t.el, leaf)];
    case 'fixed':
      return Array.from({ length: t.n }, () => deepValue(t.el, leaf));
    case 'option': {
      const v = deepValue(t.el, leaf);
      return optionTagged(t) ? { tag: 'some', val: v } : v;
    }
    case 'result':
      return t.ok ? { tag: 'ok', val: deepValue(t.ok, leaf) } : { tag: 'err', val: deepValue(t.err!, leaf) };
    case 'record':
      return { a: leaf(t.fields[0]!.ty), deep: deepValue(t.fields[1]!.ty, leaf) };
    case 'variant':
      return { tag: 'deep', val: deepValue(t.cases[1]!.ty!, leaf) };
    case 'tuple':
      return [leaf(t.els[0]!), deepValue(t.els[1]!, leaf)];
    case 'map':
      return new Map([['k', deepValue(t.val, leaf)]]);
    default:
      return leaf(t);
  }
}

/** Path segments: how deep a mutation sits. */
const depthOf = (path: string) => (path.match(/\.|\[| key /g) ?? []).length;

/**
 * The segments of the path of the innermost position of `t`: one per container, except an
 * option that is not tagged (`T | undefined`: its payload is checked at the option's own path).
 */
function innermost(t: Ty): number {
  switch (t.k) {
    case 'list':
    case 'fixed':
      return 1 + innermost(t.el);
    case 'option':
      return (optionTagged(t) ? 1 : 0) + innermost(t.el);
    case 'result':
      return 1 + innermost((t.ok ?? t.err)!);
    case 'record':
      return 1 + innermost(t.fields[1]!.ty);
    case 'variant':
      return 1 + innermost(t.cases[1]!.ty!);
    case 'tuple':
      return 1 + innermost(t.els[1]!);
    case 'map':
      return 1 + innermost(t.val);
    default:
      return 0;
  }
}

/** Every distinct mutation of `value` the generators make (all positions × all wrong values). */
function allMutations(t: Ty, value: unknown, path: string): Mutation[] {
  const seen = new Map<string, Mutation>();
  for (let spot = 0; spot < 96; spot++) {
    for (let wrong = 0; wrong < 8; wrong++) {
      const m = mutate(t, value, path, [spot, wrong]);
      const key = `${m.path}|${m.error}|${show(m.value)}`;
      if (!seen.has(key)) seen.set(key, m);
    }
  }
  return [...seen.values()];
}

interface Built {
  readonly world: World;
  readonly mod: any;
  readonly core: WebAssembly.Module;
  readonly component: unknown;
  readonly values: unknown[];
}

let built: Built;
/** Wrong values tried (arguments, results), for the summary line. */
const tried = { args: 0, results: 0 };
afterAll(() => {
  console.log(`[host values] ${tried.args} wrong arguments and ${tried.results} wrong results rejected with their paths (depths ${DEPTHS.join(', ')})`);
});

beforeAll(async () => {
  const rnd = fc.sample(fc.tuple(...DEPTHS.map((d) => nestedArb(d)), fc.tuple(...Array.from({ length: 8 }, () => fc.nat()))), {
    seed: SEED,
    numRuns: 1,
  })[0]!;
  const types = rnd.slice(0, DEPTHS.length) as Ty[];
  const specs: FuncSpec[] = types.map((ty, i) => ({ name: `f${i}`, params: [{ name: 'v', ty }], result: ty }));
  const world = makeWorld(specs);
  const wit = worldWit(world, PKG);
  const hash = createHash('sha256').update(wit).digest('hex').slice(0, 12);
  const dir = join(ROOT, '.cache/hostile-deep');
  await mkdir(dir, { recursive: true });
  const witPath = join('.cache/hostile-deep', `${hash}.wit`);
  await writeFile(join(ROOT, witPath), wit);
  const mod = await loadBindings(witPath, { name: `hostile-deep-${hash}` });
  const wat = guestWat(
    PKG,
    world.funcs.map((f) => ({
      name: f.name,
      lift: coreSig(f, 'lift'),
      lower: coreSig(f, 'lower'),
      resultSize: recordSize([f.result!]),
      resultAlign: recordAlign([f.result!]),
    })),
  );
  const bytes = await parseWat(wat);
  const core = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  const component = await mod.compileComponent(
    await componentNew(await componentEmbed({ binary: bytes, witSource: wit, world: 'w', stringEncoding: 'utf8' })),
  );
  // Leaf values from the property generators, one stream per function.
  let n = 0;
  const leaf = (t: Ty) => fc.sample(valueArb(t), { seed: SEED + n++, numRuns: 1 })[0];
  const values = world.funcs.map((f) => deepValue(f.params[0]!.ty, leaf));
  built = { world, mod, core, component, values };
}, 120_000);

interface Guest {
  readonly ex: any;
  readonly state: CoreInstance;
  readonly memory: WebAssembly.Memory;
  /** realloc calls so far (the instance's realloc, wrapped). */
  reallocs(): number;
  /** What each host function returns next (by function index). */
  readonly answers: unknown[];
  /** Runs when a host function is about to answer. */
  beforeReturn?: () => void;
}

async function instantiate(mode: Mode): Promise<Guest> {
  const g: Partial<Guest> & { answers: unknown[] } = { answers: [] };
  const api: Record<string, (v: unknown) => unknown> = {};
  built.world.funcs.forEach((f, i) => {
    api[lowerCamel(f.name)] = () => {
      g.beforeReturn?.();
      return g.answers[i];
    };
  });
  const link = built.mod.createCoreImports({ [`${PKG}/host`]: api });
  let exports: Record<string, unknown>;
  if (mode === 'core') {
    exports = (await WebAssembly.instantiate(built.core, link.imports)).exports;
  } else {
    exports = await instantiateComponentCore(built.component as never, link.imports, link.state, { encoding: 'utf8' });
  }
  const ex = built.mod.bindCore(exports, link);
  const state = link.state as CoreInstance;
  let reallocs = 0;
  const realloc = state.realloc;
  state.realloc = (...a) => {
    reallocs++;
    return realloc(...a);
  };
  return Object.assign(g, { ex, state, memory: exports.memory as WebAssembly.Memory, reallocs: () => reallocs }) as Guest;
}

function expectRejected(run: () => unknown, m: Mutation, where: string): void {
  let thrown: unknown;
  try {
    run();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, `${where}: expected a ${m.error}`).toBeInstanceOf(m.error === 'TypeError' ? TypeError : RangeError);
  const message = (thrown as Error).message;
  expect(message.startsWith(`${m.path}: `), `${where}: ${JSON.stringify(message)} must start with ${JSON.stringify(`${m.path}: `)}`).toBe(true);
}

for (const mode of MODES) {
  describe(`wrong host values at every nesting depth (${mode})`, () => {
    DEPTHS.forEach((depth, fi) => {
      it(`depth ${depth}: every position, every wrong value, in the argument — rejected with its path, guest memory untouched`, async () => {
        const g = await instantiate(mode);
        const f = built.world.funcs[fi]!;
        const fn = g.ex.guest[lowerCamel(f.name)] as (v: unknown) => unknown;
        const value = built.values[fi];
        const mutations = allMutations(f.params[0]!.ty, value, 'v');
        expect(Math.max(...mutations.map((m) => depthOf(m.path)))).toBe(innermost(f.params[0]!.ty));
        for (const m of mutations) {
          const memory = new Uint8Array(g.memory.buffer).slice();
          const reallocs = g.reallocs();
          expectRejected(() => fn(m.value), m, `${f.name}(${show(m.value)})`);
          tried.args++;
          expect(g.reallocs(), `${m.path}: realloc calls`).toBe(reallocs);
          expect(Buffer.compare(new Uint8Array(g.memory.buffer), memory), `${m.path}: guest memory`).toBe(0);
        }
        // Still usable: the valid value goes through guest and host and back.
        g.answers[fi] = value;
        expect(diff(f.result!, fn(value), value, 'result')).toBeNull();
        expect(g.state.poisoned).toBeUndefined();
      });

      it(`depth ${depth}: the host import returning a value wrong at its deepest position — the result's path, guest memory as the host left it`, async () => {
        const f = built.world.funcs[fi]!;
        const value = built.values[fi];
        const all = allMutations(f.result!, value, `${lowerCamel(f.name)}() result`);
        const deepest = Math.max(...all.map((m) => depthOf(m.path)));
        expect(deepest).toBe(innermost(f.result!));
        for (const m of all.filter((x) => depthOf(x.path) === deepest).slice(0, 4)) {
          const g = await instantiate(mode);
          const fn = g.ex.guest[lowerCamel(f.name)] as (v: unknown) => unknown;
          g.answers[fi] = m.value;
          let before: { memory: Uint8Array; reallocs: number } | undefined;
          g.beforeReturn = () => {
            before = { memory: new Uint8Array(g.memory.buffer).slice(), reallocs: g.reallocs() };
          };
          expectRejected(() => fn(value), m, `${f.name} returning ${show(m.value)}`);
          tried.results++;
          expect(before, 'the host was called').toBeDefined();
          expect(g.reallocs()).toBe(before!.reallocs);
          expect(Buffer.compare(new Uint8Array(g.memory.buffer), before!.memory)).toBe(0);
          // The guest was stopped mid-call: the instance refuses further calls.
          expect(() => fn(value)).toThrow(/trapped earlier/);
        }
      });
    });
  });
}
