/* object.c: the Object constructor, its static functions (keys, assign,
 * defineProperty, freeze, ...) and Object.prototype (hasOwnProperty,
 * toString with Symbol.toStringTag, the __proto__ accessor). */
#include "js/builtins/builtins.h"

#define NATIVE(name)                                                                               \
  static Value name(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,         \
                    Value new_target, int magic)

static Value to_object_arg(Runtime *rt, Value v) { return js_to_object(rt, v); }

static Value require_object(Runtime *rt, Value v, const char *what) {
  if (!val_is_object(v)) return js_throw(rt, ERR_TypeError, "%s called on non-object", what);
  return v;
}

/* ToPropertyDescriptor. */
static bool to_property_descriptor(Runtime *rt, Value obj, PropertyDescriptor *d) {
  if (!val_is_object(obj)) {
    js_throw(rt, ERR_TypeError, "Property description must be an object");
    return false;
  }
  Object *o = val_to_object(obj);
  d->present = 0;
  d->attrs = 0;
  d->value = d->get = d->set = VAL_UNDEFINED;
  static const struct {
    AtomId atom;
    uint8_t present, attr;
  } flags[] = {{ATOM_enumerable, PD_ENUMERABLE, PROP_ENUMERABLE},
               {ATOM_configurable, PD_CONFIGURABLE, PROP_CONFIGURABLE},
               {ATOM_value, PD_VALUE, 0},
               {ATOM_writable, PD_WRITABLE, PROP_WRITABLE},
               {ATOM_get, PD_GET, 0},
               {ATOM_set, PD_SET, 0}};
  for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
    Atom key = atom_well_known(rt, flags[i].atom);
    bool has;
    if (!js_has_property(rt, o, key, &has)) return false;
    if (!has) continue;
    Value v = js_get(rt, obj, key);
    if (val_is_exception(v)) return false;
    d->present |= flags[i].present;
    if (flags[i].present == PD_VALUE) d->value = v;
    else if (flags[i].present == PD_GET || flags[i].present == PD_SET) {
      if (!val_is_undefined(v) && !js_is_callable(v)) {
        js_throw(rt, ERR_TypeError, "%s must be a function",
                 flags[i].present == PD_GET ? "Getter" : "Setter");
        return false;
      }
      if (flags[i].present == PD_GET) d->get = v;
      else d->set = v;
    } else if (js_to_boolean(v)) {
      d->attrs |= flags[i].attr;
    }
  }
  if (pd_is_accessor(d) && pd_is_data(d)) {
    js_throw(rt, ERR_TypeError,
             "Invalid property descriptor. Cannot both specify accessors and a value or writable attribute");
    return false;
  }
  return true;
}

/* FromPropertyDescriptor of a complete descriptor. */
static Value from_property_descriptor(Runtime *rt, const PropertyDescriptor *d) {
  Object *o = obj_new(rt, js_realm(rt)->intrinsics[JS_INTR_ObjectPrototype], OBJ_CLASS_Object, 4);
  if (!o) return VAL_EXCEPTION;
  uint8_t a = PROP_WRITABLE | PROP_ENUMERABLE | PROP_CONFIGURABLE;
  bool ok;
  if (pd_is_accessor(d)) {
    ok = obj_define_value(rt, o, atom_well_known(rt, ATOM_get), d->get, a) != OBJ_ERROR &&
         obj_define_value(rt, o, atom_well_known(rt, ATOM_set), d->set, a) != OBJ_ERROR;
  } else {
    ok = obj_define_value(rt, o, atom_well_known(rt, ATOM_value), d->value, a) != OBJ_ERROR &&
         obj_define_value(rt, o, atom_well_known(rt, ATOM_writable),
                          val_from_bool(d->attrs & PROP_WRITABLE), a) != OBJ_ERROR;
  }
  ok = ok &&
       obj_define_value(rt, o, atom_well_known(rt, ATOM_enumerable),
                        val_from_bool(d->attrs & PROP_ENUMERABLE), a) != OBJ_ERROR &&
       obj_define_value(rt, o, atom_well_known(rt, ATOM_configurable),
                        val_from_bool(d->attrs & PROP_CONFIGURABLE), a) != OBJ_ERROR;
  return ok ? obj_value(o) : VAL_EXCEPTION;
}

