/* parse_stmt.c: statements and declarations: the directive prologue (and
 * the retroactive effect of "use strict"), automatic semicolon insertion,
 * labels and break/continue targets, for/for-in/for-of heads, the
 * single-statement contexts that forbid declarations, and Annex B's
 * function declarations in if statements and labels. */
#include <string.h>

#include "js/parser.h"

#define FAIL_IF(x)                                                                                 \
  do {                                                                                             \
    if (x) return NULL;                                                                            \
  } while (0)

static JsNode *block(JsParser *p);
static JsNode *statement_inner(JsParser *p, bool allow_label_function);

/* ---- declarations ------------------------------------------------------------------- */

JsNode *jsp_var_decl(JsParser *p, int kind, bool in, bool for_head) {
  JsNode *decl = jsp_node(p, N_VarDecl, &p->tok), *tail = NULL;
  FAIL_IF(!decl || !jsp_next(p));
  decl->op = (uint8_t)kind;
  for (;;) {
    JsNode *d = jsp_node(p, N_Declarator, &p->tok);
    FAIL_IF(!d);
    if (kind != TOK_VAR && jsp_is_word(p, W_let)) {
      jsp_error(p, p->tok.start, "let is disallowed as a lexically bound name");
      return NULL;
    }
    d->a = jsp_binding_target(p);
    FAIL_IF(!d->a);
    if (p->tok.kind == TOK_ASSIGN) {
      FAIL_IF(!jsp_next(p));
      d->b = jsp_assign(p, in, false);
      FAIL_IF(!d->b);
    } else if (!(for_head && (p->tok.kind == TOK_IN || jsp_is_word(p, W_of)))) {
      if (kind == TOK_CONST) {
        jsp_error(p, p->tok.start, "Missing initializer in const declaration");
        return NULL;
      }
      if (d->a->kind != N_Ident) {
        jsp_error(p, p->tok.start, "Missing initializer in destructuring declaration");
        return NULL;
      }
    }
    jsp_finish(p, d);
    jsp_list_append(decl, &tail, d);
    if (p->tok.kind != TOK_COMMA) break;
    FAIL_IF(!jsp_next(p));
  }
  jsp_finish(p, decl);
  return decl;
}

/* Is the `let` at the current token the start of a lexical declaration? */
static bool let_declaration_follows(JsParser *p) {
  if (!jsp_is_word(p, W_let)) return false;
  JsToken nt;
  if (!jsp_peek(p, &nt)) return false;
  if (nt.kind == TOK_LBRACKET || nt.kind == TOK_LBRACE) return true;
  /* An identifier after `let` always makes a declaration, even across a
   * line break (`let \n yield 0` in a generator is an error, not ASI). */
  if (nt.kind == TOK_IDENT) return true;
  /* Escaped reserved words: `let l\u0065t` is an error reported later. */
  return false;
}

static JsNode *lexical_decl(JsParser *p, int kind) {
  JsNode *d = jsp_var_decl(p, kind, true, false);
  FAIL_IF(!d || !jsp_semicolon(p));
  jsp_finish(p, d);
  return d;
}

/* ---- directives and statement lists ------------------------------------------------------ */

static bool is_use_strict(const JsParser *p, const JsNode *stmt) {
  const JsNode *s = stmt->a;
  uint32_t n = s->end - s->start;
  return n == 12 && (memcmp(p->src + s->start, "\"use strict\"", 12) == 0 ||
                     memcmp(p->src + s->start, "'use strict'", 12) == 0);
}

