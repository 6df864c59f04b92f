/* interp.h: the Wasm instance record, the interpreter's pre-decoded code
 * format and its per-runtime execution state (value stack and frames).
 * interp_compile.c translates a validated function once into WasmCode;
 * interp.c runs it with computed-goto dispatch. */
#ifndef TANDEM_WASM_INTERP_H
#define TANDEM_WASM_INTERP_H

#include <stdbool.h>
#include <stdint.h>

#include "wasm/module.h"
#include "wasm/objects.h"
#include "wasm/trap.h"

struct WasmInstance {
  GCHeader h; /* h.flags == WASM_INSTANCE_EXEC_STATE marks the runtime's exec state */
  WasmModule *module;
  WasmFuncObj **funcs; /* the whole function index space (imports resolved) */
  WasmTableObj **tables;
  WasmMemoryObj **memories;
  WasmGlobalObj **globals;
  Value **elem_values; /* per element segment: evaluated items, NULL once dropped */
  uint32_t *elem_counts;
  bool *data_dropped;
  struct WasmCode **code; /* per defined function, compiled on first call */
  WasmMemoryObj *mem0;    /* memory 0, or an empty stand-in: the interpreter's cache */
  /* Array lengths kept here: the finalizer must not read the module, which
   * may die in the same collection. */
  uint32_t ncode, nelem_segs;
  bool ready; /* arrays filled: safe to trace fully */
};

/* One pre-decoded instruction word: a handler address or an immediate. */
typedef union WasmIns {
  const void *h;
  uint64_t u;
  int64_t i;
  const void *p;
} WasmIns;

typedef struct WasmCode {
  WasmIns *ins;
  uint32_t nins;
  uint32_t func_index;
  uint32_t param_slots;
  uint32_t locals_slots; /* params + declared locals */
  uint32_t frame_slots;  /* locals + the deepest operand stack */
  uint32_t result_slots;
  /* Sorted (instruction index, byte offset) pairs for trap positions. */
  uint32_t *pos;
  uint32_t npos;
} WasmCode;

/* A call frame of the interpreter (separate from the value stack). */
typedef struct WasmFrame {
  const WasmIns *ret_pc;
  uint64_t *fp;
  WasmCode *code;
  WasmInstance *inst;
} WasmFrame;

#define WASM_INSTANCE_EXEC_STATE 1
#define WASM_STACK_SLOTS         (1u << 20) /* 8 MiB of operand/local slots */
#define WASM_FRAME_LIMIT         (1u << 18) /* nested Wasm calls */

/* The runtime's execution state (rt->wasm), a heap cell so the runtime's
 * heap teardown releases it. Slots below `top` are live and traced
 * conservatively (they may hold references). */
typedef struct WasmExecState {
  GCHeader h;
  Value self; /* root slot keeping this cell alive */
  uint64_t *stack, *stack_end, *top;
  WasmFrame *frames;
  uint32_t nframes; /* frames in use by all active interpreter activations */
  uint32_t depth;   /* nested wasm_call activations */
} WasmExecState;

WasmExecState *wasm_exec_state(Runtime *rt);
const GCKindOps *wasm_instance_gc_ops(void);

/* Compiles function `func` (a defined function) of the instance's module.
 * NULL with an error pending on failure (out of memory). */
WasmCode *wasm_interp_compile(Runtime *rt, WasmInstance *inst, uint32_t func);
void wasm_code_free(WasmCode *code);

/* The interpreter's handler addresses, indexed by WasmIop. */
const void *const *wasm_interp_handlers(void);

/* Runs a Wasm-defined function with args already in slots at the top of the
 * exec state's stack (fp = top); results are left at fp[0..). */
bool wasm_interp_run(Runtime *rt, WasmInstance *inst, uint32_t func, uint64_t *fp);

/* Throws the RuntimeError for a trap, naming the function and byte offset. */
void wasm_throw_trap(Runtime *rt, WasmTrap trap, WasmInstance *inst, uint32_t func,
                     uint32_t offset);

/* Calls any function object with arguments in slots; results replace them. */
bool wasm_call_slots(Runtime *rt, WasmFuncObj *f, uint64_t *fp);

/* Internal opcodes of the pre-decoded code. Numeric instructions with a fixed
 * signature keep their Wasm name; the rest are the interpreter's own forms. */
