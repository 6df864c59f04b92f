/* compile_expr.c: compiling expressions: variables (registers, environment
 * slots, globals), operators with short-circuiting, calls and member access
 * (with optional chains), literals, templates, functions and classes, and
 * assignment to any target including destructuring patterns. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "js/compile.h"
#include "js/token.h"

static int binary_opcode(int tok) {
  switch (tok) {
  case TOK_PLUS: case TOK_PLUS_ASSIGN: return OP_ADD;
  case TOK_MINUS: case TOK_MINUS_ASSIGN: return OP_SUB;
  case TOK_STAR: case TOK_STAR_ASSIGN: return OP_MUL;
  case TOK_SLASH: case TOK_SLASH_ASSIGN: return OP_DIV;
  case TOK_PERCENT: case TOK_PERCENT_ASSIGN: return OP_MOD;
  case TOK_STARSTAR: case TOK_STARSTAR_ASSIGN: return OP_EXP;
  case TOK_AMP: case TOK_AMP_ASSIGN: return OP_BITAND;
  case TOK_PIPE: case TOK_PIPE_ASSIGN: return OP_BITOR;
  case TOK_CARET: case TOK_CARET_ASSIGN: return OP_BITXOR;
  case TOK_SHL: case TOK_SHL_ASSIGN: return OP_SHL;
  case TOK_SAR: case TOK_SAR_ASSIGN: return OP_SAR;
  case TOK_SHR: case TOK_SHR_ASSIGN: return OP_SHR;
  case TOK_EQ: return OP_EQ;
  case TOK_NE: return OP_NE;
  case TOK_SEQ: return OP_SEQ;
  case TOK_SNE: return OP_SNE;
  case TOK_LT: return OP_LT;
  case TOK_LE: return OP_LE;
  case TOK_GT: return OP_GT;
  case TOK_GE: return OP_GE;
  default: return -1;
  }
}

static int dest(Compiler *c, int dst) { return dst >= 0 ? dst : jsc_reg(c); }

static int name_const(Compiler *c, const JsNode *id) { return jsc_const_atom(c, id->name, id->name_len); }

static bool is_lexical(const JsBinding *b) {
  return b && (b->kind == BIND_LET || b->kind == BIND_CONST || b->kind == BIND_CLASS ||
               b->kind == BIND_CLASSNAME || b->kind == BIND_LEXFUNC);
}

/* --- identifiers --------------------------------------------------------------------------- */

void jsc_load_ident(Compiler *c, JsNode *id, int dst) {
  JsRef *r = &id->ref;
  bool tdz = r->maybe_tdz && is_lexical(r->binding);
  switch (r->kind) {
  case REF_LOCAL:
    if ((int)r->index != dst) jsc_emit(c, OP_MOV, dst, (int)r->index);
    if (tdz) jsc_emit(c, OP_CHECKTDZ, dst, name_const(c, id));
    break;
  case REF_CLOSURE:
    jsc_emit(c, OP_GETENV, dst, (int)r->hops, (int)r->index);
    if (tdz) jsc_emit(c, OP_CHECKTDZ, dst, name_const(c, id));
    break;
  case REF_GLOBAL: jsc_emit(c, OP_GETGLOBAL, dst, name_const(c, id), jsc_feedback(c)); break;
  case REF_DYNAMIC:
    jsc_error(c, id, ERR_InternalError, "names in with/sloppy-eval scopes are not supported yet");
    break;
  default: jsc_error(c, id, ERR_InternalError, "module bindings are not supported yet"); break;
  }
}

void jsc_store_ident(Compiler *c, JsNode *id, int src, bool init) {
  JsRef *r = &id->ref;
  JsBinding *b = r->binding;
  bool tdz = !init && r->maybe_tdz && is_lexical(b);
  if (!init && b && (b->kind == BIND_CONST || b->kind == BIND_CLASSNAME || b->kind == BIND_CALLEE)) {
    if (tdz) {
      int t = jsc_reg(c);
      jsc_load_ident(c, id, t);
      jsc_free_to(c, t);
    }
    if (b->kind == BIND_CALLEE && !c->fs->info->strict) return; /* silently ignored */
    jsc_emit(c, OP_CHECKCONST, name_const(c, id));
    return;
  }
  switch (r->kind) {
  case REF_LOCAL:
    if (tdz) jsc_emit(c, OP_CHECKTDZ, (int)r->index, name_const(c, id));
    if ((int)r->index != src) jsc_emit(c, OP_MOV, (int)r->index, src);
    break;
  case REF_CLOSURE:
    if (tdz) {
      int t = jsc_reg(c);
      jsc_emit(c, OP_GETENV, t, (int)r->hops, (int)r->index);
      jsc_emit(c, OP_CHECKTDZ, t, name_const(c, id));
      jsc_free_to(c, t);
    }
    jsc_emit(c, OP_SETENV, (int)r->hops, (int)r->index, src);
    break;
  case REF_GLOBAL:
    if (init && b && b->kind != BIND_VAR) jsc_emit(c, OP_INITGLOBAL, name_const(c, id), src);
    else jsc_emit(c, OP_SETGLOBAL, name_const(c, id), src, jsc_feedback(c));
    break;
  case REF_DYNAMIC:
    jsc_error(c, id, ERR_InternalError, "names in with/sloppy-eval scopes are not supported yet");
    break;
  default: jsc_error(c, id, ERR_InternalError, "module bindings are not supported yet"); break;
  }
}

/* --- helpers -------------------------------------------------------------------------------- */

