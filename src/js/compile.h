/* compile.h: the bytecode compiler's shared state, used by compile.c
 * (functions, statements, control flow) and compile_expr.c (expressions,
 * assignments, destructuring). Input: the AST with scope analysis results;
 * output: one JsFunctionCode per function. */
#ifndef TANDEM_JS_COMPILE_H
#define TANDEM_JS_COMPILE_H

#include <stdbool.h>
#include <stdint.h>

#include "js/ast.h"
#include "js/scope.h"
#include "js/vm.h"

/* A forward jump waiting for its target. */
typedef struct JumpList {
  uint32_t *at; /* code offsets of the jump operands */
  uint32_t n, cap;
} JumpList;

/* A statement that break/continue can target, or a finally/iterator that
 * an exit must run first. */
typedef enum { CTL_LOOP, CTL_BREAKABLE, CTL_FINALLY, CTL_ITERATOR, CTL_ENV } CtlKind;

typedef struct Control {
  struct Control *prev;
  CtlKind kind;
  const char *label; /* label names of the statement (chain through labels) */
  uint32_t label_len;
  const JsNode *labels; /* Labeled nodes directly around it */
  JumpList breaks, continues;
  int iter_reg;      /* CTL_ITERATOR: the iterator register */
  int finally_kind;  /* CTL_FINALLY: register holding the completion kind */
  int finally_val;   /* CTL_FINALLY: register holding the completion value */
  JumpList finally_jumps; /* CTL_FINALLY: jumps into the finally block */
  uint32_t nexits;   /* CTL_FINALLY: distinct exits routed through it */
  struct FinallyExit *exits;
} Control;

typedef struct FinallyExit {
  int kind;          /* the value put in the completion-kind register */
  Control *target;   /* break/continue target (NULL for return) */
  bool is_continue;
} FinallyExit;

typedef struct FnState {
  struct FnState *parent;
  JsFuncInfo *info;
  JsNode *node;
  uint16_t *code;
  uint32_t len, cap;
  Value *consts;
  uint32_t nconsts, consts_cap;
  uint32_t *lines; /* (offset, line<<12|col) pairs */
  uint32_t nlines, lines_cap;
  uint32_t nfeedback;
  uint32_t next_reg, max_reg;
  uint32_t flags;  /* FC_* */
  Control *ctl;
  int this_reg;    /* register caching `this`, or -1 */
  uint32_t last_line;
} FnState;

typedef struct Compiler {
  Runtime *rt;
  JsRealm *realm;
  FnState *fs;
  const char *src;
  size_t src_len;
  Value source;   /* the source as a string (for Function.prototype.toString) */
  Value filename;
  bool failed;
  ErrorKind err_kind;
  char err[256];
  uint32_t err_line, err_col;
} Compiler;

/* compile.c */
bool jsc_error(Compiler *c, const JsNode *at, ErrorKind kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void jsc_emit(Compiler *c, JsOpcode op, ...); /* operands as ints, jumps as offsets */
uint32_t jsc_emit_jump(Compiler *c, JsOpcode op, int reg); /* returns the operand offset */
void jsc_patch(Compiler *c, uint32_t at);                  /* jump at `at` lands here */
void jsc_patch_to(Compiler *c, uint32_t at, uint32_t target);
void jsc_jumplist_add(JumpList *l, uint32_t at);
void jsc_jumplist_patch(Compiler *c, JumpList *l, uint32_t target);
void jsc_emit_loop(Compiler *c, uint32_t target);
uint32_t jsc_here(Compiler *c);
int jsc_const(Compiler *c, Value v);
int jsc_const_atom(Compiler *c, const char *name, uint32_t len);
int jsc_const_utf16(Compiler *c, const uint16_t *s, uint32_t len);
int jsc_feedback(Compiler *c);
int jsc_reg(Compiler *c);       /* a fresh temporary */
int jsc_regs(Compiler *c, int n); /* n consecutive temporaries */
void jsc_free_to(Compiler *c, int reg); /* frees temporaries from reg upwards */
void jsc_position(Compiler *c, const JsNode *n);
/* Compiles a nested function or class constructor into a constant index. */
int jsc_function(Compiler *c, JsNode *fn_node, Value name);
/* Turns a finished FnState into its code object (taking its code and line
 * table); NULL with the error recorded on out of memory. */
JsFunctionCode *jsc_finish_function(Compiler *c, FnState *fs, Value name, JsNode *node);
void jsc_free_fnstate(FnState *fs);
void jsc_statement(Compiler *c, JsNode *n);

/* compile_expr.c */
/* Evaluates n into a register and returns it. dst >= 0 forces the register;
 * dst < 0 lets the compiler return any register (possibly a variable's own,
 * which the caller must not write). */
int jsc_expr(Compiler *c, JsNode *n, int dst);
/* Evaluates n for its effects only. */
void jsc_expr_discard(Compiler *c, JsNode *n);
/* Jumps to the returned list when n is falsy (jump_if=false) or truthy. */
void jsc_condition(Compiler *c, JsNode *n, bool jump_if, JumpList *out);
/* Stores the value in `src` into an identifier reference. init: a
 * declaration's initialization (TDZ ends, const allowed). */
void jsc_store_ident(Compiler *c, JsNode *id, int src, bool init);
void jsc_load_ident(Compiler *c, JsNode *id, int dst);
/* Binds or assigns a value to a pattern (Ident, ObjectPattern,
 * ArrayPattern, AssignPattern, Member target). */
void jsc_pattern(Compiler *c, JsNode *target, int src, bool init);
/* Stores `src` into the environment/register/global of binding b. */
void jsc_init_binding(Compiler *c, JsBinding *b, int src);
bool jsc_binding_in_scope_env(const JsBinding *b);

#endif
