/**
 * Hostile guests: values that break the canonical ABI, returned by exports (lifted by the export
 * wrappers) and passed to imports (lifted by the import wrappers), in every string encoding,
 * hosted as a core module and as a component (test/hostile/guest.ts).
 *
 * Each trap must be a `Trap` whose reason names what was wrong; the host must not have been
 * called with a half-lifted value; an export's post-return still runs exactly once; and the
 * instance refuses every later call with "the instance trapped earlier" (CanonicalABI.md: a trap
 * leaves the component instance unusable). What the spec does *not* call a trap is checked too:
 * a `bool` above 1 is `true` (definitions.py `convert_int_to_bool`), bits past the last flag are
 * ignored (`unpack_flags_from_int`), unused payload bytes and the high bits of a `u8` are not
 * looked at.
 */
import { describe, expect, it } from 'vitest';
import { Trap } from '../../src/runtime/index.js';
import { CELL, host, MODES, SCRATCH, type Encoding, type Hosted, type Mode } from './guest.js';
import { recordingHost, type RecordingHost } from './host.js';

/** Where the tests put the data a pointer points to (the return area goes at SCRATCH). */
const D = SCRATCH + 64;
const MEM = 65536;

type Setup = (h: Hosted) => void;

interface Case {
  readonly name: string;
  readonly encodings?: readonly Encoding[];
  readonly setup: Setup;
  readonly call: (ex: any) => unknown;
  /** The trap reason, or … */
  readonly trap?: string;
  /** … the value the call returns (no trap). */
  readonly returns?: unknown;
  /** For import cases: what the host received (no trap), or that it was called before the trap. */
  readonly hostGot?: unknown[];
}

/** Cell RET is the return pointer SCRATCH, holding (ptr, len); `data` goes at ptr. */
function retPair(ptr: number, len: number, data?: ArrayLike<number>): Setup {
  return (h) => {
    h.set(CELL.RET, SCRATCH);
    h.set(SCRATCH, ptr, len);
    if (data) h.bytes(ptr, data);
  };
}

/** Cells A0, A1 are (ptr, len); `data` goes at ptr. */
function argPair(ptr: number, len: number, data?: ArrayLike<number>): Setup {
  return (h) => {
    h.set(CELL.A0, ptr, len);
    if (data) h.bytes(ptr, data);
  };
}

const ret = (v: number): Setup => (h) => h.set(CELL.RET, v);
/** The return area at SCRATCH holds `bytes`. */
const retBytes = (bytes: ArrayLike<number>): Setup => (h) => {
  h.set(CELL.RET, SCRATCH);
  h.bytes(SCRATCH, bytes);
};
const u16le = (...units: number[]) => units.flatMap((u) => [u & 0xff, u >>> 8]);
const u32le = (...words: number[]) => words.flatMap((w) => [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24]);

const INVALID_UTF8: [string, number[]][] = [
  ['an overlong NUL (C0 80)', [0x61, 0xc0, 0x80]],
  ['an encoded surrogate (ED A0 80)', [0xed, 0xa0, 0x80]],
  ['a code point above U+10FFFF (F4 90 80 80)', [0xf4, 0x90, 0x80, 0x80]],
  ['a truncated sequence (E2 82)', [0x61, 0x62, 0xe2, 0x82]],
  ['a lone continuation byte (80)', [0x80]],
  ['a byte never valid in UTF-8 (FF)', [0x41, 0xff, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41]],
];

const get = (f: string) => (ex: any) => ex.give[f]();

