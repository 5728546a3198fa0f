#!/usr/bin/env node
// Cross-checks witbind's canonical ABI against the reference implementation, the spec's
// design/mvp/canonical-abi/definitions.py (WebAssembly/component-model), on random types and
// values (the generators of test/property/wit-gen.ts, seeded).
//
//   node scripts/crosscheck-abi.mjs --definitions PATH [--seed N] [--count N] [--python python3]
//
// For every random function (params and result of random types) and every string encoding:
// - layout: definitions.py `elem_size`/`alignment`/`flatten_type` of every named type and every
//   param/result type vs witbind's SizeAlign/Flattener; `flatten_functype(…, 'lift'/'lower')`
//   vs the planner's core signatures;
// - export lowering: the bytes witbind's generated code writes into guest memory, the flat
//   arguments it passes and its realloc calls (old ptr, old size, align, new size) vs
//   `lower_flat_values(cx, MAX_FLAT_PARAMS, …)` with the same bump allocator — byte for byte, the
//   whole memory;
// - export lifting: the guest's result as `lower_flat_values(cx, MAX_FLAT_RESULTS, …)` stores it,
//   lifted by witbind, vs the value;
// - import lifting: args stored by the reference, lifted by witbind's import wrapper, vs the values;
// - import lowering: the result witbind writes through the return pointer (or returns flat), its
//   reallocs and the whole memory vs `lower_flat_values(…, out_param)`.
// Python runs definitions.py with DETERMINISTIC_PROFILE = True (canonical NaNs). JS strings are
// the spec's UTF-16 source strings. Exits 1 on any mismatch.
//
// witbind's TypeScript sources are transpiled (typescript.transpileModule) into
// .cache/crosscheck-abi/<pid>/ (removed on exit), so no build is needed.
//
// Lift fuzzing (--mutants per function and encoding): the reference's args/result with random
// bytes of guest memory and/or flat values corrupted; witbind must lift exactly what
// definitions.py lifts, or trap exactly when it traps.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: opts } = parseArgs({
  options: {
    definitions: { type: 'string' },
    seed: { type: 'string', default: '1' },
    count: { type: 'string', default: '200' },
    python: { type: 'string', default: 'python3' },
    'per-world': { type: 'string', default: '25' },
    mutants: { type: 'string', default: '6' },
    verbose: { type: 'boolean', default: false },
  },
});
if (!opts.definitions) {
  console.error(
    'usage: node scripts/crosscheck-abi.mjs --definitions PATH/definitions.py [--seed N] [--count N] [--python python3]',
  );
  process.exit(2);
}
const SEED = Number(opts.seed);
const COUNT = Number(opts.count);
const PER_WORLD = Number(opts['per-world']);
const MUTANTS = Number(opts.mutants);
const ENCODINGS = ['utf8', 'utf16', 'latin1+utf16'];
const PAGES = 16;
const MEM_SIZE = PAGES * 65536;
const HEAP = 16;
const PKG = 'xc:abi';

// ---------------------------------------------------------------------------------------------
// witbind from source: transpile src/ and the generators into .cache/crosscheck-abi/.

const CACHE = join(ROOT, '.cache/crosscheck-abi', String(process.pid));
const ts = (await import('typescript')).default;
rmSync(CACHE, { recursive: true, force: true });
process.on('exit', () => rmSync(CACHE, { recursive: true, force: true }));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));
const transpile = (from) => {
  for (const name of readdirSync(join(ROOT, from))) {
    const rel = join(from, name);
    if (statSync(join(ROOT, rel)).isDirectory()) transpile(rel);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts')) {
      const out = ts.transpileModule(readFileSync(join(ROOT, rel), 'utf8'), {
        compilerOptions: {
          module: ts.ModuleKind.ESNext,
          target: ts.ScriptTarget.ES2022,
          verbatimModuleSyntax: true,
        },
        fileName: rel,
      });
      const dest = join(CACHE, rel.replace(/\.ts$/, '.js'));
      mkdirSync(dirname(dest), { recursive: true });
      writeFileSync(dest, out.outputText);
    }
  }
};
transpile('src');
mkdirSync(join(CACHE, 'test/property'), { recursive: true });
for (const f of ['wit-gen.ts']) {
  const out = ts.transpileModule(readFileSync(join(ROOT, 'test/property', f), 'utf8'), {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
    },
  });
  writeFileSync(join(CACHE, 'test/property', f.replace(/\.ts$/, '.js')), out.outputText);
}
const imp = (p) => import(pathToFileURL(join(CACHE, p)).href);
const { generateWorld } = await imp('src/generate.js');
const { loadWitSource, selectWorld } = await imp('src/wit/load.js');
const { Planner } = await imp('src/abi/plan.js');
const runtime = await imp('src/runtime/index.js');
const gen = await imp('test/property/wit-gen.js');
const fc = (await import('fast-check')).default;

// ---------------------------------------------------------------------------------------------
// Random cases: a function (random params and result) with argument and result values.

