// hello.js: a small JavaScript program for the quick-start demo.
class Shape {
  constructor(name) { this.name = name; }
  describe() { return `${this.name} with area ${this.area().toFixed(2)}`; }
}
class Circle extends Shape {
  constructor(r) { super("circle"); this.r = r; }
  area() { return Math.PI * this.r * this.r; }
}
class Square extends Shape {
  constructor(s) { super("square"); this.s = s; }
  area() { return this.s * this.s; }
}
const shapes = [new Circle(1), new Square(3), new Circle(2.5)];
for (const s of shapes) console.log(s.describe());
const total = shapes.map((s) => s.area()).reduce((a, b) => a + b, 0);
console.log("total area:", total.toFixed(3));
const counter = (() => { let n = 0; return () => ++n; })();
counter(); counter();
console.log("closures count:", counter());
