import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trapReason } from '../support/outcome.js';
import { Trap } from '../../src/runtime/errors.js';
import { MemoryViews } from '../../src/runtime/memory.js';
import {
  MAX_STRING_BYTE_LENGTH,
  UTF16_TAG,
  checkString,
  latin1Utf16Decode,
  latin1Utf16Encode,
  loweredLen,
  prepareUtf8,
  utf16Decode,
  utf16Encode,
  utf8Decode,
  utf8Encode,
} from '../../src/runtime/string.js';
import { isUsvString } from '../../src/runtime/validate.js';
import { createFake, refLatin1Utf16, refUtf16, refUtf8, type FakeOptions } from './fake-memory.js';

function memWith(bytes: number[], at = 0, pages = 1): MemoryViews {
  const memory = new WebAssembly.Memory({ initial: pages });
  new Uint8Array(memory.buffer).set(bytes, at);
  return new MemoryViews(memory);
}

const enc = new TextEncoder();
function utf16Bytes(s: string): number[] {
  const out: number[] = [];
  for (let k = 0; k < s.length; k++) out.push(s.charCodeAt(k) & 0xff, s.charCodeAt(k) >> 8);
  return out;
}

const SAMPLES = [
  '',
  'a',
  'hello',
  'exactly sixteen!',
  'seventeen chars!!',
  'x'.repeat(200),
  'héllo',
  'é',
  '€',
  '😀',
  'a😀b',
  '\u0000nul',
  '\ufeffBOM first',
  'ÿ Latin-1 top',
  'Ā just above Latin-1',
  'mixed ascii then 日本語 and 😀 emoji '.repeat(5),
  'é'.repeat(100),
  // Longer than one step of the encoders' chunked ASCII scan (16384 code units).
  'x'.repeat(30000),
  `${'y'.repeat(17000)}ÿ${'z'.repeat(100)}`,
  `${'q'.repeat(20000)}日本😀`,
];

