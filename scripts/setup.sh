#!/usr/bin/env bash
# Installs every build and test dependency of tandem from Debian's packages.
# Safe to run again: it only calls apt-get when a package is missing.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  llvm-19-dev libzstd-dev libcurl4-openssl-dev libxml2-dev  # LLVM 19 + what its CMake config wants
  check libuv1-dev libicu-dev libedit-dev                     # unit tests, event loop, Unicode, REPL
  wabt                                                         # wat2wasm / wast2json for Wasm tests
  clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32          # C -> wasm32 for benchmarks and WASI tests
  python3                                                      # test runners
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all dependencies present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
