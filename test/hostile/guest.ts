/**
 * The hostile guest of `wit/hostile/hostile.wit`, in WAT, and the ways to host it.
 *
 * The guest does what the test writes into its memory (cells at fixed addresses, {@link CELL}):
 * - `give.get-*` return the value of cell RET: the flat result itself, or the return pointer;
 * - `calls.call-<import>` call the import with the raw core arguments in cells A0, A1, … (an
 *   `i64` from cell I64) and return what it returned; `swallow-*` do so inside a legacy
 *   `try … catch_all`, catching whatever JS exception the host threw through the guest;
 * - `cabi_realloc` is a bump allocator (from {@link HEAP}, growing memory as needed) that
 *   misbehaves as cell RMODE says once cell RSKIP good calls have passed ({@link RMODE});
 * - every export has a post-return that counts in cell POSTS and frees everything (the bump
 *   pointer goes back to {@link HEAP}: what the host lowered for a call lives until its
 *   post-return), so `allocated` is 0 between calls;
 * - resource `thing` is implemented by the guest (reps index a table of values; cell LIVE counts
 *   the live ones, cell DTORS the destructor calls); `use-blob`/`own-blob` drop the host handle
 *   they got unless cell KEEP says otherwise; with cell POSTLEAVE set, post-returns call an import.
 *
 * Hosted as a core module (the generated `createCoreImports` + `bindCore`) or as a component
 * (the same module wrapped by wit-component: `componentEmbed` + `componentNew`, then the runtime's
 * `instantiateComponentCore` with the same generated imports), so the test reaches the instance
 * state (handle tables) and the guest memory in both modes.
 */
import { componentEmbed, componentNew } from '@bytecodealliance/jco';
import { parse as parseWat } from '@bytecodealliance/jco-transpile/wasm-tools';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { instantiateComponentCore } from '../../src/runtime/component.js';
import type { CoreInstance } from '../../src/runtime/instance.js';
import { loadBindings, ROOT } from '../support/bindings.js';

export const WIT = 'wit/hostile/hostile.wit';
const PKG = 'hostile:test';

/** Addresses of the control cells (i32 each, except I64). */
export const CELL = {
  RET: 0,
  POSTS: 4,
  RMODE: 8,
  RSKIP: 12,
  BUMP: 16,
  REALLOCS: 20,
  LIVE: 24,
  NEXTREP: 28,
  KEEP: 32,
  DTORS: 36,
  /** Nonzero: every post-return calls the import `ping` (leaving the instance). */
  POSTLEAVE: 40,
  /** Arguments of `call-*`: A0 at 64, A1 at 68, … */
  A0: 64,
  I64: 128,
} as const;

/** Where the allocator starts; below it: cells, the thing table (256..1279), test data. */
export const HEAP = 4096;
/** Free scratch space for test data (below HEAP). */
export const SCRATCH = 1536;
const THINGS = 256;

/** What `cabi_realloc` does once RSKIP good calls have passed. */
export const RMODE = {
  OK: 0,
  /** Returns an address 1 past an aligned one. */
  MISALIGNED: 1,
  /** Returns 0xFFFF_FFF0. */
  OUT_OF_BOUNDS: 2,
  /** Returns an aligned block whose last byte is past the end of memory. */
  STRADDLE: 3,
  /** Calls `[resource-drop]blob` on handle A0 first (leaving the instance during realloc). */
  LEAVE: 4,
  /** Executes `unreachable`. */
  TRAP: 5,
} as const;

type Sig = { params: string[]; results: string[] };
const sig = (s: Sig) =>
  `${s.params.length ? ` (param ${s.params.join(' ')})` : ''}${s.results.length ? ` (result ${s.results.join(' ')})` : ''}`;

