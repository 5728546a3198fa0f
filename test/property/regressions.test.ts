/**
 * Focused regressions for bugs the round-trip property (roundtrip.test.ts) found, each run
 * through the same machinery: generated bindings in every encoding and a forwarding guest.
 */
import { describe, expect, it } from 'vitest';
import type { StringEncoding } from '../../src/abi/instructions.js';
import { PlanError } from '../../src/abi/plan.js';
import { generateWorld } from '../../src/generate.js';
import { loadWitSource, selectWorld } from '../../src/wit/load.js';
import { bindingName } from '../../src/emit/names.js';
import * as runtime from '../../src/runtime/index.js';
import { roundTrip, type Call } from './harness.js';
import { makeWorld, prim, worldWit, type FuncSpec, type Ty } from './wit-gen.js';

const ENCODINGS: readonly StringEncoding[] = ['utf8', 'utf16', 'latin1+utf16'];

const str = prim('string');
const list = (el: Ty): Ty => ({ k: 'list', el });

/** Runs each function once per given call, in every encoding. */
async function check(
  funcs: readonly FuncSpec[],
  calls: readonly (readonly Call[])[],
): Promise<void> {
  const world = makeWorld(funcs);
  for (const encoding of ENCODINGS) await roundTrip({ world, calls }, encoding);
}

describe('regressions found by the round-trip property', () => {
  it('parameters named like generated temporaries or runtime helpers do not shadow them', async () => {
    // `p5`, `n6`, … are the generated code's own temporaries; `st` its instance state; `invalid`,
    // `isChar` runtime helpers. A param with such a name used to shadow them (`p5.val` read a
    // pointer; `st.enter()` called the argument).
    const names = [
      'p1',
      'p2',
      'n3',
      'e4',
      'b5',
      'v6',
      'st',
      'invalid',
      'is-char',
      'is-usv-string',
      'ret0',
      'check1',
      'f0',
      'pr0',
      'im1',
    ];
    const tys: Ty[] = [
      str,
      list(prim('u8')),
      str,
      list(str),
      { k: 'option', el: str },
      list(prim('u32')),
      str,
      str,
      prim('char'),
      str,
      str,
      list(str),
      prim('u32'),
      str,
      str,
    ];
    const f: FuncSpec = {
      name: '',
      params: names.map((name, i) => ({ name, ty: tys[i]! })),
      result: list(str),
    };
    const args = [
      'a',
      [1, 2],
      'bé',
      ['x', 'y€'],
      'opt',
      [7],
      'st',
      'inv',
      '😀',
      'usv',
      'r',
      ['c'],
      3,
      'p',
      'i',
    ];
    const small: FuncSpec = {
      name: '',
      params: [
        {
          name: 'p0',
          ty: { k: 'variant', name: '', cases: [{ name: 'a', ty: list(prim('u8')) }] },
        },
        { name: 'p1', ty: str },
      ],
      result: null,
    };
    await check(
      [f, small],
      [
        [{ args, result: ['out', 'ü'], bad: [0, 0, 0] }],
        [{ args: [{ tag: 'a', val: [9] }, 'x'], result: undefined, bad: [1, 0, 1] }],
      ],
    );
  });

  it('bindingName escapes every lowercase runtime export', () => {
    const lower = Object.keys(runtime).filter((n) => /^[a-z]/.test(n));
    expect(lower.length).toBeGreaterThan(10);
    expect(lower.filter((n) => bindingName(n) === n)).toEqual([]);
  });

  it('flags with more than 32 labels are refused (they used to wrap: flag 32 aliased flag 0)', async () => {
    const flags = (n: number): Ty => ({
      k: 'flags',
      name: '',
      flags: Array.from({ length: n }, (_, i) => `f${i}`),
    });
    const worlds = [
      { name: '', params: [{ name: 'x', ty: flags(33) }], result: null },
      { name: '', params: [], result: flags(33) },
    ];
    for (const f of worlds) {
      const { resolve, main } = loadWitSource([{ path: 'w.wit', text: worldWit(makeWorld([f])) }]);
      const generating = generateWorld(resolve, selectWorld(resolve, main, 'w'));
      await expect(generating).rejects.toThrow(PlanError);
      await expect(generating).rejects.toThrow(
        /flags `fl-0` has 33 flags; the canonical ABI allows at most 32/,
      );
    }
    // 32 still round-trips, every bit.
    const all = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`f${i}`, true]));
    const top = { f31: true, f0: false };
    await check(
      [{ name: '', params: [{ name: 'x', ty: flags(32) }], result: flags(32) }],
      [
        [
          { args: [all], result: top, bad: [0, 0, 1] },
          { args: [top], result: all, bad: [0, 0, 2] },
        ],
      ],
    );
  });
});
