#!/usr/bin/env bash
# Installs what Netdraft needs to build, run and test: Debian packages, and onnxruntime-node from npm
# for the ONNX tests (tests/onnx).
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
  python3-torchvision                       # resnet18/mobilenet_v2 (weights=None) for the import tests
  libonnx-dev python3-onnx nodejs           # ONNX export, checked by python3-onnx and onnxruntime-node
  libgloo-dev                               # distributed training: LibTorch's ProcessGroupGloo header needs it
)

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
apt_install() {
  [ -z "$sudo" ] || command -v sudo >/dev/null || { echo "setup: run as root or install sudo" >&2; exit 1; }
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
}

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages are installed"
else
  echo "setup: installing ${missing[*]}"
  apt_install "${missing[@]}"
fi

# onnxruntime-node, the independent runtime of the ONNX tests, into tests/onnx/node_modules at the
# version tests/onnx/package-lock.json pins. Its install script would download GPU providers, so it
# is skipped: the package itself carries the Linux x64 CPU library.
onnx_tests="$(cd "$(dirname "$0")/.." && pwd)/tests/onnx"
if (cd "$onnx_tests" && node -e "require('onnxruntime-node')" 2>/dev/null); then
  echo "setup: onnxruntime-node is installed"
else
  command -v npm >/dev/null || apt_install npm # Debian's nodejs comes without npm
  (cd "$onnx_tests" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --ignore-scripts --no-audit --no-fund)
  (cd "$onnx_tests" && node -e "require('onnxruntime-node')")
  echo "setup: installed onnxruntime-node in $onnx_tests/node_modules"
fi
