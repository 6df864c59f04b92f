// args: --print-ast
// Automatic semicolon insertion: each line below is its own statement.
function f() {
  return
  42
}
let a = 1
let b = a
++b
const c = b
;[1, 2].forEach(f)
