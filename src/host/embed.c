/* embed.c: the public embedding API (include/tandem.h) over the runtime. */
#include <stdlib.h>

#include "core/runtime.h"
#include "jit/jit_api.h"
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
  return c;
}

void tandem_context_free(tandem_context *c) { free(c); }

void tandem_gc(tandem_runtime *t) { gc_collect(t->rt->heap); }
