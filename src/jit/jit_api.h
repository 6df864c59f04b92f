/* jit_api.h: the interface between libtandem and the LLVM backend module
 * (libtandem_jit.so). The engine loads the module with dlopen on first use and
 * calls it only through this table, so nothing of LLVM is linked at startup. */
#ifndef TANDEM_JIT_API_H
#define TANDEM_JIT_API_H

#include <stdint.h>

#define JIT_API_VERSION 1
#define JIT_ENTRY_SYMBOL "tandem_jit_entry"

typedef struct JitApi {
  uint32_t api_version;
  /* "19.1.7": the LLVM the module links. */
  const char *(*llvm_version)(void);
} JitApi;

typedef const JitApi *(*JitEntryFn)(void);

/* Engine side (src/core/jit_loader.c): loads the module once; NULL if absent,
 * with the reason from jit_load_error(). */
const JitApi *jit_load(void);
const char *jit_load_error(void);

#endif
