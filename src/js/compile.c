/* compile.c: the bytecode compiler's infrastructure (code buffer, constants,
 * registers, jumps, source positions), functions (parameters, hoisting,
 * environments) and statements (control flow, try/finally, loops). The
 * scope analysis has already decided where every binding lives. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "js/compile.h"
#include "js/js.h"
#include "js/parser.h"
#include "js/token.h"

/* --- infrastructure -------------------------------------------------------------------- */

bool jsc_error(Compiler *c, const JsNode *at, ErrorKind kind, const char *fmt, ...) {
  if (c->failed) return false;
  c->failed = true;
  c->err_kind = kind;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->err, sizeof c->err, fmt, ap);
  va_end(ap);
  c->err_line = at ? at->line : 0;
  c->err_col = at ? at->col : 0;
  return false;
}

static void emit_unit(Compiler *c, uint16_t u) {
  FnState *fs = c->fs;
  if (fs->len == fs->cap) {
    uint32_t cap = fs->cap ? fs->cap * 2 : 256;
    uint16_t *p = realloc(fs->code, cap * sizeof *p);
    if (!p) {
      jsc_error(c, NULL, ERR_InternalError, "out of memory");
      return;
    }
    fs->code = p;
    fs->cap = cap;
  }
  fs->code[fs->len++] = u;
}

void jsc_emit(Compiler *c, JsOpcode op, ...) {
  if (c->failed) return;
  emit_unit(c, (uint16_t)op);
  va_list ap;
  va_start(ap, op);
  for (const char *l = js_op_layout[op]; *l; l++) {
    int v = va_arg(ap, int);
    if (*l == 'j') {
      emit_unit(c, (uint16_t)((uint32_t)v & 0xffff));
      emit_unit(c, (uint16_t)((uint32_t)v >> 16));
    } else {
      if ((*l == 'r' || *l == 'k' || *l == 'n' || *l == 'f') && (v < 0 || v > 0xffff))
        jsc_error(c, NULL, ERR_RangeError, "function too large (operand out of range)");
      emit_unit(c, (uint16_t)v);
    }
  }
  va_end(ap);
}

uint32_t jsc_here(Compiler *c) { return c->fs->len; }

/* Emits a jump with a placeholder; returns where its offset operand is. */
uint32_t jsc_emit_jump(Compiler *c, JsOpcode op, int reg) {
  if (op == OP_JMP) jsc_emit(c, op, 0);
  else if (op == OP_TRY) {
    /* Temporaries allocated after this point are dead when the handler runs. */
    jsc_emit(c, op, (int)c->fs->next_reg, 0);
  } else jsc_emit(c, op, reg, 0);
  return c->fs->len - 2;
}

void jsc_patch_to(Compiler *c, uint32_t at, uint32_t target) {
  if (c->failed) return;
  /* Offsets are relative to the end of the instruction, which is at + 2. */
  int32_t off = (int32_t)target - (int32_t)(at + 2);
  c->fs->code[at] = (uint16_t)((uint32_t)off & 0xffff);
  c->fs->code[at + 1] = (uint16_t)((uint32_t)off >> 16);
}

void jsc_patch(Compiler *c, uint32_t at) { jsc_patch_to(c, at, jsc_here(c)); }

void jsc_jumplist_add(JumpList *l, uint32_t at) {
  if (l->n == l->cap) {
    uint32_t cap = l->cap ? l->cap * 2 : 4;
    uint32_t *p = realloc(l->at, cap * sizeof *p);
    if (!p) return;
    l->at = p;
    l->cap = cap;
  }
  l->at[l->n++] = at;
}

void jsc_jumplist_patch(Compiler *c, JumpList *l, uint32_t target) {
  for (uint32_t i = 0; i < l->n; i++) jsc_patch_to(c, l->at[i], target);
  free(l->at);
  memset(l, 0, sizeof *l);
}

void jsc_emit_loop(Compiler *c, uint32_t target) {
  int fb = jsc_feedback(c);
  jsc_emit(c, OP_LOOP, 0, fb);
  /* LOOP's jump operand is at len - 3 (j takes 2 units, f one). */
  uint32_t at = c->fs->len - 3;
  int32_t off = (int32_t)target - (int32_t)c->fs->len;
  if (!c->failed) {
    c->fs->code[at] = (uint16_t)((uint32_t)off & 0xffff);
    c->fs->code[at + 1] = (uint16_t)((uint32_t)off >> 16);
  }
}

int jsc_const(Compiler *c, Value v) {
  FnState *fs = c->fs;
  for (uint32_t i = 0; i < fs->nconsts; i++)
    if (fs->consts[i] == v) return (int)i;
  if (fs->nconsts == fs->consts_cap) {
    uint32_t cap = fs->consts_cap ? fs->consts_cap * 2 : 16;
    Value *p = realloc(fs->consts, cap * sizeof *p);
    if (!p) {
      jsc_error(c, NULL, ERR_InternalError, "out of memory");
      return 0;
    }
    fs->consts = p;
    fs->consts_cap = cap;
  }
  fs->consts[fs->nconsts] = v;
  return (int)fs->nconsts++;
}

int jsc_const_atom(Compiler *c, const char *name, uint32_t len) {
  Atom a = atom_from_utf8(c->rt, name, len);
  if (val_is_exception(a)) {
    jsc_error(c, NULL, ERR_InternalError, "out of memory");
    return 0;
  }
  return jsc_const(c, a);
}