bool jsp_directives_and_body(JsParser *p, JsNode *owner, JsTokenKind end) {
  JsNode *tail = NULL;
  bool prologue = true;
  uint32_t octal_pos = 0;
  while (p->tok.kind != end) {
    if (p->tok.kind == TOK_EOF) return jsp_unexpected(p);
    bool is_string = p->tok.kind == TOK_STRING;
    if (prologue && is_string && (p->tok.flags & TF_LEGACY_OCTAL) && !octal_pos)
      octal_pos = p->tok.aux + 1;
    p->toplevel_item = owner->kind == N_Program;
    JsNode *s = jsp_statement_list_item(p);
    if (!s) return false;
    jsp_list_append(owner, &tail, s);
    if (prologue) {
      if (is_string && s->kind == N_ExprStmt && s->a->kind == N_String && !(s->a->flags & NF_PARENS)) {
        s->flags |= NF_DIRECTIVE;
        if (is_use_strict(p, s)) {
          p->fc->use_strict = true;
          if (!p->fc->strict) {
            p->fc->strict = true;
            if (octal_pos) return jsp_error(p, octal_pos - 1, "Octal escape sequences are not allowed in strict mode");
          }
        }
      } else {
        prologue = false;
      }
    }
  }
  if (p->fc->strict) owner->flags |= NF_STRICT;
  return true;
}

static bool in_async_context(const JsParser *p) {
  const JsFuncCtx *f = p->fc;
  return f->is_async && !f->static_block && !f->class_init;
}

JsNode *jsp_statement_list_item(JsParser *p) {
  JsToken t = p->tok;
  bool toplevel = p->toplevel_item;
  p->toplevel_item = false;
  switch (t.kind) {
  case TOK_FUNCTION: return jsp_function(p, FN_DECL, false, false, &t);
  case TOK_CLASS: return jsp_class(p, true, false);
  case TOK_CONST: return lexical_decl(p, TOK_CONST);
  case TOK_IMPORT: {
    JsToken nt;
    if (jsp_peek(p, &nt) && (nt.kind == TOK_LPAREN || nt.kind == TOK_DOT)) break;
    if (!p->module) return jsp_error(p, t.start, "Cannot use import statement outside a module"), NULL;
    if (!toplevel) return jsp_unexpected(p), NULL;
    return jsp_import(p);
  }
  case TOK_EXPORT:
    if (!p->module) return jsp_error(p, t.start, "Unexpected token 'export'"), NULL;
    if (!toplevel) return jsp_unexpected(p), NULL;
    return jsp_export(p);
  case TOK_IDENT:
    if (let_declaration_follows(p)) return lexical_decl(p, 0);
    if (jsp_is_word(p, W_async)) {
      JsToken nt;
      if (jsp_peek(p, &nt) && nt.kind == TOK_FUNCTION && !(nt.flags & TF_NEWLINE_BEFORE)) {
        FAIL_IF(!jsp_next(p));
        return jsp_function(p, FN_DECL, true, false, &t);
      }
    }
    break;
  default: break;
  }
  return jsp_statement(p);
}

/* ---- statements --------------------------------------------------------------------------- */

static JsNode *block(JsParser *p) {
  JsNode *b = jsp_node(p, N_Block, &p->tok), *tail = NULL;
  FAIL_IF(!b || !jsp_next(p));
  while (p->tok.kind != TOK_RBRACE) {
    if (p->tok.kind == TOK_EOF) return jsp_unexpected(p), NULL;
    JsNode *s = jsp_statement_list_item(p);
    FAIL_IF(!s);
    jsp_list_append(b, &tail, s);
  }
  FAIL_IF(!jsp_next(p));
  jsp_finish(p, b);
  return b;
}

/* The body of if/while/for/with/labels: no declarations, except Annex B's
 * sloppy-mode function declaration under if (and labels, handled there). */
