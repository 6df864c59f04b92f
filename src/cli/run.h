/* run.h: what the shell does with a file once the options are parsed. Each
 * language has its own entry (run_js.c, run_wasm.c). */
#ifndef TANDEM_CLI_RUN_H
#define TANDEM_CLI_RUN_H

#include <stddef.h>

#include "cli/options.h"

/* Reads a whole file; NULL with errno set on failure. The buffer has a NUL
 * after the last byte. */
unsigned char *cli_read_file(const char *path, size_t *len);

int cli_run_js(const CliOptions *opts, const char *name, const char *source, size_t len);
int cli_run_wasm(const CliOptions *opts, const char *name, const unsigned char *bytes, size_t len);

#endif
