// Mutators: token-level (a lossless tokenizer of our own), construct-level (snippets, deep
// nesting, repeated items, chains), byte-level (bit flips, invalid UTF-8, control and bidi
// characters, CR), package-directory level (drop, duplicate or add files) and splicing between
// corpus files. `makeInput(corpus, seed, index)` is a pure function of its arguments.
import { DIR_GENERATORS, GENERATORS, nestedType } from './generators.mjs';
import { Rng } from './rng.mjs';

/** Lossless: joining the tokens gives the text back. */
const TOKEN_RE =
  /[ \t\r\n]+|\/\/[^\n]*|\/\*(?:[^*]|\*(?!\/))*(?:\*\/)?|%?[A-Za-z_][A-Za-z0-9_-]*|[0-9]+(?:[A-Za-z_][A-Za-z0-9_-]*)?|"(?:[^"\\\n]|\\[^\n])*"?|->|[\s\S]/gu;

export function tokenize(text) {
  return text.match(TOKEN_RE) ?? [];
}

const isSpace = (t) => /^[ \t\r\n]/.test(t);
const isWord = (t) => /^%?[A-Za-z_]/.test(t);

export const KEYWORDS = [
  'as', 'async', 'bool', 'borrow', 'char', 'constructor', 'enum', 'error-context', 'export', 'f32',
  'f64', 'flags', 'from', 'func', 'future', 'import', 'include', 'interface', 'list', 'map', 'option',
  'own', 'package', 'record', 'resource', 'result', 's16', 's32', 's64', 's8', 'static', 'stream',
  'string', 'tuple', 'type', 'u16', 'u32', 'u64', 'u8', 'use', 'variant', 'with', 'world', '_',
  // not keywords, but meaningful
  'self', 'super', 'since', 'unstable', 'deprecated', 'version', 'feature', 'external-id', 'float32',
];
const PRIMITIVES = ['bool', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'f32', 'f64', 'char', 'string'];
const PUNCT = ['{', '}', '(', ')', '<', '>', ';', ',', ':', '.', '/', '@', '=', '->', '*', '+', '-', '%', '"', '#', '\\'];
const WEIRD_IDENTS = [
  'a--b', '-a', 'a-', 'A', 'Ab', 'a-B', 'aB', '_', '_a', 'a_b', '1a', 'a-1', 'a-1b', '%', '%1', '%%a', '%-',
  'x-y-z', 'é', 'aé', 'ﬁ', 'ａ', 'i', 'self', 'super', 'π',
];
const NUMBERS = [
  '0', '1', '00', '01', '7', '255', '256', '4294967295', '4294967296', '18446744073709551615',
  '18446744073709551616', '99999999999', '99999999999999999999', '9'.repeat(400), '-1', '1e9', '0x10',
];
const VERSIONS = [
  '1.2.99999999999999999999', '99999999999999999999.0.0', '0.0.0', '1.2.3-rc.1+build.5', '1.2', '1.2.3.4',
  '01.2.3', '1.02.3', '1.2.3-', '1.2.3+', '1.2.3-rc..1', '1.2.3-01', '1.2.3-α', '1.2.3 - 4', '0.2.12', '0.3.0',
  '18446744073709551615.18446744073709551615.18446744073709551615', '1.2.3-x'.padEnd(500, '.y'),
];
const SNIPPETS = [
  'type t = list<u8, 99999999999>;', 'type t = list<u8, 0>;', 'type t = list<u8, 4294967295>;',
  'type t = list<u8, 4294967296>;', 'type t = list<u8, 18446744073709551616>;', 'type t = list<u8, 01>;',
  '@since(version = 1.2.99999999999999999999)', '@since(version = 99999999999999999999.0.0)',
  '@deprecated(version = 0.0.1)', '@unstable(feature = x)', '@unstable(feature = %interface)',
  '@since(version = 1.0.0) @unstable(feature = a) @deprecated(version = 1.0.0)', '@since(version = 1.0.0-rc.1)',
  '@external-id("x")', '@external-id("\\u{10ffff}\\n")', '@external-id("\\u{110000}")', '@external-id("\\q")',
  '@external-id("\\u{d800}")', '@external-id("")', '@external-id(x)',
  'package a:b@1.2.99999999999999999999;', 'package a:b@01.0.0;', 'package a:b@1.0.0-rc.1+build.5;',
  'package a:b { interface c { type d = u8; } }', 'package %a:%b;', 'package a:b:c;', 'package a;',
  'package a:b { package c:d {} }', 'package a:b { world w { import a:b/c; } }',
  'use a:b/c@1.0.0.{d};', 'use a:b/c;', 'use self.{x};', 'use a:b/c@1.2.99999999999999999999 as q;',
  'use wasi:io/streams@0.2.12.{input-stream};', 'use wasi:io/poll@0.2.10.{pollable as p};',
  'use wasi:io/error@0.2.12;', 'use wasi:clocks/wall-clock@0.3.0.{datetime as %type};', 'use a.{b as b, b};',
  'include a:b/w;', 'include w with { a as b };', 'include wasi:cli/imports@0.2.12;', 'include imports;',
  'resource r { constructor(); static f: func(); m: async func() -> u32; }', 'resource r;', 'resource r {}',
  'resource r { constructor() -> result<r, u8>; constructor(); }', 'resource r { r: func(x: r); }',
  'type t = future<stream<u8>>;', 'type t = future;', 'type t = stream;', 'type t = borrow<r>;',
  'type t = own<r>;', 'type t = own<t>;', 'type t = result<_, u8>;', 'type t = result;',
  'type t = map<string, u8>;', 'type t = map<f32, u8>;', 'type t = map<t, t>;', 'type t = tuple<>;',
  'type t = tuple<u8>;', 'type t = error-context;', 'type t = option<option<option<u8>>>;',
  'type a = a;', 'type a = b; type b = a;', 'record r { r: r }', 'record r { a: list<r> }', 'record r {}',
  'variant v { a, b(u8), a }', 'enum e { a, a }', 'variant v { a(_) }', 'enum e {}', 'flags f {}',
  `flags f { ${Array.from({ length: 65 }, (_, i) => `f${i}`).join(', ')} }`,
  `enum e { ${Array.from({ length: 300 }, (_, i) => `c${i}`).join(', ')} }`,
  'f: func(a: u8, a: u8);', 'f: async func() -> result<string, error-context>;', 'f: func() -> tuple<u8, %string>;',
  'f: func(x: borrow<r>) -> borrow<r>;', 'f: func() -> (a: u8);', 'f: static func();', 'f: func(self: u8);',
  'import x: func();', 'export x: interface { f: func(); }', 'import wasi:io/streams@0.2.12;',
  'export wasi:cli/run@0.2.12;', 'import a:b/c@1.0.0;', 'import %import: interface {}', 'export x: x;',
  'import t: type;', 'export w;', 'import w;', 'export i;', 'import i;', 'type t = u8;', 'import %t: func();',
  'interface %interface {}', 'world %world {}', 'interface i {}', 'world w {}', 'world w { include w; }',
  'interface i { use i.{t}; type t = u8; }', 'world w { import i; export i; }',
  'interface a { use b.{t}; type u = t; } interface b { use a.{u}; type t = u8; }',
  '/* /* */', '*/', '/**/', '/* */ */', '///', '/// doc\n', '/** doc */', '//', '/*', '/*/ x */',
  '%', '%%', '%1', '@', '@foo', '@since', '@since()', '@since(version)', '@since(version = )', '@since(feature = x)',
  '{}', '()', '<>', '->', ':::', ';;;', '"', '"unterminated', "'", '\\u{0}',
];
/** Text-level characters that are not ASCII (the byte mutators add invalid UTF-8). */
const UNICODE = [
  'é', '\u00a0', '\u0085', '\u2028', '\u2029', '\u200b', '\u200d', '\ufeff', '\u202e', '\u2066', '\u2069',
  '\u0301', '😀', '\u{10ffff}', '\ufffd', '\u0000', '\u0007', '\u001b', '\u007f', '\u009f', '\r', '\t', '\v',
  '\f', '\u0149', '\u17b4', '\ue000', 'ǅ', 'İ', 'ß', 'ﬀ',
];
const LONE_SURROGATES = ['\ud800', '\udfff', '\udbff\u0041', 'a\udc00'];

