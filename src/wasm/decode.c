/* decode.c: the WebAssembly binary decoder. Reads every section of a Wasm 2.0
 * module into the WasmModule structures of module.h (bounds-checked at every
 * byte, LEB128 and UTF-8 checked exactly), checks constant expressions, and
 * hands the module to the validator (validate.c) for the function bodies. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm/decode.h"
#include "wasm/module.h"

/* ---- the opcode info table, generated from opcodes.h --------------------- */

/* Parses the "params:results" signature strings at compile time. */
/* Padding the literal keeps every constant index in bounds (sigs are <= 5 chars). */
#define SIG_CH(s, i) ((s "\0\0\0\0\0\0")[i])
#define SIG_T(c)                                                                                   \
  ((c) == 'i' ? WASM_I32                                                                           \
   : (c) == 'l' ? WASM_I64                                                                         \
   : (c) == 'f' ? WASM_F32                                                                         \
   : (c) == 'd' ? WASM_F64                                                                         \
   : (c) == 'v' ? WASM_V128                                                                        \
                : 0)
#define SIG_NP(s)                                                                                  \
  (SIG_CH(s, 0) == ':' ? 0 : SIG_CH(s, 1) == ':' ? 1 : SIG_CH(s, 2) == ':' ? 2 : 3)
#define SIG_FIXED(s) (SIG_CH(s, 0) != '*')
#define SIG_P(s, i) (SIG_FIXED(s) && SIG_NP(s) > (i) ? SIG_T(SIG_CH(s, i)) : 0)
#define SIG_R(s) (SIG_FIXED(s) ? SIG_T(SIG_CH(s, SIG_NP(s) + 1)) : 0)
#define OP_INFO(idbase, code, text, imm, sig, extra)                                               \
  [(idbase) + (code)] = {text,                                                                     \
                         WASM_IMM_##imm,                                                           \
                         extra,                                                                    \
                         SIG_FIXED(sig) ? SIG_NP(sig) : 0,                                         \
                         SIG_R(sig) ? 1 : 0,                                                       \
                         {SIG_P(sig, 0), SIG_P(sig, 1), SIG_P(sig, 2)},                            \
                         SIG_R(sig),                                                               \
                         SIG_FIXED(sig)},
#define OP_INFO_BASE(id, code, text, imm, sig, extra) OP_INFO(0, code, text, imm, sig, extra)
#define OP_INFO_FC(id, code, text, imm, sig, extra) OP_INFO(WASM_OP_FC_BASE, code, text, imm, sig, extra)
#define OP_INFO_FD(id, code, text, imm, sig, extra) OP_INFO(WASM_OP_FD_BASE, code, text, imm, sig, extra)

const WasmOpInfo wasm_op_info[WASM_OP_ID_LIMIT] = {
    WASM_OPCODES_BASE(OP_INFO_BASE) WASM_OPCODES_FC(OP_INFO_FC) WASM_OPCODES_FD(OP_INFO_FD)};

/* ---- arena ------------------------------------------------------------------ */

typedef struct ArenaChunk {
  struct ArenaChunk *next;
  size_t size;
  _Alignas(16) unsigned char data[];
} ArenaChunk;

struct WasmArena {
  ArenaChunk *chunks;
  unsigned char *p, *end;
};

static struct WasmArena *arena_new(void) { return calloc(1, sizeof(struct WasmArena)); }

static void arena_free(struct WasmArena *a) {
  if (!a) return;
  ArenaChunk *c = a->chunks;
  while (c) {
    ArenaChunk *n = c->next;
    free(c);
    c = n;
  }
  free(a);
}

void *wasm_arena_alloc(struct WasmArena *a, size_t size) {
  size = (size + 15) & ~(size_t)15;
  if (size == 0) size = 16;
  if ((size_t)(a->end - a->p) < size) {
    size_t chunk = size > 48 * 1024 ? size : 64 * 1024;
    ArenaChunk *c = malloc(sizeof(ArenaChunk) + chunk);
    if (!c) return NULL;
    c->next = a->chunks;
    c->size = chunk;
    a->chunks = c;
    /* A big one-off allocation keeps the current chunk's tail for later ones. */
    if (size > 48 * 1024) return c->data;
    a->p = c->data;
    a->end = c->data + chunk;
  }
  void *r = a->p;
  a->p += size;
  return r;
}

static void *arena_zalloc(struct WasmArena *a, size_t size) {
  void *p = wasm_arena_alloc(a, size);
  if (p) memset(p, 0, size);
  return p;
}

static void module_finalize(Heap *heap, void *obj) {
  WasmModule *m = obj;
  arena_free(m->arena);
  m->arena = NULL;
}

const GCKindOps wasm_module_kind_ops = {"WasmModule", NULL, module_finalize};

/* ---- errors and the reader -------------------------------------------------- */

bool wasm_fail(WasmReader *r, const uint8_t *at, const char *fmt, ...) {
  if (r->failed) return false;
  r->failed = true;
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  rt_throw(r->rt, ERR_CompileError, "at offset %zu: %s", (size_t)(at - r->base), msg);
  return false;
}

bool wasm_fail_eof(WasmReader *r) {
  return wasm_fail(r, r->p, r->end == r->buf_end && !r->in_section
                                ? "unexpected end"
                                : "unexpected end of section or function");
}

bool wasm_read_u32_slow(WasmReader *r, uint32_t *out) {
  const uint8_t *start = r->p;
  uint32_t v = 0;
  for (int i = 0; i < 5; i++) {
    if (r->p >= r->end) return wasm_fail_eof(r);
    uint8_t b = *r->p++;
    if (i == 4) {
      if (b & 0x80) return wasm_fail(r, start, "integer representation too long");
      if (b & 0x70) return wasm_fail(r, start, "integer too large");
    }
    v |= (uint32_t)(b & 0x7F) << (7 * i);
    if (!(b & 0x80)) break;
  }
  *out = v;
  return true;
}

bool wasm_read_u64(WasmReader *r, uint64_t *out) {
  const uint8_t *start = r->p;
  uint64_t v = 0;
  for (int i = 0; i < 10; i++) {
    if (r->p >= r->end) return wasm_fail_eof(r);
    uint8_t b = *r->p++;
    if (i == 9) {
      if (b & 0x80) return wasm_fail(r, start, "integer representation too long");
      if (b & 0x7E) return wasm_fail(r, start, "integer too large");
    }
    v |= (uint64_t)(b & 0x7F) << (7 * i);
    if (!(b & 0x80)) break;
  }
  *out = v;
  return true;
}

