;; Without --invoke the shell runs the exported _start (after the start
;; section); its output here is the trap it raises on purpose.
;; exit: 1
(module
  (global $g (mut i32) (i32.const 0))
  (func $init (global.set $g (i32.const 1)))
  (start $init)
  (func (export "_start")
    (if (i32.eq (global.get $g) (i32.const 1)) (then unreachable))))
