// Wraps the C guest (guests/machine/machine.wasm) into a component with wit-component (jco's
// JS API), for the page to import: examples/browser/generated/machine.component.wasm.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { componentEmbed, componentNew } from '@bytecodealliance/jco';

const at = (p) => new URL(p, import.meta.url);
const embedded = await componentEmbed({
  binary: await readFile(at('../../guests/machine/machine.wasm')),
  witSource: await readFile(at('../../wit/machine.wit'), 'utf8'),
  world: 'machine',
});
await mkdir(at('generated/'), { recursive: true });
await writeFile(at('generated/machine.component.wasm'), await componentNew(embedded));
console.log('wrote examples/browser/generated/machine.component.wasm');
