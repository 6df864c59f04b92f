/* gc_weak.c: unit tests of the weak structures: weak cells, ephemeron
 * tables (WeakMap semantics, the ephemeron fixpoint, cycles through
 * values) and finalization records. Objects whose death is checked are
 * created in helpers and observed through weak cells pinned by roots. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "gc/gc.h"

/* Zeroes 64 KiB below the stack pointer, so the conservative scan does
 * not find pointers that returned helpers left in dead frames (including
 * the padding of frames, which a C buffer cannot reach). Inline assembly:
 * no frame of its own, and ASan does not see the stores. */
static inline __attribute__((always_inline)) void clear_stack(void) {
#if defined(__x86_64__)
  __asm__ volatile("mov %%rsp, %%rdi\n\t"
                   "sub $65536, %%rdi\n\t"
                   "mov $65536, %%rcx\n\t"
                   "xor %%eax, %%eax\n\t"
                   "cld\n\t"
                   "rep stosb"
                   :
                   :
                   : "rdi", "rcx", "rax", "memory", "cc");
#else
  volatile char buf[64 * 1024];
  for (size_t i = 0; i < sizeof buf; i++) buf[i] = 0;
#endif
}

#define collect(h) (clear_stack(), gc_collect(h))

static Value pins[256];
static size_t npins;

/* Roots a value in a fresh slot; returns the slot. */
static Value *pin_value(Heap *h, Value v) {
  ck_assert_uint_lt(npins, 256);
  pins[npins] = v;
  gc_add_root(h, &pins[npins]);
  return &pins[npins++];
}

static void *pin(Heap *h, void *p) {
  pin_value(h, val_from_ptr(p));
  return p;
}

static Heap *new_heap(void) {
  npins = 0;
  Heap *h = gc_heap_new(NULL);
  ck_assert_ptr_nonnull(h);
  return h;
}

static Value new_obj(Heap *h, uint32_t slots) {
  GCValueArray *a = gc_alloc_value_array(h, slots);
  ck_assert_ptr_nonnull(a);
  return val_from_ptr(a);
}

static GCValueArray *arr(Value v) { return val_to_ptr(v); }

static bool alive(GCWeakCell *w) { return val_is_ptr(gc_weak_cell_get(w)); }

static GCWeakCell *watch(Heap *h, Value v) { return pin(h, gc_weak_cell_new(h, v)); }

/* Checks that read object pointers run in helpers, whose frames clear_stack
 * wipes; a copy left in a test's own frame would keep the object alive. */
static __attribute__((noinline)) bool weak_is(GCWeakCell *w, const Value *slot) {
  return gc_weak_cell_get(w) == *slot;
}


static __attribute__((noinline)) bool table_value_has_child(GCEphemeronTable *t, const Value *key) {
  Value v = VAL_UNDEFINED;
  return gc_ephemeron_get(t, *key, &v) && val_is_ptr(v) && val_is_ptr(arr(v)->v[0]);
}

/* --- weak cells ------------------------------------------------------------ */

static __attribute__((noinline)) GCWeakCell *watch_garbage(Heap *h) { return watch(h, new_obj(h, 2)); }

START_TEST(weak_cell_cleared_and_kept) {
  Heap *h = new_heap();
  Value *root = pin_value(h, new_obj(h, 1));
  GCWeakCell *kept = watch(h, *root);
  GCWeakCell *dead = watch_garbage(h);
  GCWeakCell *imm = watch(h, val_from_int(42)); /* not a pointer: never cleared */
  ck_assert(alive(dead));
  collect(h);
  ck_assert(alive(kept));
  ck_assert(weak_is(kept, root));
  ck_assert(val_is_undefined(gc_weak_cell_get(dead)));
  ck_assert_int_eq(val_to_int(gc_weak_cell_get(imm)), 42);
  *root = VAL_NULL;
  collect(h);
  ck_assert(!alive(kept));
  gc_heap_free(h);
}
END_TEST

/* A weak cell does not keep its target alive even when the target points
 * back at the cell. */
static __attribute__((noinline)) GCWeakCell *weak_cycle(Heap *h) {
  Value o = new_obj(h, 1);
  GCWeakCell *w = watch(h, o);
  arr(o)->v[0] = val_from_ptr(w);
  return w;
}

