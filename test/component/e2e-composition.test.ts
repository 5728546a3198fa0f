// A composition of two components whose strings are in different encodings
// (test/component/fixtures/composed-strings.wat): B (UTF-8) exports `test:compose/text`, A
// (UTF-16) imports it and exports `test:compose/relay`; the outer component wires A to B. A call
// of `relay` carries a string host → A (UTF-16) → B (UTF-8) → A → host: A's `canon lower` of B's
// lifted `echo` is a fused adapter between two memories that transcodes, built from two plans of
// the one ABI planner and run by the interpreting backend (src/abi/interpret.ts).
//
// The oracle is the specification (definitions.py): B counts what it received, in its own
// encoding's units. jco hosts the same component; its results must be identical.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateComponent } from '../../src/generate.js';
import { ComponentLoadError } from '../../src/runtime/component.js';
import { Trap } from '../../src/runtime/errors.js';
import { componentBindings } from './js-guests.js';
import { jcoTranspile } from './jco.js';
import { root, watComponent } from './support.js';

type Enc = 'utf8' | 'utf16' | 'latin1+utf16';
const WAT = readFileSync(join(root, 'test/component/fixtures/composed-strings.wat'), 'utf8');

/** The fixture with A's canonical functions in `a` and B's in `b`. */
function variant(a: Enc, b: Enc): string {
  const at = WAT.indexOf('(component $A');
  const bPart = WAT.slice(0, at).replaceAll('string-encoding=utf8', `string-encoding=${b}`);
  const aPart = WAT.slice(at).replaceAll('string-encoding=utf16', `string-encoding=${a}`);
  return bPart + aPart;
}

/** definitions.py: the length B's core function receives for `s` lowered in `enc`. */
function unitsIn(enc: Enc, s: string): number {
  if (enc === 'utf8') return new TextEncoder().encode(s).length;
  if (enc === 'utf16') return s.length;
  // latin1+utf16: Latin-1 bytes when every code point fits, else UTF-16 code units tagged.
  return [...s].every((c) => c.codePointAt(0)! < 256) ? s.length : (s.length | 0x8000_0000) >>> 0;
}

const STRINGS = ['', 'abc', 'é', 'ÿ', 'héllo €😀', '😀', '\u0100', 'a\u0000b', '𝄞'.repeat(40), 'x'.repeat(300)];

/** The results the specification gives for the fixture with B in `b`. */
async function exercise(relay: any, b: Enc): Promise<void> {
  for (const s of STRINGS) {
    expect(relay.relay(s), JSON.stringify(s)).toBe(s);
    expect(relay.unitsInB(s), JSON.stringify(s)).toBe(unitsIn(b, s));
  }
  // A list of strings (A → B) and a record (B → A): `stats { bytes, count }`.
  const items = ['é', '', 'ab😀', 'plain'];
  const bytes = b === 'latin1+utf16' ? null : items.reduce((n, s) => n + unitsIn(b, s), 0);
  const [sum, count] = relay.measure(items);
  if (bytes !== null) expect(sum).toBe(bytes);
  expect(count).toBe(4);
  expect(relay.measure([])).toEqual([0, 0]);
  // A record (A → B: `entry { name, times }`) and a list of strings (B → A).
  expect(relay.repeat('é😀', 3)).toEqual(['é😀', 'é😀', 'é😀']);
  expect(relay.repeat('', 2)).toEqual(['', '']);
  expect(relay.repeat('x', 0)).toEqual([]);
}

let bytes: Uint8Array;
beforeAll(async () => {
  bytes = await watComponent('composed-strings', WAT);
});

describe('witbind hosts the composition (A utf16 → B utf8)', () => {
  let mod: any;
  beforeAll(async () => {
    mod = await componentBindings(bytes, 'composed-strings-utf16', 'utf16');
  });

  it('strings cross both ways, transcoded: non-ASCII, astral, empty, NUL, long', async () => {
    const { relay } = await mod.instantiateComponent(bytes, {});
    expect(relay.unitsInB('é€😀')).toBe(2 + 3 + 4);
    await exercise(relay, 'utf8');
  });

  it('a trap in B (the callee) fails the call and poisons the instance the host called', async () => {
    const { relay } = await mod.instantiateComponent(bytes, {});
    expect(relay.relay('ok')).toBe('ok');
    expect(() => relay.boom('x')).toThrow(WebAssembly.RuntimeError);
    expect(() => relay.relay('again')).toThrow(new Trap('the instance trapped earlier and cannot be used'));
    expect(() => relay.unitsInB('again')).toThrow(Trap);
  });

  it('each instantiation has its own component instances (memories, realloc, trap state)', async () => {
    const one = (await mod.instantiateComponent(bytes, {})).relay;
    const two = (await mod.instantiateComponent(bytes, {})).relay;
    expect(() => one.boom('x')).toThrow(WebAssembly.RuntimeError);
    expect(two.relay('still 😀')).toBe('still 😀');
    expect(two.measure(['ab', 'é'])).toEqual([4, 2]);
  });
});

