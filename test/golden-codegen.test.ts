/**
 * Golden files for the generator: for every test world, the generated module
 * (`generated/codegen/<world>.ts`) and its ABI plans (`generated/plans/<world>.plan.txt`).
 * Bless with `vitest -u`; CI fails on any drift. `typecheck` checks the goldens with tsc --strict.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../src/generate.js';
import { ROOT } from './support/bindings.js';

const WORLDS = [
  { wit: 'wit/machine.wit', name: 'machine', encoding: 'utf8', ts: true },
  { wit: 'wit/codegen/many-params.wit', name: 'many-params', encoding: 'utf8', ts: true },
  { wit: 'wit/codegen/strings-utf16.wit', name: 'strings-utf16', encoding: 'utf16', ts: true },
  { wit: 'wit/codegen/strings-latin1.wit', name: 'strings-latin1', encoding: 'latin1+utf16', ts: true },
  { wit: 'wit/codegen/kitchen-sink.wit', name: 'kitchen-sink', encoding: 'utf8', ts: true },
  { wit: 'wit/codegen/bench.wit', name: 'bench', encoding: 'utf8', ts: true },
] as const;

describe('generated/ goldens', () => {
  for (const w of WORLDS) {
    it(`${w.name}: plans${w.ts ? ' and module' : ''}`, async () => {
      const files = await generate(join(ROOT, w.wit), { encoding: w.encoding, plans: true });
      await expect(files.get(`${w.name}.plan.txt`)).toMatchFileSnapshot(join(ROOT, 'generated/plans', `${w.name}.plan.txt`));
      if (w.ts) {
        await expect(files.get(`${w.name}.ts`)).toMatchFileSnapshot(join(ROOT, 'generated/codegen', `${w.name}.ts`));
      }
    });
  }

  it('is deterministic', async () => {
    const a = await generate(join(ROOT, 'wit/machine.wit'));
    const b = await generate(join(ROOT, 'wit/machine.wit'));
    expect(a).toEqual(b);
  });

  it('type-checks with tsc --strict', () => {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    let out = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'generated/tsconfig.json')], { encoding: 'utf8' });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(out).toBe('');
  });
});
