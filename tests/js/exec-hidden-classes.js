// The hidden-class order effect, observable through --trace-ic: objects
// built with the same property order share a shape and keep the load site
// monomorphic; a different order adds a second shape (polymorphic).
// args: --trace-ic
function Point(x, y) { this.x = x; this.y = y; }
function getX(p) { return p.x; }
let sum = 0;
for (let i = 0; i < 5; i++) sum += getX(new Point(i, i));
console.log("same order:", sum);
const a = { x: 1, y: 2 };
const b = { y: 2, x: 1 };
console.log("other order:", getX(a) + getX(b));
