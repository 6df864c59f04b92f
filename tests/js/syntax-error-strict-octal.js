// exit: 1
function f() {
  "use strict";
  return 017;
}