describe('witbind: every pair of encodings (A’s × B’s)', () => {
  const ENCODINGS: Enc[] = ['utf8', 'utf16', 'latin1+utf16'];
  for (const a of ENCODINGS) {
    for (const b of ENCODINGS) {
      it(`A ${a} → B ${b}`, async () => {
        const wasm = await watComponent(`composed-strings-${a}-${b}`, variant(a, b));
        const mod = await componentBindings(wasm, `composed-strings-${a}-${b}`, a);
        const { relay } = await mod.instantiateComponent(wasm, {});
        await exercise(relay, b);
      });
    }
  }
});

describe('jco: hosts the composition with the same results', () => {
  let relay: any;
  let mine: any;
  beforeAll(async () => {
    const j = await jcoTranspile('composed-strings', bytes);
    relay = (await j.instantiate({})).relay;
    const mod = await componentBindings(bytes, 'composed-strings-utf16', 'utf16');
    mine = (await mod.instantiateComponent(bytes, {})).relay;
  });

  it('the results the specification gives', async () => {
    await exercise(relay, 'utf8');
  });

  it('identical to witbind, call by call', () => {
    for (const s of STRINGS) {
      expect(mine.relay(s)).toBe(relay.relay(s));
      expect(mine.unitsInB(s)).toBe(relay.unitsInB(s));
    }
    expect(mine.measure(['é', 'ab😀'])).toEqual(relay.measure(['é', 'ab😀']));
    expect(mine.repeat('é😀', 2)).toEqual(relay.repeat('é😀', 2));
  });

  it('a trap in B: both throw a WebAssembly.RuntimeError, and refuse every later call', () => {
    expect(() => relay.boom('x')).toThrow(WebAssembly.RuntimeError);
    expect(() => mine.boom('x')).toThrow(WebAssembly.RuntimeError);
    expect(() => relay.relay('x')).toThrow(WebAssembly.RuntimeError);
    expect(() => mine.relay('x')).toThrow(WebAssembly.RuntimeError);
  });
});

// A resource living between two components (test/component/fixtures/composed-resources.wat): B
// implements `counter`, A holds handles to counters in its own table and the host sees only
// `u32`s. Handles move between the two tables by rep (definitions.py lift_own/lower_own,
// lift_borrow/lower_borrow), and A's `resource.drop` of an own handle runs B's destructor.
describe('a resource between the components (B implements it, A uses it)', () => {
  const RES = readFileSync(join(root, 'test/component/fixtures/composed-resources.wat'), 'utf8');
  let wasm: Uint8Array;
  let mod: any;
  let jco: Awaited<ReturnType<typeof jcoTranspile>>;
  beforeAll(async () => {
    wasm = await watComponent('composed-resources', RES);
    mod = await componentBindings(wasm, 'composed-resources');
    jco = await jcoTranspile('composed-resources', wasm);
  });
  /** Ticks B reported to each host (`tick` is called by `bump` with the new count), and notes. */
  let ticks: number[][] = [];
  let notes: string[][] = [];
  const hosts = (): Promise<any[]> => {
    ticks = [[], []];
    notes = [[], []];
    const imports = (k: number) => ({
      'test:compose/host': { tick: (n: number) => void ticks[k]!.push(n), note: (s: string) => void notes[k]!.push(s) },
    });
    return Promise.all([
      mod.instantiateComponent(wasm, imports(0)).then((x: any) => x.uses),
      jco.instantiate(imports(1)).then((x: any) => x.uses),
    ]);
  };

  it('own handles (constructor, move into B), borrows (B gets the rep), drops run B’s destructor — as jco', async () => {
    for (const uses of await hosts()) {
      expect(uses.dropped()).toBe(0);
      // A makes a counter, bumps it through borrows three times, drops its own handle.
      expect(uses.countTo(3)).toBe(3);
      expect(uses.dropped()).toBe(1);
      // An own handle moves from A's table into B's; B reads it and drops it.
      expect(uses.handOver(7)).toBe(7);
      expect(uses.dropped()).toBe(2);
      expect(uses.countTo(0)).toBe(0);
      expect(uses.countTo(5)).toBe(5);
      expect(uses.dropped()).toBe(4);
    }
    // host → A → B → host: B's import of the host is not a reentrance into A.
    expect(ticks[0]).toEqual([1, 2, 3, 1, 2, 3, 4, 5]);
    expect(ticks[1]).toEqual(ticks[0]);
  });

  it('a host import of B reads B’s memory, while the root-facing memory is A’s — as jco', async () => {
    for (const [k, uses] of (await hosts()).entries()) {
      expect(uses.len('héllo')).toBe(6);
      expect(uses.handOver(1)).toBe(1);
      expect(notes[k]).toEqual(['consumed é']);
      expect(uses.len('')).toBe(0);
    }
  });

  it('a handle A does not have traps (A’s table is its own), and poisons the instance', async () => {
    const [mine, theirs] = await hosts();
    expect(() => mine.badHandle()).toThrow(new Trap('unknown handle'));
    expect(() => theirs.badHandle()).toThrow(WebAssembly.RuntimeError);
    expect(() => mine.dropped()).toThrow(new Trap('the instance trapped earlier and cannot be used'));
    expect(() => theirs.dropped()).toThrow(WebAssembly.RuntimeError);
  });

  it('a handle moved into B is gone from A’s table', async () => {
    const [mine, theirs] = await hosts();
    expect(() => mine.useAfterMove()).toThrow(new Trap('unknown handle'));
    expect(() => theirs.useAfterMove()).toThrow(WebAssembly.RuntimeError);
  });
});

