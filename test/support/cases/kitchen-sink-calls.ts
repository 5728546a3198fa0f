/**
 * The kitchen-sink guest calling the host: `calls.roundtrip-x` passes its argument to the host
 * import `host.echo-x` and returns what the host returned, so each test checks both what the host
 * received (lifted from guest memory by the import wrapper) and what it returned (lowered into
 * guest memory with the guest's `cabi_realloc`). Also: `self-test` (the guest checks the host's
 * answers itself), the world-level `log` import and `greet` export, `init-count`, host
 * implementations returning wrong values (a clean error naming the path, and the instance is
 * poisoned) and host implementations throwing (the instance traps and refuses further calls).
 * Resources (`counter-*`, `make-counter`) are covered by kitchen-sink-resources.test.ts.
 *
 * One suite for every hosting mode (test/support/modes.ts): run on the core module by
 * test/e2e/, on the component through witbind and side by side through jco by test/component/.
 * Where jco behaves differently, the `mode === 'jco'` branch asserts exactly what it does.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ComponentError, Trap } from '../../../src/runtime/index.js';
import { HOST_ECHOES, kitchenSink, type HostEcho, type Sink } from '../kitchen-sink.js';
import type { Mode } from '../modes.js';
import { errPayload, expectComponentError, expectJcoOutcome, thrownBy, type JcoOutcome } from '../outcome.js';

const flags32 = (set: number[]) => Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`b${i}`, set.includes(i)]));

const person = { name: 'Zoë', age: 42, scores: new Uint32Array([1, 2, 3]), home: { x: -1, y: 2 } };
const nested = {
  fixed: [10, 0xffff_ffff],
  opt: { tag: 'some', val: 'deep' },
  res: { tag: 'err', val: 'oops' },
  shape: { tag: 'segment', val: [1.25, 0xdead_beef] },
  fl: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`b${i}`, i === 0 || i === 11])),
  wide: 'e200',
  dict: new Map([
    [1, 'one'],
    [0xffff_ffff, 'max'],
  ]),
  people: [person, { name: 'Bo', age: 7, scores: new Uint32Array(0), home: undefined }],
  color: 'green',
};

/** Every roundtrip: export name, the host import it calls, values (each must come back unchanged). */
const ROUNDTRIPS: [string, HostEcho, unknown[]][] = [
  ['roundtripBool', 'echoBool', [true, false]],
  ['roundtripS8', 'echoS8', [-128, -1, 0, 1, 127]],
  ['roundtripU64', 'echoU64', [0n, 1n, 2n ** 63n, 2n ** 64n - 1n]],
  ['roundtripF32', 'echoF32', [0, -0, 1.5, Math.fround(0.1), Infinity, -Infinity, NaN, 1.401298464324817e-45]],
  ['roundtripF64', 'echoF64', [0, -0, 0.1, Number.MAX_VALUE, Number.MIN_VALUE, -Infinity, NaN]],
  ['roundtripChar', 'echoChar', ['\0', 'a', 'é', '€', '\uffff', '😀', '\u{10ffff}']],
  ['roundtripString', 'echoString', ['', 'a', 'héllo wörld 🚀', 'x'.repeat(100_000), '😀'.repeat(5000)]],
  ['roundtripListU32', 'echoListU32', [new Uint32Array(0), new Uint32Array([0, 1, 0xffff_ffff]), Uint32Array.from({ length: 50_000 }, (_, i) => i)]],
  ['roundtripListString', 'echoListString', [[], [''], ['a', '', 'ün', '😀'.repeat(10)]]],
  [
    'roundtripMixed',
    'echoMixed',
    [
      { a: true, b: 2n ** 64n - 1n, c: 65535, d: -1.5, e: 255, f: 3.75, g: '\u{10ffff}' },
      { a: false, b: 0n, c: 0, d: -0, e: 0, f: NaN, g: '\0' },
    ],
  ],
  ['roundtripPerson', 'echoPerson', [person, { name: '', age: 0, scores: new Uint32Array(0), home: undefined }]],
  [
    'roundtripShape',
    'echoShape',
    [
      { tag: 'nothing' },
      { tag: 'small', val: 200 },
      { tag: 'circle', val: 2.5 },
      { tag: 'circle', val: -0 },
      { tag: 'big', val: 2n ** 64n - 1n },
      { tag: 'precise', val: -1e100 },
      { tag: 'precise', val: NaN },
      { tag: 'named', val: 'név' },
      { tag: 'named', val: '' },
      { tag: 'segment', val: [1.25, 0xdead_beef] },
      { tag: 'at', val: { x: -3, y: 4 } },
    ],
  ],
  [
    'roundtripNumber',
    'echoNumber',
    [{ tag: 'int', val: -7 }, { tag: 'int', val: -0x8000_0000 }, { tag: 'float', val: 0.5 }, { tag: 'float', val: -0 }, { tag: 'none' }],
  ],
  [
    'roundtripReal',
    'echoReal',
    [{ tag: 'single', val: 1.5 }, { tag: 'single', val: -Infinity }, { tag: 'double', val: 1e300 }, { tag: 'double', val: -0 }],
  ],
  ['roundtripColor', 'echoColor', ['red', 'green', 'blue']],
  ['roundtripWide', 'echoWide', ['e0', 'e1', 'e127', 'e128', 'e255', 'e256']],
  ['roundtripFlags32', 'echoFlags32', [flags32([]), flags32([0, 31]), flags32(Array.from({ length: 32 }, (_, i) => i)), flags32([5, 16])]],
  ['roundtripOptionString', 'echoOptionString', [undefined, '', 'opt', '😀']],
  [
    'roundtripOptionOptionU32',
    'echoOptionOptionU32',
    [{ tag: 'none' }, { tag: 'some', val: undefined }, { tag: 'some', val: 0 }, { tag: 'some', val: 0xffff_ffff }],
  ],
  ['roundtripTuple', 'echoTuple', [[255, 'tuple ✓', -0.125], [0, '', -0]]],
  ['roundtripFixedU32', 'echoFixedU32', [[1, 2, 0xffff_ffff, 4], [0, 0, 0, 0]]],
  [
    'roundtripMap',
    'echoMap',
    [
      new Map(),
      new Map([
        ['one', 1],
        ['zwei', 2],
        ['', 0xffff_ffff],
      ]),
    ],
  ],
  [
    'roundtripNested',
    'echoNested',
    [nested, { ...nested, opt: { tag: 'none' }, res: { tag: 'ok', val: { x: 1, y: -1 } }, shape: { tag: 'named', val: 'n' }, dict: new Map(), people: [] }],
  ],
];

