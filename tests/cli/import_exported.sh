#!/usr/bin/env bash
# A trained model Netdraft exported opens again as its project (docs/IMPORT.md "Models Netdraft
# exported"): mlp_spirals trained for 2 epochs, exported as TorchScript and (when built with ONNX) as ONNX,
# imported into another folder: "Opened project", the project file equal to the original but for its
# starting weights, those weights evaluating exactly as the run's own, and --as-graph importing the
# network instead. The evaluation (loss, accuracy, per class, confusion matrix) must be
# the run's, line for line.
#   import_exported.sh NETDRAFT_CLI PROJECT WORK_FOLDER
set -euo pipefail
cli="$(realpath "$1")" project="$(realpath "$2")" work="$(realpath -m "$3")"
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work"

"$cli" train "$project" --epochs 2 --out "$work/run" > "$work/train.log" || fail "train exited with $?"
reference="$("$cli" evaluate "$project" --weights "$work/run/weights.pt")" || fail "evaluate the run"
grep -q '^accuracy: [0-9.]* %$' <<<"$reference" || fail "no accuracy in: $reference"

formats="torchscript"
"$cli" export --help | grep -q onnx && formats="torchscript onnx"
for format in $formats; do
  suffix=$([ "$format" = onnx ] && echo onnx || echo pt)
  "$cli" export "$project" --format "$format" --weights "$work/run/weights.pt" --out "$work/model.$suffix" \
    > /dev/null || fail "export $format"
  text="$("$cli" import "$work/model.$suffix" --out "$work/$format/opened.netdraft")" || fail "import $format"
  echo "$text"
  grep -q '^Opened project “MLP on spirals”: 5 blocks, 4482 parameters:$' <<<"$text" || fail "$format: opened line"
  # The spirals are generated: the export names no folder of the author's disk (only a relative
  # dataset path takes the project's folder along).
  grep -q "^note: model.$suffix was exported by Netdraft [0-9.]* from project “MLP on spirals”: opened as that project, with the file's weights$" <<<"$text" \
    || fail "$format: note"
  python3 - "$project" "$work/$format/opened.netdraft" <<'PY' || fail "$format: the project differs"
import json, sys
original, opened = (json.load(open(path)) for path in sys.argv[1:])
assert opened.pop("initial_weights") == "opened.weights.pt", "starting weights"
original.pop("initial_weights", None)
assert opened == original, "the opened project is not the exported one"
PY
  result="$("$cli" evaluate "$work/$format/opened.netdraft" --weights "$work/$format/opened.weights.pt")" \
    || fail "$format: evaluate the opened project"
  [ "$result" = "$reference" ] || fail "$format: the opened project evaluates to
$result
but the run to
$reference"
  # Without --weights: the project's starting weights, which the import made the file's.
  starting="$(cd "$work/$format" && "$cli" evaluate opened.netdraft)" || fail "$format: evaluate its starting weights"
  [ "$starting" = "weights: the project's starting weights ($work/$format/opened.weights.pt)
$reference" ] || fail "$format: the starting weights evaluate to
$starting"

  graph="$("$cli" import "$work/model.$suffix" --as-graph --out "$work/$format-graph/graph.netdraft")" \
    || fail "$format: --as-graph"
  grep -q '^Imported 5 blocks' <<<"$graph" || fail "$format: --as-graph did not import the network: $graph"
done
echo "PASS ($formats; each evaluates like the run: $(grep '^accuracy' <<<"$reference"))"
