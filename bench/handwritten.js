// Hand-written host glue for the bench guest (wit/codegen/bench.wit, guests/bench), the baseline
// `npm run bench` compares witbind's generated bindings with. It is what a skilled person would
// write by hand for this one module, best effort, with the same JS values as the generated
// bindings (so the benchmark can check both give equal results):
//
// - Memory views (Uint8Array, DataView) are cached and rebuilt only when memory has grown: a
//   grown memory detaches its old buffer, which makes the old views empty (wasm-bindgen's glue
//   tests `byteLength === 0`; `length` is used here, as Node 20 inlines it and not `byteLength`).
//   Checked after every call into the guest (export or realloc).
// - Strings in: a `charCodeAt` loop for short strings (no TextEncoder call overhead), else
//   `TextEncoder.encodeInto` straight into guest memory. Either way the block is first sized for
//   ASCII (`n` bytes); at the first non-ASCII character it is grown to the worst case (3 bytes per
//   UTF-16 code unit) with realloc, the rest is encoded, and the block is shrunk to fit.
// - Strings out: `String.fromCharCode` over the bytes for short ASCII strings, else a fatal
//   `TextDecoder` (invalid UTF-8 throws: a careful person does not silently accept it).
// - Numeric lists: one `set` of the typed array's bytes in; one typed-array `slice` of a view out
//   (`ArrayBuffer.prototype.slice` has a fixed cost of ~500 ns on Node 20).
// - Records, variants, the spilled params: DataView loads and stores at the canonical offsets,
//   written out for each type.
// - Post-return is called for every export that has one; a `result` error is thrown as a
//   `ComponentError` carrying the payload, like the generated bindings do.
// - No validation of host values (the types are documented; passing a wrong one is the caller's
//   bug) and no checks of guest pointers beyond what typed arrays and DataView do themselves
//   (they throw RangeError out of bounds). No reentrance or trap bookkeeping: one call at a time.
//
// Not generated, not shared with witbind's runtime: written for this benchmark only.

const K = 'witbind:bench/api#';

