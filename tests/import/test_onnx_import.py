#!/usr/bin/env python3
"""ONNX import checked against onnxruntime and PyTorch (CTest python.test_onnx_import).

Python torch (and torchvision, weights=None: nothing downloads) exports models with torch.onnx.export
(opsets 13 to 17, with random weights and batch-norm statistics); `netdraft-cli import` opens each as a
project with its starting weights; `netdraft-cli export --format torchscript` writes the Netdraft
model built from that project, and its output on a fixed input must equal onnxruntime-node's on the
original file (and the torch module's) within 1e-4 of the output's scale. Also: resnet18's and
mobilenet_v2's parameter counts and blocks when batch norm is kept, a round trip Netdraft → ONNX →
Netdraft, operators without a block listed by message, and hostile files refused by message.

Usage: test_onnx_import.py NETDRAFT_CLI NODE
"""

import json
import os
import shutil
import subprocess
import sys
import unittest
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

try:
    import torchvision
except ImportError:  # the test fails rather than skipping: scripts/setup.sh installs it
    torchvision = None
try:
    import onnx
except ImportError:
    onnx = None

import import_fixtures
from import_fixtures import TOLERANCE, ImportTestCase, SmallCnnLayers, cli

NODE = None
HERE = os.path.dirname(os.path.abspath(__file__))
PROJECTS = os.path.join(HERE, "..", "..", "projects")


class SmallCnn(SmallCnnLayers):
    """Convolutions (one grouped, one with asymmetric-free padding), batch norm, pooling, a
    concatenation, a sigmoid gate, a view with x.size(0) (a Shape/Gather/Concat chain in ONNX), softmax."""

    def __init__(self):
        super().__init__(nn.Conv2d(8, 8, 3, padding=1, groups=4))

    def forward(self, x):
        x = self.pool(F.relu(self.bn1(self.conv1(x))))
        x = torch.cat([x, self.branch(x)], 1)
        x = x * torch.sigmoid(self.gate(x))
        x = self.avg(self.act(self.bn2(self.conv2(x))))
        x = x.view(x.size(0), -1)
        return F.log_softmax(self.fc(self.drop(x)), dim=1)


class SequenceMlp(nn.Module):
    """Linear on N×T×F (MatMul + Add in ONNX), GELU (an Erf pattern), LayerNorm (opset 17), Tanh, ELU,
    Conv1d, Flatten."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(12, 16)
        self.norm = nn.LayerNorm(16)
        self.conv = nn.Conv1d(8, 4, 3, padding=1)
        self.head = nn.Linear(4 * 16, 5)

    def forward(self, x):
        x = torch.tanh(self.norm(F.gelu(self.embed(x))))
        x = F.elu(self.conv(x), alpha=0.5)
        return torch.softmax(self.head(torch.flatten(x, 1)), dim=-1)


class ChannelsLastBlock(nn.Module):
    """A ConvNeXt block: a depthwise convolution, then Transpose to N×H×W×C, LayerNorm over the channels,
    Linear → GELU → Linear on the last dimension (MatMul + Add on a 4-d value), a per-channel layer
    scale, Transpose back and the residual addition; then pooling and a classifier."""

    def __init__(self, channels=8):
        super().__init__()
        self.stem = nn.Conv2d(3, channels, 3, padding=1)
        self.dwconv = nn.Conv2d(channels, channels, 7, padding=3, groups=channels)
        self.norm = nn.LayerNorm(channels)
        self.fc1 = nn.Linear(channels, 4 * channels)
        self.fc2 = nn.Linear(4 * channels, channels)
        self.layer_scale = nn.Parameter(torch.rand(channels, 1, 1) + 0.5)
        self.head = nn.Linear(channels, 4)

    def forward(self, x):
        x = self.stem(x)
        y = self.dwconv(x).permute(0, 2, 3, 1)
        y = self.fc2(F.gelu(self.fc1(self.norm(y)))).permute(0, 3, 1, 2)
        x = x + self.layer_scale * y
        return self.head(F.adaptive_avg_pool2d(x, 1).flatten(1))


class Reductions(nn.Module):
    """ReduceMean over height and width (a GlobalAvgPool) and over one dimension, ReduceSum keeping its
    dimension (axes an input from opset 13) and ReduceMax."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.fc = nn.Linear(8, 5)

    def forward(self, x):
        y = self.conv(x)
        pooled = y.mean(dim=(2, 3))
        energy = y.mean(dim=3).sum(dim=2, keepdim=True).flatten(1)
        peak = torch.amax(y, dim=(2, 3))
        return self.fc(pooled + energy / 10 + peak)


