#!/usr/bin/env bash
# Installs, builds and runs every test suite with CTest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${NETDRAFT_BUILD_DIR:-$root/build}"
"$root/scripts/setup.sh"
"$root/scripts/build.sh" -DBUILD_TESTING=ON
cd "$build"
QT_QPA_PLATFORM=offscreen ctest --output-on-failure --timeout 900 -j "$(nproc)"
# Second stage: the engine and its suites under AddressSanitizer + UndefinedBehaviorSanitizer in
# their own build folder (docs/RELIABILITY.md). NETDRAFT_SANITIZERS=0 skips it.
if [ "${NETDRAFT_SANITIZERS:-1}" != 0 ]; then
  NETDRAFT_ASAN_BUILD_DIR="${NETDRAFT_ASAN_BUILD_DIR:-$root/build-asan}" "$root/scripts/test-sanitizers.sh"
fi