static uint32_t features;

void wasm_set_features(uint32_t f) { features = f; }
uint32_t wasm_get_features(void) { return features; }

/* Signed LEB128 of `bits` (32 or 64) bits: the last byte's unused bits must
 * all equal the sign bit. */
static bool read_sleb(WasmReader *r, unsigned bits, int64_t *out) {
  const uint8_t *start = r->p;
  unsigned maxbytes = (bits + 6) / 7;
  uint64_t v = 0;
  unsigned shift = 0;
  for (unsigned i = 0;; i++) {
    if (r->p >= r->end) return wasm_fail_eof(r);
    uint8_t b = *r->p++;
    if (i == maxbytes - 1) {
      if (b & 0x80) return wasm_fail(r, start, "integer representation too long");
      /* The bits above the value's width are sign extension: bits
       * used-1 .. 6 of the last byte must all be equal. */
      unsigned used = bits - shift; /* value bits in this byte, 1..7 */
      uint8_t mask = (uint8_t)((0x7Fu >> (used - 1)) << (used - 1));
      if ((b & mask) != 0 && (b & mask) != mask) return wasm_fail(r, start, "integer too large");
    }
    v |= (uint64_t)(b & 0x7F) << shift;
    shift += 7;
    if (!(b & 0x80)) {
      if (shift < 64 && (b & 0x40)) v |= ~(uint64_t)0 << shift;
      break;
    }
  }
  if (bits == 32) *out = (int32_t)(uint32_t)v;
  else *out = (int64_t)v;
  return true;
}

bool wasm_read_s32(WasmReader *r, int32_t *out) {
  int64_t v;
  if (!read_sleb(r, 32, &v)) return false;
  *out = (int32_t)v;
  return true;
}

bool wasm_read_s64(WasmReader *r, int64_t *out) { return read_sleb(r, 64, out); }

/* s33, for block types: a non-negative value is a type index. */
bool wasm_read_s33(WasmReader *r, int64_t *out) { return read_sleb(r, 33, out); }

bool wasm_read_bytes(WasmReader *r, size_t n, const uint8_t **out) {
  if ((size_t)(r->end - r->p) < n) {
    r->p = r->end;
    return wasm_fail_eof(r);
  }
  *out = r->p;
  r->p += n;
  return true;
}

bool wasm_utf8_valid(const uint8_t *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (n - i < len) return false;
    for (size_t k = 1; k < len; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return false;
    if (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) return false;
    i += len;
  }
  return true;
}

/* ---- module decoding ----------------------------------------------------------- */

typedef struct Decoder {
  WasmReader r;
  WasmModule *m;
  uint32_t nfunc_decls; /* function section count */
  bool saw_func_section;
  bool saw_code_section;
  bool saw_data_section;
  const uint8_t *name_section; /* the custom `name` payload, parsed last */
  size_t name_len;
  uint32_t customs_cap;         /* capacity of m->customs */
  const uint8_t *prev_decl;     /* the previous body's local declarations */
  size_t prev_decl_len;
  uint64_t expanded_locals;     /* local types expanded so far, module-wide */
} Decoder;

#define RD (&d->r)

static bool read_u32(Decoder *d, uint32_t *out) { return wasm_read_u32(RD, out); }

static bool read_byte(Decoder *d, uint8_t *out) { return wasm_read_u8(RD, out); }

/* A vector count; every element takes at least one byte, so a count larger
 * than what is left is malformed (and must not size an allocation). */
static bool read_count(Decoder *d, uint32_t *out, uint32_t limit, const char *what) {
  const uint8_t *at = RD->p;
  if (!read_u32(d, out)) return false;
  if (*out > (size_t)(RD->end - RD->p)) {
    RD->p = RD->end;
    return wasm_fail_eof(RD);
  }
  if (*out > limit) return wasm_fail(RD, at, "too many %s", what);
  return true;
}

static bool read_name(Decoder *d, const char **out, uint32_t *len_out) {
  uint32_t len;
  if (!read_u32(d, &len)) return false;
  const uint8_t *at = RD->p;
  if (len > (size_t)(RD->end - RD->p)) return wasm_fail(RD, at, "length out of bounds");
  const uint8_t *s;
  wasm_read_bytes(RD, len, &s);
  if (!wasm_utf8_valid(s, len)) return wasm_fail(RD, at, "malformed UTF-8 encoding");
  char *copy = wasm_arena_alloc(d->m->arena, (size_t)len + 1);
  if (!copy) return wasm_fail(RD, at, "out of memory");
  memcpy(copy, s, len);
  copy[len] = '\0';
  *out = copy;
  *len_out = len;
  return true;
}

bool wasm_is_valtype(uint8_t b) {
  return b == WASM_I32 || b == WASM_I64 || b == WASM_F32 || b == WASM_F64 || b == WASM_V128 ||
         b == WASM_FUNCREF || b == WASM_EXTERNREF;
}

static bool read_valtype(Decoder *d, uint8_t *out) {
  const uint8_t *at = RD->p;
  if (!read_byte(d, out)) return false;
  if (!wasm_is_valtype(*out)) return wasm_fail(RD, at, "malformed value type");
  return true;
}

static bool read_reftype(Decoder *d, uint8_t *out) {
  const uint8_t *at = RD->p;
  if (!read_byte(d, out)) return false;
  if (*out != WASM_FUNCREF && *out != WASM_EXTERNREF)
    return wasm_fail(RD, at, "malformed reference type");
  return true;
}

static bool read_limits(Decoder *d, WasmLimits *l, bool memory) {
  const uint8_t *at = RD->p;
  uint8_t flags;
  if (!read_byte(d, &flags)) return false;
  /* 0x02/0x03 (shared, threads) are not supported; 0x04/0x05 are memory64. */
  bool is64 = memory && (d->m->features & WASM_FEATURE_MEMORY64) && (flags & ~1u) == 4;
  if (flags > 1 && !is64) return wasm_fail(RD, at, "malformed limits flags");
  l->is64 = is64;
  l->has_max = flags & 1;
  l->max = 0;
  if (is64) {
    if (!wasm_read_u64(RD, &l->min)) return false;
    if (l->has_max && !wasm_read_u64(RD, &l->max)) return false;
  } else {
    uint32_t v;
    if (!read_u32(d, &v)) return false;
    l->min = v;
    if (l->has_max) {
      if (!read_u32(d, &v)) return false;
      l->max = v;
    }
  }
  /* Validation rules, checked here where the offset is known. */
  uint64_t limit = is64 ? WASM_MAX_MEMORY64_PAGES : memory ? WASM_MAX_MEMORY_PAGES : UINT32_MAX;
  if (l->min > limit || (l->has_max && l->max > limit))
    return wasm_fail(RD, at, is64     ? "memory size must be at most 2^48 pages (256TiB)"
                             : memory ? "memory size must be at most 65536 pages (4GiB)"
                                      : "table size must be at most 2^32-1");
  if (l->has_max && l->min > l->max)
    return wasm_fail(RD, at, "size minimum must not be greater than maximum");
  return true;
}

