/* function.c: function objects and calls. Bytecode closures and native (C)
 * functions are both objects of class Function; FN_CODE tells them apart
 * (a JsFunctionCode cell, or a small BYTES cell describing the C function).
 * js_call / js_construct are the one entry for [[Call]] and [[Construct]]. */
#include <alloca.h>
#include <stdio.h>
#include <string.h>

#include "js/vm.h"

/* What a native function object's FN_CODE points to. */
typedef struct JsNativeInfo {
  GCHeader h; /* GC_KIND_BYTES */
  JsNativeFn fn;
  int32_t magic;
  uint16_t length;
  uint16_t flags;
} JsNativeInfo;

static bool define_name_length(Runtime *rt, Object *f, Value name, int length) {
  if (obj_define_value(rt, f, atom_well_known(rt, ATOM_length), val_from_int(length),
                       PROP_CONFIGURABLE) == OBJ_ERROR)
    return false;
  return obj_define_value(rt, f, atom_well_known(rt, ATOM_name), name, PROP_CONFIGURABLE) !=
         OBJ_ERROR;
}

Value js_native_new(Runtime *rt, JsRealm *realm, const char *name, JsNativeFn fn, int length,
                    int magic, unsigned flags) {
  Object *f = obj_new_ex(rt, realm->intrinsics[JS_INTR_FunctionPrototype], OBJ_CLASS_Function,
                         FN_INTERNAL_COUNT, 3);
  if (!f) return VAL_EXCEPTION;
  Value fv = obj_value(f);
  for (int i = 0; i < FN_INTERNAL_COUNT; i++) obj_set_internal(rt, f, (uint32_t)i, VAL_UNDEFINED);
  JsNativeInfo *info = gc_alloc(rt->heap, GC_KIND_BYTES, sizeof *info);
  if (!info) return rt_throw_out_of_memory(rt);
  info->fn = fn;
  info->magic = magic;
  info->length = (uint16_t)length;
  info->flags = (uint16_t)flags;
  obj_set_internal(rt, f, FN_CODE, val_from_ptr(info));
  Value n = atom_from_cstr(rt, name ? name : "");
  if (val_is_exception(n) || !define_name_length(rt, f, n, length)) return VAL_EXCEPTION;
  return fv;
}

bool js_define_value(Runtime *rt, Value obj, const char *name, Value v, uint8_t attrs) {
  Atom key = atom_from_cstr(rt, name);
  if (val_is_exception(key)) return false;
  return obj_define_value(rt, val_to_object(obj), key, v, attrs) != OBJ_ERROR;
}

bool js_define_method(Runtime *rt, Value obj, const char *name, JsNativeFn fn, int length,
                      int magic) {
  Value f = js_native_new(rt, js_realm(rt), name, fn, length, magic, 0);
  if (val_is_exception(f)) return false;
  return js_define_value(rt, obj, name, f, PROP_WRITABLE | PROP_CONFIGURABLE);
}

bool js_define_getter(Runtime *rt, Value obj, Atom key, JsNativeFn fn, int magic) {
  char name[64] = "get ";
  if (str_is_string(key)) str_to_utf8_buf(rt, key, name + 4, sizeof name - 4);
  Value f = js_native_new(rt, js_realm(rt), name, fn, 0, magic, 0);
  if (val_is_exception(f)) return false;
  return obj_define_accessor(rt, val_to_object(obj), key, f, VAL_UNDEFINED, PROP_CONFIGURABLE) !=
         OBJ_ERROR;
}

