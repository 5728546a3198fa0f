// The package the way a user gets it: `npm pack`, then `npm install <tarball>` (with vite and
// typescript, as a Vite + TypeScript project has them) in a fresh project outside this repository;
// the installed CLI generates and checks bindings, and a Vite build of a small app through
// `witbind/vite` runs in Node against the machine core module and component.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUESTS, guestComponent } from '../component/support.js';
import { expectMachineResults, runBundle } from '../plugins/support.js';
import { ensureDist, root } from '../support/dist.js';

/** The environment without npm's per-run variables (vitest may run under `npm test`). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_'))) as NodeJS.ProcessEnv;
}

function version(pkg: string): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
}

let project = '';
let packDir = '';
let packed: string[] = [];

beforeAll(async () => {
  ensureDist();
  packDir = mkdtempSync(join(tmpdir(), 'witbind-pack-'));
  // dist/ is built (ensureDist); --ignore-scripts skips `prepare` rebuilding it.
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], {
    cwd: root,
    env: cleanEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const info = (JSON.parse(out) as { filename: string; files: { path: string }[] }[])[0]!;
  packed = info.files.map((f) => f.path);

  project = mkdtempSync(join(tmpdir(), 'witbind-user-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-app', private: true, type: 'module' }, null, 2));
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', join(packDir, info.filename), `vite@${version('vite')}`, `typescript@${version('typescript')}`],
    { cwd: project, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  copyFileSync(join(root, 'wit', 'machine.wit'), join(project, 'machine.wit'));
  copyFileSync(join(root, 'test', 'plugins', 'fixtures', 'app', 'main.js'), join(project, 'main.js'));
  writeFileSync(join(project, 'machine.component.wasm'), await guestComponent(GUESTS[0]!));
}, 600_000);

// The project's node_modules is large: remove it (and the tarball).
afterAll(() => {
  for (const dir of [project, packDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships dist (JavaScript and declarations), README and package.json only', () => {
    expect(packed).toContain('package.json');
    expect(packed).toContain('README.md');
    for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/cli.js', 'dist/runtime/index.js', 'dist/runtime/index.d.ts']) expect(packed).toContain(f);
    for (const b of ['vite', 'rollup', 'rolldown', 'esbuild', 'webpack']) {
      expect(packed).toContain(`dist/plugins/${b}.js`);
      expect(packed).toContain(`dist/plugins/${b}.d.ts`);
    }
    expect(packed.filter((f) => !/^dist\/.*\.(js|d\.ts)$/.test(f) && f !== 'README.md' && f !== 'package.json')).toEqual([]);
  });

  it('the installed CLI generates and checks bindings', () => {
    const bin = join(project, 'node_modules', '.bin', 'witbind');
    const gen = spawnSync(bin, ['generate', 'machine.wit', '--out', 'generated'], { cwd: project, encoding: 'utf8', env: cleanEnv() });
    expect(gen.stderr).toBe('');
    expect(gen.status).toBe(0);
    expect(readFileSync(join(project, 'generated', 'machine.ts'), 'utf8')).toContain("from 'witbind/runtime'");
    const check = spawnSync(bin, ['check', 'machine.wit', '--out', 'generated', '--quiet'], { cwd: project, encoding: 'utf8', env: cleanEnv() });
    expect({ status: check.status, stdout: check.stdout, stderr: check.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('a Vite build through witbind/vite runs in Node (core module and component)', () => {
    writeFileSync(
      join(project, 'vite.config.js'),
      [
        "import witbind from 'witbind/vite';",
        'export default {',
        "  base: './',",
        '  plugins: [witbind()],',
        "  build: { outDir: 'dist', lib: { entry: 'main.js', formats: ['es'], fileName: 'main' } },",
        '};',
        '',
      ].join('\n'),
    );
    const vite = spawnSync(join(project, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'error'], { cwd: project, encoding: 'utf8', env: cleanEnv() });
    expect(vite.stderr).toBe('');
    expect(vite.status).toBe(0);
    expect(existsSync(join(project, 'machine.wit.d.ts'))).toBe(true);
    // "type": "module" projects get `main.js` from Vite's library mode.
    expectMachineResults(runBundle(join(project, 'dist', 'main.js')), join(project, 'dist'));
  });
});