START_TEST(weak_cell_target_pointing_back) {
  Heap *h = new_heap();
  GCWeakCell *w = weak_cycle(h);
  collect(h);
  ck_assert(!alive(w));
  gc_heap_free(h);
}
END_TEST

/* --- ephemeron tables -------------------------------------------------------- */

START_TEST(ephemeron_map_operations) {
  Heap *h = new_heap();
  GCEphemeronTable *t = pin(h, gc_ephemeron_table_new(h));
  GCValueArray *keys = pin(h, arr(new_obj(h, 1000)));
  for (int i = 0; i < 1000; i++) {
    keys->v[i] = new_obj(h, 0);
    ck_assert(gc_ephemeron_set(h, t, keys->v[i], val_from_int(i)));
  }
  ck_assert_uint_eq(gc_ephemeron_count(t), 1000);
  for (int i = 0; i < 1000; i++) {
    Value v = VAL_UNDEFINED;
    ck_assert(gc_ephemeron_get(t, keys->v[i], &v));
    ck_assert_int_eq(val_to_int(v), i);
  }
  ck_assert(!gc_ephemeron_has(t, val_from_ptr(keys)));
  ck_assert(!gc_ephemeron_set(h, t, val_from_int(3), VAL_TRUE)); /* not an object */
  ck_assert(!gc_ephemeron_has(t, val_from_int(3)));
  /* Overwrite, delete, reinsert. */
  ck_assert(gc_ephemeron_set(h, t, keys->v[5], VAL_TRUE));
  ck_assert_uint_eq(gc_ephemeron_count(t), 1000);
  for (int i = 0; i < 1000; i += 2) ck_assert(gc_ephemeron_delete(t, keys->v[i]));
  ck_assert(!gc_ephemeron_delete(t, keys->v[0]));
  ck_assert_uint_eq(gc_ephemeron_count(t), 500);
  for (int i = 0; i < 1000; i++) ck_assert(gc_ephemeron_has(t, keys->v[i]) == (i % 2 == 1));
  Value v;
  ck_assert(gc_ephemeron_get(t, keys->v[5], &v));
  ck_assert_uint_eq(v, VAL_TRUE);
  for (int i = 0; i < 1000; i += 2) ck_assert(gc_ephemeron_set(h, t, keys->v[i], val_from_int(-i)));
  ck_assert_uint_eq(gc_ephemeron_count(t), 1000);
  /* All keys alive: a collection changes nothing. */
  collect(h);
  ck_assert_uint_eq(gc_ephemeron_count(t), 1000);
  ck_assert(gc_ephemeron_get(t, keys->v[10], &v));
  ck_assert_int_eq(val_to_int(v), -10);
  /* Many deletes and inserts do not grow the table without bound. */
  for (int round = 0; round < 50; round++)
    for (int i = 0; i < 1000; i++) {
      ck_assert(gc_ephemeron_delete(t, keys->v[i]));
      ck_assert(gc_ephemeron_set(h, t, keys->v[i], VAL_NULL));
    }
  GCStats st;
  gc_stats(h, &st, false);
  ck_assert_uint_lt(st.external_bytes, 1000 * 16 * 8);
  gc_heap_free(h);
}
END_TEST

/* The value is reachable only through the table. */
static __attribute__((noinline)) GCWeakCell *add_entry(Heap *h, GCEphemeronTable *t, Value key) {
  Value value = new_obj(h, 1);
  arr(value)->v[0] = new_obj(h, 0); /* something behind the value, too */
  ck_assert(gc_ephemeron_set(h, t, key, value));
  return watch(h, value);
}

START_TEST(ephemeron_value_lives_through_key) {
  Heap *h = new_heap();
  GCEphemeronTable *t = pin(h, gc_ephemeron_table_new(h));
  Value *key = pin_value(h, new_obj(h, 0));
  GCWeakCell *wv = add_entry(h, t, *key);
  collect(h);
  ck_assert(alive(wv));
  ck_assert_uint_eq(gc_ephemeron_count(t), 1);
  ck_assert(table_value_has_child(t, key));
  GCWeakCell *wk = watch(h, *key);
  *key = VAL_NULL;
  collect(h);
  ck_assert(!alive(wk));
  ck_assert(!alive(wv));
  ck_assert_uint_eq(gc_ephemeron_count(t), 0);
  gc_heap_free(h);
}
END_TEST

