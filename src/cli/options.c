/* options.c: parsing the shell's command line (flags from options.h). Both
 * "--flag VALUE" and "--flag=VALUE" are accepted; the first non-flag argument
 * is the file to run and everything after it belongs to the program. */
#include "cli/options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct FlagSpec {
  const char *flag;
  const char *arg;
  const char *help;
  size_t offset;
} FlagSpec;

static const FlagSpec flags[] = {
#define CLI_SPEC(field, flag, arg, help) {flag, arg, help, offsetof(CliOptions, field)},
    CLI_FLAG_LIST(CLI_SPEC)
#undef CLI_SPEC
};

void cli_print_help(void) {
  printf("Usage: tandem [options] [file.js | file.mjs | file.wasm] [arguments...]\n"
         "       tandem [options] -e CODE\n\n"
         "Runs JavaScript and WebAssembly in one engine. A file named - is read from\n"
         "standard input. (The REPL is not built yet: a file or -e is required.)\n\nOptions:\n");
  for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
    char left[64];
    if (flags[i].arg)
      snprintf(left, sizeof left, "%s %s", flags[i].flag, flags[i].arg);
    else
      snprintf(left, sizeof left, "%s", flags[i].flag);
    printf("  %-32s %s\n", left, flags[i].help);
  }
  printf("\nEnvironment:\n  %-32s %s\n", "TANDEM_JIT_MODULE",
         "path of libtandem_jit.so, the LLVM backend module");
}

bool cli_parse_size(const char *text, size_t *out) {
  char *end;
  errno = 0;
  unsigned long long n = strtoull(text, &end, 10);
  if (end == text || errno || text[0] == '-') return false;
  unsigned long long mul = 1;
  switch (*end) {
  case 'k': case 'K': mul = 1ULL << 10; end++; break;
  case 'm': case 'M': mul = 1ULL << 20; end++; break;
  case 'g': case 'G': mul = 1ULL << 30; end++; break;
  default: break;
  }
  if (*end == 'B' || *end == 'b') end++;
  if (*end != '\0' || n > (~0ULL) / mul) return false;
  *out = (size_t)(n * mul);
  return true;
}

static bool usage_error(const char *fmt, const char *what) {
  fprintf(stderr, "tandem: ");
  fprintf(stderr, fmt, what);
  fprintf(stderr, " (see tandem --help)\n");
  return false;
}

static bool check_values(CliOptions *o) {
  if (o->max_heap && !cli_parse_size(o->max_heap, &o->max_heap_bytes))
    return usage_error("invalid --max-heap size '%s'", o->max_heap);
  if (o->stack_size && !cli_parse_size(o->stack_size, &o->stack_bytes))
    return usage_error("invalid --stack-size '%s'", o->stack_size);
  if (o->gc_stress) {
    size_t n;
    if (!cli_parse_size(o->gc_stress, &n) || n == 0 || n > 0xffffffffu)
      return usage_error("invalid --gc-stress count '%s'", o->gc_stress);
    o->gc_stress_every = (unsigned)n;
  }
  if (o->wasm_tier && strcmp(o->wasm_tier, "interp") && strcmp(o->wasm_tier, "jit") &&
      strcmp(o->wasm_tier, "tiered"))
    return usage_error("invalid --wasm-tier '%s' (expected interp, jit or tiered)", o->wasm_tier);
  return true;
}

bool cli_parse_options(int argc, char **argv, CliOptions *o) {
  memset(o, 0, sizeof *o);
  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] != '-' || strcmp(a, "-") == 0) break;
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    const char *eq = strchr(a, '=');
    size_t name_len = eq ? (size_t)(eq - a) : strlen(a);
    const FlagSpec *spec = NULL;
    for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++) {
      if (strlen(flags[k].flag) == name_len && strncmp(flags[k].flag, a, name_len) == 0) {
        spec = &flags[k];
        break;
      }
    }
    if (!spec) return usage_error("unknown option '%s'", a);
    const char **slot = (const char **)((char *)o + spec->offset);
    if (spec->arg) {
      if (eq) {
        *slot = eq + 1;
      } else if (i + 1 < argc) {
        *slot = argv[++i];
      } else {
        return usage_error("option '%s' needs an argument", spec->flag);
      }
    } else {
      if (eq) return usage_error("option '%s' takes no argument", spec->flag);
      *slot = "";
    }
  }
  if (i < argc) {
    o->file = argv[i];
    o->file_args = argv + i + 1;
    o->file_argc = argc - i - 1;
  }
  return check_values(o);
}
