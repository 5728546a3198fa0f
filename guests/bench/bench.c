/*
 * Guest for wit/codegen/bench.wit (world `witbind:bench/bench`), canonical ABI by hand, utf8
 * strings. Used by `npm run bench` (bench/abi.js) to time generated bindings against
 * hand-written glue on the same module, so every export does as little as it can: an echo hands
 * back the very allocation the host passed in (post-return frees it), a len only counts and
 * frees, a make builds its result directly in exact-size blocks.
 *
 * Core exports (interface key `witbind:bench/api`, abbreviated K):
 *   K#noop            () -> ()
 *   K#add             (i32, i32) -> i32
 *   K#echo-str        (i32, i32) -> i32 (retptr: string)        + cabi_post
 *   K#len-str         (i32, i32) -> i32
 *   K#make-str        (i32, i32) -> i32 (retptr: string)        + cabi_post
 *   K#echo-list-u32 / echo-list-u8 / echo-items / echo-values / echo-strs
 *                     (i32, i32) -> i32 (retptr: list)          + cabi_post
 *   K#len-list-u32 / len-list-u8 / len-items / len-values / len-strs
 *                     (i32, i32) -> i32
 *   K#make-list-u32 / make-list-u8 / make-items / make-values / make-strs
 *                     (i32) -> i32 (retptr: list)               + cabi_post
 *   K#many            (i32) -> i64     18 flat params: one pointer to the spilled tuple
 *   K#half            (i32) -> i32 (retptr: result<u32, string>) + cabi_post
 *   allocated-bytes   () -> i32
 *   memory, cabi_realloc, _initialize
 * Core imports: none.
 */
#include <stdbool.h>
#include "cabi.h"

#define K "witbind:bench/api"
#define E(name) EXPORT(K "#" name)
#define EPOST(name) EXPORT("cabi_post_" K "#" name)

typedef cabi_bytes_t str_t;  /* string: (ptr, len) */
typedef cabi_bytes_t list_t; /* list<T>: (ptr, element count) */

/* item: { id: u32 @0, name: string @4, score: f64 @16 }, size 24, align 8. */
typedef struct {
  uint32_t id;
  str_t name;
  double score;
} item_t;
_Static_assert(sizeof(item_t) == 24 && _Alignof(item_t) == 8, "item layout");
_Static_assert(offsetof(item_t, name) == 4 && offsetof(item_t, score) == 16, "item offsets");

/* value: u8 discriminant @0, payload @8 (s32 | s64 | f64 | string), size 16, align 8. */
enum { V_EMPTY, V_INT, V_BIG, V_REAL, V_TEXT, V_CASES };
typedef struct {
  uint8_t tag;
  union {
    int32_t i;
    int64_t big;
    double real;
    str_t text;
  } val;
} value_t;
_Static_assert(sizeof(value_t) == 16 && _Alignof(value_t) == 8, "value layout");
_Static_assert(offsetof(value_t, val) == 8, "value payload offset");

/* The spilled params of `many`: the tuple of its 18 params, size 80, align 8. */
typedef struct {
  uint8_t a1;
  int8_t a2;
  uint16_t a3;
  int16_t a4;
  uint32_t a5;
  int32_t a6;
  uint64_t a7;
  int64_t a8;
  float a9;
  double a10;
  uint8_t a11;
  uint32_t a12;
  uint32_t a13, a14, a15, a16, a17, a18;
} many_params_t;
_Static_assert(sizeof(many_params_t) == 80 && _Alignof(many_params_t) == 8, "many layout");
_Static_assert(offsetof(many_params_t, a10) == 40 && offsetof(many_params_t, a12) == 52, "many offsets");

/* result<u32, string>: u8 discriminant @0, payload @4, size 12, align 4. */
typedef struct {
  uint8_t tag;
  union {
    uint32_t ok;
    str_t err;
  } val;
} result_u32_str_t;
_Static_assert(sizeof(result_u32_str_t) == 12 && _Alignof(result_u32_str_t) == 4, "result layout");

/* One static return area for every export (wit-bindgen's RET_AREA). */
static _Alignas(8) uint8_t RET_AREA[16];
#define RET(T) ((T *)RET_AREA)

static list_t mk(void *ptr, uint32_t len) {
  list_t l = {(uint8_t *)ptr, len};
  return l;
}

static void free_str(str_t s) { cabi_free(s.ptr, s.len); }
static void free_list_raw(list_t l, size_t elem) { cabi_free(l.ptr, (size_t)l.len * elem); }

