/* runtime.h: a Runtime owns one heap and everything allocated in it; a
 * Context is a realm (global object and intrinsics) inside a runtime.
 * Runtimes are fully independent of each other. Subsystems keep their own
 * per-runtime state behind the opaque pointers below. */
#ifndef TANDEM_CORE_RUNTIME_H
#define TANDEM_CORE_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/value.h"
#include "gc/gc.h"

typedef struct AtomTable AtomTable;
typedef struct Context Context;

typedef struct RuntimeOptions {
  size_t max_heap_bytes;   /* 0: unlimited */
  size_t max_stack_bytes;  /* 0: default (most of the thread's stack) */
  unsigned gc_stress;      /* collect every Nth allocation */
  bool trace_gc;
} RuntimeOptions;

typedef struct Runtime {
  Heap *heap;
  /* Lowest stack address recursion may reach (the stack grows down). */
  uintptr_t stack_limit;
  AtomTable *atoms;

  /* Pending exception: a value once JS objects exist, else kind + message. */
  bool has_exception;
  Value exception;
  ErrorKind exception_kind;
  char exception_message[512];
  /* A preallocated error object thrown on out of memory (building one then
   * would need the memory that is missing); VAL_UNDEFINED until the JS layer
   * makes it. Rooted by the runtime. */
  Value oom_error;
  /* Installed by the JS layer: builds an error object (VAL_EXCEPTION if it cannot). */
  Value (*make_error)(Runtime *rt, ErrorKind kind, const char *message);

  /* Set from another thread or a signal handler to stop long-running code. */
  volatile int interrupt_requested;

  /* Per-subsystem state. */
  void *js;
  void *wasm;
  void *host;
  void *jit;
  /* Set by layers above core (JS, Wasm) to release their state in rt_free,
   * before the heap goes. */
  void (*free_js)(Runtime *rt);
  void (*free_wasm)(Runtime *rt);
  void *objects; /* core/shape.h ObjectRuntime: root shapes, transitions, proto epoch */
  void *embedder_data;
} Runtime;

struct Context {
  Runtime *rt;
  Value global;   /* the global object once the JS layer sets up the realm */
  void *js_realm; /* intrinsics and realm records of the JS layer */
  void *embedder_data;
};

Runtime *rt_new(const RuntimeOptions *opts);
void rt_free(Runtime *rt);

/* Sets the stack budget measured from the current stack position. */
void rt_set_stack_size(Runtime *rt, size_t bytes);

/* True when the current frame is past the stack limit. Every recursive path
 * (parser, compiler, interpreter, Wasm, JIT prologues) calls this once per
 * level and throws rt_throw_stack_overflow() when it says so. */
static inline bool rt_stack_exhausted(const Runtime *rt) {
  return (uintptr_t)__builtin_frame_address(0) < rt->stack_limit;
}

/* Convenience: checks and throws in one step. Returns true if exhausted. */
bool rt_check_stack(Runtime *rt);

#endif