int jsc_const_utf16(Compiler *c, const uint16_t *s, uint32_t len) {
  Value v = str_from_utf16(c->rt, s, len);
  if (val_is_exception(v)) {
    jsc_error(c, NULL, ERR_InternalError, "out of memory");
    return 0;
  }
  /* Short strings become atoms so that property keys compare by identity. */
  if (len <= 64) {
    Value a = atom_from_string(c->rt, v);
    if (!val_is_exception(a)) v = a;
  }
  return jsc_const(c, v);
}

int jsc_feedback(Compiler *c) { return (int)c->fs->nfeedback++; }

int jsc_reg(Compiler *c) {
  FnState *fs = c->fs;
  int r = (int)fs->next_reg++;
  if (fs->next_reg > fs->max_reg) fs->max_reg = fs->next_reg;
  if (fs->next_reg > 0xffff) jsc_error(c, NULL, ERR_RangeError, "too many registers");
  return r;
}

int jsc_regs(Compiler *c, int n) {
  int first = (int)c->fs->next_reg;
  for (int i = 0; i < n; i++) jsc_reg(c);
  return first;
}

void jsc_free_to(Compiler *c, int reg) {
  if (reg >= (int)c->fs->info->num_registers && (uint32_t)reg < c->fs->next_reg)
    c->fs->next_reg = (uint32_t)reg;
}

void jsc_position(Compiler *c, const JsNode *n) {
  FnState *fs = c->fs;
  if (!n || n->line == 0) return;
  uint32_t packed = n->line << 12 | (n->col < 0xfff ? n->col : 0xfff);
  if (fs->nlines && fs->lines[2 * (fs->nlines - 1)] == fs->len) {
    fs->lines[2 * (fs->nlines - 1) + 1] = packed;
    return;
  }
  if (fs->nlines && fs->lines[2 * (fs->nlines - 1) + 1] == packed) return;
  if (fs->nlines == fs->lines_cap) {
    uint32_t cap = fs->lines_cap ? fs->lines_cap * 2 : 32;
    uint32_t *p = realloc(fs->lines, cap * 2 * sizeof *p);
    if (!p) return;
    fs->lines = p;
    fs->lines_cap = cap;
  }
  fs->lines[2 * fs->nlines] = fs->len;
  fs->lines[2 * fs->nlines + 1] = packed;
  fs->nlines++;
}

/* Constants made during compilation must survive collections until the
 * code object owns them. */
static void trace_compiler(Heap *heap, void *data) {
  Compiler *c = data;
  gc_mark_value(heap, c->source);
  gc_mark_value(heap, c->filename);
  for (FnState *fs = c->fs; fs; fs = fs->parent)
    for (uint32_t i = 0; i < fs->nconsts; i++) gc_mark_value(heap, fs->consts[i]);
}

/* --- functions --------------------------------------------------------------------------- */

bool jsc_binding_in_scope_env(const JsBinding *b) { return b->in_env; }

static JsBinding *find_binding(JsScope *s, const char *name, uint32_t len) {
  for (JsBinding *b = s->bindings; b; b = b->next_in_scope)
    if (b->name_len == len && memcmp(b->name, name, len) == 0 && b->kind != BIND_NONE) return b;
  return NULL;
}

/* Stores src into binding b of a scope of the current function. */
void jsc_init_binding(Compiler *c, JsBinding *b, int src) {
  if (b->in_env) {
    /* The binding's scope is the innermost environment when this runs
     * (declarations are initialized in their own scope). */
    jsc_emit(c, OP_SETENV, 0, (int)b->index, src);
  } else if (b->scope->kind == SCOPE_SCRIPT) {
    jsc_emit(c, OP_INITGLOBAL, jsc_const_atom(c, b->name, b->name_len), src);
  } else if ((int)b->index != src) {
    jsc_emit(c, OP_MOV, (int)b->index, src);
  }
}

static void enter_scope_env(Compiler *c, JsScope *s, Control *ctl) {
  memset(ctl, 0, sizeof *ctl);
  if (!s || !s->has_env || s == c->fs->info->scope || s->kind == SCOPE_SCRIPT) return;
  jsc_emit(c, OP_PUSHENV, (int)s->env_slots);
  ctl->kind = CTL_ENV;
  ctl->prev = c->fs->ctl;
  c->fs->ctl = ctl;
}

static void leave_scope_env(Compiler *c, Control *ctl) {
  if (ctl->kind != CTL_ENV) return;
  jsc_emit(c, OP_POPENV);
  c->fs->ctl = ctl->prev;
}

static void hoist_functions(Compiler *c, JsNode *list, JsScope *scope);

/* Lexical bindings of a scope start uninitialized (TDZ); register ones
 * need it explicitly (environment slots start uninitialized). */
static void init_lexicals(Compiler *c, JsScope *s) {
  if (!s) return;
  for (JsBinding *b = s->bindings; b; b = b->next_in_scope) {
    if (b->kind != BIND_LET && b->kind != BIND_CONST && b->kind != BIND_CLASS) continue;
    if (s->kind == SCOPE_SCRIPT) {
      jsc_emit(c, OP_DEFLEX, jsc_const_atom(c, b->name, b->name_len), b->kind == BIND_CONST);
    } else if (!b->in_env) {
      jsc_emit(c, OP_LOADUNINIT, (int)b->index);
    }
  }
}

static void declare_script_vars(Compiler *c, JsScope *s) {
  for (JsBinding *b = s->bindings; b; b = b->next_in_scope)
    if (b->kind == BIND_VAR || b->kind == BIND_FUNCTION)
      jsc_emit(c, OP_DEFVAR, jsc_const_atom(c, b->name, b->name_len), b->kind == BIND_FUNCTION);
}

