// mandelbrot: escape-time iteration over an n x n grid (float loop, bit packing).
function workload(n) {
  let hash = 2166136261;
  for (let y = 0; y < n; y++) {
    const ci = 2.0 * y / n - 1.0;
    let bits = 0, nbits = 0;
    for (let x = 0; x < n; x++) {
      const cr = 2.0 * x / n - 1.5;
      let zr = 0, zi = 0, tr = 0, ti = 0, i = 0;
      for (; i < 50 && tr + ti <= 4.0; i++) {
        zi = 2.0 * zr * zi + ci;
        zr = tr - ti + cr;
        tr = zr * zr;
        ti = zi * zi;
      }
      bits = ((bits << 1) | (tr + ti <= 4.0 ? 1 : 0)) & 0xff;
      if (++nbits === 8) {
        hash = Math.imul(hash ^ bits, 16777619) >>> 0;
        bits = 0;
        nbits = 0;
      }
    }
    if (nbits) hash = Math.imul(hash ^ ((bits << (8 - nbits)) & 0xff), 16777619) >>> 0;
  }
  return hash >>> 0;
}

const N = (typeof scriptArgs !== "undefined" && scriptArgs.length) ? +scriptArgs[0]
  : (typeof process !== "undefined" && process.argv.length > 2) ? +process.argv[2] : 800;
(typeof console !== "undefined" ? console.log : print)(String(workload(N)));
