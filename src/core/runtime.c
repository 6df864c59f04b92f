/* runtime.c: creating and destroying runtimes, and the native stack budget
 * that guards every recursive path of the engine. */
#define _GNU_SOURCE
#include "core/runtime.h"

#include "core/atom.h"

#include <pthread.h>
#include <stdlib.h>

#include "core/object.h"

/* Leave this much of the thread's stack for C library calls, signal handlers
 * and the error path itself. */
#define STACK_RESERVE (256 * 1024)

static void thread_stack_bounds(uintptr_t *low, uintptr_t *high) {
  pthread_attr_t attr;
  void *addr = NULL;
  size_t size = 0;
  *low = *high = 0;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
      *low = (uintptr_t)addr;
      *high = (uintptr_t)addr + size;
    }
    pthread_attr_destroy(&attr);
  }
}

void rt_set_stack_size(Runtime *rt, size_t bytes) {
  uintptr_t here = (uintptr_t)__builtin_frame_address(0);
  uintptr_t low, high;
  thread_stack_bounds(&low, &high);
  uintptr_t limit = bytes < here ? here - bytes : 0;
  if (low != 0 && limit < low + STACK_RESERVE) limit = low + STACK_RESERVE;
  rt->stack_limit = limit;
}

Runtime *rt_new(const RuntimeOptions *opts) {
  RuntimeOptions defaults = {0};
  if (!opts) opts = &defaults;
  Runtime *rt = calloc(1, sizeof *rt);
  if (!rt) return NULL;
  HeapOptions ho = {
      .max_heap_bytes = opts->max_heap_bytes,
      .stress_every = opts->gc_stress,
      .trace = opts->trace_gc,
  };
  rt->heap = gc_heap_new(&ho);
  if (!rt->heap) {
    free(rt);
    return NULL;
  }
  rt->exception = VAL_UNDEFINED;
  gc_add_root(rt->heap, &rt->exception);
  rt->oom_error = VAL_UNDEFINED;
  gc_add_root(rt->heap, &rt->oom_error);
  rt_set_stack_size(rt, opts->max_stack_bytes ? opts->max_stack_bytes : SIZE_MAX / 2);
  object_init_gc_kinds();
  if (!atom_table_init(rt)) {
    gc_heap_free(rt->heap);
    free(rt);
    return NULL;
  }
  return rt;
}

void rt_free(Runtime *rt) {
  if (!rt) return;
  if (rt->free_js) rt->free_js(rt);
  if (rt->free_wasm) rt->free_wasm(rt);
  atom_table_free(rt);
  gc_heap_free(rt->heap);
  obj_runtime_free(rt); /* after the heap: shape finalizers ran */
  free(rt);
}

bool rt_check_stack(Runtime *rt) {
  if (!rt_stack_exhausted(rt)) return false;
  rt_throw_stack_overflow(rt);
  return true;
}
