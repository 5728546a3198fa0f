/**
 * Random WIT types and values for the property tests (and scripts/crosscheck-abi.mjs): a small
 * type model independent of witbind's front end, fast-check arbitraries of types, values in the
 * JS representation of `/shared/spec/js-values.md`, wrong values with the path a validator must
 * name, an equality that says exactly how lifted values compare, a WIT printer, and an
 * independent size/alignment/flattening computation written from definitions.py.
 */
import fc from 'fast-check';

export type Prim =
  | 'bool'
  | 'u8'
  | 's8'
  | 'u16'
  | 's16'
  | 'u32'
  | 's32'
  | 'u64'
  | 's64'
  | 'f32'
  | 'f64'
  | 'char'
  | 'string';

export const PRIMS: readonly Prim[] = [
  'bool',
  'u8',
  's8',
  'u16',
  's16',
  'u32',
  's32',
  'u64',
  's64',
  'f32',
  'f64',
  'char',
  'string',
];
const NUMERIC: readonly Prim[] = [
  'u8',
  's8',
  'u16',
  's16',
  'u32',
  's32',
  'u64',
  's64',
  'f32',
  'f64',
];
/** Map keys WIT allows. */
const KEY_PRIMS: readonly Prim[] = [
  'bool',
  'u8',
  's8',
  'u16',
  's16',
  'u32',
  's32',
  'u64',
  's64',
  'char',
  'string',
];

/** A WIT type. Records, variants, enums, flags and aliases get a `name` when a world is built. */
export type Ty =
  | { readonly k: 'prim'; readonly p: Prim }
  | { readonly k: 'list'; readonly el: Ty }
  | { readonly k: 'fixed'; readonly el: Ty; readonly n: number }
  | { readonly k: 'map'; readonly key: Ty; readonly val: Ty }
  | { readonly k: 'tuple'; readonly els: readonly Ty[] }
  | { readonly k: 'option'; readonly el: Ty }
  | { readonly k: 'result'; readonly ok: Ty | null; readonly err: Ty | null }
  | {
      readonly k: 'record';
      name: string;
      readonly fields: readonly { readonly name: string; readonly ty: Ty }[];
    }
  | {
      readonly k: 'variant';
      name: string;
      readonly cases: readonly { readonly name: string; readonly ty: Ty | null }[];
    }
  | { readonly k: 'enum'; name: string; readonly cases: readonly string[] }
  | { readonly k: 'flags'; name: string; readonly flags: readonly string[] }
  | { readonly k: 'alias'; name: string; readonly ty: Ty };

export type Named = Extract<Ty, { name: string }>;

export interface Param {
  readonly name: string;
  readonly ty: Ty;
}

export interface FuncSpec {
  name: string;
  readonly params: readonly Param[];
  readonly result: Ty | null;
}

export const prim = (p: Prim): Ty => ({ k: 'prim', p });

// -------------------------------------------------------------------------------------------
// Names (js-values.md: lowerCamelCase; an all-caps word stays one word).

export function lowerCamel(kebab: string): string {
  return kebab
    .split('-')
    .map((w, i) => {
      const upper = w === w.toUpperCase() && /[A-Z]/.test(w);
      if (i === 0) return upper ? w.toLowerCase() : w;
      return w.charAt(0).toUpperCase() + w.slice(1);
    })
    .join('');
}

/** Field/case/flag/param names: plain, kebab, all-caps words, JS keywords and Object.prototype names. */
const NAME_POOL = [
  'a',
  'b',
  'c',
  'x',
  'y',
  'value',
  'tag',
  'val',
  'len',
  'ptr',
  'long-field-name',
  'x-y',
  'v2',
  'http-URL',
  'ID',
  'class',
  'delete',
  'new',
  'default',
  'to-string',
  'value-of',
  'has-own-property',
  'length',
  'then',
  'proto',
  'size',
  'none',
  'some',
  'ok',
  'err',
] as const;

const namesArb = (min: number, max: number): fc.Arbitrary<string[]> =>
  fc.uniqueArray(fc.constantFrom(...NAME_POOL), {
    minLength: min,
    maxLength: Math.min(max, NAME_POOL.length),
  });

