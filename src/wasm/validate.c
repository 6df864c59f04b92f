/* validate.c: the WebAssembly validator. Checks module-level rules (limits,
 * exports, start, declared function references) and type-checks every
 * function body with the spec's algorithm (operand stack with an Unknown
 * type for unreachable code, control stack), decoding the instructions as it
 * goes, and leaves each function's control side table for the interpreter
 * and the JIT (format in module.h). One pass, linear in the body size. */
#include <stdlib.h>
#include <string.h>

#include "wasm/decode.h"
#include "wasm/module.h"

#define UNKNOWN 0 /* the bottom type of the polymorphic stack */
#define SLOTS(t) ((t) == WASM_V128 ? 2u : 1u)

typedef struct Frame {
  uint16_t op;      /* WASM_OP_BLOCK, LOOP, IF, ELSE (an if past its else), or END for the function */
  bool unreachable; /* the rest of this block is unreachable: the stack is polymorphic */
  uint32_t nparams, nresults;
  const uint8_t *params, *results;
  uint32_t param_slots, result_slots;
  uint32_t height, height_slots; /* operand stack below the block's params */
  uint32_t entry;  /* side-table index of the block/loop/if entry (UINT32_MAX: none) */
  uint32_t fixups; /* entries waiting for this label's end: index + 1 chained through .target; 0 = none */
  uint32_t loop_target;
} Frame;

typedef struct Validator {
  WasmReader r;
  WasmModule *m;
  uint8_t *declared; /* C.refs: functions that ref.func may name */
  const uint8_t *pc; /* start of the current instruction (for messages) */

  WasmFunc *f;
  const WasmFuncType *ft;

  uint8_t *stack;
  uint32_t sp, cap, slots, max_sp, max_slots;
  Frame *frames;
  uint32_t nframes, fcap;
  WasmCtlEntry *ctl;
  uint32_t nctl, ctlcap;
} Validator;

#define RD (&v->r)

static const uint8_t one_type[256] = {
    [WASM_I32] = WASM_I32,         [WASM_I64] = WASM_I64,         [WASM_F32] = WASM_F32,
    [WASM_F64] = WASM_F64,         [WASM_V128] = WASM_V128,       [WASM_FUNCREF] = WASM_FUNCREF,
    [WASM_EXTERNREF] = WASM_EXTERNREF,
};

static bool fail(Validator *v, const char *msg) { return wasm_fail(RD, v->pc, "%s", msg); }

static bool type_mismatch(Validator *v) { return fail(v, "type mismatch"); }

static bool oom(Validator *v) { return fail(v, "out of memory"); }

static bool is_ref(uint8_t t) { return t == WASM_FUNCREF || t == WASM_EXTERNREF; }

static bool types_equal(const uint8_t *a, uint32_t na, const uint8_t *b, uint32_t nb) {
  return na == nb && (na == 0 || memcmp(a, b, na) == 0);
}

static uint32_t types_slots(const uint8_t *t, uint32_t n) {
  uint32_t s = 0;
  for (uint32_t i = 0; i < n; i++) s += SLOTS(t[i]);
  return s;
}

/* ---- operand stack ----------------------------------------------------------- */

static bool grow(void **p, uint32_t *cap, size_t elem) {
  uint32_t ncap = *cap ? *cap * 2 : 64;
  void *np = realloc(*p, (size_t)ncap * elem);
  if (!np) return false;
  *p = np;
  *cap = ncap;
  return true;
}

static inline bool push(Validator *v, uint8_t t) {
  if (v->sp == v->cap && !grow((void **)&v->stack, &v->cap, 1)) return oom(v);
  v->stack[v->sp++] = t;
  v->slots += SLOTS(t);
  if (v->sp > v->max_sp) v->max_sp = v->sp;
  if (v->slots > v->max_slots) v->max_slots = v->slots;
  return true;
}

static inline bool pop_any(Validator *v, uint8_t *out) {
  *out = UNKNOWN; /* written on failure too, so callers never read garbage */
  Frame *fr = &v->frames[v->nframes - 1];
  if (v->sp == fr->height) {
    if (fr->unreachable) {
      *out = UNKNOWN;
      return true;
    }
    return type_mismatch(v);
  }
  uint8_t t = v->stack[--v->sp];
  v->slots -= SLOTS(t);
  *out = t;
  return true;
}

