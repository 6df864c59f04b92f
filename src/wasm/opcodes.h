/* opcodes.h: every WebAssembly instruction, defined once as X-macro tables
 * (core 2.0, tail calls, the 0xFC and 0xFD prefixes incl. relaxed SIMD). The
 * decoder, validator, interpreter pre-decoder, disassembler and LLVM tier all
 * generate their switch cases and tables from these rows. */
#ifndef TANDEM_WASM_OPCODES_H
#define TANDEM_WASM_OPCODES_H

#include <stdint.h>

/* Each row is X(ID, code, "text", IMM, "sig", extra):
 *   ID     suffix of the WASM_OP_ enum constant (WASM_OP_I32_ADD)
 *   code   the byte (single-byte table) or the u32 LEB sub-opcode after the
 *          0xFC / 0xFD prefix byte
 *   text   the instruction's name in the text format
 *   IMM    suffix of the WasmImmKind constant: what follows the opcode
 *   sig    the fixed operand signature "params:results", one letter per
 *          value: i = i32, l = i64, f = f32, d = f64, v = v128 ("ii:i" for
 *          i32.add, ":" for nop). "*" means not fixed: the validator handles
 *          the instruction by hand (control, locals, globals, references,
 *          calls, select, drop, table.grow/fill ...).
 *   extra  MEMARG / MEMARG_LANE: log2 of the natural alignment (the access
 *          size in bytes); LANE: number of lanes (the lane immediate must be
 *          below it); MEMARG_LANE's lane count is 16 >> extra. 0 otherwise. */

/* Immediate kinds (the bytes after the opcode). */
typedef enum WasmImmKind {
  WASM_IMM_NONE,
  WASM_IMM_BLOCKTYPE,     /* 0x40 | valtype | s33 type index */
  WASM_IMM_LABEL,         /* u32 label depth */
  WASM_IMM_BR_TABLE,      /* vec(u32 label) + u32 default label */
  WASM_IMM_FUNC,          /* u32 function index */
  WASM_IMM_CALL_INDIRECT, /* u32 type index, u32 table index */
  WASM_IMM_SELECT_T,      /* vec(valtype), length must be 1 */
  WASM_IMM_LOCAL,         /* u32 local index */
  WASM_IMM_GLOBAL,        /* u32 global index */
  WASM_IMM_TABLE,         /* u32 table index */
  WASM_IMM_MEMARG,        /* u32 align (log2), u32 offset */
  WASM_IMM_MEMORY,        /* memory index: a zero byte in Wasm 2.0 */
  WASM_IMM_I32,           /* s32 LEB */
  WASM_IMM_I64,           /* s64 LEB */
  WASM_IMM_F32,           /* 4 bytes little-endian */
  WASM_IMM_F64,           /* 8 bytes little-endian */
  WASM_IMM_REFTYPE,       /* reference type byte (0x70 funcref, 0x6F externref) */
  WASM_IMM_DATA,          /* u32 data segment index */
  WASM_IMM_ELEM,          /* u32 element segment index */
  WASM_IMM_MEMORY_INIT,   /* u32 data segment index, memory index byte */
  WASM_IMM_MEMORY_COPY,   /* memory index byte (destination), memory index byte (source) */
  WASM_IMM_TABLE_INIT,    /* u32 element segment index, u32 table index */
  WASM_IMM_TABLE_COPY,    /* u32 destination table, u32 source table */
  WASM_IMM_V128,          /* 16 bytes */
  WASM_IMM_LANE,          /* one lane-index byte */
  WASM_IMM_MEMARG_LANE,   /* memarg, then one lane-index byte */
  WASM_IMM_SHUFFLE,       /* 16 lane-index bytes, each < 32 */
} WasmImmKind;

/* Prefix bytes. */
#define WASM_PREFIX_FC 0xFC
#define WASM_PREFIX_FD 0xFD

/* One flat instruction id for all three tables, so the interpreter and the
 * JIT can switch on one number: single-byte opcodes are their byte, 0xFC xx
 * is 0x100 + xx, 0xFD xx is 0x200 + xx (SIMD sub-opcodes go up to 0x113). */
#define WASM_OP_FC_BASE 0x100
#define WASM_OP_FD_BASE 0x200
#define WASM_OP_ID_LIMIT 0x400 /* every id is below this */

