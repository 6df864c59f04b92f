/* parse_module.c: import and export declarations of ES modules, including
 * string export names, `export * as ns`, and import attributes
 * (`with { type: "json" }`). Export-name conflicts and unresolvable local
 * exports are checked by scope analysis, which knows the module's bindings. */
#include <string.h>

#include "js/parser.h"

#define FAIL_IF(x)                                                                                 \
  do {                                                                                             \
    if (x) return NULL;                                                                            \
  } while (0)

static bool well_formed(const JsNode *s) {
  for (uint32_t i = 0; i < s->str_len; i++) {
    uint16_t c = s->str[i];
    if (c >= 0xD800 && c <= 0xDBFF) {
      if (i + 1 < s->str_len && s->str[i + 1] >= 0xDC00 && s->str[i + 1] <= 0xDFFF) {
        i++;
        continue;
      }
      return false;
    }
    if (c >= 0xDC00 && c <= 0xDFFF) return false;
  }
  return true;
}

/* ModuleExportName: IdentifierName or a well-formed string. */
static JsNode *export_name(JsParser *p) {
  if (p->tok.kind == TOK_STRING) {
    JsToken t = p->tok;
    JsNode *s = jsp_node(p, N_String, &t);
    FAIL_IF(!s);
    s->str = t.str;
    s->str_len = t.str_len;
    if (!well_formed(s)) return jsp_error(p, t.start, "Invalid module export name: contains unpaired surrogate"), NULL;
    FAIL_IF(!jsp_next(p));
    return s;
  }
  uint32_t fl = 0;
  if (p->tok.kind != TOK_IDENT && !(p->tok.kind >= TOK_FIRST_KEYWORD && p->tok.kind <= TOK_LAST_KEYWORD))
    return jsp_unexpected(p), NULL;
  return jsp_property_name(p, &fl);
}

static JsNode *module_source(JsParser *p) {
  if (p->tok.kind != TOK_STRING) return jsp_unexpected(p), NULL;
  JsNode *s = jsp_node(p, N_String, &p->tok);
  FAIL_IF(!s);
  s->str = p->tok.str;
  s->str_len = p->tok.str_len;
  FAIL_IF(!jsp_next(p));
  return s;
}

static bool same_key(const JsNode *a, const JsNode *b) {
  if (a->kind == N_String && b->kind == N_String)
    return a->str_len == b->str_len && memcmp(a->str, b->str, a->str_len * 2) == 0;
  if (a->kind == N_Ident && b->kind == N_Ident)
    return a->name_len == b->name_len && memcmp(a->name, b->name, a->name_len) == 0;
  const JsNode *s = a->kind == N_String ? a : b, *i = a->kind == N_String ? b : a;
  if (s->str_len != i->name_len) return false;
  for (uint32_t k = 0; k < s->str_len; k++)
    if (s->str[k] != (unsigned char)i->name[k]) return false; /* non-ASCII: treated as different */
  return true;
}

/* `with { key: "value", ... }` after a module specifier, or NULL. */
static bool attributes(JsParser *p, JsNode **out) {
  *out = NULL;
  if (p->tok.kind != TOK_WITH) return true;
  JsNode *obj = jsp_node(p, N_Object, &p->tok), *tail = NULL;
  if (!obj || !jsp_next(p) || !jsp_expect(p, TOK_LBRACE)) return false;
  while (p->tok.kind != TOK_RBRACE) {
    JsNode *prop = jsp_node(p, N_Property, &p->tok);
    if (!prop) return false;
    if (p->tok.kind == TOK_STRING) prop->a = module_source(p);
    else if (p->tok.kind == TOK_IDENT || (p->tok.kind >= TOK_FIRST_KEYWORD && p->tok.kind <= TOK_LAST_KEYWORD)) {
      uint32_t fl = 0;
      prop->a = jsp_property_name(p, &fl);
    } else return jsp_unexpected(p);
    if (!prop->a || !jsp_expect(p, TOK_COLON)) return false;
    for (JsNode *q = obj->list; q; q = q->next)
      if (same_key(q->a, prop->a)) return jsp_error(p, prop->a->start, "Import attribute has duplicate key");
    prop->b = module_source(p);
    if (!prop->b) return false;
    jsp_finish(p, prop);
    jsp_list_append(obj, &tail, prop);
    if (p->tok.kind == TOK_COMMA) {
      if (!jsp_next(p)) return false;
    } else if (p->tok.kind != TOK_RBRACE) {
      return jsp_unexpected(p);
    }
  }
  if (!jsp_next(p)) return false;
  jsp_finish(p, obj);
  *out = obj;
  return true;
}