function kebab(rng) {
  const parts = [];
  const n = 1 + rng.geometric(3);
  for (let i = 0; i < n; i++) {
    let p = '';
    const len = 1 + rng.int(8);
    for (let j = 0; j < len; j++) p += String.fromCharCode(97 + rng.int(26));
    if (rng.chance(0.1)) p += rng.int(100);
    parts.push(p);
  }
  return parts.join('-');
}

function randomIdent(rng) {
  return rng.weighted([
    [8, () => kebab(rng)],
    [2, () => rng.pick(WEIRD_IDENTS)],
    [1, () => `%${rng.pick(KEYWORDS)}`],
    [1, () => `x${'y'.repeat(rng.logSize(100000))}`],
    [1, () => Array.from({ length: rng.logSize(2000) }, () => 'a').join('-')],
  ])();
}

function randomToken(rng) {
  return rng.weighted([
    [5, () => rng.pick(KEYWORDS)],
    [5, () => randomIdent(rng)],
    [5, () => rng.pick(PUNCT)],
    [2, () => rng.pick(NUMBERS)],
    [2, () => rng.pick(VERSIONS)],
    [1, () => rng.pick(PRIMITIVES)],
    [1, () => `"${kebab(rng)}"`],
    [1, () => rng.pick(UNICODE)],
  ])();
}

// --- text mutators: (rng, text, ctx) => text ------------------------------------------------------

function sigIndices(tokens) {
  const out = [];
  for (let i = 0; i < tokens.length; i++) if (!isSpace(tokens[i])) out.push(i);
  return out;
}

