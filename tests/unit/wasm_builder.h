/* wasm_builder.h: a tiny byte-buffer builder for hand-made Wasm binaries in
 * the decoder and validator unit tests (header-only, test code only). */
#ifndef TANDEM_TESTS_WASM_BUILDER_H
#define TANDEM_TESTS_WASM_BUILDER_H

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct Buf {
  uint8_t *b;
  size_t n, cap;
} Buf;

static inline void buf_put(Buf *b, const void *p, size_t n) {
  if (b->n + n > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 64;
    while (cap < b->n + n) cap *= 2;
    b->b = realloc(b->b, cap);
    b->cap = cap;
  }
  if (n) memcpy(b->b + b->n, p, n);
  b->n += n;
}

static inline void buf_u8(Buf *b, uint8_t x) { buf_put(b, &x, 1); }

/* Bytes given as ints, ended by -1: buf_bytes(b, 0x41, 0x00, -1). */
static inline void buf_bytes(Buf *b, ...) {
  va_list ap;
  va_start(ap, b);
  for (int x = va_arg(ap, int); x >= 0; x = va_arg(ap, int)) buf_u8(b, (uint8_t)x);
  va_end(ap);
}

static inline void buf_u32(Buf *b, uint32_t x) {
  do {
    uint8_t byte = x & 0x7F;
    x >>= 7;
    if (x) byte |= 0x80;
    buf_u8(b, byte);
  } while (x);
}

static inline void buf_s64(Buf *b, int64_t x) {
  for (;;) {
    uint8_t byte = x & 0x7F;
    x >>= 7;
    if ((x == 0 && !(byte & 0x40)) || (x == -1 && (byte & 0x40))) {
      buf_u8(b, byte);
      return;
    }
    buf_u8(b, byte | 0x80);
  }
}

static inline void buf_str(Buf *b, const char *s) {
  buf_u32(b, (uint32_t)strlen(s));
  buf_put(b, s, strlen(s));
}

static inline void buf_free(Buf *b) {
  free(b->b);
  b->b = NULL;
  b->n = b->cap = 0;
}

/* The module header. */
static inline void mod_begin(Buf *m) { buf_put(m, "\0asm\1\0\0\0", 8); }

/* Appends section `id` with the contents of `body` (and frees body). */
static inline void mod_section(Buf *m, uint8_t id, Buf *body) {
  buf_u8(m, id);
  buf_u32(m, (uint32_t)body->n);
  buf_put(m, body->b, body->n);
  buf_free(body);
}

/* Type section with one function type given as "params:results" letters
 * (i l f d v r=funcref e=externref), e.g. "ii:i". Several types: "ii:i,:".*/
static inline uint8_t letter_type(char c) {
  switch (c) {
  case 'i': return 0x7F;
  case 'l': return 0x7E;
  case 'f': return 0x7D;
  case 'd': return 0x7C;
  case 'v': return 0x7B;
  case 'r': return 0x70;
  case 'e': return 0x6F;
  default: return 0;
  }
}

static inline void mod_types(Buf *m, const char *sigs) {
  Buf s = {0};
  uint32_t count = 1;
  for (const char *p = sigs; *p; p++) count += *p == ',';
  buf_u32(&s, count);
  const char *p = sigs;
  for (uint32_t i = 0; i < count; i++) {
    const char *colon = strchr(p, ':');
    const char *end = strchr(p, ',');
    if (!end) end = p + strlen(p);
    buf_u8(&s, 0x60);
    buf_u32(&s, (uint32_t)(colon - p));
    for (const char *q = p; q < colon; q++) buf_u8(&s, letter_type(*q));
    buf_u32(&s, (uint32_t)(end - colon - 1));
    for (const char *q = colon + 1; q < end; q++) buf_u8(&s, letter_type(*q));
    p = *end ? end + 1 : end;
  }
  mod_section(m, 1, &s);
}

/* Function section: n functions, all of type index `type`. */
static inline void mod_funcs(Buf *m, uint32_t n, uint32_t type) {
  Buf s = {0};
  buf_u32(&s, n);
  for (uint32_t i = 0; i < n; i++) buf_u32(&s, type);
  mod_section(m, 3, &s);
}

/* Code section with bodies; each body Buf holds local decls + instructions
 * (use body_begin to start one with no locals). */
static inline void mod_code(Buf *m, uint32_t n, Buf *bodies) {
  Buf s = {0};
  buf_u32(&s, n);
  for (uint32_t i = 0; i < n; i++) {
    buf_u32(&s, (uint32_t)bodies[i].n);
    buf_put(&s, bodies[i].b, bodies[i].n);
    buf_free(&bodies[i]);
  }
  mod_section(m, 10, &s);
}

/* A module of one function of type `sig` whose body (after the local
 * declarations `locals`, a complete vec of (count, type) groups) is `code`.
 * A memory section (1 page) is added when with_memory. */
static inline Buf one_func_module(const char *sig, const uint8_t *locals, size_t nlocals,
                           const uint8_t *code, size_t ncode, int with_memory) {
  Buf m = {0};
  mod_begin(&m);
  mod_types(&m, sig);
  mod_funcs(&m, 1, 0);
  if (with_memory) {
    Buf s = {0};
    buf_bytes(&s, 1, 0, 1, -1);
    mod_section(&m, 5, &s);
  }
  Buf body = {0};
  if (nlocals) buf_put(&body, locals, nlocals);
  else buf_u8(&body, 0);
  buf_put(&body, code, ncode);
  mod_code(&m, 1, &body);
  return m;
}

#endif
