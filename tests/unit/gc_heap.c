/* gc_heap.c: unit tests of the heap: allocation, reclamation, precise and
 * conservative roots, deep structures, the heap limit, stress mode,
 * finalizers and external memory. Liveness is observed through gc_stats
 * counts and weak cells, so the tests hold no raw pointers to the objects
 * whose death they check; clear_stack() wipes stale frames first. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>

#include "gc/gc.h"
#include "gc/gc_inline.h"
#include "gc/gc_internal.h" /* white-box: the mark-stack cap */

/* Overwrites dead stack frames below the caller, so the conservative scan
 * does not find pointers a returned helper left behind. */
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

/* Plain loops for per-byte checks: each ck_assert logs its location. */
static bool all_zero(const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i]) return false;
  return true;
}

static size_t count_kind(Heap *h, GCKind kind) {
  GCStats st;
  gc_stats(h, &st, true);
  return st.kinds[kind].count;
}

static size_t collections(Heap *h) {
  GCStats st;
  gc_stats(h, &st, false);
  return st.collections;
}

/* Precise roots for the objects a test observes through (weak cells): the
 * conservative scan alone would not be guaranteed to see them. */
static Value pins[64];
static size_t npins;

static void *pin(Heap *h, void *p) {
  ck_assert_uint_lt(npins, 64);
  pins[npins] = val_from_ptr(p);
  gc_add_root(h, &pins[npins++]);
  return p;
}

static Heap *new_heap(size_t max, unsigned stress) {
  npins = 0;
  HeapOptions o = {.max_heap_bytes = max, .stress_every = stress};
  Heap *h = gc_heap_new(&o);
  ck_assert_ptr_nonnull(h);
  return h;
}

/* An INTERNAL kind with one traced field and a finalizer counter. */
typedef struct TestNode {
  GCHeader h;
  Value next;
  uint64_t payload;
} TestNode;

static int finalized;

static void node_trace(Heap *h, void *obj) { gc_mark_value(h, ((TestNode *)obj)->next); }
static void node_finalize(Heap *h, void *obj) { finalized++; }

static void install_node_kind(void) {
  static const GCKindOps ops = {"test_node", node_trace, node_finalize};
  gc_set_kind_ops(GC_KIND_INTERNAL, &ops);
  finalized = 0;
}

static TestNode *new_node(Heap *h, Value next, uint64_t payload) {
  TestNode *n = gc_alloc(h, GC_KIND_INTERNAL, sizeof *n);
  ck_assert_ptr_nonnull(n);
  n->next = next;
  n->payload = payload;
  return n;
}

START_TEST(alloc_basics) {
  Heap *h = new_heap(0, 0);
  static const size_t sizes[] = {1, 8, 16, 24, 100, 1000, 4096, 8192, 8193, 100000, 3000000};
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
    unsigned char *p = gc_alloc(h, GC_KIND_BYTES, sizes[i]);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq((uintptr_t)p % 16, 0);
    ck_assert_uint_eq(((GCHeader *)p)->kind, GC_KIND_BYTES);
    ck_assert(all_zero(p + sizeof(GCHeader), sizes[i] > 8 ? sizes[i] - 8 : 0));
    if (sizes[i] > sizeof(GCHeader)) memset(p + sizeof(GCHeader), 0xAB, sizes[i] - sizeof(GCHeader));
    ck_assert_ptr_eq(gc_find_cell(h, p), p);
    ck_assert_ptr_eq(gc_find_cell(h, p + sizes[i] - 1), p);
  }
  int local;
  ck_assert_ptr_null(gc_find_cell(h, &local));
  ck_assert_ptr_null(gc_find_cell(h, NULL));
  ck_assert_ptr_null(gc_find_cell(h, (void *)(uintptr_t)0x1000));

  GCValueArray *a = gc_alloc_value_array(h, 10);
  ck_assert_ptr_nonnull(a);
  ck_assert_uint_eq(a->h.kind, GC_KIND_VALUE_ARRAY);
  ck_assert_uint_eq(a->h.aux, 10);
  for (int i = 0; i < 10; i++) ck_assert(!val_is_ptr(a->v[i]));
  ck_assert_str_eq(gc_kind_name(GC_KIND_VALUE_ARRAY), "value_array");
  ck_assert_str_eq(gc_kind_name(GC_KIND_OBJECT), "OBJECT");
  gc_heap_free(h);
}
END_TEST

