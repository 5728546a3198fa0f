/**
 * A bounds-checked cursor over a component binary, with the primitive encodings of the core
 * spec's binary format (LEB128 integers, names, vectors) that `Binary.md` reuses.
 *
 * Every read checks the current window, so malformed input surfaces as a
 * {@link ComponentDecodeError} naming the byte offset and what was expected there, never as a
 * `RangeError` or an `undefined` read. Offsets are absolute: nested windows (sections, nested
 * components, core modules) share the outermost buffer.
 */

/** Malformed component binary: `offset` is the absolute byte offset of the problem. */
export class ComponentDecodeError extends Error {
  override readonly name = 'ComponentDecodeError';
  /** Absolute byte offset into the input where decoding failed. */
  readonly offset: number;
  /** What the decoder expected there (lowercase, e.g. "a section id"). */
  readonly expected: string;

  constructor(offset: number, expected: string, detail?: string) {
    super(
      `malformed component at offset ${offset} (0x${offset.toString(16)}): expected ${expected}` +
        (detail === undefined ? '' : `, ${detail}`),
    );
    this.offset = offset;
    this.expected = expected;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class Reader {
  /** Current absolute position. */
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start: number,
    /** Absolute end of this window (exclusive). */
    readonly end: number,
  ) {
    this.pos = start;
  }

  static of(bytes: Uint8Array): Reader {
    return new Reader(bytes, 0, bytes.length);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  fail(expected: string, detail?: string, at: number = this.pos): never {
    throw new ComponentDecodeError(at, expected, detail);
  }

  /** A sub-reader over the next `size` bytes; this reader skips past them. */
  window(size: number, what: string): Reader {
    if (size > this.remaining) {
      this.fail(`${what} of ${size} bytes`, `only ${this.remaining} left`);
    }
    const r = new Reader(this.bytes, this.pos, this.pos + size);
    this.pos += size;
    return r;
  }

  /** Requires the window to be fully consumed. */
  expectEnd(what: string): void {
    if (this.pos !== this.end)
      this.fail(`the end of ${what}`, `${this.end - this.pos} bytes left over`);
  }

  byte(what = 'a byte'): number {
    if (this.pos >= this.end) this.fail(what, 'unexpected end of input');
    return this.bytes[this.pos++]!;
  }

  peek(what = 'a byte'): number {
    if (this.pos >= this.end) this.fail(what, 'unexpected end of input');
    return this.bytes[this.pos]!;
  }

  raw(n: number, what: string): Uint8Array {
    if (n > this.remaining) this.fail(`${what} (${n} bytes)`, `only ${this.remaining} left`);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  skip(n: number, what: string): void {
    if (n > this.remaining) this.fail(`${what} (${n} bytes)`, `only ${this.remaining} left`);
    this.pos += n;
  }

  /** Unsigned LEB128 of at most `bits` bits (32 by default), as a JS number. */
  u32(what = 'a u32'): number {
    const start = this.pos;
    let result = 0;
    let shift = 0;
    for (let i = 0; ; i++) {
      if (this.pos >= this.end) this.fail(what, 'unexpected end of input', start);
      const b = this.bytes[this.pos++]!;
      if (i === 4) {
        // The 5th byte carries bits 28..31: only its low 4 bits may be set, and no continuation.
        if (b & 0xf0) this.fail(what, 'LEB128 integer too large or too long', start);
        return (result | (b << 28)) >>> 0;
      }
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  }

  /** Unsigned LEB128 of at most 64 bits. */
  u64(what = 'a u64'): bigint {
    return this.leb(what, 64, false);
  }

  /** Signed LEB128 of at most 32 bits. */
  s32(what = 'an s32'): number {
    return Number(this.leb(what, 32, true));
  }

  /** Signed LEB128 of at most 33 bits (heap types, block types). */
  s33(what = 'an s33'): number {
    return Number(this.leb(what, 33, true));
  }

  s64(what = 'an s64'): bigint {
    return this.leb(what, 64, true);
  }

  private leb(what: string, bits: number, signed: boolean): bigint {
    const start = this.pos;
    const maxBytes = Math.ceil(bits / 7);
    let result = 0n;
    let shift = 0n;
    let b = 0;
    for (let i = 0; ; i++) {
      if (i === maxBytes) this.fail(what, 'LEB128 integer too long', start);
      if (this.pos >= this.end) this.fail(what, 'unexpected end of input', start);
      b = this.bytes[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) break;
    }
    // The spec's rule that unused bits of the last byte be zero (or copies of the sign bit) is
    // the same as the value fitting in `bits` bits.
    if (signed) {
      if (b & 0x40) result -= 1n << shift;
      const limit = 1n << BigInt(bits - 1);
      if (result < -limit || result >= limit) this.fail(what, 'LEB128 integer too large', start);
    } else if (result >= 1n << BigInt(bits)) {
      this.fail(what, 'LEB128 integer too large', start);
    }
    return result;
  }

  /** `core:name`: a u32 byte length and that many bytes of UTF-8. */
  name(what = 'a name'): string {
    const start = this.pos;
    const len = this.u32(`the length of ${what}`);
    const bytes = this.raw(len, what);
    try {
      return utf8.decode(bytes);
    } catch {
      return this.fail(`${what} in UTF-8`, 'invalid UTF-8', start);
    }
  }

  /**
   * `vec(T)`: a u32 count and that many items. The count is checked against the bytes left
   * (every item takes at least `minItemSize` bytes), so a corrupt count cannot make us loop or
   * allocate for billions of items.
   */
  vec<T>(what: string, item: (r: Reader, i: number) => T, minItemSize = 1): T[] {
    const at = this.pos;
    const n = this.u32(`the number of ${what}`);
    if (n * minItemSize > this.remaining) {
      this.fail(`${n} ${what}`, `only ${this.remaining} bytes left`, at);
    }
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this, i));
    return out;
  }

  /** `T?` as `0x00 | 0x01 T`. */
  optional<T>(what: string, item: (r: Reader) => T): T | null {
    const at = this.pos;
    const b = this.byte(`0x00 or 0x01 (${what} is optional)`);
    if (b === 0) return null;
    if (b === 1) return item(this);
    return this.fail(`0x00 or 0x01 (${what} is optional)`, `found 0x${hex(b)}`, at);
  }

  /** A one-byte boolean flag (`0x00` or `0x01`). */
  flag(what: string): boolean {
    const at = this.pos;
    const b = this.byte(what);
    if (b === 0) return false;
    if (b === 1) return true;
    return this.fail(`${what} (0x00 or 0x01)`, `found 0x${hex(b)}`, at);
  }

  /** Throws for a byte that starts no known production. */
  unknown(what: string, b: number, at: number): never {
    return this.fail(what, `found unknown opcode 0x${hex(b)}`, at);
  }
}

export function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}
