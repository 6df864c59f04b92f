# Usage errors of --invoke exit with status 2; a missing file with 1.
# needs: wat2wasm
dir=$(mktemp -d) && trap 'rm -rf "$dir"' EXIT
printf '(module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))) (memory (export "mem") 1))' > "$dir/add.wat"
wat2wasm "$dir/add.wat" -o "$dir/add.wasm" || exit 1
cd "$dir" || exit 1
"$TANDEM" --invoke add add.wasm 1 2; echo "exit $?"
"$TANDEM" --invoke add add.wasm 1 2>&1; echo "exit $?"
"$TANDEM" --invoke add add.wasm 1 2 3 2>&1; echo "exit $?"
"$TANDEM" --invoke add add.wasm 1 x 2>&1; echo "exit $?"
"$TANDEM" --invoke add add.wasm 1 4294967296 2>&1; echo "exit $?"
"$TANDEM" --invoke add add.wasm 1 1.5 2>&1; echo "exit $?"
"$TANDEM" --invoke add add.wasm 1 '' 2>&1; echo "exit $?"
"$TANDEM" --invoke mem add.wasm 2>&1; echo "exit $?"
"$TANDEM" --invoke nope add.wasm 2>&1; echo "exit $?"
"$TANDEM" --invoke add missing.wasm 1 2 2>&1; echo "exit $?"
