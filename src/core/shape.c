/* shape.c: hidden classes, their shared property tables and the transition
 * tree. Transitions are held weakly (purged after marking) so shapes no
 * object uses any more are collected; see docs/objects.md for why. */
#include "core/shape.h"

#include <stdlib.h>
#include <string.h>

/* --- property tables --------------------------------------------------------- */

static size_t ptable_size(const PropTable *t) {
  return sizeof *t + sizeof *t->props * t->cap + sizeof *t->buckets * (t->mask + 1);
}

/* Keeps the heap's external-memory count in step with t's size. */
static void ptable_account(Heap *heap, PropTable *t) {
  size_t now = ptable_size(t);
  if (now > t->bytes)
    gc_external_add(heap, now - t->bytes);
  else
    gc_external_sub(heap, t->bytes - now);
  t->bytes = now;
}

static PropTable *ptable_new(uint32_t cap) {
  if (cap < 4) cap = 4;
  uint32_t nb = 8;
  while (nb < cap * 2) nb *= 2;
  PropTable *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->props = malloc(sizeof *t->props * cap);
  t->buckets = calloc(nb, sizeof *t->buckets);
  if (!t->props || !t->buckets) {
    free(t->props);
    free(t->buckets);
    free(t);
    return NULL;
  }
  t->refs = 0;
  t->cap = cap;
  t->mask = nb - 1;
  return t;
}

static void ptable_release(Heap *heap, PropTable *t) {
  if (t && --t->refs == 0) {
    gc_external_sub(heap, t->bytes);
    free(t->props);
    free(t->buckets);
    free(t);
  }
}

static void ptable_link(PropTable *t, uint32_t idx) {
  uint32_t i = t->props[idx].hash & t->mask;
  while (t->buckets[i] != 0) i = (i + 1) & t->mask;
  t->buckets[i] = idx + 1;
}

/* Makes room for one more entry (keeps the bucket load at most 1/2). */
static bool ptable_reserve(PropTable *t) {
  if (t->count < t->cap && (t->count + 1) * 2 <= t->mask + 1) return true;
  uint32_t cap = t->count < t->cap ? t->cap : t->cap * 2;
  ShapeProp *props = t->props;
  if (cap != t->cap) {
    props = realloc(t->props, sizeof *props * cap);
    if (!props) return false;
    t->props = props;
    t->cap = cap;
  }
  if ((t->count + 1) * 2 > t->mask + 1) {
    uint32_t nb = (t->mask + 1) * 2;
    uint32_t *b = calloc(nb, sizeof *b);
    if (!b) return false;
    free(t->buckets);
    t->buckets = b;
    t->mask = nb - 1;
    for (uint32_t i = 0; i < t->count; i++) ptable_link(t, i);
  }
  return true;
}

static void ptable_append(PropTable *t, Atom key, uint32_t hash, uint8_t attrs) {
  uint32_t idx = t->count++;
  t->props[idx] = (ShapeProp){.key = key, .hash = hash, .attrs = attrs};
  ptable_link(t, idx);
}

int32_t shape_find(const Shape *s, Atom key) {
  uint32_t n = shape_prop_count(s);
  if (n == 0) return -1;
  const PropTable *t = s->table;
  /* Short chains: a scan beats hashing (no atom_hash call). */
  if (n <= 8) {
    for (uint32_t i = 0; i < n; i++)
      if (t->props[i].key == key) return (int32_t)i;
    return -1;
  }
  uint32_t i = atom_hash(key) & t->mask;
  for (;;) {
    uint32_t b = t->buckets[i];
    if (b == 0) return -1;
    /* Entries past n belong to other branches (and may name dead atoms whose
     * address was reused): keep probing past them. */
    if (b - 1 < n && t->props[b - 1].key == key) return (int32_t)(b - 1);
    i = (i + 1) & t->mask;
  }
}

/* --- transitions ----------------------------------------------------------------- */

