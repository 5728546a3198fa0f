/*
 * Guest for wit/codegen/many-params.wit (world `test:many-params/many-params`), utf8 strings.
 * Canonical ABI by hand: spilled params (> 16 flat values) and return pointers, both ways.
 *
 * Core exports (A = "test:many-params/api"):
 *   A#echo-many      (i32 params-ptr) -> i32 retptr      + cabi_post_A#echo-many
 *   A#mix            (i32) -> i32                         + cabi_post_A#mix
 *   A#swap-big       (i32) -> i32                         + cabi_post_A#swap-big
 *   A#combine-big    (i32) -> i32                         + cabi_post_A#combine-big
 *   A#sixteen        (i32 x 16) -> i64
 *   A#seventeen      (i32) -> i64
 *   A#divmod         (i32, i32) -> i32
 *   A#call-echo-many (i32) -> i32                         + cabi_post_A#call-echo-many
 *   A#call-swap-big  (i32) -> i32                         + cabi_post_A#call-swap-big
 *   A#call-sixteen   (i32 x 16) -> i64
 *   A#call-seventeen (i32) -> i64
 *   A#self-test      () -> i32                            + cabi_post_A#self-test
 *   allocated-bytes  () -> i32
 *   memory, cabi_realloc, _initialize
 * Core imports (module "test:many-params/host"):
 *   echo-many (i32 params-ptr, i32 retptr) -> ()
 *   swap-big  (i32 params-ptr, i32 retptr) -> ()
 *   sixteen   (i32 x 16) -> i64
 *   seventeen (i32 params-ptr) -> i64
 *
 * A spilled params tuple of an export is allocated by the host with cabi_realloc; the guest
 * frees it (and the strings/lists it holds, unless they move into the result) before returning.
 */
#include <stddef.h>
#include "cabi.h"

#define A "test:many-params/api"
#define H "test:many-params/host"

/* record all-params == the spilled tuple of the 18 params. */
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
  uint8_t a11; /* bool */
  uint32_t a12; /* char */
  cabi_bytes_t a13; /* string */
  cabi_bytes_t a14; /* list<u8> */
  uint32_t a15;
  float a16;
  uint64_t a17;
  double a18;
} all_params_t;
_Static_assert(offsetof(all_params_t, a3) == 2 && offsetof(all_params_t, a4) == 4, "");
_Static_assert(offsetof(all_params_t, a7) == 16 && offsetof(all_params_t, a9) == 32, "");
_Static_assert(offsetof(all_params_t, a10) == 40 && offsetof(all_params_t, a11) == 48, "");
_Static_assert(offsetof(all_params_t, a12) == 52 && offsetof(all_params_t, a13) == 56, "");
_Static_assert(offsetof(all_params_t, a14) == 64 && offsetof(all_params_t, a15) == 72, "");
_Static_assert(offsetof(all_params_t, a16) == 76 && offsetof(all_params_t, a17) == 80, "");
_Static_assert(offsetof(all_params_t, a18) == 88 && sizeof(all_params_t) == 96, "");
_Static_assert(_Alignof(all_params_t) == 8, "");

typedef struct {
  uint8_t e0;
  uint16_t e1;
  uint32_t e2;
} tuple_u8_u16_u32_t;

typedef struct {
  uint64_t a;
  float b;
  cabi_bytes_t c; /* string */
  cabi_bytes_t d; /* list<u32> */
  tuple_u8_u16_u32_t e;
  double f;
} big_t;
_Static_assert(offsetof(big_t, b) == 8 && offsetof(big_t, c) == 12, "");
_Static_assert(offsetof(big_t, d) == 20 && offsetof(big_t, e) == 28, "");
_Static_assert(offsetof(big_t, e.e1) == 30 && offsetof(big_t, e.e2) == 32, "");
_Static_assert(offsetof(big_t, f) == 40 && sizeof(big_t) == 48 && _Alignof(big_t) == 8, "");

typedef struct {
  big_t x;
  big_t y;
} big_pair_t; /* tuple<big, big>, and the spilled params (x: big, y: big) */
_Static_assert(sizeof(big_pair_t) == 96, "");

typedef struct {
  uint64_t ints;
  double floats;
  cabi_bytes_t text;
} mix_result_t;
_Static_assert(offsetof(mix_result_t, text) == 16 && sizeof(mix_result_t) == 24, "");

typedef struct {
  uint32_t a[17];
} seventeen_params_t; /* spilled tuple of 17 u32: size 68, align 4 */

static _Alignas(8) uint8_t RET_AREA[96];