static void free_items(list_t l) {
  item_t *items = (item_t *)l.ptr;
  for (uint32_t i = 0; i < l.len; i++) free_str(items[i].name);
  free_list_raw(l, sizeof(item_t));
}

/* A bad discriminant in a param traps (the host must never send one). */
static void free_values(list_t l) {
  value_t *v = (value_t *)l.ptr;
  for (uint32_t i = 0; i < l.len; i++) {
    if (v[i].tag >= V_CASES) TRAP();
    if (v[i].tag == V_TEXT) free_str(v[i].val.text);
  }
  free_list_raw(l, sizeof(value_t));
}

static void free_strs(list_t l) {
  str_t *s = (str_t *)l.ptr;
  for (uint32_t i = 0; i < l.len; i++) free_str(s[i]);
  free_list_raw(l, sizeof(str_t));
}

/* `prefix` followed by `n` in decimal, in an exact-size block. */
static str_t numbered(const char *prefix, uint32_t n) {
  char tmp[32];
  uint32_t len = (uint32_t)strlen(prefix);
  memcpy(tmp, prefix, len);
  char digits[10];
  int d = 0;
  do {
    digits[d++] = (char)('0' + n % 10);
    n /= 10;
  } while (n);
  while (d) tmp[len++] = digits[--d];
  str_t s = {(uint8_t *)cabi_dup(tmp, len), len};
  return s;
}

/* ------------------------------------------------------------------ scalars */

E("noop") void noop(void) {}

E("add") uint32_t add(uint32_t a, uint32_t b) { return a + b; }

/* ------------------------------------------------------------------ strings */

E("echo-str") str_t *echo_str(uint8_t *p, uint32_t n) {
  *RET(str_t) = mk(p, n);
  return RET(str_t);
}
EPOST("echo-str") void post_echo_str(str_t *r) { free_str(*r); }

E("len-str") uint32_t len_str(uint8_t *p, uint32_t n) {
  cabi_free(p, n);
  return n;
}

static const char UNIT[] = "\xC3\xA9\xE2\x82\xAC\xD0\xB6\xE2\x9C\x93\xE6\x97\xA5\xE6\x9C\xAC\xF0\x9F\x9A\x80";

/* Byte length of the UTF-8 sequence that starts with `b`. */
static uint32_t seq_len(uint8_t b) { return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4; }

E("make-str") str_t *make_str(uint32_t n, uint32_t multibyte) {
  uint8_t *p = (uint8_t *)cabi_alloc(n);
  uint32_t i = 0;
  if (multibyte) {
    const uint32_t unit = sizeof UNIT - 1;
    uint32_t u = 0;
    for (;;) {
      uint32_t k = seq_len((uint8_t)UNIT[u]);
      if (i + k > n) break;
      memcpy(p + i, UNIT + u, k);
      i += k;
      u += k;
      if (u == unit) u = 0;
    }
    for (; i < n; i++) p[i] = 'x';
  } else {
    for (; i < n; i++) p[i] = (uint8_t)('a' + i % 26);
  }
  *RET(str_t) = mk(p, n);
  return RET(str_t);
}
EPOST("make-str") void post_make_str(str_t *r) { free_str(*r); }

/* ------------------------------------------------------------------ numeric lists */

E("echo-list-u32") list_t *echo_list_u32(uint32_t *p, uint32_t n) {
  *RET(list_t) = mk(p, n);
  return RET(list_t);
}
EPOST("echo-list-u32") void post_echo_list_u32(list_t *r) { free_list_raw(*r, 4); }

E("len-list-u32") uint32_t len_list_u32(uint32_t *p, uint32_t n) {
  free_list_raw(mk(p, n), 4);
  return n;
}

E("make-list-u32") list_t *make_list_u32(uint32_t n) {
  uint32_t *p = (uint32_t *)cabi_alloc((size_t)n * 4);
  for (uint32_t i = 0; i < n; i++) p[i] = i;
  *RET(list_t) = mk(p, n);
  return RET(list_t);
}
EPOST("make-list-u32") void post_make_list_u32(list_t *r) { free_list_raw(*r, 4); }

E("echo-list-u8") list_t *echo_list_u8(uint8_t *p, uint32_t n) {
  *RET(list_t) = mk(p, n);
  return RET(list_t);
}
EPOST("echo-list-u8") void post_echo_list_u8(list_t *r) { free_list_raw(*r, 1); }

E("len-list-u8") uint32_t len_list_u8(uint8_t *p, uint32_t n) {
  free_list_raw(mk(p, n), 1);
  return n;
}

