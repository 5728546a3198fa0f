/**
 * Reading WIT from the file system; the only `node:fs` user in `src/wit`.
 *
 * A path is a `.wit` file (one package, possibly with nested packages) or a directory: one package
 * made of the `*.wit` files directly inside it (sorted by name), plus dependencies in `deps/`, each
 * entry (sorted by name) being a package directory (no nested `deps/`) or a single `.wit` file.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import type { WitDiagnostic } from '../errors.js';

/** A file to parse: the path shown in diagnostics and its text. */
export interface WitSourceFile {
  readonly path: string;
  readonly text: string;
}

/** One source of packages: a directory package or a single file, with diagnostic context. */
export interface WitSourceGroup {
  readonly path: string;
  readonly files: readonly WitSourceFile[];
  /** Context prefixes for diagnostics about this group ("failed to parse package: dir"). */
  readonly context: readonly string[];
}

/** What a path holds: the main group and the dependency groups (directories only). */
export interface WitPathContents {
  readonly main: WitSourceGroup;
  readonly deps: readonly WitSourceGroup[];
}

/** Thrown for unreadable paths; carries a diagnostic without a span. */
export class WitIoError extends Error {
  constructor(readonly diagnostic: WitDiagnostic) {
    super(diagnostic.message);
    this.name = 'WitIoError';
  }
}

function ioError(message: string, cause: unknown, context: readonly string[] = []): WitIoError {
  const detail = cause instanceof Error && 'code' in cause ? ` (${String(cause.code)})` : '';
  return new WitIoError({ kind: 'io', message: `${message}${detail}`, span: null, context });
}

/** Joins path segments with `/`, without normalizing (paths are displayed as given). */
export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function readText(path: string, context: readonly string[]): Promise<WitSourceFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw ioError(`failed to read path for WIT [${path}]`, e, context);
  }
  const text = new TextDecoder('utf-8', { fatal: true });
  try {
    return { path, text: text.decode(bytes) };
  } catch {
    throw ioError(`input file is not valid utf-8 [${path}]`, null, context);
  }
}

/** The `*.wit` files directly in a directory, sorted by name. */
async function readPackageDir(dir: string, context: readonly string[]): Promise<WitSourceFile[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw ioError(`failed to read directory ${dir}`, e, context);
  }
  const names = entries.map((e) => e.name).sort(compareNames);
  const files: WitSourceFile[] = [];
  for (const name of names) {
    if (!name.endsWith('.wit')) continue;
    const path = joinPath(dir, name);
    if (await isDirectory(path)) continue;
    files.push(await readText(path, context));
  }
  return files;
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Reads a `.wit` file or a package directory with its `deps/`. */
export async function readWitPath(path: string): Promise<WitPathContents> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (e) {
    throw ioError(`failed to read path for WIT [${path}]`, e);
  }
  if (!isDir) {
    return { main: { path, files: [await readText(path, [])], context: [] }, deps: [] };
  }

  const mainContext = [`failed to parse package: ${path}`];
  const main: WitSourceGroup = { path, files: await readPackageDir(path, mainContext), context: mainContext };
  const depsDir = joinPath(path, 'deps');
  const deps: WitSourceGroup[] = [];
  if (await isDirectory(depsDir)) {
    const depsContext = [`failed to parse dependency directory: ${depsDir}`];
    let entries: string[];
    try {
      entries = (await readdir(depsDir)).sort(compareNames);
    } catch (e) {
      throw ioError('failed to read directory', e, depsContext);
    }
    for (const name of entries) {
      const dep = joinPath(depsDir, name);
      if (await isDirectory(dep)) {
        const context = [...depsContext, `failed to parse package: ${dep}`];
        deps.push({ path: dep, files: await readPackageDir(dep, context), context });
      } else if (name.endsWith('.wit')) {
        deps.push({ path: dep, files: [await readText(dep, depsContext)], context: depsContext });
      }
      // Other files (`.DS_Store`, encoded `.wasm` packages) are ignored.
    }
  }
  return { main, deps };
}
