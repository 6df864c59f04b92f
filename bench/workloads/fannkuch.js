// fannkuch-redux: permutations and prefix reversals (integer arrays, branches).
function workload(n) {
  const perm = new Array(n).fill(0), perm1 = new Array(n).fill(0), count = new Array(n).fill(0);
  let maxFlips = 0, checksum = 0, sign = 1;
  for (let i = 0; i < n; i++) perm1[i] = i;
  let r = n;
  for (;;) {
    while (r !== 1) {
      count[r - 1] = r;
      r--;
    }
    for (let i = 0; i < n; i++) perm[i] = perm1[i];
    let flips = 0;
    for (let k = perm[0]; k !== 0; k = perm[0]) {
      for (let i = 0, j = k; i < j; i++, j--) {
        const t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      flips++;
    }
    if (flips > maxFlips) maxFlips = flips;
    checksum += sign * flips;
    sign = -sign;
    for (;;) {
      if (r === n) return (Math.imul(checksum, 1000) + maxFlips) >>> 0;
      const first = perm1[0];
      for (let i = 0; i < r; i++) perm1[i] = perm1[i + 1];
      perm1[r] = first;
      if (--count[r] > 0) break;
      r++;
    }
  }
}

const N = (typeof scriptArgs !== "undefined" && scriptArgs.length) ? +scriptArgs[0]
  : (typeof process !== "undefined" && process.argv.length > 2) ? +process.argv[2] : 10;
(typeof console !== "undefined" ? console.log : print)(String(workload(N)));
