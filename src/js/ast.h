/* ast.h: the syntax tree the parser builds and the scope analysis annotates.
 * Nodes live in an arena (malloc'd chunks freed as a whole). Node kinds are
 * defined once below; each kind documents which generic fields it uses. */
#ifndef TANDEM_JS_AST_H
#define TANDEM_JS_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- arena --------------------------------------------------------------- */
typedef struct JsArenaChunk JsArenaChunk;
typedef struct JsArena {
  JsArenaChunk *chunks;
  char *cur, *end;
  size_t total;
} JsArena;

void js_arena_init(JsArena *a);
void js_arena_free(JsArena *a);
/* Zeroed, 8-byte aligned memory; NULL when out of memory. */
void *js_arena_alloc(JsArena *a, size_t size);
char *js_arena_strdup(JsArena *a, const char *s, size_t len);

/* ---- nodes ---------------------------------------------------------------- */
/* X(kind, fields used). Lists are chains through `next` starting at `list`. */
#define JS_NODE_LIST(X)                                                                            \
  X(Program, "list: statements; flags: NF_MODULE/NF_STRICT; fn")                                   \
  /* statements */                                                                                 \
  X(VarDecl, "op: TOK_VAR/TOK_CONST or 0 for let; list: Declarator")                               \
  X(Declarator, "a: target (Ident or pattern); b: initializer or NULL")                            \
  X(FuncDecl, "a: Ident; list: params; b: body Block; fn")                                         \
  X(ClassDecl, "a: Ident; b: superclass or NULL; list: ClassMember")                               \
  X(ExprStmt, "a: expression; NF_DIRECTIVE for prologue strings")                                  \
  X(Block, "list: statements")                                                                     \
  X(Empty, "")                                                                                     \
  X(If, "a: test; b: consequent; c: alternate or NULL")                                            \
  X(For, "a: init or NULL; b: test or NULL; c: update or NULL; d: body")                           \
  X(ForIn, "a: left; b: right; d: body")                                                           \
  X(ForOf, "a: left; b: right; d: body; NF_AWAIT for for-await")                                   \
  X(While, "a: test; d: body")                                                                     \
  X(DoWhile, "a: test; d: body")                                                                   \
  X(Return, "a: argument or NULL")                                                                 \
  X(Break, "name: label or NULL")                                                                  \
  X(Continue, "name: label or NULL")                                                               \
  X(Throw, "a: argument")                                                                          \
  X(Try, "a: block; b: catch parameter or NULL; c: catch Block or NULL; d: finally or NULL")       \
  X(Switch, "a: discriminant; list: Case")                                                         \
  X(Case, "a: test or NULL for default; list: statements")                                         \
  X(Labeled, "name: label; a: body")                                                               \
  X(With, "a: object; d: body")                                                                    \
  X(Debugger, "")                                                                                  \
  X(Import, "list: specifiers; a: source String; b: attributes Object or NULL")                    \
  X(ImportSpec, "a: imported name (Ident/String); b: local Ident")                                 \
  X(ImportDefault, "b: local Ident")                                                               \
  X(ImportNamespace, "b: local Ident")                                                             \
  X(ExportNamed, "list: ExportSpec; a: source or NULL; b: attributes; c: declaration or NULL")     \
  X(ExportSpec, "a: local name (Ident/String); b: exported name (Ident/String)")                   \
  X(ExportDefault, "a: declaration or expression")                                                 \
  X(ExportAll, "a: source String; b: exported name or NULL; c: attributes")                        \
  /* expressions */                                                                                \
  X(Ident, "name; ref: resolution")                                                                \
  X(Number, "num")                                                                                 \
  X(BigInt, "name: decimal/hex/octal/binary digit text as written (without n and _)")             \
  X(String, "str/str_len: UTF-16 value")                                                           \
  X(Template, "list: TemplateElement and expressions, alternating")                                \
  X(TemplateElement, "str: cooked (NULL if invalid escape); name: raw (UTF-8)")                    \
  X(TaggedTemplate, "a: tag; b: Template")                                                         \
  X(RegExp, "name: pattern (UTF-8 source text); str8: flags")                                      \
  X(Null, "") X(True, "") X(False, "") X(This, "") X(Super, "")                                    \
  X(Array, "list: elements (Elision for holes)")                                                   \
  X(Elision, "")                                                                                   \
  X(Object, "list: Property / Spread")                                                             \
  X(Property, "a: key; b: value; op: PROP_*; NF_COMPUTED, NF_SHORTHAND")                           \
  X(Spread, "a: argument")                                                                         \
  X(Function, "a: Ident or NULL; list: params; b: body; fn")                                       \
  X(Arrow, "list: params; b: body Block or expression; fn")                                        \
  X(Class, "a: Ident or NULL; b: superclass; list: ClassMember")                                   \
  X(ClassMember, "a: key; b: value (Function, initializer or NULL); op: PROP_*; NF_STATIC, NF_COMPUTED") \
  X(StaticBlock, "list: statements; fn")                                                           \
  X(PrivateName, "name (without #)")                                                               \
  X(Unary, "op; a: operand")                                                                       \
  X(Update, "op: TOK_INC/TOK_DEC; a: target; NF_PREFIX")                                           \
  X(Binary, "op; a, b")                                                                            \
  X(Logical, "op: TOK_AND/TOK_OR/TOK_NULLISH; a, b")                                               \
  X(Assign, "op: TOK_ASSIGN or compound; a: target; b: value")                                     \
  X(Conditional, "a: test; b: then; c: else")                                                      \
  X(Call, "a: callee; list: arguments; NF_OPTIONAL")                                               \
  X(New, "a: callee; list: arguments")                                                             \
  X(Member, "a: object; b: property (Ident name, PrivateName or expression); NF_COMPUTED, NF_OPTIONAL") \
  X(OptionalChain, "a: the chain (Member/Call with NF_OPTIONAL links)")                            \
  X(Sequence, "list: expressions")                                                                 \
  X(Yield, "a: argument or NULL; NF_DELEGATE")                                                     \
  X(Await, "a: argument")                                                                          \
  X(NewTarget, "")                                                                                 \
  X(ImportMeta, "")                                                                                \
  X(ImportCall, "a: specifier; b: options or NULL")                                                \
  /* patterns */                                                                                   \
  X(ObjectPattern, "list: Property (value is a pattern) / Rest")                                   \
  X(ArrayPattern, "list: patterns, Elision, Rest")                                                 \
  X(AssignPattern, "a: target; b: default value")                                                  \
  X(Rest, "a: target")

