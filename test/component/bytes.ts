// A tiny binary builder for hand-made component bytes (encodings wasm-tools' text format cannot
// produce, and malformed input).
export type Bytes = number[];

export function leb(n: number | bigint): Bytes {
  let v = BigInt(n);
  const out: Bytes = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return out;
}

export function sleb(n: number | bigint): Bytes {
  let v = BigInt(n);
  const out: Bytes = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

export function str(s: string): Bytes {
  const b = [...new TextEncoder().encode(s)];
  return [...leb(b.length), ...b];
}

export function vec(items: readonly Bytes[]): Bytes {
  return [...leb(items.length), ...items.flat()];
}

export function section(id: number, body: Bytes): Bytes {
  return [id, ...leb(body.length), ...body];
}

export const PREAMBLE: Bytes = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];

export function component(...sections: Bytes[]): Uint8Array {
  return Uint8Array.from([...PREAMBLE, ...sections.flat()]);
}

/** A component's bytes as a number array, for nesting (section 4). */
export function componentBody(...sections: Bytes[]): Bytes {
  return [...PREAMBLE, ...sections.flat()];
}
