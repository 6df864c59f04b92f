/* parse_expr.c: expressions. Precedence climbing for binary operators;
 * recursive descent for the rest. Arrow functions are found through the
 * cover grammar: a parenthesized list (or async call) is parsed as
 * expressions, then reinterpreted as parameters when '=>' follows. */
#include <string.h>

#include "js/parser.h"

#define FAIL_IF(x)                                                                                 \
  do {                                                                                             \
    if (x) return NULL;                                                                            \
  } while (0)

static JsNode *parse_unary(JsParser *p);

static bool is_arrow(const JsNode *n) { return n->kind == N_Arrow && !(n->flags & NF_PARENS); }

static void use_private_name(JsParser *p, const JsToken *t) {
  JsPrivName *u = js_arena_alloc(p->arena, sizeof *u);
  if (!u) return;
  u->name = t->id;
  u->len = t->id_len;
  u->pos = t->start;
  if (!p->cls) {
    jsp_error(p, t->start, "Private field '#%.*s' must be declared in an enclosing class",
              (int)t->id_len, t->id);
    return;
  }
  u->next = p->cls->used;
  p->cls->used = u;
}

static JsNode *private_name(JsParser *p) {
  JsNode *n = jsp_node(p, N_PrivateName, &p->tok);
  FAIL_IF(!n);
  n->name = js_arena_strdup(p->arena, p->tok.id, p->tok.id_len);
  n->name_len = p->tok.id_len;
  use_private_name(p, &p->tok);
  FAIL_IF(p->failed || !jsp_next(p));
  return n;
}

/* An IdentifierName after '.', or a non-computed key (any word allowed). */
static JsNode *name_node(JsParser *p) {
  JsToken *t = &p->tok;
  if (t->kind != TOK_IDENT && !(t->kind >= TOK_FIRST_KEYWORD && t->kind <= TOK_LAST_KEYWORD)) {
    jsp_unexpected(p);
    return NULL;
  }
  JsNode *n = jsp_node(p, N_Ident, t);
  FAIL_IF(!n);
  if (t->kind == TOK_IDENT) {
    n->name = js_arena_strdup(p->arena, t->id, t->id_len);
    n->name_len = t->id_len;
  } else {
    const char *s = js_token_name(t->kind);
    n->name = s;
    n->name_len = (uint32_t)strlen(s);
  }
  FAIL_IF(!jsp_next(p));
  return n;
}

static JsNode *string_node(JsParser *p) {
  if ((p->tok.flags & TF_LEGACY_OCTAL) && p->fc->strict) {
    jsp_error(p, p->tok.aux, "Octal escape sequences are not allowed in strict mode");
    return NULL;
  }
  JsNode *n = jsp_node(p, N_String, &p->tok);
  FAIL_IF(!n);
  n->str = p->tok.str;
  n->str_len = p->tok.str_len;
  FAIL_IF(!jsp_next(p));
  return n;
}

static JsNode *number_node(JsParser *p) {
  if ((p->tok.flags & TF_LEGACY_OCTAL) && p->fc->strict) {
    jsp_error(p, p->tok.start, "Octal literals are not allowed in strict mode");
    return NULL;
  }
  JsNode *n = jsp_node(p, p->tok.kind == TOK_BIGINT ? N_BigInt : N_Number, &p->tok);
  FAIL_IF(!n);
  n->num = p->tok.num;
  if (p->tok.kind == TOK_BIGINT) {
    n->name = p->tok.id;
    n->name_len = p->tok.id_len;
  }
  FAIL_IF(!jsp_next(p));
  return n;
}

JsNode *jsp_property_name(JsParser *p, uint32_t *flags) {
  switch (p->tok.kind) {
  case TOK_STRING: return string_node(p);
  case TOK_NUMBER:
  case TOK_BIGINT: return number_node(p);
  case TOK_PRIVATE: {
    JsNode *n = jsp_node(p, N_PrivateName, &p->tok);
    FAIL_IF(!n);
    n->name = js_arena_strdup(p->arena, p->tok.id, p->tok.id_len);
    n->name_len = p->tok.id_len;
    FAIL_IF(!jsp_next(p));
    return n;
  }
  case TOK_LBRACKET: {
    FAIL_IF(!jsp_next(p));
    JsNode *e = jsp_assign(p, true, false);
    FAIL_IF(!e || !jsp_expect(p, TOK_RBRACKET));
    *flags |= NF_COMPUTED;
    return e;
  }
  default: return name_node(p);
  }
}

/* ---- templates -------------------------------------------------------------------- */

static JsNode *template_element(JsParser *p, bool tagged) {
  JsToken *t = &p->tok;
  if ((t->flags & TF_BAD_ESCAPE) && !tagged) {
    jsp_error(p, t->aux, "%s", t->id ? t->id : "Invalid escape sequence in template");
    return NULL;
  }
  JsNode *el = jsp_node(p, N_TemplateElement, t);
  FAIL_IF(!el);
  el->str = t->str;
  el->str_len = t->str_len;
  /* Raw text: between the delimiters, CR and CRLF normalized to LF. */
  uint32_t from = t->start + 1;
  uint32_t to = t->end - ((t->flags & TF_TEMPLATE_TAIL) ? 1 : 2);
  char *raw = js_arena_alloc(p->arena, to - from + 1);
  FAIL_IF(!raw);
  uint32_t k = 0;
  for (uint32_t i = from; i < to; i++) {
    char c = p->src[i];
    if (c == '\r') {
      raw[k++] = '\n';
      if (i + 1 < to && p->src[i + 1] == '\n') i++;
    } else raw[k++] = c;
  }
  raw[k] = 0;
  el->name = raw;
  el->name_len = k;
  return el;
}

JsNode *jsp_template(JsParser *p, bool tagged) {
  JsNode *tpl = jsp_node(p, N_Template, &p->tok);
  JsNode *tail = NULL;
  FAIL_IF(!tpl);
  for (;;) {
    JsNode *el = template_element(p, tagged);
    FAIL_IF(!el);
    jsp_list_append(tpl, &tail, el);
    if (p->tok.flags & TF_TEMPLATE_TAIL) break;
    FAIL_IF(!jsp_next(p));
    JsNode *e = jsp_expression(p, true);
    FAIL_IF(!e);
    jsp_list_append(tpl, &tail, e);
    if (p->tok.kind != TOK_RBRACE) {
      jsp_unexpected(p);
      return NULL;
    }
    if (js_lexer_rescan_template(&p->lex, &p->tok) == TOK_ERROR) {
      jsp_error(p, p->lex.error_pos, "%s", p->lex.error);
      return NULL;
    }
  }
  FAIL_IF(!jsp_next(p));
  jsp_finish(p, tpl);
  return tpl;
}

