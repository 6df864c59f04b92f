/* interp_compile.c: translates one validated function into the interpreter's
 * pre-decoded code: handler addresses with decoded immediates, branch targets
 * resolved to code addresses, stack adjustments for taken branches computed
 * from the validator's side table, and a few fused forms for common
 * local.get/const + arithmetic patterns. Runs once per function (lazily). */
#include <stdlib.h>
#include <string.h>

#include "wasm/interp.h"
#include "wasm/simd.h"

typedef struct Fixup {
  uint32_t word;   /* index of the word to patch with a code address */
  uint32_t target; /* byte offset in the module */
} Fixup;

typedef struct CtlFrame {
  uint8_t kind;  /* WASM_OP_BLOCK / LOOP / IF, or 0 for the function body */
  uint32_t base; /* type-stack height below the block's params */
  uint32_t nparams, nresults;
  const uint8_t *params, *results;
} CtlFrame;

typedef struct Compiler {
  Runtime *rt;
  const WasmModule *m;
  WasmInstance *inst;
  const WasmFunc *fn;
  const uint8_t *p, *end;
  uint32_t code_start;

  WasmIns *ins;
  uint32_t nins, cap;
  uint32_t *pos; /* (ins index, byte offset) pairs */
  uint32_t npos, pos_cap;
  Fixup *fix;
  uint32_t nfix, fix_cap;
  uint32_t *posmap; /* byte offset - code_start -> ins index */

  uint8_t *types; /* compile-time operand type stack */
  uint32_t ntypes, types_cap;
  uint32_t slots; /* current height in slots */
  CtlFrame *ctl;
  uint32_t nctl, ctl_cap;

  const uint8_t *local_types; /* params then declared locals */
  uint32_t *local_slot;       /* slot offset of each local */
  uint32_t nlocals;
  uint32_t locals_slots;

  /* Fusion: instructions at or after `floor` may be rewritten (no branch
   * lands between them); last[] are the starts and iops of the last two. */
  uint32_t floor;
  uint32_t last_at[2];
  int last_op[2];
  bool failed;
  bool restore_memory; /* the instruction ran on another memory than 0 */
} Compiler;

static const void *const *handlers;

/* --- buffers ---------------------------------------------------------------- */

static bool grow(Compiler *c, void **buf, uint32_t *cap, uint32_t need, size_t elem) {
  if (need <= *cap) return true;
  uint32_t n = *cap ? *cap * 2 : 64;
  while (n < need) n *= 2;
  void *b = realloc(*buf, (size_t)n * elem);
  if (!b) {
    c->failed = true;
    return false;
  }
  *buf = b;
  *cap = n;
  return true;
}

static void word(Compiler *c, uint64_t u) {
  if (!grow(c, (void **)&c->ins, &c->cap, c->nins + 1, sizeof(WasmIns))) return;
  c->ins[c->nins++].u = u;
}

static void word_ptr(Compiler *c, const void *p) { word(c, (uint64_t)(uintptr_t)p); }

/* Starts an instruction: records its byte offset for trap messages. */
static void op(Compiler *c, int iop, uint32_t byte_off) {
  if (grow(c, (void **)&c->pos, &c->pos_cap, c->npos + 2, sizeof(uint32_t))) {
    if (c->npos >= 2 && c->pos[c->npos - 2] == c->nins) {
      c->pos[c->npos - 1] = byte_off;
    } else {
      c->pos[c->npos++] = c->nins;
      c->pos[c->npos++] = byte_off;
    }
  }
  c->last_at[1] = c->last_at[0];
  c->last_op[1] = c->last_op[0];
  c->last_at[0] = c->nins;
  c->last_op[0] = iop;
  word_ptr(c, handlers[iop]);
}

static void target(Compiler *c, uint32_t byte_target) {
  if (!grow(c, (void **)&c->fix, &c->fix_cap, c->nfix + 1, sizeof(Fixup))) return;
  c->fix[c->nfix++] = (Fixup){c->nins, byte_target};
  word(c, 0);
}

/* A branch may land at the current position: nothing before it may fuse. */
static void barrier(Compiler *c) {
  c->floor = c->nins;
  c->last_op[0] = c->last_op[1] = -1;
}

/* Multi-memory: an access to memory k != 0 runs between MEM_SELECT k and
 * MEM_SELECT 0, so the memory instructions themselves only know "the
 * current memory". */
static void select_memory(Compiler *c, uint32_t mem, uint32_t off) {
  if (mem == 0) return;
  op(c, WASM_IOP_MEM_SELECT, off);
  word(c, mem);
  c->restore_memory = true;
  c->last_op[0] = c->last_op[1] = -1;
}

static bool mem_is64(Compiler *c, uint32_t mem) {
  return mem < c->m->nmemories && c->m->memories[mem].type.limits.is64;
}

/* memory64: check that the i64 operands at the depths in `mask` (bit k =
 * k-th slot from the top) fit in 32 bits before a 32-bit form runs. */
static void addr64(Compiler *c, uint32_t mem, uint32_t mask, uint32_t off) {
  if (!mem_is64(c, mem) || !mask) return;
  op(c, WASM_IOP_ADDR64, off);
  word(c, mask);
  c->last_op[0] = c->last_op[1] = -1;
}

/* --- type stack ----------------------------------------------------------------- */

static void push(Compiler *c, uint8_t t) {
  if (!grow(c, (void **)&c->types, &c->types_cap, c->ntypes + 1, 1)) return;
  c->types[c->ntypes++] = t;
  c->slots += wasm_type_slots(t);
}

