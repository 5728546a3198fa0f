import { beforeAll, describe, expect, it } from 'vitest';
import { Trap } from '../../src/runtime/index.js';
import { loadBindings } from '../support/bindings.js';
import { machineSuite } from '../support/cases/machine.js';

// The expectations shared with the component tests (test/component/e2e-machine.test.ts).
machineSuite('core');

let mod: any;

beforeAll(async () => {
  mod = await loadBindings('wit/machine.wit', { name: 'machine' });
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
