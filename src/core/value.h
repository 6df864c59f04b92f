/* value.h: the 64-bit NaN-boxed value shared by the interpreter, JIT code,
 * Wasm externref and the embedding API. Heap pointers are stored raw (a boxed
 * pointer has the same bits as the pointer), so the conservative stack scanner,
 * C code and generated code all see one representation. See docs/values.md. */
#ifndef TANDEM_CORE_VALUE_H
#define TANDEM_CORE_VALUE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Encoding (top 16 bits decide):
 *   0x0000 .. 0x0001  pointers (user-space addresses < 2^49) and immediates < 0x100
 *   0x0002 .. 0xFFFB  doubles, stored as their IEEE bits + 2^49 (NaNs canonical)
 *   0xFFFE            int32 in the low 32 bits
 * Immediates are small integers that can never be valid heap addresses. */
typedef uint64_t Value;

#define VAL_DOUBLE_OFFSET (1ULL << 49)
#define VAL_INT_TAG 0xFFFE000000000000ULL
#define VAL_TAG_MASK 0xFFFF000000000000ULL
#define VAL_CANONICAL_NAN_BITS 0x7FF8000000000000ULL

/* Immediates. Bit 1 set on all of them keeps them odd-looking as pointers. */
#define VAL_NULL ((Value)0x02)
#define VAL_HOLE ((Value)0x04)          /* empty array slot / absent property */
#define VAL_FALSE ((Value)0x06)
#define VAL_TRUE ((Value)0x07)
#define VAL_UNDEFINED ((Value)0x0A)
#define VAL_UNINITIALIZED ((Value)0x0C) /* let/const before initialization (TDZ) */
#define VAL_EXCEPTION ((Value)0x0E)     /* "an exception is pending" return marker */
#define VAL_IMMEDIATE_LIMIT 0x100ULL

static inline bool val_is_int(Value v) { return (v & VAL_TAG_MASK) == VAL_INT_TAG; }
static inline bool val_is_number(Value v) { return (v >> 49) != 0; }
static inline bool val_is_double(Value v) { return val_is_number(v) && !val_is_int(v); }
static inline bool val_is_ptr(Value v) { return (v >> 49) == 0 && v >= VAL_IMMEDIATE_LIMIT; }
static inline bool val_is_undefined(Value v) { return v == VAL_UNDEFINED; }
static inline bool val_is_null(Value v) { return v == VAL_NULL; }
static inline bool val_is_nullish(Value v) { return v == VAL_UNDEFINED || v == VAL_NULL; }
static inline bool val_is_bool(Value v) { return (v & ~1ULL) == VAL_FALSE; }
static inline bool val_is_exception(Value v) { return v == VAL_EXCEPTION; }

static inline Value val_from_int(int32_t i) { return VAL_INT_TAG | (uint32_t)i; }
static inline int32_t val_to_int(Value v) { return (int32_t)(uint32_t)v; }
static inline Value val_from_bool(bool b) { return b ? VAL_TRUE : VAL_FALSE; }
static inline bool val_to_bool(Value v) { return v == VAL_TRUE; }

static inline uint64_t val_double_bits(double d) {
  uint64_t b;
  memcpy(&b, &d, sizeof b);
  return b;
}

static inline double val_bits_double(uint64_t b) {
  double d;
  memcpy(&d, &b, sizeof d);
  return d;
}

/* Any NaN becomes the canonical quiet NaN: other payloads would collide with
 * the int32 tag range after the offset is added. */
static inline Value val_from_double(double d) {
  uint64_t b = val_double_bits(d);
  if (d != d) b = VAL_CANONICAL_NAN_BITS;
  return b + VAL_DOUBLE_OFFSET;
}

static inline double val_to_double(Value v) { return val_bits_double(v - VAL_DOUBLE_OFFSET); }

/* A number as a double, whichever representation it has. */
static inline double val_number(Value v) {
  return val_is_int(v) ? (double)val_to_int(v) : val_to_double(v);
}

/* The int32 representation when d is an integer in range and not -0. */
static inline Value val_from_number(double d) {
  if (d >= -2147483648.0 && d <= 2147483647.0) {
    int32_t i = (int32_t)d;
    if ((double)i == d && (i != 0 || !(val_double_bits(d) >> 63))) return val_from_int(i);
  }
  return val_from_double(d);
}

static inline void *val_to_ptr(Value v) { return (void *)(uintptr_t)v; }
static inline Value val_from_ptr(const void *p) { return (Value)(uintptr_t)p; }

#endif
