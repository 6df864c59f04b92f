/* embed.c: the public embedding API (include/tandem.h) over the runtime. */
#include <stdlib.h>
#include <string.h>

#include "core/runtime.h"
#include "jit/jit_api.h"
#include "js/js.h"
#include "js/vm.h"
#include "tandem.h"

struct tandem_runtime {
  Runtime *rt;
};

struct tandem_context {
  tandem_runtime *owner;
  Context ctx;
};

const char *tandem_version(void) { return TANDEM_VERSION; }

const char *tandem_llvm_version(void) {
  const JitApi *jit = jit_load();
  return jit ? jit->llvm_version() : NULL;
}

tandem_runtime *tandem_runtime_new(const tandem_runtime_options *opts) {
  RuntimeOptions ro = {0};
  if (opts) {
    ro.max_heap_bytes = opts->max_heap_bytes;
    ro.max_stack_bytes = opts->max_stack_bytes;
    ro.gc_stress = opts->gc_stress;
    ro.trace_gc = opts->trace_gc != 0;
  }
  tandem_runtime *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->rt = rt_new(&ro);
  if (!t->rt) {
    free(t);
    return NULL;
  }
  t->rt->embedder_data = t;
  return t;
}

void tandem_runtime_free(tandem_runtime *t) {
  if (!t) return;
  rt_free(t->rt);
  free(t);
}

tandem_context *tandem_context_new(tandem_runtime *t) {
  tandem_context *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->owner = t;
  c->ctx.rt = t->rt;
  c->ctx.global = VAL_UNDEFINED;
  c->ctx.embedder_data = c;
  if (!js_context_init(&c->ctx)) {
    rt_clear_exception(t->rt);
    free(c);
    return NULL;
  }
  return c;
}

void tandem_context_free(tandem_context *c) {
  if (!c) return;
  js_realm_free(c->ctx.js_realm);
  free(c);
}

static char *value_text(Runtime *rt, Value v) {
  Value s = js_to_string(rt, v);
  if (val_is_exception(s)) {
    rt_clear_exception(rt);
    return strdup("<value that cannot be converted to a string>");
  }
  return str_to_utf8(rt, s, NULL);
}

int tandem_eval(tandem_context *c, const char *source, size_t len, const char *filename,
                char **result) {
  Runtime *rt = c->ctx.rt;
  JsRealm *saved = js_rt(rt)->current;
  js_rt(rt)->current = c->ctx.js_realm;
  Value v = js_eval_script(rt, filename ? filename : "<eval>", source, len, 0);
  int status = 0;
  char *text = NULL;
  if (val_is_exception(v)) {
    Value exc = rt_take_exception(rt);
    status = 1;
    if (val_is_object(exc)) {
      Value stack = js_get(rt, exc, atom_well_known(rt, ATOM_stack));
      if (!val_is_exception(stack) && str_is_string(stack)) text = str_to_utf8(rt, stack, NULL);
      rt_clear_exception(rt);
    }
    if (!text) text = val_is_undefined(exc) ? strdup(rt->exception_message) : value_text(rt, exc);
  } else if (result) {
    text = value_text(rt, v);
  }
  js_rt(rt)->current = saved ? saved : c->ctx.js_realm;
  if (result) *result = text;
  else free(text);
  return status;
}

void tandem_gc(tandem_runtime *t) { gc_collect(t->rt->heap); }
