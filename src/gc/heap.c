/* heap.c: the allocator side of the collector: size classes, aligned blocks
 * and the large-object space, lazy sweeping, the collection trigger and heap
 * limit, the address table behind conservative lookups, and statistics.
 * Marking and roots live in mark.c; weak structures in weak.c. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gc/gc_internal.h"

static void value_array_trace(Heap *heap, void *obj) {
  GCValueArray *a = obj;
  for (uint32_t i = 0; i < a->h.aux; i++) gc_mark_value(heap, a->v[i]);
}

/* Kinds the collector itself implements are filled in here; every other
 * subsystem installs its own with gc_set_kind_ops at startup. */
GCKindOps gc_kind_ops[GC_KIND_COUNT] = {
    [GC_KIND_BYTES] = {"bytes", NULL, NULL},
    [GC_KIND_VALUE_ARRAY] = {"value_array", value_array_trace, NULL},
    [GC_KIND_WEAK_CELL] = {"weak_cell", gc_weak_cell_trace, NULL},
    [GC_KIND_EPHEMERON_TABLE] = {"ephemeron_table", gc_ephemeron_trace, gc_ephemeron_finalize},
};

static const char *const kind_names[GC_KIND_COUNT] = {
#define GC_KIND_NAME(name) #name,
    GC_KIND_LIST(GC_KIND_NAME)
#undef GC_KIND_NAME
};

void gc_set_kind_ops(GCKind kind, const GCKindOps *ops) {
  if ((unsigned)kind >= GC_KIND_COUNT || kind == GC_KIND_FREE || !ops) return;
  gc_kind_ops[kind] = *ops;
}

const char *gc_kind_name(GCKind kind) {
  if ((unsigned)kind >= GC_KIND_COUNT) return "?";
  return gc_kind_ops[kind].name ? gc_kind_ops[kind].name : kind_names[kind];
}

/* --- size classes ------------------------------------------------------- */

/* Steps of 16 up to 128, then four classes per power of two: at most 25%
 * internal waste, at most 32 classes. */
static void init_size_classes(Heap *h) {
  uint32_t sizes[GC_NUM_CLASSES];
  int n = 0;
  for (uint32_t s = 16; s <= 128; s += 16) sizes[n++] = s;
  for (uint32_t base = 128; base < GC_SMALL_MAX; base *= 2)
    for (uint32_t k = 1; k <= 4; k++) sizes[n++] = base + k * (base / 4);
  for (int i = 0; i < GC_NUM_CLASSES; i++) h->fast.cell_size[i] = sizes[i];
  int c = 0;
  for (size_t g = 0; g <= GC_SMALL_MAX / GC_GRANULE; g++) {
    while (sizes[c] < g * GC_GRANULE) c++;
    h->fast.class_of[g] = (uint8_t)c;
  }
}

/* --- mapping blocks ----------------------------------------------------- */