/* ---- literals ------------------------------------------------------------------------ */

static JsNode *array_literal(JsParser *p) {
  JsNode *arr = jsp_node(p, N_Array, &p->tok), *tail = NULL;
  FAIL_IF(!arr || !jsp_next(p));
  while (p->tok.kind != TOK_RBRACKET) {
    JsNode *el;
    if (p->tok.kind == TOK_COMMA) {
      el = jsp_node(p, N_Elision, &p->tok);
      FAIL_IF(!el || !jsp_next(p));
      jsp_list_append(arr, &tail, el);
      continue;
    }
    if (p->tok.kind == TOK_ELLIPSIS) {
      el = jsp_node(p, N_Spread, &p->tok);
      FAIL_IF(!el || !jsp_next(p));
      el->a = jsp_assign(p, true, true);
      FAIL_IF(!el->a);
      jsp_finish(p, el);
    } else {
      el = jsp_assign(p, true, true);
      FAIL_IF(!el);
    }
    jsp_list_append(arr, &tail, el);
    if (p->tok.kind == TOK_COMMA) {
      if (el->kind == N_Spread) el->flags |= NF_TRAILING_COMMA;
      FAIL_IF(!jsp_next(p));
    } else if (p->tok.kind != TOK_RBRACKET) {
      jsp_unexpected(p);
      return NULL;
    }
  }
  FAIL_IF(!jsp_next(p));
  jsp_finish(p, arr);
  return arr;
}

static bool is_proto_key(const JsNode *key, uint32_t flags) {
  if (flags & NF_COMPUTED) return false;
  if (key->kind == N_Ident) return key->name_len == 9 && memcmp(key->name, "__proto__", 9) == 0;
  if (key->kind == N_String) {
    static const char proto[] = "__proto__";
    if (key->str_len != 9) return false;
    for (int i = 0; i < 9; i++)
      if (key->str[i] != (uint16_t)proto[i]) return false;
    return true;
  }
  return false;
}

/* After get/set/async: is this word a modifier or the property name itself? */
static bool modifier_follows(JsParser *p) {
  JsToken nt;
  if (!jsp_peek(p, &nt)) return true; /* let the real scan report it */
  switch (nt.kind) {
  case TOK_COMMA:
  case TOK_COLON:
  case TOK_LPAREN:
  case TOK_RBRACE:
  case TOK_ASSIGN:
  case TOK_SEMI:
  case TOK_EOF: return false;
  default: return true;
  }
}

static JsNode *object_literal(JsParser *p) {
  JsNode *obj = jsp_node(p, N_Object, &p->tok), *tail = NULL;
  bool has_proto = false;
  FAIL_IF(!obj || !jsp_next(p));
  while (p->tok.kind != TOK_RBRACE) {
    JsToken start = p->tok;
    JsNode *prop;
    if (p->tok.kind == TOK_ELLIPSIS) {
      prop = jsp_node(p, N_Spread, &start);
      FAIL_IF(!prop || !jsp_next(p));
      prop->a = jsp_assign(p, true, true);
      FAIL_IF(!prop->a);
      jsp_finish(p, prop);
      jsp_list_append(obj, &tail, prop);
      if (p->tok.kind == TOK_COMMA) {
        prop->flags |= NF_TRAILING_COMMA;
        FAIL_IF(!jsp_next(p));
      } else if (p->tok.kind != TOK_RBRACE) {
        jsp_unexpected(p);
        return NULL;
      }
      continue;
    }
    bool is_async = false, is_gen = false;
    int accessor = 0;
    if (jsp_is_word(p, W_async) && modifier_follows(p)) {
      JsToken nt;
      jsp_peek(p, &nt);
      if (!(nt.flags & TF_NEWLINE_BEFORE)) {
        is_async = true;
        FAIL_IF(!jsp_next(p));
      }
    } else if ((jsp_is_word(p, W_get) || jsp_is_word(p, W_set)) && modifier_follows(p)) {
      accessor = p->tok.word == W_get ? PROP_GET : PROP_SET;
      FAIL_IF(!jsp_next(p));
    }
    if (p->tok.kind == TOK_STAR && !accessor) {
      is_gen = true;
      FAIL_IF(!jsp_next(p));
    }
    prop = jsp_node(p, N_Property, &start);
    FAIL_IF(!prop);
    JsToken keytok = p->tok;
    uint32_t kflags = 0;
    if (p->tok.kind == TOK_PRIVATE) {
      jsp_unexpected(p);
      return NULL;
    }
    prop->a = jsp_property_name(p, &kflags);
    FAIL_IF(!prop->a);
    prop->flags |= kflags;
    if (p->tok.kind == TOK_LPAREN || is_async || is_gen || accessor) {
      int fl = FN_METHOD | (accessor == PROP_GET ? FN_GET : accessor == PROP_SET ? FN_SET : 0);
      prop->op = accessor ? (uint8_t)accessor : PROP_METHOD;
      /* The method's source text (Function.prototype.toString) starts at get/set/async/'*'. */
      prop->b = jsp_method(p, N_Function, is_async, is_gen, fl, &start);
      FAIL_IF(!prop->b);
    } else if (p->tok.kind == TOK_COLON) {
      FAIL_IF(!jsp_next(p));
      prop->op = PROP_INIT;
      prop->b = jsp_assign(p, true, true);
      FAIL_IF(!prop->b);
      if (is_proto_key(prop->a, kflags)) {
        if (has_proto && !p->cover_init_pos) {
          p->cover_init_pos = keytok.start + 1;
          p->cover_is_proto = true;
        }
        has_proto = true;
      }
    } else {
      /* Shorthand { x } or cover-initialized { x = 1 }. */
      if (keytok.kind != TOK_IDENT || (kflags & NF_COMPUTED)) {
        jsp_unexpected(p);
        return NULL;
      }
      if (!jsp_check_ident(p, &keytok, false)) return NULL;
      prop->op = PROP_INIT;
      prop->flags |= NF_SHORTHAND;
      JsNode *id = jsp_ident_node(p, &keytok);
      FAIL_IF(!id);
      if (p->tok.kind == TOK_ASSIGN) {
        JsNode *as = jsp_node(p, N_Assign, &keytok);
        FAIL_IF(!as || !jsp_next(p));
        as->op = TOK_ASSIGN;
        as->a = id;
        as->b = jsp_assign(p, true, false);
        FAIL_IF(!as->b);
        jsp_finish(p, as);
        prop->b = as;
        if (!p->cover_init_pos) {
          p->cover_init_pos = keytok.start + 1;
          p->cover_is_proto = false;
        }
      } else {
        prop->b = id;
      }
    }
    jsp_finish(p, prop);
    jsp_list_append(obj, &tail, prop);
    if (p->tok.kind == TOK_COMMA) {
      FAIL_IF(!jsp_next(p));
    } else if (p->tok.kind != TOK_RBRACE) {
      jsp_unexpected(p);
      return NULL;
    }
  }
  FAIL_IF(!jsp_next(p));
  jsp_finish(p, obj);
  return obj;
}

