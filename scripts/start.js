#!/usr/bin/env node
// `npm start`: generate bindings for the bundled example world (wit/machine.wit) with the CLI,
// then run them against the example guest (guests/machine/machine.wasm, a C core module that
// follows the canonical ABI).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = 'examples/machine/generated';
console.log(`$ witbind generate wit/machine.wit --out ${out} --js`);
execFileSync(process.execPath, ['dist/cli.js', 'generate', 'wit/machine.wit', '--out', out, '--js'], {
  cwd: root,
  stdio: 'inherit',
});
console.log('$ node examples/machine/main.js\n');
await import('../examples/machine/main.js');
