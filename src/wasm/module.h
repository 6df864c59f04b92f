/* module.h: a decoded and validated WebAssembly module, as the decoder and
 * validator (decode.c, validate.c) leave it for instantiation, the
 * interpreter's pre-decoder and the LLVM tier. Everything is read-only after
 * wasm_module_new() returns; it all lives in one arena owned by the module. */
#ifndef TANDEM_WASM_MODULE_H
#define TANDEM_WASM_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gc/gc.h"
#include "wasm/opcodes.h"
#include "wasm/wasm.h"

/* Implementation limits (the JS API's limits, as V8 and SpiderMonkey use).
 * Exceeding one is a CompileError, never a crash or a huge allocation. */
#define WASM_MAX_TYPES 1000000u
#define WASM_MAX_FUNCTIONS 1000000u
#define WASM_MAX_IMPORTS 100000u
#define WASM_MAX_EXPORTS 100000u
#define WASM_MAX_GLOBALS 1000000u
#define WASM_MAX_DATA_SEGMENTS 100000u
#define WASM_MAX_ELEM_SEGMENTS 10000000u
#define WASM_MAX_TABLES 100000u
#define WASM_MAX_PARAMS 1000u
#define WASM_MAX_RESULTS 1000u
#define WASM_MAX_LOCALS 50000u /* per function, parameters included */
#define WASM_MAX_TOTAL_LOCALS (1u << 26) /* declared locals expanded, whole module */
#define WASM_MAX_FUNCTION_SIZE (7654321u)
#define WASM_MAX_BR_TABLE 65520u
#define WASM_MAX_MEMORY_PAGES 65536u /* 4 GiB of 64 KiB pages */
#define WASM_PAGE_SIZE 65536u

/* Optional features the decoder accepts beyond Wasm 2.0 (+ tail calls and
 * relaxed SIMD, always on). Each is off by default and is switched on by the
 * runtime once it executes it, because it changes the binary encoding the
 * interpreter's pre-decoder reads:
 *   MULTI_MEMORY: several memories; memory-index immediates (memory.size,
 *     memory.grow, memory.fill, memory.copy, memory.init) are u32 LEBs
 *     instead of one zero byte, and a memarg whose alignment field has bit 6
 *     set is followed by a u32 memory index (align = field & ~0x40).
 *   MEMORY64: memories with limits flags 0x04/0x05 (WasmLimits.is64, u64
 *     page counts up to 2^48); for such a memory every memarg offset is a u64
 *     LEB and addresses, sizes and lengths are i64 (memory.copy between
 *     memories of different index types takes an i32 length). */
#define WASM_FEATURE_MULTI_MEMORY (1u << 0)
#define WASM_FEATURE_MEMORY64 (1u << 1)
#define WASM_MAX_MEMORY64_PAGES (1ull << 48)
void wasm_set_features(uint32_t features);
uint32_t wasm_get_features(void);

/* A function type. params and results point into the module's arena. */
typedef struct WasmFuncType {
  uint32_t nparams;
  uint32_t nresults;
  const uint8_t *params;  /* WasmValType bytes */
  const uint8_t *results; /* WasmValType bytes */
} WasmFuncType;

/* Table and memory limits. For memories min/max count 64 KiB pages. */
typedef struct WasmLimits {
  uint64_t min;
  uint64_t max;   /* meaningful when has_max */
  bool has_max;
  bool is64;      /* memory64 (WASM_FEATURE_MEMORY64): i64 addresses */
  bool shared;    /* threads (reserved: rejected by the decoder for now) */
} WasmLimits;

typedef struct WasmTableType {
  uint8_t elem_type; /* WASM_FUNCREF or WASM_EXTERNREF */
  WasmLimits limits;
} WasmTableType;

typedef struct WasmMemoryType {
  WasmLimits limits;
} WasmMemoryType;

typedef struct WasmGlobalType {
  uint8_t type; /* WasmValType */
  bool mutable_;
} WasmGlobalType;

/* A constant expression (global initializer, segment offset, element item).
 * The common one-instruction forms are pre-decoded into `kind`; anything
 * longer (extended-const arithmetic) is WASM_CONST_EXPR and is evaluated from
 * its bytes with wasm_const_expr_eval(). */
typedef enum WasmConstKind {
  WASM_CONST_VALUE,      /* t.const or ref.null: the value is `value` */
  WASM_CONST_GLOBAL_GET, /* global.get `index` */
  WASM_CONST_REF_FUNC,   /* ref.func `index` (also each item of a func-index elem segment) */
  WASM_CONST_EXPR,       /* general: evaluate bytes [start, end) */
} WasmConstKind;

