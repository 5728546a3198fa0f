/**
 * Formats generated TypeScript with prettier, pinned to an exact version with a fixed config, so
 * output is byte-for-byte deterministic. Prettier is loaded on first use: code paths that do not
 * format (the bundler plugins) never pay for it.
 */
import type { Options } from 'prettier';

/** The pinned prettier options for generated files. */
export const PRETTIER_OPTIONS: Options = {
  parser: 'typescript',
  singleQuote: true,
  printWidth: 100,
  trailingComma: 'all',
};

let prettier: Promise<typeof import('prettier')> | undefined;

/** Formats one TypeScript source. */
export async function formatTs(source: string): Promise<string> {
  return (await (prettier ??= import('prettier'))).format(source, PRETTIER_OPTIONS);
}

/** Formats one JavaScript source. */
export async function formatJs(source: string): Promise<string> {
  return (await (prettier ??= import('prettier'))).format(source, { ...PRETTIER_OPTIONS, parser: 'babel' });
}
