// The CLI as a user runs it (dist/cli.js in a child process): help with examples for every
// command, located diagnostics colored only when asked (NO_COLOR, FORCE_COLOR, pipes), progress
// lines, `check` for CI (with --quiet), and `watch` surviving a syntax error.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDist, root } from '../support/dist.js';

const cli = join(root, 'dist', 'cli.js');
const machineWit = join(root, 'wit', 'machine.wit');
const ESC = '\u001b[';

function run(args: readonly string[], env: Record<string, string> = {}) {
  const { NO_COLOR: _n, FORCE_COLOR: _f, ...base } = process.env;
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...base, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function brokenWit(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'witbind-cli-'));
  const file = join(dir, 'broken.wit');
  writeFileSync(file, 'package a:b;\n\nworld w {\n  export f: func() -> strin;\n}\n');
  return { dir, file };
}

beforeAll(() => ensureDist());

describe('witbind --help', () => {
  it.each(['generate', 'check', 'watch', 'resolve'])('`%s --help` shows the options and examples', (command) => {
    const r = run([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: witbind ${command} [options] <wit-path>`);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain(`$ witbind ${command} `);
  });

  it('the top-level help lists every command with examples and the color switches', () => {
    const r = run(['--help']);
    for (const command of ['generate', 'check', 'watch', 'resolve']) expect(r.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(r.stdout).toContain('NO_COLOR=1');
  });

  it('an unknown option is a one-line error pointing at --help', () => {
    const r = run(['generate', machineWit, '--nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown option '--nope'");
    expect(r.stderr).toContain('(add --help for usage)');
  });
});

describe('diagnostics', () => {
  it('a WIT error: message, --> file:line:col, snippet and count; no color through a pipe', () => {
    const { file } = brokenWit();
    const r = run(['generate', file, '--out', join(tmpdir(), 'witbind-unused')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      [
        'error: name `strin` does not exist',
        `     --> ${file}:4:23`,
        '      |',
        '    4 |   export f: func() -> strin;',
        '      |                       ^----',
        '',
        '1 error',
        '',
      ].join('\n'),
    );
  });

  it('FORCE_COLOR colors them; NO_COLOR wins over FORCE_COLOR', () => {
    const { file } = brokenWit();
    const colored = run(['generate', file], { FORCE_COLOR: '1' });
    expect(colored.stderr).toContain(`${ESC}31m`);
    expect(colored.stderr.replace(/\u001b\[\d+m/g, '')).toContain(`--> ${file}:4:23`);
    expect(run(['generate', file], { FORCE_COLOR: '1', NO_COLOR: '1' }).stderr).not.toContain(ESC);
  });

  it('--verbose prints each step; a pipe gets no live progress line otherwise', () => {
    const out = mkdtempSync(join(tmpdir(), 'witbind-cli-out-'));
    const verbose = run(['generate', machineWit, '--out', out, '--verbose']);
    expect(verbose.code).toBe(0);
    expect(verbose.stderr.split('\n').filter(Boolean)).toEqual([
      `… reading and resolving ${machineWit}`,
      '… generating bindings for world `machine`',
      '… formatting machine.ts',
    ]);
    expect(verbose.stdout).toBe(`wrote ${join(out, 'machine.ts')}\n`);
    const plain = run(['generate', machineWit, '--out', out]);
    expect(plain.stderr).toBe('');
  });
});

describe('witbind check', () => {
  it('exit 0 when up to date (silent with --quiet), 1 with the stale files listed, 1 for WIT errors', () => {
    const out = mkdtempSync(join(tmpdir(), 'witbind-check-'));
    const missing = run(['check', machineWit, '--out', out]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`missing   ${join(out, 'machine.ts')}`);

    expect(run(['generate', machineWit, '--out', out, '--quiet'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(run(['check', machineWit, '--out', out])).toMatchObject({ code: 0, stdout: 'ok: 1 file(s) up to date\n' });
    expect(run(['check', machineWit, '--out', out, '--quiet'])).toEqual({ code: 0, stdout: '', stderr: '' });

    const file = join(out, 'machine.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('getU32', 'getU31'));
    const stale = run(['check', machineWit, '--out', out, '--quiet']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(new RegExp(`differs   ${file} \\(\\d+ → \\d+ lines, first difference at line \\d+\\)`));

    expect(run(['check', brokenWit().file, '--out', out, '--quiet']).code).toBe(1);
  });
});

describe('witbind watch', () => {
  it('generates, regenerates on change, reports a syntax error with file:line:col and keeps watching, recovers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'witbind-watch-'));
    const wit = join(dir, 'wit');
    const out = join(dir, 'out');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(wit, 'deps', 'dep'), { recursive: true });
    const world = join(wit, 'world.wit');
    const dep = join(wit, 'deps', 'dep', 'api.wit');
    writeFileSync(world, 'package app:main;\n\nworld app {\n  import dep:api/greet;\n}\n');
    writeFileSync(dep, 'package dep:api;\n\ninterface greet {\n  hello: func() -> string;\n}\n');

    const { NO_COLOR: _n, FORCE_COLOR: _f, ...env } = process.env;
    const child = spawn(process.execPath, [cli, 'watch', wit, '--out', out, '--debounce', '50'], { env });
    let stdout = '';
    let stderr = '';
    let wake: () => void = () => {};
    child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()), wake()));
    child.stderr.on('data', (d: Buffer) => ((stderr += d.toString()), wake()));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    /** Waits for `pattern` in the output after `from` (a string index); returns the index past it. */
    const waitFor = async (stream: () => string, pattern: RegExp, from: number): Promise<number> => {
      for (;;) {
        const m = pattern.exec(stream().slice(from));
        if (m) return from + m.index + m[0].length;
        await new Promise<void>((r) => (wake = r));
      }
    };
    const generated = () => readFileSync(join(out, 'app.ts'), 'utf8');
    try {
      let at = await waitFor(() => stdout, /ok: wrote .*app\.ts; watching for changes\n/, 0);
      expect(generated()).toContain('hello');

      writeFileSync(dep, 'package dep:api;\n\ninterface greet {\n  hello: func() -> string;\n  goodbye: func();\n}\n');
      at = await waitFor(() => stdout, /ok: wrote .*app\.ts; watching for changes\n/, at);
      expect(stdout).toContain(`changed: ${dep}`);
      expect(generated()).toContain('goodbye');

      writeFileSync(dep, 'package dep:api;\n\ninterface greet {\n  hello: func( -> string;\n}\n');
      at = await waitFor(() => stdout, /failed; watching for changes\n/, at);
      expect(stderr).toContain(`--> ${dep}:4:16`);
      expect(stderr).not.toContain(ESC);
      expect(generated()).toContain('goodbye'); // the last good output stays

      writeFileSync(dep, 'package dep:api;\n\ninterface greet {\n  hello: func() -> string;\n}\n');
      await waitFor(() => stdout, /fixed: wrote .*app\.ts; watching for changes\n/, at);
      expect(generated()).not.toContain('goodbye');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