static void compile_params(Compiler *c, JsNode *fn) {
  uint32_t i = 0;
  for (JsNode *p = fn->list; p; p = p->next, i++) {
    int tmp = (int)c->fs->next_reg;
    if (p->kind == N_Rest) {
      int r = jsc_reg(c);
      jsc_emit(c, OP_REST, r, (int)i);
      jsc_pattern(c, p->a, r, true);
    } else if (p->kind == N_Ident && !p->ref.binding->in_env) {
      jsc_emit(c, OP_GETARG, (int)p->ref.binding->index, (int)i);
    } else {
      int r = jsc_reg(c);
      jsc_emit(c, OP_GETARG, r, (int)i);
      jsc_pattern(c, p, r, true);
    }
    jsc_free_to(c, tmp);
  }
}

/* Where the scope analysis put `arguments` for this function, if used. */
static void init_arguments(Compiler *c, JsFuncInfo *info) {
  JsBinding *b = find_binding(info->scope, "arguments", 9);
  if (!b || b->kind != BIND_ARGUMENTS) return;
  int r = jsc_reg(c);
  jsc_emit(c, OP_ARGUMENTS, r);
  jsc_init_binding(c, b, r);
  jsc_free_to(c, r);
}

static void init_callee(Compiler *c, JsNode *fn) {
  /* A named function expression sees its own name (immutable). */
  if (fn->kind != N_Function || !fn->a || !fn->scope) return;
  for (JsScope *s = fn->scope; s; s = s->parent) {
    JsBinding *b = find_binding(s, fn->a->name, fn->a->name_len);
    if (b && b->kind == BIND_CALLEE) {
      int r = jsc_reg(c);
      jsc_emit(c, OP_LOADFUNC, r);
      jsc_init_binding(c, b, r);
      jsc_free_to(c, r);
      return;
    }
    if (s->kind == SCOPE_FUNCTION) break;
  }
}

static uint32_t count_simple_params(JsNode *fn) {
  uint32_t n = 0;
  for (JsNode *p = fn->list; p; p = p->next) {
    if (p->kind == N_Rest || p->kind == N_AssignPattern) break;
    n++;
  }
  return n;
}

JsFunctionCode *jsc_finish_function(Compiler *c, FnState *fs, Value name, JsNode *node) {
  Runtime *rt = c->rt;
  GCValueArray *consts = gc_alloc_value_array(rt->heap, fs->nconsts ? fs->nconsts : 1);
  if (!consts) {
    jsc_error(c, node, ERR_InternalError, "out of memory");
    return NULL;
  }
  for (uint32_t i = 0; i < fs->nconsts; i++) consts->v[i] = fs->consts[i];
  Value cv = val_from_ptr(consts);
  (void)cv; /* on the C stack: conservatively rooted while we allocate the code */
  JsFunctionCode *fc = gc_alloc(rt->heap, GC_KIND_FUNCTION_CODE, sizeof *fc);
  if (!fc) {
    jsc_error(c, node, ERR_InternalError, "out of memory");
    return NULL;
  }
  fc->consts = consts;
  fc->nconsts = fs->nconsts;
  fc->code = fs->code;
  fc->code_len = fs->len;
  fs->code = NULL;
  fc->flags = fs->flags;
  fc->nregs = (uint16_t)(fs->max_reg > fs->info->num_registers ? fs->max_reg : fs->info->num_registers);
  bool has_params = node->kind == N_Function || node->kind == N_FuncDecl || node->kind == N_Arrow;
  fc->nparams = has_params ? (uint16_t)count_simple_params(node) : 0;
  fc->nformals = 0;
  fc->env_size = (uint16_t)(fs->info->scope && fs->info->scope->has_env ? fs->info->scope->env_slots : 0);
  if (fc->env_size || (fs->info->scope && fs->info->scope->has_env)) fc->flags |= FC_NEEDS_ENV;
  fc->nfeedback = (uint16_t)fs->nfeedback;
  fc->feedback = calloc(fs->nfeedback ? fs->nfeedback : 1, sizeof(JsFeedback));
  for (uint32_t i = 0; i < fs->nfeedback && fc->feedback; i++) fc->feedback[i].target = VAL_UNDEFINED;
  fc->name = name;
  fc->source = c->source;
  fc->filename = c->filename;
  fc->src_start = node->start;
  fc->src_end = node->end;
  fc->lines = fs->lines;
  fc->nlines = fs->nlines;
  fs->lines = NULL;
  if (!fc->feedback) {
    jsc_error(c, node, ERR_InternalError, "out of memory");
    return NULL;
  }
  return fc;
}

void jsc_free_fnstate(FnState *fs) {
  free(fs->code);
  free(fs->consts);
  free(fs->lines);
}

static void compile_body(Compiler *c, JsNode *fn);

