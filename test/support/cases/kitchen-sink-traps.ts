/**
 * The error paths of the kitchen-sink guest through generated bindings:
 * - `traps.*` (and `compute.char-from-code` / `compute.wide-from-index` with invalid input) return
 *   values that break the canonical ABI; lifting them must throw a `Trap` naming the reason, after
 *   which the instance refuses every further call;
 * - host values that do not belong to the WIT type are rejected with a `TypeError`/`RangeError`
 *   naming the argument path *before the guest is touched*: nothing is allocated in the guest
 *   (its `allocated-bytes` is unchanged) and the instance stays usable.
 *
 * One suite for every hosting mode (test/support/modes.ts): run on the core module by
 * test/e2e/, on the component through witbind and side by side through jco by test/component/.
 * Where jco behaves differently, the `mode === 'jco'` branch asserts exactly what it does.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Trap } from '../../../src/runtime/index.js';
import { kitchenSink, type Sink } from '../kitchen-sink.js';
import type { Mode } from '../modes.js';
import { expectJcoOutcome, thrownBy, type JcoOutcome } from '../outcome.js';

/** Guest functions returning values that break the canonical ABI: [name, call, trap reason]. */
export const TRAPS: [string, (ex: any) => unknown, string][] = [
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
/** Host values that do not belong to the WIT type: [name, call, error class, message]. */
export const REJECTED: [string, (ex: any) => unknown, ErrorConstructor, string | RegExp][] = [
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

/**
 * What jco 1.35 does instead (each case of the tables above; checked side by side in
 * test/component/e2e-kitchen-sink-traps.test.ts):
 * - `returns`: it accepts the value silently: a number wrapped or truncated (`>>> 0`,
 *   `BigInt.asUintN`, `% 2**8`), a string coerced to a number, a number turned into a bigint, a
 *   lone surrogate encoded as U+FFFD, a char cut to its first scalar value (or `''` to U+0000), a
 *   missing field or element lowered as 0 or NaN, lengths of fixed lists and tuples not checked —
 *   and the guest computes with what it got;
 * - `throws`: it rejects it, but without the argument's path, sometimes with a JS engine error;
 *   `leaks`: the bytes of guest memory it had already allocated for the value when it failed
 *   half-way through lowering (never freed: witbind validates the whole value first);
 * - `traps`: the wrapped value made the guest trap, after which jco refuses the instance.
 * For guest values that break the ABI (TRAPS), jco throws a TypeError/RangeError (not a trap)
 * or returns a value, and the instance stays usable — the canonical ABI says trap, and witbind
 * traps and poisons the instance.
 */
const flags12 = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`b${i}`, false]));
const NOT_A_STRING = (what: string) => `expected a string, received [${what}]`;

export const JCO_TRAPS: Readonly<Record<string, JcoOutcome>> = {
  'bad-char-surrogate (0xD800)': { throws: TypeError, message: 'not a valid char' },
  'bad-char-range (0x110000)': { throws: TypeError, message: 'not a valid char' },
  'char-from-code(0xDFFF)': { throws: TypeError, message: 'not a valid char' },
  'char-from-code(0x110000)': { throws: TypeError, message: 'not a valid char' },
  'char-from-code(0xFFFFFFFF)': { throws: RangeError, message: 'Invalid code point -1' },
  'bad-enum (flat discriminant 3 of 3 cases)': { throws: TypeError, message: 'invalid discriminant specified for Color' },
  'wide-from-index(257)': { throws: TypeError, message: 'invalid discriminant specified for Wide' },
  'wide-from-index(65535)': { throws: TypeError, message: 'invalid discriminant specified for Wide' },
  'bad-option (discriminant 3 in memory)': { throws: TypeError, message: 'invalid variant discriminant for option' },
  'bad-variant (discriminant 8 in memory)': { throws: TypeError, message: 'invalid variant discriminant for Shape' },
  'bad-wide-in-list (257 in the second element)': { throws: TypeError, message: 'invalid discriminant specified for Wide' },
  // Decoded with a non-fatal TextDecoder: the invalid byte becomes U+FFFD.
  'bad-utf8 (C3 28)': { returns: '\ufffd(' },
  'bad-string-bounds': { throws: RangeError, message: 'Invalid typed array length: 10' },
  'bad-list-align (list<u32> at 2 mod 4)': { throws: TypeError, message: /^list pointer \[\d+\] is not aligned to 4$/ },
  'bad-list-align-empty (0 elements: still checked)': { throws: TypeError, message: /^list pointer \[\d+\] is not aligned to 4$/ },
  // The misaligned return pointer is read anyway.
  'bad-retptr-align (4 mod 8)': { returns: [0n, 0n] },
  // Checked in the suite: an Accumulator object for a handle that does not exist.
  'bad-handle (never created)': { returns: 'an Accumulator' },
};