typedef struct TransEntry {
  Value key;
  Shape *child; /* NULL: empty */
  uint32_t hash;
  uint8_t attrs;
} TransEntry;

struct ShapeTransitions {
  uint32_t count, mask;
  TransEntry e[];
};

static uint32_t mix32(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return (uint32_t)x;
}

static uint32_t trans_hash(Value key, uint8_t attrs) {
  uint32_t h = val_is_int(key) ? mix32(key) : atom_hash(key);
  return h ^ (attrs * 0x9E3779B1u);
}

static Shape *trans_find(const ShapeTransitions *tr, Value key, uint32_t hash, uint8_t attrs) {
  if (!tr) return NULL;
  uint32_t i = hash & tr->mask;
  for (;;) {
    const TransEntry *e = &tr->e[i];
    if (!e->child) return NULL;
    if (e->key == key && e->attrs == attrs && e->hash == hash) return e->child;
    i = (i + 1) & tr->mask;
  }
}

static void trans_put(ShapeTransitions *tr, const TransEntry *src) {
  uint32_t i = src->hash & tr->mask;
  while (tr->e[i].child) i = (i + 1) & tr->mask;
  tr->e[i] = *src;
  tr->count++;
}

/* Knuth's deletion for linear probing: no tombstones, no allocation (this
 * runs inside the collector's weak phase). */
static void trans_delete(ShapeTransitions *tr, uint32_t i) {
  uint32_t j = i;
  for (;;) {
    j = (j + 1) & tr->mask;
    if (!tr->e[j].child) break;
    uint32_t k = tr->e[j].hash & tr->mask;
    bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
    if (stays) continue;
    tr->e[i] = tr->e[j];
    i = j;
  }
  tr->e[i].child = NULL;
  tr->count--;
}

static size_t trans_size(const ShapeTransitions *tr) {
  return sizeof *tr + sizeof(TransEntry) * (tr->mask + 1);
}

static ObjectRuntime *state(Runtime *rt) { return (ObjectRuntime *)rt->objects; }

/* Ensures s can take one more transition. */
static bool trans_reserve(Runtime *rt, Shape *s) {
  ShapeTransitions *tr = s->transitions;
  if (tr && (tr->count + 1) * 4 <= (tr->mask + 1) * 3) return true;
  uint32_t cap = tr ? (tr->mask + 1) * 2 : 4;
  ShapeTransitions *n = calloc(1, sizeof *n + sizeof(TransEntry) * cap);
  if (!n) return false;
  n->mask = cap - 1;
  if (tr) {
    for (uint32_t i = 0; i <= tr->mask; i++)
      if (tr->e[i].child) trans_put(n, &tr->e[i]);
  }
  if (!s->registered) {
    ObjectRuntime *st = state(rt);
    if (st->n_with_trans == st->cap_with_trans) {
      uint32_t c = st->cap_with_trans ? st->cap_with_trans * 2 : 64;
      Shape **v = realloc(st->with_trans, sizeof *v * c);
      if (!v) {
        free(n);
        return false;
      }
      st->with_trans = v;
      st->cap_with_trans = c;
    }
    st->with_trans[st->n_with_trans++] = s;
    s->registered = 1;
  }
  if (tr) gc_external_sub(rt->heap, trans_size(tr));
  free(tr);
  gc_external_add(rt->heap, trans_size(n));
  s->transitions = n;
  return true;
}

/* After marking: drop transitions to shapes that die in this cycle, and
 * forget dying shapes (their finalizer frees their tables at sweep). */
