/* instance.c: instantiation and linking. Resolves and type-checks imports,
 * creates functions, globals, tables and memories, applies element and data
 * segments in spec order (a failing segment traps; earlier writes stay) and
 * runs the start function. Also the instance's GC callbacks, export lookup
 * and the runtime's execution state (value stack and frames). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "wasm/interp.h"

/* --- GC ------------------------------------------------------------------- */

static void exec_state_trace(Heap *heap, WasmExecState *st) {
  /* Slots hold numbers and references alike: mark what looks like a cell. */
  for (uint64_t *s = st->stack; s < st->top; s++) {
    Value v = *s;
    if (val_is_ptr(v) && gc_find_cell(heap, val_to_ptr(v)) == val_to_ptr(v))
      gc_mark_ptr(heap, val_to_ptr(v));
  }
  for (uint32_t i = 0; i < st->nframes; i++)
    if (st->frames[i].inst) gc_mark_ptr(heap, st->frames[i].inst);
}

static void instance_trace(Heap *heap, void *obj) {
  if (((GCHeader *)obj)->flags == WASM_INSTANCE_EXEC_STATE) {
    exec_state_trace(heap, obj);
    return;
  }
  WasmInstance *inst = obj;
  if (!inst->module) return;
  const WasmModule *m = inst->module;
  gc_mark_ptr(heap, inst->module);
  if (inst->funcs)
    for (uint32_t i = 0; i < m->nfuncs; i++)
      if (inst->funcs[i]) gc_mark_ptr(heap, inst->funcs[i]);
  if (inst->tables)
    for (uint32_t i = 0; i < m->ntables; i++)
      if (inst->tables[i]) gc_mark_ptr(heap, inst->tables[i]);
  if (inst->memories)
    for (uint32_t i = 0; i < m->nmemories; i++)
      if (inst->memories[i]) gc_mark_ptr(heap, inst->memories[i]);
  if (inst->globals)
    for (uint32_t i = 0; i < m->nglobals; i++)
      if (inst->globals[i]) gc_mark_ptr(heap, inst->globals[i]);
  if (inst->elem_values)
    for (uint32_t i = 0; i < m->nelems; i++)
      if (inst->elem_values[i])
        for (uint32_t k = 0; k < inst->elem_counts[i]; k++)
          gc_mark_value(heap, inst->elem_values[i][k]);
}

static void instance_finalize(Heap *heap, void *obj) {
  if (((GCHeader *)obj)->flags == WASM_INSTANCE_EXEC_STATE) {
    WasmExecState *st = obj;
    if (st->stack) munmap(st->stack, (size_t)WASM_STACK_SLOTS * 8);
    if (st->frames) munmap(st->frames, (size_t)WASM_FRAME_LIMIT * sizeof(WasmFrame));
    st->stack = NULL;
    st->frames = NULL;
    return;
  }
  WasmInstance *inst = obj;
  if (inst->code)
    for (uint32_t i = 0; i < inst->ncode; i++) wasm_code_free(inst->code[i]);
  if (inst->elem_values)
    for (uint32_t i = 0; i < inst->nelem_segs; i++) free(inst->elem_values[i]);
  free(inst->code);
  free(inst->funcs);
  free(inst->tables);
  free(inst->memories);
  free(inst->globals);
  free(inst->elem_values);
  free(inst->elem_counts);
  free(inst->data_dropped);
  memset(inst, 0, sizeof *inst);
}

const GCKindOps *wasm_instance_gc_ops(void) {
  static const GCKindOps ops = {"WasmInstance", instance_trace, instance_finalize};
  return &ops;
}

