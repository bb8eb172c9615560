#!/bin/bash -eu
# OSS-Fuzz build script for WasmSpec (not built here: this machine has no container engine).
# Publishes the harness program, instruments the project's assemblies with SharpFuzz, and makes one libFuzzer
# target per harness: a launcher that runs libfuzzer-dotnet on `Spec.Fuzz HARNESS --libfuzzer`, with its seed corpus.
cd "$SRC/wasmspec"
dotnet publish fuzz/Spec.Fuzz/Spec.Fuzz.csproj -c Release -o "$OUT/wasmspec"
for dll in Spec.Syntax Spec.Binary Spec.Text Spec.Validation Spec.Execution wast-run; do
  sharpfuzz "$OUT/wasmspec/$dll.dll"
done
for h in decode text wast validate pipeline; do
  dotnet "$OUT/wasmspec/Spec.Fuzz.dll" seeds "$h" test/testsuite "$WORK/seeds-$h"
  (cd "$WORK/seeds-$h" && zip -q "$OUT/wasmspec_${h}_seed_corpus.zip" ./*)
  cat > "$OUT/wasmspec_$h" <<SCRIPT
#!/bin/sh
# LLVMFuzzerTestOneInput for $h
this_dir=\$(dirname "\$0")
exec "\$this_dir/libfuzzer-dotnet" --target_path=dotnet --target_arg="\$this_dir/wasmspec/Spec.Fuzz.dll $h --libfuzzer" "\$@"
SCRIPT
  chmod +x "$OUT/wasmspec_$h"
done
cp "$(command -v libfuzzer-dotnet)" "$OUT/"