/** The host imports the guest uses, with their flat core signatures (definitions.py `flatten_functype(…, 'lower')`). */
const IMPORTS: Record<string, Sig> = {
  'take-string': { params: ['i32', 'i32'], results: ['i32'] },
  'take-bytes': { params: ['i32', 'i32'], results: ['i32'] },
  'take-u64s': { params: ['i32', 'i32'], results: ['i32'] },
  'take-pairs': { params: ['i32', 'i32'], results: ['i32'] },
  'take-char': { params: ['i32'], results: ['i32'] },
  'take-bool': { params: ['i32'], results: ['i32'] },
  'take-color': { params: ['i32'], results: ['i32'] },
  'take-perms': { params: ['i32'], results: ['i32'] },
  'take-option': { params: ['i32', 'i32'], results: ['i32'] },
  'take-shape': { params: ['i32', 'i64', 'i32'], results: ['i32'] },
  'take-result': { params: ['i32', 'i32', 'i32'], results: ['i32'] },
  'take-many': { params: ['i32'], results: ['i32'] },
  'give-string': { params: ['i32'], results: [] },
  'give-strings': { params: ['i32'], results: [] },
  'give-bytes': { params: ['i32'], results: [] },
  'blob-value': { params: ['i32'], results: ['i32'] },
  'blob-take': { params: ['i32'], results: ['i32'] },
  'blob-both': { params: ['i32', 'i32'], results: ['i32'] },
  'other-value': { params: ['i32'], results: ['i32'] },
  'blob-name': { params: ['i32', 'i32'], results: [] },
  'make-blob': { params: ['i32'], results: ['i32'] },
  ping: { params: [], results: ['i32'] },
};

const ident = (s: string) => `$${s.replace(/[^A-Za-z0-9_]/g, '_')}`;
const load = (addr: number) => `(i32.load (i32.const ${addr}))`;
const store = (addr: number, v: string) => `(i32.store (i32.const ${addr}) ${v})`;
const inc = (addr: number) => store(addr, `(i32.add ${load(addr)} (i32.const 1))`);

/** Loads the raw arguments of `s` from the argument cells. */
function args(s: Sig): string {
  return s.params
    .map((t, i) => (t === 'i64' ? `(i64.load (i32.const ${CELL.I64}))` : load(CELL.A0 + 4 * i)))
    .join(' ');
}