Value js_closure_new(Runtime *rt, JsRealm *realm, JsFunctionCode *code, JsEnv *env) {
  Object *f = obj_new_ex(rt, realm->intrinsics[JS_INTR_FunctionPrototype], OBJ_CLASS_Function,
                         FN_INTERNAL_COUNT, 3);
  if (!f) return VAL_EXCEPTION;
  Value fv = obj_value(f);
  obj_set_internal(rt, f, FN_CODE, val_from_ptr(code));
  obj_set_internal(rt, f, FN_ENV, env ? val_from_ptr(env) : VAL_UNDEFINED);
  for (int i = FN_HOME; i < FN_INTERNAL_COUNT; i++) obj_set_internal(rt, f, (uint32_t)i, VAL_UNDEFINED);
  if (!define_name_length(rt, f, code->name, code->nparams)) return VAL_EXCEPTION;
  /* Ordinary functions and generators get a prototype object; arrows,
   * methods and async functions do not. */
  bool plain_ctor = (code->flags & FC_CTOR) && !(code->flags & FC_CLASS_CTOR);
  if (plain_ctor || (code->flags & FC_GENERATOR)) {
    Object *proto = obj_new(rt, realm->intrinsics[JS_INTR_ObjectPrototype], OBJ_CLASS_Object, 4);
    if (!proto) return VAL_EXCEPTION;
    if (plain_ctor &&
        obj_define_value(rt, proto, atom_well_known(rt, ATOM_constructor), fv,
                         PROP_WRITABLE | PROP_CONFIGURABLE) == OBJ_ERROR)
      return VAL_EXCEPTION;
    if (obj_define_value(rt, f, atom_well_known(rt, ATOM_prototype), obj_value(proto),
                         PROP_WRITABLE) == OBJ_ERROR)
      return VAL_EXCEPTION;
  }
  return fv;
}

static JsFunctionCode *bytecode_of(Object *f) {
  Value c = obj_get_internal(f, FN_CODE);
  if (!val_is_ptr(c) || ((GCHeader *)val_to_ptr(c))->kind != GC_KIND_FUNCTION_CODE) return NULL;
  return (JsFunctionCode *)val_to_ptr(c);
}

static JsNativeInfo *native_of(Object *f) {
  Value c = obj_get_internal(f, FN_CODE);
  if (!val_is_ptr(c) || ((GCHeader *)val_to_ptr(c))->kind != GC_KIND_BYTES) return NULL;
  return (JsNativeInfo *)val_to_ptr(c);
}

bool js_is_callable(Value v) {
  if (!val_is_object(v)) return false;
  ObjClass c = obj_class(val_to_object(v));
  return c == OBJ_CLASS_Function || c == OBJ_CLASS_BoundFunction;
}

bool js_is_constructor(Value v) {
  if (!js_is_callable(v)) return false;
  Object *f = val_to_object(v);
  if (obj_class(f) == OBJ_CLASS_BoundFunction) return js_is_constructor(obj_get_internal(f, FN_CODE));
  JsFunctionCode *code = bytecode_of(f);
  if (code) return (code->flags & FC_CTOR) != 0;
  JsNativeInfo *n = native_of(f);
  return n && (n->flags & JS_NATIVE_CTOR);
}

static Value function_name_for_error(Runtime *rt, Value v, char *buf, size_t size) {
  buf[0] = '\0';
  if (val_is_object(v)) {
    snprintf(buf, size, "object");
  } else {
    Value s = js_typeof(rt, v);
    if (!val_is_exception(s)) str_to_utf8_buf(rt, s, buf, size);
  }
  return VAL_UNDEFINED;
}

static Value call_native(Runtime *rt, Object *f, JsNativeInfo *n, Value this_val, int argc,
                         const Value *argv, Value new_target) {
  JsRuntime *jr = js_rt(rt);
  JsFrame frame = {.prev = jr->top, .func = f, .this_val = this_val, .new_target = new_target,
                   .argv = argv, .argc = (uint32_t)argc, .realm = jr->current};
  /* Pad to the declared length so natives can read their parameters freely. */
  Value padded[8];
  if (argc < n->length && n->length <= 8) {
    for (int i = 0; i < 8; i++) padded[i] = i < argc ? argv[i] : VAL_UNDEFINED;
    argv = padded;
  } else if (argc < n->length) {
    Value *heap_args = alloca(sizeof(Value) * n->length);
    for (int i = 0; i < n->length; i++) heap_args[i] = i < argc ? argv[i] : VAL_UNDEFINED;
    argv = heap_args;
  }
  jr->top = &frame;
  Value r = n->fn(rt, obj_value(f), this_val, argc, argv, new_target, n->magic);
  jr->top = frame.prev;
  return r;
}

/* A bound function (FN_CODE: target, FN_ENV: bound this, FN_HOME: array of
 * bound arguments) calls its target with the bound arguments first. */
static uint32_t bound_argc(Object *f) { return val_to_object(obj_get_internal(f, FN_HOME))->elem_count; }

