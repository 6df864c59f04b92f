/* string.c: the string cell and its representations (flat Latin-1/UTF-16,
 * rope, slice), creation, flattening, concatenation, substrings, comparison
 * and hashing. UTF-8 conversion lives in string_utf8.c, ICU-backed Unicode
 * operations in string_unicode.c. See docs/strings.md. */
#define _GNU_SOURCE /* memmem */
#include "core/string.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/atom_table.h"
#include "core/symbol.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "string hashing packs code units assuming a little-endian host"
#endif

/* --- GC kinds -------------------------------------------------------------- */

static void string_trace(Heap *heap, void *obj) {
  String *s = obj;
  switch (s->h.flags & STR_REP_MASK) {
  case STR_REP_ROPE:
    gc_mark_value(heap, ((StrRope *)s)->left);
    gc_mark_value(heap, ((StrRope *)s)->right);
    break;
  case STR_REP_SLICE:
    gc_mark_value(heap, ((StrSlice *)s)->parent);
    break;
  default:
    break;
  }
}

static void symbol_trace(Heap *heap, void *obj) { gc_mark_value(heap, ((Symbol *)obj)->description); }

static const GCKindOps string_ops = {.name = "string", .trace = string_trace};
static const GCKindOps symbol_ops = {.name = "symbol", .trace = symbol_trace};

static uint64_t hash_seed;
static pthread_once_t kinds_once = PTHREAD_ONCE_INIT;

static void init_kinds_once(void) {
  gc_set_kind_ops(GC_KIND_STRING, &string_ops);
  gc_set_kind_ops(GC_KIND_SYMBOL, &symbol_ops);
  /* A random seed makes hash flooding through chosen property names or Map
   * keys impractical; the fallback constant only matters without getrandom. */
  uint64_t seed = 0x243F6A8885A308D3ull;
  if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) != (ssize_t)sizeof seed) seed = 0x243F6A8885A308D3ull;
  hash_seed = seed;
}

void core_init_gc_kinds(void) { pthread_once(&kinds_once, init_kinds_once); }

uint64_t str_hash_seed(void) {
  /* Hashing is hot: skip pthread_once once the seed is known. */
  static int seed_ready;
  if (__builtin_expect(!__atomic_load_n(&seed_ready, __ATOMIC_ACQUIRE), 0)) {
    core_init_gc_kinds();
    __atomic_store_n(&seed_ready, 1, __ATOMIC_RELEASE);
  }
  return hash_seed;
}

/* --- allocation ------------------------------------------------------------ */

static Value throw_too_long(Runtime *rt) { return rt_throw(rt, ERR_RangeError, "Invalid string length"); }

Value str_empty(Runtime *rt) {
  if (rt->atoms && rt->atoms->well_known[ATOM_empty]) return rt->atoms->well_known[ATOM_empty];
  return str_alloc_flat(rt, 0, true);
}

Value str_alloc_flat(Runtime *rt, uint32_t len, bool latin1) {
  if (len > STR_MAX_LENGTH) return throw_too_long(rt);
  size_t bytes = sizeof(String) + (size_t)len * (latin1 ? 1 : 2);
  String *s = gc_alloc(rt->heap, GC_KIND_STRING, bytes);
  if (!s) return rt_throw_out_of_memory(rt);
  s->h.flags = STR_REP_FLAT | (latin1 ? STR_FLAG_LATIN1 : 0);
  s->h.aux = len;
  return val_from_ptr(s);
}

static bool units_fit_latin1(const uint16_t *u, size_t n) {
  uint16_t acc = 0;
  for (size_t i = 0; i < n; i++) acc |= u[i];
  return acc < 256;
}

Value str_from_latin1(Runtime *rt, const uint8_t *chars, size_t len) {
  if (len == 0) return str_empty(rt);
  if (len == 1 && rt->atoms) return str_from_char(rt, chars[0]);
  if (len > STR_MAX_LENGTH) return throw_too_long(rt);
  Value s = str_alloc_flat(rt, (uint32_t)len, true);
  if (val_is_exception(s)) return s;
  memcpy(str_flat_latin1(s), chars, len);
  return s;
}