/* Maps `size` bytes at a GC_BLOCK_SIZE-aligned address. */
static void *map_aligned(size_t size) {
  size_t over = size + GC_BLOCK_SIZE;
  char *p = mmap(NULL, over, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return NULL;
  uintptr_t start = ((uintptr_t)p + GC_BLOCK_SIZE - 1) & GC_BLOCK_MASK;
  size_t head = start - (uintptr_t)p;
  size_t tail = over - head - size;
  if (head) munmap(p, head);
  if (tail) munmap((char *)start + size, tail);
  return (void *)start;
}

/* Makes room for one more span. A block the table could not record would
 * be invisible to the conservative scan, so failure fails the allocation. */
static bool reserve_span(Heap *h) {
  if (h->nspans < h->spans_cap) return true;
  size_t cap = h->spans_cap ? h->spans_cap * 2 : 64;
  GCSpan *s = realloc(h->spans, cap * sizeof *s);
  if (!s) return false;
  h->spans = s;
  h->spans_cap = cap;
  return true;
}

/* Callers reserve first (rebuild_spans only ever shrinks the table). */
static void add_span(Heap *h, uintptr_t start, uintptr_t end) {
  h->spans[h->nspans++] = (GCSpan){start, end};
  h->spans_dirty = true;
  if (!h->lo || start < h->lo) h->lo = start;
  if (end > h->hi) h->hi = end;
}

static int span_cmp(const void *a, const void *b) {
  uintptr_t x = ((const GCSpan *)a)->start, y = ((const GCSpan *)b)->start;
  return x < y ? -1 : x > y;
}

void gc_sort_spans(Heap *h) {
  if (!h->spans_dirty) return;
  qsort(h->spans, h->nspans, sizeof *h->spans, span_cmp);
  h->spans_dirty = false;
}

static uintptr_t block_span_end(const GCBlock *b) {
  if (b->cell_size) return (uintptr_t)b + b->first + (uintptr_t)b->ncells * b->cell_size;
  return (uintptr_t)b + GC_LARGE_HEADER + b->large_size;
}

/* Rebuilds the table from the block lists (after blocks were released, or
 * if an insertion could not grow it). */
static void rebuild_spans(Heap *h) {
  h->nspans = 0;
  h->lo = h->hi = 0;
  for (int c = 0; c < GC_NUM_CLASSES; c++)
    for (GCBlock *b = h->classes[c].blocks; b; b = b->next)
      add_span(h, (uintptr_t)b + b->first, block_span_end(b));
  for (GCBlock *b = h->large; b; b = b->next) add_span(h, (uintptr_t)b + GC_LARGE_HEADER, block_span_end(b));
  h->spans_dirty = true;
}

static GCBlock *new_block(Heap *h, int cls) {
  GCSizeClass *c = &h->classes[cls];
  if (!reserve_span(h)) return NULL;
  GCBlock *b = map_aligned(GC_BLOCK_SIZE);
  if (!b) return NULL;
  b->heap = h;
  b->cell_size = h->fast.cell_size[cls];
  b->first = GC_SMALL_HEADER;
  b->ncells = (uint32_t)((GC_BLOCK_SIZE - GC_SMALL_HEADER) / b->cell_size);
  b->size_class = (uint8_t)cls;
  b->swept = 1;
  b->map_size = GC_BLOCK_SIZE;
  b->next = c->blocks;
  c->blocks = b;
  c->nblocks++;
  h->reserved_bytes += GC_BLOCK_SIZE;
  add_span(h, (uintptr_t)b + b->first, block_span_end(b));
  return b;
}

static void release_block(Heap *h, GCBlock *b) {
  h->reserved_bytes -= b->map_size;
  munmap(b, b->map_size);
}

/* --- sweeping ------------------------------------------------------------ */

static void finalize_cell(Heap *h, GCHeader *hd) {
  void (*fin)(Heap *, void *) = gc_kind_ops[hd->kind].finalize;
  if (fin) fin(h, hd);
  hd->kind = GC_KIND_FREE;
}

/* Finalizes the dead cells of a marked block and threads every free cell,
 * in address order, onto *free_out (which may be NULL to discard). */
void gc_sweep_block(Heap *h, GCBlock *b, void **free_out) {
  char *cell = (char *)b + b->first;
  size_t cs = b->cell_size;
  void *head = NULL;
  char *tail = NULL;
  for (uint32_t i = 0; i < b->ncells; i++, cell += cs) {
    GCHeader *hd = (GCHeader *)cell;
    /* The mark bit first: it is in the (cached) block header, while a live
     * cell's own header would be a cache miss for nothing. Only live cells
     * are ever marked. */
    if (b->swept ? hd->kind != GC_KIND_FREE : gc_block_test_mark(b, cell)) continue;
    if (hd->kind != GC_KIND_FREE) finalize_cell(h, hd);
    if (tail)
      memcpy(tail + 8, &cell, sizeof cell);
    else
      head = cell;
    tail = cell;
  }
  if (tail) memset(tail + 8, 0, sizeof(void *));
  b->swept = 1;
  if (free_out) *free_out = head;
}

/* Before marking, every block must tell liveness by its cells' kinds, so the
 * conservative scanner never revives a dead cell whose referents may already
 * be gone. */
void gc_finish_sweeping(Heap *h) {
  for (int i = 0; i < GC_NUM_CLASSES; i++) {
    GCSizeClass *c = &h->classes[i];
    while (c->unswept) {
      GCBlock *b = c->unswept;
      c->unswept = b->next_unswept;
      b->next_unswept = NULL;
      gc_sweep_block(h, b, NULL);
    }
    h->fast.free[i] = NULL;
  }
}

/* After marking and the weak phase: frees dead large objects now, releases
 * empty blocks beyond what the next cycle will need, and queues the other
 * blocks for lazy sweeping. */
void gc_after_mark(Heap *h) {
  bool released = false;
  GCBlock **link = &h->large;
  while (*link) {
    GCBlock *b = *link;
    if (b->large_marked) {
      link = &b->next;
      continue;
    }
    *link = b->next;
    h->nlarge--;
    finalize_cell(h, (GCHeader *)((char *)b + GC_LARGE_HEADER));
    release_block(h, b);
    released = true;
  }
  /* Keep about one trigger's worth of empty blocks: the allocator will need
   * that much before the next collection, and unmapping then refaulting
   * them costs more than keeping them. */
  size_t keep = h->threshold;
  size_t kept = 0;
  for (int i = 0; i < GC_NUM_CLASSES; i++) {
    GCSizeClass *c = &h->classes[i];
    h->fast.free[i] = NULL;
    c->unswept = NULL;
    GCBlock **unswept_tail = &c->unswept;
    link = &c->blocks;
    while (*link) {
      GCBlock *b = *link;
      if (b->marked_cells == b->ncells) {
        /* Fully live (typical of old data): nothing to finalize or free. */
        b->swept = 1;
        link = &b->next;
        continue;
      }
      b->swept = 0;
      if (b->marked_cells == 0) {
        if (kept >= keep) {
          gc_sweep_block(h, b, NULL);
          *link = b->next;
          c->nblocks--;
          release_block(h, b);
          released = true;
          continue;
        }
        kept += GC_BLOCK_SIZE;
      }
      *unswept_tail = b;
      unswept_tail = &b->next_unswept;
      b->next_unswept = NULL;
      link = &b->next;
    }
  }
  if (released) rebuild_spans(h);
}

/* --- allocation ---------------------------------------------------------- */

void gc_recompute_budget(Heap *h) {
  if (h->opts.stress_every) {
    h->fast.budget = -1;
    return;
  }
  size_t used = h->fast.allocated_since + h->external_since;
  ptrdiff_t b = used < h->threshold ? (ptrdiff_t)(h->threshold - used) : 0;
  if (h->opts.max_heap_bytes) {
    size_t in_use = h->live_bytes + h->fast.allocated_since;
    ptrdiff_t l = in_use < h->opts.max_heap_bytes ? (ptrdiff_t)(h->opts.max_heap_bytes - in_use) : 0;
    if (l < b) b = l;
  }
  h->fast.budget = b;
}

static void *take_small(Heap *h, int cls) {
  GCSizeClass *c = &h->classes[cls];
  void **free_list = &h->fast.free[cls];
  while (!*free_list && c->unswept) {
    GCBlock *b = c->unswept;
    c->unswept = b->next_unswept;
    b->next_unswept = NULL;
    gc_sweep_block(h, b, free_list);
  }
  if (!*free_list) {
    GCBlock *b = new_block(h, cls);
    if (!b) return NULL;
    gc_sweep_block(h, b, free_list);
  }
  void *cell = *free_list;
  memcpy(free_list, (char *)cell + 8, sizeof(void *));
  return cell;
}

static void *alloc_large(Heap *h, size_t size) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t map = (GC_LARGE_HEADER + size + page - 1) & ~(page - 1);
  if (map < size || !reserve_span(h)) return NULL;
  GCBlock *b = map_aligned(map);
  if (!b) return NULL;
  b->heap = h;
  b->cell_size = 0;
  b->swept = 1;
  b->large_size = size;
  b->map_size = map;
  b->next = h->large;
  h->large = b;
  h->nlarge++;
  h->reserved_bytes += map;
  add_span(h, (uintptr_t)b + GC_LARGE_HEADER, block_span_end(b));
  return (char *)b + GC_LARGE_HEADER;
}

