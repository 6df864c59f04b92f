# Every trap kind: a RuntimeError with the spec's message on stderr, exit 1.
# needs: wat2wasm
dir=$(mktemp -d) && trap 'rm -rf "$dir"' EXIT
cat > "$dir/traps.wat" <<'WAT'
(module
  (type $v (func))
  (type $i (func (result i32)))
  (memory 1)
  (table 3 funcref)
  (elem (i32.const 0) $v $i)
  (func $v)
  (func $i (result i32) (i32.const 1))
  (func (export "unreachable") unreachable)
  (func (export "div_zero") (result i32) (i32.div_s (i32.const 1) (i32.const 0)))
  (func (export "rem_zero") (result i64) (i64.rem_u (i64.const 1) (i64.const 0)))
  (func (export "overflow") (result i32) (i32.div_s (i32.const 0x80000000) (i32.const -1)))
  (func (export "bad_conversion") (result i32) (i32.trunc_f32_s (f32.const nan)))
  (func (export "conversion_overflow") (result i64) (i64.trunc_f64_u (f64.const -1)))
  (func (export "memory") (result i32) (i32.load (i32.const 65534)))
  (func (export "memory_fill") (memory.fill (i32.const 65000) (i32.const 0) (i32.const 1000)))
  (func (export "undefined_element") (call_indirect (type $v) (i32.const 7)))
  (func (export "uninitialized_element") (call_indirect (type $v) (i32.const 2)))
  (func (export "signature_mismatch") (call_indirect (type $v) (i32.const 1)))
  (func (export "table") (drop (table.get 0 (i32.const 3))))
)
WAT
wat2wasm --enable-all "$dir/traps.wat" -o "$dir/traps.wasm" || exit 1
cd "$dir" || exit 1
for name in unreachable div_zero rem_zero overflow bad_conversion conversion_overflow memory \
            memory_fill undefined_element uninitialized_element signature_mismatch table; do
  "$TANDEM" --invoke "$name" traps.wasm 2>&1
  echo "$name: exit $?"
done
