/* trap.h: the WebAssembly trap kinds and their spec messages, defined once.
 * Scalar and SIMD helpers return a WasmTrap (0 = none); the interpreter turns
 * a non-zero one into a RuntimeError whose message starts with the spec text. */
#ifndef TANDEM_WASM_TRAP_H
#define TANDEM_WASM_TRAP_H

#define WASM_TRAP_LIST(X)                                                                          \
  X(NONE, "")                                                                                      \
  X(UNREACHABLE, "unreachable")                                                                    \
  X(DIV_ZERO, "integer divide by zero")                                                            \
  X(INT_OVERFLOW, "integer overflow")                                                              \
  X(INVALID_CONVERSION, "invalid conversion to integer")                                           \
  X(OOB_MEMORY, "out of bounds memory access")                                                     \
  X(OOB_TABLE, "out of bounds table access")                                                       \
  X(UNDEFINED_ELEMENT, "undefined element")                                                        \
  X(UNINITIALIZED_ELEMENT, "uninitialized element")                                                \
  X(INDIRECT_TYPE, "indirect call type mismatch")                                                  \
  X(NULL_FUNC, "null function reference")                                                          \
  X(STACK_EXHAUSTED, "call stack exhausted")                                                       \
  X(INTERRUPTED, "interrupted")

typedef enum WasmTrap {
#define WASM_TRAP_ENUM(name, msg) WASM_TRAP_##name,
  WASM_TRAP_LIST(WASM_TRAP_ENUM)
#undef WASM_TRAP_ENUM
      WASM_TRAP_COUNT
} WasmTrap;

/* The spec's message for a trap kind. */
const char *wasm_trap_message(WasmTrap trap);

#endif
