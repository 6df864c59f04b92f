/* property.c: property access on any value ([[Get]], [[Set]], delete, in)
 * including primitives (through their wrapper prototypes), ToObject, arrays
 * and the iteration protocol. The object model (core/object.h) does the
 * ordinary work; this file calls getters and setters and reports errors. */
#include <stdio.h>
#include <string.h>

#include "js/vm.h"

Atom js_atom_from_index(Runtime *rt, uint32_t index) {
  char buf[16];
  int n = snprintf(buf, sizeof buf, "%u", index);
  return atom_from_utf8(rt, buf, (size_t)n);
}

static Value primitive_proto(Runtime *rt, Value v) {
  JsRealm *r = js_realm(rt);
  if (val_is_number(v)) return r->intrinsics[JS_INTR_NumberPrototype];
  if (val_is_bool(v)) return r->intrinsics[JS_INTR_BooleanPrototype];
  if (str_is_string(v)) return r->intrinsics[JS_INTR_StringPrototype];
  if (sym_is_symbol(v)) return r->intrinsics[JS_INTR_SymbolPrototype];
  return r->intrinsics[JS_INTR_BigIntPrototype];
}

Value js_to_object(Runtime *rt, Value v) {
  if (val_is_object(v)) return v;
  if (val_is_nullish(v))
    return js_throw(rt, ERR_TypeError, "Cannot convert undefined or null to object");
  ObjClass cls = val_is_number(v) ? OBJ_CLASS_Number
                 : val_is_bool(v) ? OBJ_CLASS_Boolean
                 : str_is_string(v) ? OBJ_CLASS_Object /* String exotic objects: not yet */
                 : sym_is_symbol(v) ? OBJ_CLASS_Symbol
                                    : OBJ_CLASS_BigInt;
  Object *o = obj_new_ex(rt, primitive_proto(rt, v), cls, 1, 2);
  if (!o) return VAL_EXCEPTION;
  obj_set_internal(rt, o, 0, v);
  if (str_is_string(v) &&
      obj_define_value(rt, o, atom_well_known(rt, ATOM_length), val_from_int((int32_t)str_length(v)),
                       0) == OBJ_ERROR)
    return VAL_EXCEPTION;
  return obj_value(o);
}

Value js_get_prototype_of(Runtime *rt, Value v) {
  if (val_is_object(v)) return obj_proto(val_to_object(v));
  return primitive_proto(rt, v);
}

static Value finish_get(Runtime *rt, ObjResult r, Value out, Value receiver) {
  switch (r) {
  case OBJ_TRUE: return out;
  case OBJ_FALSE: return VAL_UNDEFINED;
  case OBJ_CALL_ACCESSOR:
    return val_is_undefined(out) ? VAL_UNDEFINED : js_call(rt, out, receiver, 0, NULL);
  case OBJ_EXOTIC: return js_throw(rt, ERR_InternalError, "exotic objects are not supported yet");
  default: return VAL_EXCEPTION;
  }
}

Value js_get_with_receiver(Runtime *rt, Object *o, Atom key, Value receiver) {
  Value out = VAL_UNDEFINED;
  Object *exotic = NULL;
  uint32_t index;
  ObjResult r = atom_is_array_index(key, &index) ? obj_get_element(rt, o, index, &out, &exotic)
                                                  : obj_get(rt, o, key, &out, &exotic);
  return finish_get(rt, r, out, receiver);
}

static Value describe_key(Runtime *rt, Atom key, char *buf, size_t size) {
  if (str_is_string(key)) str_to_utf8_buf(rt, key, buf, size);
  else snprintf(buf, size, "Symbol()");
  return VAL_UNDEFINED;
}

Value js_get(Runtime *rt, Value obj, Atom key) {
  if (val_is_object(obj)) return js_get_with_receiver(rt, val_to_object(obj), key, obj);
  if (val_is_nullish(obj)) {
    char k[64];
    describe_key(rt, key, k, sizeof k);
    return js_throw(rt, ERR_TypeError, "Cannot read properties of %s (reading '%s')",
                    obj == VAL_NULL ? "null" : "undefined", k);
  }
  if (str_is_string(obj)) {
    uint32_t index;
    if (key == atom_well_known(rt, ATOM_length)) return val_from_int((int32_t)str_length(obj));
    if (atom_is_array_index(key, &index)) {
      if (index < str_length(obj)) {
        int32_t c = str_char_at(rt, obj, index);
        return c < 0 ? VAL_EXCEPTION : str_from_char(rt, (uint16_t)c);
      }
      return VAL_UNDEFINED;
    }
  }
  return js_get_with_receiver(rt, val_to_object(primitive_proto(rt, obj)), key, obj);
}

