// A small seeded PRNG (sfc32, seeded through splitmix32) so that every fuzz input is a pure
// function of (seed, index): `--seed S --index I` reproduces input I of a campaign alone.

function splitmix32(state) {
  let z = (state + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Rng {
  #a;
  #b;
  #c;
  #d;

  /** A generator for input `index` of campaign `seed` (both non-negative integers). */
  constructor(seed, index = 0) {
    let s = splitmix32(seed >>> 0);
    s = splitmix32((s ^ Math.imul(index >>> 0, 0x27d4eb2d)) >>> 0);
    this.#a = s;
    this.#b = splitmix32(s + 1);
    this.#c = splitmix32(s + 2);
    this.#d = 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A uniform unsigned 32-bit integer. */
  u32() {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  float() {
    return this.u32() / 4294967296;
  }

  /** An integer in [0, n). */
  int(n) {
    return n <= 0 ? 0 : Math.floor(this.float() * n);
  }

  /** An integer in [lo, hi]. */
  range(lo, hi) {
    return lo + this.int(hi - lo + 1);
  }

  chance(p) {
    return this.float() < p;
  }

  pick(items) {
    return items[this.int(items.length)];
  }

  /** Picks from `[weight, value]` pairs. */
  weighted(pairs) {
    let total = 0;
    for (const [w] of pairs) total += w;
    let r = this.float() * total;
    for (const [w, v] of pairs) {
      if ((r -= w) < 0) return v;
    }
    return pairs[pairs.length - 1][1];
  }

  /** 0, 1, 2, … with P(k) halving each step, capped at `max`. */
  geometric(max, p = 0.5) {
    let k = 0;
    while (k < max && this.chance(p)) k++;
    return k;
  }

  /** A size biased towards small values but sometimes large: 1 … max, log-uniform. */
  logSize(max) {
    return Math.max(1, Math.floor(Math.exp(this.float() * Math.log(max + 1))));
  }
}
