#!/usr/bin/env bash
# The CUDA checks, in one run on a machine with an NVIDIA GPU and a Python torch built with CUDA (its
# LibTorch is what the engine compiles against; docs/GPU.md). Builds the Qt-free targets against that
# LibTorch, then trains the examples on the GPU in each precision, compares the memory estimate with
# the allocator's peak and times the trainer against a plain LibTorch loop and PyTorch eager.
#   scripts/gpu-check.sh [OUT_FOLDER]         (default ./gpu-check-out; logs and summary.txt)
# NETDRAFT_GPU_CHECK_SECONDS: start no check after this many seconds (a short lease).
# Header-only dependencies a bare machine lacks (nlohmann/json, CLI11, stb, zlib's headers) are read
# from $NETDRAFT_DEPS (default ./.deps: include/ and share/cmake/ as Debian lays them out).
set -u -o pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-${OUT:-$root/gpu-check-out}}"
build="${NETDRAFT_GPU_BUILD_DIR:-/tmp/netdraft-gpu-build}"
deps="${NETDRAFT_DEPS:-$root/.deps}"
python="${PYTHON:-python3}"
mkdir -p "$out"
summary="$out/summary.txt"
: >"$summary"
note() { echo "$*" | tee -a "$summary"; }
started=$SECONDS
stage() { note "== [$((SECONDS - started)) s] $*"; }

stage "machine"
{ nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader; nproc; g++ --version | head -1;
  cmake --version | head -1; "$python" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'; } \
  2>&1 | tee -a "$summary"
torch_prefix="$("$python" -c 'import torch; print(torch.utils.cmake_prefix_path)')"

zlib=()
if [ ! -f /usr/include/zlib.h ] && [ -f "$deps/include/zlib.h" ]; then
  libz="$(ldconfig -p | awk '/libz\.so\.1 .*x86-64/ { print $NF; exit }')"
  zlib=(-DZLIB_INCLUDE_DIR="$deps/include" -DZLIB_LIBRARY="$libz")
fi
stage "configure (Qt-free, against $torch_prefix)"
configure() {
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DNETDRAFT_WITH_QT=OFF -DNETDRAFT_WITH_ONNX=OFF \
    -DBUILD_TESTING=OFF -DCMAKE_PREFIX_PATH="$torch_prefix;$deps" "${zlib[@]}" "$@" >"$out/configure.log" 2>&1
}
if ! configure; then
  tail -40 "$out/configure.log" | tee -a "$summary"
  exit 1
fi
grep -E "Torch|ONNX|Gloo|CUDA" "$out/configure.log" | head -20 | tee -a "$summary"

stage "build"
targets=(netdraft-cli netdraft_bench_train netdraft_bench_memory)
if ! ninja -C "$build" -k 0 "${targets[@]}" >"$out/build.log" 2>&1; then
  grep -E "error|Error" "$out/build.log" | sort | uniq | head -80 | tee -a "$summary"
  exit 1
fi
cli="$build/bin/netdraft-cli"

runs="$out/runs"
mkdir -p "$runs"
budget="${NETDRAFT_GPU_CHECK_SECONDS:-100000}" # a lease's time: checks that would start later are skipped
check() { # NAME COMMAND...: runs it, keeps its log, notes the exit status and the lines that matter
  local name="$1"
  shift
  if [ $((SECONDS - started)) -gt "$budget" ]; then
    note "-- $name: skipped (past ${budget} s)"
    return
  fi
  local begin=$SECONDS
  "$@" >"$runs/$name.log" 2>&1
  local rc=$?
  note "-- $name: exit $rc, $((SECONDS - begin)) s"
  grep -E "accuracy|loss|nan:|block|error|Error|samples/s|fits|MiB|GiB|ratio|CUDA|cuda:|suggest|ms|wrote|png" "$runs/$name.log" | tail -8 | tee -a "$summary"
}

stage "devices"
check devices "$cli" devices
stage "training on the GPU"
for way in "fp32" "bf16 --channels-last" "fp16" "fp32 --cudnn-benchmark"; do
  read -r precision extra <<<"$way"
  check "classic_cnn_${precision}${extra//[- ]/_}" "$cli" train "$root/projects/classic_cnn.netdraft" --device cuda \
    --epochs 2 --precision "$precision" $extra --out "$runs/cnn_$precision$extra"
done
check classic_cnn_nan_diagnosed "$cli" train "$root/projects/classic_cnn.netdraft" --device cuda --epochs 1 --lr 10 \
  --out "$runs/cnn_nan"
check classic_cnn_naive_refused "$cli" train "$root/projects/classic_cnn_naive.netdraft" --device cuda --epochs 1
for example in resnet_shapes mobilenetv2_shapes vit_shapes gpt_char_grammar lstm_sequences conv_autoencoder; do
  check "${example}_cuda" "$cli" train "$root/projects/$example.netdraft" --device cuda --epochs 1 --out "$runs/$example"
done
check mlp_spirals_cpu "$cli" train "$root/projects/mlp_spirals.netdraft" --device cpu --seed 7 --out "$runs/spirals_cpu"
check mlp_spirals_cuda "$cli" train "$root/projects/mlp_spirals.netdraft" --device cuda --seed 7 --out "$runs/spirals_cuda"
check summary_cuda "$cli" summary "$root/projects/resnet_shapes.netdraft" --device cuda --batch-size 256
check profile_cuda "$cli" summary "$root/projects/resnet_shapes.netdraft" --device cuda --batch-size 256 --profile

stage "insight on the GPU: learning-rate finder, block viewer, Grad-CAM"
sed 's/"device": "cpu"/"device": "cuda"/' "$root/projects/classic_cnn.netdraft" >"$runs/classic_cnn_on_cuda.netdraft"
check lr_find_cuda "$cli" lr-find "$runs/classic_cnn_on_cuda.netdraft" --batches 60
check gradcam_gpu_weights "$cli" gradcam "$root/projects/classic_cnn.netdraft" --sample 3 \
  --weights "$runs/cnn_fp32/weights.pt" --out "$runs/gradcam.png"
check gradcam_cuda "$cli" gradcam "$runs/classic_cnn_on_cuda.netdraft" --sample 3 \
  --weights "$runs/cnn_fp32/weights.pt" --out "$runs/gradcam_cuda.png"
check view_block_cuda "$cli" view-block "$runs/classic_cnn_on_cuda.netdraft" --block conv2 --sample 3 \
  --weights "$runs/cnn_fp32/weights.pt" --out "$runs/conv2.png"

stage "memory: estimate against the allocator's peak"
check memory_sgd "$build/bin/netdraft_bench_memory" --device cuda --optimizer sgd --batch-sizes 32,128,1024,4096
check memory_adam "$build/bin/netdraft_bench_memory" --device cuda --optimizer adam --batch-sizes 128,1024
check memory_resnet "$build/bin/netdraft_bench_memory" "$root/projects/resnet_shapes.netdraft" --device cuda \
  --batch-sizes 64,512

stage "throughput: trainer, plain LibTorch loop, PyTorch eager"
check bench_batch256 "$python" "$root/bench/train_bench.py" "$build/bin/netdraft_bench_train" --device cuda \
  --samples 16384 --epochs 2 --batch-size 256 --rounds 3 --threads 8
cat "$runs/bench_batch256.log" >>"$summary"
check bench_batch64 "$python" "$root/bench/train_bench.py" "$build/bin/netdraft_bench_train" --device cuda \
  --samples 8192 --epochs 2 --batch-size 64 --rounds 2 --threads 8
grep "^|" "$runs/bench_batch64.log" >>"$summary"
stage "done"
