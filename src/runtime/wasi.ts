/**
 * Default WASI 0.2 imports for components: `wasi:<package>/<interface>@0.2.x` is served by
 * `@bytecodealliance/preview2-shim` (an optional peer dependency), the same implementation jco
 * uses, unless the caller provides the interface. Like jco's `--map`, an interface given in the
 * imports replaces the default, per interface.
 *
 * @module
 */

/** `terminal-input` → `terminalInput`. */
function camel(s: string): string {
  return s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Returns `imports` completed with preview2-shim's implementation of every name in `wasi` (full
 * interface names, `wasi:cli/stdout@0.2.0`) that `imports` does not provide.
 */
export async function withWasiDefaults<T extends object>(imports: T, wasi: readonly string[]): Promise<T> {
  const given = imports as Record<string, unknown>;
  const missing = wasi.filter((name) => given[name] === undefined && given[name.replace(/@.*$/, '')] === undefined);
  if (missing.length === 0) return imports;
  let shim: Record<string, Record<string, unknown>>;
  try {
    shim = (await import('@bytecodealliance/preview2-shim')) as unknown as Record<string, Record<string, unknown>>;
  } catch (e) {
    throw new TypeError(
      `the component imports ${missing.map((m) => `\`${m}\``).join(', ')}: provide them in the imports, or install @bytecodealliance/preview2-shim for the default WASI implementation (${String(e)})`,
    );
  }
  const out: Record<string, unknown> = { ...given };
  for (const name of missing) {
    const m = /^wasi:([a-z0-9-]+)\/([a-z0-9-]+)(?:@(.*))?$/.exec(name);
    const impl = m ? shim[camel(m[1]!)]?.[camel(m[2]!)] : undefined;
    if (impl === undefined) throw new TypeError(`@bytecodealliance/preview2-shim has no implementation of \`${name}\`: provide it in the imports`);
    if (m && m[3] !== undefined && !m[3].startsWith('0.2.')) {
      throw new TypeError(`\`${name}\`: preview2-shim implements WASI 0.2 only; provide this interface in the imports`);
    }
    out[name] = impl;
  }
  return out as T;
}
