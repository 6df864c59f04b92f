/* atom_table.h (internal to src/core): the per-runtime tables behind atoms,
 * shared strings and symbols. Only atom.c, string.c and symbol.c look inside;
 * everyone else goes through atom.h, string.h and symbol.h. */
#ifndef TANDEM_CORE_ATOM_TABLE_H
#define TANDEM_CORE_ATOM_TABLE_H

#include "core/atom.h"
#include "core/string.h"
#include "core/symbol.h"

typedef struct SymbolTable {
  Value well_known[SYM_WELL_KNOWN_COUNT];
  /* Symbol.for registry: open addressing keyed by the key atom's identity.
   * Registered symbols are strong roots: Symbol.for must keep returning the
   * same symbol for a key. */
  Value *reg_keys;
  Value *reg_syms;
  uint32_t reg_capacity;
  uint32_t reg_count;
  uint32_t next_hash; /* sequence behind symbol hashes */
} SymbolTable;

struct AtomTable {
  /* Open-addressing set of interned strings, held weakly: a weak callback
   * turns entries whose string died into tombstones. */
  String **slots;
  uint32_t capacity; /* a power of two (or 0) */
  uint32_t count;    /* live entries */
  uint32_t tombstones;
  Value well_known[ATOM_COUNT]; /* permanent roots */
  Value single[256];            /* one-unit Latin-1 strings, made on first use; roots */
  SymbolTable symbols;
};

/* symbol.c: creation of the well-known symbols, tracing and release. */
bool sym_table_init(Runtime *rt);
void sym_table_trace(Heap *heap, SymbolTable *t);
void sym_table_free(SymbolTable *t);

/* string.c: process-wide hash seed mixed into string and symbol hashes. */
uint64_t str_hash_seed(void);

#endif
