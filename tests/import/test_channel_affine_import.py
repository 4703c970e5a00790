#!/usr/bin/env python3
"""Per-channel constants imported as ChannelAffine blocks (CTest python.test_channel_affine_import).

A small CNN written in Python torch normalises its input with (x - mean) / std (buffers of shape
[3, 1, 1]), scales and shifts its convolution's channels with x * self.scale + self.shift
(nn.Parameters of shape [8, 1, 1]), scales a depthwise residual branch by ConvNeXt's layer scale
(self.layer_scale * branch, [8, 1, 1]) and multiplies its N×4 output by a parameter of shape [4] written
first (self.gamma * x). Scripted, traced and exported with torch.onnx.export, it must import with
`netdraft-cli import` as four ChannelAffine blocks (one per pattern: Sub and Div joined, Mul and Add
joined) and no Opaque block, each with the parts the file learns marked learned, and the same parameter
count as torch. The imported project's own exports must compute what the torch module computes within
1e-5: TorchScript (run in torch), model.py with weights.pt (run in torch, once), and, for the ONNX file,
Netdraft's ONNX export run in onnxruntime-node next to the original file run there.

Usage: test_channel_affine_import.py NETDRAFT_CLI [NODE]   (NODE: also the ONNX file, as ONNX is built)
"""

import importlib.util
import json
import os
import subprocess
import sys
import unittest
import warnings

import numpy as np
import torch
import torch.nn as nn

import import_fixtures
from import_fixtures import ImportTestCase, cli

NODE = None
HERE = os.path.dirname(os.path.abspath(__file__))
TOLERANCE = 1e-5


class AffineCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1))
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.scale = nn.Parameter(torch.rand(8, 1, 1) + 0.5)
        self.shift = nn.Parameter(torch.randn(8, 1, 1))
        self.depthwise = nn.Conv2d(8, 8, 3, padding=1, groups=8)
        self.layer_scale = nn.Parameter(torch.rand(8, 1, 1))  # ConvNeXt's, on a residual branch
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 4)
        self.gamma = nn.Parameter(torch.rand(4) + 0.5)

    def forward(self, x):
        x = (x - self.mean) / self.std
        x = torch.relu(self.conv(x) * self.scale + self.shift)
        x = x + self.layer_scale * self.depthwise(x)
        return self.gamma * self.fc(torch.flatten(self.pool(x), 1))


def largest_difference(actual, expected):
    return float(np.abs(np.asarray(actual) - np.asarray(expected)).max())


class ChannelAffineImportTest(ImportTestCase):
    FOLDER_PREFIX = "netdraft-channel-affine-"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        torch.manual_seed(5)
        cls.module = AffineCnn().eval()
        cls.example = torch.rand(2, 3, 8, 8)
        cls.check = torch.rand(5, 3, 8, 8)  # another batch size than the one traced and exported
        with torch.no_grad():
            cls.expected = cls.module(cls.check).numpy()

    def import_file(self, source, name):
        """Imports `source`; checks the blocks and parameter count, returns the project and its blocks."""
        project = self.path(f"{name}.netdraft")
        report = cli("import", source, "--out", project, "--input-shape", "3,8,8")
        parameters = sum(p.numel() for p in self.module.parameters())  # the buffers mean and std are fixed
        self.assertIn(f"Imported 11 blocks, {parameters} parameters", report)
        self.assert_blocks(report, ("ChannelAffine 4", "Conv2d 2", "Add 1", "ReLU 1", "AdaptiveAvgPool2d 1",
                                    "Flatten 1", "Linear 1"))
        self.assertNotIn("Opaque", report)
        self.assertNotIn("is called", report)
        with open(project) as file:
            blocks = json.load(file)["graph"]["blocks"]
        affine = [block for block in blocks if block["type"] == "ChannelAffine"]
        learned = sorted((block["params"]["learn_scale"], block["params"]["learn_shift"]) for block in affine)
        # (x - mean) / std fixed; scale and shift learned; layer_scale's and gamma's scale learned, their zero
        # shift fixed.
        self.assertEqual(learned, [(False, False), (True, False), (True, False), (True, True)])
        return project

    def check_exports(self, project, name, python=False):
        """The project's TorchScript (and with `python` its model.py) export computes what the torch module does."""
        exported = self.path(f"{name}_netdraft.pt")
        cli("export", project, "--format", "torchscript", "--out", exported)
        with torch.no_grad():
            actual = torch.jit.load(exported).eval()(self.check).numpy()
        difference = largest_difference(actual, self.expected)
        self.assertLessEqual(difference, TOLERANCE, f"{name}: Netdraft's TorchScript differs by {difference}")
        print(f"{name}: largest difference to torch {difference:.2e}", file=sys.stderr)
        if not python:
            return
        folder = self.path(f"{name}_python")
        cli("export", project, "--format", "python", "--out", folder)
        spec = importlib.util.spec_from_file_location(f"{name}_model", os.path.join(folder, "model.py"))
        code = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(code)
        with torch.no_grad():
            actual = code.load_model()(self.check).numpy()
        self.assertLessEqual(largest_difference(actual, self.expected), TOLERANCE, f"{name}: model.py differs")

    def test_scripted_and_traced(self):
        for name, compiled in (("scripted", torch.jit.script(self.module)),
                               ("traced", torch.jit.trace(self.module, self.example))):
            with self.subTest(name):
                source = self.path(f"{name}.pt")
                compiled.save(source)
                self.check_exports(self.import_file(source, name), name, python=name == "scripted")

    def onnxruntime(self, model, example):
        source, target = self.path("ort_input.bin"), self.path("ort_output.bin")
        example.numpy().astype(np.float32).tofile(source)
        result = subprocess.run([NODE, os.path.join(HERE, "onnx_forward.js"), model, source,
                                 ",".join(str(size) for size in example.shape), target],
                                capture_output=True, text=True, timeout=300)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return np.fromfile(target, dtype=np.float32).reshape(json.loads(result.stdout))

    def test_onnx(self):
        if NODE is None:
            self.skipTest("Netdraft is built without ONNX")
        source = self.path("affine.onnx")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(self.module, self.example, source, opset_version=17, input_names=["input"],
                              output_names=["output"], dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
        project = self.import_file(source, "onnx")
        self.check_exports(project, "onnx")
        self.assertLessEqual(largest_difference(self.onnxruntime(source, self.check), self.expected), TOLERANCE)
        # Netdraft's ONNX export of the imported blocks (Mul and Add by C×1×1 initializers) in onnxruntime.
        exported = self.path("affine_netdraft.onnx")
        cli("export", project, "--format", "onnx", "--out", exported)
        difference = largest_difference(self.onnxruntime(exported, self.check), self.expected)
        self.assertLessEqual(difference, TOLERANCE, f"Netdraft's ONNX export differs by {difference}")


if __name__ == "__main__":
    import_fixtures.configure(sys.argv[1])
    if len(sys.argv) > 2:
        NODE = sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)