static inline bool pop_expect(Validator *v, uint8_t want) {
  uint8_t t;
  if (!pop_any(v, &t)) return false;
  if (t != want && t != UNKNOWN && want != UNKNOWN) return type_mismatch(v);
  return true;
}

static bool pop_types(Validator *v, const uint8_t *t, uint32_t n) {
  for (uint32_t i = n; i-- > 0;)
    if (!pop_expect(v, t[i])) return false;
  return true;
}

static bool push_types(Validator *v, const uint8_t *t, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (!push(v, t[i])) return false;
  return true;
}

static void set_unreachable(Validator *v) {
  Frame *fr = &v->frames[v->nframes - 1];
  v->sp = fr->height;
  v->slots = fr->height_slots;
  fr->unreachable = true;
}

/* ---- control stack and side table -------------------------------------------- */

static uint32_t add_entry(Validator *v, uint16_t op) {
  if (v->nctl == v->ctlcap && !grow((void **)&v->ctl, &v->ctlcap, sizeof(WasmCtlEntry))) {
    oom(v);
    return UINT32_MAX;
  }
  WasmCtlEntry *e = &v->ctl[v->nctl];
  memset(e, 0, sizeof *e);
  e->pc = (uint32_t)(v->pc - RD->base);
  e->op = op;
  return v->nctl++;
}

static bool push_frame(Validator *v, uint16_t op, const uint8_t *params, uint32_t np,
                       const uint8_t *results, uint32_t nr, uint32_t entry) {
  if (v->nframes == v->fcap && !grow((void **)&v->frames, &v->fcap, sizeof(Frame))) return oom(v);
  Frame *fr = &v->frames[v->nframes++];
  fr->op = op;
  fr->unreachable = false;
  fr->params = params;
  fr->nparams = np;
  fr->results = results;
  fr->nresults = nr;
  fr->param_slots = types_slots(params, np);
  fr->result_slots = types_slots(results, nr);
  fr->height = v->sp;
  fr->height_slots = v->slots;
  fr->entry = entry;
  fr->fixups = 0;
  fr->loop_target = 0;
  return true;
}

/* Fills a branch entry for label depth `depth` (already checked). */
static void branch_to(Validator *v, uint32_t ei, uint32_t depth) {
  Frame *fr = &v->frames[v->nframes - 1 - depth];
  WasmCtlEntry *e = &v->ctl[ei];
  e->height = fr->height;
  e->height_slots = fr->height_slots;
  if (fr->op == WASM_OP_LOOP) {
    e->arity = fr->nparams;
    e->arity_slots = fr->param_slots;
    e->target = fr->loop_target;
  } else {
    e->arity = fr->nresults;
    e->arity_slots = fr->result_slots;
    e->target = fr->fixups; /* chained; resolved at the label's end */
    fr->fixups = ei + 1;
  }
}

static void resolve_fixups(Validator *v, Frame *fr, uint32_t target) {
  uint32_t link = fr->fixups;
  while (link) {
    WasmCtlEntry *e = &v->ctl[link - 1];
    link = e->target;
    e->target = target;
  }
  fr->fixups = 0;
}

static inline void label_types(const Frame *fr, const uint8_t **t, uint32_t *n) {
  if (fr->op == WASM_OP_LOOP) {
    *t = fr->params;
    *n = fr->nparams;
  } else {
    *t = fr->results;
    *n = fr->nresults;
  }
}

static bool read_label(Validator *v, uint32_t *depth) {
  if (!wasm_read_u32(RD, depth)) return false;
  if (*depth >= v->nframes) return wasm_fail(RD, v->pc, "unknown label");
  return true;
}

