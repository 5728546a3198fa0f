/*
 * The `strings` world implementation shared by guests/strings-utf16 and guests/strings-latin1
 * (see wit/codegen/strings-*.wit). Before including, define:
 *   PKG          "test:strings-utf16" or "test:strings-latin1"
 *   ENC_LATIN1   0: the core ABI uses string-encoding=utf16
 *                1: the core ABI uses string-encoding=latin1+utf16
 *
 * Core exports (S = PKG "/strings"):
 *   S#echo (i32, i32) -> i32 retptr + cabi_post   S#len (i32, i32) -> i32
 *   S#code-units (i32, i32) -> i32                S#make-latin1 (i32) -> i32 + cabi_post
 *   S#make-wide (i32) -> i32 + cabi_post          S#concat (i32 x 4) -> i32 + cabi_post
 *   S#roundtrip (i32, i32) -> i32 + cabi_post     S#roundtrip-units (i32, i32) -> i32
 *   S#host-check (i32) -> i32                     allocated-bytes, memory, cabi_realloc, _initialize
 * Core imports: module PKG "/host", field "echo": (i32 ptr, i32 len, i32 retptr) -> ().
 */
#include "cabi.h"

#define S PKG "/strings"
#define UTF16_TAG 0x80000000u

/* A string as the core ABI passes it: (ptr, len or tagged len). Same layout as cabi_bytes_t. */
typedef cabi_bytes_t str_t;

IMPORT(PKG "/host", "echo") void host_echo(const uint8_t *ptr, uint32_t len, str_t *ret);

static _Alignas(8) uint8_t RET_AREA[8];

static int is_utf16(str_t s) { return ENC_LATIN1 ? (s.len & UTF16_TAG) != 0 : 1; }
static uint32_t n_units(str_t s) { return ENC_LATIN1 ? s.len & ~UTF16_TAG : s.len; }
static size_t byte_size(str_t s) { return (size_t)n_units(s) * (is_utf16(s) ? 2 : 1); }
static void str_free(str_t s) { cabi_free(s.ptr, byte_size(s)); }

/* Decodes s into a fresh array of scalar values; returns the count. */
static uint32_t *decode(str_t s, uint32_t *count) {
  uint32_t n = n_units(s), k = 0;
  uint32_t *out = (uint32_t *)cabi_alloc((size_t)n * 4);
  if (!is_utf16(s)) {
    for (uint32_t i = 0; i < n; i++) out[k++] = s.ptr[i];
  } else {
    const uint16_t *u = (const uint16_t *)s.ptr;
    for (uint32_t i = 0; i < n; i++) {
      uint32_t c = u[i];
      if (c >= 0xD800 && c < 0xDC00 && i + 1 < n && u[i + 1] >= 0xDC00 && u[i + 1] < 0xE000) {
        c = 0x10000 + ((c - 0xD800) << 10) + (u[i + 1] - 0xDC00);
        i++;
      }
      out[k++] = c;
    }
  }
  *count = k;
  return out;
}

/* Encodes scalar values in the guest's encoding (latin1+utf16: Latin-1 when all < 256). */
static str_t encode(const uint32_t *cs, uint32_t n) {
  str_t r;
  int wide = !ENC_LATIN1;
  uint32_t units = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (cs[i] > 0xFF) wide = 1;
    units += cs[i] >= 0x10000 ? 2 : 1;
  }
  if (!wide) {
    r.ptr = (uint8_t *)cabi_alloc(n);
    for (uint32_t i = 0; i < n; i++) r.ptr[i] = (uint8_t)cs[i];
    r.len = n;
    return r;
  }
  uint16_t *u = (uint16_t *)cabi_alloc((size_t)units * 2);
  uint32_t k = 0;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t c = cs[i];
    if (c >= 0x10000) {
      c -= 0x10000;
      u[k++] = (uint16_t)(0xD800 + (c >> 10));
      u[k++] = (uint16_t)(0xDC00 + (c & 0x3FF));
    } else {
      u[k++] = (uint16_t)c;
    }
  }
  r.ptr = (uint8_t *)u;
  r.len = ENC_LATIN1 ? (units | UTF16_TAG) : units;
  return r;
}

static str_t *ret_str(str_t s) {
  str_t *ret = (str_t *)RET_AREA;
  *ret = s;
  return ret;
}

EXPORT(S "#echo")
str_t *echo(uint8_t *ptr, uint32_t len) {
  str_t s = {ptr, len};
  return ret_str(s); /* ownership moves to the result; post-return frees it */
}

