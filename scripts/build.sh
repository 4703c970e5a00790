#!/usr/bin/env bash
# Configures and builds Netdraft in ./build (or $NETDRAFT_BUILD_DIR). Extra arguments go to CMake.
# A new build folder is configured with clang and lld when they are installed (scripts/setup.sh
# installs them): about three times faster than g++ on the LibTorch-heavy sources (bench/README.md,
# "Build time"). Set CXX to choose another compiler.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${NETDRAFT_BUILD_DIR:-$root/build}"
configure=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
command -v ninja >/dev/null && [ ! -f "$build/Makefile" ] && [ ! -f "$build/CMakeCache.txt" ] && configure+=(-G Ninja)
if [ ! -f "$build/CMakeCache.txt" ] && [ -z "${CXX:-}" ] && command -v clang++ >/dev/null; then
  configure+=(-DCMAKE_CXX_COMPILER=clang++)
fi
cmake -S "$root" -B "$build" "${configure[@]}" "$@"
# NETDRAFT_BUILD_TARGETS: build only these targets (space-separated), as the sanitizer stage does.
targets=()
[ -n "${NETDRAFT_BUILD_TARGETS:-}" ] && targets=(--target ${NETDRAFT_BUILD_TARGETS})
cmake --build "$build" --parallel "${NETDRAFT_JOBS:-$(nproc)}" "${targets[@]}"
