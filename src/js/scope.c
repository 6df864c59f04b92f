/* scope.c: scope analysis. One walk over the tree creates scopes, declares
 * bindings (reporting redeclaration early errors), and records every
 * identifier; then Annex B.3.3 is applied, references are resolved, and
 * bindings get registers or environment slots. A global hash table keyed by
 * (scope, name) keeps everything linear in the size of the program. */
#include "js/scope.h"

#include "js/lexer.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct RefRec {
  JsNode *id;
  JsScope *scope;
  JsFuncInfo *fn;
} RefRec;

typedef struct BlockFn {
  JsNode *decl;
  JsScope *scope;
} BlockFn;

typedef struct Analyzer {
  Runtime *rt;
  JsArena *arena;
  JsScopeError *err;
  bool failed;
  bool module;
  /* (scope, name) -> binding */
  JsBinding **table;
  uint32_t table_cap, table_count;
  RefRec *refs;
  uint32_t nrefs, refs_cap;
  BlockFn *blockfns;
  uint32_t nblockfns, blockfns_cap;
  JsScope **scopes;
  uint32_t nscopes, scopes_cap;
  JsFuncInfo *fn;
  JsScope *scope;
  bool strict;
  int depth;
} Analyzer;

static bool fail(Analyzer *A, uint32_t pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(Analyzer *A, uint32_t pos, const char *fmt, ...) {
  if (A->failed) return false;
  A->failed = true;
  A->err->kind = ERR_SyntaxError;
  A->err->offset = pos;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(A->err->message, sizeof A->err->message, fmt, ap);
  va_end(ap);
  return false;
}

static bool oom(Analyzer *A) {
  if (!A->failed) {
    fail(A, 0, "out of memory");
    A->err->kind = ERR_InternalError;
  }
  return false;
}

static bool grow(Analyzer *A, void **arr, uint32_t *cap, uint32_t need, size_t elem) {
  if (need <= *cap) return true;
  uint32_t nc = *cap ? *cap * 2 : 64;
  while (nc < need) nc *= 2;
  void *n = realloc(*arr, nc * elem);
  if (!n) return oom(A);
  *arr = n;
  *cap = nc;
  return true;
}

/* ---- the binding table ------------------------------------------------------------ */

static uint32_t name_hash(const char *name, uint32_t len) {
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < len; i++) h = (h ^ (unsigned char)name[i]) * 16777619u;
  return h;
}

/* The name's hash is computed once per reference and mixed with each scope
 * on the way up. */
static uint32_t mix_key(const JsScope *s, uint32_t nh) {
  uint64_t x = ((uint64_t)(uintptr_t)s ^ nh) * 0x9E3779B97F4A7C15ull;
  return (uint32_t)(x >> 32);
}

static uint32_t hash_key(const JsScope *s, const char *name, uint32_t len) {
  return mix_key(s, name_hash(name, len));
}

static JsBinding *lookup_h(Analyzer *A, const JsScope *s, const char *name, uint32_t len, uint32_t nh) {
  if (!A->table_cap) return NULL;
  uint32_t mask = A->table_cap - 1, h = mix_key(s, nh) & mask;
  for (JsBinding *b; (b = A->table[h]); h = (h + 1) & mask)
    if (b->scope == s && b->name_len == len && memcmp(b->name, name, len) == 0) return b;
  return NULL;
}

static JsBinding *lookup(Analyzer *A, const JsScope *s, const char *name, uint32_t len) {
  if (!A->table_cap) return NULL;
  uint32_t mask = A->table_cap - 1, h = hash_key(s, name, len) & mask;
  for (JsBinding *b; (b = A->table[h]); h = (h + 1) & mask)
    if (b->scope == s && b->name_len == len && memcmp(b->name, name, len) == 0) return b;
  return NULL;
}

static bool table_insert(Analyzer *A, JsBinding *b) {
  if ((A->table_count + 1) * 2 > A->table_cap) {
    uint32_t nc = A->table_cap ? A->table_cap * 2 : 256;
    JsBinding **nt = calloc(nc, sizeof *nt);
    if (!nt) return oom(A);
    for (uint32_t i = 0; i < A->table_cap; i++) {
      JsBinding *o = A->table[i];
      if (!o) continue;
      uint32_t h = hash_key(o->scope, o->name, o->name_len) & (nc - 1);
      while (nt[h]) h = (h + 1) & (nc - 1);
      nt[h] = o;
    }
    free(A->table);
    A->table = nt;
    A->table_cap = nc;
  }
  uint32_t h = hash_key(b->scope, b->name, b->name_len) & (A->table_cap - 1);
  while (A->table[h]) h = (h + 1) & (A->table_cap - 1);
  A->table[h] = b;
  A->table_count++;
  return true;
}

static JsBinding *new_binding(Analyzer *A, JsScope *s, const char *name, uint32_t len, int kind) {
  JsBinding *b = js_arena_alloc(A->arena, sizeof *b);
  if (!b) return oom(A), NULL;
  b->name = name;
  b->name_len = len;
  b->kind = (uint8_t)kind;
  b->scope = s;
  b->next_in_scope = s->bindings;
  s->bindings = b;
  if (!table_insert(A, b)) return NULL;
  return b;
}

/* ---- scopes ------------------------------------------------------------------------------ */

