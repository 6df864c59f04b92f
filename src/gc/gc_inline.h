/* gc_inline.h: the allocation fast path as an inline function, for hot
 * allocation sites (object and array creation in the interpreter). Exposes
 * only the allocator's per-size-class free lists, which sit at the start of
 * every Heap; everything else stays behind gc_alloc's slow path. */
#ifndef TANDEM_GC_GC_INLINE_H
#define TANDEM_GC_GC_INLINE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gc/gc.h"

#define GC_GRANULE 16     /* cell alignment and mark-bit granularity */
#define GC_SMALL_MAX 8192 /* larger cells go to the large-object space */
#define GC_NUM_CLASSES 32

typedef struct GCAllocFast {
  /* What the fast path may still allocate before the slow path must look
   * at the collection trigger, the heap limit and stress mode. */
  ptrdiff_t budget;
  size_t allocated_since; /* cell bytes allocated since the last collection */
  void *free[GC_NUM_CLASSES]; /* free-list heads; a free cell links at offset 8 */
  uint32_t cell_size[GC_NUM_CLASSES];
  uint8_t class_of[GC_SMALL_MAX / GC_GRANULE + 1]; /* by (size + 15) / 16 */
} GCAllocFast;

/* Same contract as gc_alloc. */
static inline void *gc_alloc_inline(Heap *heap, GCKind kind, size_t size) {
  GCAllocFast *f = (GCAllocFast *)heap; /* the first member of struct Heap */
  if (size - 1 < GC_SMALL_MAX && size >= sizeof(GCHeader)) {
    unsigned cls = f->class_of[(size + GC_GRANULE - 1) / GC_GRANULE];
    void *cell = f->free[cls];
    size_t cs = f->cell_size[cls];
    if (cell && f->budget >= (ptrdiff_t)cs) {
      memcpy(&f->free[cls], (char *)cell + 8, sizeof(void *));
      f->budget -= (ptrdiff_t)cs;
      f->allocated_since += cs;
      memset(cell, 0, size);
      ((GCHeader *)cell)->kind = (uint8_t)kind;
      return cell;
    }
  }
  return gc_alloc(heap, kind, size);
}

static inline GCValueArray *gc_alloc_value_array_inline(Heap *heap, uint32_t capacity) {
  GCValueArray *a = gc_alloc_inline(heap, GC_KIND_VALUE_ARRAY, sizeof(GCValueArray) + (size_t)capacity * sizeof(Value));
  if (a) a->h.aux = capacity;
  return a;
}

#endif