/** The WAT text of the guest. */
export function guestWat(): string {
  const out: string[] = ['(module'];
  const host = `${PKG}/host`;
  for (const [name, s] of Object.entries(IMPORTS)) {
    out.push(`  (import "${host}" "${name}" (func ${ident(name)}${sig(s)}))`);
  }
  out.push(
    `  (import "${host}" "[method]blob.value" (func $blob_method_value (param i32) (result i32)))`,
    `  (import "${host}" "[resource-drop]blob" (func $drop_blob (param i32)))`,
    `  (import "[export]${PKG}/res" "[resource-new]thing" (func $thing_new (param i32) (result i32)))`,
    `  (import "[export]${PKG}/res" "[resource-rep]thing" (func $thing_rep (param i32) (result i32)))`,
    `  (import "[export]${PKG}/res" "[resource-drop]thing" (func $thing_drop (param i32)))`,
    '  (memory (export "memory") 1)',
    `  (data (i32.const ${CELL.BUMP}) "\\${hex8(HEAP)}")`,
    `  (data (i32.const ${CELL.NEXTREP}) "\\01")`,
  );
  // cabi_realloc: a bump allocator, with misbehaviours on request.
  out.push(
    '  (func $realloc (export "cabi_realloc") (param $old i32) (param $oldsz i32) (param $align i32) (param $new i32) (result i32)',
    '    (local $p i32) (local $end i32)',
    `    ${inc(CELL.REALLOCS)}`,
    `    (if ${load(CELL.RMODE)} (then`,
    `      (if (i32.eqz ${load(CELL.RSKIP)}) (then`,
    `        (if (i32.eq ${load(CELL.RMODE)} (i32.const ${RMODE.TRAP})) (then unreachable))`,
    `        (if (i32.eq ${load(CELL.RMODE)} (i32.const ${RMODE.OUT_OF_BOUNDS})) (then (return (i32.const 0xfffffff0))))`,
    `        (if (i32.eq ${load(CELL.RMODE)} (i32.const ${RMODE.STRADDLE})) (then`,
    '          (return (i32.and (i32.add (i32.sub (i32.shl (memory.size) (i32.const 16)) (local.get $new)) (local.get $align))',
    '            (i32.sub (i32.const 0) (local.get $align))))))',
    `        (if (i32.eq ${load(CELL.RMODE)} (i32.const ${RMODE.LEAVE})) (then (call $drop_blob ${load(CELL.A0)})))`,
    `        (if (i32.eq ${load(CELL.RMODE)} (i32.const ${RMODE.MISALIGNED})) (then`,
    `          (return (i32.add (i32.and (i32.add ${load(CELL.BUMP)} (i32.const 7)) (i32.const -8)) (i32.const 1)))))`,
    `      ) (else ${store(CELL.RSKIP, `(i32.sub ${load(CELL.RSKIP)} (i32.const 1))`)}))))`,
    `    (local.set $p (i32.and (i32.add ${load(CELL.BUMP)} (i32.sub (local.get $align) (i32.const 1)))`,
    '      (i32.sub (i32.const 0) (local.get $align))))',
    '    (local.set $end (i32.add (local.get $p) (local.get $new)))',
    '    (if (i32.gt_u (local.get $end) (i32.shl (memory.size) (i32.const 16))) (then',
    '      (if (i32.eq (memory.grow (i32.sub (i32.shr_u (i32.add (local.get $end) (i32.const 65535)) (i32.const 16))',
    '          (memory.size))) (i32.const -1)) (then unreachable))))',
    '    (if (local.get $old) (then',
    '      (memory.copy (local.get $p) (local.get $old)',
    '        (select (local.get $oldsz) (local.get $new) (i32.lt_u (local.get $oldsz) (local.get $new))))))',
    `    ${store(CELL.BUMP, '(local.get $end)')}`,
    '    (local.get $p))',
  );
  const exports: { name: string; s: Sig; body: string[] }[] = [];
  const ex = (name: string, s: Sig, ...body: string[]) => exports.push({ name, s, body });
  const I32 = { params: [], results: ['i32'] };
  // give: the result (or the return pointer) is cell RET.
  for (const f of ['bool', 'char', 'color', 'perms', 'u32', 'option', 'result', 'shape', 'string', 'bytes', 'u64s', 'pairs', 'strings']) {
    ex(`${PKG}/give#get-${f}`, I32, load(CELL.RET));
  }
  // calls: the import with the raw arguments of the cells.
  for (const [name, s] of Object.entries(IMPORTS)) {
    const call = `(call ${ident(name)} ${args(s)})`;
    ex(`${PKG}/calls#call-${name}`, I32, s.results.length ? call : `${call} (i32.const 0)`);
  }
  ex(`${PKG}/calls#drop-blob`, I32, `(call $drop_blob ${load(CELL.A0)})`, '(i32.const 0)');
  ex(`${PKG}/calls#swallow-ping`, I32, 'try (result i32) call $ping drop i32.const 0 catch_all i32.const 1 end');
  ex(
    `${PKG}/calls#swallow-take-string`,
    I32,
    `try (result i32) ${load(CELL.A0)} ${load(CELL.A0 + 4)} call $take_string drop i32.const 0 catch_all i32.const 1 end`,
  );
  ex(`${PKG}/calls#crash`, I32, 'unreachable');
  // sink: the sum of the lengths received (the post-return frees the arguments).
  const P2 = { params: ['i32', 'i32'], results: ['i32'] };
  for (const f of ['string', 'bytes', 'u64s', 'pairs']) ex(`${PKG}/sink#put-${f}`, P2, '(local.get 1)');
  ex(
    `${PKG}/sink#put-many`,
    { params: ['i32'], results: ['i32'] },
    `(local $sum i32) (local $i i32)`,
    '(block $done (loop $next',
    '  (br_if $done (i32.eq (local.get $i) (i32.const 9)))',
    '  (local.set $sum (i32.add (local.get $sum) (i32.load offset=4 (i32.add (local.get 0) (i32.shl (local.get $i) (i32.const 3))))))',
    '  (local.set $i (i32.add (local.get $i) (i32.const 1)))',
    '  (br $next)))',
    '(local.get $sum)',
  );
  // res: thing (reps index the value table at THINGS), and host blobs.
  const value = (rep: string) => `(i32.load (i32.add (i32.const ${THINGS}) (i32.shl ${rep} (i32.const 2))))`;
  const R = `${PKG}/res`;
  ex(
    `${R}#[constructor]thing`,
    { params: ['i32'], results: ['i32'] },
    '(local $rep i32)',
    `(local.set $rep ${load(CELL.NEXTREP)})`,
    inc(CELL.NEXTREP),
    `(i32.store (i32.add (i32.const ${THINGS}) (i32.shl (local.get $rep) (i32.const 2))) (local.get 0))`,
    inc(CELL.LIVE),
    '(call $thing_new (local.get $rep))',
  );
  ex(`${R}#[method]thing.get`, { params: ['i32'], results: ['i32'] }, value('(local.get 0)'));
  ex(`${R}#[method]thing.ping-inside`, { params: ['i32'], results: ['i32'] }, `(i32.add (call $ping) ${value('(local.get 0)')})`);
  ex(
    `${R}#pair-things`,
    P2,
    '(local $sum i32)',
    `(local.set $sum (i32.add ${value('(call $thing_rep (local.get 0))')} ${value('(local.get 1)')}))`,
    '(call $thing_drop (local.get 0))',
    '(local.get $sum)',
  );
  ex(`${R}#get-thing`, I32, load(CELL.RET));
  ex(`${R}#get-things`, I32, load(CELL.RET));
  ex(`${R}#live-things`, I32, load(CELL.LIVE));
  for (const f of ['use-blob', 'own-blob']) {
    ex(
      `${R}#${f}`,
      { params: ['i32'], results: ['i32'] },
      '(local $v i32)',
      '(local.set $v (call $blob_method_value (local.get 0)))',
      `(if (i32.eqz ${load(CELL.KEEP)}) (then (call $drop_blob (local.get 0))))`,
      `(if (i32.eq ${load(CELL.KEEP)} (i32.const 2)) (then (drop (call $blob_take (local.get 0)))))`,
      '(local.get $v)',
    );
  }
  for (const { name, s, body } of exports) {
    out.push(`  (func (export "${name}")${sig(s)}`, ...body.map((l) => `    ${l}`), '  )');
    out.push(
      `  (func (export "cabi_post_${name}")${sig({ params: s.results, results: [] })}`,
      `    ${inc(CELL.POSTS)}`,
      `    (if ${load(CELL.POSTLEAVE)} (then (drop (call $ping))))`,
      `    ${store(CELL.BUMP, `(i32.const ${HEAP})`)}`,
      '  )',
    );
  }
  out.push(
    `  (func (export "${R}#[dtor]thing") (param i32)`,
    `    ${store(CELL.LIVE, `(i32.sub ${load(CELL.LIVE)} (i32.const 1))`)}`,
    `    ${inc(CELL.DTORS)})`,
    ')',
  );
  return out.join('\n');
}