static uint8_t pop(Compiler *c) {
  if (c->ntypes == 0) return WASM_I32; /* cannot happen after validation */
  uint8_t t = c->types[--c->ntypes];
  c->slots -= wasm_type_slots(t);
  return t;
}

static void reset_to(Compiler *c, uint32_t height) {
  while (c->ntypes > height) pop(c);
}

static void push_ctl(Compiler *c, uint8_t kind, uint32_t np, const uint8_t *p, uint32_t nr,
                     const uint8_t *r) {
  if (!grow(c, (void **)&c->ctl, &c->ctl_cap, c->nctl + 1, sizeof(CtlFrame))) return;
  c->ctl[c->nctl++] = (CtlFrame){kind, c->ntypes - np, np, nr, p, r};
}

/* --- immediates -------------------------------------------------------------------- */

static uint64_t read_uleb(Compiler *c) {
  uint64_t v = 0;
  unsigned shift = 0;
  while (c->p < c->end) {
    uint8_t b = *c->p++;
    if (shift < 64) v |= (uint64_t)(b & 0x7F) << shift;
    shift += 7;
    if (!(b & 0x80)) break;
  }
  return v;
}

static int64_t read_sleb(Compiler *c) {
  int64_t v = 0;
  unsigned shift = 0;
  uint8_t b = 0;
  while (c->p < c->end) {
    b = *c->p++;
    if (shift < 64) v |= (int64_t)((uint64_t)(b & 0x7F) << shift);
    shift += 7;
    if (!(b & 0x80)) break;
  }
  if (shift < 64 && (b & 0x40)) v |= (int64_t)(~0ull << shift);
  return v;
}

static uint32_t read_u32(Compiler *c) { return (uint32_t)read_uleb(c); }

static uint8_t read_byte(Compiler *c) { return c->p < c->end ? *c->p++ : 0; }

/* A memarg: alignment (bit 6 set: a memory index follows, multi-memory),
 * then the offset. Returns the offset. */
static uint64_t read_memarg(Compiler *c, uint32_t *mem) {
  uint32_t align = read_u32(c);
  *mem = (align & 0x40) ? read_u32(c) : 0;
  uint64_t offset = read_uleb(c); /* u64 for memory64 */
  /* Memories are at most 4 GiB: a larger offset always traps, and clamping
   * keeps base + offset from wrapping around in 64 bits. */
  return offset > 0x100000000ull ? 0x100000000ull : offset;
}

static bool is_valtype(uint8_t b) {
  return b == WASM_I32 || b == WASM_I64 || b == WASM_F32 || b == WASM_F64 || b == WASM_V128 ||
         b == WASM_FUNCREF || b == WASM_EXTERNREF;
}

/* Reads a block type into param/result type lists. */
static void read_blocktype(Compiler *c, uint32_t *np, const uint8_t **p, uint32_t *nr,
                           const uint8_t **r) {
  static const uint8_t single[256] = {
      [WASM_I32] = WASM_I32,
      [WASM_I64] = WASM_I64,
      [WASM_F32] = WASM_F32,
      [WASM_F64] = WASM_F64,
      [WASM_V128] = WASM_V128,
      [WASM_FUNCREF] = WASM_FUNCREF,
      [WASM_EXTERNREF] = WASM_EXTERNREF,
  };
  uint8_t b = c->p < c->end ? *c->p : 0x40;
  *np = *nr = 0;
  *p = *r = NULL;
  if (b == 0x40) {
    c->p++;
  } else if (is_valtype(b)) {
    c->p++;
    *nr = 1;
    *r = &single[b];
  } else {
    int64_t idx = read_sleb(c);
    const WasmFuncType *t = &c->m->types[idx];
    *np = t->nparams;
    *p = t->params;
    *nr = t->nresults;
    *r = t->results;
  }
}

/* Skips the immediates of an instruction in dead code. */
static void skip_imm(Compiler *c, const WasmOpInfo *info) {
  switch (info->imm) {
  case WASM_IMM_NONE: break;
  case WASM_IMM_BLOCKTYPE: {
    uint32_t np, nr;
    const uint8_t *p, *r;
    read_blocktype(c, &np, &p, &nr, &r);
    break;
  }
  case WASM_IMM_BR_TABLE: {
    uint32_t n = read_u32(c);
    for (uint32_t i = 0; i <= n; i++) read_u32(c);
    break;
  }
  case WASM_IMM_SELECT_T: {
    uint32_t n = read_u32(c);
    c->p += n;
    break;
  }
  case WASM_IMM_MEMARG:
  case WASM_IMM_MEMARG_LANE: {
    uint32_t mem;
    read_memarg(c, &mem);
    if (info->imm == WASM_IMM_MEMARG_LANE) c->p++;
    break;
  }
  case WASM_IMM_MEMORY: read_u32(c); break;
  case WASM_IMM_REFTYPE:
  case WASM_IMM_LANE: c->p++; break;
  case WASM_IMM_F32: c->p += 4; break;
  case WASM_IMM_F64: c->p += 8; break;
  case WASM_IMM_V128:
  case WASM_IMM_SHUFFLE: c->p += 16; break;
  case WASM_IMM_CALL_INDIRECT:
  case WASM_IMM_MEMORY_INIT:
  case WASM_IMM_TABLE_INIT:
  case WASM_IMM_TABLE_COPY:
    read_u32(c);
    read_u32(c);
    break;
  case WASM_IMM_MEMORY_COPY:
    read_u32(c);
    read_u32(c);
    break;
  default: read_uleb(c); break; /* single LEB immediates */
  }
}