static JsFunctionCode *compile_function_code(Compiler *c, JsNode *node, Value name) {
  JsFuncInfo *info = node->fn;
  if (!info) {
    jsc_error(c, node, ERR_InternalError, "function without scope information");
    return NULL;
  }
  FnState fs = {.parent = c->fs, .info = info, .node = node, .this_reg = -1};
  fs.next_reg = fs.max_reg = info->num_registers;
  if (info->strict) fs.flags |= FC_STRICT;
  if (info->is_arrow) fs.flags |= FC_ARROW;
  if (node->flags & NF_GENERATOR) fs.flags |= FC_GENERATOR;
  if (node->flags & NF_ASYNC) fs.flags |= FC_ASYNC;
  if (node->flags & NF_METHOD) fs.flags |= FC_METHOD;
  if (node->flags & NF_CTOR) fs.flags |= FC_CTOR | FC_CLASS_CTOR;
  if (node->flags & NF_DERIVED) fs.flags |= FC_DERIVED;
  if (node->kind == N_Program) fs.flags |= FC_SCRIPT;
  bool plain = (node->kind == N_Function || node->kind == N_FuncDecl) &&
               !(node->flags & (NF_METHOD | NF_GENERATOR | NF_ASYNC));
  if (plain) fs.flags |= FC_CTOR;
  c->fs = &fs;
  if ((node->flags & (NF_GENERATOR | NF_ASYNC)) && node->kind != N_Program) {
    jsc_error(c, node, ERR_InternalError, "generators and async functions are not supported yet");
  } else {
    compile_body(c, node);
  }
  JsFunctionCode *fc = c->failed ? NULL : jsc_finish_function(c, &fs, name, node);
  c->fs = fs.parent;
  jsc_free_fnstate(&fs);
  return fc;
}

int jsc_function(Compiler *c, JsNode *fn_node, Value name) {
  JsFunctionCode *fc = compile_function_code(c, fn_node, name);
  if (!fc) return 0;
  return jsc_const(c, val_from_ptr(fc));
}

static void hoist_functions(Compiler *c, JsNode *list, JsScope *scope) {
  for (JsNode *s = list; s; s = s->next) {
    JsNode *d = s;
    if (d->kind == N_ExportNamed && d->c) d = d->c;
    if (d->kind != N_FuncDecl || !d->a) continue;
    int r = jsc_reg(c);
    Value name = atom_from_utf8(c->rt, d->a->name, d->a->name_len);
    if (val_is_exception(name)) {
      jsc_error(c, d, ERR_InternalError, "out of memory");
      return;
    }
    jsc_emit(c, OP_CLOSURE, r, jsc_function(c, d, name));
    jsc_store_ident(c, d->a, r, true);
    jsc_free_to(c, r);
  }
  (void)scope;
}

static void statement_list(Compiler *c, JsNode *list) {
  for (JsNode *s = list; s && !c->failed; s = s->next) jsc_statement(c, s);
}

static void compile_body(Compiler *c, JsNode *fn) {
  FnState *fs = c->fs;
  JsFuncInfo *info = fs->info;
  jsc_position(c, fn);
  if (fn->kind == N_Program) {
    if (fn->flags & NF_MODULE) {
      jsc_error(c, fn, ERR_InternalError, "modules are not supported yet");
      return;
    }
    declare_script_vars(c, info->scope);
    init_lexicals(c, info->scope);
    hoist_functions(c, fn->list, info->scope);
    /* The completion value of the last expression statement is the script's
     * result (for -e and the REPL). */
    int result = jsc_reg(c);
    jsc_emit(c, OP_LOADUNDEF, result);
    for (JsNode *s = fn->list; s && !c->failed; s = s->next) {
      if (s->kind == N_ExprStmt) {
        int tmp = (int)fs->next_reg;
        jsc_position(c, s);
        jsc_expr(c, s->a, result);
        jsc_free_to(c, tmp);
      } else {
        jsc_statement(c, s);
      }
    }
    jsc_emit(c, OP_RET, result);
    return;
  }
  init_callee(c, fn);
  init_arguments(c, info);
  compile_params(c, fn);
  init_lexicals(c, info->scope);
  if (fn->kind == N_Arrow && (fn->flags & NF_EXPR_BODY)) {
    int r = jsc_expr(c, fn->b, -1);
    jsc_emit(c, OP_RET, r);
    return;
  }
  JsNode *body = fn->b;
  if (!body) {
    jsc_emit(c, OP_RETUNDEF);
    return;
  }
  JsScope *body_scope = info->body_scope;
  Control env;
  enter_scope_env(c, body_scope, &env);
  if (body_scope) {
    /* A body var named like a parameter starts with the parameter's value. */
    for (JsBinding *b = body_scope->bindings; b; b = b->next_in_scope) {
      if (!b->copies_param) continue;
      JsBinding *param = find_binding(info->scope, b->name, b->name_len);
      if (!param) continue;
      int r = jsc_reg(c);
      if (param->in_env) jsc_emit(c, OP_GETENV, r, body_scope->has_env ? 1 : 0, (int)param->index);
      else jsc_emit(c, OP_MOV, r, (int)param->index);
      jsc_init_binding(c, b, r);
      jsc_free_to(c, r);
    }
  }
  init_lexicals(c, body_scope);
  hoist_functions(c, body->list, info->scope);
  statement_list(c, body->list);
  leave_scope_env(c, &env);
  if (fs->flags & FC_DERIVED) {
    int r = jsc_reg(c);
    jsc_emit(c, OP_LOADTHIS, r);
    jsc_emit(c, OP_RET, r);
  } else {
    jsc_emit(c, OP_RETUNDEF);
  }
}

/* --- statements ---------------------------------------------------------------------------- */

static Control *find_target(Compiler *c, const JsNode *n, bool is_continue) {
  for (Control *ctl = c->fs->ctl; ctl; ctl = ctl->prev) {
    if (ctl->kind != CTL_LOOP && ctl->kind != CTL_BREAKABLE) continue;
    if (is_continue && ctl->kind != CTL_LOOP) continue;
    if (!n->name) {
      if (ctl->kind == CTL_LOOP || (!is_continue && ctl->label == NULL)) return ctl;
      continue;
    }
    for (const JsNode *l = ctl->labels; l; l = l->a && l->a->kind == N_Labeled ? l->a : NULL)
      if (l->name_len == n->name_len && memcmp(l->name, n->name, n->name_len) == 0) return ctl;
  }
  return NULL;
}