/** `n` as the 4 little-endian bytes of a WAT data string (`\\00\\10\\00\\00`). */
function hex8(n: number): string {
  return [0, 1, 2, 3].map((i) => ((n >>> (8 * i)) & 0xff).toString(16).padStart(2, '0')).join('\\');
}

export type Encoding = 'utf8' | 'utf16' | 'latin1+utf16';
export type Mode = 'core' | 'component';
export const MODES: readonly Mode[] = ['core', 'component'];

let coreBytes: Promise<Uint8Array> | undefined;
const components = new Map<Encoding, Promise<Uint8Array>>();
const bindingsByEncoding = new Map<Encoding, Promise<any>>();
const compiled = new Map<string, Promise<any>>();

/** The guest's core module bytes. */
export function guestCore(): Promise<Uint8Array> {
  coreBytes ??= parseWat(guestWat());
  return coreBytes;
}

/** The guest as a component (wit-component, the given string encoding). */
export function guestComponent(encoding: Encoding): Promise<Uint8Array> {
  let c = components.get(encoding);
  if (c === undefined) {
    c = (async () => {
      const embedded = await componentEmbed({
        binary: await guestCore(),
        witSource: await readFile(join(ROOT, WIT), 'utf8'),
        world: 'hostile',
        stringEncoding: encoding === 'latin1+utf16' ? 'compact-utf16' : encoding,
      });
      return componentNew(embedded);
    })();
    components.set(encoding, c);
  }
  return c;
}