/* ---- parentheses and arrows ------------------------------------------------------------ */

typedef struct {
  uint32_t cover, yield, await, await_ident;
} CoverState;

static CoverState cover_save(JsParser *p) {
  CoverState s = {p->cover_init_pos, p->yield_pos, p->await_pos, p->await_ident_pos};
  p->cover_init_pos = p->yield_pos = p->await_pos = p->await_ident_pos = 0;
  return s;
}

static void cover_merge(JsParser *p, CoverState s) {
  if (s.cover) p->cover_init_pos = s.cover;
  if (s.yield) p->yield_pos = s.yield;
  if (s.await) p->await_pos = s.await;
  if (s.await_ident) p->await_ident_pos = s.await_ident;
}

static void cover_restore(JsParser *p, CoverState s) {
  p->cover_init_pos = s.cover;
  p->yield_pos = s.yield;
  p->await_pos = s.await;
  p->await_ident_pos = s.await_ident;
}

/* Checks the arrow-parameter candidates and converts them to patterns. */
static bool arrow_params(JsParser *p, JsNode *head, bool is_async) {
  if (p->yield_pos) return jsp_error(p, p->yield_pos - 1, "Yield expression not allowed in formal parameter");
  if (p->await_pos) return jsp_error(p, p->await_pos - 1, "Illegal await-expression in formal parameters of async function");
  if (is_async && p->await_ident_pos)
    return jsp_error(p, p->await_ident_pos - 1, "Unexpected reserved word");
  for (JsNode *e = head; e; e = e->next) {
    if (e->kind == N_Rest) {
      if (!jsp_to_pattern(p, e->a, true)) return false;
      continue;
    }
    if (e->kind == N_Assign && !(e->flags & NF_PARENS)) {
      if (e->op != TOK_ASSIGN) return jsp_error(p, e->start, "Invalid destructuring assignment target");
      if (!jsp_to_pattern(p, e->a, true)) return false;
      e->kind = N_AssignPattern;
      continue;
    }
    if (!jsp_to_pattern(p, e, true)) return false;
  }
  p->cover_init_pos = 0;
  return true;
}

/* Arguments of a call (also the async-arrow candidate list). */
static JsNode *arguments(JsParser *p, bool cover) {
  JsNode *head = NULL, *tail = NULL;
  FAIL_IF(!jsp_next(p));
  while (p->tok.kind != TOK_RPAREN) {
    JsNode *e;
    if (p->tok.kind == TOK_ELLIPSIS) {
      e = jsp_node(p, N_Spread, &p->tok);
      FAIL_IF(!e || !jsp_next(p));
      e->a = jsp_assign(p, true, cover);
      FAIL_IF(!e->a);
      jsp_finish(p, e);
    } else {
      e = jsp_assign(p, true, cover);
      FAIL_IF(!e);
    }
    if (tail) tail->next = e;
    else head = e;
    tail = e;
    if (p->tok.kind == TOK_COMMA) {
      if (e->kind == N_Spread) e->flags |= NF_TRAILING_COMMA;
      FAIL_IF(!jsp_next(p));
    } else if (p->tok.kind != TOK_RPAREN) {
      jsp_unexpected(p);
      return NULL;
    }
  }
  FAIL_IF(!jsp_next(p));
  /* An empty argument list still needs a non-NULL marker: use the list head. */
  return head ? head : (JsNode *)p; /* sentinel for "no arguments" */
}

#define NO_ARGS(p, x) ((x) == (JsNode *)(p))

static JsNode *paren_or_arrow(JsParser *p, bool in) {
  JsToken start = p->tok;
  CoverState saved = cover_save(p);
  FAIL_IF(!jsp_next(p));
  JsNode *head = NULL, *tail = NULL;
  bool must_arrow = false;
  uint32_t count = 0;
  while (p->tok.kind != TOK_RPAREN) {
    JsNode *e;
    if (p->tok.kind == TOK_ELLIPSIS) {
      e = jsp_node(p, N_Rest, &p->tok);
      FAIL_IF(!e || !jsp_next(p));
      e->a = jsp_binding_target(p);
      FAIL_IF(!e->a);
      jsp_finish(p, e);
      must_arrow = true;
      if (p->tok.kind != TOK_RPAREN) {
        if (p->tok.kind == TOK_COMMA) jsp_error(p, p->tok.start, "Rest parameter must be last formal parameter");
        else jsp_unexpected(p);
        return NULL;
      }
    } else {
      e = jsp_assign(p, true, true);
      FAIL_IF(!e);
    }
    if (tail) tail->next = e;
    else head = e;
    tail = e;
    count++;
    if (p->tok.kind == TOK_COMMA) {
      FAIL_IF(!jsp_next(p));
      if (p->tok.kind == TOK_RPAREN) must_arrow = true;
    } else if (p->tok.kind != TOK_RPAREN) {
      jsp_unexpected(p);
      return NULL;
    }
  }
  if (!head) must_arrow = true;
  FAIL_IF(!jsp_next(p));
  if (p->tok.kind == TOK_ARROW && !(p->tok.flags & TF_NEWLINE_BEFORE)) {
    if (!arrow_params(p, head, false)) return NULL;
    uint32_t await_ident = p->await_ident_pos;
    cover_restore(p, saved);
    if (!p->await_ident_pos) p->await_ident_pos = await_ident;
    JsNode *params = jsp_node(p, N_Sequence, &start);
    FAIL_IF(!params);
    params->list = head;
    params->count = count;
    return jsp_arrow(p, params, false, in, &start);
  }
  if (must_arrow) {
    if (p->tok.kind == TOK_ARROW) jsp_error(p, p->tok.start, "Unexpected token '=>'");
    else jsp_unexpected(p);
    return NULL;
  }
  if (p->cover_init_pos) {
    jsp_error(p, p->cover_init_pos - 1, "Invalid shorthand property initializer");
    return NULL;
  }
  cover_merge(p, saved);
  JsNode *e = head;
  if (count > 1) {
    e = jsp_node(p, N_Sequence, &start);
    FAIL_IF(!e);
    e->list = head;
    e->count = count;
    e->start = head->start;
    e->line = head->line;
    e->col = head->col;
  }
  e->flags |= NF_PARENS;
  return e;
}

