/* parser.h: the recursive-descent parser (precedence climbing for binary
 * operators) that turns tokens into the AST of ast.h, with the grammar's
 * early errors. The implementation is split by concept: parser.c (driver,
 * tokens, errors, identifiers, patterns), parse_expr.c, parse_stmt.c,
 * parse_func.c (functions, arrows, classes) and parse_module.c. */
#ifndef TANDEM_JS_PARSER_H
#define TANDEM_JS_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/runtime.h"
#include "js/ast.h"
#include "js/lexer.h"

/* Result of a parse: the tree and its arena, or an error. */
typedef struct JsParseResult {
  JsNode *program;     /* NULL on error */
  ErrorKind err_kind;  /* ERR_SyntaxError, or ERR_RangeError for too deep nesting */
  char message[256];   /* without position */
  uint32_t err_offset; /* byte offset of the error */
  uint32_t err_line, err_col;
} JsParseResult;

enum {
  JS_PARSE_OPT_MODULE = 1 << 0,
  JS_PARSE_OPT_STRICT = 1 << 1,
};

/* Parses a whole script or module into the arena (which the caller owns and
 * frees). Also runs scope analysis (scope.h) when the parse succeeds, since
 * most early errors about declarations live there. Never crashes; on error
 * result->program is NULL, the message/position are filled and, when rt is
 * given, the error is thrown with rt_throw. rt is otherwise used only for the
 * stack-depth check and may be NULL. */
bool js_parse(Runtime *rt, JsArena *arena, const char *source, size_t len, int opts,
              JsParseResult *result);

/* Formats "file:line:col: Kind: message" plus a one-line code frame with a
 * caret (each line ends with '\n') into buf. */
void js_format_syntax_error(const JsParseResult *r, const char *filename, const char *source,
                            size_t len, char *buf, size_t size, bool code_frame);

/* ---- internals shared by the parser's files ------------------------------------ */

typedef struct JsLabel {
  const char *name;
  uint32_t len;
  bool loop;
  struct JsLabel *prev;
} JsLabel;

typedef struct JsPrivName {
  const char *name;
  uint32_t len;
  uint32_t pos;
  uint8_t kind; /* PROP_GET / PROP_SET / other; + 8 if static */
  struct JsPrivName *next;
} JsPrivName;

typedef struct JsClassCtx {
  struct JsClassCtx *parent;
  JsPrivName *declared;
  JsPrivName *used; /* references not yet matched: checked at class end */
} JsClassCtx;

typedef struct JsFuncCtx {
  struct JsFuncCtx *parent;
  JsNode *node;
  bool strict;
  bool is_async, is_generator, is_arrow;
  bool is_function;    /* not the top level (return allowed) */
  bool super_call;     /* super() allowed */
  bool super_prop;     /* super.x allowed */
  bool new_target;     /* new.target allowed */
  bool class_init;     /* class field initializer or static block: no arguments, no await */
  bool static_block;
  bool in_params;      /* parsing this function's parameters */
  bool use_strict;     /* the body has a "use strict" directive */
  JsLabel *labels;
  int loop_depth, switch_depth;
} JsFuncCtx;

typedef struct JsParser {
  Runtime *rt;
  JsArena *arena;
  JsLexer lex;
  JsToken tok;
  uint32_t prev_end;
  const char *src;
  uint32_t len;
  bool module;
  bool failed;
  ErrorKind err_kind;
  uint32_t err_pos;
  char msg[256];
  int depth;
  bool toplevel_item; /* the next statement-list item is a module item */
  uint32_t pending_labels; /* labels directly in front of the next statement */
  JsFuncCtx *fc;
  JsClassCtx *cls;
  /* Cover grammar bookkeeping (0 = none, else offset + 1). */
  uint32_t cover_init_pos;  /* first { a = 1 } not yet turned into a pattern */
  bool cover_is_proto;      /* ... or it is a duplicate __proto__ */
  uint32_t yield_pos;       /* first yield expression in the current arrow-params candidate */
  uint32_t await_pos;       /* first await expression */
  uint32_t await_ident_pos; /* first `await` used as an identifier */
} JsParser;

/* parser.c */
bool jsp_next(JsParser *p);
bool jsp_peek(JsParser *p, JsToken *out);
bool jsp_error(JsParser *p, uint32_t pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool jsp_unexpected(JsParser *p);
bool jsp_expect(JsParser *p, JsTokenKind k);
bool jsp_semicolon(JsParser *p);
bool jsp_enter(JsParser *p);
static inline void jsp_leave(JsParser *p) { p->depth--; }
JsNode *jsp_node(JsParser *p, JsNodeKind kind, const JsToken *at);
JsNode *jsp_node_at(JsParser *p, JsNodeKind kind, const JsNode *at);
static inline void jsp_finish(JsParser *p, JsNode *n) { n->end = p->prev_end; }
bool jsp_is_word(const JsParser *p, JsWord w); /* current token is the unescaped word */
JsNode *jsp_ident_node(JsParser *p, const JsToken *t);
/* Checks an identifier token used as a reference (binding=false) or as a
 * binding name (binding=true) in the current context. */
bool jsp_check_ident(JsParser *p, const JsToken *t, bool binding);
bool jsp_check_binding_name(JsParser *p, const JsNode *id, bool strict);
JsNode *jsp_binding_ident(JsParser *p);
JsNode *jsp_binding_target(JsParser *p); /* identifier or pattern */
JsNode *jsp_binding_element(JsParser *p); /* target with optional default */
/* Turns an expression into an assignment (binding=false) or binding
 * pattern, in place. */
bool jsp_to_pattern(JsParser *p, JsNode *n, bool binding);
bool jsp_is_simple_target(const JsNode *n, bool strict);
void jsp_list_append(JsNode *parent, JsNode **tail, JsNode *child);

/* parse_expr.c */
JsNode *jsp_expression(JsParser *p, bool in);
JsNode *jsp_assign(JsParser *p, bool in, bool cover);
JsNode *jsp_lhs(JsParser *p);
JsNode *jsp_property_name(JsParser *p, uint32_t *flags);
JsNode *jsp_template(JsParser *p, bool tagged);

/* parse_stmt.c */
JsNode *jsp_statement_list_item(JsParser *p);
JsNode *jsp_statement(JsParser *p);
bool jsp_directives_and_body(JsParser *p, JsNode *owner, JsTokenKind end);
JsNode *jsp_var_decl(JsParser *p, int kind, bool in, bool for_head);

/* parse_func.c */
enum { FN_DECL = 1, FN_EXPR = 2, FN_METHOD = 4, FN_GET = 8, FN_SET = 16, FN_CTOR = 32,
       FN_DERIVED = 64, FN_DEFAULT_EXPORT = 128, FN_CLASS_MEMBER = 256 };
JsNode *jsp_function(JsParser *p, int kind, bool is_async, bool is_generator, const JsToken *start);
JsNode *jsp_method(JsParser *p, JsNodeKind kind, bool is_async, bool is_generator, int fn_flags,
                   const JsToken *start);
JsNode *jsp_arrow(JsParser *p, JsNode *params, bool is_async, bool in, const JsToken *start);
JsNode *jsp_class(JsParser *p, bool decl, bool default_export);

/* parse_module.c */
JsNode *jsp_import(JsParser *p);
JsNode *jsp_export(JsParser *p);

#endif
