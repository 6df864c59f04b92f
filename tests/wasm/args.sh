# --invoke converts the arguments by the export's signature and prints each
# result on its own line: integers as signed decimal, floats round-tripping.
# needs: wat2wasm
dir=$(mktemp -d) && trap 'rm -rf "$dir"' EXIT
cat > "$dir/args.wat" <<'WAT'
(module
  (func (export "i32") (param i32) (result i32) (local.get 0))
  (func (export "i64") (param i64) (result i64) (local.get 0))
  (func (export "f32") (param f32) (result f32) (local.get 0))
  (func (export "f64") (param f64) (result f64) (local.get 0))
  (func (export "mixed") (param i32 i64 f32 f64) (result f64 f32 i64 i32)
    (local.get 3) (local.get 2) (local.get 1) (local.get 0))
  (func (export "f32_bits") (param f32) (result i32) (i32.reinterpret_f32 (local.get 0)))
  (func (export "none")))
WAT
wat2wasm "$dir/args.wat" -o "$dir/args.wasm" || exit 1
cd "$dir" || exit 1
for a in 0 -1 2147483647 -2147483648 4294967295 0x7fffffff 0xFFFFFFFF; do
  printf 'i32 %s -> ' "$a"; "$TANDEM" --invoke i32 args.wasm "$a" 2>&1
done
for a in 9223372036854775807 -9223372036854775808 18446744073709551615 0x123456789abcdef0; do
  printf 'i64 %s -> ' "$a"; "$TANDEM" --invoke i64 args.wasm "$a" 2>&1
done
for a in 0 -0 1.5 0.1 3.4028234663852886e38 1e-45 nan -nan inf -inf 0x1p-3; do
  printf 'f32 %s -> ' "$a"; "$TANDEM" --invoke f32 args.wasm "$a" 2>&1
done
for a in 0 -0 0.1 1e308 5e-324 nan inf -inf 123456789.125; do
  printf 'f64 %s -> ' "$a"; "$TANDEM" --invoke f64 args.wasm "$a" 2>&1
done
for a in nan nan:0x200000 -nan:0x1; do
  printf 'f32_bits %s -> ' "$a"; "$TANDEM" --invoke f32_bits args.wasm "$a" 2>&1
done
echo "mixed:"
"$TANDEM" --invoke mixed args.wasm -5 12345678901234 2.5 -0.75
echo "exit $?"
echo "none:"
"$TANDEM" --invoke none args.wasm
echo "exit $?"