/* ---- primary expressions ----------------------------------------------------------------- */

static bool new_target_allowed(const JsParser *p) {
  for (const JsFuncCtx *f = p->fc; f; f = f->parent) {
    if (f->class_init) return true;
    if (!f->is_arrow) return f->is_function;
  }
  return false;
}

static JsNode *identifier_or_arrow(JsParser *p, bool in) {
  JsToken t = p->tok;
  if (jsp_is_word(p, W_async)) {
    JsToken nt;
    if (jsp_peek(p, &nt) && !(nt.flags & TF_NEWLINE_BEFORE)) {
      if (nt.kind == TOK_FUNCTION) {
        FAIL_IF(!jsp_next(p));
        return jsp_function(p, FN_EXPR, true, false, &t);
      }
      JsToken nt2 = {0};
      if (nt.kind == TOK_IDENT) {
        /* Two tokens ahead: `for await (async of x)` is not an arrow. */
        JsLexer save = p->lex;
        js_lexer_next(&p->lex, &nt2);
        js_lexer_next(&p->lex, &nt2);
        uint16_t *buf = p->lex.buf;
        uint32_t cap = p->lex.buf_cap;
        p->lex = save;
        p->lex.buf = buf;
        p->lex.buf_cap = cap;
      }
      if (nt.kind == TOK_IDENT && nt2.kind == TOK_ARROW) {
        /* async x => ... */
        FAIL_IF(!jsp_next(p));
        JsFuncCtx probe = *p->fc;
        probe.is_async = true;
        probe.parent = p->fc;
        probe.is_arrow = true;
        JsFuncCtx *saved = p->fc;
        p->fc = &probe;
        bool ok = jsp_check_ident(p, &p->tok, true);
        p->fc = saved;
        FAIL_IF(!ok);
        JsNode *id = jsp_ident_node(p, &p->tok);
        FAIL_IF(!id || !jsp_next(p));
        if (p->tok.kind != TOK_ARROW || (p->tok.flags & TF_NEWLINE_BEFORE)) {
          jsp_unexpected(p);
          return NULL;
        }
        JsNode *params = jsp_node(p, N_Sequence, &t);
        FAIL_IF(!params);
        params->list = id;
        params->count = 1;
        return jsp_arrow(p, params, true, in, &t);
      }
    }
  }
  if (!jsp_check_ident(p, &t, false)) return NULL;
  JsNode *id = jsp_ident_node(p, &t);
  FAIL_IF(!id || !jsp_next(p));
  if (t.word == W_await && !(t.flags & TF_ESCAPED) && !(p->tok.flags & TF_NEWLINE_BEFORE) &&
      (p->tok.kind == TOK_IDENT || p->tok.kind == TOK_NUMBER || p->tok.kind == TOK_STRING ||
       p->tok.kind == TOK_THIS || p->tok.kind == TOK_NEW || p->tok.kind == TOK_FUNCTION)) {
    /* `await x` where await is only an identifier: the usual mistake. */
    jsp_error(p, t.start, "await is only valid in async functions and the top level bodies of modules");
    return NULL;
  }
  if (p->tok.kind == TOK_ARROW && !(p->tok.flags & TF_NEWLINE_BEFORE)) {
    if (!jsp_to_pattern(p, id, true)) return NULL;
    JsNode *params = jsp_node(p, N_Sequence, &t);
    FAIL_IF(!params);
    params->list = id;
    params->count = 1;
    return jsp_arrow(p, params, false, in, &t);
  }
  return id;
}

static JsNode *primary(JsParser *p, bool in) {
  JsToken t = p->tok;
  JsNode *n;
  switch (t.kind) {
  case TOK_IDENT: return identifier_or_arrow(p, in);
  case TOK_NUMBER:
  case TOK_BIGINT: return number_node(p);
  case TOK_STRING: return string_node(p);
  case TOK_TEMPLATE: return jsp_template(p, false);
  case TOK_LPAREN: return paren_or_arrow(p, in);
  case TOK_LBRACKET: return array_literal(p);
  case TOK_LBRACE: return object_literal(p);
  case TOK_FUNCTION: return jsp_function(p, FN_EXPR, false, false, &t);
  case TOK_CLASS: return jsp_class(p, false, false);
  case TOK_THIS: n = jsp_node(p, N_This, &t); break;
  case TOK_NULL: n = jsp_node(p, N_Null, &t); break;
  case TOK_TRUE: n = jsp_node(p, N_True, &t); break;
  case TOK_FALSE: n = jsp_node(p, N_False, &t); break;
  case TOK_SLASH:
  case TOK_SLASH_ASSIGN: {
    if (js_lexer_rescan_regexp(&p->lex, &p->tok) == TOK_ERROR) {
      jsp_error(p, p->lex.error_pos, "%s", p->lex.error);
      return NULL;
    }
    n = jsp_node(p, N_RegExp, &p->tok);
    FAIL_IF(!n);
    n->name = js_arena_strdup(p->arena, p->src + t.start + 1, p->tok.aux - t.start - 2);
    n->name_len = p->tok.aux - t.start - 2;
    n->str8 = js_arena_strdup(p->arena, p->src + p->tok.aux, p->tok.end - p->tok.aux);
    break;
  }
  default: jsp_unexpected(p); return NULL;
  }
  FAIL_IF(!n || !jsp_next(p));
  return n;
}