/* Emits what leaving the controls between here and `target` needs (popping
 * environments and handlers, closing iterators, running finally blocks),
 * then jumps. target NULL: a return with the value in `value`. */
static void emit_exit(Compiler *c, Control *target, bool is_continue, int value) {
  for (Control *ctl = c->fs->ctl; ctl && ctl != target; ctl = ctl->prev) {
    switch (ctl->kind) {
    case CTL_ENV: jsc_emit(c, OP_POPENV); break;
    case CTL_ITERATOR: jsc_emit(c, OP_ITERCLOSE, ctl->iter_reg); break;
    case CTL_FINALLY: {
      /* Route through the finally block: record which exit this is. */
      jsc_emit(c, OP_ENDTRY);
      FinallyExit *ex = realloc(ctl->exits, (ctl->nexits + 1) * sizeof *ex);
      if (!ex) return;
      ctl->exits = ex;
      int kind = (int)ctl->nexits + 2; /* 0 normal, 1 throw, 2.. exits */
      ex[ctl->nexits++] = (FinallyExit){kind, target, is_continue};
      if (!target) jsc_emit(c, OP_MOV, ctl->finally_val, value);
      jsc_emit(c, OP_LOADI, ctl->finally_kind, kind);
      jsc_jumplist_add(&ctl->finally_jumps, jsc_emit_jump(c, OP_JMP, 0));
      return; /* the finally block continues the exit */
    }
    default: break;
    }
  }
  if (!target) {
    jsc_emit(c, OP_RET, value);
  } else {
    jsc_jumplist_add(is_continue ? &target->continues : &target->breaks, jsc_emit_jump(c, OP_JMP, 0));
  }
}

static void push_ctl(Compiler *c, Control *ctl, CtlKind kind, const JsNode *labels) {
  memset(ctl, 0, sizeof *ctl);
  ctl->kind = kind;
  ctl->labels = labels;
  ctl->label = labels ? labels->name : NULL;
  ctl->prev = c->fs->ctl;
  c->fs->ctl = ctl;
}

static void pop_ctl(Compiler *c, Control *ctl) { c->fs->ctl = ctl->prev; }

static const JsNode *pending_labels;

static void var_decl(Compiler *c, JsNode *n) {
  for (JsNode *d = n->list; d; d = d->next) {
    int tmp = (int)c->fs->next_reg;
    if (d->b) {
      int r = jsc_reg(c);
      jsc_expr(c, d->b, r);
      jsc_pattern(c, d->a, r, n->op != TOK_VAR);
    } else if (n->op != TOK_VAR) { /* let x;  initializes to undefined */
      int r = jsc_reg(c);
      jsc_emit(c, OP_LOADUNDEF, r);
      jsc_pattern(c, d->a, r, true);
    }
    jsc_free_to(c, tmp);
  }
}

static void loop_body(Compiler *c, JsNode *body, Control *loop) {
  (void)loop;
  jsc_statement(c, body);
}

static void for_in_of(Compiler *c, JsNode *n, const JsNode *labels) {
  bool of = n->kind == N_ForOf;
  if (of && (n->flags & NF_AWAIT)) {
    jsc_error(c, n, ERR_InternalError, "for await is not supported yet");
    return;
  }
  int tmp = (int)c->fs->next_reg;
  Control head_env;
  enter_scope_env(c, n->scope, &head_env);
  init_lexicals(c, n->scope);
  int obj = jsc_expr(c, n->b, -1);
  int it = jsc_regs(c, 2), val = jsc_reg(c), done = jsc_reg(c);
  if (of) jsc_emit(c, OP_GETITER, it, obj);
  else jsc_emit(c, OP_FORIN, it, obj);
  leave_scope_env(c, &head_env);
  Control loop;
  push_ctl(c, &loop, CTL_LOOP, labels);
  Control iter;
  if (of) {
    push_ctl(c, &iter, CTL_ITERATOR, NULL);
    iter.iter_reg = it;
  }
  uint32_t top = jsc_here(c);
  uint32_t exit_jump;
  if (of) {
    jsc_emit(c, OP_ITERNEXT, val, done, it);
    exit_jump = jsc_emit_jump(c, OP_JT, done);
  } else {
    jsc_emit(c, OP_FORINNEXT, val, it, 0);
    exit_jump = c->fs->len - 2;
  }
  /* Each iteration gets fresh let/const bindings. */
  Control body_env;
  enter_scope_env(c, n->scope, &body_env);
  init_lexicals(c, n->scope);
  JsNode *left = n->a;
  if (left->kind == N_VarDecl) jsc_pattern(c, left->list->a, val, left->op != TOK_VAR);
  else jsc_pattern(c, left, val, false);
  /* The iterator is closed by exits from the body, not by its own errors:
   * the protocol's own failures skip it (they are inside ITERNEXT). */
  uint32_t try_at = 0;
  if (of) try_at = jsc_emit_jump(c, OP_TRY, 0);
  loop_body(c, n->d, &loop);
  if (of) jsc_emit(c, OP_ENDTRY);
  leave_scope_env(c, &body_env);
  uint32_t cont = jsc_here(c);
  jsc_emit_loop(c, top);
  if (of) {
    /* An exception in the body: close the iterator, rethrow. */
    uint32_t skip = jsc_emit_jump(c, OP_JMP, 0);
    jsc_patch(c, try_at);
    int e = jsc_reg(c);
    jsc_emit(c, OP_CATCH, e);
    if (body_env.kind == CTL_ENV) { /* handler restored the env of TRY time */ }
    jsc_emit(c, OP_ITERCLOSE, it);
    jsc_emit(c, OP_THROW, e);
    jsc_patch(c, skip);
    pop_ctl(c, &iter);
  }
  jsc_patch(c, exit_jump);
  jsc_jumplist_patch(c, &loop.continues, cont);
  jsc_jumplist_patch(c, &loop.breaks, jsc_here(c));
  pop_ctl(c, &loop);
  jsc_free_to(c, tmp);
}

