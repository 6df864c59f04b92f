/* wasm_numeric.c: the scalar semantics of numeric.h at their edges: trapping
 * division and truncation, saturation, NaN and signed-zero rules. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "wasm/numeric.h"

#define F32(b) wasm_bits_f32(b)
#define F64(b) wasm_bits_f64(b)

static bool f32_is_canonical_nan(float f) {
  return (wasm_f32_bits(f) & 0x7FFFFFFFu) == 0x7FC00000u;
}
static bool f64_is_canonical_nan(double d) {
  return (wasm_f64_bits(d) & 0x7FFFFFFFFFFFFFFFull) == 0x7FF8000000000000ull;
}
static bool f32_is_arithmetic_nan(float f) { return f != f && (wasm_f32_bits(f) & 0x00400000u); }

START_TEST(int_division) {
  uint32_t r = 7;
  uint64_t q = 7;
  ck_assert_int_eq(wasm_i32_div_s(1, 0, &r), WASM_TRAP_DIV_ZERO);
  ck_assert_int_eq(wasm_i32_div_u(1, 0, &r), WASM_TRAP_DIV_ZERO);
  ck_assert_int_eq(wasm_i32_rem_s(1, 0, &r), WASM_TRAP_DIV_ZERO);
  ck_assert_int_eq(wasm_i32_rem_u(1, 0, &r), WASM_TRAP_DIV_ZERO);
  ck_assert_int_eq(wasm_i32_div_s(0x80000000u, 0xFFFFFFFFu, &r), WASM_TRAP_INT_OVERFLOW);
  ck_assert_int_eq(wasm_i32_rem_s(0x80000000u, 0xFFFFFFFFu, &r), WASM_TRAP_NONE);
  ck_assert_uint_eq(r, 0);
  ck_assert_int_eq(wasm_i32_div_s((uint32_t)-7, 2, &r), WASM_TRAP_NONE);
  ck_assert_int_eq((int32_t)r, -3);
  ck_assert_int_eq(wasm_i32_rem_s((uint32_t)-7, 2, &r), WASM_TRAP_NONE);
  ck_assert_int_eq((int32_t)r, -1);
  ck_assert_int_eq(wasm_i32_div_u(0x80000000u, 2, &r), WASM_TRAP_NONE);
  ck_assert_uint_eq(r, 0x40000000u);
  ck_assert_int_eq(wasm_i64_div_s(0x8000000000000000ull, ~0ull, &q), WASM_TRAP_INT_OVERFLOW);
  ck_assert_int_eq(wasm_i64_rem_s(0x8000000000000000ull, ~0ull, &q), WASM_TRAP_NONE);
  ck_assert_uint_eq(q, 0);
  ck_assert_int_eq(wasm_i64_div_u(5, 0, &q), WASM_TRAP_DIV_ZERO);
  ck_assert_int_eq(wasm_i64_rem_u(~0ull, 10, &q), WASM_TRAP_NONE);
  ck_assert_uint_eq(q, 5);
}
END_TEST

START_TEST(int_bits) {
  ck_assert_uint_eq(wasm_i32_clz(0), 32);
  ck_assert_uint_eq(wasm_i32_ctz(0), 32);
  ck_assert_uint_eq(wasm_i64_clz(0), 64);
  ck_assert_uint_eq(wasm_i64_ctz(0x8000000000000000ull), 63);
  ck_assert_uint_eq(wasm_i32_popcnt(0xFFFFFFFFu), 32);
  ck_assert_uint_eq(wasm_i32_rotl(0x80000001u, 1), 3);
  ck_assert_uint_eq(wasm_i32_rotr(1, 1), 0x80000000u);
  ck_assert_uint_eq(wasm_i32_rotl(0x12345678u, 32), 0x12345678u);
  ck_assert_uint_eq(wasm_i64_rotr(1, 65), 0x8000000000000000ull);
  ck_assert_uint_eq(wasm_i32_shr_s(0x80000000u, 33), 0xC0000000u);
  ck_assert_uint_eq(wasm_i64_shr_s(0x8000000000000000ull, 63), ~0ull);
  ck_assert_uint_eq(wasm_i32_extend8_s(0x80), 0xFFFFFF80u);
  ck_assert_uint_eq(wasm_i32_extend16_s(0x7FFF), 0x7FFF);
  ck_assert_uint_eq(wasm_i64_extend32_s(0x80000000u), 0xFFFFFFFF80000000ull);
}
END_TEST

START_TEST(trapping_truncation) {
  uint32_t r;
  uint64_t q;
  ck_assert_int_eq(wasm_i32_trunc_f32_s(NAN, &r), WASM_TRAP_INVALID_CONVERSION);
  ck_assert_int_eq(wasm_i32_trunc_f32_s(2147483648.0f, &r), WASM_TRAP_INT_OVERFLOW);
  ck_assert_int_eq(wasm_i32_trunc_f32_s(-2147483648.0f, &r), WASM_TRAP_NONE);
  ck_assert_uint_eq(r, 0x80000000u);
  ck_assert_int_eq(wasm_i32_trunc_f32_s(-2147483904.0f, &r), WASM_TRAP_INT_OVERFLOW);
  ck_assert_int_eq(wasm_i32_trunc_f32_u(-0.99999994f, &r), WASM_TRAP_NONE);
  ck_assert_uint_eq(r, 0);
  ck_assert_int_eq(wasm_i32_trunc_f32_u(-1.0f, &r), WASM_TRAP_INT_OVERFLOW);
  ck_assert_int_eq(wasm_i32_trunc_f32_u(4294967040.0f, &r), WASM_TRAP_NONE);
  ck_assert_uint_eq(r, 4294967040u);
  ck_assert_int_eq(wasm_i32_trunc_f32_u(4294967296.0f, &r), WASM_TRAP_INT_OVERFLOW);
  ck_assert_int_eq(wasm_i32_trunc_f64_s(-2147483648.9, &r), WASM_TRAP_NONE);
  ck_assert_uint_eq(r, 0x80000000u);
  ck_assert_int_eq(wasm_i32_trunc_f64_s(-2147483649.0, &r), WASM_TRAP_INT_OVERFLOW);
  ck_assert_int_eq(wasm_i32_trunc_f64_s(2147483647.9, &r), WASM_TRAP_NONE);
  ck_assert_uint_eq(r, 0x7FFFFFFFu);
  ck_assert_int_eq(wasm_i32_trunc_f64_s(2147483648.0, &r), WASM_TRAP_INT_OVERFLOW);
  ck_assert_int_eq(wasm_i32_trunc_f64_u(4294967295.9, &r), WASM_TRAP_NONE);
  ck_assert_uint_eq(r, 0xFFFFFFFFu);
  ck_assert_int_eq(wasm_i32_trunc_f64_u(-0.9, &r), WASM_TRAP_NONE);
  ck_assert_int_eq(wasm_i32_trunc_f64_u(INFINITY, &r), WASM_TRAP_INT_OVERFLOW);
  ck_assert_int_eq(wasm_i64_trunc_f64_s(-9223372036854775808.0, &q), WASM_TRAP_NONE);
  ck_assert_uint_eq(q, 0x8000000000000000ull);
  ck_assert_int_eq(wasm_i64_trunc_f64_s(9223372036854775808.0, &q), WASM_TRAP_INT_OVERFLOW);
  ck_assert_int_eq(wasm_i64_trunc_f64_s(-9223372036854777856.0, &q), WASM_TRAP_INT_OVERFLOW);
  ck_assert_int_eq(wasm_i64_trunc_f64_u(18446744073709549568.0, &q), WASM_TRAP_NONE);
  ck_assert_uint_eq(q, 18446744073709549568ull);
  ck_assert_int_eq(wasm_i64_trunc_f64_u(18446744073709551616.0, &q), WASM_TRAP_INT_OVERFLOW);
  ck_assert_int_eq(wasm_i64_trunc_f32_u(-NAN, &q), WASM_TRAP_INVALID_CONVERSION);
  ck_assert_int_eq(wasm_i64_trunc_f32_s(-9223372036854775808.0f, &q), WASM_TRAP_NONE);
  ck_assert_int_eq(wasm_i64_trunc_f32_s(9223372036854775808.0f, &q), WASM_TRAP_INT_OVERFLOW);
}
END_TEST

START_TEST(saturating_truncation) {
  ck_assert_uint_eq(wasm_i32_trunc_sat_f32_s(NAN), 0);
  ck_assert_uint_eq(wasm_i32_trunc_sat_f32_s(-INFINITY), 0x80000000u);
  ck_assert_uint_eq(wasm_i32_trunc_sat_f32_s(3e9f), 0x7FFFFFFFu);
  ck_assert_uint_eq(wasm_i32_trunc_sat_f32_u(-5.0f), 0);
  ck_assert_uint_eq(wasm_i32_trunc_sat_f32_u(5e9f), 0xFFFFFFFFu);
  ck_assert_uint_eq(wasm_i32_trunc_sat_f64_s(-2147483648.9), 0x80000000u);
  ck_assert_uint_eq(wasm_i32_trunc_sat_f64_s(-1e300), 0x80000000u);
  ck_assert_uint_eq(wasm_i32_trunc_sat_f64_u(4294967295.5), 0xFFFFFFFFu);
  ck_assert_uint_eq(wasm_i64_trunc_sat_f64_s(1e19), 0x7FFFFFFFFFFFFFFFull);
  ck_assert_uint_eq(wasm_i64_trunc_sat_f64_s(-1e19), 0x8000000000000000ull);
  ck_assert_uint_eq(wasm_i64_trunc_sat_f64_u(2e19), ~0ull);
  ck_assert_uint_eq(wasm_i64_trunc_sat_f32_u(NAN), 0);
  ck_assert_uint_eq(wasm_i64_trunc_sat_f64_u(123.9), 123);
}
END_TEST

START_TEST(float_nan_and_zero) {
  float nz = -0.0f, pz = 0.0f;
  ck_assert_uint_eq(wasm_f32_bits(wasm_f32_min(pz, nz)), 0x80000000u);
  ck_assert_uint_eq(wasm_f32_bits(wasm_f32_min(nz, pz)), 0x80000000u);
  ck_assert_uint_eq(wasm_f32_bits(wasm_f32_max(nz, pz)), 0);
  ck_assert_uint_eq(wasm_f64_bits(wasm_f64_max(-0.0, 0.0)), 0);
  ck_assert_uint_eq(wasm_f64_bits(wasm_f64_min(0.0, -0.0)), 0x8000000000000000ull);
  ck_assert(f32_is_canonical_nan(wasm_f32_min(NAN, 1.0f)));
  ck_assert(f64_is_canonical_nan(wasm_f64_max(1.0, NAN)));
  /* A signalling NaN operand gives an arithmetic (quiet) NaN. */
  ck_assert(f32_is_arithmetic_nan(wasm_f32_max(F32(0x7FA00000u), 0.0f)));
  ck_assert(f32_is_arithmetic_nan(wasm_f32_ceil(F32(0x7FA00000u))));
  ck_assert(f32_is_arithmetic_nan(F32(0x7FA00000u) + 1.0f));
  ck_assert(f32_is_canonical_nan(INFINITY - INFINITY));
  /* abs/neg/copysign keep the payload. */
  ck_assert_uint_eq(wasm_f32_abs(0xFFA00001u), 0x7FA00001u);
  ck_assert_uint_eq(wasm_f32_neg(0x7FA00001u), 0xFFA00001u);
  ck_assert_uint_eq(wasm_f32_copysign(0x7FA00001u, 0x80000000u), 0xFFA00001u);
  ck_assert_uint_eq(wasm_f64_neg(0), 0x8000000000000000ull);
  ck_assert_uint_eq(wasm_f64_copysign(0x3FF0000000000000ull, 0xFFF8000000000000ull),
                    0xBFF0000000000000ull);
  ck_assert_uint_eq(wasm_f64_abs(0xFFF0000000000001ull), 0x7FF0000000000001ull);
}
END_TEST

