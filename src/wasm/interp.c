/* interp.c: the execution loop over pre-decoded code. Computed-goto
 * dispatch; locals and operands share one frame on the runtime's value stack
 * (8-byte slots, v128 = 2); Wasm-to-Wasm calls push a WasmFrame instead of
 * recursing in C, so deep recursion ends in the "call stack exhausted" trap.
 * Memory accesses are bounds-checked explicitly. */
#include "wasm/interp.h"

#include <stdlib.h>
#include <string.h>

#include "wasm/numeric.h"
#include "wasm/simd.h"

static const void **handler_table;

static uint32_t sig_slots(const uint8_t *types, uint32_t n) {
  uint32_t s = 0;
  for (uint32_t i = 0; i < n; i++) s += wasm_type_slots(types[i]);
  return s;
}

/* Byte offset of the instruction starting at code index idx. */
static uint32_t code_offset(const WasmCode *code, uint32_t idx) {
  uint32_t lo = 0, hi = code->npos, best = 0;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (code->pos[2 * mid] <= idx) {
      best = code->pos[2 * mid + 1];
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return best;
}

void wasm_throw_trap(Runtime *rt, WasmTrap trap, WasmInstance *inst, uint32_t func,
                     uint32_t offset) {
  const char *name = inst && func < inst->module->nfuncs ? inst->module->funcs[func].name : NULL;
  if (name)
    rt_throw(rt, ERR_RuntimeError, "%s (at wasm function $%s[%u] offset 0x%x)",
             wasm_trap_message(trap), name, func, offset);
  else
    rt_throw(rt, ERR_RuntimeError, "%s (at wasm function [%u] offset 0x%x)",
             wasm_trap_message(trap), func, offset);
}

/* Calls a host function with arguments in slots; results replace them. */
static bool call_host(Runtime *rt, WasmFuncObj *f, uint64_t *slots) {
  WasmVal small_args[8], small_res[8];
  WasmVal *args = f->nparams <= 8 ? small_args : malloc(f->nparams * sizeof(WasmVal));
  WasmVal *res = f->nresults <= 8 ? small_res : malloc(f->nresults * sizeof(WasmVal));
  if (!args || !res) {
    if (args != small_args) free(args);
    if (res != small_res) free(res);
    rt_throw_out_of_memory(rt);
    return false;
  }
  uint64_t *s = slots;
  for (uint32_t i = 0; i < f->nparams; i++) {
    WasmCell cell;
    memset(&cell, 0, sizeof cell);
    memcpy(&cell, s, 8 * wasm_type_slots(f->params[i]));
    s += wasm_type_slots(f->params[i]);
    wasm_cell_to_val(&cell, f->params[i], &args[i]);
  }
  for (uint32_t i = 0; i < f->nresults; i++) {
    memset(&res[i], 0, sizeof res[i]);
    res[i].type = f->results[i];
  }
  bool ok = f->host(rt, f->host_data, args, res);
  if (ok) {
    s = slots;
    for (uint32_t i = 0; i < f->nresults; i++) {
      WasmCell cell;
      res[i].type = f->results[i];
      wasm_cell_from_val(&cell, &res[i]);
      memcpy(s, &cell, 8 * wasm_type_slots(f->results[i]));
      s += wasm_type_slots(f->results[i]);
    }
  }
  if (args != small_args) free(args);
  if (res != small_res) free(res);
  return ok;
}

static WasmCode *code_for(Runtime *rt, WasmInstance *inst, uint32_t func) {
  uint32_t di = func - inst->module->nfunc_imports;
  WasmCode *c = inst->code[di];
  if (!c) {
    c = inst->code[di] = wasm_interp_compile(rt, inst, func);
    if (c) inst->funcs[func]->code = c;
  }
  return c;
}

/* The loop. With rt == NULL it only publishes its handler addresses. */
static bool run(Runtime *rt, WasmInstance *inst, WasmCode *code, uint64_t *fp) {
#define IOP_LABEL(name) &&L_##name,
  static const void *labels[WASM_IOP_COUNT] = {WASM_IOP_SPECIAL(IOP_LABEL)
                                                   WASM_IOP_SCALAR(IOP_LABEL)};
#undef IOP_LABEL
  if (!rt) {
    handler_table = labels;
    return true;
  }

  WasmExecState *st = rt->wasm;
  WasmFrame *frames = st->frames;
  uint32_t base_frames = st->nframes, nf = base_frames;
  uint64_t *stack_end = st->stack_end;
  const WasmIns *pc = code->ins;
  uint64_t *sp = fp + code->locals_slots;
  uint8_t *mem = NULL;
  uint64_t memsize = 0;
  WasmTrap trap = WASM_TRAP_NONE;
  WasmFuncObj *callee = NULL;
  const WasmIns *call_pc = NULL;

#define LOAD_MEM()                                                                                 \
  do {                                                                                             \
    mem = inst->mem0->base;                                                                        \
    memsize = inst->mem0->size;                                                                    \
  } while (0)
#define NEXT(n)                                                                                    \
  do {                                                                                             \
    pc += 1 + (n);                                                                                 \
    goto * pc->h;                                                                                  \
  } while (0)
#define TRAP(t)                                                                                    \
  do {                                                                                             \
    trap = (t);                                                                                    \
    goto trap_out;                                                                                 \
  } while (0)
/* A taken branch: every loop iteration takes one, so checking the interrupt
 * flag here lets an embedder stop runaway code. */
#define JUMP(target)                                                                               \
  do {                                                                                             \
    if (__builtin_expect(rt->interrupt_requested, 0)) TRAP(WASM_TRAP_INTERRUPTED);                 \
    pc = (target);                                                                                 \
    goto * pc->h;                                                                                  \
  } while (0)
#define I32(x)  ((uint32_t)(x))
#define F32(x)  wasm_bits_f32((uint32_t)(x))
#define F64(x)  wasm_bits_f64(x)
#define PF32(f) ((uint64_t)wasm_f32_bits(f))
#define PF64(d) wasm_f64_bits(d)

  LOAD_MEM();
  goto * pc->h;

  /* --- control --- */
L_UNREACHABLE:
  TRAP(WASM_TRAP_UNREACHABLE);
L_NOP:
  NEXT(0);

L_BR:
  JUMP(pc[1].p);
L_BR_DROP : {
  uint64_t *dst = fp + pc[2].u;
  uint64_t n = pc[3].u;
  uint64_t *src = sp - n;
  for (uint64_t k = 0; k < n; k++) dst[k] = src[k]; /* dst <= src */
  sp = dst + n;
  JUMP(pc[1].p);
}
L_BR_IF:
  if (I32(*--sp)) JUMP(pc[1].p);
  NEXT(1);
L_BR_IF_DROP:
  if (I32(*--sp)) goto L_BR_DROP;
  NEXT(3);
L_BR_UNLESS:
  if (!I32(*--sp)) JUMP(pc[1].p);
  NEXT(1);
L_BR_TABLE : {
  uint32_t n = (uint32_t)pc[1].u;
  uint32_t i = I32(*--sp);
  if (i > n) i = n;
  const WasmIns *e = pc + 2 + 3 * i;
  uint64_t *dst = fp + e[1].u;
  uint64_t k = e[2].u;
  uint64_t *src = sp - k;
  for (uint64_t j = 0; j < k; j++) dst[j] = src[j];
  sp = dst + k;
  JUMP(e[0].p);
}
L_RETURN : {
  uint32_t n = code->result_slots;
  uint64_t *src = sp - n;
  if (src != fp)
    for (uint32_t k = 0; k < n; k++) fp[k] = src[k]; /* fp < src: forward copy is safe */
  sp = fp + n;
  if (nf == base_frames) goto done;
  WasmFrame *fr = &frames[--nf];
  pc = fr->ret_pc;
  fp = fr->fp;
  code = fr->code;
  inst = fr->inst;
  LOAD_MEM();
  goto * pc->h;
}
L_CALL:
  callee = (WasmFuncObj *)pc[1].p;
  call_pc = pc;
  pc += 2; /* return address */
  goto do_call;
L_CALL_INDIRECT : {
  const WasmFuncType *ty = &inst->module->types[pc[1].u];
  WasmTableObj *t = inst->tables[pc[2].u];
  uint32_t i = I32(*--sp);
  if (i >= t->size) TRAP(WASM_TRAP_UNDEFINED_ELEMENT);
  Value v = t->elems[i];
  if (v == VAL_NULL) TRAP(WASM_TRAP_UNINITIALIZED_ELEMENT);
  callee = val_to_ptr(v);
  if (callee->params != ty->params &&
      !wasm_sig_equal(callee, ty->nparams, ty->params, ty->nresults, ty->results))
    TRAP(WASM_TRAP_INDIRECT_TYPE);
  call_pc = pc;
  pc += 3;
  goto do_call;
}
L_TAIL_CALL:
  callee = (WasmFuncObj *)pc[1].p;
  call_pc = pc;
  pc += 2;
  goto do_tail_call;
L_TAIL_CALL_INDIRECT : {
  const WasmFuncType *ty = &inst->module->types[pc[1].u];
  WasmTableObj *t = inst->tables[pc[2].u];
  uint32_t i = I32(*--sp);
  if (i >= t->size) TRAP(WASM_TRAP_UNDEFINED_ELEMENT);
  Value v = t->elems[i];
  if (v == VAL_NULL) TRAP(WASM_TRAP_UNINITIALIZED_ELEMENT);
  callee = val_to_ptr(v);
  if (callee->params != ty->params &&
      !wasm_sig_equal(callee, ty->nparams, ty->params, ty->nresults, ty->results))
    TRAP(WASM_TRAP_INDIRECT_TYPE);
  call_pc = pc;
  pc += 3;
  goto do_tail_call;
}
do_tail_call : {
  /* return_call: the callee replaces this frame, so tail recursion runs in
   * constant stack. A host callee is called normally, then we return. */
  if (!callee->inst) {
    uint64_t *args = sp - sig_slots(callee->params, callee->nparams);
    st->top = sp;
    st->nframes = nf;
    if (!call_host(rt, callee, args)) goto error_out;
    sp = args + sig_slots(callee->results, callee->nresults);
    goto L_RETURN;
  }
  WasmInstance *ci = callee->inst;
  WasmCode *cc = callee->code;
  if (__builtin_expect(!cc, 0)) {
    st->top = sp;
    st->nframes = nf;
    cc = code_for(rt, ci, callee->index);
    if (!cc) goto error_out;
  }
  if (fp + cc->frame_slots > stack_end) {
    pc = call_pc;
    TRAP(WASM_TRAP_STACK_EXHAUSTED);
  }
  if (rt->interrupt_requested) {
    pc = call_pc;
    TRAP(WASM_TRAP_INTERRUPTED);
  }
  uint64_t *args = sp - cc->param_slots;
  for (uint32_t k = 0; k < cc->param_slots; k++) fp[k] = args[k]; /* fp <= args */
  for (uint64_t *z = fp + cc->param_slots, *ze = fp + cc->locals_slots; z < ze; z++) *z = 0;
  sp = fp + cc->locals_slots;
  code = cc;
  inst = ci;
  LOAD_MEM();
  pc = cc->ins;
  goto * pc->h;
}
do_call : {
  if (!callee->inst) {
    uint64_t *args = sp - sig_slots(callee->params, callee->nparams);
    st->top = sp;
    st->nframes = nf;
    bool ok = call_host(rt, callee, args);
    if (!ok) goto error_out;
    sp = args + sig_slots(callee->results, callee->nresults);
    LOAD_MEM();
    goto * pc->h;
  }
  WasmInstance *ci = callee->inst;
  WasmCode *cc = callee->code;
  if (__builtin_expect(!cc, 0)) {
    st->top = sp;
    st->nframes = nf;
    cc = code_for(rt, ci, callee->index);
    if (!cc) goto error_out;
  }
  uint64_t *nfp = sp - cc->param_slots;
  if (nfp + cc->frame_slots > stack_end || nf >= WASM_FRAME_LIMIT) {
    pc = call_pc; /* report the call instruction itself */
    TRAP(WASM_TRAP_STACK_EXHAUSTED);
  }
  if (rt->interrupt_requested) {
    pc = call_pc;
    TRAP(WASM_TRAP_INTERRUPTED);
  }
  frames[nf++] = (WasmFrame){pc, fp, code, inst};
  for (uint64_t *z = nfp + cc->param_slots, *ze = nfp + cc->locals_slots; z < ze; z++) *z = 0;
  fp = nfp;
  sp = fp + cc->locals_slots;
  code = cc;
  if (inst != ci) {
    inst = ci;
    LOAD_MEM();
  }
  pc = cc->ins;
  goto * pc->h;
}

  /* --- stack, locals, globals --- */
L_DROP:
  sp--;
  NEXT(0);
L_DROP_N:
  sp -= pc[1].u;
  NEXT(1);
L_SELECT:
  sp -= 2;
  if (!I32(sp[1])) sp[-1] = sp[0];
  NEXT(0);
L_SELECT_V128:
  sp -= 3;
  if (!I32(sp[2])) {
    sp[-2] = sp[0];
    sp[-1] = sp[1];
  }
  NEXT(0);
L_LOCAL_GET:
  *sp++ = fp[pc[1].u];
  NEXT(1);
L_LOCAL_SET:
  fp[pc[1].u] = *--sp;
  NEXT(1);
L_LOCAL_TEE:
  fp[pc[1].u] = sp[-1];
  NEXT(1);
L_LOCAL_GET_V128:
  sp[0] = fp[pc[1].u];
  sp[1] = fp[pc[1].u + 1];
  sp += 2;
  NEXT(1);
L_LOCAL_SET_V128:
  sp -= 2;
  fp[pc[1].u] = sp[0];
  fp[pc[1].u + 1] = sp[1];
  NEXT(1);
L_LOCAL_TEE_V128:
  fp[pc[1].u] = sp[-2];
  fp[pc[1].u + 1] = sp[-1];
  NEXT(1);
L_GLOBAL_GET:
  *sp++ = inst->globals[pc[1].u]->v.bits;
  NEXT(1);
L_GLOBAL_SET : {
  WasmGlobalObj *g = inst->globals[pc[1].u];
  g->v.bits = *--sp;
  GC_WRITE_BARRIER(rt->heap, g, g->v.bits);
  NEXT(1);
}
L_GLOBAL_GET_V128:
  memcpy(sp, inst->globals[pc[1].u]->v.v128, 16);
  sp += 2;
  NEXT(1);
L_GLOBAL_SET_V128:
  sp -= 2;
  memcpy(inst->globals[pc[1].u]->v.v128, sp, 16);
  NEXT(1);
L_CONST:
  *sp++ = pc[1].u;
  NEXT(1);
L_CONST_V128:
  sp[0] = pc[1].u;
  sp[1] = pc[2].u;
  sp += 2;
  NEXT(2);

  /* --- tables and references --- */
L_TABLE_GET : {
  WasmTableObj *t = inst->tables[pc[1].u];
  uint32_t i = I32(sp[-1]);
  if (i >= t->size) TRAP(WASM_TRAP_OOB_TABLE);
  sp[-1] = t->elems[i];
  NEXT(1);
}
L_TABLE_SET : {
  WasmTableObj *t = inst->tables[pc[1].u];
  sp -= 2;
  uint32_t i = I32(sp[0]);
  if (i >= t->size) TRAP(WASM_TRAP_OOB_TABLE);
  t->elems[i] = sp[1];
  GC_WRITE_BARRIER(rt->heap, t, sp[1]);
  NEXT(1);
}
L_TABLE_SIZE:
  *sp++ = inst->tables[pc[1].u]->size;
  NEXT(1);
L_TABLE_GROW : {
  WasmTableObj *t = inst->tables[pc[1].u];
  sp -= 1;
  uint32_t n = I32(sp[0]);
  int64_t r = wasm_table_grow(rt, t, n, sp[-1]);
  sp[-1] = (uint32_t)r;
  NEXT(1);
}
L_TABLE_FILL : {
  WasmTableObj *t = inst->tables[pc[1].u];
  sp -= 3;
  uint32_t i = I32(sp[0]), n = I32(sp[2]);
  if ((uint64_t)i + n > t->size) TRAP(WASM_TRAP_OOB_TABLE);
  for (uint32_t k = 0; k < n; k++) t->elems[i + k] = sp[1];
  NEXT(1);
}
L_TABLE_INIT : {
  uint32_t seg = (uint32_t)pc[1].u;
  WasmTableObj *t = inst->tables[pc[2].u];
  sp -= 3;
  uint32_t d = I32(sp[0]), s = I32(sp[1]), n = I32(sp[2]);
  uint32_t len = inst->elem_values[seg] ? inst->elem_counts[seg] : 0;
  if ((uint64_t)s + n > len || (uint64_t)d + n > t->size) TRAP(WASM_TRAP_OOB_TABLE);
  if (n) memcpy(t->elems + d, inst->elem_values[seg] + s, (size_t)n * sizeof(Value));
  NEXT(2);
}
L_ELEM_DROP : {
  uint32_t seg = (uint32_t)pc[1].u;
  free(inst->elem_values[seg]);
  inst->elem_values[seg] = NULL;
  NEXT(1);
}
L_TABLE_COPY : {
  WasmTableObj *dt = inst->tables[pc[1].u], *stb = inst->tables[pc[2].u];
  sp -= 3;
  uint32_t d = I32(sp[0]), s = I32(sp[1]), n = I32(sp[2]);
  if ((uint64_t)s + n > stb->size || (uint64_t)d + n > dt->size) TRAP(WASM_TRAP_OOB_TABLE);
  if (n) memmove(dt->elems + d, stb->elems + s, (size_t)n * sizeof(Value));
  NEXT(2);
}
L_REF_NULL:
  *sp++ = VAL_NULL;
  NEXT(0);
L_REF_IS_NULL:
  sp[-1] = sp[-1] == VAL_NULL;
  NEXT(0);
L_REF_FUNC:
  *sp++ = val_from_ptr(inst->funcs[pc[1].u]);
  NEXT(1);

  /* --- memory --- */
#define EA(n)                                                                                      \
  uint64_t ea = (uint64_t)I32(sp[-1]) + pc[1].u;                                                   \
  if (ea + (n) > memsize) TRAP(WASM_TRAP_OOB_MEMORY)
#define LOAD(name, T, conv)                                                                        \
  L_##name : {                                                                                     \
    EA(sizeof(T));                                                                                 \
    T v;                                                                                           \
    memcpy(&v, mem + ea, sizeof v);                                                                \
    sp[-1] = (conv);                                                                               \
    NEXT(1);                                                                                       \
  }
#define STORE(name, T)                                                                             \
  L_##name : {                                                                                     \
    uint64_t ea = (uint64_t)I32(sp[-2]) + pc[1].u;                                                 \
    if (ea + sizeof(T) > memsize) TRAP(WASM_TRAP_OOB_MEMORY);                                      \
    T v = (T)sp[-1];                                                                               \
    memcpy(mem + ea, &v, sizeof v);                                                                \
    sp -= 2;                                                                                       \
    NEXT(1);                                                                                       \
  }
  LOAD(I32_LOAD, uint32_t, v)
  LOAD(I64_LOAD, uint64_t, v)
  LOAD(F32_LOAD, uint32_t, v)
  LOAD(F64_LOAD, uint64_t, v)
  LOAD(I32_LOAD8_S, int8_t, (uint32_t)(int32_t)v)
  LOAD(I32_LOAD8_U, uint8_t, v)
  LOAD(I32_LOAD16_S, int16_t, (uint32_t)(int32_t)v)
  LOAD(I32_LOAD16_U, uint16_t, v)
  LOAD(I64_LOAD8_S, int8_t, (uint64_t)(int64_t)v)
  LOAD(I64_LOAD8_U, uint8_t, v)
  LOAD(I64_LOAD16_S, int16_t, (uint64_t)(int64_t)v)
  LOAD(I64_LOAD16_U, uint16_t, v)
  LOAD(I64_LOAD32_S, int32_t, (uint64_t)(int64_t)v)
  LOAD(I64_LOAD32_U, uint32_t, v)
  STORE(I32_STORE, uint32_t)
  STORE(I64_STORE, uint64_t)
  STORE(F32_STORE, uint32_t)
  STORE(F64_STORE, uint64_t)
  STORE(I32_STORE8, uint8_t)
  STORE(I32_STORE16, uint16_t)
  STORE(I64_STORE8, uint8_t)
  STORE(I64_STORE16, uint16_t)
  STORE(I64_STORE32, uint32_t)