/** Values returned by exports (cell RET is the flat result or the return pointer). */
const RESULTS: Case[] = [
  { name: 'string: return pointer out of bounds', setup: ret(0xffff_fff8), call: get('getString'), trap: 'pointer out of bounds' },
  { name: 'string: return area straddling the end of memory', setup: ret(MEM - 4), call: get('getString'), trap: 'pointer out of bounds' },
  { name: 'string: return pointer misaligned (2 mod 4)', setup: ret(SCRATCH + 2), call: get('getString'), trap: 'pointer misaligned' },
  { name: 'string: pointer out of bounds', encodings: ['utf8'], setup: retPair(0xffff_ff00, 4), call: get('getString'), trap: 'string out of bounds' },
  { name: 'string: length past the end of memory', encodings: ['utf8'], setup: retPair(D, MEM), call: get('getString'), trap: 'string out of bounds' },
  { name: 'string: pointer + length wrapping past 2^32', encodings: ['utf8'], setup: retPair(0xffff_fff0, 0x20), call: get('getString'), trap: 'string out of bounds' },
  { name: 'string: length over the limit (2^28 bytes)', encodings: ['utf8'], setup: retPair(D, 0x1000_0000), call: get('getString'), trap: 'string too long' },
  ...INVALID_UTF8.map(([what, bytes]): Case => ({
    name: `string: invalid UTF-8, ${what}`,
    encodings: ['utf8'],
    setup: retPair(D, bytes.length, bytes),
    call: get('getString'),
    trap: 'invalid utf-8',
  })),
  { name: 'string: valid UTF-8 (control)', encodings: ['utf8'], setup: retPair(D, 4, [0xf0, 0x9f, 0x98, 0x80]), call: get('getString'), returns: '😀' },
  // utf16: code units, 2-aligned.
  { name: 'utf16 string: a lone high surrogate', encodings: ['utf16'], setup: retPair(D, 2, u16le(0x61, 0xd800)), call: get('getString'), trap: 'invalid utf-16' },
  { name: 'utf16 string: a lone low surrogate', encodings: ['utf16'], setup: retPair(D, 1, u16le(0xdc00)), call: get('getString'), trap: 'invalid utf-16' },
  { name: 'utf16 string: a high surrogate followed by a letter (long string)', encodings: ['utf16'], setup: retPair(D, 12, u16le(...Array(10).fill(0x61), 0xd83d, 0x61)), call: get('getString'), trap: 'invalid utf-16' },
  { name: 'utf16 string: swapped surrogate pair', encodings: ['utf16'], setup: retPair(D, 2, u16le(0xde00, 0xd83d)), call: get('getString'), trap: 'invalid utf-16' },
  { name: 'utf16 string: odd pointer', encodings: ['utf16'], setup: retPair(D + 1, 1, [0, 0x61, 0]), call: get('getString'), trap: 'string misaligned' },
  { name: 'utf16 string: odd pointer, empty (still checked)', encodings: ['utf16'], setup: retPair(D + 1, 0), call: get('getString'), trap: 'string misaligned' },
  { name: 'utf16 string: 2 × units past the end of memory', encodings: ['utf16'], setup: retPair(D, (MEM - D) / 2 + 1), call: get('getString'), trap: 'string out of bounds' },
  { name: 'utf16 string: 2 × units ≥ 2^32', encodings: ['utf16'], setup: retPair(D, 0x8000_0000), call: get('getString'), trap: 'string too long' },
  { name: 'utf16 string: a surrogate pair (control)', encodings: ['utf16'], setup: retPair(D, 2, u16le(0xd83d, 0xde00)), call: get('getString'), returns: '😀' },
  // latin1+utf16: bit 31 of the length tags UTF-16; 2-aligned in both cases.
  { name: 'latin1+utf16 string: tagged UTF-16 with a lone surrogate', encodings: ['latin1+utf16'], setup: retPair(D, 0x8000_0002, u16le(0x100, 0xdbff)), call: get('getString'), trap: 'invalid utf-16' },
  { name: 'latin1+utf16 string: tagged length past the end of memory', encodings: ['latin1+utf16'], setup: retPair(D, 0x8000_0000 | 0x8000), call: get('getString'), trap: 'string out of bounds' },
  { name: 'latin1+utf16 string: tagged length 2^31 - 1 code units', encodings: ['latin1+utf16'], setup: retPair(D, 0xffff_ffff), call: get('getString'), trap: 'string too long' },
  { name: 'latin1+utf16 string: Latin-1 length 2^31 - 1 bytes', encodings: ['latin1+utf16'], setup: retPair(D, 0x7fff_ffff), call: get('getString'), trap: 'string too long' },
  { name: 'latin1+utf16 string: Latin-1 at an odd pointer', encodings: ['latin1+utf16'], setup: retPair(D + 1, 1, [0x61]), call: get('getString'), trap: 'string misaligned' },
  { name: 'latin1+utf16 string: every Latin-1 byte is valid (control)', encodings: ['latin1+utf16'], setup: retPair(D, 3, [0xe9, 0x80, 0xff]), call: get('getString'), returns: 'é\u0080ÿ' },
  { name: 'latin1+utf16 string: tagged UTF-16 (control)', encodings: ['latin1+utf16'], setup: retPair(D, 0x8000_0001, u16le(0x3a9)), call: get('getString'), returns: 'Ω' },
  // Lists.
  { name: 'list<u8>: length past the end of memory', setup: retPair(D, MEM), call: get('getBytes'), trap: 'list out of bounds' },
  { name: 'list<u8>: pointer + length wrapping past 2^32', setup: retPair(0xffff_fff0, 0x20), call: get('getBytes'), trap: 'list out of bounds' },
  { name: 'list<u64>: pointer 4 mod 8', setup: retPair(D + 4, 1), call: get('getU64s'), trap: 'list misaligned' },
  { name: 'list<u64>: pointer 4 mod 8, empty (still checked)', setup: retPair(D + 4, 0), call: get('getU64s'), trap: 'list misaligned' },
  // 0x2000_0001 × 8 = 2^32 + 8: 8 in 32-bit arithmetic, which fits.
  { name: 'list<u64>: length × 8 ≥ 2^32 (8 when wrapped to 32 bits)', setup: retPair(D, 0x2000_0001), call: get('getU64s'), trap: 'list too long' },
  { name: 'list<u64>: length × 8 just past the end of memory', setup: retPair(D, (MEM - D) / 8 + 1), call: get('getU64s'), trap: 'list out of bounds' },
  // 0x1555_5556 × 12 = 2^32 + 8.
  { name: 'list<pair>: length × 12 ≥ 2^32 (8 when wrapped to 32 bits)', setup: retPair(D, 0x1555_5556), call: get('getPairs'), trap: 'list too long' },
  {
    name: 'list<pair>: invalid UTF-8 in the second element',
    encodings: ['utf8'],
    setup: retPair(D, 2, [...u32le(1, D + 32, 1, 2, D + 40, 2), ...Array(8).fill(0), 0x61, 0, 0, 0, 0, 0, 0, 0, 0xc3, 0x28]),
    call: get('getPairs'),
    trap: 'invalid utf-8',
  },
  {
    name: 'list<string>: the second element out of bounds',
    encodings: ['utf8'],
    setup: retPair(D, 2, u32le(D + 16, 1, MEM - 1, 2, 0x61)),
    call: get('getStrings'),
    trap: 'string out of bounds',
  },
  // Scalars lifted flat.
  ...[0xd800, 0xdfff, 0x11_0000, 0xffff_ffff].map((c): Case => ({
    name: `char 0x${c.toString(16)}`,
    setup: ret(c),
    call: get('getChar'),
    trap: 'invalid char',
  })),
  { name: 'char 0x10ffff (control)', setup: ret(0x10ffff), call: get('getChar'), returns: '\u{10ffff}' },
  { name: 'enum: discriminant 3 of 3 cases', setup: ret(3), call: get('getColor'), trap: 'invalid discriminant 3' },
  { name: 'enum: discriminant 2^32 - 1', setup: ret(0xffff_ffff), call: get('getColor'), trap: 'invalid discriminant 4294967295' },
  { name: 'bool 2 is true (not a trap)', setup: ret(2), call: get('getBool'), returns: true },
  { name: 'bool 0x80000000 is true (not a trap)', setup: ret(0x8000_0000), call: get('getBool'), returns: true },
  { name: 'flags: bits past the last flag are ignored', setup: ret(0xffff_fff8), call: get('getPerms'), returns: { read: false, write: false, exec: false } },
  { name: 'flags: known bits kept, others ignored', setup: ret(0xffff_fffd), call: get('getPerms'), returns: { read: true, write: false, exec: true } },
  // Variants in memory (through the return pointer).
  { name: 'option<u8>: discriminant 2', setup: retBytes([2, 7]), call: get('getOption'), trap: 'invalid discriminant 2' },
  { name: 'option<u8>: discriminant 255', setup: retBytes([255, 7]), call: get('getOption'), trap: 'invalid discriminant 255' },
  { name: 'option<u8>: none with junk in the payload byte (control)', setup: retBytes([0, 0xee]), call: get('getOption'), returns: undefined },
  { name: 'result<u32, string>: discriminant 2', setup: retBytes([2, 0, 0, 0, 1, 0, 0, 0]), call: get('getResult'), trap: 'invalid discriminant 2' },
  { name: 'result<u32, string>: ok with junk in the padding (control)', setup: retBytes([0, 0xaa, 0xbb, 0xcc, 5, 0, 0, 0, 0xdd]), call: get('getResult'), returns: 5 },
  { name: 'variant shape: discriminant 4 of 4 cases', setup: retBytes([4]), call: get('getShape'), trap: 'invalid discriminant 4' },
  {
    name: 'variant shape: case named with invalid UTF-8',
    encodings: ['utf8'],
    setup: (h) => {
      retBytes([3, 0, 0, 0, 0, 0, 0, 0, ...u32le(D, 2)])(h);
      h.bytes(D, [0xc3, 0x28]);
    },
    call: get('getShape'),
    trap: 'invalid utf-8',
  },
  { name: 'variant shape: small(u8) with junk past the byte (control)', setup: retBytes([1, 0, 0, 0, 0, 0, 0, 0, 0x2a, 0xff, 0xff, 0xff]), call: get('getShape'), returns: { tag: 'small', val: 0x2a } },
];

