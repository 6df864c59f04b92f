/* matmul: dense n x n double matrix multiply, i-k-j order (memory streaming). */
#define DEFAULT_N 256
#include "bench.h"

static uint32_t workload(int n) {
  bench_arena_reset();
  double *a = bench_alloc((size_t)n * n * sizeof(double));
  double *b = bench_alloc((size_t)n * n * sizeof(double));
  double *c = bench_alloc((size_t)n * n * sizeof(double));
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) {
      a[i * n + j] = (double)((i * 7 + j * 3) % 17) / 16.0;
      b[i * n + j] = (double)((i * 5 + j * 11) % 13) / 12.0;
      c[i * n + j] = 0;
    }
  for (int i = 0; i < n; i++)
    for (int k = 0; k < n; k++) {
      double aik = a[i * n + k];
      for (int j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  double trace = 0, corner = 0;
  for (int i = 0; i < n; i++) trace += c[i * n + i];
  corner = c[(n - 1) * n + (n - 1)] + c[n - 1];
  return (uint32_t)(int32_t)(trace * 1000.0) * 31u + (uint32_t)(int32_t)(corner * 1000.0);
}
