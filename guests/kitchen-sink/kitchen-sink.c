/*
 * Guest for wit/codegen/kitchen-sink.wit (world `test:kitchen-sink/kitchen-sink`), utf8 strings.
 * The canonical ABI is implemented by hand: C structs mirror the canonical memory layouts
 * (asserted below), and every export/import is declared with its flattened core signature.
 *
 * Core exports (legacy names, design/mvp/BuildTargets.md):
 *   test:kitchen-sink/echoes#<f>, test:kitchen-sink/compute#<f>, test:kitchen-sink/calls#<f>,
 *   test:kitchen-sink/traps#<f>, test:kitchen-sink/resources#<f> (incl. [constructor]accumulator,
 *   [method]accumulator.add|total|label, [static]accumulator.merge|consume, [dtor]accumulator),
 *   greet, init-count, allocated-bytes, cabi_post_<export> for every export whose result holds
 *   an allocation, memory, cabi_realloc, _initialize.
 * Core imports:
 *   test:kitchen-sink/host: [constructor]counter, [method]counter.add|get|describe,
 *     [static]counter.merge, [resource-drop]counter, consume, echo-*
 *   $root: log
 *   [export]test:kitchen-sink/resources: [resource-new]accumulator, [resource-rep]accumulator,
 *     [resource-drop]accumulator
 *
 * Ownership: strings/lists in export params were allocated by the host with cabi_realloc and
 * belong to the guest, which frees them (or moves them into its result). Post-return frees
 * what an export returned. Import params point into guest memory (the guest frees them);
 * strings/lists in import results are allocated by the host with cabi_realloc (the guest
 * frees them).
 */
#include <stddef.h>
#include <stdbool.h>
#include "cabi.h"

#define ECHOES "test:kitchen-sink/echoes"
#define COMPUTE "test:kitchen-sink/compute"
#define CALLS "test:kitchen-sink/calls"
#define HOST "test:kitchen-sink/host"
#define RES "test:kitchen-sink/resources"
#define TRAPS "test:kitchen-sink/traps"

typedef cabi_bytes_t str_t;  /* string: (ptr, len) */
typedef cabi_bytes_t list_t; /* list<T>: (ptr, element count) */

/* ------------------------------------------------------------------ layouts */

typedef struct {
  int32_t x, y;
} point_t;

typedef struct {
  point_t start, end;
  str_t label;
} line_t;

typedef struct {
  uint8_t a; /* bool */
  uint64_t b;
  uint16_t c;
  float d;
  uint8_t e;
  double f;
  uint32_t g; /* char */
} mixed_t;

typedef struct {
  uint8_t is_some;
  point_t val;
} option_point_t;

typedef struct {
  str_t name;
  uint8_t age;
  list_t scores; /* list<u32> */
  option_point_t home;
} person_t;

enum { SHAPE_NOTHING, SHAPE_SMALL, SHAPE_CIRCLE, SHAPE_BIG, SHAPE_PRECISE, SHAPE_NAMED, SHAPE_SEGMENT, SHAPE_AT };
typedef struct {
  float a;
  uint32_t b;
} segment_t;
typedef struct {
  uint8_t tag;
  union {
    uint8_t small;
    float circle;
    uint64_t big;
    double precise;
    str_t named;
    segment_t segment;
    point_t at;
  } val;
} shape_t;

typedef struct {
  uint8_t tag; /* 0 int, 1 float, 2 none */
  union {
    int32_t i;
    float f;
  } val;
} number_t;

typedef struct {
  uint8_t tag; /* 0 single, 1 double */
  union {
    float f;
    double d;
  } val;
} real_t;

typedef struct {
  uint8_t is_some;
  uint32_t val;
} option_u32_t;

typedef struct {
  uint8_t is_some;
  double val;
} option_f64_t;

typedef struct {
  uint8_t is_some;
  str_t val;
} option_str_t;

typedef struct {
  uint8_t is_some;
  option_u32_t val;
} option_option_u32_t;

typedef struct {
  uint8_t is_some;
  option_str_t val;
} option_option_str_t;

typedef struct {
  uint8_t is_err;
  uint32_t val;
} result_u32_t; /* result<u32>: err has no payload */

typedef struct {
  uint8_t is_err;
  str_t val;
} result_unit_str_t; /* result<_, string> */

typedef struct {
  uint8_t is_err;
  union {
    str_t ok;
    uint8_t err; /* color */
  } val;
} result_str_color_t;

typedef struct {
  uint8_t is_err;
  union {
    point_t ok;
    str_t err;
  } val;
} result_point_str_t;

typedef struct {
  uint8_t is_err;
  union {
    float ok;
    double err;
  } val;
} result_f32_f64_t;

typedef struct {
  uint8_t is_err;
  union {
    uint32_t ok;
    str_t err;
  } val;
} result_u32_str_t;

typedef struct {
  uint8_t is_some;
  result_u32_str_t val;
} option_result_t;

typedef struct {
  uint8_t is_err;
  union {
    int32_t ok;
    uint8_t err; /* div-error */
  } val;
} result_s32_div_t;

typedef struct {
  str_t k;
  uint32_t v;
} entry_str_u32_t; /* tuple<string, u32>: the element of map<string, u32> */

typedef struct {
  uint32_t k;
  str_t v;
} entry_u32_str_t; /* tuple<u32, string>: the element of map<u32, string> */

typedef struct {
  uint32_t fixed[2];
  option_option_str_t opt;
  result_point_str_t res;
  shape_t shape;
  uint16_t fl;
  uint16_t wide;
  list_t dict;   /* map<u32, string> */
  list_t people; /* list<person> */
  uint8_t color;
} nested_t;

typedef struct {
  uint8_t a;
  str_t b;
  double c;
} tuple_u8_str_f64_t;

typedef struct {
  uint8_t a;
  int8_t b;
  uint16_t c;
  int16_t d;
  uint32_t e;
  int32_t f;
  uint64_t g;
  int64_t h;
} ints_t;

typedef struct {
  uint8_t case_index;
  double value;
  str_t text;
} shape_info_t;

typedef struct {
  uint32_t a;
  str_t b;
} tuple_u32_str_t;

#define LAYOUT(T, size, align) _Static_assert(sizeof(T) == (size) && _Alignof(T) == (align), #T)
#define AT(T, f, off) _Static_assert(offsetof(T, f) == (off), #T "." #f)
LAYOUT(point_t, 8, 4);
LAYOUT(line_t, 24, 4);
AT(line_t, end, 8);
AT(line_t, label, 16);
LAYOUT(mixed_t, 48, 8);
AT(mixed_t, b, 8);
AT(mixed_t, c, 16);
AT(mixed_t, d, 20);
AT(mixed_t, e, 24);
AT(mixed_t, f, 32);
AT(mixed_t, g, 40);
LAYOUT(option_point_t, 12, 4);
LAYOUT(person_t, 32, 4);
AT(person_t, age, 8);
AT(person_t, scores, 12);
AT(person_t, home, 20);
LAYOUT(shape_t, 16, 8);
AT(shape_t, val, 8);
LAYOUT(number_t, 8, 4);
LAYOUT(real_t, 16, 8);
LAYOUT(option_u32_t, 8, 4);
LAYOUT(option_f64_t, 16, 8);
LAYOUT(option_str_t, 12, 4);
LAYOUT(option_option_u32_t, 12, 4);
LAYOUT(option_option_str_t, 16, 4);
LAYOUT(result_u32_t, 8, 4);
LAYOUT(result_unit_str_t, 12, 4);
LAYOUT(result_str_color_t, 12, 4);
LAYOUT(result_point_str_t, 12, 4);
LAYOUT(result_f32_f64_t, 16, 8);
LAYOUT(result_u32_str_t, 12, 4);
LAYOUT(option_result_t, 16, 4);
LAYOUT(result_s32_div_t, 8, 4);
LAYOUT(entry_str_u32_t, 12, 4);
LAYOUT(entry_u32_str_t, 12, 4);
LAYOUT(nested_t, 80, 8);
AT(nested_t, opt, 8);
AT(nested_t, res, 24);
AT(nested_t, shape, 40);
AT(nested_t, fl, 56);
AT(nested_t, wide, 58);
AT(nested_t, dict, 60);
AT(nested_t, people, 68);
AT(nested_t, color, 76);
LAYOUT(tuple_u8_str_f64_t, 24, 8);
AT(tuple_u8_str_f64_t, c, 16);
LAYOUT(ints_t, 32, 8);
AT(ints_t, e, 8);
AT(ints_t, g, 16);
LAYOUT(shape_info_t, 24, 8);
AT(shape_info_t, text, 16);
LAYOUT(tuple_u32_str_t, 12, 4);

/* One static return area for every export (wit-bindgen's RET_AREA): the largest result is
 * nested (80 bytes). bad-retptr-align returns RET_AREA + 4 on purpose. */
static _Alignas(8) uint8_t RET_AREA[96];
#define RET(T) ((T *)RET_AREA)

/* ------------------------------------------------------------------ small helpers */

static uint32_t f32_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}
static float bits_f32(uint32_t u) {
  float f;
  memcpy(&f, &u, 4);
  return f;
}
static uint64_t f64_bits(double d) {
  uint64_t u;
  memcpy(&u, &d, 8);
  return u;
}
static double bits_f64(uint64_t u) {
  double d;
  memcpy(&d, &u, 8);
  return d;
}
static void *ptr_of(int64_t slot) { return (void *)(uintptr_t)(uint32_t)slot; }
static str_t mkstr(uint8_t *ptr, uint32_t len) {
  str_t s = {ptr, len};
  return s;
}
/* A string pointing at static data (only for import params: the host just reads it). */
static str_t lit(const char *s) { return mkstr((uint8_t *)s, (uint32_t)strlen(s)); }

static void free_str(str_t s) { cabi_free(s.ptr, s.len); }
static void free_list_raw(list_t l, size_t elem) { cabi_free(l.ptr, (size_t)l.len * elem); }
static str_t dup_str(str_t s) { return mkstr((uint8_t *)cabi_dup(s.ptr, s.len), s.len); }