static bool read_blocktype(Validator *v, const uint8_t **params, uint32_t *np,
                           const uint8_t **results, uint32_t *nr) {
  *params = *results = NULL;
  *np = *nr = 0;
  if (RD->p < RD->end) {
    uint8_t b = *RD->p;
    if (b == 0x40) {
      RD->p++;
      return true;
    }
    if (wasm_is_valtype(b)) {
      RD->p++;
      *results = &one_type[b];
      *nr = 1;
      return true;
    }
  }
  int64_t idx;
  if (!wasm_read_s33(RD, &idx)) return false;
  if (idx < 0) return fail(v, "malformed block type");
  if ((uint64_t)idx >= v->m->ntypes) return wasm_fail(RD, v->pc, "unknown type %u", (unsigned)idx);
  const WasmFuncType *t = &v->m->types[idx];
  *params = t->params;
  *np = t->nparams;
  *results = t->results;
  *nr = t->nresults;
  return true;
}

/* ---- immediates ------------------------------------------------------------- */

/* Checks a memory index; *addr gets the memory's address type. */
static bool check_memory(Validator *v, uint32_t mem, uint8_t *addr) {
  if (mem >= v->m->nmemories) return wasm_fail(RD, v->pc, "unknown memory %u", mem);
  *addr = v->m->memories[mem].type.limits.is64 ? WASM_I64 : WASM_I32;
  return true;
}

/* A memory index is one zero byte in Wasm 2.0 (the interpreter's pre-decoder
 * relies on that); with multi-memory it is a u32 LEB. */
static bool read_memidx(Validator *v, uint8_t *addr) {
  if (v->m->features & WASM_FEATURE_MULTI_MEMORY) {
    uint32_t mem;
    if (!wasm_read_u32(RD, &mem)) return false;
    return check_memory(v, mem, addr);
  }
  uint8_t mem;
  if (!wasm_read_u8(RD, &mem)) return false;
  if (mem & 0x80) return fail(v, "zero byte expected");
  return check_memory(v, mem, addr);
}

static bool read_memarg(Validator *v, uint32_t natural, uint8_t *addr) {
  uint32_t align, mem = 0;
  if (!wasm_read_u32(RD, &align)) return false;
  if ((v->m->features & WASM_FEATURE_MULTI_MEMORY) && (align & 0x40) && align < 0x80) {
    align &= ~0x40u;
    if (!wasm_read_u32(RD, &mem)) return false;
  }
  if (!check_memory(v, mem, addr)) return false;
  if (*addr == WASM_I64) {
    uint64_t offset;
    if (!wasm_read_u64(RD, &offset)) return false;
  } else {
    uint32_t offset;
    if (!wasm_read_u32(RD, &offset)) return false;
  }
  if (align > natural) return fail(v, "alignment must not be larger than natural");
  return true;
}

static bool read_table(Validator *v, uint32_t *t) {
  if (!wasm_read_u32(RD, t)) return false;
  if (*t >= v->m->ntables) return wasm_fail(RD, v->pc, "unknown table %u", *t);
  return true;
}

static bool read_elem(Validator *v, uint32_t *e) {
  if (!wasm_read_u32(RD, e)) return false;
  if (*e >= v->m->nelems) return wasm_fail(RD, v->pc, "unknown elem segment %u", *e);
  return true;
}

static bool read_data(Validator *v) {
  uint32_t d;
  if (!wasm_read_u32(RD, &d)) return false;
  if (!v->m->has_data_count) return fail(v, "data count section required");
  if (d >= v->m->data_count) return wasm_fail(RD, v->pc, "unknown data segment %u", d);
  return true;
}

static bool read_func(Validator *v, uint32_t *f) {
  if (!wasm_read_u32(RD, f)) return false;
  if (*f >= v->m->nfuncs) return wasm_fail(RD, v->pc, "unknown function %u", *f);
  return true;
}

static bool local_type(Validator *v, uint32_t idx, uint8_t *t) {
  if (idx < v->ft->nparams) {
    *t = v->ft->params[idx];
    return true;
  }
  idx -= v->ft->nparams;
  if (idx < v->f->nlocals) {
    *t = v->f->local_types[idx];
    return true;
  }
  return wasm_fail(RD, v->pc, "unknown local %u", idx + v->ft->nparams);
}

/* ---- instructions ------------------------------------------------------------- */

