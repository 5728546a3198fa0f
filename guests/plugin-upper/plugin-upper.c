/*
 * A plugin for examples/plugin-host (world `witbind:plugins/plugin@0.1.0`), canonical ABI by
 * hand, utf8 strings. `run(input)`:
 *   - logs `info` "upper: <n> bytes in";
 *   - asks the host for `prefix` and `secret` and logs (`debug`) whether each was handed over;
 *   - empty input: err("empty input");
 *   - otherwise ok(<prefix> + ASCII-uppercased input), or just the uppercased input without a prefix.
 *
 * Core exports: run (i32, i32) -> i32 (retptr: result<string, string>) + cabi_post_run,
 *   allocated-bytes (outside the world, see cabi.h), memory, cabi_realloc, _initialize.
 * Core imports (module `witbind:plugins/host@0.1.0`):
 *   log       (i32 level, i32 ptr, i32 len) -> ()
 *   get-data  (i32 ptr, i32 len, i32 retptr) -> ()   retptr: option<list<u8>> {u8 disc @0, ptr @4, len @8}
 */
#include "cabi.h"

#define HOST "witbind:plugins/host@0.1.0"

enum { LEVEL_DEBUG, LEVEL_INFO, LEVEL_WARN, LEVEL_ERROR };

IMPORT(HOST, "log") void host_log(uint32_t level, const uint8_t *ptr, uint32_t len);
IMPORT(HOST, "get-data") void host_get_data(const uint8_t *ptr, uint32_t len, uint8_t *ret);

/* option<list<u8>>: discriminant @0, list @4; size 12, align 4. */
typedef struct {
  uint8_t is_some;
  cabi_bytes_t val;
} option_bytes_t;
_Static_assert(sizeof(option_bytes_t) == 12 && _Alignof(option_bytes_t) == 4, "option<list<u8>> layout");

/* result<string, string>: discriminant @0, payload @4; size 12, align 4. */
typedef struct {
  uint8_t is_err;
  cabi_bytes_t val;
} result_str_t;
_Static_assert(sizeof(result_str_t) == 12 && _Alignof(result_str_t) == 4, "result<string, string> layout");

static _Alignas(8) uint8_t RET_AREA[16];

static void log_buf(uint32_t level, buf_t *b) {
  cabi_bytes_t s = buf_finish(b);
  host_log(level, s.ptr, s.len);
  cabi_free(s.ptr, s.len);
}

/* get-data(key): the host's bytes (owned by the guest now), or is_some = 0. */
static option_bytes_t get_data(const char *key) {
  static _Alignas(4) uint8_t area[12];
  option_bytes_t out;
  host_get_data((const uint8_t *)key, (uint32_t)strlen(key), area);
  memcpy(&out, area, sizeof out);
  if (out.is_some > 1) TRAP();
  return out;
}

static void log_seen(const char *key, const option_bytes_t *o) {
  buf_t b = {0};
  buf_str(&b, "upper: ");
  buf_str(&b, key);
  buf_str(&b, o->is_some ? " was handed over" : " is not visible");
  log_buf(LEVEL_DEBUG, &b);
}

EXPORT("run")
result_str_t *run(uint8_t *input, uint32_t len) {
  result_str_t *ret = (result_str_t *)RET_AREA;
  buf_t msg = {0};
  buf_str(&msg, "upper: ");
  buf_u64(&msg, len);
  buf_str(&msg, " bytes in");
  log_buf(LEVEL_INFO, &msg);

  option_bytes_t prefix = get_data("prefix");
  log_seen("prefix", &prefix);
  option_bytes_t secret = get_data("secret");
  log_seen("secret", &secret);
  if (secret.is_some) cabi_free(secret.val.ptr, secret.val.len);

  buf_t out = {0};
  if (len == 0) {
    buf_str(&out, "empty input");
    ret->is_err = 1;
  } else {
    if (prefix.is_some) buf_bytes(&out, prefix.val.ptr, prefix.val.len);
    for (uint32_t i = 0; i < len; i++) {
      uint8_t c = input[i];
      buf_bytes(&out, &c, 1);
      if (c >= 'a' && c <= 'z') out.ptr[out.len - 1] = (uint8_t)(c - 'a' + 'A');
    }
    ret->is_err = 0;
  }
  if (prefix.is_some) cabi_free(prefix.val.ptr, prefix.val.len);
  cabi_free(input, len);
  ret->val = buf_finish(&out);
  return ret;
}

EXPORT("cabi_post_run")
void post_run(result_str_t *r) { cabi_free(r->val.ptr, r->val.len); }
