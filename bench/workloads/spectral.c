/* spectral-norm: the largest eigenvalue of an infinite matrix (nested float loops). */
#define DEFAULT_N 400
#include "bench.h"

static double a(int i, int j) { return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1); }

static void mul_av(int n, const double *v, double *av) {
  for (int i = 0; i < n; i++) {
    double s = 0;
    for (int j = 0; j < n; j++) s += a(i, j) * v[j];
    av[i] = s;
  }
}

static void mul_atv(int n, const double *v, double *atv) {
  for (int i = 0; i < n; i++) {
    double s = 0;
    for (int j = 0; j < n; j++) s += a(j, i) * v[j];
    atv[i] = s;
  }
}

static void mul_atav(int n, const double *v, double *out, double *tmp) {
  mul_av(n, v, tmp);
  mul_atv(n, tmp, out);
}

static uint32_t workload(int n) {
  bench_arena_reset();
  double *u = bench_alloc(n * sizeof(double)), *v = bench_alloc(n * sizeof(double));
  double *tmp = bench_alloc(n * sizeof(double));
  for (int i = 0; i < n; i++) u[i] = 1;
  for (int i = 0; i < 10; i++) {
    mul_atav(n, u, v, tmp);
    mul_atav(n, v, u, tmp);
  }
  double vbv = 0, vv = 0;
  for (int i = 0; i < n; i++) {
    vbv += u[i] * v[i];
    vv += v[i] * v[i];
  }
  return (uint32_t)(int32_t)(bench_sqrt(vbv / vv) * 1e9);
}
