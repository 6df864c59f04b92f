# A file that cannot be read is a runtime error: one line, exit 1.
"$TANDEM" no-such-file.js 2>&1
echo "exit $?"
"$TANDEM" no-such-dir/mod.wasm 2>&1
echo "exit $?"