/* A table does not keep a key alive through the key's own value. */
static __attribute__((noinline)) void add_cycle(Heap *h, GCEphemeronTable *t, GCWeakCell **wk,
                                                GCWeakCell **wv) {
  Value key = new_obj(h, 1);
  Value value = new_obj(h, 1);
  arr(value)->v[0] = key;
  arr(key)->v[0] = val_from_ptr(t); /* and the key refers to its table */
  ck_assert(gc_ephemeron_set(h, t, key, value));
  *wk = watch(h, key);
  *wv = watch(h, value);
}

START_TEST(ephemeron_key_value_cycle_collected) {
  Heap *h = new_heap();
  GCEphemeronTable *t = pin(h, gc_ephemeron_table_new(h));
  GCWeakCell *wk, *wv;
  add_cycle(h, t, &wk, &wv);
  collect(h);
  ck_assert(!alive(wk));
  ck_assert(!alive(wv));
  ck_assert_uint_eq(gc_ephemeron_count(t), 0);
  gc_heap_free(h);
}
END_TEST

/* k0 -> v0 holds k1; k1 -> v1 holds k2; ... Only k0 is rooted: the fixpoint
 * must discover the whole chain, whichever order the entries are in. */
static __attribute__((noinline)) void add_chain(Heap *h, GCEphemeronTable *t, Value *root, int n,
                                                GCWeakCell **last) {
  Value key = new_obj(h, 0);
  *root = key;
  for (int i = 0; i < n; i++) {
    Value next = new_obj(h, 0);
    Value value = new_obj(h, 1);
    arr(value)->v[0] = next;
    ck_assert(gc_ephemeron_set(h, t, key, value));
    key = next;
  }
  *last = watch(h, key);
}

START_TEST(ephemeron_chain_fixpoint) {
  Heap *h = new_heap();
  GCEphemeronTable *t = pin(h, gc_ephemeron_table_new(h));
  GCEphemeronTable *t2 = pin(h, gc_ephemeron_table_new(h));
  Value *root = pin_value(h, VAL_NULL);
  Value *root2 = pin_value(h, VAL_NULL);
  GCWeakCell *last, *last2;
  add_chain(h, t, root, 200, &last);
  add_chain(h, t2, root2, 200, &last2);
  collect(h);
  ck_assert(alive(last));
  ck_assert_uint_eq(gc_ephemeron_count(t), 200);
  *root2 = VAL_NULL;
  collect(h);
  ck_assert(alive(last));
  ck_assert(!alive(last2));
  ck_assert_uint_eq(gc_ephemeron_count(t2), 0);
  ck_assert_uint_eq(gc_ephemeron_count(t), 200);
  gc_heap_free(h);
}
END_TEST

/* A dead table's slots are freed (LSan would report them otherwise). */
static __attribute__((noinline)) GCWeakCell *garbage_table(Heap *h, Value key) {
  GCEphemeronTable *t = gc_ephemeron_table_new(h);
  for (int i = 0; i < 100; i++) ck_assert(gc_ephemeron_set(h, t, new_obj(h, 0), key));
  ck_assert(gc_ephemeron_set(h, t, key, val_from_int(1)));
  return watch(h, val_from_ptr(t));
}

START_TEST(ephemeron_table_dies) {
  Heap *h = new_heap();
  Value *key = pin_value(h, new_obj(h, 0));
  GCWeakCell *w = garbage_table(h, *key);
  GCStats st;
  gc_stats(h, &st, false);
  ck_assert_uint_gt(st.external_bytes, 0);
  collect(h);
  ck_assert(!alive(w));
  collect(h); /* its block is swept (and the table finalized) by now */
  gc_stats(h, &st, false);
  ck_assert_uint_eq(st.external_bytes, 0);
  gc_heap_free(h);
}
END_TEST

/* --- finalization records ------------------------------------------------------ */

static __attribute__((noinline)) void register_garbage(Heap *h, Value registry, Value holdings, Value token) {
  ck_assert(gc_finalization_register(h, registry, new_obj(h, 0), holdings, token));
}

