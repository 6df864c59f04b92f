/* wast_runner.c: runs one command file written by `wast2json --enable-all`
 * in-process against tandem's Wasm API and prints one result line per
 * command: "STATUS INDEX LINE [detail]" with STATUS pass, fail, skip or
 * mismatch (passed, but the error message differs from the script's). run.py drives it once
 * per .wast file and compares the results with known-failures.txt. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wast.h"

typedef struct Binding {
  char *name; /* "$M1" for named modules, the `register` name for registered ones */
  Value inst; /* the WasmInstance */
} Binding;

typedef struct Bindings {
  Binding *items;
  size_t count, cap;
} Bindings;

typedef struct Runner {
  Runtime *rt;
  Spectest *spectest;
  bool verbose;
  char *dir; /* folder of the JSON file: module files are relative to it */
  Value current;
  int current_line; /* line of the last module command, 0 for none */
  bool current_failed;
  Bindings named, registered;
  size_t index; /* of the command being run, in the file's order */
  size_t passed, failed, skipped, mismatched;
} Runner;

/* The runner keeps instances in malloc'ed tables the conservative stack scan
 * cannot see, so it reports them to the collector itself. */
static void trace_runner(Heap *heap, void *data) {
  Runner *r = data;
  gc_mark_value(heap, r->current);
  for (size_t i = 0; i < r->named.count; i++) gc_mark_value(heap, r->named.items[i].inst);
  for (size_t i = 0; i < r->registered.count; i++) gc_mark_value(heap, r->registered.items[i].inst);
}

static bool bind(Bindings *b, const char *name, Value inst) {
  for (size_t i = 0; i < b->count; i++) {
    if (strcmp(b->items[i].name, name) == 0) {
      b->items[i].inst = inst;
      return true;
    }
  }
  if (b->count == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 8;
    Binding *items = realloc(b->items, cap * sizeof *items);
    if (!items) return false;
    b->items = items;
    b->cap = cap;
  }
  char *copy = strdup(name);
  if (!copy) return false;
  b->items[b->count++] = (Binding){copy, inst};
  return true;
}

static Value lookup(const Bindings *b, const char *name) {
  for (size_t i = 0; i < b->count; i++)
    if (strcmp(b->items[i].name, name) == 0) return b->items[i].inst;
  return VAL_UNDEFINED;
}

static void free_bindings(Bindings *b) {
  for (size_t i = 0; i < b->count; i++) free(b->items[i].name);
  free(b->items);
}

/* --- reporting ---------------------------------------------------------------- */

static void report(Runner *r, const char *status, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report(Runner *r, const char *status, int line, const char *fmt, ...) {
  char msg[1024] = "";
  if (fmt) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
  }
  /* One result per line: newlines in engine messages would break that. */
  for (char *p = msg; *p; p++)
    if (*p == '\n' || *p == '\r') *p = ' ';
  if (strcmp(status, "pass") == 0)
    r->passed++;
  else if (strcmp(status, "fail") == 0)
    r->failed++;
  else if (strcmp(status, "skip") == 0)
    r->skipped++;
  else
    r->mismatched++;
  if (msg[0])
    printf("%s %zu %d %s\n", status, r->index, line, msg);
  else
    printf("%s %zu %d\n", status, r->index, line);
}

/* Takes the pending error as "Kind: message" and clears it. */
static void take_error(Runner *r, char *buf, size_t size) {
  if (!rt_has_exception(r->rt)) {
    snprintf(buf, size, "(failed without a pending error)");
    return;
  }
  snprintf(buf, size, "%s: %s", error_kind_name(rt_exception_kind(r->rt)),
           rt_exception_message(r->rt));
  rt_clear_exception(r->rt);
}

/* --- modules -------------------------------------------------------------------- */

static unsigned char *read_module_file(Runner *r, const char *filename, size_t *len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", r->dir, filename);
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  unsigned char *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break;
    unsigned char *bigger = realloc(buf, cap * 2);
    if (!bigger) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = bigger;
    cap *= 2;
  }
  fclose(f);
  *len = n;
  return buf;
}

static bool resolve_import(void *data, const char *module, const char *name, WasmExtern *out) {
  Runner *r = data;
  if (strcmp(module, "spectest") == 0)
    return r->spectest && spectest_lookup(r->spectest, name, out);
  Value inst = lookup(&r->registered, module);
  if (val_is_undefined(inst)) return false;
  return wasm_instance_export(val_to_ptr(inst), name, out);
}

typedef enum LoadResult {
  LOAD_OK,
  LOAD_NO_FILE,
  LOAD_COMPILE_ERROR,
  LOAD_INSTANTIATE_ERROR
} LoadResult;