/* DefinePropertyOrThrow (array length values go through ToUint32 first). */
static bool define_property_or_throw(Runtime *rt, Object *o, Atom key, PropertyDescriptor *d) {
  if (obj_class(o) == OBJ_CLASS_Array && key == atom_well_known(rt, ATOM_length) &&
      (d->present & PD_VALUE)) {
    uint32_t len;
    double num;
    if (!js_to_uint32(rt, d->value, &len) || !js_to_number(rt, d->value, &num)) return false;
    if ((double)len != num) {
      js_throw(rt, ERR_RangeError, "Invalid array length");
      return false;
    }
    d->value = bi_number((double)len);
  }
  ObjResult r = obj_define_own_property(rt, o, key, d);
  if (r == OBJ_ERROR) return false;
  if (r == OBJ_FALSE) {
    char k[64] = "Symbol()";
    if (str_is_string(key)) str_to_utf8_buf(rt, key, k, sizeof k);
    js_throw(rt, ERR_TypeError, "Cannot redefine property: %s", k);
    return false;
  }
  if (r == OBJ_EXOTIC) {
    js_throw(rt, ERR_TypeError, "exotic objects are not supported yet");
    return false;
  }
  return true;
}

NATIVE(object_ctor) {
  if (!val_is_undefined(new_target) && new_target != func) {
    Value proto = js_get_prototype_from_ctor(rt, new_target, JS_INTR_ObjectPrototype);
    if (val_is_exception(proto)) return proto;
    Object *o = obj_new(rt, proto, OBJ_CLASS_Object, 4);
    return o ? obj_value(o) : VAL_EXCEPTION;
  }
  if (val_is_nullish(ARG(0))) {
    Object *o = obj_new(rt, js_realm(rt)->intrinsics[JS_INTR_ObjectPrototype], OBJ_CLASS_Object, 4);
    return o ? obj_value(o) : VAL_EXCEPTION;
  }
  return js_to_object(rt, ARG(0));
}

/* Until String exotic objects exist, a string wrapper's index keys are not
 * own properties; list them first (as [[OwnPropertyKeys]] will). magic as in
 * object_keys: 0 keys, 1 values, 2 entries. */
static bool push_string_indices(Runtime *rt, Value ov, Value result, int magic) {
  Value s = bi_wrapped_string(ov);
  if (val_is_undefined(s)) return true;
  for (uint32_t i = 0; i < str_length(s); i++) {
    Value k = str_from_uint32(rt, i);
    Value v = val_is_exception(k) ? k : js_get_v(rt, s, val_from_int((int32_t)i));
    if (val_is_exception(v)) return false;
    Value item = magic == 0 ? k : v;
    if (magic == 2) {
      Value pair[2] = {k, v};
      item = js_array_new(rt, 2, pair);
      if (val_is_exception(item)) return false;
    }
    if (!js_array_push(rt, val_to_object(result), item)) return false;
  }
  return true;
}

/* keys (0), values (1), entries (2). */
NATIVE(object_keys) {
  Value ov = to_object_arg(rt, ARG(0));
  if (val_is_exception(ov)) return ov;
  Object *o = val_to_object(ov);
  uint32_t count;
  GCValueArray *keys = obj_own_keys(rt, o, OBJ_KEYS_STRINGS, &count);
  if (!keys) return VAL_EXCEPTION;
  Value keys_v = val_from_ptr(keys); /* kept on the stack for the collector */
  Value result = js_array_new(rt, 0, NULL);
  if (val_is_exception(result) || !push_string_indices(rt, ov, result, magic)) return VAL_EXCEPTION;
  for (uint32_t i = 0; i < count; i++) {
    Atom k = ((GCValueArray *)val_to_ptr(keys_v))->v[i];
    PropertyDescriptor d;
    ObjResult r = obj_get_own_property(rt, o, k, &d);
    if (r == OBJ_ERROR) return VAL_EXCEPTION;
    if (r != OBJ_TRUE || !(d.attrs & PROP_ENUMERABLE)) continue;
    Value item = k;
    if (magic != 0) {
      Value v = js_get(rt, ov, k);
      if (val_is_exception(v)) return v;
      item = v;
      if (magic == 2) {
        Value pair[2] = {k, v};
        item = js_array_new(rt, 2, pair);
        if (val_is_exception(item)) return item;
      }
    }
    if (!js_array_push(rt, val_to_object(result), item)) return VAL_EXCEPTION;
  }
  return result;
}

