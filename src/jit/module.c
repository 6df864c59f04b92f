/* module.c: the entry point of libtandem_jit.so, the LLVM backend module that
 * the engine loads on first use (see jit_api.h and docs/jit.md). */
#include <llvm-c/Core.h>
#include <stdio.h>

#include "jit/jit_api.h"

static const char *module_llvm_version(void) {
  static char buf[32];
  unsigned major, minor, patch;
  LLVMGetVersion(&major, &minor, &patch);
  snprintf(buf, sizeof buf, "%u.%u.%u", major, minor, patch);
  return buf;
}

static const JitApi api = {
    .api_version = JIT_API_VERSION,
    .llvm_version = module_llvm_version,
};

__attribute__((visibility("default"))) const JitApi *tandem_jit_entry(void) { return &api; }
