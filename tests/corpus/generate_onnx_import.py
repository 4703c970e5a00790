#!/usr/bin/env python3
"""Writes tests/corpus/onnx-import/: ONNX files the model importer must refuse with an error that names
the file (CorpusTest loads each through engine::importModel in its own process; exported-project-* are
Netdraft exports whose project inside cannot be opened), and the valid seeds
tests/corpus/seeds/model.onnx, lstm.onnx and rnn.onnx they are made from. Needs python3-onnx only; the files are committed, so
the tests do not need it.

Usage: generate_onnx_import.py
"""

import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "onnx-import")
SEEDS = os.path.join(HERE, "seeds")
rng = np.random.RandomState(7)


def initializer(name, shape):
    return numpy_helper.from_array(rng.randn(*shape).astype(np.float32), name)


def model(nodes, initializers, inputs=None, outputs=None, opset=13, ir=8, extra_opsets=()):
    inputs = inputs or [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 3, 8, 8])]
    outputs = outputs or [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", 4])]
    graph = helper.make_graph(nodes, "corpus", inputs, outputs, initializers)
    opsets = [helper.make_opsetid("", opset)] + [helper.make_opsetid(domain, 1) for domain in extra_opsets]
    result = helper.make_model(graph, opset_imports=opsets, producer_name="netdraft-corpus")
    result.ir_version = ir
    return result


def seed_nodes():
    return [
        helper.make_node("Conv", ["input", "conv.weight", "conv.bias"], ["c"], name="/conv/Conv",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"], name="/relu/Relu"),
        helper.make_node("GlobalAveragePool", ["r"], ["p"], name="/pool/GlobalAveragePool"),
        helper.make_node("Flatten", ["p"], ["f"], name="/Flatten", axis=1),
        helper.make_node("Gemm", ["f", "fc.weight", "fc.bias"], ["output"], name="/fc/Gemm", transB=1),
    ]


def seed_initializers():
    return [initializer("conv.weight", (6, 3, 3, 3)), initializer("conv.bias", (6,)),
            initializer("fc.weight", (4, 6)), initializer("fc.bias", (4,))]


def seed():
    return model(seed_nodes(), seed_initializers())


def lstm_model(weight_rows=32, peephole=False):
    """N×5×6 → Transpose → LSTM(hidden 8) → Squeeze → Transpose → last step → Gemm(4), as torch writes
    an LSTM classifier; `weight_rows` other than 4·8 gives W dims that do not fit hidden_size."""
    inputs = ["t", "lstm.W", "lstm.R", "lstm.B"] + (["", "", "", "lstm.P"] if peephole else [])
    nodes = [
        helper.make_node("Transpose", ["input"], ["t"], name="/lstm/Transpose", perm=[1, 0, 2]),
        helper.make_node("LSTM", inputs, ["y"], name="/lstm/LSTM", hidden_size=8),
        helper.make_node("Squeeze", ["y", "axis1"], ["s"], name="/lstm/Squeeze"),
        helper.make_node("Transpose", ["s"], ["b"], name="/lstm/Transpose_1", perm=[1, 0, 2]),
        helper.make_node("Gather", ["b", "last"], ["h"], name="/Gather", axis=1),
        helper.make_node("Gemm", ["h", "fc.weight", "fc.bias"], ["output"], name="/fc/Gemm", transB=1),
    ]
    initializers = [initializer("lstm.W", (1, weight_rows, 6)), initializer("lstm.R", (1, 32, 8)),
                    initializer("lstm.B", (1, 64)), numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"),
                    numpy_helper.from_array(np.array(-1, dtype=np.int64), "last"),
                    initializer("fc.weight", (4, 8)), initializer("fc.bias", (4,))]
    if peephole:
        initializers.append(initializer("lstm.P", (1, 24)))
    return model(nodes, initializers, inputs=[helper.make_tensor_value_info("input", TensorProto.FLOAT,
                                                                            ["batch", 5, 6])])


def rnn_model(weight_rows=8, activation="Tanh"):
    """N×5×6 → Transpose → RNN(hidden 8) → Squeeze → Transpose → last step → Gemm(4), as torch writes
    an nn.RNN classifier; `weight_rows` other than 8 gives W dims that do not fit hidden_size, an
    `activation` other than Tanh or Relu has no block."""
    nodes = [
        helper.make_node("Transpose", ["input"], ["t"], name="/rnn/Transpose", perm=[1, 0, 2]),
        helper.make_node("RNN", ["t", "rnn.W", "rnn.R", "rnn.B"], ["y"], name="/rnn/RNN", hidden_size=8,
                         activations=[activation]),
        helper.make_node("Squeeze", ["y", "axis1"], ["s"], name="/rnn/Squeeze"),
        helper.make_node("Transpose", ["s"], ["b"], name="/rnn/Transpose_1", perm=[1, 0, 2]),
        helper.make_node("Gather", ["b", "last"], ["h"], name="/Gather", axis=1),
        helper.make_node("Gemm", ["h", "fc.weight", "fc.bias"], ["output"], name="/fc/Gemm", transB=1),
    ]
    initializers = [initializer("rnn.W", (1, weight_rows, 6)), initializer("rnn.R", (1, 8, 8)),
                    initializer("rnn.B", (1, 16)), numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"),
                    numpy_helper.from_array(np.array(-1, dtype=np.int64), "last"),
                    initializer("fc.weight", (4, 8)), initializer("fc.bias", (4,))]
    return model(nodes, initializers, inputs=[helper.make_tensor_value_info("input", TensorProto.FLOAT,
                                                                            ["batch", 5, 6])])


def with_node(index, node):
    nodes = seed_nodes()
    nodes[index] = node
    return model(nodes, seed_initializers())


def netdraft_export(project, format_version=1):
    """The seed model with Netdraft's export metadata (metadata_props netdraft.json) carrying `project`."""
    result = seed()
    metadata = {"format": "netdraft-export", "format_version": format_version, "netdraft_version": "0.1.0",
                "project_name": "tiny", "input_shape": [3, 8, 8], "input_dtype": "float32", "input_scale": 1.0,
                "task": "classification", "class_names": [], "mean": [], "std": [],
                "normalization_folded": False, "project_directory": "/nowhere", "project": project}
    entry = result.metadata_props.add()
    entry.key = "netdraft.json"
    entry.value = json.dumps(metadata)
    return result


def netdraft_exports():
    """Netdraft exports whose project inside cannot be opened: a broken one, and newer metadata."""
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(SEEDS, "tiny.netdraft")) as file:
        tiny = json.load(file)
    write("exported-project-broken.onnx", netdraft_export({"format": "netdraft", "version": 2, "graph": []}))
    write("exported-project-newer-metadata.onnx", netdraft_export(tiny, format_version=99))


def write(name, content):
    with open(os.path.join(OUT, name), "wb") as file:
        file.write(content if isinstance(content, bytes) else content.SerializeToString(deterministic=True))


def main():
    os.makedirs(OUT, exist_ok=True)
    good = seed()
    onnx.checker.check_model(good, full_check=True)
    with open(os.path.join(SEEDS, "model.onnx"), "wb") as file:
        file.write(good.SerializeToString(deterministic=True))
    data = good.SerializeToString(deterministic=True)

    write("truncated.onnx", data[: len(data) // 2])
    write("empty.onnx", b"")
    write("text.onnx", b"this is not an ONNX model\n" * 20)
    write("opset-18.onnx", model(seed_nodes(), seed_initializers(), opset=18))
    write("opset-6.onnx", model(seed_nodes(), seed_initializers(), opset=6))
    write("ir-version-10.onnx", model(seed_nodes(), seed_initializers(), ir=10))

    external = seed()
    weight = external.graph.initializer[0]
    weight.ClearField("raw_data")
    weight.data_location = TensorProto.EXTERNAL
    weight.external_data.add(key="location", value="weights.bin")
    write("external-data.onnx", external)

    two_inputs = model(seed_nodes()[:-1] + [helper.make_node("Gemm", ["f", "second", "fc.bias"], ["output"],
                                                             name="/fc/Gemm", transB=1)],
                       seed_initializers(),
                       inputs=[helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 3, 8, 8]),
                               helper.make_tensor_value_info("second", TensorProto.FLOAT, [4, 6])])
    write("two-inputs.onnx", two_inputs)
    write("two-outputs.onnx", model(seed_nodes(), seed_initializers(),
                                    outputs=[helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", 4]),
                                             helper.make_tensor_value_info("f", TensorProto.FLOAT, ["batch", 6])]))
    write("unsupported-op-cumsum.onnx", model(
        seed_nodes()[:-1] + [helper.make_node("Gemm", ["f", "fc.weight", "fc.bias"], ["g"], name="/fc/Gemm", transB=1),
                             helper.make_node("CumSum", ["g", "axis"], ["output"], name="/CumSum")],
        seed_initializers() + [numpy_helper.from_array(np.array(1, dtype=np.int64), "axis")]))
    write("asymmetric-pads.onnx", with_node(0, helper.make_node(
        "Conv", ["input", "conv.weight", "conv.bias"], ["c"], name="/conv/Conv", kernel_shape=[3, 3],
        pads=[0, 0, 2, 2])))
    write("auto-pad-same-upper.onnx", with_node(0, helper.make_node(
        "Conv", ["input", "conv.weight", "conv.bias"], ["c"], name="/conv/Conv", kernel_shape=[3, 3],
        auto_pad="SAME_UPPER")))
    cycle = seed()
    cycle.graph.node[1].input[0] = "f"  # Relu reads Flatten's output, which depends on it
    write("cycle.onnx", cycle)
    out_of_order = seed()
    nodes = list(out_of_order.graph.node)
    del out_of_order.graph.node[:]
    out_of_order.graph.node.extend([nodes[1], nodes[0]] + nodes[2:])
    write("nodes-out-of-order.onnx", out_of_order)

    absurd = seed()
    absurd.graph.initializer[2].ClearField("dims")
    absurd.graph.initializer[2].dims.extend([1 << 40, 1 << 40])
    write("absurd-dims.onnx", absurd)
    short = seed()
    short.graph.initializer[0].raw_data = short.graph.initializer[0].raw_data[:10]
    write("initializer-shorter-than-dims.onnx", short)
    negative = seed()
    negative.graph.initializer[1].dims[0] = -6
    write("negative-dim.onnx", negative)
    int8 = seed()
    int8.graph.initializer[0].data_type = TensorProto.INT8
    int8.graph.initializer[0].raw_data = bytes(6 * 3 * 3 * 3)
    write("int8-weight.onnx", int8)
    write("weight-computed.onnx", model(
        [helper.make_node("Relu", ["conv.weight"], ["w"], name="/conv/Relu")]
        + [helper.make_node("Conv", ["input", "w", "conv.bias"], ["c"], name="/conv/Conv", kernel_shape=[3, 3],
                            pads=[1, 1, 1, 1])] + seed_nodes()[1:], seed_initializers()))
    write("other-domain.onnx", model(
        [helper.make_node("FusedConv", ["input", "conv.weight", "conv.bias"], ["c"], name="/conv/FusedConv",
                          domain="com.example")] + seed_nodes()[1:], seed_initializers(),
        extra_opsets=["com.example"]))
    write("input-without-shape.onnx", model(seed_nodes(), seed_initializers(), inputs=[
        helper.make_tensor_value_info("input", TensorProto.FLOAT, None)]))
    write("reshape-fixes-batch.onnx", model(
        seed_nodes()[:3] + [helper.make_node("Reshape", ["p", "shape"], ["f"], name="/Reshape"), seed_nodes()[4]],
        seed_initializers() + [numpy_helper.from_array(np.array([5, 6], dtype=np.int64), "shape")]))
    lstm = lstm_model()
    onnx.checker.check_model(lstm, full_check=True)
    with open(os.path.join(SEEDS, "lstm.onnx"), "wb") as file:
        file.write(lstm.SerializeToString(deterministic=True))
    lstm_data = lstm.SerializeToString(deterministic=True)
    write("lstm-truncated.onnx", lstm_data[: len(lstm_data) * 2 // 3])
    write("lstm-wrong-weight-dims.onnx", lstm_model(weight_rows=20))
    write("lstm-peephole.onnx", lstm_model(peephole=True))

    rnn = rnn_model()
    onnx.checker.check_model(rnn, full_check=True)
    with open(os.path.join(SEEDS, "rnn.onnx"), "wb") as file:
        file.write(rnn.SerializeToString(deterministic=True))
    write("rnn-wrong-weight-dims.onnx", rnn_model(weight_rows=5))
    write("rnn-sigmoid.onnx", rnn_model(activation="Sigmoid"))
    # Resize scales a hostile file may hold (drawn last: the files above keep their random values).
    for name, scale in (("resize-nan-scales.onnx", np.nan), ("resize-huge-scales.onnx", 1e30),
                        ("resize-negative-scales.onnx", -2.0)):
        write(name, model(
            seed_nodes()[:1] + [helper.make_node("Resize", ["c", "", "scales"], ["r"], name="/up/Resize",
                                                 mode="nearest", coordinate_transformation_mode="asymmetric",
                                                 nearest_mode="floor")] + seed_nodes()[2:],
            seed_initializers() + [numpy_helper.from_array(np.array([1, 1, scale, scale], dtype=np.float32),
                                                           "scales")]))
    netdraft_exports()
    print(f"wrote {len(os.listdir(OUT))} files to {OUT} and the seed {os.path.join(SEEDS, 'model.onnx')}")


if __name__ == "__main__":
    main()