/* --- branches ------------------------------------------------------------------------ */

static const WasmCtlEntry *ctl_at(Compiler *c, uint32_t pc) {
  const WasmCtlEntry *e = wasm_ctl_find(c->fn, pc);
  if (!e) c->failed = true;
  return e;
}

/* Emits a branch to the side-table entry e from the current stack height. */
static void emit_branch(Compiler *c, int plain, int drop, const WasmCtlEntry *e, uint32_t off) {
  uint32_t keep_from = e->height_slots + e->arity_slots;
  if (c->slots == keep_from) {
    op(c, plain, off);
    target(c, e->target);
  } else {
    op(c, drop, off);
    target(c, e->target);
    word(c, c->locals_slots + e->height_slots);
    word(c, e->arity_slots);
  }
}

/* A conditional branch that needs no stack adjustment: fuse it with the
 * comparison just before it. when_true: branch if the condition holds. */
static bool try_fuse_branch(Compiler *c, bool when_true, const WasmCtlEntry *e, uint32_t off) {
  if (c->last_op[0] < 0 || c->last_at[0] < c->floor) return false;
  int prev = c->last_op[0];
  uint32_t at = c->last_at[0];
  /* Comparison, its inverse, and whether it has (local, const/local) operands. */
  static const struct {
    int cmp, br, inv;
  } plain[] = {
      {WASM_IOP_I32_EQ, WASM_IOP_BRC_EQ, WASM_IOP_BRC_NE},
      {WASM_IOP_I32_NE, WASM_IOP_BRC_NE, WASM_IOP_BRC_EQ},
      {WASM_IOP_I32_LT_S, WASM_IOP_BRC_LT_S, WASM_IOP_BRC_GE_S},
      {WASM_IOP_I32_LT_U, WASM_IOP_BRC_LT_U, WASM_IOP_BRC_GE_U},
      {WASM_IOP_I32_GT_S, WASM_IOP_BRC_GT_S, WASM_IOP_BRC_LE_S},
      {WASM_IOP_I32_GT_U, WASM_IOP_BRC_GT_U, WASM_IOP_BRC_LE_U},
      {WASM_IOP_I32_LE_S, WASM_IOP_BRC_LE_S, WASM_IOP_BRC_GT_S},
      {WASM_IOP_I32_LE_U, WASM_IOP_BRC_LE_U, WASM_IOP_BRC_GT_U},
      {WASM_IOP_I32_GE_S, WASM_IOP_BRC_GE_S, WASM_IOP_BRC_LT_S},
      {WASM_IOP_I32_GE_U, WASM_IOP_BRC_GE_U, WASM_IOP_BRC_LT_U},
      {WASM_IOP_LC_I32_LT_S, WASM_IOP_BRC_LC_LT_S, WASM_IOP_BRC_LC_GE_S},
      {WASM_IOP_LC_I32_LT_U, WASM_IOP_BRC_LC_LT_U, WASM_IOP_BRC_LC_GE_U},
      {WASM_IOP_LL_I32_LT_S, WASM_IOP_BRC_LL_LT_S, WASM_IOP_BRC_LL_GE_S},
      {WASM_IOP_LL_I32_LT_U, WASM_IOP_BRC_LL_LT_U, WASM_IOP_BRC_LL_GE_U},
  };
  if (prev == WASM_IOP_I32_EQZ) {
    /* br_if on eqz is a branch on zero: drop the eqz, flip the sense. */
    c->nins = at;
    while (c->npos >= 2 && c->pos[c->npos - 2] >= at) c->npos -= 2;
    op(c, when_true ? WASM_IOP_BR_UNLESS : WASM_IOP_BR_IF, off);
    target(c, e->target);
    c->last_op[0] = -1;
    return true;
  }
  for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
    if (plain[i].cmp != prev) continue;
    bool has_operands = prev == WASM_IOP_LC_I32_LT_S || prev == WASM_IOP_LC_I32_LT_U ||
                        prev == WASM_IOP_LL_I32_LT_S || prev == WASM_IOP_LL_I32_LT_U;
    uint64_t a = has_operands ? c->ins[at + 1].u : 0, b = has_operands ? c->ins[at + 2].u : 0;
    c->nins = at;
    while (c->npos >= 2 && c->pos[c->npos - 2] >= at) c->npos -= 2;
    op(c, when_true ? plain[i].br : plain[i].inv, off);
    target(c, e->target);
    if (has_operands) {
      word(c, a);
      word(c, b);
    }
    c->last_op[0] = -1;
    return true;
  }
  return false;
}

/* --- fusion ---------------------------------------------------------------------------- */

/* local.get a; local.get b; <op>  ->  <LL op> a b
 * local.get a; i32.const k; <op>  ->  <LC op> a k */