/* Instructions with a fixed signature: immediates first, then the stack. */
static bool fixed_op(Validator *v, uint32_t id, const WasmOpInfo *info) {
  /* Memory instructions take their address type from the memory (memory64). */
  uint8_t p[3] = {info->params[0], info->params[1], info->params[2]};
  uint8_t result = info->result;
  uint8_t addr, addr2;
  switch (info->imm) {
  case WASM_IMM_NONE: break;
  case WASM_IMM_MEMARG:
    if (!read_memarg(v, info->extra, &addr)) return false;
    p[0] = addr;
    break;
  case WASM_IMM_MEMARG_LANE: {
    if (!read_memarg(v, info->extra, &addr)) return false;
    p[0] = addr;
    uint8_t lane;
    if (!wasm_read_u8(RD, &lane)) return false;
    if (lane >= (16u >> info->extra)) return fail(v, "invalid lane index");
    break;
  }
  case WASM_IMM_LANE: {
    uint8_t lane;
    if (!wasm_read_u8(RD, &lane)) return false;
    if (lane >= info->extra) return fail(v, "invalid lane index");
    break;
  }
  case WASM_IMM_SHUFFLE: {
    const uint8_t *lanes;
    if (!wasm_read_bytes(RD, 16, &lanes)) return false;
    for (int i = 0; i < 16; i++)
      if (lanes[i] >= 32) return fail(v, "invalid lane index");
    break;
  }
  case WASM_IMM_MEMORY:
    if (!read_memidx(v, &addr)) return false;
    if (id == WASM_OP_MEMORY_SIZE) result = addr;
    if (id == WASM_OP_MEMORY_GROW) p[0] = result = addr;
    if (id == WASM_OP_MEMORY_FILL) p[0] = p[2] = addr;
    break;
  case WASM_IMM_I32: {
    int32_t x;
    if (!wasm_read_s32(RD, &x)) return false;
    break;
  }
  case WASM_IMM_I64: {
    int64_t x;
    if (!wasm_read_s64(RD, &x)) return false;
    break;
  }
  case WASM_IMM_F32:
  case WASM_IMM_F64:
  case WASM_IMM_V128: {
    const uint8_t *b;
    size_t n = info->imm == WASM_IMM_F32 ? 4 : info->imm == WASM_IMM_F64 ? 8 : 16;
    if (!wasm_read_bytes(RD, n, &b)) return false;
    break;
  }
  case WASM_IMM_MEMORY_INIT:
    if (!read_data(v) || !read_memidx(v, &addr)) return false;
    p[0] = addr;
    break;
  case WASM_IMM_DATA:
    if (!read_data(v)) return false;
    break;
  case WASM_IMM_MEMORY_COPY:
    if (!read_memidx(v, &addr) || !read_memidx(v, &addr2)) return false;
    p[0] = addr;
    p[1] = addr2;
    p[2] = addr == WASM_I64 && addr2 == WASM_I64 ? WASM_I64 : WASM_I32;
    break;
  case WASM_IMM_TABLE_INIT: {
    uint32_t e, t;
    if (!read_elem(v, &e) || !read_table(v, &t)) return false;
    if (v->m->elems[e].elem_type != v->m->tables[t].type.elem_type) return type_mismatch(v);
    break;
  }
  case WASM_IMM_ELEM: {
    uint32_t e;
    if (!read_elem(v, &e)) return false;
    break;
  }
  case WASM_IMM_TABLE_COPY: {
    uint32_t dst, src;
    if (!read_table(v, &dst) || !read_table(v, &src)) return false;
    if (v->m->tables[dst].type.elem_type != v->m->tables[src].type.elem_type)
      return type_mismatch(v);
    break;
  }
  case WASM_IMM_TABLE: {
    uint32_t t;
    if (!read_table(v, &t)) return false;
    break;
  }
  default: return fail(v, "illegal opcode");
  }
  for (uint32_t i = info->nparams; i-- > 0;)
    if (!pop_expect(v, p[i])) return false;
  if (info->nresults) return push(v, result);
  return true;
}