/* One memory only (multi-memory is not supported by the runtime yet). */
static bool check_memory_count(Decoder *d, const uint8_t *at) {
  if (d->m->nmemories > 0 && !(d->m->features & WASM_FEATURE_MULTI_MEMORY))
    return wasm_fail(RD, at, "multiple memories");
  return true;
}

static bool read_global_type(Decoder *d, WasmGlobalType *g) {
  if (!read_valtype(d, &g->type)) return false;
  const uint8_t *at = RD->p;
  uint8_t mut;
  if (!read_byte(d, &mut)) return false;
  if (mut > 1) return wasm_fail(RD, at, "malformed mutability");
  g->mutable_ = mut;
  return true;
}

/* Constant expressions. The allowed instructions are t.const, ref.null,
 * ref.func, global.get of an immutable global defined earlier (imports or
 * earlier globals, as Wasm 3.0 allows), and the extended-const i32/i64
 * add/sub/mul. `nglobals` is how many globals the expression may read. */
#define CONST_STACK_MAX 1024

static bool read_const_expr(Decoder *d, uint8_t type, uint32_t nglobals, WasmConstExpr *e) {
  WasmModule *m = d->m;
  uint8_t stack[CONST_STACK_MAX];
  uint32_t sp = 0;
  uint32_t ninstr = 0;
  memset(e, 0, sizeof *e);
  e->type = type;
  e->start = (uint32_t)(RD->p - RD->base);
  for (;;) {
    const uint8_t *at = RD->p;
    uint8_t op;
    if (!read_byte(d, &op)) return false;
    if (op == WASM_OP_END) break;
    uint8_t pushed = 0;
    ninstr++;
    switch (op) {
    case WASM_OP_I32_CONST: {
      int32_t v;
      if (!wasm_read_s32(RD, &v)) return false;
      e->kind = WASM_CONST_VALUE;
      e->value.type = WASM_I32;
      e->value.of.i32 = (uint32_t)v;
      pushed = WASM_I32;
      break;
    }
    case WASM_OP_I64_CONST: {
      int64_t v;
      if (!wasm_read_s64(RD, &v)) return false;
      e->kind = WASM_CONST_VALUE;
      e->value.type = WASM_I64;
      e->value.of.i64 = (uint64_t)v;
      pushed = WASM_I64;
      break;
    }
    case WASM_OP_F32_CONST: {
      const uint8_t *b;
      if (!wasm_read_bytes(RD, 4, &b)) return false;
      e->kind = WASM_CONST_VALUE;
      e->value.type = WASM_F32;
      memcpy(&e->value.of.f32, b, 4);
      pushed = WASM_F32;
      break;
    }
    case WASM_OP_F64_CONST: {
      const uint8_t *b;
      if (!wasm_read_bytes(RD, 8, &b)) return false;
      e->kind = WASM_CONST_VALUE;
      e->value.type = WASM_F64;
      memcpy(&e->value.of.f64, b, 8);
      pushed = WASM_F64;
      break;
    }
    case WASM_PREFIX_FD: {
      uint32_t sub;
      if (!read_u32(d, &sub)) return false;
      if (sub != WASM_OP_V128_CONST - WASM_OP_FD_BASE) {
        if (!wasm_op_lookup(WASM_OP_FD_BASE + sub)) return wasm_fail(RD, at, "illegal opcode");
        return wasm_fail(RD, at, "constant expression required");
      }
      const uint8_t *b;
      if (!wasm_read_bytes(RD, 16, &b)) return false;
      e->kind = WASM_CONST_VALUE;
      e->value.type = WASM_V128;
      memcpy(e->value.of.v128, b, 16);
      pushed = WASM_V128;
      break;
    }
    case WASM_OP_REF_NULL: {
      uint8_t t;
      if (!read_reftype(d, &t)) return false;
      e->kind = WASM_CONST_VALUE;
      e->value.type = t;
      e->value.of.ref = VAL_NULL;
      pushed = t;
      break;
    }
    case WASM_OP_REF_FUNC: {
      uint32_t f;
      if (!read_u32(d, &f)) return false;
      if (f >= m->nfuncs) return wasm_fail(RD, at, "unknown function %u", f);
      e->kind = WASM_CONST_REF_FUNC;
      e->index = f;
      pushed = WASM_FUNCREF;
      break;
    }
    case WASM_OP_GLOBAL_GET: {
      uint32_t g;
      if (!read_u32(d, &g)) return false;
      if (g >= nglobals) return wasm_fail(RD, at, "unknown global %u", g);
      if (m->globals[g].type.mutable_) return wasm_fail(RD, at, "constant expression required");
      e->kind = WASM_CONST_GLOBAL_GET;
      e->index = g;
      pushed = m->globals[g].type.type;
      break;
    }
    case WASM_OP_I32_ADD:
    case WASM_OP_I32_SUB:
    case WASM_OP_I32_MUL:
    case WASM_OP_I64_ADD:
    case WASM_OP_I64_SUB:
    case WASM_OP_I64_MUL: {
      uint8_t t = op <= WASM_OP_I32_MUL ? WASM_I32 : WASM_I64;
      if (sp < 2 || stack[sp - 1] != t || stack[sp - 2] != t)
        return wasm_fail(RD, at, "type mismatch");
      sp -= 2;
      pushed = t;
      break;
    }
    default:
      if (!wasm_op_lookup(op)) return wasm_fail(RD, at, "illegal opcode");
      return wasm_fail(RD, at, "constant expression required");
    }
    if (sp == CONST_STACK_MAX) return wasm_fail(RD, at, "constant expression too deep");
    stack[sp++] = pushed;
  }
  e->end = (uint32_t)(RD->p - RD->base);
  if (sp != 1 || stack[0] != type)
    return wasm_fail(RD, RD->p - 1, "type mismatch");
  if (ninstr > 1) e->kind = WASM_CONST_EXPR;
  return true;
}