static size_t cell_bytes_for(const Heap *h, size_t size) {
  if (size <= GC_SMALL_MAX) return h->fast.cell_size[h->fast.class_of[(size + GC_GRANULE - 1) / GC_GRANULE]];
  return (size + GC_GRANULE - 1) & ~(size_t)(GC_GRANULE - 1);
}

/* Everything the fast path skips: stress collections, the trigger, the
 * heap limit, sweeping and new blocks. */
static __attribute__((noinline)) void *alloc_slow(Heap *h, GCKind kind, size_t size) {
  /* Trace and weak callbacks must not allocate. */
  if (h->collecting) return NULL;
  if (size < sizeof(GCHeader)) size = sizeof(GCHeader);
  if (size > (SIZE_MAX >> 2)) return NULL;
  size_t cs = cell_bytes_for(h, size);
  bool collected = false;
  /* Assigned before any collection: in an unoptimized build a stale slot
   * would hand the conservative scanner the previous call's cell. */
  void *cell = NULL;
  h->alloc_count++;
  if (h->opts.stress_every && h->alloc_count % h->opts.stress_every == 0) {
    gc_collect(h);
    collected = true;
  }
  if (!collected && h->fast.allocated_since + h->external_since + cs > h->threshold) {
    gc_collect(h);
    collected = true;
  }
  size_t max = h->opts.max_heap_bytes;
  if (max && h->live_bytes + h->fast.allocated_since + cs > max) {
    if (!collected) gc_collect(h);
    collected = true;
    if (h->live_bytes + h->fast.allocated_since + cs > max) {
      gc_recompute_budget(h);
      return NULL;
    }
  }
  cell = size <= GC_SMALL_MAX ? take_small(h, h->fast.class_of[(size + GC_GRANULE - 1) / GC_GRANULE])
                                    : alloc_large(h, cs);
  if (!cell && !collected) {
    gc_collect(h); /* the system ran out of memory: free what we can, retry once */
    cell = size <= GC_SMALL_MAX ? take_small(h, h->fast.class_of[(size + GC_GRANULE - 1) / GC_GRANULE])
                                : alloc_large(h, cs);
  }
  if (!cell) {
    gc_recompute_budget(h);
    return NULL;
  }
  h->fast.allocated_since += cs;
  gc_recompute_budget(h);
  /* Large objects come zeroed from mmap; free small cells hold a link. */
  if (size <= GC_SMALL_MAX) memset(cell, 0, size);
  ((GCHeader *)cell)->kind = (uint8_t)kind;
  return cell;
}

