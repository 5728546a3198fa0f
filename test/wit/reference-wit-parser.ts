/**
 * wasm-tools' wit-parser as a test oracle: `@bytecodealliance/jco-transpile` (a devDependency)
 * bundles wasm-tools compiled to wasm. `componentEmbed` with a dummy module parses and resolves a
 * WIT path the way wit-parser does; its error (the outermost message of the chain, no location)
 * says why not. Null when the package is not installed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './resolve-helpers.js';

export interface ReferenceWitParser {
  /** The wit-parser version inside the wasm build. */
  readonly version: string;
  /** null when `path` (a `.wit` file or package directory) resolves, else the error message. */
  check(path: string, features?: readonly string[]): string | null;
}

export async function loadReferenceWitParser(): Promise<ReferenceWitParser | null> {
  const base = join(repoRoot, 'node_modules', '@bytecodealliance', 'jco-transpile');
  const tools = join(base, 'vendor', 'wasm-tools.js');
  const fsShim = [base, repoRoot]
    .map((dir) =>
      join(
        dir,
        'node_modules',
        '@bytecodealliance',
        'preview2-shim',
        'dist',
        'nodejs',
        'filesystem.js',
      ),
    )
    .find((p) => existsSync(p));
  if (!existsSync(tools) || !fsShim) return null;
  const wt = (await import(pathToFileURL(tools).href)) as {
    $init: Promise<void>;
    tools: { componentEmbed(opts: unknown): Uint8Array };
  };
  const shim = (await import(pathToFileURL(fsShim).href)) as {
    _setPreopens(p: Record<string, string>): void;
  };
  await wt.$init;
  shim._setPreopens({ '/': '/' });
  const wasm = readFileSync(join(base, 'vendor', 'wasm-tools.core.wasm'), 'latin1');
  return {
    version: /wit-parser-(\d+\.\d+\.\d+)/.exec(wasm)?.[1] ?? 'unknown',
    check(path, features = []) {
      try {
        wt.tools.componentEmbed({
          witPath: path,
          dummy: true,
          features: features.length > 0 ? { tag: 'list', val: [...features] } : { tag: 'all' },
        });
        return null;
      } catch (e) {
        const msg = String((e as { payload?: unknown })?.payload ?? (e as Error)?.message ?? e);
        // World selection comes after resolution: the package itself is fine.
        if (
          /contains no worlds|multiple worlds|one must be explicitly chosen|world '.*' not found/.test(
            msg,
          )
        )
          return null;
        return msg;
      }
    },
  };
}
