// The public API (src/index.ts): diagnostics as data from parseWit / resolveWit / resolveWitPath /
// generateBindings, the throwing variants, formatDiagnostics and progress events.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  WitError,
  formatDiagnostics,
  generate,
  generateBindings,
  generateComponent,
  parseWit,
  resolveWit,
  resolveWitPath,
  toDiagnostics,
  type Diagnostic,
  type ProgressEvent,
} from '../../src/index.js';
import { GUESTS, guestComponent } from '../component/support.js';
import { root } from '../support/dist.js';

const machineWit = join(root, 'wit', 'machine.wit');
const broken = 'package a:b;\n\nworld w {\n  export f: func() -> strin;\n}\n';

describe('diagnostics as data', () => {
  it('parseWit: a syntax error located, with the best-effort tree', () => {
    const r = parseWit('package a:b;\n\ninterface i {\n  f: func( -> u32;\n}\n', 'i.wit');
    expect(r.ok).toBe(false);
    expect(r.ast).not.toBeNull();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', kind: 'parse', file: 'i.wit', line: 4, column: 12, lineText: '  f: func( -> u32;' });
    expect(r.diagnostics[0]!.rendered).toContain('--> i.wit:4:12');
    expect(parseWit('package a:b;\n').diagnostics).toEqual([]);
  });

  it('resolveWit: the model, or a resolve error with its location and span end', async () => {
    const ok = await resolveWit(readFileSync(machineWit, 'utf8'));
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    expect(ok.resolve.worlds.map((w) => w.name)).toEqual(['machine']);
    expect(ok.packages.at(-1)).toBe(ok.main);

    const bad = await resolveWit([{ path: 'wit/w.wit', text: broken }]);
    expect(bad.ok).toBe(false);
    const d: Diagnostic = bad.diagnostics[0]!;
    expect(d).toEqual({
      severity: 'error',
      kind: 'resolve',
      message: 'name `strin` does not exist',
      file: 'wit/w.wit',
      line: 4,
      column: 23,
      endLine: 4,
      endColumn: 28,
      lineText: '  export f: func() -> strin;',
      rendered: 'name `strin` does not exist\n     --> wit/w.wit:4:23\n      |\n    4 |   export f: func() -> strin;\n      |                       ^----',
    });
  });

  it('resolveWitPath: an unreadable path is an unlocated io diagnostic', async () => {
    const r = await resolveWitPath(join(root, 'no-such-dir', 'x.wit'));
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ kind: 'io', file: null, line: null, column: null });
    expect(r.diagnostics[0]!.message).toContain('no-such-dir');
  });

  it('generateBindings: from a path, in-memory WIT, a component; failures as diagnostics', async () => {
    const fromPath = await generateBindings(machineWit);
    expect(fromPath.ok && [...fromPath.files.keys()]).toEqual(['machine.ts']);

    const fromText = await generateBindings({ wit: readFileSync(machineWit, 'utf8') }, { js: true, format: false });
    expect(fromText.ok && [...fromText.files.keys()]).toEqual(['machine.js', 'machine.d.ts']);

    const component = await guestComponent(GUESTS[0]!);
    const fromComponent = await generateBindings({ component, name: 'guest' });
    expect(fromComponent.ok && fromComponent.files.get('guest.ts')).toContain('export async function instantiateComponent(');

    const core = new Uint8Array(readFileSync(join(root, 'guests', 'machine', 'machine.wasm')));
    const notComponent = await generateBindings({ component: core });
    expect(notComponent.ok).toBe(false);
    expect(notComponent.diagnostics[0]).toMatchObject({ kind: 'component', file: null });

    const labels = Array.from({ length: 33 }, (_, i) => `l${i}`).join(', ');
    const tooManyFlags = `package a:b;\ninterface i {\n  flags many { ${labels} }\n  g: func(x: many);\n}\nworld w {\n  export i;\n}\n`;
    const plan = await generateBindings({ wit: tooManyFlags });
    expect(plan.ok).toBe(false);
    expect(plan.diagnostics[0]!.kind).toBe('plan');

    const witError = await generateBindings({ wit: [{ path: 'w.wit', text: broken }] });
    expect(witError.diagnostics.map((d) => [d.file, d.line, d.column])).toEqual([['w.wit', 4, 23]]);
  });

  it('the throwing variants throw what toDiagnostics turns into the same diagnostics', async () => {
    const thrown = await generate(join(root, 'no-such.wit')).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(WitError);
    expect(toDiagnostics(thrown)![0]!.kind).toBe('io');
    await expect(generateComponent(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))).rejects.toThrow('is not a WebAssembly component');
    expect(toDiagnostics(new TypeError('a bug'))).toBeNull();
  });

  it('progress events name each step', async () => {
    const events: ProgressEvent[] = [];
    await generate(machineWit, { js: true, onProgress: (e) => events.push(e) });
    expect(events).toEqual([
      { step: 'load', detail: machineWit },
      { step: 'emit', detail: 'world `machine`' },
      { step: 'format', detail: 'machine.ts' },
      { step: 'transpile', detail: 'machine.ts' },
    ]);
  });
});

describe('formatDiagnostics', () => {
  it('plain: error: + rendered, blank lines between, a count', async () => {
    const r = await resolveWit([{ path: 'w.wit', text: broken }]);
    expect(formatDiagnostics(r.diagnostics, { color: false })).toBe(`error: ${r.diagnostics[0]!.rendered}\n\n1 error`);
    expect(formatDiagnostics([...r.diagnostics, ...r.diagnostics], { color: false, summary: true })).toMatch(/\n\n2 errors$/);
    expect(formatDiagnostics(r.diagnostics, { color: false, summary: false })).toBe(`error: ${r.diagnostics[0]!.rendered}`);
  });

  it('colored: the same text once the escapes are removed', async () => {
    const r = await resolveWit([{ path: 'w.wit', text: broken }]);
    const colored = formatDiagnostics(r.diagnostics, { color: true });
    expect(colored).toContain('\u001b[31m');
    expect(colored.replace(/\u001b\[\d+m/g, '')).toBe(formatDiagnostics(r.diagnostics, { color: false }));
  });
});