/* ---- member, call, new, super, import --------------------------------------------------- */

static JsNode *subscripts(JsParser *p, JsNode *base, bool no_call, bool in);

static JsNode *super_expr(JsParser *p) {
  JsToken t = p->tok;
  FAIL_IF(!jsp_next(p));
  bool call_ok = false, prop_ok = false;
  for (const JsFuncCtx *g = p->fc; g; g = g->parent) {
    if (g->is_arrow) continue;
    call_ok = g->super_call;
    prop_ok = g->super_prop;
    break;
  }
  if (p->tok.kind == TOK_LPAREN) {
    if (!call_ok) return jsp_error(p, t.start, "'super' keyword unexpected here"), NULL;
  } else if (p->tok.kind == TOK_DOT || p->tok.kind == TOK_LBRACKET) {
    if (!prop_ok) return jsp_error(p, t.start, "'super' keyword unexpected here"), NULL;
  } else {
    jsp_error(p, t.start, "'super' keyword unexpected here");
    return NULL;
  }
  return jsp_node(p, N_Super, &t);
}

static JsNode *import_expr(JsParser *p) {
  JsToken t = p->tok;
  FAIL_IF(!jsp_next(p));
  if (p->tok.kind == TOK_DOT) {
    FAIL_IF(!jsp_next(p));
    if (!jsp_is_word(p, W_meta)) return jsp_unexpected(p), NULL;
    if (!p->module) return jsp_error(p, t.start, "Cannot use 'import.meta' outside a module"), NULL;
    JsNode *n = jsp_node(p, N_ImportMeta, &t);
    FAIL_IF(!n || !jsp_next(p));
    jsp_finish(p, n);
    return n;
  }
  if (p->tok.kind != TOK_LPAREN) return jsp_unexpected(p), NULL;
  FAIL_IF(!jsp_next(p));
  JsNode *n = jsp_node(p, N_ImportCall, &t);
  FAIL_IF(!n);
  n->a = jsp_assign(p, true, false);
  FAIL_IF(!n->a);
  if (p->tok.kind == TOK_COMMA) {
    FAIL_IF(!jsp_next(p));
    if (p->tok.kind != TOK_RPAREN) {
      n->b = jsp_assign(p, true, false);
      FAIL_IF(!n->b);
      if (p->tok.kind == TOK_COMMA) FAIL_IF(!jsp_next(p));
    }
  }
  FAIL_IF(!jsp_expect(p, TOK_RPAREN));
  jsp_finish(p, n);
  return n;
}

static JsNode *new_expr(JsParser *p, bool in) {
  JsToken t = p->tok;
  if (!jsp_enter(p)) return NULL;
  JsNode *res = NULL;
  if (!jsp_next(p)) goto out;
  if (p->tok.kind == TOK_DOT) {
    if (!jsp_next(p)) goto out;
    if (!jsp_is_word(p, W_target)) {
      jsp_unexpected(p);
      goto out;
    }
    if (!new_target_allowed(p)) {
      jsp_error(p, t.start, "new.target expression is not allowed here");
      goto out;
    }
    res = jsp_node(p, N_NewTarget, &t);
    if (!res || !jsp_next(p)) goto out;
    jsp_finish(p, res);
    goto out;
  }
  JsNode *callee;
  if (p->tok.kind == TOK_NEW) callee = new_expr(p, in);
  else if (p->tok.kind == TOK_SUPER) callee = super_expr(p);
  else if (p->tok.kind == TOK_IMPORT) {
    JsToken nt;
    if (!jsp_peek(p, &nt) || nt.kind != TOK_DOT) {
      jsp_error(p, p->tok.start, "Cannot use new with import");
      goto out;
    }
    callee = import_expr(p);
  } else callee = primary(p, in);
  if (!callee) goto out;
  if (is_arrow(callee)) {
    jsp_error(p, callee->start, "Unexpected token '=>'");
    goto out;
  }
  callee = subscripts(p, callee, true, in);
  if (!callee) goto out;
  res = jsp_node(p, N_New, &t);
  if (!res) goto out;
  res->a = callee;
  if (p->tok.kind == TOK_LPAREN) {
    JsNode *args = arguments(p, false);
    if (!args) {
      res = NULL;
      goto out;
    }
    if (!NO_ARGS(p, args)) {
      res->list = args;
      for (JsNode *a = args; a; a = a->next) res->count++;
    }
  }
  jsp_finish(p, res);
out:
  jsp_leave(p);
  return p->failed ? NULL : res;
}

