/* parser.c: the parser's driver and shared machinery: token stepping,
 * lookahead, errors with positions, nesting-depth guard, identifier rules
 * (reserved words by context), binding names and the reinterpretation of
 * expressions as destructuring patterns (the cover grammars). */
#include "js/parser.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "js/scope.h"

/* A nesting limit below what the native stack can hold, so that every later
 * recursive pass over the tree (scope analysis, compiler) is safe too. */
#define MAX_NESTING 3000

bool jsp_error(JsParser *p, uint32_t pos, const char *fmt, ...) {
  if (p->failed) return false;
  p->failed = true;
  p->err_kind = ERR_SyntaxError;
  p->err_pos = pos;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->msg, sizeof p->msg, fmt, ap);
  va_end(ap);
  return false;
}

bool jsp_unexpected(JsParser *p) {
  const JsToken *t = &p->tok;
  switch (t->kind) {
  case TOK_EOF: return jsp_error(p, t->start, "Unexpected end of input");
  case TOK_ERROR: return false;
  case TOK_NUMBER:
  case TOK_BIGINT: return jsp_error(p, t->start, "Unexpected number");
  case TOK_STRING: return jsp_error(p, t->start, "Unexpected string");
  case TOK_TEMPLATE: return jsp_error(p, t->start, "Unexpected template string");
  case TOK_IDENT:
    if (t->flags & TF_ESCAPED && t->keyword)
      return jsp_error(p, t->start, "Keyword must not contain escaped characters");
    return jsp_error(p, t->start, "Unexpected identifier '%.*s'", (int)t->id_len, t->id);
  case TOK_PRIVATE:
    return jsp_error(p, t->start, "Unexpected identifier '#%.*s'", (int)t->id_len, t->id);
  default:
    return jsp_error(p, t->start, "Unexpected token '%s'", js_token_name(t->kind));
  }
}

bool jsp_next(JsParser *p) {
  p->prev_end = p->tok.end;
  if (js_lexer_next(&p->lex, &p->tok) == TOK_ERROR)
    return jsp_error(p, p->lex.error_pos, "%s", p->lex.error ? p->lex.error : "Invalid token");
  return true;
}

bool jsp_peek(JsParser *p, JsToken *out) {
  JsLexer save = p->lex;
  JsTokenKind k = js_lexer_next(&p->lex, out);
  /* Keep the scratch buffer (it may have grown) but restore the position. */
  uint16_t *buf = p->lex.buf;
  uint32_t cap = p->lex.buf_cap;
  p->lex = save;
  p->lex.buf = buf;
  p->lex.buf_cap = cap;
  return k != TOK_ERROR;
}

bool jsp_expect(JsParser *p, JsTokenKind k) {
  if (p->tok.kind != k) return jsp_unexpected(p);
  return jsp_next(p);
}

/* Automatic semicolon insertion (ECMA-262 12.10). */
bool jsp_semicolon(JsParser *p) {
  if (p->tok.kind == TOK_SEMI) return jsp_next(p);
  if (p->tok.kind == TOK_RBRACE || p->tok.kind == TOK_EOF || (p->tok.flags & TF_NEWLINE_BEFORE))
    return true;
  return jsp_unexpected(p);
}

bool jsp_enter(JsParser *p) {
  if (p->failed) return false;
  if (++p->depth > MAX_NESTING || (p->rt && rt_stack_exhausted(p->rt))) {
    jsp_error(p, p->tok.start, "Too much nesting (maximum depth is %d)", MAX_NESTING);
    p->err_kind = ERR_RangeError;
    p->depth--;
    return false;
  }
  return true;
}

JsNode *jsp_node(JsParser *p, JsNodeKind kind, const JsToken *at) {
  JsNode *n = js_arena_alloc(p->arena, sizeof *n);
  if (!n) {
    jsp_error(p, at->start, "out of memory");
    p->err_kind = ERR_InternalError;
    return NULL;
  }
  n->kind = (uint8_t)kind;
  n->start = at->start;
  n->end = at->end;
  n->line = at->line;
  n->col = at->col;
  return n;
}

JsNode *jsp_node_at(JsParser *p, JsNodeKind kind, const JsNode *at) {
  JsNode *n = js_arena_alloc(p->arena, sizeof *n);
  if (!n) {
    jsp_error(p, at->start, "out of memory");
    p->err_kind = ERR_InternalError;
    return NULL;
  }
  n->kind = (uint8_t)kind;
  n->start = at->start;
  n->end = at->end;
  n->line = at->line;
  n->col = at->col;
  return n;
}

