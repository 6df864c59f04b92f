/* string.h: JavaScript strings, heap cells of GC_KIND_STRING. A string is a
 * sequence of UTF-16 code units stored flat as Latin-1 or UTF-16, as a rope
 * (lazy concatenation) or as a slice of a flat parent. See docs/strings.md. */
#ifndef TANDEM_CORE_STRING_H
#define TANDEM_CORE_STRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/runtime.h"
#include "core/value.h"
#include "gc/gc.h"

/* Longest string in code units; longer results throw RangeError. Keeps every
 * length and index inside int32 and a UTF-16 cell under 2 GiB. */
#define STR_MAX_LENGTH ((1u << 30) - 32)

/* Below these lengths concatenation copies and substring copies; at or above
 * them they make a rope or a slice. Short strings stay compact and flat. */
#define STR_ROPE_MIN_LENGTH 13
#define STR_SLICE_MIN_LENGTH 13

/* Representation, in the low bits of h.flags. */
enum {
  STR_REP_FLAT = 0,  /* characters inline after the String header */
  STR_REP_ROPE = 1,  /* StrRope: left + right, flattened on first character access */
  STR_REP_SLICE = 2, /* StrSlice: a window on a flat parent (also a flattened rope) */
  STR_REP_MASK = 3,
};

/* Other h.flags bits. */
enum {
  STR_FLAG_LATIN1 = 1 << 2, /* one byte per code unit (for ropes and slices: all parts are) */
  STR_FLAG_ATOM = 1 << 3,   /* interned: the atom table's one copy of this text */
  STR_FLAG_HASHED = 1 << 4, /* `hash` holds str_hash's value */
  STR_FLAG_INDEX = 1 << 5,  /* flat and a canonical array index, whose value is in `extra` */
};

/* Common header of every string cell. h.aux is the length in code units. */
typedef struct String {
  GCHeader h;
  uint32_t hash;  /* valid when STR_FLAG_HASHED */
  uint32_t extra; /* slice: start in the parent; flat with STR_FLAG_INDEX: the index */
} String;

typedef struct StrRope {
  String s;
  Value left, right;
} StrRope;

typedef struct StrSlice {
  String s;
  Value parent; /* always a flat string (a slice of a slice points at the root) */
} StrSlice;

/* Reading a flat-readable string's characters: exactly one of latin1/utf16
 * is non-NULL. Valid until the next allocation only if nothing holds the
 * string; the string Value itself keeps the storage alive. */
typedef struct StrChars {
  const uint8_t *latin1;
  const uint16_t *utf16;
  uint32_t length;
} StrChars;

/* Installs the GC trace callbacks of strings and symbols (idempotent). */
void core_init_gc_kinds(void);

static inline bool str_is_string(Value v) {
  return val_is_ptr(v) && ((GCHeader *)val_to_ptr(v))->kind == GC_KIND_STRING;
}
static inline String *str_ptr(Value v) { return (String *)val_to_ptr(v); }
static inline uint32_t str_length(Value s) { return str_ptr(s)->h.aux; }
static inline unsigned str_rep(Value s) { return str_ptr(s)->h.flags & STR_REP_MASK; }
static inline bool str_is_latin1(Value s) { return (str_ptr(s)->h.flags & STR_FLAG_LATIN1) != 0; }
static inline bool str_is_atom(Value s) { return (str_ptr(s)->h.flags & STR_FLAG_ATOM) != 0; }
/* Characters can be read without flattening (flat or slice). */
static inline bool str_is_flat(Value s) { return str_rep(s) != STR_REP_ROPE; }

/* Creation. All return VAL_EXCEPTION with an error pending on failure (out
 * of memory, or RangeError past STR_MAX_LENGTH). */
/* Validating: each maximal ill-formed subsequence becomes U+FFFD (as the
 * WHATWG decoder does); the result is Latin-1 when every code point < 256. */
Value str_from_utf8(Runtime *rt, const char *text, size_t len);
Value str_from_cstr(Runtime *rt, const char *text);
/* Decodes one code point from UTF-8 at *p (*p < end) and advances *p; each
 * maximal ill-formed subsequence yields U+FFFD. */
uint32_t str_utf8_decode(const uint8_t **p, const uint8_t *end);
Value str_from_latin1(Runtime *rt, const uint8_t *chars, size_t len);
/* Picks Latin-1 storage when every unit is < 256. */
Value str_from_utf16(Runtime *rt, const uint16_t *units, size_t len);
/* The string of one UTF-16 code unit; Latin-1 ones are shared per runtime. */
Value str_from_char(Runtime *rt, uint16_t unit);
/* Decimal text of an integer. */
Value str_from_int(Runtime *rt, int32_t n);
Value str_from_uint32(Runtime *rt, uint32_t n);
/* The runtime's empty string. */
Value str_empty(Runtime *rt);

/* Allocates an uninitialised flat string for the caller to fill (builders,
 * case mapping). The caller writes exactly `len` units before the next
 * allocation and must not store the string anywhere before that. */
Value str_alloc_flat(Runtime *rt, uint32_t len, bool latin1);
static inline uint8_t *str_flat_latin1(Value s) { return (uint8_t *)(str_ptr(s) + 1); }
static inline uint16_t *str_flat_utf16(Value s) { return (uint16_t *)(str_ptr(s) + 1); }

