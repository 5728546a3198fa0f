// Calls every function of the `xyz:machine` world through witbind's generated bindings.
import { readFile } from 'node:fs/promises';
import { ComponentError } from 'witbind/runtime';
import { instantiateCore } from './generated/machine.js';

const wasm = await readFile(new URL('../../guests/machine/machine.wasm', import.meta.url));

console.log('== core module mode (guests/machine/machine.wasm) ==');
const { machineInterface: m } = await instantiateCore(wasm);
console.log('get-u32()         =', m.getU32());
console.log('get-str()         =', JSON.stringify(m.getStr()));
console.log('get-vec()         =', m.getVec());
console.log('run(7, ...)       =', m.run(7n, { x: 1, y: 2 }, { x: 10, y: 20 }));
console.log('count-symbols(s)  =', m.countSymbols('naïve café 🚀'));

// Host values are validated before any guest memory is touched.
for (const bad of [() => m.run(7n, { x: -1, y: 0 }, { x: 0, y: 0 }), () => m.countSymbols(42)]) {
  try {
    bad();
  } catch (e) {
    console.log(`rejected: ${e instanceof ComponentError ? 'ComponentError' : e.name}: ${e.message}`);
  }
}