const call = (f: string) => (ex: any) => ex.calls[f]();

/** Values passed by the guest to imports (cells A0, A1, … are the raw core arguments). */
const ARGS: Case[] = [
  { name: 'take-string: invalid UTF-8', encodings: ['utf8'], setup: argPair(D, 2, [0xc3, 0x28]), call: call('callTakeString'), trap: 'invalid utf-8' },
  { name: 'take-string: length past the end of memory', encodings: ['utf8'], setup: argPair(D, MEM), call: call('callTakeString'), trap: 'string out of bounds' },
  { name: 'take-string: utf16 lone surrogate', encodings: ['utf16'], setup: argPair(D, 1, u16le(0xd800)), call: call('callTakeString'), trap: 'invalid utf-16' },
  { name: 'take-string: utf16 odd pointer', encodings: ['utf16'], setup: argPair(D + 1, 1), call: call('callTakeString'), trap: 'string misaligned' },
  { name: 'take-string: latin1+utf16 tagged lone surrogate', encodings: ['latin1+utf16'], setup: argPair(D, 0x8000_0001, u16le(0xdfff)), call: call('callTakeString'), trap: 'invalid utf-16' },
  { name: 'take-string: latin1+utf16 tagged length past memory', encodings: ['latin1+utf16'], setup: argPair(D, 0x8000_8000), call: call('callTakeString'), trap: 'string out of bounds' },
  { name: 'take-bytes: pointer + length wrapping past 2^32', setup: argPair(0xffff_ff00, 0x1000), call: call('callTakeBytes'), trap: 'list out of bounds' },
  { name: 'take-u64s: pointer 2 mod 8', setup: argPair(D + 2, 1), call: call('callTakeU64s'), trap: 'list misaligned' },
  { name: 'take-u64s: length × 8 ≥ 2^32', setup: argPair(D, 0x2000_0001), call: call('callTakeU64s'), trap: 'list too long' },
  { name: 'take-pairs: length × 12 ≥ 2^32', setup: argPair(D, 0x1555_5556), call: call('callTakePairs'), trap: 'list too long' },
  { name: 'take-pairs: an element string out of bounds', setup: argPair(D, 1, u32le(7, MEM - 2, 4)), call: call('callTakePairs'), trap: 'string out of bounds' },
  { name: 'take-char: 0xD800', setup: (h) => h.set(CELL.A0, 0xd800), call: call('callTakeChar'), trap: 'invalid char' },
  { name: 'take-char: 0x110000', setup: (h) => h.set(CELL.A0, 0x11_0000), call: call('callTakeChar'), trap: 'invalid char' },
  { name: 'take-bool: 2 is true', setup: (h) => h.set(CELL.A0, 2), call: call('callTakeBool'), returns: 1, hostGot: ['takeBool', [true]] },
  { name: 'take-color: discriminant 3', setup: (h) => h.set(CELL.A0, 3), call: call('callTakeColor'), trap: 'invalid discriminant 3' },
  {
    name: 'take-perms: bits past the last flag are ignored',
    setup: (h) => h.set(CELL.A0, 0xffff_fff9),
    call: call('callTakePerms'),
    returns: 1,
    hostGot: ['takePerms', [{ read: true, write: false, exec: false }]],
  },
  { name: 'take-option: discriminant 2', setup: (h) => h.set(CELL.A0, 2, 0), call: call('callTakeOption'), trap: 'invalid discriminant 2' },
  {
    name: 'take-option: some(u8) keeps the low 8 bits of the i32',
    setup: (h) => h.set(CELL.A0, 1, 0x1ff),
    call: call('callTakeOption'),
    returns: 1,
    hostGot: ['takeOption', [0xff]],
  },
  { name: 'take-shape: discriminant 4', setup: (h) => h.set(CELL.A0, 4), call: call('callTakeShape'), trap: 'invalid discriminant 4' },
  { name: 'take-result: discriminant 2', setup: (h) => h.set(CELL.A0, 2), call: call('callTakeResult'), trap: 'invalid discriminant 2' },
  { name: 'take-many: params pointer 2 mod 4', setup: (h) => h.set(CELL.A0, D + 2), call: call('callTakeMany'), trap: 'pointer misaligned' },
  { name: 'take-many: params tuple straddling the end of memory', setup: (h) => h.set(CELL.A0, MEM - 64), call: call('callTakeMany'), trap: 'pointer out of bounds' },
  // Results the host lowers through the guest's return pointer: the host was called first.
  { name: 'give-string: return pointer 2 mod 4', setup: (h) => h.set(CELL.A0, D + 2), call: call('callGiveString'), trap: 'pointer misaligned', hostGot: ['giveString', []] },
  { name: 'give-strings: return pointer out of bounds', setup: (h) => h.set(CELL.A0, 0xffff_fffc), call: call('callGiveStrings'), trap: 'pointer out of bounds', hostGot: ['giveStrings', []] },
  { name: 'give-bytes: return area straddling the end of memory', setup: (h) => h.set(CELL.A0, MEM - 4), call: call('callGiveBytes'), trap: 'pointer out of bounds', hostGot: ['giveBytes', []] },
];

