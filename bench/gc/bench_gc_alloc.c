/* bench_gc_alloc.c: binary trees (many short-lived trees plus one long-lived
 * tree) allocated in the tandem heap, then the same workload with
 * malloc/free, in one run. Prints time, allocation throughput, collections,
 * pause percentiles and a checksum (equal for both runs).
 * Usage: bench_gc_alloc [max_depth=18] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gc/gc.h"
#include "gc/gc_inline.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --- the heap version: a node is a value array of two children ----------- */

static size_t gc_nodes;

static GCValueArray *gc_tree(Heap *h, int depth) {
  GCValueArray *n = gc_alloc_value_array_inline(h, 2);
  if (!n) {
    fprintf(stderr, "out of memory\n");
    exit(1);
  }
  gc_nodes++;
  if (depth > 0) {
    /* n lives in this frame: the conservative scan keeps it during the calls. */
    GCValueArray *l = gc_tree(h, depth - 1);
    GC_WRITE_BARRIER(h, n, val_from_ptr(l));
    n->v[0] = val_from_ptr(l);
    GCValueArray *r = gc_tree(h, depth - 1);
    GC_WRITE_BARRIER(h, n, val_from_ptr(r));
    n->v[1] = val_from_ptr(r);
  }
  return n;
}

static long gc_check(GCValueArray *n) {
  if (!val_is_ptr(n->v[0])) return 1;
  return 1 + gc_check(val_to_ptr(n->v[0])) + gc_check(val_to_ptr(n->v[1]));
}

typedef struct Pauses {
  double *ms;
  size_t n, cap;
} Pauses;

static void on_collect(Heap *h, double pause_ms, void *data) {
  Pauses *p = data;
  if (p->n == p->cap) {
    p->cap = p->cap ? p->cap * 2 : 64;
    p->ms = realloc(p->ms, p->cap * sizeof *p->ms);
    if (!p->ms) exit(1);
  }
  p->ms[p->n++] = pause_ms;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static long run_gc(int max_depth, Pauses *pauses, GCStats *st) {
  Heap *h = gc_heap_new(NULL);
  gc_set_collect_hook(h, on_collect, pauses);
  long sum = gc_check(gc_tree(h, max_depth + 1)); /* stretch tree */
  Value long_lived = val_from_ptr(gc_tree(h, max_depth));
  gc_add_root(h, &long_lived);
  for (int d = 4; d <= max_depth; d += 2) {
    long iters = 1L << (max_depth - d + 4);
    for (long i = 0; i < iters; i++) sum += gc_check(gc_tree(h, d));
  }
  sum += gc_check(val_to_ptr(long_lived));
  gc_remove_root(h, &long_lived);
  gc_stats(h, st, false);
  gc_heap_free(h);
  return sum;
}

/* --- the malloc version -------------------------------------------------- */

typedef struct MNode {
  struct MNode *l, *r;
} MNode;

static MNode *m_tree(int depth) {
  MNode *n = malloc(sizeof *n);
  if (!n) exit(1);
  n->l = n->r = NULL;
  if (depth > 0) {
    n->l = m_tree(depth - 1);
    n->r = m_tree(depth - 1);
  }
  return n;
}

static long m_check(const MNode *n) { return n->l ? 1 + m_check(n->l) + m_check(n->r) : 1; }

static void m_free(MNode *n) {
  if (n->l) {
    m_free(n->l);
    m_free(n->r);
  }
  free(n);
}

static long m_run_one(int depth) {
  MNode *t = m_tree(depth);
  long c = m_check(t);
  m_free(t);
  return c;
}

static long run_malloc(int max_depth) {
  long sum = m_run_one(max_depth + 1);
  MNode *long_lived = m_tree(max_depth);
  for (int d = 4; d <= max_depth; d += 2) {
    long iters = 1L << (max_depth - d + 4);
    for (long i = 0; i < iters; i++) sum += m_run_one(d);
  }
  sum += m_check(long_lived);
  m_free(long_lived);
  return sum;
}

int main(int argc, char **argv) {
  int max_depth = argc > 1 ? atoi(argv[1]) : 18;
  if (max_depth < 6 || max_depth > 24) max_depth = 18;

  Pauses pauses = {0};
  GCStats st;
  double t0 = now_s();
  long gc_sum = run_gc(max_depth, &pauses, &st);
  double gc_time = now_s() - t0;

  t0 = now_s();
  long m_sum = run_malloc(max_depth);
  double m_time = now_s() - t0;

  size_t nodes = gc_nodes;
  double median = 0, p99 = 0;
  if (pauses.n) {
    qsort(pauses.ms, pauses.n, sizeof *pauses.ms, cmp_double);
    median = pauses.ms[pauses.n / 2];
    p99 = pauses.ms[(pauses.n * 99) / 100];
  }
  /* A 2-slot value array is a 24-byte cell rounded to 32; malloc'd nodes
   * are 16 bytes of payload (32 with glibc's chunk header). */
  printf("binary-trees depth %d: %zu nodes\n", max_depth, nodes);
  printf("gc     : %.3f s, %.1f MB/s (32-byte cells), %.1f Mobj/s, %zu collections, "
         "pause median %.3f ms p99 %.3f ms max %.3f ms, total pause %.1f ms\n",
         gc_time, nodes * 32.0 / gc_time / 1e6, nodes / gc_time / 1e6, st.collections, median, p99,
         st.max_pause_ms, st.total_pause_ms);
  printf("malloc : %.3f s, %.1f MB/s (16-byte payloads), %.1f Mobj/s\n", m_time,
         nodes * 16.0 / m_time / 1e6, nodes / m_time / 1e6);
  printf("checksum gc %ld malloc %ld %s\n", gc_sum, m_sum, gc_sum == m_sum ? "ok" : "MISMATCH");
  free(pauses.ms);
  return gc_sum == m_sum ? 0 : 1;
}
