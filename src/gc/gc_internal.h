/* gc_internal.h: the heap's private layout, shared by the allocator
 * (heap.c), the collector (mark.c) and the weak structures (weak.c).
 * Nothing outside src/gc includes this file. */
#ifndef TANDEM_GC_GC_INTERNAL_H
#define TANDEM_GC_GC_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "gc/gc.h"
#include "gc/gc_inline.h"

/* Small cells live in blocks of one cell size each. Blocks are aligned to
 * their size, so a cell's block is its address with the low bits cleared;
 * large objects get the same aligned header so gc_mark_ptr needs no lookup. */
#define GC_BLOCK_SIZE ((size_t)256 * 1024)
#define GC_BLOCK_MASK (~(uintptr_t)(GC_BLOCK_SIZE - 1))
#define GC_MARK_WORDS (GC_BLOCK_SIZE / GC_GRANULE / 64)
#define GC_MIN_TRIGGER ((size_t)8 * 1024 * 1024)

typedef struct GCBlock {
  Heap *heap;
  uint32_t cell_size; /* 0 for a large object */
  uint32_t ncells;
  uint32_t first;        /* offset of the first cell */
  uint32_t marked_cells; /* set while marking: lets empty blocks be released */
  uint8_t size_class;
  /* 1 once swept after the last mark: cells' kinds then tell liveness
   * (FREE or not); 0 between a mark and the block's lazy sweep, when the
   * mark bits do. */
  uint8_t swept;
  uint8_t large_marked;
  struct GCBlock *next;         /* all blocks of a class, or all large objects */
  struct GCBlock *next_unswept; /* the class's lazy-sweep queue */
  size_t large_size;            /* large object: cell bytes */
  size_t map_size;              /* bytes mapped for this block or large object */
  uint64_t marks[];             /* small blocks only: one bit per granule */
} GCBlock;

#define GC_LARGE_HEADER ((sizeof(GCBlock) + GC_GRANULE - 1) & ~(size_t)(GC_GRANULE - 1))
#define GC_SMALL_HEADER                                                                            \
  ((sizeof(GCBlock) + GC_MARK_WORDS * 8 + GC_GRANULE - 1) & ~(size_t)(GC_GRANULE - 1))

static inline GCBlock *gc_block_of(const void *cell) {
  return (GCBlock *)((uintptr_t)cell & GC_BLOCK_MASK);
}

/* A size class's blocks; its free list and cell size live in GCAllocFast. */
typedef struct GCSizeClass {
  GCBlock *blocks;     /* every block of this class */
  GCBlock *unswept;    /* blocks marked but not yet swept */
  size_t nblocks;
} GCSizeClass;

/* An address range the conservative scanner may hit: a block or a large object. */
typedef struct GCSpan {
  uintptr_t start, end;
} GCSpan;

typedef struct GCTracerEntry {
  GCRootTracer fn;
  void *data;
} GCTracerEntry;

typedef struct GCWeakEntry {
  GCWeakCallback fn;
  void *data;
} GCWeakEntry;

/* One registration of a FinalizationRegistry (see weak.c). */
typedef struct GCFinRecord {
  void *target;   /* weak */
  Value registry; /* weak while registered; strong once queued */
  Value holdings; /* alive while the registry is */
  Value token;    /* weak; VAL_UNDEFINED when none */
} GCFinRecord;

typedef struct GCFinList {
  GCFinRecord *items;
  size_t head, count, cap; /* live items are items[head..count) */
} GCFinList;

struct Heap {
  GCAllocFast fast; /* first: gc_alloc_inline reads it through the Heap pointer */
  HeapOptions opts;
  GCSizeClass classes[GC_NUM_CLASSES];
  GCBlock *large; /* large objects */
  size_t nlarge;

  /* Sorted address table for conservative lookups; sorted lazily. */
  GCSpan *spans;
  size_t nspans, spans_cap;
  bool spans_dirty;
  uintptr_t lo, hi; /* bounds of every span, for a cheap first reject */

  /* Accounting (the fast path's budget and allocated_since are in `fast`). */
  size_t live_bytes;      /* cell bytes marked by the last collection */
  size_t external_bytes;
  size_t external_since; /* external bytes added since the last collection */
  size_t threshold;      /* collect when allocated_since + external_since reach it */
  size_t reserved_bytes;
  uint64_t alloc_count;

  /* Roots. */
  Value **roots;
  size_t nroots, roots_cap;
  GCTracerEntry *tracers;
  size_t ntracers, tracers_cap;
  GCWeakEntry *weak_cbs;
  size_t nweak_cbs, weak_cbs_cap;

  /* Marking. */
  void **stack;
  size_t sp, stack_cap;
  bool stack_overflowed;
  size_t stack_max; /* entries the mark stack may grow to; 0: unlimited (tests lower it) */
  bool collecting;
  bool sweeping_all; /* gc_heap_free: finalizers only */

  /* Weak structures met during marking, linked through the cells themselves. */
  struct GCWeakCell *seen_weak_cells;
  struct GCEphemeronTable *seen_tables;
  GCFinList fin_registered;
  GCFinList fin_ready;

  GCCollectHook collect_hook;
  void *collect_hook_data;

  /* Statistics. */
  size_t collections;
  double total_pause_ms, max_pause_ms;
};

/* Internal symbols are hidden: in the -fPIC objects they then need no GOT
 * or PLT indirection and stay out of libtandem's exported symbols. */
#pragma GCC visibility push(hidden)

/* The process-wide kind table (set once at startup by each subsystem). */
extern GCKindOps gc_kind_ops[GC_KIND_COUNT];

/* heap.c */
void gc_sweep_block(Heap *heap, GCBlock *b, void **free_out);
void gc_finish_sweeping(Heap *heap);
void gc_after_mark(Heap *heap);
void gc_sort_spans(Heap *heap);
void gc_recompute_budget(Heap *heap);
/* The cell containing p (live or not) or NULL; no liveness check. */
void *gc_cell_at(Heap *heap, uintptr_t p, GCBlock **block_out);
bool gc_cell_is_live(const void *cell, const GCBlock *b);

/* mark.c */
void gc_drain(Heap *heap);

/* weak.c */
void gc_weak_trace_roots(Heap *heap);
bool gc_weak_fixpoint_step(Heap *heap);
void gc_weak_process(Heap *heap);
void gc_weak_free(Heap *heap);
void gc_ephemeron_trace(Heap *heap, void *obj);
void gc_weak_cell_trace(Heap *heap, void *obj);
void gc_ephemeron_finalize(Heap *heap, void *obj);

#pragma GCC visibility pop

static inline bool gc_block_test_mark(const GCBlock *b, const void *cell) {
  size_t bit = ((uintptr_t)cell - (uintptr_t)b) / GC_GRANULE;
  return (b->marks[bit / 64] >> (bit % 64)) & 1;
}

#endif
