/* json.c: a recursive-descent JSON reader for wast2json's command files.
 * Everything a document needs is carved out of an arena freed in one go, so
 * the runner never tracks individual nodes. */
#include "json.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Chunk {
  struct Chunk *next;
  size_t used, size;
  max_align_t data[];
} Chunk;

struct JsonDoc {
  Chunk *chunks;
  JsonNode *root;
};

typedef struct Parser {
  JsonDoc *doc;
  const char *start, *p, *end;
  char *err;
  size_t err_size;
  bool failed;
  int depth;
} Parser;

#define MAX_DEPTH 256

static void *arena_alloc(Parser *ps, size_t n) {
  n = (n + 15) & ~(size_t)15;
  Chunk *c = ps->doc->chunks;
  if (!c || c->size - c->used < n) {
    size_t size = n > (1 << 20) ? n : (1 << 20);
    c = malloc(sizeof(Chunk) + size);
    if (!c) {
      if (!ps->failed) snprintf(ps->err, ps->err_size, "out of memory");
      ps->failed = true;
      return NULL;
    }
    c->used = 0;
    c->size = size;
    c->next = ps->doc->chunks;
    ps->doc->chunks = c;
  }
  void *r = (char *)c->data + c->used;
  c->used += n;
  return r;
}

static void *fail(Parser *ps, const char *what) {
  if (!ps->failed)
    snprintf(ps->err, ps->err_size, "JSON syntax error at byte %zu: %s",
             (size_t)(ps->p - ps->start), what);
  ps->failed = true;
  return NULL;
}

static void skip_ws(Parser *ps) {
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
    ps->p++;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static bool read_hex4(Parser *ps, uint32_t *out) {
  if (ps->end - ps->p < 4) return false;
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) {
    int d = hex_digit(ps->p[i]);
    if (d < 0) return false;
    v = v * 16 + (uint32_t)d;
  }
  ps->p += 4;
  *out = v;
  return true;
}

static size_t put_utf8(char *out, uint32_t cp) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Parses a string literal (the opening quote is next). Decoded text is never
 * longer than its escaped form, so the source length bounds the buffer. */
static char *parse_string(Parser *ps, size_t *len_out) {
  ps->p++;
  const char *start = ps->p;
  while (ps->p < ps->end && *ps->p != '"') ps->p += (*ps->p == '\\' && ps->p + 1 < ps->end) ? 2 : 1;
  if (ps->p >= ps->end) return fail(ps, "unterminated string");
  size_t raw = (size_t)(ps->p - start);
  ps->p = start;
  char *out = arena_alloc(ps, raw + 1);
  if (!out) return NULL;
  size_t n = 0;
  while (*ps->p != '"') {
    char c = *ps->p++;
    if (c != '\\') {
      out[n++] = c;
      continue;
    }
    char e = *ps->p++;
    switch (e) {
    case '"': out[n++] = '"'; break;
    case '\\': out[n++] = '\\'; break;
    case '/': out[n++] = '/'; break;
    case 'b': out[n++] = '\b'; break;
    case 'f': out[n++] = '\f'; break;
    case 'n': out[n++] = '\n'; break;
    case 'r': out[n++] = '\r'; break;
    case 't': out[n++] = '\t'; break;
    case 'u': {
      uint32_t cp;
      if (!read_hex4(ps, &cp)) return fail(ps, "bad \\u escape");
      if (cp >= 0xD800 && cp < 0xDC00 && ps->end - ps->p >= 6 && ps->p[0] == '\\' &&
          ps->p[1] == 'u') {
        const char *save = ps->p;
        uint32_t lo;
        ps->p += 2;
        if (read_hex4(ps, &lo) && lo >= 0xDC00 && lo < 0xE000)
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        else
          ps->p = save;
      }
      n += put_utf8(out + n, cp);
      break;
    }
    default: return fail(ps, "bad escape");
    }
  }
  ps->p++; /* closing quote */
  out[n] = '\0';
  *len_out = n;
  return out;
}

static JsonNode *parse_value(Parser *ps);

/* Collects children in a temporary growable array, then copies them into the
 * arena once their number is known. */
