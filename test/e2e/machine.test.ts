import { beforeAll, describe, expect, it } from 'vitest';
import { Trap } from '../../src/runtime/index.js';
import { guest, loadBindings } from '../support/bindings.js';

let mod: any;
let m: any;

beforeAll(async () => {
  mod = await loadBindings('wit/machine.wit', { name: 'machine' });
  m = (await mod.instantiateCore(await guest('machine'))).machineInterface;
});

describe('xyz:machine through generated bindings (core module)', () => {
  it('calls every function', () => {
    expect(m.getU32()).toBe(42);
    expect(m.getStr()).toBe('Hello, wörld! ✓ 🚀');
    expect(m.getVec()).toEqual(new Uint8Array([0, 1, 2, 127, 128, 255]));
    expect(m.run(42n, { x: 1, y: 2 }, { x: 4, y: 6 })).toEqual({
      machineId: 42n,
      message: 'machine 42 moved from (1, 2) to (4, 6): distance 7',
    });
    expect(m.countSymbols('héllo 🌍')).toBe(7);
    expect(m.countSymbols('')).toBe(0);
  });

  it('exposes interfaces under their full name too', async () => {
    const ex = await mod.instantiateCore(await guest('machine'));
    expect(ex['xyz:machine/machine-interface']).toBe(ex.machineInterface);
  });

  it('returns copies, never views of guest memory', () => {
    const a = m.getVec();
    a[0] = 99;
    expect(m.getVec()[0]).toBe(0);
  });

  it('rejects bad host values with the argument path before calling the guest', () => {
    expect(() => m.run(1n, { x: -1, y: 2 }, { x: 0, y: 0 })).toThrow(
      new RangeError('start.x: expected u32 (an integer in [0, 4294967295]), got -1'),
    );
    expect(() => m.run(1n, { x: 1, y: 2 }, null)).toThrow(TypeError);
    expect(() => m.run(1n, { x: 1, y: 2 }, null)).toThrow(/^destination: expected record `point`/);
    expect(() => m.run(1, { x: 1, y: 2 }, { x: 1, y: 2 })).toThrow(/machine: expected u64 as a bigint/);
    expect(() => m.run(2n ** 64n, { x: 1, y: 2 }, { x: 1, y: 2 })).toThrow(RangeError);
    expect(() => m.countSymbols(5)).toThrow(new TypeError('s: expected string, got number'));
    expect(() => m.countSymbols('a\uD800b')).toThrow(/s: expected string of Unicode scalar values/);
    // The instance is still usable: nothing was touched.
    expect(m.getU32()).toBe(42);
  });
});

describe('hosting a core module by hand (bindCore over any exports object)', () => {
  function fakeGuest(retWords: number[], extra: Record<string, unknown> = {}) {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const dv = new DataView(memory.buffer);
    retWords.forEach((w, i) => dv.setUint32(64 + 4 * i, w, true));
    new Uint8Array(memory.buffer).set([0x68, 0x69, 0xff], 128); // "hi", then an invalid byte
    let posts = 0;
    const ex = {
      memory,
      cabi_realloc: () => 1024,
      'xyz:machine/machine-interface#get-u32': () => -1,
      'xyz:machine/machine-interface#get-str': () => 64,
      'cabi_post_xyz:machine/machine-interface#get-str': () => {
        posts++;
      },
      'xyz:machine/machine-interface#get-vec': () => 64,
      'xyz:machine/machine-interface#run': () => 64,
      'xyz:machine/machine-interface#count-symbols': () => 0,
      ...extra,
    };
    return { ex, posts: () => posts };
  }

  it('lifts results and calls post-return once', () => {
    const g = fakeGuest([128, 2]);
    const api = mod.bindCore(g.ex).machineInterface;
    expect(api.getU32()).toBe(4294967295);
    expect(api.getStr()).toBe('hi');
    expect(g.posts()).toBe(1);
  });

  it('traps on invalid UTF-8 and poisons the instance', () => {
    const g = fakeGuest([128, 3]);
    const api = mod.bindCore(g.ex).machineInterface;
    expect(() => api.getStr()).toThrow(Trap);
    expect(() => api.getU32()).toThrow(/trapped earlier/);
  });

  it('still runs the post-return exactly once when lifting the result traps', () => {
    const g = fakeGuest([128, 3]);
    const api = mod.bindCore(g.ex).machineInterface;
    expect(() => api.getStr()).toThrow(/invalid utf-8/);
    expect(g.posts()).toBe(1);
  });

  it('traps on a string out of bounds, a misaligned return pointer and a list past memory', () => {
    expect(() => mod.bindCore(fakeGuest([65530, 100]).ex).machineInterface.getStr()).toThrow(/out of bounds/);
    const mis = fakeGuest([0, 0], { 'xyz:machine/machine-interface#get-str': () => 66 });
    expect(() => mod.bindCore(mis.ex).machineInterface.getStr()).toThrow(/misaligned/);
    expect(() => mod.bindCore(fakeGuest([65000, 1000]).ex).machineInterface.getVec()).toThrow(/out of bounds/);
  });

  it('names a missing core export at bind time', () => {
    const g = fakeGuest([0, 0]);
    delete (g.ex as Record<string, unknown>)['xyz:machine/machine-interface#run'];
    expect(() => mod.bindCore(g.ex)).toThrow(/does not export function `xyz:machine\/machine-interface#run`/);
  });
});