static bool do_call(Validator *v, const WasmFuncType *t, bool tail) {
  if (!pop_types(v, t->params, t->nparams)) return false;
  if (tail) {
    const WasmFuncType *self = v->ft;
    if (!types_equal(t->results, t->nresults, self->results, self->nresults))
      return type_mismatch(v);
    uint32_t ei = add_entry(v, (uint16_t)(v->pc[0] == WASM_OP_RETURN_CALL ? WASM_OP_RETURN_CALL
                                                                          : WASM_OP_RETURN_CALL_INDIRECT));
    if (ei == UINT32_MAX) return false;
    v->ctl[ei].target = v->f->code_end;
    v->ctl[ei].arity = t->nparams;
    v->ctl[ei].arity_slots = types_slots(t->params, t->nparams);
    set_unreachable(v);
    return true;
  }
  return push_types(v, t->results, t->nresults);
}

static bool do_end(Validator *v) {
  Frame *fr = &v->frames[v->nframes - 1];
  if (!pop_types(v, fr->results, fr->nresults)) return false;
  if (v->sp != fr->height) return type_mismatch(v);
  uint32_t ei = add_entry(v, WASM_OP_END);
  if (ei == UINT32_MAX) return false;
  uint32_t past = (uint32_t)(RD->p - RD->base);
  v->ctl[ei].target = past;
  v->ctl[ei].arity = fr->nresults;
  v->ctl[ei].arity_slots = fr->result_slots;
  v->ctl[ei].height = fr->height;
  v->ctl[ei].height_slots = fr->height_slots;
  if (fr->op == WASM_OP_IF) {
    /* No else: the missing else arm passes the params through unchanged. */
    if (!types_equal(fr->params, fr->nparams, fr->results, fr->nresults))
      return type_mismatch(v);
  }
  if (fr->op == WASM_OP_IF || fr->op == WASM_OP_BLOCK) v->ctl[fr->entry].target = past;
  resolve_fixups(v, fr, past);
  const uint8_t *results = fr->results;
  uint32_t nr = fr->nresults;
  v->nframes--;
  if (v->nframes == 0) return true;
  return push_types(v, results, nr);
}

