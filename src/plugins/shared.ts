/**
 * The one bundler-plugin core (unplugin) behind `witbind/vite`, `witbind/rollup`,
 * `witbind/rolldown`, `witbind/esbuild` and `witbind/webpack`:
 *
 * - `import … from './world.wit'` (or `'./world.wit?world=name&encoding=utf16'`) loads the
 *   bindings of a world, generated on the fly and turned into JavaScript;
 * - `import … from './guest.wasm'`, when the file is a component, loads the bindings of the world
 *   its type describes plus `componentUrl` (the binary, emitted as an asset and referenced with
 *   `new URL(…, import.meta.url)`) and `load(imports)`;
 * - every WIT file read (including `deps/`) is a watch file, so watch and dev modes regenerate;
 * - WIT errors are bundler errors located at file:line:col (Vite shows them in its overlay).
 *
 * Everything that can be tested without a bundler is in plain functions below the factory.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createUnplugin, type UnpluginBuildContext, type UnpluginContext, type UnpluginInstance } from 'unplugin';
import type { StringEncoding } from '../abi/instructions.js';
import { toDiagnostics, type Diagnostic } from '../diagnostics.js';
import { tsToDts, tsToJsOnly } from '../emit/to-js.js';
import { generateComponent, generateWorld } from '../generate.js';
import { isComponentBinary } from '../host/component/decode.js';
import { WitError } from '../wit/errors.js';
import { loadWitPath, selectWorld } from '../wit/load.js';
import type { WitbindPluginOptions } from './options.js';

export type { WitbindPluginOptions };

/** The runtime specifier the bindings import, resolved by the plugin to the runtime it ships with. */
const RUNTIME = 'witbind/runtime';
/** Query marking a component binary referenced as an asset (webpack's `new URL` handling). */
const ASSET_QUERY = 'witbind-asset';
/** Queries other plugins own: `?url`, `?raw`, `?init`, … on a `.wasm` file are not ours. */
const FOREIGN_QUERIES = ['url', 'raw', 'init', 'inline', 'worker', 'sharedworker', ASSET_QUERY];
const ENCODINGS: readonly StringEncoding[] = ['utf8', 'utf16', 'latin1+utf16'];

/** A module id the plugin loads. */
export interface WitbindId {
  readonly kind: 'wit' | 'component';
  /** Absolute path of the `.wit` file or `.wasm` component. */
  readonly file: string;
  readonly world?: string;
  readonly encoding?: StringEncoding;
  /** Load the file's directory as a package (also implied by a `deps/` folder next to the file). */
  readonly package: boolean;
  /** True when the id carries no option of ours (the import the `.d.ts` next to the file types). */
  readonly plain: boolean;
}

/**
 * Parses a module id (`/abs/world.wit?world=w&encoding=utf16`); null when it is not ours.
 * Queries bundlers add (`?v=…`, `?t=…`, `?import`) are ignored; unknown options are errors.
 */
export function parseWitbindId(id: string): WitbindId | null {
  const clean = id.replace(/^\0/, '');
  const q = clean.indexOf('?');
  const file = q < 0 ? clean : clean.slice(0, q);
  const kind = file.endsWith('.wit') ? 'wit' : file.endsWith('.wasm') ? 'component' : null;
  if (kind === null || !isAbsolute(file)) return null;
  const params = new URLSearchParams(q < 0 ? '' : clean.slice(q + 1));
  if (FOREIGN_QUERIES.some((k) => params.has(k))) return null;
  let world: string | undefined;
  let encoding: StringEncoding | undefined;
  let pkg = false;
  for (const [key, value] of params) {
    if (key === 'world' && kind === 'wit') world = value;
    else if (key === 'encoding') {
      if (!(ENCODINGS as readonly string[]).includes(value)) {
        throw new Error(`${file}: unknown string encoding \`${value}\` in the import query (expected ${ENCODINGS.join(', ')})`);
      }
      encoding = value as StringEncoding;
    } else if (key === 'package' && kind === 'wit') pkg = true;
    else if (!['v', 't', 'import', 'lang.ts', 'direct'].includes(key)) {
      throw new Error(`${file}: unknown option \`${key}\` in the import query (witbind reads ${kind === 'wit' ? 'world, encoding and package' : 'encoding'})`);
    }
  }
  return {
    kind,
    file,
    ...(world !== undefined ? { world } : {}),
    ...(encoding !== undefined ? { encoding } : {}),
    package: pkg,
    plain: world === undefined && encoding === undefined && !pkg,
  };
}

