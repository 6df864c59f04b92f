/* wasm_simd.c: SIMD lane operations of simd.c against hand-computed results:
 * wrapping and saturating arithmetic, narrowing, widening, dot products,
 * shuffles, masks, float NaN/zero rules and conversions. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wasm/numeric.h"
#include "wasm/opcodes.h"
#include "wasm/simd.h"

#define SUB(op) (WASM_OP_##op - WASM_OP_FD_BASE)

static V128 bin(uint32_t sub, V128 a, V128 b) {
  const WasmSimdEntry *e = wasm_simd_entry(sub);
  ck_assert_int_eq(e->kind, WASM_SIMD_BINARY);
  e->fn.binary(&a, &b);
  return a;
}

static V128 un(uint32_t sub, V128 a) {
  const WasmSimdEntry *e = wasm_simd_entry(sub);
  ck_assert_int_eq(e->kind, WASM_SIMD_UNARY);
  e->fn.unary(&a);
  return a;
}

static V128 i16s(int16_t a0, int16_t a1, int16_t a2, int16_t a3, int16_t a4, int16_t a5, int16_t a6,
                 int16_t a7) {
  V128 v = {.i16 = {a0, a1, a2, a3, a4, a5, a6, a7}};
  return v;
}

START_TEST(integer_lanes) {
  V128 a = {.u8 = {250, 5, 128, 127, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255}};
  V128 b = {.u8 = {10, 250, 128, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1}};
  V128 r = bin(SUB(I8X16_ADD), a, b);
  ck_assert_uint_eq(r.u8[0], 4);
  ck_assert_uint_eq(r.u8[15], 0);
  r = bin(SUB(I8X16_ADD_SAT_U), a, b);
  ck_assert_uint_eq(r.u8[0], 255);
  ck_assert_uint_eq(r.u8[3], 128);
  r = bin(SUB(I8X16_ADD_SAT_S), a, b);
  ck_assert_int_eq(r.i8[2], -128); /* -128 + -128 saturates */
  ck_assert_int_eq(r.i8[3], 127);  /* 127 + 1 saturates */
  r = bin(SUB(I8X16_SUB_SAT_U), b, a);
  ck_assert_uint_eq(r.u8[0], 0);
  r = bin(SUB(I8X16_AVGR_U), a, b);
  ck_assert_uint_eq(r.u8[0], 130);
  ck_assert_uint_eq(r.u8[15], 128);
  r = bin(SUB(I8X16_MIN_S), a, b);
  ck_assert_int_eq(r.i8[0], -6);
  r = bin(SUB(I8X16_MIN_U), a, b);
  ck_assert_uint_eq(r.u8[0], 10);
  r = un(SUB(I8X16_ABS), a);
  ck_assert_uint_eq(r.u8[2], 128); /* abs(-128) wraps */
  ck_assert_uint_eq(r.u8[0], 6);
  r = un(SUB(I8X16_POPCNT), a);
  ck_assert_uint_eq(r.u8[15], 8);
  ck_assert_uint_eq(r.u8[0], 6);

  V128 x = i16s(32767, -32768, 16384, -1, 2, 3, 4, 5),
       y = i16s(32767, -32768, 16384, 1, 2, 3, 4, 5);
  r = bin(SUB(I16X8_Q15MULR_SAT_S), x, y);
  ck_assert_int_eq(r.i16[0], 32766);
  ck_assert_int_eq(r.i16[1], 32767); /* (-1.0)^2 saturates */
  ck_assert_int_eq(r.i16[2], 8192);
  r = bin(SUB(I16X8_MUL), x, y);
  ck_assert_int_eq(r.i16[0], 1);
  r = bin(SUB(I32X4_DOT_I16X8_S), x, y);
  ck_assert_int_eq(r.i32[0], 2147418113);
  ck_assert_int_eq(r.i32[1], 16384 * 16384 - 1);

  V128 w = {.i32 = {70000, -70000, 100, -100}};
  r = bin(SUB(I16X8_NARROW_I32X4_S), w, w);
  ck_assert_int_eq(r.i16[0], 32767);
  ck_assert_int_eq(r.i16[1], -32768);
  ck_assert_int_eq(r.i16[6], 100);
  r = bin(SUB(I16X8_NARROW_I32X4_U), w, w);
  ck_assert_uint_eq(r.u16[0], 65535);
  ck_assert_uint_eq(r.u16[1], 0);
  ck_assert_uint_eq(r.u16[3], 0);

  r = un(SUB(I32X4_EXTEND_HIGH_I16X8_S), x);
  ck_assert_int_eq(r.i32[0], 2);
  r = un(SUB(I32X4_EXTEND_LOW_I16X8_U), x);
  ck_assert_uint_eq(r.u32[1], 32768);
  ck_assert_uint_eq(r.u32[3], 65535);
  r = bin(SUB(I64X2_EXTMUL_LOW_I32X4_S), w, w);
  ck_assert_int_eq(r.i64[0], 4900000000ll);
  r = un(SUB(I16X8_EXTADD_PAIRWISE_I8X16_U), a);
  ck_assert_uint_eq(r.u16[0], 255);
  ck_assert_uint_eq(r.u16[1], 255);
}
END_TEST