IMPORT(H, "echo-many") void host_echo_many(const all_params_t *params, all_params_t *ret);
IMPORT(H, "swap-big") void host_swap_big(const big_pair_t *params, big_pair_t *ret);
IMPORT(H, "sixteen")
uint64_t host_sixteen(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t,
                      uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
IMPORT(H, "seventeen") uint64_t host_seventeen(const seventeen_params_t *params);

static void free_all_params_fields(all_params_t *p) {
  cabi_free(p->a13.ptr, p->a13.len);
  cabi_free(p->a14.ptr, p->a14.len);
}

static void free_big_fields(big_t *b) {
  cabi_free(b->c.ptr, b->c.len);
  cabi_free(b->d.ptr, (size_t)b->d.len * 4);
}

/* ---- echo-many ---- */

EXPORT(A "#echo-many")
all_params_t *echo_many(all_params_t *params) {
  all_params_t *ret = (all_params_t *)RET_AREA;
  *ret = *params; /* a13 and a14 move into the result */
  cabi_free(params, sizeof *params);
  return ret;
}

EXPORT("cabi_post_" A "#echo-many")
void post_echo_many(all_params_t *ret) { free_all_params_fields(ret); }

/* ---- mix ---- */

EXPORT(A "#mix")
mix_result_t *mix(all_params_t *p) {
  uint64_t ints = 0;
  ints += p->a1;
  ints += (uint64_t)(int64_t)p->a2;
  ints += p->a3;
  ints += (uint64_t)(int64_t)p->a4;
  ints += p->a5;
  ints += (uint64_t)(int64_t)p->a6;
  ints += p->a7;
  ints += (uint64_t)p->a8;
  ints += p->a11 ? 1 : 0;
  ints += p->a12;
  for (uint32_t i = 0; i < p->a14.len; i++) ints += p->a14.ptr[i];
  ints += p->a15;
  ints += p->a17;
  double floats = (double)p->a9;
  floats += p->a10;
  floats += (double)p->a16;
  floats += p->a18;
  buf_t b = {0};
  buf_bytes(&b, p->a13.ptr, p->a13.len);
  buf_str(&b, "|");
  buf_utf8(&b, p->a12);
  buf_str(&b, "|");
  buf_u64(&b, p->a14.len);
  mix_result_t *ret = (mix_result_t *)RET_AREA;
  ret->ints = ints;
  ret->floats = floats;
  ret->text = buf_finish(&b);
  free_all_params_fields(p);
  cabi_free(p, sizeof *p);
  return ret;
}

EXPORT("cabi_post_" A "#mix")
void post_mix(mix_result_t *ret) { cabi_free(ret->text.ptr, ret->text.len); }

/* ---- swap-big / combine-big ---- */

EXPORT(A "#swap-big")
big_pair_t *swap_big(big_pair_t *p) {
  big_pair_t *ret = (big_pair_t *)RET_AREA;
  ret->x = p->y;
  ret->y = p->x;
  cabi_free(p, sizeof *p);
  return ret;
}

EXPORT("cabi_post_" A "#swap-big")
void post_swap_big(big_pair_t *ret) {
  free_big_fields(&ret->x);
  free_big_fields(&ret->y);
}

static cabi_bytes_t concat(cabi_bytes_t a, cabi_bytes_t b, uint32_t elem) {
  cabi_bytes_t r;
  r.len = a.len + b.len;
  r.ptr = (uint8_t *)cabi_alloc((size_t)r.len * elem);
  if (a.len) memcpy(r.ptr, a.ptr, (size_t)a.len * elem);
  if (b.len) memcpy(r.ptr + (size_t)a.len * elem, b.ptr, (size_t)b.len * elem);
  return r;
}

EXPORT(A "#combine-big")
big_t *combine_big(big_pair_t *p) {
  big_t *ret = (big_t *)RET_AREA;
  const big_t *x = &p->x, *y = &p->y;
  ret->a = x->a + y->a;
  ret->b = x->b * y->b;
  ret->c = concat(x->c, y->c, 1);
  ret->d = concat(x->d, y->d, 4);
  ret->e.e0 = (uint8_t)(x->e.e0 ^ y->e.e0);
  ret->e.e1 = (uint16_t)(x->e.e1 + y->e.e1);
  ret->e.e2 = x->e.e2 * y->e.e2;
  ret->f = x->f - y->f;
  free_big_fields(&p->x);
  free_big_fields(&p->y);
  cabi_free(p, sizeof *p);
  return ret;
}

EXPORT("cabi_post_" A "#combine-big")
void post_combine_big(big_t *ret) { free_big_fields(ret); }

/* ---- sixteen / seventeen / divmod ---- */

EXPORT(A "#sixteen")
uint64_t sixteen(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5, uint32_t a6, uint32_t a7,
                 uint32_t a8, uint32_t a9, uint32_t a10, uint32_t a11, uint32_t a12, uint32_t a13, uint32_t a14,
                 uint32_t a15, uint32_t a16) {
  uint32_t a[16] = {a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16};
  uint64_t s = 0;
  for (int i = 0; i < 16; i++) s += (uint64_t)(i + 1) * a[i];
  return s;
}

static uint64_t weighted17(const seventeen_params_t *p) {
  uint64_t s = 0;
  for (int i = 0; i < 17; i++) s += (uint64_t)(i + 1) * p->a[i];
  return s;
}

EXPORT(A "#seventeen")
uint64_t seventeen(seventeen_params_t *p) {
  uint64_t s = weighted17(p);
  cabi_free(p, sizeof *p);
  return s;
}

EXPORT(A "#divmod")
uint32_t *divmod(uint32_t a, uint32_t b) {
  uint32_t *ret = (uint32_t *)RET_AREA;
  ret[0] = a / b; /* i32.div_u traps when b = 0 */
  ret[1] = a % b;
  return ret;
}

/* ---- forwarding to the imports ---- */

EXPORT(A "#call-echo-many")
all_params_t *call_echo_many(all_params_t *p) {
  all_params_t *ret = (all_params_t *)RET_AREA;
  host_echo_many(p, ret); /* the host allocates ret->a13 / ret->a14 with cabi_realloc */
  free_all_params_fields(p);
  cabi_free(p, sizeof *p);
  return ret;
}

EXPORT("cabi_post_" A "#call-echo-many")
void post_call_echo_many(all_params_t *ret) { free_all_params_fields(ret); }

EXPORT(A "#call-swap-big")
big_pair_t *call_swap_big(big_pair_t *p) {
  big_pair_t *ret = (big_pair_t *)RET_AREA;
  host_swap_big(p, ret);
  free_big_fields(&p->x);
  free_big_fields(&p->y);
  cabi_free(p, sizeof *p);
  return ret;
}

EXPORT("cabi_post_" A "#call-swap-big")
void post_call_swap_big(big_pair_t *ret) {
  free_big_fields(&ret->x);
  free_big_fields(&ret->y);
}

EXPORT(A "#call-sixteen")
uint64_t call_sixteen(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5, uint32_t a6,
                      uint32_t a7, uint32_t a8, uint32_t a9, uint32_t a10, uint32_t a11, uint32_t a12,
                      uint32_t a13, uint32_t a14, uint32_t a15, uint32_t a16) {
  return host_sixteen(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16);
}

EXPORT(A "#call-seventeen")
uint64_t call_seventeen(seventeen_params_t *p) {
  uint64_t r = host_seventeen(p);
  cabi_free(p, sizeof *p);
  return r;
}

/* ---- self-test ---- */

typedef struct {
  cabi_bytes_t *items;
  uint32_t len, cap;
} failures_t;

static void fail(failures_t *f, const char *what) {
  if (f->len == f->cap) {
    uint32_t cap = f->cap ? f->cap * 2 : 8;
    cabi_bytes_t *items = (cabi_bytes_t *)cabi_alloc(cap * sizeof *items);
    if (f->len) memcpy(items, f->items, f->len * sizeof *items);
    cabi_free(f->items, f->cap * sizeof *items);
    f->items = items;
    f->cap = cap;
  }
  f->items[f->len++] = cabi_str(what);
}

static int bytes_eq(cabi_bytes_t a, cabi_bytes_t b, uint32_t elem) {
  return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, (size_t)a.len * elem) == 0);
}

