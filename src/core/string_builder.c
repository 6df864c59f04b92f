/* string_builder.c: StrBuilder, for code that produces a string in pieces
 * (join, JSON, templates, replace). The buffer lives outside the heap and
 * starts one byte per unit, widening to UTF-16 on the first unit >= 256. */
#include <stdlib.h>
#include <string.h>

#include "core/string.h"

void str_builder_init(StrBuilder *b, Runtime *rt) {
  b->rt = rt;
  b->buf = NULL;
  b->length = b->capacity = 0;
  b->wide = false;
}

void str_builder_free(StrBuilder *b) {
  free(b->buf);
  b->buf = NULL;
  b->length = b->capacity = 0;
}

/* Room for `more` units, growing geometrically. */
static bool reserve(StrBuilder *b, size_t more) {
  if (more <= (size_t)b->capacity - b->length) return true;
  if (more > (size_t)STR_MAX_LENGTH - b->length) {
    rt_throw(b->rt, ERR_RangeError, "Invalid string length");
    return false;
  }
  size_t need = (size_t)b->length + more;
  size_t cap = b->capacity ? (size_t)b->capacity * 2 : 32;
  if (cap < need) cap = need;
  if (cap > STR_MAX_LENGTH) cap = STR_MAX_LENGTH;
  void *nb = realloc(b->buf, cap * (b->wide ? 2 : 1));
  if (!nb) {
    rt_throw_out_of_memory(b->rt);
    return false;
  }
  b->buf = nb;
  b->capacity = (uint32_t)cap;
  return true;
}

static bool widen(StrBuilder *b) {
  uint16_t *w = malloc(((size_t)b->capacity ? b->capacity : 32) * 2);
  if (!w) {
    rt_throw_out_of_memory(b->rt);
    return false;
  }
  const uint8_t *n = b->buf;
  for (uint32_t i = 0; i < b->length; i++) w[i] = n[i];
  free(b->buf);
  b->buf = w;
  if (!b->capacity) b->capacity = 32;
  b->wide = true;
  return true;
}

bool str_builder_append_latin1(StrBuilder *b, const uint8_t *chars, size_t len) {
  if (!reserve(b, len)) return false;
  if (b->wide) {
    uint16_t *d = (uint16_t *)b->buf + b->length;
    for (size_t i = 0; i < len; i++) d[i] = chars[i];
  } else if (len) {
    memcpy((uint8_t *)b->buf + b->length, chars, len);
  }
  b->length += (uint32_t)len;
  return true;
}

bool str_builder_append_utf16(StrBuilder *b, const uint16_t *units, size_t len) {
  if (!b->wide) {
    uint16_t acc = 0;
    for (size_t i = 0; i < len; i++) acc |= units[i];
    if (acc >= 256 && !widen(b)) return false;
  }
  if (!reserve(b, len)) return false;
  if (b->wide) {
    if (len) memcpy((uint16_t *)b->buf + b->length, units, len * 2);
  } else {
    uint8_t *d = (uint8_t *)b->buf + b->length;
    for (size_t i = 0; i < len; i++) d[i] = (uint8_t)units[i];
  }
  b->length += (uint32_t)len;
  return true;
}

bool str_builder_append_char(StrBuilder *b, uint16_t unit) { return str_builder_append_utf16(b, &unit, 1); }

bool str_builder_append_code_point(StrBuilder *b, uint32_t cp) {
  if (cp < 0x10000) return str_builder_append_char(b, (uint16_t)cp);
  cp -= 0x10000;
  uint16_t pair[2] = {(uint16_t)(0xD800 + (cp >> 10)), (uint16_t)(0xDC00 + (cp & 0x3FF))};
  return str_builder_append_utf16(b, pair, 2);
}

bool str_builder_append_utf8(StrBuilder *b, const char *text, size_t len) {
  const uint8_t *p = (const uint8_t *)text, *end = p + len;
  while (p < end) {
    const uint8_t *run = p;
    while (p < end && *p < 0x80) p++;
    if (p > run && !str_builder_append_latin1(b, run, (size_t)(p - run))) return false;
    if (p < end && !str_builder_append_code_point(b, str_utf8_decode(&p, end))) return false;
  }
  return true;
}

bool str_builder_append_cstr(StrBuilder *b, const char *text) {
  return str_builder_append_utf8(b, text, strlen(text));
}

bool str_builder_append_substring(StrBuilder *b, Value s, uint32_t start, uint32_t end) {
  if (end > str_length(s)) end = str_length(s);
  if (start >= end) return true;
  if (val_is_exception(str_flatten(b->rt, s))) return false;
  StrChars c = str_chars(s);
  if (c.latin1) return str_builder_append_latin1(b, c.latin1 + start, end - start);
  return str_builder_append_utf16(b, c.utf16 + start, end - start);
}

bool str_builder_append_string(StrBuilder *b, Value s) {
  return str_builder_append_substring(b, s, 0, str_length(s));
}

Value str_builder_finish(StrBuilder *b) {
  Value r = b->wide ? str_from_utf16(b->rt, b->buf, b->length) : str_from_latin1(b->rt, b->buf, b->length);
  str_builder_free(b);
  return r;
}