static JsNode *subscripts(JsParser *p, JsNode *base, bool no_call, bool in) {
  bool chain = false;
  JsNode *n = base;
  for (;;) {
    JsToken t = p->tok;
    if (t.kind == TOK_DOT) {
      FAIL_IF(!jsp_next(p));
      JsNode *m = jsp_node_at(p, N_Member, base);
      FAIL_IF(!m);
      m->a = n;
      if (p->tok.kind == TOK_PRIVATE && n->kind == N_Super)
        return jsp_error(p, p->tok.start, "Unexpected private field"), NULL;
      m->b = p->tok.kind == TOK_PRIVATE ? private_name(p) : name_node(p);
      FAIL_IF(!m->b);
      jsp_finish(p, m);
      n = m;
    } else if (t.kind == TOK_OPTCHAIN) {
      if (no_call) return jsp_error(p, t.start, "Invalid optional chain from new expression"), NULL;
      chain = true;
      FAIL_IF(!jsp_next(p));
      if (p->tok.kind == TOK_LPAREN) {
        JsNode *c = jsp_node_at(p, N_Call, base);
        FAIL_IF(!c);
        c->flags |= NF_OPTIONAL;
        c->a = n;
        JsNode *args = arguments(p, false);
        FAIL_IF(!args);
        if (!NO_ARGS(p, args)) {
          c->list = args;
          for (JsNode *a = args; a; a = a->next) c->count++;
        }
        jsp_finish(p, c);
        n = c;
      } else if (p->tok.kind == TOK_LBRACKET) {
        FAIL_IF(!jsp_next(p));
        JsNode *m = jsp_node_at(p, N_Member, base);
        FAIL_IF(!m);
        m->flags |= NF_OPTIONAL | NF_COMPUTED;
        m->a = n;
        m->b = jsp_expression(p, true);
        FAIL_IF(!m->b || !jsp_expect(p, TOK_RBRACKET));
        jsp_finish(p, m);
        n = m;
      } else if (p->tok.kind == TOK_TEMPLATE) {
        return jsp_error(p, p->tok.start, "Invalid tagged template on optional chain"), NULL;
      } else {
        JsNode *m = jsp_node_at(p, N_Member, base);
        FAIL_IF(!m);
        m->flags |= NF_OPTIONAL;
        m->a = n;
        m->b = p->tok.kind == TOK_PRIVATE ? private_name(p) : name_node(p);
        FAIL_IF(!m->b);
        jsp_finish(p, m);
        n = m;
      }
    } else if (t.kind == TOK_LBRACKET) {
      FAIL_IF(!jsp_next(p));
      JsNode *m = jsp_node_at(p, N_Member, base);
      FAIL_IF(!m);
      m->flags |= NF_COMPUTED;
      m->a = n;
      m->b = jsp_expression(p, true);
      FAIL_IF(!m->b || !jsp_expect(p, TOK_RBRACKET));
      jsp_finish(p, m);
      n = m;
    } else if (t.kind == TOK_LPAREN && !no_call) {
      bool async_cand = n == base && n->kind == N_Ident && !(n->flags & NF_PARENS) &&
                        n->name_len == 5 && memcmp(n->name, "async", 5) == 0 &&
                        !(t.flags & TF_NEWLINE_BEFORE) && n->end - n->start == 5;
      CoverState saved = {0};
      if (async_cand) saved = cover_save(p);
      JsNode *args = arguments(p, async_cand);
      FAIL_IF(!args);
      if (async_cand && p->tok.kind == TOK_ARROW && !(p->tok.flags & TF_NEWLINE_BEFORE)) {
        JsNode *head = NO_ARGS(p, args) ? NULL : args;
        uint32_t count = 0;
        for (JsNode *a = head; a; a = a->next) {
          if (a->kind == N_Spread) {
            if (a->next || (a->flags & NF_TRAILING_COMMA))
              return jsp_error(p, a->start, "Rest parameter must be last formal parameter"), NULL;
            a->kind = N_Rest;
            if (a->a->kind == N_Assign && !(a->a->flags & NF_PARENS))
              return jsp_error(p, a->a->start, "Rest parameter may not have a default initializer"), NULL;
          }
          count++;
        }
        if (!arrow_params(p, head, true)) return NULL;
        cover_restore(p, saved);
        JsNode *params = jsp_node_at(p, N_Sequence, base);
        FAIL_IF(!params);
        params->list = head;
        params->count = count;
        JsToken st = {0};
        st.start = base->start;
        st.line = base->line;
        st.col = base->col;
        return jsp_arrow(p, params, true, in, &st);
      }
      if (async_cand) {
        if (p->cover_init_pos) {
          jsp_error(p, p->cover_init_pos - 1, "Invalid shorthand property initializer");
          return NULL;
        }
        cover_merge(p, saved);
      }
      JsNode *c = jsp_node_at(p, N_Call, base);
      FAIL_IF(!c);
      c->a = n;
      if (!NO_ARGS(p, args)) {
        c->list = args;
        for (JsNode *a = args; a; a = a->next) c->count++;
      }
      if (n->kind == N_Ident && !(n->flags & NF_PARENS) && n->name_len == 4 &&
          memcmp(n->name, "eval", 4) == 0)
        c->flags |= NF_DIRECT_EVAL;
      jsp_finish(p, c);
      n = c;
    } else if (t.kind == TOK_TEMPLATE) {
      if (chain) return jsp_error(p, t.start, "Invalid tagged template on optional chain"), NULL;
      JsNode *tt = jsp_node_at(p, N_TaggedTemplate, base);
      FAIL_IF(!tt);
      tt->a = n;
      tt->b = jsp_template(p, true);
      FAIL_IF(!tt->b);
      jsp_finish(p, tt);
      n = tt;
    } else {
      break;
    }
  }
  if (chain) {
    JsNode *oc = jsp_node_at(p, N_OptionalChain, base);
    FAIL_IF(!oc);
    oc->a = n;
    jsp_finish(p, oc);
    n = oc;
  }
  return n;
}

JsNode *jsp_lhs(JsParser *p) {
  JsNode *base;
  switch (p->tok.kind) {
  case TOK_NEW: base = new_expr(p, true); break;
  case TOK_SUPER: base = super_expr(p); break;
  case TOK_IMPORT: base = import_expr(p); break;
  default: base = primary(p, true); break;
  }
  FAIL_IF(!base);
  if (is_arrow(base)) return base;
  return subscripts(p, base, false, true);
}

static JsNode *lhs_in(JsParser *p, bool in) {
  if (p->tok.kind == TOK_NEW || p->tok.kind == TOK_SUPER || p->tok.kind == TOK_IMPORT) return jsp_lhs(p);
  JsNode *base = primary(p, in);
  FAIL_IF(!base);
  if (is_arrow(base)) return base;
  return subscripts(p, base, false, in);
}

/* ---- unary and binary operators -------------------------------------------------------------- */

static bool update_target_ok(JsParser *p, JsNode *t) {
  JsNode *n = t;
  if (jsp_is_simple_target(n, p->fc->strict)) return true;
  if (n->kind == N_Call && !p->fc->strict) return true; /* Annex B, as for assignment */
  if (n->kind == N_Ident) return jsp_error(p, n->start, "Unexpected eval or arguments in strict mode");
  return jsp_error(p, n->start, "Invalid left-hand side expression in %s operation",
                   t == n ? "update" : "update");
}

/* `await` is an operator in async functions and arrows (and at the top
 * level of modules, whose context is marked async). */
static bool in_await_context(const JsParser *p) {
  const JsFuncCtx *f = p->fc;
  return f->is_async && !f->static_block && !f->class_init;
}

