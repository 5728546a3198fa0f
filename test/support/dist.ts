// The built package (dist/), for tests that use witbind the way a user does: the CLI, the bundler
// plugins (which bundle dist/runtime), `npm pack`. `npm ci` builds it (`prepare`); when a source
// file is newer than the build, it is rebuilt once, under a lock shared by parallel test files.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const dist = join(root, 'dist');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  try {
    return statSync(join(dist, 'index.js')).mtimeMs >= newestMtime(join(root, 'src'));
  } catch {
    return false;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds dist/ (tsc -p tsconfig.build.json) unless it is newer than every file in src/. */
export function ensureDist(): void {
  if (isFresh()) return;
  const lock = join(root, '.cache', 'dist-build.lock');
  mkdirSync(join(root, '.cache'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is building; a lock older than 5 minutes is a leftover.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
      sleep(200);
    }
  }
  try {
    if (isFresh()) return;
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    try {
      execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
    } catch (e) {
      // tsc emits despite type errors (the tests then see what the errors break).
      const out = (e as { stdout?: Buffer }).stdout?.toString() ?? '';
      if (!out.includes('error TS')) throw e;
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
