/**
 * Property: random WIT types and values round-trip through generated bindings and a guest, in
 * every string encoding (machinery in harness.ts).
 *
 * Each run builds a world of random functions (interface `t` holds the type definitions; `host`
 * is imported and `guest` exported, with the same functions), generates its bindings, and
 * assembles a forwarding guest (wat-guest.ts). A call `exports.guest.f(args…)`: generated code
 * lowers the args into guest memory → the guest passes its flat params to the import → the
 * generated import wrapper lifts them → the host implementation checks it got the args, returns
 * the result value → the wrapper lowers it → the guest returns → the export wrapper lifts it and
 * calls post-return → the test checks the result. Every value passes through a lowering and a
 * lifting in each direction, with spilled params, return areas, variant joins, reallocation and
 * memory growth. Before each call, the same args with one wrong spot at a random nested position
 * must throw a TypeError/RangeError naming its path and leave guest memory untouched; wrong host
 * results are reported with the path of the result.
 *
 * FC_NUM_RUNS (worlds per encoding), FC_FUNCS (max functions per world), FC_SEED and
 * FC_SHRINK=1 override the defaults for longer local runs.
 */
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import type { StringEncoding } from '../../src/abi/instructions.js';
import { badResults, caseArb, MAX_FUNCS, roundTrip, RUNS, SEED, SHRINK, stats } from './harness.js';

const ENCODINGS: readonly StringEncoding[] = ['utf8', 'utf16', 'latin1+utf16'];
/** Long local runs (FC_NUM_RUNS) get time in proportion; shrinking (FC_SHRINK=1) much more. */
const TIMEOUT = Math.max(60_000, RUNS * 30_000) * (SHRINK ? 20 : 1);

describe('random types and values round-trip through generated code and a forwarding guest', () => {
  afterAll(() => {
    if (process.env.FC_STATS === '1') console.log(JSON.stringify(stats, null, 1));
  });

  ENCODINGS.forEach((encoding, i) => {
    it(
      `${encoding}: host → export lowering → guest → import lifting → host → back (${RUNS} worlds of up to ${MAX_FUNCS} functions)`,
      async () => {
        await fc.assert(
          fc.asyncProperty(caseArb, (c) => roundTrip(c, encoding)),
          { seed: SEED + i, numRuns: RUNS, endOnFailure: !SHRINK },
        );
      },
      TIMEOUT,
    );
  });

  it(
    'wrong host results name the result path',
    async () => {
      await fc.assert(
        fc.asyncProperty(caseArb, (c) => badResults(c, 'utf8')),
        { seed: SEED + 7, numRuns: Math.max(1, Math.ceil(RUNS / 2)), endOnFailure: !SHRINK },
      );
    },
    TIMEOUT,
  );
});