L_MEMORY_SIZE:
  *sp++ = memsize / WASM_PAGE_SIZE;
  NEXT(0);
L_MEMORY_GROW : {
  int64_t r = wasm_memory_grow(rt, inst->memories[pc[1].u], I32(sp[-1]));
  sp[-1] = (uint32_t)r;
  LOAD_MEM(); /* memory 0 may be the same object */
  NEXT(1);
}
L_ADDR64 : {
  /* memory64: the operands at the given depths are i64. Memories here are
   * at most 4 GiB, so a value above 32 bits is out of bounds; below, the
   * 32-bit instruction that follows does the exact check. */
  uint64_t mask = pc[1].u;
  for (int k = 1; k <= 3; k++)
    if ((mask >> k & 1) && sp[-k] > 0xFFFFFFFFull) TRAP(WASM_TRAP_OOB_MEMORY);
  NEXT(1);
}
L_MEMORY_GROW64 : {
  uint64_t delta = sp[-1];
  int64_t r =
      delta > 0xFFFFFFFFull ? -1 : wasm_memory_grow(rt, inst->memories[pc[1].u], (uint32_t)delta);
  sp[-1] = (uint64_t)r;
  LOAD_MEM();
  NEXT(1);
}
L_MEM_SELECT : {
  WasmMemoryObj *mk = pc[1].u ? inst->memories[pc[1].u] : inst->mem0;
  mem = mk->base;
  memsize = mk->size;
  NEXT(1);
}
L_MEMORY_COPY_N : {
  WasmMemoryObj *dm = inst->memories[pc[1].u], *sm = inst->memories[pc[2].u];
  sp -= 3;
  uint32_t d = I32(sp[0]), s = I32(sp[1]), n = I32(sp[2]);
  if ((uint64_t)s + n > sm->size || (uint64_t)d + n > dm->size) TRAP(WASM_TRAP_OOB_MEMORY);
  if (n) memmove(dm->base + d, sm->base + s, n);
  NEXT(2);
}
L_MEMORY_INIT : {
  uint32_t seg = (uint32_t)pc[1].u;
  const WasmDataSegment *ds = &inst->module->datas[seg];
  sp -= 3;
  uint32_t d = I32(sp[0]), s = I32(sp[1]), n = I32(sp[2]);
  uint32_t len = inst->data_dropped[seg] ? 0 : ds->data_len;
  if ((uint64_t)s + n > len || (uint64_t)d + n > memsize) TRAP(WASM_TRAP_OOB_MEMORY);
  if (n) memcpy(mem + d, inst->module->bytes + ds->data_start + s, n);
  NEXT(1);
}
L_DATA_DROP:
  inst->data_dropped[pc[1].u] = true;
  NEXT(1);
