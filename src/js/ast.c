/* ast.c: the arena that owns every node and literal of a parse, node-kind
 * names, and the --print-ast tree printer. */
#include "js/ast.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "js/scope.h"
#include "js/token.h"

struct JsArenaChunk {
  JsArenaChunk *next;
  size_t size;
  max_align_t data[];
};

#define ARENA_CHUNK (64 * 1024)

void js_arena_init(JsArena *a) { memset(a, 0, sizeof *a); }

void js_arena_free(JsArena *a) {
  JsArenaChunk *c = a->chunks;
  while (c) {
    JsArenaChunk *next = c->next;
    free(c);
    c = next;
  }
  memset(a, 0, sizeof *a);
}

void *js_arena_alloc(JsArena *a, size_t size) {
  size = (size + 7) & ~(size_t)7;
  if ((size_t)(a->end - a->cur) < size) {
    size_t want = size > ARENA_CHUNK / 4 ? size : ARENA_CHUNK;
    JsArenaChunk *c = malloc(sizeof *c + want);
    if (!c) return NULL;
    c->size = want;
    if (size > ARENA_CHUNK / 4 && a->chunks) {
      /* Big blocks get their own chunk behind the current one, so the
       * current chunk's free space is not wasted. */
      c->next = a->chunks->next;
      a->chunks->next = c;
      a->total += want;
      memset(c->data, 0, size);
      return c->data;
    }
    c->next = a->chunks;
    a->chunks = c;
    a->cur = (char *)c->data;
    a->end = a->cur + want;
    a->total += want;
  }
  void *p = a->cur;
  a->cur += size;
  memset(p, 0, size);
  return p;
}

char *js_arena_strdup(JsArena *a, const char *s, size_t len) {
  char *d = js_arena_alloc(a, len + 1);
  if (!d) return NULL;
  memcpy(d, s, len);
  d[len] = 0;
  return d;
}

static const char *const node_names[N_COUNT] = {
#define JS_NODE_NAME(name, doc) #name,
    JS_NODE_LIST(JS_NODE_NAME)
#undef JS_NODE_NAME
};

const char *js_node_kind_name(JsNodeKind kind) {
  return (unsigned)kind < N_COUNT ? node_names[kind] : "?";
}

/* ---- printer ------------------------------------------------------------------ */

static void print_utf16(FILE *out, const uint16_t *s, uint32_t n) {
  fputc('"', out);
  for (uint32_t i = 0; i < n; i++) {
    uint32_t c = s[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
      i++;
    }
    if (c == '"' || c == '\\') fprintf(out, "\\%c", (char)c);
    else if (c == '\n') fputs("\\n", out);
    else if (c == '\r') fputs("\\r", out);
    else if (c == '\t') fputs("\\t", out);
    else if (c < 0x20 || c == 0x7F || (c >= 0xD800 && c <= 0xDFFF)) fprintf(out, "\\u%04X", c);
    else if (c < 0x80) fputc((int)c, out);
    else if (c < 0x800) fputc((int)(0xC0 | (c >> 6)), out), fputc((int)(0x80 | (c & 0x3F)), out);
    else if (c < 0x10000)
      fputc((int)(0xE0 | (c >> 12)), out), fputc((int)(0x80 | ((c >> 6) & 0x3F)), out),
          fputc((int)(0x80 | (c & 0x3F)), out);
    else
      fputc((int)(0xF0 | (c >> 18)), out), fputc((int)(0x80 | ((c >> 12) & 0x3F)), out),
          fputc((int)(0x80 | ((c >> 6) & 0x3F)), out), fputc((int)(0x80 | (c & 0x3F)), out);
  }
  fputc('"', out);
}

static void print_number(FILE *out, double d) {
  if (isnan(d)) fputs("NaN", out);
  else if (isinf(d)) fputs(d > 0 ? "Infinity" : "-Infinity", out);
  else if (d == floor(d) && fabs(d) < 1e21) fprintf(out, "%.0f", d);
  else {
    /* Shortest representation that round-trips. */
    char buf[40];
    for (int prec = 1; prec <= 17; prec++) {
      snprintf(buf, sizeof buf, "%.*g", prec, d);
      if (strtod(buf, NULL) == d) break;
    }
    fputs(buf, out);
  }
}

static const char *const prop_kinds[] = {"init", "method", "get", "set", "field", "spread"};

static void print_flags(FILE *out, const JsNode *n) {
  static const struct {
    uint32_t bit;
    const char *name;
  } names[] = {{NF_PARENS, "parens"},     {NF_COMPUTED, "computed"},   {NF_SHORTHAND, "shorthand"},
               {NF_STATIC, "static"},     {NF_OPTIONAL, "optional"},   {NF_PREFIX, "prefix"},
               {NF_DELEGATE, "delegate"}, {NF_AWAIT, "await"},         {NF_DIRECTIVE, "directive"},
               {NF_MODULE, "module"},     {NF_STRICT, "strict"},       {NF_ASYNC, "async"},
               {NF_GENERATOR, "generator"}, {NF_EXPR_BODY, "expression-body"},
               {NF_METHOD, "method"},     {NF_CTOR, "constructor"},    {NF_DERIVED, "derived"},
               {NF_ANNEXB, "annex-b"},    {NF_DIRECT_EVAL, "direct-eval"}};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (n->flags & names[i].bit) fprintf(out, " %s", names[i].name);
}

