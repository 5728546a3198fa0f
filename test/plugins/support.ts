// The small app every bundler test builds (test/plugins/fixtures/app/main.js), its inputs, and
// running its output in plain Node.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { GUESTS, guestComponent } from '../component/support.js';
import { ensureDist, root } from '../support/dist.js';

export { root };
const fixtures = join(root, 'test', 'plugins', 'fixtures');
export const coreWasm = join(root, 'guests', 'machine', 'machine.wasm');

/** A fresh directory with `src/` holding the app, `machine.wit`, the machine component and a broken WIT. */
export async function prepareApp(name: string): Promise<{ dir: string; src: string; out: string }> {
  ensureDist();
  const dir = mkdtempSync(join(tmpdir(), `witbind-${name}-`));
  const src = join(dir, 'src');
  mkdirSync(src);
  copyFileSync(join(fixtures, 'app', 'main.js'), join(src, 'main.js'));
  copyFileSync(join(root, 'wit', 'machine.wit'), join(src, 'machine.wit'));
  writeFileSync(join(src, 'machine.component.wasm'), await guestComponent(GUESTS[0]!));
  // `name` is unknown: a resolve error at 4:23.
  writeFileSync(join(src, 'broken.wit'), 'package a:b;\n\nworld w {\n  export f: func() -> strin;\n}\n');
  writeFileSync(join(src, 'broken.js'), "export { instantiateCore } from './broken.wit';\n");
  return { dir, src, out: join(dir, 'out') };
}

/** The plugin entry of a bundler, from the built package. */
export async function plugin<T>(bundler: string): Promise<(options?: object) => T> {
  ensureDist();
  const m = (await import(join(root, 'dist', 'plugins', `${bundler}.js`))) as { default: (options?: object) => T };
  return m.default;
}

/** Runs a built bundle in a child Node process against the machine core module; its JSON result. */
export function runBundle(bundle: string): unknown {
  const r = spawnSync(process.execPath, [join(fixtures, 'run-bundle.mjs'), bundle, coreWasm], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`running ${bundle} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

const machine = {
  u32: 42,
  str: 'Hello, wörld! ✓ 🚀',
  vec: [0, 1, 2, 127, 128, 255],
  run: { machineId: '7n', message: 'machine 7 moved from (1, 2) to (10, 20): distance 27' },
  count: 12,
  rejected: 'RangeError: start.x: expected u32 (an integer in [0, 4294967295]), got -1',
};

/**
 * The app's result: every function of the machine world, through the `.wit` import (plain and
 * query forms, hosting the core module) and the component import (`load()`), whose URL points
 * at the binary the bundler emitted into `out`.
 */
export function expectMachineResults(result: unknown, out: string): void {
  expect(result).toEqual({
    core: machine,
    query: machine,
    component: machine,
    componentUrl: expect.stringMatching(/^file:\/\/.*\.wasm(\?.*)?$/),
    componentErrorIsShared: true,
  });
  const url = new URL((result as { componentUrl: string }).componentUrl);
  expect(decodeURIComponent(url.pathname).startsWith(out)).toBe(true);
}

/** The location every bundler must report for broken.wit. */
export function brokenLoc(src: string): { file: string; line: number; column: number } {
  return { file: join(src, 'broken.wit'), line: 4, column: 23 };
}
