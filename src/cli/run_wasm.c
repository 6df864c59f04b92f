/* run_wasm.c: running a WebAssembly module from the shell. Decodes,
 * validates and instantiates the module, then either calls `--invoke NAME`
 * with arguments converted by the export's signature and prints its results,
 * or runs the exported `_start` if there is one. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/run.h"
#include "wasm/wasm.h"

/* No host modules yet (WASI comes later), so every import is unresolved and
 * instantiation reports a LinkError naming it. */
static bool resolve_nothing(void *data, const char *module, const char *name, WasmExtern *out) {
  (void)data, (void)module, (void)name, (void)out;
  return false;
}

static const char *type_name(uint8_t t) {
  switch (t) {
  case WASM_I32: return "i32";
  case WASM_I64: return "i64";
  case WASM_F32: return "f32";
  case WASM_F64: return "f64";
  case WASM_V128: return "v128";
  case WASM_FUNCREF: return "funcref";
  case WASM_EXTERNREF: return "externref";
  default: return "?";
  }
}

/* Integers: decimal (signed or unsigned) or 0x hex, in the range of either
 * the signed or the unsigned reading of `bits`. */
static bool parse_int(const char *s, unsigned bits, uint64_t *out) {
  if (!*s) return false;
  char *end;
  errno = 0;
  uint64_t v;
  bool neg = s[0] == '-';
  if (neg) {
    long long sv = strtoll(s, &end, 0);
    if (*end || errno) return false;
    if (bits == 32 && sv < INT32_MIN) return false;
    v = (uint64_t)sv;
  } else {
    if (s[0] == '+' || s[0] == ' ') return false;
    v = strtoull(s, &end, 0);
    if (*end || errno) return false;
    if (bits == 32 && v > UINT32_MAX) return false;
  }
  *out = bits == 32 ? (uint32_t)v : v;
  return true;
}

/* Floats: anything strtod accepts in full ("1.5", "-0", "nan", "inf",
 * "0x1p-3"), plus "nan:0xPAYLOAD" for a NaN with a given payload. */
static bool parse_float(const char *s, bool is_f64, WasmVal *out) {
  if (!*s || s[0] == ' ') return false;
  bool neg = s[0] == '-';
  const char *body = (neg || s[0] == '+') ? s + 1 : s;
  if (strncmp(body, "nan:0x", 6) == 0) {
    char *end;
    errno = 0;
    uint64_t payload = strtoull(body + 6, &end, 16);
    uint64_t max = is_f64 ? (1ULL << 52) - 1 : (1ULL << 23) - 1;
    if (*end || errno || payload == 0 || payload > max) return false;
    if (is_f64)
      out->of.f64 = (neg ? 1ULL << 63 : 0) | 0x7FF0000000000000ULL | payload;
    else
      out->of.f32 = (neg ? 1U << 31 : 0) | 0x7F800000U | (uint32_t)payload;
    return true;
  }
  char *end;
  if (is_f64) {
    double d = strtod(s, &end);
    if (*end) return false;
    memcpy(&out->of.f64, &d, 8);
  } else {
    /* strtof directly: going through double would round twice. */
    float f = strtof(s, &end);
    if (*end) return false;
    memcpy(&out->of.f32, &f, 4);
  }
  return true;
}

static bool parse_arg(const char *s, uint8_t type, WasmVal *out) {
  memset(out, 0, sizeof *out);
  out->type = type;
  uint64_t v;
  switch (type) {
  case WASM_I32:
    if (!parse_int(s, 32, &v)) return false;
    out->of.i32 = (uint32_t)v;
    return true;
  case WASM_I64:
    if (!parse_int(s, 64, &v)) return false;
    out->of.i64 = v;
    return true;
  case WASM_F32: return parse_float(s, false, out);
  case WASM_F64: return parse_float(s, true, out);
  case WASM_FUNCREF:
  case WASM_EXTERNREF: out->of.ref = VAL_NULL; return strcmp(s, "null") == 0;
  default: return false;
  }
}

/* The shortest decimal that reads back as the same bits (at most 9 / 17
 * significant digits); NaN and infinities spelled nan, -nan, inf, -inf. */
static void print_float(double d, bool is_f64) {
  if (isnan(d)) {
    puts(signbit(d) ? "-nan" : "nan");
    return;
  }
  if (isinf(d)) {
    puts(d < 0 ? "-inf" : "inf");
    return;
  }
  char buf[64];
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(buf, sizeof buf, "%.*g", prec, d);
    if (is_f64 ? strtod(buf, NULL) == d : strtof(buf, NULL) == (float)d) break;
  }
  puts(buf);
}

static void print_result(const WasmVal *v) {
  float f;
  double d;
  switch (v->type) {
  case WASM_I32: printf("%" PRId32 "\n", (int32_t)v->of.i32); break;
  case WASM_I64: printf("%" PRId64 "\n", (int64_t)v->of.i64); break;
  case WASM_F32:
    memcpy(&f, &v->of.f32, 4);
    print_float(f, false);
    break;
  case WASM_F64:
    memcpy(&d, &v->of.f64, 8);
    print_float(d, true);
    break;
  case WASM_V128:
    /* Lanes as the bytes are in memory, lowest first. */
    printf("v128");
    for (int i = 0; i < 16; i++) printf(" %02x", v->of.v128[i]);
    printf("\n");
    break;
  case WASM_FUNCREF:
  case WASM_EXTERNREF: printf("%s\n", val_is_null(v->of.ref) ? "null" : type_name(v->type)); break;
  default: printf("(value of type 0x%02x)\n", v->type); break;
  }
}