static JsNode *sub_statement_ex(JsParser *p, bool annexb_function, bool label_function) {
  JsToken t = p->tok;
  if (t.kind == TOK_CLASS || t.kind == TOK_CONST ||
      (jsp_is_word(p, W_let) && ({
         JsToken nt;
         jsp_peek(p, &nt) && nt.kind == TOK_LBRACKET;
       }))) {
    jsp_error(p, t.start, "Lexical declaration cannot appear in a single-statement context");
    return NULL;
  }
  if (t.kind == TOK_FUNCTION) {
    JsToken nt;
    jsp_peek(p, &nt);
    if (p->fc->strict || !annexb_function || nt.kind == TOK_STAR) {
      jsp_error(p, t.start,
                p->fc->strict ? "In strict mode code, functions can only be declared at top level or inside a block."
                              : "In non-strict mode code, functions can only be declared at top level, inside a block, or as the body of an if statement.");
      return NULL;
    }
    /* Annex B.3.4: as if wrapped in a block. */
    JsNode *b = jsp_node(p, N_Block, &t);
    FAIL_IF(!b);
    b->list = jsp_function(p, FN_DECL, false, false, &t);
    FAIL_IF(!b->list);
    b->count = 1;
    jsp_finish(p, b);
    return b;
  }
  if (jsp_is_word(p, W_async)) {
    JsToken nt;
    if (jsp_peek(p, &nt) && nt.kind == TOK_FUNCTION && !(nt.flags & TF_NEWLINE_BEFORE)) {
      jsp_error(p, t.start, "Async functions can only be declared at the top level or inside a block.");
      return NULL;
    }
  }
  if (t.kind == TOK_EXPORT) return jsp_unexpected(p), NULL;
  if (t.kind == TOK_IMPORT) {
    /* import() and import.meta are expressions; declarations are not. */
    JsToken nt;
    if (!jsp_peek(p, &nt) || (nt.kind != TOK_LPAREN && nt.kind != TOK_DOT))
      return jsp_unexpected(p), NULL;
  }
  if (!jsp_enter(p)) return NULL;
  JsNode *n = statement_inner(p, label_function);
  jsp_leave(p);
  return p->failed ? NULL : n;
}

static JsNode *sub_statement(JsParser *p, bool annexb_function) {
  return sub_statement_ex(p, annexb_function, false);
}


static JsNode *loop_body(JsParser *p) {
  p->fc->loop_depth++;
  JsNode *b = sub_statement(p, false);
  p->fc->loop_depth--;
  return b;
}