void jsp_list_append(JsNode *parent, JsNode **tail, JsNode *child) {
  if (*tail) (*tail)->next = child;
  else parent->list = child;
  *tail = child;
  parent->count++;
}

bool jsp_is_word(const JsParser *p, JsWord w) {
  return p->tok.kind == TOK_IDENT && p->tok.word == w && !(p->tok.flags & TF_ESCAPED);
}

JsNode *jsp_ident_node(JsParser *p, const JsToken *t) {
  JsNode *n = jsp_node(p, N_Ident, t);
  if (!n) return NULL;
  n->name = js_arena_strdup(p->arena, t->id, t->id_len);
  n->name_len = t->id_len;
  if (!n->name) return jsp_error(p, t->start, "out of memory"), NULL;
  return n;
}

static bool is_strict_reserved(uint8_t w) {
  return w == W_implements || w == W_interface || w == W_let || w == W_package ||
         w == W_private || w == W_protected || w == W_public || w == W_static || w == W_yield;
}

static bool in_class_init(const JsParser *p) {
  for (const JsFuncCtx *f = p->fc; f; f = f->parent) {
    if (f->class_init) return true;
    if (!f->is_arrow) return false;
  }
  return false;
}

bool jsp_check_ident(JsParser *p, const JsToken *t, bool binding) {
  if (t->kind != TOK_IDENT) return jsp_unexpected(p);
  JsFuncCtx *fc = p->fc;
  if (t->keyword) return jsp_error(p, t->start, "Keyword must not contain escaped characters");
  uint8_t w = t->word;
  if (w == W_none) return true;
  if (fc->strict && is_strict_reserved(w))
    return jsp_error(p, t->start, "Unexpected strict mode reserved word");
  if (w == W_yield) {
    if (fc->is_generator || (fc->in_params && fc->is_generator))
      return jsp_error(p, t->start, "Unexpected identifier 'yield'");
  } else if (w == W_await) {
    if (p->module) return jsp_error(p, t->start, "Unexpected reserved word");
    /* Arrow bodies and field initializers take [Await] from their context. */
    bool crossed_arrow = false;
    for (const JsFuncCtx *f = fc; f; f = f->parent) {
      if (f->is_async || (f->static_block && !crossed_arrow))
        return jsp_error(p, t->start, "Unexpected reserved word");
      if (!f->is_arrow && !f->class_init) break;
      if (f->is_arrow) crossed_arrow = true;
    }
    if (!p->await_ident_pos) p->await_ident_pos = t->start + 1;
  } else if (w == W_arguments) {
    if (in_class_init(p))
      return jsp_error(p, t->start, "'arguments' is not allowed in class field initializer or static initialization block");
    if (binding && fc->strict) return jsp_error(p, t->start, "Unexpected eval or arguments in strict mode");
  } else if (w == W_eval) {
    if (binding && fc->strict) return jsp_error(p, t->start, "Unexpected eval or arguments in strict mode");
  }
  return true;
}

/* Re-checks a binding name once strictness is known (function names and
 * parameters before a "use strict" directive in the body). */
bool jsp_check_binding_name(JsParser *p, const JsNode *id, bool strict) {
  if (!strict) return true;
  const char *s = id->name;
  uint32_t n = id->name_len;
#define IS(lit) (n == sizeof(lit) - 1 && memcmp(s, lit, n) == 0)
  if (IS("eval") || IS("arguments"))
    return jsp_error(p, id->start, "Unexpected eval or arguments in strict mode");
  if (IS("implements") || IS("interface") || IS("let") || IS("package") || IS("private") ||
      IS("protected") || IS("public") || IS("static") || IS("yield"))
    return jsp_error(p, id->start, "Unexpected strict mode reserved word");
#undef IS
  return true;
}

JsNode *jsp_binding_ident(JsParser *p) {
  if (p->tok.kind != TOK_IDENT) {
    jsp_unexpected(p);
    return NULL;
  }
  if (!jsp_check_ident(p, &p->tok, true)) return NULL;
  JsNode *id = jsp_ident_node(p, &p->tok);
  if (!id || !jsp_next(p)) return NULL;
  return id;
}

static JsNode *binding_pattern(JsParser *p);

JsNode *jsp_binding_target(JsParser *p) {
  if (p->tok.kind == TOK_LBRACKET || p->tok.kind == TOK_LBRACE) return binding_pattern(p);
  return jsp_binding_ident(p);
}

