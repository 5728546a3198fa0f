// Builds a JS component with componentize-js (run with --import ./componentize-hook.mjs):
//   node --import test/component/componentize-hook.mjs test/component/componentize.mjs <source.js> <wit> <world> <out.wasm>
import { writeFileSync } from 'node:fs';

const [source, wit, world, out] = process.argv.slice(2);
// componentize-js reads the source and WIT through WASI: give it the whole file system.
const { _setPreopens } = await import('@bytecodealliance/preview2-shim/filesystem');
_setPreopens({ '/': '/' });
const { componentize } = await import('@bytecodealliance/componentize-js');
const { component } = await componentize({ sourcePath: source, witPath: wit, worldName: world });
writeFileSync(out, component);