L_MEMORY_COPY : {
  sp -= 3;
  uint32_t d = I32(sp[0]), s = I32(sp[1]), n = I32(sp[2]);
  if ((uint64_t)s + n > memsize || (uint64_t)d + n > memsize) TRAP(WASM_TRAP_OOB_MEMORY);
  if (n) memmove(mem + d, mem + s, n);
  NEXT(0);
}
L_MEMORY_FILL : {
  sp -= 3;
  uint32_t d = I32(sp[0]), n = I32(sp[2]);
  if ((uint64_t)d + n > memsize) TRAP(WASM_TRAP_OOB_MEMORY);
  if (n) memset(mem + d, (uint8_t)sp[1], n);
  NEXT(0);
}

/* --- numeric --- */
#define UN(name, expr)                                                                             \
  L_##name : {                                                                                     \
    uint64_t x = sp[-1];                                                                           \
    sp[-1] = (expr);                                                                               \
    NEXT(0);                                                                                       \
  }
#define BIN(name, expr)                                                                            \
  L_##name : {                                                                                     \
    uint64_t y = sp[-1], x = sp[-2];                                                               \
    sp--;                                                                                          \
    sp[-1] = (expr);                                                                               \
    NEXT(0);                                                                                       \
  }
#define TRAPBIN(name, T, fn)                                                                       \
  L_##name : {                                                                                     \
    T r;                                                                                           \
    WasmTrap t_ = fn((T)sp[-2], (T)sp[-1], &r);                                                    \
    if (t_) TRAP(t_);                                                                              \
    sp--;                                                                                          \
    sp[-1] = r;                                                                                    \
    NEXT(0);                                                                                       \
  }
