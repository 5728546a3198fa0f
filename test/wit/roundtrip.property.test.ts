/**
 * Property tests of the front end as a whole: a random valid package (wit-package-gen.ts) parses
 * and resolves; printing its AST back to WIT (src/wit/print.ts) gives text that parses to the same
 * AST, prints identically again, and resolves to the same model (`resolveToJson`, indices
 * included). The same holds for every WASI package bundled with jco, loaded with its `deps/`.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { loadWitPath, loadWitSource, resolveToJson } from '../../src/wit/load.js';
import { printWit } from '../../src/wit/print.js';
import { parse, withoutSpans } from './helpers.js';
import { loadReferenceWitParser } from './reference-wit-parser.js';
import { repoRoot } from './resolve-helpers.js';
import { generatePackage } from './wit-package-gen.js';

function resolveText(text: string): unknown {
  const { resolve } = loadWitSource([{ path: 'gen.wit', text }], { allFeatures: true });
  return resolveToJson(resolve);
}

describe('generated packages', () => {
  test('parse, resolve, print, re-parse and re-resolve to the same model', () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const pkg = generatePackage(g);
        const first = parse(pkg.text);
        expect(first.rendered, pkg.text).toBe('');
        const json = resolveText(pkg.text) as {
          packages: {
            name: string;
            interfaces: Record<string, number>;
            worlds: Record<string, number>;
          }[];
        };
        // The model declares what the generator wrote.
        const main = json.packages[json.packages.length - 1]!;
        expect(main.name).toBe(pkg.packageName);
        expect(Object.keys(main.interfaces).sort()).toEqual([...pkg.interfaces].sort());
        expect(Object.keys(main.worlds).sort()).toEqual([...pkg.worlds].sort());

        const printed = printWit(first.file!);
        const second = parse(printed);
        expect(second.rendered, printed).toBe('');
        expect(withoutSpans(second.file!.items)).toEqual(withoutSpans(first.file!.items));
        expect(printWit(second.file!)).toBe(printed);
        expect(resolveText(printed)).toEqual(json);
      }),
      { numRuns: Number(process.env.WIT_PROPERTY_RUNS ?? 150), endOnFailure: true },
    );
  });
});

describe('generated packages, against the reference', async () => {
  const reference = await loadReferenceWitParser();
  const scratch = mkdtempSync(join(tmpdir(), 'witbind-gen-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  // The generator's packages are valid WIT for wit-parser too (so the property above is not about
  // a dialect of our own).
  test.skipIf(reference === null)('wit-parser accepts them', () => {
    let n = 0;
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const pkg = generatePackage(g);
        const file = join(scratch, `gen-${n++}.wit`);
        writeFileSync(file, pkg.text);
        expect(reference!.check(file), pkg.text).toBeNull();
      }),
      { numRuns: Number(process.env.WIT_PROPERTY_RUNS ?? 150) / 3, endOnFailure: true },
    );
  });
});

describe('WASI packages bundled with jco: printed and re-resolved to the same model', () => {
  const builtin = join(
    repoRoot,
    'node_modules',
    '@bytecodealliance',
    'jco',
    'lib',
    'wit',
    'builtin',
  );
  const versions = ['0.2.10', '0.2.12', '0.3.0'];
  const scratch = mkdtempSync(join(tmpdir(), 'witbind-print-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** A copy of a version directory with every file printed from its AST. */
  const printedVersion = (version: string): string => {
    const out = join(scratch, version);
    for (const pkg of readdirSync(join(builtin, version))) {
      mkdirSync(join(out, pkg), { recursive: true });
      for (const f of readdirSync(join(builtin, version, pkg)).filter((f) => f.endsWith('.wit'))) {
        const parsed = parse(readFileSync(join(builtin, version, pkg, f), 'utf8'));
        writeFileSync(join(out, pkg, f), printWit(parsed.file!));
      }
    }
    return out;
  };

  /** A package directory of `root/pkg` whose `deps/` links to its siblings. */
  const withDeps = (root: string, pkg: string, tag: string): string => {
    const dir = join(scratch, `${tag}-${pkg}`);
    mkdirSync(join(dir, 'deps'), { recursive: true });
    for (const f of readdirSync(join(root, pkg)).filter((f) => f.endsWith('.wit'))) {
      writeFileSync(join(dir, f), readFileSync(join(root, pkg, f)));
    }
    for (const sibling of readdirSync(root).filter((s) => s !== pkg))
      symlinkSync(join(root, sibling), join(dir, 'deps', sibling));
    return dir;
  };

  const cases = versions.flatMap((v) => readdirSync(join(builtin, v)).map((p) => [v, p] as const));
  const printedRoots = new Map<string, string>();
  test.each(cases)('%s %s', async (version, pkg) => {
    let printedRoot = printedRoots.get(version);
    if (!printedRoot) {
      printedRoot = printedVersion(version);
      printedRoots.set(version, printedRoot);
    }
    const original = await loadWitPath(withDeps(join(builtin, version), pkg, `orig-${version}`), {
      allFeatures: true,
    });
    const printed = await loadWitPath(withDeps(printedRoot, pkg, `printed-${version}`), {
      allFeatures: true,
    });
    expect(resolveToJson(printed.resolve)).toEqual(resolveToJson(original.resolve));
  });
});