/** The error a `result` err is thrown as (its `payload` is the err value). */
export class ComponentError extends Error {
  constructor(payload) {
    super(typeof payload === 'string' ? payload : 'component error');
    this.name = 'ComponentError';
    this.payload = payload;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Instantiates the bench guest and returns `{ api, allocatedBytes }` (the generated shape). */
export async function instantiate(bytes) {
  const { instance } = await WebAssembly.instantiate(bytes, {});
  const ex = instance.exports;
  ex._initialize();
  return bind(ex);
}

/** Binds an instantiated bench guest. */
export function bind(ex) {
  const memory = ex.memory;
  const realloc = ex.cabi_realloc;
  let u8 = new Uint8Array(memory.buffer);
  let dv = new DataView(memory.buffer);

  function refresh() {
    if (u8.length === 0) {
      u8 = new Uint8Array(memory.buffer);
      dv = new DataView(memory.buffer);
    }
  }

  function alloc(align, size) {
    const p = realloc(0, 0, align, size);
    refresh();
    return p;
  }

  // Set by lowerString: the byte length that goes with the returned pointer.
  let strLen = 0;

  function lowerString(s) {
    const n = s.length;
    let p = realloc(0, 0, 1, n);
    refresh();
    let i = 0;
    if (n < 64) {
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) break;
        u8[p + i] = c;
      }
      if (i === n) {
        strLen = n;
        return p;
      }
      // Non-ASCII: grow to the worst case, then encode the rest by hand.
      p = realloc(p, n, 1, 3 * n);
      refresh();
      let o = p + i;
      for (; i < n; i++) {
        let c = s.charCodeAt(i);
        if (c < 0x80) u8[o++] = c;
        else if (c < 0x800) {
          u8[o++] = 0xc0 | (c >> 6);
          u8[o++] = 0x80 | (c & 0x3f);
        } else if (c >= 0xd800 && c < 0xdc00) {
          c = ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00) + 0x10000;
          u8[o++] = 0xf0 | (c >> 18);
          u8[o++] = 0x80 | ((c >> 12) & 0x3f);
          u8[o++] = 0x80 | ((c >> 6) & 0x3f);
          u8[o++] = 0x80 | (c & 0x3f);
        } else {
          u8[o++] = 0xe0 | (c >> 12);
          u8[o++] = 0x80 | ((c >> 6) & 0x3f);
          u8[o++] = 0x80 | (c & 0x3f);
        }
      }
      const len = o - p;
      p = realloc(p, 3 * n, 1, len);
      refresh();
      strLen = len;
      return p;
    }
    const r = encoder.encodeInto(s, u8.subarray(p, p + n));
    if (r.read === n) {
      strLen = r.written;
      return p;
    }
    // The first n bytes did not hold it all: grow to the worst case for the rest.
    const size = r.written + 3 * (n - r.read);
    p = realloc(p, n, 1, size);
    refresh();
    const w = encoder.encodeInto(s.slice(r.read), u8.subarray(p + r.written, p + size)).written;
    const len = r.written + w;
    p = realloc(p, size, 1, len);
    refresh();
    strLen = len;
    return p;
  }

  function liftString(p, len) {
    if (len <= 16) {
      let s = '';
      for (let i = p, end = p + len; i < end; i++) {
        const c = u8[i];
        if (c > 0x7f) return decoder.decode(u8.subarray(p, p + len));
        s += String.fromCharCode(c);
      }
      return s;
    }
    return decoder.decode(u8.subarray(p, p + len));
  }

  /** The (ptr, len) pair at `ret` (a returned string or list). */
  const ptrAt = (ret) => dv.getUint32(ret, true);
  const lenAt = (ret) => dv.getUint32(ret + 4, true);

  function lowerU32s(v) {
    const p = alloc(4, v.length * 4);
    u8.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), p);
    return p;
  }
  function lowerU8s(v) {
    const p = alloc(1, v.length);
    u8.set(v, p);
    return p;
  }
  const liftU32s = (p, n) => new Uint32Array(u8.buffer, p, n).slice();
  const liftU8s = (p, n) => u8.slice(p, p + n);

  // list<item>: 24-byte elements { id @0, name (ptr @4, len @8), score @16 }.
  function lowerItems(v) {
    const n = v.length;
    const base = alloc(8, n * 24);
    for (let i = 0; i < n; i++) {
      const it = v[i];
      const p = base + i * 24;
      const sp = lowerString(it.name);
      dv.setUint32(p, it.id, true);
      dv.setUint32(p + 4, sp, true);
      dv.setUint32(p + 8, strLen, true);
      dv.setFloat64(p + 16, it.score, true);
    }
    return base;
  }
  function liftItems(base, n) {
    const out = new Array(n);
    for (let i = 0; i < n; i++) {
      const p = base + i * 24;
      out[i] = {
        id: dv.getUint32(p, true),
        name: liftString(dv.getUint32(p + 4, true), dv.getUint32(p + 8, true)),
        score: dv.getFloat64(p + 16, true),
      };
    }
    return out;
  }

  // list<value>: 16-byte elements, u8 tag @0, payload @8.
  function lowerValues(v) {
    const n = v.length;
    const base = alloc(8, n * 16);
    for (let i = 0; i < n; i++) {
      const x = v[i];
      const p = base + i * 16;
      switch (x.tag) {
        case 'empty':
          u8[p] = 0;
          break;
        case 'int':
          u8[p] = 1;
          dv.setInt32(p + 8, x.val, true);
          break;
        case 'big':
          u8[p] = 2;
          dv.setBigInt64(p + 8, x.val, true);
          break;
        case 'real':
          u8[p] = 3;
          dv.setFloat64(p + 8, x.val, true);
          break;
        case 'text': {
          const sp = lowerString(x.val);
          u8[p] = 4;
          dv.setUint32(p + 8, sp, true);
          dv.setUint32(p + 12, strLen, true);
          break;
        }
        default:
          throw new TypeError(`unknown value tag ${x.tag}`);
      }
    }
    return base;
  }
  function liftValues(base, n) {
    const out = new Array(n);
    for (let i = 0; i < n; i++) {
      const p = base + i * 16;
      switch (u8[p]) {
        case 0:
          out[i] = { tag: 'empty' };
          break;
        case 1:
          out[i] = { tag: 'int', val: dv.getInt32(p + 8, true) };
          break;
        case 2:
          out[i] = { tag: 'big', val: dv.getBigInt64(p + 8, true) };
          break;
        case 3:
          out[i] = { tag: 'real', val: dv.getFloat64(p + 8, true) };
          break;
        case 4:
          out[i] = { tag: 'text', val: liftString(dv.getUint32(p + 8, true), dv.getUint32(p + 12, true)) };
          break;
        default:
          throw new Error(`bad value tag ${u8[p]}`);
      }
    }
    return out;
  }

  // list<string>: 8-byte elements (ptr, len).
  function lowerStrs(v) {
    const n = v.length;
    const base = alloc(4, n * 8);
    for (let i = 0; i < n; i++) {
      const sp = lowerString(v[i]);
      dv.setUint32(base + i * 8, sp, true);
      dv.setUint32(base + i * 8 + 4, strLen, true);
    }
    return base;
  }
  function liftStrs(base, n) {
    const out = new Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = liftString(dv.getUint32(base + i * 8, true), dv.getUint32(base + i * 8 + 4, true));
    }
    return out;
  }

  const f = (name) => ex[K + name];
  const post = (name) => ex[`cabi_post_${K}${name}`];
  const noop = f('noop');
  const add = f('add');
  const echoStr = f('echo-str');
  const echoStrPost = post('echo-str');
  const lenStr = f('len-str');
  const makeStr = f('make-str');
  const makeStrPost = post('make-str');
  const echoListU32 = f('echo-list-u32');
  const echoListU32Post = post('echo-list-u32');
  const lenListU32 = f('len-list-u32');
  const makeListU32 = f('make-list-u32');
  const makeListU32Post = post('make-list-u32');
  const echoListU8 = f('echo-list-u8');
  const echoListU8Post = post('echo-list-u8');
  const lenListU8 = f('len-list-u8');
  const makeListU8 = f('make-list-u8');
  const makeListU8Post = post('make-list-u8');
  const echoItems = f('echo-items');
  const echoItemsPost = post('echo-items');
  const lenItems = f('len-items');
  const makeItems = f('make-items');
  const makeItemsPost = post('make-items');
  const echoValues = f('echo-values');
  const echoValuesPost = post('echo-values');
  const lenValues = f('len-values');
  const makeValues = f('make-values');
  const makeValuesPost = post('make-values');
  const echoStrs = f('echo-strs');
  const echoStrsPost = post('echo-strs');
  const lenStrs = f('len-strs');
  const makeStrs = f('make-strs');
  const makeStrsPost = post('make-strs');
  const many = f('many');
  const half = f('half');
  const halfPost = post('half');
  const allocatedBytes = ex['allocated-bytes'];

  // Every function is written out (no shared higher-order wrapper), so each call site in it
  // sees one callee and stays monomorphic.
  const api = {
    noop() {
      noop();
    },
    add(a, b) {
      return add(a, b) >>> 0;
    },
    echoStr(s) {
      const p = lowerString(s);
      const ret = echoStr(p, strLen);
      refresh();
      const out = liftString(ptrAt(ret), lenAt(ret));
      echoStrPost(ret);
      return out;
    },
    lenStr(s) {
      const p = lowerString(s);
      const r = lenStr(p, strLen) >>> 0;
      refresh();
      return r;
    },
    makeStr(n, multibyte) {
      const ret = makeStr(n, multibyte ? 1 : 0);
      refresh();
      const out = liftString(ptrAt(ret), lenAt(ret));
      makeStrPost(ret);
      return out;
    },
    echoListU32(v) {
      const ret = echoListU32(lowerU32s(v), v.length);
      refresh();
      const out = liftU32s(ptrAt(ret), lenAt(ret));
      echoListU32Post(ret);
      return out;
    },
    lenListU32(v) {
      const r = lenListU32(lowerU32s(v), v.length) >>> 0;
      refresh();
      return r;
    },
    makeListU32(n) {
      const ret = makeListU32(n);
      refresh();
      const out = liftU32s(ptrAt(ret), lenAt(ret));
      makeListU32Post(ret);
      return out;
    },
    echoListU8(v) {
      const ret = echoListU8(lowerU8s(v), v.length);
      refresh();
      const out = liftU8s(ptrAt(ret), lenAt(ret));
      echoListU8Post(ret);
      return out;
    },
    lenListU8(v) {
      const r = lenListU8(lowerU8s(v), v.length) >>> 0;
      refresh();
      return r;
    },
    makeListU8(n) {
      const ret = makeListU8(n);
      refresh();
      const out = liftU8s(ptrAt(ret), lenAt(ret));
      makeListU8Post(ret);
      return out;
    },
    echoItems(v) {
      const ret = echoItems(lowerItems(v), v.length);
      refresh();
      const out = liftItems(ptrAt(ret), lenAt(ret));
      echoItemsPost(ret);
      return out;
    },
    lenItems(v) {
      const r = lenItems(lowerItems(v), v.length) >>> 0;
      refresh();
      return r;
    },
    makeItems(n) {
      const ret = makeItems(n);
      refresh();
      const out = liftItems(ptrAt(ret), lenAt(ret));
      makeItemsPost(ret);
      return out;
    },
    echoValues(v) {
      const ret = echoValues(lowerValues(v), v.length);
      refresh();
      const out = liftValues(ptrAt(ret), lenAt(ret));
      echoValuesPost(ret);
      return out;
    },
    lenValues(v) {
      const r = lenValues(lowerValues(v), v.length) >>> 0;
      refresh();
      return r;
    },
    makeValues(n) {
      const ret = makeValues(n);
      refresh();
      const out = liftValues(ptrAt(ret), lenAt(ret));
      makeValuesPost(ret);
      return out;
    },
    echoStrs(v) {
      const ret = echoStrs(lowerStrs(v), v.length);
      refresh();
      const out = liftStrs(ptrAt(ret), lenAt(ret));
      echoStrsPost(ret);
      return out;
    },
    lenStrs(v) {
      const r = lenStrs(lowerStrs(v), v.length) >>> 0;
      refresh();
      return r;
    },
    makeStrs(n) {
      const ret = makeStrs(n);
      refresh();
      const out = liftStrs(ptrAt(ret), lenAt(ret));
      makeStrsPost(ret);
      return out;
    },
    many(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18) {
      // 18 flat params: spilled into an 80-byte tuple the guest frees.
      const p = alloc(8, 80);
      u8[p] = a1;
      u8[p + 1] = a2;
      dv.setUint16(p + 2, a3, true);
      dv.setInt16(p + 4, a4, true);
      dv.setUint32(p + 8, a5, true);
      dv.setInt32(p + 12, a6, true);
      dv.setBigUint64(p + 16, a7, true);
      dv.setBigInt64(p + 24, a8, true);
      dv.setFloat32(p + 32, a9, true);
      dv.setFloat64(p + 40, a10, true);
      u8[p + 48] = a11 ? 1 : 0;
      dv.setUint32(p + 52, a12.codePointAt(0), true);
      dv.setUint32(p + 56, a13, true);
      dv.setUint32(p + 60, a14, true);
      dv.setUint32(p + 64, a15, true);
      dv.setUint32(p + 68, a16, true);
      dv.setUint32(p + 72, a17, true);
      dv.setUint32(p + 76, a18, true);
      const r = BigInt.asUintN(64, many(p));
      refresh();
      return r;
    },
    half(n) {
      const ret = half(n);
      refresh();
      // result<u32, string>: u8 tag @0, payload @4.
      if (u8[ret] === 0) {
        const v = dv.getUint32(ret + 4, true);
        halfPost(ret);
        return v;
      }
      const msg = liftString(ptrAt(ret + 4), lenAt(ret + 4));
      halfPost(ret);
      throw new ComponentError(msg);
    },
  };
  return {
    api,
    allocatedBytes() {
      return allocatedBytes() >>> 0;
    },
  };
}
