/** Unit tests of the resolver's building blocks and public entry points. */
import { Command } from 'commander';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { registerResolve, summarizeResolve } from '../../src/commands/resolve.js';
import { WitError } from '../../src/wit/errors.js';
import { loadWitPath, loadWitSource, resolveToJson, selectWorld } from '../../src/wit/load.js';
import { dealias, nameWorldKey, type PackageId } from '../../src/wit/model.js';
import { compareSemver, comparePackageNames, parseSemver } from '../../src/wit/resolve/semver.js';
import { toposort } from '../../src/wit/resolve/toposort.js';
import { caseInput, repoRoot } from './resolve-helpers.js';

const span = { start: 0, end: 1 };
const edges = (...names: string[]) => names.map((name) => ({ name, span }));

describe('toposort', () => {
  test('keeps source order among independent nodes', () => {
    expect(toposort('type', new Map([['b', []], ['a', []]]))).toEqual(['b', 'a']);
  });

  test('puts dependencies first, then the earliest ready node', () => {
    const deps = new Map([
      ['a', edges('c')],
      ['b', []],
      ['c', []],
      ['d', edges('a', 'a')],
    ]);
    expect(toposort('type', deps)).toEqual(['b', 'c', 'a', 'd']);
  });

  test('reports unknown nodes and cycles', () => {
    expect(toposort('type', new Map([['a', edges('x')]]))).toMatchObject({ message: 'type `x` does not exist' });
    expect(toposort('interface or world', new Map([['a', edges('b')], ['b', edges('a')]]))).toMatchObject({
      message: 'interface or world `b` depends on itself',
    });
  });
});

describe('semver', () => {
  const v = (s: string) => parseSemver(s)!;
  test('orders releases, pre-releases and build metadata', () => {
    const sorted = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0', '1.0.0+b', '1.1.0', '2.0.0'];
    for (let i = 1; i < sorted.length; i++) expect(compareSemver(v(sorted[i - 1]!), v(sorted[i]!))).toBeLessThan(0);
    expect(parseSemver('1.0')).toBeNull();
  });

  test('package names sort by namespace, name, then version (none first)', () => {
    const n = (namespace: string, name: string, version: string | null) => ({ namespace, name, version });
    expect(comparePackageNames(n('a', 'z', null), n('b', 'a', null))).toBeLessThan(0);
    expect(comparePackageNames(n('a', 'b', null), n('a', 'b', '0.1.0'))).toBeLessThan(0);
    expect(comparePackageNames(n('a', 'b', '0.10.0'), n('a', 'b', '0.9.0'))).toBeGreaterThan(0);
  });
});

