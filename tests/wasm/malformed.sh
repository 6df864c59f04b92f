# Malformed and invalid binaries are a CompileError naming the byte offset,
# exit 1. The bytes are written with printf, so no tool is needed.
dir=$(mktemp -d) && trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
check() {
  printf "$2" > "$1.wasm"
  "$TANDEM" "$1.wasm" 2>&1
  echo "$1: exit $?"
}
check empty ''
check bad_magic '\0asn\1\0\0\0'
check bad_version '\0asm\2\0\0\0'
check truncated_header '\0asm\1\0'
check truncated_section '\0asm\1\0\0\0\1\5\1\140'
check unknown_section '\0asm\1\0\0\0\77\0'
check type_mismatch '\0asm\1\0\0\0\1\5\1\140\0\1\177\3\2\1\0\12\4\1\2\0\13'
check only_magic '\0asm'
