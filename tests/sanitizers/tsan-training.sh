#!/bin/bash
# ThreadSanitizer run of the training thread paths: reliability.TrainingThreadsTest (a TrainingSession
# on a worker thread, stopped / paused / resumed / double-stopped from another thread at random
# moments, as the app's TrainingWorker drives it).
#
# A full -DNETDRAFT_SANITIZE=thread build of the engine costs about 40 min of one core; this script
# instead compiles with -fsanitize=thread only the code that runs on or talks between the threads —
# the test, engine/train/{TrainingSession,Trainer,TrainingStep,RunControl}.cpp and
# engine/data/DataLoader.cpp (the prefetch thread) — and links them before an ordinary build's
# libnetdraft-engine.so, whose copies of those functions they replace (the calls start in the
# instrumented TrainingSession, so the whole stop/report chain runs instrumented). The rest of the
# engine (data preparation, model building, saving), LibTorch and Qt are not instrumented: races
# inside them are not seen; their locks (pthread) are, their atomics are not.
#
# Usage: tests/sanitizers/tsan-training.sh [ordinary build folder, default build]
# Environment: NETDRAFT_THREAD_TRIALS (default 24), NETDRAFT_THREAD_SEED, CXX (default g++),
# NETDRAFT_TSAN_DIR (objects and binary, default build-tsan-training).
set -euo pipefail
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
build_dir=$(cd "${1:-$source_dir/build}" && pwd)
out=${NETDRAFT_TSAN_DIR:-$source_dir/build-tsan-training}
cxx=${CXX:-g++}
mkdir -p "$out"

qt=/usr/include/x86_64-linux-gnu/qt6
flags=(-fsanitize=thread -O1 -g -fno-omit-frame-pointer -fPIC -std=c++17 -D_GLIBCXX_USE_CXX11_ABI=1
  -DQT_CORE_LIB -DQT_TESTLIB_LIB -DQT_NO_DEBUG -DQT_NO_KEYWORDS -DNDEBUG
  -I"$source_dir" -I"$build_dir/generated" -I"$out"
  -isystem "$qt" -isystem "$qt/QtCore" -isystem "$qt/QtTest" -isystem /usr/lib/x86_64-linux-gnu/qt6/mkspecs/linux-g++
  -isystem /usr/include/torch/csrc/api/include)
sources=(tests/reliability/TrainingThreadsTest.cpp tests/support/TestRegistry.cpp tests/support/CoreTestMain.cpp
  engine/train/TrainingSession.cpp engine/train/Trainer.cpp engine/train/TrainingStep.cpp
  engine/train/RunControl.cpp engine/data/DataLoader.cpp)

/usr/lib/qt6/libexec/moc "$source_dir/tests/reliability/TrainingThreadsTest.cpp" -o "$out/TrainingThreadsTest.moc.new"
cmp -s "$out/TrainingThreadsTest.moc.new" "$out/TrainingThreadsTest.moc" \
  || mv "$out/TrainingThreadsTest.moc.new" "$out/TrainingThreadsTest.moc"
objects=()
for source in "${sources[@]}"; do
  object="$out/$(echo "$source" | tr / _).o"
  objects+=("$object")
  if [[ ! -f "$object" || "$source_dir/$source" -nt "$object" || "$out/TrainingThreadsTest.moc" -nt "$object" ]]; then
    echo "compiling $source"
    "$cxx" "${flags[@]}" -c "$source_dir/$source" -o "$object"
  fi
done
lib=/usr/lib/x86_64-linux-gnu
"$cxx" -fsanitize=thread "${objects[@]}" -o "$out/training_threads_tsan" -Wl,-rpath,"$build_dir/lib" \
  "$build_dir/lib/libnetdraft-engine.so" "$lib/libQt6Test.so.6" "$lib/libQt6Core.so.6" \
  -Wl,--no-as-needed "$lib/libtorch.so" "$lib/libtorch_cpu.so" "$lib/libc10.so" -Wl,--as-needed -lpthread

# One LibTorch thread: OpenMP (libgomp) is not instrumented, so its barriers would show up as races.
export OMP_NUM_THREADS=1
export NETDRAFT_THREAD_TRIALS=${NETDRAFT_THREAD_TRIALS:-24}
export QTEST_FUNCTION_TIMEOUT=${QTEST_FUNCTION_TIMEOUT:-3600000} # 24 runs take ~15 s, 240 more than 300 s
export TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1 history_size=4 suppressions=$source_dir/tests/sanitizers/tsan.supp ${TSAN_OPTIONS:-}"
set +e # TSan exits with 66 after reports; count them below
"$out/training_threads_tsan" TrainingThreadsTest 2>&1 | tee "$out/tsan.log"
status=${PIPESTATUS[0]}
set -e
reports=$(grep -c "^WARNING: ThreadSanitizer" "$out/tsan.log" || true)
echo "ThreadSanitizer reports: $reports (log: $out/tsan.log); test exit status $status"
[[ $status -eq 0 && $reports -eq 0 ]]
