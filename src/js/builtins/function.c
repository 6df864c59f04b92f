/* function.c: Function.prototype (call, apply, bind, toString,
 * Symbol.hasInstance), the Function constructor (which needs the compiler
 * at run time and throws until eval exists) and %ThrowTypeError%. Bound
 * functions are objects of class BoundFunction read by js_call/js_construct. */
#include "js/builtins/builtins.h"

#define NATIVE(name)                                                                               \
  static Value name(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,         \
                    Value new_target, int magic)

NATIVE(fn_call) {
  if (!js_is_callable(this_val))
    return js_throw(rt, ERR_TypeError, "Function.prototype.call called on a non-function");
  return js_call(rt, this_val, ARG(0), argc > 0 ? argc - 1 : 0, argv + (argc > 0 ? 1 : 0));
}

/* CreateListFromArrayLike into a JS array (so the values stay reachable). */
static Value list_from_array_like(Runtime *rt, Value v) {
  if (!val_is_object(v))
    return js_throw(rt, ERR_TypeError, "CreateListFromArrayLike called on non-object");
  uint64_t len;
  if (!bi_length(rt, v, &len)) return VAL_EXCEPTION;
  if (len > 65535) return js_throw(rt, ERR_RangeError, "Too many arguments in function call");
  Value list = js_array_new(rt, 0, NULL);
  if (val_is_exception(list)) return list;
  for (uint64_t i = 0; i < len; i++) {
    Value e = bi_get_index(rt, v, i);
    if (val_is_exception(e) || !js_array_push(rt, val_to_object(list), e)) return VAL_EXCEPTION;
  }
  return list;
}

NATIVE(fn_apply) {
  if (!js_is_callable(this_val))
    return js_throw(rt, ERR_TypeError, "Function.prototype.apply was called on a non-function");
  if (val_is_nullish(ARG(1))) return js_call(rt, this_val, ARG(0), 0, NULL);
  Value list = list_from_array_like(rt, ARG(1));
  if (val_is_exception(list)) return list;
  Object *l = val_to_object(list);
  return js_call(rt, this_val, ARG(0), (int)l->length, l->length ? l->elements->v : NULL);
}

NATIVE(fn_bind) {
  Value target = this_val;
  if (!js_is_callable(target))
    return js_throw(rt, ERR_TypeError, "Bind must be called on a function");
  Object *t = val_to_object(target);
  int nb = argc > 1 ? argc - 1 : 0;
  Value args = js_array_new(rt, (uint32_t)nb, argv + 1);
  if (val_is_exception(args)) return args;
  Object *b = obj_new_ex(rt, obj_proto(t), OBJ_CLASS_BoundFunction, FN_INTERNAL_COUNT, 2);
  if (!b) return VAL_EXCEPTION;
  Value bv = obj_value(b);
  for (int i = 0; i < FN_INTERNAL_COUNT; i++) obj_set_internal(rt, b, (uint32_t)i, VAL_UNDEFINED);
  obj_set_internal(rt, b, FN_CODE, target);
  obj_set_internal(rt, b, FN_ENV, ARG(0));
  obj_set_internal(rt, b, FN_HOME, args);
  /* length: max(0, target.length - nb) when target has an own numeric length. */
  double len = 0;
  PropertyDescriptor d;
  ObjResult r = obj_get_own_property(rt, t, atom_well_known(rt, ATOM_length), &d);
  if (r == OBJ_ERROR) return VAL_EXCEPTION;
  if (r == OBJ_TRUE) {
    Value tl = js_get(rt, target, atom_well_known(rt, ATOM_length));
    if (val_is_exception(tl)) return tl;
    if (val_is_number(tl)) {
      double n = val_number(tl);
      if (n == INFINITY) len = INFINITY;
      else if (n != -INFINITY && n == n) {
        n = trunc(n) - nb;
        len = n > 0 ? n : 0;
      }
    }
  }
  if (obj_define_value(rt, b, atom_well_known(rt, ATOM_length), bi_number(len), PROP_CONFIGURABLE) ==
      OBJ_ERROR)
    return VAL_EXCEPTION;
  Value name = js_get(rt, target, atom_well_known(rt, ATOM_name));
  if (val_is_exception(name)) return name;
  if (!str_is_string(name)) name = str_empty(rt);
  Value prefix = str_from_cstr(rt, "bound ");
  Value full = val_is_exception(prefix) ? prefix : str_concat(rt, prefix, name);
  if (val_is_exception(full) ||
      obj_define_value(rt, b, atom_well_known(rt, ATOM_name), full, PROP_CONFIGURABLE) == OBJ_ERROR)
    return VAL_EXCEPTION;
  return bv;
}

static Value native_source(Runtime *rt, Value f) {
  Value name = VAL_UNDEFINED;
  PropertyLookup l;
  obj_lookup(rt, val_to_object(f), atom_well_known(rt, ATOM_name), &l);
  if (l.result == OBJ_TRUE && str_is_string(l.value)) name = l.value;
  StrBuilder b;
  str_builder_init(&b, rt);
  bool ok = str_builder_append_cstr(&b, "function ") &&
            (val_is_undefined(name) || str_builder_append_string(&b, name)) &&
            str_builder_append_cstr(&b, "() { [native code] }");
  if (!ok) {
    str_builder_free(&b);
    return VAL_EXCEPTION;
  }
  return str_builder_finish(&b);
}

