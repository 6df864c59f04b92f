/* simd.c: lane semantics of the Wasm SIMD instructions over V128, written
 * as portable C (the compiler vectorises the simple loops), and the table
 * that maps each 0xFD sub-opcode to its function. Float lanes follow the
 * same NaN and signed-zero rules as the scalar operations in numeric.h. */
#include "wasm/simd.h"

#include <string.h>

#include "wasm/numeric.h"
#include "wasm/opcodes.h"

/* --- generators ------------------------------------------------------------ */

#define UNOP(name, F, N, expr)                                                                     \
  static void name(V128 *a) {                                                                      \
    for (int i = 0; i < N; i++) {                                                                  \
      __typeof__(a->F[0]) x = a->F[i];                                                             \
      a->F[i] = (expr);                                                                            \
    }                                                                                              \
  }
#define BINOP(name, F, N, expr)                                                                    \
  static void name(V128 *a, const V128 *b) {                                                       \
    for (int i = 0; i < N; i++) {                                                                  \
      __typeof__(a->F[0]) x = a->F[i], y = b->F[i];                                                \
      a->F[i] = (expr);                                                                            \
    }                                                                                              \
  }
/* Comparisons write all-ones or zero into a lane of the same width. */
#define CMPOP(name, F, U, N, expr)                                                                 \
  static void name(V128 *a, const V128 *b) {                                                       \
    for (int i = 0; i < N; i++) {                                                                  \
      __typeof__(a->F[0]) x = a->F[i], y = b->F[i];                                                \
      a->U[i] = (expr) ? (__typeof__(a->U[0]))~0ull : 0;                                           \
    }                                                                                              \
  }
#define SHIFTOP(name, F, N, BITS, expr)                                                            \
  static void name(V128 *a, uint32_t n) {                                                          \
    n &= BITS - 1;                                                                                 \
    for (int i = 0; i < N; i++) {                                                                  \
      __typeof__(a->F[0]) x = a->F[i];                                                             \
      a->F[i] = (expr);                                                                            \
    }                                                                                              \
  }

