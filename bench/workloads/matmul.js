// matmul: dense n x n double matrix multiply, i-k-j order (memory streaming).
function workload(n) {
  const a = new Float64Array(n * n), b = new Float64Array(n * n), c = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      a[i * n + j] = ((i * 7 + j * 3) % 17) / 16.0;
      b[i * n + j] = ((i * 5 + j * 11) % 13) / 12.0;
    }
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      for (let j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  let trace = 0;
  for (let i = 0; i < n; i++) trace += c[i * n + i];
  const corner = c[(n - 1) * n + (n - 1)] + c[n - 1];
  return (Math.imul((trace * 1000.0) | 0, 31) + ((corner * 1000.0) | 0)) >>> 0;
}

const N = (typeof scriptArgs !== "undefined" && scriptArgs.length) ? +scriptArgs[0]
  : (typeof process !== "undefined" && process.argv.length > 2) ? +process.argv[2] : 256;
(typeof console !== "undefined" ? console.log : print)(String(workload(N)));