static bool is_anonymous_fn(const JsNode *n) {
  return n && ((n->kind == N_Function && !n->a) || n->kind == N_Arrow || (n->kind == N_Class && !n->a));
}

static int expr_named(Compiler *c, JsNode *n, int dst, Value name);

/* The property key of a non-computed Member/Property as an atom constant. */
static int key_const(Compiler *c, JsNode *key) {
  if (key->kind == N_Ident) return name_const(c, key);
  if (key->kind == N_String) return jsc_const_utf16(c, key->str, key->str_len);
  if (key->kind == N_Number) {
    char buf[64];
    int n = js_format_number(key->num, buf, sizeof buf);
    return jsc_const_atom(c, buf, (uint32_t)n);
  }
  if (key->kind == N_PrivateName) {
    jsc_error(c, key, ERR_InternalError, "private names are not supported yet");
    return 0;
  }
  jsc_error(c, key, ERR_SyntaxError, "unsupported property key");
  return 0;
}

static Value key_name_value(Compiler *c, JsNode *key) {
  if (key->kind == N_Ident) return atom_from_utf8(c->rt, key->name, key->name_len);
  if (key->kind == N_String) return str_from_utf16(c->rt, key->str, key->str_len);
  if (key->kind == N_Number) return js_number_to_string(c->rt, key->num);
  return atom_well_known(c->rt, ATOM_empty);
}

static void load_number(Compiler *c, double d, int dst) {
  if (d == (int16_t)d && !(d == 0 && signbit(d))) jsc_emit(c, OP_LOADI, dst, (int)(int16_t)d);
  else jsc_emit(c, OP_LOADK, dst, jsc_const(c, val_from_number(d)));
}

/* Arguments into consecutive registers; returns the first, or -1 when a
 * spread forces an array (then *array_reg holds it). */
static int arguments(Compiler *c, JsNode *list, uint32_t *argc, int *array_reg) {
  bool spread = false;
  uint32_t n = 0;
  for (JsNode *a = list; a; a = a->next, n++)
    if (a->kind == N_Spread) spread = true;
  *argc = n;
  if (spread) {
    int arr = jsc_reg(c);
    jsc_emit(c, OP_NEWARR, arr, 0);
    int t = jsc_reg(c);
    for (JsNode *a = list; a; a = a->next) {
      if (a->kind == N_Spread) {
        int v = jsc_expr(c, a->a, t);
        jsc_emit(c, OP_ARRSPREAD, arr, v);
      } else {
        int v = jsc_expr(c, a, t);
        jsc_emit(c, OP_ARRPUSH, arr, v);
      }
    }
    jsc_free_to(c, t);
    *array_reg = arr;
    return -1;
  }
  int first = jsc_regs(c, (int)n);
  uint32_t i = 0;
  for (JsNode *a = list; a; a = a->next, i++) jsc_expr(c, a, first + (int)i);
  return n ? first : (int)c->fs->next_reg;
}

/* Optional chains: jumps taken when a ?. base is nullish. */
typedef struct OptChain {
  JumpList nullish;
} OptChain;
static OptChain *cur_chain;

static int member_or_call(Compiler *c, JsNode *n, int dst, int *this_out);

/* Evaluates a callee, also producing the `this` for the call. */
static void callee_and_this(Compiler *c, JsNode *callee, int fn_reg, int this_reg) {
  if (callee->kind == N_Member && !(callee->flags & NF_PARENS && 0)) {
    int t = -1;
    member_or_call(c, callee, fn_reg, &t);
    if (t != this_reg) jsc_emit(c, OP_MOV, this_reg, t);
    return;
  }
  jsc_expr(c, callee, fn_reg);
  jsc_emit(c, OP_LOADUNDEF, this_reg);
}

static int call_expr(Compiler *c, JsNode *n, int dst) {
  int tmp = (int)c->fs->next_reg;
  JsNode *callee = n->a;
  dst = dest(c, dst);
  if (callee->kind == N_Super) {
    uint32_t argc;
    int arr = -1;
    int first = arguments(c, n->list, &argc, &arr);
    if (first < 0) jsc_emit(c, OP_SUPERCALLSPREAD, dst, arr);
    else jsc_emit(c, OP_SUPERCALL, dst, first, (int)argc);
    jsc_free_to(c, tmp > dst ? tmp : dst + 1);
    return dst;
  }
  if (n->flags & NF_DIRECT_EVAL) {
    jsc_error(c, n, ERR_InternalError, "direct eval is not supported yet");
    return dst;
  }
  int fn = jsc_reg(c), th = jsc_reg(c);
  callee_and_this(c, callee, fn, th);
  if ((n->flags & NF_OPTIONAL) && cur_chain) jsc_jumplist_add(&cur_chain->nullish, jsc_emit_jump(c, OP_JNULLISH, fn));
  uint32_t argc;
  int arr = -1;
  int first = arguments(c, n->list, &argc, &arr);
  jsc_position(c, n);
  if (first < 0) jsc_emit(c, OP_CALLSPREAD, dst, fn, th, arr);
  else jsc_emit(c, OP_CALL, dst, fn, th, first, (int)argc, jsc_feedback(c));
  jsc_free_to(c, tmp > dst ? tmp : dst + 1);
  return dst;
}

