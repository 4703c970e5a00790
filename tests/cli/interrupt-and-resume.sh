#!/usr/bin/env bash
# Ctrl-C during `netdraft-cli train` stops after the current batch with a checkpoint, and
# `--resume` continues from it to the end.
#   interrupt-and-resume.sh NETDRAFT_CLI PROJECT WORK_DIR
set -euo pipefail
cli="$1" project="$2" work="$3"
rm -rf "$work" && mkdir -p "$work"
# A small copy of the project: 1,200 samples, 3 epochs (a run of several seconds).
sed -e 's/"samples": [0-9]*/"samples": 1200/' -e 's/"epochs": [0-9]*/"epochs": 3/' "$project" > "$work/project.netdraft"
"$cli" train "$work/project.netdraft" --out "$work/run" --log-every 1 > "$work/first.log" 2>&1 &
pid=$!
# Interrupt once the first batches have been logged.
for _ in $(seq 1 600); do
  if grep -q '"type":"batch"' "$work/run/metrics.jsonl" 2>/dev/null; then break; fi
  sleep 0.1
done
kill -INT "$pid"
status=0
wait "$pid" || status=$?
cat "$work/first.log"
[ "$status" -eq 0 ] || { echo "FAIL: interrupted run exited with $status"; exit 1; }
grep -q '^stopped: stopped at epoch' "$work/first.log" || { echo "FAIL: no 'stopped at epoch' line"; exit 1; }
[ -s "$work/run/checkpoint.pt" ] || { echo "FAIL: no checkpoint after Ctrl-C"; exit 1; }
"$cli" train "$work/project.netdraft" --out "$work/resumed" --resume "$work/run/checkpoint.pt" > "$work/second.log" 2>&1
cat "$work/second.log"
grep -q 'completed 3 epochs\|epoch 3/3:' "$work/second.log" || { echo "FAIL: the resumed run did not finish"; exit 1; }
echo "interrupted with a checkpoint, resumed to the end"