#define TRAPUN(name, T, arg, fn)                                                                   \
  L_##name : {                                                                                     \
    T r;                                                                                           \
    WasmTrap t_ = fn(arg(sp[-1]), &r);                                                             \
    if (t_) TRAP(t_);                                                                              \
    sp[-1] = r;                                                                                    \
    NEXT(0);                                                                                       \
  }
  UN(I32_EQZ, I32(x) == 0)
  BIN(I32_EQ, I32(x) == I32(y))
  BIN(I32_NE, I32(x) != I32(y))
  BIN(I32_LT_S, (int32_t)x < (int32_t)y)
  BIN(I32_LT_U, I32(x) < I32(y))
  BIN(I32_GT_S, (int32_t)x > (int32_t)y)
  BIN(I32_GT_U, I32(x) > I32(y))
  BIN(I32_LE_S, (int32_t)x <= (int32_t)y)
  BIN(I32_LE_U, I32(x) <= I32(y))
  BIN(I32_GE_S, (int32_t)x >= (int32_t)y)
  BIN(I32_GE_U, I32(x) >= I32(y))
  UN(I64_EQZ, x == 0)
  BIN(I64_EQ, x == y)
  BIN(I64_NE, x != y)
  BIN(I64_LT_S, (int64_t)x < (int64_t)y)
  BIN(I64_LT_U, x < y)
  BIN(I64_GT_S, (int64_t)x > (int64_t)y)
  BIN(I64_GT_U, x > y)
  BIN(I64_LE_S, (int64_t)x <= (int64_t)y)
  BIN(I64_LE_U, x <= y)
  BIN(I64_GE_S, (int64_t)x >= (int64_t)y)
  BIN(I64_GE_U, x >= y)
  BIN(F32_EQ, F32(x) == F32(y))
  BIN(F32_NE, F32(x) != F32(y))
  BIN(F32_LT, F32(x) < F32(y))
  BIN(F32_GT, F32(x) > F32(y))
  BIN(F32_LE, F32(x) <= F32(y))
  BIN(F32_GE, F32(x) >= F32(y))
  BIN(F64_EQ, F64(x) == F64(y))
  BIN(F64_NE, F64(x) != F64(y))
  BIN(F64_LT, F64(x) < F64(y))
  BIN(F64_GT, F64(x) > F64(y))
  BIN(F64_LE, F64(x) <= F64(y))
  BIN(F64_GE, F64(x) >= F64(y))
  UN(I32_CLZ, wasm_i32_clz(I32(x)))
  UN(I32_CTZ, wasm_i32_ctz(I32(x)))
  UN(I32_POPCNT, wasm_i32_popcnt(I32(x)))
  BIN(I32_ADD, I32(x + y))
  BIN(I32_SUB, I32(x - y))
  BIN(I32_MUL, I32(I32(x) * I32(y)))
  TRAPBIN(I32_DIV_S, uint32_t, wasm_i32_div_s)
  TRAPBIN(I32_DIV_U, uint32_t, wasm_i32_div_u)
  TRAPBIN(I32_REM_S, uint32_t, wasm_i32_rem_s)
  TRAPBIN(I32_REM_U, uint32_t, wasm_i32_rem_u)
  BIN(I32_AND, x & y)
  BIN(I32_OR, x | y)
  BIN(I32_XOR, x ^ y)
  BIN(I32_SHL, I32(I32(x) << (y & 31)))
  BIN(I32_SHR_S, wasm_i32_shr_s(I32(x), I32(y)))
  BIN(I32_SHR_U, I32(x) >> (y & 31))
  BIN(I32_ROTL, wasm_i32_rotl(I32(x), I32(y)))
  BIN(I32_ROTR, wasm_i32_rotr(I32(x), I32(y)))
  UN(I64_CLZ, wasm_i64_clz(x))
  UN(I64_CTZ, wasm_i64_ctz(x))
  UN(I64_POPCNT, wasm_i64_popcnt(x))
  BIN(I64_ADD, x + y)
  BIN(I64_SUB, x - y)
  BIN(I64_MUL, x * y)
  TRAPBIN(I64_DIV_S, uint64_t, wasm_i64_div_s)
  TRAPBIN(I64_DIV_U, uint64_t, wasm_i64_div_u)
  TRAPBIN(I64_REM_S, uint64_t, wasm_i64_rem_s)
  TRAPBIN(I64_REM_U, uint64_t, wasm_i64_rem_u)
  BIN(I64_AND, x & y)
  BIN(I64_OR, x | y)
  BIN(I64_XOR, x ^ y)
  BIN(I64_SHL, x << (y & 63))
  BIN(I64_SHR_S, wasm_i64_shr_s(x, y))
  BIN(I64_SHR_U, x >> (y & 63))
  BIN(I64_ROTL, wasm_i64_rotl(x, y))
  BIN(I64_ROTR, wasm_i64_rotr(x, y))
  UN(F32_ABS, wasm_f32_abs(I32(x)))
  UN(F32_NEG, wasm_f32_neg(I32(x)))
  UN(F32_CEIL, PF32(wasm_f32_ceil(F32(x))))
  UN(F32_FLOOR, PF32(wasm_f32_floor(F32(x))))
  UN(F32_TRUNC, PF32(wasm_f32_trunc(F32(x))))
  UN(F32_NEAREST, PF32(wasm_f32_nearest(F32(x))))
  UN(F32_SQRT, PF32(wasm_f32_sqrt(F32(x))))
  BIN(F32_ADD, PF32(F32(x) + F32(y)))
  BIN(F32_SUB, PF32(F32(x) - F32(y)))
  BIN(F32_MUL, PF32(F32(x) * F32(y)))
  BIN(F32_DIV, PF32(F32(x) / F32(y)))
  BIN(F32_MIN, PF32(wasm_f32_min(F32(x), F32(y))))
  BIN(F32_MAX, PF32(wasm_f32_max(F32(x), F32(y))))
  BIN(F32_COPYSIGN, wasm_f32_copysign(I32(x), I32(y)))
  UN(F64_ABS, wasm_f64_abs(x))
  UN(F64_NEG, wasm_f64_neg(x))
  UN(F64_CEIL, PF64(wasm_f64_ceil(F64(x))))
  UN(F64_FLOOR, PF64(wasm_f64_floor(F64(x))))
  UN(F64_TRUNC, PF64(wasm_f64_trunc(F64(x))))
  UN(F64_NEAREST, PF64(wasm_f64_nearest(F64(x))))
  UN(F64_SQRT, PF64(wasm_f64_sqrt(F64(x))))
  BIN(F64_ADD, PF64(F64(x) + F64(y)))
  BIN(F64_SUB, PF64(F64(x) - F64(y)))
  BIN(F64_MUL, PF64(F64(x) * F64(y)))
  BIN(F64_DIV, PF64(F64(x) / F64(y)))
  BIN(F64_MIN, PF64(wasm_f64_min(F64(x), F64(y))))
  BIN(F64_MAX, PF64(wasm_f64_max(F64(x), F64(y))))
  BIN(F64_COPYSIGN, wasm_f64_copysign(x, y))
  UN(I32_WRAP_I64, I32(x))
  TRAPUN(I32_TRUNC_F32_S, uint32_t, F32, wasm_i32_trunc_f32_s)
  TRAPUN(I32_TRUNC_F32_U, uint32_t, F32, wasm_i32_trunc_f32_u)
  TRAPUN(I32_TRUNC_F64_S, uint32_t, F64, wasm_i32_trunc_f64_s)
  TRAPUN(I32_TRUNC_F64_U, uint32_t, F64, wasm_i32_trunc_f64_u)
  UN(I64_EXTEND_I32_S, (uint64_t)(int64_t)(int32_t)x)
  UN(I64_EXTEND_I32_U, I32(x))
  TRAPUN(I64_TRUNC_F32_S, uint64_t, F32, wasm_i64_trunc_f32_s)
  TRAPUN(I64_TRUNC_F32_U, uint64_t, F32, wasm_i64_trunc_f32_u)
  TRAPUN(I64_TRUNC_F64_S, uint64_t, F64, wasm_i64_trunc_f64_s)
  TRAPUN(I64_TRUNC_F64_U, uint64_t, F64, wasm_i64_trunc_f64_u)
  UN(F32_CONVERT_I32_S, PF32(wasm_f32_convert_i32_s(I32(x))))
  UN(F32_CONVERT_I32_U, PF32(wasm_f32_convert_i32_u(I32(x))))
  UN(F32_CONVERT_I64_S, PF32(wasm_f32_convert_i64_s(x)))
  UN(F32_CONVERT_I64_U, PF32(wasm_f32_convert_i64_u(x)))
  UN(F32_DEMOTE_F64, PF32(wasm_f32_demote_f64(F64(x))))
  UN(F64_CONVERT_I32_S, PF64(wasm_f64_convert_i32_s(I32(x))))
  UN(F64_CONVERT_I32_U, PF64(wasm_f64_convert_i32_u(I32(x))))
  UN(F64_CONVERT_I64_S, PF64(wasm_f64_convert_i64_s(x)))
  UN(F64_CONVERT_I64_U, PF64(wasm_f64_convert_i64_u(x)))
  UN(F64_PROMOTE_F32, PF64(wasm_f64_promote_f32(F32(x))))
  UN(I32_REINTERPRET_F32, x)
  UN(I64_REINTERPRET_F64, x)
  UN(F32_REINTERPRET_I32, x)
  UN(F64_REINTERPRET_I64, x)
  UN(I32_EXTEND8_S, wasm_i32_extend8_s(I32(x)))
  UN(I32_EXTEND16_S, wasm_i32_extend16_s(I32(x)))
  UN(I64_EXTEND8_S, wasm_i64_extend8_s(x))
  UN(I64_EXTEND16_S, wasm_i64_extend16_s(x))
  UN(I64_EXTEND32_S, wasm_i64_extend32_s(x))
  UN(I32_TRUNC_SAT_F32_S, wasm_i32_trunc_sat_f32_s(F32(x)))
  UN(I32_TRUNC_SAT_F32_U, wasm_i32_trunc_sat_f32_u(F32(x)))
  UN(I32_TRUNC_SAT_F64_S, wasm_i32_trunc_sat_f64_s(F64(x)))
  UN(I32_TRUNC_SAT_F64_U, wasm_i32_trunc_sat_f64_u(F64(x)))
  UN(I64_TRUNC_SAT_F32_S, wasm_i64_trunc_sat_f32_s(F32(x)))
  UN(I64_TRUNC_SAT_F32_U, wasm_i64_trunc_sat_f32_u(F32(x)))
  UN(I64_TRUNC_SAT_F64_S, wasm_i64_trunc_sat_f64_s(F64(x)))
  UN(I64_TRUNC_SAT_F64_U, wasm_i64_trunc_sat_f64_u(F64(x)))

  /* --- fused forms: operands are locals (LL) or a local and a constant (LC) --- */