describe('utf8Decode', () => {
  it('decodes ASCII (short fast path and long) and non-ASCII', () => {
    for (const s of SAMPLES) {
      const b = [...enc.encode(s)];
      const mem = memWith(b, 100);
      expect(utf8Decode(mem.u8, 100, b.length)).toBe(s);
    }
  });

  it('keeps a leading BOM', () => {
    const mem = memWith([0xef, 0xbb, 0xbf, 0x41]);
    expect(utf8Decode(mem.u8, 0, 4)).toBe('\ufeffA');
  });

  it('decodes a string that ends exactly at the end of memory', () => {
    const mem = memWith([0x61, 0x62], 65534);
    expect(utf8Decode(mem.u8, 65534, 2)).toBe('ab');
    expect(utf8Decode(mem.u8, 65536, 0)).toBe('');
  });

  it.each([
    ['overlong NUL', [0xc0, 0x80]],
    ['overlong slash', [0xe0, 0x80, 0xaf]],
    ['encoded surrogate', [0xed, 0xa0, 0x80]],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['truncated', [0x61, 0xe2, 0x82]],
    ['lone continuation', [0x80]],
    ['invalid byte', [0xff]],
    ['long invalid', [...'x'.repeat(40)].map((c) => c.charCodeAt(0)).concat([0xc3])],
  ])('traps on invalid UTF-8: %s', (_name, bytes) => {
    const mem = memWith(bytes);
    expect(trapReason(() => utf8Decode(mem.u8, 0, bytes.length))).toBe('invalid utf-8');
  });

  it('traps when out of bounds, including a negative (≥ 2 GiB) i32 pointer', () => {
    const mem = memWith([]);
    expect(trapReason(() => utf8Decode(mem.u8, 65535, 2))).toBe('string out of bounds');
    expect(trapReason(() => utf8Decode(mem.u8, 65537, 0))).toBe('string out of bounds');
    expect(trapReason(() => utf8Decode(mem.u8, -4, 1))).toBe('string out of bounds');
  });

  it('traps when longer than MAX_STRING_BYTE_LENGTH, before the bounds check', () => {
    const mem = memWith([]);
    expect(trapReason(() => utf8Decode(mem.u8, 0, MAX_STRING_BYTE_LENGTH + 1))).toBe('string too long');
    expect(trapReason(() => utf8Decode(mem.u8, 0, -1))).toBe('string too long');
    expect(trapReason(() => utf8Decode(mem.u8, 0, MAX_STRING_BYTE_LENGTH))).toBe(
      'string out of bounds',
    );
  });

  it('works on a shared memory and still traps on malformed data there', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true });
    const mem = new MemoryViews(memory, true);
    const b = [...enc.encode('shared memory: héllo wörld')];
    mem.u8.set(b, 0);
    expect(utf8Decode(mem.u8, 0, b.length)).toBe('shared memory: héllo wörld');
    mem.u8.set([0xc3, 0x28], 100);
    expect(trapReason(() => utf8Decode(mem.u8, 100, 2))).toBe('invalid utf-8');
    mem.u8.set(utf16Bytes(`${'z'.repeat(20)}\udc00`), 200);
    expect(trapReason(() => utf16Decode(mem.u8, 200, 21))).toBe('invalid utf-16');
  });

  // Strings of up to 16 bytes that are not all ASCII are decoded by a JS loop (utf8ShortDecode),
  // longer ones by the fatal TextDecoder: both must accept exactly well-formed UTF-8 and give
  // the same string. The reference is the fatal TextDecoder itself.
  describe('the short decoder (≤ 16 bytes) agrees with the fatal TextDecoder', () => {
    const ref = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const mem = new MemoryViews(new WebAssembly.Memory({ initial: 1 }));
    const check = (bytes: readonly number[], at = 8): void => {
      mem.u8.set(bytes, at);
      let want: string;
      try {
        want = ref.decode(new Uint8Array(bytes));
      } catch {
        want = 'trap: invalid utf-8';
      }
      let got: string;
      try {
        got = utf8Decode(mem.u8, at, bytes.length);
      } catch (e) {
        got = `trap: ${(e as Trap).reason}`;
      }
      if (got !== want) expect([bytes.map((b) => b.toString(16)), got]).toEqual([bytes.map((b) => b.toString(16)), want]);
    };
    const edges = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];

    it('every one- and two-byte input', () => {
      for (let a = 0; a < 256; a++) {
        check([a]);
        for (let b = 0; b < 256; b++) check([a, b]);
      }
    });

    it('every lead byte followed by boundary bytes (three and four bytes), after an ASCII prefix or not', () => {
      for (let a = 0x80; a < 256; a++) {
        for (const b of edges) {
          for (const c of edges) {
            check([a, b, c]);
            check([0x61, a, b, c]);
            // A fourth byte matters only after a four-byte lead.
            if (a >= 0xf0) for (const d of [0x41, 0x7f, 0x80, 0xbf, 0xc0]) check([a, b, c, d]);
          }
        }
      }
    });

    it('property: random bytes, and mutated encodings of random strings, at lengths up to 16', () => {
      const bytes = fc.uint8Array({ maxLength: 16 }).map((a) => [...a]);
      const mutated = fc
        .tuple(fc.string({ unit: 'binary', maxLength: 8 }), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean())
        .map(([s, at, byte, mutate]) => {
          const b = [...enc.encode(s)].slice(0, 16);
          if (mutate && b.length > 0) b[at % b.length] = byte;
          return b;
        });
      fc.assert(fc.property(fc.oneof(bytes, mutated), (b) => check(b)), { numRuns: 3000 });
    });

    it('surrogate pairs at the end, and a 16-byte string of 4-byte sequences', () => {
      for (const s of ['😀', 'a😀', 'ab😀é', '😀😀😀😀', 'éééééééé', '日本語日本', '\u{10ffff}', '\u{10000}x']) {
        const b = [...enc.encode(s)];
        expect(b.length).toBeLessThanOrEqual(16);
        check(b);
        mem.u8.set(b, 8);
        expect(utf8Decode(mem.u8, 8, b.length)).toBe(s);
      }
    });
  });

  it('Trap messages carry the reason', () => {
    const mem = memWith([0xff]);
    expect(() => utf8Decode(mem.u8, 0, 1)).toThrow('wasm trap: invalid utf-8');
    expect(() => utf8Decode(mem.u8, 0, 1)).toThrow(WebAssembly.RuntimeError);
  });
});

