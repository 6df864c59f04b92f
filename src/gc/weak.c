/* weak.c: weak cells (WeakRef), ephemeron tables (WeakMap/WeakSet) and
 * finalization records (FinalizationRegistry), built on the collector's
 * weak phase: mark.c calls the fixpoint step until nothing new is marked,
 * then gc_weak_process clears what died. */
#include <stdlib.h>

#include "gc/gc_internal.h"

/* The current collection's number: lets a structure traced twice (after a
 * mark-stack overflow) join its seen-list only once. */
static uint64_t epoch(const Heap *h) { return (uint64_t)h->collections + 1; }

static bool value_dead(Heap *h, Value v) { return val_is_ptr(v) && !gc_is_marked(h, val_to_ptr(v)); }

/* --- weak cells ------------------------------------------------------------ */

struct GCWeakCell {
  GCHeader h;
  Value target;
  GCWeakCell *next_seen;
  uint64_t epoch;
};

GCWeakCell *gc_weak_cell_new(Heap *h, Value target) {
  GCWeakCell *c = gc_alloc(h, GC_KIND_WEAK_CELL, sizeof *c);
  if (c) c->target = target;
  return c;
}

Value gc_weak_cell_get(const GCWeakCell *c) { return c->target; }

void gc_weak_cell_trace(Heap *h, void *obj) {
  GCWeakCell *c = obj;
  if (c->epoch == epoch(h)) return;
  c->epoch = epoch(h);
  c->next_seen = h->seen_weak_cells;
  h->seen_weak_cells = c;
}

/* --- ephemeron tables ------------------------------------------------------ */

/* Open addressing with linear probing. A key of 0 marks an empty slot and
 * VAL_HOLE a deleted one; neither is a heap pointer. The slot array lives
 * outside the heap and is counted as external memory. */
typedef struct GCEphEntry {
  Value key, value;
} GCEphEntry;

struct GCEphemeronTable {
  GCHeader h;
  uint32_t count, deleted, cap;
  GCEphEntry *entries;
  GCEphemeronTable *next_seen;
  uint64_t epoch;
};

static size_t hash_key(Value k) {
  uint64_t x = (k >> 4) * 0x9E3779B97F4A7C15ULL;
  return (size_t)(x ^ (x >> 29));
}

GCEphemeronTable *gc_ephemeron_table_new(Heap *h) {
  return gc_alloc(h, GC_KIND_EPHEMERON_TABLE, sizeof(GCEphemeronTable));
}

static GCEphEntry *find_entry(const GCEphemeronTable *t, Value key) {
  if (!t->cap || !val_is_ptr(key)) return NULL;
  size_t mask = t->cap - 1;
  for (size_t i = hash_key(key) & mask;; i = (i + 1) & mask) {
    GCEphEntry *e = &t->entries[i];
    if (e->key == key) return e;
    if (e->key == 0) return NULL;
  }
}

bool gc_ephemeron_get(const GCEphemeronTable *t, Value key, Value *value_out) {
  GCEphEntry *e = find_entry(t, key);
  if (e && value_out) *value_out = e->value;
  return e != NULL;
}

bool gc_ephemeron_has(const GCEphemeronTable *t, Value key) { return find_entry(t, key) != NULL; }

size_t gc_ephemeron_count(const GCEphemeronTable *t) { return t->count; }

static void insert_fresh(GCEphEntry *entries, uint32_t cap, Value key, Value value) {
  size_t mask = cap - 1;
  size_t i = hash_key(key) & mask;
  while (val_is_ptr(entries[i].key)) i = (i + 1) & mask;
  entries[i] = (GCEphEntry){key, value};
}

