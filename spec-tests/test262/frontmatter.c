/* frontmatter.c: a reader for the YAML subset test262 uses in its metadata
 * block: top-level `key: value`, inline lists `[a, b]` (also across lines),
 * block lists `- a`, the nested `negative:` map (block or `{...}` form), and
 * block scalars (`|`, `>`) and continued plain scalars, which are skipped. */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <string.h>

#include "t262.h"

static const char *const flag_names[] = {
#define T262_FLAG_NAME(id, name) name,
    T262_FLAG_LIST(T262_FLAG_NAME)
#undef T262_FLAG_NAME
};

const char *t262_flag_name(unsigned flag_bit) {
  return flag_bit < sizeof flag_names / sizeof flag_names[0] ? flag_names[flag_bit] : "?";
}

typedef struct Reader {
  T262Meta *meta;
  char *err;
  size_t err_size;
  bool failed;
} Reader;

static bool fail(Reader *r, const char *what, const char *s, size_t n) {
  if (!r->failed) snprintf(r->err, r->err_size, "frontmatter: %s '%.*s'", what, (int)n, s);
  r->failed = true;
  return false;
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

static void trim(const char **s, const char **e) {
  while (*s < *e && is_space(**s)) (*s)++;
  while (*e > *s && is_space((*e)[-1])) (*e)--;
  /* Quoted scalars: drop the quotes (test262 never escapes inside them). */
  if (*e - *s >= 2 && (**s == '"' || **s == '\'') && (*e)[-1] == **s) {
    (*s)++;
    (*e)--;
  }
}

static const char *store(Reader *r, const char *s, size_t n) {
  T262Meta *m = r->meta;
  if (m->storage_used + n + 1 > sizeof m->storage) {
    fail(r, "too much metadata at", s, n);
    return NULL;
  }
  char *p = m->storage + m->storage_used;
  memcpy(p, s, n);
  p[n] = '\0';
  m->storage_used += n + 1;
  return p;
}

typedef enum Key { KEY_OTHER, KEY_INCLUDES, KEY_FLAGS, KEY_FEATURES, KEY_NEGATIVE } Key;

static void add_item(Reader *r, Key key, const char *s, const char *e) {
  trim(&s, &e);
  if (s == e) return;
  size_t n = (size_t)(e - s);
  if (key == KEY_FLAGS) {
    for (unsigned i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++) {
      if (strlen(flag_names[i]) == n && memcmp(flag_names[i], s, n) == 0) {
        r->meta->flags |= 1u << i;
        return;
      }
    }
    fail(r, "unknown flag", s, n);
    return;
  }
  const char **list = key == KEY_INCLUDES ? r->meta->includes : r->meta->features;
  int *count = key == KEY_INCLUDES ? &r->meta->n_includes : &r->meta->n_features;
  if (*count >= T262_MAX_LIST) {
    fail(r, "too many list items at", s, n);
    return;
  }
  const char *p = store(r, s, n);
  if (p) list[(*count)++] = p;
}

/* "a, b, c" (the inside of [...]). */
static void add_inline_list(Reader *r, Key key, const char *s, const char *e) {
  while (s < e) {
    const char *comma = memchr(s, ',', (size_t)(e - s));
    const char *end = comma ? comma : e;
    add_item(r, key, s, end);
    s = comma ? comma + 1 : e;
  }
}

/* One `phase: parse` / `type: SyntaxError` pair of the negative map. */
static void negative_field(Reader *r, const char *s, const char *e) {
  trim(&s, &e);
  if (s == e) return;
  const char *colon = memchr(s, ':', (size_t)(e - s));
  if (!colon) {
    fail(r, "expected key: value in negative, got", s, (size_t)(e - s));
    return;
  }
  const char *ks = s, *ke = colon, *vs = colon + 1, *ve = e;
  trim(&ks, &ke);
  trim(&vs, &ve);
  size_t kn = (size_t)(ke - ks), vn = (size_t)(ve - vs);
  T262Meta *m = r->meta;
  if (kn == 5 && memcmp(ks, "phase", 5) == 0) {
    if (vn == 5 && memcmp(vs, "parse", 5) == 0)
      m->negative_phase = T262_PHASE_PARSE;
    else if (vn == 10 && memcmp(vs, "resolution", 10) == 0)
      m->negative_phase = T262_PHASE_RESOLUTION;
    else if (vn == 7 && memcmp(vs, "runtime", 7) == 0)
      m->negative_phase = T262_PHASE_RUNTIME;
    else
      fail(r, "unknown negative phase", vs, vn);
  } else if (kn == 4 && memcmp(ks, "type", 4) == 0) {
    if (vn == 0 || vn >= sizeof m->negative_type) {
      fail(r, "bad negative type", vs, vn);
      return;
    }
    memcpy(m->negative_type, vs, vn);
    m->negative_type[vn] = '\0';
  }
  /* Other keys of the map are ignored. */
}

bool t262_parse_frontmatter(const char *src, size_t len, T262Meta *meta, char *err,
                            size_t err_size) {
  memset(meta, 0, sizeof *meta);
  if (err_size) err[0] = '\0';
  const char *start = memmem(src, len, "/*---", 5);
  if (!start) return true;
  start += 5;
  const char *end = memmem(start, len - (size_t)(start - src), "---*/", 5);
  Reader r = {meta, err, err_size, false};
  if (!end) return fail(&r, "unterminated metadata block after", "/*---", 5);
  meta->has_frontmatter = true;

  Key block_key = KEY_OTHER; /* the key whose indented continuation we are in */
  bool in_inline_list = false;
  const char *p = start;
  while (p < end && !r.failed) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *line_end = nl ? nl : end;
    const char *s = p, *e = line_end;
    p = nl ? nl + 1 : end;

    if (in_inline_list) {
      const char *close = memchr(s, ']', (size_t)(e - s));
      add_inline_list(&r, block_key, s, close ? close : e);
      if (close) in_inline_list = false;
      continue;
    }
    const char *t = s;
    while (t < e && is_space(*t)) t++;
    if (t == e || *t == '#') continue; /* blank or comment */

    if (t > s) {
      /* Indented: belongs to the last top-level key. */
      if (block_key == KEY_NEGATIVE) {
        negative_field(&r, t, e);
      } else if (block_key != KEY_OTHER && *t == '-' && (t + 1 == e || is_space(t[1]))) {
        add_item(&r, block_key, t + 1, e);
      }
      /* Continuation of a description/info scalar: skipped. */
      continue;
    }
    /* A top-level key. */
    const char *colon = memchr(s, ':', (size_t)(e - s));
    if (!colon) {
      /* A plain scalar's continuation is indented; column 0 text without a
       * colon is malformed. */
      return fail(&r, "expected key: value, got", s, (size_t)(e - s));
    }
    size_t kn = (size_t)(colon - s);
    block_key = KEY_OTHER;
    if (kn == 8 && memcmp(s, "includes", 8) == 0)
      block_key = KEY_INCLUDES;
    else if (kn == 5 && memcmp(s, "flags", 5) == 0)
      block_key = KEY_FLAGS;
    else if (kn == 8 && memcmp(s, "features", 8) == 0)
      block_key = KEY_FEATURES;
    else if (kn == 8 && memcmp(s, "negative", 8) == 0)
      block_key = KEY_NEGATIVE;
    if (block_key == KEY_OTHER) continue;

    const char *vs = colon + 1, *ve = e;
    while (vs < ve && is_space(*vs)) vs++;
    while (ve > vs && is_space(ve[-1])) ve--;
    if (vs == ve) continue; /* the value follows as a block */
    if (block_key == KEY_NEGATIVE) {
      if (*vs != '{' || ve[-1] != '}') return fail(&r, "bad negative value", vs, (size_t)(ve - vs));
      /* {phase: parse, type: SyntaxError} */
      const char *q = vs + 1, *qe = ve - 1;
      while (q < qe) {
        const char *comma = memchr(q, ',', (size_t)(qe - q));
        negative_field(&r, q, comma ? comma : qe);
        q = comma ? comma + 1 : qe;
      }
      block_key = KEY_OTHER;
      continue;
    }
    if (*vs == '[') {
      const char *close = memchr(vs, ']', (size_t)(ve - vs));
      add_inline_list(&r, block_key, vs + 1, close ? close : ve);
      if (!close) in_inline_list = true;
      continue;
    }
    /* A single scalar item: `flags: raw`. */
    add_item(&r, block_key, vs, ve);
  }
  if (r.failed) return false;
  if (in_inline_list) return fail(&r, "unterminated list for", "[", 1);
  if (meta->negative_phase != T262_PHASE_NONE && meta->negative_type[0] == '\0')
    return fail(&r, "negative without type", "", 0);
  if (meta->negative_phase == T262_PHASE_NONE && meta->negative_type[0] != '\0')
    return fail(&r, "negative without phase, type", meta->negative_type,
                strlen(meta->negative_type));
  return true;
}

const char *t262_variant_name(T262Variant v) {
  static const char *const names[T262_VAR_COUNT] = {"sloppy", "strict", "module", "raw"};
  return (unsigned)v < T262_VAR_COUNT ? names[v] : "?";
}

unsigned t262_variants_of(const T262Meta *meta) {
  /* A module is never modified, so `raw` only drops its harness. */
  if (meta->flags & T262_F_MODULE) return 1u << T262_VAR_MODULE;
  if (meta->flags & T262_F_RAW) return 1u << T262_VAR_RAW;
  if (meta->flags & T262_F_ONLY_STRICT) return 1u << T262_VAR_STRICT;
  if (meta->flags & T262_F_NO_STRICT) return 1u << T262_VAR_SLOPPY;
  return (1u << T262_VAR_SLOPPY) | (1u << T262_VAR_STRICT);
}

const char *t262_outcome_name(T262Outcome o) {
  static const char *const names[T262_OUTCOME_COUNT] = {"pass", "fail", "skip", "crash", "timeout"};
  return (unsigned)o < T262_OUTCOME_COUNT ? names[o] : "?";
}