E("make-list-u8") list_t *make_list_u8(uint32_t n) {
  uint8_t *p = (uint8_t *)cabi_alloc(n);
  for (uint32_t i = 0; i < n; i++) p[i] = (uint8_t)i;
  *RET(list_t) = mk(p, n);
  return RET(list_t);
}
EPOST("make-list-u8") void post_make_list_u8(list_t *r) { free_list_raw(*r, 1); }

/* ------------------------------------------------------------------ list<item> */

E("echo-items") list_t *echo_items(item_t *p, uint32_t n) {
  *RET(list_t) = mk(p, n);
  return RET(list_t);
}
EPOST("echo-items") void post_echo_items(list_t *r) { free_items(*r); }

E("len-items") uint32_t len_items(item_t *p, uint32_t n) {
  free_items(mk(p, n));
  return n;
}

E("make-items") list_t *make_items(uint32_t n) {
  item_t *items = (item_t *)cabi_alloc((size_t)n * sizeof(item_t));
  for (uint32_t i = 0; i < n; i++) {
    items[i].id = i;
    items[i].name = numbered("item-", i);
    items[i].score = (double)i / 4;
  }
  *RET(list_t) = mk(items, n);
  return RET(list_t);
}
EPOST("make-items") void post_make_items(list_t *r) { free_items(*r); }

/* ------------------------------------------------------------------ list<value> */

E("echo-values") list_t *echo_values(value_t *p, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (p[i].tag >= V_CASES) TRAP();
  *RET(list_t) = mk(p, n);
  return RET(list_t);
}
EPOST("echo-values") void post_echo_values(list_t *r) { free_values(*r); }

E("len-values") uint32_t len_values(value_t *p, uint32_t n) {
  free_values(mk(p, n));
  return n;
}

E("make-values") list_t *make_values(uint32_t n) {
  value_t *v = (value_t *)cabi_alloc((size_t)n * sizeof(value_t));
  for (uint32_t i = 0; i < n; i++) {
    memset(&v[i], 0, sizeof v[i]);
    v[i].tag = (uint8_t)(i % V_CASES);
    switch (v[i].tag) {
      case V_EMPTY: break;
      case V_INT: v[i].val.i = -(int32_t)i; break;
      case V_BIG: v[i].val.big = (int64_t)((uint64_t)i << 32); break;
      case V_REAL: v[i].val.real = (double)i / 2; break;
      case V_TEXT: v[i].val.text = numbered("v", i); break;
    }
  }
  *RET(list_t) = mk(v, n);
  return RET(list_t);
}
EPOST("make-values") void post_make_values(list_t *r) { free_values(*r); }

/* ------------------------------------------------------------------ list<string> */

E("echo-strs") list_t *echo_strs(str_t *p, uint32_t n) {
  *RET(list_t) = mk(p, n);
  return RET(list_t);
}
EPOST("echo-strs") void post_echo_strs(list_t *r) { free_strs(*r); }

E("len-strs") uint32_t len_strs(str_t *p, uint32_t n) {
  free_strs(mk(p, n));
  return n;
}

E("make-strs") list_t *make_strs(uint32_t n) {
  str_t *s = (str_t *)cabi_alloc((size_t)n * sizeof(str_t));
  for (uint32_t i = 0; i < n; i++) s[i] = numbered("str-", i);
  *RET(list_t) = mk(s, n);
  return RET(list_t);
}
EPOST("make-strs") void post_make_strs(list_t *r) { free_strs(*r); }

/* ------------------------------------------------------------------ spilled params, result */

E("many") uint64_t many(many_params_t *a) {
  uint32_t f32bits;
  uint64_t f64bits;
  memcpy(&f32bits, &a->a9, 4);
  memcpy(&f64bits, &a->a10, 8);
  uint64_t s = (uint64_t)a->a1 + (uint64_t)(int64_t)a->a2 + a->a3 + (uint64_t)(int64_t)a->a4 + a->a5 +
               (uint64_t)(int64_t)a->a6 + a->a7 + (uint64_t)a->a8 + f32bits + f64bits + (a->a11 ? 1 : 0) +
               a->a12 + a->a13 + a->a14 + a->a15 + a->a16 + a->a17 + a->a18;
  cabi_free(a, sizeof *a);
  return s;
}

E("half") result_u32_str_t *half(uint32_t n) {
  result_u32_str_t *r = RET(result_u32_str_t);
  memset(r, 0, sizeof *r);
  if (n % 2 == 0) {
    r->tag = 0;
    r->val.ok = n / 2;
  } else {
    r->tag = 1;
    r->val.err = numbered("odd: ", n);
  }
  return r;
}
EPOST("half") void post_half(result_u32_str_t *r) {
  if (r->tag == 1) free_str(r->val.err);
}
