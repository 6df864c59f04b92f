/* gc.h: the one garbage-collected heap shared by JS and Wasm. Non-moving
 * mark-sweep over size-class segregated blocks plus a large-object space;
 * roots are precise (registered slots and tracer callbacks) plus a conservative
 * scan of the machine stack and registers. See docs/gc.md. */
#ifndef TANDEM_GC_GC_H
#define TANDEM_GC_GC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/value.h"

/* Every heap object kind, defined once. Each subsystem installs the trace and
 * finalize callbacks of its kinds with gc_set_kind_ops() at startup. */
#define GC_KIND_LIST(X)                                                                            \
  X(FREE)            /* a free cell; never seen by tracers */                                       \
  X(BYTES)           /* raw bytes, no pointers inside */                                           \
  X(VALUE_ARRAY)     /* GCValueArray: a length-prefixed array of Values */                         \
  X(STRING)          /* core/string.h */                                                            \
  X(SYMBOL)                                                                                         \
  X(BIGINT)                                                                                         \
  X(SHAPE)           /* core/shape.h hidden classes */                                              \
  X(OBJECT)          /* every JS object; its class lives in the object header */                   \
  X(FUNCTION_CODE)   /* js bytecode function template */                                            \
  X(ENV)             /* js closure environment */                                                   \
  X(WEAK_CELL)       /* WeakRef target holder */                                                    \
  X(EPHEMERON_TABLE) /* WeakMap / WeakSet storage */                                                \
  X(WASM_MODULE)                                                                                    \
  X(WASM_INSTANCE)                                                                                  \
  X(WASM_MEMORY)                                                                                    \
  X(WASM_TABLE)                                                                                     \
  X(WASM_GLOBAL)                                                                                    \
  X(WASM_FUNC)                                                                                      \
  X(INTERNAL) /* other engine-internal records with a trace callback */

typedef enum GCKind {
#define GC_KIND_ENUM(name) GC_KIND_##name,
  GC_KIND_LIST(GC_KIND_ENUM)
#undef GC_KIND_ENUM
      GC_KIND_COUNT
} GCKind;

/* Every heap cell starts with this 8-byte header. Mark bits live in side
 * bitmaps, so the header is free for the kind's own use. */
typedef struct GCHeader {
  uint8_t kind;   /* GCKind */
  uint8_t flags;  /* kind-specific */
  uint16_t bits;  /* kind-specific */
  uint32_t aux;   /* kind-specific: a length, a hash, ... */
} GCHeader;

/* A heap-allocated array of values (object slots, elements, closure cells). */
typedef struct GCValueArray {
  GCHeader h; /* h.aux = capacity */
  Value v[];
} GCValueArray;

typedef struct Heap Heap;

typedef struct GCKindOps {
  const char *name;
  /* Marks every heap reference held by obj with gc_mark_value/gc_mark_ptr. */
  void (*trace)(Heap *heap, void *obj);
  /* Releases resources outside the heap when obj dies (runs during sweep;
   * must not allocate or touch other heap objects). */
  void (*finalize)(Heap *heap, void *obj);
} GCKindOps;

void gc_set_kind_ops(GCKind kind, const GCKindOps *ops);
const char *gc_kind_name(GCKind kind);

typedef struct HeapOptions {
  size_t max_heap_bytes; /* 0: no limit */
  unsigned stress_every; /* collect on every Nth allocation; 0: off */
  bool trace;            /* one line per collection on stderr */
} HeapOptions;

Heap *gc_heap_new(const HeapOptions *opts);
/* Frees every object (running finalizers) and the heap itself. */
void gc_heap_free(Heap *heap);

/* Allocates a zeroed cell of `size` bytes (header included) of the given
 * kind. Returns NULL when the heap limit is reached even after a full
 * collection; the caller turns that into a catchable out-of-memory error. */
void *gc_alloc(Heap *heap, GCKind kind, size_t size);
GCValueArray *gc_alloc_value_array(Heap *heap, uint32_t capacity);

/* Full collection now. */
void gc_collect(Heap *heap);

/* Marking, for trace callbacks and root tracers. */
void gc_mark_ptr(Heap *heap, void *obj);
static inline void gc_mark_value(Heap *heap, Value v) {
  if (val_is_ptr(v)) gc_mark_ptr(heap, val_to_ptr(v));
}

/* Precise roots. A slot stays a root until removed. */
void gc_add_root(Heap *heap, Value *slot);
void gc_remove_root(Heap *heap, Value *slot);
typedef void (*GCRootTracer)(Heap *heap, void *data);
void gc_add_root_tracer(Heap *heap, GCRootTracer fn, void *data);
void gc_remove_root_tracer(Heap *heap, GCRootTracer fn, void *data);

