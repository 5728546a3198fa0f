// witbind/webpack: a real build of the app (ESM output for Node), run in Node (core module and
// component: webpack emits the binary as an asset module); WIT errors fail the build with
// file:line:col.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Configuration, Stats, WebpackPluginInstance } from 'webpack';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDist } from '../support/dist.js';
import { expectMachineResults, plugin, prepareApp, runBundle } from './support.js';

async function pack(config: Configuration): Promise<Stats> {
  const { default: webpack } = await import('webpack');
  return new Promise((resolve, reject) => {
    const compiler = webpack(config);
    compiler.run((err, stats) => {
      compiler.close(() => {});
      if (err || !stats) reject(err ?? new Error('no stats'));
      else resolve(stats);
    });
  });
}

function config(src: string, out: string, entry: string, witbind: (o?: object) => WebpackPluginInstance): Configuration {
  return {
    mode: 'production',
    context: src,
    entry: join(src, entry),
    target: 'node',
    experiments: { outputModule: true },
    output: { path: out, filename: 'main.js', module: true, library: { type: 'module' } },
    optimization: { minimize: false },
    plugins: [witbind()],
    infrastructureLogging: { level: 'error' },
  };
}


// dist/ (the plugins and the runtime they bundle) is rebuilt here when src/ is newer.
beforeAll(() => ensureDist());
describe('witbind/webpack', () => {
  it('builds the app: .wit imports (plain and query) host the core module, the component import loads the emitted asset', async () => {
    const witbind = await plugin<WebpackPluginInstance>('webpack');
    const { src, out } = await prepareApp('webpack');
    const stats = await pack(config(src, out, 'main.js', witbind));
    expect(stats.toJson({ all: false, errors: true }).errors).toEqual([]);
    const files = readdirSync(out);
    expect(files).toContain('main.js');
    // The component asset; any other file is a lazily loaded chunk (e.g. the optional WASI shim).
    expect(files.filter((f) => f.endsWith('.wasm'))).toEqual([expect.stringMatching(/^[0-9a-f]+\.wasm$/)]);
    expect(files.filter((f) => !f.endsWith('.wasm') && !f.endsWith('.js'))).toEqual([]);
    expectMachineResults(runBundle(join(out, 'main.js')), out);
  });

  it('fails the build on a WIT error, with file:line:col', async () => {
    const witbind = await plugin<WebpackPluginInstance>('webpack');
    const { src, out } = await prepareApp('webpack-error');
    const stats = await pack(config(src, out, 'broken.js', witbind));
    const errors = stats.toJson({ all: false, errors: true }).errors ?? [];
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain('name `strin` does not exist');
    expect(errors[0]!.message).toContain(`--> ${join(src, 'broken.wit')}:4:23`);
  });
});
