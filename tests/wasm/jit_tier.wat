;; --wasm-tier=jit: the LLVM tier is not built yet, so the shell says so and
;; runs the module in the interpreter.
;; args: --wasm-tier=jit --invoke f
(module (func (export "f") (result i32) (i32.const 7)))