/* getOwnPropertyNames (0), getOwnPropertySymbols (1). */
NATIVE(object_own_names) {
  Value ov = to_object_arg(rt, ARG(0));
  if (val_is_exception(ov)) return ov;
  uint32_t count;
  GCValueArray *keys =
      obj_own_keys(rt, val_to_object(ov), magic ? OBJ_KEYS_SYMBOLS : OBJ_KEYS_STRINGS, &count);
  if (!keys) return VAL_EXCEPTION;
  Value keys_v = val_from_ptr(keys);
  Value result = js_array_new(rt, 0, NULL);
  if (val_is_exception(result) || (!magic && !push_string_indices(rt, ov, result, 0)))
    return VAL_EXCEPTION;
  for (uint32_t i = 0; i < count; i++) {
    Atom k = ((GCValueArray *)val_to_ptr(keys_v))->v[i];
    if (sym_is_symbol(k) && sym_is_private(k)) continue;
    if (!js_array_push(rt, val_to_object(result), k)) return VAL_EXCEPTION;
  }
  return result;
}

static bool assign_from(Runtime *rt, Value target, Value src) {
  if (val_is_nullish(src)) return true;
  Value from = js_to_object(rt, src);
  if (val_is_exception(from)) return false;
  Value str = bi_wrapped_string(from); /* its index keys come first */
  for (uint32_t i = 0; !val_is_undefined(str) && i < str_length(str); i++) {
    Value ch = js_get_v(rt, str, val_from_int((int32_t)i));
    if (val_is_exception(ch) || !js_set_v(rt, target, val_from_int((int32_t)i), ch, true)) return false;
  }
  uint32_t count;
  GCValueArray *keys = obj_own_keys(rt, val_to_object(from), OBJ_KEYS_ALL, &count);
  if (!keys) return false;
  Value keys_v = val_from_ptr(keys);
  for (uint32_t i = 0; i < count; i++) {
    Atom k = ((GCValueArray *)val_to_ptr(keys_v))->v[i];
    if (sym_is_symbol(k) && sym_is_private(k)) continue;
    PropertyDescriptor d;
    ObjResult r = obj_get_own_property(rt, val_to_object(from), k, &d);
    if (r == OBJ_ERROR) return false;
    if (r != OBJ_TRUE || !(d.attrs & PROP_ENUMERABLE)) continue;
    Value v = js_get(rt, from, k);
    if (val_is_exception(v) || !js_set(rt, target, k, v, true)) return false;
  }
  return true;
}

NATIVE(object_assign) {
  Value to = js_to_object(rt, ARG(0));
  if (val_is_exception(to)) return to;
  for (int i = 1; i < argc; i++)
    if (!assign_from(rt, to, ARG(i))) return VAL_EXCEPTION;
  return to;
}

