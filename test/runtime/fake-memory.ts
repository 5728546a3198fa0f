/**
 * Test doubles for the runtime tests: a real `WebAssembly.Memory` with a deterministic,
 * recording `realloc`, and a literal TypeScript port of definitions.py's string storing
 * functions to compare realloc sequences and memory contents against.
 */
import { Trap } from '../../src/runtime/errors.js';
import { MemoryViews, type Realloc } from '../../src/runtime/memory.js';

export type ReallocCall = [oldPtr: number, oldSize: number, align: number, newSize: number];

export interface FakeOptions {
  /** Initial pages. */
  pages?: number;
  /** Grow memory by one page on every realloc call (exercises view refresh). */
  growEveryCall?: boolean;
  /** Move every grown/shrunk block to a new address instead of resizing in place. */
  alwaysMove?: boolean;
  /** Copy the old block's bytes when moving (a real allocator does; `false` is a hostile one). */
  copy?: boolean;
  /** Fill fresh blocks with this byte, to catch stray or missing writes. */
  fill?: number;
  /** Override the returned pointer of call n (0-based). */
  override?: (call: number, computed: number) => number;
}

export interface Fake {
  memory: WebAssembly.Memory;
  mem: MemoryViews;
  realloc: Realloc;
  calls: ReallocCall[];
  /** What each call returned. */
  results: number[];
  bytes(): Uint8Array;
}

/** A bump allocator over a real wasm memory that logs every call. */
export function createFake(opts: FakeOptions = {}): Fake {
  const memory = new WebAssembly.Memory({ initial: opts.pages ?? 1, maximum: 1000 });
  const mem = new MemoryViews(memory);
  const calls: ReallocCall[] = [];
  const results: number[] = [];
  let top = 8;
  const copy = opts.copy ?? true;
  const alloc = (align: number, size: number): number => {
    top = Math.ceil(top / align) * align;
    const p = top;
    top += size;
    while (top > memory.buffer.byteLength) memory.grow(1);
    if (opts.fill !== undefined) new Uint8Array(memory.buffer).fill(opts.fill, p, p + size);
    return p;
  };
  const realloc: Realloc = (oldPtr, oldSize, align, newSize) => {
    const n = calls.length;
    calls.push([oldPtr, oldSize, align, newSize]);
    if (opts.growEveryCall) memory.grow(1);
    let p: number;
    if (oldPtr === 0 && oldSize === 0) {
      p = alloc(align, newSize);
    } else if (newSize <= oldSize && !opts.alwaysMove) {
      p = oldPtr;
    } else if (oldPtr + oldSize === top && !opts.alwaysMove) {
      top = oldPtr + newSize;
      while (top > memory.buffer.byteLength) memory.grow(1);
      p = oldPtr;
    } else {
      p = alloc(align, newSize);
      if (copy) {
        const u8 = new Uint8Array(memory.buffer);
        u8.copyWithin(p, oldPtr, oldPtr + Math.min(oldSize, newSize));
      }
    }
    const r = opts.override ? opts.override(n, p) : p;
    results.push(r);
    return r;
  };
  return { memory, mem, realloc, calls, results, bytes: () => new Uint8Array(memory.buffer).slice() };
}

// ---------------------------------------------------------------------------------------------
// Reference: definitions.py store_utf16_to_utf8 / store_string_copy / store_string_to_latin1_or_utf16,
// transliterated line by line (Python's `for c in src` iterates code points).

function trapIf(cond: boolean): void {
  if (cond) throw new Trap('reference trap');
}
const MASK = (x: number) => x >>> 0;

export function refUtf8(src: string, realloc: Realloc, memory: WebAssembly.Memory): [number, number] {
  const m = () => new Uint8Array(memory.buffer);
  const srcCodeUnits = src.length;
  const worstCaseSize = srcCodeUnits * 3;
  let ptr = MASK(realloc(0, 0, 1, srcCodeUnits));
  trapIf(ptr + srcCodeUnits > m().length);
  let i = 0;
  for (const cp of src) {
    const c = cp.codePointAt(0)!;
    if (c < 2 ** 7) {
      m()[ptr + i] = c;
    } else {
      ptr = MASK(realloc(ptr, srcCodeUnits, 1, worstCaseSize));
      trapIf(ptr + worstCaseSize > m().length);
      const encoded = new TextEncoder().encode(src);
      m().set(encoded.subarray(i), ptr + i);
      if (worstCaseSize > encoded.length) {
        ptr = MASK(realloc(ptr, worstCaseSize, 1, encoded.length));
        trapIf(ptr + encoded.length > m().length);
      }
      return [ptr, encoded.length];
    }
    i++;
  }
  return [ptr, srcCodeUnits];
}

function utf16le(src: string): Uint8Array {
  const out = new Uint8Array(src.length * 2);
  for (let k = 0; k < src.length; k++) {
    const c = src.charCodeAt(k);
    out[2 * k] = c & 0xff;
    out[2 * k + 1] = c >> 8;
  }
  return out;
}

export function refUtf16(src: string, realloc: Realloc, memory: WebAssembly.Memory): [number, number] {
  const dstByteLength = 2 * src.length;
  const ptr = MASK(realloc(0, 0, 2, dstByteLength));
  trapIf(ptr % 2 !== 0);
  trapIf(ptr + dstByteLength > memory.buffer.byteLength);
  new Uint8Array(memory.buffer).set(utf16le(src), ptr);
  return [ptr, src.length];
}

export function refLatin1Utf16(
  src: string,
  realloc: Realloc,
  memory: WebAssembly.Memory,
): [number, number] {
  const m = () => new Uint8Array(memory.buffer);
  const srcCodeUnits = src.length;
  let ptr = MASK(realloc(0, 0, 2, srcCodeUnits));
  trapIf(ptr % 2 !== 0);
  trapIf(ptr + srcCodeUnits > m().length);
  let dstByteLength = 0;
  for (const usv of src) {
    const c = usv.codePointAt(0)!;
    if (c < 1 << 8) {
      m()[ptr + dstByteLength] = c;
      dstByteLength += 1;
    } else {
      const worstCaseSize = 2 * srcCodeUnits;
      ptr = MASK(realloc(ptr, srcCodeUnits, 2, worstCaseSize));
      trapIf(ptr % 2 !== 0);
      trapIf(ptr + worstCaseSize > m().length);
      for (let j = dstByteLength - 1; j >= 0; j--) {
        m()[ptr + 2 * j] = m()[ptr + j]!;
        m()[ptr + 2 * j + 1] = 0;
      }
      const encoded = utf16le(src);
      m().set(encoded.subarray(2 * dstByteLength), ptr + 2 * dstByteLength);
      if (worstCaseSize > encoded.length) {
        ptr = MASK(realloc(ptr, worstCaseSize, 2, encoded.length));
        trapIf(ptr % 2 !== 0);
        trapIf(ptr + encoded.length > m().length);
      }
      return [ptr, ((encoded.length / 2) | 0x8000_0000) >>> 0];
    }
  }
  if (dstByteLength < srcCodeUnits) {
    ptr = MASK(realloc(ptr, srcCodeUnits, 2, dstByteLength));
    trapIf(ptr % 2 !== 0);
    trapIf(ptr + dstByteLength > m().length);
  }
  return [ptr, dstByteLength];
}
