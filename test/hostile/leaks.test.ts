/**
 * Nothing leaks: a million calls of string-, list- and resource-heavy functions through the
 * kitchen-sink C guest (its allocator tracks every live byte: `allocated-bytes`), as a core module
 * and as a component. Afterwards the guest's allocated bytes, its live accumulators and witbind's
 * handle tables (`state.handles`, `state.hostObjects`) are back to their starting size, and every
 * export call that has a post-return ran it exactly once — counted by wrapping the core exports
 * the bindings are given — also when lifting the result fails (the trapping functions of
 * `traps`, each on an instance of its own).
 */
import { describe, expect, it } from 'vitest';
import { Trap } from '../../src/runtime/index.js';
import { instantiateComponentCore } from '../../src/runtime/component.js';
import type { CoreInstance } from '../../src/runtime/instance.js';
import { guest } from '../support/bindings.js';
import { KITCHEN_SINK, guestBindings, guestComponentBytes } from '../support/modes.js';
import { CELL, host, MODES, SCRATCH, type Hosted, type Mode } from './guest.js';
import { recordingHost } from './host.js';

/** Total calls (both modes together). */
const CALLS = 1_000_000;

class Counter {
  static disposed = 0;
  constructor(public value: number) {}
  add(n: number): number {
    this.value = (this.value + n) >>> 0;
    return this.value;
  }
  get(): number {
    return this.value;
  }
  describe(): string {
    return `counter=${this.value}`;
  }
  static merge(a: Counter, b: Counter): Counter {
    return new Counter((a.value + b.value) >>> 0);
  }
  [Symbol.dispose](): void {
    Counter.disposed++;
  }
}

interface Counted {
  ex: any;
  state: CoreInstance;
  /** Calls of core exports that have a post-return, and of the post-returns, per export name. */
  calls: Map<string, number>;
  posts: Map<string, number>;
}

let mod: any;
const prepared = new Map<Mode, unknown>();

async function instantiate(mode: Mode): Promise<Counted> {
  mod ??= await guestBindings(KITCHEN_SINK);
  const host = new Proxy({ Counter, consume: (c: Counter) => c.value } as Record<string, unknown>, {
    get: (t, k: string) => t[k] ?? ((v: unknown) => v),
  });
  const link = mod.createCoreImports({ 'test:kitchen-sink/host': host, log: () => {} });
  let raw: Record<string, unknown>;
  if (mode === 'core') {
    let m = prepared.get(mode) as WebAssembly.Module | undefined;
    if (m === undefined) {
      m = new WebAssembly.Module(new Uint8Array(await guest('kitchen-sink')));
      prepared.set(mode, m);
    }
    const instance = new WebAssembly.Instance(m, link.imports);
    (instance.exports._initialize as () => void)();
    raw = { ...instance.exports };
  } else {
    let c = prepared.get(mode);
    if (c === undefined) {
      c = await mod.compileComponent(await guestComponentBytes(KITCHEN_SINK));
      prepared.set(mode, c);
    }
    raw = { ...(await instantiateComponentCore(c as never, link.imports, link.state, { encoding: 'utf8' })) };
  }
  const calls = new Map<string, number>();
  const posts = new Map<string, number>();
  for (const name of Object.keys(raw)) {
    const post = raw[`cabi_post_${name}`];
    if (typeof post !== 'function') continue;
    const f = raw[name] as (...a: unknown[]) => unknown;
    calls.set(name, 0);
    posts.set(name, 0);
    raw[name] = (...a: unknown[]) => {
      calls.set(name, calls.get(name)! + 1);
      return f(...a);
    };
    raw[`cabi_post_${name}`] = (...a: unknown[]) => {
      posts.set(name, posts.get(name)! + 1);
      return (post as (...a: unknown[]) => unknown)(...a);
    };
  }
  return { ex: mod.bindCore(raw, link), state: link.state, calls, posts };
}

const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/** One round of calls; returns how many calls into the guest it made. */
function round(ex: any, i: number, counter: Counter): number {
  const s = `héllo wörld ${i & 0xff} ✓ 🚀`;
  if (ex.echoes.echoString(s) !== s) throw new Error('echoString');
  const list = ['a', s, '', 'ünïcode'];
  if (ex.echoes.echoListString(list)[1] !== s) throw new Error('echoListString');
  if (ex.echoes.echoListU32(new Uint32Array([i, 1, 2, 3])).length !== 4) throw new Error('echoListU32');
  // Guest → host: the host's string and list results are lowered into the guest and freed by it.
  if (ex.calls.roundtripString(s) !== s) throw new Error('roundtripString');
  if (ex.calls.roundtripListString(list).length !== 4) throw new Error('roundtripListString');
  // A guest resource: constructor (string in), method, method (string out), borrows in a list,
  // destructor.
  const { Accumulator } = ex.resources;
  const a = new Accumulator(s);
  a.add(BigInt(i));
  if (a.label() !== s) throw new Error('label');
  const b = new Accumulator('b');
  ex.resources.totalOf([a, b, a]);
  a[Symbol.dispose]();
  // Own handle into the guest (consumed: the guest's destructor runs).
  Accumulator.consume(b);
  // Host resources: borrowed for a call (a borrow handle the guest drops), own out of the guest.
  ex.calls.counterGet(counter);
  const c = ex.calls.makeCounter(i & 0xffff);
  ex.calls.counterFinish(c, 1);
  return 13;
}

