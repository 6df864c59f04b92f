/* builtins.h: small helpers shared by the built-in installers in this folder
 * (argument access, generic index get/set on array-likes, length, intrinsic
 * installation). Private to src/js/builtins. */
#ifndef TANDEM_JS_BUILTINS_H
#define TANDEM_JS_BUILTINS_H

#include <math.h>

#include "js/vm.h"

#define ARG(i) ((i) < argc ? argv[(i)] : VAL_UNDEFINED)
#define BI_ATTR_METHOD (PROP_WRITABLE | PROP_CONFIGURABLE)

static inline Value bi_number(double d) { return val_from_number(d); }

/* The property key Value of an index (int fast path; beyond int32 a double). */
static inline Value bi_index_key(uint64_t i) {
  return i <= INT32_MAX ? val_from_int((int32_t)i) : val_from_double((double)i);
}

static inline Atom bi_index_atom(Runtime *rt, uint64_t i) {
  if (i < 0xFFFFFFFFull) return js_atom_from_index(rt, (uint32_t)i);
  return js_to_property_key(rt, val_from_double((double)i));
}

/* The string of a String wrapper made by js_to_object while String exotic
 * objects do not exist yet (a plain object whose one internal field is the
 * string), else VAL_UNDEFINED. Lets generic methods index strings. */
static inline Value bi_wrapped_string(Value o) {
  if (!val_is_object(o)) return VAL_UNDEFINED;
  Object *obj = val_to_object(o);
  if (obj_class(obj) == OBJ_CLASS_Object && obj_n_internal(obj) == 1 &&
      str_is_string(obj_get_internal(obj, 0)))
    return obj_get_internal(obj, 0);
  return VAL_UNDEFINED;
}

static inline Value bi_get_index(Runtime *rt, Value o, uint64_t i) {
  Value s = bi_wrapped_string(o);
  if (!val_is_undefined(s) && i < str_length(s)) return js_get_v(rt, s, bi_index_key(i));
  return js_get_v(rt, o, bi_index_key(i));
}

static inline bool bi_set_index(Runtime *rt, Value o, uint64_t i, Value v) {
  return js_set_v(rt, o, bi_index_key(i), v, true);
}

static inline bool bi_has_index(Runtime *rt, Value o, uint64_t i, bool *out) {
  Object *obj = val_to_object(o);
  Value dummy, s = bi_wrapped_string(o);
  if (!val_is_undefined(s) && i < str_length(s)) {
    *out = true;
    return true;
  }
  if (i < UINT32_MAX && obj_get_own_dense(obj, (uint32_t)i, &dummy) == OBJ_TRUE) {
    *out = true;
    return true;
  }
  Atom k = bi_index_atom(rt, i);
  if (val_is_exception(k)) return false;
  return js_has_property(rt, obj, k, out);
}

static inline bool bi_delete_index(Runtime *rt, Value o, uint64_t i) {
  bool out;
  return js_delete(rt, o, bi_index_key(i), true, &out);
}

/* True when no object on o's prototype chain has elements (or is exotic):
 * then [[Set]] of an index on o is CreateDataProperty when o is extensible. */
static inline bool bi_chain_elementless(Object *o) {
  for (Value p = obj_proto(o); val_is_object(p); p = obj_proto(val_to_object(p))) {
    Object *q = val_to_object(p);
    if ((q->h.flags & (OBJ_F_SPARSE | OBJ_F_EXOTIC)) || q->elem_count > 0 ||
        obj_class_is_exotic(obj_class(q)))
      return false;
  }
  return true;
}

/* CreateDataPropertyOrThrow(o, i, v); appending to an ordinary array takes
 * the element path instead of making an index atom. */
static inline bool bi_create_index(Runtime *rt, Value o, uint64_t i, Value v) {
  Object *obj = val_to_object(o);
  if (obj_class(obj) == OBJ_CLASS_Array && i == obj->length && i < UINT32_MAX - 1 &&
      obj_is_extensible(obj) && !(obj->h.flags & (OBJ_F_SPARSE | OBJ_F_LENGTH_RO)) &&
      bi_chain_elementless(obj))
    return js_array_push(rt, obj, v);
  Atom k = bi_index_atom(rt, i);
  if (val_is_exception(k)) return false;
  return js_create_data_property(rt, val_to_object(o), k, v);
}