typedef struct WasmConstExpr {
  uint8_t kind;  /* WasmConstKind */
  uint8_t type;  /* WasmValType of the result */
  uint32_t index; /* global or function index for GLOBAL_GET / REF_FUNC */
  WasmVal value; /* for VALUE: numbers by bits; a null reference has of.ref = VAL_NULL */
  uint32_t start; /* byte offsets in WasmModule.bytes of the instructions, */
  uint32_t end;   /* including the final `end` opcode (0, 0 for synthesized items) */
} WasmConstExpr;

typedef struct WasmImport {
  const char *module; /* UTF-8, NUL-terminated copy (may contain NUL: use the lengths) */
  const char *name;
  uint32_t module_len;
  uint32_t name_len;
  uint8_t kind; /* WasmExternKind */
  union {
    uint32_t type_index; /* WASM_EXTERN_FUNC: index into WasmModule.types */
    WasmTableType table;
    WasmMemoryType memory;
    WasmGlobalType global;
  } desc;
} WasmImport;

/* The validator's side table for one control instruction. Entries appear in
 * the order of the instructions in the function body (so a pre-decoder walking
 * the body sequentially consumes them with one cursor), one entry per
 * block, loop, if, else, end, br, br_if, br_table, return, return_call and
 * return_call_indirect; br_table's entry is followed by `count` more entries
 * (same pc, op WASM_OP_BR_TABLE) for its labels in order, its own entry
 * describing the default label.
 *
 * Operand-stack heights count values from the bottom of the function's
 * operand stack (locals are not on it), in two units: `height` in values and
 * `height_slots` in 8-byte slots where a v128 takes 2 slots; likewise
 * `arity` / `arity_slots`.
 *
 * Per op:
 *   block, loop, if: target = just past the matching `end` for block;
 *        the first instruction of the body (just past the block type) for
 *        loop; for if, where a false condition goes: just past the matching
 *        `else`, or just past the matching `end` when there is no else.
 *        arity = the block's parameter count, height = the stack height
 *        below the block's parameters (the label's base).
 *   else: target = just past the matching `end` (where the then-arm goes on);
 *        arity = the block's result count, height = the label's base.
 *   end: target = just past the end itself; arity = result count, height =
 *        the label's base (for the function's final end: 0). After `end` the
 *        stack is height + arity values.
 *   br, br_if, br_table labels: target = where the branch continues (just past
 *        the label's `end`, or the loop's first body instruction); arity = the
 *        number of values the branch carries (label result count, or param
 *        count for a loop); height = the label's base. A taken branch keeps
 *        the top `arity` values, drops everything down to `height`, pushes
 *        the kept values back and continues at target.
 *   return, return_call*: target = just past the function's final end, arity
 *        = the function's result count (for return_call*: the callee's
 *        parameter count), height = 0.
 * Offsets are byte offsets into WasmModule.bytes. */
typedef struct WasmCtlEntry {
  uint32_t pc;     /* offset of the instruction's opcode byte */
  uint16_t op;     /* WasmOp id */
  uint32_t target; /* see above */
  uint32_t arity;
  uint32_t arity_slots;
  uint32_t height;
  uint32_t height_slots;
  uint32_t count; /* br_table: number of label entries that follow; else 0 */
} WasmCtlEntry;

/* A function of the module's function index space. Imported functions come
 * first (imported = true, only type_index and import_index mean anything). */
typedef struct WasmFunc {
  uint32_t type_index;   /* into WasmModule.types */
  bool imported;
  uint32_t import_index; /* into WasmModule.imports, when imported */

  /* Defined functions: */
  uint32_t body_start;  /* offset in WasmModule.bytes of the code entry's body (local decls) */
  uint32_t code_start;  /* offset of the first instruction (after the local decls) */
  uint32_t code_end;    /* one past the final `end` opcode */
  uint32_t nlocals;     /* declared locals, parameters not included */
  const uint8_t *local_types; /* nlocals WasmValType bytes, expanded */
  uint32_t local_slots; /* declared locals' size in 8-byte slots (v128 = 2) */

  /* Filled by the validator: */
  WasmCtlEntry *ctl; /* side table, see WasmCtlEntry */
  uint32_t nctl;
  uint32_t max_height;       /* max operand stack height in values */
  uint32_t max_height_slots; /* ... in 8-byte slots */

  const char *name; /* from the custom `name` section, or NULL */
} WasmFunc;

typedef struct WasmTable {
  WasmTableType type;
  bool imported;
  uint32_t import_index;
  /* Wasm 3.0 table initializers are not supported; a table starts null-filled. */
} WasmTable;

