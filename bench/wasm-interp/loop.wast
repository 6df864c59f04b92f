(module
  (memory 1)
  ;; A sieve-free numeric loop: sums i*i mod 7 with a memory round trip.
  (func (export "run") (result i32) (local $i i32) (local $s i32)
    (loop $top
      (i32.store (i32.const 16) (i32.rem_u (i32.mul (local.get $i) (local.get $i)) (i32.const 7)))
      (local.set $s (i32.add (local.get $s) (i32.load (i32.const 16))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (i32.const 50000000))))
    (local.get $s)))
(assert_return (invoke "run") (i32.const 149932349))
