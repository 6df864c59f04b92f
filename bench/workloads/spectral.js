// spectral-norm: the largest eigenvalue of an infinite matrix (nested float loops).
function a(i, j) { return 1.0 / (((i + j) * (i + j + 1) / 2 | 0) + i + 1); }

function mulAv(n, v, av) {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a(i, j) * v[j];
    av[i] = s;
  }
}

function mulAtv(n, v, atv) {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a(j, i) * v[j];
    atv[i] = s;
  }
}

function mulAtAv(n, v, out, tmp) {
  mulAv(n, v, tmp);
  mulAtv(n, tmp, out);
}

function workload(n) {
  const u = new Float64Array(n).fill(1), v = new Float64Array(n), tmp = new Float64Array(n);
  for (let i = 0; i < 10; i++) {
    mulAtAv(n, u, v, tmp);
    mulAtAv(n, v, u, tmp);
  }
  let vbv = 0, vv = 0;
  for (let i = 0; i < n; i++) {
    vbv += u[i] * v[i];
    vv += v[i] * v[i];
  }
  return (Math.sqrt(vbv / vv) * 1e9 | 0) >>> 0;
}

const N = (typeof scriptArgs !== "undefined" && scriptArgs.length) ? +scriptArgs[0]
  : (typeof process !== "undefined" && process.argv.length > 2) ? +process.argv[2] : 400;
(typeof console !== "undefined" ? console.log : print)(String(workload(N)));