static void free_list_str(list_t l) {
  str_t *items = (str_t *)l.ptr;
  for (uint32_t i = 0; i < l.len; i++) free_str(items[i]);
  free_list_raw(l, sizeof(str_t));
}
static void free_person(const person_t *p) {
  free_str(p->name);
  free_list_raw(p->scores, 4);
}
static void free_list_person(list_t l) {
  person_t *items = (person_t *)l.ptr;
  for (uint32_t i = 0; i < l.len; i++) free_person(&items[i]);
  free_list_raw(l, sizeof(person_t));
}
static void free_shape(const shape_t *s) {
  if (s->tag == SHAPE_NAMED) free_str(s->val.named);
}
static void free_option_option_str(const option_option_str_t *o) {
  if (o->is_some && o->val.is_some) free_str(o->val.val);
}
static void free_result_point_str(const result_point_str_t *r) {
  if (r->is_err) free_str(r->val.err);
}
static void free_map_str_u32(list_t l) {
  entry_str_u32_t *e = (entry_str_u32_t *)l.ptr;
  for (uint32_t i = 0; i < l.len; i++) free_str(e[i].k);
  free_list_raw(l, sizeof *e);
}
static void free_map_u32_str(list_t l) {
  entry_u32_str_t *e = (entry_u32_str_t *)l.ptr;
  for (uint32_t i = 0; i < l.len; i++) free_str(e[i].v);
  free_list_raw(l, sizeof *e);
}
static void free_nested(const nested_t *n) {
  free_option_option_str(&n->opt);
  free_result_point_str(&n->res);
  free_shape(&n->shape);
  free_map_u32_str(n->dict);
  free_list_person(n->people);
}

/* ------------------------------------------------------------------ flat <-> memory
 * CanonicalABI.md § Flattening: a variant is [i32 disc] + payload slots joined across cases.
 * Lifting takes the active case's slots (wrapping i64 to i32, reinterpreting float bits);
 * lowering fills them (f32 → its bits, i32/f32 bits zero-extended into an i64 slot) and
 * leaves the others 0. */

/* shape: [i32 disc, i64, i32] */
static shape_t shape_lift(int32_t tag, int64_t p0, int32_t p1) {
  shape_t s;
  memset(&s, 0, sizeof s);
  s.tag = (uint8_t)tag;
  switch (tag) {
    case SHAPE_NOTHING: break;
    case SHAPE_SMALL: s.val.small = (uint8_t)p0; break;
    case SHAPE_CIRCLE: s.val.circle = bits_f32((uint32_t)p0); break;
    case SHAPE_BIG: s.val.big = (uint64_t)p0; break;
    case SHAPE_PRECISE: s.val.precise = bits_f64((uint64_t)p0); break;
    case SHAPE_NAMED: s.val.named = mkstr((uint8_t *)ptr_of(p0), (uint32_t)p1); break;
    case SHAPE_SEGMENT:
      s.val.segment.a = bits_f32((uint32_t)p0);
      s.val.segment.b = (uint32_t)p1;
      break;
    case SHAPE_AT:
      s.val.at.x = (int32_t)(uint32_t)p0;
      s.val.at.y = p1;
      break;
    default: TRAP();
  }
  return s;
}

static void shape_lower(const shape_t *s, int32_t *tag, int64_t *p0, int32_t *p1) {
  *tag = s->tag;
  *p0 = 0;
  *p1 = 0;
  switch (s->tag) {
    case SHAPE_NOTHING: break;
    case SHAPE_SMALL: *p0 = s->val.small; break;
    case SHAPE_CIRCLE: *p0 = (int64_t)(uint64_t)f32_bits(s->val.circle); break;
    case SHAPE_BIG: *p0 = (int64_t)s->val.big; break;
    case SHAPE_PRECISE: *p0 = (int64_t)f64_bits(s->val.precise); break;
    case SHAPE_NAMED:
      *p0 = (int64_t)(uint64_t)(uintptr_t)s->val.named.ptr;
      *p1 = (int32_t)s->val.named.len;
      break;
    case SHAPE_SEGMENT:
      *p0 = (int64_t)(uint64_t)f32_bits(s->val.segment.a);
      *p1 = (int32_t)s->val.segment.b;
      break;
    case SHAPE_AT:
      *p0 = (int64_t)(uint64_t)(uint32_t)s->val.at.x;
      *p1 = s->val.at.y;
      break;
    default: TRAP();
  }
}

/* number: [i32 disc, i32] */
static number_t number_lift(int32_t tag, int32_t p0) {
  number_t n;
  memset(&n, 0, sizeof n);
  n.tag = (uint8_t)tag;
  switch (tag) {
    case 0: n.val.i = p0; break;
    case 1: n.val.f = bits_f32((uint32_t)p0); break;
    case 2: break;
    default: TRAP();
  }
  return n;
}
static int32_t number_payload(const number_t *n) {
  return n->tag == 0 ? n->val.i : n->tag == 1 ? (int32_t)f32_bits(n->val.f) : 0;
}

/* real: [i32 disc, i64] */
static real_t real_lift(int32_t tag, int64_t p0) {
  real_t r;
  memset(&r, 0, sizeof r);
  r.tag = (uint8_t)tag;
  switch (tag) {
    case 0: r.val.f = bits_f32((uint32_t)p0); break;
    case 1: r.val.d = bits_f64((uint64_t)p0); break;
    default: TRAP();
  }
  return r;
}
static int64_t real_payload(const real_t *r) {
  return r->tag == 0 ? (int64_t)(uint64_t)f32_bits(r->val.f) : (int64_t)f64_bits(r->val.d);
}

/* person: [name ptr, name len, age, scores ptr, scores len, home disc, x, y] */
static person_t person_lift(uint8_t *np, uint32_t nl, int32_t age, uint8_t *sp, uint32_t sl, int32_t hd, int32_t hx,
                            int32_t hy) {
  person_t p;
  memset(&p, 0, sizeof p);
  p.name = mkstr(np, nl);
  p.age = (uint8_t)age;
  p.scores = mkstr(sp, sl);
  if (hd != 0 && hd != 1) TRAP();
  p.home.is_some = (uint8_t)hd;
  if (hd) {
    p.home.val.x = hx;
    p.home.val.y = hy;
  }
  return p;
}

/* ------------------------------------------------------------------ echoes */

#define E(name) EXPORT(ECHOES "#" name)
#define EPOST(name) EXPORT("cabi_post_" ECHOES "#" name)

/* These return garbage in the unused high bits on purpose (see the WIT). */
E("echo-bool") uint32_t echo_bool(uint32_t v) { return v ? 0x100u : 0u; }
E("echo-u8") uint32_t echo_u8(uint32_t v) { return (v & 0xFFu) | 0x5a5a5a00u; }
E("echo-s8") uint32_t echo_s8(uint32_t v) { return (v & 0xFFu) | 0x5a5a5a00u; }
E("echo-u16") uint32_t echo_u16(uint32_t v) { return (v & 0xFFFFu) | 0x5a5a0000u; }
E("echo-s16") uint32_t echo_s16(uint32_t v) { return (v & 0xFFFFu) | 0x5a5a0000u; }
E("echo-flags8") uint32_t echo_flags8(uint32_t v) { return v | 0xFFFFFF00u; }
E("echo-flags16") uint32_t echo_flags16(uint32_t v) { return v | 0xFFFFF000u; }

E("echo-u32") uint32_t echo_u32(uint32_t v) { return v; }
E("echo-s32") int32_t echo_s32(int32_t v) { return v; }
E("echo-u64") uint64_t echo_u64(uint64_t v) { return v; }
E("echo-s64") int64_t echo_s64(int64_t v) { return v; }
E("echo-f32") float echo_f32(float v) { return v; }
E("echo-f64") double echo_f64(double v) { return v; }
E("echo-char") uint32_t echo_char(uint32_t v) { return v; }
E("echo-color") uint32_t echo_color(uint32_t v) { return v; }
E("echo-wide") uint32_t echo_wide(uint32_t v) { return v; }
E("echo-flags32") uint32_t echo_flags32(uint32_t v) { return v; }
E("echo-result-unit") uint32_t echo_result_unit(uint32_t v) { return v; }
E("echo-fixed-one") uint32_t echo_fixed_one(uint32_t v) { return v; }

E("echo-string") str_t *echo_string(uint8_t *p, uint32_t n) {
  *RET(str_t) = mkstr(p, n); /* the host's allocation moves into the result */
  return RET(str_t);
}
EPOST("echo-string") void post_echo_string(str_t *r) { free_str(*r); }

E("echo-ints")
ints_t *echo_ints(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e, int32_t f, uint64_t g, int64_t h) {
  ints_t *r = RET(ints_t);
  r->a = (uint8_t)a;
  r->b = (int8_t)b;
  r->c = (uint16_t)c;
  r->d = (int16_t)d;
  r->e = e;
  r->f = f;
  r->g = g;
  r->h = h;
  return r;
}

/* Lists: the (ptr, len) the host allocated becomes the result; post-return frees it. */
#define ECHO_LIST(name, cname, free_expr)                                                \
  E(name) list_t *cname(uint8_t *p, uint32_t n) {                                       \
    *RET(list_t) = mkstr(p, n);                                                          \
    return RET(list_t);                                                                  \
  }                                                                                      \
  EPOST(name) void post_##cname(list_t *r) { free_expr; }

static void free_list_list_u8(list_t l) { free_list_str(l); /* same shape: (ptr, len) bytes */ }
static void free_list_shape(list_t l) {
  shape_t *s = (shape_t *)l.ptr;
  for (uint32_t i = 0; i < l.len; i++) free_shape(&s[i]);
  free_list_raw(l, sizeof(shape_t));
}

