/* symbol.c: symbol cells, the per-runtime well-known symbols and the
 * Symbol.for registry. The tables live inside the runtime's AtomTable
 * (atom_table.h), which roots them. */
#include "core/symbol.h"

#include <stdlib.h>
#include <string.h>

#include "core/atom_table.h"

static uint32_t next_symbol_hash(SymbolTable *t) {
  /* splitmix64 over a counter: distinct, well spread, and seeded per process
   * like string hashes. */
  uint64_t z = str_hash_seed() + (uint64_t)(++t->next_hash) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (uint32_t)(z ^ (z >> 31));
}

static Value make_symbol(Runtime *rt, Value description, uint8_t flags) {
  Symbol *s = gc_alloc(rt->heap, GC_KIND_SYMBOL, sizeof *s);
  if (!s) return rt_throw_out_of_memory(rt);
  s->h.flags = flags;
  s->h.aux = next_symbol_hash(&rt->atoms->symbols);
  s->description = description;
  GC_WRITE_BARRIER(rt->heap, s, description);
  return val_from_ptr(s);
}

Value sym_new(Runtime *rt, Value description) { return make_symbol(rt, description, 0); }

Value sym_new_private(Runtime *rt, Value description) {
  return make_symbol(rt, description, SYM_FLAG_PRIVATE);
}

Value sym_well_known(Runtime *rt, SymWellKnown id) { return rt->atoms->symbols.well_known[id]; }

bool sym_table_init(Runtime *rt) {
  static const char *const names[SYM_WELL_KNOWN_COUNT] = {
#define SYM_WK_NAME(name) "Symbol." #name,
      SYM_WELL_KNOWN_LIST(SYM_WK_NAME)
#undef SYM_WK_NAME
  };
  SymbolTable *t = &rt->atoms->symbols;
  for (int i = 0; i < SYM_WELL_KNOWN_COUNT; i++) {
    Value desc = atom_from_cstr(rt, names[i]);
    if (val_is_exception(desc)) return false;
    Value s = make_symbol(rt, desc, SYM_FLAG_WELL_KNOWN);
    if (val_is_exception(s)) return false;
    t->well_known[i] = s;
  }
  return true;
}

void sym_table_trace(Heap *heap, SymbolTable *t) {
  for (int i = 0; i < SYM_WELL_KNOWN_COUNT; i++) gc_mark_value(heap, t->well_known[i]);
  for (uint32_t i = 0; i < t->reg_capacity; i++) {
    gc_mark_value(heap, t->reg_keys[i]);
    gc_mark_value(heap, t->reg_syms[i]);
  }
}

void sym_table_free(SymbolTable *t) {
  free(t->reg_keys);
  free(t->reg_syms);
  t->reg_keys = t->reg_syms = NULL;
  t->reg_capacity = t->reg_count = 0;
}

/* Slot of key (an atom) in the registry: its entry or the empty slot where
 * it belongs. Keys are atoms, so identity decides. */
static uint32_t reg_find(const SymbolTable *t, Value key) {
  uint32_t mask = t->reg_capacity - 1;
  uint32_t i = atom_hash(key) & mask;
  while (t->reg_keys[i] && t->reg_keys[i] != key) i = (i + 1) & mask;
  return i;
}

static bool reg_grow(Runtime *rt, SymbolTable *t) {
  uint32_t cap = t->reg_capacity ? t->reg_capacity * 2 : 16;
  Value *keys = calloc(cap, sizeof *keys);
  Value *syms = calloc(cap, sizeof *syms);
  if (!keys || !syms) {
    free(keys);
    free(syms);
    rt_throw_out_of_memory(rt);
    return false;
  }
  SymbolTable old = *t;
  t->reg_keys = keys;
  t->reg_syms = syms;
  t->reg_capacity = cap;
  for (uint32_t i = 0; i < old.reg_capacity; i++) {
    if (!old.reg_keys[i]) continue;
    uint32_t j = reg_find(t, old.reg_keys[i]);
    t->reg_keys[j] = old.reg_keys[i];
    t->reg_syms[j] = old.reg_syms[i];
  }
  free(old.reg_keys);
  free(old.reg_syms);
  return true;
}

Value sym_for(Runtime *rt, Value key) {
  Atom k = atom_from_string(rt, key);
  if (val_is_exception(k)) return k;
  SymbolTable *t = &rt->atoms->symbols;
  if (t->reg_capacity) {
    uint32_t i = reg_find(t, k);
    if (t->reg_keys[i]) return t->reg_syms[i];
  }
  if ((t->reg_count + 1) * 4 > t->reg_capacity * 3 && !reg_grow(rt, t)) return VAL_EXCEPTION;
  Value s = make_symbol(rt, k, SYM_FLAG_REGISTERED);
  if (val_is_exception(s)) return s;
  uint32_t i = reg_find(t, k);
  t->reg_keys[i] = k;
  t->reg_syms[i] = s;
  t->reg_count++;
  return s;
}

Value sym_key_for(Runtime *rt, Value sym) {
  (void)rt;
  Symbol *s = sym_ptr(sym);
  return (s->h.flags & SYM_FLAG_REGISTERED) ? s->description : VAL_UNDEFINED;
}
