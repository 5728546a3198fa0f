/**
 * Formats generated TypeScript with prettier, pinned to an exact version with a fixed config, so
 * output is byte-for-byte deterministic.
 */
import * as prettier from 'prettier';

/** The pinned prettier options for generated files. */
export const PRETTIER_OPTIONS: prettier.Options = {
  parser: 'typescript',
  singleQuote: true,
  printWidth: 100,
  trailingComma: 'all',
};

/** Formats one TypeScript source. */
export function formatTs(source: string): Promise<string> {
  return prettier.format(source, PRETTIER_OPTIONS);
}

/** Formats one JavaScript source. */
export function formatJs(source: string): Promise<string> {
  return prettier.format(source, { ...PRETTIER_OPTIONS, parser: 'babel' });
}
