/**
 * Public entry points of the WIT front end: load a path or in-memory files into a resolved
 * {@link Resolve}, serialize it as the reference JSON, and select a world.
 *
 * Pipeline: read (fs.ts) → parse each file (parse.ts) → group files into packages and resolve
 * each package locally (resolve/group.ts, resolve/package*.ts) → order and link packages
 * (resolve/resolve.ts, link.ts, include.ts, elaborate.ts).
 */
import type * as ast from './ast.js';
import { WitError, type WitDiagnostic } from './errors.js';
import type { PackageId, Resolve, WorldId } from './model.js';
import { parseWitFile } from './parse.js';
import { readWitPath, WitIoError, type WitSourceGroup } from './resolve/fs.js';
import { groupPackageFiles } from './resolve/group.js';
import { resolvePackage } from './resolve/package.js';
import { packageKey, type PackageSource, type UnresolvedPackage } from './resolve/unresolved.js';
import { ResolveBuilder, selectWorldIn, type UnresolvedGroup } from './resolve/resolve.js';
import { resolveToJsonObject } from './resolve-json.js';
import { SourceMap } from './source-map.js';

/** Which `@unstable(feature = …)` items to keep. */
export interface LoadOptions {
  /** Features to enable. */
  readonly features?: readonly string[];
  /** Enable every feature. */
  readonly allFeatures?: boolean;
}

/**
 * Loads a `.wit` file or a package directory (with its `deps/`) and resolves everything.
 *
 * @returns the resolve and the ids of all packages loaded, the main package last.
 * @throws {WitError} with every diagnostic found.
 */
export async function loadWitPath(
  path: string,
  opts: LoadOptions = {},
): Promise<{ resolve: Resolve; packages: PackageId[] }> {
  const sourceMap = new SourceMap();
  let contents;
  try {
    contents = await readWitPath(path);
  } catch (e) {
    if (e instanceof WitIoError) throw new WitError([e.diagnostic], sourceMap);
    throw e;
  }
  const { resolve, ids, main } = loadGroups(sourceMap, [contents.main, ...contents.deps], opts);
  return { resolve, packages: [...ids.filter((id) => id !== main), main] };
}

/**
 * Resolves in-memory files forming one package (plus any nested packages), as if they were the
 * `.wit` files of one directory without dependencies.
 *
 * @throws {WitError} with every diagnostic found.
 */
export function loadWitSource(
  files: readonly { path: string; text: string }[],
  opts: LoadOptions = {},
): { resolve: Resolve; main: PackageId } {
  const sourceMap = new SourceMap();
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const { resolve, main } = loadGroups(sourceMap, [{ path: '', files: sorted, context: [] }], opts);
  return { resolve, main };
}

/** The resolved model as the reference (wasm-tools) JSON object. */
export function resolveToJson(resolve: Resolve): unknown {
  return resolveToJsonObject(resolve);
}

/**
 * Chooses a world of package `pkg`: the named one (`name`, or `ns:pkg/name@version`), or the
 * package's only world when `world` is omitted.
 *
 * @throws {WitError} when there is no such world or the choice is ambiguous.
 */
export function selectWorld(resolve: Resolve, pkg: PackageId, world?: string): WorldId {
  const result = selectWorldIn(resolve, pkg, world);
  if (typeof result === 'string') {
    throw new WitError([{ kind: 'resolve', message: result, span: null }], resolve.sourceMap);
  }
  return result;
}

/** Parses, resolves and links groups; the first group holds the main package. */
function loadGroups(
  sourceMap: SourceMap,
  groups: readonly WitSourceGroup[],
  opts: LoadOptions,
): { resolve: Resolve; ids: PackageId[]; main: PackageId } {
  try {
    return loadGroupsUnguarded(sourceMap, groups, opts);
  } catch (e) {
    if (!(e instanceof RangeError) || !/call stack/i.test(e.message)) throw e;
    // Textual nesting is bounded by the parser (MAX_NESTING), but chains of `use`, `include` or
    // packages thousands long can exhaust the stack of the (recursive) resolver: report that at
    // the start of the first file rather than crash.
    const first = sourceMap.files[0];
    const span = first ? { start: first.offset, end: first.offset + Math.min(1, first.text.length) } : null;
    const message = 'dependencies are nested too deeply to resolve (chains of `use`, `include` or packages thousands long)';
    throw new WitError([{ kind: 'resolve', message, span }], sourceMap);
  }
}

function loadGroupsUnguarded(
  sourceMap: SourceMap,
  groups: readonly WitSourceGroup[],
  opts: LoadOptions,
): { resolve: Resolve; ids: PackageId[]; main: PackageId } {
  const diagnostics: WitDiagnostic[] = [];
  const unresolved: UnresolvedGroup[] = [];
  for (const group of groups) {
    const files: ast.File[] = [];
    for (const src of group.files) {
      const parsed = parseWitFile(sourceMap, src.path, src.text);
      diagnostics.push(...parsed.diagnostics.map((d) => withContext(d, group.context)));
      if (parsed.file) files.push(parsed.file);
    }
    if (diagnostics.length > 0) continue;
    const grouped = groupPackageFiles(files, group.context);
    if (Array.isArray(grouped)) {
      diagnostics.push(...grouped);
      continue;
    }
    const resolveOne = (source: PackageSource): UnresolvedPackage | null => {
      const r = resolvePackage(source, sourceMap);
      if (Array.isArray(r)) {
        diagnostics.push(...r);
        return null;
      }
      return r;
    };
    const nested = grouped.nested.map(resolveOne);
    const main = resolveOne(grouped.main);
    if (main && nested.every((n) => n !== null)) {
      unresolved.push({ main, nested: nested as UnresolvedPackage[] });
    }
  }
  if (diagnostics.length > 0) throw new WitError(diagnostics, sourceMap);

  const builder = new ResolveBuilder(sourceMap, opts);
  const ids = builder.pushGroups(unresolved);
  if (!isIds(ids)) throw new WitError(ids, sourceMap);
  const mainKey = packageKey(unresolved[0]!.main.name);
  const main = ids.find((id) => packageKey(builder.resolve.packages[id]!.name) === mainKey)!;
  return { resolve: builder.resolve, ids, main };
}

function isIds(x: PackageId[] | WitDiagnostic[]): x is PackageId[] {
  return x.every((v) => typeof v === 'number');
}

function withContext(d: WitDiagnostic, context: readonly string[]): WitDiagnostic {
  return context.length === 0 ? d : { ...d, context: [...context, ...(d.context ?? [])] };
}