JsNode *jsp_binding_element(JsParser *p) {
  JsToken start = p->tok;
  JsNode *target = jsp_binding_target(p);
  if (!target) return NULL;
  if (p->tok.kind != TOK_ASSIGN) return target;
  if (!jsp_next(p)) return NULL;
  JsNode *n = jsp_node(p, N_AssignPattern, &start);
  if (!n) return NULL;
  n->a = target;
  n->b = jsp_assign(p, true, false);
  if (!n->b) return NULL;
  jsp_finish(p, n);
  return n;
}

/* Binding patterns are parsed directly (declarations, parameters, catch). */
static JsNode *binding_pattern(JsParser *p) {
  if (!jsp_enter(p)) return NULL;
  JsNode *n = NULL, *tail = NULL;
  JsToken start = p->tok;
  if (p->tok.kind == TOK_LBRACKET) {
    n = jsp_node(p, N_ArrayPattern, &start);
    if (!n || !jsp_next(p)) goto out;
    while (p->tok.kind != TOK_RBRACKET) {
      JsNode *el;
      if (p->tok.kind == TOK_COMMA) {
        el = jsp_node(p, N_Elision, &p->tok);
        if (!el) goto fail;
      } else if (p->tok.kind == TOK_ELLIPSIS) {
        el = jsp_node(p, N_Rest, &p->tok);
        if (!el || !jsp_next(p)) goto fail;
        el->a = jsp_binding_target(p);
        if (!el->a) goto fail;
        jsp_finish(p, el);
        jsp_list_append(n, &tail, el);
        if (p->tok.kind != TOK_RBRACKET) {
          if (p->tok.kind == TOK_COMMA) jsp_error(p, p->tok.start, "Rest element must be last element");
          else jsp_unexpected(p);
          goto fail;
        }
        break;
      } else {
        el = jsp_binding_element(p);
        if (!el) goto fail;
      }
      jsp_list_append(n, &tail, el);
      if (p->tok.kind == TOK_COMMA) {
        if (!jsp_next(p)) goto fail;
      } else if (p->tok.kind != TOK_RBRACKET) {
        jsp_unexpected(p);
        goto fail;
      }
    }
  } else {
    n = jsp_node(p, N_ObjectPattern, &start);
    if (!n || !jsp_next(p)) goto out;
    while (p->tok.kind != TOK_RBRACE) {
      JsNode *prop;
      if (p->tok.kind == TOK_ELLIPSIS) {
        prop = jsp_node(p, N_Rest, &p->tok);
        if (!prop || !jsp_next(p)) goto fail;
        prop->a = jsp_binding_ident(p);
        if (!prop->a) goto fail;
        jsp_finish(p, prop);
        jsp_list_append(n, &tail, prop);
        if (p->tok.kind != TOK_RBRACE) {
          if (p->tok.kind == TOK_COMMA) jsp_error(p, p->tok.start, "Rest element must be last element");
          else jsp_unexpected(p);
          goto fail;
        }
        break;
      }
      prop = jsp_node(p, N_Property, &p->tok);
      if (!prop) goto fail;
      JsToken keytok = p->tok;
      uint32_t kflags = 0;
      if (p->tok.kind == TOK_PRIVATE) {
        jsp_unexpected(p);
        goto fail;
      }
      prop->a = jsp_property_name(p, &kflags);
      if (!prop->a) goto fail;
      prop->flags |= kflags;
      if (p->tok.kind == TOK_COLON) {
        if (!jsp_next(p)) goto fail;
        prop->b = jsp_binding_element(p);
        if (!prop->b) goto fail;
      } else {
        /* Shorthand: the key must be a valid binding identifier. */
        if (keytok.kind != TOK_IDENT || (kflags & NF_COMPUTED)) {
          p->tok.kind == TOK_EOF ? jsp_unexpected(p) : jsp_error(p, keytok.start, "Unexpected token");
          goto fail;
        }
        if (!jsp_check_ident(p, &keytok, true)) goto fail;
        prop->flags |= NF_SHORTHAND;
        JsNode *id = jsp_ident_node(p, &keytok);
        if (!id) goto fail;
        if (p->tok.kind == TOK_ASSIGN) {
          JsNode *ap = jsp_node(p, N_AssignPattern, &keytok);
          if (!ap || !jsp_next(p)) goto fail;
          ap->a = id;
          ap->b = jsp_assign(p, true, false);
          if (!ap->b) goto fail;
          jsp_finish(p, ap);
          prop->b = ap;
        } else {
          prop->b = id;
        }
      }
      jsp_finish(p, prop);
      jsp_list_append(n, &tail, prop);
      if (p->tok.kind == TOK_COMMA) {
        if (!jsp_next(p)) goto fail;
      } else if (p->tok.kind != TOK_RBRACE) {
        jsp_unexpected(p);
        goto fail;
      }
    }
  }
  if (!jsp_next(p)) goto fail;
  jsp_finish(p, n);
out:
  jsp_leave(p);
  return p->failed ? NULL : n;
fail:
  jsp_leave(p);
  return NULL;
}