START_TEST(shifts_masks_compare) {
  const WasmSimdEntry *shl = wasm_simd_entry(SUB(I32X4_SHL));
  V128 v = {.u32 = {1, 2, 0x80000000u, 3}};
  V128 r = v;
  shl->fn.shift(&r, 33); /* count taken modulo 32 */
  ck_assert_uint_eq(r.u32[0], 2);
  ck_assert_uint_eq(r.u32[2], 0);
  r = v;
  wasm_simd_entry(SUB(I32X4_SHR_S))->fn.shift(&r, 31);
  ck_assert_uint_eq(r.u32[2], 0xFFFFFFFFu);
  r = v;
  wasm_simd_entry(SUB(I8X16_SHR_U))->fn.shift(&r, 9);
  ck_assert_uint_eq(r.u8[11], 0x40);
  ck_assert_uint_eq(wasm_simd_entry(SUB(I32X4_BITMASK))->fn.test(&v), 4);
  ck_assert_uint_eq(wasm_simd_entry(SUB(I32X4_ALL_TRUE))->fn.test(&v), 1);
  V128 z = {{0}};
  ck_assert_uint_eq(wasm_simd_entry(SUB(V128_ANY_TRUE))->fn.test(&z), 0);
  z.u8[9] = 1;
  ck_assert_uint_eq(wasm_simd_entry(SUB(V128_ANY_TRUE))->fn.test(&z), 1);
  ck_assert_uint_eq(wasm_simd_entry(SUB(I8X16_ALL_TRUE))->fn.test(&z), 0);
  V128 a = {.i64 = {-1, 5}}, b = {.i64 = {0, 5}};
  r = bin(SUB(I64X2_LT_S), a, b);
  ck_assert_uint_eq(r.u64[0], ~0ull);
  ck_assert_uint_eq(r.u64[1], 0);
  r = bin(SUB(I64X2_GE_S), a, b);
  ck_assert_uint_eq(r.u64[1], ~0ull);
}
END_TEST

START_TEST(shuffle_swizzle_lanes) {
  V128 a, b;
  for (int i = 0; i < 16; i++) {
    a.u8[i] = (uint8_t)i;
    b.u8[i] = (uint8_t)(100 + i);
  }
  uint8_t lanes[16] = {31, 0, 16, 15, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3};
  V128 r = a;
  wasm_simd_shuffle(&r, &b, lanes);
  ck_assert_uint_eq(r.u8[0], 115);
  ck_assert_uint_eq(r.u8[1], 0);
  ck_assert_uint_eq(r.u8[2], 100);
  ck_assert_uint_eq(r.u8[3], 15);
  V128 idx = {.u8 = {3, 16, 255, 0, 15, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}};
  r = a;
  wasm_simd_swizzle(&r, &idx);
  ck_assert_uint_eq(r.u8[0], 3);
  ck_assert_uint_eq(r.u8[1], 0);
  ck_assert_uint_eq(r.u8[2], 0);
  ck_assert_uint_eq(r.u8[4], 15);
  V128 s;
  wasm_simd_entry(SUB(I16X8_SPLAT))->fn.splat(&s, 0x12345);
  ck_assert_uint_eq(s.u16[7], 0x2345);
  ck_assert_uint_eq(wasm_simd_entry(SUB(I8X16_EXTRACT_LANE_S))->fn.extract(&a, 15), 15);
  V128 neg = {.i8 = {-3}};
  ck_assert_uint_eq(wasm_simd_entry(SUB(I8X16_EXTRACT_LANE_S))->fn.extract(&neg, 0), 0xFFFFFFFDu);
  ck_assert_uint_eq(wasm_simd_entry(SUB(I8X16_EXTRACT_LANE_U))->fn.extract(&neg, 0), 0xFD);
  wasm_simd_entry(SUB(I64X2_REPLACE_LANE))->fn.replace(&a, 0xAABBCCDDEEFF0011ull, 1);
  ck_assert_uint_eq(a.u64[1], 0xAABBCCDDEEFF0011ull);
  uint8_t src[8] = {0xFF, 0x7F, 1, 0x80, 0, 0, 0, 0};
  wasm_simd_load_extend(&r, src, SUB(V128_LOAD8X8_S));
  ck_assert_int_eq(r.i16[0], -1);
  ck_assert_int_eq(r.i16[3], -128);
  wasm_simd_load_extend(&r, src, SUB(V128_LOAD16X4_U));
  ck_assert_uint_eq(r.u32[0], 0x7FFF);
  ck_assert_uint_eq(r.u32[1], 0x8001);
}
END_TEST

