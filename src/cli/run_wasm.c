/* run_wasm.c: running a WebAssembly module from the shell. */
#include <stdio.h>

#include "cli/run.h"

int cli_run_wasm(const CliOptions *opts, const char *name, const unsigned char *bytes, size_t len) {
  (void)opts, (void)bytes, (void)len;
  fprintf(stderr, "tandem: %s: the WebAssembly pipeline is not built yet (issue 9)\n", name);
  return CLI_EXIT_ERROR;
}
