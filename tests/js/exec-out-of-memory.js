// Reaching the heap limit throws a catchable InternalError (a preallocated
// object: making one would need the missing memory); once the garbage is
// unreachable the same heap serves new allocations.
// args: --max-heap=32M
function fill() {
  const a = [];
  while (true) a.push({ x: a.length });
}
let caught = null;
try {
  fill();
} catch (e) {
  caught = e;
}
console.log("caught", caught instanceof Error, caught.name, caught.message);
const b = [];
for (let i = 0; i < 100000; i++) b.push([i]);
console.log("heap usable again", b.length);