static bool try_fuse(Compiler *c, int iop, uint32_t off) {
  int ll = -1, lc = -1;
  switch (iop) {
  case WASM_IOP_I32_ADD:
    ll = WASM_IOP_LL_I32_ADD;
    lc = WASM_IOP_LC_I32_ADD;
    break;
  case WASM_IOP_I32_SUB:
    ll = WASM_IOP_LL_I32_SUB;
    lc = WASM_IOP_LC_I32_SUB;
    break;
  case WASM_IOP_I32_MUL: ll = WASM_IOP_LL_I32_MUL; break;
  case WASM_IOP_I32_AND: lc = WASM_IOP_LC_I32_AND; break;
  case WASM_IOP_I32_SHL: lc = WASM_IOP_LC_I32_SHL; break;
  case WASM_IOP_I32_SHR_U: lc = WASM_IOP_LC_I32_SHR_U; break;
  case WASM_IOP_I32_SHR_S: lc = WASM_IOP_LC_I32_SHR_S; break;
  case WASM_IOP_I32_LT_S:
    ll = WASM_IOP_LL_I32_LT_S;
    lc = WASM_IOP_LC_I32_LT_S;
    break;
  case WASM_IOP_I32_LT_U:
    ll = WASM_IOP_LL_I32_LT_U;
    lc = WASM_IOP_LC_I32_LT_U;
    break;
  case WASM_IOP_I64_ADD:
    ll = WASM_IOP_LL_I64_ADD;
    lc = WASM_IOP_LC_I64_ADD;
    break;
  case WASM_IOP_I64_SUB: ll = WASM_IOP_LL_I64_SUB; break;
  case WASM_IOP_I64_MUL: ll = WASM_IOP_LL_I64_MUL; break;
  case WASM_IOP_F64_ADD: ll = WASM_IOP_LL_F64_ADD; break;
  case WASM_IOP_F64_SUB: ll = WASM_IOP_LL_F64_SUB; break;
  case WASM_IOP_F64_MUL: ll = WASM_IOP_LL_F64_MUL; break;
  case WASM_IOP_F32_ADD: ll = WASM_IOP_LL_F32_ADD; break;
  case WASM_IOP_F32_MUL: ll = WASM_IOP_LL_F32_MUL; break;
  default: return false;
  }
  if (c->last_op[0] < 0 || c->last_op[1] != WASM_IOP_LOCAL_GET || c->last_at[1] < c->floor)
    return false;
  uint32_t a_at = c->last_at[1], b_at = c->last_at[0];
  uint64_t a = c->ins[a_at + 1].u;
  int fused;
  uint64_t b;
  if (c->last_op[0] == WASM_IOP_LOCAL_GET && ll >= 0) {
    fused = ll;
    b = c->ins[b_at + 1].u;
  } else if (c->last_op[0] == WASM_IOP_CONST && lc >= 0) {
    fused = lc;
    b = c->ins[b_at + 1].u;
  } else {
    return false;
  }
  c->nins = a_at;
  /* Drop the position records of the two instructions being replaced. */
  while (c->npos >= 2 && c->pos[c->npos - 2] >= a_at) c->npos -= 2;
  op(c, fused, off);
  word(c, a);
  word(c, b);
  c->last_op[1] = -1; /* the fused instruction is no local.get */
  return true;
}

/* --- the translation --------------------------------------------------------------------- */

static int scalar_iop[WASM_OP_ID_LIMIT];

static void init_tables(void) {
  for (int i = 0; i < WASM_OP_ID_LIMIT; i++) scalar_iop[i] = -1;
#define SCALAR_MAP(name) scalar_iop[WASM_OP_##name] = WASM_IOP_##name;
  WASM_IOP_SCALAR(SCALAR_MAP)
#undef SCALAR_MAP
}

static uint8_t global_type(const WasmModule *m, uint32_t g) { return m->globals[g].type.type; }

static void compile_call_types(Compiler *c, const WasmFuncType *t) {
  for (uint32_t i = 0; i < t->nparams; i++) pop(c);
  for (uint32_t i = 0; i < t->nresults; i++) push(c, t->results[i]);
}

