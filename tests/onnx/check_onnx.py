#!/usr/bin/env python3
"""Second checker of the ONNX exports: python3-onnx's full check (checker plus strict shape inference
with types) on every model write_onnx_fixtures wrote, and what the file's header says: opset 17, IR
version 8, "input"/"output" with a dynamic batch dimension, and the export metadata in metadata_props.

    check_onnx.py FIXTURE_DIR
"""

import json
import os
import sys

import onnx


def check_case(folder, item):
    model = onnx.load(os.path.join(folder, item["model"]))
    onnx.checker.check_model(model, full_check=True)
    problems = []
    if model.ir_version != 8:
        problems.append(f"IR version {model.ir_version}")
    opsets = {entry.domain: entry.version for entry in model.opset_import}
    if opsets != {"": 17}:
        problems.append(f"opsets {opsets}")
    graph = model.graph
    if [value.name for value in graph.input] != ["input"] or [value.name for value in graph.output] != ["output"]:
        problems.append("inputs/outputs are not input/output")
    else:
        # -1 is Netdraft's batch dimension, written as the symbolic "batch".
        input_dims = [-1] + item["input"]["dims"][1:]
        for value, dims in ((graph.input[0], input_dims), (graph.output[0], item["output"]["declared_dims"])):
            written = [dim.dim_param or dim.dim_value for dim in value.type.tensor_type.shape.dim]
            expected = ["batch" if size == -1 else size for size in dims]
            if written != expected:
                problems.append(f"{value.name} is {written}, expected {expected}")
    metadata = {entry.key: entry.value for entry in model.metadata_props}
    if "netdraft.json" not in metadata:
        problems.append("no netdraft.json in metadata_props")
    else:
        written = json.loads(metadata["netdraft.json"])
        expected = json.loads(item["metadata"])
        expected["normalization_folded"] = item["normalization_folded"]
        if written != expected:
            problems.append(f"metadata {written}, expected {expected}")
    if any(node.op_type == "Dropout" for node in graph.node):
        problems.append("a Dropout node in the inference graph")
    return problems


def main():
    if len(sys.argv) != 2:
        print("usage: check_onnx.py FIXTURE_DIR", file=sys.stderr)
        return 2
    folder = sys.argv[1]
    with open(os.path.join(folder, "cases.json"), encoding="utf-8") as file:
        cases = json.load(file)
    failures = 0
    for item in cases:
        try:
            problems = check_case(folder, item)
        except Exception as error:  # the checker's own exception types vary by version
            problems = [f"{type(error).__name__}: {error}"]
        failures += bool(problems)
        print(("FAIL " if problems else "PASS ") + item["name"] + (": " + "; ".join(problems) if problems else ""))
    print(f"{len(cases) - failures} of {len(cases)} models pass onnx {onnx.__version__} full_check")
    return 1 if failures or not cases else 0


if __name__ == "__main__":
    sys.exit(main())