static bool define_properties(Runtime *rt, Object *o, Value props) {
  Value pv = js_to_object(rt, props);
  if (val_is_exception(pv)) return false;
  uint32_t count;
  GCValueArray *keys = obj_own_keys(rt, val_to_object(pv), OBJ_KEYS_ALL, &count);
  if (!keys) return false;
  Value keys_v = val_from_ptr(keys);
  /* Read every descriptor first, then define (spec order). Descriptors are
   * kept in a JS array so their values stay reachable. */
  Value list = js_array_new(rt, 0, NULL);
  if (val_is_exception(list)) return false;
  for (uint32_t i = 0; i < count; i++) {
    Atom k = ((GCValueArray *)val_to_ptr(keys_v))->v[i];
    PropertyDescriptor d;
    ObjResult r = obj_get_own_property(rt, val_to_object(pv), k, &d);
    if (r == OBJ_ERROR) return false;
    if (r != OBJ_TRUE || !(d.attrs & PROP_ENUMERABLE)) continue;
    Value dv = js_get(rt, pv, k);
    if (val_is_exception(dv)) return false;
    PropertyDescriptor check;
    if (!to_property_descriptor(rt, dv, &check)) return false;
    if (!js_array_push(rt, val_to_object(list), k) || !js_array_push(rt, val_to_object(list), dv))
      return false;
  }
  Object *l = val_to_object(list);
  for (uint32_t i = 0; i + 1 < l->length; i += 2) {
    PropertyDescriptor d;
    if (!to_property_descriptor(rt, l->elements->v[i + 1], &d) ||
        !define_property_or_throw(rt, o, l->elements->v[i], &d))
      return false;
  }
  return true;
}

NATIVE(object_create) {
  Value proto = ARG(0);
  if (!val_is_object(proto) && !val_is_null(proto))
    return js_throw(rt, ERR_TypeError, "Object prototype may only be an Object or null");
  Object *o = obj_new(rt, proto, OBJ_CLASS_Object, 4);
  if (!o) return VAL_EXCEPTION;
  Value ov = obj_value(o);
  if (!val_is_undefined(ARG(1)) && !define_properties(rt, o, ARG(1))) return VAL_EXCEPTION;
  return ov;
}

NATIVE(object_define_property) {
  if (val_is_exception(require_object(rt, ARG(0), "Object.defineProperty"))) return VAL_EXCEPTION;
  Atom key = js_to_property_key(rt, ARG(1));
  if (val_is_exception(key)) return key;
  PropertyDescriptor d;
  if (!to_property_descriptor(rt, ARG(2), &d) ||
      !define_property_or_throw(rt, val_to_object(ARG(0)), key, &d))
    return VAL_EXCEPTION;
  return ARG(0);
}

NATIVE(object_define_properties) {
  if (val_is_exception(require_object(rt, ARG(0), "Object.defineProperties")))
    return VAL_EXCEPTION;
  if (!define_properties(rt, val_to_object(ARG(0)), ARG(1))) return VAL_EXCEPTION;
  return ARG(0);
}

NATIVE(object_get_own_property_descriptor) {
  Value ov = js_to_object(rt, ARG(0));
  if (val_is_exception(ov)) return ov;
  Atom key = js_to_property_key(rt, ARG(1));
  if (val_is_exception(key)) return key;
  PropertyDescriptor d;
  ObjResult r = obj_get_own_property(rt, val_to_object(ov), key, &d);
  if (r == OBJ_ERROR) return VAL_EXCEPTION;
  if (r != OBJ_TRUE) return VAL_UNDEFINED;
  return from_property_descriptor(rt, &d);
}

NATIVE(object_get_own_property_descriptors) {
  Value ov = js_to_object(rt, ARG(0));
  if (val_is_exception(ov)) return ov;
  Object *res = obj_new(rt, js_realm(rt)->intrinsics[JS_INTR_ObjectPrototype], OBJ_CLASS_Object, 4);
  if (!res) return VAL_EXCEPTION;
  Value resv = obj_value(res);
  uint32_t count;
  GCValueArray *keys = obj_own_keys(rt, val_to_object(ov), OBJ_KEYS_ALL, &count);
  if (!keys) return VAL_EXCEPTION;
  Value keys_v = val_from_ptr(keys);
  for (uint32_t i = 0; i < count; i++) {
    Atom k = ((GCValueArray *)val_to_ptr(keys_v))->v[i];
    if (sym_is_symbol(k) && sym_is_private(k)) continue;
    PropertyDescriptor d;
    ObjResult r = obj_get_own_property(rt, val_to_object(ov), k, &d);
    if (r == OBJ_ERROR) return VAL_EXCEPTION;
    if (r != OBJ_TRUE) continue;
    Value dv = from_property_descriptor(rt, &d);
    if (val_is_exception(dv) || !js_create_data_property(rt, res, k, dv)) return VAL_EXCEPTION;
  }
  return resv;
}