/* Compiles (and unless compile_only, instantiates) a module file. On an
 * error the exception stays pending for the caller to inspect. */
static LoadResult load_module(Runner *r, const char *filename, bool compile_only, Value *inst_out) {
  size_t len;
  unsigned char *bytes = filename ? read_module_file(r, filename, &len) : NULL;
  if (!bytes) return LOAD_NO_FILE;
  WasmModule *m = wasm_module_new(r->rt, bytes, len);
  free(bytes);
  if (!m) return LOAD_COMPILE_ERROR;
  if (compile_only) return LOAD_OK;
  /* m stays reachable through this frame (conservative stack scan) while
   * instantiation allocates. */
  WasmInstance *inst = wasm_instantiate(r->rt, m, resolve_import, r);
  if (!inst) return LOAD_INSTANTIATE_ERROR;
  *inst_out = val_from_ptr(inst);
  return LOAD_OK;
}

static void cmd_module(Runner *r, const JsonNode *cmd, int line) {
  const char *filename = json_get_str(cmd, "filename");
  const char *name = json_get_str(cmd, "name");
  Value inst = VAL_UNDEFINED;
  r->current = VAL_UNDEFINED;
  r->current_line = line;
  LoadResult res = load_module(r, filename, false, &inst);
  if (res != LOAD_OK) {
    char err[600];
    r->current_failed = true;
    if (res == LOAD_NO_FILE) {
      report(r, "fail", line, "cannot read module file %s", filename ? filename : "(none)");
      return;
    }
    take_error(r, err, sizeof err);
    report(r, "fail", line, "module %s: %s",
           res == LOAD_COMPILE_ERROR ? "does not compile" : "does not instantiate", err);
    return;
  }
  r->current_failed = false;
  r->current = inst;
  if (name && !bind(&r->named, name, inst)) {
    report(r, "fail", line, "out of memory");
    return;
  }
  report(r, "pass", line, NULL);
}

static void cmd_register(Runner *r, const JsonNode *cmd, int line) {
  const char *as = json_get_str(cmd, "as");
  const char *name = json_get_str(cmd, "name");
  Value inst = name ? lookup(&r->named, name) : r->current;
  if (!as) {
    report(r, "fail", line, "register without a name");
  } else if (val_is_undefined(inst)) {
    report(r, "fail", line, "no module to register (module at line %d failed)", r->current_line);
  } else if (!bind(&r->registered, as, inst)) {
    report(r, "fail", line, "out of memory");
  } else {
    report(r, "pass", line, NULL);
  }
}

/* Expects compilation to fail with a CompileError (assert_invalid,
 * assert_malformed). */
static void cmd_assert_compile_error(Runner *r, const JsonNode *cmd, int line) {
  const char *module_type = json_get_str(cmd, "module_type");
  const char *text = json_get_str(cmd, "text");
  if (module_type && strcmp(module_type, "binary") != 0) {
    report(r, "skip", line, "text format");
    return;
  }
  Value unused = VAL_UNDEFINED;
  LoadResult res = load_module(r, json_get_str(cmd, "filename"), true, &unused);
  if (res == LOAD_NO_FILE) {
    report(r, "fail", line, "cannot read module file");
    return;
  }
  if (res == LOAD_OK) {
    report(r, "fail", line, "module compiled, expected CompileError \"%s\"", text ? text : "");
    return;
  }
  ErrorKind kind = rt_exception_kind(r->rt);
  char err[600];
  take_error(r, err, sizeof err);
  if (kind != ERR_CompileError)
    report(r, "fail", line, "expected CompileError \"%s\", got %s", text ? text : "", err);
  else if (!strstr(err, "at offset"))
    report(r, "fail", line, "CompileError without \"at offset\": %s", err);
  else if (text && !strstr(err, text))
    report(r, "mismatch", line, "expected \"%s\", got %s", text, err);
  else
    report(r, "pass", line, NULL);
}

/* Expects compilation to succeed and instantiation to fail with `want`
 * (assert_unlinkable: LinkError, assert_uninstantiable: RuntimeError). */
