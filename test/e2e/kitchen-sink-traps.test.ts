/**
 * The error paths of the kitchen-sink guest through generated bindings:
 * - `traps.*` (and `compute.char-from-code` / `compute.wide-from-index` with invalid input) return
 *   values that break the canonical ABI; lifting them must throw a `Trap` naming the reason, after
 *   which the instance refuses every further call;
 * - host values that do not belong to the WIT type are rejected with a `TypeError`/`RangeError`
 *   naming the argument path *before the guest is touched*: nothing is allocated in the guest
 *   (its `allocated-bytes` is unchanged) and the instance stays usable.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Trap } from '../../src/runtime/index.js';
import { kitchenSink, type Sink } from '../support/kitchen-sink.js';

describe('traps: invalid values returned by the guest', () => {
  const TRAPS: [string, (ex: any) => unknown, string][] = [
    ['bad-char-surrogate (0xD800)', (ex) => ex.traps.badCharSurrogate(), 'invalid char'],
    ['bad-char-range (0x110000)', (ex) => ex.traps.badCharRange(), 'invalid char'],
    ['char-from-code(0xDFFF)', (ex) => ex.compute.charFromCode(0xdfff), 'invalid char'],
    ['char-from-code(0x110000)', (ex) => ex.compute.charFromCode(0x110000), 'invalid char'],
    ['char-from-code(0xFFFFFFFF)', (ex) => ex.compute.charFromCode(0xffff_ffff), 'invalid char'],
    ['bad-enum (flat discriminant 3 of 3 cases)', (ex) => ex.traps.badEnum(), 'invalid discriminant 3'],
    ['wide-from-index(257)', (ex) => ex.compute.wideFromIndex(257), 'invalid discriminant 257'],
    ['wide-from-index(65535)', (ex) => ex.compute.wideFromIndex(65535), 'invalid discriminant 65535'],
    ['bad-option (discriminant 3 in memory)', (ex) => ex.traps.badOption(), 'invalid discriminant 3'],
    ['bad-variant (discriminant 8 in memory)', (ex) => ex.traps.badVariant(), 'invalid discriminant 8'],
    ['bad-wide-in-list (257 in the second element)', (ex) => ex.traps.badWideInList(), 'invalid discriminant 257'],
    ['bad-utf8 (C3 28)', (ex) => ex.traps.badUtf8(), 'invalid utf-8'],
    ['bad-string-bounds', (ex) => ex.traps.badStringBounds(), 'string out of bounds'],
    ['bad-list-align (list<u32> at 2 mod 4)', (ex) => ex.traps.badListAlign(), 'list misaligned'],
    ['bad-list-align-empty (0 elements: still checked)', (ex) => ex.traps.badListAlignEmpty(), 'list misaligned'],
    ['bad-retptr-align (4 mod 8)', (ex) => ex.traps.badRetptrAlign(), 'pointer misaligned'],
    ['bad-handle (never created)', (ex) => ex.traps.badHandle(), 'unknown handle'],
  ];

  for (const [name, call, reason] of TRAPS) {
    it(`${name}: Trap "${reason}", then the instance refuses further calls`, async () => {
      const { ex } = await kitchenSink();
      let thrown: unknown;
      try {
        call(ex);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(Trap);
      expect(thrown).toBeInstanceOf(WebAssembly.RuntimeError);
      expect((thrown as Trap).reason).toBe(reason);
      expect((thrown as Trap).message).toBe(`wasm trap: ${reason}`);
      for (const again of [() => ex.initCount(), () => ex.echoes.echoString('x'), () => call(ex)]) {
        expect(again).toThrow(new Trap('the instance trapped earlier and cannot be used'));
      }
    });
  }

  it('the functions that trap on bad input work on good input', async () => {
    const { ex, baseline } = await kitchenSink();
    expect(ex.compute.charFromCode(0xd7ff)).toBe('\ud7ff');
    expect(ex.compute.wideFromIndex(256)).toBe('e256');
    expect(ex.allocatedBytes()).toBe(baseline);
  });
});

describe('host values are rejected with their path before the guest is touched', () => {
  let s: Sink;

  beforeAll(async () => {
    s = await kitchenSink();
  });

  afterEach(() => {
    // Nothing was allocated for the arguments validated before the failing one, and the
    // instance is still usable.
    expect(s.ex.allocatedBytes()).toBe(s.baseline);
    expect(s.ex.echoes.echoU32(7)).toBe(7);
    expect(s.calls).toEqual([]);
  });

  const person = { name: 'Ann', age: 30, scores: [1, 2], home: { x: 1, y: 2 } };
  const nested = {
    fixed: [1, 2],
    opt: { tag: 'none' },
    res: { tag: 'ok', val: { x: 1, y: 2 } },
    shape: { tag: 'nothing' },
    fl: {},
    wide: 'e0',
    dict: new Map([[1, 'one']]),
    people: [person],
    color: 'red',
  };

  /** [call, error class, message (string: exact; RegExp: match)] */
  const REJECTED: [string, (ex: any) => unknown, ErrorConstructor, string | RegExp][] = [
    ['bool', (ex) => ex.echoes.echoBool(1), TypeError, 'v: expected bool, got number'],
    ['u8 too big', (ex) => ex.echoes.echoU8(256), RangeError, 'v: expected u8 (an integer in [0, 255]), got 256'],
    ['u8 negative', (ex) => ex.echoes.echoU8(-1), RangeError, 'v: expected u8 (an integer in [0, 255]), got -1'],
    ['s8 not an integer', (ex) => ex.echoes.echoS8(1.5), RangeError, 'v: expected s8 (an integer in [-128, 127]), got 1.5'],
    ['u16 NaN', (ex) => ex.echoes.echoU16(NaN), RangeError, 'v: expected u16 (an integer in [0, 65535]), got NaN'],
    ['s16 too small', (ex) => ex.echoes.echoS16(-32769), RangeError, 'v: expected s16 (an integer in [-32768, 32767]), got -32769'],
    ['u32 as a string', (ex) => ex.echoes.echoU32('1'), TypeError, 'v: expected u32, got string'],
    ['u32 2^32', (ex) => ex.echoes.echoU32(2 ** 32), RangeError, 'v: expected u32 (an integer in [0, 4294967295]), got 4294967296'],
    ['s32 -0 is fine but Infinity is not', (ex) => ex.echoes.echoS32(Infinity), RangeError, 'v: expected s32 (an integer in [-2147483648, 2147483647]), got Infinity'],
    ['u64 as a number', (ex) => ex.echoes.echoU64(1), TypeError, 'v: expected u64 as a bigint, got number 1'],
    ['u64 2^64', (ex) => ex.echoes.echoU64(2n ** 64n), RangeError, 'v: expected u64 (an integer in [0, 18446744073709551615]), got 18446744073709551616'],
    ['s64 below min', (ex) => ex.echoes.echoS64(-(2n ** 63n) - 1n), RangeError, 'v: expected s64 (an integer in [-9223372036854775808, 9223372036854775807]), got -9223372036854775809'],
    ['f32 as a bigint', (ex) => ex.echoes.echoF32(1n), TypeError, 'v: expected f32, got bigint'],
    ['f64 as a string', (ex) => ex.echoes.echoF64('1.5'), TypeError, 'v: expected f64, got string'],
    ['char: two scalars', (ex) => ex.echoes.echoChar('ab'), TypeError, 'v: expected char (one Unicode scalar value), got "ab"'],
    ['char: empty', (ex) => ex.echoes.echoChar(''), TypeError, 'v: expected char (one Unicode scalar value), got ""'],
    ['char: a lone surrogate', (ex) => ex.echoes.echoChar('\udfff'), TypeError, 'v: expected char (one Unicode scalar value), got "\\udfff"'],
    ['char: a number', (ex) => ex.echoes.echoChar(65), TypeError, 'v: expected char, got number'],
    ['string: lone surrogate', (ex) => ex.echoes.echoString('ok\ud83d'), TypeError, 'v: expected string of Unicode scalar values, got a string with a lone surrogate'],
    ['string: null', (ex) => ex.echoes.echoString(null), TypeError, 'v: expected string, got null'],
    ['echo-ints: the 7th param', (ex) => ex.echoes.echoInts(0, 0, 0, 0, 0, 0, -1n, 0n), RangeError, /^g: expected u64 /],
    ['list<u8>: an element out of range', (ex) => ex.echoes.echoListU8([1, 2, 256]), RangeError, /^v\[2\]: expected u8 .*got 256$/],
    ['list<u8>: the wrong typed array', (ex) => ex.echoes.echoListU8(new Int8Array(2)), TypeError, 'v: expected Uint8Array or array, got Int8Array'],
    ['list<s64>: a number element', (ex) => ex.echoes.echoListS64([1n, 2]), TypeError, 'v[1]: expected s64 as a bigint, got number 2'],
    ['list<f32>: a string element', (ex) => ex.echoes.echoListF32([1, '2']), TypeError, 'v[1]: expected f32, got string'],
    ['list<u32>: not a list', (ex) => ex.echoes.echoListU32(new Set([1])), TypeError, 'v: expected Uint32Array or array, got Set'],
    ['list<string>: the last element', (ex) => ex.echoes.echoListString(['a', 'b', '\ud800']), TypeError, 'v[2]: expected string of Unicode scalar values, got a string with a lone surrogate'],
    ['list<bool>', (ex) => ex.echoes.echoListBool([true, 0]), TypeError, 'v[1]: expected bool, got number'],
    ['list<char>', (ex) => ex.echoes.echoListChar(['a', 'bc']), TypeError, 'v[1]: expected char (one Unicode scalar value), got "bc"'],
    ['list<point>: a missing field', (ex) => ex.echoes.echoListPoint([{ x: 1, y: 2 }, { x: 1 }]), TypeError, 'v[1].y: expected s32, got undefined'],
    ['list<person>: deep in the last person', (ex) => ex.echoes.echoListPerson([person, person, { ...person, scores: [1, -2] }]), RangeError, /^v\[2\]\.scores\[1\]: expected u32 .*got -2$/],
    ['list<list<u8>>', (ex) => ex.echoes.echoListListU8([[1], [2, 300]]), RangeError, /^v\[1\]\[1\]: expected u8 .*got 300$/],
    ['list<shape>: an unknown case', (ex) => ex.echoes.echoListShape([{ tag: 'nothing' }, { tag: 'square' }]), TypeError, /^v\[1\]\.tag: expected 'nothing' \| 'small' \| .*, got string$/],
    ['list<wide>: e257', (ex) => ex.echoes.echoListWide(['e0', 'e257']), TypeError, /^v\[1\]: expected .*, got string$/],
    ['list<option<u32>>', (ex) => ex.echoes.echoListOptionU32([1, undefined, -1]), RangeError, /^v\[2\]: expected u32 .*got -1$/],
    ['list<string, 2>: wrong length', (ex) => ex.echoes.echoFixedStrings(['a']), TypeError, 'v: expected list of length 2, got array'],
    ['list<point, 3>: not an array', (ex) => ex.echoes.echoFixedPoints('abc'), TypeError, /^v: expected .*, got string$/],
    ['tuple: wrong length', (ex) => ex.echoes.echoTuple([1, 'a']), TypeError, /^v: expected .*, got array$/],
    ['tuple: a bad element', (ex) => ex.echoes.echoTuple([1, 'a', 'b']), TypeError, 'v[2]: expected f64, got string'],
    ['record: null', (ex) => ex.echoes.echoPoint(null), TypeError, /^v: expected record `point`, got null$/],
    ['record: nested field', (ex) => ex.echoes.echoLine({ start: { x: 1, y: 2 }, end: { x: 1, y: 2.5 }, label: 'l' }), RangeError, /^v\.end\.y: expected s32 .*got 2\.5$/],
    ['record: the string field', (ex) => ex.echoes.echoLine({ start: { x: 1, y: 2 }, end: { x: 1, y: 2 }, label: 3 }), TypeError, 'v.label: expected string, got number'],
    ['mixed: the char field', (ex) => ex.echoes.echoMixed({ a: true, b: 1n, c: 1, d: 1, e: 1, f: 1, g: '😀😀' }), TypeError, /^v\.g: expected char/],
    ['mixed: the u64 field', (ex) => ex.echoes.echoMixed({ a: true, b: 1, c: 1, d: 1, e: 1, f: 1, g: 'a' }), TypeError, 'v.b: expected u64 as a bigint, got number 1'],
    ['person: home', (ex) => ex.echoes.echoPerson({ ...person, home: { x: 'a', y: 1 } }), TypeError, 'v.home.x: expected s32, got string'],
    ['variant: not an object', (ex) => ex.echoes.echoShape('circle'), TypeError, /^v: expected variant `shape`, got string$/],
    ['variant: a payload of the wrong type', (ex) => ex.echoes.echoShape({ tag: 'big', val: 1 }), TypeError, 'v.val: expected u64 as a bigint, got number 1'],
    ['variant: a tuple payload', (ex) => ex.echoes.echoShape({ tag: 'segment', val: [1, -1] }), RangeError, /^v\.val\[1\]: expected u32 .*got -1$/],
    ['variant: a string payload', (ex) => ex.echoes.echoShape({ tag: 'named', val: '\udc00' }), TypeError, /^v\.val: expected string of Unicode scalar values/],
    ['variant number: float as bigint', (ex) => ex.echoes.echoNumber({ tag: 'float', val: 1n }), TypeError, 'v.val: expected f32, got bigint'],
    ['variant real: unknown tag', (ex) => ex.echoes.echoReal({ tag: 'triple', val: 1 }), TypeError, /^v\.tag: expected 'single' \| 'double', got string$/],
    ['enum: unknown case', (ex) => ex.echoes.echoColor('purple'), TypeError, /^v: expected .*'red'.*, got string$/],
    ['enum: a number', (ex) => ex.echoes.echoWide(3), TypeError, /^v: expected .*, got number$/],
    ['flags: not an object', (ex) => ex.echoes.echoFlags8(0xff), TypeError, 'v: expected flags `flags8`, got number'],
    ['option<u32>', (ex) => ex.echoes.echoOptionU32(-1), RangeError, /^v: expected u32 .*got -1$/],
    ['option<point>', (ex) => ex.echoes.echoOptionPoint({ x: 1 }), TypeError, 'v.y: expected s32, got undefined'],
    ['option<option<u32>>: untagged', (ex) => ex.echoes.echoOptionOptionU32(5), TypeError, /^v: expected .*, got number$/],
    ['option<option<string>>: inner value', (ex) => ex.echoes.echoOptionOptionString({ tag: 'some', val: 5 }), TypeError, 'v.val: expected string, got number'],
    ['result: unknown tag', (ex) => ex.echoes.echoResultOkU32({ tag: 'error', val: 1 }), TypeError, /^v\.tag: expected 'ok' or 'err', got string$/],
    ['result: ok payload', (ex) => ex.echoes.echoResultStringColor({ tag: 'ok', val: 1 }), TypeError, 'v.val: expected string, got number'],
    ['result: err payload', (ex) => ex.echoes.echoResultStringColor({ tag: 'err', val: 'pink' }), TypeError, /^v\.val: expected .*'red'.*, got string$/],
    ['option<result>: deep', (ex) => ex.echoes.echoOptionResult({ tag: 'ok', val: 'x' }), TypeError, 'v.val: expected u32, got string'],
    ['map: a plain object', (ex) => ex.echoes.echoMap({ a: 1 }), TypeError, /^v: expected Map.*, got object$/],
    ['map: a bad value', (ex) => ex.echoes.echoMap(new Map([['a', 1], ['b', -1]])), RangeError, /^v.*: expected u32 .*got -1$/],
    ['map: a bad key', (ex) => ex.echoes.echoMapU32String(new Map([['1', 'one']])), TypeError, /^v.*: expected u32, got string$/],
    ['nested: deep in a person', (ex) => ex.echoes.echoNested({ ...nested, people: [person, { ...person, name: 1 }] }), TypeError, 'v.people[1].name: expected string, got number'],
    ['nested: the fixed list', (ex) => ex.echoes.echoNested({ ...nested, fixed: [1] }), TypeError, 'v.fixed: expected list of length 2, got array'],
    ['nested: the inner option', (ex) => ex.echoes.echoNested({ ...nested, opt: { tag: 'some', val: 3 } }), TypeError, 'v.opt.val: expected string, got number'],
    ['nested: the last field', (ex) => ex.echoes.echoNested({ ...nested, color: 'pink' }), TypeError, /^v\.color: expected .*, got string$/],
    ['compute.repeat: the second param', (ex) => ex.compute.repeat('a string that would be allocated', -1), RangeError, /^n: expected u32 .*got -1$/],
    ['compute.join: after a valid list', (ex) => ex.compute.join(['a', 'b'], 5), TypeError, 'sep: expected string, got number'],
    ['compute.join: in the list', (ex) => ex.compute.join(['a', 'b', 5], ','), TypeError, 'parts[2]: expected string, got number'],
    ['compute.split: the char', (ex) => ex.compute.split('a,b', ',,'), TypeError, /^sep: expected char/],
    ['compute.make-person: the age', (ex) => ex.compute.makePerson('Ann', 300), RangeError, /^age: expected u8 .*got 300$/],
    ['compute.oldest: a person', (ex) => ex.compute.oldest([person, 'Bob']), TypeError, /^people\[1\]: expected record `person`, got string$/],
    ['calls.roundtrip-person: before the host is called', (ex) => ex.calls.roundtripPerson({ ...person, scores: [0.5] }), RangeError, /^v\.scores\[0\]: expected u32 .*got 0\.5$/],
    ['greet: a world-level export', (ex) => ex.greet(undefined), TypeError, 'name: expected string, got undefined'],
  ];

  for (const [name, call, Err, message] of REJECTED) {
    it(name, () => {
      let thrown: unknown;
      try {
        call(s.ex);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(Err);
      expect(thrown).not.toBeInstanceOf(Trap);
      if (typeof message === 'string') expect((thrown as Error).message).toBe(message);
      else expect((thrown as Error).message).toMatch(message);
    });
  }
});