static bool decode_types(Decoder *d) {
  WasmModule *m = d->m;
  uint32_t n;
  if (!read_count(d, &n, WASM_MAX_TYPES, "types")) return false;
  m->types = arena_zalloc(m->arena, (size_t)n * sizeof(WasmFuncType));
  if (!m->types) return wasm_fail(RD, RD->p, "out of memory");
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t *at = RD->p;
    uint8_t form;
    if (!read_byte(d, &form)) return false;
    /* The form is a one-byte signed LEB in the spec's grammar. */
    if (form & 0x80) return wasm_fail(RD, at, "integer representation too long");
    if (form != 0x60) return wasm_fail(RD, at, "malformed function type");
    WasmFuncType *t = &m->types[i];
    uint32_t np, nr;
    if (!read_count(d, &np, WASM_MAX_PARAMS, "parameters")) return false;
    const uint8_t *pstart = RD->p;
    for (uint32_t k = 0; k < np; k++) {
      uint8_t vt;
      if (!read_valtype(d, &vt)) return false;
    }
    if (!read_count(d, &nr, WASM_MAX_RESULTS, "results")) return false;
    const uint8_t *rstart = RD->p;
    for (uint32_t k = 0; k < nr; k++) {
      uint8_t vt;
      if (!read_valtype(d, &vt)) return false;
    }
    /* Value types are single bytes: the module's own copy can be pointed at. */
    t->nparams = np;
    t->nresults = nr;
    t->params = pstart;
    t->results = rstart;
    m->ntypes = i + 1;
  }
  return true;
}

static bool decode_imports(Decoder *d) {
  WasmModule *m = d->m;
  uint32_t n;
  if (!read_count(d, &n, WASM_MAX_IMPORTS, "imports")) return false;
  m->imports = arena_zalloc(m->arena, (size_t)n * sizeof(WasmImport));
  /* Index spaces get their imported entries now; defined ones are appended
   * by the later sections, so size them generously later (see grow_*). */
  m->funcs = arena_zalloc(m->arena, (size_t)n * sizeof(WasmFunc));
  m->tables = arena_zalloc(m->arena, (size_t)n * sizeof(WasmTable));
  m->memories = arena_zalloc(m->arena, (size_t)n * sizeof(WasmMemory));
  m->globals = arena_zalloc(m->arena, (size_t)n * sizeof(WasmGlobal));
  if (!m->imports || !m->funcs || !m->tables || !m->memories || !m->globals)
    return wasm_fail(RD, RD->p, "out of memory");
  for (uint32_t i = 0; i < n; i++) {
    WasmImport *im = &m->imports[i];
    if (!read_name(d, &im->module, &im->module_len)) return false;
    if (!read_name(d, &im->name, &im->name_len)) return false;
    const uint8_t *at = RD->p;
    uint8_t kind;
    if (!read_byte(d, &kind)) return false;
    im->kind = kind;
    switch (kind) {
    case WASM_EXTERN_FUNC: {
      const uint8_t *tat = RD->p;
      if (!read_u32(d, &im->desc.type_index)) return false;
      if (im->desc.type_index >= m->ntypes)
        return wasm_fail(RD, tat, "unknown type %u", im->desc.type_index);
      WasmFunc *f = &m->funcs[m->nfuncs++];
      f->type_index = im->desc.type_index;
      f->imported = true;
      f->import_index = i;
      break;
    }
    case WASM_EXTERN_TABLE: {
      if (!read_reftype(d, &im->desc.table.elem_type)) return false;
      if (!read_limits(d, &im->desc.table.limits, false)) return false;
      WasmTable *t = &m->tables[m->ntables++];
      t->type = im->desc.table;
      t->imported = true;
      t->import_index = i;
      break;
    }
    case WASM_EXTERN_MEMORY: {
      if (!check_memory_count(d, at)) return false;
      if (!read_limits(d, &im->desc.memory.limits, true)) return false;
      WasmMemory *mem = &m->memories[m->nmemories++];
      mem->type = im->desc.memory;
      mem->imported = true;
      mem->import_index = i;
      break;
    }
    case WASM_EXTERN_GLOBAL: {
      if (!read_global_type(d, &im->desc.global)) return false;
      WasmGlobal *g = &m->globals[m->nglobals++];
      g->type = im->desc.global;
      g->imported = true;
      g->import_index = i;
      break;
    }
    default:
      return wasm_fail(RD, at, "malformed import kind");
    }
    m->nimports = i + 1;
  }
  m->nfunc_imports = m->nfuncs;
  m->ntable_imports = m->ntables;
  m->nmemory_imports = m->nmemories;
  m->nglobal_imports = m->nglobals;
  return true;
}

/* Grows an index-space array to hold `extra` more entries after the imports. */
static void *grow_space(Decoder *d, void *old, uint32_t used, uint32_t extra, size_t elem) {
  void *p = arena_zalloc(d->m->arena, ((size_t)used + extra) * elem);
  if (p && used) memcpy(p, old, (size_t)used * elem);
  return p;
}

static bool decode_functions(Decoder *d) {
  WasmModule *m = d->m;
  uint32_t n;
  if (!read_count(d, &n, WASM_MAX_FUNCTIONS, "functions")) return false;
  if ((uint64_t)n + m->nfuncs > WASM_MAX_FUNCTIONS) return wasm_fail(RD, RD->p, "too many functions");
  m->funcs = grow_space(d, m->funcs, m->nfuncs, n, sizeof(WasmFunc));
  if (!m->funcs) return wasm_fail(RD, RD->p, "out of memory");
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t *at = RD->p;
    uint32_t t;
    if (!read_u32(d, &t)) return false;
    if (t >= m->ntypes) return wasm_fail(RD, at, "unknown type %u", t);
    m->funcs[m->nfuncs++].type_index = t;
  }
  d->nfunc_decls = n;
  d->saw_func_section = true;
  return true;
}

