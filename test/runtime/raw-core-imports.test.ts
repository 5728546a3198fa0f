/**
 * `instantiateCore(…, { coreImports })`: raw core imports (outside the world, e.g.
 * `wasi_snapshot_preview1`) run as host code inside the guest's call, so a call back into the
 * instance from one is reentrance and traps, as from a generated import wrapper; their own
 * exceptions pass through untouched (`proc_exit` of `node:wasi` unwinds by throwing).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseWat } from '@bytecodealliance/jco-transpile/wasm-tools';
import { beforeAll, describe, expect, it } from 'vitest';
import { Trap } from '../../src/runtime/index.js';
import { loadBindings, ROOT } from '../support/bindings.js';

const WIT = `package test:raw;
world raw {
  export f: func() -> u32;
  export g: func() -> u32;
}
`;

const WAT = `(module
  (import "env" "cb" (func $cb (result i32)))
  (memory (export "memory") 1)
  (func (export "f") (result i32) call $cb)
  (func (export "g") (result i32) i32.const 42))`;

const REENTRANCE = 'cannot enter the instance: a call into it is already active (reentrance)';

let mod: any;
let bytes: Uint8Array;
beforeAll(async () => {
  const dir = join(ROOT, '.cache/test-wit/raw-core-imports');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'raw.wit'), WIT);
  mod = await loadBindings('.cache/test-wit/raw-core-imports/raw.wit', { name: 'raw-core-imports' });
  bytes = await parseWat(WAT);
});

describe('raw core imports', () => {
  it('a raw import calling back into the instance is refused as reentrance; the outer call goes on', async () => {
    let inner: unknown;
    const x = await mod.instantiateCore(bytes, {}, {
      coreImports: {
        env: {
          cb: () => {
            try {
              x.g();
            } catch (e) {
              inner = e;
            }
            return 7;
          },
        },
      },
    });
    expect(x.f()).toBe(7);
    expect(inner).toEqual(new Trap(REENTRANCE));
    // Outside the raw import, calls are fine again.
    expect(x.g()).toBe(42);
  });

  it("a raw import's exception passes through as it is (not turned into a Trap)", async () => {
    class Exit extends Error {}
    const exit = new Exit('exit 3');
    const x = await mod.instantiateCore(bytes, {}, {
      coreImports: {
        env: {
          cb: () => {
            throw exit;
          },
        },
      },
    });
    expect(() => x.f()).toThrow(exit);
    // The instance did not return normally from the call: it is poisoned.
    expect(() => x.g()).toThrow(Trap);
  });
});
