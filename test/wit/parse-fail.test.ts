/**
 * Golden suite: every `wit/parse-fail/<name>.wit` must fail to parse, and its rendered diagnostics
 * must match `generated/parse-fail/<name>.txt` (bless with `vitest -u`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { renderDiagnostic } from '../../src/wit/errors.js';
import { parseWitFile } from '../../src/wit/parse.js';
import { SourceMap } from '../../src/wit/source-map.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const inputDir = join(root, 'wit', 'parse-fail');
const cases = readdirSync(inputDir)
  .filter((f) => f.endsWith('.wit'))
  .sort()
  .map((f) => f.slice(0, -'.wit'.length));

describe('parse-fail goldens', () => {
  test('there are enough cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  test.each(cases)('%s', async (name) => {
    const text = readFileSync(join(inputDir, `${name}.wit`), 'utf8');
    const sourceMap = new SourceMap();
    const { diagnostics } = parseWitFile(sourceMap, `wit/parse-fail/${name}.wit`, text);
    expect(diagnostics.length).toBeGreaterThan(0);
    const rendered = `${diagnostics.map((d) => renderDiagnostic(d, sourceMap)).join('\n\n')}\n`;
    // Snippets would put control and bidi-override characters into the golden; show them escaped.
    const printable = rendered.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
    await expect(printable).toMatchFileSnapshot(join(root, 'generated', 'parse-fail', `${name}.txt`));
  });
});