/* A freed cell is reused and comes back zeroed. */
START_TEST(reuse_is_zeroed) {
  Heap *h = new_heap(0, 0);
  for (int round = 0; round < 3; round++) {
    for (int i = 0; i < 20000; i++) {
      unsigned char *p = gc_alloc(h, GC_KIND_BYTES, 48);
      if (!p || !all_zero(p + 8, 40)) ck_abort_msg("cell %d of round %d", i, round);
      memset(p + 8, 0xCD, 40);
    }
    collect(h);
  }
  gc_heap_free(h);
}
END_TEST

static __attribute__((noinline)) void make_cycles(Heap *h, int n) {
  for (int i = 0; i < n; i++) {
    GCValueArray *a = gc_alloc_value_array(h, 1);
    GCValueArray *b = gc_alloc_value_array(h, 1);
    a->v[0] = val_from_ptr(b);
    b->v[0] = val_from_ptr(a);
  }
}

START_TEST(unreachable_cycles_reclaimed) {
  Heap *h = new_heap(0, 0);
  make_cycles(h, 5000);
  ck_assert_uint_ge(count_kind(h, GC_KIND_VALUE_ARRAY), 10000);
  collect(h);
  ck_assert_uint_lt(count_kind(h, GC_KIND_VALUE_ARRAY), 10);
  GCStats st;
  gc_stats(h, &st, false);
  ck_assert_uint_lt(st.heap_bytes, 10 * 64);
  gc_heap_free(h);
}
END_TEST

static __attribute__((noinline)) GCValueArray *make_chain(Heap *h, int n) {
  GCValueArray *head = gc_alloc_value_array(h, 2);
  GCValueArray *cur = head;
  for (int i = 1; i < n; i++) {
    GCValueArray *next = gc_alloc_value_array(h, 2);
    next->v[1] = val_from_int(i);
    cur->v[0] = val_from_ptr(next);
    cur = next;
  }
  return head;
}

static int chain_length(GCValueArray *a) {
  int n = 0;
  for (; a; n++) {
    if (val_to_int(a->v[1]) != n) ck_abort_msg("node %d holds %d", n, val_to_int(a->v[1]));
    a = val_is_ptr(a->v[0]) ? val_to_ptr(a->v[0]) : NULL;
  }
  return n;
}

static __attribute__((noinline)) void churn(Heap *h, int n) {
  for (int i = 0; i < n; i++) {
    GCValueArray *a = gc_alloc_value_array(h, 2);
    a->v[1] = val_from_int(-1);
  }
}

START_TEST(conservative_stack_roots) {
  Heap *h = new_heap(0, 0);
  /* Only this frame knows the chains: one by its start, one by a pointer
   * into the middle of its head cell. */
  GCValueArray *volatile direct = make_chain(h, 100);
  char *volatile interior = (char *)make_chain(h, 50) + 20;
  make_cycles(h, 1000);
  collect(h);
  churn(h, 20000); /* a freed chain would now hold -1 payloads */
  collect(h);
  ck_assert_int_eq(chain_length(direct), 100);
  ck_assert_int_eq(chain_length((GCValueArray *)(interior - 20)), 50);
  ck_assert_uint_lt(count_kind(h, GC_KIND_VALUE_ARRAY), 150 + 20);
  ck_assert_ptr_eq(gc_find_cell(h, interior), interior - 20);
  gc_heap_free(h);
}
END_TEST

static __attribute__((noinline)) GCWeakCell *weak_to_new_chain(Heap *h, Value *root, int n) {
  GCValueArray *a = make_chain(h, n);
  if (root) *root = val_from_ptr(a);
  return pin(h, gc_weak_cell_new(h, val_from_ptr(a)));
}

START_TEST(registered_roots) {
  Heap *h = new_heap(0, 0);
  Value *slots = calloc(2, sizeof *slots); /* off-stack, invisible to the scanner */
  gc_add_root(h, &slots[0]);
  gc_add_root(h, &slots[1]);
  GCWeakCell *w0 = weak_to_new_chain(h, &slots[0], 10);
  GCWeakCell *w1 = weak_to_new_chain(h, &slots[1], 10);
  GCWeakCell *w2 = weak_to_new_chain(h, NULL, 10);
  collect(h);
  ck_assert(val_is_ptr(gc_weak_cell_get(w0)));
  ck_assert(val_is_ptr(gc_weak_cell_get(w1)));
  ck_assert(val_is_undefined(gc_weak_cell_get(w2)));
  ck_assert_int_eq(chain_length(val_to_ptr(slots[0])), 10);
  gc_remove_root(h, &slots[1]);
  collect(h);
  ck_assert(val_is_ptr(gc_weak_cell_get(w0)));
  ck_assert(val_is_undefined(gc_weak_cell_get(w1)));
  ck_assert_uint_eq(count_kind(h, GC_KIND_VALUE_ARRAY), 10);
  gc_remove_root(h, &slots[0]);
  free(slots);
  gc_heap_free(h);
}
END_TEST

