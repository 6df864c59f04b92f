/* error.c: the pending-exception slot of a runtime and the error kinds. */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/runtime.h"

static const char *const kind_names[ERR_COUNT] = {
#define ERROR_KIND_NAME(name) #name,
    ERROR_KIND_LIST(ERROR_KIND_NAME)
#undef ERROR_KIND_NAME
};

const char *error_kind_name(ErrorKind kind) {
  return (unsigned)kind < ERR_COUNT ? kind_names[kind] : "Error";
}

static Value throw_message(Runtime *rt, ErrorKind kind, const char *message) {
  rt->has_exception = true;
  rt->exception_kind = kind;
  snprintf(rt->exception_message, sizeof rt->exception_message, "%s", message);
  rt->exception = VAL_UNDEFINED;
  if (rt->make_error) {
    Value err = rt->make_error(rt, kind, message);
    if (!val_is_exception(err)) rt->exception = err;
  }
  return VAL_EXCEPTION;
}

Value rt_throw(Runtime *rt, ErrorKind kind, const char *fmt, ...) {
  char message[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  return throw_message(rt, kind, message);
}

Value rt_throw_value(Runtime *rt, Value v) {
  rt->has_exception = true;
  rt->exception = v;
  rt->exception_kind = ERR_Error;
  rt->exception_message[0] = '\0';
  return VAL_EXCEPTION;
}

Value rt_throw_out_of_memory(Runtime *rt) {
  /* Building an error object needs memory we do not have: keep the message. */
  rt->has_exception = true;
  rt->exception = rt->oom_error;
  rt->exception_kind = ERR_InternalError;
  snprintf(rt->exception_message, sizeof rt->exception_message, "out of memory");
  return VAL_EXCEPTION;
}

Value rt_throw_stack_overflow(Runtime *rt) {
  return throw_message(rt, ERR_RangeError, "Maximum call stack size exceeded");
}

bool rt_has_exception(const Runtime *rt) { return rt->has_exception; }

Value rt_take_exception(Runtime *rt) {
  Value v = rt->exception;
  rt->has_exception = false;
  rt->exception = VAL_UNDEFINED;
  return v;
}

void rt_clear_exception(Runtime *rt) {
  rt->has_exception = false;
  rt->exception = VAL_UNDEFINED;
  rt->exception_message[0] = '\0';
}

ErrorKind rt_exception_kind(const Runtime *rt) { return rt->exception_kind; }
const char *rt_exception_message(const Runtime *rt) { return rt->exception_message; }