static void try_statement(Compiler *c, JsNode *n) {
  FnState *fs = c->fs;
  int tmp = (int)fs->next_reg;
  Control fin;
  bool has_finally = n->d != NULL;
  if (has_finally) {
    push_ctl(c, &fin, CTL_FINALLY, NULL);
    fin.finally_kind = jsc_reg(c);
    fin.finally_val = jsc_reg(c);
  }
  uint32_t fin_try = has_finally ? jsc_emit_jump(c, OP_TRY, 0) : 0;
  uint32_t catch_try = n->c ? jsc_emit_jump(c, OP_TRY, 0) : 0;
  jsc_statement(c, n->a);
  JumpList to_end = {0};
  if (n->c) {
    jsc_emit(c, OP_ENDTRY);
    jsc_jumplist_add(&to_end, jsc_emit_jump(c, OP_JMP, 0));
    jsc_patch(c, catch_try);
    int e = jsc_reg(c);
    jsc_emit(c, OP_CATCH, e);
    Control env;
    enter_scope_env(c, n->c->scope ? n->c->scope : NULL, &env);
    if (n->b) jsc_pattern(c, n->b, e, true);
    JsNode *blk = n->c;
    Control inner;
    JsScope *bs = blk->scope && blk->scope != n->c->scope ? blk->scope : NULL;
    enter_scope_env(c, bs, &inner);
    init_lexicals(c, bs ? bs : blk->scope);
    hoist_functions(c, blk->list, NULL);
    statement_list(c, blk->list);
    leave_scope_env(c, &inner);
    leave_scope_env(c, &env);
  }
  jsc_jumplist_patch(c, &to_end, jsc_here(c));
  if (!has_finally) {
    jsc_free_to(c, tmp);
    return;
  }
  /* Normal completion: kind 0. */
  jsc_emit(c, OP_ENDTRY);
  jsc_emit(c, OP_LOADI, fin.finally_kind, 0);
  uint32_t to_fin = jsc_emit_jump(c, OP_JMP, 0);
  /* Exception: kind 1 with the exception as the value. */
  jsc_patch(c, fin_try);
  jsc_emit(c, OP_CATCH, fin.finally_val);
  jsc_emit(c, OP_LOADI, fin.finally_kind, 1);
  jsc_patch(c, to_fin);
  jsc_jumplist_patch(c, &fin.finally_jumps, jsc_here(c));
  pop_ctl(c, &fin);
  jsc_statement(c, n->d);
  /* Continue the completion that entered the finally block. */
  int k = jsc_reg(c);
  uint32_t not_throw;
  jsc_emit(c, OP_LOADI, k, 1);
  jsc_emit(c, OP_SNE, k, fin.finally_kind, k, jsc_feedback(c));
  not_throw = jsc_emit_jump(c, OP_JT, k);
  jsc_emit(c, OP_THROW, fin.finally_val);
  jsc_patch(c, not_throw);
  for (uint32_t i = 0; i < fin.nexits; i++) {
    FinallyExit *ex = &fin.exits[i];
    jsc_emit(c, OP_LOADI, k, ex->kind);
    jsc_emit(c, OP_SNE, k, fin.finally_kind, k, jsc_feedback(c));
    uint32_t skip = jsc_emit_jump(c, OP_JT, k);
    emit_exit(c, ex->target, ex->is_continue, fin.finally_val);
    jsc_patch(c, skip);
  }
  free(fin.exits);
  jsc_free_to(c, tmp);
}

static void switch_statement(Compiler *c, JsNode *n, const JsNode *labels) {
  int tmp = (int)c->fs->next_reg;
  int disc = jsc_reg(c);
  jsc_expr(c, n->a, disc);
  Control env;
  enter_scope_env(c, n->scope, &env);
  init_lexicals(c, n->scope);
  for (JsNode *cs = n->list; cs; cs = cs->next) hoist_functions(c, cs->list, NULL);
  Control brk;
  push_ctl(c, &brk, CTL_BREAKABLE, labels);
  uint32_t ncases = n->count ? n->count : 0;
  for (JsNode *cs = n->list; cs; cs = cs->next) ncases++;
  uint32_t *body_jumps = calloc(ncases + 1, sizeof *body_jumps);
  uint32_t i = 0;
  int t = jsc_reg(c);
  JsNode *deflt = NULL;
  for (JsNode *cs = n->list; cs; cs = cs->next, i++) {
    if (!cs->a) {
      deflt = cs;
      continue;
    }
    int v = jsc_expr(c, cs->a, -1);
    jsc_emit(c, OP_SEQ, t, disc, v, jsc_feedback(c));
    if (body_jumps) body_jumps[i] = jsc_emit_jump(c, OP_JT, t);
  }
  uint32_t to_default = jsc_emit_jump(c, OP_JMP, 0);
  i = 0;
  for (JsNode *cs = n->list; cs; cs = cs->next, i++) {
    if (cs == deflt) jsc_patch(c, to_default);
    else if (body_jumps) jsc_patch(c, body_jumps[i]);
    statement_list(c, cs->list);
  }
  if (!deflt) jsc_patch(c, to_default);
  free(body_jumps);
  jsc_jumplist_patch(c, &brk.breaks, jsc_here(c));
  pop_ctl(c, &brk);
  leave_scope_env(c, &env);
  jsc_free_to(c, tmp);
}

