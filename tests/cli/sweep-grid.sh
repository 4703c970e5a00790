#!/usr/bin/env bash
# `netdraft-cli sweep`: a 2×2 grid on the spirals MLP (1 epoch, 2 trials at once) gives 4 completed rows
# with the right varied values, parameter and multiply-accumulate counts (the MACs equal `netdraft-cli
# summary --json`'s total_macs of the trial's project); each trial's metrics equal those of a plain
# `netdraft-cli train` of its project.netdraft; the same sweep again gives the same table (but seconds).
#   sweep-grid.sh NETDRAFT_CLI PROJECT WORK_DIR
set -euo pipefail
cli="$1" project="$2" work="$3"
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
# A small copy of the project: 400 samples.
sed -e 's/"samples": [0-9]*/"samples": 400/' "$project" > "$work/base.netdraft"
sweep() {
  "$cli" sweep "$work/base.netdraft" --grid 'training.learning_rate=0.1,0.01' --grid 'fc1.out_features=16,32' \
    --epochs 1 --parallel 2 --threads 1 --out "$1"
}
sweep "$work/a" > "$work/a.log" 2>&1 || { cat "$work/a.log"; fail "the sweep exited with $?"; }
cat "$work/a.log"
grep -q 'ETA' "$work/a.log" || fail "no ETA in the progress"
csv="$work/a/results.csv"
[ "$(head -1 "$csv")" = "trial,training.learning_rate,fc1.out_features,status,epochs,best_epoch,best_val_loss,best_val_accuracy,test_loss,test_accuracy,parameters,macs,seconds,message" ] \
  || fail "unexpected header: $(head -1 "$csv")"
[ "$(tail -n +2 "$csv" | wc -l)" -eq 4 ] || fail "expected 4 rows in results.csv"
# Trial, varied values, status, epochs, parameters and MACs.
expected="1,0.1,16,completed,1,1266,1184
2,0.1,32,completed,1,2338,2240
3,0.01,16,completed,1,1266,1184
4,0.01,32,completed,1,2338,2240"
actual="$(tail -n +2 "$csv" | awk -F, '{ print $1 "," $2 "," $3 "," $4 "," $5 "," $11 "," $12 }')"
[ "$actual" = "$expected" ] || fail "rows differ from the grid:
$actual"
# 16 hidden units: (2·16 + 16) + (16·64 + 64) + (64·2 + 2) = 1266; 32: 96 + 2112 + 130 = 2338.
# MACs of one sample, the weights without biases: 2·16 + 16·64 + 64·2 = 1184; 32: 64 + 2048 + 128 = 2240.
grep -q '  params  *MACs ' "$work/a.log" || fail "the printed table has no MACs column"
grep -Eq '^ *1 .* 1266 +1184 ' "$work/a.log" || fail "the printed table lacks trial 1's parameters and MACs"

for k in 1 2 3 4; do
  trial="$work/a/trial-$k"
  [ -s "$trial/project.netdraft" ] && [ -s "$trial/weights.pt" ] || fail "trial-$k lacks project.netdraft or weights.pt"
  "$cli" train "$trial/project.netdraft" --threads 1 --out "$work/plain-$k" > "$work/plain-$k.log" 2>&1 \
    || { cat "$work/plain-$k.log"; fail "plain training of trial-$k failed"; }
  # Epoch and result lines without their timings must be identical (same seed, same loss).
  figures() { grep -E '"type":"(epoch|result)"' "$1" | sed -e 's/"seconds":[^,}]*,\{0,1\}//'; }
  [ "$(figures "$trial/metrics.jsonl")" = "$(figures "$work/plain-$k/metrics.jsonl")" ] \
    || fail "trial-$k's metrics differ from a plain train of its project:
$(figures "$trial/metrics.jsonl")
$(figures "$work/plain-$k/metrics.jsonl")"
  # The MACs column is what `netdraft-cli summary` counts for the trial's project.
  summary="$("$cli" summary --json "$trial/project.netdraft" | grep -o '"total_macs": *[0-9]*' | grep -o '[0-9]*$')"
  [ "$(awk -F, -v k="$k" '$1 == k { print $12 }' "$csv")" = "$summary" ] \
    || fail "trial $k: results.csv's macs differ from netdraft-cli summary's total_macs $summary"
  # The table's best validation loss is the plain run's epoch-1 val_loss.
  plain="$(grep '"type":"epoch"' "$work/plain-$k/metrics.jsonl" | grep -o '"val_loss":[^,}]*' | cut -d: -f2)"
  table="$(awk -F, -v k="$k" '$1 == k { print $7 }' "$csv")"
  awk -v a="$plain" -v b="$table" 'BEGIN { exit !(a + 0 == b + 0) }' \
    || fail "trial $k: results.csv says val loss $table, the plain run $plain"
done
grep -q '"learning_rate": 0.01' "$work/a/trial-3/project.netdraft" || fail "trial-3's project lacks learning_rate 0.01"

# Reproducible: the same sweep again gives the same table, the seconds column aside.
sweep "$work/b" > "$work/b.log" 2>&1 || { cat "$work/b.log"; fail "the second sweep failed"; }
withoutSeconds() { awk -F, 'BEGIN { OFS = "," } { $13 = ""; print }' "$1"; }
[ "$(withoutSeconds "$csv")" = "$(withoutSeconds "$work/b/results.csv")" ] || fail "the second sweep's table differs:
$(cat "$work/b/results.csv")"
echo "4 trials with the grid's values and MACs, each equal to a plain train, and the same table twice"
