/* jit_loader.c: finds and loads the LLVM backend module (libtandem_jit.so)
 * on first use. It looks in $TANDEM_JIT_MODULE, then beside the running
 * executable, then beside libtandem itself, then on the loader's path. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jit/jit_api.h"

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static const JitApi *loaded;
static char load_error[512];

static void *open_beside(const char *file) {
  char path[PATH_MAX];
  const char *slash = strrchr(file, '/');
  if (!slash) return NULL;
  int n = snprintf(path, sizeof path, "%.*s/%s", (int)(slash - file), file, TANDEM_JIT_MODULE_NAME);
  if (n <= 0 || (size_t)n >= sizeof path) return NULL;
  return dlopen(path, RTLD_NOW | RTLD_LOCAL);
}

static void load(void) {
  void *handle = NULL;
  const char *env = getenv("TANDEM_JIT_MODULE");
  if (env && *env) handle = dlopen(env, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
      exe[n] = '\0';
      handle = open_beside(exe);
    }
  }
  if (!handle) {
    Dl_info info;
    if (dladdr((void *)&load, &info) && info.dli_fname) handle = open_beside(info.dli_fname);
  }
  if (!handle) handle = dlopen(TANDEM_JIT_MODULE_NAME, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    snprintf(load_error, sizeof load_error, "cannot load %s: %s", TANDEM_JIT_MODULE_NAME, dlerror());
    return;
  }
  JitEntryFn entry = (JitEntryFn)dlsym(handle, JIT_ENTRY_SYMBOL);
  const JitApi *api = entry ? entry() : NULL;
  if (!api || api->api_version != JIT_API_VERSION) {
    snprintf(load_error, sizeof load_error, "%s: missing or incompatible entry point",
             TANDEM_JIT_MODULE_NAME);
    dlclose(handle);
    return;
  }
  loaded = api;
}

const JitApi *jit_load(void) {
  pthread_once(&load_once, load);
  return loaded;
}

const char *jit_load_error(void) { return load_error; }
