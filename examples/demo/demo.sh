# demo.sh: tandem's main job in one minute: a JavaScript program and a
# WebAssembly module in the same engine, then the same workload in both.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
t=${TANDEM:?TANDEM must name the tandem binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
wat2wasm "$here/fib.wat" -o "$tmp/fib.wasm"

echo
echo "\$ tandem examples/demo/hello.js"
"$t" "$here/hello.js"
echo
echo "\$ tandem --invoke fib fib.wasm 27      # WebAssembly, interpreter tier"
"$t" --invoke fib "$tmp/fib.wasm" 27
echo
echo "Same workload, both languages (fib(27)):"
for run in "js:$t $here/fib.js" "wasm:$t --invoke fib $tmp/fib.wasm 27"; do
  kind=${run%%:*}
  cmd=${run#*:}
  start=$(date +%s.%N)
  out=$($cmd)
  end=$(date +%s.%N)
  awk -v k="$kind" -v o="$out" -v s="$start" -v e="$end" 'BEGIN { printf "  %-5s result %s in %.3f s\n", k, o, e - s }'
done