describe('witbind: the bindings’ encoding is checked against the canonical functions they drive only', () => {
  it('bindings for utf8 are refused by A’s (root-exported, utf16) lifts — B’s inner utf8 lifts are not the bindings’ business', async () => {
    const mod = await componentBindings(bytes, 'composed-strings-utf8', 'utf8');
    const err = await mod.instantiateComponent(bytes, {}).then(
      () => expect.fail('instantiated'),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ComponentLoadError);
    expect((err as Error).message).toBe(
      'a lifted function uses string-encoding=utf16 but the bindings were generated for utf8 (regenerate with --encoding utf16)',
    );
  });
});

describe('reentrance: each component instance guards its own calls', () => {
  it('the host calling back into A from B’s import traps (A is on the stack)', async () => {
    const wasm = await watComponent('composed-resources', readFileSync(join(root, 'test/component/fixtures/composed-resources.wat'), 'utf8'));
    const mod = await componentBindings(wasm, 'composed-resources');
    let uses: any;
    let inner: unknown;
    const imports = {
      'test:compose/host': {
        note: () => {},
        tick: () => {
          try {
            uses.dropped();
          } catch (e) {
            inner = e;
            throw e;
          }
        },
      },
    };
    uses = (await mod.instantiateComponent(wasm, imports)).uses;
    expect(() => uses.countTo(1)).toThrow(Trap);
    expect(inner).toEqual(new Trap('cannot enter the instance: a call into it is already active (reentrance)'));
  });
});

describe('witbind generate <composition.wasm>: the encoding of the lifts the root exports (an inner component’s)', () => {
  it('A’s encoding is found through the instance graph (the root has no canonical function of its own)', async () => {
    const suffix = { utf8: 'Utf8', utf16: 'Utf16', 'latin1+utf16': 'Latin1Utf16' } as const;
    for (const [a, b] of [['utf16', 'utf8'], ['latin1+utf16', 'utf16'], ['utf8', 'latin1+utf16']] as [Enc, Enc][]) {
      const wasm = await watComponent(`composed-strings-${a}-${b}`, variant(a, b));
      const files = await generateComponent(wasm, { runtime: join(root, 'src/runtime/index.ts') });
      const text = files.get('component.ts')!;
      expect(text, `${a} → ${b}`).toContain(`st.liftString${suffix[a]}(`);
      for (const other of Object.keys(suffix) as Enc[]) {
        if (other !== a) expect(text, `${a} → ${b}`).not.toContain(`st.liftString${suffix[other]}(`);
      }
    }
  });

  it('the generated module hosts the composition as it is', async () => {
    const files = await generateComponent(bytes, { runtime: join(root, 'src/runtime/index.ts') });
    const out = join(root, '.cache/test-gen/composed-generated', `${process.pid}`, 'component.ts');
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, files.get('component.ts')!);
    const mod = await import(out);
    const { relay } = await mod.instantiateComponent(bytes, {});
    expect(relay.relay('héllo €😀')).toBe('héllo €😀');
    expect(relay.unitsInB('é€😀')).toBe(9);
  });
});