static JsScope *push_scope(Analyzer *A, JsScopeKind kind, JsNode *node) {
  JsScope *s = js_arena_alloc(A->arena, sizeof *s);
  if (!s) return oom(A), NULL;
  s->kind = (uint8_t)kind;
  s->parent = A->scope;
  s->fn = A->fn;
  s->node = node;
  if (node && !node->scope) node->scope = s;
  if (!grow(A, (void **)&A->scopes, &A->scopes_cap, A->nscopes + 1, sizeof *A->scopes)) return NULL;
  A->scopes[A->nscopes++] = s;
  A->scope = s;
  return s;
}

static bool is_var_scope(const JsScope *s) {
  return s->kind == SCOPE_FUNCTION || s->kind == SCOPE_SCRIPT || s->kind == SCOPE_MODULE;
}

static JsScope *var_scope(JsScope *s) {
  while (!is_var_scope(s)) s = s->parent;
  return s;
}

static bool is_lexical(int kind) {
  return kind == BIND_LET || kind == BIND_CONST || kind == BIND_CLASS || kind == BIND_LEXFUNC ||
         kind == BIND_IMPORT || kind == BIND_CATCH_PATTERN;
}

static bool redeclared(Analyzer *A, const JsNode *id) {
  return fail(A, id->start, "Identifier '%.*s' has already been declared", (int)id->name_len, id->name);
}

static void mark_decl(JsNode *id, JsBinding *b) {
  id->ref.binding = b;
  id->ref.is_decl = true;
}

/* let / const / class / block function / import / catch pattern. */
static JsBinding *declare_lexical(Analyzer *A, JsScope *s, JsNode *id, int kind, bool plain_fn) {
  if (s->fn && s == s->fn->body_scope) {
    JsBinding *param = lookup(A, s->parent, id->name, id->name_len);
    if (param && param->kind == BIND_PARAM) {
      redeclared(A, id);
      return NULL;
    }
  }
  JsBinding *b = lookup(A, s, id->name, id->name_len);
  if (b) {
    if (b->kind == BIND_CALLEE) {
      b->kind = (uint8_t)kind;
    } else if (b->kind == BIND_LEXFUNC && kind == BIND_LEXFUNC && !A->strict && plain_fn &&
               b->index == 1 /* previous was a plain function too */) {
      /* Annex B.3.2.4: sloppy duplicate plain function declarations in a block. */
    } else if (b->kind == BIND_NONE && !b->var_seen) {
      b->kind = (uint8_t)kind;
    } else {
      redeclared(A, id);
      return NULL;
    }
  } else {
    b = new_binding(A, s, id->name, id->name_len, kind);
    if (!b) return NULL;
  }
  if (kind == BIND_LEXFUNC) b->index = plain_fn ? 1 : 0; /* scratch until slots are assigned */
  mark_decl(id, b);
  return b;
}

/* var / var-scoped function / parameter. */
static JsBinding *declare_var(Analyzer *A, JsNode *id, int kind, bool from_for_of) {
  (void)from_for_of; /* ES2024+: catch (e) { for (var e of ...) } is allowed too */
  JsScope *vs = var_scope(A->scope);
  for (JsScope *s = A->scope; s != vs; s = s->parent) {
    JsBinding *b = lookup(A, s, id->name, id->name_len);
    if (b) {
      if (b->kind == BIND_CATCH) {
        b->var_seen = true;
        continue;
      }
      if (b->kind != BIND_NONE) {
        redeclared(A, id);
        return NULL;
      }
      b->var_seen = true;
    } else {
      b = new_binding(A, s, id->name, id->name_len, BIND_NONE);
      if (!b) return NULL;
      b->var_seen = true;
    }
  }
  JsBinding *b = lookup(A, vs, id->name, id->name_len);
  if (b) {
    if (is_lexical(b->kind)) {
      redeclared(A, id);
      return NULL;
    }
    if (b->kind == BIND_NONE || b->kind == BIND_CALLEE || b->kind == BIND_ARGUMENTS ||
        (kind == BIND_FUNCTION && b->kind == BIND_VAR))
      b->kind = (uint8_t)kind;
  } else {
    b = new_binding(A, vs, id->name, id->name_len, kind);
    if (!b) return NULL;
    if (vs->fn && vs == vs->fn->body_scope) {
      JsBinding *param = lookup(A, vs->parent, id->name, id->name_len);
      if (param && param->kind == BIND_PARAM) b->copies_param = true;
    }
  }
  b->var_seen = true;
  mark_decl(id, b);
  return b;
}

static bool record_ref(Analyzer *A, JsNode *id) {
  if (!grow(A, (void **)&A->refs, &A->refs_cap, A->nrefs + 1, sizeof *A->refs)) return false;
  A->refs[A->nrefs++] = (RefRec){id, A->scope, A->fn};
  return true;
}

/* ---- the walk -------------------------------------------------------------------------- */

static bool walk(Analyzer *A, JsNode *n);
static bool walk_list(Analyzer *A, JsNode *n) {
  for (; n; n = n->next)
    if (!walk(A, n)) return false;
  return true;
}

enum { DECL_NONE, DECL_VAR, DECL_LET, DECL_CONST, DECL_PARAM, DECL_CATCH, DECL_VAR_FOR_OF };

