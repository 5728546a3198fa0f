// witbind/rollup: a real build of the app, run in Node (core module and component); WIT errors
// as located Rollup errors; watch mode regenerates when a WIT file (in deps/ too) changes, keeps
// going through a syntax error and recovers.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin, RollupWatcher, RollupWatcherEvent } from 'rollup';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDist } from '../support/dist.js';
import { brokenLoc, expectMachineResults, plugin, prepareApp, runBundle } from './support.js';


// dist/ (the plugins and the runtime they bundle) is rebuilt here when src/ is newer.
beforeAll(() => ensureDist());
describe('witbind/rollup', () => {
  it('builds the app: .wit imports (plain and query) host the core module, the component import loads the emitted binary', async () => {
    const { rollup } = await import('rollup');
    const witbind = await plugin<Plugin>('rollup');
    const { src, out } = await prepareApp('rollup');
    const bundle = await rollup({ input: join(src, 'main.js'), plugins: [witbind()], onwarn: () => {} });
    await bundle.write({ dir: out, format: 'es' });
    await bundle.close();
    expect(readdirSync(join(out, 'assets'))).toEqual([expect.stringMatching(/^machine\.component-.*\.wasm$/)]);
    expectMachineResults(runBundle(join(out, 'main.js')), out);
    // The .d.ts next to each plain import types it.
    expect(readFileSync(join(src, 'machine.wit.d.ts'), 'utf8')).toContain('export declare function instantiateCore(');
    expect(readFileSync(join(src, 'machine.component.wasm.d.ts'), 'utf8')).toContain('export declare function load(imports?: Imports): Promise<Exports>;');
  });

  it('reports a WIT error as a Rollup error at file:line:col with the snippet as frame', async () => {
    const { rollup } = await import('rollup');
    const witbind = await plugin<Plugin>('rollup');
    const { src } = await prepareApp('rollup-error');
    const error = await rollup({ input: join(src, 'broken.js'), plugins: [witbind()] }).then(
      () => null,
      (e: unknown) => e as { plugin: string; loc: unknown; frame: string; message: string },
    );
    expect(error).not.toBeNull();
    expect(error!.plugin).toBe('witbind');
    expect(error!.loc).toEqual(brokenLoc(src));
    expect(error!.message).toContain('name `strin` does not exist');
    expect(error!.frame).toContain(`--> ${join(src, 'broken.wit')}:4:23`);
    expect(error!.frame).toContain('export f: func() -> strin;');
  });

  it('watch mode: regenerates when a dependency changes, reports a syntax error, recovers when fixed', async () => {
    const { watch } = await import('rollup');
    const witbind = await plugin<Plugin>('rollup');
    const { dir } = await prepareApp('rollup-watch');
    const pkg = join(dir, 'pkg');
    mkdirSync(join(pkg, 'deps', 'dep'), { recursive: true });
    writeFileSync(join(pkg, 'world.wit'), 'package app:main;\n\nworld app {\n  import dep:api/greet;\n}\n');
    const dep = join(pkg, 'deps', 'dep', 'api.wit');
    writeFileSync(dep, 'package dep:api;\n\ninterface greet {\n  hello: func() -> string;\n}\n');
    writeFileSync(join(dir, 'entry.js'), "export { createCoreImports } from './pkg/world.wit';\n");
    const out = join(dir, 'watch-out');

    const watcher: RollupWatcher = watch({
      input: join(dir, 'entry.js'),
      output: { dir: out, format: 'es' },
      plugins: [witbind({ dts: false })],
      onwarn: () => {},
      watch: { buildDelay: 50 },
    });
    // One entry per build cycle (START … END): the error it ended with, if any.
    const builds: { error: { loc?: unknown; message: string } | null }[] = [];
    let current: { error: { loc?: unknown; message: string } | null } = { error: null };
    let wake: () => void = () => {};
    watcher.on('event', (e: RollupWatcherEvent) => {
      if (e.code === 'START') current = { error: null };
      if (e.code === 'BUNDLE_END') void e.result.close();
      if (e.code === 'ERROR') current.error = e.error;
      if (e.code === 'END') {
        builds.push(current);
        wake();
      }
    });
    /** The first build (from now on) that satisfies `done`; a write may trigger more than one. */
    const buildUntil = async (
      done: (b: { error: { loc?: unknown; message: string } | null }) => boolean,
    ): Promise<{ error: { loc?: unknown; message: string } | null }> => {
      for (;;) {
        while (builds.length === 0) await new Promise<void>((r) => (wake = r));
        const b = builds.shift()!;
        if (done(b)) return b;
      }
    };
    const output = () => readFileSync(join(out, 'entry.js'), 'utf8');
    const ok = (marker: string) => (b: { error: unknown }) => b.error === null && output().includes(marker);
    try {
      await buildUntil(ok("'dep:api/greet'"));
      expect(output()).toContain('hello');

      writeFileSync(dep, 'package dep:api;\n\ninterface greet {\n  hello: func() -> string;\n  goodbye: func(name: string);\n}\n');
      await buildUntil(ok('goodbye'));

      writeFileSync(dep, 'package dep:api;\n\ninterface greet {\n  hello: func( -> string;\n}\n');
      const { error } = await buildUntil((b) => b.error !== null);
      expect(error?.loc).toEqual({ file: dep, line: 4, column: 16 });

      writeFileSync(dep, 'package dep:api;\n\ninterface greet {\n  hello: func() -> string;\n  welcome: func();\n}\n');
      await buildUntil(ok('welcome'));
      expect(output()).not.toContain('goodbye');
    } finally {
      await watcher.close();
    }
  });
});
