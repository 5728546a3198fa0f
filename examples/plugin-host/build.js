#!/usr/bin/env node
// Builds the plugin-host example: the bindings of wit/plugin.wit (with the witbind CLI), and the
// two plugins into generated/plugins/: `upper` (the C guest guests/plugin-upper, made a component
// with wit-component) and `reverse` (plugins-src/reverse.js, made a component with
// componentize-js: slow, ~1 min, so it is rebuilt only when its inputs change).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const root = here('../../');
const wit = here('wit/plugin.wit');
const out = here('generated/plugins/');
mkdirSync(out, { recursive: true });

execFileSync(process.execPath, [`${root}dist/cli.js`, 'generate', wit, '--out', here('generated'), '--js', '--quiet'], {
  stdio: 'inherit',
});

const { componentEmbed, componentNew } = await import('@bytecodealliance/jco');
const upper = await componentEmbed({
  binary: readFileSync(`${root}guests/plugin-upper/plugin-upper.wasm`),
  witSource: readFileSync(wit, 'utf8'),
  world: 'plugin',
});
writeFileSync(`${out}upper.wasm`, await componentNew(upper));

const source = here('plugins-src/reverse.js');
const stamp = createHash('sha256').update(readFileSync(source)).update(readFileSync(wit)).digest('hex');
const stampFile = `${out}.reverse.stamp`;
if (!existsSync(`${out}reverse.wasm`) || !existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp) {
  process.stderr.write('building plugins/reverse.wasm with componentize-js (about a minute)…\n');
  // componentize-js reads its inputs through WASI: it needs preopens preview2-shim does not set.
  const { _setPreopens } = await import('@bytecodealliance/preview2-shim/filesystem');
  _setPreopens({ '/': '/' });
  const { componentize } = await import('@bytecodealliance/componentize-js');
  const { component } = await componentize({
    sourcePath: source,
    witPath: wit,
    worldName: 'plugin',
    // No WASI at all: the plugin's only imports are the host's.
    disableFeatures: ['stdio', 'random', 'clocks', 'http', 'fetch-event'],
  });
  writeFileSync(`${out}reverse.wasm`, component);
  writeFileSync(stampFile, stamp);
}