/* Called around a collection's weak phase: after marking, before sweeping.
 * gc_is_marked() tells whether an object survives this cycle. */
typedef void (*GCWeakCallback)(Heap *heap, void *data);
void gc_add_weak_callback(Heap *heap, GCWeakCallback fn, void *data);
void gc_remove_weak_callback(Heap *heap, GCWeakCallback fn, void *data);
bool gc_is_marked(Heap *heap, const void *obj);

/* Every store of a heap pointer into a heap object goes through this, so an
 * incremental or generational collector can come later. A no-op for now. */
#define GC_WRITE_BARRIER(heap, obj, value) ((void)(heap), (void)(obj), (void)(value))

/* Called at the end of every collection with its pause (for example to
 * schedule FinalizationRegistry cleanup jobs, or to record pause times). It
 * runs inside the allocation that triggered the collection: it must not
 * allocate or run JS. One hook per heap; NULL removes it. */
typedef void (*GCCollectHook)(Heap *heap, double pause_ms, void *data);
void gc_set_collect_hook(Heap *heap, GCCollectHook fn, void *data);

/* Memory held outside the heap on behalf of heap objects (ArrayBuffer data,
 * Wasm linear memory). It counts towards the collection trigger. */
void gc_external_add(Heap *heap, size_t bytes);
void gc_external_sub(Heap *heap, size_t bytes);

/* Is p the address of (or inside) a live heap cell? Returns its start or NULL. */
void *gc_find_cell(Heap *heap, const void *p);

typedef struct GCKindStats {
  size_t count;
  size_t bytes;
} GCKindStats;

typedef struct GCStats {
  size_t heap_bytes;      /* bytes in live cells after the last sweep */
  size_t reserved_bytes;  /* bytes in blocks and large objects */
  size_t external_bytes;
  size_t collections;
  double total_pause_ms;
  double max_pause_ms;
  GCKindStats kinds[GC_KIND_COUNT]; /* filled by gc_stats() with count_objects */
} GCStats;

/* When count_objects is true, walks the heap to fill per-kind counts. */
void gc_stats(Heap *heap, GCStats *out, bool count_objects);

/* --- weak structures built on the weak phase (src/gc/weak.c) -------------- */

/* A weak cell (WeakRef): holds its target without keeping it alive.
 * gc_weak_cell_get returns VAL_UNDEFINED once the target has died. */
typedef struct GCWeakCell GCWeakCell;
GCWeakCell *gc_weak_cell_new(Heap *heap, Value target); /* NULL when out of memory */
Value gc_weak_cell_get(const GCWeakCell *cell);

/* An ephemeron table (WeakMap / WeakSet storage): keys are heap objects
 * compared by identity; a value is kept alive only while its key is, and an
 * entry disappears when its key dies. Keys that are not heap pointers are
 * rejected (set returns false, get/has find nothing). */
typedef struct GCEphemeronTable GCEphemeronTable;
GCEphemeronTable *gc_ephemeron_table_new(Heap *heap); /* NULL when out of memory */
bool gc_ephemeron_get(const GCEphemeronTable *t, Value key, Value *value_out);
bool gc_ephemeron_has(const GCEphemeronTable *t, Value key);
/* False when out of memory (or the key is not a heap pointer). */
bool gc_ephemeron_set(Heap *heap, GCEphemeronTable *t, Value key, Value value);
bool gc_ephemeron_delete(GCEphemeronTable *t, Value key);
size_t gc_ephemeron_count(const GCEphemeronTable *t);

/* Finalization records (FinalizationRegistry). A record holds its target
 * and token weakly, its holdings as long as the registry lives, and is
 * dropped if the registry dies. When a collection finds the target dead the
 * record moves to a ready queue (no JS runs during GC); the embedder drains
 * it after the collection and runs the cleanup callbacks. */
bool gc_finalization_register(Heap *heap, Value registry, Value target, Value holdings,
                              Value token); /* false when out of memory or target not a heap pointer */
/* Removes the registry's records (pending or ready) with this token; returns how many. */
size_t gc_finalization_unregister(Heap *heap, Value registry, Value token);
typedef struct GCFinalization {
  Value registry;
  Value holdings;
} GCFinalization;
/* Takes one ready record; false when the queue is empty. */
bool gc_finalization_take(Heap *heap, GCFinalization *out);
/* Takes one ready record of this registry; false when it has none. */
bool gc_finalization_take_for(Heap *heap, Value registry, Value *holdings_out);
size_t gc_finalization_ready_count(const Heap *heap);

#endif
