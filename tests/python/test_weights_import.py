"""Weights saved from Python the usual way, torch.save(model.state_dict(), path), load into a
Netdraft model: the file is an OrderedDict with a _metadata attribute, which LibTorch's C++ unpickler
reads as None on its own (engine/io/OrderedDictPickle.h). netdraft-cli export --weights reads each
file (the reader behind initial weights, Import Weights and --init-weights) and writes the model's
state dict back; torch.load of that must equal Python's tensors bit for bit. Malformed files are
refused with a message naming the file and what it holds.

    python3 test_weights_import.py NETDRAFT_CLI PROJECTS_DIR
"""
import collections
import os
import subprocess
import sys
import tempfile
import unittest

import torch

CLI = None
PROJECTS = None


class ClassicCnn(torch.nn.Module):
    """The parameters of projects/classic_cnn.netdraft under the same names."""

    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, 32, 3)
        self.conv2 = torch.nn.Conv2d(32, 64, 3)
        self.conv3 = torch.nn.Conv2d(64, 128, 3)
        self.fc = torch.nn.Linear(2048, 10)


def export(weights, out):
    project = os.path.join(PROJECTS, "classic_cnn.netdraft")
    return subprocess.run([CLI, "export", "--format", "state_dict", "--weights", weights, "--out", out, project],
                          capture_output=True, text=True)


class WeightsImportTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)
        torch.manual_seed(17)

    def path(self, name):
        return os.path.join(self.folder.name, name)

    def assertImportsExactly(self, saved, expected):
        result = export(saved, self.path("back.pt"))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        back = torch.load(self.path("back.pt"))
        self.assertEqual(sorted(back), sorted(expected))
        for name, tensor in expected.items():
            self.assertEqual(back[name].shape, tensor.shape, name)
            # bit for bit: the same bytes, not merely close values
            self.assertTrue(torch.equal(back[name].view(torch.int32), tensor.contiguous().view(torch.int32)), name)

    def assertRefused(self, saved, *fragments):
        result = export(saved, self.path("back.pt"))
        self.assertNotEqual(result.returncode, 0, result.stdout)
        message = result.stdout + result.stderr
        self.assertNotIn("INTERNAL ASSERT", message)
        for fragment in [os.path.basename(saved), *fragments]:
            self.assertIn(fragment, message)

    def test_state_dict_as_torch_saves_it(self):
        model = ClassicCnn()
        state = model.state_dict()
        self.assertIsInstance(state, collections.OrderedDict)
        self.assertTrue(hasattr(state, "_metadata"))
        torch.save(state, self.path("w.pt"))
        self.assertImportsExactly(self.path("w.pt"), state)

    def test_non_contiguous_and_shared_storages(self):
        state = ClassicCnn().state_dict()
        # fc.weight a transposed view, conv1.weight a permuted one, the biases views of one storage
        state["fc.weight"] = torch.randn(2048, 10).t()
        state["conv1.weight"] = torch.randn(3, 3, 32, 3).permute(2, 3, 0, 1)
        shared = torch.randn(32 + 64 + 128 + 10)
        state["conv1.bias"], state["conv2.bias"] = shared[:32], shared[32:96]
        state["conv3.bias"], state["fc.bias"] = shared[96:224], shared[224:]
        self.assertFalse(state["fc.weight"].is_contiguous())
        torch.save(state, self.path("views.pt"))
        self.assertImportsExactly(self.path("views.pt"), state)

    def test_plain_dict_still_reads(self):
        state = ClassicCnn().state_dict()
        torch.save(dict(state), self.path("dict.pt"))
        self.assertImportsExactly(self.path("dict.pt"), state)

    def test_one_entry_dict_is_read(self):
        # Python pickles a one-entry dict with SETITEM, which LibTorch's unpickler lacks: the file is
        # read, and refused only because the other weights are missing.
        torch.save({"fc.bias": torch.zeros(10)}, self.path("one.pt"))
        self.assertRefused(self.path("one.pt"), "missing from the file", "conv1.weight")

    def test_malformed_files_are_named(self):
        cases = {
            "list.pt": ([torch.zeros(2)], "found GenericList"),
            "number.pt": (3, "found Int"),
            "not-tensors.pt": ({"a": 1}, "'a' is a Int, expected a tensor"),
            "module.pt": (torch.nn.Linear(2, 2), "unknown type torch.nn.modules.linear.Linear"),
        }
        for name, (value, fragment) in cases.items():
            with self.subTest(name):
                torch.save(value, self.path(name))
                self.assertRefused(self.path(name), fragment)
        with self.subTest("protocol 4"):
            torch.save(ClassicCnn().state_dict(), self.path("p4.pt"), pickle_protocol=4)
            self.assertRefused(self.path("p4.pt"), "pickle protocol 4")
        with self.subTest("TorchScript module"):
            torch.jit.save(torch.jit.script(torch.nn.Linear(2, 2)), self.path("script.pt"))
            self.assertRefused(self.path("script.pt"), "a TorchScript module", "torch.save(model.state_dict()")


if __name__ == "__main__":
    CLI, PROJECTS = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1])