#define CHECK(cond, msg) \
  do {                   \
    if (!(cond)) fail(f, msg); \
  } while (0)

static int f32_same(float a, float b) { return memcmp(&a, &b, 4) == 0; }
static int f64_same(double a, double b) { return memcmp(&a, &b, 8) == 0; }

static void test_echo_many(failures_t *f) {
  static const char text[] = "spilled \xE2\x9C\x93";
  static const uint8_t bytes[] = {1, 2, 3, 250};
  all_params_t in = {0};
  in.a1 = 0xFE;
  in.a2 = -100;
  in.a3 = 0xFFF0;
  in.a4 = -30000;
  in.a5 = 0xFFFFFFFEu;
  in.a6 = -2000000000;
  in.a7 = 0xFFFFFFFFFFFFFFF0ull;
  in.a8 = -9000000000000000000ll;
  in.a9 = 1.5f;
  in.a10 = -2.25;
  in.a11 = 1;
  in.a12 = 0x1F680; /* U+1F680 ROCKET */
  in.a13.ptr = (uint8_t *)text;
  in.a13.len = sizeof text - 1;
  in.a14.ptr = (uint8_t *)bytes;
  in.a14.len = sizeof bytes;
  in.a15 = 0x80000001u;
  in.a16 = -0.5f;
  in.a17 = 0x8000000000000001ull;
  in.a18 = 1e300;
  all_params_t out;
  memset(&out, 0xAB, sizeof out);
  host_echo_many(&in, &out);
  CHECK(out.a1 == in.a1, "echo-many: a1");
  CHECK(out.a2 == in.a2, "echo-many: a2");
  CHECK(out.a3 == in.a3, "echo-many: a3");
  CHECK(out.a4 == in.a4, "echo-many: a4");
  CHECK(out.a5 == in.a5, "echo-many: a5");
  CHECK(out.a6 == in.a6, "echo-many: a6");
  CHECK(out.a7 == in.a7, "echo-many: a7");
  CHECK(out.a8 == in.a8, "echo-many: a8");
  CHECK(f32_same(out.a9, in.a9), "echo-many: a9");
  CHECK(f64_same(out.a10, in.a10), "echo-many: a10");
  CHECK(out.a11 == 1, "echo-many: a11");
  CHECK(out.a12 == in.a12, "echo-many: a12");
  CHECK(bytes_eq(out.a13, in.a13, 1), "echo-many: a13");
  CHECK(bytes_eq(out.a14, in.a14, 1), "echo-many: a14");
  CHECK(out.a15 == in.a15, "echo-many: a15");
  CHECK(f32_same(out.a16, in.a16), "echo-many: a16");
  CHECK(out.a17 == in.a17, "echo-many: a17");
  CHECK(f64_same(out.a18, in.a18), "echo-many: a18");
  free_all_params_fields(&out);
}

