/* wasm.h: the WebAssembly pipeline's entry points used by the rest of the
 * engine (shell, spec-test runner, JS API, WASI). Decoding, validation,
 * instantiation and calls; internals live in the other wasm/ headers. */
#ifndef TANDEM_WASM_WASM_H
#define TANDEM_WASM_WASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/runtime.h"

typedef struct WasmModule WasmModule;     /* GC_KIND_WASM_MODULE */
typedef struct WasmInstance WasmInstance; /* GC_KIND_WASM_INSTANCE */

typedef enum WasmValType {
  WASM_I32 = 0x7F,
  WASM_I64 = 0x7E,
  WASM_F32 = 0x7D,
  WASM_F64 = 0x7C,
  WASM_V128 = 0x7B,
  WASM_FUNCREF = 0x70,
  WASM_EXTERNREF = 0x6F,
} WasmValType;

/* A Wasm value outside the engine: numbers by bits, references as Values
 * (a function reference is the Value of its WASM_FUNC object; null is VAL_NULL). */
typedef struct WasmVal {
  uint8_t type; /* WasmValType */
  union {
    uint32_t i32;
    uint64_t i64;
    uint32_t f32; /* raw bits, so NaN payloads survive */
    uint64_t f64;
    uint8_t v128[16];
    Value ref;
  } of;
} WasmVal;

typedef enum WasmExternKind {
  WASM_EXTERN_FUNC = 0,
  WASM_EXTERN_TABLE = 1,
  WASM_EXTERN_MEMORY = 2,
  WASM_EXTERN_GLOBAL = 3,
  WASM_EXTERN_TAG = 4,
} WasmExternKind;

/* An extern: an exported or imported func, table, memory or global object
 * (the Value of its GC object). */
typedef struct WasmExtern {
  WasmExternKind kind;
  Value obj;
} WasmExtern;

/* Decodes and validates a binary module. On failure returns NULL with a
 * CompileError pending whose message names the byte offset and the reason,
 * e.g. "at offset 23: unexpected end of section or function". Any bytes at
 * all may be passed: never crashes, never reads outside the buffer. */
WasmModule *wasm_module_new(Runtime *rt, const uint8_t *bytes, size_t len);

/* Finds the import for module/name; returns false if there is none. Called
 * once per import during instantiation. */
typedef bool (*WasmImportResolver)(void *data, const char *module, const char *name,
                                   WasmExtern *out);

/* Instantiates: resolves imports (LinkError on a missing or mismatched
 * import), initialises globals, tables, memories, element and data segments
 * in spec order (RuntimeError on an out-of-bounds segment) and runs the start
 * function. Returns NULL with the error pending on failure. */
WasmInstance *wasm_instantiate(Runtime *rt, WasmModule *m, WasmImportResolver resolve,
                               void *resolve_data);

/* Looks up an export by name. */
bool wasm_instance_export(WasmInstance *inst, const char *name, WasmExtern *out);
/* The same for a name of `len` bytes (export names may contain NUL). */
bool wasm_instance_export_n(WasmInstance *inst, const char *name, size_t len, WasmExtern *out);

/* Calls a function object (from an export or a table). Arguments must match
 * its signature; results are written to results[0..nresults). Returns false
 * with the error pending on a trap (RuntimeError with the spec's message,
 * e.g. "integer divide by zero", and the Wasm function name and offset) or on
 * stack exhaustion. */
bool wasm_call(Runtime *rt, Value func, const WasmVal *args, size_t nargs, WasmVal *results,
               size_t nresults);

/* The parameter and result types of a function object. */
bool wasm_func_type(Value func, const uint8_t **params, uint32_t *nparams,
                    const uint8_t **results, uint32_t *nresults);

/* Reads a global object's current value. */
bool wasm_global_get(Value global, WasmVal *out);

/* Host objects, for imports (the spec tests' `spectest` module, WASI, the
 * JS API). max = UINT32_MAX means no maximum. Each returns VAL_EXCEPTION with
 * an error pending on failure. */
typedef bool (*WasmHostFn)(Runtime *rt, void *data, const WasmVal *args, WasmVal *results);
Value wasm_host_func_new(Runtime *rt, const uint8_t *params, uint32_t nparams,
                         const uint8_t *results, uint32_t nresults, WasmHostFn fn, void *data);
Value wasm_global_new(Runtime *rt, WasmVal init, bool mutable_);
Value wasm_memory_new(Runtime *rt, uint32_t min_pages, uint32_t max_pages);
Value wasm_table_new(Runtime *rt, uint8_t elem_type, uint32_t min, uint32_t max);

/* Registers the wasm kinds' GC callbacks (once per process). */
void wasm_init_gc_kinds(void);

#endif
