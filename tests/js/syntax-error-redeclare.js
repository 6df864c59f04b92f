// exit: 1
let count = 0;
function f() {}
var count;
