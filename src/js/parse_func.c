/* parse_func.c: functions, methods, arrow functions and classes: parameter
 * lists, bodies with their own function context (strictness, yield/await,
 * super and new.target rules), the retroactive checks a "use strict"
 * directive implies, and class bodies with their private-name rules. */
#include <stdlib.h>
#include <string.h>

#include "js/parser.h"

#define FAIL_IF(x)                                                                                 \
  do {                                                                                             \
    if (x) return NULL;                                                                            \
  } while (0)

/* ---- bound names and duplicate parameters ------------------------------------------- */

typedef struct {
  const JsNode **items;
  uint32_t count, cap;
} NameList;

static bool collect_names(NameList *nl, const JsNode *n) {
  if (!n) return true;
  switch (n->kind) {
  case N_Ident:
    if (nl->count == nl->cap) {
      uint32_t cap = nl->cap ? nl->cap * 2 : 16;
      const JsNode **ni = realloc(nl->items, cap * sizeof *ni);
      if (!ni) return false;
      nl->items = ni;
      nl->cap = cap;
    }
    nl->items[nl->count++] = n;
    return true;
  case N_AssignPattern:
  case N_Rest: return collect_names(nl, n->a);
  case N_Property: return collect_names(nl, n->b);
  case N_ObjectPattern:
  case N_ArrayPattern:
    for (const JsNode *k = n->list; k; k = k->next)
      if (!collect_names(nl, k)) return false;
    return true;
  default: return true;
  }
}