static void cmd_assert_instantiate_error(Runner *r, const JsonNode *cmd, int line, ErrorKind want) {
  const char *text = json_get_str(cmd, "text");
  Value inst = VAL_UNDEFINED;
  LoadResult res = load_module(r, json_get_str(cmd, "filename"), false, &inst);
  char err[600];
  switch (res) {
  case LOAD_NO_FILE: report(r, "fail", line, "cannot read module file"); return;
  case LOAD_OK:
    report(r, "fail", line, "module instantiated, expected %s \"%s\"", error_kind_name(want),
           text ? text : "");
    return;
  case LOAD_COMPILE_ERROR:
    take_error(r, err, sizeof err);
    report(r, "fail", line, "module does not compile: %s", err);
    return;
  case LOAD_INSTANTIATE_ERROR: break;
  }
  ErrorKind kind = rt_exception_kind(r->rt);
  take_error(r, err, sizeof err);
  if (kind != want)
    report(r, "fail", line, "expected %s \"%s\", got %s", error_kind_name(want), text ? text : "",
           err);
  else if (text && !strstr(err, text))
    report(r, "mismatch", line, "expected \"%s\", got %s", text, err);
  else
    report(r, "pass", line, NULL);
}

/* --- actions ------------------------------------------------------------------------ */

typedef enum ActionResult {
  ACTION_OK,
  ACTION_ERROR,   /* the engine raised an error; it is pending */
  ACTION_NOT_RUN, /* the runner could not set the action up; see msg */
} ActionResult;

typedef struct Outcome {
  WasmVal *results;
  uint32_t nresults;
  char msg[600];
} Outcome;

static ActionResult run_action(Runner *r, const JsonNode *action, Outcome *out) {
  out->results = NULL;
  out->nresults = 0;
  out->msg[0] = '\0';
  const char *type = json_get_str(action, "type");
  const char *module = json_get_str(action, "module");
  JsonNode *field_node = json_get(action, "field");
  Value inst = module ? lookup(&r->named, module) : r->current;
  if (val_is_undefined(inst)) {
    if (module)
      snprintf(out->msg, sizeof out->msg, "no module named %s", module);
    else
      snprintf(out->msg, sizeof out->msg, "no module (module at line %d failed)", r->current_line);
    return ACTION_NOT_RUN;
  }
  if (!type || !field_node || field_node->type != JSON_STRING) {
    snprintf(out->msg, sizeof out->msg, "malformed action");
    return ACTION_NOT_RUN;
  }
  const char *field = field_node->str;
  WasmExtern ext;
  if (!wasm_instance_export_n(val_to_ptr(inst), field, field_node->len, &ext)) {
    snprintf(out->msg, sizeof out->msg, "no export \"%s\"", field);
    return ACTION_NOT_RUN;
  }

  if (strcmp(type, "get") == 0) {
    if (ext.kind != WASM_EXTERN_GLOBAL) {
      snprintf(out->msg, sizeof out->msg, "export \"%s\" is not a global", field);
      return ACTION_NOT_RUN;
    }
    out->results = calloc(1, sizeof *out->results);
    if (!out->results) {
      snprintf(out->msg, sizeof out->msg, "out of memory");
      return ACTION_NOT_RUN;
    }
    if (!wasm_global_get(ext.obj, &out->results[0])) return ACTION_ERROR;
    out->nresults = 1;
    return ACTION_OK;
  }
  if (strcmp(type, "invoke") != 0) {
    snprintf(out->msg, sizeof out->msg, "unknown action type %s", type);
    return ACTION_NOT_RUN;
  }
  if (ext.kind != WASM_EXTERN_FUNC) {
    snprintf(out->msg, sizeof out->msg, "export \"%s\" is not a function", field);
    return ACTION_NOT_RUN;
  }
  const uint8_t *params, *results;
  uint32_t nparams, nresults;
  if (!wasm_func_type(ext.obj, &params, &nparams, &results, &nresults)) {
    snprintf(out->msg, sizeof out->msg, "wasm_func_type failed for \"%s\"", field);
    return ACTION_NOT_RUN;
  }
  JsonNode *args = json_get(action, "args");
  size_t nargs = args && args->type == JSON_ARRAY ? args->count : 0;
  if (nargs != nparams) {
    snprintf(out->msg, sizeof out->msg, "\"%s\" takes %u arguments, the script passes %zu", field,
             nparams, nargs);
    return ACTION_NOT_RUN;
  }
  WasmVal *argv = calloc(nargs + 1, sizeof *argv);
  out->results = calloc(nresults + 1, sizeof *out->results);
  if (!argv || !out->results) {
    free(argv);
    snprintf(out->msg, sizeof out->msg, "out of memory");
    return ACTION_NOT_RUN;
  }
  for (size_t i = 0; i < nargs; i++) {
    if (!wast_parse_value(args->items[i], &argv[i], out->msg, sizeof out->msg)) {
      free(argv);
      return ACTION_NOT_RUN;
    }
    if (argv[i].type != params[i]) {
      snprintf(out->msg, sizeof out->msg, "argument %zu has type 0x%02x, \"%s\" wants 0x%02x", i,
               argv[i].type, field, params[i]);
      free(argv);
      return ACTION_NOT_RUN;
    }
  }
  bool ok = wasm_call(r->rt, ext.obj, argv, nargs, out->results, nresults);
  free(argv);
  if (!ok) return ACTION_ERROR;
  out->nresults = nresults;
  /* Results carry their types from the signature, whatever the engine wrote. */
  for (uint32_t i = 0; i < nresults; i++) out->results[i].type = results[i];
  return ACTION_OK;
}

