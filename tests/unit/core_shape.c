/* core_shape.c: unit tests of hidden classes: sharing by insertion order,
 * prototype in the shape, inline then out-of-line slots, the dictionary
 * threshold, branching property tables, weak transitions (dead shapes are
 * collected, live ones kept), the prototype epoch and the IC lookup. */
#include <stdio.h>
#include <stdlib.h>

#include "core/atom.h"
#include "core/object.h"
#include "core/runtime.h"
#include "core/string.h"
#include "test_runtime.h"
#include "test_util.h"

static void put(Object *o, const char *k, Value v) {
  ck_assert_int_eq(obj_define_value(rt, o, A(k), v, PROP_DEFAULT), OBJ_TRUE);
}

static Value get(Object *o, const char *k) {
  Value v;
  Object *ex = NULL;
  ck_assert_int_eq(obj_get(rt, o, A(k), &v, &ex), OBJ_TRUE);
  return v;
}

START_TEST(same_order_shares_shape) {
  Object *a = new_obj(VAL_NULL), *b = new_obj(VAL_NULL), *c = new_obj(VAL_NULL);
  ck_assert_ptr_eq(a->shape, b->shape); /* both empty: the root */
  put(a, "x", val_from_int(1));
  put(a, "y", val_from_int(2));
  put(b, "x", val_from_int(3));
  put(b, "y", val_from_int(4));
  put(c, "y", val_from_int(5));
  put(c, "x", val_from_int(6));
  ck_assert_ptr_eq(a->shape, b->shape);
  ck_assert_ptr_ne(a->shape, c->shape);
  ck_assert_uint_eq(shape_prop_count(a->shape), 2);
  ck_assert_int_eq(val_to_int(get(b, "x")), 3);
  ck_assert_int_eq(val_to_int(get(b, "y")), 4);
  ck_assert_int_eq(val_to_int(get(c, "x")), 6);
  /* Same keys, different attributes: a different transition. */
  Object *d = new_obj(VAL_NULL);
  ck_assert_int_eq(obj_define_value(rt, d, A("x"), val_from_int(1), PROP_WRITABLE), OBJ_TRUE);
  ck_assert_ptr_ne(d->shape, a->shape->parent);
}
END_TEST

START_TEST(prototype_lives_in_shape) {
  Object *p1 = new_obj(VAL_NULL), *p2 = new_obj(VAL_NULL);
  Object *a = new_obj(obj_value(p1)), *b = new_obj(obj_value(p2)), *c = new_obj(obj_value(p1));
  put(a, "x", VAL_TRUE);
  put(b, "x", VAL_TRUE);
  put(c, "x", VAL_TRUE);
  ck_assert_ptr_ne(a->shape, b->shape);
  ck_assert_ptr_eq(a->shape, c->shape);
  ck_assert(obj_proto(a) == obj_value(p1));
  ck_assert(obj_proto(b) == obj_value(p2));
  ck_assert(p1->h.flags & OBJ_F_IS_PROTO);
  /* Class and inline size are part of the root too. */
  Object *e = obj_new(rt, obj_value(p1), OBJ_CLASS_Error, 4);
  Object *f = obj_new(rt, obj_value(p1), OBJ_CLASS_Object, 8);
  ck_assert_ptr_ne(e->shape, new_obj(obj_value(p1))->shape);
  ck_assert_ptr_ne(f->shape, new_obj(obj_value(p1))->shape);
  ck_assert_ptr_eq(new_obj(obj_value(p1))->shape, new_obj(obj_value(p1))->shape);
}
END_TEST

