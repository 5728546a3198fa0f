#!/usr/bin/env node
// Builds the hand-written canonical-ABI C guests: guests/<case>/<case>.c → guests/<case>/<case>.wasm.
//
//   node scripts/build-guests.js                  build every case in place
//   node scripts/build-guests.js machine          build only the named cases
//   node scripts/build-guests.js --out-dir DIR    write DIR/<case>.wasm instead (used by the test
//                                                 that checks the committed binaries match their sources)
//   node scripts/build-guests.js --probe          exit 0 if clang can build for wasm32-wasi, 1 otherwise
//   node scripts/build-guests.js --list           print the case names, one a line
//
// Toolchain: clang + lld + wasi-libc + libclang-rt for wasm32 (Debian: clang lld wasi-libc
// libclang-rt-14-dev-wasm32). Override the compiler with $CLANG. The output is deterministic:
// clang runs from the repository root with relative paths, and debug info is stripped. The
// committed files come from Debian 12: clang/lld 1:14.0.6-12, wasi-libc 0.0~git20220510.9886d3d-2.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const clang = process.env.CLANG || 'clang';

/** The exact flags every guest is built with (the committed .wasm files depend on them). */
export const COMPILE_FLAGS = [
  '--target=wasm32-wasi',
  '-O2',
  '-std=c11',
  '-Wall',
  '-Wextra',
  '-Werror',
  '-Iguests/common',
];
// Compiling and linking are separate steps on purpose: when the clang driver links with an -O
// flag, it runs any `wasm-opt` it finds on PATH over the output (and `npm run`/vitest put
// node_modules/.bin, which has binaryen's wasm-opt, on PATH), so the bytes would depend on PATH.
export const LINK_FLAGS = [
  '--target=wasm32-wasi',
  '-mexec-model=reactor',
  '-Wl,--no-entry',
  '-Wl,--strip-debug',
  '-Wl,--gc-sections',
];

/** Case names: every directory guests/<case> that holds guests/<case>/<case>.c, sorted. */
export function guestCases() {
  const dir = join(root, 'guests');
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, `${e.name}.c`)))
    .map((e) => e.name)
    .sort();
}

function run(args) {
  const r = spawnSync(clang, args, { cwd: root, encoding: 'utf8' });
  if (r.error) return { ok: false, output: String(r.error.message) };
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

function compileAndLink(src, out, tmp) {
  const obj = join(tmp, 'guest.o');
  const c = run([...COMPILE_FLAGS, '-c', src, '-o', obj]);
  if (!c.ok) return c;
  return run([...LINK_FLAGS, obj, '-o', out]);
}

/** Builds one case to `out` (an absolute path). Throws with clang's output on failure. */
export function buildGuest(name, out) {
  const src = `guests/${name}/${name}.c`;
  mkdirSync(dirname(out), { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'witbind-guest-'));
  try {
    const r = compileAndLink(src, out, tmp);
    if (!r.ok) throw new Error(`clang failed for ${src}:\n${r.output}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  chmodSync(out, 0o644);
}

/** True if clang can compile and link a reactor module for wasm32-wasi here. */
export function probe() {
  const tmp = mkdtempSync(join(tmpdir(), 'witbind-probe-'));
  try {
    const src = join(tmp, 'probe.c');
    writeFileSync(
      src,
      '#include <stdlib.h>\n__attribute__((export_name("f"))) void *f(int n) { return malloc(n); }\n',
    );
    return compileAndLink(src, join(tmp, 'probe.wasm'), tmp).ok;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function main(argv) {
  if (argv.includes('--probe')) {
    process.exit(probe() ? 0 : 1);
  }
  if (argv.includes('--list')) {
    for (const name of guestCases()) console.log(name);
    return;
  }
  let outDir = null;
  const names = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out-dir') outDir = resolve(argv[++i] ?? '.');
    else names.push(argv[i]);
  }
  const all = guestCases();
  for (const n of names) {
    if (!all.includes(n)) throw new Error(`unknown guest \`${n}\` (known: ${all.join(', ')})`);
  }
  for (const name of names.length ? names : all) {
    const out = outDir ? join(outDir, `${name}.wasm`) : join(root, 'guests', name, `${name}.wasm`);
    buildGuest(name, out);
    console.log(`built ${relative(process.cwd(), out) || out}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