static void format_results(const Outcome *o, char *buf, size_t size) {
  size_t n = (size_t)snprintf(buf, size, "(");
  for (uint32_t i = 0; i < o->nresults && n < size; i++) {
    char one[160];
    wast_format_value(&o->results[i], one, sizeof one);
    n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", one);
  }
  if (n < size) snprintf(buf + n, size - n, ")");
}

static void format_expected_list(const JsonNode *list, char *buf, size_t size) {
  size_t n = (size_t)snprintf(buf, size, "(");
  for (size_t i = 0; list && i < list->count && n < size; i++) {
    char one[400];
    wast_format_expected(list->items[i], one, sizeof one);
    n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", one);
  }
  if (n < size) snprintf(buf + n, size - n, ")");
}

static bool results_match(const JsonNode *expected, const Outcome *o) {
  if (!expected || expected->type != JSON_ARRAY || expected->count != o->nresults) return false;
  for (size_t i = 0; i < expected->count; i++)
    if (!wast_value_matches(expected->items[i], &o->results[i])) return false;
  return true;
}

/* `action` and assert_return. */
static void cmd_action(Runner *r, const JsonNode *cmd, int line, bool check) {
  Outcome o;
  ActionResult res = run_action(r, json_get(cmd, "action"), &o);
  if (res == ACTION_NOT_RUN) {
    report(r, "fail", line, "%s", o.msg);
  } else if (res == ACTION_ERROR) {
    char err[600];
    take_error(r, err, sizeof err);
    report(r, "fail", line, "unexpected error: %s", err);
  } else if (!check) {
    report(r, "pass", line, NULL);
  } else {
    JsonNode *expected = json_get(cmd, "expected");
    JsonNode *either = json_get(cmd, "either");
    bool ok = false;
    if (either && either->type == JSON_ARRAY) {
      /* Relaxed SIMD: the single result may be any one of the alternatives. */
      for (size_t i = 0; i < either->count && !ok; i++)
        ok = o.nresults == 1 && wast_value_matches(either->items[i], &o.results[0]);
      expected = either;
    } else {
      ok = results_match(expected, &o);
    }
    if (ok) {
      report(r, "pass", line, NULL);
    } else {
      char want[800], got[800];
      format_expected_list(expected, want, sizeof want);
      format_results(&o, got, sizeof got);
      report(r, "fail", line, "%s%s, got %s", either ? "one of " : "", want, got);
    }
  }
  free(o.results);
}

/* assert_trap (want RuntimeError) and assert_exhaustion (stack overflow,
 * which the engine raises as RangeError or as a RuntimeError). */
static void cmd_assert_trap(Runner *r, const JsonNode *cmd, int line, bool exhaustion) {
  const char *text = json_get_str(cmd, "text");
  Outcome o;
  ActionResult res = run_action(r, json_get(cmd, "action"), &o);
  free(o.results);
  if (res == ACTION_NOT_RUN) {
    report(r, "fail", line, "%s", o.msg);
    return;
  }
  if (res == ACTION_OK) {
    report(r, "fail", line, "returned normally, expected %s \"%s\"",
           exhaustion ? "stack exhaustion" : "trap", text ? text : "");
    return;
  }
  ErrorKind kind = rt_exception_kind(r->rt);
  char err[600];
  take_error(r, err, sizeof err);
  bool right_kind = kind == ERR_RuntimeError || (exhaustion && kind == ERR_RangeError);
  if (!right_kind)
    report(r, "fail", line, "expected %s \"%s\", got %s", exhaustion ? "stack exhaustion" : "trap",
           text ? text : "", err);
  else if (text && !strstr(err, text))
    report(r, "mismatch", line, "expected \"%s\", got %s", text, err);
  else
    report(r, "pass", line, NULL);
}

/* --- main ------------------------------------------------------------------------------ */

