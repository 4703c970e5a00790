#!/usr/bin/env bash
# An experiment saved in the project: `sweep --save` checks it and writes it into the file (nothing
# else changes, the file reopens), `sweep PROJECT` then runs exactly those trials, options given on the
# command line override the saved ones, and a project without one, or a bad key, gets a clear error
# that leaves the file as it was.
#   sweep-saved.sh NETDRAFT_CLI PROJECT WORK_DIR
set -euo pipefail
cli="$1" project="$2" work="$3"
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
sed -e 's/"samples": [0-9]*/"samples": 400/' "$project" > "$work/base.netdraft"
cp "$work/base.netdraft" "$work/original.netdraft"

# 1. No saved experiment and no --grid: an error that says what to do.
status=0
"$cli" sweep "$work/base.netdraft" --out "$work/none" > "$work/none.log" 2>&1 || status=$?
cat "$work/none.log"
[ "$status" -ne 0 ] || fail "a sweep of a project without an experiment succeeded"
grep -q 'has no saved experiment; give --grid' "$work/none.log" || fail "the error does not say what to give"

# 2. A bad key is refused by --save and the file is untouched.
status=0
"$cli" sweep "$work/base.netdraft" --grid 'training.lr=0.1,0.01' --save > "$work/bad.log" 2>&1 || status=$?
cat "$work/bad.log"
[ "$status" -ne 0 ] || fail "--save accepted an unknown setting"
grep -q "unknown training setting 'lr'" "$work/bad.log" || fail "the error does not name the key"
cmp -s "$work/base.netdraft" "$work/original.netdraft" || fail "a refused --save changed the project"

# 3. --save writes the experiment (random search of 2 out of the 4 combinations, 2 at a time).
"$cli" sweep "$work/base.netdraft" --grid 'training.learning_rate=0.1,0.01' --grid 'fc1.out_features=16,32' \
  --random 2 --seed 5 --parallel 2 --save > "$work/save.log" 2>&1 || { cat "$work/save.log"; fail "--save failed"; }
cat "$work/save.log"
grep -q 'saved the experiment (2 trials)' "$work/save.log" || fail "--save did not report the trials"
python3 - "$work/base.netdraft" "$work/original.netdraft" <<'PY' || fail "the saved file is not the original plus the experiment"
import json, sys
saved, original = (json.load(open(p)) for p in sys.argv[1:])
experiment = saved.pop("experiment")
assert experiment["grid"] == ["training.learning_rate=0.1,0.01", "fc1.out_features=16,32"], experiment
assert (experiment["random_trials"], experiment["seed"], experiment["parallel"]) == (2, 5, 2), experiment
assert saved["version"] >= 4, saved["version"]  # the current format; 4 added the experiment section
saved.pop("version"), original.pop("version")
def within(part, whole, where):  # every value of the original is kept (defaults it lacked may be added)
    if isinstance(part, dict):
        for key, value in part.items():
            assert key in whole, where + "." + key + " is gone"
            within(value, whole[key], where + "." + key)
    else:
        assert part == whole, where + " changed"
within(original, saved, "$")
PY
"$cli" validate "$work/base.netdraft" > /dev/null || fail "the project with an experiment does not validate"

# 4. `sweep PROJECT` runs the saved experiment; --epochs and --threads apply to it.
"$cli" sweep "$work/base.netdraft" --epochs 1 --threads 1 --out "$work/saved" > "$work/saved.log" 2>&1 \
  || { cat "$work/saved.log"; fail "running the saved experiment failed"; }
cat "$work/saved.log"
grep -q '^2 trials, 2 at a time' "$work/saved.log" || fail "the saved search and parallelism were not used"
csv="$work/saved/results.csv"
[ "$(head -1 "$csv" | cut -d, -f1-4)" = "trial,training.learning_rate,fc1.out_features,status" ] \
  || fail "unexpected header: $(head -1 "$csv")"
[ "$(tail -n +2 "$csv" | awk -F, '$4 == "completed"' | wc -l)" -eq 2 ] || fail "expected 2 completed trials"

# 5. The same draw typed on the command line gives the same trials (the saved plan is that plan).
"$cli" sweep "$work/original.netdraft" --grid 'training.learning_rate=0.1,0.01' --grid 'fc1.out_features=16,32' \
  --random 2 --seed 5 --epochs 1 --threads 1 --parallel 2 --out "$work/typed" > "$work/typed.log" 2>&1 \
  || { cat "$work/typed.log"; fail "the typed sweep failed"; }
[ "$(cut -d, -f1-3 "$csv")" = "$(cut -d, -f1-3 "$work/typed/results.csv")" ] \
  || fail "the saved experiment drew other trials than the typed one"

# 6. An option given overrides the saved value: --parallel 1.
"$cli" sweep "$work/base.netdraft" --epochs 1 --threads 1 --parallel 1 --out "$work/override" \
  > "$work/override.log" 2>&1 || { cat "$work/override.log"; fail "the overriding sweep failed"; }
grep -q '^2 trials, 1 at a time' "$work/override.log" || fail "--parallel did not override the saved value"
echo "the saved experiment is checked, stored, run and overridden as documented"
