// Errors: stack overflow is a catchable RangeError and the engine keeps
// working; error stacks name each frame with file:line:column; finally
// blocks run on every exit; an uncaught error exits with status 1.
// exit: 1
function inception() { inception(); }
try {
  inception();
} catch (e) {
  console.log(e instanceof RangeError, e.message);
}
console.log("still alive", 1 + 1);

function subtractTwo(num) { throw new Error("subtractTwo failed with " + num); }
function calculate() {
  const sum = 2 + 2;
  return subtractTwo(sum);
}
try {
  calculate();
} catch (e) {
  console.log(e.stack);
}

function order() {
  const log = [];
  for (let i = 0; i < 3; i++) {
    try {
      if (i === 1) continue;
      if (i === 2) return log.join(",") + ",returned";
      log.push("body" + i);
    } finally {
      log.push("finally" + i);
    }
  }
}
console.log(order());

try {
  undefinedFunction();
} catch (e) {
  console.log(e.name + ": " + e.message);
}
let x = 1;
try {
  x.y.z;
} catch (e) {
  console.log(e.constructor === TypeError, e.message);
}
null.boom;