ECHO_LIST("echo-list-u8", echo_list_u8, free_list_raw(*r, 1))
ECHO_LIST("echo-list-s8", echo_list_s8, free_list_raw(*r, 1))
ECHO_LIST("echo-list-u16", echo_list_u16, free_list_raw(*r, 2))
ECHO_LIST("echo-list-s16", echo_list_s16, free_list_raw(*r, 2))
ECHO_LIST("echo-list-u32", echo_list_u32, free_list_raw(*r, 4))
ECHO_LIST("echo-list-s32", echo_list_s32, free_list_raw(*r, 4))
ECHO_LIST("echo-list-u64", echo_list_u64, free_list_raw(*r, 8))
ECHO_LIST("echo-list-s64", echo_list_s64, free_list_raw(*r, 8))
ECHO_LIST("echo-list-f32", echo_list_f32, free_list_raw(*r, 4))
ECHO_LIST("echo-list-f64", echo_list_f64, free_list_raw(*r, 8))
ECHO_LIST("echo-list-bool", echo_list_bool, free_list_raw(*r, 1))
ECHO_LIST("echo-list-char", echo_list_char, free_list_raw(*r, 4))
ECHO_LIST("echo-list-string", echo_list_string, free_list_str(*r))
ECHO_LIST("echo-list-point", echo_list_point, free_list_raw(*r, sizeof(point_t)))
ECHO_LIST("echo-list-person", echo_list_person, free_list_person(*r))
ECHO_LIST("echo-list-list-u8", echo_list_list_u8, free_list_list_u8(*r))
ECHO_LIST("echo-list-shape", echo_list_shape, free_list_shape(*r))
ECHO_LIST("echo-list-wide", echo_list_wide, free_list_raw(*r, 2))
ECHO_LIST("echo-list-option-u32", echo_list_option_u32, free_list_raw(*r, sizeof(option_u32_t)))
ECHO_LIST("echo-map", echo_map, free_map_str_u32(*r))
ECHO_LIST("echo-map-u32-string", echo_map_u32_string, free_map_u32_str(*r))

E("echo-fixed-u32") uint32_t *echo_fixed_u32(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  uint32_t *r = RET(uint32_t);
  r[0] = a;
  r[1] = b;
  r[2] = c;
  r[3] = d;
  return r;
}

E("echo-fixed-strings") str_t *echo_fixed_strings(uint8_t *p0, uint32_t n0, uint8_t *p1, uint32_t n1) {
  str_t *r = RET(str_t);
  r[0] = mkstr(p0, n0);
  r[1] = mkstr(p1, n1);
  return r;
}
EPOST("echo-fixed-strings") void post_echo_fixed_strings(str_t *r) {
  free_str(r[0]);
  free_str(r[1]);
}

E("echo-fixed-points")
point_t *echo_fixed_points(int32_t x0, int32_t y0, int32_t x1, int32_t y1, int32_t x2, int32_t y2) {
  point_t *r = RET(point_t);
  r[0].x = x0;
  r[0].y = y0;
  r[1].x = x1;
  r[1].y = y1;
  r[2].x = x2;
  r[2].y = y2;
  return r;
}

E("echo-tuple") tuple_u8_str_f64_t *echo_tuple(uint32_t a, uint8_t *p, uint32_t n, double c) {
  tuple_u8_str_f64_t *r = RET(tuple_u8_str_f64_t);
  r->a = (uint8_t)a;
  r->b = mkstr(p, n);
  r->c = c;
  return r;
}
EPOST("echo-tuple") void post_echo_tuple(tuple_u8_str_f64_t *r) { free_str(r->b); }

E("echo-point") point_t *echo_point(int32_t x, int32_t y) {
  RET(point_t)->x = x;
  RET(point_t)->y = y;
  return RET(point_t);
}

E("echo-line") line_t *echo_line(int32_t sx, int32_t sy, int32_t ex, int32_t ey, uint8_t *p, uint32_t n) {
  line_t *r = RET(line_t);
  r->start.x = sx;
  r->start.y = sy;
  r->end.x = ex;
  r->end.y = ey;
  r->label = mkstr(p, n);
  return r;
}
EPOST("echo-line") void post_echo_line(line_t *r) { free_str(r->label); }

E("echo-mixed")
mixed_t *echo_mixed(uint32_t a, uint64_t b, uint32_t c, float d, uint32_t e, double f, uint32_t g) {
  mixed_t *r = RET(mixed_t);
  memset(r, 0, sizeof *r);
  r->a = a != 0;
  r->b = b;
  r->c = (uint16_t)c;
  r->d = d;
  r->e = (uint8_t)e;
  r->f = f;
  r->g = g;
  return r;
}

E("echo-person")
person_t *echo_person(uint8_t *np, uint32_t nl, int32_t age, uint8_t *sp, uint32_t sl, int32_t hd, int32_t hx,
                      int32_t hy) {
  *RET(person_t) = person_lift(np, nl, age, sp, sl, hd, hx, hy);
  return RET(person_t);
}
EPOST("echo-person") void post_echo_person(person_t *r) { free_person(r); }

E("echo-shape") shape_t *echo_shape(int32_t tag, int64_t p0, int32_t p1) {
  *RET(shape_t) = shape_lift(tag, p0, p1);
  return RET(shape_t);
}
EPOST("echo-shape") void post_echo_shape(shape_t *r) { free_shape(r); }

E("echo-number") number_t *echo_number(int32_t tag, int32_t p0) {
  *RET(number_t) = number_lift(tag, p0);
  return RET(number_t);
}

E("echo-real") real_t *echo_real(int32_t tag, int64_t p0) {
  *RET(real_t) = real_lift(tag, p0);
  return RET(real_t);
}

static uint8_t disc2(int32_t d) {
  if (d != 0 && d != 1) TRAP();
  return (uint8_t)d;
}

E("echo-option-u32") option_u32_t *echo_option_u32(int32_t d, uint32_t v) {
  option_u32_t *r = RET(option_u32_t);
  memset(r, 0, sizeof *r);
  r->is_some = disc2(d);
  if (d) r->val = v;
  return r;
}

E("echo-option-f64") option_f64_t *echo_option_f64(int32_t d, double v) {
  option_f64_t *r = RET(option_f64_t);
  memset(r, 0, sizeof *r);
  r->is_some = disc2(d);
  if (d) r->val = v;
  return r;
}

E("echo-option-string") option_str_t *echo_option_string(int32_t d, uint8_t *p, uint32_t n) {
  option_str_t *r = RET(option_str_t);
  memset(r, 0, sizeof *r);
  r->is_some = disc2(d);
  if (d) r->val = mkstr(p, n);
  return r;
}
EPOST("echo-option-string") void post_echo_option_string(option_str_t *r) {
  if (r->is_some) free_str(r->val);
}

E("echo-option-point") option_point_t *echo_option_point(int32_t d, int32_t x, int32_t y) {
  option_point_t *r = RET(option_point_t);
  memset(r, 0, sizeof *r);
  r->is_some = disc2(d);
  if (d) {
    r->val.x = x;
    r->val.y = y;
  }
  return r;
}

E("echo-option-option-u32") option_option_u32_t *echo_option_option_u32(int32_t d0, int32_t d1, uint32_t v) {
  option_option_u32_t *r = RET(option_option_u32_t);
  memset(r, 0, sizeof *r);
  r->is_some = disc2(d0);
  if (d0) {
    r->val.is_some = disc2(d1);
    if (d1) r->val.val = v;
  }
  return r;
}

E("echo-option-option-string")
option_option_str_t *echo_option_option_string(int32_t d0, int32_t d1, uint8_t *p, uint32_t n) {
  option_option_str_t *r = RET(option_option_str_t);
  memset(r, 0, sizeof *r);
  r->is_some = disc2(d0);
  if (d0) {
    r->val.is_some = disc2(d1);
    if (d1) r->val.val = mkstr(p, n);
  }
  return r;
}
EPOST("echo-option-option-string") void post_echo_option_option_string(option_option_str_t *r) {
  free_option_option_str(r);
}

E("echo-result-ok-u32") result_u32_t *echo_result_ok_u32(int32_t d, uint32_t v) {
  result_u32_t *r = RET(result_u32_t);
  memset(r, 0, sizeof *r);
  r->is_err = disc2(d);
  if (!d) r->val = v;
  return r;
}

E("echo-result-err-string") result_unit_str_t *echo_result_err_string(int32_t d, uint8_t *p, uint32_t n) {
  result_unit_str_t *r = RET(result_unit_str_t);
  memset(r, 0, sizeof *r);
  r->is_err = disc2(d);
  if (d) r->val = mkstr(p, n);
  return r;
}
EPOST("echo-result-err-string") void post_echo_result_err_string(result_unit_str_t *r) {
  if (r->is_err) free_str(r->val);
}

E("echo-result-string-color") result_str_color_t *echo_result_string_color(int32_t d, int32_t p0, uint32_t p1) {
  result_str_color_t *r = RET(result_str_color_t);
  memset(r, 0, sizeof *r);
  r->is_err = disc2(d);
  if (!d)
    r->val.ok = mkstr((uint8_t *)ptr_of(p0), p1);
  else
    r->val.err = (uint8_t)p0;
  return r;
}
EPOST("echo-result-string-color") void post_echo_result_string_color(result_str_color_t *r) {
  if (!r->is_err) free_str(r->val.ok);
}

static result_point_str_t result_point_str_lift(int32_t d, int32_t p0, int32_t p1) {
  result_point_str_t r;
  memset(&r, 0, sizeof r);
  r.is_err = disc2(d);
  if (!d) {
    r.val.ok.x = p0;
    r.val.ok.y = p1;
  } else {
    r.val.err = mkstr((uint8_t *)ptr_of(p0), (uint32_t)p1);
  }
  return r;
}

E("echo-result-point-string") result_point_str_t *echo_result_point_string(int32_t d, int32_t p0, int32_t p1) {
  *RET(result_point_str_t) = result_point_str_lift(d, p0, p1);
  return RET(result_point_str_t);
}
EPOST("echo-result-point-string") void post_echo_result_point_string(result_point_str_t *r) {
  free_result_point_str(r);
}