static bool decode_tables(Decoder *d) {
  WasmModule *m = d->m;
  uint32_t n;
  if (!read_count(d, &n, WASM_MAX_TABLES, "tables")) return false;
  if ((uint64_t)n + m->ntables > WASM_MAX_TABLES) return wasm_fail(RD, RD->p, "too many tables");
  m->tables = grow_space(d, m->tables, m->ntables, n, sizeof(WasmTable));
  if (!m->tables) return wasm_fail(RD, RD->p, "out of memory");
  for (uint32_t i = 0; i < n; i++) {
    WasmTable *t = &m->tables[m->ntables];
    if (!read_reftype(d, &t->type.elem_type)) return false;
    if (!read_limits(d, &t->type.limits, false)) return false;
    m->ntables++;
  }
  return true;
}

static bool decode_memories(Decoder *d) {
  WasmModule *m = d->m;
  uint32_t n;
  if (!read_count(d, &n, 100000, "memories")) return false;
  m->memories = grow_space(d, m->memories, m->nmemories, n, sizeof(WasmMemory));
  if (!m->memories) return wasm_fail(RD, RD->p, "out of memory");
  for (uint32_t i = 0; i < n; i++) {
    WasmMemory *mem = &m->memories[m->nmemories];
    if (!check_memory_count(d, RD->p)) return false;
    if (!read_limits(d, &mem->type.limits, true)) return false;
    m->nmemories++;
  }
  return true;
}

static bool decode_globals(Decoder *d) {
  WasmModule *m = d->m;
  uint32_t n;
  if (!read_count(d, &n, WASM_MAX_GLOBALS, "globals")) return false;
  if ((uint64_t)n + m->nglobals > WASM_MAX_GLOBALS) return wasm_fail(RD, RD->p, "too many globals");
  m->globals = grow_space(d, m->globals, m->nglobals, n, sizeof(WasmGlobal));
  if (!m->globals) return wasm_fail(RD, RD->p, "out of memory");
  for (uint32_t i = 0; i < n; i++) {
    WasmGlobal *g = &m->globals[m->nglobals];
    if (!read_global_type(d, &g->type)) return false;
    if (!read_const_expr(d, g->type.type, m->nglobals, &g->init)) return false;
    m->nglobals++;
  }
  return true;
}

static uint32_t hash_name(const char *s, uint32_t n) {
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
  return h;
}

/* Export names must be unique: an open-addressing set of export indices. */
static bool check_export_names(Decoder *d, const uint32_t *offsets) {
  WasmModule *m = d->m;
  uint32_t n = m->nexports;
  if (n < 2) return true;
  uint32_t cap = 1;
  while (cap < n * 2) cap <<= 1;
  uint32_t *set = calloc(cap, sizeof *set); /* export index + 1 */
  if (!set) return wasm_fail(RD, RD->p, "out of memory");
  bool ok = true;
  for (uint32_t i = 0; i < n && ok; i++) {
    const WasmExport *e = &m->exports[i];
    uint32_t h = hash_name(e->name, e->name_len) & (cap - 1);
    while (set[h]) {
      const WasmExport *o = &m->exports[set[h] - 1];
      if (o->name_len == e->name_len && memcmp(o->name, e->name, e->name_len) == 0) {
        ok = wasm_fail(RD, RD->base + offsets[i], "duplicate export name");
        break;
      }
      h = (h + 1) & (cap - 1);
    }
    set[h] = i + 1;
  }
  free(set);
  return ok;
}

static bool decode_exports(Decoder *d) {
  WasmModule *m = d->m;
  uint32_t n;
  if (!read_count(d, &n, WASM_MAX_EXPORTS, "exports")) return false;
  m->exports = arena_zalloc(m->arena, (size_t)n * sizeof(WasmExport));
  uint32_t *offsets = wasm_arena_alloc(m->arena, (size_t)n * sizeof(uint32_t) + 1);
  if (!m->exports || !offsets) return wasm_fail(RD, RD->p, "out of memory");
  for (uint32_t i = 0; i < n; i++) {
    WasmExport *e = &m->exports[i];
    offsets[i] = (uint32_t)(RD->p - RD->base);
    if (!read_name(d, &e->name, &e->name_len)) return false;
    const uint8_t *at = RD->p;
    uint8_t kind;
    if (!read_byte(d, &kind)) return false;
    if (kind > WASM_EXTERN_GLOBAL) return wasm_fail(RD, at, "malformed export kind");
    e->kind = kind;
    const uint8_t *iat = RD->p;
    if (!read_u32(d, &e->index)) return false;
    uint32_t limit = kind == WASM_EXTERN_FUNC    ? m->nfuncs
                     : kind == WASM_EXTERN_TABLE ? m->ntables
                     : kind == WASM_EXTERN_MEMORY ? m->nmemories
                                                  : m->nglobals;
    static const char *const unknown[] = {"unknown function", "unknown table", "unknown memory",
                                          "unknown global"};
    if (e->index >= limit) return wasm_fail(RD, iat, "%s %u", unknown[kind], e->index);
    m->nexports = i + 1;
  }
  return check_export_names(d, offsets);
}

static bool decode_start(Decoder *d) {
  WasmModule *m = d->m;
  const uint8_t *at = RD->p;
  if (!read_u32(d, &m->start)) return false;
  if (m->start >= m->nfuncs) return wasm_fail(RD, at, "unknown function %u", m->start);
  const WasmFuncType *t = wasm_func_type_of(m, m->start);
  if (t->nparams || t->nresults) return wasm_fail(RD, at, "start function");
  m->has_start = true;
  return true;
}

