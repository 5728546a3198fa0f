/**
 * `witbind/webpack`: import WIT worlds and components as typed bindings in webpack 5. Component
 * binaries become asset modules through webpack's own `new URL(…, import.meta.url)` handling.
 *
 * ```js
 * // webpack.config.js
 * import witbind from 'witbind/webpack';
 * export default { entry: './src/main.js', plugins: [witbind()] };
 * ```
 *
 * @module
 */
import type { WebpackPluginInstance } from 'webpack';
import type { WitbindPluginOptions } from './options.js';
import { unplugin } from './shared.js';

export type { WitbindPluginOptions };
/** The witbind plugin for webpack. */
export const witbind: (options?: WitbindPluginOptions) => WebpackPluginInstance = unplugin.webpack;
export default witbind;