Value str_from_utf16(Runtime *rt, const uint16_t *units, size_t len) {
  if (len == 0) return str_empty(rt);
  if (len > STR_MAX_LENGTH) return throw_too_long(rt);
  bool latin1 = units_fit_latin1(units, len);
  if (len == 1 && rt->atoms) return str_from_char(rt, units[0]);
  Value s = str_alloc_flat(rt, (uint32_t)len, latin1);
  if (val_is_exception(s)) return s;
  if (latin1) {
    uint8_t *d = str_flat_latin1(s);
    for (size_t i = 0; i < len; i++) d[i] = (uint8_t)units[i];
  } else {
    memcpy(str_flat_utf16(s), units, len * 2);
  }
  return s;
}

Value str_from_char(Runtime *rt, uint16_t unit) {
  AtomTable *t = rt->atoms;
  if (unit < 256 && t && t->single[unit]) return t->single[unit];
  if (unit < 256 && t) {
    /* Interned, so single-character property keys and charAt results are
     * the same cell. */
    uint8_t c = (uint8_t)unit;
    Value s = str_alloc_flat(rt, 1, true);
    if (val_is_exception(s)) return s;
    str_flat_latin1(s)[0] = c;
    Atom a = atom_from_string(rt, s);
    if (val_is_exception(a)) return a;
    t->single[unit] = a;
    return a;
  }
  Value s = str_alloc_flat(rt, 1, unit < 256);
  if (val_is_exception(s)) return s;
  if (unit < 256)
    str_flat_latin1(s)[0] = (uint8_t)unit;
  else
    str_flat_utf16(s)[0] = unit;
  return s;
}

Value str_from_uint32(Runtime *rt, uint32_t n) {
  uint8_t buf[16];
  int i = (int)sizeof buf;
  do {
    buf[--i] = (uint8_t)('0' + n % 10);
    n /= 10;
  } while (n);
  return str_from_latin1(rt, buf + i, sizeof buf - (size_t)i);
}

Value str_from_int(Runtime *rt, int32_t n) {
  if (n >= 0) return str_from_uint32(rt, (uint32_t)n);
  uint8_t buf[16];
  int i = (int)sizeof buf;
  uint32_t m = 0u - (uint32_t)n;
  do {
    buf[--i] = (uint8_t)('0' + m % 10);
    m /= 10;
  } while (m);
  buf[--i] = '-';
  return str_from_latin1(rt, buf + i, sizeof buf - (size_t)i);
}

/* --- reading characters ------------------------------------------------------ */

StrChars str_chars(Value v) {
  String *s = str_ptr(v);
  StrChars c = {NULL, NULL, s->h.aux};
  uint32_t start = 0;
  if ((s->h.flags & STR_REP_MASK) == STR_REP_SLICE) {
    start = s->extra;
    s = str_ptr(((StrSlice *)s)->parent);
  }
  if (s->h.flags & STR_FLAG_LATIN1)
    c.latin1 = (const uint8_t *)(s + 1) + start;
  else
    c.utf16 = (const uint16_t *)(s + 1) + start;
  return c;
}

/* Copies every unit of s to dst (Latin-1 when dst8, else UTF-16). A rope
 * recurses only into its shorter child and loops on the longer one, so the
 * recursion depth is at most log2(length) however deep the rope is. */
static void write_flat(String *s, void *dst, bool dst8) {
  for (;;) {
    unsigned rep = s->h.flags & STR_REP_MASK;
    if (rep == STR_REP_ROPE) {
      String *l = str_ptr(((StrRope *)s)->left);
      String *r = str_ptr(((StrRope *)s)->right);
      size_t ll = l->h.aux, width = dst8 ? 1 : 2;
      if (ll <= r->h.aux) {
        write_flat(l, dst, dst8);
        dst = (char *)dst + ll * width;
        s = r;
      } else {
        write_flat(r, (char *)dst + ll * width, dst8);
        s = l;
      }
      continue;
    }
    StrChars c = str_chars(val_from_ptr(s));
    if (dst8) {
      memcpy(dst, c.latin1, c.length); /* a Latin-1 rope has only Latin-1 parts */
    } else if (c.utf16) {
      memcpy(dst, c.utf16, (size_t)c.length * 2);
    } else {
      uint16_t *d = dst;
      for (uint32_t i = 0; i < c.length; i++) d[i] = c.latin1[i];
    }
    return;
  }
}