/* Walks a binding or assignment pattern: declares (mode != DECL_NONE) or
 * records references, and walks default values and computed keys. */
static bool walk_pattern(Analyzer *A, JsNode *n, int mode) {
  if (!n) return true;
  if (A->rt && rt_stack_exhausted(A->rt)) return fail(A, n->start, "Too much nesting");
  switch (n->kind) {
  case N_Ident: {
    JsBinding *b = NULL;
    switch (mode) {
    case DECL_NONE: return record_ref(A, n);
    case DECL_VAR:
    case DECL_VAR_FOR_OF: b = declare_var(A, n, BIND_VAR, mode == DECL_VAR_FOR_OF); break;
    case DECL_PARAM: {
      JsBinding *old = lookup(A, A->scope, n->name, n->name_len);
      if (old && old->kind == BIND_PARAM) b = old;
      else if (old) {
        old->kind = BIND_PARAM;
        b = old;
      } else b = new_binding(A, A->scope, n->name, n->name_len, BIND_PARAM);
      if (b) mark_decl(n, b);
      break;
    }
    case DECL_LET: b = declare_lexical(A, A->scope, n, BIND_LET, false); break;
    case DECL_CONST: b = declare_lexical(A, A->scope, n, BIND_CONST, false); break;
    case DECL_CATCH: b = declare_lexical(A, A->scope, n, BIND_CATCH_PATTERN, false); break;
    }
    if (!b) return false;
    return record_ref(A, n);
  }
  case N_AssignPattern:
  case N_Assign:
    return walk_pattern(A, n->a, mode) && walk(A, n->b);
  case N_Rest: return walk_pattern(A, n->a, mode);
  case N_Property:
    if ((n->flags & NF_COMPUTED) && !walk(A, n->a)) return false;
    return walk_pattern(A, n->b, mode);
  case N_ObjectPattern:
  case N_ArrayPattern:
    for (JsNode *k = n->list; k; k = k->next)
      if (!walk_pattern(A, k, mode)) return false;
    return true;
  case N_Elision: return true;
  default:
    /* Member expressions and the like in assignment patterns. */
    return walk(A, n);
  }
}

static bool walk_var_decl(Analyzer *A, JsNode *n, bool for_of) {
  int mode = n->op == TOK_VAR ? (for_of ? DECL_VAR_FOR_OF : DECL_VAR)
                              : n->op == TOK_CONST ? DECL_CONST : DECL_LET;
  for (JsNode *d = n->list; d; d = d->next) {
    if (!walk_pattern(A, d->a, mode)) return false;
    if (d->b && !walk(A, d->b)) return false;
  }
  return true;
}

static void set_decl_end_pattern(JsNode *n, uint32_t end) {
  if (!n) return;
  switch (n->kind) {
  case N_Ident:
    if (n->ref.binding) n->ref.binding->decl_end = end;
    break;
  case N_AssignPattern:
  case N_Rest: set_decl_end_pattern(n->a, end); break;
  case N_Property: set_decl_end_pattern(n->b, end); break;
  case N_ObjectPattern:
  case N_ArrayPattern:
    for (JsNode *k = n->list; k; k = k->next) set_decl_end_pattern(k, end);
    break;
  default: break;
  }
}

static JsFuncInfo *new_func(Analyzer *A, JsNode *node) {
  JsFuncInfo *f = js_arena_alloc(A->arena, sizeof *f);
  if (!f) return oom(A), NULL;
  f->node = node;
  f->parent = A->fn;
  node->fn = f;
  return f;
}

static bool walk_statements(Analyzer *A, JsNode *list) { return walk_list(A, list); }

/* Function-like: Function, Arrow, FuncDecl, field initializer. */
static bool walk_function(Analyzer *A, JsNode *fn) {
  JsFuncInfo *saved_fn = A->fn;
  JsScope *saved_scope = A->scope;
  bool saved_strict = A->strict;
  JsFuncInfo *f = new_func(A, fn);
  if (!f) return false;
  A->fn = f;
  f->strict = (fn->flags & NF_STRICT) != 0;
  f->is_arrow = fn->kind == N_Arrow;
  A->strict = f->strict;
  JsScope *s = push_scope(A, SCOPE_FUNCTION, fn);
  if (!s) return false;
  f->scope = s;
  bool ok = true;
  /* A named function expression sees its own name (shadowed by anything else). */
  if (fn->kind == N_Function && fn->a) {
    JsBinding *b = new_binding(A, s, fn->a->name, fn->a->name_len, BIND_CALLEE);
    if (!b) return false;
    mark_decl(fn->a, b);
    ok = record_ref(A, fn->a);
  }
  for (JsNode *p = fn->list; ok && p; p = p->next) {
    ok = walk_pattern(A, p, DECL_PARAM);
    set_decl_end_pattern(p, p->end); /* a default value may not read later parameters */
  }
  bool simple = true;
  for (JsNode *p = fn->list; p; p = p->next)
    if (p->kind != N_Ident) simple = false;
  if (ok && !simple && fn->b && !(fn->flags & NF_EXPR_BODY)) {
    /* Non-simple parameters: the body's vars get their own environment, so
     * closures in default values cannot see them (FunctionDeclarationInstantiation
     * step 28). A body var named like a parameter starts with its value. */
    JsScope *body = push_scope(A, SCOPE_FUNCTION, fn->b);
    if (!body) return false;
    f->body_scope = body;
  }
  if (ok && fn->b) {
    if (fn->flags & NF_EXPR_BODY) ok = walk(A, fn->b);
    else ok = walk_statements(A, fn->b->list);
  }
  A->fn = saved_fn;
  A->scope = saved_scope;
  A->strict = saved_strict;
  return ok;
}

