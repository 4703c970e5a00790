"""What the import tests share (test_torchscript_import.py, test_onnx_import.py): the netdraft-cli
runner, the small CNN's layers, batch-norm statistics worth testing, a test case with its own temporary
folder, and the block counts and parameter counts of torchvision's resnet18 and mobilenet_v2.

Each test's main() calls configure(NETDRAFT_CLI) before unittest runs.
"""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

import torch
import torch.nn as nn

CLI = None
TOLERANCE = 1e-4

# torchvision's models as Netdraft imports them (weights=None; the counts are torchvision's own).
RESNET18_PARAMETERS = 11689512
RESNET18_BLOCKS = ("Conv2d 20", "BatchNorm2d 20", "Add 8", "ReLU 17", "MaxPool2d 1", "Linear 1",
                   "AdaptiveAvgPool2d 1", "Flatten 1")
MOBILENET_V2_PARAMETERS = 3504872
MOBILENET_V2_BLOCKS = ("ReLU6 35", "Conv2d 52", "BatchNorm2d 52", "Add 10")


def configure(cli_path):
    """The netdraft-cli that cli() runs."""
    global CLI
    CLI = cli_path


def cli(*args, expect=0):
    """Runs netdraft-cli with `args`; its stdout and stderr, or AssertionError when it exits otherwise."""
    result = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=900)
    output = result.stdout + result.stderr
    if result.returncode != expect:
        raise AssertionError(f"netdraft-cli {' '.join(args)} exited {result.returncode}, expected {expect}:\n{output}")
    return output


class SmallCnnLayers(nn.Module):
    """The layers of each test's SmallCnn (which writes its own forward): convolutions, batch norm, max and
    average pooling, a 1×1 sigmoid gate, LeakyReLU, dropout and a head; `branch` is the convolution whose
    output is concatenated to its input."""

    def __init__(self, branch):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.pool = nn.MaxPool2d(2)
        self.branch = branch
        self.gate = nn.Conv2d(16, 16, 1, bias=False)
        self.conv2 = nn.Conv2d(16, 16, 3, stride=2, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(16)
        self.act = nn.LeakyReLU(0.1)
        self.avg = nn.AvgPool2d(2)
        self.drop = nn.Dropout(0.3)
        self.fc = nn.Linear(16 * 4 * 4, 10)


def randomize_statistics(module, affine=False):
    """Batch norm (and instance norm that tracks them) with non-trivial running statistics, so that
    eval-mode normalisation is really tested; with `affine` also a non-trivial scale and shift."""
    generator = torch.Generator().manual_seed(3)
    for layer in module.modules():
        if isinstance(layer, (nn.BatchNorm2d, nn.InstanceNorm2d)) and layer.track_running_stats:
            layer.running_mean.copy_(torch.randn(layer.num_features, generator=generator) * 0.1)
            layer.running_var.copy_(torch.rand(layer.num_features, generator=generator) + 0.5)
            if affine:
                layer.weight.data.copy_(torch.rand(layer.num_features, generator=generator) + 0.5)
                layer.bias.data.copy_(torch.randn(layer.num_features, generator=generator) * 0.1)
    return module.eval()


class ImportTestCase(unittest.TestCase):
    """A test case whose files go to one temporary folder (prefix FOLDER_PREFIX), removed at the end."""

    FOLDER_PREFIX = "netdraft-import-"

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix=cls.FOLDER_PREFIX)
        torch.manual_seed(0)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.folder, name)

    def assert_blocks(self, report, lines):
        """Each of `lines` ("Conv2d 20") is a line of the import report's block counts."""
        for line in lines:
            self.assertIn("  " + line + "\n", report)

    def assert_resnet18(self, report, project):
        """resnet18's parameters and blocks, one composite block per BasicBlock, the module names kept."""
        self.assertIn(f"{RESNET18_PARAMETERS} parameters", report)
        self.assert_blocks(report, RESNET18_BLOCKS)
        self.assertIn("8 composite blocks", report)  # layer1.0 … layer4.1
        with open(project) as file:
            graph = json.load(file)["graph"]
        names = {block["name"] for block in graph["blocks"]}
        self.assertTrue({"conv1", "layer1.0", "layer4.1", "fc"} <= names, names)

    def assert_mobilenet_v2(self, report):
        self.assertIn(f"{MOBILENET_V2_PARAMETERS} parameters", report)
        self.assert_blocks(report, MOBILENET_V2_BLOCKS)