static void compile_body(Compiler *c) {
  const WasmModule *m = c->m;
  const WasmFuncType *ft = wasm_func_type_of(m, (uint32_t)(c->fn - m->funcs));
  push_ctl(c, 0, 0, NULL, ft->nresults, ft->results);
  bool dead = false;
  uint32_t dead_depth = 0;

  while (c->p < c->end && !c->failed) {
    uint32_t off = (uint32_t)(c->p - m->bytes);
    if (!dead) c->posmap[off - c->code_start] = c->nins;
    uint32_t id = *c->p++;
    if (id == WASM_PREFIX_FC)
      id = WASM_OP_FC_BASE + read_u32(c);
    else if (id == WASM_PREFIX_FD)
      id = WASM_OP_FD_BASE + read_u32(c);
    const WasmOpInfo *info = wasm_op_lookup(id);
    if (!info) {
      c->failed = true;
      return;
    }

    if (dead) {
      if (id == WASM_OP_BLOCK || id == WASM_OP_LOOP || id == WASM_OP_IF) {
        dead_depth++;
      } else if (id == WASM_OP_END || id == WASM_OP_ELSE) {
        if (dead_depth > 0) {
          if (id == WASM_OP_END) dead_depth--;
        } else {
          dead = false;
          c->posmap[off - c->code_start] = c->nins;
          goto live; /* the block's else/end is reachable again */
        }
      }
      skip_imm(c, info);
      continue;
    }
  live:
    c->restore_memory = false;
    switch (id) {
    case WASM_OP_UNREACHABLE:
      op(c, WASM_IOP_UNREACHABLE, off);
      dead = true;
      break;
    case WASM_OP_NOP: break;
    case WASM_OP_BLOCK:
    case WASM_OP_LOOP: {
      uint32_t np, nr;
      const uint8_t *p, *r;
      read_blocktype(c, &np, &p, &nr, &r);
      push_ctl(c, (uint8_t)id, np, p, nr, r);
      if (id == WASM_OP_LOOP) barrier(c);
      break;
    }
    case WASM_OP_IF: {
      uint32_t np, nr;
      const uint8_t *p, *r;
      read_blocktype(c, &np, &p, &nr, &r);
      pop(c);
      const WasmCtlEntry *e = ctl_at(c, off);
      if (!e) return;
      push_ctl(c, WASM_OP_IF, np, p, nr, r);
      if (!try_fuse_branch(c, false, e, off)) {
        op(c, WASM_IOP_BR_UNLESS, off);
        target(c, e->target);
      }
      break;
    }
    case WASM_OP_ELSE: {
      const WasmCtlEntry *e = ctl_at(c, off);
      if (!e) return;
      CtlFrame *f = &c->ctl[c->nctl - 1];
      /* The then-arm jumps over the else-arm; if it ended dead this is unreachable
       * but harmless. */
      op(c, WASM_IOP_BR, off);
      target(c, e->target);
      reset_to(c, f->base);
      for (uint32_t i = 0; i < f->nparams; i++) push(c, f->params[i]);
      /* The false branch lands just past the else. */
      c->posmap[off + 1 - c->code_start] = c->nins;
      barrier(c);
      break;
    }
    case WASM_OP_END: {
      CtlFrame f = c->ctl[--c->nctl];
      reset_to(c, f.base);
      for (uint32_t i = 0; i < f.nresults; i++) push(c, f.results[i]);
      if (c->nctl == 0) {
        c->posmap[off + 1 - c->code_start] = c->nins;
        op(c, WASM_IOP_RETURN, off);
        return;
      }
      barrier(c);
      break;
    }
    case WASM_OP_BR: {
      read_u32(c);
      const WasmCtlEntry *e = ctl_at(c, off);
      if (!e) return;
      emit_branch(c, WASM_IOP_BR, WASM_IOP_BR_DROP, e, off);
      dead = true;
      break;
    }
    case WASM_OP_BR_IF: {
      read_u32(c);
      pop(c);
      const WasmCtlEntry *e = ctl_at(c, off);
      if (!e) return;
      if (c->slots != e->height_slots + e->arity_slots || !try_fuse_branch(c, true, e, off))
        emit_branch(c, WASM_IOP_BR_IF, WASM_IOP_BR_IF_DROP, e, off);
      break;
    }
    case WASM_OP_BR_TABLE: {
      uint32_t n = read_u32(c);
      for (uint32_t i = 0; i <= n; i++) read_u32(c);
      pop(c);
      const WasmCtlEntry *e = ctl_at(c, off);
      if (!e) return;
      op(c, WASM_IOP_BR_TABLE, off);
      word(c, n);
      /* Labels in order, then the default (the entry itself). */
      for (uint32_t i = 0; i <= n; i++) {
        const WasmCtlEntry *le = i < n ? e + 1 + i : e;
        target(c, le->target);
        word(c, c->locals_slots + le->height_slots);
        word(c, le->arity_slots);
      }
      dead = true;
      break;
    }
    case WASM_OP_RETURN:
      op(c, WASM_IOP_RETURN, off);
      dead = true;
      break;
    case WASM_OP_CALL: {
      uint32_t fi = read_u32(c);
      op(c, WASM_IOP_CALL, off);
      word_ptr(c, c->inst->funcs[fi]); /* code is per instance: bind the callee */
      compile_call_types(c, wasm_func_type_of(m, fi));
      break;
    }
    case WASM_OP_CALL_INDIRECT: {
      uint32_t ti = read_u32(c), tab = read_u32(c);
      pop(c);
      op(c, WASM_IOP_CALL_INDIRECT, off);
      word(c, ti);
      word(c, tab);
      compile_call_types(c, &m->types[ti]);
      break;
    }
    case WASM_OP_RETURN_CALL:
    case WASM_OP_RETURN_CALL_INDIRECT: {
      uint32_t a = read_u32(c);
      const WasmFuncType *t;
      if (id == WASM_OP_RETURN_CALL) {
        op(c, WASM_IOP_TAIL_CALL, off);
        word_ptr(c, c->inst->funcs[a]);
        t = wasm_func_type_of(m, a);
      } else {
        uint32_t tab = read_u32(c);
        pop(c);
        op(c, WASM_IOP_TAIL_CALL_INDIRECT, off);
        word(c, a);
        word(c, tab);
        t = &m->types[a];
      }
      compile_call_types(c, t);
      dead = true;
      break;
    }
    case WASM_OP_DROP: {
      uint8_t t = pop(c);
      if (t == WASM_V128) {
        op(c, WASM_IOP_DROP_N, off);
        word(c, 2);
      } else {
        op(c, WASM_IOP_DROP, off);
      }
      break;
    }
    case WASM_OP_SELECT:
    case WASM_OP_SELECT_T: {
      if (id == WASM_OP_SELECT_T) {
        uint32_t n = read_u32(c);
        c->p += n;
      }
      pop(c);
      pop(c);
      uint8_t t = pop(c);
      op(c, t == WASM_V128 ? WASM_IOP_SELECT_V128 : WASM_IOP_SELECT, off);
      push(c, t);
      break;
    }
    case WASM_OP_LOCAL_GET:
    case WASM_OP_LOCAL_SET:
    case WASM_OP_LOCAL_TEE: {
      uint32_t li = read_u32(c);
      uint8_t t = c->local_types[li];
      bool v = t == WASM_V128;
      int iop = id == WASM_OP_LOCAL_GET   ? (v ? WASM_IOP_LOCAL_GET_V128 : WASM_IOP_LOCAL_GET)
                : id == WASM_OP_LOCAL_SET ? (v ? WASM_IOP_LOCAL_SET_V128 : WASM_IOP_LOCAL_SET)
                                          : (v ? WASM_IOP_LOCAL_TEE_V128 : WASM_IOP_LOCAL_TEE);
      if (iop == WASM_IOP_LOCAL_SET && c->last_op[0] >= WASM_IOP_LL_I32_ADD &&
          c->last_op[0] <= WASM_IOP_LL_F32_MUL && c->last_at[0] >= c->floor &&
          c->last_at[0] + 3 == c->nins) {
        /* A fused local/constant operation feeding local.set writes the local. */
        uint32_t at = c->last_at[0];
        c->ins[at].h = handlers[c->last_op[0] - WASM_IOP_LL_I32_ADD + WASM_IOP_LL_I32_ADD_SET];
        word(c, c->local_slot[li]);
        c->last_op[0] = -1;
        pop(c);
        break;
      }
      op(c, iop, off);
      word(c, c->local_slot[li]);
      if (id == WASM_OP_LOCAL_GET)
        push(c, t);
      else if (id == WASM_OP_LOCAL_SET)
        pop(c);
      break;
    }
    case WASM_OP_GLOBAL_GET:
    case WASM_OP_GLOBAL_SET: {
      uint32_t gi = read_u32(c);
      uint8_t t = global_type(m, gi);
      bool v = t == WASM_V128;
      if (id == WASM_OP_GLOBAL_GET) {
        op(c, v ? WASM_IOP_GLOBAL_GET_V128 : WASM_IOP_GLOBAL_GET, off);
        push(c, t);
      } else {
        op(c, v ? WASM_IOP_GLOBAL_SET_V128 : WASM_IOP_GLOBAL_SET, off);
        pop(c);
      }
      word(c, gi);
      break;
    }
    case WASM_OP_TABLE_GET:
    case WASM_OP_TABLE_SET: {
      uint32_t ti = read_u32(c);
      op(c, id == WASM_OP_TABLE_GET ? WASM_IOP_TABLE_GET : WASM_IOP_TABLE_SET, off);
      word(c, ti);
      pop(c);
      if (id == WASM_OP_TABLE_GET)
        push(c, m->tables[ti].type.elem_type);
      else
        pop(c);
      break;
    }
    case WASM_OP_I32_CONST:
      op(c, WASM_IOP_CONST, off);
      word(c, (uint32_t)(int32_t)read_sleb(c));
      push(c, WASM_I32);
      break;
    case WASM_OP_I64_CONST:
      op(c, WASM_IOP_CONST, off);
      word(c, (uint64_t)read_sleb(c));
      push(c, WASM_I64);
      break;
    case WASM_OP_F32_CONST: {
      uint32_t b = 0;
      if (c->end - c->p >= 4) memcpy(&b, c->p, 4);
      c->p += 4;
      op(c, WASM_IOP_CONST, off);
      word(c, b);
      push(c, WASM_F32);
      break;
    }
    case WASM_OP_F64_CONST: {
      uint64_t b = 0;
      if (c->end - c->p >= 8) memcpy(&b, c->p, 8);
      c->p += 8;
      op(c, WASM_IOP_CONST, off);
      word(c, b);
      push(c, WASM_F64);
      break;
    }
    case WASM_OP_MEMORY_SIZE:
      select_memory(c, read_u32(c), off);
      op(c, WASM_IOP_MEMORY_SIZE, off);
      push(c, WASM_I32);
      break;
    case WASM_OP_MEMORY_GROW: {
      uint32_t mem = read_u32(c);
      op(c, mem_is64(c, mem) ? WASM_IOP_MEMORY_GROW64 : WASM_IOP_MEMORY_GROW, off);
      word(c, mem);
      pop(c);
      push(c, WASM_I32);
      break;
    }
    case WASM_OP_MEMORY_INIT: {
      uint32_t seg = read_u32(c), mem = read_u32(c);
      addr64(c, mem, 1u << 3, off);
      select_memory(c, mem, off);
      op(c, WASM_IOP_MEMORY_INIT, off);
      word(c, seg);
      pop(c), pop(c), pop(c);
      break;
    }
    case WASM_OP_DATA_DROP:
      op(c, WASM_IOP_DATA_DROP, off);
      word(c, read_u32(c));
      break;
    case WASM_OP_MEMORY_COPY: {
      uint32_t dst = read_u32(c), src = read_u32(c);
      bool d64 = mem_is64(c, dst), s64 = mem_is64(c, src);
      uint32_t mask = (d64 ? 1u << 3 : 0) | (s64 ? 1u << 2 : 0) | (d64 && s64 ? 1u << 1 : 0);
      if (mask) {
        op(c, WASM_IOP_ADDR64, off);
        word(c, mask);
      }
      if (dst == 0 && src == 0) {
        op(c, WASM_IOP_MEMORY_COPY, off);
      } else {
        op(c, WASM_IOP_MEMORY_COPY_N, off);
        word(c, dst);
        word(c, src);
      }
      pop(c), pop(c), pop(c);
      break;
    }
    case WASM_OP_MEMORY_FILL: {
      uint32_t mem = read_u32(c);
      addr64(c, mem, 1u << 3 | 1u << 1, off);
      select_memory(c, mem, off);
      op(c, WASM_IOP_MEMORY_FILL, off);
      pop(c), pop(c), pop(c);
      break;
    }
    case WASM_OP_TABLE_INIT: {
      uint32_t seg = read_u32(c), tab = read_u32(c);
      op(c, WASM_IOP_TABLE_INIT, off);
      word(c, seg);
      word(c, tab);
      pop(c), pop(c), pop(c);
      break;
    }
    case WASM_OP_ELEM_DROP:
      op(c, WASM_IOP_ELEM_DROP, off);
      word(c, read_u32(c));
      break;
    case WASM_OP_TABLE_COPY: {
      uint32_t dst = read_u32(c), src = read_u32(c);
      op(c, WASM_IOP_TABLE_COPY, off);
      word(c, dst);
      word(c, src);
      pop(c), pop(c), pop(c);
      break;
    }
    case WASM_OP_TABLE_GROW:
      op(c, WASM_IOP_TABLE_GROW, off);
      word(c, read_u32(c));
      pop(c), pop(c);
      push(c, WASM_I32);
      break;
    case WASM_OP_TABLE_SIZE:
      op(c, WASM_IOP_TABLE_SIZE, off);
      word(c, read_u32(c));
      push(c, WASM_I32);
      break;
    case WASM_OP_TABLE_FILL:
      op(c, WASM_IOP_TABLE_FILL, off);
      word(c, read_u32(c));
      pop(c), pop(c), pop(c);
      break;
    case WASM_OP_REF_NULL: {
      uint8_t t = read_byte(c);
      op(c, WASM_IOP_REF_NULL, off);
      push(c, t);
      break;
    }
    case WASM_OP_REF_IS_NULL:
      pop(c);
      op(c, WASM_IOP_REF_IS_NULL, off);
      push(c, WASM_I32);
      break;
    case WASM_OP_REF_FUNC:
      op(c, WASM_IOP_REF_FUNC, off);
      word(c, read_u32(c));
      push(c, WASM_FUNCREF);
      break;
    default:
      if (id >= WASM_OP_FD_BASE) {
        uint32_t sub = id - WASM_OP_FD_BASE;
        const WasmSimdEntry *se = wasm_simd_entry(sub);
        if (info->imm == WASM_IMM_MEMARG || info->imm == WASM_IMM_MEMARG_LANE) {
          uint32_t mem;
          uint64_t offset = read_memarg(c, &mem);
          /* The address is under the v128 operand for stores and lane forms. */
          addr64(c, mem, info->nparams == 2 ? 1u << 3 : 1u << 1, off);
          select_memory(c, mem, off);
          uint32_t size = 1u << info->extra;
          int iop;
          uint64_t extra = 0;
          switch (id) {
          case WASM_OP_V128_LOAD: iop = WASM_IOP_V128_LOAD; break;
          case WASM_OP_V128_STORE: iop = WASM_IOP_V128_STORE; break;
          case WASM_OP_V128_LOAD8X8_S:
          case WASM_OP_V128_LOAD8X8_U:
          case WASM_OP_V128_LOAD16X4_S:
          case WASM_OP_V128_LOAD16X4_U:
          case WASM_OP_V128_LOAD32X2_S:
          case WASM_OP_V128_LOAD32X2_U:
            iop = WASM_IOP_V128_LOAD_EXTEND;
            extra = sub;
            break;
          case WASM_OP_V128_LOAD8_SPLAT:
          case WASM_OP_V128_LOAD16_SPLAT:
          case WASM_OP_V128_LOAD32_SPLAT:
          case WASM_OP_V128_LOAD64_SPLAT:
            iop = WASM_IOP_V128_LOAD_SPLAT;
            extra = size;
            break;
          case WASM_OP_V128_LOAD32_ZERO:
          case WASM_OP_V128_LOAD64_ZERO:
            iop = WASM_IOP_V128_LOAD_ZERO;
            extra = size;
            break;
          default: /* lane forms */
            iop = (id >= WASM_OP_V128_STORE8_LANE && id <= WASM_OP_V128_STORE64_LANE)
                      ? WASM_IOP_V128_STORE_LANE
                      : WASM_IOP_V128_LOAD_LANE;
            extra = size | (uint64_t)read_byte(c) << 8;
            break;
          }
          op(c, iop, off);
          word(c, offset);
          if (iop != WASM_IOP_V128_LOAD && iop != WASM_IOP_V128_STORE) word(c, extra);
        } else if (id == WASM_OP_V128_CONST) {
          uint64_t lo = 0, hi = 0;
          if (c->end - c->p >= 16) {
            memcpy(&lo, c->p, 8);
            memcpy(&hi, c->p + 8, 8);
          }
          c->p += 16;
          op(c, WASM_IOP_CONST_V128, off);
          word(c, lo);
          word(c, hi);
        } else if (id == WASM_OP_I8X16_SHUFFLE) {
          uint64_t lo = 0, hi = 0;
          if (c->end - c->p >= 16) {
            memcpy(&lo, c->p, 8);
            memcpy(&hi, c->p + 8, 8);
          }
          c->p += 16;
          op(c, WASM_IOP_SIMD_SHUFFLE, off);
          word(c, lo);
          word(c, hi);
        } else {
          static const int kind_iop[] = {
              [WASM_SIMD_UNARY] = WASM_IOP_SIMD_UNARY,
              [WASM_SIMD_BINARY] = WASM_IOP_SIMD_BINARY,
              [WASM_SIMD_TERNARY] = WASM_IOP_SIMD_TERNARY,
              [WASM_SIMD_SHIFT] = WASM_IOP_SIMD_SHIFT,
              [WASM_SIMD_TEST] = WASM_IOP_SIMD_TEST,
              [WASM_SIMD_SPLAT] = WASM_IOP_SIMD_SPLAT,
              [WASM_SIMD_EXTRACT] = WASM_IOP_SIMD_EXTRACT,
              [WASM_SIMD_REPLACE] = WASM_IOP_SIMD_REPLACE,
          };
          if (se->kind == WASM_SIMD_NONE) {
            c->failed = true;
            return;
          }
          op(c, kind_iop[se->kind], off);
          word_ptr(c, (const void *)se->fn.any);
          if (info->imm == WASM_IMM_LANE) word(c, read_byte(c));
        }
        for (int i = info->nparams - 1; i >= 0; i--) pop(c);
        if (info->nresults) push(c, info->result);
        break;
      }
      if (info->imm == WASM_IMM_MEMARG) {
        uint32_t mem;
        uint64_t offset = read_memarg(c, &mem);
        addr64(c, mem, info->nparams == 2 ? 1u << 2 : 1u << 1, off);
        select_memory(c, mem, off);
        op(c, scalar_iop[id], off);
        word(c, offset);
      } else {
        int iop = scalar_iop[id];
        if (iop < 0) {
          c->failed = true;
          return;
        }
        if (!try_fuse(c, iop, off)) op(c, iop, off);
      }
      for (int i = info->nparams - 1; i >= 0; i--) pop(c);
      if (info->nresults) push(c, info->result);
      break;
    }
    if (c->restore_memory) {
      /* Back to memory 0, which the other instructions assume. */
      op(c, WASM_IOP_MEM_SELECT, off);
      word(c, 0);
      c->last_op[0] = c->last_op[1] = -1;
    }
  }
}

