#!/usr/bin/env bash
# Rebuilds strings.wasm, the C reactor of the embedding examples (clang, lld, wasi-libc). The built file is committed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
clang --target=wasm32-wasi -O2 -g0 -mexec-model=reactor -Wl,--export=malloc -Wl,--export=free strings.c -o strings.wasm
