// Core language features run by the interpreter: operators, functions,
// closures, objects, arrays, classes, destructuring, loops, labels, switch.
console.log("hello, world");
let x = 1 + 2 * 3;
console.log(x, x / 2, 0.1 + 0.2, -0, 1e21, 2**53);
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
console.log(fib(20));
var o = { a: 1, b: "two", get c() { return this.a + 10; } };
console.log(o.a, o.b, o.c);
function Point(x, y) { this.x = x; this.y = y; }
var p = new Point(3, 4);
console.log(p.x * p.y);
let arr = [1, 2, 3];
arr[3] = 4;
console.log(arr.length, arr[3]);
function counter() { let n = 0; return () => ++n; }
const c1 = counter(); c1(); c1();
console.log(c1());
try { null.x; } catch (e) { print("caught", e.message); }
let s = 0;
for (let i = 0; i < 10; i++) { if (i == 5) continue; if (i == 8) break; s += i; }
console.log(s);
for (const v of arr) s += v;
console.log(s);
for (const k in o) print("key", k);
class A { constructor(v) { this.v = v; } get double() { return this.v * 2; } static make() { return new A(21); } }
class B extends A { constructor() { super(5); } inc() { return this.v + 1; } }
console.log(A.make().double, new B().inc(), new B() instanceof A);
function f() { try { return "try"; } finally { print("finally runs"); } }
console.log(f());
const {a, b: bb, ...rest} = {a: 1, b: 2, c: 3, d: 4};
console.log(a, bb, rest.c, rest.d);
const [q, , r = 9, ...more] = [1, 2, undefined, 4, 5];
console.log(q, r, more.length);
console.log(`template ${x} and ${o.b}`);
console.log(typeof undefinedThing, typeof 1, typeof "s", typeof {}, typeof print);
label: for (let i = 0; i < 3; i++) { for (let j = 0; j < 3; j++) { if (j == 1) continue label; if (i == 2) break label; print(i, j); } }
switch (3) { case 1: print("one"); case 3: print("three"); case 4: print("four"); break; default: print("dflt"); }
console.log(o?.a, o?.zz?.y, null ?? "nullish");
