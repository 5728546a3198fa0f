// Test components and the reference tool (jco's build of wasm-tools), with a build cache.
//
// - C guests: the committed core modules in guests/<case>/ turned into components with
//   wit-component (`componentEmbed` + `componentNew`), cached under .cache/components/ by a hash
//   of their inputs.
// - componentize-js: the `xyz:machine` world in JS (test/component/fixtures/machine.js), built in
//   a child process (test/component/componentize.mjs); ~12 MB, so cached and never committed.
// - The oracle: `componentWit` (wit-component's decoder, printed as WIT) read back with witbind's
//   own WIT front end.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { componentEmbed, componentNew, componentWit, parse, print } from '@bytecodealliance/jco';
import { loadWitSource, selectWorld } from '../../src/wit/load.js';
import type { Resolve, WorldId } from '../../src/wit/model.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const cacheDir = join(root, '.cache', 'components');

export { componentWit, parse as parseWat };

type StringEncoding = 'utf8' | 'utf16' | 'compact-utf16';

export interface GuestCase {
  readonly name: string;
  readonly wit: string;
  readonly world: string;
  readonly encoding: StringEncoding;
}

/** The committed C guests (see guests/README.md). */
export const GUESTS: readonly GuestCase[] = [
  { name: 'machine', wit: 'wit/machine.wit', world: 'machine', encoding: 'utf8' },
  {
    name: 'kitchen-sink',
    wit: 'wit/codegen/kitchen-sink.wit',
    world: 'kitchen-sink',
    encoding: 'utf8',
  },
  {
    name: 'many-params',
    wit: 'wit/codegen/many-params.wit',
    world: 'many-params',
    encoding: 'utf8',
  },
  {
    name: 'strings-utf16',
    wit: 'wit/codegen/strings-utf16.wit',
    world: 'strings-utf16',
    encoding: 'utf16',
  },
  {
    name: 'strings-latin1',
    wit: 'wit/codegen/strings-latin1.wit',
    world: 'strings-latin1',
    encoding: 'compact-utf16',
  },
];

function toolVersion(pkg: string): string {
  const json = JSON.parse(
    readFileSync(join(root, 'node_modules', ...pkg.split('/'), 'package.json'), 'utf8'),
  ) as {
    version: string;
  };
  return json.version;
}

/** Returns the cached bytes for `parts`, building (and caching) them on a miss. */
async function cached(
  name: string,
  parts: readonly (string | Uint8Array)[],
  build: () => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  const file = join(cacheDir, `${name}-${h.digest('hex').slice(0, 16)}.wasm`);
  if (existsSync(file)) return new Uint8Array(readFileSync(file));
  const bytes = await build();
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(`${file}.tmp`, bytes);
  renameSync(`${file}.tmp`, file);
  return bytes;
}

/** A C guest as a component (wit-component with the guest's string encoding). */
export function guestComponent(g: GuestCase): Promise<Uint8Array> {
  const core = readFileSync(join(root, 'guests', g.name, `${g.name}.wasm`));
  const wit = readFileSync(join(root, g.wit), 'utf8');
  return cached(
    `guest-${g.name}`,
    [core, wit, g.world, g.encoding, toolVersion('@bytecodealliance/jco-transpile')],
    async () => {
      const embedded = await componentEmbed({
        binary: core,
        witSource: wit,
        world: g.world,
        stringEncoding: g.encoding,
        features: { tag: 'all' },
      });
      return componentNew(embedded);
    },
  );
}

/** A component from WAT text (wasm-tools `parse`), cached. */
export function watComponent(name: string, wat: string): Promise<Uint8Array> {
  return cached(`wat-${name}`, [wat, toolVersion('@bytecodealliance/jco-transpile')], () =>
    parse(wat),
  );
}

/**
 * The `xyz:machine` world built with componentize-js, or null when it cannot be built here
 * (the reason is returned instead).
 */
