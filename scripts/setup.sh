#!/usr/bin/env bash
# Installs what Netdraft needs to build, run and test, from Debian's packages.
# Idempotent: when everything is present it only checks and returns.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  clang lld                                 # the fastest build here (bench/README.md, "Build time")
  qt6-base-dev libqcustomplot-dev
  libtorch-dev libopenblas0-openmp          # Debian's LibTorch falls back to reference BLAS without OpenBLAS
  nlohmann-json3-dev libcli11-dev zlib1g-dev libstb-dev libgraphviz-dev
  xvfb xauth imagemagick                    # GUI runs and screenshots without a display
  python3 python3-torch                     # exported models are checked in Python
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages are installed"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: run as root or install sudo" >&2; exit 1; }
  sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