/* Member access; *this_out (when non-NULL) receives the object register. */
static int member_or_call(Compiler *c, JsNode *n, int dst, int *this_out) {
  if (n->kind == N_Call) return call_expr(c, n, dst);
  dst = dest(c, dst);
  if (n->a->kind == N_Super) {
    int th = jsc_reg(c), key = jsc_reg(c);
    jsc_emit(c, OP_LOADTHIS, th);
    if (n->flags & NF_COMPUTED) jsc_expr(c, n->b, key);
    else jsc_emit(c, OP_LOADK, key, key_const(c, n->b));
    jsc_emit(c, OP_GETSUPER, dst, th, key);
    if (this_out) *this_out = th;
    return dst;
  }
  int obj = jsc_reg(c);
  int o = jsc_expr(c, n->a, obj);
  if (o != obj) jsc_emit(c, OP_MOV, obj, o);
  if ((n->flags & NF_OPTIONAL) && cur_chain)
    jsc_jumplist_add(&cur_chain->nullish, jsc_emit_jump(c, OP_JNULLISH, obj));
  jsc_position(c, n);
  if (n->flags & NF_COMPUTED) {
    int k = jsc_expr(c, n->b, -1);
    jsc_emit(c, OP_GETELEM, dst, obj, k, jsc_feedback(c));
  } else {
    jsc_emit(c, OP_GETPROP, dst, obj, key_const(c, n->b), jsc_feedback(c));
  }
  if (this_out) *this_out = obj;
  return dst;
}

static void template_object(Compiler *c, JsNode *tpl, int dst) {
  Runtime *rt = c->rt;
  uint32_t n = 0;
  for (JsNode *e = tpl->list; e; e = e->next)
    if (e->kind == N_TemplateElement) n++;
  Value cooked = js_array_new(rt, 0, NULL);
  if (val_is_exception(cooked)) goto oom;
  int kc = jsc_const(c, cooked); /* rooted from here on */
  Value raw = js_array_new(rt, 0, NULL);
  if (val_is_exception(raw)) goto oom;
  jsc_const(c, raw);
  for (JsNode *e = tpl->list; e; e = e->next) {
    if (e->kind != N_TemplateElement) continue;
    Value cv = e->str ? str_from_utf16(rt, e->str, e->str_len) : VAL_UNDEFINED;
    Value rv = str_from_utf8(rt, e->name ? e->name : "", e->name ? e->name_len : 0);
    if (val_is_exception(cv) || val_is_exception(rv)) goto oom;
    if (!js_array_push(rt, val_to_object(cooked), cv) || !js_array_push(rt, val_to_object(raw), rv))
      goto oom;
  }
  if (obj_freeze(rt, val_to_object(raw)) == OBJ_ERROR ||
      obj_define_value(rt, val_to_object(cooked), atom_from_cstr(rt, "raw"), raw, 0) == OBJ_ERROR ||
      obj_freeze(rt, val_to_object(cooked)) == OBJ_ERROR)
    goto oom;
  (void)n;
  jsc_emit(c, OP_TEMPLATE, dst, kc);
  return;
oom:
  rt_clear_exception(rt);
  jsc_error(c, tpl, ERR_InternalError, "out of memory");
}

static Value synth_ctor(Compiler *c, JsNode *cls, bool derived, Value name) {
  JsFuncInfo info = {.node = cls, .strict = true};
  FnState fs = {.parent = c->fs, .info = &info, .node = cls, .this_reg = -1};
  fs.flags = FC_STRICT | FC_CTOR | FC_CLASS_CTOR | (derived ? FC_DERIVED : 0);
  c->fs = &fs;
  jsc_position(c, cls);
  if (derived) {
    int args = jsc_reg(c), r = jsc_reg(c);
    jsc_emit(c, OP_REST, args, 0);
    jsc_emit(c, OP_SUPERCALLSPREAD, r, args);
    jsc_emit(c, OP_RET, r);
  } else {
    jsc_emit(c, OP_RETUNDEF);
  }
  JsFunctionCode *fc = c->failed ? NULL : jsc_finish_function(c, &fs, name, cls);
  c->fs = fs.parent;
  jsc_free_fnstate(&fs);
  if (!fc) return VAL_UNDEFINED;
  return val_from_ptr(fc);
}

static int class_expr(Compiler *c, JsNode *n, int dst, Value name) {
  int tmp = (int)c->fs->next_reg;
  dst = dest(c, dst);
  if (n->a) name = atom_from_utf8(c->rt, n->a->name, n->a->name_len);
  if (!val_is_ptr(name)) name = atom_well_known(c->rt, ATOM_empty);
  /* The class scope holds the inner name binding; the heritage expression
   * is evaluated inside it (closures there see the binding). */
  JsScope *s = n->scope;
  bool env = s && s->has_env;
  if (env) jsc_emit(c, OP_PUSHENV, (int)s->env_slots);
  int parent = jsc_reg(c);
  if (n->b) jsc_expr(c, n->b, parent);
  else jsc_emit(c, OP_LOADUNINIT, parent);
  JsNode *ctor = NULL;
  for (JsNode *m = n->list; m; m = m->next)
    if (m->kind == N_ClassMember && m->b && (m->b->flags & NF_CTOR)) ctor = m->b;
  int kc = ctor ? jsc_function(c, ctor, name) : jsc_const(c, synth_ctor(c, n, n->b != NULL, name));
  int proto = jsc_reg(c);
  jsc_emit(c, OP_CLASS, dst, proto, parent, kc);
  int key = jsc_reg(c), fn = jsc_reg(c);
  for (JsNode *m = n->list; m && !c->failed; m = m->next) {
    if (m->kind == N_StaticBlock || m->op == PROP_FIELD) {
      jsc_error(c, m, ERR_InternalError, "class fields and static blocks are not supported yet");
      break;
    }
    if (m->kind != N_ClassMember || (m->b && (m->b->flags & NF_CTOR))) continue;
    if (m->a && m->a->kind == N_PrivateName) {
      jsc_error(c, m, ERR_InternalError, "private class members are not supported yet");
      break;
    }
    Value mname = VAL_UNDEFINED;
    if (m->flags & NF_COMPUTED) {
      int k = jsc_expr(c, m->a, key);
      jsc_emit(c, OP_TOPROPKEY, key, k);
    } else {
      jsc_emit(c, OP_LOADK, key, key_const(c, m->a));
      mname = key_name_value(c, m->a);
    }
    jsc_emit(c, OP_CLOSURE, fn, jsc_function(c, m->b, val_is_ptr(mname) ? mname : atom_well_known(c->rt, ATOM_empty)));
    int kind = m->op == PROP_GET ? 1 : m->op == PROP_SET ? 2 : 0;
    jsc_emit(c, OP_DEFMETHOD, (m->flags & NF_STATIC) ? dst : proto, key, fn, kind);
  }
  if (n->a && s) {
    for (JsBinding *b = s->bindings; b; b = b->next_in_scope)
      if (b->kind == BIND_CLASSNAME) jsc_init_binding(c, b, dst);
  }
  if (env) jsc_emit(c, OP_POPENV);
  jsc_free_to(c, tmp > dst ? tmp : dst + 1);
  return dst;
}