describe('loadWitSource', () => {
  test('resolves in-memory files as one package with nested packages', () => {
    const { resolve, main } = loadWitSource([
      { path: 'b.wit', text: 'interface b { use a.{t}; f: func(x: t) -> list<t>; }' },
      { path: 'a.wit', text: 'package x:y@1.0.0;\ninterface a { type t = u32; }\nworld w { import b; }' },
    ]);
    const pkg = resolve.packages[main]!;
    expect(pkg.name).toEqual({ namespace: 'x', name: 'y', version: '1.0.0' });
    expect([...pkg.interfaces.keys()]).toEqual(['a', 'b']);
    const world = resolve.worlds[selectWorld(resolve, main)]!;
    expect([...world.imports.keys()].map((k) => nameWorldKey(resolve, k))).toEqual(['x:y/a@1.0.0', 'x:y/b@1.0.0']);
    const b = resolve.interfaces[pkg.interfaces.get('b')!]!;
    const t = b.types.get('t')!;
    expect(dealias(resolve, t)).toBe(resolve.interfaces[pkg.interfaces.get('a')!]!.types.get('t'));
  });

  test('throws a WitError carrying every diagnostic, each with a span', () => {
    let error: unknown;
    try {
      loadWitSource([{ path: 'x.wit', text: 'package a:b;\ninterface i { f: func(x: nope); }\ninterface j { g: func() -> nada; }' }]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WitError);
    const e = error as WitError;
    expect(e.diagnostics.map((d) => d.message)).toEqual(['name `nope` does not exist', 'name `nada` does not exist']);
    expect(e.diagnostics.every((d) => d.span !== null)).toBe(true);
    expect(e.message).toContain('--> x.wit:2:26');
  });

  test('features select @unstable items', () => {
    const text = 'package a:b;\ninterface i {\n  @unstable(feature = f)\n  g: func();\n  h: func();\n}';
    const names = (opts: { features?: string[]; allFeatures?: boolean }) => {
      const { resolve } = loadWitSource([{ path: 'x.wit', text }], opts);
      return [...resolve.interfaces[0]!.functions.keys()];
    };
    expect(names({})).toEqual(['h']);
    expect(names({ features: ['f'] })).toEqual(['g', 'h']);
    expect(names({ allFeatures: true })).toEqual(['g', 'h']);
  });
});

describe('selectWorld', () => {
  const { resolve, main } = loadWitSource([
    { path: 'w.wit', text: 'package a:b@1.0.0;\nworld one {}\nworld two {}\npackage c:d { world only {} }' },
  ]);

  test('by name, by qualified name, or the only world', () => {
    expect(resolve.worlds[selectWorld(resolve, main, 'two')]!.name).toBe('two');
    expect(resolve.worlds[selectWorld(resolve, main, 'c:d/only')]!.name).toBe('only');
    const nested = resolve.packages.findIndex((p) => p.name.namespace === 'c') as PackageId;
    expect(resolve.worlds[selectWorld(resolve, nested)]!.name).toBe('only');
  });

  test('errors', () => {
    expect(() => selectWorld(resolve, main)).toThrow('multiple worlds found in package `a:b@1.0.0`: one must be explicitly chosen');
    expect(() => selectWorld(resolve, main, 'three')).toThrow('world `three` not found in package `a:b@1.0.0`');
    expect(() => selectWorld(resolve, main, 'x:y/w')).toThrow(WitError);
  });
});

describe('loadWitPath', () => {
  test('returns all packages with the main package last', async () => {
    const { resolve, packages } = await loadWitPath(caseInput('ui', 'deps-diamond'));
    expect(packages.map((id) => resolve.packages[id]!.name.name)).toEqual(['base', 'left', 'right', 'join']);
  });

  test('a missing path is an io error without a stack trace', async () => {
    const e = await loadWitPath(`${repoRoot}/wit/ui/does-not-exist.wit`).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WitError);
    expect((e as WitError).diagnostics[0]).toMatchObject({ kind: 'io' });
  });

  test('resolveToJson matches the reference key order', async () => {
    const { resolve } = await loadWitPath(caseInput('ui', 'world-functions'));
    const json = resolveToJson(resolve) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['worlds', 'interfaces', 'types', 'packages']);
  });
});

describe('witbind resolve', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = 0;
  });

  async function run(...args: string[]): Promise<{ out: string; err: string; code: number }> {
    let out = '';
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out += String(s);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      err += String(s);
      return true;
    });
    const program = new Command('witbind').exitOverride();
    registerResolve(program);
    await program.parseAsync(['node', 'witbind', 'resolve', ...args]);
    const code = Number(process.exitCode ?? 0);
    vi.restoreAllMocks();
    return { out, err, code };
  }

  test('prints a summary of packages and worlds', async () => {
    const { out, code } = await run(caseInput('ui', 'deps-diamond'));
    expect(code).toBe(0);
    expect(out).toContain('package test:join\n  world w\n    import test:base/types\n    import test:left/l\n');
  });

  test('--json prints the reference JSON; --world selects a world', async () => {
    const json = await run(caseInput('ui', 'world-functions'), '--json');
    expect(JSON.parse(json.out)).toEqual(resolveToJson((await loadWitPath(caseInput('ui', 'world-functions'))).resolve));
    const world = await run(caseInput('ui', 'include'), '--world', 'combined');
    expect(world.out.split('\n')[0]).toBe('world combined');
  });

  test('--features and --all-features', async () => {
    const input = caseInput('ui', 'gates-all-features');
    expect((await run(input, '--json')).out).not.toContain('"[');
    expect((await run(input, '--all-features')).out).toContain('import test:gates/a@1.0.0');
    expect((await run(input, '--features', 'one,two')).out).toContain('import test:gates/a@1.0.0');
  });

  test('errors are rendered to stderr with exit code 1', async () => {
    const { err, code, out } = await run(caseInput('resolve-fail', 'multiple-errors'));
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('name `unknown-one` does not exist');
    expect(err).toContain('name `unknown-two` does not exist');
    expect(err).not.toContain('    at ');
  });

  test('summarizeResolve of one world', async () => {
    const { resolve, packages } = await loadWitPath(caseInput('ui', 'world-resources'));
    const w = selectWorld(resolve, packages[packages.length - 1]!);
    expect(summarizeResolve(resolve, packages, w)).toBe(
      [
        'world w',
        '  import counter: type',
        '  import before: func',
        '  import after: func',
        '  import [constructor]counter: func',
        '  import [method]counter.increment: func',
        '  import [method]counter.value: func',
        '  import [static]counter.reset-all: func',
        '  export run: func',
      ].join('\n'),
    );
  });
});
