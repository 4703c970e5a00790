#!/usr/bin/env bash
# `netdraft-cli summary` on the classic CNN: the table's rows and totals, the memory estimate and its
# fit line (text), and the same figures in the --json object; --batch-size and --memory-gb change
# the estimate as the formula says; an unknown device is an error; --json's warnings equal validate's. Figures counted by hand:
# docs/INSIGHT.md.
#   summary.sh NETDRAFT_CLI PROJECT
set -euo pipefail
cli="$1" project="$2"
fail() { echo "FAIL: $*"; exit 1; }

text="$("$cli" summary "$project")" || fail "summary exited with $?"
echo "$text"
grep -Eq '^conv1 +Conv2d +N×32×32×32 +896 +884\.74 k +8\.00 MiB$' <<<"$text" || fail "no conv1 row"
grep -Eq '^fc +Linear +N×10 +20490 +20\.48 k +2\.50 KiB$' <<<"$text" || fail "no fc row"
grep -q '^Parameters: 113738 (113.74 k), trainable 113738, frozen 0$' <<<"$text" || fail "parameter total"
grep -q '^Multiply-accumulates per sample: 10342400 (10.34 M MACs)$' <<<"$text" || fail "MAC total"
# SGD with momentum: weights, gradients and one state value each (3 × 454,952 bytes) + 64 × 536,616.
grep -q '^Training memory at batch size 64 (sgd): 34.1 MiB = parameters 444.3 KiB + gradients 444.3 KiB + optimizer state 444.3 KiB + activations 32.8 MiB$' <<<"$text" \
  || fail "memory line"
grep -Eq '^Fits in [0-9.]+ [KMGT]iB of cpu \(.*\); the largest batch size that fits is [0-9]+$' <<<"$text" || fail "fit line"

# 50 MiB leaves (52,428,800 − 1,364,856) ÷ 536,616 = 95 samples.
small="$("$cli" summary "$project" --batch-size 200 --memory-gb 0.048828125)" || fail "summary --memory-gb exited with $?"
grep -q '^Training memory at batch size 200 (sgd): ' <<<"$small" || fail "--batch-size not taken"
grep -q '^Does not fit in 50.0 MiB of cpu (--memory-gb); the largest batch size that fits is 95$' <<<"$small" \
  || fail "fit line with --memory-gb: $(tail -1 <<<"$small")"

json="$("$cli" summary "$project" --json --batch-size 8)" || fail "summary --json exited with $?"
python3 - "$json" <<'PY' || fail "JSON figures"
import json, sys
summary = json.loads(sys.argv[1])
assert summary["total_parameters"] == 113738, summary["total_parameters"]
assert summary["total_macs"] == 10342400, summary["total_macs"]
memory = summary["memory"]
assert memory["batch_size"] == 8
assert memory["parameter_bytes"] == memory["gradient_bytes"] == memory["optimizer_state_bytes"] == 454952
assert memory["activation_bytes_per_sample"] == 536616 and memory["activation_bytes"] == 8 * 536616
assert memory["total_bytes"] == 3 * 454952 + 8 * 536616
assert memory["device"] == "cpu" and memory["fits"] is True
assert memory["largest_batch_size"] == (memory["capacity_bytes"] - 3 * 454952) // 536616
blocks = {block["id"]: block for block in summary["blocks"]}
assert [block["id"] for block in summary["blocks"]][:3] == ["input", "conv1", "relu1"]
assert blocks["conv2"]["parameters"] == 18496 and blocks["conv2"]["macs"] == 4718592
assert blocks["conv2"]["activation_bytes"] == 8 * 64 * 16 * 16 * 4
assert sum(block["macs"] for block in summary["blocks"]) == summary["total_macs"]
assert sum(block["parameters"] for block in summary["blocks"]) == summary["total_parameters"]
print("JSON figures check out")
PY

# Warnings: the classic CNN without its pooling (its Linear, named Classifier, gets 131072 flattened
# features) and a ReLU whose output goes nowhere. --json lists the same warnings validate prints.
workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
warned="$workdir/warned.netdraft"
python3 - "$project" "$warned" <<'PY'
import json, sys
project = json.load(open(sys.argv[1]))
graph = project["graph"]
graph["blocks"] = [b for b in graph["blocks"] if b["type"] != "MaxPool2d"]
chain = {"relu1.out": "conv2.in", "relu2.out": "conv3.in", "relu3.out": "flatten.in"}
graph["connections"] = [c for c in graph["connections"] if not c["from"].startswith("pool") and not c["to"].startswith("pool")]
graph["connections"] += [{"from": a, "to": b} for a, b in chain.items()]
graph["blocks"].append({"id": "relu4", "type": "ReLU", "name": "spare", "params": {}, "position": [0, 400]})
graph["connections"].append({"from": "relu1.out", "to": "relu4.in"})
json.dump(project, open(sys.argv[2], "w"))
PY
validated="$("$cli" validate "$warned")" || fail "validate of the warned project exited with $?"
echo "$validated"
[ "$(grep -c '^warning: ' <<<"$validated")" = 2 ] || fail "validate does not print the two warnings"
"$cli" summary "$warned" | grep -q '^warning: block spare (relu4): output is not used$' || fail "summary's text lacks the inference warning"
warnedJson="$("$cli" summary "$warned" --json)" || fail "summary --json of the warned project exited with $?"
python3 - "$warnedJson" "$validated" <<'PY' || fail "JSON warnings"
import json, sys
warnings = json.loads(sys.argv[1])["warnings"]
printed = [line[len("warning: "):] for line in sys.argv[2].splitlines() if line.startswith("warning: ")]
assert [w["text"] for w in warnings] == printed, (warnings, printed)
assert [(w["block_id"], w["display_name"]) for w in warnings] == [("relu4", "spare"), ("fc", "Classifier")], warnings
assert warnings[0]["message"] == "output is not used", warnings[0]
assert warnings[1]["message"].startswith("this Linear holds 1.31 M of the network's 1.40 M parameters (93 %)"), warnings[1]
assert all(w["text"] == "block %s (%s): %s" % (w["display_name"], w["block_id"], w["message"]) for w in warnings)
print("JSON warnings check out")
PY
python3 -c 'import json,sys; assert json.loads(sys.argv[1])["warnings"] == []' "$json" || fail "the classic CNN has warnings"

if out="$("$cli" summary "$project" --device cuda:9 2>&1)"; then fail "an unknown device was accepted"; fi
grep -q "error: device 'cuda:9' is not available here" <<<"$out" || fail "unknown device message: $out"
echo "summary: all checks passed"
