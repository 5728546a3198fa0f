/*
 * Shared helpers for the hand-written canonical-ABI guests in guests/<case>/<case>.c.
 *
 * No wit-bindgen here: every guest lowers and lifts by hand, following
 * design/mvp/CanonicalABI.md (WebAssembly/component-model). This header holds only what
 * every guest needs:
 *
 * - EXPORT / IMPORT: core export/import names (the "legacy" mangling of wit-component,
 *   design/mvp/BuildTargets.md: `<iface key>#<func>`, `cabi_post_<export>`, module `$root`
 *   or `<iface key>` for imports, `[export]<key>` for own-resource intrinsics).
 * - A tracking allocator behind `cabi_realloc`. Every block carries an 8-byte header
 *   {size, magic}; `allocated-bytes` reports the sum over live blocks of (size + 8).
 *
 * Zero-size blocks are never allocated (like wit-bindgen's Rust runtime): realloc(_, _, align, 0)
 * returns `align` itself, a dangling but aligned pointer, and a (ptr, 0) string or list is never
 * freed. The guest's own empty results use the pointer 8 (aligned for every element type).
 * So a host may call realloc for empty strings/lists (as the spec does) or not (as jco does).
 *
 * Strictness (deliberate, so a host bug traps instead of passing silently):
 * - cabi_realloc traps when `align` is not 1, 2, 4 or 8, when a non-empty `old_ptr` is not a
 *   live block, or when `old_size` differs from the size the block was allocated with.
 * - When the guest frees a non-empty string/list the host passed in (export params, import
 *   results), it traps unless the pointer is a live block at least as large as the data.
 */
#ifndef WITBIND_GUEST_CABI_H
#define WITBIND_GUEST_CABI_H

#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT(name) __attribute__((export_name(name)))
#define IMPORT(module, name) __attribute__((import_module(module), import_name(name)))
#define TRAP() __builtin_trap()

#define CABI_HEADER 8u
#define CABI_MAGIC 0xCAB1A110u

typedef struct {
  uint32_t size;
  uint32_t magic;
} cabi_header_t;

/* Sum over live blocks of (size + CABI_HEADER). */
static uint32_t cabi_live_bytes = 0;

static inline cabi_header_t *cabi_header_of(void *p) {
  if (p == NULL) TRAP();
  cabi_header_t *h = (cabi_header_t *)((char *)p - CABI_HEADER);
  if (h->magic != CABI_MAGIC) TRAP();
  return h;
}

/* Allocates `size` bytes aligned to 8 (the largest canonical-ABI alignment); 0 bytes → (void *)8. */
static inline void *cabi_alloc(size_t size) {
  if (size == 0) return (void *)(uintptr_t)8;
  cabi_header_t *h = (cabi_header_t *)malloc(CABI_HEADER + size);
  if (h == NULL) TRAP();
  h->size = (uint32_t)size;
  h->magic = CABI_MAGIC;
  cabi_live_bytes += CABI_HEADER + (uint32_t)size;
  return (char *)h + CABI_HEADER;
}

/* Frees a block of `nbytes` bytes from cabi_alloc/cabi_realloc; no-op when nbytes == 0.
 * Traps unless `p` is a live block of at least `nbytes` bytes. */
static inline void cabi_free(void *p, size_t nbytes) {
  if (nbytes == 0) return;
  cabi_header_t *h = cabi_header_of(p);
  if (h->size < nbytes) TRAP();
  cabi_live_bytes -= CABI_HEADER + h->size;
  h->magic = 0;
  free(h);
}

static inline void *cabi_dup(const void *src, size_t size) {
  void *p = cabi_alloc(size);
  if (size) memcpy(p, src, size);
  return p;
}

/* CanonicalABI.md § realloc: (old_ptr, old_size, align, new_size) -> ptr. */
EXPORT("cabi_realloc")
void *cabi_realloc(void *old_ptr, size_t old_size, size_t align, size_t new_size) {
  if (align != 1 && align != 2 && align != 4 && align != 8) TRAP();
  if (old_size != 0) {
    cabi_header_t *h = cabi_header_of(old_ptr);
    if (h->size != old_size) TRAP();
  }
  if (new_size == 0) {
    cabi_free(old_ptr, old_size);
    return (void *)(uintptr_t)align;
  }
  void *p = cabi_alloc(new_size);
  if (old_size != 0) {
    memcpy(p, old_ptr, old_size < new_size ? old_size : new_size);
    cabi_free(old_ptr, old_size);
  }
  return p;
}

