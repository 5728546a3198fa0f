/**
 * The interpreting backend (src/abi/interpret.ts) agrees with the generated code (TsBindgen) on
 * the same plans: random worlds of the round-trip property (harness.ts), in every encoding, with
 * the generated code as the oracle on both ends of an interpreted adapter.
 *
 * Two instances of the forwarding guest: the host calls the *generated* export wrapper of G2,
 * which lowers the arguments into G2; G2 passes its flat params to its import, which is an
 * *interpreted* adapter (the component-composition adapter in miniature): the `import` plan lifts
 * them out of G2's memory, the `export` plan lowers them into G3's and calls G3's export, which
 * forwards them to the *generated* import wrapper and the checking host (it must receive exactly
 * the arguments the test passed). The result goes back the same way: lowered by generated code
 * into G3, lifted by the interpreter (then G3's post-return, which traps unless it gets what
 * the export returned), lowered by the interpreter into G2, lifted by generated code. So every
 * value is lifted and lowered once by each backend, and they must agree.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StringEncoding } from '../../src/abi/instructions.js';
import { execPlan } from '../../src/abi/interpret.js';
import { Planner } from '../../src/abi/plan.js';
import { ComponentError } from '../../src/runtime/index.js';
import { CoreInstance } from '../../src/runtime/instance.js';
import { bindings, build, caseArb, instantiate, SEED, type Case } from './harness.js';
import { diff, lowerCamel, show, throwsResult, witFunc, type FuncSpec } from './wit-gen.js';

const PKG = 'prop:rt';
const ENCODINGS: readonly StringEncoding[] = ['utf8', 'utf16', 'latin1+utf16'];
/** Worlds per encoding (each has up to MAX_FUNCS random functions, 1–3 calls each). */
const WORLDS = 2;

async function agree(c: Case, encoding: StringEncoding): Promise<number> {
  const built = await build(c.world);
  const mod = await bindings(built, encoding);
  const g3 = await instantiate(mod, built, c.world);
  const planner = new Planner(built.resolve);
  const iface = built.resolve.interfaces.find((i) => i.name === 'guest')!;
  const st2 = new CoreInstance();
  const st3 = new CoreInstance();
  st3.bind(g3.raw as never);
  const adapters: Record<string, Function> = {};
  for (const f of c.world.funcs) {
    const func = iface.functions.get(f.name)!;
    const name = `${PKG}/guest#${f.name}`;
    const lower = planner.plan(func, 'import', { encoding, coreName: f.name });
    const lift = planner.plan(func, 'export', { encoding, coreName: name, postReturn: `cabi_post_${name}` });
    const core = g3.raw[name] as Function;
    const post = g3.raw[`cabi_post_${name}`] as Function;
    adapters[f.name] = (...args: unknown[]) =>
      execPlan(lower, {
        resolve: built.resolve,
        st: st2,
        args,
        callInterface: (vals) =>
          execPlan(lift, {
            resolve: built.resolve,
            st: st3,
            args: vals,
            callWasm: (a) => core(...a),
            postReturn: (...r) => post(...r),
          })[0],
      })[0];
  }
  const g2 = await WebAssembly.instantiate(built.module, { [`${PKG}/host`]: adapters } as WebAssembly.Imports);
  st2.bind(g2.exports as never);
  const ex2 = mod.bindCore(g2.exports);
  let calls = 0;
  for (const [fi, f] of c.world.funcs.entries()) {
    const fn = ex2.guest[lowerCamel(f.name)] as (...a: unknown[]) => unknown;
    for (const call of c.calls[fi]!) {
      const where = `${witFunc(f)} (${encoding}) with ${show(call.args)}`;
      g3.host.expect = { fi, args: call.args, result: call.result };
      const before = g3.host.calls;
      let got: unknown;
      let thrown: unknown;
      try {
        got = fn(...call.args);
      } catch (e) {
        thrown = e;
      }
      g3.host.expect = null;
      if (thrown !== undefined && !(thrown instanceof ComponentError)) {
        throw new Error(`${where} threw ${String(thrown)}; host: ${g3.host.problems.join('; ')}`, { cause: thrown });
      }
      expect(g3.host.problems, where).toEqual([]);
      expect(g3.host.calls - before, `${where}: host calls`).toBe(1);
      checkResult(f, call.result, got, thrown, where);
      calls++;
    }
  }
  // Every call ran G3's post-return once (it traps on a wrong argument).
  expect((g3.raw['posts'] as WebAssembly.Global).value).toBe(calls);
  return calls;
}

/** The answer of G2's export: the result value, or for a `result` function its `ok` or thrown `err`. */
function checkResult(f: FuncSpec, want: unknown, got: unknown, thrown: unknown, where: string): void {
  const r = throwsResult(f);
  if (r) {
    const w = want as { tag: string; val?: unknown };
    if (w.tag === 'ok') {
      if (thrown !== undefined) throw thrown;
      expect(r.ok ? diff(r.ok, got, w.val, 'result') : got === undefined ? null : show(got), where).toBeNull();
    } else {
      expect(thrown, `${where}: err must throw ComponentError`).toBeInstanceOf(ComponentError);
      const payload = (thrown as ComponentError).payload;
      expect(r.err ? diff(r.err, payload, w.val, 'payload') : payload === undefined ? null : show(payload), where).toBeNull();
    }
    return;
  }
  if (thrown !== undefined) throw thrown;
  if (!f.result) expect(got, where).toBeUndefined();
  else expect(diff(f.result, got, want, 'result'), where).toBeNull();
}

describe('the interpreter agrees with the generated code on random plans', () => {
  const cases = fc.sample(caseArb, { seed: SEED, numRuns: WORLDS });
  for (const encoding of ENCODINGS) {
    it(`${encoding}: generated → interpreted adapter → generated, both ways`, async () => {
      let calls = 0;
      for (const c of cases) calls += await agree(c, encoding);
      expect(calls).toBeGreaterThan(0);
    }, 120_000);
  }
});