#define LL(name, expr)                                                                             \
  L_##name : {                                                                                     \
    uint64_t x = fp[pc[1].u], y = fp[pc[2].u];                                                     \
    *sp++ = (expr);                                                                                \
    NEXT(2);                                                                                       \
  }                                                                                                \
  L_##name##_SET : {                                                                               \
    uint64_t x = fp[pc[1].u], y = fp[pc[2].u];                                                     \
    fp[pc[3].u] = (expr);                                                                          \
    NEXT(3);                                                                                       \
  }
#define LC(name, expr)                                                                             \
  L_##name : {                                                                                     \
    uint64_t x = fp[pc[1].u], y = pc[2].u;                                                         \
    *sp++ = (expr);                                                                                \
    NEXT(2);                                                                                       \
  }                                                                                                \
  L_##name##_SET : {                                                                               \
    uint64_t x = fp[pc[1].u], y = pc[2].u;                                                         \
    fp[pc[3].u] = (expr);                                                                          \
    NEXT(3);                                                                                       \
  }
  LL(LL_I32_ADD, I32(x + y))
  LL(LL_I32_SUB, I32(x - y))
  LL(LL_I32_MUL, I32(I32(x) * I32(y)))
  LL(LL_I32_LT_S, (int32_t)x < (int32_t)y)
  LL(LL_I32_LT_U, I32(x) < I32(y))
  LC(LC_I32_ADD, I32(x + y))
  LC(LC_I32_SUB, I32(x - y))
  LC(LC_I32_AND, x & y)
  LC(LC_I32_SHL, I32(I32(x) << (y & 31)))
  LC(LC_I32_SHR_U, I32(x) >> (y & 31))
  LC(LC_I32_SHR_S, wasm_i32_shr_s(I32(x), I32(y)))
  LC(LC_I32_LT_S, (int32_t)x < (int32_t)y)
  LC(LC_I32_LT_U, I32(x) < I32(y))
  LL(LL_I64_ADD, x + y)
  LL(LL_I64_SUB, x - y)
  LL(LL_I64_MUL, x * y)
  LC(LC_I64_ADD, x + y)
  LL(LL_F64_ADD, PF64(F64(x) + F64(y)))
  LL(LL_F64_SUB, PF64(F64(x) - F64(y)))
  LL(LL_F64_MUL, PF64(F64(x) * F64(y)))
  LL(LL_F32_ADD, PF32(F32(x) + F32(y)))
  LL(LL_F32_MUL, PF32(F32(x) * F32(y)))

  /* --- compare and branch: i32 comparison fused with br_if / if --- */
