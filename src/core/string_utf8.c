/* string_utf8.c: conversion between strings and UTF-8. Decoding validates
 * and replaces each maximal ill-formed subsequence with U+FFFD (the WHATWG
 * rule); encoding writes lone surrogates as U+FFFD. */
#include <stdlib.h>
#include <string.h>

#include "core/string.h"

/* Decodes the code point at p (p < end); ill-formed input yields U+FFFD and
 * consumes the maximal subpart, so decoding always makes progress. */
static inline uint32_t utf8_next(const uint8_t *p, const uint8_t *end, size_t *adv) {
  uint8_t b0 = p[0];
  if (b0 < 0x80) {
    *adv = 1;
    return b0;
  }
  uint32_t cp;
  int need;
  uint8_t lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0; /* overlong */
    if (b0 == 0xED) hi = 0x9F; /* surrogates */
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90; /* overlong */
    if (b0 == 0xF4) hi = 0x8F; /* above U+10FFFF */
  } else {
    *adv = 1;
    return 0xFFFD;
  }
  size_t i = 1;
  for (; need > 0; need--, i++) {
    if (p + i >= end || p[i] < lo || p[i] > hi) {
      *adv = i;
      return 0xFFFD;
    }
    lo = 0x80;
    hi = 0xBF;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  *adv = i;
  return cp;
}

uint32_t str_utf8_decode(const uint8_t **p, const uint8_t *end) {
  size_t adv;
  uint32_t cp = utf8_next(*p, end, &adv);
  *p += adv;
  return cp;
}

Value str_from_utf8(Runtime *rt, const char *text, size_t len) {
  const uint8_t *p = (const uint8_t *)text, *end = p + len;
  size_t ascii = 0;
  while (ascii < len && p[ascii] < 0x80) ascii++;
  if (ascii == len) return str_from_latin1(rt, p, len);

  /* First pass: the length in UTF-16 units and whether Latin-1 suffices. */
  size_t units = ascii;
  uint32_t max = 0;
  for (const uint8_t *q = p + ascii; q < end;) {
    size_t adv;
    uint32_t cp = utf8_next(q, end, &adv);
    q += adv;
    units += cp >= 0x10000 ? 2 : 1;
    if (cp > max) max = cp;
  }
  if (units > STR_MAX_LENGTH) return rt_throw(rt, ERR_RangeError, "Invalid string length");
  bool latin1 = max < 256;
  if (units == 1) {
    size_t adv;
    return str_from_char(rt, (uint16_t)utf8_next(p, end, &adv));
  }
  Value s = str_alloc_flat(rt, (uint32_t)units, latin1);
  if (val_is_exception(s)) return s;
  if (latin1) {
    uint8_t *d = str_flat_latin1(s);
    memcpy(d, p, ascii);
    d += ascii;
    for (const uint8_t *q = p + ascii; q < end;) {
      size_t adv;
      *d++ = (uint8_t)utf8_next(q, end, &adv);
      q += adv;
    }
  } else {
    uint16_t *d = str_flat_utf16(s);
    for (size_t i = 0; i < ascii; i++) *d++ = p[i];
    for (const uint8_t *q = p + ascii; q < end;) {
      size_t adv;
      uint32_t cp = utf8_next(q, end, &adv);
      q += adv;
      if (cp >= 0x10000) {
        cp -= 0x10000;
        *d++ = (uint16_t)(0xD800 + (cp >> 10));
        *d++ = (uint16_t)(0xDC00 + (cp & 0x3FF));
      } else {
        *d++ = (uint16_t)cp;
      }
    }
  }
  return s;
}

Value str_from_cstr(Runtime *rt, const char *text) { return str_from_utf8(rt, text, strlen(text)); }

/* The code point at unit i of c (pairs combined, lone surrogates -> U+FFFD),
 * advancing *i past it. */
static uint32_t next_scalar(const StrChars *c, uint32_t *i) {
  uint32_t u = str_chars_at(c, (*i)++);
  if ((u & 0xF800) != 0xD800) return u;
  if (u <= 0xDBFF && *i < c->length) {
    uint32_t t = str_chars_at(c, *i);
    if ((t & 0xFC00) == 0xDC00) {
      (*i)++;
      return 0x10000 + ((u - 0xD800) << 10) + (t - 0xDC00);
    }
  }
  return 0xFFFD;
}

static size_t utf8_width(uint32_t cp) { return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4; }

static char *put_utf8(char *d, uint32_t cp) {
  if (cp < 0x80) {
    *d++ = (char)cp;
  } else if (cp < 0x800) {
    *d++ = (char)(0xC0 | (cp >> 6));
    *d++ = (char)(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *d++ = (char)(0xE0 | (cp >> 12));
    *d++ = (char)(0x80 | ((cp >> 6) & 0x3F));
    *d++ = (char)(0x80 | (cp & 0x3F));
  } else {
    *d++ = (char)(0xF0 | (cp >> 18));
    *d++ = (char)(0x80 | ((cp >> 12) & 0x3F));
    *d++ = (char)(0x80 | ((cp >> 6) & 0x3F));
    *d++ = (char)(0x80 | (cp & 0x3F));
  }
  return d;
}

static size_t utf8_length(const StrChars *c) {
  size_t n = 0;
  if (c->latin1) {
    for (uint32_t i = 0; i < c->length; i++) n += c->latin1[i] < 0x80 ? 1 : 2;
    return n;
  }
  for (uint32_t i = 0; i < c->length;) n += utf8_width(next_scalar(c, &i));
  return n;
}

char *str_to_utf8(Runtime *rt, Value s, size_t *len_out) {
  if (val_is_exception(str_flatten(rt, s))) return NULL;
  StrChars c = str_chars(s);
  size_t n = utf8_length(&c);
  char *buf = malloc(n + 1);
  if (!buf) {
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  char *d = buf;
  for (uint32_t i = 0; i < c.length;) d = put_utf8(d, next_scalar(&c, &i));
  *d = '\0';
  if (len_out) *len_out = n;
  return buf;
}

size_t str_to_utf8_buf(Runtime *rt, Value s, char *buf, size_t cap) {
  if (val_is_exception(str_flatten(rt, s))) return SIZE_MAX;
  StrChars c = str_chars(s);
  size_t total = 0;
  char *d = buf;
  bool full = cap == 0;
  for (uint32_t i = 0; i < c.length;) {
    uint32_t cp = next_scalar(&c, &i);
    size_t w = utf8_width(cp);
    if (!full && total + w < cap)
      d = put_utf8(d, cp);
    else
      full = true;
    total += w;
  }
  if (cap) *d = '\0';
  return total;
}
