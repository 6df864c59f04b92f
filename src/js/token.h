/* token.h: the lexer's token kinds, defined once as an X-macro. Reserved words
 * get their own kinds when written without escapes; contextual words (let,
 * async, of, get, ...) are identifiers and carry a JsWord tag instead. */
#ifndef TANDEM_JS_TOKEN_H
#define TANDEM_JS_TOKEN_H

/* X(enum name, text shown in messages) */
#define JS_TOKEN_LIST(X)                                                                           \
  X(EOF, "end of input")                                                                           \
  X(ERROR, "invalid token")                                                                        \
  X(IDENT, "identifier")                                                                           \
  X(PRIVATE, "private name")                                                                       \
  X(NUMBER, "number")                                                                              \
  X(BIGINT, "bigint")                                                                              \
  X(STRING, "string")                                                                              \
  X(TEMPLATE, "template")                                                                          \
  X(REGEXP, "regular expression")                                                                  \
  /* punctuators */                                                                                \
  X(LBRACE, "{") X(RBRACE, "}") X(LPAREN, "(") X(RPAREN, ")") X(LBRACKET, "[")                     \
  X(RBRACKET, "]") X(DOT, ".") X(ELLIPSIS, "...") X(SEMI, ";") X(COMMA, ",")                       \
  X(LT, "<") X(GT, ">") X(LE, "<=") X(GE, ">=") X(EQ, "==") X(NE, "!=") X(SEQ, "===")              \
  X(SNE, "!==") X(PLUS, "+") X(MINUS, "-") X(STAR, "*") X(SLASH, "/") X(PERCENT, "%")              \
  X(STARSTAR, "**") X(INC, "++") X(DEC, "--") X(SHL, "<<") X(SAR, ">>") X(SHR, ">>>")              \
  X(AMP, "&") X(PIPE, "|") X(CARET, "^") X(BANG, "!") X(TILDE, "~") X(AND, "&&") X(OR, "||")       \
  X(NULLISH, "??") X(QUESTION, "?") X(OPTCHAIN, "?.") X(COLON, ":") X(ASSIGN, "=")                 \
  X(PLUS_ASSIGN, "+=") X(MINUS_ASSIGN, "-=") X(STAR_ASSIGN, "*=") X(SLASH_ASSIGN, "/=")            \
  X(PERCENT_ASSIGN, "%=") X(STARSTAR_ASSIGN, "**=") X(SHL_ASSIGN, "<<=") X(SAR_ASSIGN, ">>=")       \
  X(SHR_ASSIGN, ">>>=") X(AMP_ASSIGN, "&=") X(PIPE_ASSIGN, "|=") X(CARET_ASSIGN, "^=")             \
  X(AND_ASSIGN, "&&=") X(OR_ASSIGN, "||=") X(NULLISH_ASSIGN, "?\?=") X(ARROW, "=>")                \
  /* reserved words (unescaped only) */                                                            \
  X(BREAK, "break") X(CASE, "case") X(CATCH, "catch") X(CLASS, "class") X(CONST, "const")          \
  X(CONTINUE, "continue") X(DEBUGGER, "debugger") X(DEFAULT, "default") X(DELETE, "delete")        \
  X(DO, "do") X(ELSE, "else") X(ENUM, "enum") X(EXPORT, "export") X(EXTENDS, "extends")            \
  X(FALSE, "false") X(FINALLY, "finally") X(FOR, "for") X(FUNCTION, "function") X(IF, "if")        \
  X(IMPORT, "import") X(IN, "in") X(INSTANCEOF, "instanceof") X(NEW, "new") X(NULL, "null")        \
  X(RETURN, "return") X(SUPER, "super") X(SWITCH, "switch") X(THIS, "this") X(THROW, "throw")      \
  X(TRUE, "true") X(TRY, "try") X(TYPEOF, "typeof") X(VAR, "var") X(VOID, "void")                  \
  X(WHILE, "while") X(WITH, "with")

typedef enum JsTokenKind {
#define JS_TOKEN_ENUM(name, text) TOK_##name,
  JS_TOKEN_LIST(JS_TOKEN_ENUM)
#undef JS_TOKEN_ENUM
      TOK_COUNT
} JsTokenKind;

#define TOK_FIRST_KEYWORD TOK_BREAK
#define TOK_LAST_KEYWORD TOK_WITH

/* Contextual words: identifiers that mean something in some places, and the
 * words reserved only in strict mode. X(enum name, text) */
#define JS_WORD_LIST(X)                                                                            \
  X(let, "let") X(static, "static") X(yield, "yield") X(await, "await") X(async, "async")          \
  X(of, "of") X(get, "get") X(set, "set") X(as, "as") X(from, "from") X(target, "target")          \
  X(meta, "meta") X(constructor, "constructor") X(implements, "implements")                        \
  X(interface, "interface") X(package, "package") X(private, "private")                            \
  X(protected, "protected") X(public, "public") X(eval, "eval") X(arguments, "arguments")          \
  X(undefined, "undefined") X(prototype, "prototype") X(proto, "__proto__")

typedef enum JsWord {
  W_none,
#define JS_WORD_ENUM(name, text) W_##name,
  JS_WORD_LIST(JS_WORD_ENUM)
#undef JS_WORD_ENUM
      W_COUNT
} JsWord;

const char *js_token_name(JsTokenKind kind);

#endif
