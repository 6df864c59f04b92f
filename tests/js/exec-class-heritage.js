// A closure in a class heritage expression sees the class's own binding
// (the heritage runs inside the class scope); this used to crash.
var p;
class C extends (p = function () { return C; }, Object) {}
console.log(p() === C, Object.getPrototypeOf(C) === Object);
try {
  class D extends (() => D)() {}
} catch (e) {
  console.log(e.name, "(D is in its temporal dead zone)");
}
