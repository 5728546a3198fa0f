/**
 * `witbind/rolldown`: import WIT worlds and components as typed bindings in Rolldown.
 *
 * ```js
 * // rolldown.config.js
 * import witbind from 'witbind/rolldown';
 * export default { input: 'src/main.js', output: { dir: 'dist' }, plugins: [witbind()] };
 * ```
 *
 * @module
 */
import type { Plugin } from 'rolldown';
import type { WitbindPluginOptions } from './options.js';
import { unplugin } from './shared.js';

export type { WitbindPluginOptions };
/** The witbind plugin for Rolldown. */
export const witbind: (options?: WitbindPluginOptions) => Plugin = unplugin.rolldown;
export default witbind;
