#!/usr/bin/env bash
# Configures and builds tandem into a build folder.
#   scripts/build.sh [release|debug|sanitize] [build-dir]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
kind=${1:-release}
case "$kind" in
  release)  dir=${2:-$here/build};          args=(-DCMAKE_BUILD_TYPE=Release) ;;
  debug)    dir=${2:-$here/build-debug};    args=(-DCMAKE_BUILD_TYPE=Debug) ;;
  sanitize) dir=${2:-$here/build-sanitize}; args=(-DCMAKE_BUILD_TYPE=Debug -DTANDEM_SANITIZE=ON) ;;
  *) echo "usage: scripts/build.sh [release|debug|sanitize] [build-dir]" >&2; exit 2 ;;
esac
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S "$here" -B "$dir" "${args[@]}" -DTANDEM_WERROR=ON >/dev/null
cmake --build "$dir" -j"$jobs"
