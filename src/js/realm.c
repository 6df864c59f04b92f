/* realm.c: the JS layer's per-runtime state and realms. A realm is the
 * global object plus the intrinsic objects the built-ins install; realms are
 * GC roots for as long as their context lives. */
#include <stdlib.h>

#include "js/vm.h"

void js_install_error_factory(Runtime *rt);

static void trace_realms(Heap *heap, void *data) {
  JsRuntime *jr = data;
  for (JsRealm *r = jr->realms; r; r = r->next_realm) {
    gc_mark_value(heap, r->global);
    gc_mark_value(heap, r->global_lex);
    gc_mark_value(heap, r->templates);
    for (int i = 0; i < JS_INTR_COUNT; i++) gc_mark_value(heap, r->intrinsics[i]);
    for (int i = 0; i < ERR_COUNT; i++) {
      gc_mark_value(heap, r->error_protos[i]);
      gc_mark_value(heap, r->error_ctors[i]);
    }
  }
}

bool js_runtime_init(Runtime *rt) {
  if (rt->js) return true;
  js_init_gc_kinds();
  object_init_gc_kinds();
  JsRuntime *jr = calloc(1, sizeof *jr);
  if (!jr) return false;
  rt->js = jr;
  rt->free_js = js_runtime_free;
  gc_add_root_tracer(rt->heap, trace_realms, jr);
  js_install_error_factory(rt);
  return true;
}

void js_runtime_free(Runtime *rt) {
  JsRuntime *jr = rt->js;
  if (!jr) return;
  while (jr->realms) js_realm_free(jr->realms);
  gc_remove_root_tracer(rt->heap, trace_realms, jr);
  rt->make_error = NULL;
  free(jr);
  rt->js = NULL;
}

static Value function_prototype_call(Runtime *rt, Value func, Value this_val, int argc,
                                     const Value *argv, Value new_target, int magic) {
  return VAL_UNDEFINED; /* Function.prototype is itself a function returning undefined */
}

static bool init_fundamentals(Runtime *rt, JsRealm *r) {
  Object *op = obj_new(rt, VAL_NULL, OBJ_CLASS_Object, 8);
  if (!op) return false;
  r->intrinsics[JS_INTR_ObjectPrototype] = obj_value(op);
  /* Function.prototype: a native function whose prototype is Object.prototype.
   * js_native_new reads FunctionPrototype for the new function's prototype,
   * so make it Object.prototype for this one call. */
  r->intrinsics[JS_INTR_FunctionPrototype] = obj_value(op);
  Value fp = js_native_new(rt, r, "", function_prototype_call, 0, 0, 0);
  if (val_is_exception(fp)) return false;
  r->intrinsics[JS_INTR_FunctionPrototype] = fp;

  Object *global = obj_new(rt, obj_value(op), OBJ_CLASS_Global, 16);
  if (!global) return false;
  r->global = obj_value(global);
  Object *lex = obj_new(rt, VAL_NULL, OBJ_CLASS_Object, 4);
  if (!lex) return false;
  r->global_lex = obj_value(lex);
  Object *templates = obj_new(rt, VAL_NULL, OBJ_CLASS_Object, 0);
  if (!templates) return false;
  r->templates = obj_value(templates);

  Object *iter_proto = obj_new(rt, obj_value(op), OBJ_CLASS_Object, 4);
  if (!iter_proto) return false;
  r->intrinsics[JS_INTR_IteratorPrototype] = obj_value(iter_proto);
  return true;
}

JsRealm *js_realm_new(Context *ctx) {
  Runtime *rt = ctx->rt;
  if (!js_runtime_init(rt)) return NULL;
  JsRuntime *jr = js_rt(rt);
  JsRealm *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->ctx = ctx;
  r->global = r->global_lex = r->templates = VAL_UNDEFINED;
  for (int i = 0; i < JS_INTR_COUNT; i++) r->intrinsics[i] = VAL_UNDEFINED;
  for (int i = 0; i < ERR_COUNT; i++) r->error_protos[i] = r->error_ctors[i] = VAL_UNDEFINED;
  r->next_realm = jr->realms;
  jr->realms = r; /* rooted from here on */
  JsRealm *saved = jr->current;
  jr->current = r;
  bool ok = init_fundamentals(rt, r) && js_builtins_object(rt, r) && js_builtins_function(rt, r) &&
            js_builtins_error(rt, r) && js_builtins_array(rt, r) && js_builtins_string(rt, r) &&
            js_builtins_number(rt, r) && js_builtins_symbol(rt, r) && js_builtins_math(rt, r) &&
            js_builtins_global(rt, r);
  if (ok && !val_is_object(rt->oom_error)) {
    Value msg = str_from_cstr(rt, "out of memory");
    Value e = val_is_exception(msg) ? msg : js_error_new(rt, ERR_InternalError, msg);
    Value stack = str_from_cstr(rt, "InternalError: out of memory");
    ok = !val_is_exception(e) && !val_is_exception(stack) &&
         obj_define_value(rt, val_to_object(e), atom_well_known(rt, ATOM_stack), stack,
                          PROP_WRITABLE | PROP_CONFIGURABLE) != OBJ_ERROR;
    if (ok) rt->oom_error = e;
  }
  jr->current = saved ? saved : r;
  if (!ok) {
    js_realm_free(r);
    return NULL;
  }
  ctx->js_realm = r;
  ctx->global = r->global;
  return r;
}

void js_realm_free(JsRealm *realm) {
  if (!realm) return;
  Runtime *rt = realm->ctx->rt;
  JsRuntime *jr = js_rt(rt);
  for (JsRealm **p = &jr->realms; *p; p = &(*p)->next_realm) {
    if (*p == realm) {
      *p = realm->next_realm;
      break;
    }
  }
  if (jr->current == realm) jr->current = jr->realms;
  if (realm->ctx->js_realm == realm) {
    realm->ctx->js_realm = NULL;
    realm->ctx->global = VAL_UNDEFINED;
  }
  free(realm);
}

bool js_context_init(Context *ctx) { return js_realm_new(ctx) != NULL; }