EXPORT("cabi_post_" S "#echo")
void post_echo(str_t *ret) { str_free(*ret); }

EXPORT(S "#len")
uint32_t len(uint8_t *ptr, uint32_t len) {
  str_t s = {ptr, len};
  uint32_t n;
  uint32_t *cs = decode(s, &n);
  cabi_free(cs, (size_t)n_units(s) * 4);
  str_free(s);
  return n;
}

EXPORT(S "#code-units")
uint32_t code_units(uint8_t *ptr, uint32_t len) {
  str_t s = {ptr, len};
  str_free(s);
  return len;
}

static str_t make(const uint32_t *cycle, uint32_t period, uint32_t n) {
  uint32_t *cs = (uint32_t *)cabi_alloc((size_t)n * 4);
  for (uint32_t i = 0; i < n; i++) cs[i] = cycle[i % period];
  str_t r = encode(cs, n);
  cabi_free(cs, (size_t)n * 4);
  return r;
}

static const uint32_t LATIN1_CYCLE[] = {0x61, 0xE9};
static const uint32_t WIDE_CYCLE[] = {0x61, 0x20AC, 0x1F600};

EXPORT(S "#make-latin1")
str_t *make_latin1(uint32_t n) { return ret_str(make(LATIN1_CYCLE, 2, n)); }

EXPORT("cabi_post_" S "#make-latin1")
void post_make_latin1(str_t *ret) { str_free(*ret); }

EXPORT(S "#make-wide")
str_t *make_wide(uint32_t n) { return ret_str(make(WIDE_CYCLE, 3, n)); }

EXPORT("cabi_post_" S "#make-wide")
void post_make_wide(str_t *ret) { str_free(*ret); }

static str_t concat2(str_t a, str_t b) {
  uint32_t na, nb;
  uint32_t *ca = decode(a, &na), *cb = decode(b, &nb);
  uint32_t *cs = (uint32_t *)cabi_alloc((size_t)(na + nb) * 4);
  if (na) memcpy(cs, ca, (size_t)na * 4);
  if (nb) memcpy(cs + na, cb, (size_t)nb * 4);
  str_t r = encode(cs, na + nb);
  cabi_free(cs, (size_t)(na + nb) * 4);
  cabi_free(ca, (size_t)n_units(a) * 4);
  cabi_free(cb, (size_t)n_units(b) * 4);
  return r;
}

EXPORT(S "#concat")
str_t *concat(uint8_t *aptr, uint32_t alen, uint8_t *bptr, uint32_t blen) {
  str_t a = {aptr, alen}, b = {bptr, blen};
  str_t r = concat2(a, b);
  str_free(a);
  str_free(b);
  return ret_str(r);
}

EXPORT("cabi_post_" S "#concat")
void post_concat(str_t *ret) { str_free(*ret); }

EXPORT(S "#roundtrip")
str_t *roundtrip(uint8_t *ptr, uint32_t len) {
  str_t s = {ptr, len};
  str_t *ret = (str_t *)RET_AREA;
  host_echo(s.ptr, s.len, ret); /* the host allocates the result with cabi_realloc (align 2) */
  str_free(s);
  return ret;
}

EXPORT("cabi_post_" S "#roundtrip")
void post_roundtrip(str_t *ret) { str_free(*ret); }

EXPORT(S "#roundtrip-units")
uint32_t roundtrip_units(uint8_t *ptr, uint32_t len) {
  str_t s = {ptr, len};
  str_t got;
  host_echo(s.ptr, s.len, &got);
  uint32_t units = got.len;
  str_free(got);
  str_free(s);
  return units;
}

static int same_scalars(str_t a, str_t b) {
  uint32_t na, nb;
  uint32_t *ca = decode(a, &na), *cb = decode(b, &nb);
  int same = na == nb && (na == 0 || memcmp(ca, cb, (size_t)na * 4) == 0);
  cabi_free(ca, (size_t)n_units(a) * 4);
  cabi_free(cb, (size_t)n_units(b) * 4);
  return same;
}

static uint32_t check_one(str_t s) {
  str_t got;
  host_echo(s.ptr, s.len, &got);
  uint32_t bad = same_scalars(s, got) ? 0 : 1;
  str_free(got);
  str_free(s);
  return bad;
}

EXPORT(S "#host-check")
uint32_t host_check(uint32_t n) {
  uint32_t bad = 0;
  str_t l = make(LATIN1_CYCLE, 2, n), w = make(WIDE_CYCLE, 3, n);
  bad += check_one(concat2(l, w));
  bad += check_one(l);
  bad += check_one(w);
  return bad;
}