Value str_flatten(Runtime *rt, Value v) {
  String *s = str_ptr(v);
  if ((s->h.flags & STR_REP_MASK) != STR_REP_ROPE) return v;
  bool latin1 = (s->h.flags & STR_FLAG_LATIN1) != 0;
  Value flat = str_alloc_flat(rt, s->h.aux, latin1);
  if (val_is_exception(flat)) return flat;
  write_flat(s, str_ptr(flat) + 1, latin1);
  /* The rope cell becomes a slice of its flat copy: every holder of the rope
   * sees characters from now on, and the parts can be collected. */
  StrRope *r = (StrRope *)s;
  r->right = VAL_UNDEFINED;
  s->extra = 0;
  ((StrSlice *)s)->parent = flat;
  GC_WRITE_BARRIER(rt->heap, s, flat);
  s->h.flags = (uint8_t)((s->h.flags & ~STR_REP_MASK) | STR_REP_SLICE);
  return v;
}

int32_t str_char_at(Runtime *rt, Value s, uint32_t i) {
  if (val_is_exception(str_flatten(rt, s))) return -1;
  StrChars c = str_chars(s);
  return str_chars_at(&c, i);
}

static inline bool is_lead(uint32_t u) { return (u & 0xFC00) == 0xD800; }
static inline bool is_trail(uint32_t u) { return (u & 0xFC00) == 0xDC00; }

int32_t str_code_point_at(Runtime *rt, Value s, uint32_t i) {
  if (val_is_exception(str_flatten(rt, s))) return -1;
  StrChars c = str_chars(s);
  uint32_t u = str_chars_at(&c, i);
  if (is_lead(u) && i + 1 < c.length) {
    uint32_t t = str_chars_at(&c, i + 1);
    if (is_trail(t)) return (int32_t)(0x10000 + ((u - 0xD800) << 10) + (t - 0xDC00));
  }
  return (int32_t)u;
}

/* --- concatenation and substrings ------------------------------------------- */

Value str_concat(Runtime *rt, Value a, Value b) {
  uint32_t la = str_length(a), lb = str_length(b);
  if (la == 0) return b;
  if (lb == 0) return a;
  if ((uint64_t)la + lb > STR_MAX_LENGTH) return throw_too_long(rt);
  uint32_t n = la + lb;
  bool latin1 = str_is_latin1(a) && str_is_latin1(b);
  if (n < STR_ROPE_MIN_LENGTH) {
    Value r = str_alloc_flat(rt, n, latin1);
    if (val_is_exception(r)) return r;
    size_t width = latin1 ? 1 : 2;
    write_flat(str_ptr(a), str_ptr(r) + 1, latin1);
    write_flat(str_ptr(b), (char *)(str_ptr(r) + 1) + la * width, latin1);
    return r;
  }
  StrRope *r = gc_alloc(rt->heap, GC_KIND_STRING, sizeof *r);
  if (!r) return rt_throw_out_of_memory(rt);
  r->s.h.flags = STR_REP_ROPE | (latin1 ? STR_FLAG_LATIN1 : 0);
  r->s.h.aux = n;
  r->left = a;
  r->right = b;
  GC_WRITE_BARRIER(rt->heap, r, a);
  GC_WRITE_BARRIER(rt->heap, r, b);
  return val_from_ptr(r);
}

