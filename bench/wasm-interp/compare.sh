#!/bin/sh
# compare.sh: times tandem's Wasm interpreter against wabt's wasm-interp on
# the same modules. Each .wast holds one module whose export "run" takes no
# arguments, then an assert_return that checks the result. tandem runs the
# converted command file with the spec-test runner (so the result is
# verified); wasm-interp runs the module's exports.
# Usage: bench/wasm-interp/compare.sh [path/to/wast_runner]
set -e
here=$(cd "$(dirname "$0")" && pwd)
runner=${1:-$(ls "$here"/../../build*/spec-tests/wasm/wast_runner | head -1)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for wast in "$here"/*.wast; do
  name=$(basename "$wast" .wast)
  wast2json "$wast" -o "$tmp/$name.json"
  sed '/^(assert_return/,$d' "$wast" > "$tmp/$name.wat"
  wat2wasm "$tmp/$name.wat" -o "$tmp/$name.wasm"
  t0=$(date +%s.%N)
  "$runner" "$tmp/$name.json" | grep -q "failed=0"
  t1=$(date +%s.%N)
  wasm-interp --run-all-exports "$tmp/$name.wasm" > /dev/null
  t2=$(date +%s.%N)
  echo "$name: tandem $(echo "$t1 - $t0" | bc)s, wasm-interp $(echo "$t2 - $t1" | bc)s," \
       "ratio $(echo "scale=1; ($t2 - $t1) / ($t1 - $t0)" | bc)x"
done