NATIVE(object_get_prototype_of) {
  Value ov = js_to_object(rt, ARG(0));
  if (val_is_exception(ov)) return ov;
  return obj_proto(val_to_object(ov));
}

/* %Object.prototype% is an immutable prototype exotic object: its
 * [[SetPrototypeOf]] only accepts its current prototype. */
static ObjResult set_prototype_of(Runtime *rt, Object *o, Value proto) {
  for (JsRealm *r = js_rt(rt)->realms; r; r = r->next_realm)
    if (obj_value(o) == r->intrinsics[JS_INTR_ObjectPrototype])
      return proto == obj_proto(o) ? OBJ_TRUE : OBJ_FALSE;
  return obj_set_prototype_of(rt, o, proto);
}

NATIVE(object_set_prototype_of) {
  if (val_is_nullish(ARG(0)))
    return js_throw(rt, ERR_TypeError, "Object.setPrototypeOf called on null or undefined");
  Value proto = ARG(1);
  if (!val_is_object(proto) && !val_is_null(proto))
    return js_throw(rt, ERR_TypeError, "Object prototype may only be an Object or null");
  if (!val_is_object(ARG(0))) return ARG(0);
  ObjResult r = set_prototype_of(rt, val_to_object(ARG(0)), proto);
  if (r == OBJ_ERROR) return VAL_EXCEPTION;
  if (r != OBJ_TRUE)
    return js_throw(rt, ERR_TypeError, "Cyclic __proto__ value or object is not extensible");
  return ARG(0);
}

/* freeze (0), seal (1), preventExtensions (2). */
NATIVE(object_integrity) {
  if (!val_is_object(ARG(0))) return ARG(0);
  Object *o = val_to_object(ARG(0));
  ObjResult r = magic == 0 ? obj_freeze(rt, o) : magic == 1 ? obj_seal(rt, o)
                                                            : obj_prevent_extensions(rt, o);
  if (r == OBJ_ERROR) return VAL_EXCEPTION;
  if (r != OBJ_TRUE) return js_throw(rt, ERR_TypeError, "Cannot change the object's integrity");
  return ARG(0);
}

/* isFrozen (0), isSealed (1), isExtensible (2). */
NATIVE(object_test_integrity) {
  if (!val_is_object(ARG(0))) return val_from_bool(magic != 2);
  Object *o = val_to_object(ARG(0));
  if (magic == 0) return val_from_bool(obj_is_frozen(rt, o));
  if (magic == 1) return val_from_bool(obj_is_sealed(rt, o));
  return val_from_bool(obj_is_extensible(o));
}

NATIVE(object_is) {
  return val_from_bool(js_same_value(rt, ARG(0), ARG(1)));
}

static Value has_own(Runtime *rt, Value obj, Value key) {
  Atom k = js_to_property_key(rt, key);
  if (val_is_exception(k)) return k;
  Value ov = js_to_object(rt, obj);
  if (val_is_exception(ov)) return ov;
  PropertyDescriptor d;
  ObjResult r = obj_get_own_property(rt, val_to_object(ov), k, &d);
  if (r == OBJ_ERROR) return VAL_EXCEPTION;
  return val_from_bool(r == OBJ_TRUE);
}

NATIVE(object_has_own) {
  Value ov = js_to_object(rt, ARG(0));
  if (val_is_exception(ov)) return ov;
  return has_own(rt, ov, ARG(1));
}

