#!/usr/bin/env bash
# The main job: install, build, then open the bundled classic CNN example in the app;
# with no display, train the same project headless with the CLI.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${NETDRAFT_BUILD_DIR:-$root/build}"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
project="$root/projects/classic_cnn.netdraft"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$build/bin/netdraft" ]; then
  exec "$build/bin/netdraft" "$project"
fi
echo "run: no display; training $project headless"
exec "$build/bin/netdraft-cli" train "$project" --out "$build/runs/classic_cnn"