START_TEST(finalization_queued_for_dead_targets) {
  Heap *h = new_heap();
  Value *registry = pin_value(h, new_obj(h, 0));
  Value *live = pin_value(h, new_obj(h, 0));
  ck_assert(gc_finalization_register(h, *registry, *live, val_from_int(1), VAL_UNDEFINED));
  register_garbage(h, *registry, val_from_int(2), VAL_UNDEFINED);
  register_garbage(h, *registry, val_from_int(3), VAL_UNDEFINED);
  ck_assert(!gc_finalization_register(h, *registry, val_from_int(5), VAL_NULL, VAL_UNDEFINED));
  ck_assert_uint_eq(gc_finalization_ready_count(h), 0);
  collect(h);
  ck_assert_uint_eq(gc_finalization_ready_count(h), 2);
  GCFinalization f;
  int sum = 0;
  while (gc_finalization_take(h, &f)) {
    ck_assert_uint_eq(f.registry, *registry);
    sum += val_to_int(f.holdings);
  }
  ck_assert_int_eq(sum, 5);
  collect(h);
  ck_assert_uint_eq(gc_finalization_ready_count(h), 0);
  *live = VAL_NULL;
  collect(h);
  ck_assert_uint_eq(gc_finalization_ready_count(h), 1);
  Value holdings;
  ck_assert(!gc_finalization_take_for(h, *live, &holdings));
  ck_assert(gc_finalization_take_for(h, *registry, &holdings));
  ck_assert_int_eq(val_to_int(holdings), 1);
  ck_assert(!gc_finalization_take(h, &f));
  gc_heap_free(h);
}
END_TEST

/* Holdings live while the registry does; queued records keep them too. */
static __attribute__((noinline)) GCWeakCell *register_with_object_holdings(Heap *h, Value registry) {
  Value holdings = new_obj(h, 1);
  arr(holdings)->v[0] = new_obj(h, 0);
  Value *target = pin_value(h, new_obj(h, 0));
  ck_assert(gc_finalization_register(h, registry, *target, holdings, VAL_UNDEFINED));
  return watch(h, holdings);
}

START_TEST(finalization_holdings_kept) {
  Heap *h = new_heap();
  Value *registry = pin_value(h, new_obj(h, 0));
  GCWeakCell *wh = register_with_object_holdings(h, *registry);
  Value *target = &pins[npins - 2]; /* pinned by the helper, before the weak cell */
  collect(h);
  ck_assert(alive(wh));
  ck_assert_uint_eq(gc_finalization_ready_count(h), 0);
  *target = VAL_NULL;
  *registry = VAL_NULL; /* the queue holds the registry now */
  collect(h);
  ck_assert_uint_eq(gc_finalization_ready_count(h), 0); /* registry died first: dropped */
  ck_assert(!alive(wh));
  gc_heap_free(h);
}
END_TEST

static __attribute__((noinline)) bool take_matches(Heap *h, GCWeakCell *wr, GCWeakCell *wh) {
  GCFinalization f;
  bool ok = gc_finalization_take(h, &f) && f.holdings == gc_weak_cell_get(wh) &&
            f.registry == gc_weak_cell_get(wr);
  memset(&f, 0, sizeof f);
  return ok;
}

START_TEST(finalization_ready_queue_is_strong) {
  Heap *h = new_heap();
  Value *registry = pin_value(h, new_obj(h, 0));
  GCWeakCell *wh = register_with_object_holdings(h, *registry);
  Value *target = &pins[npins - 2];
  GCWeakCell *wr = watch(h, *registry);
  *target = VAL_NULL;
  collect(h);
  ck_assert_uint_eq(gc_finalization_ready_count(h), 1);
  *registry = VAL_NULL;
  collect(h);
  ck_assert(alive(wh));
  ck_assert(alive(wr));
  ck_assert(take_matches(h, wr, wh));
  collect(h);
  ck_assert(!alive(wh));
  ck_assert(!alive(wr));
  gc_heap_free(h);
}
END_TEST