describe('utf16Decode', () => {
  it('decodes short and long strings, surrogate pairs included', () => {
    for (const s of SAMPLES) {
      const mem = memWith(utf16Bytes(s), 64);
      expect(utf16Decode(mem.u8, 64, s.length)).toBe(s);
    }
  });

  it('traps on a misaligned pointer even for an empty string', () => {
    const mem = memWith([]);
    expect(trapReason(() => utf16Decode(mem.u8, 1, 0))).toBe('string misaligned');
    expect(trapReason(() => utf16Decode(mem.u8, 3, 2))).toBe('string misaligned');
  });

  it.each([
    ['lone high (short)', '\ud800'],
    ['lone low (short)', 'a\udc00b'],
    ['reversed pair (short)', '\udc00\ud800'],
    ['high at end (long)', `${'x'.repeat(30)}\ud83d`],
    ['lone low (long)', `${'x'.repeat(30)}\ude00${'y'.repeat(5)}`],
  ])('traps on unpaired surrogates: %s', (_n, s) => {
    const mem = memWith(utf16Bytes(s));
    expect(trapReason(() => utf16Decode(mem.u8, 0, s.length))).toBe('invalid utf-16');
  });

  it('checks the byte length (2 × units) against the limit and bounds', () => {
    const mem = memWith([]);
    expect(trapReason(() => utf16Decode(mem.u8, 0, 2 ** 27))).toBe('string too long');
    expect(trapReason(() => utf16Decode(mem.u8, 0, 2 ** 27 - 1))).toBe('string out of bounds');
    expect(trapReason(() => utf16Decode(mem.u8, 65534, 2))).toBe('string out of bounds');
  });
});

describe('latin1Utf16Decode', () => {
  it('decodes Latin-1 as ISO-8859-1 (0x80–0x9f are C1 controls, not windows-1252)', () => {
    const bytes = [0x41, 0x80, 0x9f, 0xe9, 0xff];
    const mem = memWith(bytes);
    expect(latin1Utf16Decode(mem.u8, 0, 5)).toBe('A\u0080\u009féÿ');
    const long = Array.from({ length: 256 }, (_, i) => i);
    const mem2 = memWith(long);
    expect(latin1Utf16Decode(mem2.u8, 0, 256)).toBe(String.fromCharCode(...long));
    const ascii = [...enc.encode('plain ascii that is long enough')];
    expect(latin1Utf16Decode(memWith(ascii).u8, 0, ascii.length)).toBe('plain ascii that is long enough');
  });

  it('decodes UTF-16 when bit 31 is set (also as a negative i32)', () => {
    const s = 'Ā😀z';
    const mem = memWith(utf16Bytes(s));
    expect(latin1Utf16Decode(mem.u8, 0, (s.length | UTF16_TAG) >>> 0)).toBe(s);
    expect(latin1Utf16Decode(mem.u8, 0, s.length | UTF16_TAG)).toBe(s); // signed form
  });

  it('requires 2-alignment for Latin-1 too', () => {
    const mem = memWith([0x41]);
    expect(trapReason(() => latin1Utf16Decode(mem.u8, 1, 1))).toBe('string misaligned');
    expect(trapReason(() => latin1Utf16Decode(mem.u8, 1, 0))).toBe('string misaligned');
    expect(trapReason(() => latin1Utf16Decode(mem.u8, 1, UTF16_TAG))).toBe('string misaligned');
  });

  it('traps on length, bounds and lone surrogates', () => {
    const mem = memWith(utf16Bytes('\ud800'));
    expect(trapReason(() => latin1Utf16Decode(mem.u8, 0, UTF16_TAG | 1))).toBe('invalid utf-16');
    expect(trapReason(() => latin1Utf16Decode(mem.u8, 0, MAX_STRING_BYTE_LENGTH + 1))).toBe(
      'string too long',
    );
    expect(trapReason(() => latin1Utf16Decode(mem.u8, 0, (UTF16_TAG | 2 ** 27) >>> 0))).toBe(
      'string too long',
    );
    expect(trapReason(() => latin1Utf16Decode(mem.u8, 65534, 3))).toBe('string out of bounds');
    expect(trapReason(() => latin1Utf16Decode(mem.u8, 65534, UTF16_TAG | 2))).toBe(
      'string out of bounds',
    );
  });
});