E("echo-result-f32-f64") result_f32_f64_t *echo_result_f32_f64(int32_t d, int64_t p) {
  result_f32_f64_t *r = RET(result_f32_f64_t);
  memset(r, 0, sizeof *r);
  r->is_err = disc2(d);
  if (!d)
    r->val.ok = bits_f32((uint32_t)p);
  else
    r->val.err = bits_f64((uint64_t)p);
  return r;
}

E("echo-option-result") option_result_t *echo_option_result(int32_t d0, int32_t d1, int32_t p0, uint32_t p1) {
  option_result_t *r = RET(option_result_t);
  memset(r, 0, sizeof *r);
  r->is_some = disc2(d0);
  if (d0) {
    r->val.is_err = disc2(d1);
    if (!d1)
      r->val.val.ok = (uint32_t)p0;
    else
      r->val.val.err = mkstr((uint8_t *)ptr_of(p0), p1);
  }
  return r;
}
EPOST("echo-option-result") void post_echo_option_result(option_result_t *r) {
  if (r->is_some && r->val.is_err) free_str(r->val.val.err);
}

/* 19 flat params: the host allocated the params tuple with cabi_realloc(0, 0, 8, 80). */
E("echo-nested") nested_t *echo_nested(nested_t *p) {
  *RET(nested_t) = *p;
  cabi_free(p, sizeof *p);
  return RET(nested_t);
}
EPOST("echo-nested") void post_echo_nested(nested_t *r) { free_nested(r); }

/* ------------------------------------------------------------------ compute */

#define C(name) EXPORT(COMPUTE "#" name)
#define CPOST(name) EXPORT("cabi_post_" COMPUTE "#" name)

C("bits-f32") uint32_t bits_f32_export(float v) { return f32_bits(v); }
C("bits-f64") uint64_t bits_f64_export(double v) { return f64_bits(v); }
C("f32-from-bits") float f32_from_bits(uint32_t b) { return bits_f32(b); }
C("f64-from-bits") double f64_from_bits(uint64_t b) { return bits_f64(b); }
C("char-code") uint32_t char_code(uint32_t c) { return c; }
C("char-from-code") uint32_t char_from_code(uint32_t n) { return n; }

C("sum-ints")
int64_t sum_ints(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e, uint32_t f, uint64_t g, uint64_t h) {
  uint64_t s = (uint8_t)a;
  s += (uint64_t)(int64_t)(int8_t)b;
  s += (uint16_t)c;
  s += (uint64_t)(int64_t)(int16_t)d;
  s += e;
  s += (uint64_t)(int64_t)(int32_t)f;
  s += g;
  s += h;
  return (int64_t)s;
}

C("string-stats") uint32_t *string_stats(uint8_t *p, uint32_t n) {
  uint32_t *r = RET(uint32_t);
  r[0] = n;
  r[1] = utf8_scalars(p, n);
  cabi_free(p, n);
  return r;
}

static str_t *ret_string(str_t s) {
  *RET(str_t) = s;
  return RET(str_t);
}
static void post_string(str_t *r) { free_str(*r); }

C("repeat") str_t *repeat(uint8_t *p, uint32_t n, uint32_t count) {
  buf_t b = {0};
  for (uint32_t i = 0; i < count; i++) buf_bytes(&b, p, n);
  cabi_free(p, n);
  return ret_string(buf_finish(&b));
}
CPOST("repeat") void post_repeat(str_t *r) { post_string(r); }

/* A growable list<string> (exact-size copy at the end). */
typedef struct {
  str_t *items;
  uint32_t len, cap;
} strvec_t;

static void strvec_push(strvec_t *v, str_t s) {
  if (v->len == v->cap) {
    uint32_t cap = v->cap ? v->cap * 2 : 4;
    str_t *items = (str_t *)cabi_alloc(cap * sizeof(str_t));
    if (v->len) memcpy(items, v->items, v->len * sizeof(str_t));
    cabi_free(v->items, v->cap * sizeof(str_t));
    v->items = items;
    v->cap = cap;
  }
  v->items[v->len++] = s;
}

static list_t strvec_finish(strvec_t *v) {
  list_t l = mkstr((uint8_t *)cabi_dup(v->items, v->len * sizeof(str_t)), v->len);
  cabi_free(v->items, v->cap * sizeof(str_t));
  v->items = NULL;
  v->len = v->cap = 0;
  return l;
}

C("split") list_t *split(uint8_t *p, uint32_t n, uint32_t sep) {
  buf_t sb = {0};
  buf_utf8(&sb, sep);
  str_t s = buf_finish(&sb);
  strvec_t v = {0};
  uint32_t start = 0;
  for (uint32_t i = 0; i + s.len <= n;) {
    if (memcmp(p + i, s.ptr, s.len) == 0) {
      strvec_push(&v, mkstr((uint8_t *)cabi_dup(p + start, i - start), i - start));
      i += s.len;
      start = i;
    } else {
      i++;
    }
  }
  strvec_push(&v, mkstr((uint8_t *)cabi_dup(p + start, n - start), n - start));
  free_str(s);
  cabi_free(p, n);
  *RET(list_t) = strvec_finish(&v);
  return RET(list_t);
}
CPOST("split") void post_split(list_t *r) { free_list_str(*r); }

C("join") str_t *join(str_t *parts, uint32_t n, uint8_t *sp, uint32_t sn) {
  buf_t b = {0};
  for (uint32_t i = 0; i < n; i++) {
    if (i) buf_bytes(&b, sp, sn);
    buf_bytes(&b, parts[i].ptr, parts[i].len);
  }
  free_list_str(mkstr((uint8_t *)parts, n));
  cabi_free(sp, sn);
  return ret_string(buf_finish(&b));
}
CPOST("join") void post_join(str_t *r) { post_string(r); }

C("sum-u32") uint64_t sum_u32(uint32_t *p, uint32_t n) {
  uint64_t s = 0;
  for (uint32_t i = 0; i < n; i++) s += p[i];
  cabi_free(p, (size_t)n * 4);
  return s;
}

C("sum-f64") double sum_f64(double *p, uint32_t n) {
  double s = 0;
  for (uint32_t i = 0; i < n; i++) s += p[i];
  cabi_free(p, (size_t)n * 8);
  return s;
}

C("iota") list_t *iota(uint32_t n) {
  uint32_t *a = (uint32_t *)cabi_alloc((size_t)n * 4);
  for (uint32_t i = 0; i < n; i++) a[i] = i;
  *RET(list_t) = mkstr((uint8_t *)a, n);
  return RET(list_t);
}
CPOST("iota") void post_iota(list_t *r) { free_list_raw(*r, 4); }

C("make-person") person_t *make_person(uint8_t *p, uint32_t n, uint32_t age) {
  person_t *r = RET(person_t);
  memset(r, 0, sizeof *r);
  r->name = mkstr(p, n);
  r->age = (uint8_t)age;
  uint32_t *scores = (uint32_t *)cabi_alloc(8);
  scores[0] = r->age;
  scores[1] = (uint32_t)r->age * 2;
  r->scores = mkstr((uint8_t *)scores, 2);
  if (r->age % 2 == 0) {
    r->home.is_some = 1;
    r->home.val.x = r->age;
    r->home.val.y = -(int32_t)r->age;
  }
  return r;
}
CPOST("make-person") void post_make_person(person_t *r) { free_person(r); }

C("oldest") option_str_t *oldest(person_t *people, uint32_t n) {
  option_str_t *r = RET(option_str_t);
  memset(r, 0, sizeof *r);
  uint32_t best = 0;
  for (uint32_t i = 1; i < n; i++)
    if (people[i].age > people[best].age) best = i;
  if (n) {
    r->is_some = 1;
    r->val = dup_str(people[best].name);
  }
  free_list_person(mkstr((uint8_t *)people, n));
  return r;
}
CPOST("oldest") void post_oldest(option_str_t *r) {
  if (r->is_some) free_str(r->val);
}

static const char *const SHAPE_NAMES[] = {"nothing", "small", "circle", "big", "precise", "named", "segment", "at"};

static double shape_value(const shape_t *s) {
  switch (s->tag) {
    case SHAPE_SMALL: return s->val.small;
    case SHAPE_CIRCLE: return s->val.circle;
    case SHAPE_BIG: return (double)s->val.big;
    case SHAPE_PRECISE: return s->val.precise;
    case SHAPE_NAMED: return s->val.named.len;
    case SHAPE_SEGMENT: return (double)s->val.segment.a + (double)s->val.segment.b;
    case SHAPE_AT: return (double)s->val.at.x + (double)s->val.at.y;
    default: return 0;
  }
}

static void shape_text(buf_t *b, const shape_t *s) {
  buf_str(b, SHAPE_NAMES[s->tag]);
  if (s->tag == SHAPE_NAMED) {
    buf_str(b, " ");
    buf_bytes(b, s->val.named.ptr, s->val.named.len);
  }
}

C("describe-shape") shape_info_t *describe_shape(int32_t tag, int64_t p0, int32_t p1) {
  shape_t s = shape_lift(tag, p0, p1);
  shape_info_t *r = RET(shape_info_t);
  memset(r, 0, sizeof *r);
  r->case_index = s.tag;
  r->value = shape_value(&s);
  buf_t b = {0};
  shape_text(&b, &s);
  r->text = buf_finish(&b);
  free_shape(&s);
  return r;
}
CPOST("describe-shape") void post_describe_shape(shape_info_t *r) { free_str(r->text); }

C("number-value") double number_value(int32_t tag, int32_t p0) {
  number_t n = number_lift(tag, p0);
  return n.tag == 0 ? (double)n.val.i : n.tag == 1 ? (double)n.val.f : -1.0;
}

C("real-value") double real_value(int32_t tag, int64_t p0) {
  real_t r = real_lift(tag, p0);
  return r.tag == 0 ? (double)r.val.f : r.val.d;
}