void *gc_alloc(Heap *h, GCKind kind, size_t size) {
  if (size - 1 < GC_SMALL_MAX && size >= sizeof(GCHeader)) {
    unsigned cls = h->fast.class_of[(size + GC_GRANULE - 1) / GC_GRANULE];
    void *cell = h->fast.free[cls];
    size_t cs = h->fast.cell_size[cls];
    if (cell && h->fast.budget >= (ptrdiff_t)cs) {
      memcpy(&h->fast.free[cls], (char *)cell + 8, sizeof(void *));
      h->fast.budget -= (ptrdiff_t)cs;
      h->fast.allocated_since += cs;
      memset(cell, 0, size);
      ((GCHeader *)cell)->kind = (uint8_t)kind;
      return cell;
    }
  }
  return alloc_slow(h, kind, size);
}

GCValueArray *gc_alloc_value_array(Heap *h, uint32_t capacity) {
  size_t size = sizeof(GCValueArray) + (size_t)capacity * sizeof(Value);
  GCValueArray *a = gc_alloc(h, GC_KIND_VALUE_ARRAY, size);
  if (a) a->h.aux = capacity;
  return a;
}

/* --- external memory ----------------------------------------------------- */

void gc_external_add(Heap *h, size_t bytes) {
  h->external_bytes += bytes;
  h->external_since += bytes;
  /* The next allocation takes the slow path and collects if this crossed
   * the trigger; collecting here could surprise a caller mid-update. */
  gc_recompute_budget(h);
}

void gc_external_sub(Heap *h, size_t bytes) {
  h->external_bytes = bytes < h->external_bytes ? h->external_bytes - bytes : 0;
}

/* --- lookups ----------------------------------------------------------- */