describe('checkString', () => {
  it('accepts well-formed strings', () => {
    for (const s of SAMPLES) expect(() => checkString(s, 'p')).not.toThrow();
  });
  it('rejects non-strings with a TypeError and the path', () => {
    expect(() => checkString(5, 'points[3].label')).toThrow(
      new TypeError('points[3].label: expected string, got number'),
    );
    expect(() => checkString(null, 'x')).toThrow('x: expected string, got null');
  });
  it('rejects lone surrogates with a TypeError naming the index', () => {
    expect(() => checkString('ab\ud800c', 's')).toThrow(TypeError);
    expect(() => checkString('ab\ud800c', 's')).toThrow(/s: string contains a lone surrogate \(\\ud800 at index 2\)/);
    expect(() => checkString('😀\udc00', 's')).toThrow(/index 2/);
    expect(() => checkString('😀x\ud83d', 's')).toThrow(/index 3/);
  });
});

// ---------------------------------------------------------------------------------------------
// Lowering: exact realloc sequences

describe('utf8Encode', () => {
  it('all-ASCII: a single realloc(0, 0, 1, n)', () => {
    const f = createFake();
    const p = utf8Encode('hello', f.realloc, f.mem, 's');
    expect(f.calls).toEqual([[0, 0, 1, 5]]);
    expect(loweredLen()).toBe(5);
    expect(utf8Decode(f.mem.u8, p, 5)).toBe('hello');
  });

  it('empty string: realloc(0, 0, 1, 0) is still called', () => {
    const f = createFake();
    utf8Encode('', f.realloc, f.mem, 's');
    expect(f.calls).toEqual([[0, 0, 1, 0]]);
    expect(loweredLen()).toBe(0);
  });

  it('non-ASCII: grow to 3n, then shrink to the exact length', () => {
    const f = createFake();
    const p = utf8Encode('aé', f.realloc, f.mem, 's');
    expect(f.calls).toEqual([
      [0, 0, 1, 2],
      [8, 2, 1, 6],
      [8, 6, 1, 3],
    ]);
    expect(loweredLen()).toBe(3);
    expect(utf8Decode(f.mem.u8, p, 3)).toBe('aé');
  });

  it('no shrink when the encoding is exactly 3n (all 3-byte BMP characters)', () => {
    const f = createFake();
    utf8Encode('€€', f.realloc, f.mem, 's');
    expect(f.calls).toEqual([
      [0, 0, 1, 2],
      [8, 2, 1, 6],
    ]);
    expect(loweredLen()).toBe(6);
  });

  it('astral characters: n counts UTF-16 code units', () => {
    const f = createFake();
    utf8Encode('😀', f.realloc, f.mem, 's');
    expect(f.calls).toEqual([
      [0, 0, 1, 2],
      [8, 2, 1, 6],
      [8, 6, 1, 4],
    ]);
    expect(loweredLen()).toBe(4);
  });

  it('validates before touching guest memory', () => {
    const f = createFake();
    expect(() => utf8Encode('a\udfffb', f.realloc, f.mem, 'args.name')).toThrow(TypeError);
    expect(() => utf8Encode(42 as unknown as string, f.realloc, f.mem, 'args.name')).toThrow(
      'args.name: expected string, got number',
    );
    expect(f.calls).toEqual([]);
  });

  it('traps when realloc returns an out-of-bounds pointer, at each of the three calls', () => {
    for (let bad = 0; bad < 3; bad++) {
      const f = createFake({ override: (n, p) => (n === bad ? 65536 - 1 : p) });
      expect(trapReason(() => utf8Encode('aé', f.realloc, f.mem, 's'))).toBe('string out of bounds');
      expect(f.calls.length).toBe(bad + 1);
    }
    const neg = createFake({ override: () => -8 });
    expect(trapReason(() => utf8Encode('a', neg.realloc, neg.mem, 's'))).toBe('string out of bounds');
  });

  it('sees memory grown by realloc (views refreshed after every call)', () => {
    const f = createFake({ growEveryCall: true });
    const s = `${'x'.repeat(100)}é${'y'.repeat(100)}`;
    const p = utf8Encode(s, f.realloc, f.mem, 's');
    expect(f.memory.buffer.byteLength).toBe(65536 * 4);
    expect(utf8Decode(f.mem.u8, p, loweredLen())).toBe(s);
  });

  it('writes the ASCII prefix before growing; short strings write nothing past it', () => {
    // Long strings are encoded straight into the first block, so the encoder may also write past
    // the prefix inside it (bytes the next realloc overwrites; see asciiPrefix): only the prefix
    // is pinned for them. The first non-ASCII code unit at every offset modulo 4 (the scan
    // for it reads four bytes a step), early and late.
    const long = [
      `abcé${'x'.repeat(100)}`,
      `é${'x'.repeat(100)}`,
      ...[0, 1, 2, 3, 4, 5, 6, 7].map((k) => `${'a'.repeat(20000 + k)}é${'b'.repeat(50)}`),
      `${'a'.repeat(16384)}é`,
      `${'a'.repeat(70)}🚀`,
      `${'a'.repeat(99)}€`,
    ];
    for (const s of ['abcé', `${'a'.repeat(50)}é${'b'.repeat(50)}`, ...long]) {
      const f = createFake({ alwaysMove: true, copy: false, fill: 0xaa });
      const first: number[] = [];
      const realloc = (a: number, b: number, c: number, d: number) => {
        if (f.calls.length === 1) {
          // The second call: the first block must hold the ASCII prefix (then untouched filler).
          const i = s.search(/[^\x00-\x7f]/);
          const u8 = new Uint8Array(f.memory.buffer);
          first.push(...u8.subarray(a, a + b));
          expect(first.slice(0, i)).toEqual([...enc.encode(s.slice(0, i))]);
          if (s.length <= 64) expect(first.slice(i)).toEqual(new Array(s.length - i).fill(0xaa));
        }
        return f.realloc(a, b, c, d);
      };
      utf8Encode(s, realloc, f.mem, 's');
      expect(first.length).toBe(s.length);
    }
  });
});

