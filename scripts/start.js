#!/usr/bin/env node
// `npm start`: generate bindings for the bundled example world (wit/machine.wit) with the CLI,
// wrap the example guest (guests/machine/machine.wasm, a C core module that follows the
// canonical ABI) into a component with wit-component (jco's wasm-tools), then run the bindings
// against both: the core module and the component.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = 'examples/machine/generated';
console.log(`$ witbind generate wit/machine.wit --out ${out} --js`);
execFileSync(process.execPath, ['dist/cli.js', 'generate', 'wit/machine.wit', '--out', out, '--js'], {
  cwd: root,
  stdio: 'inherit',
});

// The jco CLI's `embed`/`new` need preopens preview2-shim does not set; its JS API works.
console.log(`$ wasm-tools component embed + new guests/machine/machine.wasm → ${out}/machine.component.wasm`);
const { componentEmbed, componentNew } = await import('@bytecodealliance/jco');
const embedded = await componentEmbed({
  binary: await readFile(new URL('../guests/machine/machine.wasm', import.meta.url)),
  witSource: await readFile(new URL('../wit/machine.wit', import.meta.url), 'utf8'),
  world: 'machine',
});
await writeFile(new URL(`../${out}/machine.component.wasm`, import.meta.url), await componentNew(embedded));

console.log('$ node examples/machine/main.js\n');
await import('../examples/machine/main.js');