Value js_get_v(Runtime *rt, Value obj, Value key) {
  if (val_is_int(key) && val_to_int(key) >= 0) {
    uint32_t index = (uint32_t)val_to_int(key);
    if (val_is_object(obj)) {
      Value out;
      Object *o = val_to_object(obj);
      if (obj_get_own_dense(o, index, &out) == OBJ_TRUE) return out;
      Object *exotic = NULL;
      ObjResult r = obj_get_element(rt, o, index, &out, &exotic);
      return finish_get(rt, r, out, obj);
    }
    if (str_is_string(obj) && index < str_length(obj)) {
      int32_t c = str_char_at(rt, obj, index);
      return c < 0 ? VAL_EXCEPTION : str_from_char(rt, (uint16_t)c);
    }
  }
  if (val_is_nullish(obj)) {
    /* The key is evaluated first (and its ToPropertyKey may throw) only for
     * objects; for nullish bases the spec throws before converting. */
    return js_throw(rt, ERR_TypeError, "Cannot read properties of %s",
                    obj == VAL_NULL ? "null" : "undefined");
  }
  Atom k = js_to_property_key(rt, key);
  if (val_is_exception(k)) return k;
  return js_get(rt, obj, k);
}

static bool set_failed(Runtime *rt, Atom key, bool strict, const char *why) {
  if (!strict) return true;
  char k[64];
  describe_key(rt, key, k, sizeof k);
  js_throw(rt, ERR_TypeError, "Cannot assign to %s property '%s'", why, k);
  return false;
}

bool js_set_with_receiver(Runtime *rt, Object *o, Atom key, Value v, Value receiver, bool strict) {
  Value fn = VAL_UNDEFINED;
  Object *exotic = NULL;
  uint32_t index;
  ObjResult r = atom_is_array_index(key, &index)
                    ? obj_set_element(rt, o, index, v, receiver, &fn, &exotic)
                    : obj_set(rt, o, key, v, receiver, &fn, &exotic);
  switch (r) {
  case OBJ_TRUE: return true;
  case OBJ_FALSE: return set_failed(rt, key, strict, "read only");
  case OBJ_CALL_ACCESSOR:
    if (val_is_undefined(fn)) return set_failed(rt, key, strict, "getter-only");
    return !val_is_exception(js_call(rt, fn, receiver, 1, &v));
  case OBJ_EXOTIC: js_throw(rt, ERR_InternalError, "exotic objects are not supported yet"); return false;
  default: return false;
  }
}

bool js_set(Runtime *rt, Value obj, Atom key, Value v, bool strict) {
  if (val_is_object(obj)) return js_set_with_receiver(rt, val_to_object(obj), key, v, obj, strict);
  if (val_is_nullish(obj)) {
    char k[64];
    describe_key(rt, key, k, sizeof k);
    js_throw(rt, ERR_TypeError, "Cannot set properties of %s (setting '%s')",
             obj == VAL_NULL ? "null" : "undefined", k);
    return false;
  }
  /* A primitive receiver: only a setter on the prototype chain can act. */
  PropertyLookup l;
  obj_lookup(rt, val_to_object(primitive_proto(rt, obj)), key, &l);
  if (l.result == OBJ_CALL_ACCESSOR && !val_is_undefined(l.set))
    return !val_is_exception(js_call(rt, l.set, obj, 1, &v));
  return set_failed(rt, key, strict, "a primitive's");
}

bool js_set_v(Runtime *rt, Value obj, Value key, Value v, bool strict) {
  if (val_is_int(key) && val_to_int(key) >= 0 && val_is_object(obj)) {
    Object *o = val_to_object(obj);
    uint32_t index = (uint32_t)val_to_int(key);
    /* Dense in-bounds store into an ordinary extensible object. */
    if (!(o->h.flags & (OBJ_F_SPARSE | OBJ_F_ELEMS_FROZEN)) && index < o->elem_count &&
        o->elements->v[index] != VAL_HOLE && !obj_class_is_exotic(obj_class(o))) {
      GC_WRITE_BARRIER(rt->heap, o->elements, v);
      o->elements->v[index] = v;
      return true;
    }
    Value fn = VAL_UNDEFINED;
    Object *exotic = NULL;
    ObjResult r = obj_set_element(rt, o, index, v, obj, &fn, &exotic);
    if (r == OBJ_TRUE) return true;
    if (r == OBJ_ERROR) return false;
    Atom k = js_atom_from_index(rt, index);
    if (val_is_exception(k)) return false;
    return js_set_with_receiver(rt, o, k, v, obj, strict);
  }
  Atom k = js_to_property_key(rt, key);
  if (val_is_exception(k)) return false;
  return js_set(rt, obj, k, v, strict);
}

bool js_has_property(Runtime *rt, Object *o, Atom key, bool *out) {
  Object *exotic = NULL;
  ObjResult r = obj_has_property(rt, o, key, &exotic);
  if (r == OBJ_EXOTIC) {
    js_throw(rt, ERR_InternalError, "exotic objects are not supported yet");
    return false;
  }
  if (r == OBJ_ERROR) return false;
  *out = r == OBJ_TRUE;
  return true;
}

