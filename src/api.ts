/**
 * The result-returning entry points of the public API: each reports problems as
 * {@link Diagnostic} data (`ok: false`) instead of throwing, for editors, build tools and tests.
 * The throwing variants (`loadWitPath`, `loadWitSource`, `generate`, `generateWorld`,
 * `generateComponent`) are exported alongside.
 */
import type * as ast from './wit/ast.js';
import { collectDiagnostics, toDiagnostics, type Diagnostic, type Result } from './diagnostics.js';
import { generate, generateComponent, generateWorld, type Files, type GenerateOptions } from './generate.js';
import { WitError } from './wit/errors.js';
import { loadWitPath, loadWitSource, selectWorld, type LoadOptions } from './wit/load.js';
import type { PackageId, Resolve, WorldId } from './wit/model.js';
import { parseWitFile } from './wit/parse.js';
import { SourceMap } from './wit/source-map.js';

/** One in-memory WIT file. */
export interface WitSource {
  /** The path shown in diagnostics (e.g. `wit/world.wit`). */
  readonly path: string;
  readonly text: string;
}

/** What {@link parseWit} returns: the syntax tree of one file (best effort, even with errors). */
export interface ParsedWit {
  /** True when the file has no lexical or syntactic error. */
  readonly ok: boolean;
  /** The syntax tree; null only when nothing usable could be built (e.g. binary input). */
  readonly ast: ast.File | null;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Parses one WIT file without resolving names: the syntax tree and every lexical and syntactic
 * diagnostic. `ast` is present even when `ok` is false, as far as it could be built.
 */
export function parseWit(text: string, path = 'input.wit'): ParsedWit {
  const sourceMap = new SourceMap();
  const parsed = parseWitFile(sourceMap, path, text);
  const diagnostics = parsed.diagnostics.length === 0 ? [] : (toDiagnostics(new WitError(parsed.diagnostics, sourceMap)) ?? []);
  return { ok: diagnostics.length === 0, ast: parsed.file, diagnostics };
}

/** A resolved model: every package loaded, the main one (the path's own) last. */
export interface ResolvedWit {
  readonly resolve: Resolve;
  /** Every package, dependencies first, the main package last. */
  readonly packages: readonly PackageId[];
  /** The main package: the one the path (or the in-memory files) declares. */
  readonly main: PackageId;
}

/**
 * Loads and resolves a `.wit` file or a package directory (its `*.wit` files and `deps/`), with
 * diagnostics as data. Throwing variant: `loadWitPath`.
 */
export function resolveWitPath(path: string, options: LoadOptions = {}): Promise<Result<ResolvedWit>> {
  return collectDiagnostics(async () => {
    const { resolve, packages } = await loadWitPath(path, options);
    return { resolve, packages, main: packages[packages.length - 1]! };
  });
}

/**
 * Resolves in-memory WIT: the files of one package (plus nested packages), as if they were the
 * `.wit` files of one directory without `deps/`. Throwing variant: `loadWitSource`.
 */
export async function resolveWit(
  files: string | readonly WitSource[],
  options: LoadOptions = {},
): Promise<Result<ResolvedWit>> {
  const list = typeof files === 'string' ? [{ path: 'input.wit', text: files }] : files;
  return collectDiagnostics(() => {
    const { resolve, main } = loadWitSource(list, options);
    const packages = resolve.packages.map((_, i) => i as PackageId).filter((id) => id !== main);
    return { resolve, packages: [...packages, main], main };
  });
}

/** What {@link generateBindings} generates from. */
export type BindingsInput =
  /** A `.wit` file, a package directory, or a component binary (`.wasm`) on disk. */
  | { readonly path: string }
  /** In-memory WIT (one package), as for {@link resolveWit}. */
  | { readonly wit: string | readonly WitSource[] }
  /** A component binary; the files are named after `name` (default `component`). */
  | { readonly component: Uint8Array; readonly name?: string }
  /** A world of a model resolved already. */
  | { readonly resolve: Resolve; readonly world: WorldId };

/** The generated files: relative path → contents, in a stable order. */
export interface GeneratedBindings {
  readonly files: Files;
}

/**
 * Generates bindings and returns the files (writing them is the caller's choice), with
 * diagnostics as data. Throwing variants: `generate` (paths), `generateWorld` (a resolved
 * world), `generateComponent` (component bytes).
 */
export function generateBindings(
  input: string | BindingsInput,
  options: GenerateOptions = {},
): Promise<Result<GeneratedBindings>> {
  return collectDiagnostics(async () => {
    const it: BindingsInput = typeof input === 'string' ? { path: input } : input;
    if ('path' in it) return { files: await generate(it.path, options) };
    if ('component' in it) {
      return { files: await generateComponent(it.component, { ...options, ...(it.name !== undefined ? { name: it.name } : {}) }) };
    }
    if ('wit' in it) {
      const list = typeof it.wit === 'string' ? [{ path: 'input.wit', text: it.wit }] : it.wit;
      const { resolve, main } = loadWitSource(list, options);
      return { files: await generateWorld(resolve, selectWorld(resolve, main, options.world), options) };
    }
    return { files: await generateWorld(it.resolve, it.world, options) };
  });
}
