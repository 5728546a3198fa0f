/**
 * `witbind/rollup`: import WIT worlds and components as typed bindings in Rollup.
 *
 * ```js
 * // rollup.config.js
 * import witbind from 'witbind/rollup';
 * export default { input: 'src/main.js', output: { dir: 'dist', format: 'es' }, plugins: [witbind()] };
 * ```
 *
 * @module
 */
import type { Plugin } from 'rollup';
import type { WitbindPluginOptions } from './options.js';
import { unplugin } from './shared.js';

export type { WitbindPluginOptions };
/** The witbind plugin for Rollup. */
export const witbind: (options?: WitbindPluginOptions) => Plugin = unplugin.rollup;
export default witbind;