describe('utf16Encode', () => {
  it('one realloc(0, 0, 2, 2n) and the code units', () => {
    const f = createFake();
    const s = 'a😀€';
    const p = utf16Encode(s, f.realloc, f.mem, 's');
    expect(f.calls).toEqual([[0, 0, 2, 8]]);
    expect(loweredLen()).toBe(4);
    expect([...f.mem.u8.subarray(p, p + 8)]).toEqual(utf16Bytes(s));
  });

  it('empty string still calls realloc', () => {
    const f = createFake();
    utf16Encode('', f.realloc, f.mem, 's');
    expect(f.calls).toEqual([[0, 0, 2, 0]]);
  });

  it('traps on a misaligned or out-of-bounds result', () => {
    const f = createFake({ override: () => 9 });
    expect(trapReason(() => utf16Encode('ab', f.realloc, f.mem, 's'))).toBe('string misaligned');
    const g = createFake({ override: () => 65534 });
    expect(trapReason(() => utf16Encode('ab', g.realloc, g.mem, 's'))).toBe('string out of bounds');
  });

  it('rejects lone surrogates before realloc', () => {
    const f = createFake();
    expect(() => utf16Encode('\ud800', f.realloc, f.mem, 'x')).toThrow(TypeError);
    expect(f.calls).toEqual([]);
  });
});

