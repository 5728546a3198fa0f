// A guest that grows its memory and then calls an import: the import wrapper must read the
// arguments (and write the results) through views of the grown memory, not the detached ones.
// Driven through `createCoreImports`/`bindCore` with a stand-in for the instance, so the growth
// happens exactly between binding and the import call.
import { describe, expect, it } from 'vitest';
import { guest, loadBindings } from '../support/bindings.js';

describe('import wrappers after the guest grew its memory', () => {
  it('lift the arguments from the grown memory', async () => {
    const b = await loadBindings('wit/codegen/strings-utf16.wit', { name: 'growth-utf16', encoding: 'utf16' });
    const memory = new WebAssembly.Memory({ initial: 1 });
    const seen: string[] = [];
    const link = b.createCoreImports({
      'test:strings-utf16/host': {
        echo: (s: string) => {
          seen.push(s);
          return s;
        },
      },
    });
    // Only memory and realloc are used here; the exports just have to exist.
    let top = 70000;
    const fake: Record<string, unknown> = {
      memory,
      cabi_realloc: (_p: number, _o: number, align: number, size: number) => {
        top = Math.ceil(top / align) * align;
        const p = top;
        top += size;
        return p;
      },
      'allocated-bytes': () => 0,
    };
    const mod = new WebAssembly.Module(new Uint8Array(await guest('strings-utf16')));
    for (const e of WebAssembly.Module.exports(mod)) if (e.kind === 'function' && !(e.name in fake)) fake[e.name] = () => 0;
    b.bindCore(fake, link);

    memory.grow(1); // inside the guest, before it calls the import
    new Uint16Array(memory.buffer, 66000, 2).set([0x68, 0x69]); // "hi", past the first page
    const echo = (link.imports['test:strings-utf16/host'] as Record<string, (...a: number[]) => void>).echo!;
    echo(66000, 2, 100);
    expect(seen).toEqual(['hi']);
    const dv = new DataView(memory.buffer);
    const [ptr, len] = [dv.getUint32(100, true), dv.getUint32(104, true)];
    expect(len).toBe(2);
    expect([...new Uint16Array(memory.buffer, ptr, 2)]).toEqual([0x68, 0x69]);
  });
});
