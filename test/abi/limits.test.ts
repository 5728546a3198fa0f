/**
 * Limits of the planner and emitters (src/abi/limits.ts), from WIT-fuzzer findings:
 *
 * - `list<T, N>` is not unrolled per element: flat counts are arithmetic, a long fixed list in
 *   memory is a loop (`fixedListStore`/`fixedListLoad`), its TS type `T[] & { length: N }`, its
 *   validator a loop; sizes beyond a 32-bit memory are refused with a PlanError.
 * - Alias chains thousands long work (dealiased iteratively); types nested deeper than
 *   MAX_TYPE_DEPTH, or expanding to more than MAX_TYPE_WEIGHT plan nodes, are refused with a
 *   PlanError instead of overflowing the stack or hanging.
 *
 * Round trips go through the property harness (generated bindings, a forwarding WAT guest, every
 * string encoding, wrong arguments rejected with their path).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Flattener } from '../../src/abi/flatten.js';
import { blocksOf } from '../../src/abi/machine.js';
import type { Instruction, StringEncoding } from '../../src/abi/instructions.js';
import { FIXED_LIST_UNROLL, MAX_TYPE_DEPTH, MAX_TYPE_WEIGHT } from '../../src/abi/limits.js';
import { PlanError, Planner, type FunctionPlan } from '../../src/abi/plan.js';
import { generateWorld } from '../../src/generate.js';
import { loadWitSource, selectWorld } from '../../src/wit/load.js';
import type { Func, Resolve } from '../../src/wit/model.js';
import { bindings, build, instantiate, roundTrip, type Call } from '../property/harness.js';
import { makeWorld, prim, worldWit, type FuncSpec, type Ty } from '../property/wit-gen.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENCODINGS: readonly StringEncoding[] = ['utf8', 'utf16', 'latin1+utf16'];

/** Loads `body` as interface `i` of package `t:l`, imported and exported by world `w`. */
function load(body: string): { resolve: Resolve; funcs: Map<string, Func>; generate: () => Promise<Map<string, string>> } {
  const text = `package t:l;\ninterface i {\n${body}\n}\nworld w {\n  import i;\n  export i;\n}\n`;
  const { resolve, main } = loadWitSource([{ path: 'l.wit', text }]);
  const iface = resolve.interfaces.find((x) => x.name === 'i')!;
  return {
    resolve,
    funcs: iface.functions,
    generate: () => generateWorld(resolve, selectWorld(resolve, main, 'w')) as Promise<Map<string, string>>,
  };
}

function planBoth(resolve: Resolve, f: Func): FunctionPlan[] {
  const planner = new Planner(resolve);
  return (['export', 'import'] as const).map((d) => planner.plan(f, d, { encoding: 'utf8', coreName: f.name }));
}

/** Instructions of a plan, blocks included. */
function count(body: readonly Instruction[]): number {
  let n = 0;
  for (const i of body) n += 1 + blocksOf(i).reduce((a, b) => a + count(b.body), 0);
  return n;
}

function ops(body: readonly Instruction[], into = new Set<string>()): Set<string> {
  for (const i of body) {
    into.add(i.op);
    for (const b of blocksOf(i)) ops(b.body, into);
  }
  return into;
}

function planError(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(PlanError);
    return (e as Error).message;
  }
  throw new Error('expected a PlanError');
}

async function generateError(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (e) {
    expect(e).toBeInstanceOf(PlanError);
    return (e as Error).message;
  }
  throw new Error('expected a PlanError');
}

