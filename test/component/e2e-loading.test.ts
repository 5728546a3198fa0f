// Loading components: compile once and instantiate many times (witbind's `compileComponent`,
// jco's `instantiate` with memoized core modules), a component whose string encoding is not the
// one the bindings were generated for, and constructs witbind does not support yet — refused at
// load time with a message naming them.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ComponentLoadError } from '../../src/runtime/component.js';
import { loadBindings } from '../support/bindings.js';
import { KITCHEN_SINK, STRINGS_UTF16, guestBindings, guestComponentBytes } from '../support/modes.js';
import { Counter } from '../support/kitchen-sink.js';
import { jcoTranspile, jcoImports } from './jco.js';
import { parseWat } from './support.js';

/** Imports of the kitchen-sink world: host echoes echo. */
function sinkImports(): Record<string, unknown> {
  const host = new Proxy({ Counter, consume: (c: Counter) => c.value } as Record<string, unknown>, {
    get: (t, k: string) => t[k] ?? ((v: unknown) => v),
  });
  return { 'test:kitchen-sink/host': host, log: () => {} };
}

describe('compile once, instantiate many', () => {
  let mod: any;
  let bytes: Uint8Array;
  beforeAll(async () => {
    mod = await guestBindings(KITCHEN_SINK);
    bytes = await guestComponentBytes(KITCHEN_SINK);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('witbind: compileComponent, then instances with their own memory, handles and fate', async () => {
    const compiled = await mod.compileComponent(bytes);
    // The same object back: compiling a compiled component is a no-op.
    expect(await mod.compileComponent(compiled)).toBe(compiled);
    const compile = vi.spyOn(WebAssembly, 'compile');
    const ctor = vi.spyOn(WebAssembly, 'Module');
    const a = await mod.instantiateComponent(compiled, sinkImports());
    const b = await mod.instantiateComponent(compiled, sinkImports());
    // No core module was compiled again.
    expect(compile).not.toHaveBeenCalled();
    expect(ctor).not.toHaveBeenCalled();

    const acc = new a.resources.Accumulator('only in a');
    acc.add(5n);
    expect(a.resources.liveAccumulators()).toBe(1);
    expect(b.resources.liveAccumulators()).toBe(0);
    expect(a.allocatedBytes()).toBeGreaterThan(b.allocatedBytes());
    // An object of one instance is refused by the other.
    expect(() => b.resources.totalOf([acc])).toThrow(/belongs to another instance/);
    // A trap poisons its own instance only.
    expect(() => a.traps.badUtf8()).toThrow('wasm trap: invalid utf-8');
    expect(() => a.initCount()).toThrow(/trapped earlier/);
    expect(b.initCount()).toBe(1);
    expect(b.echoes.echoString('still here')).toBe('still here');
  });

  it('jco: one transpile, core modules compiled once, independent instances', async () => {
    const j = await jcoTranspile('kitchen-sink', bytes);
    await j.instantiate(jcoImports(sinkImports())); // warm: compiles the core modules
    const compile = vi.spyOn(WebAssembly, 'compile');
    const a = await j.instantiate(jcoImports(sinkImports()));
    const b = await j.instantiate(jcoImports(sinkImports()));
    expect(compile).not.toHaveBeenCalled();
    const acc = new a.resources.Accumulator('only in a');
    expect(a.resources.liveAccumulators()).toBe(1);
    expect(b.resources.liveAccumulators()).toBe(0);
    // jco refuses the other instance's object too (per-instance classes), without saying why.
    expect(() => b.resources.totalOf([acc])).toThrow('Resource error: Not a valid "Accumulator" resource.');
    acc[Symbol.dispose]();
    expect(a.resources.liveAccumulators()).toBe(0);
  });
});

describe('a component whose string encoding is not the bindings’', () => {
  it('fails at load, naming the function, both encodings and the fix', async () => {
    // strings-utf16.wit generated for utf8, given the utf16 component.
    const mod = await loadBindings(STRINGS_UTF16.wit, { name: 'strings-utf16-as-utf8', encoding: 'utf8' });
    const bytes = await guestComponentBytes(STRINGS_UTF16);
    const imports = { 'test:strings-utf16/host': { echo: (s: string) => s } };
    const err = await mod.instantiateComponent(bytes, imports).then(
      () => expect.fail('instantiated'),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ComponentLoadError);
    expect((err as Error).message).toBe(
      'the import `test:strings-utf16/host#echo` uses string-encoding=utf16 but the bindings were generated for utf8 (regenerate with --encoding utf16)',
    );
    // The other way round: utf16 bindings, the kitchen-sink's utf8 component.
    const utf16 = await loadBindings(KITCHEN_SINK.wit, { name: 'kitchen-sink-as-utf16', encoding: 'utf16' });
    await expect(utf16.instantiateComponent(await guestComponentBytes(KITCHEN_SINK), sinkImports())).rejects.toThrow(
      /uses string-encoding=utf8 but the bindings were generated for utf16 \(regenerate with --encoding utf8\)$/,
    );
    // (jco has no such failure mode: it generates its bindings from the component itself.)
  });
});

describe('constructs witbind does not support yet fail at load time, naming them', () => {
  const core = `
  (core module $m
    (memory (export "mem") 1)
    (func (export "get") (result i32) i32.const 42)
    (func (export "run") (result i32) i32.const 0)
    (func (export "cb") (param i32 i32 i32) (result i32) i32.const 0)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 8)
    (func (export "take") (param i32 i32)))
  (core instance $i (instantiate $m))
  (alias core export $i "get" (core func $get))
  (alias core export $i "run" (core func $run))
  (alias core export $i "cb" (core func $cb))
  (alias core export $i "mem" (core memory $mem))
  (alias core export $i "realloc" (core func $realloc))
  (alias core export $i "take" (core func $take))
  (func (export "get") (result u32) (canon lift (core func $get)))`;
  const wat = (extra: string) => `(component ${core}\n${extra})`;
  let mod: any;
  beforeAll(async () => {
    mod = await loadBindings('test/component/fixtures/unsupported.wit', { name: 'unsupported' });
  });

  it('the component without them instantiates (the fixture itself is fine)', async () => {
    const ex = await mod.instantiateComponent(await parseWat(wat('')));
    expect(ex.get()).toBe(42);
  });

  const CASES: [string, string, string][] = [
    [
      'an async lift (with a callback)',
      `(type $t (func async (result u32)))
       (func $f (type $t) (canon lift (core func $run) async (callback (core func $cb))))
       (export "run-async" (func $f))`,
      'a lifted function: async canonical functions are not supported yet',
    ],
    [
      'an async built-in (context.get)',
      `(core func (canon context.get i32 0))`,
      'canon context.get is not supported yet',
    ],
    [
      'a second linear memory',
      `(core module $n
         (memory (export "mem") 1)
         (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 8)
         (func (export "f") (param i32 i32)))
       (core instance $j (instantiate $n))
       (alias core export $j "mem" (core memory $mem2))
       (alias core export $j "realloc" (core func $realloc2))
       (alias core export $j "f" (core func $f2))
       (func (export "take") (param "s" string) (canon lift (core func $take) (memory $mem) (realloc $realloc)))
       (func (export "give") (param "s" string) (canon lift (core func $f2) (memory $mem2) (realloc $realloc2)))`,
      'a lifted function uses a second linear memory: components with several memories are not supported yet',
    ],
  ];

  for (const [what, extra, message] of CASES) {
    it(what, async () => {
      const bytes = await parseWat(wat(extra));
      const err = await mod.instantiateComponent(bytes).then(
        () => expect.fail('instantiated'),
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ComponentLoadError);
      expect((err as Error).message).toBe(message);
    });
  }

  it('jco transpiles the async lift, but its output needs JSPI: on Node 20 it fails at instantiation with an engine error', async () => {
    const j = await jcoTranspile('unsupported-async', await parseWat(wat(CASES[0]![1])));
    await expect(j.instantiate({})).rejects.toThrow(new TypeError('WebAssembly.promising is not a function'));
  });
});
