/**
 * The runtime's SIMD scans (src/runtime/wasm/utf8-scan.wat) and `prepareUtf8`, which validates a
 * long non-ASCII string by encoding it into the scanner's memory and lets the lowering copy it
 * from there: the committed bytes match the WAT, the scans agree with plain JS at every length
 * and offset around the 16-byte steps, and `prepareUtf8` answers exactly as `isUsvString`.
 * (The memory a prepared lowering leaves is compared with definitions.py in string.test.ts.)
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wasmModuleSource } from '../../scripts/build-wasm.mjs';
import { getScanner, prepareUtf8 } from '../../src/runtime/string.js';
import { isUsvString } from '../../src/runtime/validate.js';
import { ROOT } from '../support/bindings.js';

const sc = getScanner()!;

function refAscii(b: Uint8Array): number {
  const i = b.findIndex((x) => x >= 0x80);
  return i < 0 ? b.length : i;
}
function refFffd(b: Uint8Array): number {
  for (let i = 0; i + 2 < b.length; i++) if (b[i] === 0xef && b[i + 1] === 0xbf && b[i + 2] === 0xbd) return 1;
  return 0;
}
/** Writes `b` at the start of the scanner's memory, followed by junk that must not be read. */
function load(b: Uint8Array): void {
  const m = new Uint8Array(sc.memory.buffer);
  m.set(b, 0);
  m.fill(0xef, b.length, b.length + 64);
  m[b.length + 1] = 0xbf;
  m[b.length + 2] = 0xbd;
}

describe('utf8-scan.wasm', () => {
  it('is what scripts/build-wasm.mjs makes of the WAT (run `npm run build:wasm` after editing it)', async () => {
    const committed = readFileSync(`${ROOT}src/runtime/wasm/utf8-scan.ts`, 'utf8');
    expect(committed).toBe(await wasmModuleSource('utf8-scan.wat'));
  });

  it('is available here (Node has wasm SIMD)', () => {
    expect(sc).not.toBeNull();
  });

  it('ascii: the first byte ≥ 0x80 at every position and length', () => {
    for (let n = 0; n <= 50; n++) {
      for (let at = -1; at < n; at++) {
        const b = new Uint8Array(n).fill(0x61);
        if (at >= 0) b[at] = 0x80 + (at % 0x80);
        if (at >= 0 && at + 1 < n) b[at + 1] = 0xff;
        load(b);
        expect(sc.ascii(n)).toBe(refAscii(b));
      }
    }
  });

  it('fffd: EF BF BD found at every position, also across the 16-byte steps, never past n', () => {
    for (let n = 0; n <= 50; n++) {
      for (let at = -1; at < n; at++) {
        const b = new Uint8Array(n).fill(0xe6);
        if (at >= 0) b.set([0xef, 0xbf, 0xbd].slice(0, n - at), at);
        load(b);
        expect(sc.fffd(n)).toBe(refFffd(b));
      }
    }
  });

  it('agree with plain JS on random bytes rich in EF, BF and BD', () => {
    const byte = fc.oneof(fc.constantFrom(0xef, 0xbf, 0xbd, 0x61, 0xe6), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }).chain((a) => fc.array(byte, { minLength: a.length, maxLength: a.length })), (arr) => {
        const b = Uint8Array.from(arr);
        load(b);
        expect(sc.ascii(b.length)).toBe(refAscii(b));
        expect(sc.fffd(b.length)).toBe(refFffd(b));
      }),
      { numRuns: 500 },
    );
  });
});

describe('prepareUtf8', () => {
  const long = (s: string) => s.repeat(Math.ceil(100 / s.length));
  it('answers as isUsvString', () => {
    const cases: unknown[] = [
      undefined,
      42,
      '',
      'short é',
      long('é€'),
      long('日本🚀'),
      `${long('é')}\ud800`,
      `${long('é')}\udc00x`,
      `é${long('a')}\ud83d`,
      `${long('é')}\ufffd`,
      `\ufffd${long('ж')}\ufffd`,
      `é\ud800${long('x')}`,
      long('a'),
      `${long('a')}\ud800`,
      'é\ud800',
      'é\udc00',
      'é\ud83d',
      'é\ud83dx',
      'é\ud83d\ude80',
      '\ud83d\ude80',
      '\udc00\ud83d',
      'é',
    ];
    for (const c of cases) expect([c, prepareUtf8(c)]).toEqual([c, isUsvString(c)]);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.boolean(), (s, lead) => {
        const t = lead ? `é${s}` : s;
        expect(prepareUtf8(t)).toBe(isUsvString(t));
      }),
      { numRuns: 400 },
    );
  });
});
