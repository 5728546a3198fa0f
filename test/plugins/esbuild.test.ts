// witbind/esbuild: a real build of the app, run in Node (core module and component: the binary
// is copied next to the bundle); WIT errors as esbuild messages with a location.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Message, Plugin } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDist } from '../support/dist.js';
import { expectMachineResults, plugin, prepareApp, runBundle } from './support.js';


// dist/ (the plugins and the runtime they bundle) is rebuilt here when src/ is newer.
beforeAll(() => ensureDist());
describe('witbind/esbuild', () => {
  it('builds the app: .wit imports (plain and query) host the core module, the component import loads the copied binary', async () => {
    const { build } = await import('esbuild');
    const witbind = await plugin<Plugin>('esbuild');
    const { src, out } = await prepareApp('esbuild');
    const result = await build({
      entryPoints: [join(src, 'main.js')],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      outdir: out,
      plugins: [witbind()],
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    expect(readdirSync(out).sort()).toEqual([expect.stringMatching(/^machine\.component-[0-9a-f]{8}\.wasm$/), 'main.js']);
    expectMachineResults(runBundle(join(out, 'main.js')), out);
  });

  it('reports a WIT error as an esbuild error with its location (0-based column, as esbuild counts)', async () => {
    const { build } = await import('esbuild');
    const witbind = await plugin<Plugin>('esbuild');
    const { src, out } = await prepareApp('esbuild-error');
    const errors = await build({
      entryPoints: [join(src, 'broken.js')],
      bundle: true,
      format: 'esm',
      outdir: out,
      plugins: [witbind()],
      logLevel: 'silent',
    }).then(
      () => [] as Message[],
      (e: { errors: Message[] }) => e.errors,
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]!.pluginName).toBe('witbind');
    expect(errors[0]!.text).toContain('name `strin` does not exist');
    expect(errors[0]!.text).toContain(`--> ${join(src, 'broken.wit')}:4:23`);
    // esbuild shows the file relative to the working directory.
    const { file, line, column } = errors[0]!.location!;
    expect({ file: resolve(file), line, column }).toEqual({ file: join(src, 'broken.wit'), line: 4, column: 22 });
  });
});
