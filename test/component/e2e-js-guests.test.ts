// JS guests built with componentize-js (StarlingMonkey: a ~12 MB component with several core
// modules and dozens of WASI 0.2 imports, served by preview2-shim), through witbind's bindings
// generated from the component's own WIT (WASI imports included) and side by side through jco:
// - the `xyz:machine` world (test/component/fixtures/machine.js);
// - a guest with an exported resource and WASI use: printing to stdout (captured through
//   preview2-shim's `_setStdout`) and reading the wall clock (the default clock, then one given
//   in the imports, replacing preview2-shim's for that interface only).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { componentBindings, jsMachine, jsResources } from './js-guests.js';
import { jcoImports, jcoTranspile, wasiImports } from './jco.js';
import { thrownBy } from '../support/outcome.js';

const HOSTS = ['witbind', 'jco'] as const;
type Host = (typeof HOSTS)[number];

/** Compiles `bytes` once for `host`; the result instantiates it with witbind-shaped imports. */
async function host(h: Host, bytes: Uint8Array, name: string): Promise<(imports?: Record<string, unknown>) => Promise<any>> {
  if (h === 'witbind') {
    const mod = await componentBindings(bytes, name);
    const compiled = await mod.compileComponent(bytes);
    return (imports = {}) => mod.instantiateComponent(compiled, imports);
  }
  const j = await jcoTranspile(name, bytes);
  // jco's instantiation mode takes every import from the caller: preview2-shim's interfaces,
  // the ones witbind uses by default, with the test's own on top.
  const wasi = await wasiImports(j.imports);
  return async (imports = {}) => j.instantiate({ ...wasi, ...jcoImports(imports) });
}

