// A plugin host (the pattern behind Envoy, Zed and Figma plugins): every `*.wasm` component in a
// folder is a plugin of the `witbind:plugins/plugin` world. Each gets its own instance, typed
// bindings, and only what the host hands it: a log tagged with its name and the data entries the
// host chose for it. A plugin has no other imports (no WASI), so it can reach nothing else.
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ComponentError } from 'witbind/runtime';
import { instantiateComponent } from './generated/plugin.js';

/**
 * Instantiates every plugin in `dir`. `data[name][key]` is what plugin `name` gets from
 * `get-data(key)` (strings are handed over as UTF-8); `log(name, level, msg)` receives its log.
 * Returns `name → run(input)`, where `run` returns the output or throws ComponentError(message).
 */
export async function loadPlugins(dir, { data = {}, log = () => {} } = {}) {
  const plugins = new Map();
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.wasm')).sort()) {
    const name = basename(file, '.wasm');
    const own = data[name] ?? {};
    const exports = await instantiateComponent(await readFile(join(dir, file)), {
      'witbind:plugins/host@0.1.0': {
        log: (level, msg) => log(name, level, msg),
        getData: (key) => {
          const v = Object.hasOwn(own, key) ? own[key] : undefined;
          return typeof v === 'string' ? new TextEncoder().encode(v) : v;
        },
      },
    });
    plugins.set(name, exports.run);
  }
  return plugins;
}

/** Runs every plugin on `input`; returns `name → { ok } | { err }`. */
export function runAll(plugins, input) {
  const out = new Map();
  for (const [name, run] of plugins) {
    try {
      out.set(name, { ok: run(input) });
    } catch (e) {
      if (!(e instanceof ComponentError)) throw e;
      out.set(name, { err: e.payload });
    }
  }
  return out;
}
