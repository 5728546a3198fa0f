/**
 * Every WASI package shipped with jco (`lib/wit/builtin/`) resolves. Each version directory holds
 * one directory per package (`wasi-cli/package.wit`, …) and the packages depend on each other, so
 * each one is loaded as a package directory whose `deps/` links to its siblings.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadWitPath, resolveToJson, selectWorld } from '../../src/wit/load.js';
import type { PackageId, Resolve, WorldItem } from '../../src/wit/model.js';
import { formatPackageName, nameWorldKey } from '../../src/wit/model.js';
import { repoRoot } from './resolve-helpers.js';

const builtin = join(repoRoot, 'node_modules', '@bytecodealliance', 'jco', 'lib', 'wit', 'builtin');
const versions = ['0.2.10', '0.2.12', '0.3.0'];
const scratch: string[] = [];

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A temporary package directory: `pkgDir`'s files, with `deps/` linking to `depDirs`. */
function withDeps(pkgDir: string, depDirs: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'witbind-wasi-'));
  scratch.push(dir);
  for (const f of readdirSync(pkgDir).filter((f) => f.endsWith('.wit'))) copyFileSync(join(pkgDir, f), join(dir, f));
  mkdirSync(join(dir, 'deps'));
  for (const dep of depDirs) symlinkSync(dep, join(dir, 'deps', dep.split('/').pop()!));
  return dir;
}

async function loadBuiltin(version: string, pkg: string, allFeatures = false) {
  const siblings = readdirSync(join(builtin, version)).filter((p) => p !== pkg);
  const dir = withDeps(
    join(builtin, version, pkg),
    siblings.map((s) => join(builtin, version, s)),
  );
  return loadWitPath(dir, { allFeatures });
}

function importNames(resolve: Resolve, items: ReadonlyMap<string, WorldItem>): string[] {
  return [...items.keys()].map((k) => nameWorldKey(resolve, k));
}

describe('WASI packages bundled with jco resolve', () => {
  const cases = versions.flatMap((v) => readdirSync(join(builtin, v)).map((p) => [v, p] as const));

  test('the layout is as expected', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  test.each(cases)('%s %s', async (version, pkg) => {
    for (const allFeatures of [false, true]) {
      const { resolve, packages } = await loadBuiltin(version, pkg, allFeatures);
      const main = resolve.packages[packages[packages.length - 1]!]!;
      expect(formatPackageName(main.name)).toBe(`${pkg.replace('-', ':')}@${version}`);
      expect(main.worlds.size + main.interfaces.size).toBeGreaterThan(0);
      // every world has its imports elaborated: each `use`d interface is imported
      for (const w of resolve.worlds) {
        for (const item of [...w.imports.values(), ...w.exports.values()]) {
          if (item.kind !== 'interface') continue;
          expect(resolve.interfaces[item.id]).toBeDefined();
        }
      }
      expect(() => JSON.stringify(resolveToJson(resolve))).not.toThrow();
    }
  });

  test('wasi:cli@0.2.12 command world', async () => {
    const { resolve, packages } = await loadBuiltin('0.2.12', 'wasi-cli');
    const main = packages[packages.length - 1]! as PackageId;
    const world = resolve.worlds[selectWorld(resolve, main, 'command')]!;
    const imports = importNames(resolve, world.imports);
    for (const name of [
      'wasi:io/error@0.2.12',
      'wasi:io/poll@0.2.12',
      'wasi:io/streams@0.2.12',
      'wasi:clocks/wall-clock@0.2.12',
      'wasi:clocks/monotonic-clock@0.2.12',
      'wasi:filesystem/types@0.2.12',
      'wasi:filesystem/preopens@0.2.12',
      'wasi:sockets/tcp@0.2.12',
      'wasi:random/random@0.2.12',
      'wasi:cli/environment@0.2.12',
      'wasi:cli/exit@0.2.12',
      'wasi:cli/stdin@0.2.12',
      'wasi:cli/stdout@0.2.12',
      'wasi:cli/stderr@0.2.12',
      'wasi:cli/terminal-stdin@0.2.12',
    ]) {
      expect(imports).toContain(name);
    }
    // a dependency is imported before what uses it
    expect(imports.indexOf('wasi:io/error@0.2.12')).toBeLessThan(imports.indexOf('wasi:io/streams@0.2.12'));
    expect(imports.indexOf('wasi:io/streams@0.2.12')).toBeLessThan(imports.indexOf('wasi:cli/stdin@0.2.12'));
    expect(importNames(resolve, world.exports)).toEqual(['wasi:cli/run@0.2.12']);
    // every import is an interface
    expect([...world.imports.values()].every((i) => i.kind === 'interface')).toBe(true);
  });

  test('wasi:io@0.2.12 streams: resources, methods and handles', async () => {
    const { resolve } = await loadBuiltin('0.2.12', 'wasi-io');
    const pkg = resolve.packages.find((p) => formatPackageName(p.name) === 'wasi:io@0.2.12')!;
    const streams = resolve.interfaces[pkg.interfaces.get('streams')!]!;
    const inputStream = streams.types.get('input-stream')!;
    expect(resolve.types[inputStream]!.kind).toEqual({ tag: 'resource' });
    const read = streams.functions.get('[method]input-stream.read')!;
    expect(read.kind).toEqual({ tag: 'method', resource: inputStream });
    const self = read.params[0]!;
    expect(self.name).toBe('self');
    expect(resolve.types[self.type as number]!.kind).toEqual({ tag: 'handle', handle: 'borrow', resource: inputStream });
  });

  test('wasi:http@0.3.0 uses futures and streams', async () => {
    const { resolve } = await loadBuiltin('0.3.0', 'wasi-http');
    const kinds = new Set(resolve.types.map((t) => t.kind.tag));
    expect(kinds.has('future')).toBe(true);
    expect(kinds.has('stream')).toBe(true);
  });

  test('@unstable items of wasi:clocks@0.3.0 appear only with their feature', async () => {
    const off = await loadBuiltin('0.3.0', 'wasi-clocks');
    const on = await loadBuiltin('0.3.0', 'wasi-clocks', true);
    const names = (r: Resolve) => r.interfaces.map((i) => i.name);
    expect(names(off.resolve)).not.toContain('timezone');
    expect(names(on.resolve)).toContain('timezone');
  });

  test('wasi-tls draft (a directory with deps/) and jco:node (with wasi deps)', async () => {
    const tls = await loadWitPath(join(builtin, 'wasi-tls-0.2.0-draft'));
    expect(tls.resolve.packages.map((p) => formatPackageName(p.name))).toEqual([
      'wasi:io@0.2.12',
      'wasi:tls@0.2.0-draft',
    ]);
    const node012 = readdirSync(join(builtin, '0.2.12')).map((p) => join(builtin, '0.2.12', p));
    const node = await loadWitPath(
      withDeps(join(builtin, 'jco-node-0.1.0'), [...node012, join(builtin, 'wasi-tls-0.2.0-draft')]),
    );
    const main = node.resolve.packages[node.packages[node.packages.length - 1]!]!;
    expect(formatPackageName(main.name)).toBe('jco:node@0.1.0');
    expect(main.interfaces.size).toBeGreaterThan(10);
  });
});