C("flags8-bits") uint32_t flags8_bits(uint32_t f) { return f & 0xFFu; }
C("flags16-bits") uint32_t flags16_bits(uint32_t f) { return f & 0xFFFFu; }
C("flags32-bits") uint32_t flags32_bits(uint32_t f) { return f; }
C("flags8-from-bits") uint32_t flags8_from_bits(uint32_t b) { return b & 0xFFu; }
C("flags16-from-bits") uint32_t flags16_from_bits(uint32_t b) { return b & 0xFFFu; }
C("flags32-from-bits") uint32_t flags32_from_bits(uint32_t b) { return b; }
C("wide-index") uint32_t wide_index(uint32_t v) { return v; }
C("wide-from-index") uint32_t wide_from_index(uint32_t i) { return i & 0xFFFFu; }

C("option-depth") uint32_t option_depth(int32_t d0, int32_t d1, uint32_t v) {
  (void)v;
  return disc2(d0) ? 1u + disc2(d1) : 0u;
}

C("parse-u32") result_u32_str_t *parse_u32(uint8_t *p, uint32_t n) {
  result_u32_str_t *r = RET(result_u32_str_t);
  memset(r, 0, sizeof *r);
  uint64_t v = 0;
  int ok = n >= 1 && n <= 10;
  for (uint32_t i = 0; ok && i < n; i++) {
    if (p[i] < '0' || p[i] > '9')
      ok = 0;
    else
      v = v * 10 + (p[i] - '0');
  }
  if (ok && v <= 0xFFFFFFFFu) {
    r->val.ok = (uint32_t)v;
  } else {
    buf_t b = {0};
    buf_str(&b, "invalid: ");
    buf_bytes(&b, p, n);
    r->is_err = 1;
    r->val.err = buf_finish(&b);
  }
  cabi_free(p, n);
  return r;
}
CPOST("parse-u32") void post_parse_u32(result_u32_str_t *r) {
  if (r->is_err) free_str(r->val.err);
}

C("checked-div") result_s32_div_t *checked_div(int32_t a, int32_t b) {
  result_s32_div_t *r = RET(result_s32_div_t);
  memset(r, 0, sizeof *r);
  if (b == 0) {
    r->is_err = 1;
    r->val.err = 0;
  } else if (a == INT32_MIN && b == -1) {
    r->is_err = 1;
    r->val.err = 1;
  } else {
    r->val.ok = a / b;
  }
  return r;
}

C("map-sum") uint64_t map_sum(entry_str_u32_t *e, uint32_t n) {
  uint64_t s = 0;
  for (uint32_t i = 0; i < n; i++) s += e[i].v;
  free_map_str_u32(mkstr((uint8_t *)e, n));
  return s;
}

C("map-invert") list_t *map_invert(entry_str_u32_t *e, uint32_t n) {
  entry_u32_str_t *out = (entry_u32_str_t *)cabi_alloc((size_t)n * sizeof *out);
  for (uint32_t i = 0; i < n; i++) {
    out[i].k = e[i].v;
    out[i].v = e[i].k; /* the key string moves */
  }
  free_list_raw(mkstr((uint8_t *)e, n), sizeof *e);
  *RET(list_t) = mkstr((uint8_t *)out, n);
  return RET(list_t);
}
CPOST("map-invert") void post_map_invert(list_t *r) { free_map_u32_str(*r); }

C("fixed-sum") uint64_t fixed_sum(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  return (uint64_t)a + b + c + d;
}

C("fixed-iota") uint8_t *fixed_iota(uint32_t base) {
  uint8_t *r = RET(uint8_t);
  r[0] = (uint8_t)base;
  r[1] = (uint8_t)(base + 1);
  r[2] = (uint8_t)(base + 2);
  return r;
}

static void nested_text(buf_t *b, const nested_t *v) {
  buf_str(b, "fixed=");
  buf_u64(b, v->fixed[0]);
  buf_str(b, ",");
  buf_u64(b, v->fixed[1]);
  buf_str(b, " opt=");
  if (!v->opt.is_some) {
    buf_str(b, "none");
  } else if (!v->opt.val.is_some) {
    buf_str(b, "some(none)");
  } else {
    buf_str(b, "some(some(");
    buf_bytes(b, v->opt.val.val.ptr, v->opt.val.val.len);
    buf_str(b, "))");
  }
  buf_str(b, " res=");
  if (!v->res.is_err) {
    buf_str(b, "ok(");
    buf_s64(b, v->res.val.ok.x);
    buf_str(b, ",");
    buf_s64(b, v->res.val.ok.y);
  } else {
    buf_str(b, "err(");
    buf_bytes(b, v->res.val.err.ptr, v->res.val.err.len);
  }
  buf_str(b, ") shape=");
  shape_text(b, &v->shape);
  buf_str(b, " fl=");
  buf_u64(b, v->fl);
  buf_str(b, " wide=");
  buf_u64(b, v->wide);
  buf_str(b, " dict=");
  const entry_u32_str_t *e = (const entry_u32_str_t *)v->dict.ptr;
  for (uint32_t i = 0; i < v->dict.len; i++) {
    buf_u64(b, e[i].k);
    buf_str(b, ":");
    buf_bytes(b, e[i].v.ptr, e[i].v.len);
    buf_str(b, ";");
  }
  buf_str(b, " people=");
  const person_t *p = (const person_t *)v->people.ptr;
  for (uint32_t i = 0; i < v->people.len; i++) {
    buf_bytes(b, p[i].name.ptr, p[i].name.len);
    buf_str(b, "/");
    buf_u64(b, p[i].age);
    buf_str(b, "/");
    buf_u64(b, p[i].scores.len);
    buf_str(b, "/");
    if (p[i].home.is_some) {
      buf_s64(b, p[i].home.val.x);
      buf_str(b, ",");
      buf_s64(b, p[i].home.val.y);
    } else {
      buf_str(b, "-");
    }
    buf_str(b, ";");
  }
  buf_str(b, " color=");
  buf_u64(b, v->color);
}

C("nested-summary") str_t *nested_summary(nested_t *v) {
  buf_t b = {0};
  nested_text(&b, v);
  free_nested(v);
  cabi_free(v, sizeof *v);
  return ret_string(buf_finish(&b));
}
CPOST("nested-summary") void post_nested_summary(str_t *r) { post_string(r); }

/* ------------------------------------------------------------------ host imports */

#define HI(name) IMPORT(HOST, name)
HI("[constructor]counter") uint32_t counter_new(uint32_t start);
HI("[method]counter.add") uint32_t counter_add(uint32_t self, uint32_t n);
HI("[method]counter.get") uint32_t counter_get(uint32_t self);
HI("[method]counter.describe") void counter_describe(uint32_t self, str_t *ret);
HI("[static]counter.merge") uint32_t counter_merge(uint32_t a, uint32_t b);
HI("[resource-drop]counter") void counter_drop(uint32_t handle);
HI("consume") uint32_t host_consume(uint32_t handle);
HI("echo-bool") uint32_t host_echo_bool(uint32_t v);
HI("echo-s8") uint32_t host_echo_s8(uint32_t v);
HI("echo-u64") uint64_t host_echo_u64(uint64_t v);
HI("echo-f32") float host_echo_f32(float v);
HI("echo-f64") double host_echo_f64(double v);
HI("echo-char") uint32_t host_echo_char(uint32_t v);
HI("echo-string") void host_echo_string(const uint8_t *p, uint32_t n, str_t *ret);
HI("echo-list-u32") void host_echo_list_u32(const uint32_t *p, uint32_t n, list_t *ret);
HI("echo-list-string") void host_echo_list_string(const str_t *p, uint32_t n, list_t *ret);
HI("echo-mixed")
void host_echo_mixed(uint32_t a, uint64_t b, uint32_t c, float d, uint32_t e, double f, uint32_t g, mixed_t *ret);
HI("echo-person")
void host_echo_person(const uint8_t *np, uint32_t nl, int32_t age, const uint8_t *sp, uint32_t sl, int32_t hd,
                      int32_t hx, int32_t hy, person_t *ret);
HI("echo-shape") void host_echo_shape(int32_t tag, int64_t p0, int32_t p1, shape_t *ret);
HI("echo-number") void host_echo_number(int32_t tag, int32_t p0, number_t *ret);
HI("echo-real") void host_echo_real(int32_t tag, int64_t p0, real_t *ret);
HI("echo-color") uint32_t host_echo_color(uint32_t v);
HI("echo-wide") uint32_t host_echo_wide(uint32_t v);
HI("echo-flags32") uint32_t host_echo_flags32(uint32_t v);
HI("echo-option-string") void host_echo_option_string(int32_t d, const uint8_t *p, uint32_t n, option_str_t *ret);
HI("echo-option-option-u32")
void host_echo_option_option_u32(int32_t d0, int32_t d1, uint32_t v, option_option_u32_t *ret);
HI("echo-result-point-string")
void host_echo_result_point_string(int32_t d, int32_t p0, int32_t p1, result_point_str_t *ret);
HI("echo-result-unit") uint32_t host_echo_result_unit(uint32_t v);
HI("echo-tuple") void host_echo_tuple(uint32_t a, const uint8_t *p, uint32_t n, double c, tuple_u8_str_f64_t *ret);
HI("echo-fixed-u32") void host_echo_fixed_u32(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t *ret);
HI("echo-map") void host_echo_map(const entry_str_u32_t *p, uint32_t n, list_t *ret);
HI("echo-nested") void host_echo_nested(const nested_t *params, nested_t *ret);
IMPORT("$root", "log") void host_log(const uint8_t *p, uint32_t n);

/* ------------------------------------------------------------------ calls: forwarding */

#define K(name) EXPORT(CALLS "#" name)
#define KPOST(name) EXPORT("cabi_post_" CALLS "#" name)