/** A host returning a wrong value: [export, host import, argument, what the host returns, error class, message]. */
export const WRONG_HOST_VALUES: [string, HostEcho, unknown, unknown, ErrorConstructor, string | RegExp][] = [
  ['roundtripPerson', 'echoPerson', person, { ...person, scores: [1, 2, -1] }, RangeError, 'echoPerson() result.scores[2]: expected u32 (an integer in [0, 4294967295]), got -1'],
  ['roundtripPerson', 'echoPerson', person, { ...person, home: { x: 1 } }, TypeError, 'echoPerson() result.home.y: expected s32, got undefined'],
  ['roundtripPerson', 'echoPerson', person, { ...person, age: 256 }, RangeError, 'echoPerson() result.age: expected u8 (an integer in [0, 255]), got 256'],
  ['roundtripBool', 'echoBool', true, 1, TypeError, 'echoBool() result: expected bool, got number'],
  ['roundtripS8', 'echoS8', 1, 128, RangeError, 'echoS8() result: expected s8 (an integer in [-128, 127]), got 128'],
  ['roundtripS8', 'echoS8', 1, 1.5, RangeError, 'echoS8() result: expected s8 (an integer in [-128, 127]), got 1.5'],
  ['roundtripU64', 'echoU64', 1n, 1, TypeError, 'echoU64() result: expected u64 as a bigint, got number 1'],
  ['roundtripU64', 'echoU64', 1n, -1n, RangeError, 'echoU64() result: expected u64 (an integer in [0, 18446744073709551615]), got -1'],
  ['roundtripF32', 'echoF32', 1, '1', TypeError, 'echoF32() result: expected f32, got string'],
  ['roundtripF64', 'echoF64', 1, 1n, TypeError, 'echoF64() result: expected f64, got bigint'],
  ['roundtripChar', 'echoChar', 'a', 'ab', TypeError, 'echoChar() result: expected char (one Unicode scalar value), got "ab"'],
  ['roundtripChar', 'echoChar', 'a', '\ud800', TypeError, 'echoChar() result: expected char (one Unicode scalar value), got "\\ud800"'],
  ['roundtripString', 'echoString', 'a', 'a\udc00', TypeError, 'echoString() result: expected string of Unicode scalar values, got a string with a lone surrogate'],
  ['roundtripString', 'echoString', 'a', undefined, TypeError, 'echoString() result: expected string, got undefined'],
  ['roundtripListU32', 'echoListU32', new Uint32Array([1]), [1, 2.5], RangeError, /^echoListU32\(\) result\[1\]: expected u32 .*got 2\.5$/],
  ['roundtripListU32', 'echoListU32', new Uint32Array([1]), new Int32Array(1), TypeError, 'echoListU32() result: expected Uint32Array or array, got Int32Array'],
  ['roundtripListString', 'echoListString', ['a'], ['a', 5], TypeError, 'echoListString() result[1]: expected string, got number'],
  ['roundtripMixed', 'echoMixed', ROUNDTRIPS[9]![2][0], { ...(ROUNDTRIPS[9]![2][0] as object), g: 'ab' }, TypeError, 'echoMixed() result.g: expected char (one Unicode scalar value), got "ab"'],
  ['roundtripShape', 'echoShape', { tag: 'nothing' }, { tag: 'huge' }, TypeError, /^echoShape\(\) result\.tag: expected 'nothing' \| 'small' .*, got string$/],
  ['roundtripShape', 'echoShape', { tag: 'nothing' }, { tag: 'small', val: 256 }, RangeError, 'echoShape() result.val: expected u8 (an integer in [0, 255]), got 256'],
  ['roundtripNumber', 'echoNumber', { tag: 'none' }, { tag: 'int', val: 2 ** 31 }, RangeError, 'echoNumber() result.val: expected s32 (an integer in [-2147483648, 2147483647]), got 2147483648'],
  ['roundtripReal', 'echoReal', { tag: 'double', val: 1 }, { tag: 'double' }, TypeError, 'echoReal() result.val: expected f64, got undefined'],
  ['roundtripColor', 'echoColor', 'red', 'purple', TypeError, /^echoColor\(\) result: expected .*'red'.*, got string$/],
  ['roundtripWide', 'echoWide', 'e0', 'e257', TypeError, /^echoWide\(\) result: expected .*, got string$/],
  ['roundtripFlags32', 'echoFlags32', flags32([3]), null, TypeError, 'echoFlags32() result: expected flags `flags32`, got null'],
  ['roundtripOptionString', 'echoOptionString', 'x', 5, TypeError, 'echoOptionString() result: expected string, got number'],
  ['roundtripOptionOptionU32', 'echoOptionOptionU32', { tag: 'none' }, 5, TypeError, /^echoOptionOptionU32\(\) result: expected .*, got number$/],
  ['roundtripOptionOptionU32', 'echoOptionOptionU32', { tag: 'none' }, { tag: 'some', val: -1 }, RangeError, /^echoOptionOptionU32\(\) result\.val: expected u32 .*got -1$/],
  ['roundtripResultPointString', 'echoResultPointString', { tag: 'ok', val: { x: 1, y: 2 } }, { x: 1 }, TypeError, 'echoResultPointString() result.y: expected s32, got undefined'],
  ['roundtripTuple', 'echoTuple', [1, 'a', 1], [1, 'a'], TypeError, /^echoTuple\(\) result: expected .*, got array$/],
  ['roundtripTuple', 'echoTuple', [1, 'a', 1], [1, 2, 3], TypeError, 'echoTuple() result[1]: expected string, got number'],
  ['roundtripFixedU32', 'echoFixedU32', [1, 2, 3, 4], [1, 2, 3], TypeError, 'echoFixedU32() result: expected list of length 4, got array'],
  ['roundtripMap', 'echoMap', new Map(), { a: 1 }, TypeError, /^echoMap\(\) result: expected Map.*, got object$/],
  ['roundtripMap', 'echoMap', new Map(), new Map([['a', -1]]), RangeError, /^echoMap\(\) result.*: expected u32 .*got -1$/],
  ['roundtripNested', 'echoNested', nested, { ...nested, people: [person, { ...person, home: { x: 1 } }] }, TypeError, 'echoNested() result.people[1].home.y: expected s32, got undefined'],
  ['roundtripNested', 'echoNested', nested, { ...nested, dict: new Map([[1, 2]]) }, TypeError, /^echoNested\(\) result\.dict.*: expected string, got number$/],
];

