#!/usr/bin/env bash
# Quick start, part 2: installs what is missing, builds tandem from scratch and
# runs the whole test suite (unit, feature and conformance tests through ctest),
# then the unit tests again under AddressSanitizer + UBSan.
#   scripts/test.sh            everything
#   scripts/test.sh --fast     release suite only (no sanitizer pass)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
fast=0
[ "${1:-}" = "--fast" ] && fast=1
jobs=$(nproc 2>/dev/null || echo 2)

"$here/scripts/setup.sh"

echo "== release build and full suite"
rm -rf "$here/build"
"$here/scripts/build.sh" release
(cd "$here/build" && ctest --output-on-failure -j"$jobs" --timeout 3000)

if [ "$fast" = 0 ]; then
  echo "== unit tests under AddressSanitizer + UBSan"
  rm -rf "$here/build-sanitize"
  "$here/scripts/build.sh" sanitize
  (cd "$here/build-sanitize" &&
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
      ctest --output-on-failure -j"$jobs" -L unit)
fi