/* LengthOfArrayLike. */
static inline bool bi_length(Runtime *rt, Value o, uint64_t *out) {
  if (val_is_object(o) && obj_class(val_to_object(o)) == OBJ_CLASS_Array) {
    *out = val_to_object(o)->length;
    return true;
  }
  Value l = js_get(rt, o, atom_well_known(rt, ATOM_length));
  if (val_is_exception(l)) return false;
  return js_to_length(rt, l, out);
}

static inline bool bi_set_length(Runtime *rt, Value o, uint64_t len) {
  return js_set(rt, o, atom_well_known(rt, ATOM_length), bi_number((double)len), true);
}

/* Defines a global binding (writable, configurable, not enumerable). */
static inline bool bi_global(Runtime *rt, JsRealm *realm, const char *name, Value v) {
  return js_define_value(rt, realm->global, name, v, PROP_WRITABLE | PROP_CONFIGURABLE);
}

/* A constructor function with `prototype` (fixed) and prototype.constructor. */
static inline Value bi_ctor(Runtime *rt, JsRealm *realm, const char *name, JsNativeFn fn,
                            int length, int magic, Value proto) {
  Value c = js_native_new(rt, realm, name, fn, length, magic, JS_NATIVE_CTOR);
  if (val_is_exception(c)) return c;
  if (obj_define_value(rt, val_to_object(c), atom_well_known(rt, ATOM_prototype), proto, 0) ==
          OBJ_ERROR ||
      obj_define_value(rt, val_to_object(proto), atom_well_known(rt, ATOM_constructor), c,
                       BI_ATTR_METHOD) == OBJ_ERROR)
    return VAL_EXCEPTION;
  return c;
}

/* Defines a method keyed by a well-known symbol, named "[Symbol.x]" or `name`. */
static inline bool bi_define_symbol_method(Runtime *rt, Value obj, SymWellKnown sym,
                                           const char *name, JsNativeFn fn, int length,
                                           uint8_t attrs) {
  Value f = js_native_new(rt, js_realm(rt), name, fn, length, 0, 0);
  if (val_is_exception(f)) return false;
  return obj_define_value(rt, val_to_object(obj), sym_well_known(rt, sym), f, attrs) != OBJ_ERROR;
}

static inline bool bi_to_string_tag(Runtime *rt, Value obj, const char *tag) {
  Value s = atom_from_cstr(rt, tag);
  if (val_is_exception(s)) return false;
  return obj_define_value(rt, val_to_object(obj), sym_well_known(rt, SYM_toStringTag), s,
                          PROP_CONFIGURABLE) != OBJ_ERROR;
}

/* A fresh iterator result {value, done}. */
static inline Value bi_iter_result(Runtime *rt, Value v, bool done) {
  Object *o = obj_new(rt, js_realm(rt)->intrinsics[JS_INTR_ObjectPrototype], OBJ_CLASS_Object, 2);
  if (!o) return VAL_EXCEPTION;
  if (obj_define_value(rt, o, atom_well_known(rt, ATOM_value), v,
                       PROP_WRITABLE | PROP_ENUMERABLE | PROP_CONFIGURABLE) == OBJ_ERROR ||
      obj_define_value(rt, o, atom_well_known(rt, ATOM_done), val_from_bool(done),
                       PROP_WRITABLE | PROP_ENUMERABLE | PROP_CONFIGURABLE) == OBJ_ERROR)
    return VAL_EXCEPTION;
  return obj_value(o);
}

/* Relative index (ToIntegerOrInfinity then clamp against len), used by slice & co. */
static inline bool bi_relative_index(Runtime *rt, Value v, uint64_t len, uint64_t dflt,
                                     uint64_t *out) {
  if (val_is_undefined(v)) {
    *out = dflt;
    return true;
  }
  double d;
  if (!js_to_integer_or_infinity(rt, v, &d)) return false;
  if (d < 0) d = d + (double)len < 0 ? 0 : d + (double)len;
  else if (d > (double)len) d = (double)len;
  *out = (uint64_t)d;
  return true;
}

/* Installs JSON (json.c); called by js_builtins_global. */
bool js_builtins_json(Runtime *rt, JsRealm *realm);

#endif