static JsNode *parse_unary_in(JsParser *p, bool in) {
  if (!jsp_enter(p)) return NULL;
  JsToken t = p->tok;
  JsNode *res = NULL;
  switch (t.kind) {
  case TOK_DELETE:
  case TOK_VOID:
  case TOK_TYPEOF:
  case TOK_PLUS:
  case TOK_MINUS:
  case TOK_TILDE:
  case TOK_BANG: {
    if (!jsp_next(p)) break;
    JsNode *arg = parse_unary(p);
    if (!arg) break;
    if (t.kind == TOK_DELETE) {
      JsNode *inner = arg;
      if (inner->kind == N_Ident && p->fc->strict) {
        jsp_error(p, t.start, "Delete of an unqualified identifier in strict mode.");
        break;
      }
      if (inner->kind == N_OptionalChain) inner = inner->a;
      if (inner->kind == N_Member && inner->b->kind == N_PrivateName) {
        jsp_error(p, inner->b->start, "Private fields can not be deleted");
        break;
      }
    }
    res = jsp_node(p, N_Unary, &t);
    if (!res) break;
    res->op = (uint8_t)t.kind;
    res->a = arg;
    jsp_finish(p, res);
    break;
  }
  case TOK_INC:
  case TOK_DEC: {
    if (!jsp_next(p)) break;
    JsNode *arg = parse_unary(p);
    if (!arg || !update_target_ok(p, arg)) break;
    res = jsp_node(p, N_Update, &t);
    if (!res) break;
    res->op = (uint8_t)t.kind;
    res->flags |= NF_PREFIX;
    res->a = arg;
    jsp_finish(p, res);
    break;
  }
  default:
    if (jsp_is_word(p, W_await) && (in_await_context(p) || (p->module && !p->fc->class_init))) {
      if (p->fc->in_params) {
        jsp_error(p, t.start, "Illegal await-expression in formal parameters of async function");
        break;
      }
      if (!in_await_context(p)) {
        jsp_error(p, t.start, "await is only valid in async functions and the top level bodies of modules");
        break;
      }
      if (!jsp_next(p)) break;
      JsNode *arg = parse_unary(p);
      if (!arg) break;
      if (!p->await_pos) p->await_pos = t.start + 1;
      res = jsp_node(p, N_Await, &t);
      if (!res) break;
      res->a = arg;
      jsp_finish(p, res);
      break;
    }
    JsNode *e = lhs_in(p, in);
    if (!e) break;
    if ((p->tok.kind == TOK_INC || p->tok.kind == TOK_DEC) && !(p->tok.flags & TF_NEWLINE_BEFORE) &&
        !is_arrow(e)) {
      if (!update_target_ok(p, e)) break;
      res = jsp_node_at(p, N_Update, e);
      if (!res) break;
      res->op = (uint8_t)p->tok.kind;
      res->a = e;
      if (!jsp_next(p)) break;
      jsp_finish(p, res);
      break;
    }
    res = e;
    break;
  }
  jsp_leave(p);
  return p->failed ? NULL : res;
}

static JsNode *parse_unary(JsParser *p) { return parse_unary_in(p, true); }

static int binary_prec(JsTokenKind k, bool in) {
  switch (k) {
  case TOK_NULLISH: return 1;
  case TOK_OR: return 2;
  case TOK_AND: return 3;
  case TOK_PIPE: return 4;
  case TOK_CARET: return 5;
  case TOK_AMP: return 6;
  case TOK_EQ:
  case TOK_NE:
  case TOK_SEQ:
  case TOK_SNE: return 7;
  case TOK_LT:
  case TOK_GT:
  case TOK_LE:
  case TOK_GE:
  case TOK_INSTANCEOF: return 8;
  case TOK_IN: return in ? 8 : 0;
  case TOK_SHL:
  case TOK_SAR:
  case TOK_SHR: return 9;
  case TOK_PLUS:
  case TOK_MINUS: return 10;
  case TOK_STAR:
  case TOK_SLASH:
  case TOK_PERCENT: return 11;
  case TOK_STARSTAR: return 12;
  default: return 0;
  }
}

static bool is_logical_or_and(const JsNode *n) {
  return n->kind == N_Logical && n->op != TOK_NULLISH && !(n->flags & NF_PARENS);
}

static JsNode *parse_binary(JsParser *p, int minprec, bool in) {
  if (!jsp_enter(p)) return NULL;
  JsNode *left;
  if (p->tok.kind == TOK_PRIVATE) {
    /* #x in obj */
    JsToken nt;
    if (!in || minprec >= 8 || !jsp_peek(p, &nt) || nt.kind != TOK_IN) {
      jsp_unexpected(p);
      jsp_leave(p);
      return NULL;
    }
    left = private_name(p);
  } else {
    left = parse_unary_in(p, in);
  }
  if (!left || is_arrow(left)) {
    jsp_leave(p);
    return left;
  }
  for (;;) {
    JsTokenKind op = p->tok.kind;
    int prec = binary_prec(op, in);
    if (!prec || prec <= minprec) break;
    if (left->kind == N_PrivateName && op != TOK_IN) {
      jsp_unexpected(p);
      break;
    }
    if (op == TOK_STARSTAR && !(left->flags & NF_PARENS) &&
        (left->kind == N_Unary || left->kind == N_Await)) {
      jsp_error(p, p->tok.start,
                "Unary operator used immediately before exponentiation expression. Parenthesis "
                "must be used to disambiguate operator precedence");
      break;
    }
    JsToken optok = p->tok;
    if (!jsp_next(p)) break;
    JsNode *right = parse_binary(p, op == TOK_STARSTAR ? prec - 1 : prec, in);
    if (!right) break;
    if (is_arrow(right)) {
      jsp_error(p, right->start, "Malformed arrow function parameter list");
      break;
    }
    if (op == TOK_NULLISH && (is_logical_or_and(left) || is_logical_or_and(right))) {
      jsp_error(p, optok.start, "Unexpected token '?\?'");
      break;
    }
    if ((op == TOK_OR || op == TOK_AND) &&
        ((left->kind == N_Logical && left->op == TOK_NULLISH && !(left->flags & NF_PARENS)) ||
         (right->kind == N_Logical && right->op == TOK_NULLISH && !(right->flags & NF_PARENS)))) {
      jsp_error(p, optok.start, "Unexpected token '%s'", js_token_name(op));
      break;
    }
    bool logical = op == TOK_AND || op == TOK_OR || op == TOK_NULLISH;
    JsNode *b = jsp_node_at(p, logical ? N_Logical : N_Binary, left);
    if (!b) break;
    b->op = (uint8_t)op;
    b->a = left;
    b->b = right;
    jsp_finish(p, b);
    left = b;
  }
  jsp_leave(p);
  if (!p->failed && left->kind == N_PrivateName) {
    jsp_unexpected(p);
  }
  return p->failed ? NULL : left;
}

