/* scope.h: scope analysis over a parsed tree. Builds the scopes (function,
 * block, catch, class, module, script, with), declares every binding with the
 * spec's redeclaration rules (the early errors about declarations), applies
 * var/function hoisting and Annex B.3.3, then resolves every identifier to a
 * register, an environment slot, a module binding or a global, with TDZ
 * hints. What the bytecode compiler may rely on is listed in
 * docs/js-frontend.md. */
#ifndef TANDEM_JS_SCOPE_H
#define TANDEM_JS_SCOPE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/error.h"
#include "core/runtime.h"
#include "js/ast.h"

typedef enum JsScopeKind {
  SCOPE_SCRIPT,   /* top level of a script: declarations are globals */
  SCOPE_MODULE,   /* top level of a module: declarations are module bindings */
  SCOPE_FUNCTION, /* parameters, vars and top-level declarations of a function body */
  SCOPE_BLOCK,    /* block, switch cases, for(let...) head, class static block body */
  SCOPE_CATCH,    /* catch parameter and the catch block's declarations */
  SCOPE_CLASS,    /* the class's own name binding */
  SCOPE_WITH,     /* body of a with statement: names are looked up dynamically */
} JsScopeKind;

typedef enum JsBindingKind {
  BIND_NONE,     /* only a marker: a var declaration passes through this scope */
  BIND_VAR,
  BIND_FUNCTION, /* function declaration at function or script top level (var-like) */
  BIND_PARAM,
  BIND_LET,
  BIND_CONST,
  BIND_CLASS,
  BIND_LEXFUNC,  /* function declaration in a block or at module top level (lexical) */
  BIND_CATCH,    /* catch (e) */
  BIND_CATCH_PATTERN, /* catch ({ e }) */
  BIND_IMPORT,   /* import binding (immutable, live) */
  BIND_CALLEE,   /* name of a named function expression (immutable) */
  BIND_ARGUMENTS, /* the implicit arguments object */
  BIND_CLASSNAME, /* a class's inner name binding (immutable) */
} JsBindingKind;

struct JsBinding {
  const char *name;
  uint32_t name_len;
  uint8_t kind;        /* JsBindingKind */
  bool var_seen;       /* a var of this name was declared through this scope */
  bool captured;       /* used from an inner function */
  bool in_env;         /* lives in the scope's environment (else in a register) */
  bool annexb;         /* var binding created by Annex B.3.3 */
  bool copies_param;   /* body var of a non-simple-parameter function named like a parameter:
                          initialized with the parameter's value */
  uint32_t index;      /* register (function-local) or environment slot */
  uint32_t decl_end;   /* offset after which the binding is initialized (TDZ) */
  JsScope *scope;
  JsBinding *next_in_scope;
};

struct JsScope {
  uint8_t kind;        /* JsScopeKind */
  bool all_in_env;     /* direct eval / with / mapped arguments: every binding in env */
  bool sloppy_eval;    /* (function or script scope) a sloppy direct eval may add vars here */
  bool has_env;        /* the compiler creates an environment for this scope */
  uint32_t env_slots;  /* number of environment slots */
  JsScope *parent;
  JsFuncInfo *fn;      /* the function this scope belongs to */
  JsBinding *bindings; /* in declaration order (reversed) */
  JsNode *node;
};

struct JsFuncInfo {
  JsNode *node;         /* Function, Arrow, FuncDecl, Program, StaticBlock, field initializer */
  JsFuncInfo *parent;
  JsScope *scope;       /* the function scope: parameters (and vars, if the parameters are simple) */
  JsScope *body_scope;  /* with non-simple parameters: the separate scope of the body's vars, else NULL */
  uint32_t num_registers; /* registers needed for bindings that are not in environments */
  bool strict;
  bool is_arrow;
  bool uses_arguments;  /* refers to its own arguments object */
  bool uses_this;       /* this / super / new.target appear in it (or in its arrows) */
  bool has_direct_eval; /* contains a direct eval call (not counting nested functions) */
  bool has_with;        /* contains a with statement */
  bool inner_eval;      /* a nested function has a direct eval (so names stay in envs) */
};

typedef struct JsScopeError {
  ErrorKind kind;
  uint32_t offset;
  char message[200];
} JsScopeError;

/* Analyses a parsed program in place (fills JsNode.ref/.fn/.scope). Returns
 * false with *err filled on an early error. rt (may be NULL) guards the
 * native stack. */
bool js_scope_analyze(Runtime *rt, JsArena *arena, JsNode *program, JsScopeError *err);

void js_scope_print_ref(FILE *out, const JsRef *ref);
void js_scope_print_func(FILE *out, const JsFuncInfo *fn);

#endif
