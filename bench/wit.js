#!/usr/bin/env node
// `npm run bench:wit`: time to parse + resolve every WASI 0.2 package shipped in
// @bytecodealliance/jco (lib/wit/builtin/0.2.*), cold (first run in this process) and warm
// (median of later runs). Uses the built library (dist/); run `npm run build` first.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadWitPath } from '../dist/wit/load.js';

const root = fileURLToPath(new URL('../node_modules/@bytecodealliance/jco/lib/wit/builtin/', import.meta.url));
// Each version directory holds one directory per package and they depend on each other: load
// each as a package directory whose deps/ links to its siblings (set up once, not timed).
const scratch = mkdtempSync(join(tmpdir(), 'witbind-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
const dirs = [];
for (const v of readdirSync(root).filter((v) => v.startsWith('0.2.'))) {
  const pkgs = readdirSync(join(root, v));
  for (const p of pkgs) {
    const dir = join(scratch, `${v}-${p}`);
    mkdirSync(join(dir, 'deps'), { recursive: true });
    for (const f of readdirSync(join(root, v, p)).filter((f) => f.endsWith('.wit'))) copyFileSync(join(root, v, p, f), join(dir, f));
    for (const s of pkgs.filter((s) => s !== p)) symlinkSync(join(root, v, s), join(dir, 'deps', s));
    dirs.push(dir);
  }
}

async function all() {
  let packages = 0;
  for (const d of dirs) packages += (await loadWitPath(d)).packages.length;
  return packages;
}

let t = performance.now();
const packages = await all();
const cold = performance.now() - t;
const warm = [];
for (let i = 0; i < 20; i++) {
  t = performance.now();
  await all();
  warm.push(performance.now() - t);
}
warm.sort((a, b) => a - b);
console.log(`${dirs.length} WASI 0.2 package directories (${packages} packages incl. deps)`);
console.log(`cold: ${cold.toFixed(1)} ms   warm (median of 20): ${warm[10].toFixed(1)} ms   best: ${warm[0].toFixed(1)} ms`);