static void object_literal(Compiler *c, JsNode *n, int dst) {
  jsc_emit(c, OP_NEWOBJ, dst);
  int key = jsc_reg(c), val = jsc_reg(c);
  for (JsNode *p = n->list; p && !c->failed; p = p->next) {
    if (p->kind == N_Spread) {
      int v = jsc_expr(c, p->a, val);
      jsc_emit(c, OP_COPYPROPS, dst, v);
      continue;
    }
    bool computed = (p->flags & NF_COMPUTED) != 0;
    if (p->op == PROP_INIT && !computed && !(p->flags & NF_SHORTHAND) && p->a->kind != N_Number &&
        ((p->a->kind == N_Ident && p->a->name_len == 9 && memcmp(p->a->name, "__proto__", 9) == 0) ||
         (p->a->kind == N_String && p->a->str_len == 9 && p->a->str[0] == '_' && p->a->str[2] == 'p' &&
          p->a->str[8] == '_'))) {
      int v = jsc_expr(c, p->b, val);
      jsc_emit(c, OP_SETPROTO, dst, v);
      continue;
    }
    Value name = VAL_UNDEFINED;
    if (computed) {
      int k = jsc_expr(c, p->a, key);
      jsc_emit(c, OP_TOPROPKEY, key, k);
    } else {
      name = key_name_value(c, p->a);
    }
    if (p->op == PROP_GET || p->op == PROP_SET || p->op == PROP_METHOD) {
      if (!computed) jsc_emit(c, OP_LOADK, key, key_const(c, p->a));
      jsc_emit(c, OP_CLOSURE, val, jsc_function(c, p->b, val_is_ptr(name) ? name : atom_well_known(c->rt, ATOM_empty)));
      if (p->op == PROP_METHOD) jsc_emit(c, OP_DEFELEM, dst, key, val);
      else jsc_emit(c, p->op == PROP_GET ? OP_DEFGETTER : OP_DEFSETTER, dst, key, val);
      continue;
    }
    int v = val_is_ptr(name) && is_anonymous_fn(p->b) ? expr_named(c, p->b, val, name)
                                                        : jsc_expr(c, p->b, val);
    if (computed) jsc_emit(c, OP_DEFELEM, dst, key, v);
    else jsc_emit(c, OP_DEFFIELD, dst, key_const(c, p->a), v);
  }
}

static void array_literal(Compiler *c, JsNode *n, int dst) {
  jsc_emit(c, OP_NEWARR, dst, (int)n->count);
  int t = jsc_reg(c);
  for (JsNode *e = n->list; e && !c->failed; e = e->next) {
    if (e->kind == N_Elision) {
      jsc_emit(c, OP_ARRHOLE, dst);
    } else if (e->kind == N_Spread) {
      int v = jsc_expr(c, e->a, t);
      jsc_emit(c, OP_ARRSPREAD, dst, v);
    } else {
      int v = jsc_expr(c, e, t);
      jsc_emit(c, OP_ARRPUSH, dst, v);
    }
  }
}

/* --- assignment ---------------------------------------------------------------------------- */

/* A member target evaluated once: object and key registers. */
typedef struct Ref {
  int obj, key;   /* key < 0: named property with constant kname */
  int kname;
  bool super_ref;
} Ref;

static void member_ref(Compiler *c, JsNode *m, Ref *r) {
  r->super_ref = m->a->kind == N_Super;
  r->obj = jsc_reg(c);
  if (r->super_ref) jsc_emit(c, OP_LOADTHIS, r->obj);
  else {
    int o = jsc_expr(c, m->a, r->obj);
    if (o != r->obj) jsc_emit(c, OP_MOV, r->obj, o);
  }
  r->key = -1;
  if (m->flags & NF_COMPUTED) {
    r->key = jsc_reg(c);
    int k = jsc_expr(c, m->b, r->key);
    jsc_emit(c, OP_TOPROPKEY, r->key, k);
  } else {
    r->kname = key_const(c, m->b);
    if (r->super_ref) {
      r->key = jsc_reg(c);
      jsc_emit(c, OP_LOADK, r->key, r->kname);
    }
  }
}

static void ref_get(Compiler *c, Ref *r, int dst) {
  if (r->super_ref) jsc_emit(c, OP_GETSUPER, dst, r->obj, r->key);
  else if (r->key >= 0) jsc_emit(c, OP_GETELEM, dst, r->obj, r->key, jsc_feedback(c));
  else jsc_emit(c, OP_GETPROP, dst, r->obj, r->kname, jsc_feedback(c));
}