Value str_substring(Runtime *rt, Value s, uint32_t start, uint32_t end) {
  uint32_t len = str_length(s);
  if (end > len) end = len;
  if (start >= end) return str_empty(rt);
  uint32_t n = end - start;
  if (n == len) return s;
  if (val_is_exception(str_flatten(rt, s))) return VAL_EXCEPTION;
  StrChars c = str_chars(s);
  if (n == 1) return str_from_char(rt, str_chars_at(&c, start));
  if (n < STR_SLICE_MIN_LENGTH) {
    if (c.latin1) return str_from_latin1(rt, c.latin1 + start, n);
    Value r = str_alloc_flat(rt, n, false);
    if (val_is_exception(r)) return r;
    c = str_chars(s); /* re-read after the allocation, for clarity: cells do not move */
    memcpy(str_flat_utf16(r), c.utf16 + start, (size_t)n * 2);
    return r;
  }
  /* A slice always points at the flat root, so chains of slices cost O(1)
   * each and keep no intermediate cells alive. */
  Value parent = s;
  if (str_rep(s) == STR_REP_SLICE) {
    start += str_ptr(s)->extra;
    parent = ((StrSlice *)str_ptr(s))->parent;
  }
  StrSlice *sl = gc_alloc(rt->heap, GC_KIND_STRING, sizeof *sl);
  if (!sl) return rt_throw_out_of_memory(rt);
  sl->s.h.flags = STR_REP_SLICE | (str_ptr(parent)->h.flags & STR_FLAG_LATIN1);
  sl->s.h.aux = n;
  sl->s.extra = start;
  sl->parent = parent;
  GC_WRITE_BARRIER(rt->heap, sl, parent);
  return val_from_ptr(sl);
}

/* --- comparison and hashing -------------------------------------------------- */

static bool chars_equal(const StrChars *a, const StrChars *b) {
  uint32_t n = a->length;
  if (a->latin1 && b->latin1) return memcmp(a->latin1, b->latin1, n) == 0;
  if (a->utf16 && b->utf16) return memcmp(a->utf16, b->utf16, (size_t)n * 2) == 0;
  const uint8_t *p = a->latin1 ? a->latin1 : b->latin1;
  const uint16_t *q = a->utf16 ? a->utf16 : b->utf16;
  for (uint32_t i = 0; i < n; i++)
    if (p[i] != q[i]) return false;
  return true;
}

bool str_equals_flat(Value a, Value b) {
  if (a == b) return true;
  String *x = str_ptr(a), *y = str_ptr(b);
  if (x->h.aux != y->h.aux) return false;
  if ((x->h.flags & y->h.flags & STR_FLAG_ATOM)) return false;
  if ((x->h.flags & y->h.flags & STR_FLAG_HASHED) && x->hash != y->hash) return false;
  StrChars ca = str_chars(a), cb = str_chars(b);
  return chars_equal(&ca, &cb);
}

bool str_equals(Runtime *rt, Value a, Value b, bool *out) {
  String *x = str_ptr(a), *y = str_ptr(b);
  if (a == b) {
    *out = true;
    return true;
  }
  /* Cheap answers first: different lengths, two distinct atoms, or two
   * known hashes that differ never need the characters. */
  if (x->h.aux != y->h.aux || (x->h.flags & y->h.flags & STR_FLAG_ATOM) ||
      ((x->h.flags & y->h.flags & STR_FLAG_HASHED) && x->hash != y->hash)) {
    *out = false;
    return true;
  }
  if (val_is_exception(str_flatten(rt, a)) || val_is_exception(str_flatten(rt, b))) return false;
  *out = str_equals_flat(a, b);
  return true;
}

int str_compare_flat(Value a, Value b) {
  if (a == b) return 0;
  StrChars ca = str_chars(a), cb = str_chars(b);
  uint32_t n = ca.length < cb.length ? ca.length : cb.length;
  if (ca.latin1 && cb.latin1) {
    int r = memcmp(ca.latin1, cb.latin1, n);
    if (r) return r;
  } else {
    for (uint32_t i = 0; i < n; i++) {
      int d = (int)str_chars_at(&ca, i) - (int)str_chars_at(&cb, i);
      if (d) return d;
    }
  }
  return ca.length < cb.length ? -1 : ca.length > cb.length;
}

bool str_compare(Runtime *rt, Value a, Value b, int *out) {
  if (val_is_exception(str_flatten(rt, a)) || val_is_exception(str_flatten(rt, b))) return false;
  *out = str_compare_flat(a, b);
  return true;
}