/* Prints the pending error as "tandem: FILE: Kind: message" and clears it. */
static int report_error(Runtime *rt, const char *name) {
  if (!rt_has_exception(rt)) {
    fprintf(stderr, "tandem: %s: failed without an error message\n", name);
    return CLI_EXIT_ERROR;
  }
  const char *msg = rt_exception_message(rt);
  fprintf(stderr, "tandem: %s: %s: %s\n", name, error_kind_name(rt_exception_kind(rt)),
          msg[0] ? msg : "uncaught exception");
  rt_clear_exception(rt);
  return CLI_EXIT_ERROR;
}

static int invoke(Runtime *rt, const CliOptions *opts, const char *name, WasmInstance *inst) {
  const char *export_name = opts->invoke;
  WasmExtern ext;
  if (!wasm_instance_export(inst, export_name, &ext) || ext.kind != WASM_EXTERN_FUNC) {
    fprintf(stderr, "tandem: %s: no exported function '%s'\n", name, export_name);
    return CLI_EXIT_USAGE;
  }
  const uint8_t *params, *results;
  uint32_t nparams, nresults;
  if (!wasm_func_type(ext.obj, &params, &nparams, &results, &nresults))
    return report_error(rt, name);
  if ((uint32_t)opts->file_argc != nparams) {
    fprintf(stderr, "tandem: %s: '%s' takes %" PRIu32 " argument%s, got %d\n", name, export_name,
            nparams, nparams == 1 ? "" : "s", opts->file_argc);
    return CLI_EXIT_USAGE;
  }
  WasmVal *args = calloc(nparams + 1, sizeof *args);
  WasmVal *res = calloc(nresults + 1, sizeof *res);
  int status = CLI_EXIT_OK;
  if (!args || !res) {
    fprintf(stderr, "tandem: out of memory\n");
    status = CLI_EXIT_ERROR;
    goto done;
  }
  for (uint32_t i = 0; i < nparams; i++) {
    if (!parse_arg(opts->file_args[i], params[i], &args[i])) {
      fprintf(stderr, "tandem: %s: argument %" PRIu32 " of '%s': '%s' is not a valid %s\n", name,
              i + 1, export_name, opts->file_args[i], type_name(params[i]));
      status = CLI_EXIT_USAGE;
      goto done;
    }
  }
  if (!wasm_call(rt, ext.obj, args, nparams, res, nresults)) {
    status = report_error(rt, name);
    goto done;
  }
  for (uint32_t i = 0; i < nresults; i++) {
    res[i].type = results[i];
    print_result(&res[i]);
  }
done:
  free(args);
  free(res);
  return status;
}

static int run_start(Runtime *rt, const char *name, WasmInstance *inst) {
  WasmExtern ext;
  if (!wasm_instance_export(inst, "_start", &ext)) return CLI_EXIT_OK;
  if (ext.kind != WASM_EXTERN_FUNC) {
    fprintf(stderr, "tandem: %s: export '_start' is not a function\n", name);
    return CLI_EXIT_ERROR;
  }
  const uint8_t *params, *results;
  uint32_t nparams, nresults;
  if (!wasm_func_type(ext.obj, &params, &nparams, &results, &nresults))
    return report_error(rt, name);
  if (nparams != 0 || nresults != 0) {
    fprintf(stderr, "tandem: %s: '_start' must take no arguments and return nothing\n", name);
    return CLI_EXIT_ERROR;
  }
  if (!wasm_call(rt, ext.obj, NULL, 0, NULL, 0)) return report_error(rt, name);
  return CLI_EXIT_OK;
}

int cli_run_wasm(const CliOptions *opts, const char *name, const unsigned char *bytes, size_t len) {
  /* The LLVM tier does not exist yet: run in the interpreter rather than
   * refuse, so scripts that ask for it keep working as the tier arrives.
   * "tiered" starts in the interpreter anyway, so it needs no note. */
  if (opts->wasm_tier && strcmp(opts->wasm_tier, "jit") == 0)
    fprintf(stderr,
            "tandem: note: the LLVM tier for Wasm is not built yet; "
            "running %s in the interpreter\n",
            name);

  RuntimeOptions ro = {
      .max_heap_bytes = opts->max_heap_bytes,
      .max_stack_bytes = opts->stack_bytes,
      .gc_stress = opts->gc_stress_every,
      .trace_gc = opts->trace_gc != NULL,
  };
  wasm_init_gc_kinds();
  Runtime *rt = rt_new(&ro);
  if (!rt) {
    fprintf(stderr, "tandem: cannot create a runtime (out of memory)\n");
    return CLI_EXIT_ERROR;
  }
  int status;
  WasmModule *m = wasm_module_new(rt, bytes, len);
  WasmInstance *inst = m ? wasm_instantiate(rt, m, resolve_nothing, NULL) : NULL;
  if (!inst)
    status = report_error(rt, name);
  else if (opts->invoke)
    status = invoke(rt, opts, name, inst);
  else
    status = run_start(rt, name, inst);
  fflush(stdout);
  rt_free(rt);
  return status;
}
