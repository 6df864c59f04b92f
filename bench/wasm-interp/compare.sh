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
  # User CPU time, so that other load on the machine does not skew the ratio.
  tt=$( { /usr/bin/time -f "%U" "$runner" "$tmp/$name.json" > "$tmp/out"; } 2>&1 )
  grep -q "failed=0" "$tmp/out" || { echo "$name: wrong result"; exit 1; }
  tw=$( { /usr/bin/time -f "%U" wasm-interp --run-all-exports "$tmp/$name.wasm" > /dev/null; } 2>&1 )
  echo "$name: tandem ${tt}s, wasm-interp ${tw}s, ratio $(echo "scale=1; $tw / $tt" | bc)x"
done
