#!/usr/bin/env bash
# Builds the expression-parser fuzzer (libFuzzer, ASan, UBSan; clang) and runs it for a bounded
# time on a corpus seeded from the golden files. Fails on any crash, timeout, out-of-memory or
# sanitizer report; the input that caused it is left under <build dir>/artifacts/.
#
# Usage: scripts/fuzz.sh [seconds]        (default 60)
# Environment:
#   DUNLIN_FUZZ_BUILD_DIR  build directory (default build-fuzz-ci); its corpus/ keeps what the
#                          fuzzer found, so later runs start from there
#   DUNLIN_FUZZ_JOBS       parallel compile jobs for ninja (default: ninja's own choice)
# Replay a crash: <build dir>/expression_parser_fuzz <build dir>/artifacts/crash-...
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/fuzz.sh [seconds]" >&2
  exit 2
fi
build=${DUNLIN_FUZZ_BUILD_DIR:-build-fuzz-ci}
jobs=()
[[ -n "${DUNLIN_FUZZ_JOBS:-}" ]] && jobs=(-j "$DUNLIN_FUZZ_JOBS")

for tool in clang clang++ cmake ninja; do
  command -v "$tool" >/dev/null 2>&1 || { echo "fuzz: $tool not found" >&2; exit 1; }
done

# The top-level CMakeLists.txt puts ccache in front of the compiler when it is installed.
if [[ ! -f "$build/build.ninja" ]]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DDUNLIN_BUILD_FUZZERS=ON -DDUNLIN_BUILD_TESTS=OFF >/dev/null || exit 1
fi
ninja -C "$build" "${jobs[@]}" expression_parser_fuzz || exit 1

mkdir -p "$build/corpus" "$build/artifacts"
rm -rf "$build/seeds"
seeds=$(python3 tests/fuzz/seed_corpus.py tests/unit/expressions/golden \
  "$build/seeds") || exit 1
echo "fuzz: $seeds seeds from the golden files, ${seconds} s"

# UBSan reports only print by default; halt_on_error turns each into a failure.
log="$build/fuzz.log"
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
  "$build/expression_parser_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=4500 -dict=tests/fuzz/expression_parser.dict -artifact_prefix="$build/artifacts/" \
  -print_final_stats=1 "$build/corpus" "$build/seeds" >"$log" 2>&1
status=$?
tail -n 25 "$log"

if [[ $status -ne 0 ]] ||
  grep -qE 'runtime error:|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)' "$log"; then
  echo "fuzz: FAILED (exit $status); full log: $log; inputs: $build/artifacts/" >&2
  exit 1
fi
echo "fuzz: no crash, timeout or sanitizer report in ${seconds} s"