START_TEST(out_of_line_then_dictionary) {
  Object *o = new_obj(VAL_NULL);
  char k[16];
  for (int i = 0; i < OBJ_DICT_THRESHOLD; i++) {
    snprintf(k, sizeof k, "p%d", i);
    put(o, k, val_from_int(i * 10));
    ck_assert(!obj_is_dict(o));
  }
  ck_assert_ptr_nonnull(o->slots);
  ck_assert_uint_ge(o->slots->h.aux, OBJ_DICT_THRESHOLD - 4);
  ck_assert_uint_eq(shape_prop_count(o->shape), OBJ_DICT_THRESHOLD);
  /* Inline slot 0 holds p0, out-of-line slot 0 holds p4. */
  ck_assert_int_eq(val_to_int(o->fields[0]), 0);
  ck_assert_int_eq(val_to_int(o->slots->v[0]), 40);
  for (int i = 0; i < OBJ_DICT_THRESHOLD; i++) {
    snprintf(k, sizeof k, "p%d", i);
    ck_assert_int_eq(val_to_int(get(o, k)), i * 10);
  }
  put(o, "one_more", VAL_TRUE);
  ck_assert(obj_is_dict(o));
  ck_assert(get(o, "one_more") == VAL_TRUE);
  for (int i = 0; i < OBJ_DICT_THRESHOLD; i++) {
    snprintf(k, sizeof k, "p%d", i);
    ck_assert_int_eq(val_to_int(get(o, k)), i * 10);
  }
  /* Creation order survives the switch. */
  uint32_t n;
  GCValueArray *keys = obj_own_keys(rt, o, OBJ_KEYS_ALL, &n);
  ck_assert_uint_eq(n, OBJ_DICT_THRESHOLD + 1);
  ck_assert(keys->v[0] == A("p0"));
  ck_assert(keys->v[OBJ_DICT_THRESHOLD - 1] == A("p63"));
  ck_assert(keys->v[OBJ_DICT_THRESHOLD] == A("one_more"));
}
END_TEST

START_TEST(branching_tables) {
  /* Two chains share a prefix; each sees only its own properties. */
  Object *a = new_obj(VAL_NULL), *b = new_obj(VAL_NULL);
  char k[16];
  for (int i = 0; i < 12; i++) {
    snprintf(k, sizeof k, "k%d", i);
    put(a, k, val_from_int(i));
    if (i < 10) put(b, k, val_from_int(100 + i));
  }
  put(b, "other", VAL_TRUE);
  PropertyDescriptor d;
  ck_assert_int_eq(obj_get_own_property(rt, b, A("k10"), &d), OBJ_FALSE);
  ck_assert_int_eq(obj_get_own_property(rt, a, A("other"), &d), OBJ_FALSE);
  ck_assert_int_eq(val_to_int(get(a, "k11")), 11);
  ck_assert_int_eq(val_to_int(get(b, "k9")), 109);
  ck_assert(get(b, "other") == VAL_TRUE);
  /* A third object following a's chain lands on a's shape. */
  Object *c = new_obj(VAL_NULL);
  for (int i = 0; i < 12; i++) {
    snprintf(k, sizeof k, "k%d", i);
    put(c, k, VAL_NULL);
  }
  ck_assert_ptr_eq(c->shape, a->shape);
  /* b branched off the middle of a's chain: its table is a copy. */
  ck_assert_ptr_ne(a->shape->table, b->shape->table);
  ck_assert_ptr_eq(a->shape->table, b->shape->parent->parent->table);
}
END_TEST

static size_t count_kind(GCKind kind) {
  GCStats st;
  gc_stats(rt->heap, &st, true);
  return st.kinds[kind].count;
}

/* Builds objects each with a property no other object has. Kept out of line
 * so its frames' pointers are gone when the caller collects. */
static __attribute__((noinline)) void make_garbage_shapes(Object *proto, int n) {
  char k[32];
  for (int i = 0; i < n; i++) {
    Object *o = new_obj(obj_value(proto));
    snprintf(k, sizeof k, "unique_%d", i);
    put(o, k, val_from_int(i));
    put(o, "second", val_from_int(i));
  }
}

static __attribute__((noinline)) void clobber_stack(void) {
  volatile char buf[8192];
  for (size_t i = 0; i < sizeof buf; i++) buf[i] = 0;
}