static bool walk_class(Analyzer *A, JsNode *cls) {
  bool saved_strict = A->strict;
  JsScope *saved_scope = A->scope;
  if (cls->kind == N_ClassDecl && cls->a) {
    JsBinding *b = declare_lexical(A, A->scope, cls->a, BIND_CLASS, false);
    if (!b || !record_ref(A, cls->a)) return false;
    b->decl_end = cls->end;
  }
  A->strict = true;
  JsScope *s = push_scope(A, SCOPE_CLASS, cls);
  if (!s) return false;
  if (cls->a) {
    JsBinding *b = new_binding(A, s, cls->a->name, cls->a->name_len, BIND_CLASSNAME);
    if (!b) return false;
    b->decl_end = cls->end;
    if (cls->kind == N_Class) {
      mark_decl(cls->a, b);
      if (!record_ref(A, cls->a)) return false;
    }
  }
  bool ok = !cls->b || walk(A, cls->b);
  for (JsNode *m = cls->list; ok && m; m = m->next) {
    if (m->kind == N_StaticBlock) {
      JsFuncInfo *saved_fn = A->fn;
      JsFuncInfo *f = new_func(A, m);
      if (!f) return false;
      f->strict = true;
      A->fn = f;
      JsScope *bs = push_scope(A, SCOPE_FUNCTION, m);
      if (!bs) return false;
      f->scope = bs;
      ok = walk_statements(A, m->list);
      A->fn = saved_fn;
      A->scope = s;
      continue;
    }
    if ((m->flags & NF_COMPUTED) && !walk(A, m->a)) return false;
    if (m->b) ok = walk_function(A, m->b);
  }
  A->scope = saved_scope;
  A->strict = saved_strict;
  return ok;
}

static bool add_block_fn(Analyzer *A, JsNode *decl) {
  if (!grow(A, (void **)&A->blockfns, &A->blockfns_cap, A->nblockfns + 1, sizeof *A->blockfns))
    return false;
  A->blockfns[A->nblockfns++] = (BlockFn){decl, A->scope};
  return true;
}

static bool declare_function(Analyzer *A, JsNode *fn) {
  if (!fn->a) return true; /* export default function () {} */
  bool plain = !(fn->flags & (NF_ASYNC | NF_GENERATOR));
  JsBinding *b;
  if (is_var_scope(A->scope) && A->scope->kind != SCOPE_MODULE) {
    b = declare_var(A, fn->a, BIND_FUNCTION, false);
  } else {
    b = declare_lexical(A, A->scope, fn->a, BIND_LEXFUNC, plain);
    if (b && !A->strict && plain && A->scope->kind != SCOPE_MODULE && !add_block_fn(A, fn)) return false;
  }
  return b && record_ref(A, fn->a);
}

static bool walk_body_scope(Analyzer *A, JsNode *node, JsScopeKind kind, JsNode *list) {
  JsScope *saved = A->scope;
  if (!push_scope(A, kind, node)) return false;
  bool ok = walk_statements(A, list);
  A->scope = saved;
  return ok;
}

static bool mark_eval(Analyzer *A) {
  A->fn->has_direct_eval = true;
  for (JsScope *s = A->scope; s; s = s->parent) s->all_in_env = true;
  for (JsFuncInfo *f = A->fn->parent; f; f = f->parent) f->inner_eval = true;
  if (!A->strict) {
    /* A sloppy direct eval may declare vars in the nearest var scope. */
    var_scope(A->scope)->sloppy_eval = true;
  }
  return true;
}

static bool mark_this(Analyzer *A) {
  for (JsFuncInfo *f = A->fn; f; f = f->parent) {
    f->uses_this = true;
    if (!f->is_arrow) break;
  }
  return true;
}

/* Export bookkeeping for the module checks. */
typedef struct ExportName {
  const JsNode *name; /* Ident or String */
} ExportName;

/* Left-leaning chains (a + b + c ..., a.b.c ..., f()()...) are built by
 * loops in the parser and can be far deeper than the nesting limit: walk
 * their left spine with a loop instead of recursion. */
static bool is_chain(const JsNode *n) {
  return n->kind == N_Binary || n->kind == N_Logical || n->kind == N_Member || n->kind == N_Call ||
         n->kind == N_TaggedTemplate || n->kind == N_OptionalChain;
}

static bool walk_chain(Analyzer *A, JsNode *n) {
  for (; n && is_chain(n); n = n->a) {
    if (A->failed) return false;
    switch (n->kind) {
    case N_Binary:
    case N_Logical:
    case N_TaggedTemplate:
      if (!walk(A, n->b)) return false;
      break;
    case N_Member:
      if ((n->flags & NF_COMPUTED) && !walk(A, n->b)) return false;
      break;
    case N_Call:
      if (n->flags & NF_DIRECT_EVAL) mark_eval(A);
      if (!walk_list(A, n->list)) return false;
      break;
    default: break;
    }
  }
  return walk(A, n);
}

