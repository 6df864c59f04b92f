# --version names tandem's version and the LLVM of the JIT backend module,
# which is loaded only on demand.
"$TANDEM" --version
echo "exit $?"
TANDEM_JIT_MODULE=/nonexistent "$TANDEM" --version | head -1
