/* global.c: the global object's own bindings: globalThis, NaN, Infinity,
 * undefined, parseInt/parseFloat (the Number functions), isNaN/isFinite,
 * and a minimal print/console (log, info, debug to stdout; warn, error to
 * stderr) through JsRuntime.print when the host sets it. The full console
 * (formatting, inspection) belongs to the host layer and comes later. */
#include <stdio.h>
#include <stdlib.h>

#include "js/builtins/builtins.h"

#define NATIVE(name)                                                                               \
  static Value name(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,         \
                    Value new_target, int magic)

/* isNaN (0), isFinite (1): with ToNumber. */
NATIVE(global_is) {
  (void)func, (void)this_val, (void)argc, (void)new_target;
  double d;
  if (!js_to_number(rt, ARG(0), &d)) return VAL_EXCEPTION;
  return val_from_bool(magic ? isfinite(d) : d != d);
}

/* print / console.log & co: magic 1 writes to stderr. */
NATIVE(global_print) {
  (void)func, (void)this_val, (void)new_target;
  StrBuilder b;
  str_builder_init(&b, rt);
  for (int i = 0; i < argc; i++) {
    Value s = js_to_string(rt, ARG(i));
    if (val_is_exception(s) || (i > 0 && !str_builder_append_char(&b, ' ')) ||
        !str_builder_append_string(&b, s)) {
      str_builder_free(&b);
      return VAL_EXCEPTION;
    }
  }
  if (!str_builder_append_char(&b, '\n')) {
    str_builder_free(&b);
    return VAL_EXCEPTION;
  }
  Value line = str_builder_finish(&b);
  if (val_is_exception(line)) return line;
  size_t len;
  char *text = str_to_utf8(rt, line, &len);
  if (!text) return VAL_EXCEPTION;
  JsRuntime *jr = js_rt(rt);
  if (jr->print) {
    jr->print(rt, text, len);
  } else {
    FILE *out = magic ? stderr : stdout;
    fwrite(text, 1, len, out);
    fflush(out);
  }
  free(text);
  return VAL_UNDEFINED;
}

bool js_builtins_global(Runtime *rt, JsRealm *realm) {
  Value g = realm->global;
  if (!bi_global(rt, realm, "globalThis", g) ||
      !js_define_value(rt, g, "NaN", val_from_double(NAN), 0) ||
      !js_define_value(rt, g, "Infinity", val_from_double(INFINITY), 0) ||
      !js_define_value(rt, g, "undefined", VAL_UNDEFINED, 0))
    return false;
  /* parseInt and parseFloat are the very functions on Number. */
  Value number = js_get(rt, g, atom_from_cstr(rt, "Number"));
  if (val_is_exception(number)) return false;
  Value pi = js_get(rt, number, atom_from_cstr(rt, "parseInt"));
  Value pf = val_is_exception(pi) ? pi : js_get(rt, number, atom_from_cstr(rt, "parseFloat"));
  if (val_is_exception(pf) || !bi_global(rt, realm, "parseInt", pi) ||
      !bi_global(rt, realm, "parseFloat", pf))
    return false;
  if (!js_define_method(rt, g, "isNaN", global_is, 1, 0) ||
      !js_define_method(rt, g, "isFinite", global_is, 1, 1) ||
      !js_define_method(rt, g, "print", global_print, 0, 0))
    return false;
  Object *console = obj_new(rt, realm->intrinsics[JS_INTR_ObjectPrototype], OBJ_CLASS_Object, 8);
  if (!console) return false;
  Value cv = obj_value(console);
  static const struct {
    const char *name;
    int to_stderr;
  } methods[] = {{"log", 0}, {"info", 0}, {"debug", 0}, {"warn", 1}, {"error", 1}};
  for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
    if (!js_define_method(rt, cv, methods[i].name, global_print, 0, methods[i].to_stderr))
      return false;
  return bi_global(rt, realm, "console", cv);
}