const mixed = ROUNDTRIPS[9]![2][0] as object;
const NOT_A_STRING = (what: string) => `expected a string, received [${what}]`;

/**
 * What jco 1.35 does with each host answer of WRONG_HOST_VALUES (same order): it lowers it into
 * the guest wrapped, truncated or with a missing field as 0/NaN (`returns`: what comes back out
 * of the export), or throws without the path (`leaks`: the guest memory it had allocated for the
 * answer) — and in both cases the instance stays usable, though the guest was unwound mid-call.
 */
export const JCO_WRONG_HOST_VALUES: readonly JcoOutcome[] = [
  { throws: TypeError, message: 'invalid u32 value [-1]', leaks: 64 },
  { returns: { ...person, home: { x: 1, y: 0 } } },
  { returns: { ...person, age: 0 } },
  { returns: true },
  { returns: -128 },
  { returns: 1 },
  { returns: 1n },
  { returns: 2n ** 64n - 1n },
  { returns: 1 },
  { throws: TypeError, message: 'Cannot convert a BigInt value to a number' },
  { returns: 'a' },
  { throws: TypeError, message: 'not a valid char' },
  { returns: 'a\ufffd' },
  { throws: TypeError, message: NOT_A_STRING('undefined'), leaks: 9 },
  { throws: TypeError, message: 'invalid u32 value [2.5]', leaks: 28 },
  { returns: new Uint32Array([0]) },
  { throws: TypeError, message: NOT_A_STRING('number'), leaks: 58 },
  { returns: { ...mixed, g: 'a' } },
  { throws: TypeError, message: 'invalid variant tag value `"huge"` (received `[object Object]`) specified for `Shape`' },
  { returns: { tag: 'small', val: 0 } },
  { returns: { tag: 'int', val: -0x8000_0000 } },
  { returns: { tag: 'double', val: NaN } },
  { throws: TypeError, message: '"purple" is not one of the cases of color' },
  { throws: TypeError, message: '"e257" is not one of the cases of wide' },
  // null is taken as "no flags set".
  { returns: flags32([]) },
  { throws: TypeError, message: NOT_A_STRING('number'), leaks: 9 },
  { throws: TypeError, message: 'invalid variant specified for option' },
  { returns: { tag: 'some', val: 0xffff_ffff } },
  { returns: { x: 1, y: 0 } },
  { returns: [1, 'a', NaN] },
  { throws: TypeError, message: NOT_A_STRING('number'), leaks: 9 },
  { returns: [1, 2, 3, 0] },
  { throws: TypeError, message: 'expected a Map' },
  { returns: new Map([['a', 0xffff_ffff]]) },
  { returns: { ...nested, people: [person, { ...person, home: { x: 1, y: 0 } }] } },
  { throws: TypeError, message: NOT_A_STRING('number'), leaks: 324 },
];