static void purge_transitions(Heap *heap, void *data) {
  ObjectRuntime *st = data;
  uint32_t w = 0;
  for (uint32_t r = 0; r < st->n_with_trans; r++) {
    Shape *s = st->with_trans[r];
    if (!gc_is_marked(heap, s)) {
      s->registered = 0;
      continue;
    }
    ShapeTransitions *tr = s->transitions;
    for (uint32_t i = 0; tr && i <= tr->mask;) {
      if (tr->e[i].child && !gc_is_marked(heap, tr->e[i].child))
        trans_delete(tr, i); /* may pull a later entry into i: look again */
      else
        i++;
    }
    /* Entries that wrapped around to slots before a deletion point were
     * already checked, so one pass suffices. */
    if (!tr || tr->count == 0) {
      if (tr) gc_external_sub(heap, trans_size(tr));
      free(tr);
      s->transitions = NULL;
      s->registered = 0;
      continue;
    }
    st->with_trans[w++] = s;
  }
  st->n_with_trans = w;
}

/* --- GC kind -------------------------------------------------------------------- */

static void shape_trace(Heap *heap, void *p) {
  Shape *s = p;
  gc_mark_value(heap, s->proto);
  gc_mark_value(heap, s->key);
  if (s->parent) gc_mark_ptr(heap, s->parent);
  if (s->dict_shape) gc_mark_ptr(heap, s->dict_shape);
  if (s->next_root) gc_mark_ptr(heap, s->next_root);
}

static void shape_finalize(Heap *heap, void *p) {
  Shape *s = p;
  ptable_release(heap, s->table);
  s->table = NULL;
  if (s->transitions) gc_external_sub(heap, trans_size(s->transitions));
  free(s->transitions);
  s->transitions = NULL;
}

static const GCKindOps shape_ops = {"shape", shape_trace, shape_finalize};

void shape_init_gc_kind(void) { gc_set_kind_ops(GC_KIND_SHAPE, &shape_ops); }

static void trace_null_roots(Heap *heap, void *data) {
  ObjectRuntime *st = data;
  if (st->null_roots) gc_mark_ptr(heap, st->null_roots);
}

bool shape_runtime_init(Runtime *rt) {
  if (rt->objects) return true;
  shape_init_gc_kind();
  ObjectRuntime *st = calloc(1, sizeof *st);
  if (!st) {
    rt_throw_out_of_memory(rt);
    return false;
  }
  rt->objects = st;
  gc_add_root_tracer(rt->heap, trace_null_roots, st);
  gc_add_weak_callback(rt->heap, purge_transitions, st);
  return true;
}

void obj_runtime_free(Runtime *rt) {
  ObjectRuntime *st = state(rt);
  if (!st) return;
  free(st->with_trans);
  free(st);
  rt->objects = NULL;
}

/* --- shapes ------------------------------------------------------------------------ */