START_TEST(dead_shapes_are_collected) {
  Object *proto = new_obj(VAL_NULL);
  Object *live = new_obj(obj_value(proto));
  put(live, "kept", val_from_int(7));
  put(live, "also", val_from_int(8));
  Shape *live_shape = live->shape;
  gc_collect(rt->heap);
  size_t before = count_kind(GC_KIND_SHAPE);
  int n = (int)scale(200, 40);
  make_garbage_shapes(proto, n);
  /* (Under GC stress they die as fast as they are made.) */
  if (scale(1, 0)) ck_assert_uint_ge(count_kind(GC_KIND_SHAPE), before + 2 * (size_t)n - 2);
  /* Their malloc'd tables are reported to the heap. */
  GCStats st;
  gc_stats(rt->heap, &st, false);
  if (scale(1, 0)) ck_assert_uint_ge(st.external_bytes, (size_t)n * sizeof(PropTable));
  clobber_stack();
  gc_collect(rt->heap);
  size_t after = count_kind(GC_KIND_SHAPE);
  /* The conservative scan may keep a stray few. */
  ck_assert_uint_le(after, before + 4);
  /* The live object's chain is intact and still reached by transition. */
  ck_assert_ptr_eq(live->shape, live_shape);
  ck_assert_int_eq(val_to_int(get(live, "kept")), 7);
  Object *again = new_obj(obj_value(proto));
  put(again, "kept", VAL_NULL);
  put(again, "also", VAL_NULL);
  ck_assert_ptr_eq(again->shape, live_shape);
  /* New transitions after the purge work too. */
  make_garbage_shapes(proto, 5);
  Object *x = new_obj(obj_value(proto));
  put(x, "unique_3", VAL_TRUE);
  ck_assert(get(x, "unique_3") == VAL_TRUE);
}
END_TEST

static __attribute__((noinline)) void make_chain(Object *proto, int n) {
  Object *o = new_obj(obj_value(proto));
  char k[16];
  for (int i = 0; i < n; i++) {
    snprintf(k, sizeof k, "k%d", i);
    put(o, k, val_from_int(i));
  }
}

START_TEST(stale_table_entries) {
  /* A long chain dies; a branch off its middle survives; the chain is then
   * rebuilt (reusing the stale tail of the shared table) and another branch
   * is added where a stale entry names a different key. */
  Object *proto = new_obj(VAL_NULL);
  make_chain(proto, 12);
  Object *b = new_obj(obj_value(proto));
  char k[16];
  for (int i = 0; i < 6; i++) {
    snprintf(k, sizeof k, "k%d", i);
    put(b, k, val_from_int(100 + i));
  }
  put(b, "z", VAL_TRUE);
  clobber_stack();
  gc_collect(rt->heap);
  Object *c = new_obj(obj_value(proto));
  for (int i = 0; i < 12; i++) {
    snprintf(k, sizeof k, "k%d", i);
    put(c, k, val_from_int(200 + i));
  }
  Object *d = new_obj(obj_value(proto));
  for (int i = 0; i < 6; i++) {
    snprintf(k, sizeof k, "k%d", i);
    put(d, k, val_from_int(300 + i));
  }
  put(d, "q", VAL_FALSE);
  for (int i = 0; i < 12; i++) {
    snprintf(k, sizeof k, "k%d", i);
    ck_assert_int_eq(val_to_int(get(c, k)), 200 + i);
    PropertyDescriptor pd;
    ck_assert_int_eq(obj_get_own_property(rt, b, A(k), &pd), i < 6 ? OBJ_TRUE : OBJ_FALSE);
    ck_assert_int_eq(obj_get_own_property(rt, d, A(k), &pd), i < 6 ? OBJ_TRUE : OBJ_FALSE);
  }
  ck_assert(get(b, "z") == VAL_TRUE && get(d, "q") == VAL_FALSE);
  PropertyDescriptor pd;
  ck_assert_int_eq(obj_get_own_property(rt, c, A("z"), &pd), OBJ_FALSE);
  ck_assert_int_eq(obj_get_own_property(rt, c, A("q"), &pd), OBJ_FALSE);
  ck_assert_int_eq(obj_get_own_property(rt, d, A("z"), &pd), OBJ_FALSE);
  ck_assert_uint_eq(shape_prop_count(c->shape), 12);
}
END_TEST