static void ref_set(Compiler *c, Ref *r, int src) {
  if (r->super_ref) jsc_emit(c, OP_SETSUPER, r->obj, r->key, src);
  else if (r->key >= 0) jsc_emit(c, OP_SETELEM, r->obj, r->key, src, jsc_feedback(c));
  else jsc_emit(c, OP_SETPROP, r->obj, r->kname, src, jsc_feedback(c));
}

static void default_value(Compiler *c, JsNode *def, int val, JsNode *target) {
  uint32_t skip = jsc_emit_jump(c, OP_JUNDEF, val);
  uint32_t over = jsc_emit_jump(c, OP_JMP, 0);
  jsc_patch(c, skip);
  if (target && target->kind == N_Ident && is_anonymous_fn(def))
    expr_named(c, def, val, atom_from_utf8(c->rt, target->name, target->name_len));
  else
    jsc_expr(c, def, val);
  jsc_patch(c, over);
}

void jsc_pattern(Compiler *c, JsNode *target, int src, bool init) {
  if (c->failed) return;
  int tmp = (int)c->fs->next_reg;
  switch (target->kind) {
  case N_Ident: jsc_store_ident(c, target, src, init); break;
  case N_Member: {
    Ref r;
    member_ref(c, target, &r);
    ref_set(c, &r, src);
    break;
  }
  case N_AssignPattern: {
    int v = jsc_reg(c);
    jsc_emit(c, OP_MOV, v, src);
    default_value(c, target->b, v, target->a);
    jsc_pattern(c, target->a, v, init);
    break;
  }
  case N_ObjectPattern: {
    /* RequireObjectCoercible, then each property; rest copies what is left. */
    int t = jsc_reg(c);
    uint32_t ok = jsc_emit_jump(c, OP_JNOTNULLISH, src);
    jsc_emit(c, OP_THROWERR, ERR_TypeError,
             jsc_const(c, str_from_cstr(c->rt, "Cannot destructure undefined or null")));
    jsc_patch(c, ok);
    /* With a rest element, every named key is kept in its own register so
     * the rest object can leave them out. */
    bool has_rest = false;
    int nkeys = 0;
    for (JsNode *p = target->list; p; p = p->next) {
      if (p->kind == N_Rest) has_rest = true;
      else nkeys++;
    }
    int keys = has_rest ? jsc_regs(c, nkeys > 0 ? nkeys : 1) : -1;
    int key = jsc_reg(c), ki = 0;
    for (JsNode *p = target->list; p && !c->failed; p = p->next) {
      if (p->kind == N_Rest) {
        int obj = jsc_reg(c), junk = jsc_reg(c);
        jsc_emit(c, OP_NEWOBJ, obj);
        jsc_emit(c, OP_COPYPROPS, obj, src);
        for (int i = 0; i < nkeys; i++) jsc_emit(c, OP_DELPROP, junk, obj, keys + i);
        jsc_pattern(c, p->a, obj, init);
        continue;
      }
      if (p->flags & NF_COMPUTED) {
        int k = jsc_expr(c, p->a, key);
        jsc_emit(c, OP_TOPROPKEY, key, k);
      } else {
        jsc_emit(c, OP_LOADK, key, key_const(c, p->a));
      }
      if (keys >= 0) jsc_emit(c, OP_MOV, keys + ki++, key);
      jsc_emit(c, OP_GETELEM, t, src, key, jsc_feedback(c));
      jsc_pattern(c, p->b, t, init);
    }
    break;
  }
  case N_ArrayPattern: {
    int it = jsc_regs(c, 2), v = jsc_reg(c), done = jsc_reg(c);
    jsc_emit(c, OP_GETITER, it, src);
    jsc_emit(c, OP_LOADFALSE, done);
    for (JsNode *e = target->list; e && !c->failed; e = e->next) {
      if (e->kind == N_Rest) {
        int arr = jsc_reg(c);
        jsc_emit(c, OP_NEWARR, arr, 0);
        uint32_t top = jsc_here(c);
        uint32_t fin = jsc_emit_jump(c, OP_JT, done);
        jsc_emit(c, OP_ITERNEXT, v, done, it);
        uint32_t fin2 = jsc_emit_jump(c, OP_JT, done);
        jsc_emit(c, OP_ARRPUSH, arr, v);
        jsc_emit_loop(c, top);
        jsc_patch(c, fin);
        jsc_patch(c, fin2);
        jsc_pattern(c, e->a, arr, init);
        continue;
      }
      /* Step unless already done; a finished iterator yields undefined. */
      jsc_emit(c, OP_LOADUNDEF, v);
      uint32_t skip = jsc_emit_jump(c, OP_JT, done);
      jsc_emit(c, OP_ITERNEXT, v, done, it);
      jsc_patch(c, skip);
      if (e->kind != N_Elision) jsc_pattern(c, e, v, init);
    }
    /* Close the iterator when the pattern did not exhaust it. */
    uint32_t closed = jsc_emit_jump(c, OP_JT, done);
    jsc_emit(c, OP_ITERCLOSE, it);
    jsc_patch(c, closed);
    break;
  }
  default: jsc_error(c, target, ERR_SyntaxError, "Invalid destructuring assignment target"); break;
  }
  jsc_free_to(c, tmp);
}

