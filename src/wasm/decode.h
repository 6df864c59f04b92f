/* decode.h: the bounds-checked byte reader shared by the decoder (decode.c)
 * and the function-body validator (validate.c). Every read checks the limit
 * `end`; a failure throws one CompileError "at offset N: reason" and makes
 * every later read fail quietly. */
#ifndef TANDEM_WASM_DECODE_H
#define TANDEM_WASM_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/runtime.h"

typedef struct WasmReader {
  Runtime *rt;
  const uint8_t *base;    /* offsets in messages are relative to this */
  const uint8_t *p;       /* next byte */
  const uint8_t *end;     /* current limit: a section's, a body's, or the buffer's end */
  const uint8_t *buf_end; /* the end of the whole module */
  bool in_section;        /* reading inside a section or body (changes the EOF message) */
  bool failed;            /* an error was reported; later ones are dropped */
} WasmReader;

bool wasm_fail(WasmReader *r, const uint8_t *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Reports reading past `end`. */
bool wasm_fail_eof(WasmReader *r);

bool wasm_read_u32_slow(WasmReader *r, uint32_t *out);
bool wasm_read_s32(WasmReader *r, int32_t *out);
bool wasm_read_s64(WasmReader *r, int64_t *out);
bool wasm_read_s33(WasmReader *r, int64_t *out);
bool wasm_read_u64(WasmReader *r, uint64_t *out);
bool wasm_read_bytes(WasmReader *r, size_t n, const uint8_t **out);

/* Readers write their output even on failure (zero), so callers' variables
 * are always initialized (and optimizing compilers can see it). */
static inline bool wasm_read_u8(WasmReader *r, uint8_t *out) {
  *out = 0;
  if (r->p >= r->end) return wasm_fail_eof(r);
  *out = *r->p++;
  return true;
}

/* Unsigned LEB128, at most 5 bytes, no bits beyond 32. */
static inline bool wasm_read_u32(WasmReader *r, uint32_t *out) {
  if (r->p < r->end && !(*r->p & 0x80)) {
    *out = *r->p++;
    return true;
  }
  *out = 0;
  return wasm_read_u32_slow(r, out);
}

bool wasm_utf8_valid(const uint8_t *s, size_t n);
bool wasm_is_valtype(uint8_t b);

#endif
