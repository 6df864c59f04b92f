/* bench.h: the frame around every C workload. A workload defines
 *   static uint32_t workload(int n);   (returns its checksum)
 *   #define DEFAULT_N ...
 * and this header turns it into a native/WASI program (`prog [n]` prints the
 * checksum) or, with -DBENCH_FREESTANDING, a libc-free Wasm module exporting
 * `bench()` (runs DEFAULT_N, returns the checksum) for engines without WASI. */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

static uint32_t workload(int n);

#ifdef BENCH_FREESTANDING
#define bench_sqrt(x) __builtin_sqrt(x)
__attribute__((export_name("bench"))) uint32_t bench(void) { return workload(DEFAULT_N); }
#else
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#define bench_sqrt(x) sqrt(x)
int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : DEFAULT_N;
  printf("%u\n", (unsigned)workload(n));
  return 0;
}
#endif

/* A bump arena over static storage: the same allocator in every build, so the
 * workloads measure the engines, not malloc. */
static unsigned char bench_arena[64 << 20];
static size_t bench_arena_used;
static void *bench_alloc(size_t size) {
  size = (size + 15) & ~(size_t)15;
  if (bench_arena_used + size > sizeof bench_arena) return 0;
  void *p = bench_arena + bench_arena_used;
  bench_arena_used += size;
  return p;
}
static void bench_arena_reset(void) { bench_arena_used = 0; }

#endif
