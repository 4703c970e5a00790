#!/usr/bin/env python3
"""TorchScript import of sequence, attention-style and upsampling networks (CTest
python.test_torchscript_ops_import; issues 18 and 19).

Python torch makes each small module with random weights, saves it scripted and traced, `netdraft-cli
import` opens it, `netdraft-cli export --format torchscript` writes the Netdraft model built from the
project, and its output on fixed inputs must equal the module's own forward within 1e-5. Covered: an
LSTM classifier (Embedding → 2-layer LSTM → out[:, -1] → Linear, the tuple `out, (h, c) = ...`), a
time-first bidirectional GRU behind x.transpose(0, 1) and out[-1], the last time step read from a
recurrent module's sequence (out[:, -1], out[:, -1, :], out[-1] of batch_first=False) as the block's
output 'last' (one block, as a Netdraft user draws it) unless the sequence has other readers or another
step is read, hand-written attention (permute,
transpose, matmul, bmm, softmax, a scale by a number, mean/sum over dims, sub and div), upsampling
(nn.Upsample, F.interpolate nearest and bilinear, by factor and by size), and ops without a block
named in the error (the LSTM's final hidden state, cumsum, an LSTM with proj_size).

Usage: test_torchscript_ops_import.py NETDRAFT_CLI
"""

import json
import math
import sys
import unittest

import torch
import torch.nn as nn
import torch.nn.functional as F

import import_fixtures
from import_fixtures import ImportTestCase, cli

TOLERANCE = 1e-5


class LstmClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(20, 8)
        self.lstm = nn.LSTM(8, 12, num_layers=2, batch_first=True)
        self.fc = nn.Linear(12, 5)

    def forward(self, x):
        out, (h, c) = self.lstm(self.embedding(x))
        return self.fc(out[:, -1])


class TimeFirstGru(nn.Module):
    """PyTorch's default time-first layout: the batch-first embeddings transposed, the last step as out[-1]."""

    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(20, 8)
        self.gru = nn.GRU(8, 10, bidirectional=True)
        self.fc = nn.Linear(20, 3)

    def forward(self, x):
        out, h = self.gru(self.embedding(x).transpose(0, 1))
        return self.fc(out[-1])


class LastStepClassifier(nn.Module):
    """A recurrent module and a Linear on one time step of its sequence: `read` is "last" (out[:, -1],
    or out[-1] for batch_first=False), "last_full" (out[:, -1, :]), "first" (out[:, 0]) or "both" (the
    sum of the last and the first step, so the sequence has two readers)."""

    def __init__(self, kind, batch_first, read):
        super().__init__()
        self.batch_first = batch_first
        self.read = read
        self.rnn = getattr(nn, kind)(8, 16, batch_first=batch_first)
        self.fc = nn.Linear(16, 4)

    def forward(self, x):
        out, _ = self.rnn(x)
        if self.read == "last_full":
            return self.fc(out[:, -1, :])
        if self.read == "first":
            return self.fc(out[:, 0])
        if self.read == "both":
            return self.fc(out[:, -1] + out[:, 0])
        return self.fc(out[:, -1] if self.batch_first else out[-1])


class HandWrittenAttention(nn.Module):
    """N×C×L features → tokens, one head of self-attention written out, and a pooled head."""

    def __init__(self, dim=16):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.q = nn.Linear(dim, dim)
        self.k = nn.Linear(dim, dim)
        self.v = nn.Linear(dim, dim)
        self.fc = nn.Linear(dim, 4)
        self.scale = 1.0 / math.sqrt(dim)

    def forward(self, x):
        x = self.norm(x.permute(0, 2, 1))
        scores = torch.matmul(self.q(x), self.k(x).transpose(-2, -1)) * self.scale
        y = torch.bmm(F.softmax(scores, dim=-1), self.v(x)) + x
        y = (F.gelu(y) - x.mean(dim=1, keepdim=True)) / 2.0
        y = y.unsqueeze(1).squeeze(1)[:, 1:, :]
        return F.log_softmax(self.fc(F.silu(y.sum(dim=1))), dim=1)


