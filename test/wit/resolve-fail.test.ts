/**
 * Golden suite for resolution errors: every `wit/resolve-fail/<name>.wit` (or directory) fails, and
 * its rendered diagnostics match `generated/resolve-fail/<name>.txt` (bless with `vitest -u`).
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { WitError } from '../../src/wit/errors.js';
import { loadWitPath } from '../../src/wit/load.js';
import { caseInput, caseOptions, findCases, renderError, repoRoot } from './resolve-helpers.js';

const cases = findCases('resolve-fail');

describe('resolve-fail goldens (wit/resolve-fail → generated/resolve-fail)', () => {
  test('there are enough cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  test.each(cases)('%s', async (name) => {
    const input = caseInput('resolve-fail', name);
    const error = await loadWitPath(input, caseOptions(input)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WitError);
    const e = error as WitError;
    expect(e.diagnostics.length).toBeGreaterThan(0);
    for (const d of e.diagnostics) expect(d.span, d.message).not.toBeNull();
    await expect(renderError(e)).toMatchFileSnapshot(join(repoRoot, 'generated', 'resolve-fail', `${name}.txt`));
  });
});
