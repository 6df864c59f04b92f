/* lexer.c: the ECMAScript lexical grammar over UTF-8 source: whitespace and
 * line terminators, comments (incl. Annex B HTML-like comments in scripts),
 * identifiers with ICU's ID_Start/ID_Continue, numbers, strings, templates
 * and regular-expression literals. Values are stored in the parser's arena. */
#include "js/lexer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

static const char *const token_names[TOK_COUNT] = {
#define JS_TOKEN_TEXT(name, text) text,
    JS_TOKEN_LIST(JS_TOKEN_TEXT)
#undef JS_TOKEN_TEXT
};

const char *js_token_name(JsTokenKind kind) {
  return (unsigned)kind < TOK_COUNT ? token_names[kind] : "?";
}

/* ---- Unicode ------------------------------------------------------------- */

bool js_is_id_start(uint32_t c) {
  if (c < 128) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '$' || c == '_';
  return u_hasBinaryProperty((UChar32)c, UCHAR_ID_START);
}

bool js_is_id_part(uint32_t c) {
  if (c < 128)
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '$' ||
           c == '_';
  if (c == 0x200C || c == 0x200D) return true; /* ZWNJ, ZWJ */
  return u_hasBinaryProperty((UChar32)c, UCHAR_ID_CONTINUE);
}

static bool is_space_cp(uint32_t c) {
  if (c == 0x09 || c == 0x0B || c == 0x0C || c == 0x20 || c == 0xA0 || c == 0xFEFF) return true;
  if (c < 128) return false;
  return u_charType((UChar32)c) == U_SPACE_SEPARATOR;
}