/** A random position between tokens; `after` tokens preferred when given. */
function insertionPoint(rng, tokens, after) {
  if (after && rng.chance(0.8)) {
    const candidates = [];
    for (let i = 0; i < tokens.length; i++) if (after.includes(tokens[i])) candidates.push(i + 1);
    if (candidates.length > 0) return rng.pick(candidates);
  }
  return rng.int(tokens.length + 1);
}

function withTokens(text, f) {
  const tokens = tokenize(text);
  const sig = sigIndices(tokens);
  if (sig.length === 0) return text;
  f(tokens, sig);
  return tokens.join('');
}

const ITEM_BOUNDARY = [';', '{', '}'];

const TEXT_MUTATORS = {
  'tok-delete': (rng, text) =>
    withTokens(text, (tokens, sig) => {
      const start = rng.int(sig.length);
      const n = 1 + rng.geometric(4);
      for (let k = 0; k < n && start + k < sig.length; k++) tokens[sig[start + k]] = ' ';
    }),
  'tok-duplicate': (rng, text) =>
    withTokens(text, (tokens, sig) => {
      const a = rng.int(sig.length);
      const b = Math.min(sig.length - 1, a + rng.geometric(6));
      const span = tokens.slice(sig[a], sig[b] + 1).join('');
      const times = rng.chance(0.9) ? 1 : rng.logSize(1000);
      tokens[sig[b]] += ` ${span}`.repeat(times);
    }),
  'tok-swap': (rng, text) =>
    withTokens(text, (tokens, sig) => {
      const a = sig[rng.int(sig.length)];
      const b = sig[rng.int(sig.length)];
      [tokens[a], tokens[b]] = [tokens[b], tokens[a]];
    }),
  'tok-replace': (rng, text) =>
    withTokens(text, (tokens, sig) => {
      tokens[sig[rng.int(sig.length)]] = randomToken(rng);
    }),
  'tok-insert': (rng, text) =>
    withTokens(text, (tokens) => {
      const at = insertionPoint(rng, tokens);
      const n = 1 + rng.geometric(3);
      const words = Array.from({ length: n }, () => randomToken(rng));
      tokens.splice(at, 0, ` ${words.join(' ')} `);
    }),
  'tok-move': (rng, text) =>
    withTokens(text, (tokens, sig) => {
      const a = rng.int(sig.length);
      const b = Math.min(sig.length - 1, a + rng.geometric(8));
      const span = tokens.slice(sig[a], sig[b] + 1).join('');
      for (let i = sig[a]; i <= sig[b]; i++) tokens[i] = '';
      tokens.splice(insertionPoint(rng, tokens), 0, ` ${span} `);
    }),
  /** Renames one identifier: every occurrence, or one. */
  'rename-ident': (rng, text) =>
    withTokens(text, (tokens, sig) => {
      const words = sig.filter((i) => isWord(tokens[i]));
      if (words.length === 0) return;
      const old = tokens[rng.pick(words)];
      const other = tokens[rng.pick(words)];
      const next = rng.weighted([
        [3, () => randomIdent(rng)],
        [2, () => other],
        [1, () => (old.startsWith('%') ? old.slice(1) : `%${old}`)],
        [1, () => rng.pick(KEYWORDS)],
        [1, () => old.toUpperCase()],
      ])();
      if (rng.chance(0.6)) {
        for (const i of words) if (tokens[i] === old) tokens[i] = next;
      } else {
        tokens[rng.pick(words.filter((i) => tokens[i] === old))] = next;
      }
    }),
  /** Versions and integers become huge or malformed. */
  'huge-number': (rng, text) =>
    withTokens(text, (tokens, sig) => {
      const nums = sig.filter((i) => /^[0-9]/.test(tokens[i]));
      if (nums.length > 0 && rng.chance(0.5)) {
        tokens[rng.pick(nums)] = rng.pick(NUMBERS);
        return;
      }
      // a whole version: digits . digits . digits
      const starts = nums.filter((i) => tokens[i + 1] === '.' && /^[0-9]/.test(tokens[i + 2] ?? ''));
      if (starts.length > 0) {
        const i = rng.pick(starts);
        tokens[i] = rng.pick(VERSIONS);
        tokens[i + 1] = '';
        tokens[i + 2] = '';
        if (tokens[i + 3] === '.' && /^[0-9]/.test(tokens[i + 4] ?? '')) tokens[i + 3] = tokens[i + 4] = '';
        return;
      }
      tokens.splice(insertionPoint(rng, tokens, ITEM_BOUNDARY), 0, ` ${rng.pick(SNIPPETS.slice(0, 8))} `);
    }),
  snippet: (rng, text) =>
    withTokens(text, (tokens) => {
      tokens.splice(insertionPoint(rng, tokens, ITEM_BOUNDARY), 0, `\n${rng.pick(SNIPPETS)}\n`);
    }),
  /** A type (primitive or name after `:`, `<`, `=`, `->`) wrapped in deep nesting. */
  'deep-nest': (rng, text) =>
    withTokens(text, (tokens, sig) => {
      const depth = rng.pick([2, 10, 50, 98, 99, 100, 101, 150, 1000, rng.logSize(50000)]);
      const kinds = rng.chance(0.5) ? ['list'] : [rng.pick(['option', 'list', 'tuple', 'result', 'fixed', 'map', 'future', 'stream', 'borrow', 'own'])];
      if (rng.chance(0.3)) kinds.push('option', 'tuple', 'result');
      const nested = nestedType(depth, kinds).replace('u8', () => '%%T%%');
      const types = sig.filter((k, j) => j > 0 && [':', '<', '=', '->', ','].includes(tokens[sig[j - 1]]) && isWord(tokens[k]));
      if (types.length > 0 && rng.chance(0.8)) {
        const i = rng.pick(types);
        tokens[i] = nested.replace('%%T%%', tokens[i]);
      } else {
        tokens.splice(insertionPoint(rng, tokens, ['{']), 0, ` type deep = ${nested.replace('%%T%%', 'u8')}; `);
      }
    }),
  /** Unbalanced or deeply nested brackets and braces. */
  'deep-brackets': (rng, text) =>
    withTokens(text, (tokens) => {
      const open = rng.pick(['{', '(', '<', '[', 'list<', 'interface i {', 'f: func(', '/*']);
      const close = { '{': '}', '(': ')', '<': '>', '[': ']', 'list<': '>', 'interface i {': '}', 'f: func(': ')', '/*': '*/' }[open];
      const depth = rng.pick([50, 99, 100, 101, 1000, rng.logSize(100000)]);
      const balanced = rng.chance(0.5);
      tokens.splice(insertionPoint(rng, tokens), 0, ` ${`${open} `.repeat(depth)}${balanced ? close.repeat(depth) : ''} `);
    }),
  comment: (rng, text) =>
    withTokens(text, (tokens) => {
      const c = rng.weighted([
        [3, () => rng.pick(['/*', '*/', '/* /* */', '/**/', '/*/', '//', '///', '/// x\n', '/** x */', '/* */ */'])],
        [1, () => `${'/* '.repeat(rng.logSize(10000))}${rng.chance(0.5) ? ' */'.repeat(rng.logSize(10000)) : ''}`],
        [1, () => `/// ${'doc '.repeat(rng.logSize(100000))}\n`],
        [1, () => '/// line\n'.repeat(rng.logSize(20000))],
        [1, () => `/* ${rng.pick(UNICODE)} */`],
      ])();
      tokens.splice(insertionPoint(rng, tokens), 0, c);
    }),
  /** An item (from its keyword to its `;` or matching `}`) repeated many times, maybe renamed. */
  'many-items': (rng, text) =>
    withTokens(text, (tokens, sig) => {
      const starts = sig.filter((i) => ['type', 'record', 'variant', 'enum', 'flags', 'resource', 'interface', 'world', 'import', 'export', 'use', 'include'].includes(tokens[i]));
      if (starts.length === 0) return;
      const s = rng.pick(starts);
      let depth = 0;
      let end = -1;
      for (let i = s; i < tokens.length; i++) {
        const t = tokens[i];
        if (t === '{') depth++;
        else if (t === '}') {
          if (--depth <= 0) {
            end = i;
            break;
          }
        } else if (t === ';' && depth === 0) {
          end = i;
          break;
        }
      }
      if (end < 0) return;
      const nameAt = sig.find((i) => i > s && isWord(tokens[i]));
      // Up to 3000 copies, but no more than about 1 MB of them.
      const itemLength = tokens.slice(s, end + 1).reduce((n, t) => n + t.length, 0);
      const copies = Math.min(rng.logSize(3000), Math.max(1, Math.floor(1_000_000 / itemLength)));
      const rename = rng.chance(0.7) && nameAt !== undefined && nameAt < end;
      let out = '';
      for (let k = 0; k < copies; k++) {
        const copy = tokens.slice(s, end + 1);
        if (rename) copy[nameAt - s] = `${tokens[nameAt]}-dup${k}`;
        out += `\n${copy.join('')}`;
      }
      tokens[end] += out;
    }),
  /** A chain construct (aliases, uses, includes) inserted into an interface, world or file. */
  chain: (rng, text) =>
    withTokens(text, (tokens) => {
      const n = rng.logSize(rng.chance(0.9) ? 500 : 30000);
      const kind = rng.pick(['alias', 'use', 'include', 'interfaces']);
      let s;
      if (kind === 'alias') {
        const parts = ['type zz0 = u8;'];
        for (let i = 1; i < n; i++) parts.push(rng.chance(0.5) ? `type zz${i} = list<zz${i - 1}>;` : `type zz${i} = zz${i - 1};`);
        s = parts.join(' ');
      } else if (kind === 'use') {
        const parts = ['interface zz0 { type t = u8; }'];
        for (let i = 1; i < n; i++) parts.push(`interface zz${i} { use zz${i - 1}.{t}; }`);
        s = parts.join('\n');
      } else if (kind === 'include') {
        const parts = ['world zz0 { import zz-f: func(); }'];
        for (let i = 1; i < n; i++) parts.push(`world zz${i} { include zz${i - 1}; }`);
        s = parts.join('\n');
      } else {
        const parts = [];
        for (let i = 0; i < n; i++) parts.push(`interface zz${i} { f: func() -> u32; }`);
        s = parts.join('\n');
      }
      tokens.splice(insertionPoint(rng, tokens, ITEM_BOUNDARY), 0, `\n${s}\n`);
    }),
  'line-ops': (rng, text) => {
    const lines = text.split('\n');
    const a = rng.int(lines.length);
    const b = rng.int(lines.length);
    const op = rng.pick(['delete', 'duplicate', 'swap', 'join', 'repeat']);
    if (op === 'delete') lines.splice(a, 1 + rng.geometric(4));
    else if (op === 'duplicate') lines.splice(b, 0, ...lines.slice(a, a + 1 + rng.geometric(4)));
    else if (op === 'swap') [lines[a], lines[b]] = [lines[b], lines[a]];
    else if (op === 'join') return lines.join(' ');
    else lines.splice(a, 0, ...Array(rng.logSize(5000)).fill(lines[a]));
    return lines.join('\n');
  },
  truncate: (rng, text) => text.slice(0, rng.int(text.length + 1)),
  'line-endings': (rng, text) =>
    rng.weighted([
      [2, () => text.replace(/\n/g, '\r\n')],
      [2, () => text.replace(/\n/g, '\r')],
      [1, () => text.replace(/\n/g, '\n\r')],
      [2, () => {
        const at = rng.int(text.length + 1);
        return `${text.slice(0, at)}\r${text.slice(at)}`;
      }],
    ])(),
  unicode: (rng, text) => {
    const at = rng.int(text.length + 1);
    const c = rng.chance(0.1) ? '\ufeff' : rng.pick(UNICODE);
    return rng.chance(0.1) ? `${c}${text}` : `${text.slice(0, at)}${c.repeat(1 + rng.geometric(3))}${text.slice(at)}`;
  },
  /** A token range from another corpus file, inserted or replacing a range here. */
  splice: (rng, text, ctx) =>
    withTokens(text, (tokens, sig) => {
      const donor = tokenize(rng.pick(ctx.texts));
      const dsig = sigIndices(donor);
      if (dsig.length === 0) return;
      const a = rng.int(dsig.length);
      const b = Math.min(dsig.length - 1, a + rng.logSize(200));
      const piece = donor.slice(dsig[a], dsig[b] + 1).join('');
      if (rng.chance(0.5)) {
        tokens.splice(insertionPoint(rng, tokens, ITEM_BOUNDARY), 0, ` ${piece} `);
      } else {
        const c = rng.int(sig.length);
        const d = Math.min(sig.length - 1, c + rng.logSize(200));
        for (let i = sig[c]; i <= sig[d]; i++) tokens[i] = '';
        tokens[sig[c]] = ` ${piece} `;
      }
    }),
};

