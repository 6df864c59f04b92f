/* symbol.c: the Symbol function (callable, not a constructor), Symbol.for/
 * keyFor, the well-known symbols, Symbol.prototype; also a placeholder
 * %BigInt.prototype% until BigInt arrives. */
#include "js/builtins/builtins.h"

#define NATIVE(name)                                                                               \
  static Value name(Runtime *rt, Value func, Value this_val, int argc, const Value *argv,         \
                    Value new_target, int magic)
#define UNUSED (void)func, (void)argc, (void)new_target, (void)magic

NATIVE(symbol_fn) {
  if (!val_is_undefined(new_target)) return js_throw(rt, ERR_TypeError, "Symbol is not a constructor");
  Value desc = VAL_UNDEFINED;
  if (!val_is_undefined(ARG(0))) {
    desc = js_to_string(rt, ARG(0));
    if (val_is_exception(desc)) return desc;
  }
  return sym_new(rt, desc);
}

NATIVE(symbol_for) {
  UNUSED, (void)this_val;
  Value key = js_to_string(rt, ARG(0));
  if (val_is_exception(key)) return key;
  return sym_for(rt, key);
}

NATIVE(symbol_key_for) {
  UNUSED, (void)this_val;
  if (!sym_is_symbol(ARG(0))) return js_throw(rt, ERR_TypeError, "Symbol.keyFor: not a symbol");
  return sym_key_for(rt, ARG(0));
}

static bool this_symbol(Runtime *rt, Value v, Value *out) {
  if (sym_is_symbol(v)) {
    *out = v;
    return true;
  }
  if (val_is_object(v) && obj_class(val_to_object(v)) == OBJ_CLASS_Symbol) {
    *out = obj_get_internal(val_to_object(v), 0);
    return true;
  }
  js_throw(rt, ERR_TypeError, "Symbol.prototype method called on incompatible receiver");
  return false;
}

/* toString (0), valueOf (1), description getter (2), [Symbol.toPrimitive] (1). */
NATIVE(symbol_proto) {
  Value s;
  if (!this_symbol(rt, this_val, &s)) return VAL_EXCEPTION;
  if (magic == 1) return s;
  Value d = sym_description(s);
  if (magic == 2) return d;
  StrBuilder b;
  str_builder_init(&b, rt);
  if (!str_builder_append_cstr(&b, "Symbol(") ||
      (str_is_string(d) && !str_builder_append_string(&b, d)) || !str_builder_append_char(&b, ')')) {
    str_builder_free(&b);
    return VAL_EXCEPTION;
  }
  return str_builder_finish(&b);
}

bool js_builtins_symbol(Runtime *rt, JsRealm *realm) {
  Object *sp = obj_new(rt, realm->intrinsics[JS_INTR_ObjectPrototype], OBJ_CLASS_Object, 4);
  if (!sp) return false;
  Value spv = obj_value(sp);
  realm->intrinsics[JS_INTR_SymbolPrototype] = spv;
  Value ctor = js_native_new(rt, realm, "Symbol", symbol_fn, 0, 0, JS_NATIVE_CTOR);
  if (val_is_exception(ctor) ||
      obj_define_value(rt, val_to_object(ctor), atom_well_known(rt, ATOM_prototype), spv, 0) ==
          OBJ_ERROR ||
      obj_define_value(rt, sp, atom_well_known(rt, ATOM_constructor), ctor, BI_ATTR_METHOD) ==
          OBJ_ERROR)
    return false;
  static const char *const names[] = {
#define SYM_NAME(n) #n,
      SYM_WELL_KNOWN_LIST(SYM_NAME)
#undef SYM_NAME
  };
  for (int i = 0; i < SYM_WELL_KNOWN_COUNT; i++)
    if (!js_define_value(rt, ctor, names[i], sym_well_known(rt, (SymWellKnown)i), 0)) return false;
  if (!js_define_method(rt, ctor, "for", symbol_for, 1, 0) ||
      !js_define_method(rt, ctor, "keyFor", symbol_key_for, 1, 0) ||
      !js_define_method(rt, spv, "toString", symbol_proto, 0, 0) ||
      !js_define_method(rt, spv, "valueOf", symbol_proto, 0, 1) ||
      !js_define_getter(rt, spv, atom_from_cstr(rt, "description"), symbol_proto, 2) ||
      !bi_to_string_tag(rt, spv, "Symbol"))
    return false;
  Value prim = js_native_new(rt, realm, "[Symbol.toPrimitive]", symbol_proto, 1, 1, 0);
  if (val_is_exception(prim) ||
      obj_define_value(rt, sp, sym_well_known(rt, SYM_toPrimitive), prim, PROP_CONFIGURABLE) ==
          OBJ_ERROR)
    return false;
  Object *bigp = obj_new(rt, realm->intrinsics[JS_INTR_ObjectPrototype], OBJ_CLASS_Object, 2);
  if (!bigp) return false;
  realm->intrinsics[JS_INTR_BigIntPrototype] = obj_value(bigp);
  if (!bi_to_string_tag(rt, obj_value(bigp), "BigInt")) return false;
  return bi_global(rt, realm, "Symbol", ctor);
}