#define WASM_OPCODES_BASE(X)                                                   \
  X(UNREACHABLE, 0x00, "unreachable", NONE, ":", 0)                            \
  X(NOP, 0x01, "nop", NONE, ":", 0)                                            \
  X(BLOCK, 0x02, "block", BLOCKTYPE, "*", 0)                                   \
  X(LOOP, 0x03, "loop", BLOCKTYPE, "*", 0)                                     \
  X(IF, 0x04, "if", BLOCKTYPE, "*", 0)                                         \
  X(ELSE, 0x05, "else", NONE, "*", 0)                                          \
  X(END, 0x0B, "end", NONE, "*", 0)                                            \
  X(BR, 0x0C, "br", LABEL, "*", 0)                                             \
  X(BR_IF, 0x0D, "br_if", LABEL, "*", 0)                                       \
  X(BR_TABLE, 0x0E, "br_table", BR_TABLE, "*", 0)                              \
  X(RETURN, 0x0F, "return", NONE, "*", 0)                                      \
  X(CALL, 0x10, "call", FUNC, "*", 0)                                          \
  X(CALL_INDIRECT, 0x11, "call_indirect", CALL_INDIRECT, "*", 0)               \
  X(RETURN_CALL, 0x12, "return_call", FUNC, "*", 0)                            \
  X(RETURN_CALL_INDIRECT, 0x13, "return_call_indirect", CALL_INDIRECT, "*", 0) \
  X(DROP, 0x1A, "drop", NONE, "*", 0)                                          \
  X(SELECT, 0x1B, "select", NONE, "*", 0)                                      \
  X(SELECT_T, 0x1C, "select", SELECT_T, "*", 0)                                \
  X(LOCAL_GET, 0x20, "local.get", LOCAL, "*", 0)                               \
  X(LOCAL_SET, 0x21, "local.set", LOCAL, "*", 0)                               \
  X(LOCAL_TEE, 0x22, "local.tee", LOCAL, "*", 0)                               \
  X(GLOBAL_GET, 0x23, "global.get", GLOBAL, "*", 0)                            \
  X(GLOBAL_SET, 0x24, "global.set", GLOBAL, "*", 0)                            \
  X(TABLE_GET, 0x25, "table.get", TABLE, "*", 0)                               \
  X(TABLE_SET, 0x26, "table.set", TABLE, "*", 0)                               \
  X(I32_LOAD, 0x28, "i32.load", MEMARG, "i:i", 2)                              \
  X(I64_LOAD, 0x29, "i64.load", MEMARG, "i:l", 3)                              \
  X(F32_LOAD, 0x2A, "f32.load", MEMARG, "i:f", 2)                              \
  X(F64_LOAD, 0x2B, "f64.load", MEMARG, "i:d", 3)                              \
  X(I32_LOAD8_S, 0x2C, "i32.load8_s", MEMARG, "i:i", 0)                        \
  X(I32_LOAD8_U, 0x2D, "i32.load8_u", MEMARG, "i:i", 0)                        \
  X(I32_LOAD16_S, 0x2E, "i32.load16_s", MEMARG, "i:i", 1)                      \
  X(I32_LOAD16_U, 0x2F, "i32.load16_u", MEMARG, "i:i", 1)                      \
  X(I64_LOAD8_S, 0x30, "i64.load8_s", MEMARG, "i:l", 0)                        \
  X(I64_LOAD8_U, 0x31, "i64.load8_u", MEMARG, "i:l", 0)                        \
  X(I64_LOAD16_S, 0x32, "i64.load16_s", MEMARG, "i:l", 1)                      \
  X(I64_LOAD16_U, 0x33, "i64.load16_u", MEMARG, "i:l", 1)                      \
  X(I64_LOAD32_S, 0x34, "i64.load32_s", MEMARG, "i:l", 2)                      \
  X(I64_LOAD32_U, 0x35, "i64.load32_u", MEMARG, "i:l", 2)                      \
  X(I32_STORE, 0x36, "i32.store", MEMARG, "ii:", 2)                            \
  X(I64_STORE, 0x37, "i64.store", MEMARG, "il:", 3)                            \
  X(F32_STORE, 0x38, "f32.store", MEMARG, "if:", 2)                            \
  X(F64_STORE, 0x39, "f64.store", MEMARG, "id:", 3)                            \
  X(I32_STORE8, 0x3A, "i32.store8", MEMARG, "ii:", 0)                          \
  X(I32_STORE16, 0x3B, "i32.store16", MEMARG, "ii:", 1)                        \
  X(I64_STORE8, 0x3C, "i64.store8", MEMARG, "il:", 0)                          \
  X(I64_STORE16, 0x3D, "i64.store16", MEMARG, "il:", 1)                        \
  X(I64_STORE32, 0x3E, "i64.store32", MEMARG, "il:", 2)                        \
  X(MEMORY_SIZE, 0x3F, "memory.size", MEMORY, ":i", 0)                         \
  X(MEMORY_GROW, 0x40, "memory.grow", MEMORY, "i:i", 0)                        \
  X(I32_CONST, 0x41, "i32.const", I32, ":i", 0)                                \
  X(I64_CONST, 0x42, "i64.const", I64, ":l", 0)                                \
  X(F32_CONST, 0x43, "f32.const", F32, ":f", 0)                                \
  X(F64_CONST, 0x44, "f64.const", F64, ":d", 0)                                \
  X(I32_EQZ, 0x45, "i32.eqz", NONE, "i:i", 0)                                  \
  X(I32_EQ, 0x46, "i32.eq", NONE, "ii:i", 0)                                   \
  X(I32_NE, 0x47, "i32.ne", NONE, "ii:i", 0)                                   \
  X(I32_LT_S, 0x48, "i32.lt_s", NONE, "ii:i", 0)                               \
  X(I32_LT_U, 0x49, "i32.lt_u", NONE, "ii:i", 0)                               \
  X(I32_GT_S, 0x4A, "i32.gt_s", NONE, "ii:i", 0)                               \
  X(I32_GT_U, 0x4B, "i32.gt_u", NONE, "ii:i", 0)                               \
  X(I32_LE_S, 0x4C, "i32.le_s", NONE, "ii:i", 0)                               \
  X(I32_LE_U, 0x4D, "i32.le_u", NONE, "ii:i", 0)                               \
  X(I32_GE_S, 0x4E, "i32.ge_s", NONE, "ii:i", 0)                               \
  X(I32_GE_U, 0x4F, "i32.ge_u", NONE, "ii:i", 0)                               \
  X(I64_EQZ, 0x50, "i64.eqz", NONE, "l:i", 0)                                  \
  X(I64_EQ, 0x51, "i64.eq", NONE, "ll:i", 0)                                   \
  X(I64_NE, 0x52, "i64.ne", NONE, "ll:i", 0)                                   \
  X(I64_LT_S, 0x53, "i64.lt_s", NONE, "ll:i", 0)                               \
  X(I64_LT_U, 0x54, "i64.lt_u", NONE, "ll:i", 0)                               \
  X(I64_GT_S, 0x55, "i64.gt_s", NONE, "ll:i", 0)                               \
  X(I64_GT_U, 0x56, "i64.gt_u", NONE, "ll:i", 0)                               \
  X(I64_LE_S, 0x57, "i64.le_s", NONE, "ll:i", 0)                               \
  X(I64_LE_U, 0x58, "i64.le_u", NONE, "ll:i", 0)                               \
  X(I64_GE_S, 0x59, "i64.ge_s", NONE, "ll:i", 0)                               \
  X(I64_GE_U, 0x5A, "i64.ge_u", NONE, "ll:i", 0)                               \
  X(F32_EQ, 0x5B, "f32.eq", NONE, "ff:i", 0)                                   \
  X(F32_NE, 0x5C, "f32.ne", NONE, "ff:i", 0)                                   \
  X(F32_LT, 0x5D, "f32.lt", NONE, "ff:i", 0)                                   \
  X(F32_GT, 0x5E, "f32.gt", NONE, "ff:i", 0)                                   \
  X(F32_LE, 0x5F, "f32.le", NONE, "ff:i", 0)                                   \
  X(F32_GE, 0x60, "f32.ge", NONE, "ff:i", 0)                                   \
  X(F64_EQ, 0x61, "f64.eq", NONE, "dd:i", 0)                                   \
  X(F64_NE, 0x62, "f64.ne", NONE, "dd:i", 0)                                   \
  X(F64_LT, 0x63, "f64.lt", NONE, "dd:i", 0)                                   \
  X(F64_GT, 0x64, "f64.gt", NONE, "dd:i", 0)                                   \
  X(F64_LE, 0x65, "f64.le", NONE, "dd:i", 0)                                   \
  X(F64_GE, 0x66, "f64.ge", NONE, "dd:i", 0)                                   \
  X(I32_CLZ, 0x67, "i32.clz", NONE, "i:i", 0)                                  \
  X(I32_CTZ, 0x68, "i32.ctz", NONE, "i:i", 0)                                  \
  X(I32_POPCNT, 0x69, "i32.popcnt", NONE, "i:i", 0)                            \
  X(I32_ADD, 0x6A, "i32.add", NONE, "ii:i", 0)                                 \
  X(I32_SUB, 0x6B, "i32.sub", NONE, "ii:i", 0)                                 \
  X(I32_MUL, 0x6C, "i32.mul", NONE, "ii:i", 0)                                 \
  X(I32_DIV_S, 0x6D, "i32.div_s", NONE, "ii:i", 0)                             \
  X(I32_DIV_U, 0x6E, "i32.div_u", NONE, "ii:i", 0)                             \
  X(I32_REM_S, 0x6F, "i32.rem_s", NONE, "ii:i", 0)                             \
  X(I32_REM_U, 0x70, "i32.rem_u", NONE, "ii:i", 0)                             \
  X(I32_AND, 0x71, "i32.and", NONE, "ii:i", 0)                                 \
  X(I32_OR, 0x72, "i32.or", NONE, "ii:i", 0)                                   \
  X(I32_XOR, 0x73, "i32.xor", NONE, "ii:i", 0)                                 \
  X(I32_SHL, 0x74, "i32.shl", NONE, "ii:i", 0)                                 \
  X(I32_SHR_S, 0x75, "i32.shr_s", NONE, "ii:i", 0)                             \
  X(I32_SHR_U, 0x76, "i32.shr_u", NONE, "ii:i", 0)                             \
  X(I32_ROTL, 0x77, "i32.rotl", NONE, "ii:i", 0)                               \
  X(I32_ROTR, 0x78, "i32.rotr", NONE, "ii:i", 0)                               \
  X(I64_CLZ, 0x79, "i64.clz", NONE, "l:l", 0)                                  \
  X(I64_CTZ, 0x7A, "i64.ctz", NONE, "l:l", 0)                                  \
  X(I64_POPCNT, 0x7B, "i64.popcnt", NONE, "l:l", 0)                            \
  X(I64_ADD, 0x7C, "i64.add", NONE, "ll:l", 0)                                 \
  X(I64_SUB, 0x7D, "i64.sub", NONE, "ll:l", 0)                                 \
  X(I64_MUL, 0x7E, "i64.mul", NONE, "ll:l", 0)                                 \
  X(I64_DIV_S, 0x7F, "i64.div_s", NONE, "ll:l", 0)                             \
  X(I64_DIV_U, 0x80, "i64.div_u", NONE, "ll:l", 0)                             \
  X(I64_REM_S, 0x81, "i64.rem_s", NONE, "ll:l", 0)                             \
  X(I64_REM_U, 0x82, "i64.rem_u", NONE, "ll:l", 0)                             \
  X(I64_AND, 0x83, "i64.and", NONE, "ll:l", 0)                                 \
  X(I64_OR, 0x84, "i64.or", NONE, "ll:l", 0)                                   \
  X(I64_XOR, 0x85, "i64.xor", NONE, "ll:l", 0)                                 \
  X(I64_SHL, 0x86, "i64.shl", NONE, "ll:l", 0)                                 \
  X(I64_SHR_S, 0x87, "i64.shr_s", NONE, "ll:l", 0)                             \
  X(I64_SHR_U, 0x88, "i64.shr_u", NONE, "ll:l", 0)                             \
  X(I64_ROTL, 0x89, "i64.rotl", NONE, "ll:l", 0)                               \
  X(I64_ROTR, 0x8A, "i64.rotr", NONE, "ll:l", 0)                               \
  X(F32_ABS, 0x8B, "f32.abs", NONE, "f:f", 0)                                  \
  X(F32_NEG, 0x8C, "f32.neg", NONE, "f:f", 0)                                  \
  X(F32_CEIL, 0x8D, "f32.ceil", NONE, "f:f", 0)                                \
  X(F32_FLOOR, 0x8E, "f32.floor", NONE, "f:f", 0)                              \
  X(F32_TRUNC, 0x8F, "f32.trunc", NONE, "f:f", 0)                              \
  X(F32_NEAREST, 0x90, "f32.nearest", NONE, "f:f", 0)                          \
  X(F32_SQRT, 0x91, "f32.sqrt", NONE, "f:f", 0)                                \
  X(F32_ADD, 0x92, "f32.add", NONE, "ff:f", 0)                                 \
  X(F32_SUB, 0x93, "f32.sub", NONE, "ff:f", 0)                                 \
  X(F32_MUL, 0x94, "f32.mul", NONE, "ff:f", 0)                                 \
  X(F32_DIV, 0x95, "f32.div", NONE, "ff:f", 0)                                 \
  X(F32_MIN, 0x96, "f32.min", NONE, "ff:f", 0)                                 \
  X(F32_MAX, 0x97, "f32.max", NONE, "ff:f", 0)                                 \
  X(F32_COPYSIGN, 0x98, "f32.copysign", NONE, "ff:f", 0)                       \
  X(F64_ABS, 0x99, "f64.abs", NONE, "d:d", 0)                                  \
  X(F64_NEG, 0x9A, "f64.neg", NONE, "d:d", 0)                                  \
  X(F64_CEIL, 0x9B, "f64.ceil", NONE, "d:d", 0)                                \
  X(F64_FLOOR, 0x9C, "f64.floor", NONE, "d:d", 0)                              \
  X(F64_TRUNC, 0x9D, "f64.trunc", NONE, "d:d", 0)                              \
  X(F64_NEAREST, 0x9E, "f64.nearest", NONE, "d:d", 0)                          \
  X(F64_SQRT, 0x9F, "f64.sqrt", NONE, "d:d", 0)                                \
  X(F64_ADD, 0xA0, "f64.add", NONE, "dd:d", 0)                                 \
  X(F64_SUB, 0xA1, "f64.sub", NONE, "dd:d", 0)                                 \
  X(F64_MUL, 0xA2, "f64.mul", NONE, "dd:d", 0)                                 \
  X(F64_DIV, 0xA3, "f64.div", NONE, "dd:d", 0)                                 \
  X(F64_MIN, 0xA4, "f64.min", NONE, "dd:d", 0)                                 \
  X(F64_MAX, 0xA5, "f64.max", NONE, "dd:d", 0)                                 \
  X(F64_COPYSIGN, 0xA6, "f64.copysign", NONE, "dd:d", 0)                       \
  X(I32_WRAP_I64, 0xA7, "i32.wrap_i64", NONE, "l:i", 0)                        \
  X(I32_TRUNC_F32_S, 0xA8, "i32.trunc_f32_s", NONE, "f:i", 0)                  \
  X(I32_TRUNC_F32_U, 0xA9, "i32.trunc_f32_u", NONE, "f:i", 0)                  \
  X(I32_TRUNC_F64_S, 0xAA, "i32.trunc_f64_s", NONE, "d:i", 0)                  \
  X(I32_TRUNC_F64_U, 0xAB, "i32.trunc_f64_u", NONE, "d:i", 0)                  \
  X(I64_EXTEND_I32_S, 0xAC, "i64.extend_i32_s", NONE, "i:l", 0)                \
  X(I64_EXTEND_I32_U, 0xAD, "i64.extend_i32_u", NONE, "i:l", 0)                \
  X(I64_TRUNC_F32_S, 0xAE, "i64.trunc_f32_s", NONE, "f:l", 0)                  \
  X(I64_TRUNC_F32_U, 0xAF, "i64.trunc_f32_u", NONE, "f:l", 0)                  \
  X(I64_TRUNC_F64_S, 0xB0, "i64.trunc_f64_s", NONE, "d:l", 0)                  \
  X(I64_TRUNC_F64_U, 0xB1, "i64.trunc_f64_u", NONE, "d:l", 0)                  \
  X(F32_CONVERT_I32_S, 0xB2, "f32.convert_i32_s", NONE, "i:f", 0)              \
  X(F32_CONVERT_I32_U, 0xB3, "f32.convert_i32_u", NONE, "i:f", 0)              \
  X(F32_CONVERT_I64_S, 0xB4, "f32.convert_i64_s", NONE, "l:f", 0)              \
  X(F32_CONVERT_I64_U, 0xB5, "f32.convert_i64_u", NONE, "l:f", 0)              \
  X(F32_DEMOTE_F64, 0xB6, "f32.demote_f64", NONE, "d:f", 0)                    \
  X(F64_CONVERT_I32_S, 0xB7, "f64.convert_i32_s", NONE, "i:d", 0)              \
  X(F64_CONVERT_I32_U, 0xB8, "f64.convert_i32_u", NONE, "i:d", 0)              \
  X(F64_CONVERT_I64_S, 0xB9, "f64.convert_i64_s", NONE, "l:d", 0)              \
  X(F64_CONVERT_I64_U, 0xBA, "f64.convert_i64_u", NONE, "l:d", 0)              \
  X(F64_PROMOTE_F32, 0xBB, "f64.promote_f32", NONE, "f:d", 0)                  \
  X(I32_REINTERPRET_F32, 0xBC, "i32.reinterpret_f32", NONE, "f:i", 0)          \
  X(I64_REINTERPRET_F64, 0xBD, "i64.reinterpret_f64", NONE, "d:l", 0)          \
  X(F32_REINTERPRET_I32, 0xBE, "f32.reinterpret_i32", NONE, "i:f", 0)          \
  X(F64_REINTERPRET_I64, 0xBF, "f64.reinterpret_i64", NONE, "l:d", 0)          \
  X(I32_EXTEND8_S, 0xC0, "i32.extend8_s", NONE, "i:i", 0)                      \
  X(I32_EXTEND16_S, 0xC1, "i32.extend16_s", NONE, "i:i", 0)                    \
  X(I64_EXTEND8_S, 0xC2, "i64.extend8_s", NONE, "l:l", 0)                      \
  X(I64_EXTEND16_S, 0xC3, "i64.extend16_s", NONE, "l:l", 0)                    \
  X(I64_EXTEND32_S, 0xC4, "i64.extend32_s", NONE, "l:l", 0)                    \
  X(REF_NULL, 0xD0, "ref.null", REFTYPE, "*", 0)                               \
  X(REF_IS_NULL, 0xD1, "ref.is_null", NONE, "*", 0)                            \
  X(REF_FUNC, 0xD2, "ref.func", FUNC, "*", 0)