static bool walk(Analyzer *A, JsNode *n) {
  if (!n) return true;
  if (A->failed) return false;
  if (is_chain(n)) return walk_chain(A, n);
  if (A->rt && rt_stack_exhausted(A->rt)) {
    fail(A, n->start, "Maximum call stack size exceeded");
    A->err->kind = ERR_RangeError;
    return false;
  }
  if (++A->depth > 6000) {
    A->depth--;
    fail(A, n->start, "Too much nesting");
    A->err->kind = ERR_RangeError;
    return false;
  }
  bool ok = true;
  JsScope *saved = A->scope;
  switch (n->kind) {
  case N_Ident: ok = record_ref(A, n); break;
  case N_VarDecl:
    ok = walk_var_decl(A, n, false);
    for (JsNode *d = n->list; ok && d; d = d->next)
      if (n->op != TOK_VAR) set_decl_end_pattern(d->a, d->end);
    break;
  case N_FuncDecl: ok = declare_function(A, n) && walk_function(A, n); break;
  case N_Function:
  case N_Arrow:
    ok = walk_function(A, n);
    break;
  case N_ClassDecl:
  case N_Class: ok = walk_class(A, n); break;
  case N_Block: ok = walk_body_scope(A, n, SCOPE_BLOCK, n->list); break;
  case N_For:
  case N_ForIn:
  case N_ForOf: {
    bool lexical = n->a && n->a->kind == N_VarDecl && n->a->op != TOK_VAR;
    if (lexical && !push_scope(A, SCOPE_BLOCK, n)) return false;
    if (n->a) {
      if (n->a->kind == N_VarDecl) {
        ok = walk_var_decl(A, n->a, n->kind == N_ForOf);
        if (ok && lexical)
          for (JsNode *d = n->a->list; d; d = d->next) set_decl_end_pattern(d->a, n->kind == N_For ? d->end : n->b->start);
      } else if (n->kind != N_For) {
        ok = walk_pattern(A, n->a, DECL_NONE);
      } else {
        ok = walk(A, n->a);
      }
    }
    ok = ok && walk(A, n->b) && walk(A, n->c) && walk(A, n->d);
    break;
  }
  case N_Switch:
    ok = walk(A, n->a);
    if (ok && push_scope(A, SCOPE_BLOCK, n)) {
      for (JsNode *c = n->list; ok && c; c = c->next) ok = walk(A, c->a) && walk_statements(A, c->list);
    } else ok = false;
    break;
  case N_Try:
    ok = walk(A, n->a);
    if (ok && n->c) {
      JsScope *cs = push_scope(A, SCOPE_CATCH, n);
      if (!cs) return false;
      if (n->b) {
        if (n->b->kind == N_Ident) {
          JsBinding *b = new_binding(A, cs, n->b->name, n->b->name_len, BIND_CATCH);
          ok = b && record_ref(A, n->b);
          if (b) mark_decl(n->b, b);
        } else {
          ok = walk_pattern(A, n->b, DECL_CATCH);
        }
      }
      n->c->scope = cs;
      ok = ok && walk_statements(A, n->c->list);
      A->scope = saved;
    }
    ok = ok && walk(A, n->d);
    break;
  case N_With:
    ok = walk(A, n->a);
    A->fn->has_with = true;
    for (JsScope *s = A->scope; s; s = s->parent) s->all_in_env = true;
    if (ok && push_scope(A, SCOPE_WITH, n)) ok = walk(A, n->d);
    else ok = false;
    break;
  case N_Labeled: ok = n->a->kind == N_FuncDecl ? walk(A, n->a) : walk(A, n->a); break;
  case N_Member:
    ok = walk(A, n->a) && (!(n->flags & NF_COMPUTED) || walk(A, n->b));
    break;
  case N_Property:
    ok = (!(n->flags & NF_COMPUTED) || walk(A, n->a)) && walk(A, n->b);
    break;
  case N_Call:
    if (n->flags & NF_DIRECT_EVAL) mark_eval(A);
    ok = walk(A, n->a) && walk_list(A, n->list);
    break;
  case N_Assign:
    if (n->a->kind == N_ObjectPattern || n->a->kind == N_ArrayPattern) ok = walk_pattern(A, n->a, DECL_NONE) && walk(A, n->b);
    else ok = walk(A, n->a) && walk(A, n->b);
    break;
  case N_ObjectPattern:
  case N_ArrayPattern:
  case N_AssignPattern: ok = walk_pattern(A, n, DECL_NONE); break;
  case N_This:
  case N_Super:
  case N_NewTarget: mark_this(A); break;
  case N_Import:
    for (JsNode *s = n->list; ok && s; s = s->next) {
      JsBinding *b = declare_lexical(A, A->scope, s->b, BIND_IMPORT, false);
      ok = b && record_ref(A, s->b);
    }
    break;
  case N_ExportNamed:
    if (n->c) ok = walk(A, n->c);
    break; /* specifiers are checked after the walk */
  case N_ExportDefault:
    if (n->a->kind == N_FuncDecl || n->a->kind == N_ClassDecl) ok = walk(A, n->a);
    else ok = walk(A, n->a);
    break;
  case N_ExportAll: break;
  case N_ClassMember:
  case N_StaticBlock: break; /* handled by walk_class */
  default:
    ok = walk(A, n->a) && walk(A, n->b) && walk(A, n->c) && walk(A, n->d) && walk_list(A, n->list);
    break;
  }
  A->scope = saved;
  A->depth--;
  return ok && !A->failed;
}