START_TEST(proto_epoch_and_ic) {
  Object *proto = new_obj(VAL_NULL);
  put(proto, "method", val_from_int(42));
  Object *o = new_obj(obj_value(proto));
  put(o, "own", val_from_int(1));
  for (int i = 0; i < 6; i++) {
    char k[8];
    snprintf(k, sizeof k, "f%d", i);
    put(o, k, val_from_int(i));
  }
  ICInfo ic;
  obj_ic_lookup(rt, o, A("own"), &ic);
  ck_assert(ic.cacheable && ic.found && ic.holder == o && ic.shape == o->shape);
  ck_assert_int_eq(ic.loc, LOC_INLINE);
  ck_assert_int_eq(val_to_int(o->fields[ic.index]), 1);
  obj_ic_lookup(rt, o, A("f5"), &ic);
  ck_assert(ic.cacheable && ic.loc == LOC_SLOTS);
  ck_assert_int_eq(val_to_int(o->slots->v[ic.index]), 5);

  obj_ic_lookup(rt, o, A("method"), &ic);
  ck_assert(ic.cacheable && ic.found && ic.holder == proto);
  ck_assert_int_eq(val_to_int(proto->fields[ic.index]), 42);
  uint32_t e = ic.epoch;
  ck_assert_uint_eq(*obj_proto_epoch_ref(rt), e);
  /* Changing a non-prototype leaves the epoch alone. */
  put(o, "more", VAL_TRUE);
  ck_assert_uint_eq(obj_proto_epoch(rt), e);
  /* Changing the prototype's layout invalidates chain caches. */
  put(proto, "extra", VAL_TRUE);
  ck_assert_uint_ne(obj_proto_epoch(rt), e);
  e = obj_proto_epoch(rt);
  ck_assert_int_eq(obj_delete(rt, proto, A("extra")), OBJ_TRUE);
  ck_assert_uint_ne(obj_proto_epoch(rt), e);

  /* Absent keys are cacheable; dictionary receivers are not. */
  obj_ic_lookup(rt, o, A("nothing"), &ic);
  ck_assert(ic.cacheable && !ic.found);
  ck_assert(obj_to_dict(rt, o));
  obj_ic_lookup(rt, o, A("own"), &ic);
  ck_assert(!ic.cacheable && ic.found && ic.loc == LOC_DICT);
}
END_TEST

