/**
 * The programmatic entry point: WIT → files. Writing them is the caller's choice.
 */
import { printPlan } from './abi/print-plan.js';
import type { StringEncoding } from './abi/instructions.js';
import { emitWorldModule } from './emit/core-module-host.js';
import { formatJs, formatTs } from './emit/format.js';
import { tsToJs } from './emit/to-js.js';
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
}

/** Generated files: relative path → contents, in a stable order. */
export type Files = Map<string, string>;

/** Generates the bindings of one world of a WIT path. */
export async function generate(witPath: string, options: GenerateOptions = {}): Promise<Files> {
  const { resolve, packages } = await loadWitPath(witPath, options);
  const world = selectWorld(resolve, packages[packages.length - 1]!, options.world);
  return generateWorld(resolve, world, options);
}

/** Generates the bindings of a world of an already resolved model. */
export async function generateWorld(resolve: Resolve, world: WorldId, options: GenerateOptions = {}): Promise<Files> {
  const name = resolve.worlds[world]!.name;
  const module = emitWorldModule(resolve, world, {
    ...(options.encoding ? { encoding: options.encoding } : {}),
    ...(options.runtime ? { runtime: options.runtime } : {}),
  });
  const files: Files = new Map();
  const ts = await formatTs(module.source);
  if (options.js) {
    const out = await tsToJs(ts, `${name}.ts`);
    files.set(`${name}.js`, await formatJs(out.js));
    files.set(`${name}.d.ts`, await formatTs(out.dts));
  } else {
    files.set(`${name}.ts`, ts);
  }
  if (options.plans) files.set(`${name}.plan.txt`, module.plans.map((p) => printPlan(p, resolve)).join('\n'));
  return files;
}