K("roundtrip-bool") uint32_t roundtrip_bool(uint32_t v) { return host_echo_bool(v); }
K("roundtrip-s8") uint32_t roundtrip_s8(uint32_t v) { return host_echo_s8(v); }
K("roundtrip-u64") uint64_t roundtrip_u64(uint64_t v) { return host_echo_u64(v); }
K("roundtrip-f32") float roundtrip_f32(float v) { return host_echo_f32(v); }
K("roundtrip-f64") double roundtrip_f64(double v) { return host_echo_f64(v); }
K("roundtrip-char") uint32_t roundtrip_char(uint32_t v) { return host_echo_char(v); }
K("roundtrip-color") uint32_t roundtrip_color(uint32_t v) { return host_echo_color(v); }
K("roundtrip-wide") uint32_t roundtrip_wide(uint32_t v) { return host_echo_wide(v); }
K("roundtrip-flags32") uint32_t roundtrip_flags32(uint32_t v) { return host_echo_flags32(v); }
K("roundtrip-result-unit") uint32_t roundtrip_result_unit(uint32_t v) { return host_echo_result_unit(v); }

K("roundtrip-string") str_t *roundtrip_string(uint8_t *p, uint32_t n) {
  host_echo_string(p, n, RET(str_t));
  cabi_free(p, n);
  return RET(str_t);
}
KPOST("roundtrip-string") void post_roundtrip_string(str_t *r) { free_str(*r); }

K("roundtrip-list-u32") list_t *roundtrip_list_u32(uint32_t *p, uint32_t n) {
  host_echo_list_u32(p, n, RET(list_t));
  cabi_free(p, (size_t)n * 4);
  return RET(list_t);
}
KPOST("roundtrip-list-u32") void post_roundtrip_list_u32(list_t *r) { free_list_raw(*r, 4); }

K("roundtrip-list-string") list_t *roundtrip_list_string(str_t *p, uint32_t n) {
  host_echo_list_string(p, n, RET(list_t));
  free_list_str(mkstr((uint8_t *)p, n));
  return RET(list_t);
}
KPOST("roundtrip-list-string") void post_roundtrip_list_string(list_t *r) { free_list_str(*r); }

K("roundtrip-mixed")
mixed_t *roundtrip_mixed(uint32_t a, uint64_t b, uint32_t c, float d, uint32_t e, double f, uint32_t g) {
  host_echo_mixed(a, b, c, d, e, f, g, RET(mixed_t));
  return RET(mixed_t);
}

K("roundtrip-person")
person_t *roundtrip_person(uint8_t *np, uint32_t nl, int32_t age, uint8_t *sp, uint32_t sl, int32_t hd, int32_t hx,
                           int32_t hy) {
  host_echo_person(np, nl, age, sp, sl, hd, hx, hy, RET(person_t));
  person_t in = person_lift(np, nl, age, sp, sl, hd, hx, hy);
  free_person(&in);
  return RET(person_t);
}
KPOST("roundtrip-person") void post_roundtrip_person(person_t *r) { free_person(r); }

K("roundtrip-shape") shape_t *roundtrip_shape(int32_t tag, int64_t p0, int32_t p1) {
  host_echo_shape(tag, p0, p1, RET(shape_t));
  shape_t in = shape_lift(tag, p0, p1);
  free_shape(&in);
  return RET(shape_t);
}
KPOST("roundtrip-shape") void post_roundtrip_shape(shape_t *r) { free_shape(r); }

K("roundtrip-number") number_t *roundtrip_number(int32_t tag, int32_t p0) {
  host_echo_number(tag, p0, RET(number_t));
  return RET(number_t);
}

K("roundtrip-real") real_t *roundtrip_real(int32_t tag, int64_t p0) {
  host_echo_real(tag, p0, RET(real_t));
  return RET(real_t);
}

K("roundtrip-option-string") option_str_t *roundtrip_option_string(int32_t d, uint8_t *p, uint32_t n) {
  host_echo_option_string(d, p, n, RET(option_str_t));
  if (disc2(d)) cabi_free(p, n);
  return RET(option_str_t);
}
KPOST("roundtrip-option-string") void post_roundtrip_option_string(option_str_t *r) {
  if (r->is_some) free_str(r->val);
}

K("roundtrip-option-option-u32") option_option_u32_t *roundtrip_option_option_u32(int32_t d0, int32_t d1, uint32_t v) {
  host_echo_option_option_u32(d0, d1, v, RET(option_option_u32_t));
  return RET(option_option_u32_t);
}

K("roundtrip-result-point-string")
result_point_str_t *roundtrip_result_point_string(int32_t d, int32_t p0, int32_t p1) {
  host_echo_result_point_string(d, p0, p1, RET(result_point_str_t));
  result_point_str_t in = result_point_str_lift(d, p0, p1);
  free_result_point_str(&in);
  return RET(result_point_str_t);
}
KPOST("roundtrip-result-point-string") void post_roundtrip_result_point_string(result_point_str_t *r) {
  free_result_point_str(r);
}

K("roundtrip-tuple") tuple_u8_str_f64_t *roundtrip_tuple(uint32_t a, uint8_t *p, uint32_t n, double c) {
  host_echo_tuple(a, p, n, c, RET(tuple_u8_str_f64_t));
  cabi_free(p, n);
  return RET(tuple_u8_str_f64_t);
}
KPOST("roundtrip-tuple") void post_roundtrip_tuple(tuple_u8_str_f64_t *r) { free_str(r->b); }

K("roundtrip-fixed-u32") uint32_t *roundtrip_fixed_u32(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  host_echo_fixed_u32(a, b, c, d, RET(uint32_t));
  return RET(uint32_t);
}

K("roundtrip-map") list_t *roundtrip_map(entry_str_u32_t *p, uint32_t n) {
  host_echo_map(p, n, RET(list_t));
  free_map_str_u32(mkstr((uint8_t *)p, n));
  return RET(list_t);
}
KPOST("roundtrip-map") void post_roundtrip_map(list_t *r) { free_map_str_u32(*r); }

K("roundtrip-nested") nested_t *roundtrip_nested(nested_t *p) {
  host_echo_nested(p, RET(nested_t)); /* the host's spilled params tuple is passed straight on */
  free_nested(p);
  cabi_free(p, sizeof *p);
  return RET(nested_t);
}
KPOST("roundtrip-nested") void post_roundtrip_nested(nested_t *r) { free_nested(r); }

/* ------------------------------------------------------------------ calls: resources, log */

K("counter-demo") tuple_u32_str_t *counter_demo(uint32_t start, uint32_t *steps, uint32_t n) {
  uint32_t c1 = counter_new(start);
  for (uint32_t i = 0; i < n; i++) counter_add(c1, steps[i]);
  uint32_t c2 = counter_new(1000);
  uint32_t merged = counter_merge(c1, c2); /* two borrows in, an own handle out */
  uint32_t v = host_consume(merged);       /* own handle in: the host takes it */
  tuple_u32_str_t *r = RET(tuple_u32_str_t);
  r->a = v;
  counter_describe(c1, &r->b);
  counter_drop(c1);
  counter_drop(c2);
  cabi_free(steps, (size_t)n * 4);
  return r;
}
KPOST("counter-demo") void post_counter_demo(tuple_u32_str_t *r) { free_str(r->b); }

K("make-counter") uint32_t make_counter(uint32_t start) { return counter_new(start); }

/* borrow<counter> of a resource the guest does not implement: a borrow handle, which the
 * guest must drop before returning. */
K("counter-get") uint32_t counter_get_export(uint32_t handle) {
  uint32_t v = counter_get(handle);
  counter_drop(handle);
  return v;
}

K("counter-finish") uint32_t counter_finish(uint32_t handle, uint32_t n) {
  uint32_t v = counter_add(handle, n);
  counter_drop(handle);
  return v;
}

K("log-message") uint32_t log_message(uint8_t *p, uint32_t n) {
  host_log(p, n);
  cabi_free(p, n);
  return n;
}

/* ------------------------------------------------------------------ calls: self-test
 * The guest lowers values it built itself (its own flat encoding, e.g. shape_lower) and
 * compares what the host echoes back, so a host bug cannot cancel itself out here. */

static int str_eq(str_t a, str_t b) { return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0); }
static int raw_eq(list_t a, list_t b, size_t elem) {
  return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, (size_t)a.len * elem) == 0);
}
static int same_f32(float a, float b) { return f32_bits(a) == f32_bits(b); }
static int same_f64(double a, double b) { return f64_bits(a) == f64_bits(b); }

static int person_eq(const person_t *a, const person_t *b) {
  return str_eq(a->name, b->name) && a->age == b->age && raw_eq(a->scores, b->scores, 4) &&
         a->home.is_some == b->home.is_some &&
         (!a->home.is_some || (a->home.val.x == b->home.val.x && a->home.val.y == b->home.val.y));
}

static int shape_eq(const shape_t *a, const shape_t *b) {
  if (a->tag != b->tag) return 0;
  switch (a->tag) {
    case SHAPE_NOTHING: return 1;
    case SHAPE_SMALL: return a->val.small == b->val.small;
    case SHAPE_CIRCLE: return same_f32(a->val.circle, b->val.circle);
    case SHAPE_BIG: return a->val.big == b->val.big;
    case SHAPE_PRECISE: return same_f64(a->val.precise, b->val.precise);
    case SHAPE_NAMED: return str_eq(a->val.named, b->val.named);
    case SHAPE_SEGMENT:
      return same_f32(a->val.segment.a, b->val.segment.a) && a->val.segment.b == b->val.segment.b;
    case SHAPE_AT: return a->val.at.x == b->val.at.x && a->val.at.y == b->val.at.y;
    default: return 0;
  }
}