// --- construct-aware mutators: keep the syntax, change the meaning (they reach the resolver) ---

/** Item ranges [first, last] over token indices: from after `{`/`;`/`}` to its `;` or `}`. */
function itemRanges(tokens) {
  const sig = sigIndices(tokens);
  const out = [];
  for (let j = 0; j < sig.length; j++) {
    const prev = j === 0 ? ';' : tokens[sig[j - 1]];
    if (!['{', ';', '}'].includes(prev) || ['}', ';'].includes(tokens[sig[j]])) continue;
    let depth = 0;
    for (let k = j; k < sig.length; k++) {
      const t = tokens[sig[k]];
      if (t === '{') depth++;
      else if (t === '}') {
        if (depth === 0) break; // the enclosing block closes: not an item
        if (--depth === 0) {
          out.push([sig[j], sig[k]]);
          break;
        }
      } else if (t === ';' && depth === 0) {
        out.push([sig[j], sig[k]]);
        break;
      }
    }
  }
  return out;
}

const PATH_RE = /\b[a-z][a-z0-9-]*:[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*(?:@[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?)?/g;
const namesOf = new WeakMap();
/** Interface paths (`wasi:io/streams@0.2.12`) and local interface/world names of the corpus. */
function corpusNames(texts) {
  let names = namesOf.get(texts);
  if (!names) {
    const paths = new Set();
    const locals = new Set();
    for (const t of texts) {
      for (const m of t.matchAll(PATH_RE)) paths.add(m[0]);
      for (const m of t.matchAll(/\b(?:interface|world)\s+(%?[a-z][a-z0-9-]*)/g)) locals.add(m[1]);
    }
    names = { paths: [...paths].sort(), locals: [...locals].sort() };
    namesOf.set(texts, names);
  }
  return names;
}

const FLIPS = [
  ['import', 'export'], ['borrow', 'own'], ['record', 'variant', 'flags', 'enum'], ['interface', 'world'],
  ['u8', 'u32', 's64', 'f32', 'string', 'char', 'bool'], ['option', 'list', 'future', 'stream'],
  ['use', 'include'], ['func', 'async func'], ['constructor', 'static'], ['resource', 'record'],
];

Object.assign(TEXT_MUTATORS, {
  /** Two items (statements or blocks, at any depth) trade places. */
  'swap-items': (rng, text) => {
    const tokens = tokenize(text);
    const items = itemRanges(tokens);
    if (items.length < 2) return text;
    const a = rng.pick(items);
    const b = rng.pick(items);
    // Overlapping (nested) ranges cannot trade places; move a copy instead.
    const pieceA = tokens.slice(a[0], a[1] + 1).join('');
    const pieceB = tokens.slice(b[0], b[1] + 1).join('');
    if (a[1] < b[0] || b[1] < a[0]) {
      const [first, second] = a[0] < b[0] ? [a, b] : [b, a];
      const [p1, p2] = a[0] < b[0] ? [pieceB, pieceA] : [pieceA, pieceB];
      return [tokens.slice(0, first[0]).join(''), p1, tokens.slice(first[1] + 1, second[0]).join(''), p2, tokens.slice(second[1] + 1).join('')].join('');
    }
    return `${tokens.slice(0, b[1] + 1).join('')}\n${pieceA}\n${tokens.slice(b[1] + 1).join('')}`;
  },
  /** An item copied into another place (another interface, world, package). */
  'copy-item': (rng, text) => {
    const tokens = tokenize(text);
    const items = itemRanges(tokens);
    if (items.length === 0) return text;
    const a = rng.pick(items);
    const piece = tokens.slice(a[0], a[1] + 1).join('');
    tokens.splice(insertionPoint(rng, tokens, ITEM_BOUNDARY), 0, `\n${piece}\n`);
    return tokens.join('');
  },
  'drop-item': (rng, text) => {
    const tokens = tokenize(text);
    const items = itemRanges(tokens);
    if (items.length === 0) return text;
    const a = rng.pick(items);
    return tokens.slice(0, a[0]).join('') + tokens.slice(a[1] + 1).join('');
  },
  /** A path or name after `use`/`import`/`export`/`include` points elsewhere. */
  retarget: (rng, text, ctx) =>
    withTokens(text, (tokens, sig) => {
      const { paths, locals } = corpusNames(ctx.texts);
      const at = sig.filter((i, j) => j + 1 < sig.length && ['use', 'import', 'export', 'include'].includes(tokens[i]) && isWord(tokens[sig[j + 1]]));
      if (at.length === 0) return;
      const j = sig.indexOf(rng.pick(at)) + 1;
      // The written path: id (':' id '/' id ('@' version)?)?; a `.{…}` after it is kept.
      const t = (x) => tokens[sig[x]] ?? '';
      let k = j;
      if (t(j + 1) === ':' && isWord(t(j + 2)) && t(j + 3) === '/' && isWord(t(j + 4))) {
        k = j + 4;
        if (t(k + 1) === '@') {
          k++;
          while (k + 1 < sig.length && /^[0-9A-Za-z.+-]/.test(t(k + 1)) && !(t(k + 1) === '.' && t(k + 2) === '{')) k++;
        }
      }
      // A `.{` after the path (use items) is kept.
      const replacement = rng.chance(0.6) ? rng.pick(paths) : rng.pick(locals);
      if (!replacement) return;
      for (let x = j; x <= k; x++) tokens[sig[x]] = '';
      tokens[sig[j]] = replacement;
    }),
  /** A keyword becomes a related one (import/export, borrow/own, record/variant, …). */
  'flip-keyword': (rng, text) =>
    withTokens(text, (tokens, sig) => {
      const candidates = sig.filter((i) => FLIPS.some((g) => g.includes(tokens[i])));
      if (candidates.length === 0) return;
      const i = rng.pick(candidates);
      const group = FLIPS.filter((g) => g.includes(tokens[i]));
      tokens[i] = rng.pick(rng.pick(group));
    }),
  /** Versions of package headers and paths move (0.2.12 → 0.2.10, 0.3.0, none, a pre-release). */
  'version-shift': (rng, text) =>
    text.replace(/@([0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?)/g, (m, v) =>
      rng.chance(0.3)
        ? rng.weighted([
            [3, () => `@${rng.pick(['0.2.10', '0.2.12', '0.3.0', '0.2.0', '1.0.0', '0.2.12-rc.1', '0.2.13', '0.3.0-rc-2025-09-16'])}`],
            [1, () => ''],
            [1, () => `@${v}-pre`],
            [1, () => `@${v.split('.').slice(0, 2).join('.')}.99`],
          ])()
        : m,
    ),
  /** A gate before a random item. */
  gate: (rng, text) => {
    const tokens = tokenize(text);
    const items = itemRanges(tokens);
    if (items.length === 0) return text;
    const [start] = rng.pick(items);
    const version = rng.pick(['0.2.0', '0.2.10', '0.2.12', '0.3.0', '1.0.0', '0.0.1', '99.0.0']);
    const gate = rng.pick([
      `@since(version = ${version})`, '@unstable(feature = fuzz)', `@deprecated(version = ${version})`,
      `@since(version = ${version}) @deprecated(version = ${version})`, '@unstable(feature = active)',
      `@unstable(feature = fuzz) @deprecated(version = ${version})`, '@external-id("fuzz")',
    ]);
    tokens[start] = `${gate}\n${tokens[start]}`;
    return tokens.join('');
  },
});

/** Only reachable through `loadWitSource` (a file on disk cannot hold a lone surrogate). */
function loneSurrogate(rng, text) {
  const at = rng.int(text.length + 1);
  return `${text.slice(0, at)}${rng.pick(LONE_SURROGATES)}${text.slice(at)}`;
}

// --- byte mutators: (rng, bytes) => bytes ---------------------------------------------------------

const INVALID_UTF8 = [
  [0xff], [0xfe], [0xc0, 0x80], [0x80], [0xbf], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc2], [0xe0, 0x80, 0xaf], [0xf0, 0x9f, 0x98],
];
const CONTROL_BYTES = [
  [0x00], [0x01], [0x08], [0x0b], [0x0c], [0x1b], [0x7f], [0xc2, 0x80], [0xc2, 0x9f], [0xef, 0xbb, 0xbf],
  [0xe2, 0x80, 0xae], [0xe2, 0x81, 0xa6], [0x0d], [0x0d, 0x0a], [0xe2, 0x80, 0xa8],
];

function splice(bytes, at, del, ins) {
  const out = new Uint8Array(bytes.length - del + ins.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(ins, at);
  out.set(bytes.subarray(at + del), at + ins.length);
  return out;
}

const BYTE_MUTATORS = {
  'bit-flip': (rng, bytes) => {
    const out = bytes.slice();
    const n = 1 + rng.geometric(4);
    for (let k = 0; k < n && out.length > 0; k++) out[rng.int(out.length)] ^= 1 << rng.int(8);
    return out;
  },
  'byte-set': (rng, bytes) => {
    const out = bytes.slice();
    if (out.length > 0) out[rng.int(out.length)] = rng.chance(0.5) ? rng.int(256) : rng.pick([0, 0xff, 0x7f, 0x80, 0xc0, 0x7b, 0x7d, 0x3c, 0x3e, 0x3b, 0x25, 0x40]);
    return out;
  },
  'invalid-utf8': (rng, bytes) => splice(bytes, rng.int(bytes.length + 1), 0, rng.pick(INVALID_UTF8)),
  'control-bytes': (rng, bytes) => {
    const seq = rng.pick(CONTROL_BYTES);
    const at = rng.chance(0.2) ? 0 : rng.int(bytes.length + 1);
    return splice(bytes, at, 0, seq);
  },
  'byte-chunk': (rng, bytes) => {
    const a = rng.int(bytes.length + 1);
    const len = Math.min(bytes.length - a, rng.logSize(64));
    return rng.chance(0.5) ? splice(bytes, a, len, []) : splice(bytes, a, 0, bytes.subarray(a, a + len));
  },
};

// --- package-directory mutators: (rng, files, ctx) => files --------------------------------------

const DIR_MUTATORS = {
  'drop-file': (rng, files) => {
    const files2 = files.slice();
    files2.splice(rng.int(files2.length), 1);
    return files2;
  },
  'copy-file': (rng, files) => {
    const f = rng.pick(files);
    const dir = rng.pick(['', 'deps/', 'deps/extra/', `${f.rel.split('/').slice(0, -1).join('/')}/`]).replace(/^\/$/, '');
    return [...files, { rel: `${dir}copy-${rng.int(100)}.wit`, data: f.data }];
  },
  'add-corpus-dep': (rng, files, ctx) => [...files, { rel: `deps/zz-${rng.int(100)}.wit`, data: rng.pick(ctx.texts) }],
  'non-wit-file': (rng, files) => [...files, { rel: rng.pick(['deps/x.txt', 'deps/.hidden.wit', 'notes.md']), data: 'not wit' }],
};

// --- inputs ---------------------------------------------------------------------------------------

/**
 * @typedef {{ rel: string, data: string | Uint8Array }} InputFile
 * @typedef {{ seed: number, index: number, entry: string, root: string, files: InputFile[],
 *   target: string | null, options: object, mode: 'path' | 'source', mutations: string[] }} FuzzInput
 */

const TEXT_WEIGHTS = [
  [8, 'tok-delete'], [5, 'tok-duplicate'], [5, 'tok-swap'], [8, 'tok-replace'], [6, 'tok-insert'],
  [3, 'tok-move'], [5, 'rename-ident'], [3, 'huge-number'], [6, 'snippet'], [3, 'deep-nest'],
  [2, 'deep-brackets'], [2, 'comment'], [2, 'many-items'], [2, 'chain'], [3, 'line-ops'], [1, 'truncate'],
  [1, 'line-endings'], [2, 'unicode'], [4, 'splice'], [3, 'swap-items'], [3, 'copy-item'], [2, 'drop-item'],
  [3, 'retarget'], [3, 'flip-keyword'], [2, 'version-shift'], [2, 'gate'],
];
const GENTLE_WEIGHTS = [
  [3, 'many-items'], [3, 'chain'], [2, 'deep-nest'], [3, 'rename-ident'], [3, 'snippet'], [1, 'comment'],
  [1, 'line-endings'], [2, 'tok-duplicate'], [1, 'huge-number'], [4, 'swap-items'], [4, 'copy-item'],
  [3, 'drop-item'], [4, 'retarget'], [4, 'flip-keyword'], [3, 'version-shift'], [4, 'gate'],
];
const BYTE_WEIGHTS = [[3, 'bit-flip'], [2, 'byte-set'], [3, 'invalid-utf8'], [2, 'control-bytes'], [2, 'byte-chunk']];

const utf8 = new TextEncoder();

/** Every corpus text, for splicing (cached per corpus array). */
const textsOf = new WeakMap();
function corpusTexts(corpus) {
  let texts = textsOf.get(corpus);
  if (!texts) {
    texts = corpus.flatMap((e) => e.files.map((f) => f.data)).filter((d) => typeof d === 'string');
    textsOf.set(corpus, texts);
  }
  return texts;
}

function randomOptions(rng, entry, texts) {
  return rng.weighted([
    [6, () => entry.options],
    [2, () => ({})],
    [2, () => ({ allFeatures: true })],
    [1, () => {
      const features = [...texts.join('\n').matchAll(/feature\s*=\s*(%?[a-z0-9-]+)/g)].map((m) => m[1]);
      return { features: features.length > 0 ? [rng.pick(features), randomIdent(rng)] : [randomIdent(rng)] };
    }],
  ])();
}

/** Input `index` of campaign `seed`: a mutated corpus entry or a synthetic one. */
export function makeInput(corpus, seed, index) {
  const rng = new Rng(seed, index);
  const ctx = { texts: corpusTexts(corpus) };
  const mutations = [];
  let files;
  let root;
  let entryName;
  let options;

  const kind = rng.weighted([[88, 'mutate'], [9, 'synthetic'], [3, 'synthetic-dir']]);
  if (kind === 'mutate') {
    const entry = rng.pick(corpus);
    entryName = entry.name;
    root = entry.root;
    files = entry.files.map((f) => ({ ...f }));
    options = randomOptions(rng, entry, files.map((f) => f.data));
  } else if (kind === 'synthetic') {
    const name = rng.pick(Object.keys(GENERATORS));
    const n = rng.logSize(rng.chance(0.9) ? 200 : 20000);
    entryName = `gen/${name}(${n})`;
    root = 'gen.wit';
    files = [{ rel: root, data: GENERATORS[name](n) }];
    options = {};
  } else {
    const name = rng.pick(Object.keys(DIR_GENERATORS));
    const n = rng.logSize(300);
    entryName = `gen/${name}(${n})`;
    root = '.';
    files = DIR_GENERATORS[name](n);
    options = {};
  }

  // The file to mutate: in a package directory, the package's own files are favoured over deps.
  const weights = files.map((f, i) => [f.rel.startsWith('deps/') ? 1 : 4, i]);
  const target = rng.weighted(weights);
  // Mostly one or two mutations; a quarter of the inputs get only mutations that often keep the
  // input valid, so that the resolver and the emitter see many variants too.
  const gentle = rng.chance(0.4);
  const count = kind === 'mutate' ? 1 + rng.geometric(7, gentle ? 0.3 : 0.45) : rng.geometric(3);
  let text = files[target].data;
  for (let k = 0; k < count; k++) {
    const name = rng.weighted(gentle ? GENTLE_WEIGHTS : TEXT_WEIGHTS);
    mutations.push(name);
    text = TEXT_MUTATORS[name](rng, text, ctx);
  }
  let mode = 'path';
  if (root !== '.' && rng.chance(0.2)) {
    mode = 'source';
    if (rng.chance(0.3)) {
      mutations.push('lone-surrogate');
      text = loneSurrogate(rng, text);
    }
  } else if (rng.chance(0.15)) {
    let bytes = utf8.encode(text);
    const n = 1 + rng.geometric(3);
    for (let k = 0; k < n; k++) {
      const name = rng.weighted(BYTE_WEIGHTS);
      mutations.push(name);
      bytes = BYTE_MUTATORS[name](rng, bytes);
    }
    text = bytes;
  }
  files[target] = { rel: files[target].rel, data: text };
  const targetRel = files[target].rel;

  if (root === '.' && rng.chance(0.08)) {
    const name = rng.pick(Object.keys(DIR_MUTATORS));
    mutations.push(name);
    files = DIR_MUTATORS[name](rng, files, ctx);
  }
  return { seed, index, entry: entryName, root, files, target: targetRel, options, mode, mutations };
}

/** Size of an input in bytes (UTF-16 units for strings). */
export function inputSize(input) {
  let n = 0;
  for (const f of input.files) n += f.data.length;
  return n;
}