WasmCode *wasm_interp_compile(Runtime *rt, WasmInstance *inst, uint32_t func) {
  if (!handlers) {
    handlers = wasm_interp_handlers();
    init_tables();
  }
  const WasmModule *m = inst->module;
  const WasmFunc *fn = &m->funcs[func];
  const WasmFuncType *ft = wasm_func_type_of(m, func);
  Compiler c = {0};
  c.rt = rt;
  c.m = m;
  c.inst = inst;
  c.fn = fn;
  c.p = m->bytes + fn->code_start;
  c.end = m->bytes + fn->code_end;
  c.code_start = fn->code_start;
  c.last_op[0] = c.last_op[1] = -1;

  uint32_t nlocals = ft->nparams + fn->nlocals;
  uint8_t *ltypes = malloc((size_t)nlocals + 1);
  c.local_slot = malloc(((size_t)nlocals + 1) * sizeof(uint32_t));
  uint32_t span = fn->code_end - fn->code_start + 2;
  c.posmap = malloc((size_t)span * sizeof(uint32_t));
  WasmCode *code = calloc(1, sizeof *code);
  if (!ltypes || !c.local_slot || !c.posmap || !code) goto oom;
  memset(c.posmap, 0xFF, (size_t)span * sizeof(uint32_t));
  if (ft->nparams) memcpy(ltypes, ft->params, ft->nparams);
  if (fn->nlocals) memcpy(ltypes + ft->nparams, fn->local_types, fn->nlocals);
  uint32_t slot = 0, param_slots = 0;
  for (uint32_t i = 0; i < nlocals; i++) {
    c.local_slot[i] = slot;
    slot += wasm_type_slots(ltypes[i]);
    if (i + 1 == ft->nparams) param_slots = slot;
  }
  c.local_types = ltypes;
  c.nlocals = nlocals;
  c.locals_slots = slot;

  compile_body(&c);
  if (c.failed) goto fail;

  /* Resolve branch targets to code addresses. */
  for (uint32_t i = 0; i < c.nfix; i++) {
    uint32_t t = c.fix[i].target;
    uint32_t idx =
        t >= c.code_start && t - c.code_start < span ? c.posmap[t - c.code_start] : UINT32_MAX;
    if (idx == UINT32_MAX || idx >= c.nins) goto fail;
    c.ins[c.fix[i].word].p = &c.ins[idx];
    /* A plain jump (the stack already is as the target wants it) to the
     * function's return is that return. Not BR_DROP: it may keep fewer values
     * than the function returns. (The word before a target word is always
     * its handler or a small immediate.) */
    if (c.ins[c.fix[i].word - 1].h == handlers[WASM_IOP_BR] &&
        c.ins[idx].h == handlers[WASM_IOP_RETURN])
      c.ins[c.fix[i].word - 1].h = handlers[WASM_IOP_RETURN];
  }
  code->ins = c.ins;
  code->nins = c.nins;
  code->func_index = func;
  code->param_slots = param_slots;
  code->locals_slots = c.locals_slots;
  code->frame_slots = c.locals_slots + fn->max_height_slots + 2;
  code->result_slots = 0;
  for (uint32_t i = 0; i < ft->nresults; i++) code->result_slots += wasm_type_slots(ft->results[i]);
  code->pos = c.pos;
  code->npos = c.npos / 2;
  free(ltypes);
  free(c.local_slot);
  free(c.posmap);
  free(c.fix);
  free(c.types);
  free(c.ctl);
  return code;

fail:
  if (!c.failed || c.nins) {
    /* A validated function we could not translate is an engine bug: report
     * it as an error rather than crash. */
  }
  rt_throw(rt, ERR_InternalError, "wasm interpreter: cannot translate function %u", func);
  goto cleanup;
oom:
  rt_throw_out_of_memory(rt);
cleanup:
  free(ltypes);
  free(c.local_slot);
  free(c.posmap);
  free(c.fix);
  free(c.types);
  free(c.ctl);
  free(c.ins);
  free(c.pos);
  free(code);
  return NULL;
}

void wasm_code_free(WasmCode *code) {
  if (!code) return;
  free(code->ins);
  free(code->pos);
  free(code);
}