#define BRC(name, expr)                                                                            \
  L_##name : {                                                                                     \
    sp -= 2;                                                                                       \
    uint64_t x = sp[0], y = sp[1];                                                                 \
    if (expr) JUMP(pc[1].p);                                                                       \
    NEXT(1);                                                                                       \
  }
#define BRC_LC(name, expr)                                                                         \
  L_##name : {                                                                                     \
    uint64_t x = fp[pc[2].u], y = pc[3].u;                                                         \
    if (expr) JUMP(pc[1].p);                                                                       \
    NEXT(3);                                                                                       \
  }
#define BRC_LL(name, expr)                                                                         \
  L_##name : {                                                                                     \
    uint64_t x = fp[pc[2].u], y = fp[pc[3].u];                                                     \
    if (expr) JUMP(pc[1].p);                                                                       \
    NEXT(3);                                                                                       \
  }
  BRC(BRC_EQ, I32(x) == I32(y))
  BRC(BRC_NE, I32(x) != I32(y))
  BRC(BRC_LT_S, (int32_t)x < (int32_t)y)
  BRC(BRC_LT_U, I32(x) < I32(y))
  BRC(BRC_GT_S, (int32_t)x > (int32_t)y)
  BRC(BRC_GT_U, I32(x) > I32(y))
  BRC(BRC_LE_S, (int32_t)x <= (int32_t)y)
  BRC(BRC_LE_U, I32(x) <= I32(y))
  BRC(BRC_GE_S, (int32_t)x >= (int32_t)y)
  BRC(BRC_GE_U, I32(x) >= I32(y))
  BRC_LC(BRC_LC_LT_S, (int32_t)x < (int32_t)y)
  BRC_LC(BRC_LC_LT_U, I32(x) < I32(y))
  BRC_LC(BRC_LC_GE_S, (int32_t)x >= (int32_t)y)
  BRC_LC(BRC_LC_GE_U, I32(x) >= I32(y))
  BRC_LL(BRC_LL_LT_S, (int32_t)x < (int32_t)y)
  BRC_LL(BRC_LL_LT_U, I32(x) < I32(y))
  BRC_LL(BRC_LL_GE_S, (int32_t)x >= (int32_t)y)
  BRC_LL(BRC_LL_GE_U, I32(x) >= I32(y))

  /* --- SIMD --- */