export function kitchenSinkCallsSuite(mode: Mode): void {
  describe(`kitchen-sink calls (${mode})`, () => {
    let s: Sink;
    let k: any;

    beforeAll(async () => {
      s = await kitchenSink(mode);
      k = s.ex.calls;
    });

    beforeEach(() => {
      s.calls.length = 0;
      s.logs.length = 0;
      for (const key of Object.keys(s.overrides)) delete s.overrides[key as HostEcho];
    });

    afterEach(() => {
      expect(s.ex.allocatedBytes()).toBe(s.baseline);
    });

    describe('roundtrips: the host receives exactly the value and its answer comes back', () => {
      for (const [fn, host, values] of ROUNDTRIPS) {
        it(`${fn} → host.${host}`, () => {
          for (const v of values) {
            s.calls.length = 0;
            const out = k[fn](v);
            expect(s.calls).toEqual([[host, [v]]]);
            expect(out).toEqual(v);
            if (v instanceof Map) expect([...out]).toEqual([...v]);
          }
        });
      }

      it('roundtripResultPointString: ok is returned by the host, err thrown by it as ComponentError', () => {
        expect(k.roundtripResultPointString({ tag: 'ok', val: { x: -1, y: 1 } })).toEqual({ x: -1, y: 1 });
        expect(s.calls).toEqual([['echoResultPointString', [{ tag: 'ok', val: { x: -1, y: 1 } }]]]);
        expect(errPayload(mode, () => k.roundtripResultPointString({ tag: 'err', val: 'bad é' }))).toBe('bad é');
        expect(s.calls[1]).toEqual(['echoResultPointString', [{ tag: 'err', val: 'bad é' }]]);
      });

      it('roundtripResultUnit', () => {
        expect(k.roundtripResultUnit({ tag: 'ok' })).toBeUndefined();
        expectComponentError(thrownBy(() => k.roundtripResultUnit({ tag: 'err' })), mode);
        expect(s.calls).toEqual([
          ['echoResultUnit', [{ tag: 'ok' }]],
          ['echoResultUnit', [{ tag: 'err' }]],
        ]);
      });

      it('host answers big enough to grow guest memory while they are lowered', () => {
        const big = 'é'.repeat(1_500_000) + '😀';
        s.overrides.echoString = () => big;
        expect(k.roundtripString('x') === big).toBe(true);
        const u = Uint32Array.from({ length: 1_000_000 }, (_, i) => i * 3);
        s.overrides.echoListU32 = () => u;
        const out = k.roundtripListU32(new Uint32Array([1]));
        expect(out.length).toBe(u.length);
        expect(Buffer.from(out.buffer, out.byteOffset, out.byteLength).equals(Buffer.from(u.buffer))).toBe(true);
        const strings = Array.from({ length: 50_000 }, (_, i) => `s${i}`);
        s.overrides.echoListString = () => strings;
        expect(k.roundtripListString(['a']).join(',')).toBe(strings.join(','));
        s.overrides.echoPerson = () => ({ name: 'n'.repeat(2_000_000), age: 1, scores: u, home: { x: 1, y: 2 } });
        const p = k.roundtripPerson(person);
        expect([p.name.length, p.scores.length, p.scores[999_999], p.home]).toEqual([2_000_000, 1_000_000, 2_999_997, { x: 1, y: 2 }]);
      });

      it('the answer is what the host returned, not the argument', () => {
        const answers: [string, HostEcho, unknown, (v: any) => unknown][] = [
          ['roundtripBool', 'echoBool', true, (v) => !v],
          ['roundtripS8', 'echoS8', 5, (v) => -v - 1],
          ['roundtripU64', 'echoU64', 1n, (v) => v + 2n ** 63n],
          ['roundtripF32', 'echoF32', 1, () => 0.1],
          ['roundtripF64', 'echoF64', 1, (v) => v / 3],
          ['roundtripChar', 'echoChar', 'a', () => '😀'],
          ['roundtripString', 'echoString', 'short', (v) => v.repeat(10_000) + '😀'],
          ['roundtripListU32', 'echoListU32', [1, 2], (v) => [...v, 3, 0xffff_ffff]],
          ['roundtripListString', 'echoListString', ['a'], (v) => [...v, 'b', '']],
          ['roundtripMixed', 'echoMixed', ROUNDTRIPS[9]![2][0], (v) => ({ ...v, g: 'é', b: 7n })],
          ['roundtripPerson', 'echoPerson', person, (v) => ({ ...v, scores: [9, 8, 7, 6], home: null })],
          ['roundtripShape', 'echoShape', { tag: 'nothing' }, () => ({ tag: 'named', val: 'from the host' })],
          ['roundtripNumber', 'echoNumber', { tag: 'none' }, () => ({ tag: 'float', val: 0.1 })],
          ['roundtripReal', 'echoReal', { tag: 'single', val: 1 }, () => ({ tag: 'double', val: 0.1 })],
          ['roundtripColor', 'echoColor', 'red', () => 'blue'],
          ['roundtripWide', 'echoWide', 'e0', () => 'e256'],
          ['roundtripFlags32', 'echoFlags32', {}, () => ({ b31: true, b1: true })],
          ['roundtripOptionString', 'echoOptionString', 'x', () => null],
          ['roundtripOptionOptionU32', 'echoOptionOptionU32', { tag: 'none' }, () => ({ tag: 'some', val: 3 })],
          ['roundtripResultPointString', 'echoResultPointString', { tag: 'err', val: 'e' }, () => ({ x: 5, y: 6 })],
          ['roundtripTuple', 'echoTuple', [1, 'a', 1], () => [2, 'bé', 2.5]],
          ['roundtripFixedU32', 'echoFixedU32', [1, 2, 3, 4], (v) => [...v].reverse()],
          ['roundtripMap', 'echoMap', new Map([['a', 1]]), () => new Map([['b', 2], ['c', 3]])],
          ['roundtripNested', 'echoNested', nested, (v) => ({ ...v, people: [...v.people, person], wide: 'e1' })],
        ];
        const normalize: Record<string, (x: any) => unknown> = {
          roundtripF32: (x) => Math.fround(x),
          roundtripListU32: (x) => new Uint32Array(x),
          roundtripPerson: (x) => ({ ...x, scores: new Uint32Array(x.scores), home: undefined }),
          roundtripNumber: (x) => ({ ...x, val: Math.fround(x.val) }),
          roundtripFlags32: (x) => ({ ...flags32([]), ...x }),
          roundtripOptionString: () => undefined,
        };
        for (const [fn, host, arg, answer] of answers) {
          s.overrides[host] = answer;
          const expected = (normalize[fn] ?? ((x) => x))(answer(arg));
          const out = k[fn](arg);
          expect(out, fn).toEqual(expected);
          if (out instanceof Map) expect([...out]).toEqual([...(expected as Map<unknown, unknown>)]);
        }
      });
    });

    describe('self-test: the guest checks the host echoes itself', () => {
      it('passes (an empty list) and calls every host echo', () => {
        expect(k.selfTest()).toEqual([]);
        expect(new Set(s.calls.map(([name]) => name))).toEqual(new Set(HOST_ECHOES));
      });

      it('reports the host answers that are wrong', () => {
        s.overrides.echoColor = () => 'red';
        s.overrides.echoWide = () => 'e0';
        expect(k.selfTest()).toEqual(['echo-color: blue', 'echo-wide: e256']);
      });
    });

    describe('world-level functions', () => {
      it('log-message calls the world-level `log` import and returns the UTF-8 length', () => {
        expect(k.logMessage('héllo 🚀')).toBe(Buffer.byteLength('héllo 🚀'));
        expect(k.logMessage('')).toBe(0);
        expect(s.logs).toEqual(['héllo 🚀', '']);
      });

      it('greet (a world-level export) logs through the world-level import', () => {
        expect(s.ex.greet('Wörld')).toBe('Hello, Wörld!');
        expect(s.ex.greet('')).toBe('Hello, !');
        expect(s.logs).toEqual(['greet Wörld', 'greet ']);
      });

      it('init-count: the C constructor ran once (_initialize was called)', () => {
        expect(s.ex.initCount()).toBe(1);
      });
    });

    describe('a host returning a wrong value: a clean error naming the path, then the instance is unusable', () => {
      if (mode === 'jco') {
        it('(the jco table covers every case)', () => {
          expect(JCO_WRONG_HOST_VALUES).toHaveLength(WRONG_HOST_VALUES.length);
        });
        WRONG_HOST_VALUES.forEach(([fn, host, arg, bad], i) => {
          const j = JCO_WRONG_HOST_VALUES[i]!;
          it(`${fn}: host.${host} returns ${renderBad(bad)}: jco ${'returns' in j ? 'lowers it silently' : 'throws without the path'}, and the instance stays usable`, () => {
            s.overrides[host] = () => bad;
            const before = s.ex.allocatedBytes();
            expectJcoOutcome(j, () => k[fn](arg));
            expect(s.calls).toEqual([[host, [arg]]]);
            const leaked = s.ex.allocatedBytes() - before;
            expect(leaked).toBe(('leaks' in j && j.leaks) || 0);
            s.baseline += leaked;
            expect(s.ex.initCount()).toBe(1);
          });
        });
      }

      for (const [fn, host, arg, bad, Err, message] of mode === 'jco' ? [] : WRONG_HOST_VALUES) {
        it(`${fn}: host.${host} returns ${Err.name === 'RangeError' ? 'an out-of-range' : 'a mistyped'} value (${String(message).slice(0, 60)})`, async () => {
          const t = await kitchenSink(mode);
          t.overrides[host] = () => bad;
          let thrown: unknown;
          try {
            t.ex.calls[fn](arg);
          } catch (err) {
            thrown = err;
          }
          expect(thrown).toBeInstanceOf(Err);
          if (typeof message === 'string') expect((thrown as Error).message).toBe(message);
          else expect((thrown as Error).message).toMatch(message);
          expect(t.calls).toEqual([[host, [arg]]]);
          // The guest was stopped in the middle of a call: the instance refuses further calls.
          expect(() => t.ex.initCount()).toThrow(Trap);
          expect(() => t.ex.echoes.echoU32(1)).toThrow(/trapped earlier/);
        });
      }

      if (mode !== 'jco') {
        it('roundtripResultPointString: host.echoResultPointString throws a ComponentError whose payload is mistyped', async () => {
          const t = await kitchenSink(mode);
          t.overrides.echoResultPointString = () => {
            throw new ComponentError(5);
          };
          expect(() => t.ex.calls.roundtripResultPointString({ tag: 'ok', val: { x: 1, y: 2 } })).toThrow(
            new TypeError('echoResultPointString() ComponentError payload: expected string, got number'),
          );
          expect(() => t.ex.initCount()).toThrow(/trapped earlier/);
        });
      }
    });

    describe('a host import throwing: the instance traps and refuses further calls', () => {
      it('an Error thrown by the host comes out of the export as a Trap naming the import, then the instance is poisoned', async () => {
        const t = await kitchenSink(mode);
        const boom = new Error('host failure');
        t.overrides.echoString = () => {
          throw boom;
        };
        if (mode !== 'jco') {
          const e = thrownBy(() => t.ex.calls.roundtripString('x'));
          expect(e).toBeInstanceOf(Trap);
          expect(e.message).toBe('wasm trap: the host import `test:kitchen-sink/host#echo-string` threw Error: host failure');
          expect(e.cause).toBe(boom);
        } else expect(() => t.ex.calls.roundtripString('x')).toThrow(boom);
        if (mode === 'jco') {
          // jco lets the exception unwind the guest's frames and keeps the instance: the next
          // call runs again (the canonical ABI traps, and witbind poisons the instance).
          expect(() => t.ex.calls.roundtripString('x')).toThrow(boom);
          expect(t.ex.initCount()).toBe(1);
          expect(t.calls).toHaveLength(2);
          return;
        }
        expect(() => t.ex.calls.roundtripString('x')).toThrow(Trap);
        expect(() => t.ex.allocatedBytes()).toThrow('wasm trap: the instance trapped earlier and cannot be used');
        expect(t.calls).toHaveLength(1);
      });

      it('a non-ComponentError from an import returning result traps too (only ComponentError means err)', async () => {
        const t = await kitchenSink(mode);
        t.overrides.echoResultPointString = () => {
          throw new TypeError('not a ComponentError');
        };
        expect(() => t.ex.calls.roundtripResultPointString({ tag: 'ok', val: { x: 1, y: 1 } })).toThrow(
          mode === 'jco'
            ? new TypeError('not a ComponentError')
            : new Trap('the host import `test:kitchen-sink/host#echo-result-point-string` threw TypeError: not a ComponentError'),
        );
        // jco: the same error, and the instance is kept (see above).
        if (mode === 'jco') expect(t.ex.greet('x')).toBe('Hello, x!');
        else expect(() => t.ex.greet('x')).toThrow(/trapped earlier/);
      });

      it('a ComponentError from an import whose result is not a `result` is a foreign exception: it traps', async () => {
        const t = await kitchenSink(mode);
        t.overrides.echoString = () => {
          throw new ComponentError('not allowed here');
        };
        if (mode !== 'jco') {
          const e = thrownBy(() => t.ex.calls.roundtripString('x'));
          expect(e).toBeInstanceOf(Trap);
          expect(e.message).toBe(
            'wasm trap: the host import `test:kitchen-sink/host#echo-string` threw ComponentError: component error: not allowed here (only an import whose result is a `result` may throw ComponentError)',
          );
          expect(e.cause).toBeInstanceOf(ComponentError);
        } else expect(() => t.ex.calls.roundtripString('x')).toThrow(ComponentError);
        // jco: the same error, and the instance is kept (see above).
        if (mode === 'jco') expect(() => t.ex.calls.roundtripString('x')).toThrow(ComponentError);
        else expect(() => t.ex.calls.roundtripString('x')).toThrow(/trapped earlier/);
      });

      it('the world-level `log` throwing poisons the instance too', async () => {
        const t = await kitchenSink(mode);
        t.overrides.log = () => {
          throw new RangeError('log full');
        };
        expect(() => t.ex.greet('x')).toThrow(
          mode === 'jco' ? new RangeError('log full') : new Trap('the host import `log` threw RangeError: log full'),
        );
        // jco: the same error, and the instance is kept (see above).
        if (mode === 'jco') expect(t.ex.initCount()).toBe(1);
        else expect(() => t.ex.calls.logMessage('x')).toThrow(/trapped earlier/);
      });

      it('a host import calling back into the instance (reentrance) traps', async () => {
        const t = await kitchenSink(mode);
        t.overrides.echoString = (v: string) => t.ex.echoes.echoString(v);
        if (mode === 'jco') {
          // jco lets the host re-enter the instance it was called from (the canonical ABI
          // forbids it: the instance may not be entered while on the stack; witbind traps).
          expect(t.ex.calls.roundtripString('x')).toBe('x');
          return;
        }
        expect(() => t.ex.calls.roundtripString('x')).toThrow(Trap);
        expect(() => t.ex.calls.roundtripString('x')).toThrow(/trapped earlier/);
      });
    });
  });
}

/** A short rendering of a wrong host answer for a test name. */
function renderBad(v: unknown): string {
  const s = typeof v === 'bigint' ? `${v}n` : typeof v === 'string' ? JSON.stringify(v) : v instanceof Map ? 'a Map' : ArrayBuffer.isView(v) ? v.constructor.name : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
  return s === undefined ? 'undefined' : s.length > 40 ? `${s.slice(0, 39)}…` : s;
}