for (const h of HOSTS) {
  describe(`componentize-js xyz:machine (${h})`, () => {
    let m: any;
    beforeAll(async () => {
      const instantiate = await host(h, await jsMachine(), 'js-machine');
      m = (await instantiate()).machineInterface;
    });

    it('calls every function', () => {
      expect(m.getU32()).toBe(42);
      expect(m.getStr()).toBe('hello from js');
      expect(m.getVec()).toEqual(new Uint8Array([1, 2, 3]));
      expect(m.run(2n ** 64n - 1n, { x: 1, y: 2 }, { x: 0xffff_ffff, y: 0 })).toEqual({
        machineId: 2n ** 64n - 1n,
        message: '1,2 -> 4294967295,0',
      });
      expect(m.countSymbols('héllo 🌍')).toBe(7);
      expect(m.countSymbols('')).toBe(0);
    });

    it('bad host values', () => {
      if (h === 'witbind') {
        expect(() => m.run(1n, { x: -1, y: 2 }, { x: 0, y: 0 })).toThrow(
          new RangeError('start.x: expected u32 (an integer in [0, 4294967295]), got -1'),
        );
        expect(() => m.countSymbols('a\ud800')).toThrow(/^s: expected string of Unicode scalar values/);
      } else {
        // jco wraps -1 to 4294967295 and encodes the lone surrogate as U+FFFD (see e2e-machine).
        expect(m.run(1n, { x: -1, y: 2 }, { x: 0, y: 0 }).message).toBe('4294967295,2 -> 0,0');
        expect(m.countSymbols('a\ud800')).toBe(2);
      }
      expect(m.getU32()).toBe(42);
    });
  });

  describe(`componentize-js resources, stdout and clocks (${h})`, () => {
    let instantiate: (imports?: Record<string, unknown>) => Promise<any>;
    let ex: any;
    beforeAll(async () => {
      instantiate = await host(h, await jsResources(), 'js-resources');
      ex = await instantiate();
    });

    it('an exported resource: constructor, methods, static, borrows in a list, disposal', () => {
      const { Counter } = ex.counters;
      const [made, disposed] = ex.counters.stats();
      const a = new Counter('a', 1);
      const b = new Counter('b', 0xffff_fffe);
      expect(a).toBeInstanceOf(Counter);
      expect(a.increment(5)).toBe(6);
      expect(b.increment(3)).toBe(1); // wraps at 2^32
      expect(a.name()).toBe('a');
      const ab = Counter.merge(a, b);
      expect(ab).toBeInstanceOf(Counter);
      expect(ab.name()).toBe('a+b');
      expect(ab.value()).toBe(7);
      expect(ex.counters.total([a, b, ab])).toBe(14n);
      expect(ex.counters.total([])).toBe(0n);
      expect(ex.counters.stats()).toEqual([made + 3, disposed]);
      // Dropping the host's handle runs the guest's destructor: the JS class's [Symbol.dispose].
      a[Symbol.dispose]();
      ab[Symbol.dispose]();
      expect(ex.counters.stats()).toEqual([made + 3, disposed + 2]);
      expect(() => a.value()).toThrow(
        h === 'witbind' ? new TypeError('Counter.value: the Counter was disposed') : new TypeError('Resource error: Not a valid "Counter" resource.'),
      );
      // Own in: the guest takes `b` (it never drops the handle, so no destructor runs).
      expect(ex.counters.consume(b)).toBe('b=1');
      expect(ex.counters.stats()).toEqual([made + 3, disposed + 2]);
      if (h === 'witbind') {
        expect(() => b.value()).toThrow(
          new TypeError('Counter.value: the Counter was moved into the guest (passed as an owned handle) and can no longer be used'),
        );
      } else {
        expect(() => b.value()).toThrow(new TypeError('Resource error: Not a valid "Counter" resource.'));
      }
    });

    it('componentize-js bug: an own<counter> parameter deletes the guest’s entry for the *handle* number, not the rep', async () => {
      // The guest's generated glue for `consume(c: counter)` does
      //   rsc = repTable.get(resource.rep(handle)).rep; repTable.delete(handle);
      // so it deletes the entry of whichever counter has a rep equal to the handle's index.
      // Under witbind, which follows the canonical ABI (lifting an own result removes the
      // guest's handle; `resource.new` reuses the freed slot), `a` and `b` both came out of
      // handle 1, and `consume(b)` receives handle 1 for rep 2: the glue deletes rep 1 — `a` —
      // and the guest traps when `a` is next used (a JS TypeError in StarlingMonkey: `unreachable`).
      // jco never removes a handle from the component's table when it lifts an own result
      // (the host object keeps the guest's handle), so handles are never reused and equal the
      // guest's reps here: the bug stays hidden.
      const fresh = await instantiate();
      const { Counter } = fresh.counters;
      const a = new Counter('a', 1);
      const b = new Counter('b', 2);
      expect(fresh.counters.consume(b)).toBe('b=2');
      if (h === 'witbind') {
        const err = thrownBy(() => a.value());
        expect(err).toBeInstanceOf(WebAssembly.RuntimeError);
        expect(err.message).toBe('unreachable');
        expect(() => fresh.counters.stats()).toThrow(/trapped earlier/);
      } else {
        expect(a.value()).toBe(1);
        expect(fresh.counters.stats()).toEqual([2, 0]);
      }
    });

    describe('stdout, captured through preview2-shim', () => {
      let cli: any;
      let previous: unknown;
      let chunks: Uint8Array[];
      beforeAll(async () => {
        cli = await import('@bytecodealliance/preview2-shim/cli');
        const io: any = await import('@bytecodealliance/preview2-shim/io');
        /** An output stream of preview2-shim's class (so both hosts accept it) that keeps what is written. */
        class Capture extends io.streams.OutputStream {
          checkWrite(): bigint {
            return 1n << 20n;
          }
          write(b: Uint8Array): void {
            chunks.push(b.slice());
          }
          blockingWriteAndFlush(b: Uint8Array): void {
            chunks.push(b.slice());
          }
          flush(): void {}
          blockingFlush(): void {}
        }
        previous = cli.stdout.getStdout();
        chunks = [];
        cli._setStdout(new Capture());
      });
      afterEach(() => {
        chunks.length = 0;
      });
      afterAll(() => {
        cli._setStdout(previous);
      });

      it('console.log in the guest writes its line to stdout', () => {
        const before = ex.io.print('héllo 🌍 from the guest');
        expect(ex.io.print('')).toBe(before + 1);
        expect(Buffer.concat(chunks).toString('utf8')).toBe('héllo 🌍 from the guest\n\n');
      });
    });

    it('Date.now() reads the wall clock (preview2-shim’s by default)', () => {
      const before = BigInt(Date.now());
      const t = ex.io.nowMs();
      const after = BigInt(Date.now());
      expect(typeof t).toBe('bigint');
      expect(t >= before && t <= after).toBe(true);
    });

    it('a wall clock given in the imports replaces preview2-shim’s, for that interface only', async () => {
      const fixed = await instantiate({
        'wasi:clocks/wall-clock': {
          now: () => ({ seconds: 1_700_000_000n, nanoseconds: 123_456_789 }),
          resolution: () => ({ seconds: 0n, nanoseconds: 1_000_000 }),
        },
      });
      expect(fixed.io.nowMs()).toBe(1_700_000_000_123n);
      // Everything else still comes from preview2-shim.
      expect(fixed.counters.total([new fixed.counters.Counter('x', 5)])).toBe(5n);
    });
  });
}