L_SIMD_UNARY:
  ((WasmSimdUnary)pc[1].p)((V128 *)(sp - 2));
  NEXT(1);
L_SIMD_BINARY:
  sp -= 2;
  ((WasmSimdBinary)pc[1].p)((V128 *)(sp - 2), (const V128 *)sp);
  NEXT(1);
L_SIMD_TERNARY:
  sp -= 4;
  ((WasmSimdTernary)pc[1].p)((V128 *)(sp - 2), (const V128 *)sp, (const V128 *)(sp + 2));
  NEXT(1);
L_SIMD_SHIFT:
  sp -= 1;
  ((WasmSimdShift)pc[1].p)((V128 *)(sp - 2), I32(sp[0]));
  NEXT(1);
L_SIMD_TEST : {
  sp -= 2;
  uint64_t r = ((WasmSimdTest)pc[1].p)((const V128 *)sp);
  *sp++ = r;
  NEXT(1);
}
L_SIMD_SPLAT : {
  uint64_t x = sp[-1];
  ((WasmSimdSplat)pc[1].p)((V128 *)(sp - 1), x);
  sp += 1;
  NEXT(1);
}
L_SIMD_EXTRACT : {
  sp -= 2;
  uint64_t r = ((WasmSimdExtract)pc[1].p)((const V128 *)sp, (uint32_t)pc[2].u);
  *sp++ = r;
  NEXT(2);
}
L_SIMD_REPLACE : {
  sp -= 1;
  ((WasmSimdReplace)pc[1].p)((V128 *)(sp - 2), sp[0], (uint32_t)pc[2].u);
  NEXT(2);
}
L_SIMD_SHUFFLE : {
  uint8_t lanes[16];
  memcpy(lanes, &pc[1].u, 8);
  memcpy(lanes + 8, &pc[2].u, 8);
  sp -= 2;
  wasm_simd_shuffle((V128 *)(sp - 2), (const V128 *)sp, lanes);
  NEXT(2);
}
L_V128_LOAD : {
  EA(16);
  memcpy(sp - 1, mem + ea, 16);
  sp += 1;
  NEXT(1);
}
L_V128_STORE : {
  uint64_t ea = (uint64_t)I32(sp[-3]) + pc[1].u;
  if (ea + 16 > memsize) TRAP(WASM_TRAP_OOB_MEMORY);
  memcpy(mem + ea, sp - 2, 16);
  sp -= 3;
  NEXT(1);
}
L_V128_LOAD_EXTEND : {
  EA(8);
  uint8_t b[8];
  memcpy(b, mem + ea, 8);
  wasm_simd_load_extend((V128 *)(sp - 1), b, (uint32_t)pc[2].u);
  sp += 1;
  NEXT(2);
}
L_V128_LOAD_SPLAT : {
  uint32_t n = (uint32_t)pc[2].u;
  EA(n);
  uint8_t b[8];
  memcpy(b, mem + ea, n);
  uint8_t *dst = (uint8_t *)(sp - 1);
  for (uint32_t k = 0; k < 16; k += n) memcpy(dst + k, b, n);
  sp += 1;
  NEXT(2);
}
L_V128_LOAD_ZERO : {
  uint32_t n = (uint32_t)pc[2].u;
  EA(n);
  uint8_t *dst = (uint8_t *)(sp - 1);
  uint8_t b[8];
  memcpy(b, mem + ea, n);
  memset(dst, 0, 16);
  memcpy(dst, b, n);
  sp += 1;
  NEXT(2);
}
L_V128_LOAD_LANE : {
  uint32_t n = (uint32_t)(pc[2].u & 0xFF), lane = (uint32_t)(pc[2].u >> 8);
  uint64_t ea = (uint64_t)I32(sp[-3]) + pc[1].u;
  if (ea + n > memsize) TRAP(WASM_TRAP_OOB_MEMORY);
  uint8_t *v = (uint8_t *)(sp - 2);
  memcpy(v + (lane * n & 15), mem + ea, n);
  sp[-3] = sp[-2];
  sp[-2] = sp[-1];
  sp -= 1;
  NEXT(2);
}
L_V128_STORE_LANE : {
  uint32_t n = (uint32_t)(pc[2].u & 0xFF), lane = (uint32_t)(pc[2].u >> 8);
  uint64_t ea = (uint64_t)I32(sp[-3]) + pc[1].u;
  if (ea + n > memsize) TRAP(WASM_TRAP_OOB_MEMORY);
  memcpy(mem + ea, (uint8_t *)(sp - 2) + (lane * n & 15), n);
  sp -= 3;
  NEXT(2);
}

