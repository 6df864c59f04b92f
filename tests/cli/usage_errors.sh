# Unknown flags, missing arguments and bad values are usage errors: one line, exit 2.
for args in "--bogus" "--max-heap" "--max-heap=12Q x.js" "--gc-stress=0 x.js" "--wasm-tier=fast x.wasm" "--help=yes" ""; do
  # shellcheck disable=SC2086
  "$TANDEM" $args 2>&1
  echo "exit $?"
done