class Upsampling(nn.Module):
    """Resize nodes: nearest by a factor (asymmetric, floor), bilinear to a size and bilinear with
    align_corners by a factor."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.fc = nn.Linear(12 * 12 * 12, 3)  # every upsampled value counts in the output

    def forward(self, x):
        y = self.conv(x)
        nearest = F.interpolate(y, scale_factor=2, mode="nearest")
        to_size = F.interpolate(y, size=(12, 12), mode="bilinear", align_corners=False)
        corners = F.interpolate(y, scale_factor=2, mode="bilinear", align_corners=True)
        return self.fc(torch.cat([nearest, to_size, corners], dim=1).flatten(1))


class SqueezeAndUnsqueeze(nn.Module):
    """Features as a one-channel signal (Unsqueeze), a Conv1d, the pooled length removed (Squeeze)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(1, 4, 3, padding=1)
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        y = F.adaptive_avg_pool1d(torch.relu(self.conv(x.unsqueeze(1))), 1)
        return self.fc(y.squeeze(-1))


class ChannelShuffle(nn.Module):
    """ShuffleNet's channel shuffle: a view to N×groups×C/groups×H×W whose sizes torch computes from
    x.size() (Shape, Gather, Div), a Transpose of a value whose rank shape inference leaves open, and a
    view back."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.fc = nn.Linear(8 * 6 * 6, 3)

    def forward(self, x):
        y = self.conv(x)
        b, c, h, w = y.size()
        y = y.view(b, 2, c // 2, h, w).transpose(1, 2).contiguous().view(b, -1, h, w)
        return self.fc(y.flatten(1))


class LstmClassifier(nn.Module):
    """An LSTM over N×T×F whose last step feeds a Linear: torch writes Transpose → LSTM → Squeeze →
    Transpose → Gather around the LSTM node, with zeros sized by the batch as its initial state."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(6, 16, batch_first=True)
        self.fc = nn.Linear(16, 4)

    def forward(self, x):
        y, _ = self.lstm(x)
        return self.fc(y[:, -1, :])


class TimeFirstGruClassifier(nn.Module):
    """PyTorch's default time-first GRU (T×N×F in, batch_first=False) whose last step out[-1] feeds a
    Linear: torch writes GRU → Squeeze → Gather on axis 0."""

    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(6, 8)
        self.fc = nn.Linear(8, 3)

    def forward(self, x):
        y, _ = self.gru(x)
        return self.fc(y[-1])


class GruTagger(nn.Module):
    """Two stacked bidirectional GRU layers (two ONNX GRU nodes, Y transposed and reshaped to join the
    directions); its sequence read twice, so its last and first steps are Select blocks."""

    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(6, 8, num_layers=2, batch_first=True, bidirectional=True)
        self.tag = nn.Linear(16, 3)
        self.gate = nn.Linear(16, 3)

    def forward(self, x):
        y, _ = self.gru(x)
        return self.tag(y[:, -1, :]) * torch.sigmoid(self.gate(y[:, 0, :]))


class RnnTagger(nn.Module):
    """A plain RNN (ONNX RNN nodes, activations Tanh or Relu): two stacked bidirectional layers, or one
    forward layer, whose last step feeds a Linear."""

    def __init__(self, nonlinearity, bidirectional, layers):
        super().__init__()
        self.rnn = nn.RNN(6, 8, num_layers=layers, batch_first=True, bidirectional=bidirectional,
                          nonlinearity=nonlinearity)
        self.fc = nn.Linear(16 if bidirectional else 8, 3)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.fc(y[:, -1, :])