describe('fixed-length lists are not unrolled per element', () => {
  it('list<u8, 4294967295> (the largest N WIT allows, exactly 4 GiB − 1 bytes) plans as a loop', async () => {
    const { resolve, funcs, generate } = load('  f: func(x: list<u8, 4294967295>) -> list<u8, 4294967295>;');
    for (const plan of planBoth(resolve, funcs.get('f')!)) {
      expect(plan.spilledParams).toBe(true);
      expect(plan.spilledResults).toBe(true);
      expect(count(plan.body)).toBeLessThan(60);
      const seen = ops(plan.body);
      expect(seen.has('fixedListStore') && seen.has('fixedListLoad')).toBe(true);
      expect(seen.has('fixedListElem') || seen.has('fixedListLift')).toBe(false);
    }
    const code = (await generate()).get('w.ts')!;
    expect(code).toContain('number[] & { length: 4294967295 }');
    expect(code).toContain('< 4294967295;');
    expect(code.length).toBeLessThan(200_000);
  });

  it('flat counts are arithmetic: list<u8, 10000000> is counted, not built', () => {
    const { resolve, funcs } = load('  type big = list<u8, 10000000>;\n  f: func(x: big) -> big;');
    const flat = new Flattener(resolve);
    const big = funcs.get('f')!.params[0]!.type;
    expect(flat.count(big)).toBe(10_000_000);
    expect(flat.flattenUpTo([big], 16)).toBeNull();
    expect(planError(() => flat.flatten(big))).toMatch(/`big` flattens to 10000000 core values/);
    const [exp, imp] = planBoth(resolve, funcs.get('f')!);
    expect(exp!.coreParams).toEqual(['i32']);
    expect(exp!.coreResults).toEqual(['i32']);
    expect(imp!.coreParams).toEqual(['i32', 'i32']);
    expect(imp!.coreResults).toEqual([]);
  });

  it('nested fixed lists do not multiply: list<list<u16, 1000>, 1000> is two nested loops', async () => {
    const { resolve, funcs, generate } = load('  f: func(x: list<list<u16, 1000>, 1000>) -> option<list<list<u16, 1000>, 1000>>;');
    for (const plan of planBoth(resolve, funcs.get('f')!)) expect(count(plan.body)).toBeLessThan(80);
    const code = (await generate()).get('w.ts')!;
    expect(code).toContain('(number[] & { length: 1000 })[] & { length: 1000 }');
  });

  it('small fixed lists stay unrolled and spelled as tuples', async () => {
    const n = FIXED_LIST_UNROLL;
    const { resolve, funcs, generate } = load(`  f: func(x: list<u32, ${n}>) -> list<list<u8, 2>, 3>;`);
    for (const plan of planBoth(resolve, funcs.get('f')!)) {
      const seen = ops(plan.body);
      expect(seen.has('fixedListStore') || seen.has('fixedListLoad')).toBe(false);
    }
    const code = (await generate()).get('w.ts')!.replace(/\s+/g, '');
    expect(code).toContain(`x:[${Array.from({ length: n }, () => 'number').join(',')},]`);
    expect(code).toContain('[[number,number],[number,number],[number,number]]');
  });

  it('sizes beyond a 32-bit memory are refused with a PlanError naming the type', async () => {
    const { resolve, funcs, generate } = load(
      [
        '  record r { a: u32, b: list<u8, 4294967295> }',
        '  f: func(x: r);',
        '  g: func(x: list<list<u8, 65536>, 65536>);',
        '  h: func(a: list<u8, 4294967295>, b: u8);',
        '  k: func() -> list<list<u64, 4294967295>, 4294967295>;',
      ].join('\n'),
    );
    const planner = new Planner(resolve);
    const plan = (name: string) => () => planner.plan(funcs.get(name)!, 'export', { encoding: 'utf8', coreName: name });
    expect(planError(plan('f'))).toBe(
      'export `f`: param `x`: `r` takes 4294967300 bytes, more than a 32-bit memory holds (at most 4294967295)',
    );
    expect(planError(plan('g'))).toMatch(/^export `g`: param `x`: list<list<u8, 65536>, 65536> takes 4294967296 bytes, more than a 32-bit memory/);
    expect(planError(plan('h'))).toMatch(/^export `h`: the parameters take 4294967296 bytes together, more than a 32-bit memory/);
    expect(planError(plan('k'))).toMatch(/^export `k`: the result: .*takes \d+ bytes, more than a 32-bit memory/);
    expect(await generateError(generate)).toMatch(/more than a 32-bit memory/);
  });
});