static int assign_expr(Compiler *c, JsNode *n, int dst) {
  JsNode *t = n->a;
  int op = n->op;
  if (op == TOK_ASSIGN) {
    if (t->kind == N_Ident) {
      int d = dest(c, dst);
      if (is_anonymous_fn(n->b)) expr_named(c, n->b, d, atom_from_utf8(c->rt, t->name, t->name_len));
      else jsc_expr(c, n->b, d);
      jsc_store_ident(c, t, d, false);
      return d;
    }
    if (t->kind == N_Member) {
      Ref r;
      int d = dest(c, dst);
      member_ref(c, t, &r);
      int v = jsc_expr(c, n->b, d);
      ref_set(c, &r, v);
      return v;
    }
    int d = dest(c, dst);
    jsc_expr(c, n->b, d);
    jsc_pattern(c, t, d, false);
    return d;
  }
  /* Compound and logical assignment. */
  int d = dest(c, dst);
  Ref r = {0};
  bool member = t->kind == N_Member;
  if (member) {
    member_ref(c, t, &r);
    ref_get(c, &r, d);
  } else {
    jsc_load_ident(c, t, d);
  }
  if (op == TOK_AND_ASSIGN || op == TOK_OR_ASSIGN || op == TOK_NULLISH_ASSIGN) {
    JsOpcode skip_op = op == TOK_AND_ASSIGN ? OP_JF : op == TOK_OR_ASSIGN ? OP_JT : OP_JNOTNULLISH;
    uint32_t skip = jsc_emit_jump(c, skip_op, d);
    if (!member && is_anonymous_fn(n->b))
      expr_named(c, n->b, d, atom_from_utf8(c->rt, t->name, t->name_len));
    else
      jsc_expr(c, n->b, d);
    if (member) ref_set(c, &r, d);
    else jsc_store_ident(c, t, d, false);
    jsc_patch(c, skip);
    return d;
  }
  int v = jsc_expr(c, n->b, -1);
  jsc_emit(c, (JsOpcode)binary_opcode(op), d, d, v, jsc_feedback(c));
  if (member) ref_set(c, &r, d);
  else jsc_store_ident(c, t, d, false);
  return d;
}

static int update_expr(Compiler *c, JsNode *n, int dst) {
  JsNode *t = n->a;
  int d = dest(c, dst);
  int old = jsc_reg(c);
  Ref r = {0};
  bool member = t->kind == N_Member;
  if (member) {
    member_ref(c, t, &r);
    ref_get(c, &r, old);
  } else {
    jsc_load_ident(c, t, old);
  }
  JsOpcode op = n->op == TOK_INC ? OP_INC : OP_DEC;
  if (n->flags & NF_PREFIX) {
    jsc_emit(c, op, d, old, jsc_feedback(c));
  } else {
    jsc_emit(c, OP_TONUMERIC, d, old);
    jsc_emit(c, op, old, d, jsc_feedback(c));
  }
  int newv = (n->flags & NF_PREFIX) ? d : old;
  if (member) ref_set(c, &r, newv);
  else jsc_store_ident(c, t, newv, false);
  return d;
}

/* --- expressions ----------------------------------------------------------------------------- */

void jsc_condition(Compiler *c, JsNode *n, bool jump_if, JumpList *out) {
  if (n->kind == N_Unary && n->op == TOK_BANG) {
    jsc_condition(c, n->a, !jump_if, out);
    return;
  }
  if (n->kind == N_Logical && n->op != TOK_NULLISH) {
    bool is_and = n->op == TOK_AND;
    if (is_and != jump_if) {
      /* (a && b) jump if false: either false jumps; (a || b) jump if true. */
      jsc_condition(c, n->a, jump_if, out);
      jsc_condition(c, n->b, jump_if, out);
    } else {
      JumpList skip = {0};
      jsc_condition(c, n->a, !jump_if, &skip);
      jsc_condition(c, n->b, jump_if, out);
      jsc_jumplist_patch(c, &skip, jsc_here(c));
    }
    return;
  }
  int tmp = (int)c->fs->next_reg;
  int r = jsc_expr(c, n, -1);
  jsc_jumplist_add(out, jsc_emit_jump(c, jump_if ? OP_JT : OP_JF, r));
  jsc_free_to(c, tmp);
}

void jsc_expr_discard(Compiler *c, JsNode *n) {
  int tmp = (int)c->fs->next_reg;
  jsc_expr(c, n, -1);
  jsc_free_to(c, tmp);
}

static bool side_effect_free(const JsNode *n) {
  switch (n->kind) {
  case N_Number: case N_String: case N_Ident: case N_This: case N_Null: case N_True: case N_False:
    return true;
  case N_Member: return !(n->flags & NF_COMPUTED) && side_effect_free(n->a);
  default: return false;
  }
}

static int expr_named(Compiler *c, JsNode *n, int dst, Value name) {
  if (val_is_exception(name)) {
    rt_clear_exception(c->rt);
    name = atom_well_known(c->rt, ATOM_empty);
  }
  if (n->kind == N_Class) return class_expr(c, n, dst, name);
  int d = dest(c, dst);
  jsc_emit(c, OP_CLOSURE, d, jsc_function(c, n, name));
  return d;
}

