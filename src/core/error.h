/* error.h: the error kinds every subsystem raises, defined once, and the
 * runtime's pending-exception slot. Functions that can fail return
 * VAL_EXCEPTION (or false/NULL) after calling rt_throw(). */
#ifndef TANDEM_CORE_ERROR_H
#define TANDEM_CORE_ERROR_H

#include "core/value.h"

#define ERROR_KIND_LIST(X)                                                                         \
  X(Error)                                                                                         \
  X(TypeError)                                                                                     \
  X(RangeError)                                                                                    \
  X(SyntaxError)                                                                                   \
  X(ReferenceError)                                                                                \
  X(EvalError)                                                                                     \
  X(URIError)                                                                                      \
  X(AggregateError)                                                                                \
  X(InternalError) /* out of memory, interrupted */                                                \
  X(CompileError)  /* WebAssembly.CompileError */                                                  \
  X(LinkError)     /* WebAssembly.LinkError */                                                     \
  X(RuntimeError)  /* WebAssembly.RuntimeError (traps) */

typedef enum ErrorKind {
#define ERROR_KIND_ENUM(name) ERR_##name,
  ERROR_KIND_LIST(ERROR_KIND_ENUM)
#undef ERROR_KIND_ENUM
      ERR_COUNT
} ErrorKind;

const char *error_kind_name(ErrorKind kind);

typedef struct Runtime Runtime;

/* Records a pending exception of the given kind with a printf-style message.
 * When the JS layer has installed its error factory the exception is a real
 * error object; before that (or when allocation fails) the kind and message are
 * kept in the runtime. Always returns VAL_EXCEPTION. */
Value rt_throw(Runtime *rt, ErrorKind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Throws an arbitrary value (JS `throw`). */
Value rt_throw_value(Runtime *rt, Value v);
/* The out-of-memory error. Never allocates. */
Value rt_throw_out_of_memory(Runtime *rt);
/* RangeError: Maximum call stack size exceeded. */
Value rt_throw_stack_overflow(Runtime *rt);

bool rt_has_exception(const Runtime *rt);
/* Takes the pending exception, clearing it. */
Value rt_take_exception(Runtime *rt);
void rt_clear_exception(Runtime *rt);
/* The pending error's kind and message (for errors raised before JS objects
 * exist, and for printing). */
ErrorKind rt_exception_kind(const Runtime *rt);
const char *rt_exception_message(const Runtime *rt);

#endif
