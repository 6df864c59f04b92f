;; A loop: the sum of 1..100000 in i64, and the number of steps of the
;; Collatz sequence from 27.
;; args: --invoke main
(module
  (func $sum (param $n i64) (result i64) (local $s i64)
    (block $done
      (loop $next
        (br_if $done (i64.eqz (local.get $n)))
        (local.set $s (i64.add (local.get $s) (local.get $n)))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $next)))
    (local.get $s))
  (func $collatz (param $n i32) (result i32) (local $steps i32)
    (loop $again
      (if (i32.ne (local.get $n) (i32.const 1))
        (then
          (local.set $n
            (if (result i32) (i32.and (local.get $n) (i32.const 1))
              (then (i32.add (i32.mul (local.get $n) (i32.const 3)) (i32.const 1)))
              (else (i32.shr_u (local.get $n) (i32.const 1)))))
          (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
          (br $again))))
    (local.get $steps))
  (func (export "main") (result i64 i32)
    (call $sum (i64.const 100000))
    (call $collatz (i32.const 27))))