NATIVE(object_from_entries) {
  if (val_is_nullish(ARG(0))) return js_throw(rt, ERR_TypeError, "not iterable");
  Object *o = obj_new(rt, js_realm(rt)->intrinsics[JS_INTR_ObjectPrototype], OBJ_CLASS_Object, 4);
  if (!o) return VAL_EXCEPTION;
  Value ov = obj_value(o);
  Value iter, next;
  if (!js_get_iterator(rt, ARG(0), &iter, &next)) return VAL_EXCEPTION;
  for (;;) {
    bool done;
    Value entry;
    if (!js_iterator_step(rt, iter, next, &done, &entry)) return VAL_EXCEPTION;
    if (done) return ov;
    if (!val_is_object(entry)) {
      js_throw(rt, ERR_TypeError, "Iterator value is not an entry object");
      js_iterator_close(rt, iter);
      return VAL_EXCEPTION;
    }
    Value k = js_get_v(rt, entry, val_from_int(0));
    Value v = val_is_exception(k) ? k : js_get_v(rt, entry, val_from_int(1));
    Atom key = val_is_exception(v) ? v : js_to_property_key(rt, k);
    if (val_is_exception(key) || !js_create_data_property(rt, o, key, v)) {
      js_iterator_close(rt, iter);
      return VAL_EXCEPTION;
    }
  }
}

/* Object.groupBy(items, callback): a null-prototype object of arrays. */
NATIVE(object_group_by) {
  Value items = ARG(0), cb = ARG(1);
  if (val_is_nullish(items)) return js_throw(rt, ERR_TypeError, "Object.groupBy called on null or undefined");
  if (!js_is_callable(cb)) return js_throw(rt, ERR_TypeError, "Object.groupBy: callback is not a function");
  Object *groups = obj_new(rt, VAL_NULL, OBJ_CLASS_Object, 4);
  if (!groups) return VAL_EXCEPTION;
  Value gv = obj_value(groups);
  Value iter, next;
  if (!js_get_iterator(rt, items, &iter, &next)) return VAL_EXCEPTION;
  for (double k = 0;; k++) {
    bool done;
    Value v;
    if (!js_iterator_step(rt, iter, next, &done, &v)) return VAL_EXCEPTION;
    if (done) return gv;
    Value args[2] = {v, bi_number(k)};
    Value key = js_call(rt, cb, VAL_UNDEFINED, 2, args);
    if (!val_is_exception(key)) key = js_to_property_key(rt, key);
    if (val_is_exception(key)) {
      js_iterator_close(rt, iter);
      return VAL_EXCEPTION;
    }
    Value list = js_get(rt, gv, key);
    if (val_is_undefined(list)) {
      list = js_array_new(rt, 0, NULL);
      if (val_is_exception(list) || !js_create_data_property(rt, groups, key, list))
        return VAL_EXCEPTION;
    }
    if (val_is_exception(list) || !js_array_push(rt, val_to_object(list), v)) return VAL_EXCEPTION;
  }
}

/* --- Object.prototype -------------------------------------------------------------------- */

NATIVE(proto_has_own_property) {
  return has_own(rt, this_val, ARG(0));
}

NATIVE(proto_is_prototype_of) {
  if (!val_is_object(ARG(0))) return VAL_FALSE;
  Value ov = js_to_object(rt, this_val);
  if (val_is_exception(ov)) return ov;
  for (Value p = obj_proto(val_to_object(ARG(0))); val_is_object(p); p = obj_proto(val_to_object(p)))
    if (p == ov) return VAL_TRUE;
  return VAL_FALSE;
}

NATIVE(proto_property_is_enumerable) {
  Atom k = js_to_property_key(rt, ARG(0));
  if (val_is_exception(k)) return k;
  Value ov = js_to_object(rt, this_val);
  if (val_is_exception(ov)) return ov;
  PropertyDescriptor d;
  ObjResult r = obj_get_own_property(rt, val_to_object(ov), k, &d);
  if (r == OBJ_ERROR) return VAL_EXCEPTION;
  return val_from_bool(r == OBJ_TRUE && (d.attrs & PROP_ENUMERABLE));
}

