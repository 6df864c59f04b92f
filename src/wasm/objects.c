/* objects.c: Wasm memories, tables, globals and function objects as GC heap
 * cells, their trace/finalize callbacks, and the public constructors used
 * for imports (wasm_memory_new, wasm_table_new, wasm_global_new,
 * wasm_host_func_new). */
#define _GNU_SOURCE
#include "wasm/objects.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "wasm/interp.h"

/* --- memory --------------------------------------------------------------- */

static void memory_finalize(Heap *heap, void *obj) {
  WasmMemoryObj *m = obj;
  if (m->base) {
    munmap(m->base, m->reserved);
    gc_external_sub(heap, m->size);
    m->base = NULL;
  }
}

WasmMemoryObj *wasm_memory_alloc(Runtime *rt, uint32_t min_pages, uint32_t max_pages) {
  if (min_pages > WASM_MAX_PAGES) {
    rt_throw(rt, ERR_RangeError, "memory size %u pages exceeds the limit", min_pages);
    return NULL;
  }
  WasmMemoryObj *m = gc_alloc(rt->heap, GC_KIND_WASM_MEMORY, sizeof *m);
  if (!m) {
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  m->max_pages = max_pages;
  /* Reserve the full 32-bit range plus guard up front so growth never moves
   * the base; fall back to the largest size this memory can reach when the
   * address space is limited (the interpreter checks bounds explicitly). */
  uint64_t reserve = WASM_MEMORY_RESERVE;
  void *p = mmap(NULL, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    uint64_t limit = max_pages < WASM_MAX_PAGES ? max_pages : WASM_MAX_PAGES;
    reserve = limit * (uint64_t)WASM_PAGE_SIZE;
    if (reserve == 0) reserve = WASM_PAGE_SIZE;
    p = mmap(NULL, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
      rt_throw_out_of_memory(rt);
      return NULL;
    }
  }
  m->base = p;
  m->reserved = reserve;
  uint64_t bytes = (uint64_t)min_pages * WASM_PAGE_SIZE;
  if (bytes && mprotect(m->base, bytes, PROT_READ | PROT_WRITE) != 0) {
    munmap(m->base, m->reserved);
    m->base = NULL;
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  m->pages = min_pages;
  m->size = bytes;
  gc_external_add(rt->heap, bytes);
  return m;
}

int64_t wasm_memory_grow(Runtime *rt, WasmMemoryObj *m, uint32_t delta) {
  uint32_t old = m->pages;
  uint64_t limit = m->max_pages < WASM_MAX_PAGES ? m->max_pages : WASM_MAX_PAGES;
  if ((uint64_t)old + delta > limit) return -1;
  uint64_t new_size = ((uint64_t)old + delta) * WASM_PAGE_SIZE;
  if (new_size > m->reserved) return -1;
  if (delta == 0) return old;
  /* Fresh anonymous pages read as zero, as the spec requires. */
  if (mprotect(m->base + m->size, new_size - m->size, PROT_READ | PROT_WRITE) != 0) return -1;
  gc_external_add(rt->heap, new_size - m->size);
  m->size = new_size;
  m->pages = old + delta;
  return old;
}

Value wasm_memory_new(Runtime *rt, uint32_t min_pages, uint32_t max_pages) {
  WasmMemoryObj *m = wasm_memory_alloc(rt, min_pages, max_pages);
  return m ? val_from_ptr(m) : VAL_EXCEPTION;
}

/* --- table ------------------------------------------------------------------ */

static void table_trace(Heap *heap, void *obj) {
  WasmTableObj *t = obj;
  for (uint32_t i = 0; i < t->size; i++) gc_mark_value(heap, t->elems[i]);
}

static void table_finalize(Heap *heap, void *obj) {
  WasmTableObj *t = obj;
  if (t->elems) gc_external_sub(heap, (size_t)t->capacity * sizeof(Value));
  free(t->elems);
  t->elems = NULL;
}

WasmTableObj *wasm_table_alloc(Runtime *rt, uint8_t elem_type, uint32_t min, uint32_t max,
                               Value init) {
  if (min > WASM_TABLE_MAX) {
    rt_throw(rt, ERR_RangeError, "table size %u exceeds the limit", min);
    return NULL;
  }
  WasmTableObj *t = gc_alloc(rt->heap, GC_KIND_WASM_TABLE, sizeof *t);
  if (!t) {
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  t->elem_type = elem_type;
  t->max = max;
  uint32_t cap = min ? min : 1;
  t->elems = malloc((size_t)cap * sizeof(Value));
  if (!t->elems) {
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  t->capacity = cap;
  gc_external_add(rt->heap, (size_t)cap * sizeof(Value));
  for (uint32_t i = 0; i < min; i++) t->elems[i] = init;
  t->size = min;
  return t;
}

int64_t wasm_table_grow(Runtime *rt, WasmTableObj *t, uint32_t delta, Value init) {
  uint32_t old = t->size;
  uint64_t limit = t->max < WASM_TABLE_MAX ? t->max : WASM_TABLE_MAX;
  if ((uint64_t)old + delta > limit) return -1;
  uint32_t need = old + delta;
  if (need > t->capacity) {
    uint64_t cap = (uint64_t)t->capacity * 2;
    if (cap < need) cap = need;
    if (cap > limit) cap = limit;
    Value *e = realloc(t->elems, (size_t)cap * sizeof(Value));
    if (!e) return -1;
    gc_external_add(rt->heap, (size_t)(cap - t->capacity) * sizeof(Value));
    t->elems = e;
    t->capacity = (uint32_t)cap;
  }
  for (uint32_t i = old; i < need; i++) t->elems[i] = init;
  t->size = need;
  return old;
}

Value wasm_table_new(Runtime *rt, uint8_t elem_type, uint32_t min, uint32_t max) {
  WasmTableObj *t = wasm_table_alloc(rt, elem_type, min, max, VAL_NULL);
  return t ? val_from_ptr(t) : VAL_EXCEPTION;
}

/* --- global ----------------------------------------------------------------- */

static bool is_ref_type(uint8_t t) { return t == WASM_FUNCREF || t == WASM_EXTERNREF; }

static void global_trace(Heap *heap, void *obj) {
  WasmGlobalObj *g = obj;
  if (is_ref_type(g->type)) gc_mark_value(heap, g->v.ref);
}

void wasm_cell_from_val(WasmCell *c, const WasmVal *v) {
  memset(c, 0, sizeof *c);
  switch (v->type) {
  case WASM_I32: c->i32 = v->of.i32; break;
  case WASM_F32: c->i32 = v->of.f32; break;
  case WASM_I64: c->i64 = v->of.i64; break;
  case WASM_F64: c->i64 = v->of.f64; break;
  case WASM_V128: memcpy(c->v128, v->of.v128, 16); break;
  default: c->ref = v->of.ref; break;
  }
}

void wasm_cell_to_val(const WasmCell *c, uint8_t type, WasmVal *v) {
  memset(v, 0, sizeof *v);
  v->type = type;
  switch (type) {
  case WASM_I32: v->of.i32 = c->i32; break;
  case WASM_F32: v->of.f32 = c->i32; break;
  case WASM_I64: v->of.i64 = c->i64; break;
  case WASM_F64: v->of.f64 = c->i64; break;
  case WASM_V128: memcpy(v->of.v128, c->v128, 16); break;
  default: v->of.ref = c->ref; break;
  }
}

WasmGlobalObj *wasm_global_alloc(Runtime *rt, uint8_t type, bool mutable_, const WasmCell *init) {
  WasmGlobalObj *g = gc_alloc(rt->heap, GC_KIND_WASM_GLOBAL, sizeof *g);
  if (!g) {
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  g->type = type;
  g->mutable_ = mutable_;
  g->v = *init;
  return g;
}

Value wasm_global_new(Runtime *rt, WasmVal init, bool mutable_) {
  WasmCell c;
  wasm_cell_from_val(&c, &init);
  WasmGlobalObj *g = wasm_global_alloc(rt, init.type, mutable_, &c);
  return g ? val_from_ptr(g) : VAL_EXCEPTION;
}

bool wasm_global_get(Value global, WasmVal *out) {
  if (!val_is_ptr(global)) return false;
  WasmGlobalObj *g = val_to_ptr(global);
  if (g->h.kind != GC_KIND_WASM_GLOBAL) return false;
  wasm_cell_to_val(&g->v, g->type, out);
  return true;
}

/* --- functions ----------------------------------------------------------------- */

static void func_trace(Heap *heap, void *obj) {
  WasmFuncObj *f = obj;
  if (f->inst) gc_mark_ptr(heap, f->inst);
}

static void func_finalize(Heap *heap, void *obj) {
  WasmFuncObj *f = obj;
  free(f->types_owned);
  f->types_owned = NULL;
}

WasmFuncObj *wasm_func_alloc(Runtime *rt, WasmInstance *inst, uint32_t index, uint32_t nparams,
                             const uint8_t *params, uint32_t nresults, const uint8_t *results) {
  WasmFuncObj *f = gc_alloc(rt->heap, GC_KIND_WASM_FUNC, sizeof *f);
  if (!f) {
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  f->inst = inst;
  f->index = index;
  f->nparams = nparams;
  f->params = params;
  f->nresults = nresults;
  f->results = results;
  return f;
}

Value wasm_host_func_new(Runtime *rt, const uint8_t *params, uint32_t nparams,
                         const uint8_t *results, uint32_t nresults, WasmHostFn fn, void *data) {
  uint8_t *types = malloc((size_t)nparams + nresults + 1);
  if (!types) return rt_throw_out_of_memory(rt);
  if (nparams) memcpy(types, params, nparams);
  if (nresults) memcpy(types + nparams, results, nresults);
  WasmFuncObj *f = wasm_func_alloc(rt, NULL, 0, nparams, types, nresults, types + nparams);
  if (!f) {
    free(types);
    return VAL_EXCEPTION;
  }
  f->types_owned = types;
  f->host = fn;
  f->host_data = data;
  return val_from_ptr(f);
}

bool wasm_func_type(Value func, const uint8_t **params, uint32_t *nparams, const uint8_t **results,
                    uint32_t *nresults) {
  if (!val_is_ptr(func)) return false;
  WasmFuncObj *f = val_to_ptr(func);
  if (f->h.kind != GC_KIND_WASM_FUNC) return false;
  *params = f->params;
  *nparams = f->nparams;
  *results = f->results;
  *nresults = f->nresults;
  return true;
}

/* --- registration ---------------------------------------------------------------- */

void wasm_init_gc_kinds(void) {
  static const GCKindOps memory_ops = {"WasmMemoryObj", NULL, memory_finalize};
  static const GCKindOps table_ops = {"WasmTableObj", table_trace, table_finalize};
  static const GCKindOps global_ops = {"WasmGlobalObj", global_trace, NULL};
  static const GCKindOps func_ops = {"WasmFuncObj", func_trace, func_finalize};
  gc_set_kind_ops(GC_KIND_WASM_MEMORY, &memory_ops);
  gc_set_kind_ops(GC_KIND_WASM_TABLE, &table_ops);
  gc_set_kind_ops(GC_KIND_WASM_GLOBAL, &global_ops);
  gc_set_kind_ops(GC_KIND_WASM_FUNC, &func_ops);
  gc_set_kind_ops(GC_KIND_WASM_INSTANCE, wasm_instance_gc_ops());
  gc_set_kind_ops(GC_KIND_WASM_MODULE, &wasm_module_kind_ops);
  /* The interpreter executes several memories and memory64 (interp_compile.c). */
  wasm_set_features(wasm_get_features() | WASM_FEATURE_MULTI_MEMORY | WASM_FEATURE_MEMORY64);
}