static bool grow(Heap *h, GCEphemeronTable *t) {
  uint32_t cap = 8;
  while ((uint64_t)cap * 3 < ((uint64_t)t->count + 1) * 8) {
    if (cap >= (UINT32_MAX >> 1)) return false;
    cap *= 2;
  }
  GCEphEntry *fresh = calloc(cap, sizeof *fresh);
  if (!fresh) return false;
  for (uint32_t i = 0; i < t->cap; i++)
    if (val_is_ptr(t->entries[i].key)) insert_fresh(fresh, cap, t->entries[i].key, t->entries[i].value);
  free(t->entries);
  gc_external_sub(h, (size_t)t->cap * sizeof *fresh);
  gc_external_add(h, (size_t)cap * sizeof *fresh);
  t->entries = fresh;
  t->cap = cap;
  t->deleted = 0;
  return true;
}

bool gc_ephemeron_set(Heap *h, GCEphemeronTable *t, Value key, Value value) {
  if (!val_is_ptr(key)) return false;
  GCEphEntry *e = find_entry(t, key);
  if (e) {
    GC_WRITE_BARRIER(h, t, value);
    e->value = value;
    return true;
  }
  if (((uint64_t)t->count + t->deleted + 1) * 4 > (uint64_t)t->cap * 3 && !grow(h, t)) return false;
  size_t mask = t->cap - 1;
  size_t i = hash_key(key) & mask;
  while (val_is_ptr(t->entries[i].key)) i = (i + 1) & mask;
  if (t->entries[i].key == VAL_HOLE) t->deleted--;
  GC_WRITE_BARRIER(h, t, key);
  GC_WRITE_BARRIER(h, t, value);
  t->entries[i] = (GCEphEntry){key, value};
  t->count++;
  return true;
}

static void remove_entry(GCEphemeronTable *t, GCEphEntry *e) {
  e->key = VAL_HOLE;
  e->value = 0;
  t->count--;
  t->deleted++;
}

bool gc_ephemeron_delete(GCEphemeronTable *t, Value key) {
  GCEphEntry *e = find_entry(t, key);
  if (!e) return false;
  remove_entry(t, e);
  return true;
}

/* Marks the values whose keys are already known live; the rest wait for the
 * fixpoint. */
void gc_ephemeron_trace(Heap *h, void *obj) {
  GCEphemeronTable *t = obj;
  if (t->epoch != epoch(h)) {
    t->epoch = epoch(h);
    t->next_seen = h->seen_tables;
    h->seen_tables = t;
  }
  for (uint32_t i = 0; i < t->cap; i++) {
    GCEphEntry *e = &t->entries[i];
    if (val_is_ptr(e->key) && gc_is_marked(h, val_to_ptr(e->key))) gc_mark_value(h, e->value);
  }
}

void gc_ephemeron_finalize(Heap *h, void *obj) {
  GCEphemeronTable *t = obj;
  gc_external_sub(h, (size_t)t->cap * sizeof(GCEphEntry));
  free(t->entries);
  t->entries = NULL;
  t->cap = 0;
}

/* --- finalization records -------------------------------------------------- */

static bool list_push(GCFinList *l, GCFinRecord r) {
  if (l->count == l->cap) {
    if (l->head) { /* reuse the space taken items left at the front */
      memmove(l->items, l->items + l->head, (l->count - l->head) * sizeof *l->items);
      l->count -= l->head;
      l->head = 0;
    } else {
      size_t cap = l->cap ? l->cap * 2 : 16;
      GCFinRecord *items = realloc(l->items, cap * sizeof *items);
      if (!items) return false;
      l->items = items;
      l->cap = cap;
    }
  }
  l->items[l->count++] = r;
  return true;
}

bool gc_finalization_register(Heap *h, Value registry, Value target, Value holdings, Value token) {
  if (!val_is_ptr(target)) return false;
  GCFinRecord r = {val_to_ptr(target), registry, holdings, val_is_ptr(token) ? token : VAL_UNDEFINED};
  return list_push(&h->fin_registered, r);
}

static size_t remove_matching(GCFinList *l, Value registry, Value token) {
  size_t out = l->head, removed = 0;
  for (size_t i = l->head; i < l->count; i++) {
    GCFinRecord *r = &l->items[i];
    if (r->registry == registry && r->token == token) {
      removed++;
      continue;
    }
    l->items[out++] = *r;
  }
  l->count = out;
  return removed;
}