static Shape *alloc_shape(Runtime *rt) {
  Shape *s = gc_alloc(rt->heap, GC_KIND_SHAPE, sizeof(Shape));
  if (!s) {
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  s->proto = VAL_NULL;
  s->key = VAL_HOLE;
  state(rt)->shapes_created++;
  return s;
}

Shape *shape_root(Runtime *rt, Value proto, Shape **roots, unsigned cls, uint8_t n_internal,
                  uint8_t n_inline) {
  if (!shape_runtime_init(rt)) return NULL;
  if (!roots) roots = &state(rt)->null_roots;
  for (Shape *r = *roots; r; r = r->next_root)
    if (r->h.bits == cls && r->n_internal == n_internal && r->n_inline == n_inline) return r;
  Shape *r = alloc_shape(rt);
  if (!r) return NULL;
  r->h.flags = SHAPE_F_ROOT;
  r->h.bits = (uint16_t)cls;
  r->proto = proto;
  r->n_internal = n_internal;
  r->n_inline = n_inline;
  r->next_root = *roots;
  /* The list head lives in the prototype object (or the runtime); the caller's
   * barrier covers that store. */
  *roots = r;
  return r;
}

static Shape *root_of(Shape *s) {
  while (!(s->h.flags & SHAPE_F_ROOT)) s = s->parent;
  return s;
}

Shape *shape_dict_for(Runtime *rt, Shape *s) {
  if (shape_is_dict(s)) return s;
  Shape *root = root_of(s);
  if (root->dict_shape) return root->dict_shape;
  Shape *d = alloc_shape(rt);
  if (!d) return NULL;
  d->h.flags = SHAPE_F_DICT;
  d->h.bits = root->h.bits;
  d->proto = root->proto;
  d->parent = root;
  d->n_internal = root->n_internal;
  d->n_inline = root->n_inline;
  GC_WRITE_BARRIER(rt->heap, root, d);
  root->dict_shape = d;
  return d;
}

/* A child of s with the same fields; the caller sets key/table/count/flags. */
static Shape *new_child(Runtime *rt, Shape *s) {
  Shape *c = alloc_shape(rt);
  if (!c) return NULL;
  c->h.bits = s->h.bits;
  c->h.flags = s->h.flags & (uint8_t)~SHAPE_F_ROOT;
  c->proto = s->proto;
  c->parent = s;
  c->n_internal = s->n_internal;
  c->n_inline = s->n_inline;
  return c;
}

Shape *shape_add(Runtime *rt, Shape *s, Atom key, uint8_t attrs) {
  uint32_t th = trans_hash(key, attrs);
  Shape *c = trans_find(s->transitions, key, th, attrs);
  if (c) return c;
  /* Heap allocation first: a collection in it may purge s->transitions, so
   * the (malloc-only) reservation below must come after it. */
  c = new_child(rt, s);
  if (!c) return NULL;
  uint32_t n = shape_prop_count(s);
  uint32_t h = atom_hash(key);
  PropTable *t = s->table;
  if (t && t->count > n && t->props[n].key == key && t->props[n].hash == h &&
      t->props[n].attrs == attrs) {
    /* A collected sibling left exactly this entry behind: reuse it. */
  } else if (t && t->count == n) {
    if (!ptable_reserve(t)) goto oom;
    ptable_append(t, key, h, attrs);
    ptable_account(rt->heap, t);
  } else {
    /* Branching off the middle of a chain: copy the prefix. */
    PropTable *nt = ptable_new(n + 4);
    if (!nt) goto oom;
    for (uint32_t i = 0; i < n; i++) {
      nt->props[i] = t->props[i];
      nt->count++;
      ptable_link(nt, i);
    }
    ptable_append(nt, key, h, attrs);
    if (!trans_reserve(rt, s)) {
      nt->refs = 1;
      ptable_release(rt->heap, nt);
      goto oom;
    }
    ptable_account(rt->heap, nt);
    t = nt;
  }
  if (t == s->table && !trans_reserve(rt, s)) goto oom; /* a stale tail entry is harmless */
  t->refs++;
  c->table = t;
  c->key = key;
  c->attrs = attrs;
  c->h.aux = n + 1;
  TransEntry e = {.key = key, .child = c, .hash = th, .attrs = attrs};
  trans_put(s->transitions, &e);
  return c;
oom:
  rt_throw_out_of_memory(rt);
  return NULL; /* c is unreachable and will be collected */
}

Shape *shape_with_flag(Runtime *rt, Shape *s, unsigned flag) {
  if (flag & (SHAPE_F_SEALED | SHAPE_F_FROZEN)) flag |= SHAPE_F_NONEXT;
  if ((s->h.flags & flag) == flag) return s;
  Value key = val_from_int(-(int32_t)flag);
  uint32_t th = trans_hash(key, 0);
  Shape *c = trans_find(s->transitions, key, th, 0);
  if (c) return c;
  c = new_child(rt, s); /* before the reservation: see shape_add */
  if (!c) return NULL;
  if (!trans_reserve(rt, s)) {
    rt_throw_out_of_memory(rt);
    return NULL;
  }
  c->h.flags |= (uint8_t)flag;
  c->h.aux = s->h.aux;
  c->key = key;
  c->table = s->table;
  if (c->table) c->table->refs++;
  TransEntry e = {.key = key, .child = c, .hash = th, .attrs = 0};
  trans_put(s->transitions, &e);
  return c;
}
