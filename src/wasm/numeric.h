/* numeric.h: the exact semantics of every scalar Wasm instruction, as small
 * inline functions shared by the interpreter, constant folding and tests.
 * Floats travel as their bit patterns where NaN payloads matter (abs, neg,
 * copysign, reinterpret); trapping operations return a WasmTrap. */
#ifndef TANDEM_WASM_NUMERIC_H
#define TANDEM_WASM_NUMERIC_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "wasm/trap.h"

static inline uint32_t wasm_f32_bits(float f) {
  uint32_t b;
  memcpy(&b, &f, 4);
  return b;
}
static inline float wasm_bits_f32(uint32_t b) {
  float f;
  memcpy(&f, &b, 4);
  return f;
}
static inline uint64_t wasm_f64_bits(double d) {
  uint64_t b;
  memcpy(&b, &d, 8);
  return b;
}
static inline double wasm_bits_f64(uint64_t b) {
  double d;
  memcpy(&d, &b, 8);
  return d;
}

/* --- integer --------------------------------------------------------------- */

static inline uint32_t wasm_i32_rotl(uint32_t a, uint32_t b) {
  b &= 31;
  return (a << b) | (a >> ((32 - b) & 31));
}
static inline uint32_t wasm_i32_rotr(uint32_t a, uint32_t b) {
  b &= 31;
  return (a >> b) | (a << ((32 - b) & 31));
}
static inline uint64_t wasm_i64_rotl(uint64_t a, uint64_t b) {
  b &= 63;
  return (a << b) | (a >> ((64 - b) & 63));
}
static inline uint64_t wasm_i64_rotr(uint64_t a, uint64_t b) {
  b &= 63;
  return (a >> b) | (a << ((64 - b) & 63));
}
static inline uint32_t wasm_i32_clz(uint32_t a) { return a ? (uint32_t)__builtin_clz(a) : 32; }
static inline uint32_t wasm_i32_ctz(uint32_t a) { return a ? (uint32_t)__builtin_ctz(a) : 32; }
static inline uint32_t wasm_i32_popcnt(uint32_t a) { return (uint32_t)__builtin_popcount(a); }
static inline uint64_t wasm_i64_clz(uint64_t a) { return a ? (uint64_t)__builtin_clzll(a) : 64; }
static inline uint64_t wasm_i64_ctz(uint64_t a) { return a ? (uint64_t)__builtin_ctzll(a) : 64; }
static inline uint64_t wasm_i64_popcnt(uint64_t a) { return (uint64_t)__builtin_popcountll(a); }

/* Arithmetic shifts of negative numbers are implementation-defined in C;
 * GCC defines them as arithmetic, which is what Wasm wants. */
static inline uint32_t wasm_i32_shr_s(uint32_t a, uint32_t b) {
  return (uint32_t)((int32_t)a >> (b & 31));
}
static inline uint64_t wasm_i64_shr_s(uint64_t a, uint64_t b) {
  return (uint64_t)((int64_t)a >> (b & 63));
}

