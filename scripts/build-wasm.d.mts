/** The TypeScript module scripts/build-wasm.mjs writes for the WAT file `name` of src/runtime/wasm/. */
export function wasmModuleSource(name: string): Promise<string>;