describe('deep types', () => {
  /** `type t0 = <leaf>; type t1 = <wrap(t0)>; …` up to t<n>. */
  function chain(n: number, leaf: string, wrap: (prev: string, k: number) => string, use: (last: string) => string): string {
    const lines = [`  type t0 = ${leaf};`];
    for (let k = 1; k <= n; k++) lines.push(wrap(`t${k - 1}`, k));
    lines.push(use(`t${n}`));
    return lines.join('\n');
  }

  it('alias chains 2000 long plan, generate and run', async () => {
    const body = chain(2000, 'u32', (p, k) => `  type t${k} = ${p};`, (t) => `  record r { a: ${t}, b: list<${t}> }\n  type q = r;\n  f: func(x: ${t}, y: list<r>) -> ${t};`);
    const { resolve, funcs, generate } = load(body);
    for (const plan of planBoth(resolve, funcs.get('f')!)) expect(count(plan.body)).toBeLessThan(100);
    expect((await generate()).get('w.ts')).toContain('export type T2000 = I.T1999;');

    // And a round trip through a 2000-long alias chain (of a record with a fixed list).
    let ty: Ty = { k: 'record', name: '', fields: [{ name: 'a', ty: { k: 'fixed', el: prim('u16'), n: 40 } }, { name: 'b', ty: prim('string') }] };
    for (let k = 0; k < 2000; k++) ty = { k: 'alias', name: '', ty };
    const value = { a: Array.from({ length: 40 }, (_, i) => i * 1000), b: 'deep' };
    const f: FuncSpec = { name: '', params: [{ name: 'x', ty }], result: { k: 'list', el: ty } };
    const world = makeWorld([f]);
    await roundTrip({ world, calls: [[{ args: [value], result: [value, value], bad: [0, 3, 1] }]] }, 'utf8');
  }, 60_000);

  it(`nesting deeper than ${MAX_TYPE_DEPTH} levels through named types is refused with a PlanError`, async () => {
    const body = chain(2000, 'u8', (p, k) => `  type t${k} = list<${p}>;`, (t) => `  f: func(x: ${t});\n  g: func() -> option<${t}>;`);
    const { resolve, funcs, generate } = load(body);
    const planner = new Planner(resolve);
    expect(planError(() => planner.plan(funcs.get('f')!, 'export', { encoding: 'utf8', coreName: 'f' }))).toBe(
      'export `f`: param `x` (`t2000`): type nesting deeper than 100 levels is not supported (it nests 2000 levels deep)',
    );
    expect(planError(() => planner.plan(funcs.get('g')!, 'import', { encoding: 'utf8', coreName: 'g' }))).toMatch(
      /^import `g`: the result \(option<`t2000`>\): type nesting deeper than 100 levels is not supported/,
    );
    expect(await generateError(generate)).toMatch(/type nesting deeper than 100 levels/);

    // Records nested through named types, too.
    const recs = chain(3000, 'u8', (p, k) => `  record t${k} { a: ${p}, b: u8 }`, (t) => `  f: func(x: ${t});`);
    const r = load(recs);
    expect(planError(() => planBoth(r.resolve, r.funcs.get('f')!))).toMatch(/type nesting deeper than 100 levels/);
  });

  it(`exactly ${MAX_TYPE_DEPTH} levels is accepted`, async () => {
    const ok = load(chain(MAX_TYPE_DEPTH, 'u8', (p, k) => `  type t${k} = list<${p}>;`, (t) => `  f: func(x: ${t}) -> ${t};`));
    expect(planBoth(ok.resolve, ok.funcs.get('f')!)).toHaveLength(2);
    expect((await ok.generate()).get('w.ts')).toBeDefined();
    // `list<t100>` (inside the function's anonymous type) is one level more.
    const over = load(chain(MAX_TYPE_DEPTH, 'u8', (p, k) => `  type t${k} = list<${p}>;`, (t) => `  f: func(x: list<${t}>);`));
    expect(planError(() => planBoth(over.resolve, over.funcs.get('f')!))).toMatch(/it nests 101 levels deep/);
  });

  it(`types sharing named parts are refused beyond ${MAX_TYPE_WEIGHT} plan nodes`, async () => {
    // Each record holds its predecessor twice: small in WIT, 2^40 nodes once planned.
    const body = chain(40, 'u8', (p, k) => `  record t${k} { a: ${p}, b: ${p} }`, (t) => `  f: func(x: list<${t}>);`);
    const { resolve, funcs, generate } = load(body);
    expect(planError(() => planBoth(resolve, funcs.get('f')!))).toMatch(
      /^export `f`: param `x` \(list<`t40`>\): the type expands to more than 1000000 parts to lower or lift/,
    );
    expect(await generateError(generate)).toMatch(/expands to more than 1000000 parts/);
  });

  it('50 nested `list<…, 3>` in a `list<…>` are refused at once, not spelled 2^50 times', async () => {
    // Fuzz finding (seed 15 index 513): the TS type spelled `T[] & { length: 3 }` past 4096
    // characters, computing T twice per level: the emitter hung before the planner refused it.
    let t = 'u32';
    for (let k = 0; k < 50; k++) t = `list<${t}, 3>`;
    const { generate } = load(`  f: func(x: list<${t}>);`);
    const start = performance.now();
    expect(await generateError(generate)).toMatch(/expands to more than 1000000 parts/);
    expect(performance.now() - start).toBeLessThan(5000);
  });
});