class MultiHeadSelfAttention(nn.Module):
    """Two heads written as transformers write them: sizes read from the input (b, t, c = x.size()),
    x.view(b, t, heads, -1).transpose(1, 2), and back with reshape(b, t, c)."""

    def __init__(self, dim=12, heads=2):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.out = nn.Linear(dim, dim)
        self.head = nn.Linear(dim, 3)

    def forward(self, x):  # N×T×C
        b, t, c = x.size()
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q = q.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        k = k.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        v = v.view(x.size(0), x.size(1), self.heads, -1).transpose(1, 2)
        weights = F.softmax(q @ k.transpose(-2, -1) / math.sqrt(c // self.heads), dim=-1)
        y = (weights @ v).transpose(1, 2).reshape(b, t, c)
        return self.head(self.out(y)[:, 0])


class Upsampling(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.conv2 = nn.Conv2d(4, 4, 3, stride=2)
        self.fc = nn.Linear(4 * 3 * 3, 3)

    def forward(self, x):
        x = self.up(F.relu(self.conv(x)))
        x = F.interpolate(x, scale_factor=0.5, mode="bilinear", align_corners=False)
        x = F.hardswish(self.conv2(x))
        x = F.interpolate(x, size=(3, 3), mode="nearest")
        return self.fc(x.reshape(x.size(0), -1))


class HiddenStateHead(nn.Module):
    """Reads the LSTM's final hidden state h and a running sum: neither has a block."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(6, 8, batch_first=True)
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        out, (h, c) = self.lstm(torch.cumsum(x, dim=1))
        return self.fc(h[-1])


class CumulativeHead(nn.Module):
    """torch.cumsum and torch.flip between two Linears: no block does either."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(6, 6)
        self.head = nn.Linear(6, 3)

    def forward(self, x):
        return self.head(torch.flip(torch.cumsum(self.fc(x), dim=1), [1]))


class ProjectedLstm(nn.Module):
    """proj_size gives the LSTM a third weight per layer, which the LSTM block lacks."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(6, 8, batch_first=True, proj_size=4)
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1])


class ScriptedInstanceNorm(nn.Module):
    """Scripted nn.InstanceNorm2d checks its input's rank before normalising; the check folds."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.norm = nn.InstanceNorm2d(8, affine=True, track_running_stats=True)
        self.fc = nn.Linear(8 * 4 * 4, 2)
        with torch.no_grad():
            self.norm.running_mean.uniform_(-0.5, 0.5)
            self.norm.running_var.uniform_(0.5, 1.5)

    def forward(self, x):
        return self.fc(torch.flatten(self.norm(self.conv(x)), 1))


def tokens(shape):
    return torch.randint(0, 20, shape, generator=torch.Generator().manual_seed(5))


class TorchScriptOpsImportTest(ImportTestCase):
    FOLDER_PREFIX = "netdraft-import-ops-"

    def save(self, module, example, name, mode):
        saved = torch.jit.script(module) if mode == "script" else torch.jit.trace(module, example)
        path = self.path(f"{name}_{mode}.pt")
        torch.jit.save(saved, path)
        return path

    def import_and_compare(self, module, example, name, mode):
        """Imports `module` saved scripted or traced, exports the Netdraft model, and compares both on
        `example` (a batch); returns the import report."""
        module = module.eval()
        source = self.save(module, example, name, mode)
        project = self.path(f"{name}_{mode}.netdraft")
        report = cli("import", source, "--out", project, "--input-shape",
                     ",".join(str(size) for size in example.shape[1:]))
        exported = self.path(f"{name}_{mode}_exported.pt")
        cli("export", project, "--format", "torchscript", "--out", exported)
        with torch.no_grad():
            expected = module(example)
            actual = torch.jit.load(exported).eval()(example)
        self.assertEqual(tuple(actual.shape), tuple(expected.shape))
        error = float((actual - expected).abs().max())
        self.assertLessEqual(error, TOLERANCE, f"{name} ({mode}): largest difference {error}")
        parameters = sum(parameter.numel() for parameter in module.parameters())
        self.assertIn(f"{parameters} parameters", report)
        return report

    def test_lstm_classifier(self):
        torch.manual_seed(1)
        model = LstmClassifier()
        for mode in ("script", "trace"):
            with self.subTest(mode=mode):
                report = self.import_and_compare(model, tokens((3, 7)), "lstm", mode)
                self.assert_blocks(report, ("Embedding 1", "LSTM 1", "Linear 1"))
                self.assertIn("Imported 3 blocks", report)  # out[:, -1] is the LSTM's output 'last'
                self.assertEqual(self.recurrent_block(f"lstm_{mode}")["output"], "last")

    def test_time_first_bidirectional_gru(self):
        torch.manual_seed(2)
        model = TimeFirstGru()
        for mode in ("script", "trace"):
            with self.subTest(mode=mode):
                report = self.import_and_compare(model, tokens((3, 9)), "gru", mode)
                self.assert_blocks(report, ("Embedding 1", "GRU 1", "Linear 1"))
                self.assertIn("Imported 3 blocks", report)
                self.assertEqual(self.recurrent_block(f"gru_{mode}")["output"], "last")
                self.assertNotIn("Transpose", report)

    def recurrent_block(self, name):
        """The params of the one LSTM, GRU or RNN block of project `name`."""
        with open(self.path(f"{name}.netdraft")) as file:
            blocks = json.load(file)["graph"]["blocks"]
        recurrent = [block for block in blocks if block["type"] in ("LSTM", "GRU", "RNN")]
        self.assertEqual(len(recurrent), 1, blocks)
        return recurrent[0]["params"]

    def test_last_time_step_is_the_recurrent_blocks_output(self):
        """out[:, -1] (as select, and as slice + select + slice when written out[:, -1, :]) and out[-1] of a
        time-first module read nothing but the last step: one recurrent block with output 'last'."""
        for kind, batch_first, read, mode in (("LSTM", True, "last", "script"), ("LSTM", True, "last_full", "trace"),
                                              ("GRU", False, "last", "trace")):
            with self.subTest(kind=kind, batch_first=batch_first, read=read, mode=mode):
                torch.manual_seed(7)
                example = torch.randn(3, 7, 8) if batch_first else torch.randn(7, 3, 8)
                name = f"last_{kind}_{read}_{batch_first}"
                report = self.import_and_compare(LastStepClassifier(kind, batch_first, read), example, name, mode)
                self.assertIn("Imported 2 blocks", report)
                self.assert_blocks(report, (f"{kind} 1", "Linear 1"))
                params = self.recurrent_block(f"{name}_{mode}")
                self.assertEqual((params["output"], params["batch_first"]), ("last", batch_first))

    def test_other_steps_and_readers_keep_the_select(self):
        """The first step, or the last step of a sequence that is also read elsewhere, stays a Select
        block after the recurrent block, which keeps its whole sequence."""
        torch.manual_seed(8)
        example = torch.randn(3, 7, 8)
        report = self.import_and_compare(LastStepClassifier("LSTM", True, "both"), example, "both", "script")
        self.assert_blocks(report, ("LSTM 1", "Select 2", "Add 1", "Linear 1"))
        self.assertEqual(self.recurrent_block("both_script")["output"], "sequence")
        source = self.save(LastStepClassifier("GRU", True, "first").eval(), example, "first", "trace")
        report = cli("import", source, "--out", self.path("first_trace.netdraft"), "--input-shape", "7,8")
        self.assert_blocks(report, ("GRU 1", "Select 1", "Linear 1"))
        self.assertEqual(self.recurrent_block("first_trace")["output"], "sequence")

    def test_hand_written_attention(self):
        torch.manual_seed(3)
        model = HandWrittenAttention()
        example = torch.randn(3, 16, 6)
        for mode in ("script", "trace"):
            with self.subTest(mode=mode):
                report = self.import_and_compare(model, example, "attention", mode)
                self.assert_blocks(report, ("Permute 1", "LayerNorm 1", "Transpose 1", "MatMul 2", "Scale 2",
                                            "Softmax 1", "Add 1", "GELU 1", "Mean 1", "Subtract 1",
                                            "Unsqueeze 1", "Squeeze 1", "Slice 1", "Sum 1", "SiLU 1",
                                            "LogSoftmax 1", "Linear 4"))

    def test_multi_head_attention_with_sizes_read_from_the_input(self):
        torch.manual_seed(5)
        model = MultiHeadSelfAttention()
        example = torch.randn(3, 5, 12)
        for mode in ("script", "trace"):
            with self.subTest(mode=mode):
                report = self.import_and_compare(model, example, "heads", mode)
                self.assert_blocks(report, ("Slice 3", "Reshape 4", "Transpose 5", "MatMul 2", "Scale 1",
                                            "Softmax 1", "Select 1", "Linear 3"))

    def test_scripted_instance_norm(self):
        torch.manual_seed(6)
        report = self.import_and_compare(ScriptedInstanceNorm(), torch.randn(2, 3, 6, 6), "instance_norm", "script")
        self.assert_blocks(report, ("InstanceNorm2d 1",))

    def test_upsampling(self):
        torch.manual_seed(4)
        model = Upsampling()
        example = torch.randn(2, 3, 6, 6)
        for mode in ("script", "trace"):
            with self.subTest(mode=mode):
                report = self.import_and_compare(model, example, "upsample", mode)
                self.assert_blocks(report, ("Upsample 3", "Hardswish 1", "Reshape 1", "Conv2d 2"))

    def test_ops_without_a_block_are_named(self):
        model = HiddenStateHead().eval()
        for mode in ("script", "trace"):
            with self.subTest(mode=mode):
                source = self.save(model, torch.randn(2, 5, 6), "hidden", mode)
                output = cli("import", source, "--out", self.path(f"hidden_{mode}.netdraft"), "--input-shape", "5,6",
                             expect=3)
                self.assertIn("2 operations have no Netdraft block, so nothing was imported:", output)
                self.assertIn("aten::cumsum ×1 (no Netdraft block does this) in forward", output)
                self.assertIn("Import with --keep-unsupported to keep them as opaque blocks", output)
                self.assertIn("aten::select ×1 (it reads result 2 of aten::lstm, which has no block", output)

    def test_unsupported_ops_kept_as_opaque_blocks(self):
        """--keep-unsupported: cumsum and flip become Opaque blocks with their op, constant arguments and
        the output shape found by running each alone; the project is an error of the design that
        validate names. An op reading what no block gives is still listed, with why."""
        for mode in ("script", "trace"):
            with self.subTest(mode=mode):
                source = self.save(CumulativeHead().eval(), torch.randn(2, 6), "kept", mode)
                project = self.path(f"kept_{mode}.netdraft")
                report = cli("import", source, "--out", project, "--input-shape", "6", "--keep-unsupported")
                self.assert_blocks(report, ("Opaque 2", "Linear 2"))
                self.assertIn("note: 2 operators have no Netdraft block and are kept as an opaque block "
                              "(aten::cumsum ×1, aten::flip ×1): replace them with real blocks", report)
                with open(project) as file:
                    graph = json.load(file)["graph"]
                opaque = {block["params"]["op_type"]: block for block in graph["blocks"] if block["type"] == "Opaque"}
                self.assertEqual(set(opaque), {"aten::cumsum", "aten::flip"})
                cumsum, flip = opaque["aten::cumsum"], opaque["aten::flip"]
                self.assertEqual((cumsum["id"], flip["id"]), ("cumsum", "flip"))
                self.assertEqual(cumsum["params"]["format"], "TorchScript")
                self.assertEqual(cumsum["params"]["output_shape"], [6])
                self.assertEqual(cumsum["params"]["input_shapes"], "N×6")
                self.assertIn("dim=1", cumsum["params"]["attributes"])
                self.assertIn("dims=[1]", flip["params"]["attributes"])
                into = {c["to"].split(".")[0]: c["from"].split(".")[0] for c in graph["connections"]}
                self.assertEqual(into[flip["id"]], cumsum["id"])
                self.assertEqual(into[cumsum["id"]], "fc")
                self.assertEqual(into["head"], flip["id"])
                output = cli("validate", project, expect=1)
                self.assertIn("error: block cumsum: is an unsupported TorchScript op 'aten::cumsum' (node 'forward'): "
                              "replace it before training", output)
                self.assertIn("error: block flip: is an unsupported TorchScript op 'aten::flip'", output)
        source = self.save(HiddenStateHead().eval(), torch.randn(2, 5, 6), "hidden_kept", "script")
        output = cli("import", source, "--out", self.path("hidden_kept.netdraft"), "--input-shape", "5,6",
                     "--keep-unsupported", expect=3)
        self.assertIn("1 operation has no Netdraft block, so nothing was imported:", output)
        self.assertIn("not kept as an opaque block: it reads result 2 of aten::lstm", output)
        self.assertNotIn("aten::cumsum", output)  # kept: the LSTM reads it
        self.assertNotIn("--keep-unsupported", output)

    def test_lstm_projection_is_named(self):
        for mode in ("script", "trace"):
            with self.subTest(mode=mode):
                source = self.save(ProjectedLstm().eval(), torch.randn(2, 5, 6), "projected", mode)
                output = cli("import", source, "--out", self.path(f"projected_{mode}.netdraft"), "--input-shape",
                             "5,6", expect=3)
                self.assertIn("aten::lstm ×1 (5 weights where num_layers 1 × directions 1 needs 4; projections "
                              "(proj_size) have no block) in lstm", output)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    import_fixtures.configure(sys.argv.pop(1))
    unittest.main(verbosity=2)


if __name__ == "__main__":
    main()
