// binary-trees: allocate and walk many short-lived trees plus one long-lived
// tree (allocation throughput; the garbage collector does the freeing).
class Node {
  constructor(left, right) {
    this.left = left;
    this.right = right;
  }
}

function make(depth) {
  return depth === 0 ? new Node(null, null) : new Node(make(depth - 1), make(depth - 1));
}

function check(n) { return n.left ? 1 + check(n.left) + check(n.right) : 1; }

function workload(maxDepth) {
  let acc = check(make(maxDepth + 1)) >>> 0;
  const longLived = make(maxDepth);
  for (let d = 4; d <= maxDepth; d += 2) {
    const iterations = 1 << (maxDepth - d + 4);
    let sum = 0;
    for (let i = 0; i < iterations; i++) sum = (sum + check(make(d))) >>> 0;
    acc = (Math.imul(acc, 31) + sum) >>> 0;
  }
  return (Math.imul(acc, 31) + check(longLived)) >>> 0;
}

const N = (typeof scriptArgs !== "undefined" && scriptArgs.length) ? +scriptArgs[0]
  : (typeof process !== "undefined" && process.argv.length > 2) ? +process.argv[2] : 16;
(typeof console !== "undefined" ? console.log : print)(String(workload(N)));
