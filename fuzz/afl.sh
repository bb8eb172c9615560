#!/usr/bin/env bash
# Coverage-guided fuzzing of the front end with AFL++ and SharpFuzz (not part of CI).
#   fuzz/afl.sh [--jobs N] [--minutes M] [HARNESS...]
# HARNESS is one of decode, text, wast, validate, pipeline (default: all, one after the other). Each harness runs
# N instances for M minutes (default 1 job, 10 minutes): one AFL++ main instance and N-1 secondaries syncing through
# fuzz/.work/out/HARNESS. Runs resume where the last one stopped (AFL_AUTORESUME). Findings land in
# fuzz/.work/out/HARNESS/*/crashes and hangs; reproduce one with
#   dotnet fuzz/.work/plain/Spec.Fuzz.dll HARNESS FILE
# Needs afl-fuzz (Debian: afl++), the .NET SDK and the testsuite (for the seeds).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$root/fuzz/.work"
jobs=1 minutes=10 harnesses=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) jobs="$2"; shift 2 ;;
    --minutes) minutes="$2"; shift 2 ;;
    decode|text|wast|validate|pipeline) harnesses+=("$1"); shift ;;
    *) echo "usage: fuzz/afl.sh [--jobs N] [--minutes M] [decode|text|wast|validate|pipeline...]" >&2; exit 2 ;;
  esac
done
[ ${#harnesses[@]} -gt 0 ] || harnesses=(decode text wast validate pipeline)
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found (Debian: apt-get install afl++)" >&2; exit 2; }
testsuite="${WASM_TESTSUITE:-}"
for candidate in "$testsuite" "$root/test/testsuite" "$root/../shared/testsuite"; do
  [ -n "$candidate" ] && [ -d "$candidate" ] && { testsuite="$candidate"; break; }
done
[ -d "$testsuite" ] || { echo "no testsuite (set WASM_TESTSUITE)" >&2; exit 2; }

# Build once into plain/ (it writes the seeds: instrumented code runs only under afl-fuzz), then instrument a copy
# in bin/ (SharpFuzz rewrites assemblies in place).
bin="$work/bin" plain="$work/plain"
sources=("$root"/Spec.Syntax "$root"/Spec.Binary "$root"/Spec.Text "$root"/Spec.Validation "$root"/Spec.Execution "$root"/Spec.Native "$root"/Spec.Wast "$root"/fuzz/Spec.Fuzz)
if [ ! -f "$bin/.instrumented" ] || [ -n "$(find "${sources[@]}" \( -name '*.cs' -o -name '*.csproj' \) -newer "$bin/.instrumented" -print -quit)" ]; then
  rm -rf "$bin" "$plain"
  dotnet publish "$root/fuzz/Spec.Fuzz/Spec.Fuzz.csproj" -c Release -o "$plain" -nologo -v q -clp:ErrorsOnly
  cp -r "$plain" "$bin"
  tools="$work/tools"
  [ -x "$tools/sharpfuzz" ] || dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >/dev/null
  for dll in Spec.Syntax Spec.Binary Spec.Text Spec.Validation Spec.Execution wast-run; do
    "$tools/sharpfuzz" "$bin/$dll.dll"
  done
  touch "$bin/.instrumented"
fi

export AFL_AUTORESUME=1 AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
for h in "${harnesses[@]}"; do
  seeds="$work/seeds/$h"
  [ -d "$seeds" ] || dotnet "$plain/Spec.Fuzz.dll" seeds "$h" "$testsuite" "$seeds"
  out="$work/out/$h"
  mkdir -p "$out"
  pids=()
  for ((k = 1; k < jobs; k++)); do
    afl-fuzz -S "s$k" -i "$seeds" -o "$out" -t 5000 -m none -V $((minutes * 60)) -- dotnet "$bin/Spec.Fuzz.dll" "$h" >"$out/s$k.log" 2>&1 &
    pids+=($!)
  done
  afl-fuzz -M main -i "$seeds" -o "$out" -t 5000 -m none -V $((minutes * 60)) -- dotnet "$bin/Spec.Fuzz.dll" "$h" >"$out/main.log" 2>&1 || true
  for pid in "${pids[@]}"; do wait "$pid" || true; done
  # The figures of this harness over all its runs: the main instance's fuzzer_stats.
  stats="$out/main/fuzzer_stats"
  if [ -f "$stats" ]; then
    get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
    echo "$h: run_time $(get run_time)s, execs $(get execs_done), execs/s $(get execs_per_sec), paths $(get corpus_count), crashes $(get saved_crashes), hangs $(get saved_hangs)"
  else
    echo "$h: afl-fuzz did not start; see $out/main.log" >&2
  fi
done