static inline WasmTrap wasm_i32_div_s(uint32_t a, uint32_t b, uint32_t *out) {
  if (b == 0) return WASM_TRAP_DIV_ZERO;
  if (a == 0x80000000u && b == 0xFFFFFFFFu) return WASM_TRAP_INT_OVERFLOW;
  *out = (uint32_t)((int32_t)a / (int32_t)b);
  return WASM_TRAP_NONE;
}
static inline WasmTrap wasm_i32_div_u(uint32_t a, uint32_t b, uint32_t *out) {
  if (b == 0) return WASM_TRAP_DIV_ZERO;
  *out = a / b;
  return WASM_TRAP_NONE;
}
/* INT_MIN % -1 is 0 in Wasm but undefined (and a SIGFPE on x86) in C. */
static inline WasmTrap wasm_i32_rem_s(uint32_t a, uint32_t b, uint32_t *out) {
  if (b == 0) return WASM_TRAP_DIV_ZERO;
  *out = b == 0xFFFFFFFFu ? 0 : (uint32_t)((int32_t)a % (int32_t)b);
  return WASM_TRAP_NONE;
}
static inline WasmTrap wasm_i32_rem_u(uint32_t a, uint32_t b, uint32_t *out) {
  if (b == 0) return WASM_TRAP_DIV_ZERO;
  *out = a % b;
  return WASM_TRAP_NONE;
}
static inline WasmTrap wasm_i64_div_s(uint64_t a, uint64_t b, uint64_t *out) {
  if (b == 0) return WASM_TRAP_DIV_ZERO;
  if (a == 0x8000000000000000ull && b == ~0ull) return WASM_TRAP_INT_OVERFLOW;
  *out = (uint64_t)((int64_t)a / (int64_t)b);
  return WASM_TRAP_NONE;
}
static inline WasmTrap wasm_i64_div_u(uint64_t a, uint64_t b, uint64_t *out) {
  if (b == 0) return WASM_TRAP_DIV_ZERO;
  *out = a / b;
  return WASM_TRAP_NONE;
}
static inline WasmTrap wasm_i64_rem_s(uint64_t a, uint64_t b, uint64_t *out) {
  if (b == 0) return WASM_TRAP_DIV_ZERO;
  *out = b == ~0ull ? 0 : (uint64_t)((int64_t)a % (int64_t)b);
  return WASM_TRAP_NONE;
}
static inline WasmTrap wasm_i64_rem_u(uint64_t a, uint64_t b, uint64_t *out) {
  if (b == 0) return WASM_TRAP_DIV_ZERO;
  *out = a % b;
  return WASM_TRAP_NONE;
}

static inline uint32_t wasm_i32_extend8_s(uint32_t a) { return (uint32_t)(int32_t)(int8_t)a; }
static inline uint32_t wasm_i32_extend16_s(uint32_t a) { return (uint32_t)(int32_t)(int16_t)a; }
static inline uint64_t wasm_i64_extend8_s(uint64_t a) { return (uint64_t)(int64_t)(int8_t)a; }
static inline uint64_t wasm_i64_extend16_s(uint64_t a) { return (uint64_t)(int64_t)(int16_t)a; }
static inline uint64_t wasm_i64_extend32_s(uint64_t a) { return (uint64_t)(int64_t)(int32_t)a; }

/* --- float: bit operations (never touch the NaN payload) ------------------- */

static inline uint32_t wasm_f32_abs(uint32_t a) { return a & 0x7FFFFFFFu; }
static inline uint32_t wasm_f32_neg(uint32_t a) { return a ^ 0x80000000u; }
static inline uint32_t wasm_f32_copysign(uint32_t a, uint32_t b) {
  return (a & 0x7FFFFFFFu) | (b & 0x80000000u);
}
static inline uint64_t wasm_f64_abs(uint64_t a) { return a & 0x7FFFFFFFFFFFFFFFull; }
static inline uint64_t wasm_f64_neg(uint64_t a) { return a ^ 0x8000000000000000ull; }
static inline uint64_t wasm_f64_copysign(uint64_t a, uint64_t b) {
  return (a & 0x7FFFFFFFFFFFFFFFull) | (b & 0x8000000000000000ull);
}

/* --- float: arithmetic ------------------------------------------------------
 * SSE arithmetic already follows the Wasm NaN rules: a NaN operand comes out
 * quieted with its payload (an arithmetic NaN, canonical if the input was),
 * and an invalid operation yields the default NaN (canonical). min/max and
 * the rounding functions need care for NaN and signed zero. */

static inline float wasm_f32_min(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return wasm_bits_f32(wasm_f32_bits(a) | wasm_f32_bits(b)); /* -0 wins */
  return a < b ? a : b;
}
static inline float wasm_f32_max(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return wasm_bits_f32(wasm_f32_bits(a) & wasm_f32_bits(b)); /* +0 wins */
  return a > b ? a : b;
}
static inline double wasm_f64_min(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) return wasm_bits_f64(wasm_f64_bits(a) | wasm_f64_bits(b));
  return a < b ? a : b;
}
static inline double wasm_f64_max(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) return wasm_bits_f64(wasm_f64_bits(a) & wasm_f64_bits(b));
  return a > b ? a : b;
}