static bool decode_elems(Decoder *d) {
  WasmModule *m = d->m;
  uint32_t n;
  if (!read_count(d, &n, WASM_MAX_ELEM_SEGMENTS, "element segments")) return false;
  m->elems = arena_zalloc(m->arena, (size_t)n * sizeof(WasmElemSegment));
  if (!m->elems) return wasm_fail(RD, RD->p, "out of memory");
  for (uint32_t i = 0; i < n; i++) {
    WasmElemSegment *s = &m->elems[i];
    const uint8_t *at = RD->p;
    uint32_t flags;
    if (!read_u32(d, &flags)) return false;
    if (flags > 7) return wasm_fail(RD, at, "malformed elements segment kind");
    /* bit 0: passive or declarative; bit 1: explicit table (active) or
     * declarative (passive); bit 2: items are expressions. */
    bool exprs = flags & 4;
    if (flags & 1) s->mode = (flags & 2) ? WASM_SEG_DECLARATIVE : WASM_SEG_PASSIVE;
    else s->mode = WASM_SEG_ACTIVE;
    s->elem_type = WASM_FUNCREF;
    if (s->mode == WASM_SEG_ACTIVE) {
      if (flags & 2) {
        const uint8_t *tat = RD->p;
        if (!read_u32(d, &s->table_index)) return false;
        if (s->table_index >= m->ntables)
          return wasm_fail(RD, tat, "unknown table %u", s->table_index);
      } else if (m->ntables == 0) {
        return wasm_fail(RD, at, "unknown table 0");
      }
      if (!read_const_expr(d, WASM_I32, m->nglobals, &s->offset)) return false;
    }
    if (s->mode != WASM_SEG_ACTIVE || (flags & 2)) {
      if (exprs) {
        if (!read_reftype(d, &s->elem_type)) return false;
      } else {
        const uint8_t *kat = RD->p;
        uint8_t kind;
        if (!read_byte(d, &kind)) return false;
        if (kind != 0) return wasm_fail(RD, kat, "malformed element kind");
      }
    }
    uint32_t count;
    if (!read_count(d, &count, 10000000, "elements")) return false;
    s->count = count;
    s->items = arena_zalloc(m->arena, (size_t)count * sizeof(WasmConstExpr));
    if (!s->items) return wasm_fail(RD, RD->p, "out of memory");
    for (uint32_t k = 0; k < count; k++) {
      WasmConstExpr *e = &s->items[k];
      if (exprs) {
        if (!read_const_expr(d, s->elem_type, m->nglobals, e)) return false;
      } else {
        const uint8_t *fat = RD->p;
        uint32_t f;
        if (!read_u32(d, &f)) return false;
        if (f >= m->nfuncs) return wasm_fail(RD, fat, "unknown function %u", f);
        e->kind = WASM_CONST_REF_FUNC;
        e->type = WASM_FUNCREF;
        e->index = f;
      }
    }
    if (s->mode == WASM_SEG_ACTIVE && m->tables[s->table_index].type.elem_type != s->elem_type)
      return wasm_fail(RD, at, "type mismatch");
    m->nelems = i + 1;
  }
  return true;
}

static bool decode_data_count(Decoder *d) {
  WasmModule *m = d->m;
  const uint8_t *at = RD->p;
  if (!read_u32(d, &m->data_count)) return false;
  if (m->data_count > WASM_MAX_DATA_SEGMENTS) return wasm_fail(RD, at, "too many data segments");
  m->has_data_count = true;
  return true;
}

static bool decode_code(Decoder *d) {
  WasmModule *m = d->m;
  const uint8_t *at = RD->p;
  uint32_t n;
  if (!read_count(d, &n, WASM_MAX_FUNCTIONS, "functions")) return false;
  if (n != d->nfunc_decls)
    return wasm_fail(RD, at, "function and code section have inconsistent lengths");
  d->saw_code_section = true;
  for (uint32_t i = 0; i < n; i++) {
    WasmFunc *f = &m->funcs[m->nfunc_imports + i];
    uint32_t size;
    if (!read_u32(d, &size)) return false;
    const uint8_t *body = RD->p;
    if (size > (size_t)(RD->end - RD->p)) return wasm_fail(RD, body, "length out of bounds");
    if (size > WASM_MAX_FUNCTION_SIZE) return wasm_fail(RD, body, "function body too large");
    const uint8_t *section_end = RD->end;
    RD->end = body + size; /* reads past the body are "unexpected end of section or function" */
    f->body_start = (uint32_t)(body - RD->base);
    f->code_end = (uint32_t)(body + size - RD->base);
    const WasmFuncType *ft = &m->types[f->type_index];
    uint32_t ngroups;
    if (!read_u32(d, &ngroups)) return false;
    if (ngroups > (size_t)(RD->end - RD->p)) return wasm_fail(RD, at, "too many locals");
    /* First pass sums the counts, so the expansion is one allocation. */
    const uint8_t *groups = RD->p;
    uint64_t total = 0;
    for (uint32_t g = 0; g < ngroups; g++) {
      uint32_t cnt;
      uint8_t t;
      if (!read_u32(d, &cnt)) return false;
      if (!read_valtype(d, &t)) return false;
      total += cnt;
      if (total + ft->nparams > WASM_MAX_LOCALS) return wasm_fail(RD, at, "too many locals");
    }
    f->code_start = (uint32_t)(RD->p - RD->base);
    f->nlocals = (uint32_t)total;
    /* Functions often declare the same locals: share the expansion then.
     * Otherwise a tiny declaration can expand to 50,000 bytes, so the
     * module-wide total is capped to keep memory linear in the input. */
    size_t decl_len = (size_t)(RD->p - groups);
    if (i > 0 && decl_len == d->prev_decl_len && memcmp(groups, d->prev_decl, decl_len) == 0) {
      WasmFunc *prev = &m->funcs[m->nfunc_imports + i - 1];
      f->local_types = prev->local_types;
      f->local_slots = prev->local_slots;
      RD->p = body + size;
      RD->end = section_end;
      continue;
    }
    d->prev_decl = groups;
    d->prev_decl_len = decl_len;
    d->expanded_locals += total;
    if (d->expanded_locals > WASM_MAX_TOTAL_LOCALS) return wasm_fail(RD, at, "too many locals");
    uint8_t *types = wasm_arena_alloc(m->arena, total ? total : 1);
    if (!types) return wasm_fail(RD, at, "out of memory");
    const uint8_t *after = RD->p;
    RD->p = groups;
    uint32_t k = 0, slots = 0;
    for (uint32_t g = 0; g < ngroups; g++) {
      uint32_t cnt;
      uint8_t t;
      read_u32(d, &cnt);
      read_valtype(d, &t);
      memset(types + k, t, cnt);
      k += cnt;
      slots += cnt * (t == WASM_V128 ? 2 : 1);
    }
    RD->p = after;
    f->local_types = types;
    f->local_slots = slots;
    RD->p = body + size;
    RD->end = section_end;
  }
  return true;
}

