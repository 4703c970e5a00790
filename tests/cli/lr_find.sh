#!/usr/bin/env bash
# `netdraft-cli lr-find` on the spirals MLP (Adam): the text's lines, the --json object (rates strictly
# increasing and geometric from --min, a suggestion inside the sweep and in 1e-4…1, the suggestion
# rule), --csv holding the same points, the project file unchanged, and bad options refused by message.
#   lr_find.sh NETDRAFT_CLI PROJECT WORK_FOLDER
set -euo pipefail
cli="$1" project="$2" work="$3"
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work"
before="$(sha256sum <"$project")"

text="$("$cli" lr-find "$project" --batches 40)" || fail "lr-find exited with $?"
echo "$text"
grep -Eq '^Swept adam from 1e-07 to 10 over [0-9]+ of 40 batches' <<<"$text" || fail "sweep line"
grep -Eq '^Suggested learning rate: [0-9.e-]+ \(steepest descent of the smoothed loss before its minimum; its rate / 10 when the descent is too short\); the project uses 0\.01$' <<<"$text" \
  || fail "suggestion line"

json="$("$cli" lr-find "$project" --batches 40 --min 1e-6 --max 1 --json --csv "$work/curve.csv")" \
  || fail "lr-find --json exited with $?"
python3 - "$json" "$work/curve.csv" <<'PY' || fail "JSON figures"
import csv, json, math, sys
found = json.loads(sys.argv[1])
points = found["points"]
assert found["optimizer"] == "adam" and found["batches_planned"] == 40, found
assert found["min_learning_rate"] == 1e-6 and found["max_learning_rate"] == 1
assert 2 <= len(points) == found["batches_run"] <= 40
rates = [p["learning_rate"] for p in points]
assert rates[0] == 1e-6
ratio = (1 / 1e-6) ** (1 / 39)
for a, b in zip(rates, rates[1:]):
    assert b > a and abs(b / a - ratio) < 1e-9, (a, b)
suggested = found["suggested_learning_rate"]
assert 1e-4 <= suggested <= 1, suggested
assert rates[0] / 10 <= suggested <= rates[-1], suggested
assert found["project_learning_rate"] == 0.01
with open(sys.argv[2]) as f:
    rows = list(csv.DictReader(f))
assert len(rows) == len(points)
for row, point in zip(rows, points):
    for key in ("learning_rate", "loss", "smoothed_loss"):
        assert math.isclose(float(row[key]), point[key], rel_tol=1e-6), (key, row, point)
print("lr-find JSON: %d points, suggested %.3g" % (len(points), suggested))
PY
[ "$(sha256sum <"$project")" = "$before" ] || fail "lr-find changed the project file"

# Rates too low to move the loss: no suggestion (exit 3), with the reason, rather than a tenth of noise.
status=0
flat="$("$cli" lr-find "$project" --batches 30 --min 1e-9 --max 1e-7)" || status=$?
[ "$status" -eq 3 ] || fail "a flat sweep exited with $status, expected 3"
grep -Eq '^No suggestion: the smoothed loss never fell 2 % below where it started \([0-9.]+, lowest [0-9.]+\) before the sweep ended; sweep more batches or a narrower range of rates$' <<<"$flat" \
  || fail "no-suggestion line: $flat"

expect_error() { # expect_error MESSAGE ARGS...: exit 3 and the message on stderr
  local message="$1"; shift
  local status=0 err
  err="$("$cli" lr-find "$project" "$@" 2>&1 >/dev/null)" || status=$?
  [ "$status" -eq 3 ] || fail "lr-find $* exited with $status, expected 3"
  grep -qF "$message" <<<"$err" || fail "lr-find $*: expected '$message', got: $err"
}
expect_error "error: learning-rate finder: the lowest rate must be > 0, got 0" --min 0
expect_error "error: learning-rate finder: the highest rate must be greater than the lowest (0.1), got 0.01" --min 0.1 --max 0.01
expect_error "error: learning-rate finder: the sweep needs at least 2 batches, got 1" --batches 1
status=0
"$cli" lr-find "$work/missing.netdraft" 2>/dev/null || status=$?
[ "$status" -eq 2 ] || fail "a missing project exited with $status, expected 2"
echo "PASS"