static void tracer(Heap *h, void *data) { gc_mark_value(h, *(Value *)data); }

START_TEST(root_tracers) {
  Heap *h = new_heap(0, 0);
  Value *slot = calloc(1, sizeof *slot);
  gc_add_root_tracer(h, tracer, slot);
  GCWeakCell *w = weak_to_new_chain(h, slot, 5);
  collect(h);
  ck_assert(val_is_ptr(gc_weak_cell_get(w)));
  gc_remove_root_tracer(h, tracer, slot);
  collect(h);
  ck_assert(val_is_undefined(gc_weak_cell_get(w)));
  free(slot);
  gc_heap_free(h);
}
END_TEST

static __attribute__((noinline)) void build_list(Heap *h, Value *root, int n) {
  *root = VAL_NULL;
  for (int i = 0; i < n; i++) {
    GCValueArray *a = gc_alloc_value_array(h, 2);
    if (!a) ck_abort_msg("allocation %d failed", i);
    a->v[0] = *root;
    a->v[1] = val_from_int(i);
    *root = val_from_ptr(a);
  }
}

START_TEST(long_list_no_recursion) {
  Heap *h = new_heap(0, 0);
  Value *root = calloc(1, sizeof *root);
  gc_add_root(h, root);
  build_list(h, root, 1000000);
  collect(h);
  ck_assert_uint_eq(count_kind(h, GC_KIND_VALUE_ARRAY), 1000000);
  *root = VAL_NULL;
  collect(h);
  ck_assert_uint_lt(count_kind(h, GC_KIND_VALUE_ARRAY), 10);
  gc_remove_root(h, root);
  free(root);
  gc_heap_free(h);
}
END_TEST

START_TEST(custom_kind_trace_and_finalize) {
  install_node_kind();
  Heap *h = new_heap(0, 0);
  Value *root = calloc(1, sizeof *root);
  gc_add_root(h, root);
  *root = VAL_NULL;
  for (int i = 0; i < 1000; i++) *root = val_from_ptr(new_node(h, *root, (uint64_t)i));
  collect(h);
  ck_assert_uint_eq(count_kind(h, GC_KIND_INTERNAL), 1000);
  ck_assert_int_eq(finalized, 0);
  /* Keep the first 100 (the newest ones). */
  TestNode *n = val_to_ptr(*root);
  for (int i = 0; i < 99; i++) n = val_to_ptr(n->next);
  n->next = VAL_NULL;
  n = NULL;
  collect(h);
  ck_assert_uint_eq(count_kind(h, GC_KIND_INTERNAL), 100);
  /* Dead cells are finalized when their block is swept, at the latest by
   * the next collection. */
  collect(h);
  ck_assert_int_eq(finalized, 900);
  gc_remove_root(h, root);
  free(root);
  gc_heap_free(h);
  ck_assert_int_eq(finalized, 1000);
}
END_TEST

START_TEST(heap_free_runs_finalizers) {
  install_node_kind();
  Heap *h = new_heap(0, 0);
  for (int i = 0; i < 5000; i++) new_node(h, VAL_NULL, 0);
  GCEphemeronTable *t = gc_ephemeron_table_new(h); /* owns malloc'd slots */
  for (int i = 0; i < 100; i++) gc_ephemeron_set(h, t, val_from_ptr(new_node(h, VAL_NULL, 0)), VAL_TRUE);
  gc_heap_free(h);
  ck_assert_int_eq(finalized, 5100);
}
END_TEST

static __attribute__((noinline)) void fill_until_null(Heap *h, Value *root, size_t *count) {
  *count = 0;
  for (;;) {
    GCValueArray *a = gc_alloc_value_array(h, 6);
    if (!a) return;
    a->v[0] = *root;
    *root = val_from_ptr(a);
    ++*count;
  }
}