/* ---- cover grammar: expressions reinterpreted as patterns ----------------------- */

static bool name_is(const JsNode *n, const char *lit) {
  size_t l = strlen(lit);
  return n->name_len == l && memcmp(n->name, lit, l) == 0;
}

bool jsp_is_simple_target(const JsNode *n, bool strict) {
  if (n->kind == N_Ident) return !(strict && (name_is(n, "eval") || name_is(n, "arguments")));
  return n->kind == N_Member;
}

static bool to_pattern_elem(JsParser *p, JsNode *n, bool binding);

bool jsp_to_pattern(JsParser *p, JsNode *n, bool binding) {
  if (!jsp_enter(p)) return false;
  bool ok = true;
  switch (n->kind) {
  case N_Ident:
    if (binding && (n->flags & NF_PARENS)) {
      ok = jsp_error(p, n->start, "Invalid destructuring assignment target");
      break;
    }
    if (p->fc->strict && (name_is(n, "eval") || name_is(n, "arguments")))
      ok = jsp_error(p, n->start, "Unexpected eval or arguments in strict mode");
    else if (binding)
      ok = jsp_check_binding_name(p, n, p->fc->strict);
    break;
  case N_Member:
    if (binding) ok = jsp_error(p, n->start, "Invalid destructuring assignment target");
    break;
  case N_Object:
    if (n->flags & NF_PARENS) {
      ok = jsp_error(p, n->start, "Invalid destructuring assignment target");
      break;
    }
    n->kind = N_ObjectPattern;
    for (JsNode *prop = n->list; prop && ok; prop = prop->next) {
      if (prop->kind == N_Spread) {
        if (prop->next || (prop->flags & NF_TRAILING_COMMA)) {
          ok = jsp_error(p, prop->start, "Rest element must be last element");
          break;
        }
        prop->kind = N_Rest;
        JsNode *t = prop->a;
        if (t->kind == N_Object || t->kind == N_Array || (binding && t->kind != N_Ident))
          ok = jsp_error(p, t->start, "`...` must be followed by an assignable reference in assignment contexts");
        else ok = jsp_to_pattern(p, t, binding);
        continue;
      }
      if (prop->op != PROP_INIT) {
        ok = jsp_error(p, prop->start, "Invalid destructuring assignment target");
        break;
      }
      ok = to_pattern_elem(p, prop->b, binding);
      if (ok && prop->b->kind == N_Assign) prop->b->kind = N_AssignPattern;
    }
    break;
  case N_Array:
    if (n->flags & NF_PARENS) {
      ok = jsp_error(p, n->start, "Invalid destructuring assignment target");
      break;
    }
    n->kind = N_ArrayPattern;
    for (JsNode *el = n->list; el && ok; el = el->next) {
      if (el->kind == N_Elision) continue;
      if (el->kind == N_Spread) {
        if (el->next || (el->flags & NF_TRAILING_COMMA)) {
          ok = jsp_error(p, el->start, "Rest element must be last element");
          break;
        }
        el->kind = N_Rest;
        if (el->a->kind == N_Assign && !(el->a->flags & NF_PARENS)) {
          ok = jsp_error(p, el->a->start, "Rest parameter may not have a default initializer");
          break;
        }
        ok = jsp_to_pattern(p, el->a, binding);
        continue;
      }
      ok = to_pattern_elem(p, el, binding);
      if (ok && el->kind == N_Assign) el->kind = N_AssignPattern;
    }
    break;
  case N_AssignPattern:
  case N_ObjectPattern:
  case N_ArrayPattern:
    break; /* already converted */
  default:
    ok = jsp_error(p, n->start, binding ? "Invalid destructuring assignment target"
                                        : "Invalid left-hand side in assignment");
    break;
  }
  jsp_leave(p);
  return ok;
}

