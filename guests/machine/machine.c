/*
 * Guest for wit/machine.wit (world `xyz:machine/machine`), canonical ABI by hand, utf8 strings.
 *
 * Core exports (interface key `xyz:machine/machine-interface`, abbreviated K):
 *   K#get-u32        () -> i32                       42 (set by a constructor: only after _initialize)
 *   K#get-str        () -> i32 (retptr: string)       "Hello, wörld! ✓ 🚀"   + cabi_post_K#get-str
 *   K#get-vec        () -> i32 (retptr: list<u8>)     [0, 1, 2, 127, 128, 255] + cabi_post_K#get-vec
 *   K#run            (i64, i32, i32, i32, i32) -> i32 (retptr: run-result)    + cabi_post_K#run
 *                    message = "machine <id> moved from (<x>, <y>) to (<x>, <y>): distance <d>"
 *                    with d the manhattan distance (u64 arithmetic, so no overflow)
 *   K#count-symbols  (i32, i32) -> i32               Unicode scalar values of the argument
 *   allocated-bytes  () -> i32   NOT part of the WIT world: an extra core export (see cabi.h),
 *                                so tests can prove nothing leaks. Hosts ignore unknown exports.
 *   memory, cabi_realloc, _initialize
 * Core imports: none.
 */
#include "cabi.h"

#define K "xyz:machine/machine-interface"

/* run-result: { machine-id: u64 @0, message: string @8 }, size 16, align 8. */
typedef struct {
  uint64_t machine_id;
  cabi_bytes_t message;
} run_result_t;
_Static_assert(sizeof(run_result_t) == 16 && _Alignof(run_result_t) == 8, "run-result layout");

/* One static return area, big and aligned enough for every result (wit-bindgen's RET_AREA). */
static _Alignas(8) uint8_t RET_AREA[16];

/* volatile: otherwise LLVM evaluates the constructor at compile time and folds it away. */
static volatile uint32_t answer = 0;
__attribute__((constructor)) static void init_answer(void) { answer = 42; }

EXPORT(K "#get-u32")
uint32_t get_u32(void) { return answer; }

static const char GREETING[] = "Hello, w\xC3\xB6rld! \xE2\x9C\x93 \xF0\x9F\x9A\x80";

EXPORT(K "#get-str")
cabi_bytes_t *get_str(void) {
  cabi_bytes_t *ret = (cabi_bytes_t *)RET_AREA;
  *ret = cabi_str(GREETING);
  return ret;
}

EXPORT("cabi_post_" K "#get-str")
void post_get_str(cabi_bytes_t *ret) { cabi_free(ret->ptr, ret->len); }

EXPORT(K "#get-vec")
cabi_bytes_t *get_vec(void) {
  static const uint8_t bytes[] = {0, 1, 2, 127, 128, 255};
  cabi_bytes_t *ret = (cabi_bytes_t *)RET_AREA;
  ret->ptr = (uint8_t *)cabi_dup(bytes, sizeof bytes);
  ret->len = sizeof bytes;
  return ret;
}

EXPORT("cabi_post_" K "#get-vec")
void post_get_vec(cabi_bytes_t *ret) { cabi_free(ret->ptr, ret->len); }

static uint64_t absdiff(uint32_t a, uint32_t b) { return a > b ? (uint64_t)(a - b) : (uint64_t)(b - a); }

/* Flat params: machine-id (i64), start {x, y} (i32, i32), destination {x, y} (i32, i32). */
EXPORT(K "#run")
run_result_t *run(uint64_t machine, uint32_t sx, uint32_t sy, uint32_t dx, uint32_t dy) {
  uint64_t distance = absdiff(sx, dx) + absdiff(sy, dy);
  buf_t b = {0};
  buf_str(&b, "machine ");
  buf_u64(&b, machine);
  buf_str(&b, " moved from (");
  buf_u64(&b, sx);
  buf_str(&b, ", ");
  buf_u64(&b, sy);
  buf_str(&b, ") to (");
  buf_u64(&b, dx);
  buf_str(&b, ", ");
  buf_u64(&b, dy);
  buf_str(&b, "): distance ");
  buf_u64(&b, distance);
  run_result_t *ret = (run_result_t *)RET_AREA;
  ret->machine_id = machine;
  ret->message = buf_finish(&b);
  return ret;
}

EXPORT("cabi_post_" K "#run")
void post_run(run_result_t *ret) { cabi_free(ret->message.ptr, ret->message.len); }

/* The string argument was allocated by the host with cabi_realloc: the guest owns and frees it. */
EXPORT(K "#count-symbols")
uint32_t count_symbols(uint8_t *ptr, uint32_t len) {
  uint32_t n = utf8_scalars(ptr, len);
  cabi_free(ptr, len);
  return n;
}
