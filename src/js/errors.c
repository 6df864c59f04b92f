/* errors.c: JavaScript error objects: creating them with a message and a
 * `stack` string captured from the live frames (function, file:line:column),
 * and throwing them. Also the runtime's error factory, so errors raised in
 * core code (rt_throw) become real error objects. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "js/vm.h"

/* Appends to a growing buffer; gives up quietly when full. */
typedef struct TextBuf {
  char *p;
  size_t len, cap;
} TextBuf;

static void tb_printf(TextBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tb_printf(TextBuf *b, const char *fmt, ...) {
  if (b->len >= b->cap) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
  va_end(ap);
  if (n > 0) b->len = b->len + (size_t)n < b->cap ? b->len + (size_t)n : b->cap - 1;
}

static void frame_function_name(Runtime *rt, const JsFrame *f, char *buf, size_t size) {
  buf[0] = '\0';
  if (!f->func) return;
  PropertyLookup l;
  obj_lookup(rt, f->func, atom_well_known(rt, ATOM_name), &l);
  if (l.result == OBJ_TRUE && str_is_string(l.value)) str_to_utf8_buf(rt, l.value, buf, size);
}

Value js_capture_stack(Runtime *rt) {
  char text[4096];
  TextBuf b = {text, 0, sizeof text};
  int depth = 0;
  /* Native frames on top are the error's own constructor (or the built-in
   * that threw): the trace starts at the code that called them. */
  const JsFrame *top = js_rt(rt)->top;
  while (top && !top->code && top->prev) top = top->prev;
  for (const JsFrame *f = top; f && depth < 10; f = f->prev, depth++) {
    char name[128], file[256] = "";
    frame_function_name(rt, f, name, sizeof name);
    if (!f->code) {
      tb_printf(&b, "\n    at %s (native)", name[0] ? name : "<anonymous>");
      continue;
    }
    if (str_is_string(f->code->filename)) str_to_utf8_buf(rt, f->code->filename, file, sizeof file);
    uint32_t line = 0, col = 0;
    js_code_position(f->code, (uint32_t)(f->pc ? f->pc - f->code->code : 0), &line, &col);
    if (name[0])
      tb_printf(&b, "\n    at %s (%s:%u:%u)", name, file, line, col);
    else
      tb_printf(&b, "\n    at %s:%u:%u", file, line, col);
  }
  return str_from_utf8(rt, text, b.len);
}

Value js_error_new(Runtime *rt, ErrorKind kind, Value message) {
  JsRealm *realm = js_realm(rt);
  if (!realm) return VAL_EXCEPTION;
  Object *e = obj_new(rt, realm->error_protos[kind], OBJ_CLASS_Error, 4);
  if (!e) return VAL_EXCEPTION;
  Value ev = obj_value(e);
  if (!val_is_undefined(message) &&
      obj_define_value(rt, e, atom_well_known(rt, ATOM_message), message,
                       PROP_WRITABLE | PROP_CONFIGURABLE) == OBJ_ERROR)
    return VAL_EXCEPTION;
  /* stack: "Kind: message" then one "    at ..." line per frame, as V8 prints it. */
  Value head = atom_from_cstr(rt, error_kind_name(kind));
  if (val_is_exception(head)) return head;
  if (!val_is_undefined(message) && str_length(message) > 0) {
    Value sep = str_from_cstr(rt, ": ");
    head = val_is_exception(sep) ? sep : str_concat(rt, head, sep);
    if (!val_is_exception(head)) head = str_concat(rt, head, message);
    if (val_is_exception(head)) return head;
  }
  Value trace = js_capture_stack(rt);
  if (val_is_exception(trace)) return trace;
  Value stack = str_concat(rt, head, trace);
  if (val_is_exception(stack)) return stack;
  if (obj_define_value(rt, e, atom_well_known(rt, ATOM_stack), stack,
                       PROP_WRITABLE | PROP_CONFIGURABLE) == OBJ_ERROR)
    return VAL_EXCEPTION;
  return ev;
}

Value js_throw(Runtime *rt, ErrorKind kind, const char *fmt, ...) {
  char message[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  return rt_throw(rt, kind, "%s", message);
}

/* rt->make_error: builds the error object for rt_throw(). */
static Value make_error(Runtime *rt, ErrorKind kind, const char *message) {
  if (!js_realm(rt)) return VAL_EXCEPTION;
  /* Keep the pending flag clear while allocating; rt_throw sets it after. */
  Value msg = str_from_utf8(rt, message, strlen(message));
  if (val_is_exception(msg)) return msg;
  return js_error_new(rt, kind, msg);
}

void js_install_error_factory(Runtime *rt) { rt->make_error = make_error; }

void js_report_exception(Runtime *rt, Value exc, void *out_file) {
  FILE *out = out_file;
  char *text = NULL;
  if (val_is_object(exc)) {
    Value stack = js_get(rt, exc, atom_well_known(rt, ATOM_stack));
    if (!val_is_exception(stack) && str_is_string(stack)) text = str_to_utf8(rt, stack, NULL);
  }
  if (!text) {
    Value s = val_is_undefined(exc) && rt->exception_message[0]
                  ? VAL_UNDEFINED
                  : js_to_string(rt, exc);
    if (!val_is_exception(s) && str_is_string(s)) text = str_to_utf8(rt, s, NULL);
  }
  rt_clear_exception(rt);
  if (text) {
    fprintf(out, "Uncaught %s\n", text);
    free(text);
  } else {
    fprintf(out, "Uncaught %s: %s\n", error_kind_name(rt->exception_kind), rt->exception_message);
  }
}
