/* syntax.c: js_check_syntax, the parse-only entry point used by the test262
 * runner and the shell: parse + scope analysis, message with position. */
#include <stdio.h>

#include "js/js.h"
#include "js/parser.h"

bool js_check_syntax(Runtime *rt, const char *filename, const char *source, size_t len, int flags,
                     char *msg, size_t msg_size) {
  JsArena arena;
  js_arena_init(&arena);
  JsParseResult r;
  int opts = ((flags & JS_PARSE_MODULE) ? JS_PARSE_OPT_MODULE : 0) |
             ((flags & JS_PARSE_STRICT) ? JS_PARSE_OPT_STRICT : 0);
  bool ok = js_parse(rt, &arena, source, len, opts, &r);
  if (!ok && rt) rt_clear_exception(rt); /* reported through msg instead */
  if (!ok && msg && msg_size) {
    snprintf(msg, msg_size, "%s:%u:%u: %s: %s", filename ? filename : "<input>", r.err_line,
             r.err_col, error_kind_name(r.err_kind), r.message);
  }
  js_arena_free(&arena);
  return ok;
}