const ENCODINGS: readonly Encoding[] = ['utf8', 'utf16', 'latin1+utf16'];

function thrownBy(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
}

async function run(mode: Mode, encoding: Encoding, c: Case, isExport: boolean): Promise<void> {
  const rh: RecordingHost = recordingHost();
  const h = await host(mode, rh.imports, encoding);
  c.setup(h);
  const reallocs = h.cell(CELL.REALLOCS);
  if (c.trap === undefined) {
    expect(c.call(h.ex)).toEqual(c.returns);
    if (c.hostGot) expect(rh.calls).toEqual([c.hostGot]);
    expect(h.posts()).toBe(1);
    return;
  }
  const e = thrownBy(() => c.call(h.ex));
  expect(e).toBeInstanceOf(Trap);
  expect((e as Trap).reason).toBe(c.trap);
  // The host never saw a value lifted from a broken one (give-* called it before the trap).
  expect(rh.calls).toEqual(c.hostGot ? [c.hostGot] : []);
  // Nothing was allocated in the guest for a result that could not be stored.
  expect(h.cell(CELL.REALLOCS)).toBe(reallocs);
  // An export whose result failed to lift still ran its post-return, once; an import trap
  // unwound the guest, so there was no result and no post-return.
  expect(h.posts()).toBe(isExport ? 1 : 0);
  expect(h.cell(CELL.POSTS)).toBe(isExport ? 1 : 0);
  expect(h.state.handles.size).toBe(0);
  expect(h.state.hostObjects.size).toBe(0);
  for (const again of [() => h.ex.give.getU32(), () => c.call(h.ex), () => h.ex.sink.putString('x')]) {
    expect(again).toThrow(new Trap('the instance trapped earlier and cannot be used'));
  }
  expect(h.posts()).toBe(isExport ? 1 : 0);
}

for (const mode of MODES) {
  describe(`hostile guest values (${mode})`, () => {
    for (const [table, isExport] of [[RESULTS, true], [ARGS, false]] as const) {
      describe(isExport ? 'returned by an export' : 'passed to an import', () => {
        for (const c of table) {
          for (const encoding of c.encodings ?? ENCODINGS) {
            const what = c.trap === undefined ? `returns ${JSON.stringify(c.returns)}` : `Trap "${c.trap}"`;
            it(`${c.name} [${encoding}]: ${what}`, () => run(mode, encoding, c, isExport));
          }
        }
      });
    }
  });
}
