/* tandem.h: the embedding API of the tandem JavaScript + WebAssembly engine.
 * The only header an embedder includes. Every function is prefixed tandem_.
 * A runtime owns one garbage-collected heap; a context is a realm in it. */
#ifndef TANDEM_H
#define TANDEM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define TANDEM_API __attribute__((visibility("default")))
#else
#define TANDEM_API
#endif

typedef struct tandem_runtime tandem_runtime;
typedef struct tandem_context tandem_context;

typedef struct tandem_runtime_options {
  size_t max_heap_bytes;  /* 0: no limit */
  size_t max_stack_bytes; /* 0: the default native stack budget */
  unsigned gc_stress;     /* collect on every Nth allocation (testing); 0: off */
  int trace_gc;           /* print one line per collection on stderr */
} tandem_runtime_options;

/* "0.1.0" */
TANDEM_API const char *tandem_version(void);
/* The LLVM version of the JIT backend module, or NULL when the module cannot
 * be loaded. Loads the module (and libLLVM) on first call. */
TANDEM_API const char *tandem_llvm_version(void);

TANDEM_API tandem_runtime *tandem_runtime_new(const tandem_runtime_options *opts);
TANDEM_API void tandem_runtime_free(tandem_runtime *rt);

TANDEM_API tandem_context *tandem_context_new(tandem_runtime *rt);
/* Contexts must be freed before the runtime they belong to. */
TANDEM_API void tandem_context_free(tandem_context *ctx);

/* Evaluates a JavaScript script in the context. Returns 0 on success with
 * *result set to the completion value as text; 1 on an uncaught exception
 * with *result set to its description (its stack when it has one). *result
 * (if result is not NULL) is malloc'd UTF-8: free it with free(). */
TANDEM_API int tandem_eval(tandem_context *ctx, const char *source, size_t len,
                           const char *filename, char **result);

/* Forces a full garbage collection. */
TANDEM_API void tandem_gc(tandem_runtime *rt);

#ifdef __cplusplus
}
#endif
#endif