static void bound_args(Object *f, int argc, const Value *argv, Value *out) {
  Object *bound = val_to_object(obj_get_internal(f, FN_HOME));
  uint32_t nb = bound->elem_count;
  for (uint32_t i = 0; i < nb; i++) out[i] = bound->elements->v[i];
  for (int i = 0; i < argc; i++) out[nb + (uint32_t)i] = argv[i];
}

Value js_call(Runtime *rt, Value func, Value this_val, int argc, const Value *argv) {
  if (!js_is_callable(func)) {
    char t[32];
    function_name_for_error(rt, func, t, sizeof t);
    return js_throw(rt, ERR_TypeError, "%s is not a function", t);
  }
  if (rt_check_stack(rt)) return VAL_EXCEPTION;
  Object *f = val_to_object(func);
  if (obj_class(f) == OBJ_CLASS_BoundFunction) {
    uint32_t nb = bound_argc(f);
    Value *all = alloca(sizeof(Value) * (nb + (uint32_t)argc + 1));
    bound_args(f, argc, argv, all);
    return js_call(rt, obj_get_internal(f, FN_CODE), obj_get_internal(f, FN_ENV),
                   (int)nb + argc, all);
  }
  JsFunctionCode *code = bytecode_of(f);
  if (!code) return call_native(rt, f, native_of(f), this_val, argc, argv, VAL_UNDEFINED);
  if (code->flags & FC_CLASS_CTOR)
    return js_throw(rt, ERR_TypeError, "Class constructor cannot be invoked without 'new'");
  Value new_target = VAL_UNDEFINED;
  if (code->flags & FC_ARROW) {
    this_val = obj_get_internal(f, FN_THIS);
    new_target = obj_get_internal(f, FN_NEWTGT);
  } else if (!(code->flags & FC_STRICT)) {
    if (val_is_nullish(this_val)) this_val = js_realm(rt)->global;
    else if (!val_is_object(this_val)) {
      this_val = js_to_object(rt, this_val);
      if (val_is_exception(this_val)) return this_val;
    }
  }
  Value env = obj_get_internal(f, FN_ENV);
  return js_interp_run(rt, f, code, val_is_ptr(env) ? (JsEnv *)val_to_ptr(env) : NULL, this_val,
                       argc, argv, new_target);
}

Value js_get_prototype_from_ctor(Runtime *rt, Value ctor, JsIntrinsic fallback) {
  Value proto = js_get(rt, ctor, atom_well_known(rt, ATOM_prototype));
  if (val_is_exception(proto)) return proto;
  return val_is_object(proto) ? proto : js_realm(rt)->intrinsics[fallback];
}

Value js_construct(Runtime *rt, Value func, int argc, const Value *argv, Value new_target) {
  if (!js_is_constructor(func)) return js_throw(rt, ERR_TypeError, "not a constructor");
  if (rt_check_stack(rt)) return VAL_EXCEPTION;
  if (val_is_undefined(new_target)) new_target = func;
  Object *f = val_to_object(func);
  if (obj_class(f) == OBJ_CLASS_BoundFunction) {
    uint32_t nb = bound_argc(f);
    Value *all = alloca(sizeof(Value) * (nb + (uint32_t)argc + 1));
    bound_args(f, argc, argv, all);
    Value target = obj_get_internal(f, FN_CODE);
    if (new_target == func) new_target = target;
    return js_construct(rt, target, (int)nb + argc, all, new_target);
  }
  JsFunctionCode *code = bytecode_of(f);
  if (!code) return call_native(rt, f, native_of(f), VAL_UNDEFINED, argc, argv, new_target);
  Value this_val = VAL_UNINITIALIZED;
  if (!(code->flags & FC_DERIVED)) {
    Value proto = js_get_prototype_from_ctor(rt, new_target, JS_INTR_ObjectPrototype);
    if (val_is_exception(proto)) return proto;
    Object *o = obj_new(rt, proto, OBJ_CLASS_Object, 8);
    if (!o) return VAL_EXCEPTION;
    this_val = obj_value(o);
  }
  Value env = obj_get_internal(f, FN_ENV);
  return js_interp_run(rt, f, code, val_is_ptr(env) ? (JsEnv *)val_to_ptr(env) : NULL, this_val,
                       argc, argv, new_target);
}

Value js_invoke(Runtime *rt, Value obj, Atom key, int argc, const Value *argv) {
  Value fn = js_get(rt, obj, key);
  if (val_is_exception(fn)) return fn;
  return js_call(rt, fn, obj, argc, argv);
}
