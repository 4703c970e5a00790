#!/usr/bin/env bash
# `netdraft-cli sweep` when trials fail: a value that passes parsing but fails at train time (fp16 on the
# CPU), and a trial killed with SIGKILL, are recorded as failed while the others complete; Ctrl+C stops
# the running trials cleanly, cancels the rest and still writes results.csv.
#   sweep-failures.sh NETDRAFT_CLI PROJECT WORK_DIR
set -euo pipefail
cli="$1" project="$2" work="$3"
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
sed -e 's/"samples": [0-9]*/"samples": 400/' "$project" > "$work/base.netdraft"
column() { awk -F, -v k="$2" -v c="$3" '$1 == k { print $c }' "$1/results.csv"; } # results.csv, trial, column

# 1. fp16 needs CUDA: trial 2 fails at train time, trial 1 completes; the sweep exits with 3.
status=0
"$cli" sweep "$work/base.netdraft" --grid 'training.precision=fp32,fp16' --epochs 1 --parallel 2 --threads 1 \
  --out "$work/precision" > "$work/precision.log" 2>&1 || status=$?
cat "$work/precision.log"
[ "$status" -eq 3 ] || fail "a sweep with a failed trial exited with $status, expected 3"
[ "$(column "$work/precision" 1 3)" = completed ] || fail "the fp32 trial did not complete"
[ "$(column "$work/precision" 2 3)" = failed ] || fail "the fp16 trial is not failed"
grep -q '^2,fp16,failed,.*fp16: mixed precision with fp16 needs a CUDA device' "$work/precision/results.csv" \
  || fail "the failed row does not say why"

# 2. Trial 2 (200 epochs) is killed with SIGKILL once it trains; trials 1 and 3 complete.
"$cli" sweep "$work/base.netdraft" --trial 'training.epochs=1' --trial 'training.epochs=200' \
  --trial 'training.epochs=1;training.seed=3' --parallel 2 --threads 1 --out "$work/killed" > "$work/killed.log" 2>&1 &
sweep=$!
pid=""
for _ in $(seq 1 600); do
  pid="$(sed -n 's/^trial 2\/3 started (pid \([0-9]*\)).*/\1/p' "$work/killed.log")"
  if [ -n "$pid" ] && grep -q '"type":"batch"' "$work/killed/trial-2/metrics.jsonl" 2>/dev/null; then break; fi
  sleep 0.1
done
[ -n "$pid" ] || { kill "$sweep"; fail "trial 2 never started"; }
kill -KILL "$pid"
status=0
wait "$sweep" || status=$?
cat "$work/killed.log"
[ "$status" -eq 3 ] || fail "the sweep with a killed trial exited with $status, expected 3"
[ "$(column "$work/killed" 1 4)" = completed ] && [ "$(column "$work/killed" 3 4)" = completed ] \
  || fail "trials 1 and 3 did not complete"
[ "$(column "$work/killed" 2 4)" = failed ] || fail "the killed trial is not failed"
grep -q '^2,200,,failed,.*killed by signal 9' "$work/killed/results.csv" || fail "the killed row does not say how it ended"

# 3. Ctrl+C while trials 1 and 2 train: both stop cleanly (with a checkpoint), trial 3 is cancelled.
"$cli" sweep "$work/base.netdraft" --grid 'training.epochs=200,300,1' --parallel 2 --threads 1 \
  --out "$work/interrupted" > "$work/interrupted.log" 2>&1 &
sweep=$!
for _ in $(seq 1 600); do
  if grep -q '"type":"batch"' "$work/interrupted/trial-1/metrics.jsonl" 2>/dev/null \
    && grep -q '"type":"batch"' "$work/interrupted/trial-2/metrics.jsonl" 2>/dev/null; then break; fi
  sleep 0.1
done
kill -INT "$sweep"
status=0
wait "$sweep" || status=$?
cat "$work/interrupted.log"
[ "$status" -eq 3 ] || fail "the interrupted sweep exited with $status, expected 3"
[ "$(column "$work/interrupted" 1 3)" = stopped ] && [ "$(column "$work/interrupted" 2 3)" = stopped ] \
  || fail "the running trials were not stopped cleanly"
[ "$(column "$work/interrupted" 3 3)" = cancelled ] || fail "the trial not yet started is not cancelled"
[ -s "$work/interrupted/trial-1/checkpoint.pt" ] || fail "the stopped trial wrote no checkpoint"
[ ! -e "$work/interrupted/trial-3/metrics.jsonl" ] || fail "the cancelled trial ran"
echo "failed at train time, killed and interrupted trials are recorded; the others complete"
