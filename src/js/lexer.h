/* lexer.h: turns UTF-8 source into tokens on demand. The parser pulls one
 * token at a time and re-scans '/' as a regular expression and '}' as a
 * template continuation when the grammar says so, so the lexer needs no
 * knowledge of the goal symbol. Literal values are copied into the arena. */
#ifndef TANDEM_JS_LEXER_H
#define TANDEM_JS_LEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "js/ast.h"
#include "js/token.h"

enum {
  TF_NEWLINE_BEFORE = 1 << 0, /* a line terminator precedes the token (ASI) */
  TF_ESCAPED = 1 << 1,        /* identifier written with \u escapes */
  TF_LEGACY_OCTAL = 1 << 2,   /* 017 / 08 literal, or a string with \07, \8 (strict mode errors) */
  TF_TEMPLATE_TAIL = 1 << 3,  /* template chunk ends with '`' (else with '${') */
  TF_BAD_ESCAPE = 1 << 4,     /* template chunk with an invalid escape: cooked is undefined */
};

typedef struct JsToken {
  JsTokenKind kind;
  uint8_t word;  /* JsWord for identifiers (and escaped reserved words: see keyword) */
  uint8_t flags; /* TF_* */
  uint8_t keyword; /* for TF_ESCAPED identifiers spelling a reserved word: its JsTokenKind */
  uint32_t start, end; /* byte offsets in the source */
  uint32_t line, col;  /* 1-based; col counts code points */
  uint32_t aux;        /* regexp: offset of the flags; string: offset of the octal escape;
                          template: offset of the bad escape */
  double num;
  const char *id; /* identifier / private name (without '#') / bigint digits, UTF-8 */
  uint32_t id_len;
  const uint16_t *str; /* string or template cooked value, UTF-16 */
  uint32_t str_len;
} JsToken;

typedef struct JsLexer {
  const char *src;
  uint32_t len;
  uint32_t pos;
  uint32_t line, line_start, line_extra; /* line_extra: UTF-8 continuation bytes on this line */
  bool module;
  bool had_token; /* for Annex B '-->' at the start of the input */
  JsArena *arena;
  /* Error: message and byte offset (valid after a TOK_ERROR). */
  const char *error;
  uint32_t error_pos;
  char error_buf[96];
  /* Scratch for building UTF-16 string values. */
  uint16_t *buf;
  uint32_t buf_len, buf_cap;
} JsLexer;

void js_lexer_init(JsLexer *L, JsArena *arena, const char *src, size_t len, bool module);
void js_lexer_free(JsLexer *L);
/* Scans the next token into *t. Returns t->kind; TOK_ERROR sets L->error. */
JsTokenKind js_lexer_next(JsLexer *L, JsToken *t);
/* Re-scans the current token t (a '/' or '/=') as a regular expression. */
JsTokenKind js_lexer_rescan_regexp(JsLexer *L, JsToken *t);
/* Re-scans the current token t (a '}') as the continuation of a template. */
JsTokenKind js_lexer_rescan_template(JsLexer *L, JsToken *t);
/* Line and column (code points, 1-based) of a byte offset. O(offset). */
void js_source_position(const char *src, size_t len, uint32_t offset, uint32_t *line,
                        uint32_t *col);

/* Unicode helpers shared with the parser. */
bool js_is_id_start(uint32_t c);
bool js_is_id_part(uint32_t c);
/* Decodes one UTF-8 code point at s[*i] (advancing *i); -1 when malformed. */
int32_t js_utf8_decode(const char *s, uint32_t len, uint32_t *i);

#endif