START_TEST(heap_limit) {
  Heap *h = new_heap(4u << 20, 0);
  Value *root = calloc(1, sizeof *root);
  *root = VAL_NULL;
  gc_add_root(h, root);
  size_t n;
  fill_until_null(h, root, &n);
  ck_assert_uint_gt(n, (3u << 20) / 64);
  ck_assert_uint_le(n, (4u << 20) / 64);
  ck_assert_ptr_null(gc_alloc(h, GC_KIND_BYTES, 64));
  ck_assert_ptr_null(gc_alloc(h, GC_KIND_BYTES, 100000)); /* large too */
  GCStats st;
  gc_stats(h, &st, false);
  ck_assert_uint_le(st.heap_bytes, 4u << 20);
  /* Drop everything: allocation works again, repeatedly. */
  *root = VAL_NULL;
  collect(h);
  for (int round = 0; round < 2; round++) {
    size_t m;
    fill_until_null(h, root, &m);
    ck_assert_uint_ge(m + 16, n);
    *root = VAL_NULL;
    clear_stack();
  }
  ck_assert_ptr_nonnull(gc_alloc(h, GC_KIND_BYTES, 100000));
  gc_remove_root(h, root);
  free(root);
  gc_heap_free(h);
}
END_TEST

START_TEST(large_objects_reclaimed) {
  Heap *h = new_heap(0, 0);
  GCStats st;
  gc_stats(h, &st, false);
  size_t base = st.reserved_bytes;
  Value *root = calloc(1, sizeof *root);
  gc_add_root(h, root);
  build_list(h, root, 0);
  GCValueArray *holder = gc_alloc_value_array(h, 50);
  *root = val_from_ptr(holder);
  for (int i = 0; i < 50; i++) holder->v[i] = val_from_ptr(gc_alloc(h, GC_KIND_BYTES, 1 << 20));
  holder = NULL;
  gc_stats(h, &st, false);
  ck_assert_uint_ge(st.reserved_bytes, base + (50u << 20));
  collect(h);
  ck_assert_uint_eq(count_kind(h, GC_KIND_BYTES), 50);
  *root = VAL_NULL;
  collect(h);
  gc_stats(h, &st, false);
  ck_assert_uint_lt(st.reserved_bytes, base + (4u << 20));
  ck_assert_uint_eq(count_kind(h, GC_KIND_BYTES), 0);
  gc_remove_root(h, root);
  free(root);
  gc_heap_free(h);
}
END_TEST

START_TEST(stress_mode) {
  Heap *h = new_heap(0, 10);
  Value *root = calloc(1, sizeof *root);
  gc_add_root(h, root);
  *root = val_from_ptr(make_chain(h, 100)); /* survives 10 collections on the way */
  ck_assert_uint_eq(collections(h), 10);
  ck_assert_int_eq(chain_length(val_to_ptr(*root)), 100);
  for (int i = 0; i < 50; i++) gc_alloc(h, GC_KIND_BYTES, 32);
  ck_assert_uint_eq(collections(h), 15);
  gc_remove_root(h, root);
  free(root);
  gc_heap_free(h);
}
END_TEST

START_TEST(stress_from_environment) {
  setenv("TANDEM_GC_STRESS", "3", 1);
  Heap *h = new_heap(0, 0);
  unsetenv("TANDEM_GC_STRESS");
  for (int i = 0; i < 30; i++) gc_alloc(h, GC_KIND_BYTES, 32);
  ck_assert_uint_eq(collections(h), 10);
  gc_heap_free(h);
}
END_TEST

START_TEST(external_memory_triggers) {
  Heap *h = new_heap(0, 0);
  gc_alloc(h, GC_KIND_BYTES, 32);
  ck_assert_uint_eq(collections(h), 0);
  gc_external_add(h, 64u << 20);
  gc_alloc(h, GC_KIND_BYTES, 32);
  ck_assert_uint_eq(collections(h), 1);
  GCStats st;
  gc_stats(h, &st, false);
  ck_assert_uint_eq(st.external_bytes, 64u << 20);
  gc_external_sub(h, 64u << 20);
  gc_stats(h, &st, false);
  ck_assert_uint_eq(st.external_bytes, 0);
  gc_heap_free(h);
}
END_TEST

START_TEST(allocation_trigger) {
  Heap *h = new_heap(0, 0);
  for (int i = 0; i < 1000000; i++) gc_alloc(h, GC_KIND_BYTES, 64); /* 64 MB of garbage */
  size_t c = collections(h);
  ck_assert_uint_ge(c, 4);
  ck_assert_uint_le(c, 9);
  GCStats st;
  gc_stats(h, &st, false);
  ck_assert_uint_lt(st.reserved_bytes, 24u << 20);
  gc_heap_free(h);
}
END_TEST

