/**
 * `witbind/vite`: import WIT worlds and components as typed bindings in Vite (dev and build).
 *
 * ```ts
 * // vite.config.ts
 * import witbind from 'witbind/vite';
 * export default { plugins: [witbind()] };
 * ```
 *
 * @module
 */
import type { Plugin } from 'vite';
import type { WitbindPluginOptions } from './options.js';
import { unplugin } from './shared.js';

export type { WitbindPluginOptions };
/** The witbind plugin for Vite. */
export const witbind: (options?: WitbindPluginOptions) => Plugin = unplugin.vite;
export default witbind;
