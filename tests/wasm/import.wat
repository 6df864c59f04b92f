;; Imports the shell cannot satisfy are a LinkError naming them.
;; exit: 1
(module
  (import "env" "log" (func $log (param i32)))
  (func (export "_start") (call $log (i32.const 1))))