static void class_decl(Compiler *c, JsNode *n) {
  int r = jsc_reg(c);
  jsc_expr(c, n, r); /* a ClassDecl compiles like a class expression */
  if (n->a) jsc_store_ident(c, n->a, r, true);
  jsc_free_to(c, r);
}

void jsc_statement(Compiler *c, JsNode *n) {
  if (c->failed) return;
  if (rt_stack_exhausted(c->rt)) {
    jsc_error(c, n, ERR_RangeError, "Maximum call stack size exceeded");
    return;
  }
  FnState *fs = c->fs;
  int tmp = (int)fs->next_reg;
  const JsNode *labels = pending_labels;
  pending_labels = NULL;
  jsc_position(c, n);
  switch (n->kind) {
  case N_Empty:
  case N_Debugger:
  case N_FuncDecl: /* hoisted */
    if (n->kind == N_FuncDecl && (n->flags & NF_ANNEXB) && n->a) {
      /* Annex B.3.3: the block's function value is also assigned to the var. */
      JsBinding *var = find_binding(fs->info->scope, n->a->name, n->a->name_len);
      if (var && var != n->a->ref.binding) {
        int r = jsc_reg(c);
        jsc_load_ident(c, n->a, r);
        if (var->in_env || var->scope->kind == SCOPE_SCRIPT) {
          JsNode fake = *n->a;
          fake.ref.kind = var->scope->kind == SCOPE_SCRIPT ? REF_GLOBAL : fake.ref.kind;
          if (var->scope->kind == SCOPE_SCRIPT) jsc_store_ident(c, &fake, r, false);
        } else {
          jsc_emit(c, OP_MOV, (int)var->index, r);
        }
      }
    }
    break;
  case N_VarDecl: var_decl(c, n); break;
  case N_ClassDecl: class_decl(c, n); break;
  case N_ExprStmt: jsc_expr_discard(c, n->a); break;
  case N_Block: {
    Control env;
    JsScope *s = n->scope;
    enter_scope_env(c, s, &env);
    init_lexicals(c, s);
    hoist_functions(c, n->list, s);
    statement_list(c, n->list);
    leave_scope_env(c, &env);
    break;
  }
  case N_If: {
    JumpList else_jumps = {0};
    jsc_condition(c, n->a, false, &else_jumps);
    jsc_statement(c, n->b);
    if (n->c) {
      uint32_t end = jsc_emit_jump(c, OP_JMP, 0);
      jsc_jumplist_patch(c, &else_jumps, jsc_here(c));
      jsc_statement(c, n->c);
      jsc_patch(c, end);
    } else {
      jsc_jumplist_patch(c, &else_jumps, jsc_here(c));
    }
    break;
  }
  case N_While: {
    Control loop;
    push_ctl(c, &loop, CTL_LOOP, labels);
    uint32_t top = jsc_here(c);
    JumpList exit = {0};
    jsc_condition(c, n->a, false, &exit);
    jsc_statement(c, n->d);
    jsc_jumplist_patch(c, &loop.continues, jsc_here(c));
    jsc_emit_loop(c, top);
    jsc_jumplist_patch(c, &exit, jsc_here(c));
    jsc_jumplist_patch(c, &loop.breaks, jsc_here(c));
    pop_ctl(c, &loop);
    break;
  }
  case N_DoWhile: {
    Control loop;
    push_ctl(c, &loop, CTL_LOOP, labels);
    uint32_t top = jsc_here(c);
    jsc_statement(c, n->d);
    jsc_jumplist_patch(c, &loop.continues, jsc_here(c));
    JumpList exit = {0};
    jsc_condition(c, n->a, false, &exit);
    jsc_emit_loop(c, top);
    jsc_jumplist_patch(c, &exit, jsc_here(c));
    jsc_jumplist_patch(c, &loop.breaks, jsc_here(c));
    pop_ctl(c, &loop);
    break;
  }
  case N_For: {
    Control env;
    enter_scope_env(c, n->scope, &env);
    init_lexicals(c, n->scope);
    if (n->a) {
      if (n->a->kind == N_VarDecl) var_decl(c, n->a);
      else jsc_expr_discard(c, n->a);
    }
    Control loop;
    push_ctl(c, &loop, CTL_LOOP, labels);
    uint32_t top = jsc_here(c);
    JumpList exit = {0};
    if (n->b) jsc_condition(c, n->b, false, &exit);
    jsc_statement(c, n->d);
    jsc_jumplist_patch(c, &loop.continues, jsc_here(c));
    if (env.kind == CTL_ENV) {
      /* Per-iteration bindings: copy the environment for the next round. */
      pop_ctl(c, &loop);
      int nslots = (int)n->scope->env_slots;
      int save = jsc_regs(c, nslots > 0 ? nslots : 1);
      for (int i = 0; i < nslots; i++) jsc_emit(c, OP_GETENV, save + i, 0, i);
      jsc_emit(c, OP_POPENV);
      jsc_emit(c, OP_PUSHENV, nslots);
      for (int i = 0; i < nslots; i++) jsc_emit(c, OP_SETENV, 0, i, save + i);
      loop.prev = fs->ctl;
      fs->ctl = &loop;
    }
    if (n->c) jsc_expr_discard(c, n->c);
    jsc_emit_loop(c, top);
    jsc_jumplist_patch(c, &exit, jsc_here(c));
    jsc_jumplist_patch(c, &loop.breaks, jsc_here(c));
    pop_ctl(c, &loop);
    leave_scope_env(c, &env);
    break;
  }
  case N_ForIn:
  case N_ForOf: for_in_of(c, n, labels); break;
  case N_Return: {
    int r;
    if (n->a) r = jsc_expr(c, n->a, -1);
    else {
      r = jsc_reg(c);
      jsc_emit(c, OP_LOADUNDEF, r);
    }
    emit_exit(c, NULL, false, r);
    break;
  }
  case N_Break:
  case N_Continue: {
    Control *t = find_target(c, n, n->kind == N_Continue);
    if (!t) {
      jsc_error(c, n, ERR_SyntaxError, "Illegal %s statement", n->kind == N_Break ? "break" : "continue");
      break;
    }
    emit_exit(c, t, n->kind == N_Continue, 0);
    break;
  }
  case N_Throw: {
    int r = jsc_expr(c, n->a, -1);
    jsc_emit(c, OP_THROW, r);
    break;
  }
  case N_Try: try_statement(c, n); break;
  case N_Switch: switch_statement(c, n, labels); break;
  case N_Labeled: {
    JsNode *body = n->a;
    bool is_loop = body->kind == N_For || body->kind == N_While || body->kind == N_DoWhile ||
                   body->kind == N_ForIn || body->kind == N_ForOf || body->kind == N_Labeled ||
                   body->kind == N_Switch;
    if (is_loop) {
      pending_labels = labels ? labels : n;
      jsc_statement(c, body);
    } else {
      Control brk;
      push_ctl(c, &brk, CTL_BREAKABLE, n);
      jsc_statement(c, body);
      jsc_jumplist_patch(c, &brk.breaks, jsc_here(c));
      pop_ctl(c, &brk);
    }
    break;
  }
  case N_With: jsc_error(c, n, ERR_InternalError, "the with statement is not supported yet"); break;
  case N_Import:
  case N_ExportNamed:
  case N_ExportDefault:
  case N_ExportAll: jsc_error(c, n, ERR_InternalError, "modules are not supported yet"); break;
  default: jsc_error(c, n, ERR_InternalError, "cannot compile %s statement", js_node_kind_name(n->kind)); break;
  }
  jsc_free_to(c, tmp);
}