export function componentizeMachine(): Promise<Uint8Array | string> {
  return componentizeGuest(
    'machine',
    join(root, 'test', 'component', 'fixtures', 'machine.js'),
    join(root, 'wit', 'machine.wit'),
    'machine',
  );
}

/**
 * A JS guest (`source`, implementing `world` of the WIT file `wit`) built with componentize-js
 * and cached as `componentize-<name>`, or the reason it cannot be built here.
 */
export async function componentizeGuest(
  name: string,
  source: string,
  wit: string,
  world: string,
): Promise<Uint8Array | string> {
  let version: string;
  try {
    version = toolVersion('@bytecodealliance/componentize-js');
  } catch {
    return '@bytecodealliance/componentize-js is not installed';
  }
  try {
    return await cached(
      `componentize-${name}`,
      [readFileSync(source), readFileSync(wit), version],
      async () => {
        const out = join(cacheDir, `componentize-${name}-${process.pid}.wasm`);
        mkdirSync(cacheDir, { recursive: true });
        const r = spawnSync(
          process.execPath,
          [
            '--import',
            join(root, 'test', 'component', 'componentize-hook.mjs'),
            join(root, 'test', 'component', 'componentize.mjs'),
            source,
            wit,
            world,
            out,
          ],
          { cwd: root, encoding: 'utf8', timeout: 600_000 },
        );
        if (r.status !== 0)
          throw new Error(`componentize-js failed: ${r.stderr || r.stdout || r.error?.message}`);
        const bytes = new Uint8Array(readFileSync(out));
        rmSync(out);
        return bytes;
      },
    );
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

// ---------------------------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------------------------

/**
 * `ns:pkg/iface@v` → `root:component/ns-pkg-iface`. jco's `componentWit` prints only the root
 * package (`root:component`), so the oracle runs on a copy of the component whose interface
 * names are moved into that package: then wasm-tools prints every interface's definition.
 */
export function renameInterface(name: string): string {
  const m = /^([a-z0-9-]+(?::[a-z0-9-]+)*):([a-z0-9-]+)\/([a-z0-9-/]+)(?:@.*)?$/.exec(name);
  if (!m) return name;
  return `root:component/${m[1]!.replace(/:/g, '-')}-${m[2]}-${m[3]!.replace(/\//g, '-')}`;
}

const printed = new WeakMap<Uint8Array, Promise<string>>();

/** `wasm-tools print`, memoized per byte array (printing the 12 MB component takes seconds). */
export function printWat(bytes: Uint8Array): Promise<string> {
  let p = printed.get(bytes);
  if (!p) {
    p = print(bytes);
    printed.set(bytes, p);
  }
  return p;
}

/** The component with every `ns:pkg/iface@v` name string renamed (through WAT), cached. */
export function renamedComponent(bytes: Uint8Array): Promise<Uint8Array> {
  return cached('renamed', [bytes, toolVersion('@bytecodealliance/jco-transpile')], () =>
    renameThroughWat(bytes),
  );
}

async function renameThroughWat(bytes: Uint8Array): Promise<Uint8Array> {
  const wat = await printWat(bytes);
  const renamed = wat.replace(
    /"([a-z0-9-:]+\/[a-z0-9-/]+(?:@[0-9A-Za-z.+-]+)?)"/g,
    (all, name: string) => {
      const r = renameInterface(name);
      return r === name ? all : `"${r}"`;
    },
  );
  return parse(renamed);
}

export interface OracleWit {
  /** What wasm-tools printed. */
  readonly text: string;
  readonly resolve: Resolve;
  readonly world: WorldId;
}

/** `componentWit(bytes)` parsed and resolved by witbind's WIT front end. */
export async function oracleWit(bytes: Uint8Array): Promise<OracleWit> {
  const text = await componentWit(bytes);
  const { resolve, main } = loadWitSource([{ path: 'component.wit', text }], { allFeatures: true });
  return { text, resolve, world: selectWorld(resolve, main, 'root') };
}
