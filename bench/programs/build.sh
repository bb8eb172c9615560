#!/usr/bin/env bash
# Rebuilds the benchmark programs. Needs clang 14, lld and a wasm32-wasi sysroot
# (Debian: clang lld wasi-libc libclang-rt-14-dev-wasm32). The built .wasm files are committed beside the sources,
# so running the benchmark or its test never needs a C compiler.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if ! command -v clang >/dev/null; then
  echo "build.sh: clang not found; on Debian install clang lld wasi-libc libclang-rt-14-dev-wasm32" >&2
  exit 1
fi
sysroot="${WASI_SYSROOT:-/usr}"
for c in *.c; do
  clang --target=wasm32-wasi --sysroot="$sysroot" -O2 -Wl,--strip-debug -o "${c%.c}.wasm" "$c" -lm
done