static JsNode *local_binding(JsParser *p) { return jsp_binding_ident(p); }

JsNode *jsp_import(JsParser *p) {
  JsNode *n = jsp_node(p, N_Import, &p->tok), *tail = NULL;
  FAIL_IF(!n || !jsp_next(p));
  if (p->tok.kind == TOK_STRING) {
    n->a = module_source(p);
    FAIL_IF(!n->a || !attributes(p, &n->b) || !jsp_semicolon(p));
    jsp_finish(p, n);
    return n;
  }
  if (p->tok.kind == TOK_IDENT) {
    JsNode *d = jsp_node(p, N_ImportDefault, &p->tok);
    FAIL_IF(!d);
    d->b = local_binding(p);
    FAIL_IF(!d->b);
    jsp_list_append(n, &tail, d);
    if (p->tok.kind == TOK_COMMA) {
      FAIL_IF(!jsp_next(p));
      if (p->tok.kind != TOK_STAR && p->tok.kind != TOK_LBRACE) return jsp_unexpected(p), NULL;
    }
  }
  if (p->tok.kind == TOK_STAR) {
    JsNode *ns = jsp_node(p, N_ImportNamespace, &p->tok);
    FAIL_IF(!ns || !jsp_next(p));
    if (!jsp_is_word(p, W_as)) return jsp_unexpected(p), NULL;
    FAIL_IF(!jsp_next(p));
    ns->b = local_binding(p);
    FAIL_IF(!ns->b);
    jsp_list_append(n, &tail, ns);
  } else if (p->tok.kind == TOK_LBRACE) {
    FAIL_IF(!jsp_next(p));
    while (p->tok.kind != TOK_RBRACE) {
      JsNode *spec = jsp_node(p, N_ImportSpec, &p->tok);
      FAIL_IF(!spec);
      JsToken nametok = p->tok;
      spec->a = export_name(p);
      FAIL_IF(!spec->a);
      if (jsp_is_word(p, W_as)) {
        FAIL_IF(!jsp_next(p));
        spec->b = local_binding(p);
        FAIL_IF(!spec->b);
      } else {
        /* `import { x }`: x must itself be a valid binding identifier. */
        if (nametok.kind != TOK_IDENT) {
          if (nametok.kind == TOK_STRING) return jsp_error(p, nametok.start, "Unexpected string"), NULL;
          return jsp_error(p, nametok.start, "Unexpected reserved word"), NULL;
        }
        if (!jsp_check_ident(p, &nametok, true)) return NULL;
        spec->b = spec->a;
      }
      jsp_finish(p, spec);
      jsp_list_append(n, &tail, spec);
      if (p->tok.kind == TOK_COMMA) {
        FAIL_IF(!jsp_next(p));
      } else if (p->tok.kind != TOK_RBRACE) {
        return jsp_unexpected(p), NULL;
      }
    }
    FAIL_IF(!jsp_next(p));
  } else if (!n->list) {
    return jsp_unexpected(p), NULL;
  }
  if (!jsp_is_word(p, W_from)) return jsp_unexpected(p), NULL;
  FAIL_IF(!jsp_next(p));
  n->a = module_source(p);
  FAIL_IF(!n->a || !attributes(p, &n->b) || !jsp_semicolon(p));
  jsp_finish(p, n);
  return n;
}