class Cumulative(nn.Module):
    """CumSum and the addition of a constant vector along the last dimension of N×2×3 (not one value per
    channel, which would be a ChannelAffine block) have no block."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(6, 6)

    def forward(self, x):
        return (torch.cumsum(self.fc(x).view(-1, 2, 3), dim=2) + torch.linspace(0, 1, 3)).view(-1, 6)


class ConstantArithmetic(nn.Module):
    """Arithmetic with one number on either side (Add, Sub, Mul, Div nodes with a constant operand):
    Scale blocks."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(6, 5)

    def forward(self, x):
        y = (self.fc(x) * 0.5 + 1.5) / 4.0
        return torch.tanh(2.0 - y) - 0.25


def randomize_statistics(module):
    """Batch norm with non-trivial running statistics and affine parameters."""
    return import_fixtures.randomize_statistics(module, affine=True)


def largest_difference(actual, expected):
    """max |actual - expected| over max(1, max |expected|), as tests/onnx/run_onnx.js measures."""
    scale = max(1.0, float(np.abs(expected).max()))
    return float(np.abs(actual - expected).max()) / scale


class OnnxImportTest(ImportTestCase):
    FOLDER_PREFIX = "netdraft-onnx-import-"

    def export(self, module, example, name, opset, keep_batch_norm=False, dynamic=True):
        path = self.path(f"{name}.onnx")
        options = {}
        if keep_batch_norm:  # eval mode without fusing batch norm into the convolutions
            options["training"] = torch.onnx.TrainingMode.PRESERVE
        if dynamic:
            options["dynamic_axes"] = {"input": {0: "batch"}, "output": {0: "batch"}}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(module.eval(), example, path, opset_version=opset, input_names=["input"],
                              output_names=["output"], **options)
        return path

    def onnxruntime(self, model, example):
        """The first output of `model` in onnxruntime-node on `example`."""
        source = self.path("ort_input.bin")
        target = self.path("ort_output.bin")
        example.numpy().astype(np.float32).tofile(source)
        result = subprocess.run([NODE, os.path.join(HERE, "onnx_forward.js"), model, source,
                                 ",".join(str(size) for size in example.shape), target],
                                capture_output=True, text=True, timeout=300)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        dims = json.loads(result.stdout)
        return np.fromfile(target, dtype=np.float32).reshape(dims)

    def netdraft_forward(self, project, example, name):
        """The output of the model Netdraft builds from `project` (exported as TorchScript)."""
        exported = self.path(f"{name}_netdraft.pt")
        cli("export", project, "--format", "torchscript", "--out", exported)
        with torch.no_grad():
            return torch.jit.load(exported).eval()(example).numpy()

    def import_and_compare(self, module, sample_shape, name, opset, **export_options):
        """Exports `module` as ONNX, imports it and compares Netdraft's model with onnxruntime and torch."""
        example = torch.randn(2, *sample_shape)
        source = self.export(module, example, name, opset, **export_options)
        project = self.path(f"{name}.netdraft")
        report = cli("import", source, "--out", project)
        self.assertTrue(os.path.exists(self.path(f"{name}.weights.pt")), report)
        self.assertNotIn("TorchScript is code", report)
        actual = self.netdraft_forward(project, example, name)
        expected = self.onnxruntime(source, example)
        with torch.no_grad():
            original = module.eval()(example).numpy()
        self.assertEqual(actual.shape, expected.shape)
        difference = largest_difference(actual, expected)
        self.assertLessEqual(difference, TOLERANCE, f"{name}: onnxruntime differs by {difference}")
        self.assertLessEqual(largest_difference(actual, original), TOLERANCE, f"{name}: torch differs")
        print(f"{name} (opset {opset}): largest difference to onnxruntime {difference:.2e} "
              f"(outputs up to {float(np.abs(expected).max()):.3g})", file=sys.stderr)
        return report, project

    def test_small_cnn(self):
        for opset, keep in ((13, False), (17, True)):
            with self.subTest(opset=opset, batch_norm=keep):
                report, _ = self.import_and_compare(randomize_statistics(SmallCnn()), (3, 32, 32),
                                                    f"cnn_{opset}", opset, keep_batch_norm=keep)
                self.assert_blocks(report, ("Concat 1", "Multiply 1", "Sigmoid 1", "LeakyReLU 1", "AvgPool2d 1",
                                            "Reshape 1", "LogSoftmax 1", "Linear 1", "Conv2d 4"))
                self.assertEqual("BatchNorm2d 2" in report, keep, report)

    def test_sequence_model_with_matmul_and_layer_norm(self):
        report, _ = self.import_and_compare(SequenceMlp(), (8, 12), "sequence", 17)
        self.assert_blocks(report, ("Linear 2", "GELU 1", "LayerNorm 1", "Tanh 1", "ELU 1", "Conv1d 1", "Flatten 1",
                                    "Softmax 1"))

    def test_channels_last_block_with_transposes(self):
        """ConvNeXt's block: each Transpose that keeps the batch first becomes a Permute block."""
        report, project = self.import_and_compare(ChannelsLastBlock(), (3, 12, 12), "channels_last", 17)
        self.assert_blocks(report, ("Permute 2", "LayerNorm 1", "GELU 1", "ChannelAffine 1", "Add 1"))
        with open(project) as file:
            permutes = [block["params"]["dims"] for block in json.load(file)["graph"]["blocks"]
                        if block["type"] == "Permute"]
        self.assertEqual(sorted(permutes), [[2, 3, 1], [3, 1, 2]])

    def test_reductions(self):
        """The same blocks as the TorchScript import gives for the same reductions (engine/import/ReductionImport)."""
        for opset in (13, 17):
            with self.subTest(opset=opset):
                report, project = self.import_and_compare(Reductions(), (3, 10, 12), f"reductions_{opset}", opset)
                self.assert_blocks(report, ("GlobalAvgPool 1", "Mean 1", "Sum 1", "Max 1"))
                with open(project) as file:
                    blocks = {block["type"]: block["params"] for block in json.load(file)["graph"]["blocks"]}
                self.assertEqual((blocks["Mean"]["dims"], blocks["Mean"]["keepdim"]), ([3], False))
                self.assertEqual((blocks["Sum"]["dims"], blocks["Sum"]["keepdim"]), ([2], True))
                self.assertEqual(sorted(blocks["Max"]["dims"]), [2, 3])

    def test_upsampling(self):
        for opset in (11, 13, 17):
            with self.subTest(opset=opset):
                report, project = self.import_and_compare(Upsampling(), (3, 6, 6), f"upsampling_{opset}", opset)
                self.assert_blocks(report, ("Upsample 3", "Concat 1"))
                with open(project) as file:
                    upsamples = sorted((block["params"]["mode"], block["params"].get("align_corners", False),
                                        block["params"].get("size", "none"))
                                       for block in json.load(file)["graph"]["blocks"] if block["type"] == "Upsample")
                self.assertEqual(upsamples, [("bilinear", False, [12, 12]), ("bilinear", True, "none"),
                                             ("nearest", False, "none")])

    def test_resize_with_absurd_scales_is_refused(self):
        """A Resize whose scales are NaN, 0 or huge (a hostile or broken file) is named, not imported."""
        self.assertIsNotNone(onnx, "python3-onnx is missing (scripts/setup.sh installs it)")
        from onnx import numpy_helper
        upsampling = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.Upsample(scale_factor=2),
                                   nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2))
        source = self.export(upsampling, torch.randn(1, 3, 6, 6), "resize_scales", 13)
        for value, shown in ((float("nan"), "nan"), (0.0, "0.000000"), (1e9, "1000000000.000000")):
            with self.subTest(scale=value):
                model = onnx.load(source)
                nearest = next(node for node in model.graph.node
                               if node.op_type == "Resize" and any(a.s == b"nearest" for a in node.attribute))
                constant = next(node for node in model.graph.node if node.output[0] == nearest.input[2])
                constant.attribute[0].t.CopyFrom(numpy_helper.from_array(
                    np.array([1, 1, value, value], dtype=np.float32), constant.attribute[0].t.name))
                path = self.path(f"resize_{shown}.onnx")
                onnx.save(model, path)
                output = cli("import", path, "--out", self.path(f"resize_{shown}.netdraft"), expect=3)
                self.assertIn(f"its scale factor {shown} is outside what an Upsample block takes (0.01 to 1024)",
                              output)

    def test_squeeze_and_unsqueeze_of_data(self):
        for opset in (11, 13):  # axes an attribute, then an input
            with self.subTest(opset=opset):
                report, project = self.import_and_compare(SqueezeAndUnsqueeze(), (12,), f"squeeze_{opset}", opset)
                self.assert_blocks(report, ("Unsqueeze 1", "Squeeze 1", "Conv1d 1", "AdaptiveAvgPool1d 1"))
                with open(project) as file:
                    dims = {block["type"]: block["params"]["dim"] for block in json.load(file)["graph"]["blocks"]
                            if block["type"] in ("Squeeze", "Unsqueeze")}
                self.assertEqual(dims, {"Unsqueeze": 1, "Squeeze": 2})

    def test_efficientnet_b0(self):
        """Squeeze-and-excitation: Mul of the N×C×1×1 gate and the N×C×H×W features, a Multiply block
        that stretches the 1s; torch's SiLU, written as x · sigmoid(x) (Sigmoid and Mul), is one SiLU block,
        while the gates' Sigmoid and Mul of other features stay two."""
        self.assertIsNotNone(torchvision, "python3-torchvision is missing (scripts/setup.sh installs it)")
        torch.manual_seed(5)
        model = randomize_statistics(torchvision.models.efficientnet_b0(weights=None))
        report, _ = self.import_and_compare(model, (3, 64, 64), "efficientnet_b0", 17)
        self.assert_blocks(report, ("SiLU 49", "Multiply 16", "Sigmoid 16", "AdaptiveAvgPool2d 17"))

    def test_channel_shuffle(self):
        report, project = self.import_and_compare(ChannelShuffle(), (3, 6, 6), "shuffle", 13)
        self.assert_blocks(report, ("Reshape 2", "Permute 1"))
        with open(project) as file:
            blocks = json.load(file)["graph"]["blocks"]
        self.assertEqual([block["params"]["shape"] for block in blocks if block["type"] == "Reshape"],
                         [[2, 4, 6, 6], [-1, 6, 6]])
        self.assertEqual([block["params"]["dims"] for block in blocks if block["type"] == "Permute"], [[2, 1, 3, 4]])

    def test_convnext_tiny(self):
        """torchvision's convnext_tiny (weights=None): its Transposes, channel LayerNorms, 4-d Linears and
        layer scales import as blocks, with torchvision's parameter count. The layer scales start at 1e-6:
        they are drawn again so that every block's branch counts in the comparison."""
        self.assertIsNotNone(torchvision, "python3-torchvision is missing (scripts/setup.sh installs it)")
        torch.manual_seed(3)
        model = torchvision.models.convnext_tiny(weights=None)
        with torch.no_grad():
            for name, parameter in model.named_parameters():
                if name.endswith("layer_scale"):
                    parameter.copy_(torch.rand_like(parameter) + 0.5)
        report, _ = self.import_and_compare(model, (3, 64, 64), "convnext_tiny", 17)
        self.assertIn("28589128 parameters", report)
        self.assert_blocks(report, ("Permute 46", "LayerNorm 23", "ChannelAffine 18", "Linear 37", "GELU 18",
                                    "Conv2d 22", "Add 18"))

    def test_lstm_classifier(self):
        report, project = self.import_and_compare(LstmClassifier(), (7, 6), "lstm", 17)
        self.assert_blocks(report, ("LSTM 1", "Linear 1"))
        self.assertIn("Imported 2 blocks, 1604 parameters", report)  # 4·16·(6+16) + 2·4·16 + 16·4+4
        with open(project) as file:
            lstm = next(block for block in json.load(file)["graph"]["blocks"] if block["type"] == "LSTM")
        self.assertEqual(lstm["params"]["output"], "last")
        self.assertEqual(lstm["params"]["hidden_size"], 16)

    def test_time_first_gru_last_step(self):
        """The last step of a time-first GRU is the GRU block's output 'last' (batch_first off), not a block."""
        report, project = self.import_and_compare(TimeFirstGruClassifier(), (4, 6), "gru_time_first", 17)
        self.assert_blocks(report, ("GRU 1", "Linear 1"))
        self.assertIn("Imported 2 blocks", report)
        with open(project) as file:
            gru = next(block for block in json.load(file)["graph"]["blocks"] if block["type"] == "GRU")
        self.assertEqual((gru["params"]["output"], gru["params"]["batch_first"]), ("last", False))

    def test_stacked_bidirectional_gru(self):
        for opset in (13, 17):
            with self.subTest(opset=opset):
                report, project = self.import_and_compare(GruTagger(), (5, 6), f"gru_{opset}", opset)
                self.assert_blocks(report, ("GRU 1", "Linear 2", "Select 2", "Sigmoid 1", "Multiply 1"))
                parameters = sum(p.numel() for p in GruTagger().parameters())
                self.assertIn(f"Imported 7 blocks, {parameters} parameters", report)
                with open(project) as file:
                    gru = next(block for block in json.load(file)["graph"]["blocks"] if block["type"] == "GRU")
                self.assertEqual(gru["params"]["num_layers"], 2)
                self.assertEqual(gru["params"]["bidirectional"], True)

    def test_plain_rnn(self):
        """ONNX RNN nodes become the RNN block with W, R and B split into torch's weights, both
        directions, tanh and relu; outputs equal onnxruntime's within 1e-5."""
        for nonlinearity, bidirectional, layers in (("tanh", False, 1), ("relu", True, 2)):
            with self.subTest(nonlinearity=nonlinearity, bidirectional=bidirectional):
                module = RnnTagger(nonlinearity, bidirectional, layers)
                name = f"rnn_{nonlinearity}"
                example = torch.randn(3, 5, 6)
                source = self.export(module, example, name, 17)
                project = self.path(f"{name}.netdraft")
                report = cli("import", source, "--out", project)
                self.assert_blocks(report, ("RNN 1", "Linear 1"))
                parameters = sum(p.numel() for p in module.parameters())
                self.assertIn(f"Imported 2 blocks, {parameters} parameters", report)
                with open(project) as file:
                    rnn = next(block for block in json.load(file)["graph"]["blocks"] if block["type"] == "RNN")
                self.assertEqual(rnn["params"].get("nonlinearity", "tanh"), nonlinearity)
                self.assertEqual(rnn["params"].get("bidirectional", False), bidirectional)
                self.assertEqual(rnn["params"].get("num_layers", 1), layers)
                actual = self.netdraft_forward(project, example, name)
                expected = self.onnxruntime(source, example)
                self.assertEqual(actual.shape, expected.shape)
                difference = float(np.abs(actual - expected).max())
                self.assertLessEqual(difference, 1e-5, f"{name}: onnxruntime differs by {difference}")
                print(f"{name}: largest difference to onnxruntime {difference:.2e}", file=sys.stderr)

    def test_unsupported_ops_kept_as_opaque_blocks(self):
        """--keep-unsupported: CumSum and the addition of a constant vector become Opaque blocks with
        their op type, node name, constant inputs and shapes; the project opens, but each is an error of
        the design that validate, train and export name."""
        source = self.export(Cumulative(), torch.randn(2, 6), "kept", 13)
        project = self.path("kept.netdraft")
        report = cli("import", source, "--out", project, "--keep-unsupported")
        self.assert_blocks(report, ("Opaque 2", "Linear 1"))
        self.assertIn("note: 2 operators have no Netdraft block and are kept as an opaque block (Add ×1, CumSum ×1): "
                      "replace them with real blocks before training or export", report)
        with open(project) as file:
            graph = json.load(file)["graph"]
        opaque = {block["params"]["op_type"]: block for block in graph["blocks"] if block["type"] == "Opaque"}
        self.assertEqual(set(opaque), {"CumSum", "Add"})
        self.assertEqual((opaque["CumSum"]["id"], opaque["Add"]["id"]), ("cumsum", "add"))
        cumsum = opaque["CumSum"]["params"]
        self.assertEqual(cumsum["node_name"], "/CumSum")
        self.assertEqual(cumsum["output_shape"], [2, 3])
        self.assertEqual(cumsum["input_shapes"], "N×2×3, scalar")
        self.assertIn("input 2 '", cumsum["attributes"])
        self.assertIn("'=constant scalar = [2]", cumsum["attributes"])
        add = opaque["Add"]["params"]
        self.assertEqual(add["input_shapes"], "N×2×3, 3")
        self.assertIn("=constant 3", add["attributes"])
        # The blocks are wired in the file's order: fc → Reshape → CumSum → Add → Reshape → output.
        into = {connection["to"].split(".")[0]: connection["from"].split(".")[0] for connection in graph["connections"]}
        self.assertEqual(into[into["output"]], opaque["Add"]["id"])
        self.assertEqual(into[opaque["Add"]["id"]], opaque["CumSum"]["id"])
        # An error of the design on each opaque block: validate names them and fails, and train and
        # export refuse before they start.
        refusal = "block cumsum: is an unsupported ONNX op 'CumSum' (node '/CumSum'): replace it before training"
        output = cli("validate", project, expect=1)
        self.assertIn("error: " + refusal, output)
        self.assertIn("error: block add: is an unsupported ONNX op 'Add' (node '/Add'): replace it before training",
                      output)
        self.assertIn("2 errors", output)
        self.assertRegex(output, r"fc +Linear +N×6 +42\n")  # the shapes and counts still show
        output = cli("train", project, "--epochs", "1", "--out", self.path("kept-run"), expect=1)
        self.assertIn(refusal, output)
        output = cli("export", project, "--format", "torchscript", "--out", self.path("kept.pt"), expect=3)
        self.assertIn(refusal, output)
        self.assertFalse(os.path.exists(self.path("kept.pt")))
        output = cli("export", project, "--format", "onnx", "--out", self.path("kept.onnx"), expect=3)
        self.assertIn("is an unsupported ONNX op", output)

    def test_fixed_batch_size(self):
        report, _ = self.import_and_compare(randomize_statistics(SmallCnn()), (3, 32, 32), "cnn_fixed", 15,
                                            dynamic=False)
        self.assertIn("the file fixes the batch size to 2", report)

    def test_resnet18(self):
        self.assertIsNotNone(torchvision, "python3-torchvision is missing (scripts/setup.sh installs it)")
        model = randomize_statistics(torchvision.models.resnet18(weights=None))
        report, project = self.import_and_compare(model, (3, 64, 64), "resnet18", 13)  # batch norm fused
        self.assertIn("8 composite blocks", report)
        report, project = self.import_and_compare(model, (3, 64, 64), "resnet18_bn", 17, keep_batch_norm=True)
        self.assert_resnet18(report, project)

    def test_mobilenet_v2(self):
        self.assertIsNotNone(torchvision, "python3-torchvision is missing (scripts/setup.sh installs it)")
        model = randomize_statistics(torchvision.models.mobilenet_v2(weights=None))
        self.import_and_compare(model, (3, 64, 64), "mobilenet_v2", 13)
        report, _ = self.import_and_compare(model, (3, 64, 64), "mobilenet_v2_bn", 17, keep_batch_norm=True)
        self.assert_mobilenet_v2(report)

    def test_round_trip_through_netdraft_export(self):
        """Netdraft → ONNX → Netdraft: the same blocks and the same outputs."""
        original = os.path.join(PROJECTS, "classic_cnn.netdraft")
        exported = self.path("classic_cnn.onnx")
        cli("export", original, "--format", "onnx", "--out", exported)
        project = self.path("classic_cnn_again.netdraft")
        report = cli("import", exported, "--out", project)
        with open(original) as file:
            blocks = json.load(file)["graph"]["blocks"]
        for block_type in {block["type"] for block in blocks} - {"Input", "Output"}:
            count = sum(block["type"] == block_type for block in blocks)
            self.assertIn(f"  {block_type} {count}\n", report)
        with open(project) as file:
            imported = json.load(file)["graph"]["blocks"]
        self.assertEqual({block["id"] for block in imported}, {block["id"] for block in blocks})
        shape = next(block for block in blocks if block["type"] == "Input")["params"]["shape"]
        example = torch.rand(3, *shape)
        actual = self.netdraft_forward(project, example, "classic_cnn_again")
        expected = self.onnxruntime(exported, example)
        self.assertLessEqual(largest_difference(actual, expected), TOLERANCE)
        before = self.netdraft_forward(original, example, "classic_cnn")
        self.assertLessEqual(largest_difference(actual, before), TOLERANCE)

    def test_constant_numbers_become_scale_blocks(self):
        report, project = self.import_and_compare(ConstantArithmetic(), (6,), "constants", 17)
        self.assert_blocks(report, ("Scale 5", "Linear 1", "Tanh 1"))
        with open(project) as file:
            scales = [(block["params"].get("scale", 1.0), block["params"].get("bias", 0.0))
                      for block in json.load(file)["graph"]["blocks"] if block["type"] == "Scale"]
        self.assertCountEqual(scales, [(0.5, 0.0), (1.0, 1.5), (0.25, 0.0), (-1.0, 2.0), (1.0, -0.25)])

    def test_lstm_round_trip_through_netdraft_export(self):
        """Netdraft's own ONNX export of Embedding → LSTM (output last) → Linear reads back as the same
        three blocks (the LSTM's Transposes, Reshape and last-step Gather followed, not blocks), and the
        re-imported project computes what the original does on the same weights."""
        original = os.path.join(PROJECTS, "lstm_sequences.netdraft")
        exported = self.path("lstm_sequences.onnx")
        cli("export", original, "--format", "onnx", "--out", exported)
        project = self.path("lstm_sequences_again.netdraft")
        report = cli("import", exported, "--out", project)
        self.assert_blocks(report, ("Embedding 1", "LSTM 1", "Linear 1"))
        with open(project) as file:
            imported = json.load(file)["graph"]["blocks"]
        lstm = next(block for block in imported if block["type"] == "LSTM")
        self.assertEqual((lstm["params"]["output"], lstm["params"]["batch_first"]), ("last", True))
        example = torch.randint(0, 16, (3, 20))
        actual = self.netdraft_forward(project, example, "lstm_sequences_again")
        before = self.netdraft_forward(original, example, "lstm_sequences")
        self.assertEqual(actual.shape, before.shape)
        self.assertLessEqual(largest_difference(actual, before), TOLERANCE)

    def test_unsupported_ops_are_listed(self):
        source = self.export(Cumulative(), torch.randn(2, 6), "cumulative", 13)
        output = cli("import", source, "--out", self.path("cumulative.netdraft"), expect=3)
        self.assertIn("2 nodes have no Netdraft block, so nothing was imported:", output)
        self.assertIn("Add ×1 (with a constant operand ('/Constant_2_output_0') of 3 values; only one number (a Scale "
                      "block) or one per channel (a ChannelAffine block) has a block) at /Add", output)
        self.assertIn("CumSum ×1 (no Netdraft block does this) at /CumSum", output)
        self.assertIn("Import with --keep-unsupported to keep them as opaque blocks", output)
        self.assertFalse(os.path.exists(self.path("cumulative.netdraft")))

    def test_hostile_files_are_refused_by_message(self):
        self.assertIsNotNone(onnx, "python3-onnx is missing (scripts/setup.sh installs it)")
        source = self.export(SmallCnn(), torch.randn(1, 3, 32, 32), "hostile", 13)
        with open(source, "rb") as file:
            data = file.read()
        model = onnx.load(source)

        def opset(version):
            changed = onnx.load(source)
            changed.opset_import[0].version = version
            return changed.SerializeToString()

        def ir(version):
            changed = onnx.load(source)
            changed.ir_version = version
            return changed.SerializeToString()

        def external():
            changed = onnx.load(source)
            onnx.save_model(changed, self.path("external.onnx"), save_as_external_data=True,
                            all_tensors_to_one_file=True, location="external.data", size_threshold=0)
            with open(self.path("external.onnx"), "rb") as file:
                return file.read()

        cases = {
            "truncated.onnx": (data[: len(data) // 2], "the protobuf does not parse"),
            "empty.onnx": (b"", "has no graph"),
            "text.onnx": (b"definitely not an ONNX model\n" * 10, "the protobuf does not parse"),
            "opset18.onnx": (opset(18), "ONNX opset 18 is not supported"),
            "ir10.onnx": (ir(10), "ONNX IR version 10 is not supported"),
            "external_data.onnx": (external(), "keeps its data in an external file"),
        }
        del model
        for name, (content, message) in cases.items():
            with self.subTest(file=name):
                path = self.path(name)
                if name != "external_data.onnx":
                    with open(path, "wb") as file:
                        file.write(content)
                else:
                    shutil.copy(self.path("external.onnx"), path)
                output = cli("import", path, "--out", self.path(name + ".netdraft"), expect=3)
                self.assertIn(f"{name}: ", output)
                self.assertIn(message, output)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    import_fixtures.configure(sys.argv.pop(1))
    NODE = sys.argv.pop(1)
    unittest.main()