/* Makes the string flat-readable (a rope becomes a slice of a new flat copy,
 * iteratively, whatever its depth). Returns s or VAL_EXCEPTION. */
Value str_flatten(Runtime *rt, Value s);
/* Characters of a flat-readable string (see str_is_flat). */
StrChars str_chars(Value s);

/* Code unit at i (i < length), or -1 with an exception pending (flattening
 * a rope can run out of memory). */
int32_t str_char_at(Runtime *rt, Value s, uint32_t i);
/* Code point starting at i: a surrogate pair combines, a lone surrogate is
 * itself. -1 with an exception pending on failure. */
int32_t str_code_point_at(Runtime *rt, Value s, uint32_t i);
/* Code unit of a flat-readable string; never fails. */
static inline uint16_t str_chars_at(const StrChars *c, uint32_t i) {
  return c->latin1 ? c->latin1[i] : c->utf16[i];
}

/* Concatenation: small results are copied, large ones become ropes. */
Value str_concat(Runtime *rt, Value a, Value b);
/* Units [start, end) (clamped by the caller: start <= end <= length). Large
 * results share the parent's storage. */
Value str_substring(Runtime *rt, Value s, uint32_t start, uint32_t end);

/* Comparisons. They may need to flatten ropes, so they can fail: they return
 * false with an exception pending, else true and the answer in *out. */
bool str_equals(Runtime *rt, Value a, Value b, bool *out);
/* *out < 0, 0, > 0 in code-unit order (JS's < on strings). */
bool str_compare(Runtime *rt, Value a, Value b, int *out);
bool str_hash(Runtime *rt, Value s, uint32_t *out);
/* The same for flat-readable strings only; they never fail. */
bool str_equals_flat(Value a, Value b);
int str_compare_flat(Value a, Value b);
uint32_t str_hash_flat(Value s);
/* The hash str_hash gives a string of these units (for lookups by text). */
uint32_t str_hash_latin1(const uint8_t *chars, size_t len);
uint32_t str_hash_utf16(const uint16_t *units, size_t len);

/* First index >= from where `search` occurs in s (*out = -1 if none). */
bool str_index_of(Runtime *rt, Value s, Value search, uint32_t from, int32_t *out);
/* Last index <= from where `search` occurs in s (*out = -1 if none). */
bool str_last_index_of(Runtime *rt, Value s, Value search, uint32_t from, int32_t *out);

/* UTF-8 text of s, NUL-terminated, in a malloc'd buffer (free() it); lone
 * surrogates become U+FFFD. NULL with an exception pending on failure. */
char *str_to_utf8(Runtime *rt, Value s, size_t *len_out);
/* Writes at most cap-1 bytes and a NUL (never splitting a character) into
 * buf; returns the full UTF-8 length, or SIZE_MAX with an exception pending. */
size_t str_to_utf8_buf(Runtime *rt, Value s, char *buf, size_t cap);

/* If s is a canonical array index ("0".."4294967294"), stores it. Never
 * allocates (index candidates are short, hence never ropes). */
bool str_is_array_index(Value s, uint32_t *index);
bool str_chars_array_index(const StrChars *c, uint32_t *index);

/* Unicode operations through ICU. `locale` is a BCP 47 / ICU locale id
 * ("tr", "lt", ...) or NULL for the root locale. Full special casing:
 * "ß" upper-cases to "SS". */
Value str_to_upper(Runtime *rt, Value s, const char *locale);
Value str_to_lower(Runtime *rt, Value s, const char *locale);

/* Builds a string piece by piece in a malloc'd buffer that stays Latin-1
 * until the first unit >= 256 arrives. Appends return false with an
 * exception pending (out of memory, or RangeError past STR_MAX_LENGTH); the
 * builder must still be released with finish or free. */
typedef struct StrBuilder {
  Runtime *rt;
  void *buf;         /* uint8_t[] while Latin-1, else uint16_t[] */
  uint32_t length;   /* units written */
  uint32_t capacity; /* units */
  bool wide;
} StrBuilder;

void str_builder_init(StrBuilder *b, Runtime *rt);
bool str_builder_append_char(StrBuilder *b, uint16_t unit);
/* A code point (> 0xFFFF becomes a surrogate pair). */
bool str_builder_append_code_point(StrBuilder *b, uint32_t cp);
bool str_builder_append_latin1(StrBuilder *b, const uint8_t *chars, size_t len);
bool str_builder_append_utf16(StrBuilder *b, const uint16_t *units, size_t len);
/* Validating like str_from_utf8. */
bool str_builder_append_utf8(StrBuilder *b, const char *text, size_t len);
bool str_builder_append_cstr(StrBuilder *b, const char *text);
bool str_builder_append_string(StrBuilder *b, Value s);
bool str_builder_append_substring(StrBuilder *b, Value s, uint32_t start, uint32_t end);
/* The built string (compact: Latin-1 when possible); releases the buffer.
 * VAL_EXCEPTION on failure. */
Value str_builder_finish(StrBuilder *b);
void str_builder_free(StrBuilder *b);

typedef enum StrNormForm { STR_NFC, STR_NFD, STR_NFKC, STR_NFKD } StrNormForm;
Value str_normalize(Runtime *rt, Value s, StrNormForm form);

#endif
