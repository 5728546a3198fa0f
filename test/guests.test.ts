// The committed C guests (guests/<case>/<case>.wasm): they validate, their core imports and
// exports are exactly the names the canonical core naming convention gives their WIT worlds
// (written out by hand below, independent of witbind's own WIT code), wit-component (through
// jco's wasm-tools) accepts each against its world, names and core signatures alike, and, when
// clang for wasm32-wasi is installed, they are byte-identical to a fresh build of their sources.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { componentEmbed, componentNew } from '@bytecodealliance/jco';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

type StringEncoding = 'utf8' | 'utf16' | 'compact-utf16';

interface GuestSpec {
  /** WIT file (relative to the repository root) and world the guest implements. */
  readonly wit: string;
  readonly world: string;
  readonly encoding: StringEncoding;
  /** Every core export except `memory`, sorted by the test. */
  readonly exports: readonly string[];
  /** Every core import as `module#name`. */
  readonly imports: readonly string[];
}

/** Every guest exports these besides its world's functions. */
const COMMON = ['_initialize', 'cabi_realloc', 'allocated-bytes'];

/** `<key>#<f>` for each function, plus `cabi_post_<key>#<f>` for the ones listed in `post`. */
function iface(key: string, post: readonly string[], plain: readonly string[]): string[] {
  return [
    ...post.flatMap((f) => [`${key}#${f}`, `cabi_post_${key}#${f}`]),
    ...plain.map((f) => `${key}#${f}`),
  ];
}

function imports(module: string, names: readonly string[]): string[] {
  return names.map((n) => `${module}#${n}`);
}

const SPILL = [
  'echo-many',
  'mix',
  'swap-big',
  'combine-big',
  'call-echo-many',
  'call-swap-big',
  'self-test',
];

function stringsGuest(pkg: string, encoding: StringEncoding): GuestSpec {
  return {
    wit: `wit/codegen/${pkg}.wit`,
    world: pkg,
    encoding,
    exports: [
      ...COMMON,
      ...iface(
        `test:${pkg}/strings`,
        ['echo', 'make-latin1', 'make-wide', 'concat', 'roundtrip'],
        ['len', 'code-units', 'roundtrip-units', 'host-check'],
      ),
    ],
    imports: imports(`test:${pkg}/host`, ['echo']),
  };
}

