# --help lists every flag.
out=$(mktemp)
"$TANDEM" --help > "$out"
echo "exit $?"
for flag in --help --version -e --module --print-tokens --print-ast --print-bytecode --invoke \
            --wasm-tier --max-heap --stack-size --gc-stress --trace-gc --trace-ic --trace-jit; do
  grep -q -- " $flag" "$out" && echo "has $flag" || echo "MISSING $flag"
done
rm -f "$out"