JsNode *jsp_export(JsParser *p) {
  JsToken t = p->tok;
  FAIL_IF(!jsp_next(p));
  if (p->tok.kind == TOK_STAR) {
    JsNode *n = jsp_node(p, N_ExportAll, &t);
    FAIL_IF(!n || !jsp_next(p));
    if (jsp_is_word(p, W_as)) {
      FAIL_IF(!jsp_next(p));
      n->b = export_name(p);
      FAIL_IF(!n->b);
    }
    if (!jsp_is_word(p, W_from)) return jsp_unexpected(p), NULL;
    FAIL_IF(!jsp_next(p));
    n->a = module_source(p);
    FAIL_IF(!n->a || !attributes(p, &n->c) || !jsp_semicolon(p));
    jsp_finish(p, n);
    return n;
  }
  if (p->tok.kind == TOK_DEFAULT) {
    JsNode *n = jsp_node(p, N_ExportDefault, &t);
    FAIL_IF(!n || !jsp_next(p));
    JsToken d = p->tok;
    if (d.kind == TOK_FUNCTION) {
      n->a = jsp_function(p, FN_DECL | FN_DEFAULT_EXPORT, false, false, &d);
    } else if (d.kind == TOK_CLASS) {
      n->a = jsp_class(p, true, true);
    } else if (jsp_is_word(p, W_async)) {
      JsToken nt;
      if (jsp_peek(p, &nt) && nt.kind == TOK_FUNCTION && !(nt.flags & TF_NEWLINE_BEFORE)) {
        FAIL_IF(!jsp_next(p));
        n->a = jsp_function(p, FN_DECL | FN_DEFAULT_EXPORT, true, false, &d);
      } else {
        n->a = jsp_assign(p, true, false);
        FAIL_IF(!n->a || !jsp_semicolon(p));
      }
    } else {
      n->a = jsp_assign(p, true, false);
      FAIL_IF(!n->a || !jsp_semicolon(p));
    }
    FAIL_IF(!n->a);
    jsp_finish(p, n);
    return n;
  }
  JsNode *n = jsp_node(p, N_ExportNamed, &t), *tail = NULL;
  FAIL_IF(!n);
  if (p->tok.kind == TOK_LBRACE) {
    FAIL_IF(!jsp_next(p));
    uint32_t bad_local = 0; /* a local name that is a reserved word or a string */
    while (p->tok.kind != TOK_RBRACE) {
      JsNode *spec = jsp_node(p, N_ExportSpec, &p->tok);
      FAIL_IF(!spec);
      JsToken lt = p->tok;
      spec->a = export_name(p);
      FAIL_IF(!spec->a);
      if (!bad_local && (lt.kind != TOK_IDENT || lt.keyword)) bad_local = lt.start + 1;
      if (!bad_local && lt.kind == TOK_IDENT && (lt.word == W_await || lt.word == W_implements ||
                                                 lt.word == W_interface || lt.word == W_let ||
                                                 lt.word == W_package || lt.word == W_private ||
                                                 lt.word == W_protected || lt.word == W_public ||
                                                 lt.word == W_static || lt.word == W_yield))
        bad_local = lt.start + 1;
      if (jsp_is_word(p, W_as)) {
        FAIL_IF(!jsp_next(p));
        spec->b = export_name(p);
        FAIL_IF(!spec->b);
      } else {
        spec->b = spec->a;
      }
      jsp_finish(p, spec);
      jsp_list_append(n, &tail, spec);
      if (p->tok.kind == TOK_COMMA) {
        FAIL_IF(!jsp_next(p));
      } else if (p->tok.kind != TOK_RBRACE) {
        return jsp_unexpected(p), NULL;
      }
    }
    FAIL_IF(!jsp_next(p));
    if (jsp_is_word(p, W_from)) {
      FAIL_IF(!jsp_next(p));
      n->a = module_source(p);
      FAIL_IF(!n->a || !attributes(p, &n->b));
    } else if (bad_local) {
      return jsp_error(p, bad_local - 1, "Unexpected reserved word or string in local export"), NULL;
    }
    FAIL_IF(!jsp_semicolon(p));
    jsp_finish(p, n);
    return n;
  }
  JsToken d = p->tok;
  switch (d.kind) {
  case TOK_VAR:
    n->c = jsp_var_decl(p, TOK_VAR, true, false);
    FAIL_IF(!n->c || !jsp_semicolon(p));
    break;
  case TOK_CONST:
    n->c = jsp_var_decl(p, TOK_CONST, true, false);
    FAIL_IF(!n->c || !jsp_semicolon(p));
    break;
  case TOK_FUNCTION: n->c = jsp_function(p, FN_DECL, false, false, &d); break;
  case TOK_CLASS: n->c = jsp_class(p, true, false); break;
  default:
    if (jsp_is_word(p, W_let)) {
      n->c = jsp_var_decl(p, 0, true, false);
      FAIL_IF(!n->c || !jsp_semicolon(p));
    } else if (jsp_is_word(p, W_async)) {
      JsToken nt;
      if (!jsp_peek(p, &nt) || nt.kind != TOK_FUNCTION || (nt.flags & TF_NEWLINE_BEFORE))
        return jsp_unexpected(p), NULL;
      FAIL_IF(!jsp_next(p));
      n->c = jsp_function(p, FN_DECL, true, false, &d);
    } else {
      return jsp_unexpected(p), NULL;
    }
  }
  FAIL_IF(!n->c);
  jsp_finish(p, n);
  return n;
}