NATIVE(proto_to_string) {
  if (val_is_undefined(this_val)) return str_from_cstr(rt, "[object Undefined]");
  if (val_is_null(this_val)) return str_from_cstr(rt, "[object Null]");
  Value ov = js_to_object(rt, this_val);
  if (val_is_exception(ov)) return ov;
  const char *builtin = "Object";
  switch (obj_class(val_to_object(ov))) {
  case OBJ_CLASS_Array: builtin = "Array"; break;
  case OBJ_CLASS_Arguments:
  case OBJ_CLASS_MappedArguments: builtin = "Arguments"; break;
  case OBJ_CLASS_Function:
  case OBJ_CLASS_BoundFunction: builtin = "Function"; break;
  case OBJ_CLASS_Error: builtin = "Error"; break;
  case OBJ_CLASS_Boolean: builtin = "Boolean"; break;
  case OBJ_CLASS_Number: builtin = "Number"; break;
  case OBJ_CLASS_String: builtin = "String"; break;
  case OBJ_CLASS_Date: builtin = "Date"; break;
  case OBJ_CLASS_RegExp: builtin = "RegExp"; break;
  default: break;
  }
  /* Until String exotic objects exist, string wrappers are plain objects
   * holding the string in their internal field. */
  Object *o = val_to_object(ov);
  if (obj_class(o) == OBJ_CLASS_Object && obj_n_internal(o) == 1 &&
      str_is_string(obj_get_internal(o, 0)))
    builtin = "String";
  Value tag = js_get(rt, ov, sym_well_known(rt, SYM_toStringTag));
  if (val_is_exception(tag)) return tag;
  StrBuilder b;
  str_builder_init(&b, rt);
  bool ok = str_builder_append_cstr(&b, "[object ") &&
            (str_is_string(tag) ? str_builder_append_string(&b, tag)
                                : str_builder_append_cstr(&b, builtin)) &&
            str_builder_append_char(&b, ']');
  if (!ok) {
    str_builder_free(&b);
    return VAL_EXCEPTION;
  }
  return str_builder_finish(&b);
}

NATIVE(proto_to_locale_string) {
  return js_invoke(rt, this_val, atom_well_known(rt, ATOM_toString), 0, NULL);
}

NATIVE(proto_value_of) {
  return js_to_object(rt, this_val);
}

NATIVE(proto_get_proto) {
  Value ov = js_to_object(rt, this_val);
  if (val_is_exception(ov)) return ov;
  return obj_proto(val_to_object(ov));
}

NATIVE(proto_set_proto) {
  if (val_is_nullish(this_val))
    return js_throw(rt, ERR_TypeError, "Object.prototype.__proto__ called on null or undefined");
  Value proto = ARG(0);
  if ((!val_is_object(proto) && !val_is_null(proto)) || !val_is_object(this_val))
    return VAL_UNDEFINED;
  ObjResult r = set_prototype_of(rt, val_to_object(this_val), proto);
  if (r == OBJ_ERROR) return VAL_EXCEPTION;
  if (r != OBJ_TRUE)
    return js_throw(rt, ERR_TypeError, "Cyclic __proto__ value or object is not extensible");
  return VAL_UNDEFINED;
}

/* Annex B: __defineGetter__ (0), __defineSetter__ (1). */
NATIVE(proto_define_accessor) {
  Value ov = js_to_object(rt, this_val);
  if (val_is_exception(ov)) return ov;
  if (!js_is_callable(ARG(1)))
    return js_throw(rt, ERR_TypeError, "Object.prototype.__define%cetter__: expecting function",
                    magic ? 'S' : 'G');
  PropertyDescriptor d = {(uint8_t)((magic ? PD_SET : PD_GET) | PD_ENUMERABLE | PD_CONFIGURABLE),
                          PROP_ENUMERABLE | PROP_CONFIGURABLE, VAL_UNDEFINED,
                          magic ? VAL_UNDEFINED : ARG(1), magic ? ARG(1) : VAL_UNDEFINED};
  Atom key = js_to_property_key(rt, ARG(0));
  if (val_is_exception(key) || !define_property_or_throw(rt, val_to_object(ov), key, &d))
    return VAL_EXCEPTION;
  return VAL_UNDEFINED;
}

