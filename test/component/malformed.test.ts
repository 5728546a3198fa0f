// Malformed input: every failure is a ComponentDecodeError naming a byte offset inside the input
// (never a RangeError, a TypeError from an undefined read, or a hang), for truncations,
// corrupted LEB128s, unknown opcodes, and random bit flips through decoding, typing and WIT
// recovery.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ComponentDecodeError, decodeComponent } from '../../src/host/component/decode.js';
import { ComponentWitError, componentToWit } from '../../src/host/component/to-wit.js';
import { typeComponent } from '../../src/host/component/types.js';
import { component, componentBody, leb, section, sleb, str, vec } from './bytes.js';
import { GUESTS, guestComponent, root, watComponent } from './support.js';

function fixture(name: string): Promise<Uint8Array> {
  return watComponent(
    name,
    readFileSync(join(root, 'test', 'component', 'fixtures', `${name}.wat`), 'utf8'),
  );
}

/** Runs the whole pipeline; returns the error (if any), which must be one of ours. */
function pipeline(bytes: Uint8Array): Error | null {
  try {
    const c = decodeComponent(bytes);
    componentToWit(c, typeComponent(c));
    return null;
  } catch (e) {
    if (e instanceof ComponentDecodeError) {
      expect(e.offset).toBeGreaterThanOrEqual(0);
      expect(e.offset).toBeLessThanOrEqual(bytes.length);
      expect(e.message).toMatch(/^malformed component at offset \d+ \(0x[0-9a-f]+\): expected /);
      return e;
    }
    if (e instanceof ComponentWitError) return e;
    throw e;
  }
}

function decodeError(bytes: Uint8Array): ComponentDecodeError {
  try {
    decodeComponent(bytes);
  } catch (e) {
    if (e instanceof ComponentDecodeError) return e;
    throw e;
  }
  throw new Error('expected a ComponentDecodeError');
}

/** Start offsets of the top-level sections. */
function sectionStarts(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let p = 8;
  while (p < bytes.length) {
    out.push(p);
    p++;
    let size = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[p++]!;
      size |= (b & 0x7f) << shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    p += size;
  }
  return out;
}

