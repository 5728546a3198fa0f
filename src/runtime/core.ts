/**
 * Loading and linking helpers of the core-module hosting mode.
 *
 * @module
 */
import { IN_IMPORT, type CoreExportsLike, type CoreInstance } from './instance.js';

/** A core wasm function as JS sees it. */
export type CoreFn = (...args: never[]) => unknown;

/** The export `name` of a core instance, which must be a function. */
export function coreFunc(ex: CoreExportsLike, name: string): (...args: any[]) => any {
  const f = ex[name];
  if (typeof f !== 'function') {
    throw new TypeError(`the core module does not export function \`${name}\` (canonical ABI core naming)`);
  }
  return f as (...args: any[]) => any;
}

/** The export `name` if present (post-return functions are optional). */
export function optionalCoreFunc(ex: CoreExportsLike, name: string): ((...args: any[]) => any) | undefined {
  const f = ex[name];
  return typeof f === 'function' ? (f as (...args: any[]) => any) : undefined;
}

/**
 * The post-return export `name` if present, wrapped so that it runs with `may_leave` false
 * (definitions.py `canon_lift`: a post-return that calls an import traps). Built once at bind
 * time, so a call whose function has no post-return pays only `pr?.(…)`.
 */
export function postReturnFunc(
  st: { mayLeave: boolean },
  ex: CoreExportsLike,
  name: string,
): ((ret?: unknown) => void) | undefined {
  const f = ex[name];
  if (typeof f !== 'function') return undefined;
  const post = f as (ret?: unknown) => unknown;
  return (ret?: unknown): void => {
    // No try/finally: a throw fails the call, and CoreInstance.fail sets may_leave again.
    st.mayLeave = false;
    post(ret);
    st.mayLeave = true;
  };
}

/**
 * The host implementation of an imported interface: `imports[name]`, or the unversioned name
 * when unambiguous (`wasi:cli/environment` for `wasi:cli/environment@0.2.0`). Every function in
 * `functions` and resource class in `classes` is checked once, here at link time, so calls go
 * straight to the host object. Name `$root` with `{ $root: imports }` checks the world-level
 * functions and resource classes of `imports` itself.
 */
export function importTable(
  imports: object,
  name: string,
  functions: readonly string[],
  classes: readonly string[] = [],
): Record<string, unknown> {
  const table = imports as Record<string, unknown>;
  let v = table[name];
  if (v === undefined) {
    const at = name.indexOf('@');
    if (at >= 0) v = table[name.slice(0, at)];
  }
  if (v === undefined || v === null || typeof v !== 'object') {
    throw new TypeError(`missing import \`${name}\`: expected an object implementing the interface`);
  }
  const impl = v as Record<string, unknown>;
  const where = name === '$root' ? 'the imports object' : `import \`${name}\``;
  for (const f of functions) {
    if (typeof impl[f] !== 'function') throw new TypeError(`${where} has no function \`${f}\``);
  }
  for (const c of classes) {
    if (typeof impl[c] !== 'function') throw new TypeError(`${where} has no resource class \`${c}\``);
  }
  return impl;
}

/** Compiles a core module from bytes or a `Response` (streaming when available). */
export async function compileCore(
  source: BufferSource | WebAssembly.Module | Response | PromiseLike<Response>,
): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  const awaited = await source;
  if (typeof Response !== 'undefined' && awaited instanceof Response) {
    if (typeof WebAssembly.compileStreaming === 'function') {
      try {
        return await WebAssembly.compileStreaming(awaited.clone());
      } catch {
        // Wrong MIME type and similar: fall back to bytes.
      }
    }
    return WebAssembly.compile(await awaited.arrayBuffer());
  }
  return WebAssembly.compile(awaited as BufferSource);
}

/**
 * Instantiates a compiled core module with the bindings' imports plus raw extra ones, runs
 * `_initialize`. The raw functions are wrapped so that while one runs the instance counts as in
 * an import (`state`, when given): host code calling back into the instance from there is
 * reentrance, which traps. Nothing else changes for them (no checks, exceptions pass through:
 * `proc_exit` of `node:wasi` throws to unwind).
 */
export async function instantiateCoreModule(
  module: WebAssembly.Module,
  imports: WebAssembly.Imports,
  extra: WebAssembly.Imports | undefined,
  state?: CoreInstance,
): Promise<CoreExportsLike> {
  const merged: WebAssembly.Imports = { ...imports };
  if (extra) {
    for (const [k, v] of Object.entries(extra)) {
      const ns: Record<string, WebAssembly.ImportValue> = { ...(merged[k] ?? {}) };
      for (const [name, value] of Object.entries(v)) ns[name] = state && typeof value === 'function' ? asImport(state, value as (...args: never[]) => unknown) : value;
      merged[k] = ns;
    }
  }
  const instance = await WebAssembly.instantiate(module, merged);
  const ex = instance.exports as unknown as CoreExportsLike;
  const init = ex['_initialize'];
  if (typeof init === 'function') (init as () => void)();
  return ex;
}

/** `f` (a raw core import) marked as an import of `st` while it runs. */
function asImport(st: CoreInstance, f: (...args: never[]) => unknown): (...args: never[]) => unknown {
  return (...args) => {
    st.state |= IN_IMPORT;
    try {
      return f(...args);
    } finally {
      st.state &= ~IN_IMPORT;
    }
  };
}