/* Rounding: NaN inputs are quieted by adding them to themselves (the libm
 * functions may return a signalling NaN unchanged). */
static inline float wasm_f32_ceil(float a) { return a != a ? a + a : ceilf(a); }
static inline float wasm_f32_floor(float a) { return a != a ? a + a : floorf(a); }
static inline float wasm_f32_trunc(float a) { return a != a ? a + a : truncf(a); }
static inline float wasm_f32_nearest(float a) { return a != a ? a + a : __builtin_roundevenf(a); }
static inline float wasm_f32_sqrt(float a) { return sqrtf(a); }
static inline double wasm_f64_ceil(double a) { return a != a ? a + a : ceil(a); }
static inline double wasm_f64_floor(double a) { return a != a ? a + a : floor(a); }
static inline double wasm_f64_trunc(double a) { return a != a ? a + a : trunc(a); }
static inline double wasm_f64_nearest(double a) { return a != a ? a + a : __builtin_roundeven(a); }
static inline double wasm_f64_sqrt(double a) { return sqrt(a); }

/* --- conversions -------------------------------------------------------------
 * Trapping truncations: NaN is "invalid conversion", anything whose truncation
 * is out of range is "integer overflow". The bounds are exact in each type. */

static inline WasmTrap wasm_i32_trunc_f32_s(float a, uint32_t *out) {
  if (a != a) return WASM_TRAP_INVALID_CONVERSION;
  if (!(a >= -2147483648.0f && a < 2147483648.0f)) return WASM_TRAP_INT_OVERFLOW;
  *out = (uint32_t)(int32_t)a;
  return WASM_TRAP_NONE;
}
static inline WasmTrap wasm_i32_trunc_f32_u(float a, uint32_t *out) {
  if (a != a) return WASM_TRAP_INVALID_CONVERSION;
  if (!(a > -1.0f && a < 4294967296.0f)) return WASM_TRAP_INT_OVERFLOW;
  *out = (uint32_t)a;
  return WASM_TRAP_NONE;
}
static inline WasmTrap wasm_i32_trunc_f64_s(double a, uint32_t *out) {
  if (a != a) return WASM_TRAP_INVALID_CONVERSION;
  if (!(a > -2147483649.0 && a < 2147483648.0)) return WASM_TRAP_INT_OVERFLOW;
  *out = (uint32_t)(int32_t)a;
  return WASM_TRAP_NONE;
}
static inline WasmTrap wasm_i32_trunc_f64_u(double a, uint32_t *out) {
  if (a != a) return WASM_TRAP_INVALID_CONVERSION;
  if (!(a > -1.0 && a < 4294967296.0)) return WASM_TRAP_INT_OVERFLOW;
  *out = (uint32_t)a;
  return WASM_TRAP_NONE;
}
static inline WasmTrap wasm_i64_trunc_f32_s(float a, uint64_t *out) {
  if (a != a) return WASM_TRAP_INVALID_CONVERSION;
  if (!(a >= -9223372036854775808.0f && a < 9223372036854775808.0f)) return WASM_TRAP_INT_OVERFLOW;
  *out = (uint64_t)(int64_t)a;
  return WASM_TRAP_NONE;
}
static inline WasmTrap wasm_i64_trunc_f32_u(float a, uint64_t *out) {
  if (a != a) return WASM_TRAP_INVALID_CONVERSION;
  if (!(a > -1.0f && a < 18446744073709551616.0f)) return WASM_TRAP_INT_OVERFLOW;
  *out = (uint64_t)a;
  return WASM_TRAP_NONE;
}
static inline WasmTrap wasm_i64_trunc_f64_s(double a, uint64_t *out) {
  if (a != a) return WASM_TRAP_INVALID_CONVERSION;
  if (!(a >= -9223372036854775808.0 && a < 9223372036854775808.0)) return WASM_TRAP_INT_OVERFLOW;
  *out = (uint64_t)(int64_t)a;
  return WASM_TRAP_NONE;
}
static inline WasmTrap wasm_i64_trunc_f64_u(double a, uint64_t *out) {
  if (a != a) return WASM_TRAP_INVALID_CONVERSION;
  if (!(a > -1.0 && a < 18446744073709551616.0)) return WASM_TRAP_INT_OVERFLOW;
  *out = (uint64_t)a;
  return WASM_TRAP_NONE;
}