/** `n` distinct names `<prefix>0…`, for wide enums/flags/variants. */
const numbered = (prefix: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}`);

// -------------------------------------------------------------------------------------------
// Type arbitraries.

export interface TypeArbOptions {
  /** Maximum nesting depth (0 = primitives only). */
  readonly depth?: number;
}

const primArb: fc.Arbitrary<Ty> = fc.constantFrom(...PRIMS).map(prim);
const numericArb: fc.Arbitrary<Ty> = fc.constantFrom(...NUMERIC).map(prim);

/** Flag counts, biased to the 8/16/32 boundaries (the spec allows 1..32). */
const flagCountArb = fc.oneof(
  fc.integer({ min: 1, max: 32 }),
  fc.constantFrom(1, 8, 9, 16, 17, 31, 32),
);

export function typeArb(options: TypeArbOptions = {}): fc.Arbitrary<Ty> {
  const maxDepth = options.depth ?? 3;
  const cache: fc.Arbitrary<Ty>[] = [];
  const at = (d: number): fc.Arbitrary<Ty> => {
    const hit = cache[d];
    if (hit) return hit;
    const leaf = fc.oneof(
      { arbitrary: primArb, weight: 6 },
      { arbitrary: enumArb, weight: 1 },
      { arbitrary: flagsArb, weight: 1 },
    );
    if (d === 0) return (cache[d] = leaf);
    const sub = at(d - 1);
    const optSub = fc.option(sub, { nil: null, freq: 4 });
    const arb: fc.Arbitrary<Ty> = fc.oneof(
      { arbitrary: leaf, weight: 5 },
      { arbitrary: sub.map((el): Ty => ({ k: 'list', el })), weight: 3 },
      { arbitrary: numericArb.map((el): Ty => ({ k: 'list', el })), weight: 2 },
      {
        arbitrary: fc
          .record({ el: sub, n: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom(7, 17)) })
          .map(({ el, n }): Ty => ({ k: 'fixed', el, n })),
        weight: 1,
      },
      {
        arbitrary: fc
          .record({ key: fc.constantFrom(...KEY_PRIMS).map(prim), val: sub })
          .map(({ key, val }): Ty => ({ k: 'map', key, val })),
        weight: 1,
      },
      {
        arbitrary: fc
          .array(sub, { minLength: 1, maxLength: 4 })
          .map((els): Ty => ({ k: 'tuple', els })),
        weight: 2,
      },
      { arbitrary: sub.map((el): Ty => ({ k: 'option', el })), weight: 2 },
      {
        arbitrary: fc
          .record({ ok: optSub, err: optSub })
          .map(({ ok, err }): Ty => ({ k: 'result', ok, err })),
        weight: 2,
      },
      {
        arbitrary: fc
          .tuple(namesArb(1, 6), fc.array(sub, { minLength: 6, maxLength: 6 }))
          .map(([names, tys]): Ty => ({
            k: 'record',
            name: '',
            fields: names.map((name, i) => ({ name, ty: tys[i]! })),
          })),
        weight: 2,
      },
      { arbitrary: variantArb(optSub), weight: 2 },
      { arbitrary: joinVariantArb, weight: 1 },
      { arbitrary: sub.map((ty): Ty => ({ k: 'alias', name: '', ty })), weight: 1 },
    );
    return (cache[d] = arb);
  };
  return at(maxDepth);
}

const enumArb: fc.Arbitrary<Ty> = fc.oneof(
  { arbitrary: namesArb(1, 8).map((cases): Ty => ({ k: 'enum', name: '', cases })), weight: 8 },
  // More than 256 cases: a u16 discriminant.
  {
    arbitrary: fc
      .integer({ min: 255, max: 300 })
      .map((n): Ty => ({ k: 'enum', name: '', cases: numbered('e', n) })),
    weight: 1,
  },
);

const flagsArb: fc.Arbitrary<Ty> = flagCountArb.chain((n) =>
  n <= 8
    ? fc
        .uniqueArray(fc.constantFrom(...NAME_POOL), { minLength: n, maxLength: n })
        .map((flags): Ty => ({ k: 'flags', name: '', flags }))
    : fc.constant<Ty>({ k: 'flags', name: '', flags: numbered('f', n) }),
);

function variantArb(optSub: fc.Arbitrary<Ty | null>): fc.Arbitrary<Ty> {
  return fc.oneof(
    {
      arbitrary: fc
        .tuple(namesArb(1, 6), fc.array(optSub, { minLength: 6, maxLength: 6 }))
        .map(([names, tys]): Ty => ({
          k: 'variant',
          name: '',
          cases: names.map((name, i) => ({ name, ty: tys[i]! })),
        })),
      weight: 8,
    },
    {
      // More than 256 cases (u16 discriminant), a few with payloads.
      arbitrary: fc
        .tuple(
          fc.integer({ min: 256, max: 270 }),
          fc.array(fc.tuple(fc.nat(269), optSub), { maxLength: 3 }),
        )
        .map(([n, payloads]): Ty => {
          const cases: { name: string; ty: Ty | null }[] = numbered('c', n).map((name) => ({
            name,
            ty: null,
          }));
          for (const [i, ty] of payloads) if (i < n) cases[i] = { name: cases[i]!.name, ty };
          return { k: 'variant', name: '', cases };
        }),
      weight: 1,
    },
  );
}

/** Payloads whose flattenings differ position by position: i32/i64/f32/f64 joins and bitcasts. */
const JOIN_PAYLOADS: readonly Ty[] = [
  prim('u8'),
  prim('s32'),
  prim('u64'),
  prim('s64'),
  prim('f32'),
  prim('f64'),
  prim('bool'),
  prim('char'),
  { k: 'tuple', els: [prim('f32'), prim('u64')] },
  { k: 'tuple', els: [prim('f64'), prim('f32'), prim('s8')] },
  { k: 'tuple', els: [prim('u32'), prim('f64')] },
  { k: 'tuple', els: [prim('f32'), prim('f32'), prim('f32')] },
  prim('string'),
  { k: 'option', el: prim('f32') },
  { k: 'result', ok: prim('f64'), err: prim('u8') },
  { k: 'list', el: prim('f32') },
];

const joinVariantArb: fc.Arbitrary<Ty> = fc
  .tuple(
    namesArb(2, 6),
    fc.array(fc.option(fc.constantFrom(...JOIN_PAYLOADS), { nil: null, freq: 6 }), {
      minLength: 6,
      maxLength: 6,
    }),
  )
  .map(([names, tys]): Ty => ({
    k: 'variant',
    name: '',
    cases: names.map((name, i) => ({ name, ty: tys[i]! })),
  }));

/**
 * Param names: plain (`p` becomes `p<i>`, like the generated code's temporaries), kebab, JS
 * keywords, and names the generated code binds itself (`st`, runtime helpers, numbered
 * temporaries), which must not shadow them.
 */
const PARAM_NAMES = [
  'p',
  'p',
  'p',
  'arg-x',
  'delete',
  'new',
  'class',
  'value',
  'http-URL',
  'then',
  'e',
  'st',
  'ex',
  'link',
  'invalid',
  'is-char',
  'is-usv-string',
  'n1',
  'e2',
  'b3',
  'v4',
  'l5',
  'i6',
  'r7',
  't8',
  's9',
  'd1',
  'h2',
  'ret0',
  'check1',
  'f0',
  'pr0',
  'im1',
] as const;

/** A function: params (sometimes many, to spill past 16 flat values) and an optional result. */
export function funcArb(ty: fc.Arbitrary<Ty>): fc.Arbitrary<FuncSpec> {
  const params = fc.oneof(
    { arbitrary: fc.array(ty, { maxLength: 5 }), weight: 6 },
    { arbitrary: fc.array(ty, { minLength: 6, maxLength: 12 }), weight: 2 },
    // Exactly 16 and 17 flat values of scalars around the spill boundary.
    {
      arbitrary: fc.integer({ min: 15, max: 18 }).chain((n) =>
        fc.array(
          fc.constantFrom(...NUMERIC, 'bool', 'char').map((p) => prim(p as Prim)),
          { minLength: n, maxLength: n },
        ),
      ),
      weight: 1,
    },
  );
  return fc
    .record({
      params,
      result: fc.option(ty, { nil: null, freq: 6 }),
      names: fc.array(fc.constantFrom(...PARAM_NAMES), { minLength: 20, maxLength: 20 }),
    })
    .map(({ params, result, names }) => {
      const used = new Set<string>();
      const ps = params.map((t, i) => {
        let name: string = names[i] ?? 'p';
        if (name === 'p' || used.has(name)) name = `p${i}`;
        used.add(name);
        return { name, ty: t };
      });
      return { name: '', params: ps, result };
    });
}

// -------------------------------------------------------------------------------------------
// A world: named types get unique names; WIT text.

export interface World {
  readonly funcs: readonly FuncSpec[];
  /** Named type definitions in dependency order. */
  readonly defs: readonly Named[];
}

/** Deep-copies types so that naming one world never touches another's (arbitraries share objects). */
function cloneTy(t: Ty): Ty {
  switch (t.k) {
    case 'prim':
      return t;
    case 'list':
      return { k: 'list', el: cloneTy(t.el) };
    case 'fixed':
      return { k: 'fixed', el: cloneTy(t.el), n: t.n };
    case 'map':
      return { k: 'map', key: cloneTy(t.key), val: cloneTy(t.val) };
    case 'tuple':
      return { k: 'tuple', els: t.els.map(cloneTy) };
    case 'option':
      return { k: 'option', el: cloneTy(t.el) };
    case 'result':
      return { k: 'result', ok: t.ok && cloneTy(t.ok), err: t.err && cloneTy(t.err) };
    case 'record':
      return {
        k: 'record',
        name: '',
        fields: t.fields.map((f) => ({ name: f.name, ty: cloneTy(f.ty) })),
      };
    case 'variant':
      return {
        k: 'variant',
        name: '',
        cases: t.cases.map((c) => ({ name: c.name, ty: c.ty && cloneTy(c.ty) })),
      };
    case 'enum':
      return { k: 'enum', name: '', cases: t.cases };
    case 'flags':
      return { k: 'flags', name: '', flags: t.flags };
    case 'alias':
      return { k: 'alias', name: '', ty: cloneTy(t.ty) };
  }
}

const KIND_PREFIX = {
  record: 'rec',
  variant: 'var',
  enum: 'en',
  flags: 'fl',
  alias: 'al',
} as const;

/** Names every named type `<kind>-<n>` and functions `f<n>`; returns the world. */
export function makeWorld(funcs: readonly FuncSpec[]): World {
  const defs: Named[] = [];
  const visit = (t: Ty): void => {
    switch (t.k) {
      case 'prim':
        return;
      case 'list':
      case 'fixed':
      case 'option':
        return visit(t.el);
      case 'map':
        visit(t.key);
        return visit(t.val);
      case 'tuple':
        return t.els.forEach(visit);
      case 'result':
        if (t.ok) visit(t.ok);
        if (t.err) visit(t.err);
        return;
      case 'record':
        t.fields.forEach((f) => visit(f.ty));
        break;
      case 'variant':
        t.cases.forEach((c) => c.ty && visit(c.ty));
        break;
      case 'alias':
        visit(t.ty);
        break;
      case 'enum':
      case 'flags':
        break;
    }
    t.name = `${KIND_PREFIX[t.k]}-${defs.length}`;
    defs.push(t);
  };
  const out = funcs.map((f, i) => {
    const g: FuncSpec = {
      name: `f${i}`,
      params: f.params.map((p) => ({ name: p.name, ty: cloneTy(p.ty) })),
      result: f.result && cloneTy(f.result),
    };
    g.params.forEach((p) => visit(p.ty));
    if (g.result) visit(g.result);
    return g;
  });
  return { funcs: out, defs };
}

export function witType(t: Ty): string {
  switch (t.k) {
    case 'prim':
      return t.p;
    case 'list':
      return `list<${witType(t.el)}>`;
    case 'fixed':
      return `list<${witType(t.el)}, ${t.n}>`;
    case 'map':
      return `map<${witType(t.key)}, ${witType(t.val)}>`;
    case 'tuple':
      return `tuple<${t.els.map(witType).join(', ')}>`;
    case 'option':
      return `option<${witType(t.el)}>`;
    case 'result':
      if (!t.ok && !t.err) return 'result';
      if (!t.err) return `result<${witType(t.ok!)}>`;
      return `result<${t.ok ? witType(t.ok) : '_'}, ${witType(t.err)}>`;
    default:
      return `%${t.name}`;
  }
}

function witDef(t: Named): string {
  switch (t.k) {
    case 'record':
      return `record %${t.name} { ${t.fields.map((f) => `%${f.name}: ${witType(f.ty)}`).join(', ')} }`;
    case 'variant':
      return `variant %${t.name} { ${t.cases.map((c) => (c.ty ? `%${c.name}(${witType(c.ty)})` : `%${c.name}`)).join(', ')} }`;
    case 'enum':
      return `enum %${t.name} { ${t.cases.map((c) => `%${c}`).join(', ')} }`;
    case 'flags':
      return `flags %${t.name} { ${t.flags.map((c) => `%${c}`).join(', ')} }`;
    case 'alias':
      return `type %${t.name} = ${witType(t.ty)};`;
  }
}

export function witFunc(f: FuncSpec): string {
  const ps = f.params.map((p) => `%${p.name}: ${witType(p.ty)}`).join(', ');
  return `%${f.name}: func(${ps})${f.result ? ` -> ${witType(f.result)}` : ''};`;
}

/**
 * The package: interface `t` with the type definitions; `host` (imported) and `guest`
 * (exported) declaring the same functions.
 */
export function worldWit(w: World, pkg = 'prop:rt'): string {
  const names = w.defs.map((d) => `%${d.name}`);
  const use = names.length > 0 ? `  use t.{${names.join(', ')}};\n` : '';
  const fns = w.funcs.map((f) => `  ${witFunc(f)}\n`).join('');
  return [
    `package ${pkg};`,
    '',
    'interface t {',
    ...w.defs.map((d) => `  ${witDef(d)}`),
    '}',
    '',
    `interface host {\n${use}${fns}}`,
    '',
    `interface guest {\n${use}${fns}}`,
    '',
    'world w {\n  import host;\n  export guest;\n}',
    '',
  ].join('\n');
}

// -------------------------------------------------------------------------------------------
// Independent layout and flattening (definitions.py § Alignment, § Element Size, § Flattening).

export type Flat = 'i32' | 'i64' | 'f32' | 'f64';

export function dealias(t: Ty): Ty {
  return t.k === 'alias' ? dealias(t.ty) : t;
}

/** definitions.py `despecialize`, to cases (null = no payload) or fields. */
function cases(t: Ty): (Ty | null)[] | null {
  switch (t.k) {
    case 'variant':
      return t.cases.map((c) => c.ty);
    case 'enum':
      return t.cases.map(() => null);
    case 'option':
      return [null, t.el];
    case 'result':
      return [t.ok, t.err];
    default:
      return null;
  }
}

function discSize(n: number): number {
  return n <= 256 ? 1 : n <= 65536 ? 2 : 4;
}

const alignTo = (p: number, a: number) => Math.ceil(p / a) * a;

const PRIM_SIZE: Record<Prim, number> = {
  bool: 1,
  u8: 1,
  s8: 1,
  u16: 2,
  s16: 2,
  u32: 4,
  s32: 4,
  u64: 8,
  s64: 8,
  f32: 4,
  f64: 8,
  char: 4,
  string: 8,
};

export function alignment(t0: Ty): number {
  const t = dealias(t0);
  switch (t.k) {
    case 'prim':
      return t.p === 'string' ? 4 : PRIM_SIZE[t.p];
    case 'list':
    case 'map':
      return 4;
    case 'fixed':
      return alignment(t.el);
    case 'tuple':
      return Math.max(1, ...t.els.map(alignment));
    case 'record':
      return Math.max(1, ...t.fields.map((f) => alignment(f.ty)));
    case 'flags':
      return t.flags.length <= 8 ? 1 : t.flags.length <= 16 ? 2 : 4;
    default: {
      const cs = cases(t)!;
      return Math.max(discSize(cs.length), maxCaseAlign(cs));
    }
  }
}

function maxCaseAlign(cs: readonly (Ty | null)[]): number {
  return Math.max(1, ...cs.map((c) => (c ? alignment(c) : 1)));
}

export function elemSize(t0: Ty): number {
  const t = dealias(t0);
  switch (t.k) {
    case 'prim':
      return PRIM_SIZE[t.p];
    case 'list':
    case 'map':
      return 8;
    case 'fixed':
      return t.n * elemSize(t.el);
    case 'tuple':
      return recordSize(t.els);
    case 'record':
      return recordSize(t.fields.map((f) => f.ty));
    case 'flags':
      return t.flags.length <= 8 ? 1 : t.flags.length <= 16 ? 2 : 4;
    default: {
      const cs = cases(t)!;
      let s = alignTo(discSize(cs.length), maxCaseAlign(cs));
      s += Math.max(0, ...cs.map((c) => (c ? elemSize(c) : 0)));
      return alignTo(s, alignment(t));
    }
  }
}

export function recordSize(ts: readonly Ty[]): number {
  let s = 0;
  for (const t of ts) s = alignTo(s, alignment(t)) + elemSize(t);
  return alignTo(s, Math.max(1, ...ts.map(alignment)));
}

export function recordAlign(ts: readonly Ty[]): number {
  return Math.max(1, ...ts.map(alignment));
}

function join(a: Flat, b: Flat): Flat {
  if (a === b) return a;
  if ((a === 'i32' && b === 'f32') || (a === 'f32' && b === 'i32')) return 'i32';
  return 'i64';
}

export function flatten(t0: Ty): Flat[] {
  const t = dealias(t0);
  switch (t.k) {
    case 'prim':
      switch (t.p) {
        case 'u64':
        case 's64':
          return ['i64'];
        case 'f32':
          return ['f32'];
        case 'f64':
          return ['f64'];
        case 'string':
          return ['i32', 'i32'];
        default:
          return ['i32'];
      }
    case 'list':
    case 'map':
      return ['i32', 'i32'];
    case 'fixed':
      return Array.from({ length: t.n }, () => flatten(t.el)).flat();
    case 'tuple':
      return t.els.flatMap(flatten);
    case 'record':
      return t.fields.flatMap((f) => flatten(f.ty));
    case 'flags':
      return ['i32'];
    default: {
      const flat: Flat[] = [];
      for (const c of cases(t)!) {
        if (!c) continue;
        flatten(c).forEach((ft, i) => {
          flat[i] = i < flat.length ? join(flat[i]!, ft) : ft;
        });
      }
      return ['i32', ...flat];
    }
  }
}

export interface CoreSig {
  readonly params: Flat[];
  readonly results: Flat[];
  readonly spilledParams: boolean;
  readonly spilledResults: boolean;
}

/** definitions.py `flatten_functype` (synchronous): `lift` = a guest export, `lower` = a guest import. */
export function coreSig(f: FuncSpec, context: 'lift' | 'lower'): CoreSig {
  let params = f.params.flatMap((p) => flatten(p.ty));
  let results = f.result ? flatten(f.result) : [];
  const spilledParams = params.length > 16;
  const spilledResults = results.length > 1;
  if (spilledParams) params = ['i32'];
  if (spilledResults) {
    if (context === 'lift') results = ['i32'];
    else {
      params = [...params, 'i32'];
      results = [];
    }
  }
  return { params, results, spilledParams, spilledResults };
}

// -------------------------------------------------------------------------------------------
// Values in the JS representation.

/** Whether values of `t` are represented by a typed array (lists of numbers). */
export function typedArrayOf(t0: Ty): (new (n: number) => ArrayLike<unknown>) | null {
  const t = dealias(t0);
  if (t.k !== 'list') return null;
  const el = dealias(t.el);
  if (el.k !== 'prim') return null;
  return TYPED[el.p] ?? null;
}

const TYPED: Partial<Record<Prim, new (n: number) => ArrayLike<unknown>>> = {
  u8: Uint8Array,
  s8: Int8Array,
  u16: Uint16Array,
  s16: Int16Array,
  u32: Uint32Array,
  s32: Int32Array,
  u64: BigUint64Array,
  s64: BigInt64Array,
  f32: Float32Array,
  f64: Float64Array,
};

/** Whether an `option<T>` uses the tagged form (js-values.md: when T can itself be `undefined`). */
export function optionTagged(t: Extract<Ty, { k: 'option' }>): boolean {
  return dealias(t.el).k === 'option';
}

/** Whether a function result is a `result` (returned as `T`, its error thrown as ComponentError). */
export function throwsResult(f: FuncSpec): Extract<Ty, { k: 'result' }> | null {
  if (!f.result) return null;
  const r = dealias(f.result);
  return r.k === 'result' ? r : null;
}

const INT_RANGE: Partial<Record<Prim, [number, number]>> = {
  u8: [0, 255],
  s8: [-128, 127],
  u16: [0, 65535],
  s16: [-32768, 32767],
  u32: [0, 4294967295],
  s32: [-2147483648, 2147483647],
};

function intArb(p: Prim): fc.Arbitrary<number> {
  const [min, max] = INT_RANGE[p]!;
  return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max, 0, -1 >= min ? -1 : 1));
}

const codePointArb = fc.oneof(
  { arbitrary: fc.integer({ min: 0x20, max: 0x7e }), weight: 10 },
  { arbitrary: fc.integer({ min: 0, max: 0x1f }), weight: 1 },
  { arbitrary: fc.integer({ min: 0x80, max: 0xff }), weight: 3 },
  { arbitrary: fc.integer({ min: 0x100, max: 0xd7ff }), weight: 2 },
  { arbitrary: fc.integer({ min: 0xe000, max: 0xffff }), weight: 1 },
  { arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }), weight: 2 },
);

export const charArb: fc.Arbitrary<string> = codePointArb.map((c) => String.fromCodePoint(c));

/** Strings of Unicode scalar values: mostly ASCII, often all-Latin-1, sometimes astral; rarely long. */
export const stringArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.array(charArb, { maxLength: 12 }).map((a) => a.join('')), weight: 12 },
  {
    arbitrary: fc
      .array(fc.integer({ min: 0, max: 0xff }), { maxLength: 20 })
      .map((a) => String.fromCharCode(...a)),
    weight: 4,
  },
  {
    arbitrary: fc.constantFrom('', 'a', 'é', '€', '😀', 'aé€😀', '\u0000', '\uffff', '\u{10ffff}'),
    weight: 2,
  },
  // Long strings make the guest grow its memory while the host is lowering.
  {
    arbitrary: fc
      .tuple(charArb, fc.integer({ min: 3000, max: 30000 }))
      .map(([c, n]) => c.repeat(n)),
    weight: 1,
  },
);

/**
 * NaNs with payload bits (and sign): a JS number carries them into typed arrays and wasm, and
 * lifting must replace them by the canonical NaN.
 */
const nan32Arb: fc.Arbitrary<number> = fc
  .integer({ min: 1, max: 0x7fffff })
  .chain((m) =>
    fc
      .boolean()
      .map(
        (neg) =>
          new Float32Array(new Uint32Array([(neg ? 0xff800000 : 0x7f800000) + m]).buffer)[0]!,
      ),
  );
const nan64Arb: fc.Arbitrary<number> = fc
  .bigInt({ min: 1n, max: (1n << 52n) - 1n })
  .chain((m) =>
    fc
      .boolean()
      .map(
        (neg) =>
          new Float64Array(
            new BigUint64Array([(neg ? 0xfff0000000000000n : 0x7ff0000000000000n) + m]).buffer,
          )[0]!,
      ),
  );

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);
const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);
/** Whether a lifted NaN has the canonical bits (definitions.py CANONICAL_FLOAT32/64_NAN). */
function canonicalNaN(p: 'f32' | 'f64', x: number): boolean {
  if (p === 'f32') {
    F32[0] = x;
    return U32[0] === 0x7fc00000;
  }
  F64[0] = x;
  return U64[0] === 0x7ff8000000000000n;
}

export interface ValueArbOptions {
  /** Maximum length of lists (other than the occasional long one). */
  readonly maxList?: number;
}

/** Values of `t` as a host hands them to bindings (plain arrays allowed for numeric lists, null for none). */
export function valueArb(t0: Ty, o: ValueArbOptions = {}): fc.Arbitrary<unknown> {
  const maxList = o.maxList ?? 4;
  const t = dealias(t0);
  switch (t.k) {
    case 'prim':
      switch (t.p) {
        case 'bool':
          return fc.boolean();
        case 'u64':
          return fc.oneof(
            fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
            fc.constantFrom(0n, 2n ** 64n - 1n, 2n ** 63n),
          );
        case 's64':
          return fc.oneof(
            fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
            fc.constantFrom(-(2n ** 63n), 2n ** 63n - 1n, -1n),
          );
        case 'f32':
          return fc.oneof({ arbitrary: fc.float(), weight: 8 }, { arbitrary: nan32Arb, weight: 1 });
        case 'f64':
          return fc.oneof(
            { arbitrary: fc.double(), weight: 8 },
            { arbitrary: nan64Arb, weight: 1 },
          );
        case 'char':
          return charArb;
        case 'string':
          return stringArb;
        default:
          return intArb(t.p);
      }
    case 'list': {
      const el = valueArb(t.el, o);
      const Typed = typedArrayOf(t);
      const arr = fc.oneof(
        { arbitrary: fc.array(el, { maxLength: maxList }), weight: 8 },
        { arbitrary: fc.array(el, { minLength: 20, maxLength: 60 }), weight: Typed ? 1 : 0 },
      );
      if (!Typed) return arr;
      // Numeric lists: a plain array, a typed array, or a typed array viewing part of a larger
      // buffer (lowering takes all three and must respect the view's offset and length).
      return fc
        .tuple(arr, fc.constantFrom('plain', 'typed', 'view'), fc.nat(3))
        .map(([a, form, skip]) => {
          if (form === 'plain') return a;
          const T = Typed as unknown as {
            from(a: unknown[]): ArrayLike<unknown> & { subarray(b: number, e: number): unknown };
          };
          if (form === 'typed') return T.from(a);
          const pad: unknown = Typed === BigInt64Array || Typed === BigUint64Array ? 0n : 7;
          const padded = [...Array.from({ length: skip }, () => pad), ...a, pad];
          return T.from(padded).subarray(skip, skip + a.length);
        });
    }
    case 'fixed':
      return fc.array(valueArb(t.el, o), { minLength: t.n, maxLength: t.n });
    case 'map': {
      const key = valueArb(t.key, o);
      const val = valueArb(t.val, o);
      return fc
        .uniqueArray(key, { maxLength: maxList, selector: (k) => k })
        .chain((keys) =>
          fc
            .array(val, { minLength: keys.length, maxLength: keys.length })
            .map((vals) => new Map(keys.map((k, i) => [k, vals[i]]))),
        );
    }
    case 'tuple':
      return fc.tuple(...t.els.map((e) => valueArb(e, o)));
    case 'option': {
      const inner = valueArb(t.el, o);
      if (optionTagged(t)) {
        return fc.oneof(
          fc.constant({ tag: 'none' }),
          inner.map((val) => ({ tag: 'some', val })),
        );
      }
      return fc.oneof(
        { arbitrary: fc.constantFrom(undefined, null), weight: 1 },
        { arbitrary: inner, weight: 3 },
      );
    }
    case 'result':
      return fc.oneof(caseValue('ok', t.ok, o), caseValue('err', t.err, o));
    case 'variant':
      return fc.oneof(...t.cases.map((c) => caseValue(c.name, c.ty, o)));
    case 'enum':
      return fc.constantFrom(...t.cases);
    case 'flags':
      // Missing members are false; present ones are booleans.
      return fc
        .array(fc.constantFrom<boolean | undefined>(true, false, undefined), {
          minLength: t.flags.length,
          maxLength: t.flags.length,
        })
        .map((bits) => {
          const o: Record<string, boolean> = {};
          t.flags.forEach((f, i) => {
            if (bits[i] !== undefined) o[lowerCamel(f)] = bits[i]!;
          });
          return o;
        });
    case 'alias':
      return valueArb(t.ty, o);
    case 'record':
      return fc.tuple(...t.fields.map((f) => valueArb(f.ty, o))).map((vs) => {
        const r: Record<string, unknown> = {};
        t.fields.forEach((f, i) => {
          r[lowerCamel(f.name)] = vs[i];
        });
        return r;
      });
  }
}

function caseValue(tag: string, ty: Ty | null, o: ValueArbOptions): fc.Arbitrary<unknown> {
  if (!ty) return fc.constant({ tag });
  return valueArb(ty, o).map((val) => ({ tag, val }));
}

// -------------------------------------------------------------------------------------------
// Equality of a lifted value with the value that was lowered.

/**
 * Whether `got` (a value lifted by generated code) is what lifting `want` (a value given to
 * lowering) must produce. Exact rules:
 * - numbers compare with `Object.is` (so `-0` ≠ `0`), except that NaN equals NaN whatever its
 *   payload, and a lifted NaN must have the canonical bits (0x7fc00000 stored as f32,
 *   0x7ff8000000000000 as f64); 64-bit integers are bigints, compared with `===`;
 * - a numeric list lifts to the typed array of its element type (`Uint8Array` for `list<u8>`,
 *   `Float32Array` for `list<f32>`, …) whatever was lowered (typed or plain array);
 *   other lists, fixed lists and tuples lift to plain arrays of the same length;
 * - `map<K, V>` lifts to a `Map` with the same entries in the same order;
 * - an untagged `option` lifts none to `undefined` (lowering also takes `null`); a tagged one
 *   (`option<option<…>>`) to `{ tag: 'none' }` / `{ tag: 'some', val }`;
 * - `result`/`variant` lift to `{ tag, val }`, with no `val` property for a case without payload;
 * - records lift to objects with exactly their lowerCamelCase fields;
 * - flags lift to an object whose members are booleans (or absent, meaning false), compared
 *   member by member with missing = false.
 * Returns null when equal, else a description of the first difference.
 */
export function diff(t0: Ty, got: unknown, want: unknown, path = '$'): string | null {
  const t = dealias(t0);
  const bad = (what: string) => `${path}: ${what} (got ${show(got)}, want ${show(want)})`;
  switch (t.k) {
    case 'prim':
      switch (t.p) {
        case 'f32':
        case 'f64':
          if (typeof got !== 'number') return bad('not a number');
          if (Number.isNaN(got) && !canonicalNaN(t.p, got))
            return bad('a NaN with non-canonical bits');
          return Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want))
            ? null
            : bad('different');
        case 'u64':
        case 's64':
          return typeof got === 'bigint' && got === want ? null : bad('different');
        case 'bool':
          return got === want ? null : bad('different');
        default:
          return typeof got === typeof want && got === want ? null : bad('different');
      }
    case 'list': {
      const Typed = typedArrayOf(t);
      if (Typed) {
        if (!(got instanceof Typed)) return bad(`not a ${Typed.name}`);
      } else if (!Array.isArray(got)) return bad('not an array');
      const g = got as ArrayLike<unknown>;
      const w = want as ArrayLike<unknown>;
      if (g.length !== w.length) return bad('length differs');
      for (let i = 0; i < g.length; i++) {
        const d = diff(t.el, g[i], w[i], `${path}[${i}]`);
        if (d) return d;
      }
      return null;
    }
    case 'fixed':
    case 'tuple': {
      const els = t.k === 'tuple' ? t.els : Array.from({ length: t.n }, () => t.el);
      if (!Array.isArray(got) || got.length !== els.length)
        return bad('not an array of the right length');
      const w = want as unknown[];
      for (let i = 0; i < els.length; i++) {
        const d = diff(els[i]!, got[i], w[i], `${path}[${i}]`);
        if (d) return d;
      }
      return null;
    }
    case 'map': {
      if (!(got instanceof Map)) return bad('not a Map');
      const w = want as Map<unknown, unknown>;
      if (got.size !== w.size) return bad('size differs');
      const ge = [...got.entries()];
      const we = [...w.entries()];
      for (let i = 0; i < ge.length; i++) {
        const dk = diff(t.key, ge[i]![0], we[i]![0], `${path}.key(${i})`);
        if (dk) return dk;
        const dv = diff(t.val, ge[i]![1], we[i]![1], `${path}.get(${i})`);
        if (dv) return dv;
      }
      return null;
    }
    case 'option': {
      if (optionTagged(t))
        return diffCase(t.el, got, want as { tag: string; val?: unknown }, path, bad, 'none');
      if (want === undefined || want === null)
        return got === undefined ? null : bad('expected undefined');
      if (got === undefined) return bad('expected some');
      return diff(t.el, got, want, path);
    }
    case 'result': {
      const w = want as { tag: string; val?: unknown };
      return diffCase(w.tag === 'ok' ? t.ok : t.err, got, w, path, bad);
    }
    case 'variant': {
      const w = want as { tag: string; val?: unknown };
      const c = t.cases.find((c) => c.name === w.tag)!;
      return diffCase(c.ty, got, w, path, bad);
    }
    case 'alias':
      return diff(t.ty, got, want, path);
    case 'enum':
      return got === want ? null : bad('different');
    case 'flags': {
      if (typeof got !== 'object' || got === null) return bad('not an object');
      const g = got as Record<string, unknown>;
      const w = want as Record<string, unknown>;
      for (const f of t.flags) {
        const n = lowerCamel(f);
        if (g[n] !== undefined && typeof g[n] !== 'boolean') return bad(`flag ${n} not a boolean`);
        // Own members only: a flag named `value-of` is not set by Object.prototype.valueOf.
        const own = (o: Record<string, unknown>) =>
          Object.prototype.hasOwnProperty.call(o, n) && o[n] === true;
        if (own(g) !== own(w)) return bad(`flag ${n} differs`);
      }
      return null;
    }
    case 'record': {
      if (typeof got !== 'object' || got === null) return bad('not an object');
      const g = got as Record<string, unknown>;
      const w = want as Record<string, unknown>;
      const names = t.fields.map((f) => lowerCamel(f.name));
      const keys = Object.keys(g);
      if (
        keys.length !== names.length ||
        !names.every((n) => Object.prototype.hasOwnProperty.call(g, n))
      ) {
        return bad(`fields ${JSON.stringify(keys)} instead of ${JSON.stringify(names)}`);
      }
      for (let i = 0; i < names.length; i++) {
        const d = diff(t.fields[i]!.ty, g[names[i]!], w[names[i]!], `${path}.${names[i]}`);
        if (d) return d;
      }
      return null;
    }
  }
}

function diffCase(
  payload: Ty | null,
  got: unknown,
  want: { tag: string; val?: unknown },
  path: string,
  bad: (w: string) => string,
  noPayloadTag?: string,
): string | null {
  if (typeof got !== 'object' || got === null) return bad('not an object');
  const g = got as { tag?: unknown; val?: unknown };
  if (g.tag !== want.tag) return bad('tag differs');
  const keys = Object.keys(g);
  if (want.tag === noPayloadTag || payload === null) {
    return keys.length === 1 ? null : bad('a case without payload must have no `val`');
  }
  if (keys.length !== 2 || !('val' in g)) return bad('expected exactly `tag` and `val`');
  return diff(payload, g.val, want.val, `${path}.val`);
}

export function show(v: unknown): string {
  try {
    return (
      JSON.stringify(v, (_k, x: unknown) => {
        if (typeof x === 'bigint') return `${x}n`;
        if (typeof x === 'number' && !Number.isFinite(x)) return String(x);
        if (typeof x === 'number' && Object.is(x, -0)) return '-0';
        if (typeof x === 'symbol') return String(x);
        if (x instanceof Map) return { Map: [...x.entries()] };
        if (ArrayBuffer.isView(x))
          return { [x.constructor.name]: Array.from(x as unknown as ArrayLike<unknown>) };
        return x;
      })?.slice(0, 300) ?? String(v)
    );
  } catch {
    return String(v);
  }
}

// -------------------------------------------------------------------------------------------
// Wrong values: one bad spot at a random nested position, with the path the error must name.

export interface Mutation {
  readonly value: unknown;
  /** The message must start with `${path}: `. */
  readonly path: string;
  readonly error: 'TypeError' | 'RangeError';
}

interface Spot {
  readonly path: string;
  readonly ty: Ty;
  readonly value: unknown;
  /** Returns the whole top-level value with this spot replaced. */
  readonly replace: (v: unknown) => unknown;
  /** The path once the spot holds `v` (a map key names itself in the path). */
  readonly pathFor?: (v: unknown) => string;
}

/** Every position of `value` (of type `t` at `path`) that a validator inspects. */
function spots(
  t0: Ty,
  value: unknown,
  path: string,
  replace: (v: unknown) => unknown,
  out: Spot[],
): void {
  const t = dealias(t0);
  out.push({ path, ty: t, value, replace });
  switch (t.k) {
    case 'prim':
    case 'enum':
    case 'flags':
      return;
    case 'list':
    case 'fixed':
    case 'tuple': {
      const arr = Array.from(value as ArrayLike<unknown>);
      arr.forEach((e, i) => {
        const et = t.k === 'tuple' ? t.els[i]! : t.el;
        spots(et, e, `${path}[${i}]`, (v) => replace(arr.map((x, j) => (j === i ? v : x))), out);
      });
      return;
    }
    case 'map': {
      const entries = [...(value as Map<unknown, unknown>).entries()];
      entries.forEach(([k, v], i) => {
        const rebuild = (nk: unknown, nv: unknown) =>
          replace(new Map(entries.map(([a, b], j) => (j === i ? [nk, nv] : [a, b]))));
        out.push({
          path: `${path} key ${String(k)}`,
          ty: dealias(t.key),
          value: k,
          replace: (x) => rebuild(x, v),
          pathFor: (x) => `${path} key ${String(x)}`,
        });
        spots(t.val, v, `${path}.get(${String(k)})`, (x) => rebuild(k, x), out);
      });
      return;
    }
    case 'option': {
      if (optionTagged(t)) {
        const o = value as { tag: string; val?: unknown };
        if (o.tag === 'some')
          spots(t.el, o.val, `${path}.val`, (v) => replace({ tag: 'some', val: v }), out);
      } else if (value !== undefined && value !== null) {
        // An untagged option's payload is validated at the option's own path; the option
        // position itself was pushed above, so skip the payload's top spot (same path, same check).
        const inner: Spot[] = [];
        spots(t.el, value, path, replace, inner);
        out.push(...inner.slice(1));
      }
      return;
    }
    case 'result':
    case 'variant': {
      const o = value as { tag: string; val?: unknown };
      const payload =
        t.k === 'result'
          ? o.tag === 'ok'
            ? t.ok
            : t.err
          : t.cases.find((c) => c.name === o.tag)!.ty;
      if (payload)
        spots(payload, o.val, `${path}.val`, (v) => replace({ tag: o.tag, val: v }), out);
      return;
    }
    case 'record': {
      const r = value as Record<string, unknown>;
      for (const f of t.fields) {
        const n = lowerCamel(f.name);
        spots(f.ty, r[n], `${path}.${n}`, (v) => replace({ ...r, [n]: v }), out);
      }
      return;
    }
  }
}

/** Wrong values for a spot of type `t`, each with the error class it must raise and its path suffix. */
function wrongValues(
  t: Ty,
  value: unknown,
): { v: unknown; error: 'TypeError' | 'RangeError'; suffix?: string }[] {
  const out: { v: unknown; error: 'TypeError' | 'RangeError'; suffix?: string }[] = [
    { v: Symbol('bad'), error: 'TypeError' },
  ];
  switch (t.k) {
    case 'prim':
      switch (t.p) {
        case 'bool':
          out.push({ v: 1, error: 'TypeError' }, { v: 'true', error: 'TypeError' });
          break;
        case 'u64':
        case 's64':
          out.push(
            { v: 1, error: 'TypeError' },
            { v: t.p === 'u64' ? -1n : 2n ** 63n, error: 'RangeError' },
            { v: 2n ** 64n, error: 'RangeError' },
          );
          break;
        case 'f32':
        case 'f64':
          out.push({ v: 1n, error: 'TypeError' }, { v: '1.5', error: 'TypeError' });
          break;
        case 'char':
          out.push(
            { v: 'ab', error: 'TypeError' },
            { v: '', error: 'TypeError' },
            { v: '\ud800', error: 'TypeError' },
            { v: 65, error: 'TypeError' },
          );
          break;
        case 'string':
          out.push(
            { v: 'ok\udc00', error: 'TypeError' },
            { v: 5, error: 'TypeError' },
            { v: null, error: 'TypeError' },
          );
          break;
        default: {
          const [min, max] = INT_RANGE[t.p]!;
          out.push(
            { v: max + 1, error: 'RangeError' },
            { v: min - 1, error: 'RangeError' },
            { v: 0.5, error: 'RangeError' },
            { v: 1n, error: 'TypeError' },
            { v: '1', error: 'TypeError' },
          );
        }
      }
      break;
    case 'list':
      out.push({ v: {}, error: 'TypeError' }, { v: 'abc', error: 'TypeError' });
      break;
    case 'fixed':
      out.push(
        { v: Array.from({ length: t.n + 1 }, () => (value as unknown[])[0]), error: 'TypeError' },
        { v: {}, error: 'TypeError' },
      );
      break;
    case 'tuple':
      out.push(
        { v: (value as unknown[]).slice(1), error: 'TypeError' },
        { v: {}, error: 'TypeError' },
      );
      break;
    case 'map':
      out.push({ v: [], error: 'TypeError' }, { v: {}, error: 'TypeError' });
      break;
    case 'option':
      if (optionTagged(t)) out.push({ v: { tag: 'maybe' }, error: 'TypeError', suffix: '.tag' });
      break;
    case 'result':
      out.push(
        { v: { tag: 'error' }, error: 'TypeError', suffix: '.tag' },
        { v: 7, error: 'TypeError' },
      );
      break;
    case 'variant':
      out.push(
        { v: { tag: 'no-such-case' }, error: 'TypeError', suffix: '.tag' },
        { v: null, error: 'TypeError' },
      );
      break;
    case 'enum':
      out.push({ v: 'no-such-case', error: 'TypeError' }, { v: 0, error: 'TypeError' });
      break;
    case 'flags':
      out.push({ v: null, error: 'TypeError' }, { v: 3, error: 'TypeError' });
      break;
    case 'record':
      out.push({ v: null, error: 'TypeError' }, { v: 'record', error: 'TypeError' });
      break;
    case 'alias':
      break;
  }
  return out;
}

/**
 * Replaces one spot of an argument with a wrong value. `pick` chooses among the spots and the
 * wrong values (modulo their numbers).
 */
export function mutate(
  t: Ty,
  value: unknown,
  argPath: string,
  pick: readonly [number, number],
): Mutation {
  const all: Spot[] = [];
  spots(t, value, argPath, (v) => v, all);
  const spot = all[pick[0] % all.length]!;
  const wrong = wrongValues(spot.ty, spot.value);
  const w = wrong[pick[1] % wrong.length]!;
  const path = spot.pathFor ? spot.pathFor(w.v) : spot.path;
  return { value: spot.replace(w.v), path: path + (w.suffix ?? ''), error: w.error };
}