int32_t js_utf8_decode(const char *s, uint32_t len, uint32_t *i) {
  const unsigned char *p = (const unsigned char *)s;
  uint32_t k = *i;
  unsigned c = p[k];
  if (c < 0x80) {
    *i = k + 1;
    return (int32_t)c;
  }
  int n;
  uint32_t cp, min;
  if (c >= 0xC2 && c <= 0xDF) n = 1, cp = c & 0x1F, min = 0x80;
  else if (c >= 0xE0 && c <= 0xEF) n = 2, cp = c & 0x0F, min = 0x800;
  else if (c >= 0xF0 && c <= 0xF4) n = 3, cp = c & 0x07, min = 0x10000;
  else return -1;
  if (k + (uint32_t)n >= len) return -1; /* truncated sequence */
  for (int j = 1; j <= n; j++) {
    unsigned d = p[k + (uint32_t)j];
    if ((d & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (d & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF) return -1;
  /* Surrogates encoded in UTF-8 are not valid source text. */
  if (cp >= 0xD800 && cp <= 0xDFFF) return -1;
  *i = k + (uint32_t)n + 1;
  return (int32_t)cp;
}

void js_source_position(const char *src, size_t len, uint32_t offset, uint32_t *line,
                        uint32_t *col) {
  uint32_t ln = 1, c = 1, i = 0;
  if (offset > len) offset = (uint32_t)len;
  while (i < offset) {
    unsigned char ch = (unsigned char)src[i];
    if (ch == '\n') ln++, c = 1, i++;
    else if (ch == '\r') {
      i++;
      if (i < offset && src[i] == '\n') i++;
      ln++, c = 1;
    } else if (ch < 0x80) c++, i++;
    else {
      uint32_t j = i;
      int32_t cp = js_utf8_decode(src, (uint32_t)len, &j);
      if (cp < 0) j = i + 1;
      if (cp == 0x2028 || cp == 0x2029) ln++, c = 1;
      else c++;
      i = j;
    }
  }
  *line = ln;
  *col = c;
}

/* ---- helpers ------------------------------------------------------------- */

void js_lexer_init(JsLexer *L, JsArena *arena, const char *src, size_t len, bool module) {
  memset(L, 0, sizeof *L);
  L->src = src;
  L->len = (uint32_t)len;
  L->line = 1;
  L->module = module;
  L->arena = arena;
}

void js_lexer_free(JsLexer *L) {
  free(L->buf);
  L->buf = NULL;
}

static JsTokenKind fail(JsLexer *L, uint32_t pos, const char *msg) {
  L->error = msg;
  L->error_pos = pos;
  return TOK_ERROR;
}

static bool buf_push(JsLexer *L, uint32_t unit) {
  if (L->buf_len == L->buf_cap) {
    uint32_t cap = L->buf_cap ? L->buf_cap * 2 : 64;
    uint16_t *nb = realloc(L->buf, cap * sizeof *nb);
    if (!nb) return false;
    L->buf = nb;
    L->buf_cap = cap;
  }
  L->buf[L->buf_len++] = (uint16_t)unit;
  return true;
}

static bool buf_push_cp(JsLexer *L, uint32_t cp) {
  if (cp >= 0x10000) {
    cp -= 0x10000;
    return buf_push(L, 0xD800 + (cp >> 10)) && buf_push(L, 0xDC00 + (cp & 0x3FF));
  }
  return buf_push(L, cp);
}

static const uint16_t *buf_finish(JsLexer *L, uint32_t *len) {
  *len = L->buf_len;
  uint16_t *s = js_arena_alloc(L->arena, (L->buf_len ? L->buf_len : 1) * sizeof *s);
  if (s && L->buf_len) memcpy(s, L->buf, L->buf_len * sizeof *s);
  return s;
}

static void newline(JsLexer *L, uint32_t next_pos) {
  L->line++;
  L->line_start = next_pos;
  L->line_extra = 0;
}

/* Reads the code point at L->pos, advancing; tracks columns of non-ASCII text. */
static int32_t read_cp(JsLexer *L) {
  uint32_t i = L->pos;
  int32_t c = js_utf8_decode(L->src, L->len, &i);
  if (c < 0) return -1;
  L->line_extra += i - L->pos - 1;
  L->pos = i;
  return c;
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static int peekc(const JsLexer *L, uint32_t off) {
  return L->pos + off < L->len ? (unsigned char)L->src[L->pos + off] : -1;
}

/* Parses \uXXXX or \u{X...} with L->pos after the 'u'. Returns the code
 * point or -1. */
static int32_t read_unicode_escape(JsLexer *L) {
  if (peekc(L, 0) == '{') {
    L->pos++;
    uint32_t v = 0;
    int digits = 0;
    for (;;) {
      int c = peekc(L, 0);
      if (c == '}') break;
      int h = hexval(c);
      if (h < 0) return -1;
      v = v * 16 + (uint32_t)h;
      if (v > 0x10FFFF) return -1;
      digits++;
      L->pos++;
    }
    if (!digits) return -1;
    L->pos++;
    return (int32_t)v;
  }
  uint32_t v = 0;
  for (int k = 0; k < 4; k++) {
    int h = hexval(peekc(L, 0));
    if (h < 0) return -1;
    v = v * 16 + (uint32_t)h;
    L->pos++;
  }
  return (int32_t)v;
}

/* ---- whitespace and comments ------------------------------------------- */

/* Skips whitespace and comments; sets *nl when a line terminator was seen.
 * Returns false on an error (unterminated comment, bad UTF-8). */
static bool skip_space(JsLexer *L, bool *nl) {
  for (;;) {
    if (L->pos >= L->len) return true;
    unsigned char c = (unsigned char)L->src[L->pos];
    if (c == ' ' || c == '\t' || c == 0x0B || c == 0x0C) {
      L->pos++;
    } else if (c == '\n') {
      L->pos++;
      newline(L, L->pos);
      *nl = true;
    } else if (c == '\r') {
      L->pos++;
      if (L->pos < L->len && L->src[L->pos] == '\n') L->pos++;
      newline(L, L->pos);
      *nl = true;
    } else if (c == '/' && peekc(L, 1) == '/') {
      goto line_comment;
    } else if (c == '/' && peekc(L, 1) == '*') {
      uint32_t start = L->pos;
      L->pos += 2;
      for (;;) {
        if (L->pos >= L->len) {
          fail(L, start, "Unterminated comment");
          return false;
        }
        unsigned char d = (unsigned char)L->src[L->pos];
        if (d == '*' && peekc(L, 1) == '/') {
          L->pos += 2;
          break;
        }
        if (d == '\n' || d == '\r') {
          L->pos++;
          if (d == '\r' && L->pos < L->len && L->src[L->pos] == '\n') L->pos++;
          newline(L, L->pos);
          *nl = true;
        } else if (d < 0x80) {
          L->pos++;
        } else {
          int32_t cp = read_cp(L);
          if (cp < 0) {
            fail(L, L->pos, "Invalid UTF-8 in source");
            return false;
          }
          if (cp == 0x2028 || cp == 0x2029) newline(L, L->pos), *nl = true;
        }
      }
    } else if (c == '<' && !L->module && peekc(L, 1) == '!' && peekc(L, 2) == '-' &&
               peekc(L, 3) == '-') {
      goto line_comment; /* Annex B: <!-- starts a single-line comment */
    } else if (c == '-' && !L->module && (*nl || !L->had_token) &&
               peekc(L, 1) == '-' && peekc(L, 2) == '>') {
      goto line_comment; /* Annex B: --> at the start of a line */
    } else if (c == '#' && L->pos == 0 && peekc(L, 1) == '!') {
      goto line_comment; /* hashbang */
    } else if (c >= 0x80) {
      uint32_t save = L->pos, save_extra = L->line_extra;
      int32_t cp = read_cp(L);
      if (cp < 0) {
        fail(L, L->pos, "Invalid UTF-8 in source");
        return false;
      }
      if (cp == 0x2028 || cp == 0x2029) {
        newline(L, L->pos);
        *nl = true;
      } else if (!is_space_cp((uint32_t)cp)) {
        L->pos = save;
        L->line_extra = save_extra;
        return true;
      }
    } else {
      return true;
    }
    continue;
  line_comment:
    while (L->pos < L->len) {
      unsigned char d = (unsigned char)L->src[L->pos];
      if (d == '\n' || d == '\r') break;
      if (d < 0x80) {
        L->pos++;
        continue;
      }
      uint32_t save = L->pos, save_extra = L->line_extra;
      int32_t cp = read_cp(L);
      if (cp < 0) {
        fail(L, L->pos, "Invalid UTF-8 in source");
        return false;
      }
      if (cp == 0x2028 || cp == 0x2029) {
        L->pos = save;
        L->line_extra = save_extra;
        newline(L, L->pos + 3);
        L->pos += 3;
        *nl = true;
        break;
      }
    }
  }
}

/* ---- identifiers ----------------------------------------------------------- */

typedef struct {
  const char *text;
  uint8_t kind;
} Word;

static const Word keywords[] = {
#define JS_KW_ENTRY(name, text) {text, TOK_##name},
    JS_TOKEN_LIST(JS_KW_ENTRY)
#undef JS_KW_ENTRY
};
static const char *const words[W_COUNT] = {
    NULL,
#define JS_WORD_TEXT(name, text) text,
    JS_WORD_LIST(JS_WORD_TEXT)
#undef JS_WORD_TEXT
};

static void classify_word(JsToken *t, const char *s, uint32_t n, bool escaped) {
  t->word = W_none;
  t->keyword = 0;
  if (n < 2 || n > 12 || s[0] < 'a' || s[0] > 'z') {
    if (n == 9 && memcmp(s, "__proto__", 9) == 0) t->word = W_proto;
    return;
  }
  for (int k = TOK_FIRST_KEYWORD; k <= TOK_LAST_KEYWORD; k++) {
    const char *kw = keywords[k].text;
    if (kw[0] == s[0] && strlen(kw) == n && memcmp(kw, s, n) == 0) {
      if (escaped) t->keyword = (uint8_t)k;
      else t->kind = (JsTokenKind)k;
      return;
    }
  }
  for (int w = 1; w < W_COUNT; w++) {
    const char *ws = words[w];
    if (ws[0] == s[0] && strlen(ws) == n && memcmp(ws, s, n) == 0) {
      t->word = (uint8_t)w;
      return;
    }
  }
}

/* Scans an IdentifierName starting at L->pos (the first char is known to
 * start one, or is a backslash). */
static JsTokenKind lex_ident(JsLexer *L, JsToken *t, bool is_private) {
  uint32_t start = L->pos;
  bool escaped = false;
  /* Fast path: ASCII without escapes points into the source. */
  while (L->pos < L->len) {
    unsigned char c = (unsigned char)L->src[L->pos];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '$' ||
        c == '_')
      L->pos++;
    else break;
  }
  unsigned char c = L->pos < L->len ? (unsigned char)L->src[L->pos] : 0;
  if (c != '\\' && c < 0x80) {
    if (L->pos == start) return fail(L, start, "Invalid or unexpected token");
    t->id = L->src + start;
    t->id_len = L->pos - start;
  } else {
    /* Slow path: build a UTF-8 copy, resolving escapes. */
    size_t cap = 32, n = 0;
    char *out = malloc(cap);
    if (!out) return fail(L, start, "out of memory");
    L->pos = start;
    bool first = true;
    while (L->pos < L->len) {
      uint32_t at = L->pos;
      int32_t cp;
      bool esc = false;
      if (L->src[L->pos] == '\\') {
        if (peekc(L, 1) != 'u') {
          free(out);
          return fail(L, at, "Invalid Unicode escape sequence");
        }
        L->pos += 2;
        cp = read_unicode_escape(L);
        if (cp < 0) {
          free(out);
          return fail(L, at, "Invalid Unicode escape sequence");
        }
        esc = escaped = true;
      } else {
        cp = read_cp(L);
        if (cp < 0) {
          free(out);
          return fail(L, at, "Invalid UTF-8 in source");
        }
      }
      bool ok = first ? js_is_id_start((uint32_t)cp) : js_is_id_part((uint32_t)cp);
      if (!ok) {
        if (esc) {
          free(out);
          return fail(L, at, "Invalid Unicode escape sequence");
        }
        L->pos = at;
        L->line_extra -= (uint32_t)(cp >= 0x80) + (cp >= 0x800) + (cp >= 0x10000);
        break;
      }
      first = false;
      if (n + 4 >= cap) {
        cap *= 2;
        char *no = realloc(out, cap);
        if (!no) {
          free(out);
          return fail(L, at, "out of memory");
        }
        out = no;
      }
      if (cp < 0x80) out[n++] = (char)cp;
      else if (cp < 0x800) out[n++] = (char)(0xC0 | (cp >> 6)), out[n++] = (char)(0x80 | (cp & 0x3F));
      else if (cp < 0x10000)
        out[n++] = (char)(0xE0 | (cp >> 12)), out[n++] = (char)(0x80 | ((cp >> 6) & 0x3F)),
        out[n++] = (char)(0x80 | (cp & 0x3F));
      else
        out[n++] = (char)(0xF0 | (cp >> 18)), out[n++] = (char)(0x80 | ((cp >> 12) & 0x3F)),
        out[n++] = (char)(0x80 | ((cp >> 6) & 0x3F)), out[n++] = (char)(0x80 | (cp & 0x3F));
    }
    if (n == 0) {
      free(out);
      return fail(L, start, "Invalid or unexpected token");
    }
    t->id = js_arena_strdup(L->arena, out, n);
    t->id_len = (uint32_t)n;
    free(out);
    if (!t->id) return fail(L, start, "out of memory");
  }
  t->kind = is_private ? TOK_PRIVATE : TOK_IDENT;
  if (escaped) t->flags |= TF_ESCAPED;
  if (!is_private) classify_word(t, t->id, t->id_len, escaped);
  return t->kind;
}

/* ---- numbers ---------------------------------------------------------------- */

/* Exact value of a power-of-two radix integer, correctly rounded. */
static double radix_value(const char *digits, uint32_t n, int bits) {
  uint64_t m = 0;
  int exp = 0;
  bool sticky = false;
  for (uint32_t i = 0; i < n; i++) {
    int d = hexval(digits[i]);
    if (d < 0) continue; /* '_' */
    if (m >> (64 - bits)) {
      exp += bits;
      /* Keep 64 bits: fold the bits shifted out into sticky. */
      for (int k = bits - 1; k >= 0; k--) {
        if (d & (1 << k)) sticky = true;
      }
    } else {
      m = (m << bits) | (uint64_t)d;
    }
  }
  if (m == 0) return 0;
  /* Round m (up to 64 bits) + sticky to 53 bits, half to even. */
  int lz = __builtin_clzll(m);
  m <<= lz;
  exp -= lz;
  uint64_t keep = m >> 11, rest = m & 0x7FF;
  bool round_up = rest > 0x400 || (rest == 0x400 && (sticky || (keep & 1)));
  if (rest == 0x400 && !sticky && !(keep & 1)) round_up = false;
  if (round_up) keep++;
  return ldexp((double)keep, exp + 11);
}

static bool is_digit_in(int c, int radix) {
  if (c < 0) return false;
  if (radix == 16) return hexval(c) >= 0;
  return c >= '0' && c < '0' + radix;
}

/* Digits with separators: '_' only between two digits. */
static bool scan_digits(JsLexer *L, int radix, bool allow_sep, uint32_t *count) {
  uint32_t n = 0;
  for (;;) {
    int c = peekc(L, 0);
    if (is_digit_in(c, radix)) {
      L->pos++;
      n++;
    } else if (c == '_' && allow_sep) {
      if (n == 0 || !is_digit_in(peekc(L, 1), radix)) {
        fail(L, L->pos, "Numeric separators are only allowed between two digits");
        return false;
      }
      L->pos++;
    } else break;
  }
  *count = n;
  return true;
}

static JsTokenKind lex_number(JsLexer *L, JsToken *t) {
  uint32_t start = L->pos;
  int c0 = peekc(L, 0), c1 = peekc(L, 1);
  uint32_t n;
  t->kind = TOK_NUMBER;
  if (c0 == '0' && (c1 == 'x' || c1 == 'X' || c1 == 'o' || c1 == 'O' || c1 == 'b' || c1 == 'B')) {
    int radix = (c1 | 32) == 'x' ? 16 : (c1 | 32) == 'o' ? 8 : 2;
    int bits = radix == 16 ? 4 : radix == 8 ? 3 : 1;
    L->pos += 2;
    uint32_t ds = L->pos;
    if (!scan_digits(L, radix, true, &n)) return TOK_ERROR;
    if (n == 0) return fail(L, L->pos, "Invalid or unexpected token");
    if (peekc(L, 0) == 'n') {
      L->pos++;
      t->kind = TOK_BIGINT;
    }
    t->num = radix_value(L->src + ds, (t->kind == TOK_BIGINT ? L->pos - 1 : L->pos) - ds, bits);
  } else if (c0 == '0' && c1 >= '0' && c1 <= '9') {
    /* Legacy octal (017) or non-octal decimal (08, 019): sloppy mode only. */
    t->flags |= TF_LEGACY_OCTAL;
    L->pos++;
    bool octal = true;
    while (peekc(L, 0) >= '0' && peekc(L, 0) <= '9') {
      if (peekc(L, 0) >= '8') octal = false;
      L->pos++;
    }
    if (peekc(L, 0) == '_') return fail(L, L->pos, "Numeric separator can not be used after leading 0");
    if (octal) {
      t->num = radix_value(L->src + start + 1, L->pos - start - 1, 3);
      if (peekc(L, 0) == 'n') return fail(L, L->pos, "Invalid BigInt literal");
    } else {
      goto decimal_rest; /* 08.5 and 09e1 are decimals */
    }
  } else {
    if (c0 != '.') {
      if (c0 == '0' && c1 == '_') return fail(L, L->pos + 1, "Numeric separator can not be used after leading 0");
      if (!scan_digits(L, 10, true, &n)) return TOK_ERROR;
      if (peekc(L, 0) == 'n') {
        L->pos++;
        t->kind = TOK_BIGINT;
        goto done;
      }
    }
  decimal_rest:
    if (peekc(L, 0) == '.') {
      L->pos++;
      if (peekc(L, 0) == '_') return fail(L, L->pos, "Numeric separators are only allowed between two digits");
      if (!scan_digits(L, 10, true, &n)) return TOK_ERROR;
    }
    int e = peekc(L, 0);
    if (e == 'e' || e == 'E') {
      L->pos++;
      if (peekc(L, 0) == '+' || peekc(L, 0) == '-') L->pos++;
      if (!scan_digits(L, 10, true, &n)) return TOK_ERROR;
      if (n == 0) return fail(L, L->pos, "Invalid or unexpected token");
    }
    if (peekc(L, 0) == 'n') return fail(L, L->pos, "Invalid BigInt literal");
    /* strtod on a copy without separators (glibc's strtod rounds correctly). */
    uint32_t len = L->pos - start;
    char small[64];
    char *buf = len < sizeof small ? small : malloc(len + 1);
    if (!buf) return fail(L, start, "out of memory");
    uint32_t k = 0;
    for (uint32_t i = start; i < L->pos; i++)
      if (L->src[i] != '_') buf[k++] = L->src[i];
    buf[k] = 0;
    t->num = strtod(buf, NULL);
    if (buf != small) free(buf);
  }
done:
  /* The source character after a number must not start an identifier or digit. */
  if (L->pos < L->len) {
    uint32_t i = L->pos;
    int32_t cp = js_utf8_decode(L->src, L->len, &i);
    if (cp == '\\' || (cp >= 0 && (js_is_id_start((uint32_t)cp) || (cp >= '0' && cp <= '9'))))
      return fail(L, L->pos, "Invalid or unexpected token");
  }
  if (t->kind == TOK_BIGINT) {
    /* Keep the digits (with radix prefix, without separators and 'n'). */
    uint32_t len = L->pos - 1 - start;
    char *d = js_arena_alloc(L->arena, len + 1);
    if (!d) return fail(L, start, "out of memory");
    uint32_t k = 0;
    for (uint32_t i = start; i < start + len; i++)
      if (L->src[i] != '_') d[k++] = L->src[i];
    t->id = d;
    t->id_len = k;
  }
  return t->kind;
}

/* ---- strings and templates ------------------------------------------------ */

/* Handles the escape after a backslash (L->pos at the char after '\').
 * Returns 0 on success, 1 for a bad escape (message in L->error). Sets
 * *octal when a legacy octal or \8 \9 escape was used. */
static int lex_escape(JsLexer *L, bool template, bool *octal) {
  uint32_t at = L->pos - 1;
  int c = peekc(L, 0);
  if (c < 0) {
    fail(L, at, "Invalid or unexpected token");
    return 1;
  }
  if (c >= 0x80) {
    int32_t cp = read_cp(L);
    if (cp < 0) {
      fail(L, at, "Invalid UTF-8 in source");
      return 1;
    }
    if (cp == 0x2028 || cp == 0x2029) {
      newline(L, L->pos);
      return 0; /* line continuation */
    }
    return buf_push_cp(L, (uint32_t)cp) ? 0 : 1;
  }
  L->pos++;
  uint32_t v;
  switch (c) {
  case 'b': v = 8; break;
  case 'f': v = 12; break;
  case 'n': v = 10; break;
  case 'r': v = 13; break;
  case 't': v = 9; break;
  case 'v': v = 11; break;
  case '\r':
    if (peekc(L, 0) == '\n') L->pos++;
    newline(L, L->pos);
    return 0;
  case '\n':
    newline(L, L->pos);
    return 0;
  case 'x': {
    int h1 = hexval(peekc(L, 0)), h2 = h1 >= 0 ? hexval(peekc(L, 1)) : -1;
    if (h1 < 0 || h2 < 0) {
      fail(L, at, "Invalid hexadecimal escape sequence");
      return 1;
    }
    L->pos += 2;
    v = (uint32_t)(h1 * 16 + h2);
    break;
  }
  case 'u': {
    int32_t cp = read_unicode_escape(L);
    if (cp < 0) {
      fail(L, at, "Invalid Unicode escape sequence");
      return 1;
    }
    /* \uD83D\uDE00 pairs stay as two units, exactly like the source. */
    if (cp >= 0x10000) return buf_push_cp(L, (uint32_t)cp) ? 0 : 1;
    v = (uint32_t)cp;
    break;
  }
  case '0':
    if (!(peekc(L, 0) >= '0' && peekc(L, 0) <= '9')) {
      v = 0;
      break;
    }
    /* \0 followed by a digit is a legacy octal escape */
    __attribute__((fallthrough));
  case '1': case '2': case '3': case '4': case '5': case '6': case '7':
    if (template) {
      fail(L, at, "Octal escape sequences are not allowed in template strings");
      return 1;
    }
    *octal = true;
    v = (uint32_t)(c - '0');
    if (peekc(L, 0) >= '0' && peekc(L, 0) <= '7') {
      v = v * 8 + (uint32_t)(peekc(L, 0) - '0');
      L->pos++;
      if (c <= '3' && peekc(L, 0) >= '0' && peekc(L, 0) <= '7') {
        v = v * 8 + (uint32_t)(peekc(L, 0) - '0');
        L->pos++;
      }
    }
    break;
  case '8': case '9':
    if (template) {
      fail(L, at, "\\8 and \\9 are not allowed in template strings");
      return 1;
    }
    *octal = true;
    v = (uint32_t)c;
    break;
  default: v = (uint32_t)c; break;
  }
  return buf_push(L, v) ? 0 : 1;
}

static JsTokenKind lex_string(JsLexer *L, JsToken *t) {
  uint32_t start = L->pos;
  char q = L->src[L->pos++];
  L->buf_len = 0;
  bool octal = false;
  for (;;) {
    if (L->pos >= L->len) return fail(L, start, "Invalid or unexpected token");
    unsigned char c = (unsigned char)L->src[L->pos];
    if (c == (unsigned char)q) {
      L->pos++;
      break;
    }
    if (c == '\n' || c == '\r') return fail(L, start, "Invalid or unexpected token");
    if (c == '\\') {
      uint32_t at = L->pos;
      L->pos++;
      bool o = false;
      if (lex_escape(L, false, &o)) return TOK_ERROR;
      if (o && !octal) {
        octal = true;
        t->aux = at;
      }
    } else if (c < 0x80) {
      if (!buf_push(L, c)) return fail(L, start, "out of memory");
      L->pos++;
    } else {
      int32_t cp = read_cp(L);
      if (cp < 0) return fail(L, L->pos, "Invalid UTF-8 in source");
      if (!buf_push_cp(L, (uint32_t)cp)) return fail(L, start, "out of memory");
    }
  }
  if (octal) t->flags |= TF_LEGACY_OCTAL;
  t->str = buf_finish(L, &t->str_len);
  if (!t->str) return fail(L, start, "out of memory");
  t->kind = TOK_STRING;
  return TOK_STRING;
}

/* A template chunk from after '`' or '}' up to and including '`' or '${'. */
static JsTokenKind lex_template_chunk(JsLexer *L, JsToken *t) {
  uint32_t start = t->start;
  L->buf_len = 0;
  bool bad = false;
  for (;;) {
    if (L->pos >= L->len) return fail(L, start, "Unterminated template literal");
    unsigned char c = (unsigned char)L->src[L->pos];
    if (c == '`') {
      L->pos++;
      t->flags |= TF_TEMPLATE_TAIL;
      break;
    }
    if (c == '$' && peekc(L, 1) == '{') {
      L->pos += 2;
      break;
    }
    if (c == '\\') {
      uint32_t at = L->pos;
      L->pos++;
      bool o = false;
      if (lex_escape(L, true, &o)) {
        if (L->error && strcmp(L->error, "out of memory") == 0) return TOK_ERROR;
        /* Invalid escapes make the cooked value undefined (tagged) or are an
         * error the parser reports (untagged). Skip one char and go on. */
        if (!bad) {
          bad = true;
          t->aux = at;
          t->id = L->error; /* message kept for the parser */
        }
        L->error = NULL;
      }
    } else if (c == '\r') {
      L->pos++;
      if (peekc(L, 0) == '\n') L->pos++;
      newline(L, L->pos);
      if (!buf_push(L, '\n')) return fail(L, start, "out of memory");
    } else if (c == '\n') {
      L->pos++;
      newline(L, L->pos);
      if (!buf_push(L, '\n')) return fail(L, start, "out of memory");
    } else if (c < 0x80) {
      if (!buf_push(L, c)) return fail(L, start, "out of memory");
      L->pos++;
    } else {
      int32_t cp = read_cp(L);
      if (cp < 0) return fail(L, L->pos, "Invalid UTF-8 in source");
      if (cp == 0x2028 || cp == 0x2029) newline(L, L->pos);
      if (!buf_push_cp(L, (uint32_t)cp)) return fail(L, start, "out of memory");
    }
  }
  t->kind = TOK_TEMPLATE;
  if (bad) {
    t->flags |= TF_BAD_ESCAPE;
    t->str = NULL; /* the cooked value is absent; t->id holds the message */
    t->str_len = 0;
  } else {
    t->str = buf_finish(L, &t->str_len);
    if (!t->str) return fail(L, start, "out of memory");
  }
  return TOK_TEMPLATE;
}

/* ---- punctuators and the main entry ------------------------------------------- */

JsTokenKind js_lexer_next(JsLexer *L, JsToken *t) {
  bool nl = false;
  memset(t, 0, sizeof *t);
  L->error = NULL;
  if (!skip_space(L, &nl)) {
    t->kind = TOK_ERROR;
    t->start = t->end = L->error_pos;
    return TOK_ERROR;
  }
  if (nl) t->flags |= TF_NEWLINE_BEFORE;
  t->start = L->pos;
  t->line = L->line;
  t->col = L->pos - L->line_start - L->line_extra + 1;
  JsTokenKind k;
  if (L->pos >= L->len) {
    k = TOK_EOF;
    goto out;
  }
  unsigned char c = (unsigned char)L->src[L->pos];
  int c1 = peekc(L, 1), c2 = peekc(L, 2);
#define P(n, kind) (L->pos += (n), k = (kind))
  switch (c) {
  case '{': P(1, TOK_LBRACE); break;
  case '}': P(1, TOK_RBRACE); break;
  case '(': P(1, TOK_LPAREN); break;
  case ')': P(1, TOK_RPAREN); break;
  case '[': P(1, TOK_LBRACKET); break;
  case ']': P(1, TOK_RBRACKET); break;
  case ';': P(1, TOK_SEMI); break;
  case ',': P(1, TOK_COMMA); break;
  case ':': P(1, TOK_COLON); break;
  case '~': P(1, TOK_TILDE); break;
  case '.':
    if (c1 >= '0' && c1 <= '9') k = lex_number(L, t);
    else if (c1 == '.' && c2 == '.') P(3, TOK_ELLIPSIS);
    else P(1, TOK_DOT);
    break;
  case '<':
    if (c1 == '<') k = c2 == '=' ? P(3, TOK_SHL_ASSIGN) : P(2, TOK_SHL);
    else if (c1 == '=') P(2, TOK_LE);
    else P(1, TOK_LT);
    break;
  case '>':
    if (c1 == '>') {
      if (c2 == '>') k = peekc(L, 3) == '=' ? P(4, TOK_SHR_ASSIGN) : P(3, TOK_SHR);
      else if (c2 == '=') P(3, TOK_SAR_ASSIGN);
      else P(2, TOK_SAR);
    } else if (c1 == '=') P(2, TOK_GE);
    else P(1, TOK_GT);
    break;
  case '=':
    if (c1 == '=') k = c2 == '=' ? P(3, TOK_SEQ) : P(2, TOK_EQ);
    else if (c1 == '>') P(2, TOK_ARROW);
    else P(1, TOK_ASSIGN);
    break;
  case '!':
    if (c1 == '=') k = c2 == '=' ? P(3, TOK_SNE) : P(2, TOK_NE);
    else P(1, TOK_BANG);
    break;
  case '+':
    if (c1 == '+') P(2, TOK_INC);
    else if (c1 == '=') P(2, TOK_PLUS_ASSIGN);
    else P(1, TOK_PLUS);
    break;
  case '-':
    if (c1 == '-') P(2, TOK_DEC);
    else if (c1 == '=') P(2, TOK_MINUS_ASSIGN);
    else P(1, TOK_MINUS);
    break;
  case '*':
    if (c1 == '*') k = c2 == '=' ? P(3, TOK_STARSTAR_ASSIGN) : P(2, TOK_STARSTAR);
    else if (c1 == '=') P(2, TOK_STAR_ASSIGN);
    else P(1, TOK_STAR);
    break;
  case '/': k = c1 == '=' ? P(2, TOK_SLASH_ASSIGN) : P(1, TOK_SLASH); break;
  case '%': k = c1 == '=' ? P(2, TOK_PERCENT_ASSIGN) : P(1, TOK_PERCENT); break;
  case '&':
    if (c1 == '&') k = c2 == '=' ? P(3, TOK_AND_ASSIGN) : P(2, TOK_AND);
    else if (c1 == '=') P(2, TOK_AMP_ASSIGN);
    else P(1, TOK_AMP);
    break;
  case '|':
    if (c1 == '|') k = c2 == '=' ? P(3, TOK_OR_ASSIGN) : P(2, TOK_OR);
    else if (c1 == '=') P(2, TOK_PIPE_ASSIGN);
    else P(1, TOK_PIPE);
    break;
  case '^': k = c1 == '=' ? P(2, TOK_CARET_ASSIGN) : P(1, TOK_CARET); break;
  case '?':
    if (c1 == '?') k = c2 == '=' ? P(3, TOK_NULLISH_ASSIGN) : P(2, TOK_NULLISH);
    else if (c1 == '.' && !(c2 >= '0' && c2 <= '9')) P(2, TOK_OPTCHAIN);
    else P(1, TOK_QUESTION);
    break;
  case '"':
  case '\'': k = lex_string(L, t); break;
  case '`':
    L->pos++;
    k = lex_template_chunk(L, t);
    break;
  case '#':
    L->pos++;
    if (L->pos < L->len && (L->src[L->pos] == '\\' || (unsigned char)L->src[L->pos] >= 0x80 ||
                            js_is_id_start((unsigned char)L->src[L->pos]))) {
      k = lex_ident(L, t, true);
    } else {
      k = fail(L, t->start, "Invalid or unexpected token");
    }
    break;
  default:
    if (c >= '0' && c <= '9') k = lex_number(L, t);
    else if (c == '\\' || c >= 0x80 || js_is_id_start(c)) k = lex_ident(L, t, false);
    else k = fail(L, L->pos, "Invalid or unexpected token");
    break;
  }
#undef P
out:
  t->kind = k;
  t->end = L->pos;
  L->had_token = true;
  return k;
}

JsTokenKind js_lexer_rescan_regexp(JsLexer *L, JsToken *t) {
  L->pos = t->start + 1;
  bool in_class = false;
  for (;;) {
    if (L->pos >= L->len) return t->kind = fail(L, t->start, "Invalid regular expression: missing /");
    unsigned char c = (unsigned char)L->src[L->pos];
    if (c == '\n' || c == '\r') return t->kind = fail(L, t->start, "Invalid regular expression: missing /");
    if (c >= 0x80) {
      int32_t cp = read_cp(L);
      if (cp < 0) return t->kind = fail(L, L->pos, "Invalid UTF-8 in source");
      if (cp == 0x2028 || cp == 0x2029)
        return t->kind = fail(L, t->start, "Invalid regular expression: missing /");
      continue;
    }
    L->pos++;
    if (c == '\\') {
      if (L->pos >= L->len) continue;
      unsigned char d = (unsigned char)L->src[L->pos];
      if (d == '\n' || d == '\r') return t->kind = fail(L, t->start, "Invalid regular expression: missing /");
      if (d >= 0x80) {
        int32_t cp = read_cp(L);
        if (cp == 0x2028 || cp == 0x2029 || cp < 0)
          return t->kind = fail(L, t->start, "Invalid regular expression: missing /");
      } else {
        L->pos++;
      }
    } else if (c == '[') {
      in_class = true;
    } else if (c == ']') {
      in_class = false;
    } else if (c == '/' && !in_class) {
      break;
    }
  }
  t->aux = L->pos;
  /* Flags: only dgimsuyv, each once, u and v exclusive. */
  unsigned seen = 0;
  while (L->pos < L->len) {
    uint32_t at = L->pos;
    unsigned char c = (unsigned char)L->src[L->pos];
    if (c == '\\') return t->kind = fail(L, at, "Invalid regular expression flags");
    int32_t cp;
    if (c >= 0x80) {
      uint32_t i = L->pos;
      cp = js_utf8_decode(L->src, L->len, &i);
      if (cp < 0 || !js_is_id_part((uint32_t)cp)) break;
      return t->kind = fail(L, at, "Invalid regular expression flags");
    }
    if (!js_is_id_part(c)) break;
    const char *fl = strchr("dgimsuyv", c);
    if (!fl) return t->kind = fail(L, at, "Invalid regular expression flags");
    unsigned bit = 1u << (fl - "dgimsuyv");
    if (seen & bit) return t->kind = fail(L, at, "Invalid regular expression flags");
    seen |= bit;
    L->pos++;
  }
  if ((seen & (1u << 5)) && (seen & (1u << 7)))
    return t->kind = fail(L, t->aux, "Invalid regular expression flags");
  t->kind = TOK_REGEXP;
  t->end = L->pos;
  return TOK_REGEXP;
}

JsTokenKind js_lexer_rescan_template(JsLexer *L, JsToken *t) {
  L->pos = t->start + 1;
  uint8_t keep = t->flags & TF_NEWLINE_BEFORE;
  t->flags = keep;
  JsTokenKind k = lex_template_chunk(L, t);
  t->end = L->pos;
  t->kind = k;
  return k;
}