/* Saturating truncations: NaN is 0, out-of-range clamps. */
static inline uint32_t wasm_i32_trunc_sat_f32_s(float a) {
  if (a != a) return 0;
  if (a < -2147483648.0f) return 0x80000000u;
  if (a >= 2147483648.0f) return 0x7FFFFFFFu;
  return (uint32_t)(int32_t)a;
}
static inline uint32_t wasm_i32_trunc_sat_f32_u(float a) {
  if (!(a > -1.0f)) return 0; /* also NaN */
  if (a >= 4294967296.0f) return 0xFFFFFFFFu;
  return (uint32_t)a;
}
static inline uint32_t wasm_i32_trunc_sat_f64_s(double a) {
  if (a != a) return 0;
  if (a <= -2147483649.0) return 0x80000000u;
  if (a >= 2147483648.0) return 0x7FFFFFFFu;
  return (uint32_t)(int32_t)a;
}
static inline uint32_t wasm_i32_trunc_sat_f64_u(double a) {
  if (!(a > -1.0)) return 0;
  if (a >= 4294967296.0) return 0xFFFFFFFFu;
  return (uint32_t)a;
}
static inline uint64_t wasm_i64_trunc_sat_f32_s(float a) {
  if (a != a) return 0;
  if (a < -9223372036854775808.0f) return 0x8000000000000000ull;
  if (a >= 9223372036854775808.0f) return 0x7FFFFFFFFFFFFFFFull;
  return (uint64_t)(int64_t)a;
}
static inline uint64_t wasm_i64_trunc_sat_f32_u(float a) {
  if (!(a > -1.0f)) return 0;
  if (a >= 18446744073709551616.0f) return ~0ull;
  return (uint64_t)a;
}
static inline uint64_t wasm_i64_trunc_sat_f64_s(double a) {
  if (a != a) return 0;
  if (a < -9223372036854775808.0) return 0x8000000000000000ull;
  if (a >= 9223372036854775808.0) return 0x7FFFFFFFFFFFFFFFull;
  return (uint64_t)(int64_t)a;
}
static inline uint64_t wasm_i64_trunc_sat_f64_u(double a) {
  if (!(a > -1.0)) return 0;
  if (a >= 18446744073709551616.0) return ~0ull;
  return (uint64_t)a;
}

/* Integer to float conversions round to nearest-even, as C's casts do on
 * x86-64 (GCC's unsigned 64-bit sequence halves with a sticky bit). */
static inline float wasm_f32_convert_i32_s(uint32_t a) { return (float)(int32_t)a; }
static inline float wasm_f32_convert_i32_u(uint32_t a) { return (float)a; }
static inline float wasm_f32_convert_i64_s(uint64_t a) { return (float)(int64_t)a; }
static inline float wasm_f32_convert_i64_u(uint64_t a) { return (float)a; }
static inline double wasm_f64_convert_i32_s(uint32_t a) { return (double)(int32_t)a; }
static inline double wasm_f64_convert_i32_u(uint32_t a) { return (double)a; }
static inline double wasm_f64_convert_i64_s(uint64_t a) { return (double)(int64_t)a; }
static inline double wasm_f64_convert_i64_u(uint64_t a) { return (double)a; }
static inline float wasm_f32_demote_f64(double a) { return (float)a; }
static inline double wasm_f64_promote_f32(float a) { return (double)a; }

#endif