/** The generated bindings of the hostile world for `encoding`. */
export function hostileBindings(encoding: Encoding = 'utf8'): Promise<any> {
  let b = bindingsByEncoding.get(encoding);
  if (b === undefined) {
    b = loadBindings(WIT, { name: `hostile-${encoding.replace('+', '-')}`, encoding });
    bindingsByEncoding.set(encoding, b);
  }
  return b;
}

/** A live instance of the guest and what the test needs to reach in it. */
export interface Hosted {
  /** The typed exports. */
  readonly ex: any;
  /** witbind's instance state: handle tables, memory views, poisoning. */
  readonly state: CoreInstance;
  /** The raw core-shaped exports `bindCore` was given (post-returns wrapped to count). */
  readonly raw: Record<string, unknown>;
  /** Reads an i32 cell (or any address). */
  cell(addr: number): number;
  /** Writes i32 values from `addr` on. */
  set(addr: number, ...values: number[]): void;
  /** Writes bytes at `addr`. */
  bytes(addr: number, data: ArrayLike<number>): void;
  /** Post-return calls seen by the host (the wrapped `cabi_post_*` exports). */
  posts(): number;
  /** A copy of the whole guest memory. */
  snapshot(): Uint8Array;
}

/** Instantiates the guest in `mode` with host imports `imports` (interface `hostile:test/host`). */
export async function host(mode: Mode, imports: Record<string, unknown>, encoding: Encoding = 'utf8'): Promise<Hosted> {
  const mod = await hostileBindings(encoding);
  const link = mod.createCoreImports({ [`${PKG}/host`]: imports });
  let exports: Record<string, unknown>;
  if (mode === 'core') {
    const key = 'core';
    let m = compiled.get(key) as Promise<WebAssembly.Module> | undefined;
    if (m === undefined) {
      m = guestCore().then((b) => WebAssembly.compile(b as Uint8Array<ArrayBuffer>));
      compiled.set(key, m);
    }
    const instance = await WebAssembly.instantiate(await m, link.imports as WebAssembly.Imports);
    exports = { ...instance.exports };
  } else {
    const key = `component-${encoding}`;
    let c = compiled.get(key);
    if (c === undefined) {
      c = guestComponent(encoding).then((b) => mod.compileComponent(b));
      compiled.set(key, c);
    }
    exports = { ...(await instantiateComponentCore(await c, link.imports, link.state, { encoding })) };
  }
  let posts = 0;
  for (const k of Object.keys(exports)) {
    const f = exports[k];
    if (k.startsWith('cabi_post_') && typeof f === 'function') {
      exports[k] = (...a: unknown[]) => {
        posts++;
        return (f as (...a: unknown[]) => unknown)(...a);
      };
    }
  }
  const ex = mod.bindCore(exports, link);
  const state = link.state as CoreInstance;
  const memory = exports.memory as WebAssembly.Memory;
  const dv = () => new DataView(memory.buffer);
  return {
    ex,
    state,
    raw: exports,
    cell: (addr) => dv().getUint32(addr, true),
    set: (addr, ...values) => values.forEach((v, i) => dv().setUint32(addr + 4 * i, v >>> 0, true)),
    bytes: (addr, data) => new Uint8Array(memory.buffer).set(Array.from(data), addr),
    posts: () => posts,
    snapshot: () => new Uint8Array(memory.buffer).slice(),
  };
}