int jsc_expr(Compiler *c, JsNode *n, int dst) {
  if (c->failed) return dst >= 0 ? dst : 0;
  if (rt_stack_exhausted(c->rt)) {
    jsc_error(c, n, ERR_RangeError, "Maximum call stack size exceeded");
    return dst >= 0 ? dst : 0;
  }
  int d;
  switch (n->kind) {
  case N_Ident:
    if (dst < 0 && n->ref.kind == REF_LOCAL && !(n->ref.maybe_tdz && is_lexical(n->ref.binding)))
      return (int)n->ref.index;
    d = dest(c, dst);
    jsc_load_ident(c, n, d);
    return d;
  case N_Number: d = dest(c, dst); load_number(c, n->num, d); return d;
  case N_String: d = dest(c, dst); jsc_emit(c, OP_LOADK, d, jsc_const_utf16(c, n->str, n->str_len)); return d;
  case N_Null: d = dest(c, dst); jsc_emit(c, OP_LOADNULL, d); return d;
  case N_True: d = dest(c, dst); jsc_emit(c, OP_LOADTRUE, d); return d;
  case N_False: d = dest(c, dst); jsc_emit(c, OP_LOADFALSE, d); return d;
  case N_This: d = dest(c, dst); jsc_emit(c, OP_LOADTHIS, d); return d;
  case N_NewTarget: d = dest(c, dst); jsc_emit(c, OP_LOADNEWTARGET, d); return d;
  case N_BigInt: jsc_error(c, n, ERR_InternalError, "BigInt is not supported yet"); return 0;
  case N_RegExp: {
    d = dest(c, dst);
    int kp = jsc_const_atom(c, n->name ? n->name : "", n->name ? n->name_len : 0);
    int kf = jsc_const_atom(c, n->str8 ? n->str8 : "", n->str8 ? (uint32_t)strlen(n->str8) : 0);
    jsc_emit(c, OP_REGEXP, d, kp, kf);
    return d;
  }
  case N_Template: {
    d = dest(c, dst);
    int t = jsc_reg(c);
    bool first = true;
    for (JsNode *e = n->list; e; e = e->next) {
      if (e->kind == N_TemplateElement) {
        if (!e->str_len && !first) continue;
        jsc_emit(c, OP_LOADK, t, jsc_const_utf16(c, e->str, e->str_len));
      } else {
        int v = jsc_expr(c, e, t);
        jsc_emit(c, OP_TOSTRING, t, v);
      }
      if (first) jsc_emit(c, OP_MOV, d, t);
      else jsc_emit(c, OP_ADD, d, d, t, jsc_feedback(c));
      first = false;
    }
    if (first) jsc_emit(c, OP_LOADK, d, jsc_const(c, atom_well_known(c->rt, ATOM_empty)));
    jsc_free_to(c, t);
    return d;
  }
  case N_TaggedTemplate: {
    int tmp = (int)c->fs->next_reg;
    d = dest(c, dst);
    int fn = jsc_reg(c), th = jsc_reg(c);
    callee_and_this(c, n->a, fn, th);
    uint32_t nsubs = 0;
    for (JsNode *e = n->b->list; e; e = e->next)
      if (e->kind != N_TemplateElement) nsubs++;
    int args = jsc_regs(c, (int)nsubs + 1);
    template_object(c, n->b, args);
    int i = 1;
    for (JsNode *e = n->b->list; e; e = e->next)
      if (e->kind != N_TemplateElement) jsc_expr(c, e, args + i++);
    jsc_emit(c, OP_CALL, d, fn, th, args, (int)nsubs + 1, jsc_feedback(c));
    jsc_free_to(c, tmp > d ? tmp : d + 1);
    return d;
  }
  case N_Array: {
    int tmp = (int)c->fs->next_reg;
    d = dest(c, dst);
    array_literal(c, n, d);
    jsc_free_to(c, tmp > d ? tmp : d + 1);
    return d;
  }
  case N_Object: {
    int tmp = (int)c->fs->next_reg;
    d = dest(c, dst);
    object_literal(c, n, d);
    jsc_free_to(c, tmp > d ? tmp : d + 1);
    return d;
  }
  case N_Function:
  case N_Arrow: return expr_named(c, n, dst, atom_well_known(c->rt, ATOM_empty));
  case N_Class:
  case N_ClassDecl: return class_expr(c, n, dst, atom_well_known(c->rt, ATOM_empty));
  case N_Unary: {
    int tmp = (int)c->fs->next_reg;
    d = dest(c, dst);
    switch (n->op) {
    case TOK_TYPEOF:
      if (n->a->kind == N_Ident && n->a->ref.kind == REF_GLOBAL) {
        int t = jsc_reg(c);
        jsc_emit(c, OP_TYPEOFGLOBAL, t, name_const(c, n->a), jsc_feedback(c));
        jsc_emit(c, OP_TYPEOF, d, t);
      } else {
        int v = jsc_expr(c, n->a, -1);
        jsc_emit(c, OP_TYPEOF, d, v);
      }
      break;
    case TOK_VOID: jsc_expr_discard(c, n->a); jsc_emit(c, OP_LOADUNDEF, d); break;
    case TOK_DELETE:
      if (n->a->kind == N_Member && n->a->a->kind != N_Super) {
        int o = jsc_reg(c), k = jsc_reg(c);
        jsc_expr(c, n->a->a, o);
        if (n->a->flags & NF_COMPUTED) jsc_expr(c, n->a->b, k);
        else jsc_emit(c, OP_LOADK, k, key_const(c, n->a->b));
        jsc_emit(c, OP_DELPROP, d, o, k);
      } else if (n->a->kind == N_Ident) {
        /* Sloppy delete of a declared variable is false; of a global property, real. */
        if (n->a->ref.kind == REF_GLOBAL && !n->a->ref.binding) {
          int o = jsc_reg(c), k = jsc_reg(c);
          jsc_emit(c, OP_GETGLOBAL, o, jsc_const_atom(c, "globalThis", 10), jsc_feedback(c));
          jsc_emit(c, OP_LOADK, k, name_const(c, n->a));
          jsc_emit(c, OP_DELPROP, d, o, k);
        } else {
          jsc_emit(c, OP_LOADFALSE, d);
        }
      } else {
        jsc_expr_discard(c, n->a);
        jsc_emit(c, OP_LOADTRUE, d);
      }
      break;
    default: {
      int v = jsc_expr(c, n->a, -1);
      JsOpcode op = n->op == TOK_MINUS ? OP_NEG : n->op == TOK_PLUS ? OP_TONUMBER
                    : n->op == TOK_BANG ? OP_NOT : OP_BITNOT;
      jsc_emit(c, op, d, v);
    }
    }
    jsc_free_to(c, tmp > d ? tmp : d + 1);
    return d;
  }
  case N_Update: {
    int tmp = (int)c->fs->next_reg;
    d = update_expr(c, n, dst);
    jsc_free_to(c, tmp > d ? tmp : d + 1);
    return d;
  }
  case N_Binary: {
    int tmp = (int)c->fs->next_reg;
    d = dest(c, dst);
    /* Chains like a + b + c nest on the left: compile them without recursion
     * over the left spine when long. */
    int a = jsc_expr(c, n->a, -1);
    /* The left value must not change while the right side runs: copy a
     * variable's register unless the right side cannot assign to it. */
    if ((a == d || a < (int)c->fs->info->num_registers) && !side_effect_free(n->b)) {
      int t = jsc_reg(c);
      jsc_emit(c, OP_MOV, t, a);
      a = t;
    }
    int b = jsc_expr(c, n->b, -1);
    jsc_position(c, n);
    if (n->op == TOK_INSTANCEOF) jsc_emit(c, OP_INSTANCEOF, d, a, b);
    else if (n->op == TOK_IN) {
      if (n->a->kind == N_PrivateName) jsc_error(c, n, ERR_InternalError, "private names are not supported yet");
      jsc_emit(c, OP_IN, d, a, b);
    } else {
      int op = binary_opcode(n->op);
      if (op < 0) jsc_error(c, n, ERR_InternalError, "unknown binary operator");
      else jsc_emit(c, (JsOpcode)op, d, a, b, jsc_feedback(c));
    }
    jsc_free_to(c, tmp > d ? tmp : d + 1);
    return d;
  }
  case N_Logical: {
    d = dest(c, dst);
    jsc_expr(c, n->a, d);
    JsOpcode skip_op = n->op == TOK_AND ? OP_JF : n->op == TOK_OR ? OP_JT : OP_JNOTNULLISH;
    uint32_t skip = jsc_emit_jump(c, skip_op, d);
    jsc_expr(c, n->b, d);
    jsc_patch(c, skip);
    return d;
  }
  case N_Conditional: {
    d = dest(c, dst);
    JumpList els = {0};
    jsc_condition(c, n->a, false, &els);
    jsc_expr(c, n->b, d);
    uint32_t end = jsc_emit_jump(c, OP_JMP, 0);
    jsc_jumplist_patch(c, &els, jsc_here(c));
    jsc_expr(c, n->c, d);
    jsc_patch(c, end);
    return d;
  }
  case N_Assign: {
    int tmp = (int)c->fs->next_reg;
    d = assign_expr(c, n, dst);
    if (dst >= 0 && d != dst) jsc_emit(c, OP_MOV, dst, d), d = dst;
    jsc_free_to(c, tmp > d ? tmp : d + 1);
    return d;
  }
  case N_Sequence: {
    JsNode *e = n->list;
    for (; e && e->next; e = e->next) jsc_expr_discard(c, e);
    return e ? jsc_expr(c, e, dst) : dest(c, dst);
  }
  case N_Member:
  case N_Call: {
    int tmp = (int)c->fs->next_reg;
    d = dest(c, dst);
    member_or_call(c, n, d, NULL);
    jsc_free_to(c, tmp > d ? tmp : d + 1);
    return d;
  }
  case N_OptionalChain: {
    d = dest(c, dst);
    OptChain chain = {0}, *saved = cur_chain;
    cur_chain = &chain;
    jsc_expr(c, n->a, d);
    cur_chain = saved;
    uint32_t end = jsc_emit_jump(c, OP_JMP, 0);
    jsc_jumplist_patch(c, &chain.nullish, jsc_here(c));
    jsc_emit(c, OP_LOADUNDEF, d);
    jsc_patch(c, end);
    return d;
  }
  case N_New: {
    int tmp = (int)c->fs->next_reg;
    d = dest(c, dst);
    int fn = jsc_reg(c);
    jsc_expr(c, n->a, fn);
    uint32_t argc;
    int arr = -1;
    int first = arguments(c, n->list, &argc, &arr);
    jsc_position(c, n);
    if (first < 0) jsc_emit(c, OP_NEWSPREAD, d, fn, arr);
    else jsc_emit(c, OP_NEW, d, fn, first, (int)argc, jsc_feedback(c));
    jsc_free_to(c, tmp > d ? tmp : d + 1);
    return d;
  }
  case N_Spread:
    jsc_error(c, n, ERR_SyntaxError, "Unexpected spread");
    return 0;
  case N_Yield:
  case N_Await: jsc_error(c, n, ERR_InternalError, "generators and async functions are not supported yet"); return 0;
  case N_ImportMeta:
  case N_ImportCall: jsc_error(c, n, ERR_InternalError, "modules are not supported yet"); return 0;
  default: jsc_error(c, n, ERR_InternalError, "cannot compile %s expression", js_node_kind_name(n->kind)); return 0;
  }
}
