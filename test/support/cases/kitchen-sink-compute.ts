/**
 * `test:kitchen-sink/compute` through generated bindings: functions whose results the test
 * computes independently, so that a lowering bug and the matching lifting bug cannot cancel out
 * (as they could in an echo). After every test the guest's allocated bytes are back to baseline.
 *
 * One suite for every hosting mode (test/support/modes.ts): run on the core module by
 * test/e2e/, on the component through witbind and side by side through jco by test/component/.
 * Where jco behaves differently, the `mode === 'jco'` branch asserts exactly what it does.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { f32Bits, f32FromBits, f64Bits, f64FromBits, kitchenSink, type Sink } from '../kitchen-sink.js';
import type { Mode } from '../modes.js';
import { errPayload } from '../outcome.js';

export function kitchenSinkComputeSuite(mode: Mode): void {
  describe(`kitchen-sink compute (${mode})`, () => {
    let s: Sink;
    let c: any;

    beforeAll(async () => {
      s = await kitchenSink(mode);
      c = s.ex.compute;
    });

    afterEach(() => {
      expect(s.ex.allocatedBytes()).toBe(s.baseline);
    });

    const SHAPE_NAMES = ['nothing', 'small', 'circle', 'big', 'precise', 'named', 'segment', 'at'];

    /** compute.describe-shape, written independently from the WIT doc. */
    function describeShape(sh: { tag: string; val?: any }): { caseIndex: number; value: number; text: string } {
      const caseIndex = SHAPE_NAMES.indexOf(sh.tag);
      let value = 0;
      switch (sh.tag) {
        case 'small':
        case 'precise':
          value = sh.val;
          break;
        case 'circle':
          value = Math.fround(sh.val);
          break;
        case 'big':
          value = Number(sh.val);
          break;
        case 'named':
          value = Buffer.byteLength(sh.val, 'utf8');
          break;
        case 'segment':
          value = Math.fround(sh.val[0]) + sh.val[1];
          break;
        case 'at':
          value = sh.val.x + sh.val.y;
          break;
      }
      return { caseIndex, value, text: sh.tag === 'named' ? `named ${sh.val}` : sh.tag };
    }

    /** Calls `f` and returns the ComponentError payload it threw (failing if it returned). */
    function errOf(f: () => unknown): unknown {
      return errPayload(mode, f);
    }

    /** Whether `b` is the bit pattern of an f32 NaN (any sign and payload). */
    const isNaN32 = (b: number) => (b & 0x7f80_0000) === 0x7f80_0000 && (b & 0x007f_ffff) !== 0;
    const isNaN64 = (b: bigint) => (b & 0x7ff0_0000_0000_0000n) === 0x7ff0_0000_0000_0000n && (b & 0xf_ffff_ffff_ffffn) !== 0n;

    describe('floats and chars', () => {
      it('bits-f32 / bits-f64: the IEEE-754 bits the guest received', () => {
        for (const v of [0, -0, 1, -1.5, 0.1, Infinity, -Infinity, 3.4028234663852886e38, 1.401298464324817e-45, 1e39]) {
          expect(c.bitsF32(v), `bitsF32(${v})`).toBe(f32Bits(v));
        }
        expect(c.bitsF32(-0)).toBe(0x8000_0000);
        for (const v of [0, -0, 1, 0.1, Math.PI, Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity]) {
          expect(c.bitsF64(v), `bitsF64(${v})`).toBe(f64Bits(v));
        }
        expect(c.bitsF64(-0)).toBe(0x8000_0000_0000_0000n);
        // Lowering may produce any NaN: only NaN-ness is guaranteed.
        expect(isNaN32(c.bitsF32(NaN))).toBe(true);
        expect(isNaN64(c.bitsF64(NaN))).toBe(true);
      });

      it('f32-from-bits / f64-from-bits', () => {
        for (const b of [0, 0x8000_0000, 0x3f80_0000, 0x7f80_0000, 0xff80_0000, 1, 0x7f7f_ffff, 0x3dcc_cccd]) {
          expect(c.f32FromBits(b), `f32FromBits(${b.toString(16)})`).toBe(f32FromBits(b));
        }
        expect(c.f32FromBits(0x8000_0000)).toBe(-0);
        for (const b of [0n, 0x8000_0000_0000_0000n, 0x3ff0_0000_0000_0000n, 1n, 0x7fef_ffff_ffff_ffffn, 0xfff0_0000_0000_0000n]) {
          expect(c.f64FromBits(b), `f64FromBits(${b.toString(16)})`).toBe(f64FromBits(b));
        }
        expect(c.f32FromBits(0x7fc0_0000)).toBe(NaN);
        expect(c.f32FromBits(0xffc0_0001)).toBe(NaN);
        expect(c.f64FromBits(0x7ff0_0000_0000_0001n)).toBe(NaN);
      });

      it('a NaN from the guest is canonicalized on lift: its payload does not reach the host', () => {
        // The bits a lifted NaN shows once stored into a typed array (a JS number keeps the
        // payload of the NaN it was made from). jco keeps the guest's payload (quieted).
        for (const b of [0x7fc0_0001, 0xffc0_0000, 0x7f80_0001, 0x7fff_ffff, 0xffff_ffff]) {
          const expected = mode === 'jco' ? (b | 0x0040_0000) >>> 0 : 0x7fc0_0000;
          expect(f32Bits(c.f32FromBits(b)), `f32FromBits(${b.toString(16)})`).toBe(expected);
        }
        for (const b of [0x7ff0_0000_0000_0001n, 0xfff8_0000_0000_0000n, 0x7fff_ffff_ffff_ffffn, 0xffff_ffff_ffff_ffffn]) {
          const expected = mode === 'jco' ? b | 0x0008_0000_0000_0000n : 0x7ff8_0000_0000_0000n;
          expect(f64Bits(c.f64FromBits(b)), `f64FromBits(${b.toString(16)})`).toBe(expected);
        }
      });

      it('char-code / char-from-code: every plane, the edges of the surrogate range', () => {
        for (const ch of ['\0', 'A', '\x7f', '\x80', 'é', '\u07ff', '\u0800', '€', '\ud7ff', '\ue000', '\uffff', '😀', '\u{10000}', '\u{10ffff}']) {
          expect(c.charCode(ch)).toBe(ch.codePointAt(0));
        }
        for (const n of [0, 65, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xffff, 0x10000, 0x1f600, 0x10ffff]) {
          expect(c.charFromCode(n)).toBe(String.fromCodePoint(n));
        }
      });
    });

    describe('integers', () => {
      it('sum-ints: wrapping s64 sum of sign-extended narrow ints and reinterpreted u64', () => {
        const cases: [number, number, number, number, number, number, bigint, bigint][] = [
          [0, 0, 0, 0, 0, 0, 0n, 0n],
          [255, -128, 65535, -32768, 0xffff_ffff, -0x8000_0000, 0n, 0n],
          [255, 127, 65535, 32767, 0xffff_ffff, 0x7fff_ffff, 2n ** 64n - 1n, 2n ** 63n - 1n],
          [1, -1, 2, -2, 3, -3, 2n ** 63n, -(2n ** 63n)],
          [0, 0, 0, 0, 0, 0, 2n ** 64n - 1n, 1n],
        ];
        for (const [a, b, cc, d, e, f, g, h] of cases) {
          const expected = BigInt.asIntN(64, BigInt(a) + BigInt(b) + BigInt(cc) + BigInt(d) + BigInt(e) + BigInt(f) + g + h);
          expect(c.sumInts(a, b, cc, d, e, f, g, h)).toBe(expected);
        }
      });

      it('checked-div: truncating division, and err(div-error) thrown as ComponentError', () => {
        for (const [a, b] of [
          [7, 2],
          [-7, 2],
          [7, -2],
          [-7, -2],
          [0, 5],
          [-0x8000_0000, 1],
          [-0x8000_0000, 2],
          [0x7fff_ffff, -1],
          [1, 0x7fff_ffff],
        ] as const) {
          expect(c.checkedDiv(a, b), `${a} / ${b}`).toBe(Math.trunc(a / b) | 0);
        }
        expect(errOf(() => c.checkedDiv(1, 0))).toBe('divide-by-zero');
        expect(errOf(() => c.checkedDiv(0, 0))).toBe('divide-by-zero');
        expect(errOf(() => c.checkedDiv(-0x8000_0000, -1))).toBe('overflow');
      });

      it('parse-u32: ok(n), or err("invalid: " + s)', () => {
        for (const str of ['0', '7', '0042', '4294967295', '1234567890']) expect(c.parseU32(str)).toBe(Number(str));
        for (const str of ['', '4294967296', '99999999999', '12345678901', '-1', '+1', '1 ', 'abc', '１', '٣', '😀']) {
          expect(errOf(() => c.parseU32(str)), JSON.stringify(str)).toBe(`invalid: ${str}`);
        }
      });
    });

    describe('strings', () => {
      it('string-stats: UTF-8 byte length and scalar count', () => {
        for (const str of ['', 'a', 'é', '€', '😀', 'héllo wörld 🚀', '\0', 'x'.repeat(10_000) + '😀'.repeat(1000)]) {
          expect(c.stringStats(str)).toEqual([Buffer.byteLength(str, 'utf8'), [...str].length]);
        }
      });

      it('repeat', () => {
        for (const [str, n] of [
          ['ab', 3],
          ['é😀', 5],
          ['x', 0],
          ['', 100],
          ['abc', 10_000],
        ] as const) {
          expect(c.repeat(str, n)).toBe(str.repeat(n));
        }
      });

      it('split: like String.prototype.split with a one-char separator', () => {
        for (const [str, sep] of [
          ['a,b,c', ','],
          [',a,,b,', ','],
          ['', ','],
          ['no separator', ';'],
          ['é€😀é€', '€'],
          ['a😀b😀', '😀'],
          ['ééé', 'é'],
        ] as const) {
          expect(c.split(str, sep), `${str} / ${sep}`).toEqual(str.split(sep));
        }
      });

      it('join: like Array.prototype.join', () => {
        for (const [parts, sep] of [
          [['a', 'b', 'c'], ', '],
          [[], '-'],
          [['only'], '-'],
          [['', '', ''], ''],
          [['é', '😀', ''], '€😀'],
        ] as const) {
          expect(c.join(parts, sep)).toBe(parts.join(sep));
        }
        const many = Array.from({ length: 3000 }, (_, i) => String(i));
        expect(c.join(many, '|')).toBe(many.join('|'));
      });
    });

    describe('lists', () => {
      it('sum-u32 and sum-f64 (typed arrays and plain arrays)', () => {
        const u = Uint32Array.from({ length: 5000 }, (_, i) => (i * 2654435761) >>> 0);
        expect(c.sumU32(u)).toBe(u.reduce((acc, x) => acc + BigInt(x), 0n));
        expect(c.sumU32([0xffff_ffff, 0xffff_ffff, 2])).toBe(2n * 0xffff_ffffn + 2n);
        expect(c.sumU32([])).toBe(0n);
        const f = [0.1, 0.2, 0.3, 1e16, 1, -1e16];
        let sum = 0;
        for (const x of f) sum += x;
        expect(c.sumF64(f)).toBe(sum);
        expect(c.sumF64(new Float64Array(f))).toBe(sum);
        expect(c.sumF64([])).toBe(0);
        expect(c.sumF64([Infinity, -Infinity])).toBe(NaN);
      });

      it('iota', () => {
        expect(c.iota(0)).toEqual(new Uint32Array(0));
        expect(c.iota(5)).toEqual(new Uint32Array([0, 1, 2, 3, 4]));
        const big = c.iota(100_000);
        expect(big).toBeInstanceOf(Uint32Array);
        expect(big.length).toBe(100_000);
        expect(big[99_999]).toBe(99_999);
        expect(big.every((x: number, i: number) => x === i)).toBe(true);
      });

      it('fixed-sum and fixed-iota (wrapping u8)', () => {
        expect(c.fixedSum([1, 2, 3, 4])).toBe(10n);
        expect(c.fixedSum([0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff])).toBe(4n * 0xffff_ffffn);
        expect(c.fixedIota(0)).toEqual([0, 1, 2]);
        expect(c.fixedIota(100)).toEqual([100, 101, 102]);
        expect(c.fixedIota(254)).toEqual([254, 255, 0]);
        expect(c.fixedIota(255)).toEqual([255, 0, 1]);
      });
    });

    describe('records', () => {
      it('make-person', () => {
        for (const [name, age] of [
          ['Ann', 30],
          ['Bö', 7],
          ['', 0],
          ['😀', 255],
          ['max even', 254],
        ] as const) {
          expect(c.makePerson(name, age)).toEqual({
            name,
            age,
            scores: new Uint32Array([age, age * 2]),
            home: age % 2 === 0 ? { x: age, y: -age | 0 } : undefined,
          });
        }
      });

      it('oldest: the first of the oldest, none for an empty list', () => {
        const p = (name: string, age: number) => ({ name, age, scores: [age], home: undefined });
        expect(c.oldest([])).toBeUndefined();
        expect(c.oldest([p('solo', 1)])).toBe('solo');
        expect(c.oldest([p('a', 5), p('b', 9), p('c', 9), p('d', 2)])).toBe('b');
        expect(c.oldest([p('ü', 255), p('v', 255)])).toBe('ü');
        expect(c.oldest([p('young', 0), p('😀 old', 200)])).toBe('😀 old');
      });
    });

    describe('variants, enums, options, flags', () => {
      it('describe-shape: every case', () => {
        const shapes = [
          { tag: 'nothing' },
          { tag: 'small', val: 200 },
          { tag: 'circle', val: 2.5 },
          { tag: 'circle', val: 0.1 },
          { tag: 'big', val: 2n ** 64n - 1n },
          { tag: 'big', val: 12345n },
          { tag: 'precise', val: -1e100 },
          { tag: 'named', val: 'név 😀' },
          { tag: 'named', val: '' },
          { tag: 'segment', val: [1.25, 0xdead_beef] },
          { tag: 'at', val: { x: -3, y: 4 } },
          { tag: 'at', val: { x: -0x8000_0000, y: -0x8000_0000 } },
        ];
        for (const sh of shapes) expect(c.describeShape(sh), sh.tag).toEqual(describeShape(sh));
      });

      it('number-value and real-value', () => {
        expect(c.numberValue({ tag: 'int', val: -7 })).toBe(-7);
        expect(c.numberValue({ tag: 'int', val: 0x7fff_ffff })).toBe(0x7fff_ffff);
        expect(c.numberValue({ tag: 'float', val: 0.1 })).toBe(Math.fround(0.1));
        expect(c.numberValue({ tag: 'float', val: -Infinity })).toBe(-Infinity);
        expect(c.numberValue({ tag: 'none' })).toBe(-1);
        expect(c.realValue({ tag: 'single', val: 0.1 })).toBe(Math.fround(0.1));
        expect(c.realValue({ tag: 'double', val: 0.1 })).toBe(0.1);
        expect(c.realValue({ tag: 'double', val: -0 })).toBe(-0);
        expect(c.realValue({ tag: 'single', val: -0 })).toBe(-0);
      });

      it('flags to bits', () => {
        expect(c.flags8Bits({})).toBe(0);
        expect(c.flags8Bits({ b0: true, b7: true })).toBe(0x81);
        expect(c.flags16Bits({ b1: true, b11: true, b3: false })).toBe(0x802);
        expect(c.flags32Bits({ b31: true })).toBe(0x8000_0000);
        expect(c.flags32Bits({ b0: true, b16: true, b31: true })).toBe(0x8001_0001);
        const all32 = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`b${i}`, true]));
        expect(c.flags32Bits(all32)).toBe(0xffff_ffff);
        for (let i = 0; i < 12; i++) expect(c.flags16Bits({ [`b${i}`]: true })).toBe(1 << i);
      });

      it('bits to flags', () => {
        const flags = (n: number, bits: number) =>
          Object.fromEntries(Array.from({ length: n }, (_, i) => [`b${i}`, ((bits >>> i) & 1) === 1]));
        for (const b of [0, 1, 0x80, 0xa5, 0xff]) expect(c.flags8FromBits(b)).toEqual(flags(8, b));
        for (const b of [0, 0x800, 0xfff, 0xffff, 0x1234]) expect(c.flags16FromBits(b)).toEqual(flags(12, b & 0xfff));
        for (const b of [0, 1, 0x8000_0000, 0xffff_ffff, 0xdead_beef]) expect(c.flags32FromBits(b)).toEqual(flags(32, b));
      });

      it('wide-index and wide-from-index: all 257 cases', () => {
        for (let i = 0; i <= 256; i++) {
          expect(c.wideIndex(`e${i}`)).toBe(i);
          expect(c.wideFromIndex(i)).toBe(`e${i}`);
        }
      });

      it('option-depth', () => {
        expect(c.optionDepth({ tag: 'none' })).toBe(0);
        expect(c.optionDepth({ tag: 'some', val: undefined })).toBe(1);
        expect(c.optionDepth({ tag: 'some', val: null })).toBe(1);
        expect(c.optionDepth({ tag: 'some', val: 0 })).toBe(2);
        expect(c.optionDepth({ tag: 'some', val: 0xffff_ffff })).toBe(2);
      });
    });

    describe('maps', () => {
      it('map-sum and map-invert', () => {
        const m = new Map([
          ['a', 1],
          ['é', 0xffff_ffff],
          ['', 0],
          ['😀', 42],
        ]);
        expect(c.mapSum(m)).toBe(1n + 0xffff_ffffn + 42n);
        expect(c.mapSum(new Map())).toBe(0n);
        const inv = c.mapInvert(m);
        expect(inv).toBeInstanceOf(Map);
        expect([...inv]).toEqual([...m].map(([k, v]) => [v, k]));
        expect(c.mapInvert(new Map())).toEqual(new Map());
      });
    });

    describe('nested-summary: every part of a spilled record, read by the guest', () => {
      type Nested = any;

      /** compute.nested-summary, written independently from the WIT doc. */
      function summary(v: Nested): string {
        const opt = v.opt.tag === 'none' ? 'none' : v.opt.val === undefined ? 'some(none)' : `some(some(${v.opt.val}))`;
        const res = v.res.tag === 'ok' ? `ok(${v.res.val.x},${v.res.val.y})` : `err(${v.res.val})`;
        let fl = 0;
        for (let i = 0; i < 12; i++) if (v.fl[`b${i}`]) fl |= 1 << i;
        const dict = [...v.dict].map(([k, x]) => `${k}:${x};`).join('');
        const people = v.people
          .map((p: any) => `${p.name}/${p.age}/${p.scores.length}/${p.home ? `${p.home.x},${p.home.y}` : '-'};`)
          .join('');
        return [
          `fixed=${v.fixed[0]},${v.fixed[1]}`,
          `opt=${opt}`,
          `res=${res}`,
          `shape=${describeShape(v.shape).text}`,
          `fl=${fl}`,
          `wide=${Number(v.wide.slice(1))}`,
          `dict=${dict}`,
          `people=${people}`,
          `color=${['red', 'green', 'blue'].indexOf(v.color)}`,
        ].join(' ');
      }

      const base: Nested = {
        fixed: [10, 0xffff_ffff],
        opt: { tag: 'some', val: 'deep é' },
        res: { tag: 'err', val: 'oops' },
        shape: { tag: 'named', val: 'név' },
        fl: { b0: true, b11: true },
        wide: 'e200',
        dict: new Map([
          [1, 'one'],
          [0xffff_ffff, 'max'],
        ]),
        people: [
          { name: 'Ann', age: 30, scores: [7, 8], home: { x: 5, y: -6 } },
          { name: 'Bo', age: 7, scores: [], home: undefined },
        ],
        color: 'green',
      };

      it('summarizes several values', () => {
        const values: Nested[] = [
          base,
          { ...base, opt: { tag: 'none' }, res: { tag: 'ok', val: { x: -0x8000_0000, y: 2 } }, shape: { tag: 'nothing' } },
          { ...base, opt: { tag: 'some', val: undefined }, dict: new Map(), people: [], fl: {}, wide: 'e256', color: 'blue' },
          { ...base, shape: { tag: 'segment', val: [1, 2] }, fixed: [0, 0], wide: 'e0', color: 'red' },
        ];
        for (const v of values) expect(c.nestedSummary(v)).toBe(summary(v));
        expect(c.nestedSummary(base)).toBe(
          'fixed=10,4294967295 opt=some(some(deep é)) res=err(oops) shape=named név fl=2049 wide=200 ' +
            'dict=1:one;4294967295:max; people=Ann/30/2/5,-6;Bo/7/0/-; color=1',
        );
      });
    });
  });
}