export const JCO_REJECTED: Readonly<Record<string, JcoOutcome>> = {
  // jco lowers the number 1 as true; what throws is its bool lift (see the echoes suite).
  bool: { throws: TypeError, message: 'invalid variant discriminant for bool' },
  // The small integers are wrapped (`% 2**8`) on the way in; what throws is jco's lift, which
  // range-checks the junk bits this guest returns (see the echoes suite).
  'u8 too big': { throws: TypeError, message: 'must be between 0 and 255' },
  'u8 negative': { throws: TypeError, message: 'must be between 0 and 255' },
  's8 not an integer': { throws: TypeError, message: 'must be between -128 and 127' },
  'u16 NaN': { throws: TypeError, message: 'must be between 0 and 65535' },
  's16 too small': { throws: TypeError, message: 'must be between -32768 and 32767' },
  'u32 as a string': { returns: 1 },
  'u32 2^32': { returns: 0 },
  's32 -0 is fine but Infinity is not': { returns: 0 },
  'u64 as a number': { returns: 1n },
  'u64 2^64': { returns: 0n },
  's64 below min': { returns: 2n ** 63n - 1n },
  'f32 as a bigint': { throws: TypeError, message: 'Cannot convert a BigInt value to a number' },
  'f64 as a string': { returns: 1.5 },
  'char: two scalars': { returns: 'a' },
  'char: empty': { returns: '\0' },
  'char: a lone surrogate': { throws: TypeError, message: 'not a valid char' },
  'char: a number': { throws: TypeError, message: 'must be a string' },
  'string: lone surrogate': { returns: 'ok\ufffd' },
  'string: null': { throws: TypeError, message: NOT_A_STRING('object') },
  'echo-ints: the 7th param': { returns: [0, 0, 0, 0, 0, 0, 2n ** 64n - 1n, 0n] },
  'list<u8>: an element out of range': { throws: TypeError, message: 'invalid u8 value [256]', leaks: 11 },
  // An Int8Array for a list<u8>: its bytes are taken as they are.
  'list<u8>: the wrong typed array': { returns: new Uint8Array([0, 0]) },
  'list<s64>: a number element': { throws: TypeError, message: 'invalid s64 value [2]', leaks: 24 },
  'list<f32>: a string element': { throws: TypeError, message: 'invalid f32 value [2]', leaks: 16 },
  'list<u32>: not a list': { throws: RangeError, message: 'offset is out of bounds' },
  'list<string>: the last element': { returns: ['a', 'b', '\ufffd'] },
  'list<bool>': { returns: [true, false] },
  'list<char>': { returns: ['a', 'b'] },
  'list<point>: a missing field': { returns: [{ x: 1, y: 2 }, { x: 1, y: 0 }] },
  'list<person>: deep in the last person': { throws: TypeError, message: 'invalid u32 value [-2]', leaks: 185 },
  'list<list<u8>>': { throws: TypeError, message: 'invalid u8 value [300]', leaks: 43 },
  'list<shape>: an unknown case': {
    throws: TypeError,
    message: 'invalid variant tag value `"square"` (received `[object Object]`) specified for `Shape`',
    leaks: 40,
  },
  'list<wide>: e257': { throws: TypeError, message: '"e257" is not one of the cases of wide', leaks: 12 },
  'list<option<u32>>': { returns: [1, undefined, 0xffff_ffff] },
  'list<string, 2>: wrong length': { throws: TypeError, message: NOT_A_STRING('undefined'), leaks: 9 },
  // A string for a list<point, 3>: its first three characters are read as points.
  'list<point, 3>: not an array': { returns: [{ x: 0, y: 0 }, { x: 0, y: 0 }, { x: 0, y: 0 }] },
  'tuple: wrong length': { returns: [1, 'a', NaN] },
  'tuple: a bad element': { returns: [1, 'a', NaN] },
  'record: null': { throws: TypeError, message: "Cannot destructure property 'x' of 'arg0' as it is null." },
  'record: nested field': { returns: { start: { x: 1, y: 2 }, end: { x: 1, y: 2 }, label: 'l' } },
  'record: the string field': { throws: TypeError, message: NOT_A_STRING('number') },
  'mixed: the char field': { returns: { a: true, b: 1n, c: 1, d: 1, e: 1, f: 1, g: '😀' } },
  'mixed: the u64 field': { returns: { a: true, b: 1n, c: 1, d: 1, e: 1, f: 1, g: 'a' } },
  'person: home': { returns: { name: 'Ann', age: 30, scores: new Uint32Array([1, 2]), home: { x: 0, y: 1 } } },
  'variant: not an object': {
    throws: TypeError,
    message: 'invalid variant tag value `undefined` (received `circle`) specified for `Shape`',
  },
  'variant: a payload of the wrong type': { returns: { tag: 'big', val: 1n } },
  'variant: a tuple payload': { returns: { tag: 'segment', val: [1, 0xffff_ffff] } },
  'variant: a string payload': { returns: { tag: 'named', val: '\ufffd' } },
  'variant number: float as bigint': { throws: TypeError, message: 'Cannot convert a BigInt value to a number' },
  'variant real: unknown tag': {
    throws: TypeError,
    message: 'invalid variant tag value `"triple"` (received `[object Object]`) specified for `Real`',
  },
  'enum: unknown case': { throws: TypeError, message: '"purple" is not one of the cases of color' },
  'enum: a number': { throws: TypeError, message: '"3" is not one of the cases of wide' },
  'flags: not an object': { throws: TypeError, message: 'only an object, undefined or null can be converted to flags' },
  'option<u32>': { returns: 0xffff_ffff },
  'option<point>': { returns: { x: 1, y: 0 } },
  'option<option<u32>>: untagged': { throws: TypeError, message: 'invalid variant specified for option' },
  'option<option<string>>: inner value': { throws: TypeError, message: NOT_A_STRING('number') },
  'result: unknown tag': { throws: TypeError, message: 'invalid variant specified for result' },
  'result: ok payload': { throws: TypeError, message: NOT_A_STRING('number') },
  'result: err payload': { throws: TypeError, message: '"pink" is not one of the cases of color' },
  'option<result>: deep': { returns: { tag: 'ok', val: 0 } },
  'map: a plain object': { throws: TypeError, message: 'expected a Map' },
  'map: a bad value': { returns: new Map([['a', 1], ['b', 0xffff_ffff]]) },
  'map: a bad key': { returns: new Map([[1, 'one']]) },
  'nested: deep in a person': { throws: TypeError, message: NOT_A_STRING('number'), leaks: 218 },
  'nested: the fixed list': {
    returns: { ...nested, fixed: [1, 0], fl: flags12, people: [{ ...person, scores: new Uint32Array([1, 2]) }] },
  },
  'nested: the inner option': { throws: TypeError, message: NOT_A_STRING('number'), leaks: 88 },
  'nested: the last field': { throws: TypeError, message: '"pink" is not one of the cases of color', leaks: 186 },
  // n = -1 is lowered as 4294967295: the guest runs out of memory repeating the string.
  'compute.repeat: the second param': { traps: 'wasm trap: wasm `unreachable` instruction executed' },
  'compute.join: after a valid list': { throws: TypeError, message: NOT_A_STRING('number'), leaks: 42 },
  'compute.join: in the list': { throws: TypeError, message: NOT_A_STRING('number'), leaks: 50 },
  'compute.split: the char': { returns: ['a', 'b'] },
  // age 300 is lowered as 44 (`% 2**8`).
  'compute.make-person: the age': {
    returns: { name: 'Ann', age: 44, scores: new Uint32Array([44, 88]), home: { x: 44, y: -44 } },
  },
  'compute.oldest: a person': { throws: TypeError, message: NOT_A_STRING('undefined'), leaks: 99 },
  'calls.roundtrip-person: before the host is called': { throws: TypeError, message: 'invalid u32 value [0.5]', leaks: 23 },
  'greet: a world-level export': { throws: TypeError, message: NOT_A_STRING('undefined') },
};