typedef struct WasmMemory {
  WasmMemoryType type;
  bool imported;
  uint32_t import_index;
} WasmMemory;

typedef struct WasmGlobal {
  WasmGlobalType type;
  bool imported;
  uint32_t import_index;
  WasmConstExpr init; /* defined globals only */
} WasmGlobal;

typedef struct WasmExport {
  const char *name; /* UTF-8, NUL-terminated copy */
  uint32_t name_len;
  uint8_t kind;     /* WasmExternKind */
  uint32_t index;   /* into the kind's index space (funcs, tables, memories, globals) */
} WasmExport;

typedef enum WasmSegmentMode {
  WASM_SEG_ACTIVE,
  WASM_SEG_PASSIVE,
  WASM_SEG_DECLARATIVE, /* element segments only */
} WasmSegmentMode;

/* An element segment in any of the 8 binary forms: func indices are
 * turned into WASM_CONST_REF_FUNC items, so `items` is uniform. */
typedef struct WasmElemSegment {
  uint8_t mode;        /* WasmSegmentMode */
  uint8_t elem_type;   /* WASM_FUNCREF or WASM_EXTERNREF */
  uint32_t table_index; /* active only */
  WasmConstExpr offset; /* active only: i32 */
  uint32_t count;
  WasmConstExpr *items;
} WasmElemSegment;

typedef struct WasmDataSegment {
  uint8_t mode;          /* WASM_SEG_ACTIVE or WASM_SEG_PASSIVE */
  uint32_t memory_index; /* active only */
  WasmConstExpr offset;  /* active only: i32 */
  uint32_t data_start;   /* offset of the bytes in WasmModule.bytes */
  uint32_t data_len;
} WasmDataSegment;

typedef struct WasmCustomSection {
  const char *name;
  uint32_t name_len;
  uint32_t data_start; /* payload after the name, in WasmModule.bytes */
  uint32_t data_len;
} WasmCustomSection;

struct WasmArena;

/* The module: a GC_KIND_WASM_MODULE cell. It holds no heap references; its
 * finalizer (wasm_module_kind_ops) frees the arena with all the arrays. */
struct WasmModule {
  GCHeader h;
  struct WasmArena *arena;

  uint8_t *bytes; /* the module's own copy of the binary; offsets point here */
  size_t len;

  WasmFuncType *types;
  uint32_t ntypes;

  WasmImport *imports;
  uint32_t nimports;

  /* Index spaces, imports first. */
  WasmFunc *funcs;
  uint32_t nfuncs;
  uint32_t nfunc_imports;
  WasmTable *tables;
  uint32_t ntables;
  uint32_t ntable_imports;
  WasmMemory *memories;
  uint32_t nmemories;
  uint32_t nmemory_imports;
  WasmGlobal *globals;
  uint32_t nglobals;
  uint32_t nglobal_imports;

  WasmExport *exports;
  uint32_t nexports;

  bool has_start;
  uint32_t start; /* function index */

  WasmElemSegment *elems;
  uint32_t nelems;

  WasmDataSegment *datas;
  uint32_t ndatas;

  bool has_data_count;
  uint32_t data_count;

  uint32_t features; /* the WASM_FEATURE_* bits in force when it was decoded */

  WasmCustomSection *customs;
  uint32_t ncustoms;

  const char *module_name; /* from the `name` section, or NULL */
};

/* GC callbacks of GC_KIND_WASM_MODULE (installed by wasm_init_gc_kinds). */
extern const GCKindOps wasm_module_kind_ops;

/* The function's type. */
static inline const WasmFuncType *wasm_func_type_of(const WasmModule *m, uint32_t func) {
  return &m->types[m->funcs[func].type_index];
}

/* Finds a function's side-table entry for the instruction at `pc` (binary
 * search); NULL if there is none. */
const WasmCtlEntry *wasm_ctl_find(const WasmFunc *f, uint32_t pc);

/* Evaluates a constant expression. `globals` holds the values of the
 * instance's globals by global index (those the expression may read are
 * already set); `func_ref` returns the reference value of a function index.
 * Returns false only for a malformed expression (never after validation). */
typedef Value (*WasmFuncRefFn)(void *data, uint32_t func_index);
bool wasm_const_expr_eval(const WasmModule *m, const WasmConstExpr *e, const WasmVal *globals,
                          WasmFuncRefFn func_ref, void *data, WasmVal *out);

/* Internal: the arena every module array lives in. */
void *wasm_arena_alloc(struct WasmArena *a, size_t size);

/* Internal: validates a decoded module (validate.c). On failure throws a
 * CompileError "at offset N: reason" and returns false. */
bool wasm_validate_module(Runtime *rt, WasmModule *m);

#endif