static bool validate_body(Validator *v) {
  WasmModule *m = v->m;
  for (;;) {
    v->pc = RD->p;
    if (RD->p >= RD->end) {
      if (RD->end == RD->buf_end) return wasm_fail_eof(RD);
      return fail(v, "END opcode expected");
    }
    uint8_t op = *RD->p++;
    switch (op) {
    case WASM_OP_UNREACHABLE: set_unreachable(v); break;
    case WASM_OP_NOP: break;
    case WASM_OP_BLOCK:
    case WASM_OP_LOOP:
    case WASM_OP_IF: {
      const uint8_t *params, *results;
      uint32_t np, nr;
      if (!read_blocktype(v, &params, &np, &results, &nr)) return false;
      if (op == WASM_OP_IF && !pop_expect(v, WASM_I32)) return false;
      if (!pop_types(v, params, np)) return false;
      uint32_t ei = add_entry(v, op);
      if (ei == UINT32_MAX) return false;
      if (!push_frame(v, op, params, np, results, nr, ei)) return false;
      Frame *fr = &v->frames[v->nframes - 1];
      WasmCtlEntry *e = &v->ctl[ei];
      e->arity = np;
      e->arity_slots = fr->param_slots;
      e->height = fr->height;
      e->height_slots = fr->height_slots;
      if (op == WASM_OP_LOOP) fr->loop_target = e->target = (uint32_t)(RD->p - RD->base);
      if (!push_types(v, params, np)) return false;
      break;
    }
    case WASM_OP_ELSE: {
      Frame *fr = &v->frames[v->nframes - 1];
      if (fr->op != WASM_OP_IF) return fail(v, "else without matching if");
      if (!pop_types(v, fr->results, fr->nresults)) return false;
      if (v->sp != fr->height) return type_mismatch(v);
      uint32_t ei = add_entry(v, WASM_OP_ELSE);
      if (ei == UINT32_MAX) return false;
      fr = &v->frames[v->nframes - 1];
      v->ctl[fr->entry].target = (uint32_t)(RD->p - RD->base);
      v->ctl[ei].arity = fr->nresults;
      v->ctl[ei].arity_slots = fr->result_slots;
      v->ctl[ei].height = fr->height;
      v->ctl[ei].height_slots = fr->height_slots;
      v->ctl[ei].target = fr->fixups;
      fr->fixups = ei + 1;
      fr->op = WASM_OP_ELSE;
      fr->unreachable = false;
      if (!push_types(v, fr->params, fr->nparams)) return false;
      break;
    }
    case WASM_OP_END:
      if (!do_end(v)) return false;
      if (v->nframes == 0) {
        if (RD->p != RD->end) return wasm_fail(RD, RD->p, "section size mismatch");
        return true;
      }
      break;
    case WASM_OP_BR:
    case WASM_OP_BR_IF: {
      uint32_t depth;
      if (!read_label(v, &depth)) return false;
      if (op == WASM_OP_BR_IF && !pop_expect(v, WASM_I32)) return false;
      const uint8_t *t;
      uint32_t n;
      label_types(&v->frames[v->nframes - 1 - depth], &t, &n);
      if (!pop_types(v, t, n)) return false;
      uint32_t ei = add_entry(v, op);
      if (ei == UINT32_MAX) return false;
      branch_to(v, ei, depth);
      if (op == WASM_OP_BR) set_unreachable(v);
      else if (!push_types(v, t, n)) return false;
      break;
    }
    case WASM_OP_BR_TABLE: {
      uint32_t n;
      if (!wasm_read_u32(RD, &n)) return false;
      if (n > (size_t)(RD->end - RD->p)) {
        RD->p = RD->end;
        return wasm_fail_eof(RD);
      }
      if (n > WASM_MAX_BR_TABLE) return fail(v, "br_table too large");
      /* The default label comes last in the binary; read all labels first. */
      const uint8_t *labels = RD->p;
      uint32_t depth;
      for (uint32_t i = 0; i < n; i++)
        if (!read_label(v, &depth)) return false;
      uint32_t def;
      if (!read_label(v, &def)) return false;
      if (!pop_expect(v, WASM_I32)) return false;
      const uint8_t *dt;
      uint32_t arity;
      label_types(&v->frames[v->nframes - 1 - def], &dt, &arity);
      uint32_t ei = add_entry(v, WASM_OP_BR_TABLE);
      if (ei == UINT32_MAX) return false;
      v->ctl[ei].count = n;
      branch_to(v, ei, def);
      const uint8_t *after = RD->p;
      RD->p = labels;
      for (uint32_t i = 0; i < n; i++) {
        wasm_read_u32(RD, &depth);
        const uint8_t *t;
        uint32_t k;
        label_types(&v->frames[v->nframes - 1 - depth], &t, &k);
        if (k != arity) return type_mismatch(v);
        /* Each label's types must fit the operands without consuming them. */
        uint32_t sp = v->sp, slots = v->slots;
        if (!pop_types(v, t, k)) return false;
        v->sp = sp;
        v->slots = slots;
        /* pop_types on a polymorphic stack pops nothing real, so restoring
         * sp keeps the operand types as they were. */
        uint32_t li = add_entry(v, WASM_OP_BR_TABLE);
        if (li == UINT32_MAX) return false;
        branch_to(v, li, depth);
      }
      RD->p = after;
      if (!pop_types(v, dt, arity)) return false;
      set_unreachable(v);
      break;
    }
    case WASM_OP_RETURN: {
      if (!pop_types(v, v->ft->results, v->ft->nresults)) return false;
      uint32_t ei = add_entry(v, WASM_OP_RETURN);
      if (ei == UINT32_MAX) return false;
      v->ctl[ei].target = v->f->code_end;
      v->ctl[ei].arity = v->ft->nresults;
      v->ctl[ei].arity_slots = types_slots(v->ft->results, v->ft->nresults);
      set_unreachable(v);
      break;
    }
    case WASM_OP_CALL:
    case WASM_OP_RETURN_CALL: {
      uint32_t f;
      if (!read_func(v, &f)) return false;
      if (!do_call(v, wasm_func_type_of(m, f), op == WASM_OP_RETURN_CALL)) return false;
      break;
    }
    case WASM_OP_CALL_INDIRECT:
    case WASM_OP_RETURN_CALL_INDIRECT: {
      uint32_t ti, tab;
      if (!wasm_read_u32(RD, &ti)) return false;
      if (!read_table(v, &tab)) return false;
      if (ti >= m->ntypes) return wasm_fail(RD, v->pc, "unknown type %u", ti);
      if (m->tables[tab].type.elem_type != WASM_FUNCREF) return type_mismatch(v);
      if (!pop_expect(v, WASM_I32)) return false;
      if (!do_call(v, &m->types[ti], op == WASM_OP_RETURN_CALL_INDIRECT)) return false;
      break;
    }
    case WASM_OP_DROP: {
      uint8_t t;
      if (!pop_any(v, &t)) return false;
      break;
    }
    case WASM_OP_SELECT: {
      uint8_t t1, t2;
      if (!pop_expect(v, WASM_I32) || !pop_any(v, &t1) || !pop_any(v, &t2)) return false;
      if (is_ref(t1) || is_ref(t2)) return type_mismatch(v);
      if (t1 != t2 && t1 != UNKNOWN && t2 != UNKNOWN) return type_mismatch(v);
      if (!push(v, t1 == UNKNOWN ? t2 : t1)) return false;
      break;
    }
    case WASM_OP_SELECT_T: {
      uint32_t n;
      if (!wasm_read_u32(RD, &n)) return false;
      if (n != 1) return fail(v, "invalid result arity");
      uint8_t t;
      if (!wasm_read_u8(RD, &t)) return false;
      if (!wasm_is_valtype(t)) return fail(v, "malformed value type");
      if (!pop_expect(v, WASM_I32) || !pop_expect(v, t) || !pop_expect(v, t)) return false;
      if (!push(v, t)) return false;
      break;
    }
    case WASM_OP_LOCAL_GET:
    case WASM_OP_LOCAL_SET:
    case WASM_OP_LOCAL_TEE: {
      uint32_t idx;
      uint8_t t = UNKNOWN;
      if (!wasm_read_u32(RD, &idx) || !local_type(v, idx, &t)) return false;
      if (op == WASM_OP_LOCAL_GET) {
        if (!push(v, t)) return false;
      } else {
        if (!pop_expect(v, t)) return false;
        if (op == WASM_OP_LOCAL_TEE && !push(v, t)) return false;
      }
      break;
    }
    case WASM_OP_GLOBAL_GET:
    case WASM_OP_GLOBAL_SET: {
      uint32_t g;
      if (!wasm_read_u32(RD, &g)) return false;
      if (g >= m->nglobals) return wasm_fail(RD, v->pc, "unknown global %u", g);
      const WasmGlobalType *gt = &m->globals[g].type;
      if (op == WASM_OP_GLOBAL_GET) {
        if (!push(v, gt->type)) return false;
      } else {
        if (!gt->mutable_) return fail(v, "global is immutable");
        if (!pop_expect(v, gt->type)) return false;
      }
      break;
    }
    case WASM_OP_TABLE_GET:
    case WASM_OP_TABLE_SET: {
      uint32_t tab;
      if (!read_table(v, &tab)) return false;
      uint8_t et = m->tables[tab].type.elem_type;
      if (op == WASM_OP_TABLE_GET) {
        if (!pop_expect(v, WASM_I32) || !push(v, et)) return false;
      } else {
        if (!pop_expect(v, et) || !pop_expect(v, WASM_I32)) return false;
      }
      break;
    }
    case WASM_OP_REF_NULL: {
      uint8_t t;
      if (!wasm_read_u8(RD, &t)) return false;
      if (!is_ref(t)) return fail(v, "malformed reference type");
      if (!push(v, t)) return false;
      break;
    }
    case WASM_OP_REF_IS_NULL: {
      uint8_t t;
      if (!pop_any(v, &t)) return false;
      if (t != UNKNOWN && !is_ref(t)) return type_mismatch(v);
      if (!push(v, WASM_I32)) return false;
      break;
    }
    case WASM_OP_REF_FUNC: {
      uint32_t f;
      if (!read_func(v, &f)) return false;
      if (!v->declared[f]) return fail(v, "undeclared function reference");
      if (!push(v, WASM_FUNCREF)) return false;
      break;
    }
    case WASM_PREFIX_FC:
    case WASM_PREFIX_FD: {
      uint32_t sub;
      if (!wasm_read_u32(RD, &sub)) return false;
      uint32_t id = (op == WASM_PREFIX_FC ? WASM_OP_FC_BASE : WASM_OP_FD_BASE) + sub;
      const WasmOpInfo *info = sub < 0x200 ? wasm_op_lookup(id) : NULL;
      if (!info) return wasm_fail(RD, v->pc, "illegal opcode %02x %x", op, sub);
      if (info->fixed_sig) {
        if (!fixed_op(v, id, info)) return false;
        break;
      }
      uint32_t tab;
      if (!read_table(v, &tab)) return false;
      uint8_t et = m->tables[tab].type.elem_type;
      if (id == WASM_OP_TABLE_GROW) {
        if (!pop_expect(v, WASM_I32) || !pop_expect(v, et) || !push(v, WASM_I32)) return false;
      } else if (id == WASM_OP_TABLE_FILL) {
        if (!pop_expect(v, WASM_I32) || !pop_expect(v, et) || !pop_expect(v, WASM_I32))
          return false;
      } else {
        return fail(v, "illegal opcode");
      }
      break;
    }
    default: {
      const WasmOpInfo *info = wasm_op_lookup(op);
      if (!info || !info->fixed_sig) return wasm_fail(RD, v->pc, "illegal opcode %02x", op);
      if (!fixed_op(v, op, info)) return false;
      break;
    }
    }
  }
}

