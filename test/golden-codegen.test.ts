/**
 * Golden files for the generator, for **every world of every valid WIT package under `wit/`**
 * (everything but `wit/parse-fail` and `wit/resolve-fail`, which must not resolve):
 *
 * - `wit/*.wit` and `wit/codegen/*` (the worlds of the guests and the benchmark): the module in
 *   `generated/codegen/<world>.ts`, its ABI plans in `generated/plans/<world>.plan.txt`;
 * - any other directory, e.g. `wit/ui/<case>` (a file or a package directory, resolved with the
 *   options of its `// witbind-test:` line): `generated/codegen/ui/<case>/<world>.ts` with
 *   `<world>.plan.txt` beside it — for every world of every package the case resolves
 *   (dependencies and nested packages included);
 * - for a few worlds (`DTS`), the `--js` declarations too: `generated/codegen/js/<world>.d.ts`;
 * - a world the planner refuses (async functions, `future`, `stream`, `error-context`) gets
 *   `<world>.error.txt` holding the `PlanError` message instead; anything else thrown is a bug.
 *
 * Every world is generated once (in `beforeAll`) and compared; stale files fail the suite. Bless
 * with `vitest -u`; CI fails on any drift. `generated/tsconfig.json` type-checks every module with
 * tsc --strict.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StringEncoding } from '../src/abi/instructions.js';
import { PlanError } from '../src/abi/plan.js';
import { generate, generateWorld } from '../src/generate.js';
import { loadWitPath, type LoadOptions } from '../src/wit/load.js';
import type { WorldId } from '../src/wit/model.js';
import { ROOT } from './support/bindings.js';
import { caseOptions } from './wit/resolve-helpers.js';

/** Directories of `wit/` whose cases must not resolve (they have goldens of their own). */
const INVALID = new Set(['parse-fail', 'resolve-fail']);
/**
 * Worlds whose `--js` declarations are pinned too (`generated/codegen/js/<world>.d.ts`), so tsc
 * checks that escaped names type-check in a `.d.ts` as well.
 */
const DTS = new Set(['wit/codegen/names.wit']);
/** Core-module string encodings of the guest worlds (utf8 otherwise). */
const ENCODINGS: Record<string, StringEncoding> = {
  'wit/codegen/strings-utf16.wit': 'utf16',
  'wit/codegen/strings-latin1.wit': 'latin1+utf16',
};

interface Case {
  /** Repo-relative input path (a `.wit` file or a package directory). */
  readonly wit: string;
  /** Repo-relative directory of the module goldens, and of the plans. */
  readonly out: string;
  readonly plans: string;
  readonly options: LoadOptions;
}

/** `<name>.wit` files and package directories directly in `dir` (repo-relative), sorted. */
function entries(dir: string): string[] {
  return readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.wit') || statSync(join(ROOT, dir, f)).isDirectory())
    .sort()
    .map((f) => `${dir}/${f}`);
}

function findCases(): Case[] {
  const cases: Case[] = [];
  const flat = (wit: string): Case => ({ wit, out: 'generated/codegen', plans: 'generated/plans', options: {} });
  for (const e of entries('wit')) {
    const name = e.slice('wit/'.length);
    if (e.endsWith('.wit')) cases.push(flat(e));
    else if (name === 'codegen') cases.push(...entries(e).map(flat));
    else if (!INVALID.has(name)) {
      for (const c of entries(e)) {
        const out = `generated/codegen/${c.slice('wit/'.length).replace(/\.wit$/, '')}`;
        cases.push({ wit: c, out, plans: out, options: caseOptions(join(ROOT, c)) });
      }
    }
  }
  return cases;
}

const CASES = findCases();

/** Golden path (repo-relative) → expected contents, filled by `beforeAll`. */
const outputs = new Map<string, string>();
/** Per case: the golden paths it produced. */
const perCase = new Map<string, string[]>();

async function generateCase(c: Case): Promise<void> {
  const { resolve } = await loadWitPath(join(ROOT, c.wit), c.options);
  const encoding = ENCODINGS[c.wit] ?? 'utf8';
  const names = resolve.worlds.map((w) => w.name);
  const paths: string[] = [];
  const put = (path: string, text: string) => {
    expect(outputs.has(path), `two worlds write ${path}`).toBe(false);
    outputs.set(path, text);
    paths.push(path);
  };
  for (let id = 0; id < resolve.worlds.length; id++) {
    const world = resolve.worlds[id]!;
    // Two packages of one case may both have a world of this name: qualify them by package.
    let stem = world.name;
    if (names.indexOf(world.name) !== names.lastIndexOf(world.name)) {
      const pkg = resolve.packages[world.package!]!.name;
      stem = `${pkg.namespace}-${pkg.name}/${world.name}`;
    }
    let files: Map<string, string>;
    try {
      files = await generateWorld(resolve, id as WorldId, { encoding, plans: true });
    } catch (e) {
      if (!(e instanceof PlanError)) throw e;
      put(`${c.out}/${stem}.error.txt`, `${e.message}\n`);
      continue;
    }
    put(`${c.out}/${stem}.ts`, files.get(`${world.name}.ts`)!);
    put(`${c.plans}/${stem}.plan.txt`, files.get(`${world.name}.plan.txt`)!);
    if (DTS.has(c.wit)) {
      const js = await generateWorld(resolve, id as WorldId, { encoding, js: true });
      put(`${c.out}/js/${stem}.d.ts`, js.get(`${world.name}.d.ts`)!);
    }
  }
  perCase.set(c.wit, paths);
}

/** Every file under a repo-relative directory, recursively (repo-relative paths). */
function filesUnder(dir: string): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(abs, f)).isFile())
    .map((f) => relative(ROOT, join(abs, f)));
}

describe('generated/ goldens: every world in wit/', () => {
  beforeAll(async () => {
    for (const c of CASES) await generateCase(c);
  });

  it('finds the test worlds and the resolve-test packages', () => {
    const wits = CASES.map((c) => c.wit);
    expect(wits).toEqual(expect.arrayContaining(['wit/machine.wit', 'wit/codegen/kitchen-sink.wit', 'wit/ui/include.wit']));
    expect(outputs.size).toBeGreaterThan(60);
  });

  it.each(CASES.map((c) => [c.wit, c] as const))('%s', async (_, c) => {
    for (const path of perCase.get(c.wit)!) {
      await expect(outputs.get(path)).toMatchFileSnapshot(join(ROOT, path));
    }
  });

  it('has no stale golden files', () => {
    // (Missing ones fail their snapshot; new ones are written when the test file finishes.)
    const actual = [...filesUnder('generated/codegen'), ...filesUnder('generated/plans')].sort();
    expect(actual.filter((f) => !outputs.has(f))).toEqual([]);
  });

  it('refuses only what the planner does not handle, with a specific message', () => {
    const errors = [...outputs].filter(([p]) => p.endsWith('.error.txt'));
    for (const [path, text] of errors) {
      expect(text, path).toMatch(/^(import|export) `[^`]+`: (async functions|`future`|`stream`|`error-context`) (is|are) not supported yet/);
    }
  });

  it('is deterministic', async () => {
    const a = await generate(join(ROOT, 'wit/machine.wit'));
    const b = await generate(join(ROOT, 'wit/machine.wit'));
    expect(a).toEqual(b);
  });

  it('type-checks with tsc --strict', () => {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    let out = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'generated/tsconfig.json')], { encoding: 'utf8' });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(out).toBe('');
  });
});