/* --- entry points ------------------------------------------------------------------------------ */

/* Compiles a parsed script into the code of its top level. */
static JsFunctionCode *compile_program(Runtime *rt, JsNode *program, const char *filename,
                                       const char *src, size_t len, char *err, size_t err_size,
                                       ErrorKind *kind) {
  Compiler c = {.rt = rt, .realm = js_realm(rt), .src = src, .src_len = len,
                .source = VAL_UNDEFINED, .filename = VAL_UNDEFINED};
  gc_add_root_tracer(rt->heap, trace_compiler, &c);
  c.filename = str_from_cstr(rt, filename);
  c.source = str_from_utf8(rt, src, len);
  JsFunctionCode *fc = NULL;
  if (val_is_exception(c.filename) || val_is_exception(c.source)) {
    jsc_error(&c, NULL, ERR_InternalError, "out of memory");
  } else {
    fc = compile_function_code(&c, program, atom_well_known(rt, ATOM_empty));
  }
  gc_remove_root_tracer(rt->heap, trace_compiler, &c);
  if (c.failed) {
    snprintf(err, err_size, "%s:%u:%u: %s", filename, c.err_line, c.err_col, c.err);
    *kind = c.err_kind;
    return NULL;
  }
  return fc;
}

Value js_compile_script(Runtime *rt, const char *filename, const char *source, size_t len,
                        int flags, JsFunctionCode **out) {
  JsArena arena;
  js_arena_init(&arena);
  JsParseResult pr;
  int opts = (flags & JS_PARSE_MODULE ? JS_PARSE_OPT_MODULE : 0) |
             (flags & JS_PARSE_STRICT ? JS_PARSE_OPT_STRICT : 0);
  if (!js_parse(rt, &arena, source, len, opts, &pr)) {
    char msg[1024];
    js_format_syntax_error(&pr, filename, source, len, msg, sizeof msg, false);
    js_arena_free(&arena);
    /* The formatted message starts with "file:line:col: Kind: "; keep the text after. */
    const char *text = strstr(msg, "Error: ");
    size_t nl = strcspn(msg, "\n");
    msg[nl] = '\0';
    return js_throw(rt, pr.err_kind, "%s", text ? text + 7 : msg);
  }
  char err[512];
  ErrorKind kind = ERR_SyntaxError;
  JsFunctionCode *fc = compile_program(rt, pr.program, filename, source, len, err, sizeof err, &kind);
  js_arena_free(&arena);
  if (!fc) return js_throw(rt, kind, "%s", err);
  *out = fc;
  return val_from_ptr(fc);
}

Value js_eval_script(Runtime *rt, const char *filename, const char *source, size_t len, int flags) {
  JsFunctionCode *fc;
  Value v = js_compile_script(rt, filename, source, len, flags, &fc);
  if (val_is_exception(v)) return v;
  return js_interp_run(rt, NULL, fc, NULL, js_realm(rt)->global, 0, NULL, VAL_UNDEFINED);
}