#define WASM_OPCODES_FC(X)                                            \
  X(I32_TRUNC_SAT_F32_S, 0x00, "i32.trunc_sat_f32_s", NONE, "f:i", 0) \
  X(I32_TRUNC_SAT_F32_U, 0x01, "i32.trunc_sat_f32_u", NONE, "f:i", 0) \
  X(I32_TRUNC_SAT_F64_S, 0x02, "i32.trunc_sat_f64_s", NONE, "d:i", 0) \
  X(I32_TRUNC_SAT_F64_U, 0x03, "i32.trunc_sat_f64_u", NONE, "d:i", 0) \
  X(I64_TRUNC_SAT_F32_S, 0x04, "i64.trunc_sat_f32_s", NONE, "f:l", 0) \
  X(I64_TRUNC_SAT_F32_U, 0x05, "i64.trunc_sat_f32_u", NONE, "f:l", 0) \
  X(I64_TRUNC_SAT_F64_S, 0x06, "i64.trunc_sat_f64_s", NONE, "d:l", 0) \
  X(I64_TRUNC_SAT_F64_U, 0x07, "i64.trunc_sat_f64_u", NONE, "d:l", 0) \
  X(MEMORY_INIT, 0x08, "memory.init", MEMORY_INIT, "iii:", 0)         \
  X(DATA_DROP, 0x09, "data.drop", DATA, ":", 0)                       \
  X(MEMORY_COPY, 0x0A, "memory.copy", MEMORY_COPY, "iii:", 0)         \
  X(MEMORY_FILL, 0x0B, "memory.fill", MEMORY, "iii:", 0)              \
  X(TABLE_INIT, 0x0C, "table.init", TABLE_INIT, "iii:", 0)            \
  X(ELEM_DROP, 0x0D, "elem.drop", ELEM, ":", 0)                       \
  X(TABLE_COPY, 0x0E, "table.copy", TABLE_COPY, "iii:", 0)            \
  X(TABLE_GROW, 0x0F, "table.grow", TABLE, "*", 0)                    \
  X(TABLE_SIZE, 0x10, "table.size", TABLE, ":i", 0)                   \
  X(TABLE_FILL, 0x11, "table.fill", TABLE, "*", 0)