static bool to_pattern_elem(JsParser *p, JsNode *n, bool binding) {
  if (n->kind == N_Assign && !(n->flags & NF_PARENS)) {
    if (n->op != TOK_ASSIGN) return jsp_error(p, n->start, "Invalid destructuring assignment target");
    return jsp_to_pattern(p, n->a, binding);
  }
  return jsp_to_pattern(p, n, binding);
}

/* ---- driver -------------------------------------------------------------------- */

static JsNode *parse_program(JsParser *p, bool strict) {
  JsFuncCtx top = {0};
  top.strict = strict || p->module;
  top.is_async = p->module; /* top-level await */
  p->fc = &top;
  JsNode *prog = jsp_node(p, N_Program, &p->tok);
  if (!prog) return NULL;
  top.node = prog;
  if (p->module) prog->flags |= NF_MODULE;
  if (!jsp_directives_and_body(p, prog, TOK_EOF)) return NULL;
  if (top.strict) prog->flags |= NF_STRICT;
  prog->start = 0;
  prog->line = prog->col = 1;
  prog->end = p->len;
  p->fc = NULL;
  return prog;
}

bool js_parse(Runtime *rt, JsArena *arena, const char *source, size_t len, int opts,
              JsParseResult *result) {
  memset(result, 0, sizeof *result);
  JsParser p;
  memset(&p, 0, sizeof p);
  p.rt = rt;
  p.arena = arena;
  p.src = source;
  p.module = (opts & JS_PARSE_OPT_MODULE) != 0;
  if (len >= UINT32_MAX - 16) {
    result->err_kind = ERR_RangeError;
    snprintf(result->message, sizeof result->message, "Source text is too large");
    result->err_line = result->err_col = 1;
    return false;
  }
  p.len = (uint32_t)len;
  js_lexer_init(&p.lex, arena, source, len, p.module);
  JsNode *prog = NULL;
  if (jsp_next(&p)) prog = parse_program(&p, (opts & JS_PARSE_OPT_STRICT) != 0);
  js_lexer_free(&p.lex);
  if (prog && !p.failed) {
    JsScopeError serr;
    if (js_scope_analyze(rt, arena, prog, &serr)) {
      result->program = prog;
      return true;
    }
    p.failed = true;
    p.err_kind = serr.kind;
    p.err_pos = serr.offset;
    snprintf(p.msg, sizeof p.msg, "%s", serr.message);
  }
  if (!p.failed) jsp_error(&p, 0, "Parse error");
  result->err_kind = p.err_kind;
  snprintf(result->message, sizeof result->message, "%s", p.msg);
  result->err_offset = p.err_pos;
  js_source_position(source, len, p.err_pos, &result->err_line, &result->err_col);
  /* The error is also the runtime's pending exception (SyntaxError with the
   * plain message; the position stays in the result for the caller). */
  if (rt) rt_throw(rt, result->err_kind, "%s", result->message);
  return false;
}

void js_format_syntax_error(const JsParseResult *r, const char *filename, const char *source,
                            size_t len, char *buf, size_t size, bool code_frame) {
  int n = snprintf(buf, size, "%s:%u:%u: %s: %s\n", filename, r->err_line, r->err_col,
                   error_kind_name(r->err_kind), r->message);
  if (!code_frame || n < 0 || (size_t)n >= size) return;
  /* Find the line containing the error offset. */
  uint32_t off = r->err_offset > len ? (uint32_t)len : r->err_offset;
  uint32_t ls = off, le = off;
  while (ls > 0 && source[ls - 1] != '\n' && source[ls - 1] != '\r') ls--;
  while (le < len && source[le] != '\n' && source[le] != '\r') le++;
  /* Long lines (minified code): show a window around the error. */
  uint32_t from = ls, to = le;
  if (off - from > 60) from = off - 40;
  if (to - off > 60) to = off + 40;
  while (from > ls && ((unsigned char)source[from] & 0xC0) == 0x80) from--;
  while (to < le && ((unsigned char)source[to] & 0xC0) == 0x80) to++;
  size_t used = (size_t)n;
  int k = snprintf(buf + used, size - used, "  %.*s\n  ", (int)(to - from), source + from);
  if (k < 0 || used + (size_t)k >= size) return;
  used += (size_t)k;
  for (uint32_t i = from; i < off && used + 2 < size; i++) {
    unsigned char c = (unsigned char)source[i];
    if ((c & 0xC0) == 0x80) continue; /* one column per code point */
    buf[used++] = c == '\t' ? '\t' : ' ';
  }
  snprintf(buf + used, size - used, "^\n");
}
