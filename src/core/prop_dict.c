/* prop_dict.c: the ordered hash table of dictionary-mode objects and sparse
 * elements (layout in prop_dict.h). Chained buckets with entry indices, so
 * deleting never breaks a probe sequence and order is kept for free. */
#include "core/prop_dict.h"

#include "core/atom.h"

static uint32_t key_hash(Value key) {
  if (val_is_number(key)) {
    uint64_t x = (uint64_t)pdict_key_index(key) * 0x9E3779B97F4A7C15ULL;
    return (uint32_t)(x >> 32);
  }
  return atom_hash(key);
}

static inline Value *bucket_ref(GCValueArray *d, uint32_t hash) {
  return &d->v[PDICT_HEADER + (hash & (pdict_buckets(d) - 1))];
}

static GCValueArray *alloc_table(Runtime *rt, uint32_t nb) {
  uint64_t cap = PDICT_HEADER + 5ULL * nb;
  if (cap > UINT32_MAX / 2) {
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  GCValueArray *d = gc_alloc_value_array(rt->heap, (uint32_t)cap);
  if (!d) {
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  d->v[0] = val_from_int(0);
  d->v[1] = val_from_int(0);
  d->v[2] = val_from_int((int32_t)nb);
  for (uint32_t i = 0; i < nb; i++) d->v[PDICT_HEADER + i] = val_from_int(-1);
  for (uint32_t i = PDICT_HEADER + nb; i < cap; i++) d->v[i] = VAL_UNDEFINED;
  return d;
}

GCValueArray *pdict_new(Runtime *rt, uint32_t n) {
  uint32_t nb = 8;
  while (nb < n) nb *= 2;
  return alloc_table(rt, nb);
}

int32_t pdict_find(const GCValueArray *d, Value key) {
  GCValueArray *m = (GCValueArray *)d;
  int32_t e = val_to_int(*bucket_ref(m, key_hash(key)));
  while (e >= 0) {
    uint32_t b = pdict_entry_base(d, (uint32_t)e);
    if (d->v[b] == key) return e;
    e = val_to_int(d->v[b + 3]);
  }
  return -1;
}

/* Appends without checking room. */
static uint32_t append(GCValueArray *d, Value key, Value v, uint8_t attrs) {
  uint32_t e = pdict_used(d);
  uint32_t b = pdict_entry_base(d, e);
  Value *head = bucket_ref(d, key_hash(key));
  d->v[b] = key;
  d->v[b + 1] = v;
  d->v[b + 2] = val_from_int(attrs);
  d->v[b + 3] = *head;
  *head = val_from_int((int32_t)e);
  d->v[0] = val_from_int((int32_t)e + 1);
  d->v[1] = val_from_int((int32_t)pdict_live(d) + 1);
  return e;
}

int32_t pdict_add(Runtime *rt, void *owner, GCValueArray **dp, Value key, Value v, uint8_t attrs) {
  GCValueArray *d = *dp;
  if (pdict_used(d) == pdict_buckets(d)) {
    uint32_t live = pdict_live(d), nb = 8;
    while (nb < live * 2 + 2) nb *= 2;
    GCValueArray *n = alloc_table(rt, nb);
    if (!n) return -1;
    for (uint32_t e = 0; e < pdict_used(d); e++) {
      Value k = pdict_key(d, e);
      if (k == VAL_HOLE) continue;
      append(n, k, *pdict_value_ref(d, e), pdict_attrs(d, e));
    }
    GC_WRITE_BARRIER(rt->heap, owner, n);
    *dp = d = n;
  }
  GC_WRITE_BARRIER(rt->heap, d, key);
  GC_WRITE_BARRIER(rt->heap, d, v);
  return (int32_t)append(d, key, v, attrs);
}

void pdict_remove(GCValueArray *d, uint32_t e) {
  uint32_t b = pdict_entry_base(d, e);
  Value *link = bucket_ref(d, key_hash(d->v[b]));
  while (val_to_int(*link) != (int32_t)e)
    link = &d->v[pdict_entry_base(d, (uint32_t)val_to_int(*link)) + 3];
  *link = d->v[b + 3];
  d->v[b] = VAL_HOLE;
  d->v[b + 1] = VAL_UNDEFINED;
  d->v[b + 2] = val_from_int(0);
  d->v[b + 3] = val_from_int(-1);
  d->v[1] = val_from_int((int32_t)pdict_live(d) - 1);
}