describe('latin1Utf16Encode', () => {
  it('Latin-1 only: one realloc(0, 0, 2, n), untagged length', () => {
    const f = createFake();
    const p = latin1Utf16Encode('héllo ÿ', f.realloc, f.mem, 's');
    expect(f.calls).toEqual([[0, 0, 2, 7]]);
    expect(loweredLen()).toBe(7);
    expect(latin1Utf16Decode(f.mem.u8, p, 7)).toBe('héllo ÿ');
  });

  it('widens in place at the first code point ≥ 256', () => {
    const f = createFake();
    const s = 'aéĀz';
    const p = latin1Utf16Encode(s, f.realloc, f.mem, 's');
    expect(f.calls).toEqual([
      [0, 0, 2, 4],
      [8, 4, 2, 8],
    ]);
    expect(loweredLen()).toBe((4 | UTF16_TAG) >>> 0);
    expect([...f.mem.u8.subarray(p, p + 8)]).toEqual(utf16Bytes(s));
    expect(latin1Utf16Decode(f.mem.u8, p, loweredLen())).toBe(s);
  });

  it('widening reads the bytes from the block realloc returned (a moving realloc)', () => {
    const f = createFake({ alwaysMove: true });
    const s = 'ab😀';
    const p = latin1Utf16Encode(s, f.realloc, f.mem, 's');
    expect(f.calls).toEqual([
      [0, 0, 2, 4],
      [8, 4, 2, 8],
    ]);
    expect(p).toBe(12);
    expect(latin1Utf16Decode(f.mem.u8, p, loweredLen())).toBe(s);
  });

  it('empty string, alignment and bounds traps', () => {
    const f = createFake();
    latin1Utf16Encode('', f.realloc, f.mem, 's');
    expect(f.calls).toEqual([[0, 0, 2, 0]]);
    expect(loweredLen()).toBe(0);
    const g = createFake({ override: (n, p) => (n === 1 ? p + 1 : p) });
    expect(trapReason(() => latin1Utf16Encode('aĀ', g.realloc, g.mem, 's'))).toBe('string misaligned');
    const h = createFake({ override: (n, p) => (n === 0 ? 1 : p) });
    expect(trapReason(() => latin1Utf16Encode('a', h.realloc, h.mem, 's'))).toBe('string misaligned');
    const k = createFake({ override: (n, p) => (n === 1 ? 65534 : p) });
    expect(trapReason(() => latin1Utf16Encode('aĀ', k.realloc, k.mem, 's'))).toBe('string out of bounds');
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests: round trips, and byte-for-byte agreement with the definitions.py port

const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'binary', minLength: 30, maxLength: 300, size: 'max' }),
  fc.string({ unit: 'binary-ascii', maxLength: 80 }),
  fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 80 }),
  fc.tuple(
    fc.string({ unit: 'binary-ascii', maxLength: 60, size: 'max' }),
    fc.string({ unit: 'binary', maxLength: 20 }),
  ).map(
    ([a, b]) => a + b,
  ),
);

/** The first index where two byte arrays differ, or -1 (`toEqual` on 64 KiB arrays is slow). */
function firstDiff(a: Uint8Array, b: Uint8Array): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

const fakeVariants: FakeOptions[] = [
  {},
  { alwaysMove: true },
  { alwaysMove: true, copy: false, fill: 0x5a },
  { growEveryCall: true, fill: 0xee },
];

type Encoder = typeof utf8Encode;
type RefEncoder = typeof refUtf8;
const ENCODINGS: [string, Encoder, RefEncoder, (u8: Uint8Array, p: number, l: number) => string][] = [
  ['utf8', utf8Encode, refUtf8, utf8Decode],
  ['utf16', utf16Encode, refUtf16, utf16Decode],
  ['latin1+utf16', latin1Utf16Encode, refLatin1Utf16, latin1Utf16Decode],
];

