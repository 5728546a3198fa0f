/**
 * The programmatic entry point: WIT → files. Writing them is the caller's choice.
 */
import { printPlan } from './abi/print-plan.js';
import type { StringEncoding } from './abi/instructions.js';
import { emitWorldModule } from './emit/core-module-host.js';
import { formatJs, formatTs } from './emit/format.js';
import { tsToJs } from './emit/to-js.js';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { decodeComponent, isComponentBinary } from './host/component/decode.js';
import { exportedLiftEncoding } from './host/component/encoding.js';
import type { Component } from './host/component/model.js';
import { ComponentWitError, componentToWit } from './host/component/to-wit.js';
import { loadWitPath, selectWorld, type LoadOptions } from './wit/load.js';
import type { Resolve, WorldId } from './wit/model.js';

export interface GenerateOptions extends LoadOptions {
  /** World to generate; the package's only world when omitted. */
  readonly world?: string;
  /** String encoding of the core module (`utf8` by default). */
  readonly encoding?: StringEncoding;
  /** Module specifier of the runtime imported by the bindings (default `witbind/runtime`). */
  readonly runtime?: string;
  /** Also return the text of every ABI plan (`<world>.plan.txt`). */
  readonly plans?: boolean;
  /** Emit `<world>.js` + `<world>.d.ts` instead of `<world>.ts` (needs `typescript`). */
  readonly js?: boolean;
  /** Format the output with prettier (pinned, deterministic). Default true. */
  readonly format?: boolean;
  /** Called as each step starts, for progress output. */
  readonly onProgress?: (event: ProgressEvent) => void;
}

/** A step of {@link generate}, reported through {@link GenerateOptions.onProgress}. */
export interface ProgressEvent {
  readonly step: 'load' | 'decode' | 'emit' | 'format' | 'transpile';
  /** What the step works on (a path, a world, a file name). */
  readonly detail: string;
}

/** Generated files: relative path → contents, in a stable order. */
export type Files = Map<string, string>;

/**
 * Generates the bindings of one world of a WIT path — or, given a component binary (`.wasm`),
 * of the world its type describes, named after the file, in the string encoding its canonical
 * functions use (unless `encoding` says otherwise).
 */
export async function generate(witPath: string, options: GenerateOptions = {}): Promise<Files> {
  const bytes = await componentBytes(witPath);
  if (bytes !== null) {
    const name = basename(witPath).replace(/\.wasm$/, '').replace(/\.component$/, '');
    return generateComponent(bytes, { ...options, name });
  }
  options.onProgress?.({ step: 'load', detail: witPath });
  const { resolve, packages } = await loadWitPath(witPath, options);
  const world = selectWorld(resolve, packages[packages.length - 1]!, options.world);
  return generateWorld(resolve, world, options);
}

/**
 * Generates the bindings of a component binary: the world its type describes (recovered as WIT),
 * in the string encoding its canonical functions use unless `encoding` says otherwise. The files
 * are named after `name` (default `component`).
 *
 * @throws {Error} named `ComponentDecodeError` or `ComponentWitError` for a malformed component
 * or one whose type WIT cannot express.
 */
export async function generateComponent(
  bytes: Uint8Array,
  options: Omit<GenerateOptions, 'world' | 'features' | 'allFeatures'> & { readonly name?: string } = {},
): Promise<Files> {
  const name = options.name ?? 'component';
  options.onProgress?.({ step: 'decode', detail: name });
  if (!isComponentBinary(bytes)) {
    throw new ComponentWitError(`${name} is not a WebAssembly component (a core module carries no WIT: generate from its .wit)`);
  }
  const component = decodeComponent(bytes);
  const { resolve, world } = componentToWit(component);
  return generateWorld(resolve, world, { encoding: componentEncoding(component), ...options }, name);
}

/** The bytes of `path` when it is a component binary; null for WIT (or a directory). */
async function componentBytes(path: string): Promise<Uint8Array | null> {
  if (!path.endsWith('.wasm')) return null;
  const bytes = new Uint8Array(await readFile(path));
  if (!isComponentBinary(bytes)) {
    throw new ComponentWitError(`${path} is not a WebAssembly component (a core module carries no WIT: generate from its .wit)`);
  }
  return bytes;
}

/**
 * The string encoding of the canonical functions the bindings drive: the lifts the root exports
 * (in a composition, an inner component's: found through the instance graph), else the root
 * component's own lifts and lowers (the first that names one). Inner components of a composition
 * keep theirs.
 */
function componentEncoding(c: Component): StringEncoding {
  const exported = exportedLiftEncoding(c);
  if (exported !== null) return exported;
  for (const d of c.definitions) {
    if (d.kind === 'canon' && (d.canon.op === 'lift' || d.canon.op === 'lower') && d.canon.options.stringEncoding !== null) {
      return d.canon.options.stringEncoding;
    }
  }
  return 'utf8';
}

/** Generates the bindings of a world of an already resolved model. */
export async function generateWorld(
  resolve: Resolve,
  world: WorldId,
  options: GenerateOptions = {},
  fileName?: string,
): Promise<Files> {
  const name = fileName ?? resolve.worlds[world]!.name;
  const progress = options.onProgress ?? (() => {});
  progress({ step: 'emit', detail: `world \`${resolve.worlds[world]!.name}\`` });
  const module = emitWorldModule(resolve, world, {
    ...(options.encoding ? { encoding: options.encoding } : {}),
    ...(options.runtime ? { runtime: options.runtime } : {}),
  });
  const files: Files = new Map();
  const format = options.format !== false;
  if (format) progress({ step: 'format', detail: `${name}.ts` });
  const ts = format ? await formatTs(module.source) : module.source;
  if (options.js) {
    progress({ step: 'transpile', detail: `${name}.ts` });
    const out = await tsToJs(ts, `${name}.ts`);
    files.set(`${name}.js`, format ? await formatJs(out.js) : out.js);
    files.set(`${name}.d.ts`, format ? await formatTs(out.dts) : out.dts);
  } else {
    files.set(`${name}.ts`, ts);
  }
  if (options.plans) files.set(`${name}.plan.txt`, module.plans.map((p) => printPlan(p, resolve)).join('\n'));
  return files;
}