typedef enum JsNodeKind {
#define JS_NODE_ENUM(name, doc) N_##name,
  JS_NODE_LIST(JS_NODE_ENUM)
#undef JS_NODE_ENUM
      N_COUNT
} JsNodeKind;

enum {
  NF_PARENS = 1 << 0,     /* expression was parenthesized */
  NF_COMPUTED = 1 << 1,   /* [key] / obj[expr] */
  NF_SHORTHAND = 1 << 2,  /* { a } */
  NF_STATIC = 1 << 3,     /* static class member */
  NF_OPTIONAL = 1 << 4,   /* ?. link */
  NF_PREFIX = 1 << 5,     /* ++x */
  NF_DELEGATE = 1 << 6,   /* yield* */
  NF_AWAIT = 1 << 7,      /* for await */
  NF_DIRECTIVE = 1 << 8,  /* directive prologue entry */
  NF_MODULE = 1 << 9,     /* Program is a module */
  NF_STRICT = 1 << 10,    /* Program / function code is strict */
  NF_ASYNC = 1 << 11,     /* async function / arrow / method */
  NF_GENERATOR = 1 << 12, /* function* */
  NF_EXPR_BODY = 1 << 13, /* arrow with expression body */
  NF_METHOD = 1 << 14,    /* method / accessor / constructor */
  NF_CTOR = 1 << 15,      /* class constructor */
  NF_DERIVED = 1 << 16,   /* constructor of a class with extends */
  NF_SIMPLE_PARAMS = 1 << 17,
  NF_ANNEXB = 1 << 18,    /* block function that also gets a var binding (B.3.3) */
  NF_DIRECT_EVAL = 1 << 19, /* Call node: a direct eval call */
  NF_FIELD_INIT = 1 << 20,  /* Function node synthesized for a class field initializer */
  NF_TRAILING_COMMA = 1 << 21, /* Spread followed by a comma (cannot become a rest element) */
};

/* Property / class member kinds. */
enum { PROP_INIT, PROP_METHOD, PROP_GET, PROP_SET, PROP_FIELD, PROP_SPREAD };

typedef struct JsScope JsScope;
typedef struct JsBinding JsBinding;
typedef struct JsFuncInfo JsFuncInfo;

/* Where an identifier reference resolves to (filled by scope analysis). */
typedef enum JsRefKind {
  REF_UNRESOLVED, /* not analysed (yet) */
  REF_LOCAL,      /* a register of the current function: index */
  REF_CLOSURE,    /* environment slot: hops up from the current environment, index */
  REF_MODULE,     /* module binding (import or top-level declaration of a module): binding */
  REF_GLOBAL,     /* global object / global lexical lookup by name */
  REF_DYNAMIC,    /* may be shadowed by with or sloppy direct eval: look up by name at run time */
} JsRefKind;

typedef struct JsRef {
  uint8_t kind;       /* JsRefKind */
  bool maybe_tdz;     /* the binding is let/const/class and this use may precede its init */
  bool is_decl;       /* the reference is the binding's own declaration site */
  uint16_t hops;      /* REF_CLOSURE: environments to walk up */
  uint32_t index;     /* REF_LOCAL register / REF_CLOSURE slot */
  JsBinding *binding; /* NULL for globals */
} JsRef;

typedef struct JsNode {
  uint8_t kind;     /* JsNodeKind */
  uint8_t op;       /* JsTokenKind of the operator, VarDecl kind, or PROP_* */
  uint32_t flags;   /* NF_* */
  uint32_t start, end; /* byte offsets */
  uint32_t line, col;  /* 1-based, col in code points */
  struct JsNode *next; /* next sibling in a list */
  struct JsNode *a, *b, *c, *d;
  struct JsNode *list;
  uint32_t count; /* number of entries in list */
  const char *name; /* UTF-8, arena copy */
  uint32_t name_len;
  const uint16_t *str; /* String value / cooked template, UTF-16 */
  uint32_t str_len;
  const char *str8; /* RegExp flags */
  double num;
  JsRef ref;          /* Ident: resolution */
  JsFuncInfo *fn;     /* functions, Program, StaticBlock: per-function scope results */
  JsScope *scope;     /* Block, For*, Switch, Try (catch), Class, functions: the scope it opens */
} JsNode;

const char *js_node_kind_name(JsNodeKind kind);

/* Writes the tree as indented text (the shell's --print-ast). */
void js_ast_print(FILE *out, const JsNode *root);

#endif
