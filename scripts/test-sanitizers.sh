#!/usr/bin/env bash
# Builds the engine and its Qt Test suites (engine, reliability) with AddressSanitizer and
# UndefinedBehaviorSanitizer in ./build-asan (or $NETDRAFT_ASAN_BUILD_DIR) and runs them.
# scripts/test.sh runs this after the normal suites (NETDRAFT_SANITIZERS=0 skips it); see
# docs/RELIABILITY.md for the findings, every suppression with its reason, and which tests run.
#
#   scripts/test-sanitizers.sh [ctest -R regex]     default: ^(engine|reliability)\.
#
# A new build folder takes clang when it is installed, as in scripts/build.sh (CXX chooses another).
# NETDRAFT_STAGE_TIMES=FILE writes "sanitizer-build SECONDS" and "sanitizer-tests SECONDS" there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${NETDRAFT_ASAN_BUILD_DIR:-$root/build-asan}"
jobs="${NETDRAFT_JOBS:-$(nproc)}"
start=$(date +%s)
# Configured and built by scripts/build.sh (same compiler choice), only what the engine suites need:
# the GUI, editor and widgets are not built here.
NETDRAFT_BUILD_DIR="$build" NETDRAFT_JOBS="$jobs" \
  NETDRAFT_BUILD_TARGETS="engine_tests reliability_tests netdraft-cli netdraft_save_loop" \
  "$root/scripts/build.sh" -DNETDRAFT_SANITIZE=address,undefined -DNETDRAFT_BUILD_BENCH=OFF -DBUILD_TESTING=ON
built=$(date +%s)
# detect_leaks=0: LibTorch keeps its thread pools and operator registry until exit (reported as
# leaks from libtorch_cpu, not from Netdraft). print_stacktrace: UBSan findings with a stack;
# halt_on_error: any finding fails its test.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$root/tests/sanitizers/ubsan.supp}"
# The kill and corpus tests start and kill many processes: fewer trials under the sanitizers.
export NETDRAFT_KILL_TRIALS="${NETDRAFT_KILL_TRIALS:-10}"
cd "$build"
status=0
QT_QPA_PLATFORM=offscreen ctest --output-on-failure --timeout 1800 -j "$jobs" -LE long \
  -R "${1:-^(engine|reliability)\.}" || status=$?
finished=$(date +%s)
echo "sanitizer stage: build $((built - start)) s, tests $((finished - built)) s"
if [ -n "${NETDRAFT_STAGE_TIMES:-}" ]; then
  printf 'sanitizer-build %d\nsanitizer-tests %d\n' $((built - start)) $((finished - built)) > "$NETDRAFT_STAGE_TIMES"
fi
exit "$status"
