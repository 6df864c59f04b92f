;; Under --gc-stress 1 (a collection at every allocation) the module, its
;; instance, table and memory survive instantiation and the call.
;; args: --gc-stress 1 --invoke main
(module
  (type $f (func (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $a $b)
  (memory 1)
  (data (i32.const 8) "\2a\00\00\00")
  (global $g (mut i64) (i64.const 5))
  (func $a (result i32) (i32.load (i32.const 8)))
  (func $b (result i32) (i32.wrap_i64 (global.get $g)))
  (func (export "main") (result i32 i32 i32)
    (global.set $g (i64.add (global.get $g) (i64.const 1)))
    (call_indirect (type $f) (i32.const 0))
    (call_indirect (type $f) (i32.const 1))
    (memory.grow (i32.const 1))))
