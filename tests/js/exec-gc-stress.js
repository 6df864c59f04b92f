// Allocation-heavy code with a collection on every 50th allocation: objects,
// arrays, closures, strings and exceptions must all stay reachable from
// registers, environments and frames while the collector runs.
// env: TANDEM_GC_STRESS=50
class Node {
  constructor(l, r) { this.left = l; this.right = r; }
}
function make(d) { return d === 0 ? new Node(null, null) : new Node(make(d - 1), make(d - 1)); }
function check(n) { return n.left ? 1 + check(n.left) + check(n.right) : 1; }
let total = 0;
for (let i = 0; i < 20; i++) total += check(make(6));
console.log("trees", total);

const makers = [];
for (let i = 0; i < 50; i++) makers.push(() => "item-" + i + "-" + [i, i * 2].join(":"));
console.log("closures", makers.map((f) => f()).slice(45).join(" "));

let s = "";
for (let i = 0; i < 200; i++) s += String.fromCharCode(97 + (i % 26));
console.log("string", s.length, s.slice(0, 30));

let caught = 0;
for (let i = 0; i < 30; i++) {
  try { throw new TypeError("e" + i); } catch (e) { if (e.message === "e" + i) caught++; }
}
console.log("exceptions", caught);
const o = {};
for (let i = 0; i < 100; i++) o["k" + i] = { v: i };
let sum = 0;
for (const k in o) sum += o[k].v;
console.log("properties", sum);