/* Every guest exports `allocated-bytes: func() -> u32` (core name `allocated-bytes`). */
EXPORT("allocated-bytes")
uint32_t allocated_bytes(void) { return cabi_live_bytes; }

/* ---- small helpers shared by the guests (no stdio, to keep the modules small) ---- */

/* A canonical (ptr, len) pair as stored in memory: size 8, align 4. */
typedef struct {
  uint8_t *ptr;
  uint32_t len;
} cabi_bytes_t;

_Static_assert(sizeof(cabi_bytes_t) == 8 && _Alignof(cabi_bytes_t) == 4, "string/list layout");

/* A growable byte buffer allocated with cabi_alloc (for building result strings). */
typedef struct {
  uint8_t *ptr;
  uint32_t len;
  uint32_t cap;
} buf_t;

static inline void buf_reserve(buf_t *b, uint32_t extra) {
  if (b->len + extra <= b->cap) return;
  uint32_t cap = b->cap ? b->cap * 2 : 16;
  while (cap < b->len + extra) cap *= 2;
  uint8_t *p = (uint8_t *)cabi_alloc(cap);
  if (b->len) memcpy(p, b->ptr, b->len);
  cabi_free(b->ptr, b->cap);
  b->ptr = p;
  b->cap = cap;
}

static inline void buf_bytes(buf_t *b, const void *src, uint32_t n) {
  buf_reserve(b, n);
  if (n) memcpy(b->ptr + b->len, src, n);
  b->len += n;
}

static inline void buf_str(buf_t *b, const char *s) { buf_bytes(b, s, (uint32_t)strlen(s)); }

static inline void buf_u64(buf_t *b, uint64_t v) {
  char tmp[20];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  buf_reserve(b, (uint32_t)n);
  while (n) b->ptr[b->len++] = (uint8_t)tmp[--n];
}

static inline void buf_s64(buf_t *b, int64_t v) {
  if (v < 0) {
    buf_str(b, "-");
    buf_u64(b, (uint64_t)0 - (uint64_t)v);
  } else {
    buf_u64(b, (uint64_t)v);
  }
}

static inline void buf_hex(buf_t *b, uint64_t v, int digits) {
  static const char hex[] = "0123456789abcdef";
  buf_reserve(b, (uint32_t)digits);
  for (int i = digits - 1; i >= 0; i--) b->ptr[b->len++] = (uint8_t)hex[(v >> (4 * i)) & 15];
}

/* Appends the UTF-8 encoding of scalar value `c`. */
static inline void buf_utf8(buf_t *b, uint32_t c) {
  uint8_t t[4];
  uint32_t n;
  if (c < 0x80) {
    t[0] = (uint8_t)c;
    n = 1;
  } else if (c < 0x800) {
    t[0] = (uint8_t)(0xC0 | (c >> 6));
    t[1] = (uint8_t)(0x80 | (c & 0x3F));
    n = 2;
  } else if (c < 0x10000) {
    t[0] = (uint8_t)(0xE0 | (c >> 12));
    t[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
    t[2] = (uint8_t)(0x80 | (c & 0x3F));
    n = 3;
  } else {
    t[0] = (uint8_t)(0xF0 | (c >> 18));
    t[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3F));
    t[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
    t[3] = (uint8_t)(0x80 | (c & 0x3F));
    n = 4;
  }
  buf_bytes(b, t, n);
}

/* Shrinks the buffer to an exact-size block (so post-return frees exactly what was made)
 * and returns it as a (ptr, len) pair. An empty result is still a live 0-byte block. */
static inline cabi_bytes_t buf_finish(buf_t *b) {
  cabi_bytes_t r;
  r.ptr = (uint8_t *)cabi_dup(b->ptr, b->len);
  r.len = b->len;
  cabi_free(b->ptr, b->cap);
  b->ptr = NULL;
  b->len = b->cap = 0;
  return r;
}

static inline cabi_bytes_t cabi_str(const char *s) {
  cabi_bytes_t r;
  r.len = (uint32_t)strlen(s);
  r.ptr = (uint8_t *)cabi_dup(s, r.len);
  return r;
}

/* Number of Unicode scalar values in valid UTF-8 (counts non-continuation bytes). */
static inline uint32_t utf8_scalars(const uint8_t *p, uint32_t len) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < len; i++)
    if ((p[i] & 0xC0) != 0x80) n++;
  return n;
}

#endif