START_TEST(rounding) {
  ck_assert(wasm_f32_nearest(2.5f) == 2.0f);
  ck_assert(wasm_f32_nearest(3.5f) == 4.0f);
  ck_assert_uint_eq(wasm_f32_bits(wasm_f32_nearest(-0.5f)), 0x80000000u);
  ck_assert(wasm_f64_nearest(-1.5) == -2.0);
  ck_assert(wasm_f64_nearest(4503599627370497.0) == 4503599627370497.0);
  ck_assert_uint_eq(wasm_f64_bits(wasm_f64_ceil(-0.5)), 0x8000000000000000ull);
  ck_assert(wasm_f64_floor(-0.5) == -1.0);
  ck_assert_uint_eq(wasm_f32_bits(wasm_f32_trunc(-0.9f)), 0x80000000u);
  ck_assert(wasm_f64_sqrt(4.0) == 2.0);
  ck_assert(f64_is_canonical_nan(wasm_f64_sqrt(-1.0)));
}
END_TEST

START_TEST(conversions) {
  ck_assert(wasm_f32_convert_i64_u(0x8000008000000001ull) == 9223373136366403584.0f);
  ck_assert(wasm_f32_convert_i64_u(~0ull) == 18446744073709551616.0f);
  ck_assert(wasm_f32_convert_i64_s(0x7FFFFF4000000001ull) == 9223371487098961920.0f);
  ck_assert(wasm_f64_convert_i64_u(0x8000000000000401ull) == 9223372036854777856.0);
  ck_assert(wasm_f64_convert_i32_u(0xFFFFFFFFu) == 4294967295.0);
  ck_assert(wasm_f32_convert_i32_s(16777217) == 16777216.0f);
  ck_assert(wasm_f32_convert_i32_s(0x80000000u) == -2147483648.0f);
  ck_assert(wasm_f32_demote_f64(1e300) == INFINITY);
  ck_assert(f32_is_arithmetic_nan(wasm_f32_demote_f64(F64(0x7FF4000000000000ull))));
  ck_assert(wasm_f64_promote_f32(F32(0x00000001u)) == 1.401298464324817e-45);
}
END_TEST

START_TEST(trap_messages) {
  ck_assert_str_eq(wasm_trap_message(WASM_TRAP_DIV_ZERO), "integer divide by zero");
  ck_assert_str_eq(wasm_trap_message(WASM_TRAP_INVALID_CONVERSION),
                   "invalid conversion to integer");
  ck_assert_str_eq(wasm_trap_message(WASM_TRAP_STACK_EXHAUSTED), "call stack exhausted");
}
END_TEST

int main(void) {
  Suite *s = suite_create("wasm_numeric");
  TCase *tc = tcase_create("numeric");
  tcase_add_test(tc, int_division);
  tcase_add_test(tc, int_bits);
  tcase_add_test(tc, trapping_truncation);
  tcase_add_test(tc, saturating_truncation);
  tcase_add_test(tc, float_nan_and_zero);
  tcase_add_test(tc, rounding);
  tcase_add_test(tc, conversions);
  tcase_add_test(tc, trap_messages);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
