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
import { bindings, build, roundTrip, type Call } from './harness.js';
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

  it('lifted NaNs are canonical, not the payload the other side stored (scalars, flat and in memory, and float lists)', async () => {
    const f32 = prim('f32');
    const f64 = prim('f64');
    const tys: Ty[] = [
      f32,
      f64,
      list(f32),
      list(f64),
      {
        k: 'variant',
        name: '',
        cases: [
          { name: 'a', ty: f32 },
          { name: 'b', ty: f64 },
        ],
      },
      {
        k: 'tuple',
        els: [f32, f64, f32, f64, f32, f64, f32, f64, f32, f64, f32, f64, f32, f64, f32, f64],
      },
    ];
    const all: Ty = { k: 'tuple', els: tys };
    const world = makeWorld([
      { name: '', params: tys.map((ty, i) => ({ name: `x${i}`, ty })), result: all },
    ]);
    const built = await build(world);
    // NaNs with payloads: JS numbers carry these bits into typed arrays and wasm.
    const nan32 = new Float32Array(new Uint32Array([0x7fa00001, 0xfff674fb]).buffer);
    const nan64 = new Float64Array(
      new BigUint64Array([0x7ff0000000000001n, 0xffffffffffffffffn]).buffer,
    );
    const args = [
      nan32[1]!,
      nan64[1]!,
      Float32Array.from(nan32),
      Float64Array.from(nan64),
      { tag: 'a', val: nan32[0]! },
      [...Array(8)].flatMap(() => [nan32[0]!, nan64[0]!]),
    ];
    const bits32 = (x: number) => new Uint32Array(new Float32Array([x]).buffer)[0]!.toString(16);
    const bits64 = (x: number) => new BigUint64Array(new Float64Array([x]).buffer)[0]!.toString(16);
    /** The bits of every float in a value of `all`'s shape. */
    const bits = (v: any[]) => [
      bits32(v[0]),
      bits64(v[1]),
      ...Array.from(v[2] as Float32Array, bits32),
      ...Array.from(v[3] as Float64Array, bits64),
      bits32(v[4].val),
      ...(v[5] as number[]).map((x, i) => (i % 2 ? bits64(x) : bits32(x))),
    ];
    const canonical = [
      '7fc00000',
      '7ff8000000000000',
      '7fc00000',
      '7fc00000',
      '7ff8000000000000',
      '7ff8000000000000',
      '7fc00000',
      ...[...Array(8)].flatMap(() => ['7fc00000', '7ff8000000000000']),
    ];
    for (const encoding of ENCODINGS) {
      const mod = await bindings(built, encoding);
      let received: string[] = [];
      const link = mod.createCoreImports({
        'prop:rt/host': {
          f0: (...got: any[]) => {
            received = bits(got);
            return args;
          },
        },
      });
      const instance = await WebAssembly.instantiate(built.module, link.imports);
      const ex = mod.bindCore(instance.exports, link);
      const out = ex.guest.f0(...args);
      expect(received, `${encoding}: the host's args`).toEqual(canonical);
      expect(bits(out), `${encoding}: the export's result`).toEqual(canonical);
    }
  });
});