describe('long fixed lists round-trip through generated code and a forwarding guest', () => {
  const u32s = (n: number, seed: number) => Array.from({ length: n }, (_, i) => ((i * 2654435761 + seed) >>> 0) % 4294967296);
  const fixed = (el: Ty, n: number): Ty => ({ k: 'fixed', el, n });
  const rec: Ty = { k: 'record', name: '', fields: [{ name: 'id', ty: prim('u32') }, { name: 'data', ty: fixed(prim('u32'), 1000) }] };
  const funcs: FuncSpec[] = [
    // Param spilled, result through a return area.
    { name: '', params: [{ name: 'x', ty: fixed(prim('u32'), 1000) }], result: fixed(prim('u32'), 1000) },
    // Inside a record inside a list (a loop in a loop), both ways.
    { name: '', params: [{ name: 'xs', ty: { k: 'list', el: rec } }], result: { k: 'list', el: rec } },
    // Strings (realloc per element), a variant payload, bools, nested long lists.
    {
      name: '',
      params: [
        { name: 's', ty: fixed(prim('string'), 17) },
        { name: 'o', ty: { k: 'option', el: fixed(prim('u16'), 20) } },
        { name: 'n', ty: fixed(fixed(prim('u8'), 20), 17) },
      ],
      result: { k: 'tuple', els: [fixed(prim('bool'), 33), { k: 'option', el: fixed(prim('s64'), 18) }] },
    },
  ];
  const calls: Call[][] = [
    [
      { args: [u32s(1000, 1)], result: u32s(1000, 7), bad: [0, 500, 0] },
      { args: [u32s(1000, 2)], result: u32s(1000, 8), bad: [0, 999, 1] },
    ],
    [
      {
        args: [[{ id: 1, data: u32s(1000, 3) }, { id: 2, data: u32s(1000, 4) }]],
        result: [{ id: 3, data: u32s(1000, 5) }],
        bad: [0, 1234, 2],
      },
      { args: [[]], result: [], bad: [0, 0, 0] },
    ],
    [
      {
        args: [
          Array.from({ length: 17 }, (_, i) => `s${i}é€😀`.repeat(i)),
          Array.from({ length: 20 }, (_, i) => i * 3000),
          Array.from({ length: 17 }, (_, i) => Array.from({ length: 20 }, (_, j) => (i * 20 + j) & 255)),
        ],
        result: [Array.from({ length: 33 }, (_, i) => i % 3 === 0), Array.from({ length: 18 }, (_, i) => BigInt(i) - 9n)],
        bad: [2, 77, 1],
      },
      {
        args: [Array.from({ length: 17 }, () => ''), undefined, Array.from({ length: 17 }, () => new Array(20).fill(0))],
        result: [new Array(33).fill(false), undefined],
        bad: [1, 5, 0],
      },
    ],
  ];

  for (const encoding of ENCODINGS) {
    it(encoding, async () => {
      await roundTrip({ world: makeWorld(funcs), calls }, encoding);
    }, 60_000);
  }

  it('wrong values are refused with their path (loop validators)', async () => {
    const world = makeWorld(funcs);
    const built = await build(world);
    const g = await instantiate(await bindings(built, 'utf8'), built, world);
    const f0 = g.ex.guest.f0 as (x: unknown) => unknown;
    const f1 = g.ex.guest.f1 as (x: unknown) => unknown;
    const message = (run: () => unknown): string => {
      try {
        run();
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        return (e as Error).message;
      }
      throw new Error('expected an error');
    };
    expect(message(() => f0(u32s(999, 1)))).toMatch(/^x: expected list of length 1000, got /);
    const bad = u32s(1000, 1);
    bad[777] = -1;
    expect(message(() => f0(bad))).toMatch(/^x\[777\]: expected u32\b/);
    expect(message(() => f1([{ id: 1, data: u32s(1000, 1) }, { id: 2, data: [...u32s(999, 1), 'x'] }]))).toMatch(
      /^xs\[1\]\.data\[999\]: expected u32\b/,
    );
  });

  it('the generated code type-checks with tsc --strict', async () => {
    const world = makeWorld(funcs);
    const text = worldWit(world, 'lim:rt');
    const { resolve, main } = loadWitSource([{ path: 'w.wit', text }]);
    const files = await generateWorld(resolve, selectWorld(resolve, main, 'w'), { runtime: 'witbind/runtime' });
    const dir = join(ROOT, '.cache/test-gen/limits');
    mkdirSync(dir, { recursive: true });
    const code = files.get('w.ts')!;
    expect(code).toContain('number[] & { length: 1000 }');
    expect(code).toContain("invalid(p, 'list of length 1000', x)");
    writeFileSync(join(dir, 'w.ts'), code);
    // Values of the long types are built and passed the way a user would.
    writeFileSync(
      join(dir, 'use.ts'),
      [
        "import type * as W from './w.ts';",
        'declare const g: W.Exports;',
        'const xs = new Array(1000).fill(0) as number[] & { length: 1000 };',
        'const ys: number[] = g.guest.f0(xs);',
        'export const first: number | undefined = ys[0];',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2023', 'DOM'],
          types: [],
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          verbatimModuleSyntax: true,
          isolatedModules: true,
          allowImportingTsExtensions: true,
          paths: { 'witbind/runtime': [join(ROOT, 'src/runtime/index.ts')] },
        },
        include: ['*.ts'],
      }),
    );
    let out = '';
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(out).toBe('');
  }, 120_000);
});