/* ---- Annex B.3.3 ---------------------------------------------------------------------------- */

static bool annex_b(Analyzer *A) {
  for (uint32_t i = 0; i < A->nblockfns; i++) {
    JsNode *fn = A->blockfns[i].decl;
    JsScope *block = A->blockfns[i].scope;
    JsNode *id = fn->a;
    JsScope *vs = var_scope(block);
    bool conflict = false;
    for (JsScope *s = block->parent; s && !conflict; s = s->parent) {
      JsBinding *b = lookup(A, s, id->name, id->name_len);
      if (b && (is_lexical(b->kind) || b->kind == BIND_CATCH_PATTERN)) conflict = true;
      if (b && s == vs && b->kind == BIND_PARAM) conflict = true;
      if (s == vs) break;
    }
    if (conflict) continue;
    JsBinding *b = lookup(A, vs, id->name, id->name_len);
    if (!b) {
      b = new_binding(A, vs, id->name, id->name_len, BIND_VAR);
      if (!b) return false;
      b->annexb = true;
    } else if (b->kind == BIND_NONE || b->kind == BIND_CALLEE) {
      b->kind = BIND_VAR;
      b->annexb = true;
    }
    fn->flags |= NF_ANNEXB;
  }
  return true;
}

/* ---- module checks -------------------------------------------------------------------------- */

static bool same_name(const JsNode *a, const JsNode *b) {
  const char *as = a->name, *bs = b->name;
  if (a->kind == N_String || b->kind == N_String) {
    /* Compare as UTF-16 against UTF-8 names (ASCII fast, else code units). */
    const JsNode *s = a->kind == N_String ? a : b, *o = a->kind == N_String ? b : a;
    if (o->kind == N_String) return s->str_len == o->str_len && memcmp(s->str, o->str, s->str_len * 2) == 0;
    uint32_t i = 0, k = 0;
    while (k < o->name_len) {
      uint32_t j = k;
      int32_t cp = js_utf8_decode(o->name, o->name_len, &j);
      if (cp < 0) return false;
      k = j;
      if (cp >= 0x10000) {
        if (i + 1 >= s->str_len + 1 || i + 2 > s->str_len) return false;
        cp -= 0x10000;
        if (s->str[i] != 0xD800 + (cp >> 10) || s->str[i + 1] != 0xDC00 + (cp & 0x3FF)) return false;
        i += 2;
      } else {
        if (i >= s->str_len || s->str[i] != cp) return false;
        i++;
      }
    }
    return i == s->str_len;
  }
  return a->name_len == b->name_len && memcmp(as, bs, a->name_len) == 0;
}

static void collect_bound(const JsNode *n, const JsNode **out, uint32_t *count, uint32_t cap) {
  if (!n) return;
  switch (n->kind) {
  case N_Ident:
    if (*count < cap) out[*count] = n;
    (*count)++;
    break;
  case N_AssignPattern:
  case N_Rest: collect_bound(n->a, out, count, cap); break;
  case N_Property: collect_bound(n->b, out, count, cap); break;
  case N_ObjectPattern:
  case N_ArrayPattern:
    for (const JsNode *k = n->list; k; k = k->next) collect_bound(k, out, count, cap);
    break;
  default: break;
  }
}

static const JsNode default_name = {.kind = N_Ident, .name = "default", .name_len = 7};

