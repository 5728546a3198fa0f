/**
 * Golden suite for the resolver: every `wit/ui/<name>.wit` (or package directory `wit/ui/<name>/`
 * with `deps/`) resolves, and its reference-shaped JSON matches `generated/ui/<name>.json`
 * (bless with `vitest -u`).
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadWitPath, resolveToJson } from '../../src/wit/load.js';
import { caseInput, caseOptions, findCases, repoRoot } from './resolve-helpers.js';

const cases = findCases('ui');

describe('resolve goldens (wit/ui → generated/ui)', () => {
  test('there are enough cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  test.each(cases)('%s', async (name) => {
    const input = caseInput('ui', name);
    const { resolve } = await loadWitPath(input, caseOptions(input));
    const json = `${JSON.stringify(resolveToJson(resolve), null, 2)}\n`;
    await expect(json).toMatchFileSnapshot(join(repoRoot, 'generated', 'ui', `${name}.json`));
  });
});