bool js_delete(Runtime *rt, Value obj, Value key, bool strict, bool *out) {
  Value o = js_to_object(rt, obj);
  if (val_is_exception(o)) return false;
  Atom k = js_to_property_key(rt, key);
  if (val_is_exception(k)) return false;
  uint32_t index;
  ObjResult r = atom_is_array_index(k, &index) ? obj_delete_element(rt, val_to_object(o), index)
                                                : obj_delete(rt, val_to_object(o), k);
  if (r == OBJ_ERROR) return false;
  if (r == OBJ_FALSE && strict) {
    char kb[64];
    describe_key(rt, k, kb, sizeof kb);
    js_throw(rt, ERR_TypeError, "Cannot delete property '%s'", kb);
    return false;
  }
  *out = r == OBJ_TRUE;
  return true;
}

bool js_create_data_property(Runtime *rt, Object *o, Atom key, Value v) {
  ObjResult r = obj_define_value(rt, o, key, v, PROP_DEFAULT);
  if (r == OBJ_TRUE) return true;
  if (r == OBJ_FALSE) {
    char k[64];
    describe_key(rt, key, k, sizeof k);
    js_throw(rt, ERR_TypeError, "Cannot define property '%s'", k);
  }
  return false;
}

/* --- arrays ------------------------------------------------------------------------------ */

Value js_array_new(Runtime *rt, uint32_t count, const Value *values) {
  Object *a = obj_new_array(rt, js_realm(rt)->intrinsics[JS_INTR_ArrayPrototype], 0);
  if (!a) return VAL_EXCEPTION;
  Value av = obj_value(a);
  for (uint32_t i = 0; i < count; i++)
    if (!js_array_push(rt, a, values[i])) return VAL_EXCEPTION;
  return av;
}

bool js_array_push(Runtime *rt, Object *arr, Value v) {
  Value fn = VAL_UNDEFINED;
  Object *exotic = NULL;
  ObjResult r = obj_set_element(rt, arr, arr->length, v, obj_value(arr), &fn, &exotic);
  if (r == OBJ_TRUE) return true;
  if (r == OBJ_ERROR) return false;
  js_throw(rt, ERR_TypeError, "Cannot add property %u, object is not extensible", arr->length);
  return false;
}

/* --- iteration ------------------------------------------------------------------------------ */

bool js_get_iterator(Runtime *rt, Value obj, Value *iter, Value *next) {
  Value method = js_get(rt, obj, sym_well_known(rt, SYM_iterator));
  if (val_is_exception(method)) return false;
  if (!js_is_callable(method)) {
    js_throw(rt, ERR_TypeError, "object is not iterable");
    return false;
  }
  Value it = js_call(rt, method, obj, 0, NULL);
  if (val_is_exception(it)) return false;
  if (!val_is_object(it)) {
    js_throw(rt, ERR_TypeError, "Result of the Symbol.iterator method is not an object");
    return false;
  }
  Value n = js_get(rt, it, atom_well_known(rt, ATOM_next));
  if (val_is_exception(n)) return false;
  *iter = it;
  *next = n;
  return true;
}

bool js_iterator_step(Runtime *rt, Value iter, Value next, bool *done, Value *value) {
  Value r = js_call(rt, next, iter, 0, NULL);
  if (val_is_exception(r)) return false;
  if (!val_is_object(r)) {
    js_throw(rt, ERR_TypeError, "Iterator result is not an object");
    return false;
  }
  Value d = js_get(rt, r, atom_well_known(rt, ATOM_done));
  if (val_is_exception(d)) return false;
  *done = js_to_boolean(d);
  if (*done) {
    *value = VAL_UNDEFINED;
    return true;
  }
  *value = js_get(rt, r, atom_well_known(rt, ATOM_value));
  return !val_is_exception(*value);
}

void js_iterator_close(Runtime *rt, Value iter) {
  /* Runs return() but keeps an exception already pending (a throw completion
   * wins over anything return() does). */
  bool pending = rt_has_exception(rt);
  Value saved = pending ? rt_take_exception(rt) : VAL_UNDEFINED;
  ErrorKind kind = rt_exception_kind(rt);
  char msg[sizeof rt->exception_message];
  memcpy(msg, rt->exception_message, sizeof msg);
  Value ret = js_get(rt, iter, atom_from_cstr(rt, "return"));
  if (!val_is_exception(ret) && !val_is_nullish(ret)) {
    Value r = js_call(rt, ret, iter, 0, NULL);
    if (!pending && !val_is_exception(r) && !val_is_object(r))
      js_throw(rt, ERR_TypeError, "iterator return() result is not an object");
  }
  if (pending) {
    rt_clear_exception(rt);
    rt_throw_value(rt, saved);
    rt->exception_kind = kind;
    memcpy(rt->exception_message, msg, sizeof msg);
  }
}