START_TEST(finalization_dropped_with_registry) {
  Heap *h = new_heap();
  Value *registry = pin_value(h, new_obj(h, 0));
  Value *target = pin_value(h, new_obj(h, 0));
  ck_assert(gc_finalization_register(h, *registry, *target, VAL_TRUE, VAL_UNDEFINED));
  *registry = VAL_NULL;
  collect(h);
  *target = VAL_NULL;
  collect(h);
  ck_assert_uint_eq(gc_finalization_ready_count(h), 0);
  gc_heap_free(h);
}
END_TEST

START_TEST(finalization_unregister) {
  Heap *h = new_heap();
  Value *registry = pin_value(h, new_obj(h, 0));
  Value *other = pin_value(h, new_obj(h, 0));
  Value *token = pin_value(h, new_obj(h, 0));
  Value *t1 = pin_value(h, new_obj(h, 0));
  Value *t2 = pin_value(h, new_obj(h, 0));
  Value *t3 = pin_value(h, new_obj(h, 0));
  ck_assert(gc_finalization_register(h, *registry, *t1, val_from_int(1), *token));
  ck_assert(gc_finalization_register(h, *registry, *t2, val_from_int(2), *token));
  ck_assert(gc_finalization_register(h, *other, *t3, val_from_int(3), *token));
  ck_assert(gc_finalization_register(h, *registry, *t3, val_from_int(4), VAL_UNDEFINED));
  *t1 = VAL_NULL;
  collect(h); /* record 1 is queued: unregister removes it from the queue too */
  ck_assert_uint_eq(gc_finalization_ready_count(h), 1);
  ck_assert_uint_eq(gc_finalization_unregister(h, *registry, *token), 2);
  ck_assert_uint_eq(gc_finalization_unregister(h, *registry, *token), 0);
  ck_assert_uint_eq(gc_finalization_unregister(h, *registry, VAL_UNDEFINED), 0);
  ck_assert_uint_eq(gc_finalization_ready_count(h), 0);
  *t2 = *t3 = VAL_NULL;
  collect(h);
  ck_assert_uint_eq(gc_finalization_ready_count(h), 2);
  GCFinalization f;
  int sum = 0;
  while (gc_finalization_take(h, &f)) sum += val_to_int(f.holdings);
  ck_assert_int_eq(sum, 7);
  gc_heap_free(h);
}
END_TEST

/* A dead token no longer matches anything but does not drop the record. */
/* Takes slots, not values: a value loaded in the test body can linger in a
 * callee-saved register of the test's frame, which the scan must honour. */
static __attribute__((noinline)) void register_with_garbage_token(Heap *h, const Value *registry,
                                                                  const Value *target) {
  ck_assert(gc_finalization_register(h, *registry, *target, val_from_int(9), new_obj(h, 0)));
}

START_TEST(finalization_token_is_weak) {
  Heap *h = new_heap();
  Value *registry = pin_value(h, new_obj(h, 0));
  Value *target = pin_value(h, new_obj(h, 0));
  register_with_garbage_token(h, registry, target);
  collect(h);
  *target = VAL_NULL;
  collect(h);
  Value holdings;
  ck_assert(gc_finalization_take_for(h, *registry, &holdings));
  ck_assert_int_eq(val_to_int(holdings), 9);
  gc_heap_free(h);
}
END_TEST

int main(void) {
  /* These tests count collections and choose stress mode themselves. */
  unsetenv("TANDEM_GC_STRESS");
  Suite *s = suite_create("gc_weak");
  TCase *tc = tcase_create("weak");
  tcase_add_test(tc, weak_cell_cleared_and_kept);
  tcase_add_test(tc, weak_cell_target_pointing_back);
  tcase_add_test(tc, ephemeron_map_operations);
  tcase_add_test(tc, ephemeron_value_lives_through_key);
  tcase_add_test(tc, ephemeron_key_value_cycle_collected);
  tcase_add_test(tc, ephemeron_chain_fixpoint);
  tcase_add_test(tc, ephemeron_table_dies);
  tcase_add_test(tc, finalization_queued_for_dead_targets);
  tcase_add_test(tc, finalization_holdings_kept);
  tcase_add_test(tc, finalization_ready_queue_is_strong);
  tcase_add_test(tc, finalization_dropped_with_registry);
  tcase_add_test(tc, finalization_unregister);
  tcase_add_test(tc, finalization_token_is_weak);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
