#!/usr/bin/env bash
# Quick start, part 1: installs what is missing, builds tandem, runs the demo.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/setup.sh"
"$here/scripts/build.sh" release
t="$here/build/tandem"
echo
echo "\$ tandem --version"
"$t" --version
for f in "$here"/examples/demo/*.sh; do
  [ -f "$f" ] && TANDEM="$t" bash "$f"
done