/* The parser works on the UTF-8 script text, so src_start/src_end are byte
 * offsets; the source Value is that text decoded to UTF-16. Maps the byte
 * range to code units (a unit < 0x80 is 1 byte, < 0x800 2, a surrogate 2 of
 * the pair's 4, others 3). */
static void utf8_range_to_units(Value src, uint32_t start, uint32_t end, uint32_t *a, uint32_t *b) {
  StrChars c = str_chars(src);
  uint32_t bytes = 0, i = 0;
  *a = *b = c.length;
  for (; i < c.length; i++) {
    if (bytes >= start && *a == c.length) *a = i;
    if (bytes >= end) break;
    uint16_t u = str_chars_at(&c, i);
    bytes += u < 0x80 ? 1 : u < 0x800 ? 2 : (u >= 0xD800 && u <= 0xDFFF) ? 2 : 3;
  }
  if (*a == c.length && bytes >= start) *a = i;
  *b = i;
  if (*b < *a) *b = *a;
}

NATIVE(fn_to_string) {
  if (!js_is_callable(this_val))
    return js_throw(rt, ERR_TypeError, "Function.prototype.toString requires that 'this' be a Function");
  Object *f = val_to_object(this_val);
  if (obj_class(f) == OBJ_CLASS_Function) {
    Value c = obj_get_internal(f, FN_CODE);
    if (val_is_ptr(c) && ((GCHeader *)val_to_ptr(c))->kind == GC_KIND_FUNCTION_CODE) {
      JsFunctionCode *code = val_to_ptr(c);
      if (str_is_string(code->source) && code->src_end >= code->src_start) {
        uint32_t start_byte = code->src_start, end_byte = code->src_end;
        Value src = str_flatten(rt, code->source);
        if (val_is_exception(src)) return src;
        uint32_t a, b;
        utf8_range_to_units(src, start_byte, end_byte, &a, &b);
        return str_substring(rt, src, a, b);
      }
    }
  }
  /* "bound f" is no PropertyName, so bound functions print anonymously to
   * keep the NativeFunction syntax. */
  if (obj_class(f) == OBJ_CLASS_BoundFunction) return str_from_cstr(rt, "function () { [native code] }");
  return native_source(rt, this_val);
}

NATIVE(fn_has_instance) {
  /* OrdinaryHasInstance. */
  if (!js_is_callable(this_val)) return VAL_FALSE;
  Value c = this_val;
  if (obj_class(val_to_object(c)) == OBJ_CLASS_BoundFunction)
    c = obj_get_internal(val_to_object(c), FN_CODE);
  if (c != this_val) {
    bool out;
    if (!js_instance_of(rt, ARG(0), c, &out)) return VAL_EXCEPTION;
    return val_from_bool(out);
  }
  if (!val_is_object(ARG(0))) return VAL_FALSE;
  Value proto = js_get(rt, c, atom_well_known(rt, ATOM_prototype));
  if (val_is_exception(proto)) return proto;
  if (!val_is_object(proto))
    return js_throw(rt, ERR_TypeError, "Function has non-object prototype in instanceof check");
  for (Value p = obj_proto(val_to_object(ARG(0))); val_is_object(p); p = obj_proto(val_to_object(p)))
    if (p == proto) return VAL_TRUE;
  return VAL_FALSE;
}

NATIVE(function_ctor) {
  return js_throw(rt, ERR_EvalError,
                  "Function constructor: code generation from strings is not supported yet");
}

NATIVE(throw_type_error) {
  return js_throw(rt, ERR_TypeError,
                  "'caller', 'callee', and 'arguments' properties may not be accessed on strict "
                  "mode functions or the arguments objects for calls to them");
}

bool js_builtins_function(Runtime *rt, JsRealm *realm) {
  Value proto = realm->intrinsics[JS_INTR_FunctionPrototype];
  Value ctor = bi_ctor(rt, realm, "Function", function_ctor, 1, 0, proto);
  if (val_is_exception(ctor)) return false;
  realm->intrinsics[JS_INTR_Function] = ctor;
  if (!js_define_method(rt, proto, "call", fn_call, 1, 0) ||
      !js_define_method(rt, proto, "apply", fn_apply, 2, 0) ||
      !js_define_method(rt, proto, "bind", fn_bind, 1, 0) ||
      !js_define_method(rt, proto, "toString", fn_to_string, 0, 0) ||
      !bi_define_symbol_method(rt, proto, SYM_hasInstance, "[Symbol.hasInstance]", fn_has_instance,
                               1, 0))
    return false;
  Value tte = js_native_new(rt, realm, "", throw_type_error, 0, 0, 0);
  if (val_is_exception(tte)) return false;
  Object *t = val_to_object(tte);
  if (obj_define_value(rt, t, atom_well_known(rt, ATOM_length), val_from_int(0), 0) == OBJ_ERROR ||
      obj_define_value(rt, t, atom_well_known(rt, ATOM_name), str_empty(rt), 0) == OBJ_ERROR ||
      obj_prevent_extensions(rt, t) == OBJ_ERROR)
    return false;
  realm->intrinsics[JS_INTR_ThrowTypeError] = tte;
  /* Function.prototype.caller / arguments poison pills. */
  if (obj_define_accessor(rt, val_to_object(proto), atom_from_cstr(rt, "caller"), tte, tte,
                          PROP_CONFIGURABLE) == OBJ_ERROR ||
      obj_define_accessor(rt, val_to_object(proto), atom_well_known(rt, ATOM_arguments), tte, tte,
                          PROP_CONFIGURABLE) == OBJ_ERROR)
    return false;
  return bi_global(rt, realm, "Function", ctor);
}