#define WASM_OPCODES_FD(X)                                                                               \
  X(V128_LOAD, 0x00, "v128.load", MEMARG, "i:v", 4)                                                      \
  X(V128_LOAD8X8_S, 0x01, "v128.load8x8_s", MEMARG, "i:v", 3)                                            \
  X(V128_LOAD8X8_U, 0x02, "v128.load8x8_u", MEMARG, "i:v", 3)                                            \
  X(V128_LOAD16X4_S, 0x03, "v128.load16x4_s", MEMARG, "i:v", 3)                                          \
  X(V128_LOAD16X4_U, 0x04, "v128.load16x4_u", MEMARG, "i:v", 3)                                          \
  X(V128_LOAD32X2_S, 0x05, "v128.load32x2_s", MEMARG, "i:v", 3)                                          \
  X(V128_LOAD32X2_U, 0x06, "v128.load32x2_u", MEMARG, "i:v", 3)                                          \
  X(V128_LOAD8_SPLAT, 0x07, "v128.load8_splat", MEMARG, "i:v", 0)                                        \
  X(V128_LOAD16_SPLAT, 0x08, "v128.load16_splat", MEMARG, "i:v", 1)                                      \
  X(V128_LOAD32_SPLAT, 0x09, "v128.load32_splat", MEMARG, "i:v", 2)                                      \
  X(V128_LOAD64_SPLAT, 0x0A, "v128.load64_splat", MEMARG, "i:v", 3)                                      \
  X(V128_STORE, 0x0B, "v128.store", MEMARG, "iv:", 4)                                                    \
  X(V128_CONST, 0x0C, "v128.const", V128, ":v", 0)                                                       \
  X(I8X16_SHUFFLE, 0x0D, "i8x16.shuffle", SHUFFLE, "vv:v", 0)                                            \
  X(I8X16_SWIZZLE, 0x0E, "i8x16.swizzle", NONE, "vv:v", 0)                                               \
  X(I8X16_SPLAT, 0x0F, "i8x16.splat", NONE, "i:v", 0)                                                    \
  X(I16X8_SPLAT, 0x10, "i16x8.splat", NONE, "i:v", 0)                                                    \
  X(I32X4_SPLAT, 0x11, "i32x4.splat", NONE, "i:v", 0)                                                    \
  X(I64X2_SPLAT, 0x12, "i64x2.splat", NONE, "l:v", 0)                                                    \
  X(F32X4_SPLAT, 0x13, "f32x4.splat", NONE, "f:v", 0)                                                    \
  X(F64X2_SPLAT, 0x14, "f64x2.splat", NONE, "d:v", 0)                                                    \
  X(I8X16_EXTRACT_LANE_S, 0x15, "i8x16.extract_lane_s", LANE, "v:i", 16)                                 \
  X(I8X16_EXTRACT_LANE_U, 0x16, "i8x16.extract_lane_u", LANE, "v:i", 16)                                 \
  X(I8X16_REPLACE_LANE, 0x17, "i8x16.replace_lane", LANE, "vi:v", 16)                                    \
  X(I16X8_EXTRACT_LANE_S, 0x18, "i16x8.extract_lane_s", LANE, "v:i", 8)                                  \
  X(I16X8_EXTRACT_LANE_U, 0x19, "i16x8.extract_lane_u", LANE, "v:i", 8)                                  \
  X(I16X8_REPLACE_LANE, 0x1A, "i16x8.replace_lane", LANE, "vi:v", 8)                                     \
  X(I32X4_EXTRACT_LANE, 0x1B, "i32x4.extract_lane", LANE, "v:i", 4)                                      \
  X(I32X4_REPLACE_LANE, 0x1C, "i32x4.replace_lane", LANE, "vi:v", 4)                                     \
  X(I64X2_EXTRACT_LANE, 0x1D, "i64x2.extract_lane", LANE, "v:l", 2)                                      \
  X(I64X2_REPLACE_LANE, 0x1E, "i64x2.replace_lane", LANE, "vl:v", 2)                                     \
  X(F32X4_EXTRACT_LANE, 0x1F, "f32x4.extract_lane", LANE, "v:f", 4)                                      \
  X(F32X4_REPLACE_LANE, 0x20, "f32x4.replace_lane", LANE, "vf:v", 4)                                     \
  X(F64X2_EXTRACT_LANE, 0x21, "f64x2.extract_lane", LANE, "v:d", 2)                                      \
  X(F64X2_REPLACE_LANE, 0x22, "f64x2.replace_lane", LANE, "vd:v", 2)                                     \
  X(I8X16_EQ, 0x23, "i8x16.eq", NONE, "vv:v", 0)                                                         \
  X(I8X16_NE, 0x24, "i8x16.ne", NONE, "vv:v", 0)                                                         \
  X(I8X16_LT_S, 0x25, "i8x16.lt_s", NONE, "vv:v", 0)                                                     \
  X(I8X16_LT_U, 0x26, "i8x16.lt_u", NONE, "vv:v", 0)                                                     \
  X(I8X16_GT_S, 0x27, "i8x16.gt_s", NONE, "vv:v", 0)                                                     \
  X(I8X16_GT_U, 0x28, "i8x16.gt_u", NONE, "vv:v", 0)                                                     \
  X(I8X16_LE_S, 0x29, "i8x16.le_s", NONE, "vv:v", 0)                                                     \
  X(I8X16_LE_U, 0x2A, "i8x16.le_u", NONE, "vv:v", 0)                                                     \
  X(I8X16_GE_S, 0x2B, "i8x16.ge_s", NONE, "vv:v", 0)                                                     \
  X(I8X16_GE_U, 0x2C, "i8x16.ge_u", NONE, "vv:v", 0)                                                     \
  X(I16X8_EQ, 0x2D, "i16x8.eq", NONE, "vv:v", 0)                                                         \
  X(I16X8_NE, 0x2E, "i16x8.ne", NONE, "vv:v", 0)                                                         \
  X(I16X8_LT_S, 0x2F, "i16x8.lt_s", NONE, "vv:v", 0)                                                     \
  X(I16X8_LT_U, 0x30, "i16x8.lt_u", NONE, "vv:v", 0)                                                     \
  X(I16X8_GT_S, 0x31, "i16x8.gt_s", NONE, "vv:v", 0)                                                     \
  X(I16X8_GT_U, 0x32, "i16x8.gt_u", NONE, "vv:v", 0)                                                     \
  X(I16X8_LE_S, 0x33, "i16x8.le_s", NONE, "vv:v", 0)                                                     \
  X(I16X8_LE_U, 0x34, "i16x8.le_u", NONE, "vv:v", 0)                                                     \
  X(I16X8_GE_S, 0x35, "i16x8.ge_s", NONE, "vv:v", 0)                                                     \
  X(I16X8_GE_U, 0x36, "i16x8.ge_u", NONE, "vv:v", 0)                                                     \
  X(I32X4_EQ, 0x37, "i32x4.eq", NONE, "vv:v", 0)                                                         \
  X(I32X4_NE, 0x38, "i32x4.ne", NONE, "vv:v", 0)                                                         \
  X(I32X4_LT_S, 0x39, "i32x4.lt_s", NONE, "vv:v", 0)                                                     \
  X(I32X4_LT_U, 0x3A, "i32x4.lt_u", NONE, "vv:v", 0)                                                     \
  X(I32X4_GT_S, 0x3B, "i32x4.gt_s", NONE, "vv:v", 0)                                                     \
  X(I32X4_GT_U, 0x3C, "i32x4.gt_u", NONE, "vv:v", 0)                                                     \
  X(I32X4_LE_S, 0x3D, "i32x4.le_s", NONE, "vv:v", 0)                                                     \
  X(I32X4_LE_U, 0x3E, "i32x4.le_u", NONE, "vv:v", 0)                                                     \
  X(I32X4_GE_S, 0x3F, "i32x4.ge_s", NONE, "vv:v", 0)                                                     \
  X(I32X4_GE_U, 0x40, "i32x4.ge_u", NONE, "vv:v", 0)                                                     \
  X(F32X4_EQ, 0x41, "f32x4.eq", NONE, "vv:v", 0)                                                         \
  X(F32X4_NE, 0x42, "f32x4.ne", NONE, "vv:v", 0)                                                         \
  X(F32X4_LT, 0x43, "f32x4.lt", NONE, "vv:v", 0)                                                         \
  X(F32X4_GT, 0x44, "f32x4.gt", NONE, "vv:v", 0)                                                         \
  X(F32X4_LE, 0x45, "f32x4.le", NONE, "vv:v", 0)                                                         \
  X(F32X4_GE, 0x46, "f32x4.ge", NONE, "vv:v", 0)                                                         \
  X(F64X2_EQ, 0x47, "f64x2.eq", NONE, "vv:v", 0)                                                         \
  X(F64X2_NE, 0x48, "f64x2.ne", NONE, "vv:v", 0)                                                         \
  X(F64X2_LT, 0x49, "f64x2.lt", NONE, "vv:v", 0)                                                         \
  X(F64X2_GT, 0x4A, "f64x2.gt", NONE, "vv:v", 0)                                                         \
  X(F64X2_LE, 0x4B, "f64x2.le", NONE, "vv:v", 0)                                                         \
  X(F64X2_GE, 0x4C, "f64x2.ge", NONE, "vv:v", 0)                                                         \
  X(V128_NOT, 0x4D, "v128.not", NONE, "v:v", 0)                                                          \
  X(V128_AND, 0x4E, "v128.and", NONE, "vv:v", 0)                                                         \
  X(V128_ANDNOT, 0x4F, "v128.andnot", NONE, "vv:v", 0)                                                   \
  X(V128_OR, 0x50, "v128.or", NONE, "vv:v", 0)                                                           \
  X(V128_XOR, 0x51, "v128.xor", NONE, "vv:v", 0)                                                         \
  X(V128_BITSELECT, 0x52, "v128.bitselect", NONE, "vvv:v", 0)                                            \
  X(V128_ANY_TRUE, 0x53, "v128.any_true", NONE, "v:i", 0)                                                \
  X(V128_LOAD8_LANE, 0x54, "v128.load8_lane", MEMARG_LANE, "iv:v", 0)                                    \
  X(V128_LOAD16_LANE, 0x55, "v128.load16_lane", MEMARG_LANE, "iv:v", 1)                                  \
  X(V128_LOAD32_LANE, 0x56, "v128.load32_lane", MEMARG_LANE, "iv:v", 2)                                  \
  X(V128_LOAD64_LANE, 0x57, "v128.load64_lane", MEMARG_LANE, "iv:v", 3)                                  \
  X(V128_STORE8_LANE, 0x58, "v128.store8_lane", MEMARG_LANE, "iv:", 0)                                   \
  X(V128_STORE16_LANE, 0x59, "v128.store16_lane", MEMARG_LANE, "iv:", 1)                                 \
  X(V128_STORE32_LANE, 0x5A, "v128.store32_lane", MEMARG_LANE, "iv:", 2)                                 \
  X(V128_STORE64_LANE, 0x5B, "v128.store64_lane", MEMARG_LANE, "iv:", 3)                                 \
  X(V128_LOAD32_ZERO, 0x5C, "v128.load32_zero", MEMARG, "i:v", 2)                                        \
  X(V128_LOAD64_ZERO, 0x5D, "v128.load64_zero", MEMARG, "i:v", 3)                                        \
  X(F32X4_DEMOTE_F64X2_ZERO, 0x5E, "f32x4.demote_f64x2_zero", NONE, "v:v", 0)                            \
  X(F64X2_PROMOTE_LOW_F32X4, 0x5F, "f64x2.promote_low_f32x4", NONE, "v:v", 0)                            \
  X(I8X16_ABS, 0x60, "i8x16.abs", NONE, "v:v", 0)                                                        \
  X(I8X16_NEG, 0x61, "i8x16.neg", NONE, "v:v", 0)                                                        \
  X(I8X16_POPCNT, 0x62, "i8x16.popcnt", NONE, "v:v", 0)                                                  \
  X(I8X16_ALL_TRUE, 0x63, "i8x16.all_true", NONE, "v:i", 0)                                              \
  X(I8X16_BITMASK, 0x64, "i8x16.bitmask", NONE, "v:i", 0)                                                \
  X(I8X16_NARROW_I16X8_S, 0x65, "i8x16.narrow_i16x8_s", NONE, "vv:v", 0)                                 \
  X(I8X16_NARROW_I16X8_U, 0x66, "i8x16.narrow_i16x8_u", NONE, "vv:v", 0)                                 \
  X(F32X4_CEIL, 0x67, "f32x4.ceil", NONE, "v:v", 0)                                                      \
  X(F32X4_FLOOR, 0x68, "f32x4.floor", NONE, "v:v", 0)                                                    \
  X(F32X4_TRUNC, 0x69, "f32x4.trunc", NONE, "v:v", 0)                                                    \
  X(F32X4_NEAREST, 0x6A, "f32x4.nearest", NONE, "v:v", 0)                                                \
  X(I8X16_SHL, 0x6B, "i8x16.shl", NONE, "vi:v", 0)                                                       \
  X(I8X16_SHR_S, 0x6C, "i8x16.shr_s", NONE, "vi:v", 0)                                                   \
  X(I8X16_SHR_U, 0x6D, "i8x16.shr_u", NONE, "vi:v", 0)                                                   \
  X(I8X16_ADD, 0x6E, "i8x16.add", NONE, "vv:v", 0)                                                       \
  X(I8X16_ADD_SAT_S, 0x6F, "i8x16.add_sat_s", NONE, "vv:v", 0)                                           \
  X(I8X16_ADD_SAT_U, 0x70, "i8x16.add_sat_u", NONE, "vv:v", 0)                                           \
  X(I8X16_SUB, 0x71, "i8x16.sub", NONE, "vv:v", 0)                                                       \
  X(I8X16_SUB_SAT_S, 0x72, "i8x16.sub_sat_s", NONE, "vv:v", 0)                                           \
  X(I8X16_SUB_SAT_U, 0x73, "i8x16.sub_sat_u", NONE, "vv:v", 0)                                           \
  X(F64X2_CEIL, 0x74, "f64x2.ceil", NONE, "v:v", 0)                                                      \
  X(F64X2_FLOOR, 0x75, "f64x2.floor", NONE, "v:v", 0)                                                    \
  X(I8X16_MIN_S, 0x76, "i8x16.min_s", NONE, "vv:v", 0)                                                   \
  X(I8X16_MIN_U, 0x77, "i8x16.min_u", NONE, "vv:v", 0)                                                   \
  X(I8X16_MAX_S, 0x78, "i8x16.max_s", NONE, "vv:v", 0)                                                   \
  X(I8X16_MAX_U, 0x79, "i8x16.max_u", NONE, "vv:v", 0)                                                   \
  X(F64X2_TRUNC, 0x7A, "f64x2.trunc", NONE, "v:v", 0)                                                    \
  X(I8X16_AVGR_U, 0x7B, "i8x16.avgr_u", NONE, "vv:v", 0)                                                 \
  X(I16X8_EXTADD_PAIRWISE_I8X16_S, 0x7C, "i16x8.extadd_pairwise_i8x16_s", NONE, "v:v", 0)                \
  X(I16X8_EXTADD_PAIRWISE_I8X16_U, 0x7D, "i16x8.extadd_pairwise_i8x16_u", NONE, "v:v", 0)                \
  X(I32X4_EXTADD_PAIRWISE_I16X8_S, 0x7E, "i32x4.extadd_pairwise_i16x8_s", NONE, "v:v", 0)                \
  X(I32X4_EXTADD_PAIRWISE_I16X8_U, 0x7F, "i32x4.extadd_pairwise_i16x8_u", NONE, "v:v", 0)                \
  X(I16X8_ABS, 0x80, "i16x8.abs", NONE, "v:v", 0)                                                        \
  X(I16X8_NEG, 0x81, "i16x8.neg", NONE, "v:v", 0)                                                        \
  X(I16X8_Q15MULR_SAT_S, 0x82, "i16x8.q15mulr_sat_s", NONE, "vv:v", 0)                                   \
  X(I16X8_ALL_TRUE, 0x83, "i16x8.all_true", NONE, "v:i", 0)                                              \
  X(I16X8_BITMASK, 0x84, "i16x8.bitmask", NONE, "v:i", 0)                                                \
  X(I16X8_NARROW_I32X4_S, 0x85, "i16x8.narrow_i32x4_s", NONE, "vv:v", 0)                                 \
  X(I16X8_NARROW_I32X4_U, 0x86, "i16x8.narrow_i32x4_u", NONE, "vv:v", 0)                                 \
  X(I16X8_EXTEND_LOW_I8X16_S, 0x87, "i16x8.extend_low_i8x16_s", NONE, "v:v", 0)                          \
  X(I16X8_EXTEND_HIGH_I8X16_S, 0x88, "i16x8.extend_high_i8x16_s", NONE, "v:v", 0)                        \
  X(I16X8_EXTEND_LOW_I8X16_U, 0x89, "i16x8.extend_low_i8x16_u", NONE, "v:v", 0)                          \
  X(I16X8_EXTEND_HIGH_I8X16_U, 0x8A, "i16x8.extend_high_i8x16_u", NONE, "v:v", 0)                        \
  X(I16X8_SHL, 0x8B, "i16x8.shl", NONE, "vi:v", 0)                                                       \
  X(I16X8_SHR_S, 0x8C, "i16x8.shr_s", NONE, "vi:v", 0)                                                   \
  X(I16X8_SHR_U, 0x8D, "i16x8.shr_u", NONE, "vi:v", 0)                                                   \
  X(I16X8_ADD, 0x8E, "i16x8.add", NONE, "vv:v", 0)                                                       \
  X(I16X8_ADD_SAT_S, 0x8F, "i16x8.add_sat_s", NONE, "vv:v", 0)                                           \
  X(I16X8_ADD_SAT_U, 0x90, "i16x8.add_sat_u", NONE, "vv:v", 0)                                           \
  X(I16X8_SUB, 0x91, "i16x8.sub", NONE, "vv:v", 0)                                                       \
  X(I16X8_SUB_SAT_S, 0x92, "i16x8.sub_sat_s", NONE, "vv:v", 0)                                           \
  X(I16X8_SUB_SAT_U, 0x93, "i16x8.sub_sat_u", NONE, "vv:v", 0)                                           \
  X(F64X2_NEAREST, 0x94, "f64x2.nearest", NONE, "v:v", 0)                                                \
  X(I16X8_MUL, 0x95, "i16x8.mul", NONE, "vv:v", 0)                                                       \
  X(I16X8_MIN_S, 0x96, "i16x8.min_s", NONE, "vv:v", 0)                                                   \
  X(I16X8_MIN_U, 0x97, "i16x8.min_u", NONE, "vv:v", 0)                                                   \
  X(I16X8_MAX_S, 0x98, "i16x8.max_s", NONE, "vv:v", 0)                                                   \
  X(I16X8_MAX_U, 0x99, "i16x8.max_u", NONE, "vv:v", 0)                                                   \
  X(I16X8_AVGR_U, 0x9B, "i16x8.avgr_u", NONE, "vv:v", 0)                                                 \
  X(I16X8_EXTMUL_LOW_I8X16_S, 0x9C, "i16x8.extmul_low_i8x16_s", NONE, "vv:v", 0)                         \
  X(I16X8_EXTMUL_HIGH_I8X16_S, 0x9D, "i16x8.extmul_high_i8x16_s", NONE, "vv:v", 0)                       \
  X(I16X8_EXTMUL_LOW_I8X16_U, 0x9E, "i16x8.extmul_low_i8x16_u", NONE, "vv:v", 0)                         \
  X(I16X8_EXTMUL_HIGH_I8X16_U, 0x9F, "i16x8.extmul_high_i8x16_u", NONE, "vv:v", 0)                       \
  X(I32X4_ABS, 0xA0, "i32x4.abs", NONE, "v:v", 0)                                                        \
  X(I32X4_NEG, 0xA1, "i32x4.neg", NONE, "v:v", 0)                                                        \
  X(I32X4_ALL_TRUE, 0xA3, "i32x4.all_true", NONE, "v:i", 0)                                              \
  X(I32X4_BITMASK, 0xA4, "i32x4.bitmask", NONE, "v:i", 0)                                                \
  X(I32X4_EXTEND_LOW_I16X8_S, 0xA7, "i32x4.extend_low_i16x8_s", NONE, "v:v", 0)                          \
  X(I32X4_EXTEND_HIGH_I16X8_S, 0xA8, "i32x4.extend_high_i16x8_s", NONE, "v:v", 0)                        \
  X(I32X4_EXTEND_LOW_I16X8_U, 0xA9, "i32x4.extend_low_i16x8_u", NONE, "v:v", 0)                          \
  X(I32X4_EXTEND_HIGH_I16X8_U, 0xAA, "i32x4.extend_high_i16x8_u", NONE, "v:v", 0)                        \
  X(I32X4_SHL, 0xAB, "i32x4.shl", NONE, "vi:v", 0)                                                       \
  X(I32X4_SHR_S, 0xAC, "i32x4.shr_s", NONE, "vi:v", 0)                                                   \
  X(I32X4_SHR_U, 0xAD, "i32x4.shr_u", NONE, "vi:v", 0)                                                   \
  X(I32X4_ADD, 0xAE, "i32x4.add", NONE, "vv:v", 0)                                                       \
  X(I32X4_SUB, 0xB1, "i32x4.sub", NONE, "vv:v", 0)                                                       \
  X(I32X4_MUL, 0xB5, "i32x4.mul", NONE, "vv:v", 0)                                                       \
  X(I32X4_MIN_S, 0xB6, "i32x4.min_s", NONE, "vv:v", 0)                                                   \
  X(I32X4_MIN_U, 0xB7, "i32x4.min_u", NONE, "vv:v", 0)                                                   \
  X(I32X4_MAX_S, 0xB8, "i32x4.max_s", NONE, "vv:v", 0)                                                   \
  X(I32X4_MAX_U, 0xB9, "i32x4.max_u", NONE, "vv:v", 0)                                                   \
  X(I32X4_DOT_I16X8_S, 0xBA, "i32x4.dot_i16x8_s", NONE, "vv:v", 0)                                       \
  X(I32X4_EXTMUL_LOW_I16X8_S, 0xBC, "i32x4.extmul_low_i16x8_s", NONE, "vv:v", 0)                         \
  X(I32X4_EXTMUL_HIGH_I16X8_S, 0xBD, "i32x4.extmul_high_i16x8_s", NONE, "vv:v", 0)                       \
  X(I32X4_EXTMUL_LOW_I16X8_U, 0xBE, "i32x4.extmul_low_i16x8_u", NONE, "vv:v", 0)                         \
  X(I32X4_EXTMUL_HIGH_I16X8_U, 0xBF, "i32x4.extmul_high_i16x8_u", NONE, "vv:v", 0)                       \
  X(I64X2_ABS, 0xC0, "i64x2.abs", NONE, "v:v", 0)                                                        \
  X(I64X2_NEG, 0xC1, "i64x2.neg", NONE, "v:v", 0)                                                        \
  X(I64X2_ALL_TRUE, 0xC3, "i64x2.all_true", NONE, "v:i", 0)                                              \
  X(I64X2_BITMASK, 0xC4, "i64x2.bitmask", NONE, "v:i", 0)                                                \
  X(I64X2_EXTEND_LOW_I32X4_S, 0xC7, "i64x2.extend_low_i32x4_s", NONE, "v:v", 0)                          \
  X(I64X2_EXTEND_HIGH_I32X4_S, 0xC8, "i64x2.extend_high_i32x4_s", NONE, "v:v", 0)                        \
  X(I64X2_EXTEND_LOW_I32X4_U, 0xC9, "i64x2.extend_low_i32x4_u", NONE, "v:v", 0)                          \
  X(I64X2_EXTEND_HIGH_I32X4_U, 0xCA, "i64x2.extend_high_i32x4_u", NONE, "v:v", 0)                        \
  X(I64X2_SHL, 0xCB, "i64x2.shl", NONE, "vi:v", 0)                                                       \
  X(I64X2_SHR_S, 0xCC, "i64x2.shr_s", NONE, "vi:v", 0)                                                   \
  X(I64X2_SHR_U, 0xCD, "i64x2.shr_u", NONE, "vi:v", 0)                                                   \
  X(I64X2_ADD, 0xCE, "i64x2.add", NONE, "vv:v", 0)                                                       \
  X(I64X2_SUB, 0xD1, "i64x2.sub", NONE, "vv:v", 0)                                                       \
  X(I64X2_MUL, 0xD5, "i64x2.mul", NONE, "vv:v", 0)                                                       \
  X(I64X2_EQ, 0xD6, "i64x2.eq", NONE, "vv:v", 0)                                                         \
  X(I64X2_NE, 0xD7, "i64x2.ne", NONE, "vv:v", 0)                                                         \
  X(I64X2_LT_S, 0xD8, "i64x2.lt_s", NONE, "vv:v", 0)                                                     \
  X(I64X2_GT_S, 0xD9, "i64x2.gt_s", NONE, "vv:v", 0)                                                     \
  X(I64X2_LE_S, 0xDA, "i64x2.le_s", NONE, "vv:v", 0)                                                     \
  X(I64X2_GE_S, 0xDB, "i64x2.ge_s", NONE, "vv:v", 0)                                                     \
  X(I64X2_EXTMUL_LOW_I32X4_S, 0xDC, "i64x2.extmul_low_i32x4_s", NONE, "vv:v", 0)                         \
  X(I64X2_EXTMUL_HIGH_I32X4_S, 0xDD, "i64x2.extmul_high_i32x4_s", NONE, "vv:v", 0)                       \
  X(I64X2_EXTMUL_LOW_I32X4_U, 0xDE, "i64x2.extmul_low_i32x4_u", NONE, "vv:v", 0)                         \
  X(I64X2_EXTMUL_HIGH_I32X4_U, 0xDF, "i64x2.extmul_high_i32x4_u", NONE, "vv:v", 0)                       \
  X(F32X4_ABS, 0xE0, "f32x4.abs", NONE, "v:v", 0)                                                        \
  X(F32X4_NEG, 0xE1, "f32x4.neg", NONE, "v:v", 0)                                                        \
  X(F32X4_SQRT, 0xE3, "f32x4.sqrt", NONE, "v:v", 0)                                                      \
  X(F32X4_ADD, 0xE4, "f32x4.add", NONE, "vv:v", 0)                                                       \
  X(F32X4_SUB, 0xE5, "f32x4.sub", NONE, "vv:v", 0)                                                       \
  X(F32X4_MUL, 0xE6, "f32x4.mul", NONE, "vv:v", 0)                                                       \
  X(F32X4_DIV, 0xE7, "f32x4.div", NONE, "vv:v", 0)                                                       \
  X(F32X4_MIN, 0xE8, "f32x4.min", NONE, "vv:v", 0)                                                       \
  X(F32X4_MAX, 0xE9, "f32x4.max", NONE, "vv:v", 0)                                                       \
  X(F32X4_PMIN, 0xEA, "f32x4.pmin", NONE, "vv:v", 0)                                                     \
  X(F32X4_PMAX, 0xEB, "f32x4.pmax", NONE, "vv:v", 0)                                                     \
  X(F64X2_ABS, 0xEC, "f64x2.abs", NONE, "v:v", 0)                                                        \
  X(F64X2_NEG, 0xED, "f64x2.neg", NONE, "v:v", 0)                                                        \
  X(F64X2_SQRT, 0xEF, "f64x2.sqrt", NONE, "v:v", 0)                                                      \
  X(F64X2_ADD, 0xF0, "f64x2.add", NONE, "vv:v", 0)                                                       \
  X(F64X2_SUB, 0xF1, "f64x2.sub", NONE, "vv:v", 0)                                                       \
  X(F64X2_MUL, 0xF2, "f64x2.mul", NONE, "vv:v", 0)                                                       \
  X(F64X2_DIV, 0xF3, "f64x2.div", NONE, "vv:v", 0)                                                       \
  X(F64X2_MIN, 0xF4, "f64x2.min", NONE, "vv:v", 0)                                                       \
  X(F64X2_MAX, 0xF5, "f64x2.max", NONE, "vv:v", 0)                                                       \
  X(F64X2_PMIN, 0xF6, "f64x2.pmin", NONE, "vv:v", 0)                                                     \
  X(F64X2_PMAX, 0xF7, "f64x2.pmax", NONE, "vv:v", 0)                                                     \
  X(I32X4_TRUNC_SAT_F32X4_S, 0xF8, "i32x4.trunc_sat_f32x4_s", NONE, "v:v", 0)                            \
  X(I32X4_TRUNC_SAT_F32X4_U, 0xF9, "i32x4.trunc_sat_f32x4_u", NONE, "v:v", 0)                            \
  X(F32X4_CONVERT_I32X4_S, 0xFA, "f32x4.convert_i32x4_s", NONE, "v:v", 0)                                \
  X(F32X4_CONVERT_I32X4_U, 0xFB, "f32x4.convert_i32x4_u", NONE, "v:v", 0)                                \
  X(I32X4_TRUNC_SAT_F64X2_S_ZERO, 0xFC, "i32x4.trunc_sat_f64x2_s_zero", NONE, "v:v", 0)                  \
  X(I32X4_TRUNC_SAT_F64X2_U_ZERO, 0xFD, "i32x4.trunc_sat_f64x2_u_zero", NONE, "v:v", 0)                  \
  X(F64X2_CONVERT_LOW_I32X4_S, 0xFE, "f64x2.convert_low_i32x4_s", NONE, "v:v", 0)                        \
  X(F64X2_CONVERT_LOW_I32X4_U, 0xFF, "f64x2.convert_low_i32x4_u", NONE, "v:v", 0)                        \
  X(I8X16_RELAXED_SWIZZLE, 0x100, "i8x16.relaxed_swizzle", NONE, "vv:v", 0)                              \
  X(I32X4_RELAXED_TRUNC_F32X4_S, 0x101, "i32x4.relaxed_trunc_f32x4_s", NONE, "v:v", 0)                   \
  X(I32X4_RELAXED_TRUNC_F32X4_U, 0x102, "i32x4.relaxed_trunc_f32x4_u", NONE, "v:v", 0)                   \
  X(I32X4_RELAXED_TRUNC_F64X2_S_ZERO, 0x103, "i32x4.relaxed_trunc_f64x2_s_zero", NONE, "v:v", 0)         \
  X(I32X4_RELAXED_TRUNC_F64X2_U_ZERO, 0x104, "i32x4.relaxed_trunc_f64x2_u_zero", NONE, "v:v", 0)         \
  X(F32X4_RELAXED_MADD, 0x105, "f32x4.relaxed_madd", NONE, "vvv:v", 0)                                   \
  X(F32X4_RELAXED_NMADD, 0x106, "f32x4.relaxed_nmadd", NONE, "vvv:v", 0)                                 \
  X(F64X2_RELAXED_MADD, 0x107, "f64x2.relaxed_madd", NONE, "vvv:v", 0)                                   \
  X(F64X2_RELAXED_NMADD, 0x108, "f64x2.relaxed_nmadd", NONE, "vvv:v", 0)                                 \
  X(I8X16_RELAXED_LANESELECT, 0x109, "i8x16.relaxed_laneselect", NONE, "vvv:v", 0)                       \
  X(I16X8_RELAXED_LANESELECT, 0x10A, "i16x8.relaxed_laneselect", NONE, "vvv:v", 0)                       \
  X(I32X4_RELAXED_LANESELECT, 0x10B, "i32x4.relaxed_laneselect", NONE, "vvv:v", 0)                       \
  X(I64X2_RELAXED_LANESELECT, 0x10C, "i64x2.relaxed_laneselect", NONE, "vvv:v", 0)                       \
  X(F32X4_RELAXED_MIN, 0x10D, "f32x4.relaxed_min", NONE, "vv:v", 0)                                      \
  X(F32X4_RELAXED_MAX, 0x10E, "f32x4.relaxed_max", NONE, "vv:v", 0)                                      \
  X(F64X2_RELAXED_MIN, 0x10F, "f64x2.relaxed_min", NONE, "vv:v", 0)                                      \
  X(F64X2_RELAXED_MAX, 0x110, "f64x2.relaxed_max", NONE, "vv:v", 0)                                      \
  X(I16X8_RELAXED_Q15MULR_S, 0x111, "i16x8.relaxed_q15mulr_s", NONE, "vv:v", 0)                          \
  X(I16X8_RELAXED_DOT_I8X16_I7X16_S, 0x112, "i16x8.relaxed_dot_i8x16_i7x16_s", NONE, "vv:v", 0)          \
  X(I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S, 0x113, "i32x4.relaxed_dot_i8x16_i7x16_add_s", NONE, "vvv:v", 0)