static bool validate_function(Validator *v, uint32_t index) {
  WasmModule *m = v->m;
  WasmFunc *f = &m->funcs[index];
  v->f = f;
  v->ft = &m->types[f->type_index];
  v->sp = v->slots = v->max_sp = v->max_slots = 0;
  v->nframes = 0;
  v->nctl = 0;
  RD->p = m->bytes + f->code_start;
  RD->end = m->bytes + f->code_end;
  RD->in_section = true;
  v->pc = RD->p;
  /* The function's own label: branches to it return. */
  if (!push_frame(v, WASM_OP_END, NULL, 0, v->ft->results, v->ft->nresults, UINT32_MAX))
    return false;
  if (!validate_body(v)) return false;
  f->max_height = v->max_sp;
  f->max_height_slots = v->max_slots;
  f->nctl = v->nctl;
  f->ctl = wasm_arena_alloc(m->arena, (size_t)v->nctl * sizeof(WasmCtlEntry));
  if (!f->ctl) return oom(v);
  memcpy(f->ctl, v->ctl, (size_t)v->nctl * sizeof(WasmCtlEntry));
  return true;
}

/* ---- module-level rules ----------------------------------------------------- */

static bool mark_declared(Validator *v, const WasmConstExpr *e) {
  if (e->kind == WASM_CONST_REF_FUNC && e->index < v->m->nfuncs) v->declared[e->index] = 1;
  return true;
}