const GUESTS: Record<string, GuestSpec> = {
  bench: {
    wit: 'wit/codegen/bench.wit',
    world: 'bench',
    encoding: 'utf8',
    exports: [
      ...COMMON,
      ...iface(
        'witbind:bench/api',
        ['str', 'list-u32', 'list-u8', 'items', 'values', 'strs'].flatMap((k) => [`echo-${k}`, `make-${k}`]).concat('half'),
        ['noop', 'add', 'many', ...['str', 'list-u32', 'list-u8', 'items', 'values', 'strs'].map((k) => `len-${k}`)],
      ),
    ],
    imports: [],
  },
  'plugin-upper': {
    wit: 'examples/plugin-host/wit/plugin.wit',
    world: 'plugin',
    encoding: 'utf8',
    // `allocated-bytes` is an extra core export (the plugin world has only `run`).
    exports: [...COMMON, 'run', 'cabi_post_run'],
    imports: imports('witbind:plugins/host@0.1.0', ['log', 'get-data']),
  },
  machine: {
    wit: 'wit/machine.wit',
    world: 'machine',
    encoding: 'utf8',
    // `allocated-bytes` is an extra core export here: the world is exactly the issue's.
    exports: [
      ...COMMON,
      ...iface(
        'xyz:machine/machine-interface',
        ['get-str', 'get-vec', 'run'],
        ['get-u32', 'count-symbols'],
      ),
    ],
    imports: [],
  },
  'many-params': {
    wit: 'wit/codegen/many-params.wit',
    world: 'many-params',
    encoding: 'utf8',
    exports: [
      ...COMMON,
      ...iface('test:many-params/api', SPILL, [
        'sixteen',
        'seventeen',
        'divmod',
        'call-sixteen',
        'call-seventeen',
      ]),
    ],
    imports: imports('test:many-params/host', ['echo-many', 'swap-big', 'sixteen', 'seventeen']),
  },
  'strings-utf16': stringsGuest('strings-utf16', 'utf16'),
  'strings-latin1': stringsGuest('strings-latin1', 'compact-utf16'),
  'kitchen-sink': {
    wit: 'wit/codegen/kitchen-sink.wit',
    world: 'kitchen-sink',
    encoding: 'utf8',
    exports: [
      ...COMMON,
      'greet',
      'cabi_post_greet',
      'init-count',
      ...iface(
        'test:kitchen-sink/echoes',
        [
          'echo-string',
          'echo-list-u8',
          'echo-list-s8',
          'echo-list-u16',
          'echo-list-s16',
          'echo-list-u32',
          'echo-list-s32',
          'echo-list-u64',
          'echo-list-s64',
          'echo-list-f32',
          'echo-list-f64',
          'echo-list-bool',
          'echo-list-char',
          'echo-list-string',
          'echo-list-point',
          'echo-list-person',
          'echo-list-list-u8',
          'echo-list-shape',
          'echo-list-wide',
          'echo-list-option-u32',
          'echo-fixed-strings',
          'echo-tuple',
          'echo-line',
          'echo-person',
          'echo-shape',
          'echo-option-string',
          'echo-option-option-string',
          'echo-result-err-string',
          'echo-result-string-color',
          'echo-result-point-string',
          'echo-option-result',
          'echo-map',
          'echo-map-u32-string',
          'echo-nested',
        ],
        [
          'echo-bool',
          'echo-u8',
          'echo-s8',
          'echo-u16',
          'echo-s16',
          'echo-u32',
          'echo-s32',
          'echo-u64',
          'echo-s64',
          'echo-f32',
          'echo-f64',
          'echo-char',
          'echo-ints',
          'echo-fixed-u32',
          'echo-fixed-one',
          'echo-fixed-points',
          'echo-point',
          'echo-mixed',
          'echo-number',
          'echo-real',
          'echo-color',
          'echo-wide',
          'echo-flags8',
          'echo-flags16',
          'echo-flags32',
          'echo-option-u32',
          'echo-option-f64',
          'echo-option-point',
          'echo-option-option-u32',
          'echo-result-unit',
          'echo-result-ok-u32',
          'echo-result-f32-f64',
        ],
      ),
      ...iface(
        'test:kitchen-sink/compute',
        [
          'repeat',
          'split',
          'join',
          'iota',
          'make-person',
          'oldest',
          'describe-shape',
          'parse-u32',
          'map-invert',
          'nested-summary',
        ],
        [
          'bits-f32',
          'bits-f64',
          'f32-from-bits',
          'f64-from-bits',
          'char-code',
          'char-from-code',
          'sum-ints',
          'string-stats',
          'sum-u32',
          'sum-f64',
          'number-value',
          'real-value',
          'flags8-bits',
          'flags16-bits',
          'flags32-bits',
          'flags8-from-bits',
          'flags16-from-bits',
          'flags32-from-bits',
          'wide-index',
          'wide-from-index',
          'option-depth',
          'checked-div',
          'map-sum',
          'fixed-sum',
          'fixed-iota',
        ],
      ),
      ...iface(
        'test:kitchen-sink/calls',
        [
          'roundtrip-string',
          'roundtrip-list-u32',
          'roundtrip-list-string',
          'roundtrip-person',
          'roundtrip-shape',
          'roundtrip-option-string',
          'roundtrip-result-point-string',
          'roundtrip-tuple',
          'roundtrip-map',
          'roundtrip-nested',
          'self-test',
          'counter-demo',
        ],
        [
          'roundtrip-bool',
          'roundtrip-s8',
          'roundtrip-u64',
          'roundtrip-f32',
          'roundtrip-f64',
          'roundtrip-char',
          'roundtrip-mixed',
          'roundtrip-number',
          'roundtrip-real',
          'roundtrip-color',
          'roundtrip-wide',
          'roundtrip-flags32',
          'roundtrip-option-option-u32',
          'roundtrip-result-unit',
          'roundtrip-fixed-u32',
          'make-counter',
          'counter-get',
          'counter-finish',
          'log-message',
        ],
      ),
      ...iface(
        'test:kitchen-sink/resources',
        ['[method]accumulator.label', 'make-accumulators', 'label-with'],
        [
          '[constructor]accumulator',
          '[method]accumulator.add',
          '[method]accumulator.total',
          '[static]accumulator.merge',
          '[static]accumulator.consume',
          '[dtor]accumulator',
          'live-accumulators',
          'total-of',
        ],
      ),
      ...iface(
        'test:kitchen-sink/traps',
        [],
        [
          'bad-char-surrogate',
          'bad-char-range',
          'bad-enum',
          'bad-option',
          'bad-variant',
          'bad-wide-in-list',
          'bad-utf8',
          'bad-string-bounds',
          'bad-list-align',
          'bad-list-align-empty',
          'bad-retptr-align',
          'bad-handle',
        ],
      ),
    ],
    imports: [
      ...imports('test:kitchen-sink/host', [
        '[constructor]counter',
        '[method]counter.add',
        '[method]counter.get',
        '[method]counter.describe',
        '[static]counter.merge',
        '[resource-drop]counter',
        'consume',
        'echo-bool',
        'echo-s8',
        'echo-u64',
        'echo-f32',
        'echo-f64',
        'echo-char',
        'echo-string',
        'echo-list-u32',
        'echo-list-string',
        'echo-mixed',
        'echo-person',
        'echo-shape',
        'echo-number',
        'echo-real',
        'echo-color',
        'echo-wide',
        'echo-flags32',
        'echo-option-string',
        'echo-option-option-u32',
        'echo-result-point-string',
        'echo-result-unit',
        'echo-tuple',
        'echo-fixed-u32',
        'echo-map',
        'echo-nested',
      ]),
      '$root#log',
      ...imports('[export]test:kitchen-sink/resources', [
        '[resource-new]accumulator',
        '[resource-rep]accumulator',
        '[resource-drop]accumulator',
      ]),
    ],
  },
};