static bool module_checks(Analyzer *A, JsNode *prog, JsScope *ms) {
  uint32_t cap = 0, count = 0;
  for (JsNode *s = prog->list; s; s = s->next) {
    if (s->kind == N_ExportNamed) cap += s->count + 64;
    else if (s->kind == N_ExportDefault || s->kind == N_ExportAll) cap += 1;
  }
  if (!cap) return true;
  const JsNode **names = malloc(cap * sizeof *names);
  if (!names) return oom(A);
  bool ok = true;
  for (JsNode *s = prog->list; s && ok; s = s->next) {
    if (s->kind == N_ExportNamed) {
      if (s->c) {
        JsNode *d = s->c;
        if (d->kind == N_VarDecl) {
          for (JsNode *dl = d->list; dl; dl = dl->next) {
            uint32_t before = count;
            collect_bound(dl->a, names, &count, cap);
            if (count > cap) count = before; /* too many: ignore the overflow (cap is generous) */
          }
        } else if (d->a && count < cap) {
          names[count++] = d->a;
        }
      }
      for (JsNode *sp = s->list; sp; sp = sp->next) {
        if (count < cap) names[count++] = sp->b;
        if (!s->a) {
          /* export { x }: x must be declared in the module. */
          const JsNode *local = sp->a;
          if (local->kind == N_Ident && !lookup(A, ms, local->name, local->name_len)) {
            JsBinding *b = lookup(A, ms, local->name, local->name_len);
            if (!b || b->kind == BIND_NONE) {
              ok = fail(A, local->start, "Export '%.*s' is not defined in module", (int)local->name_len, local->name);
              break;
            }
          } else if (local->kind == N_Ident) {
            JsBinding *b = lookup(A, ms, local->name, local->name_len);
            if (b->kind == BIND_NONE) {
              ok = fail(A, local->start, "Export '%.*s' is not defined in module", (int)local->name_len, local->name);
              break;
            }
          }
        }
      }
    } else if (s->kind == N_ExportDefault) {
      if (count < cap) names[count++] = &default_name;
    } else if (s->kind == N_ExportAll && s->b) {
      if (count < cap) names[count++] = s->b;
    }
  }
  if (ok && count > cap) count = cap;
  /* Duplicate export names: hash on the UTF-8 / UTF-16 text via a sort-free
   * pairwise check bounded by buckets of equal length. */
  if (ok) {
    uint32_t tcap = 16;
    while (tcap < count * 2) tcap *= 2;
    const JsNode **tab = calloc(tcap, sizeof *tab);
    if (!tab) {
      free(names);
      return oom(A);
    }
    for (uint32_t i = 0; i < count && ok; i++) {
      const JsNode *nm = names[i];
      /* Hash of the code-unit sequence so strings and identifiers agree. */
      uint32_t h = 2166136261u;
      if (nm->kind == N_String) {
        for (uint32_t k = 0; k < nm->str_len; k++) h = (h ^ nm->str[k]) * 16777619u;
      } else {
        uint32_t k = 0;
        while (k < nm->name_len) {
          int32_t cp = js_utf8_decode(nm->name, nm->name_len, &k);
          if (cp < 0) break;
          if (cp >= 0x10000) {
            cp -= 0x10000;
            h = (h ^ (uint32_t)(0xD800 + (cp >> 10))) * 16777619u;
            h = (h ^ (uint32_t)(0xDC00 + (cp & 0x3FF))) * 16777619u;
          } else h = (h ^ (uint32_t)cp) * 16777619u;
        }
      }
      uint32_t j = h & (tcap - 1);
      while (tab[j]) {
        if (same_name(tab[j], nm)) {
          if (nm->kind == N_String)
            ok = fail(A, nm->start, "Duplicate export of a string name");
          else
            ok = fail(A, nm == &default_name ? prog->start : nm->start, "Duplicate export of '%.*s'", (int)nm->name_len, nm->name);
          break;
        }
        j = (j + 1) & (tcap - 1);
      }
      tab[j] = nm;
    }
    free(tab);
  }
  free(names);
  return ok;
}

/* ---- resolution and slots ----------------------------------------------------------------- */

static bool scope_has_env(const JsScope *s) {
  return s->env_slots > 0 || s->kind == SCOPE_WITH || s->sloppy_eval;
}

static void assign_slots(Analyzer *A) {
  for (uint32_t i = 0; i < A->nscopes; i++) {
    JsScope *s = A->scopes[i];
    /* Bindings were prepended: walk in declaration order via a reversal. */
    JsBinding *rev = NULL;
    for (JsBinding *b = s->bindings; b;) {
      JsBinding *next = b->next_in_scope;
      b->next_in_scope = rev;
      rev = b;
      b = next;
    }
    s->bindings = rev;
    bool mapped_args = s->kind == SCOPE_FUNCTION && s->fn && s->fn->uses_arguments && !s->fn->strict &&
                       s->fn->node && (s->fn->node->flags & NF_SIMPLE_PARAMS);
    for (JsBinding *b = s->bindings; b; b = b->next_in_scope) {
      if (b->kind == BIND_NONE) continue;
      if (s->kind == SCOPE_SCRIPT) continue; /* globals: by name */
      if (s->kind == SCOPE_MODULE) {
        b->in_env = true;
        b->index = s->env_slots++;
        continue;
      }
      if (b->captured || s->all_in_env || (mapped_args && b->kind == BIND_PARAM)) {
        b->in_env = true;
        b->index = s->env_slots++;
      } else {
        b->in_env = false;
        b->index = s->fn->num_registers++;
      }
    }
    s->has_env = scope_has_env(s);
  }
}

static bool is_arguments(const JsNode *id) { return id->name_len == 9 && memcmp(id->name, "arguments", 9) == 0; }

