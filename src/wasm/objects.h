/* objects.h: the Wasm runtime objects in the GC heap: memories, tables,
 * globals, functions (Wasm or host) and instances, plus the per-runtime
 * execution state (value stack, frames). Linear memory itself is mapped
 * outside the heap and owned by its memory object. */
#ifndef TANDEM_WASM_OBJECTS_H
#define TANDEM_WASM_OBJECTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/runtime.h"
#include "gc/gc.h"
#include "wasm/wasm.h"

#ifndef WASM_PAGE_SIZE
#define WASM_PAGE_SIZE 65536u
#endif
#define WASM_MAX_PAGES 65536u /* 4 GiB for a 32-bit memory */
/* Address space reserved per memory: the whole 32-bit range plus a guard as
 * large again, so a later tier can drop bounds checks for base + offset. */
#define WASM_MEMORY_RESERVE (8ull << 30)
#define WASM_TABLE_MAX      10000000u /* engine limit on table size */

typedef struct WasmMemoryObj {
  GCHeader h;
  uint8_t *base; /* never moves: growth changes protection only */
  uint64_t size; /* accessible bytes = pages * 64 KiB */
  uint32_t pages;
  uint32_t max_pages; /* UINT32_MAX: none declared */
  uint64_t reserved;  /* bytes of address space mapped at base */
  bool is64;          /* memory64: i64 addresses (at most 4 GiB here too) */
} WasmMemoryObj;

typedef struct WasmTableObj {
  GCHeader h;
  uint8_t elem_type; /* WASM_FUNCREF or WASM_EXTERNREF */
  uint32_t size;
  uint32_t max; /* UINT32_MAX: none declared */
  uint32_t capacity;
  Value *elems; /* malloc'd; VAL_NULL is the null reference */
} WasmTableObj;

/* The bits of any Wasm value. */
typedef union WasmCell {
  uint32_t i32;
  uint64_t i64;
  uint64_t bits;
  uint8_t v128[16];
  Value ref;
} WasmCell;

typedef struct WasmGlobalObj {
  GCHeader h;
  uint8_t type; /* WasmValType */
  bool mutable_;
  WasmCell v;
} WasmGlobalObj;

struct WasmCode;

/* A function: Wasm code of an instance, or a host callback. The signature
 * points into the module (kept alive by the instance) or into types_owned. */
typedef struct WasmFuncObj {
  GCHeader h;
  uint32_t nparams, nresults;
  const uint8_t *params, *results;
  WasmInstance *inst; /* NULL for host functions */
  uint32_t index;     /* function index in inst's module */
  WasmHostFn host;
  void *host_data;
  uint8_t *types_owned;  /* malloc'd params+results of a host function */
  struct WasmCode *code; /* the interpreter's code once compiled (owned by inst) */
} WasmFuncObj;

/* Structural function-type equality (call_indirect, import checks). */
static inline bool wasm_sig_equal(const WasmFuncObj *f, uint32_t np, const uint8_t *p, uint32_t nr,
                                  const uint8_t *r) {
  if (f->nparams != np || f->nresults != nr) return false;
  for (uint32_t i = 0; i < np; i++)
    if (f->params[i] != p[i]) return false;
  for (uint32_t i = 0; i < nr; i++)
    if (f->results[i] != r[i]) return false;
  return true;
}

/* Slots a value of the given type occupies on the interpreter's stack. */
static inline uint32_t wasm_type_slots(uint8_t t) { return t == WASM_V128 ? 2 : 1; }

WasmMemoryObj *wasm_memory_alloc(Runtime *rt, uint32_t min_pages, uint32_t max_pages);
/* Grows by delta pages; returns the old page count or -1 (no trap). */
int64_t wasm_memory_grow(Runtime *rt, WasmMemoryObj *mem, uint32_t delta);

WasmTableObj *wasm_table_alloc(Runtime *rt, uint8_t elem_type, uint32_t min, uint32_t max,
                               Value init);
/* Grows by delta entries filled with init; returns the old size or -1. */
int64_t wasm_table_grow(Runtime *rt, WasmTableObj *t, uint32_t delta, Value init);

WasmGlobalObj *wasm_global_alloc(Runtime *rt, uint8_t type, bool mutable_, const WasmCell *init);
WasmFuncObj *wasm_func_alloc(Runtime *rt, WasmInstance *inst, uint32_t index, uint32_t nparams,
                             const uint8_t *params, uint32_t nresults, const uint8_t *results);

/* Reads and writes a cell holding a value of the given type from/to a WasmVal. */
void wasm_cell_from_val(WasmCell *c, const WasmVal *v);
void wasm_cell_to_val(const WasmCell *c, uint8_t type, WasmVal *v);

#endif