START_TEST(independent_heaps) {
  Heap *a = new_heap(0, 0), *b = new_heap(0, 0);
  make_cycles(a, 100);
  GCValueArray *volatile keep = make_chain(b, 10);
  collect(a);
  ck_assert_uint_lt(count_kind(a, GC_KIND_VALUE_ARRAY), 10);
  ck_assert_uint_eq(count_kind(b, GC_KIND_VALUE_ARRAY), 10);
  ck_assert_ptr_null(gc_find_cell(a, keep));
  ck_assert_ptr_eq(gc_find_cell(b, keep), keep);
  collect(b);
  ck_assert_int_eq(chain_length(keep), 10);
  gc_heap_free(a);
  gc_heap_free(b);
}
END_TEST

static int weak_cb_calls;
static GCWeakCell *weak_cb_cell;
static bool weak_cb_saw_dead;

static void weak_cb(Heap *h, void *data) {
  weak_cb_calls++;
  weak_cb_saw_dead = val_is_undefined(gc_weak_cell_get(weak_cb_cell));
}

START_TEST(weak_callbacks) {
  Heap *h = new_heap(0, 0);
  GCWeakCell *w = weak_to_new_chain(h, NULL, 3);
  weak_cb_cell = w;
  gc_add_weak_callback(h, weak_cb, NULL);
  collect(h);
  ck_assert_int_eq(weak_cb_calls, 1);
  ck_assert(weak_cb_saw_dead);
  gc_remove_weak_callback(h, weak_cb, NULL);
  collect(h);
  ck_assert_int_eq(weak_cb_calls, 1);
  gc_heap_free(h);
}
END_TEST

START_TEST(trace_output) {
  char buf[4096] = {0};
  FILE *tmp = tmpfile();
  ck_assert_ptr_nonnull(tmp);
  fflush(stderr);
  int saved = dup(fileno(stderr));
  dup2(fileno(tmp), fileno(stderr));
  HeapOptions o = {.trace = true};
  Heap *h = gc_heap_new(&o);
  gc_collect(h);
  gc_collect(h);
  gc_heap_free(h);
  fflush(stderr);
  dup2(saved, fileno(stderr));
  close(saved);
  rewind(tmp);
  size_t n = fread(buf, 1, sizeof buf - 1, tmp);
  fclose(tmp);
  ck_assert_uint_gt(n, 0);
  ck_assert_ptr_nonnull(strstr(buf, "[gc] #1 full: "));
  ck_assert_ptr_nonnull(strstr(buf, "[gc] #2 full: "));
  ck_assert_ptr_nonnull(strstr(buf, "reserved "));
  ck_assert_ptr_nonnull(strstr(buf, "ms\n"));
}
END_TEST

/* The inline fast path honours the trigger, the limit and stress mode. */
START_TEST(inline_fast_path) {
  Heap *h = new_heap(0, 4);
  for (int i = 0; i < 40; i++) ck_assert_ptr_nonnull(gc_alloc_inline(h, GC_KIND_BYTES, 40));
  ck_assert_uint_eq(collections(h), 10);
  gc_heap_free(h);
  h = new_heap(2u << 20, 0);
  Value *root = calloc(1, sizeof *root);
  gc_add_root(h, root);
  *root = VAL_NULL;
  size_t n = 0;
  for (;;) {
    GCValueArray *a = gc_alloc_value_array_inline(h, 2);
    if (!a) break;
    ck_assert_uint_eq(a->h.aux, 2);
    if (val_is_ptr(a->v[0]) || val_is_ptr(a->v[1])) ck_abort_msg("not zeroed");
    a->v[0] = *root;
    *root = val_from_ptr(a);
    n++;
  }
  ck_assert_uint_ge(n, (2u << 20) / 32 - 8);
  ck_assert_uint_le(n, (2u << 20) / 32);
  *root = VAL_NULL;
  clear_stack();
  /* 100 MB of garbage through a 2 MB heap: every allocation succeeds. */
  size_t failed = 0;
  for (int i = 0; i < 1000000; i++) failed += !gc_alloc_inline(h, GC_KIND_BYTES, 100);
  ck_assert_uint_eq(failed, 0);
  ck_assert_uint_ge(collections(h), 50);
  gc_remove_root(h, root);
  free(root);
  gc_heap_free(h);
}
END_TEST