static bool resolve_all(Analyzer *A) {
  /* First pass: find bindings and mark captures. */
  for (uint32_t i = 0; i < A->nrefs; i++) {
    RefRec *r = &A->refs[i];
    JsNode *id = r->id;
    if (id->ref.is_decl) continue;
    JsBinding *b = NULL;
    bool dynamic = false;
    uint32_t nh = name_hash(id->name, id->name_len);
    for (JsScope *s = r->scope; s; s = s->parent) {
      b = lookup_h(A, s, id->name, id->name_len, nh);
      if (b && b->kind != BIND_NONE) break;
      b = NULL;
      /* Vars a top-level eval adds are globals, found by the global lookup anyway. */
      if (s->kind == SCOPE_WITH || (s->sloppy_eval && s->kind != SCOPE_SCRIPT)) dynamic = true;
      if (s->kind == SCOPE_FUNCTION && s->fn && !s->fn->is_arrow && is_arguments(id) &&
          s->fn->node->kind != N_StaticBlock && !(s->fn->node->flags & NF_FIELD_INIT)) {
        b = new_binding(A, s, id->name, id->name_len, BIND_ARGUMENTS);
        if (!b) return false;
        s->fn->uses_arguments = true;
        break;
      }
    }
    id->ref.binding = b;
    id->ref.kind = dynamic ? REF_DYNAMIC : REF_UNRESOLVED;
    if (b && b->scope->fn != r->fn && b->scope->kind != SCOPE_SCRIPT) b->captured = true;
  }
  assign_slots(A);
  /* Second pass: kinds, indexes, hops, TDZ. */
  for (uint32_t i = 0; i < A->nrefs; i++) {
    RefRec *r = &A->refs[i];
    JsNode *id = r->id;
    JsBinding *b = id->ref.binding;
    if (!b) {
      id->ref.kind = id->ref.kind == REF_DYNAMIC ? REF_DYNAMIC : REF_GLOBAL;
      continue;
    }
    bool dynamic = id->ref.kind == REF_DYNAMIC;
    if (b->scope->kind == SCOPE_SCRIPT) id->ref.kind = dynamic ? REF_DYNAMIC : REF_GLOBAL;
    else if (b->scope->kind == SCOPE_MODULE) id->ref.kind = dynamic ? REF_DYNAMIC : REF_MODULE;
    else if (dynamic) id->ref.kind = REF_DYNAMIC;
    else if (!b->in_env) id->ref.kind = REF_LOCAL;
    else id->ref.kind = REF_CLOSURE;
    id->ref.index = b->index;
    if (id->ref.kind == REF_CLOSURE) {
      uint32_t hops = 0;
      for (JsScope *s = r->scope; s && s != b->scope; s = s->parent)
        if (s->has_env) hops++;
      id->ref.hops = hops > 0xFFFF ? 0xFFFF : (uint16_t)hops;
    }
    bool lexical = b->kind == BIND_LET || b->kind == BIND_CONST || b->kind == BIND_CLASS ||
                   b->kind == BIND_CLASSNAME || b->kind == BIND_IMPORT;
    if (b->kind == BIND_PARAM && !id->ref.is_decl &&
        id->start < b->decl_end && b->scope->node && !(b->scope->node->flags & NF_SIMPLE_PARAMS))
      id->ref.maybe_tdz = true; /* f(a = b, b) */
    if (lexical && !id->ref.is_decl) {
      bool same_fn = b->scope->fn == r->fn;
      bool in_switch = b->scope->node && b->scope->node->kind == N_Switch;
      id->ref.maybe_tdz = !same_fn || in_switch || id->start < b->decl_end || b->kind == BIND_IMPORT;
      if (b->kind == BIND_IMPORT) id->ref.maybe_tdz = false;
    }
  }
  return true;
}

/* ---- entry ------------------------------------------------------------------------------------ */

bool js_scope_analyze(Runtime *rt, JsArena *arena, JsNode *prog, JsScopeError *err) {
  Analyzer A;
  memset(&A, 0, sizeof A);
  memset(err, 0, sizeof *err);
  A.rt = rt;
  A.arena = arena;
  A.err = err;
  A.module = (prog->flags & NF_MODULE) != 0;
  A.strict = (prog->flags & NF_STRICT) != 0;
  bool ok = false;
  JsFuncInfo *top = new_func(&A, prog);
  if (top) {
    top->strict = A.strict;
    A.fn = top;
    JsScope *s = push_scope(&A, A.module ? SCOPE_MODULE : SCOPE_SCRIPT, prog);
    if (s) {
      top->scope = s;
      ok = walk_statements(&A, prog->list) && annex_b(&A);
      if (ok && A.module) ok = module_checks(&A, prog, s);
      if (ok) ok = resolve_all(&A);
    }
  }
  free(A.table);
  free(A.refs);
  free(A.blockfns);
  free(A.scopes);
  return ok && !A.failed;
}

/* ---- printing (--print-ast) --------------------------------------------------------------------- */

void js_scope_print_ref(FILE *out, const JsRef *ref) {
  switch (ref->kind) {
  case REF_LOCAL: fprintf(out, "local r%u", ref->index); break;
  case REF_CLOSURE: fprintf(out, "closure hops=%u slot=%u", ref->hops, ref->index); break;
  case REF_MODULE: fprintf(out, "module slot=%u", ref->index); break;
  case REF_GLOBAL: fputs(ref->binding ? "global (declared)" : "global", out); break;
  case REF_DYNAMIC: fputs("dynamic", out); break;
  default: fputs("?", out); break;
  }
  if (ref->is_decl) fputs(" decl", out);
  if (ref->maybe_tdz) fputs(" tdz", out);
}

void js_scope_print_func(FILE *out, const JsFuncInfo *fn) {
  fprintf(out, " {registers=%u", fn->num_registers);
  if (fn->scope && fn->scope->env_slots) fprintf(out, " env=%u", fn->scope->env_slots);
  if (fn->body_scope && fn->body_scope->env_slots) fprintf(out, " body-env=%u", fn->body_scope->env_slots);
  if (fn->strict) fputs(" strict", out);
  if (fn->uses_arguments) fputs(" arguments", out);
  if (fn->uses_this) fputs(" this", out);
  if (fn->has_direct_eval) fputs(" eval", out);
  if (fn->has_with) fputs(" with", out);
  if (fn->inner_eval) fputs(" inner-eval", out);
  fputc('}', out);
}