describe('nothing leaks', () => {
  for (const mode of MODES) {
    it(`${CALLS / MODES.length} calls (${mode}): guest memory, live resources and handle tables back to where they started; one post-return per call`, async () => {
      const t = await instantiate(mode);
      const counter = new Counter(5);
      // Warm up (the guest's allocator may keep its first free lists), then take the baseline.
      for (let i = 0; i < 100; i++) round(t.ex, i, counter);
      // Something alive in the guest across the run, so the baseline is not just an empty heap.
      const kept = new t.ex.resources.Accumulator('kept across the run');
      const bytes = t.ex.allocatedBytes();
      const handles = t.state.handles.size;
      const hostObjects = t.state.hostObjects.size;
      const live = t.ex.resources.liveAccumulators();
      const disposed = Counter.disposed;
      const callsBefore = sum(t.calls);
      const postsBefore = sum(t.posts);
      const started = performance.now();
      let n = 0;
      const target = CALLS / MODES.length;
      let i = 0;
      while (n < target) n += round(t.ex, i++, counter);
      const after = {
        bytes: t.ex.allocatedBytes(),
        handles: t.state.handles.size,
        hostObjects: t.state.hostObjects.size,
        live: t.ex.resources.liveAccumulators(),
      };
 const ms = Math.round(performance.now() - started);
      console.log(
        `[leaks ${mode}] ${n} calls (${i} rounds, ${ms} ms): allocated bytes ${bytes} → ${after.bytes}, handles ${handles} → ${after.handles}, host objects ${hostObjects} → ${after.hostObjects}, live accumulators ${live} → ${after.live}, post-returns ${sum(t.posts) - postsBefore} for ${sum(t.calls) - callsBefore} calls`,
      );
      expect(after).toEqual({ bytes, handles, hostObjects, live });
      expect(bytes).toBeGreaterThan(0);
      expect(handles).toBe(0);
      expect(hostObjects).toBe(0);
      expect(live).toBe(1);
      kept[Symbol.dispose]();
      expect(t.ex.resources.liveAccumulators()).toBe(0);
      // Every counter the guest made (makeCounter) was disposed when it dropped it (counterFinish).
      expect(Counter.disposed - disposed).toBe(i);
      // Post-return: exactly once per call, for every export that has one.
      expect(t.posts).toEqual(t.calls);
      expect(sum(t.calls) - callsBefore).toBeGreaterThan(n / 3);
      expect(counter.value).toBe(5);
    }, 120_000);

    it(`post-return runs exactly once per call, also when lifting the result fails (${mode}; the hostile guest)`, async () => {
      // (The C guest has no post-return on its trapping functions; the hostile guest has one on
      // every export: test/hostile/guest.ts.) Each failure poisons its instance: one per case.
      const FAILS: [string, (h: Hosted) => void, (ex: any) => unknown, string][] = [
        ['an invalid char', (h) => h.set(CELL.RET, 0xd800), (ex) => ex.give.getChar(), 'invalid char'],
        ['an enum discriminant', (h) => h.set(CELL.RET, 3), (ex) => ex.give.getColor(), 'invalid discriminant 3'],
        ['invalid UTF-8', (h) => (h.set(CELL.RET, SCRATCH), h.set(SCRATCH, SCRATCH + 8, 1), h.bytes(SCRATCH + 8, [0xff])), (ex) => ex.give.getString(), 'invalid utf-8'],
        ['a list past memory', (h) => (h.set(CELL.RET, SCRATCH), h.set(SCRATCH, SCRATCH + 8, 0x1_0000)), (ex) => ex.give.getBytes(), 'list out of bounds'],
        ['a misaligned return pointer', (h) => h.set(CELL.RET, SCRATCH + 2), (ex) => ex.give.getStrings(), 'pointer misaligned'],
        ['an unknown handle', (h) => h.set(CELL.RET, 77), (ex) => ex.res.getThing(), 'unknown handle'],
      ];
      for (const [what, setup, call, reason] of FAILS) {
        const h = await host(mode, recordingHost().imports);
        // Successful calls first (strings and lists both ways, and resources).
        for (let i = 0; i < 200; i++) {
          h.ex.sink.putString(`call ${i}`);
          h.set(CELL.RET, i);
          h.ex.give.getU32();
          new h.ex.res.Thing(i)[Symbol.dispose]();
        }
        expect(h.posts(), what).toBe(600);
        setup(h);
        expect(() => call(h.ex), what).toThrow(new Trap(reason));
        expect(h.posts(), what).toBe(601);
        expect(h.cell(CELL.POSTS), what).toBe(601);
        expect(() => call(h.ex), what).toThrow(/trapped earlier/);
        expect(h.posts(), what).toBe(601);
      }
    });
  }
});