const caseArb = gen.funcArb(gen.typeArb({ depth: 3 })).chain((f) =>
  fc.record({
    f: fc.constant(f),
    args: fc.tuple(...f.params.map((p) => gen.valueArb(p.ty))),
    result: f.result ? gen.valueArb(f.result) : fc.constant(undefined),
  }),
);
/**
 * NaNs with payloads become the canonical NaN: lowering may store any NaN (definitions.py
 * `maybe_scramble_nan32/64`), so memory and flat values are compared byte for byte only for
 * canonical inputs. (Lifting must canonicalize; the lift fuzz checks that.)
 */
function canonicalNaNs(v) {
  if (typeof v === 'number') return Number.isNaN(v) ? NaN : v;
  if (v instanceof Float32Array || v instanceof Float64Array)
    return v.map((x) => (Number.isNaN(x) ? NaN : x));
  if (ArrayBuffer.isView(v)) return v;
  if (Array.isArray(v)) return v.map(canonicalNaNs);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, canonicalNaNs(x)]));
  if (typeof v === 'object' && v !== null)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, canonicalNaNs(x)]));
  return v;
}
const cases = fc
  .sample(caseArb, { seed: SEED, numRuns: COUNT })
  .map((c) => ({ f: c.f, args: canonicalNaNs(c.args), result: canonicalNaNs(c.result) }));

// ---------------------------------------------------------------------------------------------
// Values for the Python side (type-directed; floats as little-endian hex bits, 64-bit ints as
// strings, variants/options/results/enums as { label: payload | null }).

const hex = (bytes) => Buffer.from(bytes).toString('hex');
const f32hex = (x) => {
  const b = new DataView(new ArrayBuffer(4));
  b.setFloat32(0, x, true);
  return hex(new Uint8Array(b.buffer));
};
const f64hex = (x) => {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, x, true);
  return hex(new Uint8Array(b.buffer));
};

function toPy(t0, v) {
  const t = gen.dealias(t0);
  switch (t.k) {
    case 'prim':
      switch (t.p) {
        case 'u64':
        case 's64':
          return v.toString();
        case 'f32':
          return f32hex(v);
        case 'f64':
          return f64hex(v);
        default:
          return v;
      }
    case 'list':
    case 'fixed':
      return Array.from(v, (x) => toPy(t.el, x));
    case 'map':
      return [...v].map(([k, x]) => [toPy(t.key, k), toPy(t.val, x)]);
    case 'tuple':
      return v.map((x, i) => toPy(t.els[i], x));
    case 'option':
      if (gen.optionTagged(t))
        return v.tag === 'none' ? { none: null } : { some: toPy(t.el, v.val) };
      return v === undefined || v === null ? { none: null } : { some: toPy(t.el, v) };
    case 'result':
      return v.tag === 'ok'
        ? { ok: t.ok ? toPy(t.ok, v.val) : null }
        : { error: t.err ? toPy(t.err, v.val) : null };
    case 'variant': {
      const c = t.cases.find((c) => c.name === v.tag);
      return { [v.tag]: c.ty ? toPy(c.ty, v.val) : null };
    }
    case 'enum':
      return { [v]: null };
    case 'flags':
      // Own members only (a flag named `value-of` is not set by Object.prototype.valueOf).
      return Object.fromEntries(
        t.flags.map((f) => [
          f,
          Object.prototype.hasOwnProperty.call(v, gen.lowerCamel(f)) &&
            v[gen.lowerCamel(f)] === true,
        ]),
      );
    case 'record':
      return Object.fromEntries(
        t.fields.map((f) => [f.name, toPy(f.ty, v[gen.lowerCamel(f.name)])]),
      );
  }
  throw new Error(`toPy: ${t.k}`);
}

/**
 * definitions.py lifts `map<K, V>` as the list of pairs it is; bindings keep the *last* value of a
 * duplicated key (Explainer: "the last (key, value) pair in the list defines the value"), in a JS
 * `Map` at the position of the key's first appearance. Normalizes a reference value to that.
 */
function lastKeyWins(t0, v) {
  const t = gen.dealias(t0);
  switch (t.k) {
    case 'list':
    case 'fixed':
      return v.map((x) => lastKeyWins(t.el, x));
    case 'map': {
      const m = new Map();
      for (const [k, x] of v) m.set(JSON.stringify(k), [k, lastKeyWins(t.val, x)]);
      return [...m.values()];
    }
    case 'tuple':
      return v.map((x, i) => lastKeyWins(t.els[i], x));
    case 'record':
      return Object.fromEntries(t.fields.map((f) => [f.name, lastKeyWins(f.ty, v[f.name])]));
    case 'option':
    case 'result':
    case 'variant': {
      const [[label, x]] = Object.entries(v);
      const payload =
        t.k === 'option'
          ? label === 'some'
            ? t.el
            : null
          : t.k === 'result'
            ? label === 'ok'
              ? t.ok
              : t.err
            : t.cases.find((c) => c.name === label).ty;
      return { [label]: payload && x !== null ? lastKeyWins(payload, x) : x };
    }
    default:
      return v;
  }
}

// ---------------------------------------------------------------------------------------------
// The Python harness: definitions.py on the same cases.

