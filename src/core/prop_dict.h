/* prop_dict.h: the insertion-ordered hash table behind dictionary-mode
 * objects (atom keys) and sparse elements (index keys). It lives in one
 * GCValueArray, so the collector traces it like any value array and it
 * counts against the heap limit. */
#ifndef TANDEM_CORE_PROP_DICT_H
#define TANDEM_CORE_PROP_DICT_H

#include <stdint.h>

#include "core/runtime.h"
#include "core/value.h"
#include "gc/gc.h"

/* Layout of the array:
 *   v[0] used entries (live + deleted), v[1] live entries, v[2] bucket count B
 *   v[3 .. 3+B)       bucket heads: entry index or -1
 *   v[3+B + 4e ..]    entry e: key, value, attrs, next-in-chain
 * Entries are appended in insertion order; deleting leaves a hole (key
 * VAL_HOLE) that the next resize squeezes out, so iteration by entry index
 * is creation order. Entry indices change only when an add resizes. */
#define PDICT_HEADER 3

static inline uint32_t pdict_used(const GCValueArray *d) { return (uint32_t)val_to_int(d->v[0]); }
static inline uint32_t pdict_live(const GCValueArray *d) { return (uint32_t)val_to_int(d->v[1]); }
static inline uint32_t pdict_buckets(const GCValueArray *d) {
  return (uint32_t)val_to_int(d->v[2]);
}
static inline uint32_t pdict_entry_base(const GCValueArray *d, uint32_t e) {
  return PDICT_HEADER + pdict_buckets(d) + 4 * e;
}
static inline Value pdict_key(const GCValueArray *d, uint32_t e) {
  return d->v[pdict_entry_base(d, e)];
}
static inline Value *pdict_value_ref(GCValueArray *d, uint32_t e) {
  return &d->v[pdict_entry_base(d, e) + 1];
}
static inline uint8_t pdict_attrs(const GCValueArray *d, uint32_t e) {
  return (uint8_t)val_to_int(d->v[pdict_entry_base(d, e) + 2]);
}
static inline void pdict_set_attrs(GCValueArray *d, uint32_t e, uint8_t attrs) {
  d->v[pdict_entry_base(d, e) + 2] = val_from_int(attrs);
}

/* Keys are atoms or array indices; an index key is its number Value. */
static inline Value pdict_index_key(uint32_t index) { return val_from_number((double)index); }
static inline uint32_t pdict_key_index(Value key) { return (uint32_t)val_number(key); }

/* A table with room for at least n entries; NULL with out of memory pending. */
GCValueArray *pdict_new(Runtime *rt, uint32_t n);
/* Entry index of key, or -1. */
int32_t pdict_find(const GCValueArray *d, Value key);
/* Appends an absent key. May move the table to a bigger array (*dp is
 * updated, and owner's barrier applied). Returns the entry index, or -1 with
 * out of memory pending and the table unchanged. */
int32_t pdict_add(Runtime *rt, void *owner, GCValueArray **dp, Value key, Value v, uint8_t attrs);
/* Removes entry e (its index is not reused until a resize). */
void pdict_remove(GCValueArray *d, uint32_t e);

#endif