trap_out : {
  uint32_t idx = (uint32_t)(pc - code->ins);
  st->nframes = base_frames;
  wasm_throw_trap(rt, trap, inst, code->func_index, code_offset(code, idx));
  return false;
}
error_out:
  st->nframes = base_frames;
  return false;
done:
  st->nframes = base_frames;
  return true;
}

const void *const *wasm_interp_handlers(void) {
  if (!handler_table) run(NULL, NULL, NULL, NULL);
  return handler_table;
}

bool wasm_interp_run(Runtime *rt, WasmInstance *inst, uint32_t func, uint64_t *fp) {
  WasmExecState *st = rt->wasm;
  WasmCode *code = code_for(rt, inst, func);
  if (!code) return false;
  if (fp + code->frame_slots > st->stack_end || st->nframes >= WASM_FRAME_LIMIT) {
    wasm_throw_trap(rt, WASM_TRAP_STACK_EXHAUSTED, inst, func, 0);
    return false;
  }
  memset(fp + code->param_slots, 0, (size_t)(code->locals_slots - code->param_slots) * 8);
  uint64_t *saved_top = st->top;
  bool ok = run(rt, inst, code, fp);
  st->top = saved_top;
  return ok;
}

bool wasm_call_slots(Runtime *rt, WasmFuncObj *f, uint64_t *fp) {
  if (!f->inst) return call_host(rt, f, fp);
  return wasm_interp_run(rt, f->inst, f->index, fp);
}

bool wasm_call(Runtime *rt, Value func, const WasmVal *args, size_t nargs, WasmVal *results,
               size_t nresults) {
  if (!val_is_ptr(func) || ((GCHeader *)val_to_ptr(func))->kind != GC_KIND_WASM_FUNC) {
    rt_throw(rt, ERR_TypeError, "not a WebAssembly function");
    return false;
  }
  WasmFuncObj *f = val_to_ptr(func);
  if (nargs != f->nparams || nresults != f->nresults) {
    rt_throw(rt, ERR_TypeError, "wrong number of arguments or results for a WebAssembly function");
    return false;
  }
  WasmExecState *st = wasm_exec_state(rt);
  if (!st) return false;
  if (rt_check_stack(rt)) return false;
  uint64_t *fp = st->top;
  uint32_t in = sig_slots(f->params, f->nparams), out = sig_slots(f->results, f->nresults);
  if (fp + (in > out ? in : out) + 64 > st->stack_end) {
    rt_throw(rt, ERR_RangeError, "Maximum call stack size exceeded");
    return false;
  }
  uint64_t *s = fp;
  for (size_t i = 0; i < nargs; i++) {
    WasmCell c;
    WasmVal v = args[i];
    v.type = f->params[i];
    wasm_cell_from_val(&c, &v);
    memcpy(s, &c, 8 * wasm_type_slots(f->params[i]));
    s += wasm_type_slots(f->params[i]);
  }
  st->top = s;
  st->depth++;
  bool ok = wasm_call_slots(rt, f, fp);
  st->depth--;
  st->top = fp;
  if (!ok) return false;
  s = fp;
  for (size_t i = 0; i < nresults; i++) {
    WasmCell c;
    memset(&c, 0, sizeof c);
    memcpy(&c, s, 8 * wasm_type_slots(f->results[i]));
    s += wasm_type_slots(f->results[i]);
    wasm_cell_to_val(&c, f->results[i], &results[i]);
  }
  return true;
}