static big_t make_big(uint64_t a, const char *c, const uint32_t *d, uint32_t dlen, uint8_t e0, double f) {
  big_t b;
  b.a = a;
  b.b = (float)a / 4.0f;
  b.c.ptr = (uint8_t *)c;
  b.c.len = (uint32_t)strlen(c);
  b.d.ptr = (uint8_t *)d;
  b.d.len = dlen;
  b.e.e0 = e0;
  b.e.e1 = (uint16_t)(e0 * 257);
  b.e.e2 = 0xF0000000u | e0;
  b.f = f;
  return b;
}

static int big_eq(const big_t *a, const big_t *b) {
  return a->a == b->a && f32_same(a->b, b->b) && bytes_eq(a->c, b->c, 1) && bytes_eq(a->d, b->d, 4) &&
         a->e.e0 == b->e.e0 && a->e.e1 == b->e.e1 && a->e.e2 == b->e.e2 && f64_same(a->f, b->f);
}

static void test_swap_big(failures_t *f) {
  static const uint32_t dx[] = {1, 0xFFFFFFFFu, 3};
  big_pair_t in;
  in.x = make_big(0x123456789ull, "x \xC3\xA9", dx, 3, 7, 0.125);
  in.y = make_big(10, "", dx, 0, 200, -8.0);
  big_pair_t out;
  memset(&out, 0xAB, sizeof out);
  host_swap_big(&in, &out);
  CHECK(big_eq(&out.x, &in.y), "swap-big: first element should be y");
  CHECK(big_eq(&out.y, &in.x), "swap-big: second element should be x");
  free_big_fields(&out.x);
  free_big_fields(&out.y);
}

static void test_sixteen_seventeen(failures_t *f) {
  seventeen_params_t p;
  uint64_t expect16 = 0;
  for (int i = 0; i < 17; i++) p.a[i] = 0xFFFFFF00u + (uint32_t)i * 3;
  for (int i = 0; i < 16; i++) expect16 += (uint64_t)(i + 1) * p.a[i];
  uint64_t got16 = host_sixteen(p.a[0], p.a[1], p.a[2], p.a[3], p.a[4], p.a[5], p.a[6], p.a[7], p.a[8], p.a[9],
                                p.a[10], p.a[11], p.a[12], p.a[13], p.a[14], p.a[15]);
  CHECK(got16 == expect16, "sixteen: wrong sum");
  CHECK(host_seventeen(&p) == weighted17(&p), "seventeen: wrong sum");
}

EXPORT(A "#self-test")
cabi_bytes_t *self_test(void) {
  failures_t fl = {0};
  failures_t *f = &fl;
  test_echo_many(f);
  test_swap_big(f);
  test_sixteen_seventeen(f);
  cabi_bytes_t *ret = (cabi_bytes_t *)RET_AREA;
  /* exact-size array for the result list<string> */
  ret->ptr = (uint8_t *)cabi_dup(f->items, f->len * sizeof(cabi_bytes_t));
  ret->len = f->len;
  cabi_free(f->items, f->cap * sizeof(cabi_bytes_t));
  return ret;
}

EXPORT("cabi_post_" A "#self-test")
void post_self_test(cabi_bytes_t *ret) {
  cabi_bytes_t *items = (cabi_bytes_t *)ret->ptr;
  for (uint32_t i = 0; i < ret->len; i++) cabi_free(items[i].ptr, items[i].len);
  cabi_free(items, ret->len * sizeof(cabi_bytes_t));
}