static void run_command(Runner *r, const JsonNode *cmd) {
  const char *type = json_get_str(cmd, "type");
  JsonNode *line_node = json_get(cmd, "line");
  int line = line_node && line_node->type == JSON_NUMBER ? (int)line_node->number : 0;
  if (!type) {
    report(r, "fail", line, "command without a type");
  } else if (strcmp(type, "module") == 0) {
    cmd_module(r, cmd, line);
  } else if (strcmp(type, "register") == 0) {
    cmd_register(r, cmd, line);
  } else if (strcmp(type, "action") == 0) {
    cmd_action(r, cmd, line, false);
  } else if (strcmp(type, "assert_return") == 0) {
    cmd_action(r, cmd, line, true);
  } else if (strcmp(type, "assert_trap") == 0) {
    cmd_assert_trap(r, cmd, line, false);
  } else if (strcmp(type, "assert_exhaustion") == 0) {
    cmd_assert_trap(r, cmd, line, true);
  } else if (strcmp(type, "assert_invalid") == 0 || strcmp(type, "assert_malformed") == 0) {
    cmd_assert_compile_error(r, cmd, line);
  } else if (strcmp(type, "assert_unlinkable") == 0) {
    cmd_assert_instantiate_error(r, cmd, line, ERR_LinkError);
  } else if (strcmp(type, "assert_uninstantiable") == 0) {
    cmd_assert_instantiate_error(r, cmd, line, ERR_RuntimeError);
  } else {
    report(r, "skip", line, "command %s not supported", type);
  }
  /* An engine bug that leaves an error pending must not leak into the next
   * command's verdict. */
  if (rt_has_exception(r->rt)) rt_clear_exception(r->rt);
}

static char *read_text_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *buf = NULL;
  if (fseek(f, 0, SEEK_END) == 0) {
    long n = ftell(f);
    if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
      *len = fread(buf, 1, (size_t)n, f);
      buf[*len] = '\0';
    }
  }
  fclose(f);
  return buf;
}

static int usage(void) {
  fprintf(stderr, "usage: wast_runner [-v] [--gc-stress N] FILE.json\n"
                  "Runs a wast2json command file; module files are read from its folder.\n"
                  "--gc-stress N collects garbage on every Nth allocation.\n");
  return 2;
}

int main(int argc, char **argv) {
  bool verbose = false;
  const char *path = NULL;
  unsigned gc_stress = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-v") == 0)
      verbose = true;
    else if (strcmp(argv[i], "--gc-stress") == 0 && i + 1 < argc)
      gc_stress = (unsigned)strtoul(argv[++i], NULL, 10);
    else if (!path && argv[i][0] != '-')
      path = argv[i];
    else
      return usage();
  }
  if (!path) return usage();
  /* Line-buffered, so that run.py sees every result up to a crash. */
  setvbuf(stdout, NULL, _IOLBF, 0);

  size_t len;
  char *text = read_text_file(path, &len);
  if (!text) {
    fprintf(stderr, "wast_runner: cannot read %s: %s\n", path, strerror(errno));
    return 2;
  }
  char err[256];
  JsonDoc *doc = json_parse(text, len, err, sizeof err);
  free(text);
  JsonNode *commands = doc ? json_get(json_root(doc), "commands") : NULL;
  if (!commands || commands->type != JSON_ARRAY) {
    fprintf(stderr, "wast_runner: %s: %s\n", path, doc ? "no commands array" : err);
    json_free(doc);
    return 2;
  }

  wasm_init_gc_kinds();
  RuntimeOptions ro = {.gc_stress = gc_stress};
  Runtime *rt = rt_new(&ro);
  if (!rt) {
    fprintf(stderr, "wast_runner: cannot create a runtime\n");
    json_free(doc);
    return 2;
  }
  Runner r = {.rt = rt, .verbose = verbose, .current = VAL_UNDEFINED};
  const char *slash = strrchr(path, '/');
  r.dir = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
  gc_add_root_tracer(rt->heap, trace_runner, &r);
  r.spectest = spectest_new(rt, verbose);
  if (!r.spectest) {
    char msg[600];
    take_error(&r, msg, sizeof msg);
    fprintf(stderr, "wast_runner: cannot create the spectest module: %s\n", msg);
  }

  for (r.index = 0; r.index < commands->count; r.index++) run_command(&r, commands->items[r.index]);
  printf("done passed=%zu failed=%zu skipped=%zu mismatched=%zu\n", r.passed, r.failed, r.skipped,
         r.mismatched);

  spectest_free(rt, r.spectest);
  gc_remove_root_tracer(rt->heap, trace_runner, &r);
  free_bindings(&r.named);
  free_bindings(&r.registered);
  free(r.dir);
  rt_free(rt);
  json_free(doc);
  return r.failed ? 1 : 0;
}
