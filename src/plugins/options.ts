/**
 * The options of witbind's bundler plugins (one type for every bundler), apart from the plugin
 * core so that each entry's declarations mention only its own bundler's types.
 */
import type { StringEncoding } from '../abi/instructions.js';

/** Options of every witbind bundler plugin. */
export interface WitbindPluginOptions {
  /** Default world for `.wit` imports without `?world=` (default: the package's only world). */
  readonly world?: string;
  /** Default string encoding of core modules for `.wit` imports without `?encoding=` (default `utf8`). */
  readonly encoding?: StringEncoding;
  /** `@unstable` features to enable. */
  readonly features?: readonly string[];
  /** Enable every `@unstable` feature. */
  readonly allFeatures?: boolean;
  /**
   * Write `<file>.d.ts` next to each `.wit` file and component imported without a query
   * (`world.wit.d.ts`, `guest.wasm.d.ts`), so TypeScript types the import precisely. Written
   * only when its contents change. Default true.
   */
  readonly dts?: boolean;
}
