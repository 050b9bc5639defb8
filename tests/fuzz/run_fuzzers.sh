#!/usr/bin/env bash
# Fuzzes the checkpoint readers (safetensors, GGUF, PyTorch .pth) with libFuzzer, ASan and
# UBSan for a bounded time per target. Not part of ctest (it takes minutes); run it by hand
# after changing a reader:
#
#   tests/fuzz/run_fuzzers.sh [SECONDS_PER_TARGET]      (default 60; from anywhere)
#
# Needs clang-14 and libclang-rt-14-dev (libFuzzer's runtime; packaging/install-deps.sh) and
# LibTorch. Builds tests/fuzz/ into build/fuzz, seeds each corpus from ../shared/golden
# (STORYREEL_GOLDEN_DIR overrides it) and, for .pth, from checkpoints written by the test
# writer and LibTorch; corpora grow in build/fuzz/corpus/<target>. Prints executions and
# findings per target; a crash input is kept as build/fuzz/findings/<target>/crash-*.
# Exits 1 when any target found something.
set -euo pipefail

seconds=${1:-60}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build="$root/build/fuzz"
golden=${STORYREEL_GOLDEN_DIR:-$root/../shared/golden}
jobs=${FUZZ_BUILD_JOBS:-2}

if ! command -v clang++-14 >/dev/null; then
    echo "run_fuzzers: clang++-14 is missing; run packaging/install-deps.sh" >&2
    exit 2
fi
CC=clang-14 CXX=clang++-14 cmake -S "$root/tests/fuzz" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=None >/dev/null
cmake --build "$build" -j "$jobs" >/dev/null

# Seeds: golden files up to 64 KiB (larger ones only slow the mutations down).
seed() {  # seed TARGET FOLDER EXTENSION
    local corpus="$build/corpus/$1"
    mkdir -p "$corpus"
    if [ -d "$2" ]; then
        find "$2" -name "*.$3" -size -65k -exec cp -f {} "$corpus/" \;
    fi
}
seed fuzz_safetensors "$golden/safetensors" safetensors
seed fuzz_gguf "$golden/gguf" gguf
mkdir -p "$build/corpus/fuzz_pth"
ASAN_OPTIONS=detect_leaks=0 "$build/make_pth_seeds" "$build/corpus/fuzz_pth"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
summary=()
for target in fuzz_safetensors fuzz_gguf fuzz_pth; do
    findings="$build/findings/$target"
    mkdir -p "$findings"
    log="$build/$target.log"
    echo "run_fuzzers: $target for ${seconds}s (log: $log)"
    set +e
    "$build/$target" "$build/corpus/$target" -max_total_time="$seconds" -max_len=65536 \
        -rss_limit_mb=4096 -timeout=20 -print_final_stats=1 \
        -artifact_prefix="$findings/" >"$log" 2>&1
    rc=$?
    set -e
    runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' ||
        echo "?")
    crashes=$(find "$findings" -type f | wc -l)
    if [ $rc -ne 0 ]; then
        status=1
        grep -m1 -E 'ERROR: (AddressSanitizer|libFuzzer|UndefinedBehaviorSanitizer)|runtime error' \
            "$log" || tail -5 "$log"
    fi
    summary+=("$(printf '%-17s executions %-10s exit %-3s finding files %s' \
        "$target" "$runs" "$rc" "$crashes")")
done
echo
printf '%s\n' "${summary[@]}"
exit $status