static JsNode *for_statement(JsParser *p) {
  JsToken t = p->tok;
  FAIL_IF(!jsp_next(p));
  bool is_await = false;
  if (jsp_is_word(p, W_await)) {
    if (!in_async_context(p)) return jsp_unexpected(p), NULL;
    is_await = true;
    FAIL_IF(!jsp_next(p));
  }
  FAIL_IF(!jsp_expect(p, TOK_LPAREN));
  JsNode *init = NULL;
  JsToken init_tok = p->tok;
  bool is_decl = false;
  if (p->tok.kind == TOK_SEMI) {
    /* no init */
  } else if (p->tok.kind == TOK_VAR || p->tok.kind == TOK_CONST || let_declaration_follows(p)) {
    int kind = p->tok.kind == TOK_IDENT ? 0 : p->tok.kind;
    init = jsp_var_decl(p, kind, false, true);
    FAIL_IF(!init);
    is_decl = true;
  } else {
    uint32_t saved_cover = p->cover_init_pos;
    p->cover_init_pos = 0;
    init = jsp_assign(p, false, true);
    FAIL_IF(!init);
    bool head_of = jsp_is_word(p, W_of), head_in = p->tok.kind == TOK_IN;
    if (head_of || head_in) {
      if (head_of && !is_await && init->kind == N_Ident && !(init->flags & NF_PARENS) &&
          init_tok.kind == TOK_IDENT && init_tok.word == W_async && !(init_tok.flags & TF_ESCAPED))
        return jsp_error(p, init->start, "The left-hand side of a for-of loop may not be 'async'."), NULL;
      if (head_of && init_tok.kind == TOK_IDENT && init_tok.word == W_let &&
          !(init_tok.flags & TF_ESCAPED))
        return jsp_error(p, init->start, "The left-hand side of a for-of loop may not be 'let'."), NULL;
      if ((init->kind == N_Object || init->kind == N_Array) && !(init->flags & NF_PARENS)) {
        if (!jsp_to_pattern(p, init, false)) return NULL;
      } else if (!jsp_is_simple_target(init, p->fc->strict) &&
                 !(init->kind == N_Call && !p->fc->strict)) {
        jsp_error(p, init->start, "Invalid left-hand side in for-%s loop", head_of ? "of" : "in");
        return NULL;
      }
      p->cover_init_pos = saved_cover;
    } else {
      if (p->cover_init_pos) {
        jsp_error(p, p->cover_init_pos - 1, "Invalid shorthand property initializer");
        return NULL;
      }
      p->cover_init_pos = saved_cover;
      if (p->tok.kind == TOK_COMMA) {
        JsNode *seq = jsp_node_at(p, N_Sequence, init), *tail = NULL;
        FAIL_IF(!seq);
        jsp_list_append(seq, &tail, init);
        while (p->tok.kind == TOK_COMMA) {
          FAIL_IF(!jsp_next(p));
          JsNode *e = jsp_assign(p, false, false);
          FAIL_IF(!e);
          jsp_list_append(seq, &tail, e);
        }
        jsp_finish(p, seq);
        init = seq;
      }
    }
  }
  bool of = jsp_is_word(p, W_of);
  if (of || p->tok.kind == TOK_IN) {
    if (is_decl) {
      JsNode *d = init->list;
      if (init->count != 1) {
        jsp_error(p, init->start, "Invalid left-hand side in for-%s loop: Must have a single binding.", of ? "of" : "in");
        return NULL;
      }
      if (d->b) {
        bool annexb = !of && init->op == TOK_VAR && !p->fc->strict && d->a->kind == N_Ident;
        if (!annexb) {
          jsp_error(p, init->start, "for-%s loop variable declaration may not have an initializer.", of ? "of" : "in");
          return NULL;
        }
      }
    }
    if (is_await && !of) return jsp_unexpected(p), NULL;
    JsNode *n = jsp_node(p, of ? N_ForOf : N_ForIn, &t);
    FAIL_IF(!n || !jsp_next(p));
    if (is_await) n->flags |= NF_AWAIT;
    n->a = init;
    n->b = of ? jsp_assign(p, true, false) : jsp_expression(p, true);
    FAIL_IF(!n->b || !jsp_expect(p, TOK_RPAREN));
    n->d = loop_body(p);
    FAIL_IF(!n->d);
    jsp_finish(p, n);
    return n;
  }
  if (is_await) return jsp_unexpected(p), NULL;
  if (is_decl) {
    for (JsNode *d = init->list; d; d = d->next) {
      if (!d->b && (init->op == TOK_CONST || d->a->kind != N_Ident)) {
        jsp_error(p, d->start, init->op == TOK_CONST ? "Missing initializer in const declaration"
                                                    : "Missing initializer in destructuring declaration");
        return NULL;
      }
    }
  }
  JsNode *n = jsp_node(p, N_For, &t);
  FAIL_IF(!n);
  n->a = init;
  FAIL_IF(!jsp_expect(p, TOK_SEMI));
  if (p->tok.kind != TOK_SEMI) {
    n->b = jsp_expression(p, true);
    FAIL_IF(!n->b);
  }
  FAIL_IF(!jsp_expect(p, TOK_SEMI));
  if (p->tok.kind != TOK_RPAREN) {
    n->c = jsp_expression(p, true);
    FAIL_IF(!n->c);
  }
  FAIL_IF(!jsp_expect(p, TOK_RPAREN));
  n->d = loop_body(p);
  FAIL_IF(!n->d);
  jsp_finish(p, n);
  return n;
}

static JsNode *paren_expr(JsParser *p) {
  FAIL_IF(!jsp_expect(p, TOK_LPAREN));
  JsNode *e = jsp_expression(p, true);
  FAIL_IF(!e || !jsp_expect(p, TOK_RPAREN));
  return e;
}

static JsLabel *find_label(JsParser *p, const JsToken *t) {
  for (JsLabel *l = p->fc->labels; l; l = l->prev)
    if (l->len == t->id_len && memcmp(l->name, t->id, l->len) == 0) return l;
  return NULL;
}

