/* mark.c: a full collection: precise roots, the conservative scan of the
 * machine stack and registers, marking with an explicit stack, the
 * ephemeron fixpoint and weak phase, then handing blocks to the lazy
 * sweeper (heap.c). */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "gc/gc_internal.h"

#if defined(__SANITIZE_ADDRESS__)
#define GC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GC_ASAN 1
#endif
#endif

#ifdef GC_ASAN
#include <sanitizer/asan_interface.h>
#define GC_NO_ASAN __attribute__((no_sanitize("address")))
#else
#define GC_NO_ASAN
#endif

/* --- the mark stack ------------------------------------------------------ */

static __attribute__((noinline)) void mark_stack_grow_push(Heap *h, void *obj) {
  size_t cap = h->stack_cap * 2;
  void **s = h->stack_max && cap > h->stack_max ? NULL : realloc(h->stack, cap * sizeof *s);
  if (!s) {
    /* The object stays marked but untraced; gc_drain rescans the heap for
     * such objects once the stack is empty. */
    h->stack_overflowed = true;
    return;
  }
  h->stack = s;
  h->stack_cap = cap;
  h->stack[h->sp++] = obj;
}

/* Static (not in gc_internal.h): in a -fPIC build a global function could
 * be interposed, and the compiler would not inline it into the mark loop. */
static inline void mark_stack_push(Heap *h, void *obj) {
  if (__builtin_expect(h->sp == h->stack_cap, 0)) {
    mark_stack_grow_push(h, obj);
    return;
  }
  h->stack[h->sp++] = obj;
}

/* Sets obj's mark bit; true if it was clear (obj is newly live). */
static inline bool mark_bit(Heap *h, void *obj) {
  GCBlock *b = gc_block_of(obj);
  if (b->cell_size) {
    size_t bit = ((uintptr_t)obj - (uintptr_t)b) / GC_GRANULE;
    uint64_t m = (uint64_t)1 << (bit % 64);
    if (b->marks[bit / 64] & m) return false;
    b->marks[bit / 64] |= m;
    b->marked_cells++;
    h->live_bytes += b->cell_size;
  } else {
    if (b->large_marked) return false;
    b->large_marked = 1;
    h->live_bytes += b->large_size;
  }
  return true;
}

/* The object is pushed without reading its header: that read is the cache
 * miss gc_drain hides behind a prefetch. */
static inline void mark_cell(Heap *h, void *obj) {
  if (mark_bit(h, obj)) mark_stack_push(h, obj);
}

void gc_mark_ptr(Heap *h, void *obj) {
  if (!obj || !h->collecting) return;
  mark_cell(h, obj);
}

bool gc_is_marked(Heap *h, const void *obj) {
  if (!obj) return false;
  GCBlock *b = gc_block_of(obj);
  return b->cell_size ? gc_block_test_mark(b, obj) : b->large_marked;
}

static void trace_cell(Heap *h, void *obj) {
  GCHeader *hd = obj;
  if (hd->kind == GC_KIND_VALUE_ARRAY) { /* the commonest kind, traced inline */
    GCValueArray *a = obj;
    for (uint32_t i = 0; i < hd->aux; i++)
      if (val_is_ptr(a->v[i])) mark_cell(h, val_to_ptr(a->v[i]));
    return;
  }
  void (*trace)(Heap *, void *) = gc_kind_ops[hd->kind].trace;
  if (trace) trace(h, obj);
}

/* Retraces every marked cell: the recovery path when the mark stack could
 * not grow. Tracing a cell twice is harmless (its children are marked). */
static void drain_stack(Heap *h);