static int nested_eq(const nested_t *a, const nested_t *b) {
  if (a->fixed[0] != b->fixed[0] || a->fixed[1] != b->fixed[1]) return 0;
  if (a->opt.is_some != b->opt.is_some) return 0;
  if (a->opt.is_some) {
    if (a->opt.val.is_some != b->opt.val.is_some) return 0;
    if (a->opt.val.is_some && !str_eq(a->opt.val.val, b->opt.val.val)) return 0;
  }
  if (a->res.is_err != b->res.is_err) return 0;
  if (!a->res.is_err && (a->res.val.ok.x != b->res.val.ok.x || a->res.val.ok.y != b->res.val.ok.y)) return 0;
  if (a->res.is_err && !str_eq(a->res.val.err, b->res.val.err)) return 0;
  if (!shape_eq(&a->shape, &b->shape) || a->fl != b->fl || a->wide != b->wide || a->color != b->color) return 0;
  if (a->dict.len != b->dict.len || a->people.len != b->people.len) return 0;
  const entry_u32_str_t *da = (const entry_u32_str_t *)a->dict.ptr, *db = (const entry_u32_str_t *)b->dict.ptr;
  for (uint32_t i = 0; i < a->dict.len; i++)
    if (da[i].k != db[i].k || !str_eq(da[i].v, db[i].v)) return 0;
  const person_t *pa = (const person_t *)a->people.ptr, *pb = (const person_t *)b->people.ptr;
  for (uint32_t i = 0; i < a->people.len; i++)
    if (!person_eq(&pa[i], &pb[i])) return 0;
  return 1;
}

#define CHECK(cond, msg)     \
  do {                       \
    if (!(cond)) strvec_push(f, cabi_str(msg)); \
  } while (0)

static void self_test_scalars(strvec_t *f) {
  CHECK(host_echo_bool(1) != 0, "echo-bool: true");
  CHECK(host_echo_bool(0) == 0, "echo-bool: false");
  CHECK((int8_t)host_echo_s8((uint32_t)-5) == -5, "echo-s8: -5");
  CHECK((int8_t)host_echo_s8(127) == 127, "echo-s8: 127");
  CHECK(host_echo_u64(0xFEDCBA9876543210ull) == 0xFEDCBA9876543210ull, "echo-u64");
  CHECK(same_f32(host_echo_f32(3.25f), 3.25f), "echo-f32: 3.25");
  CHECK(same_f32(host_echo_f32(-0.0f), -0.0f), "echo-f32: -0");
  CHECK(same_f64(host_echo_f64(1e-310), 1e-310), "echo-f64: subnormal");
  CHECK(same_f64(host_echo_f64(-2.5), -2.5), "echo-f64: -2.5");
  CHECK(host_echo_char(0x1F600) == 0x1F600, "echo-char: U+1F600");
  CHECK(host_echo_char(0xE9) == 0xE9, "echo-char: U+00E9");
  CHECK(host_echo_color(2) == 2, "echo-color: blue");
  CHECK(host_echo_wide(256) == 256, "echo-wide: e256");
  CHECK(host_echo_wide(0) == 0, "echo-wide: e0");
  CHECK(host_echo_flags32(0x80000001u) == 0x80000001u, "echo-flags32: b0|b31");
  CHECK(host_echo_result_unit(0) == 0, "echo-result-unit: ok");
  CHECK(host_echo_result_unit(1) == 1, "echo-result-unit: err");
}

static void self_test_strings_lists(strvec_t *f) {
  const char *strings[] = {"h\xC3\xA9llo w\xC3\xB6rld \xF0\x9F\x9A\x80", ""};
  for (int i = 0; i < 2; i++) {
    str_t in = lit(strings[i]), out;
    host_echo_string(in.ptr, in.len, &out);
    CHECK(str_eq(in, out), i ? "echo-string: empty" : "echo-string: non-ASCII");
    free_str(out);
  }
  static const uint32_t nums[] = {0, 1, 0xFFFFFFFFu, 0x80000000u};
  for (uint32_t n = 0; n <= 4; n += 4) {
    list_t in = mkstr((uint8_t *)nums, n), out;
    host_echo_list_u32(nums, n, &out);
    CHECK(raw_eq(in, out, 4), n ? "echo-list-u32" : "echo-list-u32: empty");
    free_list_raw(out, 4);
  }
  str_t items[3] = {lit("a"), lit(""), lit("\xC3\xBCn\xC3\xAF")};
  list_t out;
  host_echo_list_string(items, 3, &out);
  int ok = out.len == 3;
  for (uint32_t i = 0; ok && i < 3; i++) ok = str_eq(items[i], ((str_t *)out.ptr)[i]);
  CHECK(ok, "echo-list-string");
  free_list_str(out);
}

static void self_test_records(strvec_t *f) {
  mixed_t m;
  host_echo_mixed(1, 0xFFFFFFFFFFFFFFFFull, 65535, -1.5f, 255, 3.75, 0x10FFFF, &m);
  CHECK(m.a == 1 && m.b == 0xFFFFFFFFFFFFFFFFull && m.c == 65535 && same_f32(m.d, -1.5f) && m.e == 255 &&
            same_f64(m.f, 3.75) && m.g == 0x10FFFF,
        "echo-mixed");

  static const uint32_t scores[] = {1, 2, 3};
  person_t people[2];
  memset(people, 0, sizeof people);
  people[0].name = lit("Zo\xC3\xAB");
  people[0].age = 42;
  people[0].scores = mkstr((uint8_t *)scores, 3);
  people[0].home.is_some = 1;
  people[0].home.val.x = -1;
  people[0].home.val.y = 2;
  people[1].name = lit("");
  people[1].scores = mkstr((uint8_t *)scores, 0);
  for (int i = 0; i < 2; i++) {
    const person_t *p = &people[i];
    person_t out;
    host_echo_person(p->name.ptr, p->name.len, p->age, p->scores.ptr, p->scores.len, p->home.is_some, p->home.val.x,
                     p->home.val.y, &out);
    CHECK(person_eq(p, &out), i ? "echo-person: empty, no home" : "echo-person");
    free_person(&out);
  }

  tuple_u8_str_f64_t t;
  str_t ts = lit("tuple \xE2\x9C\x93");
  host_echo_tuple(255, ts.ptr, ts.len, -0.125, &t);
  CHECK(t.a == 255 && str_eq(t.b, ts) && same_f64(t.c, -0.125), "echo-tuple");
  free_str(t.b);

  uint32_t fixed[4];
  host_echo_fixed_u32(1, 2, 0xFFFFFFFFu, 4, fixed);
  CHECK(fixed[0] == 1 && fixed[1] == 2 && fixed[2] == 0xFFFFFFFFu && fixed[3] == 4, "echo-fixed-u32");

  entry_str_u32_t entries[3] = {{lit("one"), 1}, {lit("zwei"), 2}, {lit(""), 0xFFFFFFFFu}};
  list_t mo;
  host_echo_map(entries, 3, &mo);
  int ok = mo.len == 3;
  for (uint32_t i = 0; ok && i < 3; i++) {
    const entry_str_u32_t *e = &((const entry_str_u32_t *)mo.ptr)[i];
    ok = str_eq(e->k, entries[i].k) && e->v == entries[i].v;
  }
  CHECK(ok, "echo-map");
  free_map_str_u32(mo);
}

static shape_t sample_shape(int tag) {
  shape_t s;
  memset(&s, 0, sizeof s);
  s.tag = (uint8_t)tag;
  switch (tag) {
    case SHAPE_SMALL: s.val.small = 200; break;
    case SHAPE_CIRCLE: s.val.circle = 2.5f; break;
    case SHAPE_BIG: s.val.big = 0xFFFFFFFFFFFFFFFFull; break;
    case SHAPE_PRECISE: s.val.precise = -1e100; break;
    case SHAPE_NAMED: s.val.named = lit("n\xC3\xA9v"); break;
    case SHAPE_SEGMENT:
      s.val.segment.a = 1.25f;
      s.val.segment.b = 0xDEADBEEFu;
      break;
    case SHAPE_AT:
      s.val.at.x = -3;
      s.val.at.y = 4;
      break;
  }
  return s;
}

static void self_test_variants(strvec_t *f) {
  static const char *const msgs[] = {"echo-shape: nothing", "echo-shape: small",   "echo-shape: circle",
                                     "echo-shape: big",     "echo-shape: precise", "echo-shape: named",
                                     "echo-shape: segment", "echo-shape: at"};
  for (int tag = 0; tag < 8; tag++) {
    shape_t in = sample_shape(tag), out;
    int32_t t, p1;
    int64_t p0;
    shape_lower(&in, &t, &p0, &p1);
    host_echo_shape(t, p0, p1, &out);
    CHECK(shape_eq(&in, &out), msgs[tag]);
    free_shape(&out);
  }

  number_t nums[3];
  memset(nums, 0, sizeof nums);
  nums[0].tag = 0;
  nums[0].val.i = -7;
  nums[1].tag = 1;
  nums[1].val.f = 0.5f;
  nums[2].tag = 2;
  for (int i = 0; i < 3; i++) {
    number_t out;
    host_echo_number(nums[i].tag, number_payload(&nums[i]), &out);
    int ok = out.tag == nums[i].tag && (i == 2 || (i == 0 ? out.val.i == -7 : same_f32(out.val.f, 0.5f)));
    CHECK(ok, i == 0 ? "echo-number: int" : i == 1 ? "echo-number: float" : "echo-number: none");
  }

  real_t reals[2];
  memset(reals, 0, sizeof reals);
  reals[0].tag = 0;
  reals[0].val.f = 1.5f;
  reals[1].tag = 1;
  reals[1].val.d = 1e300;
  for (int i = 0; i < 2; i++) {
    real_t out;
    host_echo_real(reals[i].tag, real_payload(&reals[i]), &out);
    int ok = out.tag == reals[i].tag && (i == 0 ? same_f32(out.val.f, 1.5f) : same_f64(out.val.d, 1e300));
    CHECK(ok, i == 0 ? "echo-real: single" : "echo-real: double");
  }

  option_str_t os;
  host_echo_option_string(0, NULL, 0, &os);
  CHECK(os.is_some == 0, "echo-option-string: none");
  str_t s = lit("opt");
  host_echo_option_string(1, s.ptr, s.len, &os);
  CHECK(os.is_some == 1 && str_eq(os.val, s), "echo-option-string: some");
  if (os.is_some) free_str(os.val);

  option_option_u32_t oo;
  host_echo_option_option_u32(0, 0, 0, &oo);
  CHECK(oo.is_some == 0, "echo-option-option-u32: none");
  host_echo_option_option_u32(1, 0, 0, &oo);
  CHECK(oo.is_some == 1 && oo.val.is_some == 0, "echo-option-option-u32: some(none)");
  host_echo_option_option_u32(1, 1, 0xFFFFFFFFu, &oo);
  CHECK(oo.is_some == 1 && oo.val.is_some == 1 && oo.val.val == 0xFFFFFFFFu, "echo-option-option-u32: some(some)");

  result_point_str_t rp;
  host_echo_result_point_string(0, -1, 1, &rp);
  CHECK(rp.is_err == 0 && rp.val.ok.x == -1 && rp.val.ok.y == 1, "echo-result-point-string: ok");
  str_t bad = lit("bad");
  host_echo_result_point_string(1, (int32_t)(uintptr_t)bad.ptr, (int32_t)bad.len, &rp);
  CHECK(rp.is_err == 1 && str_eq(rp.val.err, bad), "echo-result-point-string: err");
  free_result_point_str(&rp);
}

