/**
 * examples/plugin-host: two plugins (a C guest and a componentize-js one) discovered in a folder,
 * instantiated through typed bindings, each seeing only what the host hands it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeComponent } from '../../src/host/component/decode.js';
import { ROOT } from '../support/bindings.js';

const dir = join(ROOT, 'examples/plugin-host');
interface PluginHost {
  loadPlugins(
    dir: string,
    opts?: { data?: Record<string, Record<string, string>>; log?: (name: string, level: string, msg: string) => void },
  ): Promise<Map<string, (input: string) => string>>;
  runAll(plugins: Map<string, (input: string) => string>, input: string): Map<string, { ok: string } | { err: string }>;
}
let host: PluginHost;

beforeAll(async () => {
  // Generates the bindings and builds both plugins (componentize-js only when its inputs changed).
  execFileSync(process.execPath, [join(dir, 'build.js')], { stdio: 'pipe', timeout: 600_000 });
  // A plain-JS example (what a user writes): imported by path, so tsc does not look for its types.
  const path = join(dir, 'host.js');
  host = (await import(path)) as PluginHost;
}, 660_000);

describe('plugin host example', () => {
  it('discovers both plugins and runs them with their own data', async () => {
    const logs: string[] = [];
    const plugins = await host.loadPlugins(join(dir, 'generated/plugins'), {
      data: { upper: { prefix: '>> ' }, reverse: { separator: '-', secret: 's3cret' } },
      log: (name: string, level: string, msg: string) => logs.push(`${name} ${level} ${msg}`),
    });
    expect([...plugins.keys()]).toEqual(['reverse', 'upper']);
    const out = host.runAll(plugins, 'abc é');
    expect(out.get('upper')).toEqual({ ok: '>> ABC é' });
    expect(out.get('reverse')).toEqual({ ok: 'é- -c-b-a' });
    // A plugin sees only what the host hands it: `upper` was not given `secret`.
    expect(logs).toContain('upper debug upper: secret is not visible');
    expect(logs).toContain('upper debug upper: prefix was handed over');
    expect(logs).toContain('reverse debug reverse: secret was handed over');
    expect(logs).toContain('upper info upper: 6 bytes in');
    expect(logs).toContain('reverse info reverse: 5 characters in');
  });

  it('maps a plugin error to its message, and a plugin without data gets none', async () => {
    const plugins = await host.loadPlugins(join(dir, 'generated/plugins'));
    const out = host.runAll(plugins, '');
    expect(out.get('upper')).toEqual({ err: 'empty input' });
    expect(out.get('reverse')).toEqual({ err: 'empty input' });
    expect(host.runAll(plugins, 'xy').get('upper')).toEqual({ ok: 'XY' });
  });

  it('plugins import nothing but the host interface (no WASI: no files, clocks, environment)', () => {
    for (const name of ['upper', 'reverse']) {
      const c = decodeComponent(new Uint8Array(readFileSync(join(dir, 'generated/plugins', `${name}.wasm`))));
      const names = c.imports.map((i) => i.name.name + (i.name.versionSuffix ?? ''));
      expect(names, name).toEqual(['witbind:plugins/host@0.1.0']);
    }
  });
});