static void rescan_marked(Heap *h) {
  for (int i = 0; i < GC_NUM_CLASSES; i++)
    for (GCBlock *b = h->classes[i].blocks; b; b = b->next) {
      char *cell = (char *)b + b->first;
      for (uint32_t k = 0; k < b->ncells; k++, cell += b->cell_size)
        if (((GCHeader *)cell)->kind != GC_KIND_FREE && gc_block_test_mark(b, cell)) {
          trace_cell(h, cell);
          drain_stack(h);
        }
    }
  for (GCBlock *b = h->large; b; b = b->next)
    if (b->large_marked) {
      trace_cell(h, (char *)b + GC_LARGE_HEADER);
      drain_stack(h);
    }
}

/* Objects popped from the mark stack wait in a small FIFO after a prefetch
 * so that several cache misses are in flight while others are traced. */
#define GC_PREFETCH 8

static void drain_stack(Heap *h) {
  void *q[GC_PREFETCH];
  unsigned head = 0, n = 0;
  for (;;) {
    while (h->sp && n < GC_PREFETCH) {
      void *o = h->stack[--h->sp];
      __builtin_prefetch(o);
      q[(head + n++) % GC_PREFETCH] = o;
    }
    if (!n) return;
    void *o = q[head];
    head = (head + 1) % GC_PREFETCH;
    n--;
    trace_cell(h, o);
  }
}

void gc_drain(Heap *h) {
  for (;;) {
    drain_stack(h);
    if (!h->stack_overflowed) return;
    h->stack_overflowed = false;
    rescan_marked(h);
  }
}

/* --- conservative roots -------------------------------------------------- */

/* The current thread's stack bounds. Cached per thread: glibc reads
 * /proc/self/maps for the main thread. */
static _Thread_local uintptr_t thread_stack_low, thread_stack_top;

static uintptr_t stack_top(void) {
  if (thread_stack_top) return thread_stack_top;
  pthread_attr_t attr;
  void *addr = NULL;
  size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
      thread_stack_low = (uintptr_t)addr;
      thread_stack_top = (uintptr_t)addr + size;
    }
    pthread_attr_destroy(&attr);
  }
  return thread_stack_top;
}

static void mark_conservative(Heap *h, uintptr_t w) {
  GCBlock *b;
  void *cell = gc_cell_at(h, w, &b);
  if (cell && gc_cell_is_live(cell, b)) gc_mark_ptr(h, cell);
}

/* Under ASan the words may sit in redzones, and locals of frames may live
 * on ASan's fake stack (detect_stack_use_after_return): scan those frames too. */
static GC_NO_ASAN void scan_words(Heap *h, uintptr_t lo, uintptr_t hi) {
  lo = (lo + sizeof(void *) - 1) & ~(uintptr_t)(sizeof(void *) - 1);
  for (uintptr_t p = lo; p + sizeof(void *) <= hi; p += sizeof(void *)) {
    uintptr_t w = *(const uintptr_t *)p;
    if (w >= h->lo && w < h->hi) mark_conservative(h, w);
#ifdef GC_ASAN
    void *fake = __asan_get_current_fake_stack();
    void *beg, *end;
    if (fake && __asan_addr_is_in_fake_stack(fake, (void *)w, &beg, &end)) {
      for (uintptr_t q = (uintptr_t)beg; q + sizeof(void *) <= (uintptr_t)end; q += sizeof(void *)) {
        uintptr_t v = *(const uintptr_t *)q;
        if (v >= h->lo && v < h->hi) mark_conservative(h, v);
      }
    }
#endif
  }
}

static __attribute__((noinline)) void scan_from_here(Heap *h) {
  uintptr_t top = stack_top();
  uintptr_t here = (uintptr_t)__builtin_frame_address(0);
  /* Running on a stack the thread does not own (a coroutine or signal
   * stack) is not supported; refuse to walk into unmapped memory. */
  if (here >= thread_stack_low && here < top) scan_words(h, here, top);
}

/* Spills the callee-saved registers into this frame (setjmp alone mangles
 * some of them in glibc), then scans everything above the scanner's frame. */
