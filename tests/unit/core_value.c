/* core_value.c: unit tests of the NaN-boxed value representation. */
#include <math.h>
#include <stdint.h>

#include "core/value.h"
#include "test_util.h"

START_TEST(int_round_trip) {
  int32_t samples[] = {0, 1, -1, 42, INT32_MAX, INT32_MIN, 123456789, -987654321};
  for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
    Value v = val_from_int(samples[i]);
    ck_assert(val_is_int(v));
    ck_assert(val_is_number(v));
    ck_assert(!val_is_double(v));
    ck_assert(!val_is_ptr(v));
    ck_assert_int_eq(val_to_int(v), samples[i]);
    ck_assert(val_number(v) == (double)samples[i]);
  }
}
END_TEST

START_TEST(double_round_trip) {
  double samples[] = {0.5, -0.5, 1e300, -1e-300, 5e-324, -5e-324, INFINITY, -INFINITY,
                      1.7976931348623157e308, 3.141592653589793, 0.0, -0.0};
  for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
    Value v = val_from_double(samples[i]);
    ck_assert(val_is_double(v));
    ck_assert(!val_is_int(v));
    ck_assert(!val_is_ptr(v));
    ck_assert_uint_eq(val_double_bits(val_to_double(v)), val_double_bits(samples[i]));
  }
}
END_TEST

START_TEST(nan_canonicalized) {
  /* Every NaN payload, including negative and signalling ones, boxes to one
   * canonical NaN that is still a number and never looks like an int32. */
  uint64_t payloads[] = {0x7FF8000000000000ULL, 0xFFF8000000000000ULL, 0x7FF0000000000001ULL,
                         0xFFFFFFFFFFFFFFFFULL, 0x7FFFFFFFFFFFFFFFULL, 0xFFF0000000000001ULL};
  for (size_t i = 0; i < sizeof payloads / sizeof payloads[0]; i++) {
    Value v = val_from_double(val_bits_double(payloads[i]));
    ck_assert(val_is_double(v));
    ck_assert(!val_is_int(v));
    double d = val_to_double(v);
    ck_assert(isnan(d));
    ck_assert_uint_eq(val_double_bits(d), VAL_CANONICAL_NAN_BITS);
  }
}
END_TEST

START_TEST(negative_zero_stays_double) {
  Value v = val_from_number(-0.0);
  ck_assert(val_is_double(v));
  ck_assert(signbit(val_to_double(v)));
  ck_assert(val_is_int(val_from_number(0.0)));
  ck_assert(val_is_int(val_from_number(-2147483648.0)));
  ck_assert(val_is_double(val_from_number(2147483648.0)));
  ck_assert(val_is_double(val_from_number(1.5)));
  ck_assert_int_eq(val_to_int(val_from_number(-7.0)), -7);
}
END_TEST

START_TEST(pointers_are_raw) {
  static _Alignas(16) char object[64];
  Value v = val_from_ptr(object);
  ck_assert(val_is_ptr(v));
  ck_assert(!val_is_number(v));
  ck_assert_ptr_eq(val_to_ptr(v), object);
  ck_assert_uint_eq(v, (uint64_t)(uintptr_t)object); /* same bits as the pointer */
  /* Highest user-space address on x86-64 / AArch64 with 48-bit VAs. */
  Value high = (Value)0x00007FFFFFFFFFF0ULL;
  ck_assert(val_is_ptr(high));
}
END_TEST

START_TEST(immediates_distinct) {
  Value imms[] = {VAL_NULL, VAL_HOLE, VAL_FALSE, VAL_TRUE, VAL_UNDEFINED, VAL_UNINITIALIZED,
                  VAL_EXCEPTION};
  size_t n = sizeof imms / sizeof imms[0];
  for (size_t i = 0; i < n; i++) {
    ck_assert(!val_is_ptr(imms[i]));
    ck_assert(!val_is_number(imms[i]));
    for (size_t j = i + 1; j < n; j++) ck_assert(imms[i] != imms[j]);
  }
  ck_assert(val_is_bool(VAL_TRUE) && val_is_bool(VAL_FALSE));
  ck_assert(!val_is_bool(VAL_NULL) && !val_is_bool(VAL_UNDEFINED));
  ck_assert(val_is_nullish(VAL_NULL) && val_is_nullish(VAL_UNDEFINED));
  ck_assert(!val_is_nullish(VAL_FALSE));
  ck_assert(val_to_bool(val_from_bool(true)) && !val_to_bool(val_from_bool(false)));
  ck_assert(!val_is_ptr(0)); /* zeroed heap memory holds no pointers */
}
END_TEST

int main(void) {
  Suite *s = suite_create("value");
  TCase *tc = tcase_create("boxing");
  tcase_add_test(tc, int_round_trip);
  tcase_add_test(tc, double_round_trip);
  tcase_add_test(tc, nan_canonicalized);
  tcase_add_test(tc, negative_zero_stays_double);
  tcase_add_test(tc, pointers_are_raw);
  tcase_add_test(tc, immediates_distinct);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
