// fib.js: the same recursive Fibonacci as fib.wat, in JavaScript.
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
const n = typeof scriptArgs !== "undefined" && scriptArgs.length ? +scriptArgs[0] : 27;
console.log(fib(n));