const PY = String.raw`
import sys, json, struct, random, importlib.util
spec = importlib.util.spec_from_file_location('definitions', sys.argv[1])
d = importlib.util.module_from_spec(spec)
sys.modules['definitions'] = d
spec.loader.exec_module(d)
d.DETERMINISTIC_PROFILE = True
PTR = 'i32'

PRIM = {'bool': d.BoolType, 'u8': d.U8Type, 's8': d.S8Type, 'u16': d.U16Type, 's16': d.S16Type,
        'u32': d.U32Type, 's32': d.S32Type, 'u64': d.U64Type, 's64': d.S64Type, 'f32': d.F32Type,
        'f64': d.F64Type, 'char': d.CharType, 'string': d.StringType}

def ty(j):
  k = j['k']
  if k == 'prim': return PRIM[j['p']]()
  if k == 'list': return d.ListType(ty(j['el']))
  if k == 'fixed': return d.ListType(ty(j['el']), j['n'])
  if k == 'map': return d.ListType(d.TupleType([ty(j['key']), ty(j['val'])]))
  if k == 'tuple': return d.TupleType([ty(e) for e in j['els']])
  if k == 'option': return d.OptionType(ty(j['el']))
  if k == 'result': return d.ResultType(ty(j['ok']) if j['ok'] else None, ty(j['err']) if j['err'] else None)
  if k == 'record': return d.RecordType([d.FieldType(f['name'], ty(f['ty'])) for f in j['fields']])
  if k == 'variant': return d.VariantType([d.CaseType(c['name'], ty(c['ty']) if c['ty'] else None) for c in j['cases']])
  if k == 'enum': return d.EnumType(list(j['cases']))
  if k == 'flags': return d.FlagsType(list(j['flags']))
  if k == 'alias': return ty(j['ty'])
  raise Exception(k)

def val(t, v):
  match t:
    case d.BoolType(): return bool(v)
    case d.F32Type(): return struct.unpack('<f', bytes.fromhex(v))[0]
    case d.F64Type(): return struct.unpack('<d', bytes.fromhex(v))[0]
    case d.CharType(): return v
    case d.StringType(): return (v, 'utf16', len(v.encode('utf-16-le', 'surrogatepass')) // 2)
    case d.ListType(e, l): return [val(e, x) for x in v]
    case d.TupleType(ts): return {str(i): val(tt, x) for i, (tt, x) in enumerate(zip(ts, v))}
    case d.RecordType(fs): return {f.label: val(f.t, v[f.label]) for f in fs}
    case d.FlagsType(ls): return {l: bool(v[l]) for l in ls}
    case d.EnumType() | d.OptionType() | d.ResultType() | d.VariantType():
      [(label, x)] = v.items()
      [c] = [c for c in d.despecialize(t).cases if c.label == label]
      return {label: val(c.t, x) if c.t is not None else None}
    case _: return int(v)

def enc_val(t, v):
  # A lifted value in the form the JS side's toPy() gives.
  match t:
    case d.BoolType(): return bool(v)
    case d.F32Type(): return struct.pack('<f', v).hex()
    case d.F64Type(): return struct.pack('<d', v).hex()
    case d.U64Type() | d.S64Type(): return str(v)
    case d.CharType(): return v
    case d.StringType(): return v[0]
    case d.ListType(e, l): return [enc_val(e, x) for x in v]
    case d.TupleType(ts): return [enc_val(tt, v[str(i)]) for i, tt in enumerate(ts)]
    case d.RecordType(fs): return {f.label: enc_val(f.t, v[f.label]) for f in fs}
    case d.FlagsType(ls): return {l: bool(v[l]) for l in ls}
    case d.EnumType() | d.OptionType() | d.ResultType() | d.VariantType():
      [(label, x)] = v.items()
      [c] = [c for c in d.despecialize(t).cases if c.label == label]
      return {label: enc_val(c.t, x) if c.t is not None else None}
    case _: return v

def mutate_flat(rng, types, vals, protect):
  vals = list(vals)
  idx = [i for i in range(len(vals)) if i not in protect]
  if not idx: return vals
  i = rng.choice(idx)
  t = types[i]
  v = vals[i]
  if t == 'i32':
    vals[i] = rng.choice([0, 1, 2, 3, 0xffffffff, 0x80000000, rng.randrange(2**32), rng.randrange(300),
                          (v + rng.choice([-2, -1, 1, 2, 4, 8])) % 2**32, v ^ (1 << rng.randrange(32))])
  elif t == 'i64':
    vals[i] = rng.choice([0, 2**64 - 1, rng.randrange(2**64), v ^ (1 << rng.randrange(64)), rng.randrange(300)])
  elif t == 'f32':
    vals[i] = struct.unpack('<f', struct.pack('<I', rng.randrange(2**32)))[0]
  else:
    vals[i] = struct.unpack('<d', struct.pack('<Q', rng.randrange(2**64)))[0]
  return vals

def mutate_mem(rng, mem, lo, hi):
  if hi <= lo: return
  for _ in range(rng.choice([1, 1, 2, 4])):
    pos = rng.randrange(lo, hi)
    mem[pos] = rng.choice([0, 1, 0xff, 0x80, 0x7f, rng.randrange(256), mem[pos] ^ (1 << rng.randrange(8))])

def lift_fuzz(rng, enc, size, heap, base, top, types, flat, ts, max_flat, protect, mutants):
  # Corrupts memory bytes in [heap, top) and/or flat values; records what definitions.py lifts.
  out = []
  for _ in range(mutants):
    mem = bytearray(base)
    vals = list(flat)
    how = rng.randrange(3)
    if how != 1: mutate_mem(rng, mem, heap, top)
    if how != 0: vals = mutate_flat(rng, types, vals, protect)
    cx, alloc = context(enc, size, top)
    cx.opts.memory.bytes[:] = mem
    try:
      got = d.lift_flat_values(cx, max_flat, d.CoreValueIter(vals[:len(vals) - len(protect)]), ts)
      expect = [enc_val(t, v) for t, v in zip(ts, got)]
    except d.Trap:
      expect = 'trap'
    out.append({'flat': flat_out(types, vals), 'image': bytes(mem[:top]).hex(), 'top': top, 'expect': expect})
  return out

def flat_out(types, vals):
  out = []
  for t, v in zip(types, vals):
    if t == 'f32': out.append(struct.pack('<f', v).hex())
    elif t == 'f64': out.append(struct.pack('<d', v).hex())
    else: out.append(str(v))
  assert len(types) == len(vals), (types, vals)
  return out

class Alloc:
  def __init__(self, mem, top):
    self.mem = mem
    self.top = top
    self.log = []
  def realloc(self, old, oldsz, align, new):
    self.log.append([old, oldsz, align, new])
    assert align in (1, 2, 4, 8), align
    p = d.align_to(self.top, align)
    if p + new > len(self.mem): raise d.Trap()
    if old:
      n = min(oldsz, new)
      self.mem.bytes[p:p+n] = self.mem.bytes[old:old+n]
    self.top = p + new
    return p

def context(enc, mem_bytes, top):
  mem = d.MemInst(bytearray(mem_bytes), PTR)
  alloc = Alloc(mem, top)
  opts = d.CanonicalOptions(memory=mem, string_encoding=enc, realloc=alloc.realloc)
  cx = d.LiftLowerContext(opts, d.ComponentInstance(d.Store()))
  return cx, alloc

def layout(t, opts):
  return {'size': d.elem_size(t, PTR), 'align': d.alignment(t, PTR), 'flat': d.flatten_type(t, opts)}

def image(mem, top):
  return bytes(mem.bytes[:top]).hex()

def run(job):
  enc, size, heap = job['encoding'], job['memSize'], job['heap']
  cx0, _ = context(enc, size, heap)
  out = {'defs': [layout(ty(t), cx0.opts) for t in job['defs']], 'funcs': []}
  for c in job['funcs']:
    ps = [ty(p['ty']) for p in c['params']]
    rs = [ty(c['result'])] if c['result'] else []
    ft = d.FuncType([(p['name'], t) for p, t in zip(c['params'], ps)], rs)
    r = {'params': [layout(t, cx0.opts) for t in ps], 'results': [layout(t, cx0.opts) for t in rs],
         'tuple': {'size': d.elem_size(d.TupleType(ps), PTR) if ps else 0, 'align': d.alignment(d.TupleType(ps), PTR) if ps else 1}}
    lift = d.flatten_functype(cx0.opts, ft, 'lift')
    lower = d.flatten_functype(cx0.opts, ft, 'lower')
    r['lift'] = {'params': lift.params, 'results': lift.results}
    r['lower'] = {'params': lower.params, 'results': lower.results}
    try:
      # Export: the host lowers the args (canon_lift's lower_flat_values).
      cx, alloc = context(enc, size, heap)
      args = [val(t, a) for t, a in zip(ps, c['args'])]
      flat = d.lower_flat_values(cx, d.MAX_FLAT_PARAMS, args, ps)
      r['exportArgs'] = {'flat': flat_out(lift.params, flat), 'image': image(cx.opts.memory, alloc.top), 'top': alloc.top, 'log': alloc.log}
      after_args, top_args = bytes(cx.opts.memory.bytes), alloc.top
      rng = random.Random(job['seed'] * 1000003 + len(out['funcs']))
      if rs:
        res = val(rs[0], c['resultValue'])
        # Export: the guest returns its result (flat, or a pointer to where it stored it).
        alloc.log = []
        flat_r = d.lower_flat_values(cx, d.MAX_FLAT_RESULTS, [res], rs)
        r['exportResult'] = {'flat': flat_out(lift.results, flat_r), 'image': image(cx.opts.memory, alloc.top), 'top': alloc.top}
        # Lift fuzz: the guest's result corrupted; what canon_lift's lift_flat_values makes of it.
        r['exportFuzz'] = lift_fuzz(rng, enc, size, heap, bytes(cx.opts.memory.bytes), alloc.top, lift.results,
                                    flat_r, rs, d.MAX_FLAT_RESULTS, [], job['mutants'])
      # Import: the guest passes the same args (and a return area it allocates) ...
      cx, alloc = context(enc, size, heap)
      cx.opts.memory.bytes[:] = after_args
      alloc.top = top_args
      flat_args = list(flat)
      retptr = None
      if len(d.flatten_types(rs, cx.opts)) > d.MAX_FLAT_RESULTS:
        tt = d.TupleType(rs)
        retptr = alloc.realloc(0, 0, d.alignment(tt, PTR), d.elem_size(tt, PTR))
        flat_args.append(retptr)
      r['importArgs'] = {'flat': flat_out(lower.params, flat_args), 'image': image(cx.opts.memory, alloc.top), 'top': alloc.top}
      # Lift fuzz: the guest's args corrupted (never the return pointer); what canon_lower lifts.
      r['importFuzz'] = lift_fuzz(rng, enc, size, heap, bytes(cx.opts.memory.bytes), alloc.top, lower.params, flat_args,
                                  ps, d.MAX_FLAT_PARAMS, [len(flat_args) - 1] if retptr is not None else [], job['mutants'])
      # ... and the host lowers the result (canon_lower's lower_flat_values with out_param).
      if rs:
        alloc.log = []
        out_param = d.CoreValueIter([retptr]) if retptr is not None else None
        flat_r = d.lower_flat_values(cx, d.MAX_FLAT_RESULTS, [res], rs, out_param)
        r['importResult'] = {'flat': flat_out(lower.results, flat_r), 'image': image(cx.opts.memory, alloc.top), 'top': alloc.top, 'log': alloc.log}
    except d.Trap:
      r['trap'] = True
    out['funcs'].append(r)
  return out

jobs = json.load(sys.stdin)
json.dump([run(j) for j in jobs], sys.stdout)
`;

