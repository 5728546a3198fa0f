// Calls every function of the `xyz:machine` world through witbind's generated bindings, in both
// hosting modes: the C core module itself, and the same module wrapped as a component.
import { readFile } from 'node:fs/promises';
import { ComponentError } from 'witbind/runtime';
import { instantiateComponent, instantiateCore } from './generated/machine.js';

const here = (p) => new URL(p, import.meta.url);

/** Every function, then two host values that are rejected before the guest is touched. */
function exercise(m) {
  console.log('get-u32()         =', m.getU32());
  console.log('get-str()         =', JSON.stringify(m.getStr()));
  console.log('get-vec()         =', m.getVec());
  console.log('run(7, ...)       =', m.run(7n, { x: 1, y: 2 }, { x: 10, y: 20 }));
  console.log('count-symbols(s)  =', m.countSymbols('naïve café 🚀'));
  for (const bad of [() => m.run(7n, { x: -1, y: 0 }, { x: 0, y: 0 }), () => m.countSymbols(42)]) {
    try {
      bad();
    } catch (e) {
      console.log(`rejected: ${e instanceof ComponentError ? 'ComponentError' : e.name}: ${e.message}`);
    }
  }
}

console.log('== core module mode (guests/machine/machine.wasm) ==');
exercise((await instantiateCore(await readFile(here('../../guests/machine/machine.wasm')))).machineInterface);

const component = process.argv[2] ?? here('generated/machine.component.wasm');
console.log(`\n== component mode (${typeof component === 'string' ? component : 'examples/machine/generated/machine.component.wasm'}) ==`);
exercise((await instantiateComponent(await readFile(component))).machineInterface);