static bool decode_datas(Decoder *d) {
  WasmModule *m = d->m;
  const uint8_t *at = RD->p;
  uint32_t n;
  if (!read_count(d, &n, WASM_MAX_DATA_SEGMENTS, "data segments")) return false;
  if (m->has_data_count && n != m->data_count)
    return wasm_fail(RD, at, "data count and data section have inconsistent lengths");
  d->saw_data_section = true;
  m->datas = arena_zalloc(m->arena, (size_t)n * sizeof(WasmDataSegment));
  if (!m->datas) return wasm_fail(RD, RD->p, "out of memory");
  for (uint32_t i = 0; i < n; i++) {
    WasmDataSegment *s = &m->datas[i];
    const uint8_t *sat = RD->p;
    uint32_t flags;
    if (!read_u32(d, &flags)) return false;
    if (flags > 2) return wasm_fail(RD, sat, "malformed data segment kind");
    s->mode = flags == 1 ? WASM_SEG_PASSIVE : WASM_SEG_ACTIVE;
    if (flags == 2) {
      const uint8_t *mat = RD->p;
      if (!read_u32(d, &s->memory_index)) return false;
      if (s->memory_index >= m->nmemories)
        return wasm_fail(RD, mat, "unknown memory %u", s->memory_index);
    } else if (flags == 0 && m->nmemories == 0) {
      return wasm_fail(RD, sat, "unknown memory 0");
    }
    uint8_t addr = s->mode == WASM_SEG_ACTIVE && m->memories[s->memory_index].type.limits.is64
                       ? WASM_I64
                       : WASM_I32;
    if (s->mode == WASM_SEG_ACTIVE && !read_const_expr(d, addr, m->nglobals, &s->offset))
      return false;
    uint32_t len;
    if (!read_u32(d, &len)) return false;
    const uint8_t *lat = RD->p;
    if (len > (size_t)(RD->end - RD->p)) {
      if (RD->end == RD->buf_end) return wasm_fail_eof(RD);
      return wasm_fail(RD, lat, "unexpected end of section or function");
    }
    s->data_start = (uint32_t)(RD->p - RD->base);
    s->data_len = len;
    RD->p += len;
    m->ndatas = i + 1;
  }
  return true;
}

static bool decode_custom(Decoder *d, const uint8_t *section_end) {
  WasmModule *m = d->m;
  WasmCustomSection c;
  if (!read_name(d, &c.name, &c.name_len)) return false;
  c.data_start = (uint32_t)(RD->p - RD->base);
  c.data_len = (uint32_t)(section_end - RD->p);
  if (m->ncustoms == d->customs_cap) {
    /* Geometric growth: thousands of tiny custom sections stay linear. */
    uint32_t cap = d->customs_cap ? d->customs_cap * 2 : 4;
    WasmCustomSection *grown = wasm_arena_alloc(m->arena, (size_t)cap * sizeof *grown);
    if (!grown) return wasm_fail(RD, RD->p, "out of memory");
    if (m->ncustoms) memcpy(grown, m->customs, m->ncustoms * sizeof *grown);
    m->customs = grown;
    d->customs_cap = cap;
  }
  m->customs[m->ncustoms++] = c;
  if (c.name_len == 4 && memcmp(c.name, "name", 4) == 0 && !d->name_section) {
    d->name_section = RD->p;
    d->name_len = c.data_len;
  }
  RD->p = section_end;
  return true;
}

/* The `name` section is advisory: anything malformed in it is ignored, as
 * the spec says of custom sections, so it gets its own quiet reader. */
static void decode_names(Decoder *d) {
  WasmModule *m = d->m;
  WasmReader saved = d->r;
  Runtime *rt = RD->rt;
  RD->p = d->name_section;
  RD->end = d->name_section + d->name_len;
  RD->in_section = true;
  while (RD->p < RD->end) {
    uint8_t id;
    uint32_t size;
    if (!read_byte(d, &id) || !read_u32(d, &size) || size > (size_t)(RD->end - RD->p)) break;
    const uint8_t *sub_end = RD->p + size;
    if (id == 0) {
      const char *name;
      uint32_t len;
      const uint8_t *outer_end = RD->end;
      RD->end = sub_end;
      if (read_name(d, &name, &len)) m->module_name = name;
      RD->end = outer_end;
    } else if (id == 1) {
      const uint8_t *outer_end = RD->end;
      RD->end = sub_end;
      uint32_t n;
      if (read_u32(d, &n)) {
        for (uint32_t i = 0; i < n; i++) {
          uint32_t idx, len;
          const char *name;
          if (!read_u32(d, &idx) || !read_name(d, &name, &len)) break;
          if (idx < m->nfuncs) m->funcs[idx].name = name;
        }
      }
      RD->end = outer_end;
    }
    if (RD->failed) break;
    RD->p = sub_end;
  }
  if (RD->failed) rt_clear_exception(rt);
  d->r = saved;
}

/* Section order rank (custom sections are 0 and may appear anywhere). */
static int section_rank(uint8_t id) {
  switch (id) {
  case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 8: case 9:
    return id;
  case 12: return 10; /* data count comes before code */
  case 10: return 11;
  case 11: return 12;
  default: return -1;
  }
}

static bool decode_module(Decoder *d) {
  WasmModule *m = d->m;
  const uint8_t *b = RD->p;
  size_t len = (size_t)(RD->end - RD->p);
  if (len < 4) return wasm_fail(RD, RD->end, "unexpected end");
  if (memcmp(b, "\0asm", 4) != 0) return wasm_fail(RD, b, "magic header not detected");
  if (len < 8) return wasm_fail(RD, RD->end, "unexpected end");
  if (memcmp(b + 4, "\1\0\0\0", 4) != 0) return wasm_fail(RD, b + 4, "unknown binary version");
  RD->p += 8;
  int last_rank = 0;
  while (RD->p < RD->end) {
    const uint8_t *at = RD->p;
    uint8_t id = *RD->p++;
    uint32_t size;
    if (!read_u32(d, &size)) return false;
    const uint8_t *start = RD->p;
    if (size > (size_t)(RD->end - RD->p)) return wasm_fail(RD, start, "length out of bounds");
    int rank = section_rank(id);
    if (id != 0) {
      if (rank < 0) return wasm_fail(RD, at, "malformed section id");
      if (rank <= last_rank) return wasm_fail(RD, at, "unexpected content after last section");
      last_rank = rank;
    }
    const uint8_t *module_end = RD->end;
    RD->end = start + size;
    RD->in_section = true;
    bool ok;
    switch (id) {
    case 0: ok = decode_custom(d, start + size); break;
    case 1: ok = decode_types(d); break;
    case 2: ok = decode_imports(d); break;
    case 3: ok = decode_functions(d); break;
    case 4: ok = decode_tables(d); break;
    case 5: ok = decode_memories(d); break;
    case 6: ok = decode_globals(d); break;
    case 7: ok = decode_exports(d); break;
    case 8: ok = decode_start(d); break;
    case 9: ok = decode_elems(d); break;
    case 10: ok = decode_code(d); break;
    case 11: ok = decode_datas(d); break;
    case 12: ok = decode_data_count(d); break;
    default: ok = false;
    }
    if (!ok) return false;
    if (RD->p != start + size) return wasm_fail(RD, RD->p, "section size mismatch");
    RD->end = module_end;
    RD->in_section = false;
  }
  if (d->nfunc_decls != 0 && !d->saw_code_section)
    return wasm_fail(RD, RD->p, "function and code section have inconsistent lengths");
  if (m->has_data_count && !d->saw_data_section && m->data_count != 0)
    return wasm_fail(RD, RD->p, "data count and data section have inconsistent lengths");
  if (d->name_section) decode_names(d);
  return true;
}