/* Deeper levels are elided: left-leaning chains (a + b + ...) can be far
 * deeper than the parser's nesting limit, and nobody reads such output. */
#define PRINT_MAX_DEPTH 1000

static void print_node(FILE *out, const JsNode *n, int depth, const char *label) {
  for (int i = 0; i < depth; i++) fputs("  ", out);
  if (depth >= PRINT_MAX_DEPTH) {
    fputs("... (deeper levels not shown)\n", out);
    return;
  }
  if (label) fprintf(out, "%s: ", label);
  if (!n) {
    fputs("null\n", out);
    return;
  }
  fputs(js_node_kind_name((JsNodeKind)n->kind), out);
  switch (n->kind) {
  case N_VarDecl: fprintf(out, " %s", n->op == 0 ? "let" : js_token_name((JsTokenKind)n->op)); break;
  case N_Unary:
  case N_Update:
  case N_Binary:
  case N_Logical:
  case N_Assign: fprintf(out, " %s", js_token_name((JsTokenKind)n->op)); break;
  case N_Property:
  case N_ClassMember: fprintf(out, " %s", prop_kinds[n->op < 6 ? n->op : 0]); break;
  case N_Number: fputc(' ', out), print_number(out, n->num); break;
  case N_String: fputc(' ', out), print_utf16(out, n->str, n->str_len); break;
  case N_TemplateElement:
    if (n->str) fputc(' ', out), print_utf16(out, n->str, n->str_len);
    else fputs(" (invalid escape)", out);
    fprintf(out, " raw=`%.*s`", (int)n->name_len, n->name);
    break;
  case N_RegExp: fprintf(out, " /%.*s/%s", (int)n->name_len, n->name, n->str8 ? n->str8 : ""); break;
  case N_BigInt: fprintf(out, " %.*sn", (int)n->name_len, n->name); break;
  case N_PrivateName: fprintf(out, " #%.*s", (int)n->name_len, n->name); break;
  default:
    if (n->name) fprintf(out, " %.*s", (int)n->name_len, n->name);
    break;
  }
  print_flags(out, n);
  fprintf(out, " @%u:%u", n->line, n->col);
  if (n->kind == N_Ident && n->ref.kind != REF_UNRESOLVED) {
    fputs(" [", out);
    js_scope_print_ref(out, &n->ref);
    fputc(']', out);
  }
  if (n->fn) js_scope_print_func(out, n->fn);
  fputc('\n', out);
  if (n->kind == N_Member && !(n->flags & NF_COMPUTED)) {
    print_node(out, n->a, depth + 1, NULL);
    for (int i = 0; i <= depth; i++) fputs("  ", out);
    if (n->b->kind == N_PrivateName) fprintf(out, "property: #%.*s\n", (int)n->b->name_len, n->b->name);
    else fprintf(out, "property: %.*s\n", (int)n->b->name_len, n->b->name);
    return;
  }
  if (n->kind == N_FuncDecl || n->kind == N_Function || n->kind == N_Arrow) {
    /* Name, parameters, then the body: the order they appear in the source. */
    if (n->a) print_node(out, n->a, depth + 1, NULL);
    for (const JsNode *k = n->list; k; k = k->next) print_node(out, k, depth + 1, "param");
    if (n->b) print_node(out, n->b, depth + 1, NULL);
    return;
  }
  /* Statements whose children are easy to confuse get labels. */
  const char *la = NULL, *lb = NULL, *lc = NULL, *ld = NULL;
  switch (n->kind) {
  case N_If: la = "test", lb = "then", lc = "else"; break;
  case N_Conditional: la = "test", lb = "then", lc = "else"; break;
  case N_For: la = "init", lb = "test", lc = "update", ld = "body"; break;
  case N_ForIn:
  case N_ForOf: la = "left", lb = "right", ld = "body"; break;
  case N_While:
  case N_DoWhile: la = "test", ld = "body"; break;
  case N_Try: la = "block", lb = "param", lc = "catch", ld = "finally"; break;
  case N_Class:
  case N_ClassDecl: lb = "extends"; break;
  default: break;
  }
  if (n->a) print_node(out, n->a, depth + 1, la);
  if (n->b) print_node(out, n->b, depth + 1, lb);
  if (n->c) print_node(out, n->c, depth + 1, lc);
  if (n->d) print_node(out, n->d, depth + 1, ld);
  for (const JsNode *k = n->list; k; k = k->next) print_node(out, k, depth + 1, NULL);
}

void js_ast_print(FILE *out, const JsNode *root) { print_node(out, root, 0, NULL); }
