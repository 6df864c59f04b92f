/* js.h: the JavaScript pipeline's entry points used by the rest of the engine
 * (shell, embedding API, test262 runner). Internals live in the other js/
 * headers. */
#ifndef TANDEM_JS_JS_H
#define TANDEM_JS_JS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/runtime.h"

enum {
  JS_PARSE_MODULE = 1 << 0, /* parse as an ES module (strict, import/export, top-level await) */
  JS_PARSE_STRICT = 1 << 1, /* start in strict mode (a script with "use strict" prepended) */
};

/* Parses (and runs early-error checks on) a script or module without running
 * it. Returns true when it is valid; otherwise writes "file:line:column:
 * SyntaxError: message" into msg. Never crashes on any input. */
bool js_check_syntax(Runtime *rt, const char *filename, const char *source, size_t len, int flags,
                     char *msg, size_t msg_size);

struct JsFunctionCode;

/* Sets up the JS layer for a context (its realm: global object and
 * built-ins). False with an error pending on failure. */
bool js_context_init(Context *ctx);

/* Parses and compiles a script; returns the code object (and *out), or
 * VAL_EXCEPTION with a SyntaxError pending. */
Value js_compile_script(Runtime *rt, const char *filename, const char *source, size_t len,
                        int flags, struct JsFunctionCode **out);
/* Parses, compiles and runs a script in the current realm; returns its
 * completion value or VAL_EXCEPTION. */
Value js_eval_script(Runtime *rt, const char *filename, const char *source, size_t len, int flags);

/* Writes an uncaught exception (its stack when it has one) to `out`. */
void js_report_exception(Runtime *rt, Value exc, void *out_file);

#endif
