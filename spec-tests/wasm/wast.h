/* wast.h: shared pieces of the Wasm spec-test runner (wast_runner.c): script
 * values as wast2json writes them (wast_values.c) and the `spectest` host
 * module the suite imports from (spectest.c). */
#ifndef TANDEM_SPEC_WASM_WAST_H
#define TANDEM_SPEC_WASM_WAST_H

#include <stdbool.h>
#include <stddef.h>

#include "json.h"
#include "wasm/wasm.h"

/* `ref.extern N` of the script: a distinct non-null host value per N. The
 * runner uses the number N itself (an int32 Value), which is an ordinary
 * externref value for the engine and needs no heap object. */
Value wast_extern_ref(uint64_t n);

/* An argument value ({"type": "i32", "value": "42"}, v128 with lane_type,
 * funcref/externref with "null" or N) to a WasmVal. False with a message in
 * err when the node is not understood. */
bool wast_parse_value(const JsonNode *node, WasmVal *out, char *err, size_t err_size);

/* Does actual match the expected node? Exact bits for numbers, the
 * nan:canonical / nan:arithmetic patterns for floats and float lanes, null or
 * identity for references. */
bool wast_value_matches(const JsonNode *expected, const WasmVal *actual);

/* Human-readable forms for failure messages. */
void wast_format_value(const WasmVal *v, char *buf, size_t size);
void wast_format_expected(const JsonNode *expected, char *buf, size_t size);

/* The WasmValType named by a script type string, or 0. */
uint8_t wast_type_code(const char *name);

/* The spectest module: print functions (silent unless verbose), globals
 * global_i32/i64/f32/f64 = 666 / 666.6, table (10..20 funcref) and memory
 * (1..2 pages). One instance serves a whole script, as in the reference
 * interpreter. */
typedef struct Spectest Spectest;
Spectest *spectest_new(Runtime *rt, bool verbose);
void spectest_free(Runtime *rt, Spectest *st);
/* Fills out for spectest.name; false when there is no such export. */
bool spectest_lookup(Spectest *st, const char *name, WasmExtern *out);

#endif