START_TEST(float_lanes) {
  V128 a = {.f32 = {-0.0f, NAN, 1.5f, -2.5f}}, b = {.f32 = {0.0f, 1.0f, -1.0f, -2.5f}};
  V128 r = bin(SUB(F32X4_MIN), a, b);
  ck_assert_uint_eq(r.u32[0], 0x80000000u);
  ck_assert(r.f32[1] != r.f32[1]);
  ck_assert(r.f32[2] == -1.0f);
  r = bin(SUB(F32X4_MAX), a, b);
  ck_assert_uint_eq(r.u32[0], 0);
  /* pmin/pmax are b < a ? b : a, keeping a's NaN and the first zero. */
  r = bin(SUB(F32X4_PMIN), a, b);
  ck_assert_uint_eq(r.u32[0], 0x80000000u);
  ck_assert(r.f32[1] != r.f32[1]);
  r = bin(SUB(F32X4_PMAX), b, a);
  ck_assert_uint_eq(r.u32[0], 0);
  ck_assert(r.f32[1] == 1.0f);
  r = un(SUB(F32X4_NEAREST), (V128){.f32 = {2.5f, -0.5f, 3.5f, -4.5f}});
  ck_assert(r.f32[0] == 2.0f && r.f32[2] == 4.0f && r.f32[3] == -4.0f);
  ck_assert_uint_eq(r.u32[1], 0x80000000u);
  r = un(SUB(F32X4_NEG), (V128){.u32 = {0x7FC00001u, 0, 0x80000000u, 0x3F800000u}});
  ck_assert_uint_eq(r.u32[0], 0xFFC00001u);
  ck_assert_uint_eq(r.u32[1], 0x80000000u);
  r = un(SUB(I32X4_TRUNC_SAT_F32X4_S), (V128){.f32 = {NAN, 3e9f, -3e9f, -1.9f}});
  ck_assert_uint_eq(r.u32[0], 0);
  ck_assert_uint_eq(r.u32[1], 0x7FFFFFFFu);
  ck_assert_uint_eq(r.u32[2], 0x80000000u);
  ck_assert_int_eq(r.i32[3], -1);
  r = un(SUB(I32X4_TRUNC_SAT_F64X2_U_ZERO), (V128){.f64 = {-1.0, 5e9}});
  ck_assert_uint_eq(r.u32[0], 0);
  ck_assert_uint_eq(r.u32[1], 0xFFFFFFFFu);
  ck_assert_uint_eq(r.u64[1], 0);
  r = un(SUB(F64X2_CONVERT_LOW_I32X4_U), (V128){.u32 = {0xFFFFFFFFu, 1, 7, 7}});
  ck_assert(r.f64[0] == 4294967295.0 && r.f64[1] == 1.0);
  r = un(SUB(F32X4_DEMOTE_F64X2_ZERO), (V128){.f64 = {1e300, 0.5}});
  ck_assert(r.f32[0] == INFINITY && r.f32[1] == 0.5f);
  ck_assert_uint_eq(r.u64[1], 0);
  r = un(SUB(F64X2_PROMOTE_LOW_F32X4), (V128){.f32 = {0.1f, -2.0f, 9, 9}});
  ck_assert(r.f64[0] == (double)0.1f && r.f64[1] == -2.0);
  r = bin(SUB(F64X2_EQ), (V128){.f64 = {NAN, 1}}, (V128){.f64 = {NAN, 1}});
  ck_assert_uint_eq(r.u64[0], 0);
  ck_assert_uint_eq(r.u64[1], ~0ull);
}
END_TEST

START_TEST(table_kinds) {
  ck_assert_int_eq(wasm_simd_entry(SUB(V128_BITSELECT))->kind, WASM_SIMD_TERNARY);
  ck_assert_int_eq(wasm_simd_entry(SUB(V128_LOAD))->kind, WASM_SIMD_NONE);
  ck_assert_int_eq(wasm_simd_entry(0xFFFF)->kind, WASM_SIMD_NONE);
  V128 a = {.u64 = {0xFF00FF00FF00FF00ull, 0}}, b = {.u64 = {0x1111111111111111ull, ~0ull}},
       c = {.u64 = {0xF0F0F0F0F0F0F0F0ull, 0}};
  wasm_simd_entry(SUB(V128_BITSELECT))->fn.ternary(&a, &b, &c);
  ck_assert_uint_eq(a.u64[0], 0xF101F101F101F101ull);
  ck_assert_uint_eq(a.u64[1], ~0ull);
}
END_TEST

int main(void) {
  Suite *s = suite_create("wasm_simd");
  TCase *tc = tcase_create("simd");
  tcase_add_test(tc, integer_lanes);
  tcase_add_test(tc, shifts_masks_compare);
  tcase_add_test(tc, shuffle_swizzle_lanes);
  tcase_add_test(tc, float_lanes);
  tcase_add_test(tc, table_kinds);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