WasmModule *wasm_module_new(Runtime *rt, const uint8_t *bytes, size_t len) {
  if (len > UINT32_MAX - 16) {
    rt_throw(rt, ERR_CompileError, "at offset 0: module too large");
    return NULL;
  }
  WasmModule *m = gc_alloc(rt->heap, GC_KIND_WASM_MODULE, sizeof(WasmModule));
  if (!m) {
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  m->arena = arena_new();
  /* The module keeps its own copy: offsets in the side tables point into it. */
  m->bytes = m->arena ? wasm_arena_alloc(m->arena, len ? len : 1) : NULL;
  if (!m->bytes) {
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  memcpy(m->bytes, bytes, len);
  m->len = len;
  m->features = features;
  Decoder d = {0};
  d.m = m;
  d.r.rt = rt;
  d.r.base = m->bytes;
  d.r.p = m->bytes;
  d.r.end = m->bytes + len;
  d.r.buf_end = m->bytes + len;
  if (!decode_module(&d)) return NULL;
  if (!wasm_validate_module(rt, m)) return NULL;
  return m;
}

/* ---- constant-expression evaluation ------------------------------------------ */

bool wasm_const_expr_eval(const WasmModule *m, const WasmConstExpr *e, const WasmVal *globals,
                          WasmFuncRefFn func_ref, void *data, WasmVal *out) {
  switch (e->kind) {
  case WASM_CONST_VALUE: *out = e->value; return true;
  case WASM_CONST_GLOBAL_GET: *out = globals[e->index]; return true;
  case WASM_CONST_REF_FUNC:
    out->type = WASM_FUNCREF;
    out->of.ref = func_ref(data, e->index);
    return true;
  default: break;
  }
  /* Extended constant expressions: only integer arithmetic over constants
   * and globals, validated already; the stack depth was bounded then. */
  WasmVal stack[CONST_STACK_MAX];
  uint32_t sp = 0;
  WasmReader r = {0};
  r.base = m->bytes;
  r.p = m->bytes + e->start;
  r.end = m->bytes + e->end;
  r.buf_end = r.end;
  r.failed = true; /* never throw from here: the expression was validated */
  while (r.p < r.end) {
    uint8_t op = *r.p++;
    if (op == WASM_OP_END) break;
    if (sp == CONST_STACK_MAX) return false;
    WasmVal v = {0};
    switch (op) {
    case WASM_OP_I32_CONST: {
      int32_t x;
      if (!wasm_read_s32(&r, &x)) return false;
      v.type = WASM_I32;
      v.of.i32 = (uint32_t)x;
      break;
    }
    case WASM_OP_I64_CONST: {
      int64_t x;
      if (!wasm_read_s64(&r, &x)) return false;
      v.type = WASM_I64;
      v.of.i64 = (uint64_t)x;
      break;
    }
    case WASM_OP_GLOBAL_GET: {
      uint32_t g;
      if (!wasm_read_u32(&r, &g) || g >= m->nglobals) return false;
      v = globals[g];
      break;
    }
    case WASM_OP_I32_ADD: case WASM_OP_I32_SUB: case WASM_OP_I32_MUL:
    case WASM_OP_I64_ADD: case WASM_OP_I64_SUB: case WASM_OP_I64_MUL: {
      if (sp < 2) return false;
      WasmVal b = stack[--sp], a = stack[--sp];
      v = a;
      if (op == WASM_OP_I32_ADD) v.of.i32 = a.of.i32 + b.of.i32;
      else if (op == WASM_OP_I32_SUB) v.of.i32 = a.of.i32 - b.of.i32;
      else if (op == WASM_OP_I32_MUL) v.of.i32 = a.of.i32 * b.of.i32;
      else if (op == WASM_OP_I64_ADD) v.of.i64 = a.of.i64 + b.of.i64;
      else if (op == WASM_OP_I64_SUB) v.of.i64 = a.of.i64 - b.of.i64;
      else v.of.i64 = a.of.i64 * b.of.i64;
      break;
    }
    default:
      /* Other single-value constants inside a longer expression. */
      if (op == WASM_OP_F32_CONST && r.end - r.p >= 4) {
        v.type = WASM_F32;
        memcpy(&v.of.f32, r.p, 4);
        r.p += 4;
      } else if (op == WASM_OP_F64_CONST && r.end - r.p >= 8) {
        v.type = WASM_F64;
        memcpy(&v.of.f64, r.p, 8);
        r.p += 8;
      } else if (op == WASM_OP_REF_NULL && r.p < r.end) {
        v.type = *r.p++;
        v.of.ref = VAL_NULL;
      } else if (op == WASM_OP_REF_FUNC) {
        uint32_t f;
        if (!wasm_read_u32(&r, &f)) return false;
        v.type = WASM_FUNCREF;
        v.of.ref = func_ref(data, f);
      } else if (op == WASM_PREFIX_FD && r.end - r.p >= 17) {
        r.p++; /* v128.const, the only SIMD constant */
        v.type = WASM_V128;
        memcpy(v.of.v128, r.p, 16);
        r.p += 16;
      } else {
        return false;
      }
    }
    stack[sp++] = v;
  }
  if (sp != 1) return false;
  *out = stack[0];
  return true;
}

const WasmCtlEntry *wasm_ctl_find(const WasmFunc *f, uint32_t pc) {
  uint32_t lo = 0, hi = f->nctl;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (f->ctl[mid].pc < pc) lo = mid + 1;
    else hi = mid;
  }
  return lo < f->nctl && f->ctl[lo].pc == pc ? &f->ctl[lo] : NULL;
}
