/* main.c: the `tandem` command. Parses flags, then runs a .js/.mjs script or
 * a .wasm module (by extension, or by the Wasm magic number). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/options.h"
#include "cli/run.h"
#include "tandem.h"

unsigned char *cli_read_file(const char *path, size_t *len) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  unsigned char *buf = malloc(cap + 1);
  for (;;) {
    if (!buf) break;
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break;
    unsigned char *bigger = realloc(buf, cap * 2 + 1);
    if (!bigger) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = bigger;
    cap *= 2;
  }
  int failed = ferror(f);
  int saved = errno;
  if (f != stdin) fclose(f);
  if (!buf || failed) {
    free(buf);
    errno = failed ? saved : ENOMEM;
    return NULL;
  }
  buf[n] = '\0';
  *len = n;
  return buf;
}

static int print_version(void) {
  printf("tandem %s\n", tandem_version());
  const char *llvm = tandem_llvm_version();
  if (llvm)
    printf("LLVM %s (JIT backend module)\n", llvm);
  else
    printf("LLVM %s (JIT backend module not found)\n", TANDEM_LLVM_VERSION);
  return CLI_EXIT_OK;
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

int main(int argc, char **argv) {
  CliOptions opts;
  if (!cli_parse_options(argc, argv, &opts)) return CLI_EXIT_USAGE;
  if (opts.help) {
    cli_print_help();
    return CLI_EXIT_OK;
  }
  if (opts.version) return print_version();
  if (opts.eval) return cli_run_js(&opts, "<eval>", opts.eval, strlen(opts.eval));
  if (!opts.file) {
    fprintf(stderr, "tandem: no file given (see tandem --help)\n");
    return CLI_EXIT_USAGE;
  }

  size_t len;
  unsigned char *data = cli_read_file(opts.file, &len);
  if (!data) {
    fprintf(stderr, "tandem: cannot open '%s': %s\n", opts.file, strerror(errno));
    return CLI_EXIT_ERROR;
  }
  int status;
  int is_wasm = ends_with(opts.file, ".wasm") || (len >= 4 && memcmp(data, "\0asm", 4) == 0);
  if (is_wasm)
    status = cli_run_wasm(&opts, opts.file, data, len);
  else
    status = cli_run_js(&opts, opts.file, (const char *)data, len);
  free(data);
  return status;
}