/** mulberry32: a small seeded PRNG, so failures reproduce. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SAMPLES: readonly [string, () => Promise<Uint8Array>][] = [
  ['guest machine', () => guestComponent(GUESTS[0]!)],
  ['guest kitchen-sink', () => guestComponent(GUESTS[1]!)],
  ['types.wat', () => fixture('types')],
  ['nested.wat', () => fixture('nested')],
  ['aliases.wat', () => fixture('aliases')],
  ['canon.wat', () => fixture('canon')],
];

describe.each(SAMPLES)('%s', (_name, load) => {
  it('truncated at a section boundary: a shorter component; inside a section: an error', async () => {
    const bytes = await load();
    const starts = sectionStarts(bytes);
    expect(starts.length).toBeGreaterThan(1);
    for (const [i, s] of starts.entries()) {
      expect(() => decodeComponent(bytes.subarray(0, s))).not.toThrow();
      const end = starts[i + 1] ?? bytes.length;
      for (const cut of new Set([s + 1, s + 2, Math.floor((s + end) / 2), end - 1])) {
        if (cut <= s || cut >= end) continue;
        const e = decodeError(bytes.subarray(0, cut));
        expect(e.offset).toBeGreaterThanOrEqual(s);
        expect(e.offset).toBeLessThanOrEqual(cut);
      }
    }
  });

  it('survives random bit flips and byte changes', async () => {
    const bytes = await load();
    const rand = prng(0x5eed ^ bytes.length);
    let errors = 0;
    for (let i = 0; i < 300; i++) {
      const copy = bytes.slice();
      const at = Math.floor(rand() * copy.length);
      if (i % 3 === 0) copy[at] = Math.floor(rand() * 256);
      else copy[at]! ^= 1 << Math.floor(rand() * 8);
      if (pipeline(copy)) errors++;
    }
    expect(errors).toBeGreaterThan(0);
  });
});

describe('every prefix', () => {
  it.each(['types', 'canon', 'nested'])(
    'of %s.wat decodes only at section boundaries',
    async (name) => {
      const bytes = await fixture(name);
      const boundaries = new Set([...sectionStarts(bytes), bytes.length]);
      for (let n = 0; n <= bytes.length; n++) {
        const prefix = bytes.subarray(0, n);
        if (boundaries.has(n)) expect(pipeline(prefix)).not.toBeInstanceOf(ComponentDecodeError);
        else expect(decodeError(prefix).offset).toBeLessThanOrEqual(n);
      }
    },
  );
});

describe('specific malformations', () => {
  it('LEB128: too long, too large, and counts larger than the input', () => {
    const tooLong = Uint8Array.from([...component(), 0x07, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]);
    expect(decodeError(tooLong)).toMatchObject({ offset: 9, expected: 'a section size' });
    expect(decodeError(tooLong).message).toMatch(/too large or too long/);
    const tooLarge = Uint8Array.from([...component(), 0x07, 0xff, 0xff, 0xff, 0xff, 0x1f]);
    expect(decodeError(tooLarge)).toMatchObject({ offset: 9 });
    const hugeVec = component(section(7, [0xff, 0xff, 0xff, 0xff, 0x0f]));
    expect(decodeError(hugeVec)).toMatchObject({ offset: 10 });
    expect(decodeError(hugeVec).message).toMatch(/4294967295 type section entries/);
  });

  it('unknown section ids and opcodes, with the offset of the byte', () => {
    expect(decodeError(component(section(13, [])))).toMatchObject({
      offset: 8,
      expected: 'a section id (0-12)',
    });
    expect(decodeError(component(section(8, vec([[0x30]]))))).toMatchObject({
      offset: 11,
      expected: 'a canonical function',
    });
    expect(decodeError(component(section(7, vec([[0x60]]))))).toMatchObject({
      offset: 11,
      expected: 'a type definition',
    });
    expect(decodeError(component(section(6, vec([[0x06, 0x00]]))))).toMatchObject({
      offset: 11,
      expected: 'a sort (0x00-0x05)',
    });
    expect(decodeError(component(section(6, vec([[0x03, 0x03]]))))).toMatchObject({
      offset: 12,
      expected: 'an alias target (0x00-0x02)',
    });
    expect(decodeError(component(section(10, vec([[0x00, ...str('x'), 0x06]]))))).toMatchObject({
      offset: 14,
    });
    expect(
      decodeError(component(section(8, vec([[0x01, 0x00, 0x00, ...vec([[0x0a]])]])))),
    ).toMatchObject({
      offset: 15,
      expected: 'a canonical option (0x00-0x09)',
    });
    expect(decodeError(component(section(10, vec([[0x02, ...str('x')]]))))).toMatchObject({
      offset: 11,
      expected: 'an import or export name (0x00 or 0x01)',
    });
  });

  it('section contents shorter or longer than the section size', () => {
    expect(decodeError(component(section(7, [0x02, 0x79])))).toMatchObject({
      expected: '2 type section entries',
    });
    const long = component(section(7, [...vec([[0x79]]), 0x79]));
    expect(decodeError(long)).toMatchObject({ offset: 12, expected: 'the end of section 7' });
  });

  it('invalid UTF-8 in a name', () => {
    const e = decodeError(component(section(10, vec([[0x00, 0x02, 0xc3, 0x28, 0x01, 0x00]]))));
    expect(e).toMatchObject({ offset: 12, expected: 'an import or export name in UTF-8' });
  });

  it('nesting limits instead of stack overflows', () => {
    let body = componentBody();
    for (let i = 0; i < 150; i++) body = componentBody(section(4, body));
    expect(decodeError(Uint8Array.from(body)).expected).toBe('components nested at most 100 deep');
    let t = [0x42, ...leb(0)];
    for (let i = 0; i < 150; i++) t = [0x42, ...vec([[0x01, ...t]])];
    expect(decodeError(component(section(7, vec([t])))).expected).toBe(
      'types nested at most 100 deep',
    );
    const lists = [[0x70, 0x79], ...Array.from({ length: 150 }, (_, i) => [0x70, ...sleb(i)])];
    const deep = pipeline(component(section(7, vec(lists))));
    expect(deep).toBeInstanceOf(ComponentDecodeError);
    expect((deep as ComponentDecodeError).expected).toBe('value types nested at most 100 deep');
  });

  it('long alias chains do not overflow the stack', () => {
    // A type, exported 20 000 times, each export re-exporting the previous one.
    const exports = Array.from({ length: 20000 }, (_, i) => [
      0x00,
      ...str(`t${i}`),
      0x03,
      ...leb(i),
      0x00,
    ]);
    const bytes = component(section(7, vec([[0x79]])), section(11, vec(exports)));
    const c = decodeComponent(bytes);
    expect(c.spaces.type).toHaveLength(20001);
    const types = typeComponent(c);
    expect(types.peel(types.root.scope.types[20000]!)).toBe(types.root.scope.types[0]);
  });
});
