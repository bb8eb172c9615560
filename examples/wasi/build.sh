#!/usr/bin/env bash
# Rebuilds the example WASI programs. Needs clang, lld and a wasm32-wasi sysroot (Debian: clang lld wasi-libc
# libclang-rt-14-dev-wasm32). The built .wasm files are committed, so tests never need a C compiler.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
sysroot="${WASI_SYSROOT:-/usr}"
cc=(clang --target=wasm32-wasi -O2 -g0)
[ -d /usr/include/wasm32-wasi ] || cc+=(--sysroot="$sysroot")
for c in hello args_env files clocks random stdin exit; do
  "${cc[@]}" "$c.c" -o "$c.wasm"
done
# fib: a bare module (no libc, no entry point) keeping its function names for backtraces.
clang --target=wasm32 -O1 -nostdlib -Wl,--no-entry -Wl,--export=fib -Wl,--export=crash fib.c -o fib.wasm