static __attribute__((noinline)) void scan_stack_and_registers(Heap *h) {
  jmp_buf regs;
  memset(&regs, 0, sizeof regs); /* setjmp leaves parts unwritten: no stale words */
  __builtin_unwind_init();
  setjmp(regs);
  scan_from_here(h);
  __asm__ volatile("" : : "r"(&regs) : "memory"); /* keep regs alive */
}

/* --- roots --------------------------------------------------------------- */

void gc_add_root(Heap *h, Value *slot) {
  if (h->nroots == h->roots_cap) {
    size_t cap = h->roots_cap ? h->roots_cap * 2 : 32;
    Value **r = realloc(h->roots, cap * sizeof *r);
    if (!r) abort(); /* a root we cannot record would be a use-after-free later */
    h->roots = r;
    h->roots_cap = cap;
  }
  h->roots[h->nroots++] = slot;
}

void gc_remove_root(Heap *h, Value *slot) {
  for (size_t i = h->nroots; i-- > 0;)
    if (h->roots[i] == slot) {
      h->roots[i] = h->roots[--h->nroots];
      return;
    }
}

void gc_add_root_tracer(Heap *h, GCRootTracer fn, void *data) {
  if (h->ntracers == h->tracers_cap) {
    size_t cap = h->tracers_cap ? h->tracers_cap * 2 : 8;
    GCTracerEntry *t = realloc(h->tracers, cap * sizeof *t);
    if (!t) abort();
    h->tracers = t;
    h->tracers_cap = cap;
  }
  h->tracers[h->ntracers++] = (GCTracerEntry){fn, data};
}

void gc_remove_root_tracer(Heap *h, GCRootTracer fn, void *data) {
  for (size_t i = 0; i < h->ntracers; i++)
    if (h->tracers[i].fn == fn && h->tracers[i].data == data) {
      memmove(&h->tracers[i], &h->tracers[i + 1], (h->ntracers - i - 1) * sizeof *h->tracers);
      h->ntracers--;
      return;
    }
}

void gc_add_weak_callback(Heap *h, GCWeakCallback fn, void *data) {
  if (h->nweak_cbs == h->weak_cbs_cap) {
    size_t cap = h->weak_cbs_cap ? h->weak_cbs_cap * 2 : 8;
    GCWeakEntry *t = realloc(h->weak_cbs, cap * sizeof *t);
    if (!t) abort();
    h->weak_cbs = t;
    h->weak_cbs_cap = cap;
  }
  h->weak_cbs[h->nweak_cbs++] = (GCWeakEntry){fn, data};
}

void gc_remove_weak_callback(Heap *h, GCWeakCallback fn, void *data) {
  for (size_t i = 0; i < h->nweak_cbs; i++)
    if (h->weak_cbs[i].fn == fn && h->weak_cbs[i].data == data) {
      memmove(&h->weak_cbs[i], &h->weak_cbs[i + 1], (h->nweak_cbs - i - 1) * sizeof *h->weak_cbs);
      h->nweak_cbs--;
      return;
    }
}

void gc_set_collect_hook(Heap *h, GCCollectHook fn, void *data) {
  h->collect_hook = fn;
  h->collect_hook_data = data;
}

/* --- a collection -------------------------------------------------------- */

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void format_bytes(char *buf, size_t n, size_t bytes) {
  if (bytes < 1024)
    snprintf(buf, n, "%zu B", bytes);
  else if (bytes < 1024 * 1024)
    snprintf(buf, n, "%.1f KiB", bytes / 1024.0);
  else if (bytes < (size_t)1024 * 1024 * 1024)
    snprintf(buf, n, "%.1f MiB", bytes / (1024.0 * 1024.0));
  else
    snprintf(buf, n, "%.2f GiB", bytes / (1024.0 * 1024.0 * 1024.0));
}

/* Kept out of gc_collect: uninitialized buffers in its frame would be
 * scanned conservatively and could hold stale pointers. */
