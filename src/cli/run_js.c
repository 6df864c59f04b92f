/* run_js.c: running a JavaScript script or module from the shell. */
#include <stdio.h>

#include "cli/run.h"

int cli_run_js(const CliOptions *opts, const char *name, const char *source, size_t len) {
  (void)opts, (void)source, (void)len;
  fprintf(stderr, "tandem: %s: the JavaScript pipeline is not built yet (issues 4 and 5)\n", name);
  return CLI_EXIT_ERROR;
}
