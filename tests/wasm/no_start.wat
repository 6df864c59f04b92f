;; A module without _start: instantiation (and its start section) is all.
(module
  (func $s)
  (start $s)
  (func (export "f") (result i32) (i32.const 1)))