WasmExecState *wasm_exec_state(Runtime *rt) {
  if (rt->wasm) return rt->wasm;
  WasmExecState *st = gc_alloc(rt->heap, GC_KIND_WASM_INSTANCE, sizeof *st);
  if (!st) {
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  st->h.flags = WASM_INSTANCE_EXEC_STATE;
  void *s = mmap(NULL, (size_t)WASM_STACK_SLOTS * 8, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  void *f = mmap(NULL, (size_t)WASM_FRAME_LIMIT * sizeof(WasmFrame), PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (s == MAP_FAILED || f == MAP_FAILED) {
    if (s != MAP_FAILED) munmap(s, (size_t)WASM_STACK_SLOTS * 8);
    if (f != MAP_FAILED) munmap(f, (size_t)WASM_FRAME_LIMIT * sizeof(WasmFrame));
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  st->stack = st->top = s;
  st->stack_end = st->stack + WASM_STACK_SLOTS;
  st->frames = f;
  st->self = val_from_ptr(st);
  gc_add_root(rt->heap, &st->self);
  rt->wasm = st;
  return st;
}

/* --- linking ----------------------------------------------------------------- */

static bool link_error(Runtime *rt, const WasmImport *im, const char *what) {
  rt_throw(rt, ERR_LinkError, "%s: \"%.*s\" \"%.*s\"", what, (int)im->module_len, im->module,
           (int)im->name_len, im->name);
  return false;
}

static bool is_kind(Value v, GCKind kind) {
  return val_is_ptr(v) && ((GCHeader *)val_to_ptr(v))->kind == kind;
}

/* Import limits must be at least as strict as the declared ones. */
static bool limits_match(uint64_t cur_min, uint32_t cur_max, const WasmLimits *want) {
  if (cur_min < want->min) return false;
  if (want->has_max) {
    if (cur_max == UINT32_MAX) return false;
    if (cur_max > want->max) return false;
  }
  return true;
}

static bool link_import(Runtime *rt, WasmInstance *inst, const WasmImport *im, WasmExtern *ext,
                        uint32_t *nf, uint32_t *nt, uint32_t *nm, uint32_t *ng) {
  const WasmModule *m = inst->module;
  if (ext->kind != im->kind) return link_error(rt, im, "incompatible import type");
  switch (im->kind) {
  case WASM_EXTERN_FUNC: {
    if (!is_kind(ext->obj, GC_KIND_WASM_FUNC))
      return link_error(rt, im, "incompatible import type");
    WasmFuncObj *f = val_to_ptr(ext->obj);
    const WasmFuncType *t = &m->types[im->desc.type_index];
    if (!wasm_sig_equal(f, t->nparams, t->params, t->nresults, t->results))
      return link_error(rt, im, "incompatible import type");
    inst->funcs[(*nf)++] = f;
    return true;
  }
  case WASM_EXTERN_TABLE: {
    if (!is_kind(ext->obj, GC_KIND_WASM_TABLE))
      return link_error(rt, im, "incompatible import type");
    WasmTableObj *t = val_to_ptr(ext->obj);
    if (t->elem_type != im->desc.table.elem_type ||
        !limits_match(t->size, t->max, &im->desc.table.limits))
      return link_error(rt, im, "incompatible import type");
    inst->tables[(*nt)++] = t;
    return true;
  }
  case WASM_EXTERN_MEMORY: {
    if (!is_kind(ext->obj, GC_KIND_WASM_MEMORY))
      return link_error(rt, im, "incompatible import type");
    WasmMemoryObj *mem = val_to_ptr(ext->obj);
    if (mem->is64 != im->desc.memory.limits.is64 ||
        !limits_match(mem->pages, mem->max_pages, &im->desc.memory.limits))
      return link_error(rt, im, "incompatible import type");
    inst->memories[(*nm)++] = mem;
    return true;
  }
  case WASM_EXTERN_GLOBAL: {
    if (!is_kind(ext->obj, GC_KIND_WASM_GLOBAL))
      return link_error(rt, im, "incompatible import type");
    WasmGlobalObj *g = val_to_ptr(ext->obj);
    if (g->type != im->desc.global.type || g->mutable_ != im->desc.global.mutable_)
      return link_error(rt, im, "incompatible import type");
    inst->globals[(*ng)++] = g;
    return true;
  }
  default: return link_error(rt, im, "incompatible import type");
  }
}

static Value func_ref(void *data, uint32_t index) {
  WasmInstance *inst = data;
  return val_from_ptr(inst->funcs[index]);
}

/* Evaluates a constant expression against the instance's globals so far. */
static bool eval_const(Runtime *rt, WasmInstance *inst, const WasmConstExpr *e, uint32_t nglobals,
                       WasmVal *out) {
  const WasmModule *m = inst->module;
  switch (e->kind) {
  case WASM_CONST_VALUE: *out = e->value; return true;
  case WASM_CONST_REF_FUNC:
    memset(out, 0, sizeof *out);
    out->type = WASM_FUNCREF;
    out->of.ref = func_ref(inst, e->index);
    return true;
  case WASM_CONST_GLOBAL_GET:
    if (e->index < nglobals) {
      WasmGlobalObj *g = inst->globals[e->index];
      wasm_cell_to_val(&g->v, g->type, out);
      return true;
    }
    break;
  default: {
    WasmVal *gv = calloc(nglobals + 1, sizeof(WasmVal));
    if (!gv) {
      rt_throw_out_of_memory(rt);
      return false;
    }
    for (uint32_t i = 0; i < nglobals; i++)
      wasm_cell_to_val(&inst->globals[i]->v, inst->globals[i]->type, &gv[i]);
    bool ok = wasm_const_expr_eval(m, e, gv, func_ref, inst, out);
    free(gv);
    if (ok) return true;
    break;
  }
  }
  rt_throw(rt, ERR_InternalError, "wasm: cannot evaluate a constant expression");
  return false;
}

static WasmInstance *fail_trap(Runtime *rt, WasmInstance *inst, WasmTrap trap) {
  rt_throw(rt, ERR_RuntimeError, "%s", wasm_trap_message(trap));
  (void)inst;
  return NULL;
}

WasmInstance *wasm_instantiate(Runtime *rt, WasmModule *m, WasmImportResolver resolve,
                               void *resolve_data) {
  if (!m) {
    rt_throw(rt, ERR_TypeError, "not a WebAssembly module");
    return NULL;
  }
  if (!wasm_exec_state(rt)) return NULL;
  WasmInstance *inst = gc_alloc(rt->heap, GC_KIND_WASM_INSTANCE, sizeof *inst);
  if (!inst) {
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  inst->module = m;
  uint32_t ndefined = m->nfuncs - m->nfunc_imports;
  inst->funcs = calloc(m->nfuncs + 1, sizeof *inst->funcs);
  inst->tables = calloc(m->ntables + 1, sizeof *inst->tables);
  inst->memories = calloc(m->nmemories + 1, sizeof *inst->memories);
  inst->globals = calloc(m->nglobals + 1, sizeof *inst->globals);
  inst->elem_values = calloc(m->nelems + 1, sizeof *inst->elem_values);
  inst->elem_counts = calloc(m->nelems + 1, sizeof *inst->elem_counts);
  inst->data_dropped = calloc(m->ndatas + 1, sizeof *inst->data_dropped);
  inst->code = calloc(ndefined + 1, sizeof *inst->code);
  if (!inst->funcs || !inst->tables || !inst->memories || !inst->globals || !inst->elem_values ||
      !inst->elem_counts || !inst->data_dropped || !inst->code) {
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  inst->ready = true;
  inst->ncode = ndefined;
  inst->nelem_segs = m->nelems;

  /* Imports, in order. */
  uint32_t nf = 0, nt = 0, nm = 0, ng = 0;
  for (uint32_t i = 0; i < m->nimports; i++) {
    const WasmImport *im = &m->imports[i];
    WasmExtern ext = {0};
    if (!resolve || !resolve(resolve_data, im->module, im->name, &ext)) {
      if (rt_has_exception(rt)) return NULL;
      link_error(rt, im, "unknown import");
      return NULL;
    }
    if (!link_import(rt, inst, im, &ext, &nf, &nt, &nm, &ng)) return NULL;
  }

  /* Functions first: global initializers and segments may refer to them. */
  for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
    const WasmFuncType *t = wasm_func_type_of(m, i);
    WasmFuncObj *f = wasm_func_alloc(rt, inst, i, t->nparams, t->params, t->nresults, t->results);
    if (!f) return NULL;
    inst->funcs[i] = f;
  }
  for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
    WasmVal v;
    if (!eval_const(rt, inst, &m->globals[i].init, i, &v)) return NULL;
    v.type = m->globals[i].type.type;
    WasmCell c;
    wasm_cell_from_val(&c, &v);
    WasmGlobalObj *g = wasm_global_alloc(rt, v.type, m->globals[i].type.mutable_, &c);
    if (!g) return NULL;
    inst->globals[i] = g;
  }
  for (uint32_t i = m->ntable_imports; i < m->ntables; i++) {
    const WasmTableType *tt = &m->tables[i].type;
    uint32_t max =
        tt->limits.has_max && tt->limits.max < UINT32_MAX ? (uint32_t)tt->limits.max : UINT32_MAX;
    if (tt->limits.min > WASM_TABLE_MAX) {
      rt_throw(rt, ERR_RangeError, "table size %llu exceeds the engine limit",
               (unsigned long long)tt->limits.min);
      return NULL;
    }
    WasmTableObj *t = wasm_table_alloc(rt, tt->elem_type, (uint32_t)tt->limits.min, max, VAL_NULL);
    if (!t) return NULL;
    inst->tables[i] = t;
  }
  for (uint32_t i = m->nmemory_imports; i < m->nmemories; i++) {
    const WasmLimits *l = &m->memories[i].type.limits;
    /* The declared max is kept for import matching; growth stops at 4 GiB
     * (memory64 memories too: growing further fails with -1). */
    uint32_t max =
        l->has_max ? (uint32_t)(l->max >= UINT32_MAX ? UINT32_MAX - 1 : l->max) : UINT32_MAX;
    if (l->min > WASM_MAX_PAGES) {
      rt_throw(rt, ERR_RangeError, "memory of %llu pages exceeds the engine limit",
               (unsigned long long)l->min);
      return NULL;
    }
    WasmMemoryObj *mem = wasm_memory_alloc(rt, (uint32_t)l->min, max);
    if (!mem) return NULL;
    mem->is64 = l->is64;
    inst->memories[i] = mem;
  }
  /* Set before any of the instance's code can run (segments may place its
   * functions in imported tables even if instantiation fails later). */
  static WasmMemoryObj no_memory; /* base NULL, size 0: every access traps */
  inst->mem0 = m->nmemories ? inst->memories[0] : &no_memory;

  /* Element segments' items, evaluated once. */
  for (uint32_t s = 0; s < m->nelems; s++) {
    const WasmElemSegment *seg = &m->elems[s];
    Value *vals = malloc(((size_t)seg->count + 1) * sizeof(Value));
    if (!vals) {
      rt_throw_out_of_memory(rt);
      return NULL;
    }
    for (uint32_t k = 0; k < seg->count; k++) {
      WasmVal v;
      if (!eval_const(rt, inst, &seg->items[k], m->nglobals, &v)) {
        free(vals);
        return NULL;
      }
      vals[k] = v.of.ref;
    }
    inst->elem_values[s] = vals;
    inst->elem_counts[s] = seg->count;
  }

  /* Active element segments, then active data segments, in order. */
  for (uint32_t s = 0; s < m->nelems; s++) {
    const WasmElemSegment *seg = &m->elems[s];
    if (seg->mode == WASM_SEG_ACTIVE) {
      WasmVal off;
      if (!eval_const(rt, inst, &seg->offset, m->nglobals, &off)) return NULL;
      WasmTableObj *t = inst->tables[seg->table_index];
      uint32_t d = off.of.i32;
      if ((uint64_t)d + seg->count > t->size) return fail_trap(rt, inst, WASM_TRAP_OOB_TABLE);
      if (seg->count)
        memcpy(t->elems + d, inst->elem_values[s], (size_t)seg->count * sizeof(Value));
    }
    if (seg->mode != WASM_SEG_PASSIVE) {
      free(inst->elem_values[s]);
      inst->elem_values[s] = NULL;
    }
  }
  for (uint32_t s = 0; s < m->ndatas; s++) {
    const WasmDataSegment *seg = &m->datas[s];
    if (seg->mode != WASM_SEG_ACTIVE) continue;
    WasmVal off;
    if (!eval_const(rt, inst, &seg->offset, m->nglobals, &off)) return NULL;
    WasmMemoryObj *mem = inst->memories[seg->memory_index];
    uint64_t d = mem->is64 ? off.of.i64 : off.of.i32;
    if (d > mem->size) return fail_trap(rt, inst, WASM_TRAP_OOB_MEMORY);
    if ((uint64_t)d + seg->data_len > mem->size) return fail_trap(rt, inst, WASM_TRAP_OOB_MEMORY);
    if (seg->data_len) memcpy(mem->base + d, m->bytes + seg->data_start, seg->data_len);
    inst->data_dropped[s] = true;
  }

  if (m->has_start) {
    if (!wasm_call(rt, val_from_ptr(inst->funcs[m->start]), NULL, 0, NULL, 0)) return NULL;
  }
  return inst;
}

bool wasm_instance_export(WasmInstance *inst, const char *name, WasmExtern *out) {
  return wasm_instance_export_n(inst, name, strlen(name), out);
}

bool wasm_instance_export_n(WasmInstance *inst, const char *name, size_t len, WasmExtern *out) {
  const WasmModule *m = inst->module;
  for (uint32_t i = 0; i < m->nexports; i++) {
    const WasmExport *e = &m->exports[i];
    if (e->name_len != len || memcmp(e->name, name, len) != 0) continue;
    out->kind = (WasmExternKind)e->kind;
    switch (e->kind) {
    case WASM_EXTERN_FUNC: out->obj = val_from_ptr(inst->funcs[e->index]); break;
    case WASM_EXTERN_TABLE: out->obj = val_from_ptr(inst->tables[e->index]); break;
    case WASM_EXTERN_MEMORY: out->obj = val_from_ptr(inst->memories[e->index]); break;
    case WASM_EXTERN_GLOBAL: out->obj = val_from_ptr(inst->globals[e->index]); break;
    default: return false;
    }
    return true;
  }
  return false;
}