/** The path `loadWitPath` reads for a `.wit` import: the file, or its package directory. */
export function witLoadPath(id: WitbindId): string {
  const dir = dirname(id.file);
  return id.package || isDirectory(join(dir, 'deps')) ? dir : id.file;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Whether an id is worth loading, checked synchronously (webpack decides a module's type from
 * it): a `.wit` file, or a `.wasm` file whose first 8 bytes are a component's preamble — a core
 * module stays with whatever handles it (webpack's WebAssembly experiments, Vite's `?init`).
 */
export function isOurs(rawId: string): boolean {
  let id: WitbindId | null;
  try {
    id = parseWitbindId(rawId);
  } catch {
    return true; // reported by `load`
  }
  if (id === null) return false;
  if (id.kind === 'wit') return true;
  try {
    const fd = openSync(id.file, 'r');
    try {
      const head = new Uint8Array(8);
      return readSync(fd, head, 0, 8, 0) === 8 && isComponentBinary(head);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** The first bytes of a file: is it a component (not a core module, not something else)? */
async function readComponent(file: string): Promise<Uint8Array | null> {
  const bytes = new Uint8Array(await readFile(file));
  return isComponentBinary(bytes) ? bytes : null;
}

/** What the plugin generates for one id. */
export interface GeneratedModule {
  /** The module's JavaScript, with a `/*__WITBIND_COMPONENT_URL__*\/` placeholder for components. */
  readonly js: string;
  /** Declarations of the module (for the `.d.ts` next to the file). */
  readonly dts: string;
  /** Every file the module depends on (WIT files read, the component). */
  readonly watchFiles: readonly string[];
  /** The component binary (component imports only). */
  readonly component?: Uint8Array;
}

/** A failure carrying located diagnostics (WIT errors, malformed components). */
export class WitbindPluginError extends Error {
  constructor(
    readonly diagnostics: readonly Diagnostic[],
    readonly watchFiles: readonly string[],
  ) {
    super(diagnostics.map((d) => d.rendered).join('\n\n'));
    this.name = 'WitbindPluginError';
  }
}

/** Placeholder replaced by each bundler's way of writing the component's URL. */
export const COMPONENT_URL_PLACEHOLDER = '__WITBIND_COMPONENT_URL__';

/**
 * Generates the JavaScript (and declarations) of a `.wit` or component import.
 *
 * @returns null for a `.wasm` file that is not a component (left to other plugins).
 * @throws {WitbindPluginError} with the diagnostics of WIT and component errors.
 */
export async function generateModule(id: WitbindId, options: WitbindPluginOptions = {}): Promise<GeneratedModule | null> {
  const common = {
    runtime: RUNTIME,
    format: false,
    ...(options.features ? { features: options.features } : {}),
    ...(options.allFeatures ? { allFeatures: true } : {}),
  };
  const name = basename(id.file).replace(/\.(wit|wasm)$/, '');
  let watchFiles: string[] = [id.file];
  try {
    let ts: string;
    let component: Uint8Array | undefined;
    if (id.kind === 'component') {
      const bytes = await readComponent(id.file);
      if (bytes === null) return null;
      component = bytes;
      const files = await generateComponent(bytes, { ...common, name, ...(id.encoding ? { encoding: id.encoding } : {}) });
      ts = files.get(`${name}.ts`)!;
    } else {
      const path = witLoadPath(id);
      let loaded;
      try {
        loaded = await loadWitPath(path, common);
      } catch (e) {
        if (e instanceof WitError) watchFiles = witFiles(e.sourceMap.files, id, path);
        throw e;
      }
      const { resolve, packages } = loaded;
      watchFiles = witFiles(resolve.sourceMap.files, id, path);
      const world = selectWorld(resolve, packages[packages.length - 1]!, id.world ?? options.world);
      const encoding = id.encoding ?? options.encoding;
      const files = await generateWorld(resolve, world, { ...common, ...(encoding ? { encoding } : {}) }, name);
      ts = files.get(`${name}.ts`)!;
    }
    let js = await tsToJsOnly(ts, `${name}.ts`);
    let dts = await tsToDts(ts, `${name}.ts`);
    if (component) {
      js += componentLoader();
      dts += componentLoaderTypes();
    }
    return { js, dts, watchFiles, ...(component ? { component } : {}) };
  } catch (e) {
    const diagnostics = toDiagnostics(e);
    if (diagnostics === null) throw e;
    throw new WitbindPluginError(diagnostics, watchFiles);
  }
}

/** The WIT files read (absolute), plus the package directory and its `deps/` when loading one. */
function witFiles(files: readonly { path: string }[], id: WitbindId, loadPath: string): string[] {
  const out = new Set([id.file, ...files.map((f) => resolvePath(f.path))]);
  if (loadPath !== id.file) {
    out.add(loadPath);
    if (isDirectory(join(loadPath, 'deps'))) out.add(join(loadPath, 'deps'));
  }
  return [...out];
}

function componentLoader(): string {
  return `
import { fetchWasm as __witbindFetchWasm } from '${RUNTIME}';

/** The component binary, emitted with the bundle. */
export const componentUrl = ${COMPONENT_URL_PLACEHOLDER};

/**
 * Fetches (or, from a \`file:\` URL, reads) the component at \`componentUrl\` and instantiates it
 * with \`imports\`; returns its typed exports.
 */
export async function load(imports) {
  return instantiateComponent(await __witbindFetchWasm(componentUrl), imports);
}
`;
}

function componentLoaderTypes(): string {
  return `
/** The component binary, emitted with the bundle. */
export declare const componentUrl: URL;
/**
 * Fetches (or, from a \`file:\` URL, reads) the component at \`componentUrl\` and instantiates it
 * with \`imports\`; returns its typed exports.
 */
export declare function load(imports?: Imports): Promise<Exports>;
`;
}

/** The runtime shipped with this plugin: \`dist/runtime/index.js\` (or the source, in tests). */
function runtimeEntry(): string {
  const js = fileURLToPath(new URL('../runtime/index.js', import.meta.url));
  return existsSync(js) ? js : js.replace(/\.js$/, '.ts');
}

/** Writes `<file>.d.ts` when its contents change; a failure to write is a warning. */
async function writeDts(file: string, dts: string): Promise<string | null> {
  const path = `${file}.d.ts`;
  const text = `// Generated by witbind from ${basename(file)}. DO NOT EDIT.\n${dts}`;
  try {
    if ((await readFile(path, 'utf8').catch(() => null)) === text) return null;
    await writeFile(path, text);
    return null;
  } catch (e) {
    return `could not write ${path}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Short content hash for asset names. */
function hash8(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 8);
}

/**
 * A located bundler error from diagnostics (Rollup's `RollupError` shape): the first message,
 * the rendered text of any others, `loc` (1-based line and column, as the rendered
 * `--> file:line:col`), and the `-->` line with the snippet as `frame` (Vite's overlay shows it).
 */
export function bundlerError(err: WitbindPluginError, id: string) {
  const [first, ...rest] = err.diagnostics;
  const message = [first!.message, ...rest.map((d) => d.rendered)].join('\n\n');
  const frame = first!.rendered.split('\n').slice(1).join('\n');
  return {
    message,
    id,
    ...(first!.file !== null && first!.line !== null && first!.column !== null
      ? { loc: { file: resolvePath(first!.file), line: first!.line, column: first!.column }, frame }
      : {}),
  };
}

type LoadContext = UnpluginBuildContext & UnpluginContext;

/** The unplugin instance; each bundler entry exports one of its adapters. */
export const unplugin: UnpluginInstance<WitbindPluginOptions | undefined, false> = createUnplugin(
  (rawOptions: WitbindPluginOptions | undefined, meta) => {
    const options = rawOptions ?? {};
    const framework = meta.framework;
    let viteServe = false;
    const runtime = runtimeEntry();

    /** How this bundler writes the URL of the component asset (see each branch). */
    async function componentUrl(ctx: LoadContext, file: string, bytes: Uint8Array): Promise<string> {
      const name = `${basename(file).replace(/\.wasm$/, '')}-${hash8(bytes)}.wasm`;
      // Vite's dev server: the file itself, served from the file system. Vite builds with
      // Rollup's asset machinery, below.
      if (framework === 'vite' && viteServe) return `new URL(${JSON.stringify(`/@fs${file}`)}, import.meta.url)`;
      switch (framework) {
        case 'vite':
        case 'rollup':
        case 'rolldown': {
          const ref = (ctx.emitFile as (f: { type: 'asset'; name: string; source: Uint8Array }) => string)({
            type: 'asset',
            name: basename(file),
            source: bytes,
          });
          return `new URL(import.meta.ROLLUP_FILE_URL_${ref}, import.meta.url)`;
        }
        case 'webpack':
          // webpack turns `new URL('./x', import.meta.url)` into an asset module of its own.
          return `new URL(${JSON.stringify(`./${basename(file)}?${ASSET_QUERY}`)}, import.meta.url)`;
        case 'esbuild': {
          // esbuild has no asset references: copy the binary next to the bundle.
          const native = ctx.getNativeBuildContext?.();
          const initial = native && native.framework === 'esbuild' ? native.build.initialOptions : undefined;
          const outdir = initial?.outdir ?? (initial?.outfile ? dirname(initial.outfile) : undefined);
          if (outdir === undefined) throw new Error('witbind/esbuild: importing a component needs `outdir` or `outfile`');
          if (initial?.write !== false) {
            await mkdir(resolvePath(outdir), { recursive: true });
            await writeFile(join(resolvePath(outdir), name), bytes);
          }
          return `new URL(${JSON.stringify(`./${name}`)}, import.meta.url)`;
        }
        default:
          throw new Error(`witbind: importing a component is not supported with ${framework}`);
      }
    }

    return {
      name: 'witbind',
      enforce: 'pre',
      resolveId: {
        filter: { id: /(^witbind\/runtime$)|\.(wit|wasm)(\?.*)?$/ },
        async handler(source, importer) {
          // esbuild and webpack resolve these themselves (see `esbuild.setup` and `webpack`).
          if (framework === 'esbuild' || framework === 'webpack') return null;
          if (source === RUNTIME) return runtime;
          const q = source.indexOf('?');
          const path = q < 0 ? source : source.slice(0, q);
          const query = q < 0 ? '' : source.slice(q);
          if (!(path.startsWith('.') || isAbsolute(path))) return null;
          const base = importer ? dirname(importer.replace(/^\0/, '').replace(/\?.*$/, '')) : process.cwd();
          const file = resolvePath(base, path);
          if (!existsSync(file)) return null;
          const id = parseWitbindId(file + query);
          if (id === null) return null;
          if (id.kind === 'component' && (await readComponent(file)) === null) return null;
          return file + query;
        },
      },
      loadInclude: isOurs,
      load: {
        filter: { id: /\.(wit|wasm)(\?.*)?$/ },
        async handler(rawId) {
          const ctx = this as LoadContext;
          let id: WitbindId | null;
          try {
            id = parseWitbindId(rawId);
          } catch (e) {
            return fail(ctx, e instanceof Error ? e.message : String(e), rawId);
          }
          if (id === null) return null;
          let generated: GeneratedModule | null;
          try {
            generated = await generateModule(id, options);
          } catch (e) {
            if (!(e instanceof WitbindPluginError)) throw e;
            for (const f of e.watchFiles) ctx.addWatchFile(f);
            return fail(ctx, e, rawId);
          }
          if (generated === null) return null;
          for (const f of generated.watchFiles) ctx.addWatchFile(f);
          let js = generated.js;
          if (generated.component) {
            js = js.replace(COMPONENT_URL_PLACEHOLDER, await componentUrl(ctx, id.file, generated.component));
          }
          if (id.plain && options.dts !== false) {
            const warning = await writeDts(id.file, generated.dts);
            if (warning !== null) ctx.warn(warning);
          }
          return { code: js, map: null };
        },
      },
      vite: {
        configResolved(config) {
          viteServe = config.command === 'serve';
        },
      },
      esbuild: {
        loader: 'js',
        setup(build) {
          build.onResolve({ filter: /^witbind\/runtime$/ }, () => ({ path: runtime }));
          // A query is a suffix to esbuild: resolve the file, keep the query for `load`.
          build.onResolve({ filter: /\.wit\?/ }, (args) => {
            const q = args.path.indexOf('?');
            return { path: resolvePath(args.resolveDir, args.path.slice(0, q)), suffix: args.path.slice(q) };
          });
        },
      },
      webpack(compiler) {
        // unplugin's load rule matches on the resource path alone, so it would also claim (and
        // type as JavaScript) the `?witbind-asset` reference to the same component binary.
        for (const rule of compiler.options.module.rules) {
          if (rule && typeof rule === 'object' && Array.isArray(rule.use)) {
            const use = rule.use[0];
            const owner = use && typeof use === 'object' ? (use.options as { plugin?: { name?: string } } | undefined)?.plugin : undefined;
            if (owner?.name === 'witbind') rule.resourceQuery = { not: [new RegExp(`(^|[?&])${ASSET_QUERY}\\b`)] };
          }
        }
        const resolve = (compiler.options.resolve ??= {});
        const alias = resolve.alias;
        if (Array.isArray(alias)) alias.push({ name: RUNTIME, alias: runtime, onlyModule: true });
        else resolve.alias = { ...(alias ?? {}), [`${RUNTIME}$`]: runtime };
      },
    };

    /**
     * Reports an error the way each bundler locates it: Rollup's family takes a located error
     * (Vite's overlay shows file:line:col and the frame); esbuild collects `this.error` messages
     * with their location; webpack fails the module with the rendered text.
     */
    function fail(ctx: LoadContext, error: WitbindPluginError | string, id: string): string {
      const located = typeof error === 'string' ? { message: error, id } : bundlerError(error, id);
      if (framework === 'rollup' || framework === 'rolldown' || framework === 'vite') {
        (ctx.error as (e: unknown) => never)(located);
      }
      if (framework === 'esbuild' && 'loc' in located) {
        // esbuild counts columns from 0.
        ctx.error({ ...located, message: `${located.message}\n${located.frame}`, loc: { ...located.loc, column: located.loc.column - 1 } });
        return '';
      }
      if (framework === 'esbuild') {
        ctx.error(located);
        return '';
      }
      throw new Error(typeof error === 'string' ? error : error.message);
    }
  },
);