static __attribute__((noinline)) void trace_line(Heap *h, size_t before, double pause) {
  char a[32], b[32], r[32], e[32];
  format_bytes(a, sizeof a, before);
  format_bytes(b, sizeof b, h->live_bytes);
  format_bytes(r, sizeof r, h->reserved_bytes);
  format_bytes(e, sizeof e, h->external_bytes);
  fprintf(stderr, "[gc] #%zu full: %s -> %s (reserved %s, external %s), pause %.2f ms\n", h->collections, a,
          b, r, e, pause);
}

static void clear_marks(Heap *h) {
  for (int i = 0; i < GC_NUM_CLASSES; i++)
    for (GCBlock *b = h->classes[i].blocks; b; b = b->next) {
      memset(b->marks, 0, GC_MARK_WORDS * sizeof(uint64_t));
      b->marked_cells = 0;
    }
  for (GCBlock *b = h->large; b; b = b->next) b->large_marked = 0;
}

/* The collector's own earlier work (sweeping, sorting) left stale words
 * (addresses of arbitrary cells) in the stack just below gc_collect; the
 * scanner's frames and their padding will sit there. Zeroing that area
 * first keeps dead cells from being retained. On x86-64 this is inline
 * assembly so that no frame padding of our own escapes the wipe. */
#if !defined(__x86_64__)
static GC_NO_ASAN __attribute__((noinline)) void clear_scratch_buffer(void) {
  volatile char buf[16384];
  memset((char *)buf, 0, sizeof buf);
  __asm__ volatile("" : : "r"(buf) : "memory");
}
#endif

static inline __attribute__((always_inline)) void clear_scratch_stack(void) {
#if defined(__x86_64__)
  __asm__ volatile("mov %%rsp, %%rdi\n\t"
                   "sub $16384, %%rdi\n\t"
                   "mov $16384, %%rcx\n\t"
                   "xor %%eax, %%eax\n\t"
                   "cld\n\t"
                   "rep stosb"
                   :
                   :
                   : "rdi", "rcx", "rax", "memory", "cc");
#else
  clear_scratch_buffer();
#endif
}

static __attribute__((noinline)) void mark_roots(Heap *h) {
  /* The stack first: tracing callbacks would leave fresh stale words. */
  scan_stack_and_registers(h);
  for (size_t i = 0; i < h->nroots; i++) gc_mark_value(h, *h->roots[i]);
  for (size_t i = 0; i < h->ntracers; i++) h->tracers[i].fn(h, h->tracers[i].data);
  gc_weak_trace_roots(h);
  gc_drain(h);
}

void gc_collect(Heap *h) {
  if (h->collecting) return;
  double t0 = now_ms();
  size_t before = h->live_bytes + h->fast.allocated_since;
  gc_finish_sweeping(h);
  h->collecting = true;
  clear_marks(h);
  gc_sort_spans(h);
  h->live_bytes = 0;
  h->seen_weak_cells = NULL;
  h->seen_tables = NULL;

  clear_scratch_stack();
  mark_roots(h);
  /* Ephemerons: a value is live once its key is; repeat until stable. */
  while (gc_weak_fixpoint_step(h)) gc_drain(h);
  gc_weak_process(h);
  for (size_t i = 0; i < h->nweak_cbs; i++) h->weak_cbs[i].fn(h, h->weak_cbs[i].data);

  h->threshold = h->live_bytes > GC_MIN_TRIGGER ? h->live_bytes : GC_MIN_TRIGGER;
  gc_after_mark(h);
  h->collecting = false;
  h->fast.allocated_since = 0;
  h->external_since = 0;
  h->collections++;
  gc_recompute_budget(h);

  double pause = now_ms() - t0;
  h->total_pause_ms += pause;
  if (pause > h->max_pause_ms) h->max_pause_ms = pause;
  if (h->opts.trace) trace_line(h, before, pause);
  if (h->collect_hook) h->collect_hook(h, pause, h->collect_hook_data);
}
