;; Unbounded recursion ends in a clean stack-exhaustion error, not a crash.
;; args: --invoke f
;; exit: 1
(module (func $f (export "f") (result i32) (i32.add (call $f) (i32.const 1))))