static bool can_start_expression(const JsToken *t) {
  switch (t->kind) {
  case TOK_RPAREN:
  case TOK_RBRACKET:
  case TOK_RBRACE:
  case TOK_COMMA:
  case TOK_SEMI:
  case TOK_COLON:
  case TOK_EOF:
  case TOK_QUESTION:
  case TOK_IN:
  case TOK_ARROW:
    return false;
  default:
    if (t->flags & TF_NEWLINE_BEFORE) return false;
    return true;
  }
}

static JsNode *yield_expr(JsParser *p, bool in) {
  JsToken t = p->tok;
  if (p->fc->in_params) {
    jsp_error(p, t.start, "Yield expression not allowed in formal parameter");
    return NULL;
  }
  if (!p->yield_pos) p->yield_pos = t.start + 1;
  FAIL_IF(!jsp_next(p));
  JsNode *y = jsp_node(p, N_Yield, &t);
  FAIL_IF(!y);
  if (p->tok.kind == TOK_STAR && !(p->tok.flags & TF_NEWLINE_BEFORE)) {
    y->flags |= NF_DELEGATE;
    FAIL_IF(!jsp_next(p));
    y->a = jsp_assign(p, in, false);
    FAIL_IF(!y->a);
  } else if (can_start_expression(&p->tok) && binary_prec(p->tok.kind, true) == 0 &&
             p->tok.kind != TOK_ASSIGN) {
    y->a = jsp_assign(p, in, false);
    FAIL_IF(!y->a);
  } else if ((p->tok.kind == TOK_SLASH || p->tok.kind == TOK_SLASH_ASSIGN) &&
             !(p->tok.flags & TF_NEWLINE_BEFORE)) {
    y->a = jsp_assign(p, in, false); /* yield /re/ */
    FAIL_IF(!y->a);
  }
  jsp_finish(p, y);
  return y;
}

static bool is_assign_op(JsTokenKind k) {
  return k == TOK_ASSIGN || (k >= TOK_PLUS_ASSIGN && k <= TOK_NULLISH_ASSIGN);
}

JsNode *jsp_assign(JsParser *p, bool in, bool cover) {
  if (!jsp_enter(p)) return NULL;
  JsNode *res = NULL;
  if (jsp_is_word(p, W_yield) && p->fc->is_generator) {
    res = yield_expr(p, in);
    jsp_leave(p);
    return res;
  }
  uint32_t saved_cover = p->cover_init_pos;
  p->cover_init_pos = 0;
  JsNode *left = parse_binary(p, 0, in);
  if (!left) goto out;
  if (is_arrow(left)) {
    p->cover_init_pos = saved_cover;
    res = left;
    goto out;
  }
  if (p->tok.kind == TOK_QUESTION) {
    if (p->cover_init_pos) {
      jsp_error(p, p->cover_init_pos - 1, "Invalid shorthand property initializer");
      goto out;
    }
    JsNode *c = jsp_node_at(p, N_Conditional, left);
    if (!c || !jsp_next(p)) goto out;
    c->a = left;
    c->b = jsp_assign(p, true, false);
    if (!c->b || !jsp_expect(p, TOK_COLON)) goto out;
    c->c = jsp_assign(p, in, false);
    if (!c->c) goto out;
    jsp_finish(p, c);
    p->cover_init_pos = saved_cover;
    res = c;
    goto out;
  }
  if (is_assign_op(p->tok.kind)) {
    JsTokenKind op = p->tok.kind;
    if (op == TOK_ASSIGN && (left->kind == N_Object || left->kind == N_Array) &&
        !(left->flags & NF_PARENS)) {
      if (!jsp_to_pattern(p, left, false)) goto out;
      p->cover_init_pos = 0;
    } else if (!jsp_is_simple_target(left, p->fc->strict) &&
               !(left->kind == N_Call && !p->fc->strict && op != TOK_AND_ASSIGN &&
                 op != TOK_OR_ASSIGN && op != TOK_NULLISH_ASSIGN)) {
      /* Annex B: sloppy `f() = 1` is a runtime ReferenceError, not an early one. */
      if (left->kind == N_Ident) jsp_error(p, left->start, "Unexpected eval or arguments in strict mode");
      else jsp_error(p, left->start, "Invalid left-hand side in assignment");
      goto out;
    }
    if (p->cover_init_pos) {
      jsp_error(p, p->cover_init_pos - 1, "Invalid shorthand property initializer");
      goto out;
    }
    JsNode *as = jsp_node_at(p, N_Assign, left);
    if (!as || !jsp_next(p)) goto out;
    as->op = (uint8_t)op;
    as->a = left;
    as->b = jsp_assign(p, in, false);
    if (!as->b) goto out;
    jsp_finish(p, as);
    p->cover_init_pos = saved_cover;
    res = as;
    goto out;
  }
  if (p->cover_init_pos) {
    if (cover && (left->kind == N_Object || left->kind == N_Array) && !(left->flags & NF_PARENS)) {
      if (saved_cover) p->cover_init_pos = saved_cover;
    } else {
      jsp_error(p, p->cover_init_pos - 1,
                p->cover_is_proto ? "Duplicate __proto__ fields are not allowed in object literals"
                      : "Invalid shorthand property initializer");
      goto out;
    }
  } else {
    p->cover_init_pos = saved_cover;
  }
  res = left;
out:
  jsp_leave(p);
  return p->failed ? NULL : res;
}

JsNode *jsp_expression(JsParser *p, bool in) {
  JsNode *first = jsp_assign(p, in, false);
  FAIL_IF(!first);
  if (p->tok.kind != TOK_COMMA) return first;
  JsNode *seq = jsp_node_at(p, N_Sequence, first), *tail = NULL;
  FAIL_IF(!seq);
  jsp_list_append(seq, &tail, first);
  while (p->tok.kind == TOK_COMMA) {
    FAIL_IF(!jsp_next(p));
    JsNode *e = jsp_assign(p, in, false);
    FAIL_IF(!e);
    jsp_list_append(seq, &tail, e);
  }
  jsp_finish(p, seq);
  return seq;
}
