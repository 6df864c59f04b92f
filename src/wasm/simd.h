/* simd.h: the 128-bit vector type and the lane semantics of every Wasm SIMD
 * instruction (Wasm 2.0 plus deterministic relaxed SIMD), as portable C
 * functions. The interpreter finds them by 0xFD sub-opcode through
 * wasm_simd_entry(); memory forms (loads/stores) live in the interpreter. */
#ifndef TANDEM_WASM_SIMD_H
#define TANDEM_WASM_SIMD_H

#include <stdint.h>

/* Lanes in little-endian order, as Wasm numbers them. 8-byte alignment: a
 * vector occupies two 64-bit interpreter stack slots. */
typedef union V128 {
  uint8_t u8[16];
  int8_t i8[16];
  uint16_t u16[8];
  int16_t i16[8];
  uint32_t u32[4];
  int32_t i32[4];
  uint64_t u64[2];
  int64_t i64[2];
  float f32[4];
  double f64[2];
} V128;

typedef enum WasmSimdKind {
  WASM_SIMD_NONE,    /* not a lane operation (memory forms, const, shuffle) */
  WASM_SIMD_UNARY,   /* v:v */
  WASM_SIMD_BINARY,  /* vv:v */
  WASM_SIMD_TERNARY, /* vvv:v */
  WASM_SIMD_SHIFT,   /* vi:v */
  WASM_SIMD_TEST,    /* v:i */
  WASM_SIMD_SPLAT,   /* scalar:v */
  WASM_SIMD_EXTRACT, /* v:scalar with a lane immediate */
  WASM_SIMD_REPLACE, /* v scalar:v with a lane immediate */
} WasmSimdKind;

typedef void (*WasmSimdUnary)(V128 *a);
typedef void (*WasmSimdBinary)(V128 *a, const V128 *b);
typedef void (*WasmSimdTernary)(V128 *a, const V128 *b, const V128 *c);
typedef void (*WasmSimdShift)(V128 *a, uint32_t n);
typedef uint32_t (*WasmSimdTest)(const V128 *a);
typedef void (*WasmSimdSplat)(V128 *r, uint64_t x);
typedef uint64_t (*WasmSimdExtract)(const V128 *a, uint32_t lane);
typedef void (*WasmSimdReplace)(V128 *a, uint64_t x, uint32_t lane);

typedef struct WasmSimdEntry {
  uint8_t kind; /* WasmSimdKind */
  union {
    WasmSimdUnary unary;
    WasmSimdBinary binary;
    WasmSimdTernary ternary;
    WasmSimdShift shift;
    WasmSimdTest test;
    WasmSimdSplat splat;
    WasmSimdExtract extract;
    WasmSimdReplace replace;
    void (*any)(void);
  } fn;
} WasmSimdEntry;

/* The entry for a 0xFD sub-opcode; kind NONE when it is no lane operation. */
const WasmSimdEntry *wasm_simd_entry(uint32_t subop);

/* Instructions with immediates or memory operands the interpreter handles. */
void wasm_simd_shuffle(V128 *a, const V128 *b, const uint8_t lanes[16]);
void wasm_simd_swizzle(V128 *a, const V128 *b);
/* Memory-form widenings: src holds the 8 loaded bytes. */
void wasm_simd_load_extend(V128 *r, const uint8_t src[8], uint32_t subop);

#endif
