/* error.c: Error, the native errors (one per ErrorKind in core/error.h, the
 * WebAssembly ones included for now) and AggregateError: constructors that
 * work with or without `new`, the `cause` option, and
 * Error.prototype.toString. Objects come from js_error_new (message + stack). */
#include "js/builtins/builtins.h"

#define NATIVE(name)                                                                               \
  static Value name(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,         \
                    Value new_target, int magic)

/* InstallErrorCause. */
static bool install_cause(Runtime *rt, Object *e, Value options) {
  if (!val_is_object(options)) return true;
  Atom cause = atom_well_known(rt, ATOM_cause);
  bool has;
  if (!js_has_property(rt, val_to_object(options), cause, &has)) return false;
  if (!has) return true;
  Value v = js_get(rt, options, cause);
  if (val_is_exception(v)) return false;
  return obj_define_value(rt, e, cause, v, PROP_WRITABLE | PROP_CONFIGURABLE) != OBJ_ERROR;
}

/* Error(message, options), TypeError(...), ...: magic is the ErrorKind;
 * AggregateError(errors, message, options). */
NATIVE(error_ctor) {
  ErrorKind kind = (ErrorKind)magic;
  JsRealm *realm = js_realm(rt);
  if (val_is_undefined(new_target)) new_target = func;
  Value proto = js_get(rt, new_target, atom_well_known(rt, ATOM_prototype));
  if (val_is_exception(proto)) return proto;
  if (!val_is_object(proto)) proto = realm->error_protos[kind];
  int m = kind == ERR_AggregateError ? 1 : 0;
  Value msg = ARG(m);
  if (!val_is_undefined(msg)) {
    msg = js_to_string(rt, msg);
    if (val_is_exception(msg)) return msg;
  }
  Value ev = js_error_new(rt, kind, msg);
  if (val_is_exception(ev)) return ev;
  Object *e = val_to_object(ev);
  if (proto != obj_proto(e) && obj_set_prototype_of(rt, e, proto) == OBJ_ERROR) return VAL_EXCEPTION;
  if (!install_cause(rt, e, ARG(m + 1))) return VAL_EXCEPTION;
  if (kind == ERR_AggregateError) {
    Value list = js_array_new(rt, 0, NULL);
    if (val_is_exception(list)) return list;
    Value iter, next;
    if (!js_get_iterator(rt, ARG(0), &iter, &next)) return VAL_EXCEPTION;
    for (;;) {
      bool done;
      Value v;
      if (!js_iterator_step(rt, iter, next, &done, &v)) return VAL_EXCEPTION;
      if (done) break;
      if (!js_array_push(rt, val_to_object(list), v)) return VAL_EXCEPTION;
    }
    if (obj_define_value(rt, e, atom_from_cstr(rt, "errors"), list,
                         PROP_WRITABLE | PROP_CONFIGURABLE) == OBJ_ERROR)
      return VAL_EXCEPTION;
  }
  return ev;
}

NATIVE(error_to_string) {
  if (!val_is_object(this_val))
    return js_throw(rt, ERR_TypeError, "Error.prototype.toString called on non-object");
  Value name = js_get(rt, this_val, atom_well_known(rt, ATOM_name));
  if (val_is_exception(name)) return name;
  name = val_is_undefined(name) ? str_from_cstr(rt, "Error") : js_to_string(rt, name);
  if (val_is_exception(name)) return name;
  Value msg = js_get(rt, this_val, atom_well_known(rt, ATOM_message));
  if (val_is_exception(msg)) return msg;
  msg = val_is_undefined(msg) ? str_empty(rt) : js_to_string(rt, msg);
  if (val_is_exception(msg)) return msg;
  if (str_length(name) == 0) return msg;
  if (str_length(msg) == 0) return name;
  StrBuilder b;
  str_builder_init(&b, rt);
  if (!str_builder_append_string(&b, name) || !str_builder_append_cstr(&b, ": ") ||
      !str_builder_append_string(&b, msg)) {
    str_builder_free(&b);
    return VAL_EXCEPTION;
  }
  return str_builder_finish(&b);
}

/* Error.isError(v): has [[ErrorData]]. */
NATIVE(error_is_error) {
  return val_from_bool(val_is_object(ARG(0)) && obj_class(val_to_object(ARG(0))) == OBJ_CLASS_Error);
}

bool js_builtins_error(Runtime *rt, JsRealm *realm) {
  Value base_ctor = VAL_UNDEFINED;
  for (int k = 0; k < ERR_COUNT; k++) {
    const char *name = error_kind_name((ErrorKind)k);
    Value parent = k == ERR_Error ? realm->intrinsics[JS_INTR_ObjectPrototype]
                                  : realm->error_protos[ERR_Error];
    Object *p = obj_new(rt, parent, OBJ_CLASS_Object, 4);
    if (!p) return false;
    Value pv = obj_value(p);
    realm->error_protos[k] = pv;
    Value ctor = bi_ctor(rt, realm, name, error_ctor, k == ERR_AggregateError ? 2 : 1, k, pv);
    if (val_is_exception(ctor)) return false;
    realm->error_ctors[k] = ctor;
    /* NativeError constructors inherit from Error. */
    if (k != ERR_Error && obj_set_prototype_of(rt, val_to_object(ctor), base_ctor) != OBJ_TRUE)
      return false;
    if (k == ERR_Error) base_ctor = ctor;
    Value n = atom_from_cstr(rt, name);
    if (val_is_exception(n) || !js_define_value(rt, pv, "name", n, BI_ATTR_METHOD) ||
        !js_define_value(rt, pv, "message", str_empty(rt), BI_ATTR_METHOD))
      return false;
    /* WebAssembly's errors live on the WebAssembly namespace (the wasm host
     * installs them there), not on the global object. */
    if (k == ERR_CompileError || k == ERR_LinkError || k == ERR_RuntimeError) continue;
    if (!bi_global(rt, realm, name, ctor)) return false;
  }
  return js_define_method(rt, realm->error_protos[ERR_Error], "toString", error_to_string, 0, 0) &&
         js_define_method(rt, realm->error_ctors[ERR_Error], "isError", error_is_error, 1, 0);
}
