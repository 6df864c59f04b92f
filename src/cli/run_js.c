/* run_js.c: running a JavaScript script or module from the shell. Until the
 * interpreter exists this parses (reporting SyntaxErrors with a code frame)
 * and offers the front end's views: --print-tokens and --print-ast. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/run.h"
#include "core/runtime.h"
#include "js/ast.h"
#include "js/lexer.h"
#include "js/js.h"
#include "js/parser.h"
#include "js/vm.h"

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void print_token_text(const char *src, const JsToken *t) {
  putchar(' ');
  for (uint32_t i = t->start; i < t->end; i++) {
    char c = src[i];
    if (c == '\n') fputs("\\n", stdout);
    else if (c == '\r') fputs("\\r", stdout);
    else if (c == '\t') fputs("\\t", stdout);
    else putchar(c);
  }
}

/* Tokens without a parser: '/' is read as a regexp where an expression may
 * start, and '}' continues a template when one is open. */
static int print_tokens(const char *name, const char *src, size_t len, bool module) {
  JsArena arena;
  js_arena_init(&arena);
  JsLexer L;
  js_lexer_init(&L, &arena, src, len, module);
  JsToken t;
  JsTokenKind prev = TOK_SEMI;
  int template_depth = 0, brace_stack[256];
  int braces = 0, status = CLI_EXIT_OK;
  for (;;) {
    JsTokenKind k = js_lexer_next(&L, &t);
    bool expr_start = prev != TOK_IDENT && prev != TOK_NUMBER && prev != TOK_BIGINT &&
                      prev != TOK_STRING && prev != TOK_RPAREN && prev != TOK_RBRACKET &&
                      prev != TOK_RBRACE && prev != TOK_THIS && prev != TOK_SUPER &&
                      prev != TOK_TRUE && prev != TOK_FALSE && prev != TOK_NULL &&
                      prev != TOK_REGEXP && prev != TOK_TEMPLATE && prev != TOK_INC && prev != TOK_DEC;
    if ((k == TOK_SLASH || k == TOK_SLASH_ASSIGN) && expr_start) k = js_lexer_rescan_regexp(&L, &t);
    if (k == TOK_RBRACE && template_depth > 0 && braces == brace_stack[template_depth - 1]) {
      template_depth--;
      k = js_lexer_rescan_template(&L, &t);
    } else if (k == TOK_LBRACE) braces++;
    else if (k == TOK_RBRACE) braces--;
    if (k == TOK_ERROR) {
      uint32_t line, col;
      js_source_position(src, len, L.error_pos, &line, &col);
      fprintf(stderr, "%s:%u:%u: SyntaxError: %s\n", name, line, col, L.error);
      status = CLI_EXIT_ERROR;
      break;
    }
    if (k == TOK_TEMPLATE && !(t.flags & TF_TEMPLATE_TAIL) && template_depth < 256)
      brace_stack[template_depth++] = braces;
    printf("%u:%u %s", t.line, t.col, k == TOK_IDENT || k >= TOK_LBRACE ? (k == TOK_IDENT ? "identifier" : (k >= TOK_FIRST_KEYWORD ? "keyword" : "punctuator")) : js_token_name(k));
    if (k == TOK_NUMBER) printf(" %.17g", t.num), print_token_text(src, &t);
    else if (k != TOK_EOF) print_token_text(src, &t);
    putchar('\n');
    if (k == TOK_EOF) break;
    prev = k;
  }
  js_lexer_free(&L);
  js_arena_free(&arena);
  return status;
}

/* Compiles and runs a script in a fresh realm; uncaught errors are printed
 * with their stack and give exit status 1. */
static int run_script(Runtime *rt, const CliOptions *opts, const char *name, const char *source,
                      size_t len) {
  Context ctx = {.rt = rt, .global = VAL_UNDEFINED};
  int status = CLI_EXIT_OK;
  if (!js_context_init(&ctx)) {
    fprintf(stderr, "tandem: cannot create the JavaScript realm: %s\n", rt_exception_message(rt));
    return CLI_EXIT_ERROR;
  }
  js_rt(rt)->trace_ic = opts->trace_ic != NULL;
  if (opts->print_bytecode) {
    JsFunctionCode *code;
    Value v = js_compile_script(rt, name, source, len, 0, &code);
    if (val_is_exception(v)) {
      js_report_exception(rt, rt_take_exception(rt), stderr);
      status = CLI_EXIT_ERROR;
    } else {
      js_disassemble(rt, stdout, code);
    }
  } else {
    Value r = js_eval_script(rt, name, source, len, 0);
    if (val_is_exception(r)) {
      fflush(stdout);
      js_report_exception(rt, rt_take_exception(rt), stderr);
      status = CLI_EXIT_ERROR;
    } else if (opts->eval && !val_is_undefined(r)) {
      Value s = js_to_string(rt, r);
      char *text = val_is_exception(s) ? NULL : str_to_utf8(rt, s, NULL);
      if (text) printf("%s\n", text);
      free(text);
      rt_clear_exception(rt);
    }
  }
  js_realm_free(js_realm(rt));
  return status;
}

int cli_run_js(const CliOptions *opts, const char *name, const char *source, size_t len) {
  bool module = opts->module || ends_with(name, ".mjs");
  if (opts->print_tokens) return print_tokens(name, source, len, module);
  RuntimeOptions ro = {.max_heap_bytes = opts->max_heap_bytes,
                      .max_stack_bytes = opts->stack_bytes,
                      .gc_stress = opts->gc_stress_every,
                      .trace_gc = opts->trace_gc != NULL};
  Runtime *rt = rt_new(&ro);
  if (!rt) {
    fprintf(stderr, "tandem: cannot create a runtime\n");
    return CLI_EXIT_ERROR;
  }
  JsArena arena;
  js_arena_init(&arena);
  JsParseResult r;
  bool ok = js_parse(rt, &arena, source, len, module ? JS_PARSE_OPT_MODULE : 0, &r);
  int status = CLI_EXIT_OK;
  if (!ok) {
    char buf[1024];
    rt_clear_exception(rt);
    js_format_syntax_error(&r, name, source, len, buf, sizeof buf, true);
    fputs(buf, stderr);
    status = CLI_EXIT_ERROR;
  } else if (opts->print_ast) {
    js_ast_print(stdout, r.program);
  } else if (module) {
    fprintf(stderr, "tandem: %s: ES modules are not supported yet\n", name);
    status = CLI_EXIT_ERROR;
  } else {
    status = run_script(rt, opts, name, source, len);
  }
  js_arena_free(&arena);
  rt_free(rt);
  return status;
}