size_t gc_finalization_unregister(Heap *h, Value registry, Value token) {
  if (!val_is_ptr(token)) return 0;
  return remove_matching(&h->fin_registered, registry, token) + remove_matching(&h->fin_ready, registry, token);
}

bool gc_finalization_take(Heap *h, GCFinalization *out) {
  GCFinList *l = &h->fin_ready;
  if (l->head == l->count) return false;
  GCFinRecord *r = &l->items[l->head++];
  out->registry = r->registry;
  out->holdings = r->holdings;
  if (l->head == l->count) l->head = l->count = 0;
  return true;
}

bool gc_finalization_take_for(Heap *h, Value registry, Value *holdings_out) {
  GCFinList *l = &h->fin_ready;
  for (size_t i = l->head; i < l->count; i++) {
    if (l->items[i].registry != registry) continue;
    *holdings_out = l->items[i].holdings;
    memmove(&l->items[i], &l->items[i + 1], (l->count - i - 1) * sizeof *l->items);
    l->count--;
    if (l->head == l->count) l->head = l->count = 0;
    return true;
  }
  return false;
}

size_t gc_finalization_ready_count(const Heap *h) { return h->fin_ready.count - h->fin_ready.head; }

/* --- the collector's weak phase ------------------------------------------ */

/* Queued records are strong: their cleanup has not run yet. */
void gc_weak_trace_roots(Heap *h) {
  GCFinList *l = &h->fin_ready;
  for (size_t i = l->head; i < l->count; i++) {
    gc_mark_value(h, l->items[i].registry);
    gc_mark_value(h, l->items[i].holdings);
  }
}

/* One round of the ephemeron fixpoint; true if it marked anything. */
bool gc_weak_fixpoint_step(Heap *h) {
  bool changed = false;
  for (GCEphemeronTable *t = h->seen_tables; t; t = t->next_seen)
    for (uint32_t i = 0; i < t->cap; i++) {
      GCEphEntry *e = &t->entries[i];
      if (val_is_ptr(e->key) && gc_is_marked(h, val_to_ptr(e->key)) && value_dead(h, e->value)) {
        gc_mark_value(h, e->value);
        changed = true;
      }
    }
  /* Holdings live as long as their registry (a registry that is not a heap
   * object counts as immortal). */
  GCFinList *l = &h->fin_registered;
  for (size_t i = l->head; i < l->count; i++) {
    GCFinRecord *r = &l->items[i];
    if (!value_dead(h, r->registry) && value_dead(h, r->holdings)) {
      gc_mark_value(h, r->holdings);
      changed = true;
    }
  }
  return changed;
}

void gc_weak_process(Heap *h) {
  for (GCWeakCell *c = h->seen_weak_cells; c; c = c->next_seen)
    if (value_dead(h, c->target)) c->target = VAL_UNDEFINED;
  for (GCEphemeronTable *t = h->seen_tables; t; t = t->next_seen)
    for (uint32_t i = 0; i < t->cap; i++)
      if (value_dead(h, t->entries[i].key)) remove_entry(t, &t->entries[i]);

  GCFinList *l = &h->fin_registered;
  size_t out = l->head;
  for (size_t i = l->head; i < l->count; i++) {
    GCFinRecord r = l->items[i];
    if (value_dead(h, r.registry)) continue;
    if (value_dead(h, r.token)) r.token = VAL_UNDEFINED;
    if (r.target && !gc_is_marked(h, r.target)) r.target = NULL;
    /* A dead target whose record cannot be queued (no memory) stays here
     * with a NULL target and is queued by a later collection. */
    if (!r.target && list_push(&h->fin_ready, r)) continue;
    l->items[out++] = r;
  }
  l->count = out;
  /* The weak cells and tables were linked through themselves; forget them. */
  h->seen_weak_cells = NULL;
  h->seen_tables = NULL;
}

void gc_weak_free(Heap *h) {
  free(h->fin_registered.items);
  free(h->fin_ready.items);
}