typedef enum WasmOp {
#define WASM_OP_ENUM_BASE(id, code, text, imm, sig, extra) WASM_OP_##id = (code),
#define WASM_OP_ENUM_FC(id, code, text, imm, sig, extra) WASM_OP_##id = WASM_OP_FC_BASE + (code),
#define WASM_OP_ENUM_FD(id, code, text, imm, sig, extra) WASM_OP_##id = WASM_OP_FD_BASE + (code),
  WASM_OPCODES_BASE(WASM_OP_ENUM_BASE) WASM_OPCODES_FC(WASM_OP_ENUM_FC)
      WASM_OPCODES_FD(WASM_OP_ENUM_FD)
#undef WASM_OP_ENUM_BASE
#undef WASM_OP_ENUM_FC
#undef WASM_OP_ENUM_FD
} WasmOp;

/* Facts about one instruction id, generated from the tables (decode.c).
 * name == NULL marks an id that is no instruction ("illegal opcode"). */
typedef struct WasmOpInfo {
  const char *name;  /* text-format name */
  uint8_t imm;       /* WasmImmKind */
  uint8_t extra;     /* natural alignment log2 / lane count, see above */
  uint8_t nparams;   /* fixed signature (valid when fixed_sig) */
  uint8_t nresults;  /* 0 or 1 */
  uint8_t params[3]; /* WasmValType bytes */
  uint8_t result;    /* WasmValType byte when nresults == 1 */
  uint8_t fixed_sig; /* 1 when "sig" was not "*" */
} WasmOpInfo;

extern const WasmOpInfo wasm_op_info[WASM_OP_ID_LIMIT];

/* The info of an id, or NULL if the id is no instruction. */
static inline const WasmOpInfo *wasm_op_lookup(uint32_t id) {
  return id < WASM_OP_ID_LIMIT && wasm_op_info[id].name ? &wasm_op_info[id] : 0;
}

#endif
