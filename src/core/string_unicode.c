/* string_unicode.c: string operations that need Unicode data, through ICU:
 * full case mapping (special casing, locale tailoring) and normalization.
 * ICU stays behind these functions; nothing else includes its headers. */
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "core/string.h"

/* The string's units as UTF-16 for ICU: the flat storage itself when it is
 * UTF-16, else a widened malloc'd copy (*owned set). NULL when out of memory. */
static const UChar *as_uchars(Runtime *rt, Value s, UChar **owned) {
  StrChars c = str_chars(s);
  *owned = NULL;
  if (c.utf16) return (const UChar *)c.utf16;
  UChar *buf = malloc(((size_t)c.length + 1) * sizeof *buf);
  if (!buf) {
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  for (uint32_t i = 0; i < c.length; i++) buf[i] = c.latin1[i];
  *owned = buf;
  return buf;
}

typedef int32_t (*CaseFn)(UChar *dest, int32_t cap, const UChar *src, int32_t len, const char *locale,
                          UErrorCode *err);

static Value ascii_case(Runtime *rt, Value s, bool upper) {
  StrChars c = str_chars(s);
  uint32_t first = 0;
  for (; first < c.length; first++) {
    uint8_t ch = c.latin1[first];
    if (upper ? (ch >= 'a' && ch <= 'z') : (ch >= 'A' && ch <= 'Z')) break;
  }
  if (first == c.length) return s; /* already in the target case: share it */
  Value r = str_alloc_flat(rt, c.length, true);
  if (val_is_exception(r)) return r;
  c = str_chars(s);
  uint8_t *d = str_flat_latin1(r);
  for (uint32_t i = 0; i < c.length; i++) {
    uint8_t ch = c.latin1[i];
    if (upper && ch >= 'a' && ch <= 'z') ch -= 32;
    if (!upper && ch >= 'A' && ch <= 'Z') ch += 32;
    d[i] = ch;
  }
  return r;
}

static bool is_ascii(const StrChars *c) {
  if (!c->latin1) return false;
  uint8_t acc = 0;
  for (uint32_t i = 0; i < c->length; i++) acc |= c->latin1[i];
  return acc < 0x80;
}

static Value map_case(Runtime *rt, Value s, const char *locale, bool upper) {
  if (val_is_exception(str_flatten(rt, s))) return VAL_EXCEPTION;
  StrChars c = str_chars(s);
  if (c.length == 0) return s;
  /* ASCII maps the same in every locale except Turkic/Lithuanian 'i' rules. */
  bool plain_locale = !locale || !*locale ||
                      !(strncmp(locale, "tr", 2) == 0 || strncmp(locale, "az", 2) == 0 ||
                        strncmp(locale, "lt", 2) == 0);
  if (plain_locale && is_ascii(&c)) return ascii_case(rt, s, upper);

  UChar *owned;
  const UChar *src = as_uchars(rt, s, &owned);
  if (!src) return VAL_EXCEPTION;
  CaseFn fn = upper ? u_strToUpper : u_strToLower;
  /* Full case mapping grows a string by at most 3x (e.g. U+0390 -> 3 units). */
  size_t cap = (size_t)c.length * 3 + 1;
  if (cap > INT32_MAX) cap = INT32_MAX;
  UChar *dst = malloc(cap * sizeof *dst);
  if (!dst) {
    free(owned);
    return rt_throw_out_of_memory(rt);
  }
  UErrorCode err = U_ZERO_ERROR;
  int32_t n = fn(dst, (int32_t)cap, src, (int32_t)c.length, locale ? locale : "", &err);
  if (err == U_BUFFER_OVERFLOW_ERROR && n > 0) {
    free(dst);
    dst = malloc(((size_t)n + 1) * sizeof *dst);
    if (!dst) {
      free(owned);
      return rt_throw_out_of_memory(rt);
    }
    err = U_ZERO_ERROR;
    n = fn(dst, n + 1, src, (int32_t)c.length, locale ? locale : "", &err);
  }
  free(owned);
  Value r;
  if (U_FAILURE(err))
    r = rt_throw(rt, ERR_InternalError, "case mapping failed: %s", u_errorName(err));
  else
    r = str_from_utf16(rt, (const uint16_t *)dst, (size_t)n);
  free(dst);
  return r;
}

Value str_to_upper(Runtime *rt, Value s, const char *locale) { return map_case(rt, s, locale, true); }
Value str_to_lower(Runtime *rt, Value s, const char *locale) { return map_case(rt, s, locale, false); }

static const UNormalizer2 *normalizer(StrNormForm form, UErrorCode *err) {
  switch (form) {
  case STR_NFD: return unorm2_getNFDInstance(err);
  case STR_NFKC: return unorm2_getNFKCInstance(err);
  case STR_NFKD: return unorm2_getNFKDInstance(err);
  default: return unorm2_getNFCInstance(err);
  }
}

Value str_normalize(Runtime *rt, Value s, StrNormForm form) {
  if (val_is_exception(str_flatten(rt, s))) return VAL_EXCEPTION;
  StrChars c = str_chars(s);
  /* ASCII is invariant under every normalization form. */
  if (c.length == 0 || is_ascii(&c)) return s;
  UErrorCode err = U_ZERO_ERROR;
  const UNormalizer2 *norm = normalizer(form, &err);
  if (U_FAILURE(err)) return rt_throw(rt, ERR_InternalError, "normalizer unavailable: %s", u_errorName(err));
  UChar *owned;
  const UChar *src = as_uchars(rt, s, &owned);
  if (!src) return VAL_EXCEPTION;
  if (unorm2_isNormalized(norm, src, (int32_t)c.length, &err) && U_SUCCESS(err)) {
    free(owned);
    return s;
  }
  err = U_ZERO_ERROR;
  int32_t n = unorm2_normalize(norm, src, (int32_t)c.length, NULL, 0, &err);
  if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err)) {
    free(owned);
    return rt_throw(rt, ERR_InternalError, "normalization failed: %s", u_errorName(err));
  }
  UChar *dst = malloc(((size_t)n + 1) * sizeof *dst);
  if (!dst) {
    free(owned);
    return rt_throw_out_of_memory(rt);
  }
  err = U_ZERO_ERROR;
  n = unorm2_normalize(norm, src, (int32_t)c.length, dst, n + 1, &err);
  free(owned);
  Value r;
  if (U_FAILURE(err))
    r = rt_throw(rt, ERR_InternalError, "normalization failed: %s", u_errorName(err));
  else
    r = str_from_utf16(rt, (const uint16_t *)dst, (size_t)n);
  free(dst);
  return r;
}
