;; Integer and float arithmetic; one call returns one value of each type.
;; args: --invoke main
(module
  (func (export "main") (result i32 i64 f32 f64 i32)
    (i32.add (i32.mul (i32.const 6) (i32.const 7)) (i32.const -50))  ;; -8
    (i64.div_s (i64.const -9000000000000000000) (i64.const 3))        ;; -3000000000000000000
    (f32.div (f32.const 1) (f32.const 3))                             ;; 0.333333343
    (f64.add (f64.const 0.1) (f64.const 0.2))                         ;; 0.30000000000000004
    (i32.rotl (i32.const 0x80000001) (i32.const 1))))                 ;; 3
