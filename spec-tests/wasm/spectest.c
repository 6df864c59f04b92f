/* spectest.c: the `spectest` host module every spec script may import from
 * (see the reference interpreter's spectest.ml): print functions, four
 * constant globals, a funcref table of 10..20 and a memory of 1..2 pages. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wast.h"

typedef struct PrintFn {
  const char *name;
  uint8_t params[2];
  uint32_t nparams;
} PrintFn;

static const PrintFn print_fns[] = {
    {"print", {0}, 0},
    {"print_i32", {WASM_I32}, 1},
    {"print_i64", {WASM_I64}, 1},
    {"print_f32", {WASM_F32}, 1},
    {"print_f64", {WASM_F64}, 1},
    {"print_i32_f32", {WASM_I32, WASM_F32}, 2},
    {"print_f64_f64", {WASM_F64, WASM_F64}, 2},
};
#define NPRINT (sizeof print_fns / sizeof print_fns[0])

typedef struct PrintCall {
  const PrintFn *fn;
  const struct Spectest *st;
} PrintCall;

enum { G_I32, G_I64, G_F32, G_F64, NGLOBALS };
static const char *const global_names[NGLOBALS] = {"global_i32", "global_i64", "global_f32",
                                                   "global_f64"};

struct Spectest {
  Runtime *rt;
  bool verbose;
  /* Precise roots: the runner keeps these across many allocations. */
  Value funcs[NPRINT];
  Value globals[NGLOBALS];
  Value table;
  Value memory;
  /* Host data of each print function: which one, and whether to print. */
  PrintCall calls[NPRINT];
};

static bool host_print(Runtime *rt, void *data, const WasmVal *args, WasmVal *results) {
  (void)rt, (void)results;
  const PrintCall *call = data;
  const PrintFn *fn = call->fn;
  if (!call->st->verbose) return true;
  printf("# called spectest.%s(", fn->name);
  for (uint32_t i = 0; i < fn->nparams; i++) {
    char buf[128];
    wast_format_value(&args[i], buf, sizeof buf);
    printf("%s%s", i ? ", " : "", buf);
  }
  printf(")\n");
  return true;
}

static void remove_roots(Spectest *st) {
  Heap *heap = st->rt->heap;
  for (size_t i = 0; i < NPRINT; i++) gc_remove_root(heap, &st->funcs[i]);
  for (size_t i = 0; i < NGLOBALS; i++) gc_remove_root(heap, &st->globals[i]);
  gc_remove_root(heap, &st->table);
  gc_remove_root(heap, &st->memory);
}

Spectest *spectest_new(Runtime *rt, bool verbose) {
  Spectest *st = calloc(1, sizeof *st);
  if (!st) return NULL;
  st->rt = rt;
  st->verbose = verbose;
  /* Root every slot before the first allocation, so a collection in the
   * middle of setting up cannot free what was made before it. */
  for (size_t i = 0; i < NPRINT; i++) {
    st->funcs[i] = VAL_UNDEFINED;
    gc_add_root(rt->heap, &st->funcs[i]);
  }
  for (size_t i = 0; i < NGLOBALS; i++) {
    st->globals[i] = VAL_UNDEFINED;
    gc_add_root(rt->heap, &st->globals[i]);
  }
  st->table = st->memory = VAL_UNDEFINED;
  gc_add_root(rt->heap, &st->table);
  gc_add_root(rt->heap, &st->memory);

  for (size_t i = 0; i < NPRINT; i++) {
    st->calls[i].fn = &print_fns[i];
    st->calls[i].st = st;
    st->funcs[i] = wasm_host_func_new(rt, print_fns[i].params, print_fns[i].nparams, NULL, 0,
                                      host_print, &st->calls[i]);
    if (val_is_exception(st->funcs[i])) goto fail;
  }
  float f32 = 666.6f;
  double f64 = 666.6;
  WasmVal init[NGLOBALS] = {{.type = WASM_I32, .of.i32 = 666},
                            {.type = WASM_I64, .of.i64 = 666},
                            {.type = WASM_F32},
                            {.type = WASM_F64}};
  memcpy(&init[G_F32].of.f32, &f32, 4);
  memcpy(&init[G_F64].of.f64, &f64, 8);
  for (size_t i = 0; i < NGLOBALS; i++) {
    st->globals[i] = wasm_global_new(rt, init[i], false);
    if (val_is_exception(st->globals[i])) goto fail;
  }
  st->table = wasm_table_new(rt, WASM_FUNCREF, 10, 20);
  if (val_is_exception(st->table)) goto fail;
  st->memory = wasm_memory_new(rt, 1, 2);
  if (val_is_exception(st->memory)) goto fail;
  return st;
fail:
  remove_roots(st);
  free(st);
  return NULL;
}

void spectest_free(Runtime *rt, Spectest *st) {
  (void)rt;
  if (!st) return;
  remove_roots(st);
  free(st);
}

bool spectest_lookup(Spectest *st, const char *name, WasmExtern *out) {
  for (size_t i = 0; i < NPRINT; i++) {
    if (strcmp(name, print_fns[i].name) == 0) {
      *out = (WasmExtern){WASM_EXTERN_FUNC, st->funcs[i]};
      return true;
    }
  }
  for (size_t i = 0; i < NGLOBALS; i++) {
    if (strcmp(name, global_names[i]) == 0) {
      *out = (WasmExtern){WASM_EXTERN_GLOBAL, st->globals[i]};
      return true;
    }
  }
  if (strcmp(name, "table") == 0) {
    *out = (WasmExtern){WASM_EXTERN_TABLE, st->table};
    return true;
  }
  if (strcmp(name, "memory") == 0) {
    *out = (WasmExtern){WASM_EXTERN_MEMORY, st->memory};
    return true;
  }
  return false;
}