static uint32_t hash_name(const char *s, uint32_t n) {
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

/* First duplicate name in the list, or NULL. Hash set: linear time. */
static const JsNode *find_duplicate(const NameList *nl) {
  if (nl->count < 2) return NULL;
  uint32_t cap = 16;
  while (cap < nl->count * 2) cap *= 2;
  const JsNode **set = calloc(cap, sizeof *set);
  if (!set) return NULL;
  const JsNode *dup = NULL;
  for (uint32_t i = 0; i < nl->count && !dup; i++) {
    const JsNode *n = nl->items[i];
    uint32_t h = hash_name(n->name, n->name_len) & (cap - 1);
    while (set[h]) {
      if (set[h]->name_len == n->name_len && memcmp(set[h]->name, n->name, n->name_len) == 0) {
        dup = n;
        break;
      }
      h = (h + 1) & (cap - 1);
    }
    if (!dup) set[h] = n;
  }
  free(set);
  return dup;
}

static bool params_simple(const JsNode *fn) {
  for (const JsNode *k = fn->list; k; k = k->next)
    if (k->kind != N_Ident) return false;
  return true;
}

/* The checks that depend on the body: strictness applied to the name and the
 * parameters, "use strict" with non-simple parameters, duplicates. */
static bool check_params(JsParser *p, JsNode *fn, JsFuncCtx *fc, bool dup_forbidden) {
  bool simple = params_simple(fn);
  if (simple) fn->flags |= NF_SIMPLE_PARAMS;
  if (fc->use_strict && !simple)
    return jsp_error(p, fn->start, "Illegal 'use strict' directive in function with non-simple parameter list");
  NameList nl = {0};
  for (const JsNode *k = fn->list; k; k = k->next)
    if (!collect_names(&nl, k)) {
      free(nl.items);
      return jsp_error(p, fn->start, "out of memory");
    }
  bool ok = true;
  if (fc->strict && !(fc->parent && fc->parent->strict)) {
    /* The body's directive made this function strict: re-check names. */
    if (fn->a && !jsp_check_binding_name(p, fn->a, true)) ok = false;
    for (uint32_t i = 0; ok && i < nl.count; i++)
      if (!jsp_check_binding_name(p, nl.items[i], true)) ok = false;
  }
  if (ok && (dup_forbidden || fc->strict || !simple)) {
    const JsNode *d = find_duplicate(&nl);
    if (d) ok = jsp_error(p, d->start, "Duplicate parameter name not allowed in this context");
  }
  free(nl.items);
  return ok;
}

static void enter_function(JsParser *p, JsFuncCtx *fc, JsNode *node, bool is_async, bool is_gen) {
  memset(fc, 0, sizeof *fc);
  fc->parent = p->fc;
  fc->node = node;
  fc->strict = p->fc->strict;
  fc->is_async = is_async;
  fc->is_generator = is_gen;
  fc->is_function = true;
  fc->new_target = true;
  p->fc = fc;
}

static bool parse_params(JsParser *p, JsNode *fn) {
  if (p->tok.kind != TOK_LPAREN) return jsp_unexpected(p);
  if (!jsp_next(p)) return false;
  p->fc->in_params = true;
  JsNode *tail = NULL;
  while (p->tok.kind != TOK_RPAREN) {
    JsNode *param;
    if (p->tok.kind == TOK_ELLIPSIS) {
      param = jsp_node(p, N_Rest, &p->tok);
      if (!param || !jsp_next(p)) return false;
      param->a = jsp_binding_target(p);
      if (!param->a) return false;
      jsp_finish(p, param);
      if (p->tok.kind == TOK_ASSIGN)
        return jsp_error(p, p->tok.start, "Rest parameter may not have a default initializer");
      if (p->tok.kind != TOK_RPAREN)
        return jsp_error(p, p->tok.start, "Rest parameter must be last formal parameter");
    } else {
      param = jsp_binding_element(p);
      if (!param) return false;
    }
    jsp_list_append(fn, &tail, param);
    if (p->tok.kind == TOK_COMMA) {
      if (!jsp_next(p)) return false;
    } else if (p->tok.kind != TOK_RPAREN) {
      return jsp_unexpected(p);
    }
  }
  p->fc->in_params = false;
  return jsp_next(p);
}

static bool parse_body(JsParser *p, JsNode *fn) {
  if (p->tok.kind != TOK_LBRACE) return jsp_unexpected(p);
  JsNode *body = jsp_node(p, N_Block, &p->tok);
  if (!body || !jsp_next(p)) return false;
  if (!jsp_directives_and_body(p, body, TOK_RBRACE)) return false;
  if (!jsp_next(p)) return false;
  jsp_finish(p, body);
  fn->b = body;
  return true;
}

static void finish_flags(JsNode *fn, const JsFuncCtx *fc) {
  if (fc->strict) fn->flags |= NF_STRICT;
  if (fc->is_async) fn->flags |= NF_ASYNC;
  if (fc->is_generator) fn->flags |= NF_GENERATOR;
}

JsNode *jsp_function(JsParser *p, int kind, bool is_async, bool is_gen, const JsToken *start) {
  if (!jsp_enter(p)) return NULL;
  JsNode *fn = NULL;
  JsFuncCtx fc;
  bool entered = false;
  if (!jsp_next(p)) goto out; /* 'function' */
  if (p->tok.kind == TOK_STAR) {
    is_gen = true;
    if (!jsp_next(p)) goto out;
  }
  fn = jsp_node(p, (kind & FN_DECL) ? N_FuncDecl : N_Function, start);
  if (!fn) goto out;
  if (p->tok.kind == TOK_IDENT) {
    /* A declaration's name belongs to the enclosing context; an expression's
     * name to the function itself. */
    if (kind & FN_DECL) {
      if (!jsp_check_ident(p, &p->tok, true)) goto out;
    } else {
      JsFuncCtx probe;
      enter_function(p, &probe, fn, is_async, is_gen);
      bool ok = jsp_check_ident(p, &p->tok, true);
      p->fc = probe.parent;
      if (!ok) goto out;
    }
    fn->a = jsp_ident_node(p, &p->tok);
    if (!fn->a || !jsp_next(p)) goto out;
  } else if ((kind & FN_DECL) && !(kind & FN_DEFAULT_EXPORT)) {
    jsp_unexpected(p);
    goto out;
  }
  enter_function(p, &fc, fn, is_async, is_gen);
  entered = true;
  if (!parse_params(p, fn) || !parse_body(p, fn)) goto out;
  if (!check_params(p, fn, &fc, false)) goto out;
  finish_flags(fn, &fc);
  jsp_finish(p, fn);
out:
  if (entered) p->fc = fc.parent;
  jsp_leave(p);
  return p->failed ? NULL : fn;
}

JsNode *jsp_method(JsParser *p, JsNodeKind kind, bool is_async, bool is_gen, int fl,
                   const JsToken *start) {
  if (!jsp_enter(p)) return NULL;
  JsNode *fn = jsp_node(p, kind, start);
  JsFuncCtx fc;
  bool entered = false;
  if (!fn) goto out;
  fn->flags |= NF_METHOD;
  if (fl & FN_CTOR) fn->flags |= NF_CTOR;
  if (fl & FN_DERIVED) fn->flags |= NF_DERIVED;
  enter_function(p, &fc, fn, is_async, is_gen);
  entered = true;
  fc.super_prop = true;
  fc.super_call = (fl & FN_CTOR) && (fl & FN_DERIVED);
  if (!parse_params(p, fn)) goto out;
  if ((fl & FN_GET) && fn->count != 0) {
    jsp_error(p, fn->start, "Getter must not have any formal parameters.");
    goto out;
  }
  if ((fl & FN_SET) && (fn->count != 1 || fn->list->kind == N_Rest)) {
    jsp_error(p, fn->start, "Setter must have exactly one formal parameter.");
    goto out;
  }
  if (!parse_body(p, fn)) goto out;
  if (!check_params(p, fn, &fc, true)) goto out;
  finish_flags(fn, &fc);
  jsp_finish(p, fn);
out:
  if (entered) p->fc = fc.parent;
  jsp_leave(p);
  return p->failed ? NULL : fn;
}

JsNode *jsp_arrow(JsParser *p, JsNode *params, bool is_async, bool in, const JsToken *start) {
  if (!jsp_enter(p)) return NULL;
  JsNode *fn = jsp_node(p, N_Arrow, start);
  JsFuncCtx fc;
  bool entered = false;
  if (!fn || !jsp_next(p)) goto out; /* '=>' */
  fn->list = params->list;
  fn->count = params->count;
  enter_function(p, &fc, fn, is_async, false);
  entered = true;
  fc.is_arrow = true;
  fc.new_target = false;
  if (p->tok.kind == TOK_LBRACE) {
    if (!parse_body(p, fn)) goto out;
  } else {
    fn->flags |= NF_EXPR_BODY;
    fn->b = jsp_assign(p, in, false);
    if (!fn->b) goto out;
  }
  if (!check_params(p, fn, &fc, true)) goto out;
  finish_flags(fn, &fc);
  jsp_finish(p, fn);
out:
  if (entered) p->fc = fc.parent;
  jsp_leave(p);
  return p->failed ? NULL : fn;
}

/* ---- classes ------------------------------------------------------------------------------ */

static bool key_is(const JsNode *key, uint32_t flags, const char *lit) {
  if (flags & NF_COMPUTED) return false;
  size_t n = strlen(lit);
  if (key->kind == N_Ident) return key->name_len == n && memcmp(key->name, lit, n) == 0;
  if (key->kind == N_String) {
    if (key->str_len != n) return false;
    for (size_t i = 0; i < n; i++)
      if (key->str[i] != (uint16_t)(unsigned char)lit[i]) return false;
    return true;
  }
  return false;
}

static bool declare_private(JsParser *p, const JsNode *key, int kind, bool is_static) {
  if (key->name_len == 11 && memcmp(key->name, "constructor", 11) == 0)
    return jsp_error(p, key->start, "Classes may not have a private field named '#constructor'");
  for (JsPrivName *d = p->cls->declared; d; d = d->next) {
    if (d->len != key->name_len || memcmp(d->name, key->name, d->len) != 0) continue;
    int dk = d->kind & 7;
    bool ds = d->kind >= 8;
    bool pair = ((dk == PROP_GET && kind == PROP_SET) || (dk == PROP_SET && kind == PROP_GET)) &&
                ds == is_static;
    if (!pair) return jsp_error(p, key->start, "Identifier '#%.*s' has already been declared", (int)d->len, d->name);
    d->kind = 7 | (is_static ? 8 : 0); /* the pair is complete */
  }
  JsPrivName *d = js_arena_alloc(p->arena, sizeof *d);
  if (!d) return jsp_error(p, key->start, "out of memory");
  d->name = key->name;
  d->len = key->name_len;
  d->pos = key->start;
  d->kind = (uint8_t)(kind | (is_static ? 8 : 0));
  d->next = p->cls->declared;
  p->cls->declared = d;
  return true;
}

/* After all members are known: every #x used must be declared here or in an
 * enclosing class. */
static bool resolve_private(JsParser *p) {
  JsClassCtx *c = p->cls;
  JsPrivName *u = c->used;
  while (u) {
    JsPrivName *next = u->next;
    bool found = false;
    for (JsPrivName *d = c->declared; d && !found; d = d->next)
      found = d->len == u->len && memcmp(d->name, u->name, u->len) == 0;
    if (!found) {
      if (!c->parent)
        return jsp_error(p, u->pos, "Private field '#%.*s' must be declared in an enclosing class", (int)u->len, u->name);
      u->next = c->parent->used;
      c->parent->used = u;
    }
    u = next;
  }
  return true;
}

static bool member_modifier_follows(JsParser *p) {
  JsToken nt;
  if (!jsp_peek(p, &nt)) return true;
  /* `get` NEWLINE `*g() {}`: a field named get, then a generator method. */
  if (nt.kind == TOK_STAR && (nt.flags & TF_NEWLINE_BEFORE) && (p->tok.word == W_get || p->tok.word == W_set))
    return false;
  return !(nt.kind == TOK_LPAREN || nt.kind == TOK_ASSIGN || nt.kind == TOK_SEMI ||
           nt.kind == TOK_RBRACE || nt.kind == TOK_EOF);
}

static JsNode *class_member(JsParser *p, bool derived, bool *has_ctor) {
  JsToken start = p->tok, text_start = p->tok;
  bool is_static = false, is_async = false, is_gen = false;
  int accessor = 0;
  if (jsp_is_word(p, W_static) && member_modifier_follows(p)) {
    is_static = true;
    if (!jsp_next(p)) return NULL;
    text_start = p->tok; /* a method's source text does not include `static` */
    if (p->tok.kind == TOK_LBRACE) {
      /* static { ... } */
      JsNode *blk = jsp_node(p, N_StaticBlock, &start);
      JsFuncCtx fc;
      FAIL_IF(!blk || !jsp_next(p));
      memset(&fc, 0, sizeof fc);
      fc.parent = p->fc;
      fc.node = blk;
      fc.strict = true;
      fc.static_block = fc.class_init = true;
      fc.super_prop = true;
      fc.new_target = true;
      p->fc = &fc;
      bool ok = true;
      JsNode *tail = NULL;
      while (ok && p->tok.kind != TOK_RBRACE) {
        JsNode *s = jsp_statement_list_item(p);
        if (!s) ok = false;
        else jsp_list_append(blk, &tail, s);
      }
      p->fc = fc.parent;
      FAIL_IF(!ok || !jsp_next(p));
      jsp_finish(p, blk);
      return blk;
    }
  }
  if (jsp_is_word(p, W_async) && member_modifier_follows(p)) {
    JsToken nt;
    jsp_peek(p, &nt);
    if (!(nt.flags & TF_NEWLINE_BEFORE)) {
      is_async = true;
      FAIL_IF(!jsp_next(p));
    }
  }
  if (p->tok.kind == TOK_STAR) {
    is_gen = true;
    FAIL_IF(!jsp_next(p));
  }
  if (!is_async && !is_gen && (jsp_is_word(p, W_get) || jsp_is_word(p, W_set)) &&
      member_modifier_follows(p)) {
    accessor = p->tok.word == W_get ? PROP_GET : PROP_SET;
    FAIL_IF(!jsp_next(p));
  }
  JsNode *m = jsp_node(p, N_ClassMember, &start);
  FAIL_IF(!m);
  if (is_static) m->flags |= NF_STATIC;
  JsToken keytok = p->tok;
  uint32_t kflags = 0;
  m->a = jsp_property_name(p, &kflags);
  FAIL_IF(!m->a);
  m->flags |= kflags;
  bool is_private = m->a->kind == N_PrivateName;
  if (p->tok.kind == TOK_LPAREN) {
    int fl = FN_METHOD | FN_CLASS_MEMBER;
    bool ctor = !is_static && !is_private && key_is(m->a, kflags, "constructor");
    if (ctor) {
      if (accessor) return jsp_error(p, keytok.start, "Class constructor may not be an accessor"), NULL;
      if (is_gen) return jsp_error(p, keytok.start, "Class constructor may not be a generator"), NULL;
      if (is_async) return jsp_error(p, keytok.start, "Class constructor may not be an async method"), NULL;
      if (*has_ctor) return jsp_error(p, keytok.start, "A class may only have one constructor"), NULL;
      *has_ctor = true;
      fl |= FN_CTOR | (derived ? FN_DERIVED : 0);
    }
    if (is_static && key_is(m->a, kflags, "prototype"))
      return jsp_error(p, keytok.start, "Classes may not have a static property named 'prototype'"), NULL;
    if (accessor == PROP_GET) fl |= FN_GET;
    if (accessor == PROP_SET) fl |= FN_SET;
    m->op = accessor ? (uint8_t)accessor : PROP_METHOD;
    if (is_private && !declare_private(p, m->a, m->op, is_static)) return NULL;
    m->b = jsp_method(p, N_Function, is_async, is_gen, fl, &text_start);
    FAIL_IF(!m->b);
    jsp_finish(p, m);
    return m;
  }
  if (is_async || is_gen || accessor) return jsp_unexpected(p), NULL;
  /* A field. */
  if (key_is(m->a, kflags, "constructor"))
    return jsp_error(p, keytok.start, "Classes may not have a field named 'constructor'"), NULL;
  if (is_static && key_is(m->a, kflags, "prototype"))
    return jsp_error(p, keytok.start, "Classes may not have a static property named 'prototype'"), NULL;
  m->op = PROP_FIELD;
  if (is_private && !declare_private(p, m->a, PROP_FIELD, is_static)) return NULL;
  if (p->tok.kind == TOK_ASSIGN) {
    JsNode *init = jsp_node(p, N_Function, &p->tok);
    FAIL_IF(!init || !jsp_next(p));
    JsFuncCtx fc;
    memset(&fc, 0, sizeof fc);
    fc.parent = p->fc;
    fc.node = init;
    fc.strict = true;
    fc.class_init = true;
    fc.super_prop = true;
    fc.new_target = true;
    fc.is_function = false;
    p->fc = &fc;
    uint32_t sy = p->yield_pos, sa = p->await_pos;
    init->b = jsp_assign(p, true, false);
    p->yield_pos = sy, p->await_pos = sa;
    p->fc = fc.parent;
    FAIL_IF(!init->b);
    init->flags |= NF_FIELD_INIT | NF_EXPR_BODY | NF_STRICT | NF_METHOD;
    jsp_finish(p, init);
    m->b = init;
  }
  FAIL_IF(!jsp_semicolon(p));
  jsp_finish(p, m);
  return m;
}

JsNode *jsp_class(JsParser *p, bool decl, bool default_export) {
  if (!jsp_enter(p)) return NULL;
  JsToken start = p->tok;
  JsNode *cls = NULL;
  bool saved_strict = p->fc->strict;
  JsClassCtx cc = {0};
  bool pushed = false;
  cls = jsp_node(p, decl ? N_ClassDecl : N_Class, &start);
  if (!cls || !jsp_next(p)) goto out;
  p->fc->strict = true; /* all parts of a class are strict code */
  if (p->tok.kind == TOK_IDENT) {
    if (!jsp_check_ident(p, &p->tok, true)) goto out;
    cls->a = jsp_ident_node(p, &p->tok);
    if (!cls->a || !jsp_next(p)) goto out;
  } else if (decl && !default_export) {
    jsp_unexpected(p);
    goto out;
  }
  if (p->tok.kind == TOK_EXTENDS) {
    if (!jsp_next(p)) goto out;
    cls->b = jsp_lhs(p);
    if (!cls->b) goto out;
    if (cls->b->kind == N_Arrow && !(cls->b->flags & NF_PARENS)) {
      jsp_unexpected(p);
      goto out;
    }
  }
  if (p->tok.kind != TOK_LBRACE) {
    jsp_unexpected(p);
    goto out;
  }
  if (!jsp_next(p)) goto out;
  cc.parent = p->cls;
  p->cls = &cc;
  pushed = true;
  bool has_ctor = false;
  JsNode *tail = NULL;
  while (p->tok.kind != TOK_RBRACE) {
    if (p->tok.kind == TOK_SEMI) {
      if (!jsp_next(p)) goto out;
      continue;
    }
    JsNode *m = class_member(p, cls->b != NULL, &has_ctor);
    if (!m) goto out;
    jsp_list_append(cls, &tail, m);
  }
  if (!resolve_private(p)) goto out;
  if (!jsp_next(p)) goto out;
  jsp_finish(p, cls);
out:
  if (pushed) p->cls = cc.parent;
  p->fc->strict = saved_strict;
  jsp_leave(p);
  return p->failed ? NULL : cls;
}
