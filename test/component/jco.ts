// The reference host: the same component transpiled by `jco transpile` (the dev dependency
// @bytecodealliance/jco, its JS API), so every component test can run it side by side with
// witbind's bindings.
//
// Transpiled in `instantiation: 'async'` mode: the output exports `instantiate(getCoreModule,
// imports)`, so
// - imports are passed per instance, as an object (like witbind's), instead of being ES imports
//   resolved once per module (jco's default ESM output, whose WASI imports `--map` points at
//   preview2-shim); the tests pass preview2-shim's own interfaces (`wasiImports`), the ones
//   witbind uses by default;
// - the core modules are compiled once (`getCoreModule` below memoizes) and a component can be
//   instantiated any number of times — the counterpart of witbind's `compileComponent`;
// - no top-level await in the output (so `tlaCompat` does not matter here).
//
// The files are cached under .cache/jco/<name>/<hash of the component and jco's version>/.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transpile } from '@bytecodealliance/jco';
import { root } from './support.js';

/** A transpiled component: `instantiate(imports)` as often as wanted (core modules compiled once). */
export interface JcoComponent {
  /** jco's import names (`wasi:cli/stdout`, `test:kitchen-sink/host`, `log`, …): no versions. */
  readonly imports: readonly string[];
  /** Where the generated files are. */
  readonly dir: string;
  instantiate(imports: Record<string, unknown>): Promise<any>;
}

const jcoVersion = (
  JSON.parse(
    readFileSync(join(root, 'node_modules/@bytecodealliance/jco/package.json'), 'utf8'),
  ) as { version: string }
).version;

/** `jco transpile` of `bytes` (cached), loaded. */
export async function jcoTranspile(name: string, bytes: Uint8Array): Promise<JcoComponent> {
  const hash = createHash('sha256')
    .update(bytes)
    .update(`\0jco ${jcoVersion}`)
    .digest('hex')
    .slice(0, 16);
  const dir = join(root, '.cache', 'jco', name, hash);
  const meta = join(dir, 'imports.json');
  if (!existsSync(meta)) {
    const out = await transpile(bytes, {
      name,
      instantiation: 'async',
      quiet: true,
      noTypescript: true,
    });
    // Write into a temporary directory, then rename: test files run in parallel workers.
    const tmp = `${dir}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    rmSync(tmp, { recursive: true, force: true });
    for (const [file, data] of Object.entries(out.files)) {
      const p = join(tmp, file);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, data);
    }
    writeFileSync(join(tmp, 'imports.json'), JSON.stringify(out.imports));
    try {
      renameSync(tmp, dir);
    } catch (e) {
      // Another worker got there first.
      rmSync(tmp, { recursive: true, force: true });
      if (!existsSync(meta)) throw e;
    }
  }
  const imports = JSON.parse(readFileSync(meta, 'utf8')) as string[];
  const mod = (await import(pathToFileURL(join(dir, `${name}.js`)).href)) as {
    instantiate(
      getCoreModule: (path: string) => Promise<WebAssembly.Module>,
      imports: Record<string, unknown>,
    ): Promise<any>;
  };
  const modules = new Map<string, Promise<WebAssembly.Module>>();
  const getCoreModule = (path: string): Promise<WebAssembly.Module> => {
    let m = modules.get(path);
    if (m === undefined) {
      m = WebAssembly.compile(readFileSync(join(dir, path)));
      modules.set(path, m);
    }
    return m;
  };
  // jco throws synchronously for a missing import: make it a rejection, like witbind.
  return { imports, dir, instantiate: async (imp) => mod.instantiate(getCoreModule, imp) };
}

/**
 * The import object jco's output expects, from witbind-shaped imports: interface imports keep
 * their name without the version (jco's keys are unversioned), a world-level function `f` becomes
 * `{ f: { default: f } }`.
 */
export function jcoImports(imports: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(imports)) {
    if (typeof v === 'function') out[name] = { default: v };
    else out[name.replace(/@[^/]*$/, '')] = v;
  }
  return out;
}

/** preview2-shim's implementation of every `wasi:*` name in `names` (jco's unversioned keys). */
export async function wasiImports(names: readonly string[]): Promise<Record<string, unknown>> {
  const shim = (await import('@bytecodealliance/preview2-shim')) as unknown as Record<
    string,
    Record<string, unknown>
  >;
  const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const m = /^wasi:([a-z0-9-]+)\/([a-z0-9-]+)/.exec(name);
    if (!m) continue;
    const impl = shim[camel(m[1]!)]?.[camel(m[2]!)];
    if (impl === undefined) throw new Error(`preview2-shim has no \`${name}\``);
    out[name] = impl;
  }
  return out;
}