#define WASM_IOP_SPECIAL(X)                                                                        \
  X(UNREACHABLE)                                                                                   \
  X(NOP)                                                                                           \
  X(BR) X(BR_DROP) X(BR_IF) X(BR_IF_DROP) X(BR_UNLESS) X(BR_TABLE) X(RETURN) X(CALL) X(            \
      CALL_INDIRECT) X(TAIL_CALL) X(TAIL_CALL_INDIRECT) X(DROP) X(DROP_N) X(SELECT) X(SELECT_V128) \
      X(LOCAL_GET) X(LOCAL_SET) X(LOCAL_TEE) X(LOCAL_GET_V128) X(LOCAL_SET_V128) X(LOCAL_TEE_V128) \
          X(GLOBAL_GET) X(GLOBAL_SET) X(GLOBAL_GET_V128) X(GLOBAL_SET_V128) X(TABLE_GET) X(        \
              TABLE_SET) X(CONST) X(CONST_V128) X(MEM_SELECT) X(ADDR64) X(MEMORY_GROW64)           \
              X(MEMORY_COPY_N) X(MEMORY_SIZE) X(MEMORY_GROW) X(MEMORY_INIT) X(DATA_DROP) X(        \
                  MEMORY_COPY) X(MEMORY_FILL) X(TABLE_INIT) X(ELEM_DROP) X(TABLE_COPY)             \
                  X(TABLE_GROW) X(TABLE_SIZE) X(TABLE_FILL) X(REF_NULL) X(REF_IS_NULL) X(REF_FUNC) \
                      X(SIMD_UNARY) X(SIMD_BINARY) X(SIMD_TERNARY) X(SIMD_SHIFT) X(SIMD_TEST)      \
                          X(SIMD_SPLAT) X(SIMD_EXTRACT) X(SIMD_REPLACE) X(SIMD_SHUFFLE)            \
                              X(V128_LOAD) X(V128_STORE) X(V128_LOAD_EXTEND) X(V128_LOAD_SPLAT)    \
                                  X(V128_LOAD_ZERO) X(V128_LOAD_LANE) X(V128_STORE_LANE)           \
                                      WASM_IOP_FUSED(X) WASM_IOP_FUSED_SET(X) X(BRC_EQ) X(BRC_NE)  \
                                          X(BRC_LT_S) X(BRC_LT_U) X(BRC_GT_S) X(BRC_GT_U)          \
                                              X(BRC_LE_S) X(BRC_LE_U) X(BRC_GE_S) X(BRC_GE_U)      \
                                                  X(BRC_LC_LT_S) X(BRC_LC_LT_U) X(BRC_LC_GE_S)     \
                                                      X(BRC_LC_GE_U) X(BRC_LL_LT_S) X(BRC_LL_LT_U) \
                                                          X(BRC_LL_GE_S) X(BRC_LL_GE_U)

/* The fused local/constant forms, which also exist as NAME_SET: the result
 * goes straight to a local (a following local.set folded in). */
#define WASM_IOP_FUSED(X)                                                                          \
  X(LL_I32_ADD)                                                                                    \
  X(LL_I32_SUB)                                                                                    \
  X(LC_I32_ADD) X(LC_I32_SUB) X(LC_I32_AND) X(LC_I32_SHL) X(LC_I32_SHR_U) X(LC_I32_SHR_S)          \
      X(LL_I32_LT_S) X(LL_I32_LT_U) X(LC_I32_LT_S) X(LC_I32_LT_U) X(LL_I64_ADD) X(LL_I64_SUB)      \
          X(LC_I64_ADD) X(LL_I32_MUL) X(LL_I64_MUL) X(LL_F64_ADD) X(LL_F64_SUB) X(LL_F64_MUL)      \
              X(LL_F32_ADD) X(LL_F32_MUL)
#define WASM_IOP_FUSED_SET(X)                                                                      \
  X(LL_I32_ADD_SET)                                                                                \
  X(LL_I32_SUB_SET)                                                                                \
  X(LC_I32_ADD_SET) X(LC_I32_SUB_SET) X(LC_I32_AND_SET) X(LC_I32_SHL_SET) X(LC_I32_SHR_U_SET)      \
      X(LC_I32_SHR_S_SET) X(LL_I32_LT_S_SET) X(LL_I32_LT_U_SET) X(LC_I32_LT_S_SET)                 \
          X(LC_I32_LT_U_SET) X(LL_I64_ADD_SET) X(LL_I64_SUB_SET) X(LC_I64_ADD_SET)                 \
              X(LL_I32_MUL_SET) X(LL_I64_MUL_SET) X(LL_F64_ADD_SET) X(LL_F64_SUB_SET)              \
                  X(LL_F64_MUL_SET) X(LL_F32_ADD_SET) X(LL_F32_MUL_SET)