static JsNode *jump(JsParser *p, JsNodeKind kind) {
  JsToken t = p->tok;
  JsNode *n = jsp_node(p, kind, &t);
  FAIL_IF(!n || !jsp_next(p));
  if (p->tok.kind == TOK_IDENT && !(p->tok.flags & TF_NEWLINE_BEFORE)) {
    JsLabel *l = find_label(p, &p->tok);
    if (!l) {
      jsp_error(p, p->tok.start, "Undefined label '%.*s'", (int)p->tok.id_len, p->tok.id);
      return NULL;
    }
    if (kind == N_Continue && !l->loop) {
      jsp_error(p, p->tok.start, "Illegal continue statement: '%.*s' does not denote an iteration statement",
                (int)p->tok.id_len, p->tok.id);
      return NULL;
    }
    n->name = js_arena_strdup(p->arena, p->tok.id, p->tok.id_len);
    n->name_len = p->tok.id_len;
    FAIL_IF(!jsp_next(p));
  } else if (kind == N_Continue && !p->fc->loop_depth) {
    jsp_error(p, t.start, "Illegal continue statement: no surrounding iteration statement");
    return NULL;
  } else if (kind == N_Break && !p->fc->loop_depth && !p->fc->switch_depth) {
    jsp_error(p, t.start, "Illegal break statement");
    return NULL;
  }
  FAIL_IF(!jsp_semicolon(p));
  jsp_finish(p, n);
  return n;
}

static bool starts_loop(const JsParser *p) {
  return p->tok.kind == TOK_FOR || p->tok.kind == TOK_WHILE || p->tok.kind == TOK_DO;
}

static JsNode *labeled(JsParser *p, JsNode *id, bool allow_function) {
  for (JsLabel *l = p->fc->labels; l; l = l->prev)
    if (l->len == id->name_len && memcmp(l->name, id->name, l->len) == 0) {
      jsp_error(p, id->start, "Label '%.*s' has already been declared", (int)l->len, l->name);
      return NULL;
    }
  FAIL_IF(!jsp_next(p)); /* ':' */
  JsLabel label = {id->name, id->name_len, false, p->fc->labels};
  p->fc->labels = &label;
  p->pending_labels++;
  /* All labels directly in front of a loop are loop labels. */
  JsNode *n = jsp_node_at(p, N_Labeled, id);
  JsNode *body = NULL;
  if (n) {
    n->name = id->name;
    n->name_len = id->name_len;
    if (starts_loop(p)) {
      for (JsLabel *l = &label; l && p->pending_labels; l = l->prev, p->pending_labels--) l->loop = true;
    }
    if (p->tok.kind == TOK_FUNCTION) {
      JsToken t = p->tok, nt;
      jsp_peek(p, &nt);
      if (p->fc->strict || !allow_function || nt.kind == TOK_STAR) {
        jsp_error(p, t.start, p->fc->strict ? "In strict mode code, functions can only be declared at top level or inside a block."
                                            : "In non-strict mode code, functions can only be declared at top level, inside a block, or as the body of an if statement.");
      } else {
        body = jsp_function(p, FN_DECL, false, false, &t);
      }
    } else {
      body = sub_statement_ex(p, false, allow_function);
    }
  }
  p->pending_labels = 0;
  p->fc->labels = label.prev;
  FAIL_IF(!n || !body);
  n->a = body;
  jsp_finish(p, n);
  return n;
}