static inline int64_t sat(int64_t v, int64_t lo, int64_t hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

/* --- bitwise --------------------------------------------------------------- */

UNOP(v128_not, u64, 2, ~x)
BINOP(v128_and, u64, 2, x &y)
BINOP(v128_andnot, u64, 2, x & ~y)
BINOP(v128_or, u64, 2, x | y)
BINOP(v128_xor, u64, 2, x ^ y)
static void v128_bitselect(V128 *a, const V128 *b, const V128 *c) {
  for (int i = 0; i < 2; i++) a->u64[i] = (a->u64[i] & c->u64[i]) | (b->u64[i] & ~c->u64[i]);
}
static uint32_t v128_any_true(const V128 *a) { return (a->u64[0] | a->u64[1]) != 0; }

/* --- integer arithmetic ---------------------------------------------------- */

BINOP(i8x16_add, u8, 16, (uint8_t)(x + y))
BINOP(i16x8_add, u16, 8, (uint16_t)(x + y))
BINOP(i32x4_add, u32, 4, x + y)
BINOP(i64x2_add, u64, 2, x + y)
BINOP(i8x16_sub, u8, 16, (uint8_t)(x - y))
BINOP(i16x8_sub, u16, 8, (uint16_t)(x - y))
BINOP(i32x4_sub, u32, 4, x - y)
BINOP(i64x2_sub, u64, 2, x - y)
BINOP(i16x8_mul, u16, 8, (uint16_t)((uint32_t)x *y))
BINOP(i32x4_mul, u32, 4, x *y)
BINOP(i64x2_mul, u64, 2, x *y)
UNOP(i8x16_neg, u8, 16, (uint8_t)(0u - x))
UNOP(i16x8_neg, u16, 8, (uint16_t)(0u - x))
UNOP(i32x4_neg, u32, 4, 0u - x)
UNOP(i64x2_neg, u64, 2, 0ull - x)
UNOP(i8x16_abs, i8, 16, (int8_t)(x < 0 ? (uint8_t)(0u - (uint8_t)x) : x))
UNOP(i16x8_abs, i16, 8, (int16_t)(x < 0 ? (uint16_t)(0u - (uint16_t)x) : x))
UNOP(i32x4_abs, i32, 4, (int32_t)(x < 0 ? 0u - (uint32_t)x : (uint32_t)x))
UNOP(i64x2_abs, i64, 2, (int64_t)(x < 0 ? 0ull - (uint64_t)x : (uint64_t)x))
UNOP(i8x16_popcnt, u8, 16, (uint8_t)__builtin_popcount(x))

BINOP(i8x16_add_sat_s, i8, 16, (int8_t)sat((int64_t)x + y, -128, 127))
BINOP(i8x16_add_sat_u, u8, 16, (uint8_t)sat((int64_t)x + y, 0, 255))
BINOP(i8x16_sub_sat_s, i8, 16, (int8_t)sat((int64_t)x - y, -128, 127))
BINOP(i8x16_sub_sat_u, u8, 16, (uint8_t)sat((int64_t)x - y, 0, 255))
BINOP(i16x8_add_sat_s, i16, 8, (int16_t)sat((int64_t)x + y, -32768, 32767))
BINOP(i16x8_add_sat_u, u16, 8, (uint16_t)sat((int64_t)x + y, 0, 65535))
BINOP(i16x8_sub_sat_s, i16, 8, (int16_t)sat((int64_t)x - y, -32768, 32767))
BINOP(i16x8_sub_sat_u, u16, 8, (uint16_t)sat((int64_t)x - y, 0, 65535))

BINOP(i8x16_min_s, i8, 16, x < y ? x : y)
BINOP(i8x16_min_u, u8, 16, x < y ? x : y)
BINOP(i8x16_max_s, i8, 16, x > y ? x : y)
BINOP(i8x16_max_u, u8, 16, x > y ? x : y)
BINOP(i16x8_min_s, i16, 8, x < y ? x : y)
BINOP(i16x8_min_u, u16, 8, x < y ? x : y)
BINOP(i16x8_max_s, i16, 8, x > y ? x : y)
BINOP(i16x8_max_u, u16, 8, x > y ? x : y)
BINOP(i32x4_min_s, i32, 4, x < y ? x : y)
BINOP(i32x4_min_u, u32, 4, x < y ? x : y)
BINOP(i32x4_max_s, i32, 4, x > y ? x : y)
BINOP(i32x4_max_u, u32, 4, x > y ? x : y)
BINOP(i8x16_avgr_u, u8, 16, (uint8_t)(((uint32_t)x + y + 1) >> 1))
BINOP(i16x8_avgr_u, u16, 8, (uint16_t)(((uint32_t)x + y + 1) >> 1))
BINOP(i16x8_q15mulr_sat_s, i16, 8, (int16_t)sat(((int64_t)x * y + 0x4000) >> 15, -32768, 32767))

/* --- shifts ------------------------------------------------------------------ */

SHIFTOP(i8x16_shl, u8, 16, 8, (uint8_t)(x << n))
SHIFTOP(i8x16_shr_s, i8, 16, 8, (int8_t)(x >> n))
SHIFTOP(i8x16_shr_u, u8, 16, 8, (uint8_t)(x >> n))
SHIFTOP(i16x8_shl, u16, 8, 16, (uint16_t)(x << n))
SHIFTOP(i16x8_shr_s, i16, 8, 16, (int16_t)(x >> n))
SHIFTOP(i16x8_shr_u, u16, 8, 16, (uint16_t)(x >> n))
SHIFTOP(i32x4_shl, u32, 4, 32, x << n)
SHIFTOP(i32x4_shr_s, i32, 4, 32, x >> n)
SHIFTOP(i32x4_shr_u, u32, 4, 32, x >> n)
SHIFTOP(i64x2_shl, u64, 2, 64, x << n)
SHIFTOP(i64x2_shr_s, i64, 2, 64, x >> n)
SHIFTOP(i64x2_shr_u, u64, 2, 64, x >> n)

/* --- comparisons --------------------------------------------------------------- */

CMPOP(i8x16_eq, u8, u8, 16, x == y)
CMPOP(i8x16_ne, u8, u8, 16, x != y)
CMPOP(i8x16_lt_s, i8, u8, 16, x < y)
CMPOP(i8x16_lt_u, u8, u8, 16, x < y)
CMPOP(i8x16_gt_s, i8, u8, 16, x > y)
CMPOP(i8x16_gt_u, u8, u8, 16, x > y)
CMPOP(i8x16_le_s, i8, u8, 16, x <= y)
CMPOP(i8x16_le_u, u8, u8, 16, x <= y)
CMPOP(i8x16_ge_s, i8, u8, 16, x >= y)
CMPOP(i8x16_ge_u, u8, u8, 16, x >= y)
CMPOP(i16x8_eq, u16, u16, 8, x == y)
CMPOP(i16x8_ne, u16, u16, 8, x != y)
CMPOP(i16x8_lt_s, i16, u16, 8, x < y)
CMPOP(i16x8_lt_u, u16, u16, 8, x < y)
CMPOP(i16x8_gt_s, i16, u16, 8, x > y)
CMPOP(i16x8_gt_u, u16, u16, 8, x > y)
CMPOP(i16x8_le_s, i16, u16, 8, x <= y)
CMPOP(i16x8_le_u, u16, u16, 8, x <= y)
CMPOP(i16x8_ge_s, i16, u16, 8, x >= y)
CMPOP(i16x8_ge_u, u16, u16, 8, x >= y)
CMPOP(i32x4_eq, u32, u32, 4, x == y)
CMPOP(i32x4_ne, u32, u32, 4, x != y)
CMPOP(i32x4_lt_s, i32, u32, 4, x < y)
CMPOP(i32x4_lt_u, u32, u32, 4, x < y)
CMPOP(i32x4_gt_s, i32, u32, 4, x > y)
CMPOP(i32x4_gt_u, u32, u32, 4, x > y)
CMPOP(i32x4_le_s, i32, u32, 4, x <= y)
CMPOP(i32x4_le_u, u32, u32, 4, x <= y)
CMPOP(i32x4_ge_s, i32, u32, 4, x >= y)
CMPOP(i32x4_ge_u, u32, u32, 4, x >= y)
CMPOP(i64x2_eq, u64, u64, 2, x == y)
CMPOP(i64x2_ne, u64, u64, 2, x != y)
CMPOP(i64x2_lt_s, i64, u64, 2, x < y)
CMPOP(i64x2_gt_s, i64, u64, 2, x > y)
CMPOP(i64x2_le_s, i64, u64, 2, x <= y)
CMPOP(i64x2_ge_s, i64, u64, 2, x >= y)
CMPOP(f32x4_eq, f32, u32, 4, x == y)
CMPOP(f32x4_ne, f32, u32, 4, x != y)
CMPOP(f32x4_lt, f32, u32, 4, x < y)
CMPOP(f32x4_gt, f32, u32, 4, x > y)
CMPOP(f32x4_le, f32, u32, 4, x <= y)
CMPOP(f32x4_ge, f32, u32, 4, x >= y)
CMPOP(f64x2_eq, f64, u64, 2, x == y)
CMPOP(f64x2_ne, f64, u64, 2, x != y)
CMPOP(f64x2_lt, f64, u64, 2, x < y)
CMPOP(f64x2_gt, f64, u64, 2, x > y)
CMPOP(f64x2_le, f64, u64, 2, x <= y)
CMPOP(f64x2_ge, f64, u64, 2, x >= y)

/* --- tests and masks ------------------------------------------------------------- */

#define ALL_TRUE(name, F, N)                                                                       \
  static uint32_t name(const V128 *a) {                                                            \
    for (int i = 0; i < N; i++)                                                                    \
      if (!a->F[i]) return 0;                                                                      \
    return 1;                                                                                      \
  }
#define BITMASK(name, F, N)                                                                        \
  static uint32_t name(const V128 *a) {                                                            \
    uint32_t m = 0;                                                                                \
    for (int i = 0; i < N; i++) m |= (uint32_t)(a->F[i] < 0) << i;                                 \
    return m;                                                                                      \
  }
ALL_TRUE(i8x16_all_true, u8, 16)
ALL_TRUE(i16x8_all_true, u16, 8)
ALL_TRUE(i32x4_all_true, u32, 4)
ALL_TRUE(i64x2_all_true, u64, 2)
BITMASK(i8x16_bitmask, i8, 16)
BITMASK(i16x8_bitmask, i16, 8)
BITMASK(i32x4_bitmask, i32, 4)
BITMASK(i64x2_bitmask, i64, 2)

/* --- narrowing, widening ------------------------------------------------------------ */

#define NARROW(name, SF, SN, DF, lo, hi)                                                           \
  static void name(V128 *a, const V128 *b) {                                                       \
    V128 r;                                                                                        \
    for (int i = 0; i < SN; i++) r.DF[i] = (__typeof__(r.DF[0]))sat(a->SF[i], lo, hi);             \
    for (int i = 0; i < SN; i++) r.DF[SN + i] = (__typeof__(r.DF[0]))sat(b->SF[i], lo, hi);        \
    *a = r;                                                                                        \
  }
NARROW(i8x16_narrow_i16x8_s, i16, 8, i8, -128, 127)
NARROW(i8x16_narrow_i16x8_u, i16, 8, u8, 0, 255)
NARROW(i16x8_narrow_i32x4_s, i32, 4, i16, -32768, 32767)
NARROW(i16x8_narrow_i32x4_u, i32, 4, u16, 0, 65535)

/* Extend the low (off = 0) or high (off = N) half of source lanes SF. */
#define EXTEND(name, SF, DF, N, off)                                                               \
  static void name(V128 *a) {                                                                      \
    V128 r;                                                                                        \
    for (int i = 0; i < N; i++) r.DF[i] = a->SF[off + i];                                          \
    *a = r;                                                                                        \
  }
EXTEND(i16x8_extend_low_i8x16_s, i8, i16, 8, 0)
EXTEND(i16x8_extend_high_i8x16_s, i8, i16, 8, 8)
EXTEND(i16x8_extend_low_i8x16_u, u8, u16, 8, 0)
EXTEND(i16x8_extend_high_i8x16_u, u8, u16, 8, 8)
EXTEND(i32x4_extend_low_i16x8_s, i16, i32, 4, 0)
EXTEND(i32x4_extend_high_i16x8_s, i16, i32, 4, 4)
EXTEND(i32x4_extend_low_i16x8_u, u16, u32, 4, 0)
EXTEND(i32x4_extend_high_i16x8_u, u16, u32, 4, 4)
EXTEND(i64x2_extend_low_i32x4_s, i32, i64, 2, 0)
EXTEND(i64x2_extend_high_i32x4_s, i32, i64, 2, 2)
EXTEND(i64x2_extend_low_i32x4_u, u32, u64, 2, 0)
EXTEND(i64x2_extend_high_i32x4_u, u32, u64, 2, 2)

/* Products are computed in 64 bits, then wrapped into the destination lane. */
#define EXTMUL(name, SF, DF, N, off)                                                               \
  static void name(V128 *a, const V128 *b) {                                                       \
    V128 r;                                                                                        \
    for (int i = 0; i < N; i++)                                                                    \
      r.DF[i] = (__typeof__(r.DF[0]))((int64_t)a->SF[off + i] * (int64_t)b->SF[off + i]);          \
    *a = r;                                                                                        \
  }
EXTMUL(i16x8_extmul_low_i8x16_s, i8, i16, 8, 0)
EXTMUL(i16x8_extmul_high_i8x16_s, i8, i16, 8, 8)
EXTMUL(i16x8_extmul_low_i8x16_u, u8, u16, 8, 0)
EXTMUL(i16x8_extmul_high_i8x16_u, u8, u16, 8, 8)
EXTMUL(i32x4_extmul_low_i16x8_s, i16, i32, 4, 0)
EXTMUL(i32x4_extmul_high_i16x8_s, i16, i32, 4, 4)
EXTMUL(i32x4_extmul_low_i16x8_u, u16, u32, 4, 0)
EXTMUL(i32x4_extmul_high_i16x8_u, u16, u32, 4, 4)
static void i64x2_extmul_low_i32x4_s(V128 *a, const V128 *b) {
  V128 r;
  for (int i = 0; i < 2; i++) r.u64[i] = (uint64_t)((int64_t)a->i32[i] * b->i32[i]);
  *a = r;
}
static void i64x2_extmul_high_i32x4_s(V128 *a, const V128 *b) {
  V128 r;
  for (int i = 0; i < 2; i++) r.u64[i] = (uint64_t)((int64_t)a->i32[2 + i] * b->i32[2 + i]);
  *a = r;
}
static void i64x2_extmul_low_i32x4_u(V128 *a, const V128 *b) {
  V128 r;
  for (int i = 0; i < 2; i++) r.u64[i] = (uint64_t)a->u32[i] * b->u32[i];
  *a = r;
}
static void i64x2_extmul_high_i32x4_u(V128 *a, const V128 *b) {
  V128 r;
  for (int i = 0; i < 2; i++) r.u64[i] = (uint64_t)a->u32[2 + i] * b->u32[2 + i];
  *a = r;
}

#define EXTADD(name, SF, DF, N)                                                                    \
  static void name(V128 *a) {                                                                      \
    V128 r;                                                                                        \
    for (int i = 0; i < N; i++) r.DF[i] = (__typeof__(r.DF[0]))(a->SF[2 * i] + a->SF[2 * i + 1]);  \
    *a = r;                                                                                        \
  }
EXTADD(i16x8_extadd_pairwise_i8x16_s, i8, i16, 8)
EXTADD(i16x8_extadd_pairwise_i8x16_u, u8, u16, 8)
EXTADD(i32x4_extadd_pairwise_i16x8_s, i16, i32, 4)
EXTADD(i32x4_extadd_pairwise_i16x8_u, u16, u32, 4)

static void i32x4_dot_i16x8_s(V128 *a, const V128 *b) {
  V128 r;
  for (int i = 0; i < 4; i++)
    r.u32[i] = (uint32_t)((int32_t)a->i16[2 * i] * b->i16[2 * i]) +
               (uint32_t)((int32_t)a->i16[2 * i + 1] * b->i16[2 * i + 1]);
  *a = r;
}

/* --- floats ------------------------------------------------------------------------ */

UNOP(f32x4_abs, u32, 4, wasm_f32_abs(x))
UNOP(f32x4_neg, u32, 4, wasm_f32_neg(x))
UNOP(f64x2_abs, u64, 2, wasm_f64_abs(x))
UNOP(f64x2_neg, u64, 2, wasm_f64_neg(x))
UNOP(f32x4_sqrt, f32, 4, wasm_f32_sqrt(x))
UNOP(f64x2_sqrt, f64, 2, wasm_f64_sqrt(x))
UNOP(f32x4_ceil, f32, 4, wasm_f32_ceil(x))
UNOP(f32x4_floor, f32, 4, wasm_f32_floor(x))
UNOP(f32x4_trunc, f32, 4, wasm_f32_trunc(x))
UNOP(f32x4_nearest, f32, 4, wasm_f32_nearest(x))
UNOP(f64x2_ceil, f64, 2, wasm_f64_ceil(x))
UNOP(f64x2_floor, f64, 2, wasm_f64_floor(x))
UNOP(f64x2_trunc, f64, 2, wasm_f64_trunc(x))
UNOP(f64x2_nearest, f64, 2, wasm_f64_nearest(x))
BINOP(f32x4_add, f32, 4, x + y)
BINOP(f32x4_sub, f32, 4, x - y)
BINOP(f32x4_mul, f32, 4, x *y)
BINOP(f32x4_div, f32, 4, x / y)
BINOP(f32x4_min, f32, 4, wasm_f32_min(x, y))
BINOP(f32x4_max, f32, 4, wasm_f32_max(x, y))
BINOP(f32x4_pmin, f32, 4, y < x ? y : x)
BINOP(f32x4_pmax, f32, 4, x < y ? y : x)
BINOP(f64x2_add, f64, 2, x + y)
BINOP(f64x2_sub, f64, 2, x - y)
BINOP(f64x2_mul, f64, 2, x *y)
BINOP(f64x2_div, f64, 2, x / y)
BINOP(f64x2_min, f64, 2, wasm_f64_min(x, y))
BINOP(f64x2_max, f64, 2, wasm_f64_max(x, y))
BINOP(f64x2_pmin, f64, 2, y < x ? y : x)
BINOP(f64x2_pmax, f64, 2, x < y ? y : x)

/* --- conversions ------------------------------------------------------------------- */

static void i32x4_trunc_sat_f32x4_s(V128 *a) {
  for (int i = 0; i < 4; i++) a->u32[i] = wasm_i32_trunc_sat_f32_s(a->f32[i]);
}
static void i32x4_trunc_sat_f32x4_u(V128 *a) {
  for (int i = 0; i < 4; i++) a->u32[i] = wasm_i32_trunc_sat_f32_u(a->f32[i]);
}
static void f32x4_convert_i32x4_s(V128 *a) {
  for (int i = 0; i < 4; i++) a->f32[i] = wasm_f32_convert_i32_s(a->u32[i]);
}
static void f32x4_convert_i32x4_u(V128 *a) {
  for (int i = 0; i < 4; i++) a->f32[i] = wasm_f32_convert_i32_u(a->u32[i]);
}
static void i32x4_trunc_sat_f64x2_s_zero(V128 *a) {
  V128 r = {{0}};
  for (int i = 0; i < 2; i++) r.u32[i] = wasm_i32_trunc_sat_f64_s(a->f64[i]);
  *a = r;
}
static void i32x4_trunc_sat_f64x2_u_zero(V128 *a) {
  V128 r = {{0}};
  for (int i = 0; i < 2; i++) r.u32[i] = wasm_i32_trunc_sat_f64_u(a->f64[i]);
  *a = r;
}
static void f64x2_convert_low_i32x4_s(V128 *a) {
  V128 r;
  for (int i = 0; i < 2; i++) r.f64[i] = wasm_f64_convert_i32_s(a->u32[i]);
  *a = r;
}
static void f64x2_convert_low_i32x4_u(V128 *a) {
  V128 r;
  for (int i = 0; i < 2; i++) r.f64[i] = wasm_f64_convert_i32_u(a->u32[i]);
  *a = r;
}
static void f32x4_demote_f64x2_zero(V128 *a) {
  V128 r = {{0}};
  for (int i = 0; i < 2; i++) r.f32[i] = wasm_f32_demote_f64(a->f64[i]);
  *a = r;
}
static void f64x2_promote_low_f32x4(V128 *a) {
  V128 r;
  for (int i = 0; i < 2; i++) r.f64[i] = wasm_f64_promote_f32(a->f32[i]);
  *a = r;
}

/* --- splat, lanes ------------------------------------------------------------------ */

static void i8x16_splat(V128 *r, uint64_t x) { memset(r->u8, (uint8_t)x, 16); }
static void i16x8_splat(V128 *r, uint64_t x) {
  for (int i = 0; i < 8; i++) r->u16[i] = (uint16_t)x;
}
static void i32x4_splat(V128 *r, uint64_t x) {
  for (int i = 0; i < 4; i++) r->u32[i] = (uint32_t)x;
}
static void i64x2_splat(V128 *r, uint64_t x) { r->u64[0] = r->u64[1] = x; }

static uint64_t i8x16_extract_lane_s(const V128 *a, uint32_t l) {
  return (uint32_t)(int32_t)a->i8[l & 15];
}
static uint64_t i8x16_extract_lane_u(const V128 *a, uint32_t l) { return a->u8[l & 15]; }
static uint64_t i16x8_extract_lane_s(const V128 *a, uint32_t l) {
  return (uint32_t)(int32_t)a->i16[l & 7];
}
static uint64_t i16x8_extract_lane_u(const V128 *a, uint32_t l) { return a->u16[l & 7]; }
static uint64_t i32x4_extract_lane(const V128 *a, uint32_t l) { return a->u32[l & 3]; }
static uint64_t i64x2_extract_lane(const V128 *a, uint32_t l) { return a->u64[l & 1]; }
static void i8x16_replace_lane(V128 *a, uint64_t x, uint32_t l) { a->u8[l & 15] = (uint8_t)x; }
static void i16x8_replace_lane(V128 *a, uint64_t x, uint32_t l) { a->u16[l & 7] = (uint16_t)x; }
static void i32x4_replace_lane(V128 *a, uint64_t x, uint32_t l) { a->u32[l & 3] = (uint32_t)x; }
static void i64x2_replace_lane(V128 *a, uint64_t x, uint32_t l) { a->u64[l & 1] = x; }

void wasm_simd_swizzle(V128 *a, const V128 *b) {
  V128 r;
  for (int i = 0; i < 16; i++) r.u8[i] = b->u8[i] < 16 ? a->u8[b->u8[i]] : 0;
  *a = r;
}

void wasm_simd_shuffle(V128 *a, const V128 *b, const uint8_t lanes[16]) {
  V128 r;
  for (int i = 0; i < 16; i++) {
    uint8_t l = lanes[i] & 31;
    r.u8[i] = l < 16 ? a->u8[l] : b->u8[l - 16];
  }
  *a = r;
}

void wasm_simd_load_extend(V128 *r, const uint8_t src[8], uint32_t subop) {
  V128 s;
  memcpy(s.u8, src, 8);
  switch (subop) {
  case WASM_OP_V128_LOAD8X8_S - WASM_OP_FD_BASE:
    for (int i = 0; i < 8; i++) r->i16[i] = s.i8[i];
    break;
  case WASM_OP_V128_LOAD8X8_U - WASM_OP_FD_BASE:
    for (int i = 0; i < 8; i++) r->u16[i] = s.u8[i];
    break;
  case WASM_OP_V128_LOAD16X4_S - WASM_OP_FD_BASE:
    for (int i = 0; i < 4; i++) r->i32[i] = s.i16[i];
    break;
  case WASM_OP_V128_LOAD16X4_U - WASM_OP_FD_BASE:
    for (int i = 0; i < 4; i++) r->u32[i] = s.u16[i];
    break;
  case WASM_OP_V128_LOAD32X2_S - WASM_OP_FD_BASE:
    for (int i = 0; i < 2; i++) r->i64[i] = s.i32[i];
    break;
  default:
    for (int i = 0; i < 2; i++) r->u64[i] = s.u32[i];
    break;
  }
}

/* --- relaxed SIMD, with the deterministic choices of the spec's reference ---------- */

static void relaxed_swizzle(V128 *a, const V128 *b) { wasm_simd_swizzle(a, b); }
static void f32x4_madd(V128 *a, const V128 *b, const V128 *c) {
  for (int i = 0; i < 4; i++) a->f32[i] = a->f32[i] * b->f32[i] + c->f32[i];
}
static void f32x4_nmadd(V128 *a, const V128 *b, const V128 *c) {
  for (int i = 0; i < 4; i++) a->f32[i] = -(a->f32[i] * b->f32[i]) + c->f32[i];
}
static void f64x2_madd(V128 *a, const V128 *b, const V128 *c) {
  for (int i = 0; i < 2; i++) a->f64[i] = a->f64[i] * b->f64[i] + c->f64[i];
}
static void f64x2_nmadd(V128 *a, const V128 *b, const V128 *c) {
  for (int i = 0; i < 2; i++) a->f64[i] = -(a->f64[i] * b->f64[i]) + c->f64[i];
}
static void i16x8_relaxed_dot(V128 *a, const V128 *b) {
  V128 r;
  for (int i = 0; i < 8; i++)
    r.i16[i] = (int16_t)(a->i8[2 * i] * b->i8[2 * i] + a->i8[2 * i + 1] * b->i8[2 * i + 1]);
  *a = r;
}
static void i32x4_relaxed_dot_add(V128 *a, const V128 *b, const V128 *c) {
  V128 r;
  for (int i = 0; i < 4; i++) {
    int32_t s = 0;
    for (int k = 0; k < 4; k++) s += a->i8[4 * i + k] * b->i8[4 * i + k];
    r.u32[i] = (uint32_t)s + c->u32[i];
  }
  *a = r;
}

/* --- the table ---------------------------------------------------------------------- */

#define SUB(op)     (WASM_OP_##op - WASM_OP_FD_BASE)
#define E(op, k, f) [SUB(op)] = {WASM_SIMD_##k, {.any = (void (*)(void))(f)}}

static const WasmSimdEntry entries[0x114] = {
    E(I8X16_SWIZZLE, BINARY, wasm_simd_swizzle),
    E(I8X16_SPLAT, SPLAT, i8x16_splat),
    E(I16X8_SPLAT, SPLAT, i16x8_splat),
    E(I32X4_SPLAT, SPLAT, i32x4_splat),
    E(I64X2_SPLAT, SPLAT, i64x2_splat),
    E(F32X4_SPLAT, SPLAT, i32x4_splat),
    E(F64X2_SPLAT, SPLAT, i64x2_splat),
    E(I8X16_EXTRACT_LANE_S, EXTRACT, i8x16_extract_lane_s),
    E(I8X16_EXTRACT_LANE_U, EXTRACT, i8x16_extract_lane_u),
    E(I8X16_REPLACE_LANE, REPLACE, i8x16_replace_lane),
    E(I16X8_EXTRACT_LANE_S, EXTRACT, i16x8_extract_lane_s),
    E(I16X8_EXTRACT_LANE_U, EXTRACT, i16x8_extract_lane_u),
    E(I16X8_REPLACE_LANE, REPLACE, i16x8_replace_lane),
    E(I32X4_EXTRACT_LANE, EXTRACT, i32x4_extract_lane),
    E(I32X4_REPLACE_LANE, REPLACE, i32x4_replace_lane),
    E(I64X2_EXTRACT_LANE, EXTRACT, i64x2_extract_lane),
    E(I64X2_REPLACE_LANE, REPLACE, i64x2_replace_lane),
    E(F32X4_EXTRACT_LANE, EXTRACT, i32x4_extract_lane),
    E(F32X4_REPLACE_LANE, REPLACE, i32x4_replace_lane),
    E(F64X2_EXTRACT_LANE, EXTRACT, i64x2_extract_lane),
    E(F64X2_REPLACE_LANE, REPLACE, i64x2_replace_lane),
    E(I8X16_EQ, BINARY, i8x16_eq),
    E(I8X16_NE, BINARY, i8x16_ne),
    E(I8X16_LT_S, BINARY, i8x16_lt_s),
    E(I8X16_LT_U, BINARY, i8x16_lt_u),
    E(I8X16_GT_S, BINARY, i8x16_gt_s),
    E(I8X16_GT_U, BINARY, i8x16_gt_u),
    E(I8X16_LE_S, BINARY, i8x16_le_s),
    E(I8X16_LE_U, BINARY, i8x16_le_u),
    E(I8X16_GE_S, BINARY, i8x16_ge_s),
    E(I8X16_GE_U, BINARY, i8x16_ge_u),
    E(I16X8_EQ, BINARY, i16x8_eq),
    E(I16X8_NE, BINARY, i16x8_ne),
    E(I16X8_LT_S, BINARY, i16x8_lt_s),
    E(I16X8_LT_U, BINARY, i16x8_lt_u),
    E(I16X8_GT_S, BINARY, i16x8_gt_s),
    E(I16X8_GT_U, BINARY, i16x8_gt_u),
    E(I16X8_LE_S, BINARY, i16x8_le_s),
    E(I16X8_LE_U, BINARY, i16x8_le_u),
    E(I16X8_GE_S, BINARY, i16x8_ge_s),
    E(I16X8_GE_U, BINARY, i16x8_ge_u),
    E(I32X4_EQ, BINARY, i32x4_eq),
    E(I32X4_NE, BINARY, i32x4_ne),
    E(I32X4_LT_S, BINARY, i32x4_lt_s),
    E(I32X4_LT_U, BINARY, i32x4_lt_u),
    E(I32X4_GT_S, BINARY, i32x4_gt_s),
    E(I32X4_GT_U, BINARY, i32x4_gt_u),
    E(I32X4_LE_S, BINARY, i32x4_le_s),
    E(I32X4_LE_U, BINARY, i32x4_le_u),
    E(I32X4_GE_S, BINARY, i32x4_ge_s),
    E(I32X4_GE_U, BINARY, i32x4_ge_u),
    E(F32X4_EQ, BINARY, f32x4_eq),
    E(F32X4_NE, BINARY, f32x4_ne),
    E(F32X4_LT, BINARY, f32x4_lt),
    E(F32X4_GT, BINARY, f32x4_gt),
    E(F32X4_LE, BINARY, f32x4_le),
    E(F32X4_GE, BINARY, f32x4_ge),
    E(F64X2_EQ, BINARY, f64x2_eq),
    E(F64X2_NE, BINARY, f64x2_ne),
    E(F64X2_LT, BINARY, f64x2_lt),
    E(F64X2_GT, BINARY, f64x2_gt),
    E(F64X2_LE, BINARY, f64x2_le),
    E(F64X2_GE, BINARY, f64x2_ge),
    E(V128_NOT, UNARY, v128_not),
    E(V128_AND, BINARY, v128_and),
    E(V128_ANDNOT, BINARY, v128_andnot),
    E(V128_OR, BINARY, v128_or),
    E(V128_XOR, BINARY, v128_xor),
    E(V128_BITSELECT, TERNARY, v128_bitselect),
    E(V128_ANY_TRUE, TEST, v128_any_true),
    E(F32X4_DEMOTE_F64X2_ZERO, UNARY, f32x4_demote_f64x2_zero),
    E(F64X2_PROMOTE_LOW_F32X4, UNARY, f64x2_promote_low_f32x4),
    E(I8X16_ABS, UNARY, i8x16_abs),
    E(I8X16_NEG, UNARY, i8x16_neg),
    E(I8X16_POPCNT, UNARY, i8x16_popcnt),
    E(I8X16_ALL_TRUE, TEST, i8x16_all_true),
    E(I8X16_BITMASK, TEST, i8x16_bitmask),
    E(I8X16_NARROW_I16X8_S, BINARY, i8x16_narrow_i16x8_s),
    E(I8X16_NARROW_I16X8_U, BINARY, i8x16_narrow_i16x8_u),
    E(F32X4_CEIL, UNARY, f32x4_ceil),
    E(F32X4_FLOOR, UNARY, f32x4_floor),
    E(F32X4_TRUNC, UNARY, f32x4_trunc),
    E(F32X4_NEAREST, UNARY, f32x4_nearest),
    E(I8X16_SHL, SHIFT, i8x16_shl),
    E(I8X16_SHR_S, SHIFT, i8x16_shr_s),
    E(I8X16_SHR_U, SHIFT, i8x16_shr_u),
    E(I8X16_ADD, BINARY, i8x16_add),
    E(I8X16_ADD_SAT_S, BINARY, i8x16_add_sat_s),
    E(I8X16_ADD_SAT_U, BINARY, i8x16_add_sat_u),
    E(I8X16_SUB, BINARY, i8x16_sub),
    E(I8X16_SUB_SAT_S, BINARY, i8x16_sub_sat_s),
    E(I8X16_SUB_SAT_U, BINARY, i8x16_sub_sat_u),
    E(F64X2_CEIL, UNARY, f64x2_ceil),
    E(F64X2_FLOOR, UNARY, f64x2_floor),
    E(I8X16_MIN_S, BINARY, i8x16_min_s),
    E(I8X16_MIN_U, BINARY, i8x16_min_u),
    E(I8X16_MAX_S, BINARY, i8x16_max_s),
    E(I8X16_MAX_U, BINARY, i8x16_max_u),
    E(F64X2_TRUNC, UNARY, f64x2_trunc),
    E(I8X16_AVGR_U, BINARY, i8x16_avgr_u),
    E(I16X8_EXTADD_PAIRWISE_I8X16_S, UNARY, i16x8_extadd_pairwise_i8x16_s),
    E(I16X8_EXTADD_PAIRWISE_I8X16_U, UNARY, i16x8_extadd_pairwise_i8x16_u),
    E(I32X4_EXTADD_PAIRWISE_I16X8_S, UNARY, i32x4_extadd_pairwise_i16x8_s),
    E(I32X4_EXTADD_PAIRWISE_I16X8_U, UNARY, i32x4_extadd_pairwise_i16x8_u),
    E(I16X8_ABS, UNARY, i16x8_abs),
    E(I16X8_NEG, UNARY, i16x8_neg),
    E(I16X8_Q15MULR_SAT_S, BINARY, i16x8_q15mulr_sat_s),
    E(I16X8_ALL_TRUE, TEST, i16x8_all_true),
    E(I16X8_BITMASK, TEST, i16x8_bitmask),
    E(I16X8_NARROW_I32X4_S, BINARY, i16x8_narrow_i32x4_s),
    E(I16X8_NARROW_I32X4_U, BINARY, i16x8_narrow_i32x4_u),
    E(I16X8_EXTEND_LOW_I8X16_S, UNARY, i16x8_extend_low_i8x16_s),
    E(I16X8_EXTEND_HIGH_I8X16_S, UNARY, i16x8_extend_high_i8x16_s),
    E(I16X8_EXTEND_LOW_I8X16_U, UNARY, i16x8_extend_low_i8x16_u),
    E(I16X8_EXTEND_HIGH_I8X16_U, UNARY, i16x8_extend_high_i8x16_u),
    E(I16X8_SHL, SHIFT, i16x8_shl),
    E(I16X8_SHR_S, SHIFT, i16x8_shr_s),
    E(I16X8_SHR_U, SHIFT, i16x8_shr_u),
    E(I16X8_ADD, BINARY, i16x8_add),
    E(I16X8_ADD_SAT_S, BINARY, i16x8_add_sat_s),
    E(I16X8_ADD_SAT_U, BINARY, i16x8_add_sat_u),
    E(I16X8_SUB, BINARY, i16x8_sub),
    E(I16X8_SUB_SAT_S, BINARY, i16x8_sub_sat_s),
    E(I16X8_SUB_SAT_U, BINARY, i16x8_sub_sat_u),
    E(F64X2_NEAREST, UNARY, f64x2_nearest),
    E(I16X8_MUL, BINARY, i16x8_mul),
    E(I16X8_MIN_S, BINARY, i16x8_min_s),
    E(I16X8_MIN_U, BINARY, i16x8_min_u),
    E(I16X8_MAX_S, BINARY, i16x8_max_s),
    E(I16X8_MAX_U, BINARY, i16x8_max_u),
    E(I16X8_AVGR_U, BINARY, i16x8_avgr_u),
    E(I16X8_EXTMUL_LOW_I8X16_S, BINARY, i16x8_extmul_low_i8x16_s),
    E(I16X8_EXTMUL_HIGH_I8X16_S, BINARY, i16x8_extmul_high_i8x16_s),
    E(I16X8_EXTMUL_LOW_I8X16_U, BINARY, i16x8_extmul_low_i8x16_u),
    E(I16X8_EXTMUL_HIGH_I8X16_U, BINARY, i16x8_extmul_high_i8x16_u),
    E(I32X4_ABS, UNARY, i32x4_abs),
    E(I32X4_NEG, UNARY, i32x4_neg),
    E(I32X4_ALL_TRUE, TEST, i32x4_all_true),
    E(I32X4_BITMASK, TEST, i32x4_bitmask),
    E(I32X4_EXTEND_LOW_I16X8_S, UNARY, i32x4_extend_low_i16x8_s),
    E(I32X4_EXTEND_HIGH_I16X8_S, UNARY, i32x4_extend_high_i16x8_s),
    E(I32X4_EXTEND_LOW_I16X8_U, UNARY, i32x4_extend_low_i16x8_u),
    E(I32X4_EXTEND_HIGH_I16X8_U, UNARY, i32x4_extend_high_i16x8_u),
    E(I32X4_SHL, SHIFT, i32x4_shl),
    E(I32X4_SHR_S, SHIFT, i32x4_shr_s),
    E(I32X4_SHR_U, SHIFT, i32x4_shr_u),
    E(I32X4_ADD, BINARY, i32x4_add),
    E(I32X4_SUB, BINARY, i32x4_sub),
    E(I32X4_MUL, BINARY, i32x4_mul),
    E(I32X4_MIN_S, BINARY, i32x4_min_s),
    E(I32X4_MIN_U, BINARY, i32x4_min_u),
    E(I32X4_MAX_S, BINARY, i32x4_max_s),
    E(I32X4_MAX_U, BINARY, i32x4_max_u),
    E(I32X4_DOT_I16X8_S, BINARY, i32x4_dot_i16x8_s),
    E(I32X4_EXTMUL_LOW_I16X8_S, BINARY, i32x4_extmul_low_i16x8_s),
    E(I32X4_EXTMUL_HIGH_I16X8_S, BINARY, i32x4_extmul_high_i16x8_s),
    E(I32X4_EXTMUL_LOW_I16X8_U, BINARY, i32x4_extmul_low_i16x8_u),
    E(I32X4_EXTMUL_HIGH_I16X8_U, BINARY, i32x4_extmul_high_i16x8_u),
    E(I64X2_ABS, UNARY, i64x2_abs),
    E(I64X2_NEG, UNARY, i64x2_neg),
    E(I64X2_ALL_TRUE, TEST, i64x2_all_true),
    E(I64X2_BITMASK, TEST, i64x2_bitmask),
    E(I64X2_EXTEND_LOW_I32X4_S, UNARY, i64x2_extend_low_i32x4_s),
    E(I64X2_EXTEND_HIGH_I32X4_S, UNARY, i64x2_extend_high_i32x4_s),
    E(I64X2_EXTEND_LOW_I32X4_U, UNARY, i64x2_extend_low_i32x4_u),
    E(I64X2_EXTEND_HIGH_I32X4_U, UNARY, i64x2_extend_high_i32x4_u),
    E(I64X2_SHL, SHIFT, i64x2_shl),
    E(I64X2_SHR_S, SHIFT, i64x2_shr_s),
    E(I64X2_SHR_U, SHIFT, i64x2_shr_u),
    E(I64X2_ADD, BINARY, i64x2_add),
    E(I64X2_SUB, BINARY, i64x2_sub),
    E(I64X2_MUL, BINARY, i64x2_mul),
    E(I64X2_EQ, BINARY, i64x2_eq),
    E(I64X2_NE, BINARY, i64x2_ne),
    E(I64X2_LT_S, BINARY, i64x2_lt_s),
    E(I64X2_GT_S, BINARY, i64x2_gt_s),
    E(I64X2_LE_S, BINARY, i64x2_le_s),
    E(I64X2_GE_S, BINARY, i64x2_ge_s),
    E(I64X2_EXTMUL_LOW_I32X4_S, BINARY, i64x2_extmul_low_i32x4_s),
    E(I64X2_EXTMUL_HIGH_I32X4_S, BINARY, i64x2_extmul_high_i32x4_s),
    E(I64X2_EXTMUL_LOW_I32X4_U, BINARY, i64x2_extmul_low_i32x4_u),
    E(I64X2_EXTMUL_HIGH_I32X4_U, BINARY, i64x2_extmul_high_i32x4_u),
    E(F32X4_ABS, UNARY, f32x4_abs),
    E(F32X4_NEG, UNARY, f32x4_neg),
    E(F32X4_SQRT, UNARY, f32x4_sqrt),
    E(F32X4_ADD, BINARY, f32x4_add),
    E(F32X4_SUB, BINARY, f32x4_sub),
    E(F32X4_MUL, BINARY, f32x4_mul),
    E(F32X4_DIV, BINARY, f32x4_div),
    E(F32X4_MIN, BINARY, f32x4_min),
    E(F32X4_MAX, BINARY, f32x4_max),
    E(F32X4_PMIN, BINARY, f32x4_pmin),
    E(F32X4_PMAX, BINARY, f32x4_pmax),
    E(F64X2_ABS, UNARY, f64x2_abs),
    E(F64X2_NEG, UNARY, f64x2_neg),
    E(F64X2_SQRT, UNARY, f64x2_sqrt),
    E(F64X2_ADD, BINARY, f64x2_add),
    E(F64X2_SUB, BINARY, f64x2_sub),
    E(F64X2_MUL, BINARY, f64x2_mul),
    E(F64X2_DIV, BINARY, f64x2_div),
    E(F64X2_MIN, BINARY, f64x2_min),
    E(F64X2_MAX, BINARY, f64x2_max),
    E(F64X2_PMIN, BINARY, f64x2_pmin),
    E(F64X2_PMAX, BINARY, f64x2_pmax),
    E(I32X4_TRUNC_SAT_F32X4_S, UNARY, i32x4_trunc_sat_f32x4_s),
    E(I32X4_TRUNC_SAT_F32X4_U, UNARY, i32x4_trunc_sat_f32x4_u),
    E(F32X4_CONVERT_I32X4_S, UNARY, f32x4_convert_i32x4_s),
    E(F32X4_CONVERT_I32X4_U, UNARY, f32x4_convert_i32x4_u),
    E(I32X4_TRUNC_SAT_F64X2_S_ZERO, UNARY, i32x4_trunc_sat_f64x2_s_zero),
    E(I32X4_TRUNC_SAT_F64X2_U_ZERO, UNARY, i32x4_trunc_sat_f64x2_u_zero),
    E(F64X2_CONVERT_LOW_I32X4_S, UNARY, f64x2_convert_low_i32x4_s),
    E(F64X2_CONVERT_LOW_I32X4_U, UNARY, f64x2_convert_low_i32x4_u),
    E(I8X16_RELAXED_SWIZZLE, BINARY, relaxed_swizzle),
    E(I32X4_RELAXED_TRUNC_F32X4_S, UNARY, i32x4_trunc_sat_f32x4_s),
    E(I32X4_RELAXED_TRUNC_F32X4_U, UNARY, i32x4_trunc_sat_f32x4_u),
    E(I32X4_RELAXED_TRUNC_F64X2_S_ZERO, UNARY, i32x4_trunc_sat_f64x2_s_zero),
    E(I32X4_RELAXED_TRUNC_F64X2_U_ZERO, UNARY, i32x4_trunc_sat_f64x2_u_zero),
    E(F32X4_RELAXED_MADD, TERNARY, f32x4_madd),
    E(F32X4_RELAXED_NMADD, TERNARY, f32x4_nmadd),
    E(F64X2_RELAXED_MADD, TERNARY, f64x2_madd),
    E(F64X2_RELAXED_NMADD, TERNARY, f64x2_nmadd),
    E(I8X16_RELAXED_LANESELECT, TERNARY, v128_bitselect),
    E(I16X8_RELAXED_LANESELECT, TERNARY, v128_bitselect),
    E(I32X4_RELAXED_LANESELECT, TERNARY, v128_bitselect),
    E(I64X2_RELAXED_LANESELECT, TERNARY, v128_bitselect),
    E(F32X4_RELAXED_MIN, BINARY, f32x4_min),
    E(F32X4_RELAXED_MAX, BINARY, f32x4_max),
    E(F64X2_RELAXED_MIN, BINARY, f64x2_min),
    E(F64X2_RELAXED_MAX, BINARY, f64x2_max),
    E(I16X8_RELAXED_Q15MULR_S, BINARY, i16x8_q15mulr_sat_s),
    E(I16X8_RELAXED_DOT_I8X16_I7X16_S, BINARY, i16x8_relaxed_dot),
    E(I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S, TERNARY, i32x4_relaxed_dot_add),
};

const WasmSimdEntry *wasm_simd_entry(uint32_t subop) {
  static const WasmSimdEntry none = {WASM_SIMD_NONE, {0}};
  return subop < sizeof entries / sizeof entries[0] ? &entries[subop] : &none;
}