/* Annex B: __lookupGetter__ (0), __lookupSetter__ (1). */
NATIVE(proto_lookup_accessor) {
  Value ov = js_to_object(rt, this_val);
  if (val_is_exception(ov)) return ov;
  Atom key = js_to_property_key(rt, ARG(0));
  if (val_is_exception(key)) return key;
  for (Value o = ov; val_is_object(o); o = obj_proto(val_to_object(o))) {
    PropertyDescriptor d;
    ObjResult r = obj_get_own_property(rt, val_to_object(o), key, &d);
    if (r == OBJ_ERROR) return VAL_EXCEPTION;
    if (r == OBJ_TRUE) return pd_is_accessor(&d) ? (magic ? d.set : d.get) : VAL_UNDEFINED;
  }
  return VAL_UNDEFINED;
}

typedef struct MethodDef {
  const char *name;
  JsNativeFn fn;
  int length, magic;
} MethodDef;

static const MethodDef static_methods[] = {
    {"keys", object_keys, 1, 0},
    {"values", object_keys, 1, 1},
    {"entries", object_keys, 1, 2},
    {"assign", object_assign, 2, 0},
    {"create", object_create, 2, 0},
    {"defineProperty", object_define_property, 3, 0},
    {"defineProperties", object_define_properties, 2, 0},
    {"getOwnPropertyNames", object_own_names, 1, 0},
    {"getOwnPropertySymbols", object_own_names, 1, 1},
    {"getOwnPropertyDescriptor", object_get_own_property_descriptor, 2, 0},
    {"getOwnPropertyDescriptors", object_get_own_property_descriptors, 1, 0},
    {"getPrototypeOf", object_get_prototype_of, 1, 0},
    {"setPrototypeOf", object_set_prototype_of, 2, 0},
    {"freeze", object_integrity, 1, 0},
    {"seal", object_integrity, 1, 1},
    {"preventExtensions", object_integrity, 1, 2},
    {"isFrozen", object_test_integrity, 1, 0},
    {"isSealed", object_test_integrity, 1, 1},
    {"isExtensible", object_test_integrity, 1, 2},
    {"is", object_is, 2, 0},
    {"hasOwn", object_has_own, 2, 0},
    {"fromEntries", object_from_entries, 1, 0},
    {"groupBy", object_group_by, 2, 0},
};

static const MethodDef proto_methods[] = {
    {"hasOwnProperty", proto_has_own_property, 1, 0},
    {"isPrototypeOf", proto_is_prototype_of, 1, 0},
    {"propertyIsEnumerable", proto_property_is_enumerable, 1, 0},
    {"toString", proto_to_string, 0, 0},
    {"toLocaleString", proto_to_locale_string, 0, 0},
    {"valueOf", proto_value_of, 0, 0},
    {"__defineGetter__", proto_define_accessor, 2, 0},
    {"__defineSetter__", proto_define_accessor, 2, 1},
    {"__lookupGetter__", proto_lookup_accessor, 1, 0},
    {"__lookupSetter__", proto_lookup_accessor, 1, 1},
};

bool js_builtins_object(Runtime *rt, JsRealm *realm) {
  Value proto = realm->intrinsics[JS_INTR_ObjectPrototype];
  Value ctor = bi_ctor(rt, realm, "Object", object_ctor, 1, 0, proto);
  if (val_is_exception(ctor)) return false;
  realm->intrinsics[JS_INTR_Object] = ctor;
  for (size_t i = 0; i < sizeof static_methods / sizeof *static_methods; i++)
    if (!js_define_method(rt, ctor, static_methods[i].name, static_methods[i].fn,
                          static_methods[i].length, static_methods[i].magic))
      return false;
  for (size_t i = 0; i < sizeof proto_methods / sizeof *proto_methods; i++)
    if (!js_define_method(rt, proto, proto_methods[i].name, proto_methods[i].fn,
                          proto_methods[i].length, proto_methods[i].magic))
      return false;
  Value get = js_native_new(rt, realm, "get __proto__", proto_get_proto, 0, 0, 0);
  Value set = val_is_exception(get) ? get
                                    : js_native_new(rt, realm, "set __proto__", proto_set_proto, 1, 0, 0);
  if (val_is_exception(set) ||
      obj_define_accessor(rt, val_to_object(proto), atom_well_known(rt, ATOM_proto), get, set,
                          PROP_CONFIGURABLE) == OBJ_ERROR)
    return false;
  return bi_global(rt, realm, "Object", ctor);
}
