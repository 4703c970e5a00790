#!/usr/bin/env bash
# Installs, builds and runs every test suite with CTest, then the sanitizer stage; prints the wall
# time of each stage at the end.
#
#   scripts/test.sh            the CI run: long tests with their reduced trial counts
#   scripts/test.sh --long     also the CTest label `long`: the full trial counts (docs/RELIABILITY.md)
#
# NETDRAFT_SANITIZERS=0 skips the sanitizer stage.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${NETDRAFT_BUILD_DIR:-$root/build}"
long=0
for argument in "$@"; do
  case "$argument" in
    --long) long=1 ;;
    *) echo "usage: scripts/test.sh [--long]" >&2; exit 2 ;;
  esac
done

stages=()
stage_start=$(date +%s)
# Records the stage that just ended and starts the clock for the next.
end_stage() {
  local now
  now=$(date +%s)
  stages+=("$(printf '%-18s %6d s' "$1" $((now - stage_start)))")
  stage_start=$now
}
print_stages() {
  echo "== stage times (wall)"
  printf '%s\n' "${stages[@]}"
}
trap print_stages EXIT

"$root/scripts/setup.sh"
end_stage setup
"$root/scripts/build.sh" -DBUILD_TESTING=ON
end_stage build
cd "$build"
labels=(-LE long)
[ "$long" = 1 ] && labels=()
QT_QPA_PLATFORM=offscreen ctest --output-on-failure --timeout 900 -j "$(nproc)" "${labels[@]}"
end_stage tests
# Second stage: the engine and its suites under AddressSanitizer + UndefinedBehaviorSanitizer in
# their own build folder (docs/RELIABILITY.md).
if [ "${NETDRAFT_SANITIZERS:-1}" != 0 ]; then
  NETDRAFT_ASAN_BUILD_DIR="${NETDRAFT_ASAN_BUILD_DIR:-$root/build-asan}" \
    NETDRAFT_STAGE_TIMES="$build/sanitizer-stage-times.txt" "$root/scripts/test-sanitizers.sh"
  now=$(date +%s)
  while read -r name seconds; do stages+=("$(printf '%-18s %6d s' "$name" "$seconds")"); done \
    < "$build/sanitizer-stage-times.txt"
  stage_start=$now
fi
total=0
for line in "${stages[@]}"; do total=$((total + $(echo "$line" | awk '{print $(NF-1)}'))); done
stages+=("$(printf '%-18s %6d s' total "$total")")