/* When the mark stack cannot grow, marking still finds everything: a wide
 * object (more children than the stack holds) with a list behind each
 * child, plus garbage that must still be freed. */
static __attribute__((noinline)) void build_wide(Heap *h, Value *root, int width, int depth) {
  GCValueArray *wide = gc_alloc_value_array(h, (uint32_t)width);
  *root = val_from_ptr(wide);
  for (int i = 0; i < width; i++) {
    Value list = VAL_NULL;
    for (int k = 0; k < depth; k++) {
      GCValueArray *n = gc_alloc_value_array(h, 1);
      n->v[0] = list;
      list = val_from_ptr(n);
    }
    wide->v[i] = list;
  }
  make_cycles(h, 10000);
}

START_TEST(mark_stack_overflow) {
  Heap *h = new_heap(0, 0);
  h->stack_max = h->stack_cap; /* never grows */
  Value *root = calloc(1, sizeof *root);
  gc_add_root(h, root);
  build_wide(h, root, 20000, 5);
  collect(h);
  ck_assert_uint_eq(count_kind(h, GC_KIND_VALUE_ARRAY), 1 + 20000 * 5);
  GCValueArray *wide = val_to_ptr(*root);
  for (int i = 0; i < 20000; i++) {
    int len = 0;
    for (Value v = wide->v[i]; val_is_ptr(v); v = ((GCValueArray *)val_to_ptr(v))->v[0]) len++;
    if (len != 5) ck_abort_msg("list %d has %d nodes", i, len);
  }
  wide = NULL;
  *root = VAL_NULL;
  collect(h);
  ck_assert_uint_lt(count_kind(h, GC_KIND_VALUE_ARRAY), 10);
  gc_remove_root(h, root);
  free(root);
  gc_heap_free(h);
}
END_TEST

/* Two threads, each with its own heap, allocate and collect at the same
 * time; each thread's stack scan keeps its own locals. */
static void *thread_body(void *arg) {
  Heap *h = gc_heap_new(NULL);
  if (!h) return (void *)1;
  GCValueArray *volatile keep = make_chain(h, 1000);
  for (int round = 0; round < 20; round++) {
    churn(h, 20000);
    clear_stack();
    gc_collect(h);
  }
  intptr_t bad = 0;
  int n = 0;
  for (GCValueArray *a = keep; a; n++) {
    if (val_to_int(a->v[1]) != n) bad = 1;
    a = val_is_ptr(a->v[0]) ? val_to_ptr(a->v[0]) : NULL;
  }
  GCStats st;
  gc_stats(h, &st, false);
  if (n != 1000 || st.collections < 20) bad = 1;
  gc_heap_free(h);
  return (void *)bad;
}

START_TEST(heaps_in_threads) {
  pthread_t t[2];
  for (int i = 0; i < 2; i++) ck_assert_int_eq(pthread_create(&t[i], NULL, thread_body, NULL), 0);
  for (int i = 0; i < 2; i++) {
    void *ret;
    ck_assert_int_eq(pthread_join(t[i], &ret), 0);
    ck_assert_ptr_null(ret);
  }
}
END_TEST

int main(void) {
  /* These tests count collections and choose stress mode themselves. */
  unsetenv("TANDEM_GC_STRESS");
  Suite *s = suite_create("gc_heap");
  TCase *tc = tcase_create("heap");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, alloc_basics);
  tcase_add_test(tc, reuse_is_zeroed);
  tcase_add_test(tc, unreachable_cycles_reclaimed);
  tcase_add_test(tc, conservative_stack_roots);
  tcase_add_test(tc, registered_roots);
  tcase_add_test(tc, root_tracers);
  tcase_add_test(tc, long_list_no_recursion);
  tcase_add_test(tc, custom_kind_trace_and_finalize);
  tcase_add_test(tc, heap_free_runs_finalizers);
  tcase_add_test(tc, heap_limit);
  tcase_add_test(tc, large_objects_reclaimed);
  tcase_add_test(tc, stress_mode);
  tcase_add_test(tc, stress_from_environment);
  tcase_add_test(tc, external_memory_triggers);
  tcase_add_test(tc, allocation_trigger);
  tcase_add_test(tc, independent_heaps);
  tcase_add_test(tc, weak_callbacks);
  tcase_add_test(tc, trace_output);
  tcase_add_test(tc, inline_fast_path);
  tcase_add_test(tc, mark_stack_overflow);
  tcase_add_test(tc, heaps_in_threads);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