/* The hash works on code units, four at a time packed into 64 bits, so a
 * Latin-1 and a UTF-16 string with the same units hash alike. Each block is
 * mixed with a 64x64->128 multiply folded to 64 bits (as wyhash does). */
#define HASH_K1 0xA0761D6478BD642Full
#define HASH_K2 0xE7037ED1A0B428DBull
#define HASH_K3 0x8EBC6AF09C88C6E3ull

static inline uint64_t hash_mum(uint64_t a, uint64_t b) {
  __uint128_t r = (__uint128_t)a * b;
  return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t widen4(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  uint64_t x = v;
  x = (x | (x << 16)) & 0x0000FFFF0000FFFFull;
  x = (x | (x << 8)) & 0x00FF00FF00FF00FFull;
  return x;
}

static inline uint32_t hash_finish(uint64_t h, size_t len) {
  h = hash_mum(h ^ HASH_K3, (uint64_t)len ^ HASH_K2);
  return (uint32_t)(h ^ (h >> 32));
}

uint32_t str_hash_latin1(const uint8_t *p, size_t len) {
  uint64_t h = str_hash_seed() ^ HASH_K1;
  size_t i = 0;
  for (; i + 4 <= len; i += 4) h = hash_mum(h ^ widen4(p + i), HASH_K2);
  if (i < len) {
    uint64_t w = 0;
    for (size_t k = 0; i + k < len; k++) w |= (uint64_t)p[i + k] << (16 * k);
    h = hash_mum(h ^ w ^ HASH_K3, HASH_K2);
  }
  return hash_finish(h, len);
}

uint32_t str_hash_utf16(const uint16_t *u, size_t len) {
  uint64_t h = str_hash_seed() ^ HASH_K1;
  size_t i = 0;
  for (; i + 4 <= len; i += 4) {
    uint64_t w;
    memcpy(&w, u + i, 8);
    h = hash_mum(h ^ w, HASH_K2);
  }
  if (i < len) {
    uint64_t w = 0;
    for (size_t k = 0; i + k < len; k++) w |= (uint64_t)u[i + k] << (16 * k);
    h = hash_mum(h ^ w ^ HASH_K3, HASH_K2);
  }
  return hash_finish(h, len);
}

uint32_t str_hash_flat(Value v) {
  String *s = str_ptr(v);
  if (s->h.flags & STR_FLAG_HASHED) return s->hash;
  StrChars c = str_chars(v);
  uint32_t h = c.latin1 ? str_hash_latin1(c.latin1, c.length) : str_hash_utf16(c.utf16, c.length);
  s->hash = h;
  s->h.flags |= STR_FLAG_HASHED;
  return h;
}

bool str_hash(Runtime *rt, Value s, uint32_t *out) {
  String *p = str_ptr(s);
  if (p->h.flags & STR_FLAG_HASHED) {
    *out = p->hash;
    return true;
  }
  if (val_is_exception(str_flatten(rt, s))) return false;
  *out = str_hash_flat(s);
  return true;
}

/* --- searching ----------------------------------------------------------------- */

static bool match_at(const StrChars *s, uint32_t pos, const StrChars *pat) {
  for (uint32_t k = 0; k < pat->length; k++)
    if (str_chars_at(s, pos + k) != str_chars_at(pat, k)) return false;
  return true;
}

/* Byte-level search with glibc's memmem (two-way: linear worst case, no
 * quadratic blow-up on inputs like "aaa...ab"). For UTF-16 a byte match at
 * an odd offset straddles two units and is skipped. */
static int32_t search_bytes(const void *hay, size_t hay_bytes, const void *pat, size_t pat_bytes, size_t from_bytes,
                            unsigned width) {
  const char *h = hay;
  size_t at = from_bytes;
  while (at + pat_bytes <= hay_bytes) {
    const char *m = memmem(h + at, hay_bytes - at, pat, pat_bytes);
    if (!m) return -1;
    size_t off = (size_t)(m - h);
    if (off % width == 0) return (int32_t)(off / width);
    at = off + 1;
  }
  return -1;
}

static int32_t index_of_flat(Value sv, Value pv, uint32_t from) {
  StrChars s = str_chars(sv), p = str_chars(pv);
  if (from > s.length) from = s.length;
  if (p.length == 0) return (int32_t)from;
  if (p.length > s.length - from) return -1;
  if (s.latin1 && p.latin1) return search_bytes(s.latin1, s.length, p.latin1, p.length, from, 1);
  if (s.utf16 && p.utf16)
    return search_bytes(s.utf16, (size_t)s.length * 2, p.utf16, (size_t)p.length * 2, (size_t)from * 2, 2);
  /* Mixed widths: bring the pattern to the text's width (a pattern with a
   * unit >= 256 cannot occur in Latin-1 text). */
  int32_t r = -1;
  if (s.latin1) {
    uint8_t stack[128], *buf = p.length <= sizeof stack ? stack : malloc(p.length);
    if (buf) {
      uint32_t i = 0;
      for (; i < p.length && p.utf16[i] < 256; i++) buf[i] = (uint8_t)p.utf16[i];
      if (i == p.length) r = search_bytes(s.latin1, s.length, buf, p.length, from, 1);
      if (buf != stack) free(buf);
      return r;
    }
  } else {
    uint16_t stack[128], *buf = p.length <= 128 ? stack : malloc((size_t)p.length * 2);
    if (buf) {
      for (uint32_t i = 0; i < p.length; i++) buf[i] = p.latin1[i];
      r = search_bytes(s.utf16, (size_t)s.length * 2, buf, (size_t)p.length * 2, (size_t)from * 2, 2);
      if (buf != stack) free(buf);
      return r;
    }
  }
  /* No memory for the converted pattern: the simple scan needs none. */
  uint32_t last = s.length - p.length;
  uint16_t first = str_chars_at(&p, 0);
  for (uint32_t i = from; i <= last; i++)
    if (str_chars_at(&s, i) == first && match_at(&s, i, &p)) return (int32_t)i;
  return -1;
}

bool str_index_of(Runtime *rt, Value s, Value search, uint32_t from, int32_t *out) {
  if (val_is_exception(str_flatten(rt, s)) || val_is_exception(str_flatten(rt, search))) return false;
  *out = index_of_flat(s, search, from);
  return true;
}

bool str_last_index_of(Runtime *rt, Value sv, Value pv, uint32_t from, int32_t *out) {
  if (val_is_exception(str_flatten(rt, sv)) || val_is_exception(str_flatten(rt, pv))) return false;
  StrChars s = str_chars(sv), p = str_chars(pv);
  *out = -1;
  if (p.length > s.length) return true;
  uint32_t i = s.length - p.length;
  if (from < i) i = from;
  for (;;) {
    if (match_at(&s, i, &p)) {
      *out = (int32_t)i;
      return true;
    }
    if (i == 0) return true;
    i--;
  }
}

/* --- array indices --------------------------------------------------------------- */

/* "0".."4294967294" without leading zeros: exactly the strings that
 * ToString(ToUint32(s)) === s and ToUint32(s) != 2^32-1. */
bool str_chars_array_index(const StrChars *c, uint32_t *index) {
  uint32_t n = c->length;
  if (n == 0 || n > 10) return false;
  uint32_t d = str_chars_at(c, 0);
  if (d < '0' || d > '9' || (d == '0' && n > 1)) return false;
  uint64_t v = d - '0';
  for (uint32_t i = 1; i < n; i++) {
    d = str_chars_at(c, i);
    if (d < '0' || d > '9') return false;
    v = v * 10 + (d - '0');
  }
  if (v > 4294967294u) return false;
  *index = (uint32_t)v;
  return true;
}

bool str_is_array_index(Value s, uint32_t *index) {
  String *p = str_ptr(s);
  if (p->h.flags & STR_FLAG_ATOM) {
    if (!(p->h.flags & STR_FLAG_INDEX)) return false;
    *index = p->extra;
    return true;
  }
  /* Ropes are never shorter than STR_ROPE_MIN_LENGTH > 10, so an index
   * candidate is always flat-readable and this never allocates. */
  if (p->h.aux > 10 || !str_is_flat(s)) return false;
  StrChars c = str_chars(s);
  return str_chars_array_index(&c, index);
}