const CASES = Object.keys(GUESTS).sort();

/** The toolchain the committed .wasm files were built with (a rebuild elsewhere may differ). */
const TOOLCHAIN = 'Debian 12 clang/lld 1:14.0.6-12, wasi-libc 0.0~git20220510.9886d3d-2';

function wasmPath(name: string): string {
  return join(root, 'guests', name, `${name}.wasm`);
}

function buildScript(args: string[]) {
  return spawnSync(process.execPath, [join(root, 'scripts/build-guests.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
  });
}

const hasClang = buildScript(['--probe']).status === 0;
if (!hasClang) {
  console.warn(
    'guests.test.ts: clang cannot build for wasm32-wasi here (apt: clang lld wasi-libc libclang-rt-14-dev-wasm32), ' +
      'so the committed guests are NOT checked against their C sources (that test is skipped).',
  );
}

describe('committed guest modules', () => {
  it('cover every guests/<case>/<case>.c', () => {
    const r = buildScript(['--list']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(CASES);
  });

  describe.each(CASES)('%s', (name) => {
    const spec = GUESTS[name]!;
    const bytes = new Uint8Array(readFileSync(wasmPath(name)));

    it('validates', () => {
      expect(WebAssembly.validate(bytes)).toBe(true);
    });

    it('has exactly the core exports of its world', () => {
      const mod = new WebAssembly.Module(bytes);
      const exps = WebAssembly.Module.exports(mod);
      expect(exps.filter((e) => e.kind !== 'function').map((e) => `${e.kind} ${e.name}`)).toEqual([
        'memory memory',
      ]);
      const names = exps.filter((e) => e.kind === 'function').map((e) => e.name);
      expect([...names].sort()).toEqual([...spec.exports].sort());
    });

    it('has exactly the core imports of its world (no WASI)', () => {
      const imps = WebAssembly.Module.imports(new WebAssembly.Module(bytes));
      expect(imps.every((i) => i.kind === 'function')).toBe(true);
      expect(imps.map((i) => `${i.module}#${i.name}`).sort()).toEqual([...spec.imports].sort());
    });

    it('is accepted by wit-component against its world (names and core signatures)', async () => {
      const wit = readFileSync(join(root, spec.wit), 'utf8');
      const embedded = await componentEmbed({
        binary: bytes,
        witSource: wit,
        world: spec.world,
        stringEncoding: spec.encoding,
        features: { tag: 'all' },
      });
      const component = await componentNew(embedded);
      expect(component.byteLength).toBeGreaterThan(bytes.byteLength);
    });
  });
});

describe(`guest sources${hasClang ? '' : ' (SKIPPED: no clang for wasm32-wasi)'}`, () => {
  const out = mkdtempSync(join(tmpdir(), 'witbind-guests-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it.runIf(hasClang)('rebuild byte-for-byte into the committed .wasm files', () => {
    const r = buildScript(['--out-dir', out]);
    expect(r.status, r.stderr).toBe(0);
    for (const name of CASES) {
      const fresh = readFileSync(join(out, `${name}.wasm`));
      const committed = readFileSync(wasmPath(name));
      expect(
        Buffer.compare(fresh, committed),
        `guests/${name}/${name}.wasm differs from a fresh build: run npm run build:guests ` +
          `(the committed files come from ${TOOLCHAIN}; another toolchain version gives other bytes)`,
      ).toBe(0);
    }
  });
});
