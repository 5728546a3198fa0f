// witbind/vite: a real build of the app (library mode, relative base, run in Node: core module
// and component), with the bundle checked for what the runtime must not pull in (the WIT front
// end's chevrotain, prettier, typescript); the dev server serves bindings and reports WIT errors
// with what Vite's overlay shows (plugin, file:line:col, frame).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDist } from '../support/dist.js';
import { brokenLoc, expectMachineResults, plugin, prepareApp, runBundle } from './support.js';


// dist/ (the plugins and the runtime they bundle) is rebuilt here when src/ is newer.
beforeAll(() => ensureDist());
describe('witbind/vite', () => {
  it('builds the app: .wit imports host the core module, the component import loads the emitted binary; no compiler code in the bundle', async () => {
    const { build } = await import('vite');
    const witbind = await plugin<Plugin>('vite');
    const { src, out } = await prepareApp('vite');
    await build({
      root: src,
      configFile: false,
      logLevel: 'silent',
      base: './',
      plugins: [witbind()],
      build: { outDir: out, lib: { entry: join(src, 'main.js'), formats: ['es'], fileName: 'main' } },
    });
    const files = readdirSync(out).sort();
    expect(files).toContain('main.mjs');
    expect(files.filter((f) => f.endsWith('.wasm'))).toHaveLength(1);
    expectMachineResults(runBundle(join(out, 'main.mjs')), out);

    // The bindings and witbind/runtime only: no parser, formatter or compiler.
    const js = files.filter((f) => /\.m?js$/.test(f)).map((f) => readFileSync(join(out, f), 'utf8'));
    const all = js.join('\n');
    for (const marker of ['chevrotain', 'CstParser', 'createToken', 'prettier', 'typescript', 'createSourceFile']) {
      expect(all, marker).not.toContain(marker);
    }
    // Minified bindings + runtime (both hosting modes, component decoder included) in the entry;
    // what only compositions need (the ABI planner, its interpreter, WIT recovery) comes in
    // chunks loaded on first use.
    expect(readFileSync(join(out, 'main.mjs'), 'utf8').length).toBeLessThan(150_000);
    expect(all.length).toBeLessThan(300_000);
  });

  it('dev server: serves the bindings and the component from the file system; a WIT error carries what the overlay shows', async () => {
    const { createServer } = await import('vite');
    const witbind = await plugin<Plugin>('vite');
    const { src } = await prepareApp('vite-dev');
    const server = await createServer({
      root: src,
      configFile: false,
      logLevel: 'silent',
      plugins: [witbind()],
      server: { middlewareMode: true, ws: false, watch: null },
      optimizeDeps: { noDiscovery: true, include: [] },
    });
    try {
      const wit = await server.transformRequest('/machine.wit');
      expect(wit?.code).toContain('export async function instantiateCore(');
      const component = await server.transformRequest('/machine.component.wasm');
      // Vite rewrites the file-system URL the plugin writes into one under its root.
      expect(component?.code).toMatch(/export const componentUrl = new URL\("\/machine\.component\.wasm", .*import\.meta\.url\)/);

      const error = await server.transformRequest('/broken.wit').then(
        () => null,
        (e: unknown) => e as { plugin?: string; loc?: unknown; frame?: string; message: string },
      );
      expect(error).not.toBeNull();
      expect(error!.plugin).toBe('witbind');
      expect(error!.loc).toEqual(brokenLoc(src));
      expect(error!.message).toContain('name `strin` does not exist');
      expect(error!.frame).toContain('export f: func() -> strin;');
    } finally {
      await server.close();
    }
  });
});
