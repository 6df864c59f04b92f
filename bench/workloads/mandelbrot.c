/* mandelbrot: escape-time iteration over an n x n grid (float loop, bit packing). */
#define DEFAULT_N 800
#include "bench.h"

static uint32_t workload(int n) {
  uint32_t hash = 2166136261u;
  for (int y = 0; y < n; y++) {
    double ci = 2.0 * y / n - 1.0;
    unsigned bits = 0;
    int nbits = 0;
    for (int x = 0; x < n; x++) {
      double cr = 2.0 * x / n - 1.5;
      double zr = 0, zi = 0, tr = 0, ti = 0;
      int i = 0;
      for (; i < 50 && tr + ti <= 4.0; i++) {
        zi = 2.0 * zr * zi + ci;
        zr = tr - ti + cr;
        tr = zr * zr;
        ti = zi * zi;
      }
      bits = (bits << 1) | (tr + ti <= 4.0 ? 1u : 0u);
      if (++nbits == 8) {
        hash = (hash ^ bits) * 16777619u;
        bits = 0;
        nbits = 0;
      }
    }
    if (nbits) hash = (hash ^ (bits << (8 - nbits))) * 16777619u;
  }
  return hash;
}
