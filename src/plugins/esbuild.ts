/**
 * `witbind/esbuild`: import WIT worlds and components as typed bindings in esbuild. Use ESM
 * output (`format: 'esm'`): component URLs are relative to `import.meta.url`, and component
 * binaries are copied to `outdir` (or the directory of `outfile`).
 *
 * ```js
 * import { build } from 'esbuild';
 * import witbind from 'witbind/esbuild';
 * await build({ entryPoints: ['src/main.js'], bundle: true, format: 'esm', outdir: 'dist', plugins: [witbind()] });
 * ```
 *
 * @module
 */
import type { Plugin } from 'esbuild';
import type { WitbindPluginOptions } from './options.js';
import { unplugin } from './shared.js';

export type { WitbindPluginOptions };
/** The witbind plugin for esbuild. */
export const witbind: (options?: WitbindPluginOptions) => Plugin = unplugin.esbuild;
export default witbind;