describe('utf8 lowering of a prepared string (prepareUtf8: encoded in a scratch first, short or long)', () => {
  const longNonAscii = fc
    .tuple(fc.constantFrom('é', '日', '🚀', 'ж'), fc.string({ unit: 'binary', maxLength: 300 }))
    .map(([a, b]) => a + b)
    .filter((s) => isUsvString(s));
  it('makes the same realloc calls and leaves exactly the same memory as definitions.py', () => {
    fc.assert(
      fc.property(longNonAscii, fc.constantFrom(...fakeVariants), (s, opts) => {
        const a = createFake(opts);
        const b = createFake(opts);
        expect(prepareUtf8(s)).toBe(true);
        const p = utf8Encode(s, a.realloc, a.mem, 's');
        const len = loweredLen();
        const [rp, rlen] = refUtf8(s, b.realloc, b.memory);
        expect(a.calls).toEqual(b.calls);
        expect([p, len]).toEqual([rp, rlen]);
        expect(firstDiff(a.bytes(), b.bytes())).toBe(-1);
      }),
      { numRuns: 200 },
    );
  });

  it('a string other than the prepared one is lowered the ordinary way', () => {
    const x = `é${'x'.repeat(100)}`;
    const y = `ж${'y'.repeat(100)}`;
    for (const [prep, lower] of [
      [x, y],
      [y, x],
    ]) {
      expect(prepareUtf8(prep)).toBe(true);
      const f = createFake();
      const p = utf8Encode(lower!, f.realloc, f.mem, 's');
      expect(utf8Decode(f.mem.u8, p, loweredLen())).toBe(lower);
    }
    // A string prepared, then another that fails to prepare (it overwrote the scratch): the
    // first one, lowered later, is encoded afresh, not copied from the overwritten scratch.
    for (const [ok, bad] of [
      [`é${'x'.repeat(100)}`, `ж${'y'.repeat(100)}\ud800`],
      ['é€ж', 'ж\udc00y'],
      ['é€ж', `ж${'y'.repeat(100)}\ud800`],
      [`é${'x'.repeat(100)}`, 'ж\udc00y'],
    ]) {
      expect(prepareUtf8(ok)).toBe(true);
      expect(prepareUtf8(bad)).toBe(false);
      const f = createFake();
      const p = utf8Encode(ok!, f.realloc, f.mem, 's');
      expect(utf8Decode(f.mem.u8, p, loweredLen())).toBe(ok);
    }
    // Prepared once, lowered twice: the second lowering encodes again.
    expect(prepareUtf8(x)).toBe(true);
    for (let k = 0; k < 2; k++) {
      const f = createFake();
      const p = utf8Encode(x, f.realloc, f.mem, 's');
      expect(utf8Decode(f.mem.u8, p, loweredLen())).toBe(x);
    }
  });
});

describe.each(ENCODINGS)('%s properties', (_name, encode, ref, decode) => {
  it('round-trips every well-formed string', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const f = createFake();
        const p = encode(s, f.realloc, f.mem, 's');
        expect(decode(f.mem.u8, p, loweredLen())).toBe(s);
      }),
      { numRuns: 400 },
    );
  });

  it('makes the same realloc calls and leaves the same memory as definitions.py', () => {
    fc.assert(
      fc.property(anyString, fc.constantFrom(...fakeVariants), (s, opts) => {
        const a = createFake(opts);
        const b = createFake(opts);
        const p = encode(s, a.realloc, a.mem, 's');
        const len = loweredLen();
        const [rp, rlen] = ref(s, b.realloc, b.memory);
        expect(a.calls).toEqual(b.calls);
        expect([p, len]).toEqual([rp, rlen]);
        // Every byte the same, except in blocks realloc moved away from (freed memory: a long
        // string is encoded straight into its first block, see asciiPrefix in string.ts).
        const [ma, mb] = [a.bytes(), b.bytes()];
        a.calls.forEach(([old, oldSize], k) => {
          if (old !== 0 && a.results[k] !== old) {
            ma.fill(0, old, old + oldSize);
            mb.fill(0, old, old + oldSize);
          }
        });
        expect(firstDiff(ma, mb)).toBe(-1);
      }),
      { numRuns: 300 },
    );
  });
});