static JsNode *statement_inner(JsParser *p, bool allow_label_function) {
  JsToken t = p->tok;
  JsNode *n;
  if (!starts_loop(p) && t.kind != TOK_IDENT) p->pending_labels = 0;
  switch (t.kind) {
  case TOK_LBRACE: p->pending_labels = 0; return block(p);
  case TOK_SEMI:
    n = jsp_node(p, N_Empty, &t);
    FAIL_IF(!n || !jsp_next(p));
    return n;
  case TOK_VAR: {
    p->pending_labels = 0;
    JsNode *d = jsp_var_decl(p, TOK_VAR, true, false);
    FAIL_IF(!d || !jsp_semicolon(p));
    return d;
  }
  case TOK_IF:
    n = jsp_node(p, N_If, &t);
    FAIL_IF(!n || !jsp_next(p));
    n->a = paren_expr(p);
    FAIL_IF(!n->a);
    n->b = sub_statement(p, true);
    FAIL_IF(!n->b);
    if (p->tok.kind == TOK_ELSE) {
      FAIL_IF(!jsp_next(p));
      n->c = sub_statement(p, true);
      FAIL_IF(!n->c);
    }
    jsp_finish(p, n);
    return n;
  case TOK_FOR: p->pending_labels = 0; return for_statement(p);
  case TOK_WHILE:
    p->pending_labels = 0;
    n = jsp_node(p, N_While, &t);
    FAIL_IF(!n || !jsp_next(p));
    n->a = paren_expr(p);
    FAIL_IF(!n->a);
    n->d = loop_body(p);
    FAIL_IF(!n->d);
    jsp_finish(p, n);
    return n;
  case TOK_DO:
    p->pending_labels = 0;
    n = jsp_node(p, N_DoWhile, &t);
    FAIL_IF(!n || !jsp_next(p));
    n->d = loop_body(p);
    FAIL_IF(!n->d);
    FAIL_IF(!jsp_expect(p, TOK_WHILE));
    n->a = paren_expr(p);
    FAIL_IF(!n->a);
    /* A semicolon after do-while is always optional (ES2015 ASI rule). */
    if (p->tok.kind == TOK_SEMI) FAIL_IF(!jsp_next(p));
    jsp_finish(p, n);
    return n;
  case TOK_CONTINUE: return jump(p, N_Continue);
  case TOK_BREAK: return jump(p, N_Break);
  case TOK_RETURN: {
    const JsFuncCtx *f = p->fc;
    if (!f->is_function || f->class_init)
      return jsp_error(p, t.start, "Illegal return statement"), NULL;
    n = jsp_node(p, N_Return, &t);
    FAIL_IF(!n || !jsp_next(p));
    if (p->tok.kind != TOK_SEMI && p->tok.kind != TOK_RBRACE && p->tok.kind != TOK_EOF &&
        !(p->tok.flags & TF_NEWLINE_BEFORE)) {
      n->a = jsp_expression(p, true);
      FAIL_IF(!n->a);
    }
    FAIL_IF(!jsp_semicolon(p));
    jsp_finish(p, n);
    return n;
  }
  case TOK_THROW:
    n = jsp_node(p, N_Throw, &t);
    FAIL_IF(!n || !jsp_next(p));
    if (p->tok.flags & TF_NEWLINE_BEFORE) return jsp_error(p, p->tok.start, "Illegal newline after throw"), NULL;
    n->a = jsp_expression(p, true);
    FAIL_IF(!n->a || !jsp_semicolon(p));
    jsp_finish(p, n);
    return n;
  case TOK_TRY:
    n = jsp_node(p, N_Try, &t);
    FAIL_IF(!n || !jsp_next(p));
    if (p->tok.kind != TOK_LBRACE) return jsp_unexpected(p), NULL;
    n->a = block(p);
    FAIL_IF(!n->a);
    if (p->tok.kind == TOK_CATCH) {
      FAIL_IF(!jsp_next(p));
      if (p->tok.kind == TOK_LPAREN) {
        FAIL_IF(!jsp_next(p));
        n->b = jsp_binding_target(p);
        FAIL_IF(!n->b || !jsp_expect(p, TOK_RPAREN));
      }
      if (p->tok.kind != TOK_LBRACE) return jsp_unexpected(p), NULL;
      n->c = block(p);
      FAIL_IF(!n->c);
    }
    if (p->tok.kind == TOK_FINALLY) {
      FAIL_IF(!jsp_next(p));
      if (p->tok.kind != TOK_LBRACE) return jsp_unexpected(p), NULL;
      n->d = block(p);
      FAIL_IF(!n->d);
    }
    if (!n->c && !n->d) return jsp_error(p, p->tok.start, "Missing catch or finally after try"), NULL;
    jsp_finish(p, n);
    return n;
  case TOK_SWITCH: {
    n = jsp_node(p, N_Switch, &t);
    FAIL_IF(!n || !jsp_next(p));
    n->a = paren_expr(p);
    FAIL_IF(!n->a);
    FAIL_IF(!jsp_expect(p, TOK_LBRACE));
    JsNode *tail = NULL;
    bool has_default = false;
    p->fc->switch_depth++;
    while (p->tok.kind != TOK_RBRACE) {
      JsNode *c = jsp_node(p, N_Case, &p->tok), *ctail = NULL;
      if (!c) break;
      if (p->tok.kind == TOK_CASE) {
        if (!jsp_next(p)) break;
        c->a = jsp_expression(p, true);
        if (!c->a) break;
      } else if (p->tok.kind == TOK_DEFAULT) {
        if (has_default) {
          jsp_error(p, p->tok.start, "More than one default clause in switch statement");
          break;
        }
        has_default = true;
        if (!jsp_next(p)) break;
      } else {
        jsp_unexpected(p);
        break;
      }
      if (!jsp_expect(p, TOK_COLON)) break;
      while (p->tok.kind != TOK_CASE && p->tok.kind != TOK_DEFAULT && p->tok.kind != TOK_RBRACE) {
        if (p->tok.kind == TOK_EOF) {
          jsp_unexpected(p);
          break;
        }
        JsNode *s = jsp_statement_list_item(p);
        if (!s) break;
        jsp_list_append(c, &ctail, s);
      }
      if (p->failed) break;
      jsp_finish(p, c);
      jsp_list_append(n, &tail, c);
    }
    p->fc->switch_depth--;
    FAIL_IF(p->failed || !jsp_next(p));
    jsp_finish(p, n);
    return n;
  }
  case TOK_WITH:
    if (p->fc->strict) return jsp_error(p, t.start, "Strict mode code may not include a with statement"), NULL;
    n = jsp_node(p, N_With, &t);
    FAIL_IF(!n || !jsp_next(p));
    n->a = paren_expr(p);
    FAIL_IF(!n->a);
    n->d = sub_statement(p, false);
    FAIL_IF(!n->d);
    jsp_finish(p, n);
    return n;
  case TOK_DEBUGGER:
    n = jsp_node(p, N_Debugger, &t);
    FAIL_IF(!n || !jsp_next(p) || !jsp_semicolon(p));
    return n;
  case TOK_FUNCTION:
  case TOK_CLASS:
  case TOK_CONST:
  case TOK_IMPORT:
  case TOK_EXPORT:
    if (t.kind == TOK_IMPORT) {
      JsToken nt;
      if (jsp_peek(p, &nt) && (nt.kind == TOK_LPAREN || nt.kind == TOK_DOT)) break;
    }
    return sub_statement(p, false);
  default: break;
  }
  /* Expression statement or labelled statement. */
  if (jsp_is_word(p, W_let)) {
    JsToken nt;
    if (jsp_peek(p, &nt) && nt.kind == TOK_LBRACKET)
      return jsp_error(p, t.start, "Lexical declaration cannot appear in a single-statement context"), NULL;
  }
  JsNode *e = jsp_expression(p, true);
  FAIL_IF(!e);
  if (e->kind == N_Ident && !(e->flags & NF_PARENS) && p->tok.kind == TOK_COLON &&
      t.kind == TOK_IDENT)
    return labeled(p, e, allow_label_function);
  p->pending_labels = 0;
  n = jsp_node_at(p, N_ExprStmt, e);
  FAIL_IF(!n);
  n->a = e;
  FAIL_IF(!jsp_semicolon(p));
  jsp_finish(p, n);
  return n;
}

JsNode *jsp_statement(JsParser *p) {
  if (!jsp_enter(p)) return NULL;
  JsNode *n = statement_inner(p, true);
  jsp_leave(p);
  return p->failed ? NULL : n;
}