// ---------------------------------------------------------------------------------------------
// JS side: core values as wasm would see them.

/** A JS value given to a core function, as the wasm param it becomes (JS API ToWebAssemblyValue). */
function fromJs(type, x) {
  switch (type) {
    case 'i32':
      if (typeof x !== 'number') return `not a number: ${typeof x}`;
      return String(x >>> 0);
    case 'i64':
      if (typeof x !== 'bigint') return `not a bigint: ${typeof x}`;
      return String(BigInt.asUintN(64, x));
    case 'f32':
      if (typeof x !== 'number') return `not a number: ${typeof x}`;
      return f32hex(Math.fround(x));
    case 'f64':
      if (typeof x !== 'number') return `not a number: ${typeof x}`;
      return f64hex(x);
  }
  throw new Error(type);
}

/** A core value (Python's form) as JS receives it from wasm (ToJSValue: i32 signed, i64 BigInt). */
function toJs(type, s) {
  switch (type) {
    case 'i32':
      return Number(BigInt.asIntN(32, BigInt(s)));
    case 'i64':
      return BigInt.asIntN(64, BigInt(s));
    case 'f32':
      return new DataView(new Uint8Array(Buffer.from(s, 'hex')).buffer).getFloat32(0, true);
    case 'f64':
      return new DataView(new Uint8Array(Buffer.from(s, 'hex')).buffer).getFloat64(0, true);
  }
  throw new Error(type);
}

