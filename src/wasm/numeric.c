/* numeric.c: out-of-line parts of the scalar semantics in numeric.h: the
 * trap message table (the spec's wording, which the spec tests match). */
#include "wasm/numeric.h"

static const char *const trap_messages[WASM_TRAP_COUNT] = {
#define WASM_TRAP_MSG(name, msg) msg,
    WASM_TRAP_LIST(WASM_TRAP_MSG)
#undef WASM_TRAP_MSG
};

const char *wasm_trap_message(WasmTrap trap) {
  return (unsigned)trap < WASM_TRAP_COUNT ? trap_messages[trap] : "unknown trap";
}
