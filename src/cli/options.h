/* options.h: the flags of the `tandem` shell, defined once. The X-macro
 * generates the option parser and the --help text. */
#ifndef TANDEM_CLI_OPTIONS_H
#define TANDEM_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

/* X(field, flag, argument name or NULL, help) */
#define CLI_FLAG_LIST(X)                                                                           \
  X(help, "--help", NULL, "print this help and exit")                                              \
  X(version, "--version", NULL, "print the version of tandem and of the LLVM it uses")             \
  X(eval, "-e", "CODE", "run CODE as a script")                                                    \
  X(module, "--module", NULL, "treat the file as an ES module (default for .mjs)")                 \
  X(print_tokens, "--print-tokens", NULL, "print the lexer's tokens, one per line")                \
  X(print_ast, "--print-ast", NULL, "print the syntax tree")                                       \
  X(print_bytecode, "--print-bytecode", NULL, "print each function's bytecode")                    \
  X(invoke, "--invoke", "NAME", "call the Wasm export NAME with the numeric arguments")            \
  X(wasm_tier, "--wasm-tier", "interp|jit|tiered", "choose the Wasm execution tier")               \
  X(max_heap, "--max-heap", "SIZE", "heap limit, e.g. 512M or 2G (default: none)")                 \
  X(stack_size, "--stack-size", "SIZE", "native stack budget for JS and Wasm code")                \
  X(gc_stress, "--gc-stress", "N", "collect garbage on every Nth allocation (testing)")             \
  X(trace_gc, "--trace-gc", NULL, "print one line per garbage collection")                         \
  X(trace_ic, "--trace-ic", NULL, "print inline cache state changes")                              \
  X(trace_jit, "--trace-jit", NULL, "print what the JIT compiles and how long it takes")           \
  X(trace_event_loop, "--trace-event-loop", NULL, "print what the event loop does")

typedef struct CliOptions {
#define CLI_FIELD(field, flag, arg, help) const char *field;
  CLI_FLAG_LIST(CLI_FIELD)
#undef CLI_FIELD
  const char *file;  /* the script or module to run, NULL for none */
  char **file_args;  /* arguments after the file name */
  int file_argc;
  size_t max_heap_bytes;
  size_t stack_bytes;
  unsigned gc_stress_every;
} CliOptions;

/* Exit statuses, as other shells use them. */
enum { CLI_EXIT_OK = 0, CLI_EXIT_ERROR = 1, CLI_EXIT_USAGE = 2 };

/* Parses argv into opts. On a usage error prints one line to stderr and
 * returns false. */
bool cli_parse_options(int argc, char **argv, CliOptions *opts);
void cli_print_help(void);
/* "64M", "2G", "4096" -> bytes; false if malformed. */
bool cli_parse_size(const char *text, size_t *out);

#endif