export function kitchenSinkTrapsSuite(mode: Mode): void {
  describe(`kitchen-sink traps (${mode})`, () => {
    describe('traps: invalid values returned by the guest', () => {
      if (mode === 'jco') {
        // jco neither traps nor poisons the instance on these: one instance serves every case.
        let ex: any;
        beforeAll(async () => {
          ex = (await kitchenSink(mode)).ex;
        });
        for (const [name, call] of TRAPS) {
          const j = JCO_TRAPS[name]!;
          it(`${name}: jco ${'returns' in j ? 'returns a value' : 'throws (no trap)'}, and the instance stays usable`, () => {
            if (name.startsWith('bad-handle')) {
              // An object for a handle the guest never created; it fails only when used.
              const a = call(ex) as any;
              expect(a).toBeInstanceOf(ex.resources.Accumulator);
              expect(() => a.total()).toThrow(new TypeError('Resource error: Not a valid "Accumulator" resource.'));
              // Disposing it runs the guest's destructor on a garbage rep (0): the guest traps.
              // (Left to the FinalizationRegistry, that trap would surface as an uncaught
              // exception whenever the object is collected.)
              const dispose = thrownBy(() => a[Symbol.dispose]());
              expect(dispose).toBeInstanceOf(WebAssembly.RuntimeError);
              expect(dispose.message).toBe('memory access out of bounds');
            } else {
              expectJcoOutcome(j, () => call(ex));
              expectJcoOutcome(j, () => call(ex));
            }
            expect(ex.initCount()).toBe(1);
            expect(ex.echoes.echoString('x')).toBe('x');
          });
        }
      }

      for (const [name, call, reason] of mode === 'jco' ? [] : TRAPS) {
        it(`${name}: Trap "${reason}", then the instance refuses further calls`, async () => {
          const { ex } = await kitchenSink(mode);
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
        const { ex, baseline } = await kitchenSink(mode);
        expect(ex.compute.charFromCode(0xd7ff)).toBe('\ud7ff');
        expect(ex.compute.wideFromIndex(256)).toBe('e256');
        expect(ex.allocatedBytes()).toBe(baseline);
      });
    });

    describe('host values are rejected with their path before the guest is touched', () => {
      let s: Sink;

      beforeAll(async () => {
        s = await kitchenSink(mode);
      });

      afterEach(() => {
        // Nothing was allocated for the arguments validated before the failing one, and the
        // instance is still usable.
        if (mode !== 'jco') expect(s.ex.allocatedBytes()).toBe(s.baseline);
        expect(s.ex.echoes.echoU32(7)).toBe(7);
        expect(s.calls).toEqual([]);
      });

      for (const [name, call] of mode === 'jco' ? REJECTED : []) {
        const j = JCO_REJECTED[name]!;
        const what =
          'returns' in j ? 'accepts it silently' : 'throws' in j ? `throws without the path${j.leaks ? ', leaking guest memory' : ''}` : 'makes the guest trap';
        it(`${name}: jco ${what}`, async () => {
          if ('traps' in j) {
            // The instance is lost: run it on one of its own.
            const t = await kitchenSink(mode);
            expectJcoOutcome(j, () => call(t.ex));
            expect(() => t.ex.initCount()).toThrow('wasm trap: cannot enter component instance');
            return;
          }
          const before = s.ex.allocatedBytes();
          expectJcoOutcome(j, () => call(s.ex));
          expect(s.ex.allocatedBytes() - before).toBe(('leaks' in j && j.leaks) || 0);
        });
      }

      for (const [name, call, Err, message] of mode === 'jco' ? [] : REJECTED) {
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
  });
}