#define WASM_IOP_SCALAR(X)                                                                                         \
  X(I32_LOAD)                                                                                                      \
  X(I64_LOAD)                                                                                                      \
  X(F32_LOAD) X(F64_LOAD) X(I32_LOAD8_S) X(I32_LOAD8_U) X(I32_LOAD16_S) X(I32_LOAD16_U) X(                         \
      I64_LOAD8_S) X(I64_LOAD8_U) X(I64_LOAD16_S) X(I64_LOAD16_U) X(I64_LOAD32_S) X(I64_LOAD32_U)                  \
      X(I32_STORE) X(I64_STORE) X(F32_STORE) X(F64_STORE) X(I32_STORE8) X(I32_STORE16) X(                          \
          I64_STORE8) X(I64_STORE16) X(I64_STORE32) X(I32_EQZ) X(I32_EQ) X(I32_NE) X(I32_LT_S)                     \
          X(I32_LT_U) X(I32_GT_S) X(I32_GT_U) X(I32_LE_S) X(I32_LE_U) X(I32_GE_S) X(I32_GE_U) X(                   \
              I64_EQZ) X(I64_EQ) X(I64_NE) X(I64_LT_S) X(I64_LT_U) X(I64_GT_S) X(I64_GT_U)                         \
              X(I64_LE_S) X(I64_LE_U) X(I64_GE_S) X(I64_GE_U) X(F32_EQ) X(F32_NE) X(F32_LT) X(                     \
                  F32_GT) X(F32_LE) X(F32_GE) X(F64_EQ) X(F64_NE) X(F64_LT) X(F64_GT) X(F64_LE)                    \
                  X(F64_GE) X(I32_CLZ) X(I32_CTZ) X(I32_POPCNT) X(I32_ADD) X(I32_SUB) X(                           \
                      I32_MUL) X(I32_DIV_S) X(I32_DIV_U)                                                           \
                      X(I32_REM_S) X(I32_REM_U) X(I32_AND) X(I32_OR) X(I32_XOR) X(I32_SHL) X(                      \
                          I32_SHR_S) X(I32_SHR_U) X(I32_ROTL) X(I32_ROTR) X(I64_CLZ) X(I64_CTZ) X(I64_POPCNT)      \
                          X(I64_ADD) X(I64_SUB) X(I64_MUL) X(I64_DIV_S) X(I64_DIV_U) X(                            \
                              I64_REM_S) X(I64_REM_U) X(I64_AND) X(I64_OR) X(I64_XOR) X(I64_SHL)                   \
                              X(I64_SHR_S) X(I64_SHR_U) X(I64_ROTL) X(I64_ROTR) X(F32_ABS) X(                      \
                                  F32_NEG) X(F32_CEIL) X(F32_FLOOR) X(F32_TRUNC)                                   \
                                  X(F32_NEAREST) X(F32_SQRT) X(F32_ADD) X(F32_SUB) X(F32_MUL) X(                   \
                                      F32_DIV) X(F32_MIN) X(F32_MAX) X(F32_COPYSIGN)                               \
                                      X(F64_ABS) X(F64_NEG) X(F64_CEIL) X(F64_FLOOR) X(F64_TRUNC) X(               \
                                          F64_NEAREST) X(F64_SQRT) X(F64_ADD) X(F64_SUB) X(F64_MUL) X(F64_DIV)     \
                                          X(F64_MIN) X(F64_MAX) X(F64_COPYSIGN) X(I32_WRAP_I64) X(                 \
                                              I32_TRUNC_F32_S) X(I32_TRUNC_F32_U) X(I32_TRUNC_F64_S)               \
                                              X(I32_TRUNC_F64_U) X(I64_EXTEND_I32_S) X(I64_EXTEND_I32_U) X(        \
                                                  I64_TRUNC_F32_S) X(I64_TRUNC_F32_U)                              \
                                                  X(I64_TRUNC_F64_S) X(I64_TRUNC_F64_U) X(                         \
                                                      F32_CONVERT_I32_S) X(F32_CONVERT_I32_U) X(F32_CONVERT_I64_S) \
                                                      X(F32_CONVERT_I64_U) X(F32_DEMOTE_F64) X(                    \
                                                          F64_CONVERT_I32_S) X(F64_CONVERT_I32_U)                  \
                                                          X(F64_CONVERT_I64_S) X(F64_CONVERT_I64_U) X(             \
                                                              F64_PROMOTE_F32) X(I32_REINTERPRET_F32)              \
                                                              X(I64_REINTERPRET_F64) X(                            \
                                                                  F32_REINTERPRET_I32) X(F64_REINTERPRET_I64)      \
                                                                  X(I32_EXTEND8_S) X(I32_EXTEND16_S) X(            \
                                                                      I64_EXTEND8_S) X(I64_EXTEND16_S)             \
                                                                      X(I64_EXTEND32_S) X(                         \
                                                                          I32_TRUNC_SAT_F32_S)                     \
                                                                          X(I32_TRUNC_SAT_F32_U) X(                \
                                                                              I32_TRUNC_SAT_F64_S)                 \
                                                                              X(I32_TRUNC_SAT_F64_U) X(            \
                                                                                  I64_TRUNC_SAT_F32_S)             \
                                                                                  X(I64_TRUNC_SAT_F32_U)           \
                                                                                      X(I64_TRUNC_SAT_F64_S)       \
                                                                                          X(I64_TRUNC_SAT_F64_U)

typedef enum WasmIop {
#define WASM_IOP_ENUM(name) WASM_IOP_##name,
  WASM_IOP_SPECIAL(WASM_IOP_ENUM) WASM_IOP_SCALAR(WASM_IOP_ENUM)
#undef WASM_IOP_ENUM
      WASM_IOP_COUNT
} WasmIop;

#endif