void *gc_cell_at(Heap *h, uintptr_t p, GCBlock **block_out) {
  if (p < h->lo || p >= h->hi) return NULL;
  gc_sort_spans(h);
  size_t lo = 0, hi = h->nspans;
  while (lo < hi) { /* first span starting after p */
    size_t mid = (lo + hi) / 2;
    if (h->spans[mid].start <= p)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == 0 || p >= h->spans[lo - 1].end) return NULL;
  GCBlock *b = gc_block_of((void *)h->spans[lo - 1].start);
  if (block_out) *block_out = b;
  if (!b->cell_size) return (char *)b + GC_LARGE_HEADER;
  size_t idx = (p - ((uintptr_t)b + b->first)) / b->cell_size;
  return (char *)b + b->first + idx * b->cell_size;
}

bool gc_cell_is_live(const void *cell, const GCBlock *b) {
  if (((const GCHeader *)cell)->kind == GC_KIND_FREE) return false;
  if (b->swept) return true;
  return b->cell_size ? gc_block_test_mark(b, cell) : b->large_marked;
}

void *gc_find_cell(Heap *h, const void *p) {
  GCBlock *b;
  void *cell = gc_cell_at(h, (uintptr_t)p, &b);
  return cell && gc_cell_is_live(cell, b) ? cell : NULL;
}

/* --- heap lifetime --------------------------------------------------------- */

Heap *gc_heap_new(const HeapOptions *opts) {
  Heap *h = calloc(1, sizeof *h);
  if (!h) return NULL;
  if (opts) h->opts = *opts;
  if (!h->opts.stress_every) {
    const char *env = getenv("TANDEM_GC_STRESS");
    if (env && *env) {
      long n = strtol(env, NULL, 10);
      if (n > 0) h->opts.stress_every = (unsigned)n;
    }
  }
  init_size_classes(h);
  h->threshold = GC_MIN_TRIGGER;
  h->stack_cap = 4096;
  h->stack = malloc(h->stack_cap * sizeof *h->stack);
  if (!h->stack) {
    free(h);
    return NULL;
  }
  gc_recompute_budget(h);
  return h;
}

void gc_heap_free(Heap *h) {
  if (!h) return;
  h->collecting = true; /* nothing may allocate from here on */
  for (int i = 0; i < GC_NUM_CLASSES; i++) {
    GCBlock *b = h->classes[i].blocks;
    while (b) {
      GCBlock *next = b->next;
      char *cell = (char *)b + b->first;
      for (uint32_t k = 0; k < b->ncells; k++, cell += b->cell_size) {
        GCHeader *hd = (GCHeader *)cell;
        if (hd->kind != GC_KIND_FREE) finalize_cell(h, hd);
      }
      release_block(h, b);
      b = next;
    }
  }
  GCBlock *b = h->large;
  while (b) {
    GCBlock *next = b->next;
    finalize_cell(h, (GCHeader *)((char *)b + GC_LARGE_HEADER));
    release_block(h, b);
    b = next;
  }
  gc_weak_free(h);
  free(h->spans);
  free(h->roots);
  free(h->tracers);
  free(h->weak_cbs);
  free(h->stack);
  free(h);
}

/* --- statistics ---------------------------------------------------------- */

void gc_stats(Heap *h, GCStats *out, bool count_objects) {
  memset(out, 0, sizeof *out);
  out->heap_bytes = h->live_bytes + h->fast.allocated_since;
  out->reserved_bytes = h->reserved_bytes;
  out->external_bytes = h->external_bytes;
  out->collections = h->collections;
  out->total_pause_ms = h->total_pause_ms;
  out->max_pause_ms = h->max_pause_ms;
  if (!count_objects) return;
  for (int i = 0; i < GC_NUM_CLASSES; i++) {
    for (GCBlock *b = h->classes[i].blocks; b; b = b->next) {
      char *cell = (char *)b + b->first;
      for (uint32_t k = 0; k < b->ncells; k++, cell += b->cell_size) {
        if (!gc_cell_is_live(cell, b)) continue;
        GCKind kind = ((GCHeader *)cell)->kind;
        out->kinds[kind].count++;
        out->kinds[kind].bytes += b->cell_size;
      }
    }
  }
  for (GCBlock *b = h->large; b; b = b->next) {
    GCKind kind = ((GCHeader *)((char *)b + GC_LARGE_HEADER))->kind;
    out->kinds[kind].count++;
    out->kinds[kind].bytes += b->large_size;
  }
}
