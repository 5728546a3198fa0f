// witbind/rolldown: a real build of the app, run in Node (core module and component); WIT errors
// as located Rolldown errors.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'rolldown';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDist } from '../support/dist.js';
import { brokenLoc, expectMachineResults, plugin, prepareApp, runBundle } from './support.js';


// dist/ (the plugins and the runtime they bundle) is rebuilt here when src/ is newer.
beforeAll(() => ensureDist());
describe('witbind/rolldown', () => {
  it('builds the app: .wit imports host the core module, the component import loads the emitted binary', async () => {
    const { rolldown } = await import('rolldown');
    const witbind = await plugin<Plugin>('rolldown');
    const { src, out } = await prepareApp('rolldown');
    const bundle = await rolldown({ input: join(src, 'main.js'), plugins: [witbind()], onwarn: () => {} });
    await bundle.write({ dir: out, format: 'es' });
    await bundle.close();
    expect(readdirSync(join(out, 'assets'))).toEqual([expect.stringMatching(/^machine\.component-.*\.wasm$/)]);
    expectMachineResults(runBundle(join(out, 'main.js')), out);
  });

  it('reports a WIT error at file:line:col', async () => {
    const { rolldown } = await import('rolldown');
    const witbind = await plugin<Plugin>('rolldown');
    const { src } = await prepareApp('rolldown-error');
    const error = await rolldown({ input: join(src, 'broken.js'), plugins: [witbind()] })
      .then((b) => b.generate({ format: 'es' }))
      .then(
        () => null,
        (e: unknown) => e as { message: string; errors?: { plugin?: string; loc?: unknown; frame?: string }[] },
      );
    expect(error).not.toBeNull();
    const first = error!.errors?.[0] ?? (error as { plugin?: string; loc?: unknown; frame?: string });
    expect(first.plugin).toBe('witbind');
    expect(first.loc).toEqual(brokenLoc(src));
    expect(error!.message).toContain('name `strin` does not exist');
    expect(error!.message).toContain('broken.wit');
  });
});