static JsonNode *parse_container(Parser *ps, bool object) {
  JsonNode *node = arena_alloc(ps, sizeof *node);
  if (!node) return NULL;
  memset(node, 0, sizeof *node);
  node->type = object ? JSON_OBJECT : JSON_ARRAY;
  char close = object ? '}' : ']';
  ps->p++;
  size_t cap = 0, count = 0;
  JsonNode **items = NULL;
  char **keys = NULL;
  skip_ws(ps);
  if (ps->p < ps->end && *ps->p == close) {
    ps->p++;
    return node;
  }
  for (;;) {
    char *key = NULL;
    if (object) {
      skip_ws(ps);
      size_t klen;
      if (ps->p >= ps->end || *ps->p != '"' || !(key = parse_string(ps, &klen))) {
        fail(ps, "expected a key");
        break;
      }
      skip_ws(ps);
      if (ps->p >= ps->end || *ps->p != ':') {
        fail(ps, "expected ':'");
        break;
      }
      ps->p++;
    }
    JsonNode *child = parse_value(ps);
    if (!child) break;
    if (count == cap) {
      cap = cap ? cap * 2 : 8;
      JsonNode **ni = realloc(items, cap * sizeof *ni);
      char **nk = ni ? realloc(keys, cap * sizeof *nk) : NULL;
      if (ni) items = ni;
      if (nk) keys = nk;
      if (!ni || !nk) {
        fail(ps, "out of memory");
        break;
      }
    }
    items[count] = child;
    keys[count] = key;
    count++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ',') {
      ps->p++;
      continue;
    }
    if (ps->p < ps->end && *ps->p == close) {
      ps->p++;
      node->count = count;
      node->items = arena_alloc(ps, count * sizeof *items);
      node->keys = object ? arena_alloc(ps, count * sizeof *keys) : NULL;
      if (node->items) memcpy(node->items, items, count * sizeof *items);
      if (node->keys) memcpy(node->keys, keys, count * sizeof *keys);
      free(items);
      free(keys);
      return ps->failed ? NULL : node;
    }
    fail(ps, object ? "expected ',' or '}'" : "expected ',' or ']'");
    break;
  }
  free(items);
  free(keys);
  return NULL;
}

static bool match_word(Parser *ps, const char *w) {
  size_t n = strlen(w);
  if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, w, n) != 0) return false;
  ps->p += n;
  return true;
}

static JsonNode *parse_value(Parser *ps) {
  if (++ps->depth > MAX_DEPTH) return fail(ps, "nested too deeply");
  skip_ws(ps);
  if (ps->p >= ps->end) return fail(ps, "unexpected end");
  JsonNode *node = NULL;
  char c = *ps->p;
  if (c == '{' || c == '[') {
    node = parse_container(ps, c == '{');
  } else {
    node = arena_alloc(ps, sizeof *node);
    if (!node) return NULL;
    memset(node, 0, sizeof *node);
    if (c == '"') {
      node->type = JSON_STRING;
      node->str = parse_string(ps, &node->len);
      if (!node->str) node = NULL;
    } else if (match_word(ps, "true")) {
      node->type = JSON_BOOL;
      node->boolean = true;
    } else if (match_word(ps, "false")) {
      node->type = JSON_BOOL;
    } else if (match_word(ps, "null")) {
      node->type = JSON_NULL;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      char buf[64];
      size_t n = 0;
      while (ps->p < ps->end && n < sizeof buf - 1 && strchr("+-0123456789.eE", *ps->p))
        buf[n++] = *ps->p++;
      buf[n] = '\0';
      char *endp;
      node->type = JSON_NUMBER;
      node->number = strtod(buf, &endp);
      if (*endp) node = fail(ps, "bad number");
    } else {
      node = fail(ps, "unexpected character");
    }
  }
  ps->depth--;
  return node;
}

JsonDoc *json_parse(const char *text, size_t len, char *err, size_t err_size) {
  JsonDoc *doc = calloc(1, sizeof *doc);
  if (!doc) {
    snprintf(err, err_size, "out of memory");
    return NULL;
  }
  Parser ps = {doc, text, text, text + len, err, err_size, false, 0};
  doc->root = parse_value(&ps);
  if (doc->root) {
    skip_ws(&ps);
    if (ps.p != ps.end) fail(&ps, "trailing characters");
  }
  if (ps.failed || !doc->root) {
    json_free(doc);
    return NULL;
  }
  return doc;
}

JsonNode *json_root(JsonDoc *doc) { return doc->root; }

void json_free(JsonDoc *doc) {
  if (!doc) return;
  for (Chunk *c = doc->chunks, *next; c; c = next) {
    next = c->next;
    free(c);
  }
  free(doc);
}

JsonNode *json_get(const JsonNode *obj, const char *key) {
  if (!obj || obj->type != JSON_OBJECT) return NULL;
  for (size_t i = 0; i < obj->count; i++)
    if (strcmp(obj->keys[i], key) == 0) return obj->items[i];
  return NULL;
}

const char *json_get_str(const JsonNode *obj, const char *key) {
  JsonNode *n = json_get(obj, key);
  return n && n->type == JSON_STRING ? n->str : NULL;
}