/* Limits, the start function's type, the memory count and export names are
 * checked by the decoder, where their offsets are known. */
static bool validate_module_fields(Validator *v) {
  WasmModule *m = v->m;
  /* C.refs: functions named outside function bodies. */
  for (uint32_t i = 0; i < m->nglobals; i++)
    if (!m->globals[i].imported) mark_declared(v, &m->globals[i].init);
  for (uint32_t i = 0; i < m->nexports; i++)
    if (m->exports[i].kind == WASM_EXTERN_FUNC) v->declared[m->exports[i].index] = 1;
  for (uint32_t i = 0; i < m->nelems; i++)
    for (uint32_t k = 0; k < m->elems[i].count; k++) mark_declared(v, &m->elems[i].items[k]);
  return true;
}

bool wasm_validate_module(Runtime *rt, WasmModule *m) {
  Validator v = {0};
  v.m = m;
  v.r.rt = rt;
  v.r.base = m->bytes;
  v.r.p = m->bytes;
  v.r.end = m->bytes + m->len;
  v.r.buf_end = m->bytes + m->len;
  v.declared = calloc(m->nfuncs ? m->nfuncs : 1, 1);
  bool ok = v.declared != NULL;
  if (!ok) rt_throw_out_of_memory(rt);
  ok = ok && validate_module_fields(&v);
  for (uint32_t i = m->nfunc_imports; ok && i < m->nfuncs; i++) ok = validate_function(&v, i);
  free(v.declared);
  free(v.stack);
  free(v.frames);
  free(v.ctl);
  return ok;
}