START_TEST(store_ic) {
  Object *proto = new_obj(VAL_NULL);
  Atom keys[7];
  char k[8];
  for (int i = 0; i < 7; i++) {
    snprintf(k, sizeof k, "s%d", i);
    keys[i] = A(k);
  }
  /* Record the add transitions on one object, replay them on another. */
  Object *a = new_obj(obj_value(proto)), *b = new_obj(obj_value(proto));
  ICStoreInfo ic[7];
  Value fn;
  Object *ex;
  for (int i = 0; i < 7; i++) {
    ck_assert_int_eq(obj_set_ic(rt, a, keys[i], val_from_int(i), &fn, &ex, &ic[i]), OBJ_TRUE);
    ck_assert(ic[i].cacheable && ic[i].add);
    ck_assert_int_eq(ic[i].loc, i < 4 ? LOC_INLINE : LOC_SLOTS);
  }
  for (int i = 0; i < 7; i++) {
    ck_assert(b->shape == ic[i].shape && obj_proto_epoch(rt) == ic[i].epoch);
    ck_assert_int_eq(obj_ic_add_store(rt, b, &ic[i], val_from_int(10 + i)), OBJ_TRUE);
  }
  ck_assert_ptr_eq(b->shape, a->shape);
  for (int i = 0; i < 7; i++) {
    snprintf(k, sizeof k, "s%d", i);
    ck_assert_int_eq(val_to_int(get(b, k)), 10 + i);
  }
  /* A replace store on the same shape writes the cached slot. */
  ICStoreInfo r;
  ck_assert_int_eq(obj_set_ic(rt, a, keys[5], val_from_int(55), &fn, &ex, &r), OBJ_TRUE);
  ck_assert(r.cacheable && !r.add && r.shape == a->shape && r.loc == LOC_SLOTS);
  ck_assert(b->shape == r.shape);
  b->slots->v[r.index] = val_from_int(77);
  ck_assert_int_eq(val_to_int(get(b, "s5")), 77);
  /* A setter appearing on the prototype changes the epoch, so the add
   * caches stop applying. */
  Object *setter = obj_new(rt, VAL_NULL, OBJ_CLASS_Function, 0);
  ck_assert_int_eq(
      obj_define_accessor(rt, proto, keys[0], VAL_UNDEFINED, obj_value(setter), PROP_CONFIGURABLE),
      OBJ_TRUE);
  ck_assert_uint_ne(obj_proto_epoch(rt), ic[0].epoch);
  Object *c = new_obj(obj_value(proto));
  ck_assert_int_eq(obj_set_ic(rt, c, keys[0], VAL_TRUE, &fn, &ex, &r), OBJ_CALL_ACCESSOR);
  ck_assert(!r.cacheable);
  /* Read-only properties are not cached for stores. */
  ck_assert_int_eq(obj_define_value(rt, c, keys[1], VAL_TRUE, PROP_ENUMERABLE), OBJ_TRUE);
  ck_assert_int_eq(obj_set_ic(rt, c, keys[1], VAL_FALSE, &fn, &ex, &r), OBJ_FALSE);
  ck_assert(!r.cacheable);
}
END_TEST

START_TEST(delete_last_steps_back) {
  Object *a = new_obj(VAL_NULL), *b = new_obj(VAL_NULL);
  put(a, "x", VAL_TRUE);
  put(a, "y", VAL_TRUE);
  put(b, "x", VAL_TRUE);
  ck_assert_int_eq(obj_delete(rt, a, A("y")), OBJ_TRUE);
  ck_assert(!obj_is_dict(a));
  ck_assert_ptr_eq(a->shape, b->shape);
  put(a, "y", val_from_int(3));
  ck_assert_int_eq(val_to_int(get(a, "y")), 3);
  /* Deleting a middle property goes to dictionary mode. */
  put(a, "z", VAL_TRUE);
  ck_assert_int_eq(obj_delete(rt, a, A("y")), OBJ_TRUE);
  ck_assert(obj_is_dict(a));
  ck_assert(get(a, "x") == VAL_TRUE && get(a, "z") == VAL_TRUE && get(a, "y") == VAL_UNDEFINED);
}
END_TEST

START_TEST(frozen_shapes_shared) {
  Object *a = new_obj(VAL_NULL), *b = new_obj(VAL_NULL);
  put(a, "x", VAL_TRUE);
  put(b, "x", VAL_FALSE);
  ck_assert_int_eq(obj_freeze(rt, a), OBJ_TRUE);
  ck_assert_int_eq(obj_freeze(rt, b), OBJ_TRUE);
  ck_assert(!obj_is_dict(a));
  ck_assert_ptr_eq(a->shape, b->shape);
  ck_assert(a->shape->h.flags & SHAPE_F_FROZEN);
  ck_assert(obj_is_frozen(rt, a));
}
END_TEST

static Suite *shape_suite(void) {
  Suite *s = suite_create("core_shape");
  TCase *tc = tcase_create("shapes");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, same_order_shares_shape);
  tcase_add_test(tc, prototype_lives_in_shape);
  tcase_add_test(tc, out_of_line_then_dictionary);
  tcase_add_test(tc, branching_tables);
  tcase_add_test(tc, dead_shapes_are_collected);
  tcase_add_test(tc, stale_table_entries);
  tcase_add_test(tc, proto_epoch_and_ic);
  tcase_add_test(tc, store_ic);
  tcase_add_test(tc, delete_last_steps_back);
  tcase_add_test(tc, frozen_shapes_shared);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return test_run_suite(shape_suite()); }