static void self_test_nested(strvec_t *f) {
  static const uint32_t scores[] = {7, 8};
  person_t people[2];
  memset(people, 0, sizeof people);
  people[0].name = lit("Ann");
  people[0].age = 30;
  people[0].scores = mkstr((uint8_t *)scores, 2);
  people[0].home.is_some = 1;
  people[0].home.val.x = 5;
  people[0].home.val.y = -6;
  people[1].name = lit("Bo");
  people[1].age = 7;
  people[1].scores = mkstr((uint8_t *)scores, 0);
  entry_u32_str_t dict[2] = {{1, lit("one")}, {0xFFFFFFFFu, lit("max")}};
  nested_t in;
  memset(&in, 0, sizeof in);
  in.fixed[0] = 10;
  in.fixed[1] = 0xFFFFFFFFu;
  in.opt.is_some = 1;
  in.opt.val.is_some = 1;
  in.opt.val.val = lit("deep");
  in.res.is_err = 1;
  in.res.val.err = lit("oops");
  in.shape = sample_shape(SHAPE_SEGMENT);
  in.fl = 0x0801;
  in.wide = 200;
  in.dict = mkstr((uint8_t *)dict, 2);
  in.people = mkstr((uint8_t *)people, 2);
  in.color = 1;
  nested_t out;
  host_echo_nested(&in, &out);
  CHECK(nested_eq(&in, &out), "echo-nested");
  free_nested(&out);
}

K("self-test") list_t *self_test(void) {
  strvec_t fl = {0};
  strvec_t *f = &fl;
  self_test_scalars(f);
  self_test_strings_lists(f);
  self_test_records(f);
  self_test_variants(f);
  self_test_nested(f);
  *RET(list_t) = strvec_finish(f);
  return RET(list_t);
}
KPOST("self-test") void post_self_test(list_t *r) { free_list_str(*r); }

/* ------------------------------------------------------------------ resources (exported) */

#define R(name) EXPORT(RES "#" name)
#define RPOST(name) EXPORT("cabi_post_" RES "#" name)

typedef struct {
  int64_t total;
  str_t label;
} acc_t;

IMPORT("[export]" RES, "[resource-new]accumulator") uint32_t acc_handle_new(acc_t *rep);
IMPORT("[export]" RES, "[resource-rep]accumulator") acc_t *acc_handle_rep(uint32_t handle);
IMPORT("[export]" RES, "[resource-drop]accumulator") void acc_handle_drop(uint32_t handle);

static uint32_t live_accs = 0;

static acc_t *acc_create(str_t label, int64_t total) {
  acc_t *a = (acc_t *)cabi_alloc(sizeof *a);
  a->label = label;
  a->total = total;
  live_accs++;
  return a;
}

R("[constructor]accumulator") uint32_t acc_ctor(uint8_t *p, uint32_t n) {
  return acc_handle_new(acc_create(mkstr(p, n), 0)); /* the label moves into the rep */
}

/* borrow<accumulator> params reach the guest (which implements it) as the rep itself. */
R("[method]accumulator.add") int64_t acc_add(acc_t *self, int64_t v) {
  self->total = (int64_t)((uint64_t)self->total + (uint64_t)v);
  return self->total;
}

R("[method]accumulator.total") int64_t acc_total(acc_t *self) { return self->total; }

R("[method]accumulator.label") str_t *acc_label(acc_t *self) { return ret_string(dup_str(self->label)); }
RPOST("[method]accumulator.label") void post_acc_label(str_t *r) { free_str(*r); }

R("[static]accumulator.merge") uint32_t acc_merge(acc_t *a, acc_t *b) {
  buf_t buf = {0};
  buf_bytes(&buf, a->label.ptr, a->label.len);
  buf_str(&buf, "+");
  buf_bytes(&buf, b->label.ptr, b->label.len);
  return acc_handle_new(acc_create(buf_finish(&buf), (int64_t)((uint64_t)a->total + (uint64_t)b->total)));
}

/* An own<accumulator> param arrives as a handle: get the rep, then drop the handle, which
 * makes the host call [dtor]accumulator. */
R("[static]accumulator.consume") int64_t acc_consume(uint32_t handle) {
  int64_t total = acc_handle_rep(handle)->total;
  acc_handle_drop(handle);
  return total;
}

R("[dtor]accumulator") void acc_dtor(acc_t *a) {
  free_str(a->label);
  cabi_free(a, sizeof *a);
  live_accs--;
}

R("live-accumulators") uint32_t live_accumulators(void) { return live_accs; }

R("make-accumulators") list_t *make_accumulators(str_t *labels, uint32_t n) {
  uint32_t *handles = (uint32_t *)cabi_alloc((size_t)n * 4);
  for (uint32_t i = 0; i < n; i++) handles[i] = acc_handle_new(acc_create(labels[i], 0));
  free_list_raw(mkstr((uint8_t *)labels, n), sizeof(str_t)); /* the strings moved */
  *RET(list_t) = mkstr((uint8_t *)handles, n);
  return RET(list_t);
}
RPOST("make-accumulators") void post_make_accumulators(list_t *r) { free_list_raw(*r, 4); }

R("total-of") int64_t total_of(acc_t **reps, uint32_t n) {
  uint64_t s = 0;
  for (uint32_t i = 0; i < n; i++) s += (uint64_t)reps[i]->total;
  cabi_free(reps, (size_t)n * 4);
  return (int64_t)s;
}

R("label-with") str_t *label_with(acc_t *a, int32_t d, uint32_t handle) {
  buf_t buf = {0};
  buf_bytes(&buf, a->label.ptr, a->label.len);
  if (disc2(d)) {
    acc_t *b = acc_handle_rep(handle);
    buf_str(&buf, "&");
    buf_bytes(&buf, b->label.ptr, b->label.len);
    acc_handle_drop(handle);
  }
  return ret_string(buf_finish(&buf));
}
RPOST("label-with") void post_label_with(str_t *r) { free_str(*r); }

/* ------------------------------------------------------------------ traps */

#define T(name) EXPORT(TRAPS "#" name)

T("bad-char-surrogate") uint32_t bad_char_surrogate(void) { return 0xD800; }
T("bad-char-range") uint32_t bad_char_range(void) { return 0x110000; }
T("bad-enum") uint32_t bad_enum(void) { return 3; }

T("bad-option") uint8_t *bad_option(void) {
  RET_AREA[0] = 3;
  RET_AREA[1] = 7;
  return RET_AREA;
}

T("bad-variant") shape_t *bad_variant(void) {
  memset(RET_AREA, 0, sizeof(shape_t));
  RET(shape_t)->tag = 8;
  return RET(shape_t);
}

static _Alignas(8) uint8_t STATIC_DATA[16] = {0xC3, 0x28};
static const uint16_t BAD_WIDE[2] = {1, 257};

T("bad-wide-in-list") list_t *bad_wide_in_list(void) {
  *RET(list_t) = mkstr((uint8_t *)BAD_WIDE, 2);
  return RET(list_t);
}

T("bad-utf8") str_t *bad_utf8(void) { return ret_string(mkstr(STATIC_DATA, 2)); }

T("bad-string-bounds") str_t *bad_string_bounds(void) {
  uint32_t end = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
  return ret_string(mkstr((uint8_t *)(uintptr_t)(end - 2), 10));
}

T("bad-list-align") list_t *bad_list_align(void) {
  *RET(list_t) = mkstr(STATIC_DATA + 2, 1);
  return RET(list_t);
}

T("bad-list-align-empty") list_t *bad_list_align_empty(void) {
  *RET(list_t) = mkstr(STATIC_DATA + 2, 0);
  return RET(list_t);
}

T("bad-retptr-align") uint8_t *bad_retptr_align(void) {
  memset(RET_AREA, 0, 24);
  return RET_AREA + 4;
}

T("bad-handle") uint32_t bad_handle(void) { return 12345; }

/* ------------------------------------------------------------------ world-level */

/* volatile: otherwise LLVM evaluates the constructor at compile time and folds it away. */
static volatile uint32_t init_count = 0;
__attribute__((constructor)) static void count_init(void) { init_count++; }

EXPORT("init-count") uint32_t init_count_export(void) { return init_count; }

EXPORT("greet") str_t *greet(uint8_t *p, uint32_t n) {
  buf_t b = {0};
  buf_str(&b, "greet ");
  buf_bytes(&b, p, n);
  str_t msg = buf_finish(&b);
  host_log(msg.ptr, msg.len);
  free_str(msg);
  buf_str(&b, "Hello, ");
  buf_bytes(&b, p, n);
  buf_str(&b, "!");
  cabi_free(p, n);
  return ret_string(buf_finish(&b));
}
EXPORT("cabi_post_greet") void post_greet(str_t *r) { free_str(*r); }