const isNaNBits = (type, h) =>
  type === 'f32'
    ? Number.isNaN(toJs('f32', h))
    : type === 'f64'
      ? Number.isNaN(toJs('f64', h))
      : false;

function sameFlat(types, got, want) {
  if (got.length !== want.length) return false;
  return types.every(
    (t, i) => got[i] === want[i] || (isNaNBits(t, got[i]) && isNaNBits(t, want[i])),
  );
}

// ---------------------------------------------------------------------------------------------
// Running witbind's generated code on a fake guest.

const tally = {};
const count = (key, ok, trapped = false) => {
  tally[key] ??= { checked: 0, mismatches: 0, traps: 0 };
  tally[key].checked++;
  if (!ok) tally[key].mismatches++;
  if (trapped) tally[key].traps++;
  return ok;
};
const problems = [];
const problem = (msg) => {
  if (problems.length < 40) problems.push(msg);
};

function fullImage(h) {
  const b = new Uint8Array(MEM_SIZE);
  b.set(Buffer.from(h, 'hex'));
  return b;
}

function firstDiff(a, b) {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

async function checkWorld(batch, worldIndex) {
  const world = gen.makeWorld(batch.map((c) => c.f));
  const wit = gen.worldWit(world, PKG);
  const { resolve, main } = loadWitSource([{ path: 'w.wit', text: wit }]);
  const planner = new Planner(resolve);
  const iface = resolve.interfaces.find((i) => i.name === 'guest');
  const tIface = resolve.interfaces.find((i) => i.name === 't');
  const funcsJson = world.funcs.map((f, i) => ({
    params: f.params.map((p) => ({ name: p.name, ty: p.ty })),
    result: f.result,
    args: f.params.map((p, j) => toPy(p.ty, batch[i].args[j])),
    ...(f.result ? { resultValue: toPy(f.result, batch[i].result) } : {}),
  }));
  const jobs = ENCODINGS.map((encoding, ei) => ({
    encoding,
    seed: SEED * 100 + worldIndex * 3 + ei,
    mutants: MUTANTS,
    memSize: MEM_SIZE,
    heap: HEAP,
    defs: world.defs,
    funcs: funcsJson,
  }));
  const t0 = Date.now();
  const pyOut = JSON.parse(
    execFileSync(opts.python, [PY_FILE, opts.definitions], {
      input: JSON.stringify(jobs),
      maxBuffer: 1 << 30,
      encoding: 'utf8',
    }),
  );
  timing.python += Date.now() - t0;
  // Layouts and signatures (the same in every encoding: check once).
  const ref = pyOut[0];
  world.defs.forEach((def, i) => {
    const id = tIface.types.get(def.name);
    const mine = {
      size: planner.sizes.layout(id).size,
      align: planner.sizes.layout(id).align,
      flat: [...planner.flat.flatten(id)],
    };
    if (
      !count(
        'layout of named types (size, align, flat)',
        JSON.stringify(mine) === JSON.stringify(ref.defs[i]),
      )
    ) {
      problem(
        `layout of ${gen.witType(def)}: witbind ${JSON.stringify(mine)}, definitions.py ${JSON.stringify(ref.defs[i])}`,
      );
    }
  });
  world.funcs.forEach((f, i) => {
    const func = iface.functions.get(f.name);
    const r = ref.funcs[i];
    func.params.forEach((p, j) => {
      const mine = {
        size: planner.sizes.layout(p.type).size,
        align: planner.sizes.layout(p.type).align,
        flat: [...planner.flat.flatten(p.type)],
      };
      if (
        !count('layout of param/result types', JSON.stringify(mine) === JSON.stringify(r.params[j]))
      ) {
        problem(
          `layout of ${gen.witType(f.params[j].ty)}: witbind ${JSON.stringify(mine)}, definitions.py ${JSON.stringify(r.params[j])}`,
        );
      }
    });
    if (func.result !== null) {
      const mine = {
        size: planner.sizes.layout(func.result).size,
        align: planner.sizes.layout(func.result).align,
        flat: [...planner.flat.flatten(func.result)],
      };
      if (
        !count(
          'layout of param/result types',
          JSON.stringify(mine) === JSON.stringify(r.results[0]),
        )
      ) {
        problem(
          `layout of ${gen.witType(f.result)}: witbind ${JSON.stringify(mine)}, definitions.py ${JSON.stringify(r.results[0])}`,
        );
      }
    }
    const tuple = planner.sizes.recordLayout(func.params.map((p) => p.type));
    if (
      func.params.length > 0 &&
      !count('layout of param tuples', tuple.size === r.tuple.size && tuple.align === r.tuple.align)
    ) {
      problem(
        `${gen.witFunc(f)} params tuple: witbind ${JSON.stringify(tuple)}, definitions.py ${JSON.stringify(r.tuple)}`,
      );
    }
    for (const [dir, ctx] of [
      ['export', 'lift'],
      ['import', 'lower'],
    ]) {
      const plan = planner.plan(func, dir, { encoding: 'utf8', coreName: f.name });
      const mine = { params: plan.coreParams, results: plan.coreResults };
      if (!count(`flatten_functype (${ctx})`, JSON.stringify(mine) === JSON.stringify(r[ctx]))) {
        problem(
          `${gen.witFunc(f)} ${ctx}: witbind ${JSON.stringify(mine)}, definitions.py ${JSON.stringify(r[ctx])}`,
        );
      }
    }
  });
  // Memory traffic, per encoding.
  for (const [ei, encoding] of ENCODINGS.entries()) {
    const py = pyOut[ei];
    const tg = Date.now();
    const files = await generateWorld(resolve, selectWorld(resolve, main, 'w'), {
      encoding,
      runtime: join(CACHE, 'src/runtime/index.js'),
    });
    timing.generate += Date.now() - tg;
    const dir = join(CACHE, 'gen', `${worldIndex}-${encoding.replace('+', '-')}`);
    mkdirSync(dir, { recursive: true });
    const js = ts.transpileModule(files.get('w.ts'), {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    });
    writeFileSync(join(dir, 'w.js'), js.outputText);
    const mod = await import(pathToFileURL(join(dir, 'w.js')).href);
    const tc = Date.now();
    await checkTraffic(mod, world, batch, py, encoding);
    timing.run += Date.now() - tc;
  }
}

async function checkTraffic(mod, world, batch, py, encoding) {
  const memory = new WebAssembly.Memory({ initial: PAGES, maximum: PAGES });
  const u8 = () => new Uint8Array(memory.buffer);
  const heap = { top: HEAP, log: [] };
  const cabi_realloc = (old, oldSize, align, size) => {
    [old, oldSize, align, size] = [old >>> 0, oldSize >>> 0, align >>> 0, size >>> 0];
    heap.log.push([old, oldSize, align, size]);
    const p = Math.ceil(heap.top / align) * align;
    if (p + size > MEM_SIZE) throw new Error('fake guest: out of memory');
    if (old) u8().copyWithin(p, old, old + Math.min(oldSize, size));
    heap.top = p + size;
    return p | 0;
  };
  const fake = { memory, cabi_realloc };
  /** What the fake guest export saw and must answer, per call. */
  let onCall = null;
  world.funcs.forEach((f) => {
    fake[`${PKG}/guest#${f.name}`] = (...flat) => onCall(flat);
  });
  let hostCall = null;
  const api = {};
  world.funcs.forEach((f, fi) => {
    api[gen.lowerCamel(f.name)] = (...got) => hostCall(fi, got);
  });
  const link = mod.createCoreImports({ [`${PKG}/host`]: api });
  const ex = mod.bindCore(fake, link);
  const tag = `[${encoding}]`;

  for (const [fi, f] of world.funcs.entries()) {
    const r = py.funcs[fi];
    const c = batch[fi];
    const where = `${tag} ${gen.witFunc(f)} args ${gen.show(c.args)}`;
    if (r.trap) {
      problem(`${where}: definitions.py trapped`);
      continue;
    }
    // Export: lower args, compare with the reference, answer with the reference's result.
    u8().fill(0);
    heap.top = HEAP;
    heap.log = [];
    let seen = null;
    onCall = (flat) => {
      seen = {
        flat: flat.map((x, i) => fromJs(r.lift.params[i], x)),
        mem: u8().slice(),
        log: heap.log,
      };
      if (!f.result) return undefined;
      u8().set(fullImage(r.exportResult.image));
      heap.top = r.exportResult.top;
      heap.log = [];
      return r.lift.results.length ? toJs(r.lift.results[0], r.exportResult.flat[0]) : undefined;
    };
    let got;
    let thrown;
    try {
      got = ex.guest[gen.lowerCamel(f.name)](...c.args);
    } catch (e) {
      thrown = e;
    }
    if (!seen) {
      count('export: args lowered (memory, flat values, reallocs)', false);
      problem(`${where}: export threw before calling the guest: ${thrown}`);
      continue;
    }
    const want = fullImage(r.exportArgs.image);
    const at = firstDiff(seen.mem, want);
    if (
      !count(
        'export: args lowered (memory, flat values, reallocs)',
        at < 0 &&
          sameFlat(r.lift.params, seen.flat, r.exportArgs.flat) &&
          JSON.stringify(seen.log) === JSON.stringify(r.exportArgs.log),
      )
    ) {
      problem(
        `${where}: lowering differs: ${at >= 0 ? `memory at ${at} (witbind ${hex(seen.mem.slice(at, at + 16))}, definitions.py ${hex(want.slice(at, at + 16))}) ` : ''}flat ${JSON.stringify(seen.flat)} vs ${JSON.stringify(r.exportArgs.flat)}; reallocs ${JSON.stringify(seen.log)} vs ${JSON.stringify(r.exportArgs.log)}`,
      );
    }
    if (f.result) {
      const d = resultDiff(f, c.result, got, thrown);
      if (!count('export: result lifted', d === null)) problem(`${where}: result ${d}`);
    } else if (thrown) {
      count('export: result lifted', false);
      problem(`${where}: threw ${thrown}`);
    }

    // Import: the guest's args lifted by the import wrapper, the host's result lowered.
    u8().fill(0);
    u8().set(fullImage(r.importArgs.image));
    heap.top = r.importArgs.top;
    heap.log = [];
    let received = null;
    hostCall = (hfi, args) => {
      received = args;
      return hostAnswer(world.funcs[hfi], batch[hfi].result);
    };
    let flatResult;
    try {
      flatResult = link.imports[`${PKG}/host`][f.name](
        ...r.importArgs.flat.map((s, i) => toJs(r.lower.params[i], s)),
      );
    } catch (e) {
      count('import: args lifted', false);
      problem(`${where}: import wrapper threw ${e}`);
      continue;
    }
    const argDiffs = f.params
      .map((p, j) => gen.diff(p.ty, received?.[j], c.args[j], p.name))
      .filter((x) => x);
    if (!count('import: args lifted', received !== null && argDiffs.length === 0))
      problem(`${where}: import args ${argDiffs.join('; ')}`);
    if (f.result) {
      const mem = u8().slice();
      const wantC = fullImage(r.importResult.image);
      const atC = firstDiff(mem, wantC);
      const flatC = r.lower.results.length ? [fromJs(r.lower.results[0], flatResult)] : [];
      if (
        !count(
          'import: result lowered (memory, flat values, reallocs)',
          atC < 0 &&
            sameFlat(r.lower.results, flatC, r.importResult.flat) &&
            JSON.stringify(heap.log) === JSON.stringify(r.importResult.log),
        )
      ) {
        problem(
          `${where}: result lowering differs: ${atC >= 0 ? `memory at ${atC} (witbind ${hex(mem.slice(atC, atC + 16))}, definitions.py ${hex(wantC.slice(atC, atC + 16))}) ` : ''}flat ${JSON.stringify(flatC)} vs ${JSON.stringify(r.importResult.flat)}; reallocs ${JSON.stringify(heap.log)} vs ${JSON.stringify(r.importResult.log)}`,
        );
      }
    }

    // Lift fuzz: corrupted guest args/results must lift to what definitions.py lifts, or trap
    // exactly when it traps (each on a fresh binding: a trap poisons the instance).
    for (const m of r.importFuzz) {
      const link2 = mod.createCoreImports({ [`${PKG}/host`]: api });
      mod.bindCore(fake, link2);
      u8().fill(0);
      u8().set(fullImage(m.image));
      heap.top = m.top;
      received = null;
      let outcome;
      try {
        link2.imports[`${PKG}/host`][f.name](...m.flat.map((x, i) => toJs(r.lower.params[i], x)));
        outcome =
          received === null ? 'host not called' : f.params.map((p, j) => toPy(p.ty, received[j]));
      } catch (e) {
        outcome = e instanceof runtime.Trap ? 'trap' : `threw ${e}`;
      }
      const expectI =
        m.expect === 'trap' ? m.expect : m.expect.map((x, j) => lastKeyWins(f.params[j].ty, x));
      if (
        !count(
          'lift fuzz: corrupted import args (value, or trap)',
          JSON.stringify(outcome) === JSON.stringify(expectI),
          expectI === 'trap',
        )
      ) {
        problem(
          `${where}: corrupted args ${JSON.stringify(m.flat)}: witbind ${JSON.stringify(outcome).slice(0, 300)}, definitions.py ${JSON.stringify(m.expect).slice(0, 300)}`,
        );
      }
    }
    for (const m of r.exportFuzz ?? []) {
      const link2 = mod.createCoreImports({ [`${PKG}/host`]: api });
      const ex2 = mod.bindCore(fake, link2);
      onCall = () => {
        u8().fill(0);
        u8().set(fullImage(m.image));
        heap.top = m.top;
        return toJs(r.lift.results[0], m.flat[0]);
      };
      let outcome;
      try {
        const got = ex2.guest[gen.lowerCamel(f.name)](...c.args);
        outcome = [toPy(f.result, gen.throwsResult(f) ? { tag: 'ok', val: got } : got)];
      } catch (e) {
        if (e instanceof runtime.ComponentError && gen.throwsResult(f))
          outcome = [toPy(f.result, { tag: 'err', val: e.payload })];
        else outcome = e instanceof runtime.Trap ? 'trap' : `threw ${e}`;
      }
      const expectE = m.expect === 'trap' ? m.expect : [lastKeyWins(f.result, m.expect[0])];
      if (
        !count(
          'lift fuzz: corrupted export results (value, or trap)',
          JSON.stringify(outcome) === JSON.stringify(expectE),
          expectE === 'trap',
        )
      ) {
        problem(
          `${where}: corrupted result ${JSON.stringify(m.flat)}: witbind ${JSON.stringify(outcome).slice(0, 300)}, definitions.py ${JSON.stringify(m.expect).slice(0, 300)}`,
        );
      }
    }
  }
}

/** The host's answer: the value, or for a function result `result<T, E>` T / throw ComponentError(E). */
function hostAnswer(f, value) {
  if (!gen.throwsResult(f)) return value;
  if (value.tag === 'ok') return value.val;
  throw new runtime.ComponentError(value.val);
}

function resultDiff(f, want, got, thrown) {
  const r = gen.throwsResult(f);
  if (!r) return thrown ? `threw ${thrown}` : gen.diff(f.result, got, want, 'result');
  if (want.tag === 'ok') {
    if (thrown) return `threw ${thrown}`;
    return r.ok
      ? gen.diff(r.ok, got, want.val, 'result')
      : got === undefined
        ? null
        : `${gen.show(got)} for ok`;
  }
  if (!(thrown instanceof runtime.ComponentError)) return `expected ComponentError, got ${thrown}`;
  return r.err
    ? gen.diff(r.err, thrown.payload, want.val, 'payload')
    : thrown.payload === undefined
      ? null
      : 'payload';
}

const timing = { python: 0, generate: 0, run: 0 };
const PY_FILE = join(CACHE, 'harness.py');
writeFileSync(PY_FILE, PY);

const started = Date.now();
for (let i = 0; i * PER_WORLD < cases.length; i++) {
  await checkWorld(cases.slice(i * PER_WORLD, (i + 1) * PER_WORLD), i);
}
const python = execFileSync(opts.python, ['--version'], { encoding: 'utf8' }).trim();
console.log(
  `crosscheck-abi: ${cases.length} random functions (seed ${SEED}) × ${ENCODINGS.length} encodings against ${relative(process.cwd(), opts.definitions)} (${python}), ${((Date.now() - started) / 1000).toFixed(1)} s (${Object.entries(
    timing,
  )
    .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
    .join(', ')})`,
);
let bad = 0;
for (const [k, v] of Object.entries(tally)) {
  console.log(
    `  ${k}: ${v.checked} checked${v.traps ? ` (${v.traps} trap in definitions.py)` : ''}, ${v.mismatches} mismatches`,
  );
  bad += v.mismatches;
}
for (const p of problems) console.log(`  ✗ ${p}`);
process.exit(bad > 0 || problems.length > 0 ? 1 : 0);
