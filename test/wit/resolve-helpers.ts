/** Shared helpers for the resolver tests: case discovery, per-case options, path-independent rendering. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadOptions } from '../../src/wit/load.js';
import { renderDiagnostic, type WitError } from '../../src/wit/errors.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Cases in `wit/<dir>`: `<name>.wit` files and `<name>/` package directories. */
export function findCases(dir: string): string[] {
  return readdirSync(join(repoRoot, 'wit', dir))
    .filter((f) => f.endsWith('.wit') || statSync(join(repoRoot, 'wit', dir, f)).isDirectory())
    .map((f) => f.replace(/\.wit$/, ''))
    .sort();
}

/** The input path of a case, absolute. */
export function caseInput(dir: string, name: string): string {
  const file = join(repoRoot, 'wit', dir, `${name}.wit`);
  return existsSync(file) ? file : join(repoRoot, 'wit', dir, name);
}

/**
 * Options from a `// witbind-test: features=a,b` or `// witbind-test: all-features` line in any of
 * the case's top-level `.wit` files.
 */
export function caseOptions(input: string): LoadOptions {
  const files = statSync(input).isDirectory()
    ? readdirSync(input)
        .filter((f) => f.endsWith('.wit'))
        .map((f) => join(input, f))
    : [input];
  for (const f of files) {
    const m = /\/\/ witbind-test: (.*)$/m.exec(readFileSync(f, 'utf8'));
    if (!m) continue;
    const directive = m[1]!.trim();
    if (directive === 'all-features') return { allFeatures: true };
    const features = /^features=(.*)$/.exec(directive);
    if (features) return { features: features[1]!.split(',') };
  }
  return {};
}

/** All diagnostics of an error, rendered with repo-relative paths. */
export function renderError(e: WitError): string {
  const text = e.diagnostics.map((d) => renderDiagnostic(d, e.sourceMap)).join('\n\n');
  return `${text.split(`${repoRoot}/`).join('')}\n`;
}
