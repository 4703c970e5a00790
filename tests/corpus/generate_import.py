#!/usr/bin/env python3
"""Writes tests/corpus/pt-import/: TorchScript files the model importer must refuse with an error that
names the file (run once with Debian's python3-torch; the files are committed). Each is a loadable
module that cannot become a Netdraft network, or a valid export made unreadable in a way only the
importer checks. CorpusTest also runs every file of tests/corpus/pt/ through the importer.

    /usr/bin/python3 tests/corpus/generate_import.py
"""

import io
import os
import zipfile

import torch
import torch.nn as nn

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pt-import")


class TwoInputs(nn.Module):
    def forward(self, x, y):
        return x + y


class TupleOutput(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        return self.fc(x), x


class Unsupported(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        return torch.cumsum(self.fc(x), 1)


class ControlFlow(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        if bool(x.sum() > 0):
            return self.fc(x)
        return -self.fc(x)


class ComputedWeights(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(4, 8))

    def forward(self, x):
        return nn.functional.linear(x, self.w * 2)


class ConstantShape(nn.Module):
    def forward(self, x):
        return x.view(2, 4)


class ReturnsNothingUseful(nn.Module):
    def forward(self, x):
        return x.size(0)


class LstmFinalState(nn.Module):
    """The LSTM's final hidden state h as the result: only its output sequence has a block."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(8, 4, batch_first=True)

    def forward(self, x):
        out, (h, c) = self.lstm(x.unsqueeze(1))
        return h[-1]


class LstmProjection(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(8, 4, batch_first=True, proj_size=2)

    def forward(self, x):
        out, _ = self.lstm(x.unsqueeze(1))
        return out[:, -1]


class TransposesTheBatch(nn.Module):
    def forward(self, x):
        return x.t()


class SelectsASample(nn.Module):
    def forward(self, x):
        return x[0].unsqueeze(0)


class BranchOnBatchSize(nn.Module):
    def forward(self, x):
        if x.size(0) > 2:
            return x * 2
        return x


class UnevenUpsampling(nn.Module):
    def forward(self, x):
        return nn.functional.interpolate(x.view(-1, 2, 2, 2), scale_factor=(2.0, 3.0)).flatten(1)


def save(name, module):
    os.makedirs(HERE, exist_ok=True)
    torch.jit.save(torch.jit.script(module.eval()), os.path.join(HERE, name))


def newer_version(name):
    """A valid module whose version record says a future PyTorch wrote it."""
    buffer = io.BytesIO()
    torch.jit.save(torch.jit.script(nn.Sequential(nn.Linear(8, 4)).eval()), buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as original, zipfile.ZipFile(os.path.join(HERE, name), "w") as copy:
        for entry in original.infolist():
            data = original.read(entry.filename)
            if entry.filename.endswith("/version"):
                data = b"99\n"
            copy.writestr(entry, data)


def newer_data_version(name):
    """The same as PyTorch 2.x writes it: the version only in the ".data/version" record (PyTorch writes
    there from file format 6 on; 1.13 still wrote "version"), here saying a future PyTorch wrote it."""
    buffer = io.BytesIO()
    torch.jit.save(torch.jit.script(nn.Sequential(nn.Linear(8, 4)).eval()), buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as original, zipfile.ZipFile(os.path.join(HERE, name), "w") as copy:
        for entry in original.infolist():
            data = original.read(entry.filename)
            if entry.filename.endswith("/version"):
                copy.writestr(entry.filename[: -len("version")] + ".data/version", b"99\n")
            else:
                copy.writestr(entry, data)


def main():
    torch.manual_seed(0)
    save("two-inputs.pt", TwoInputs())
    save("tuple-output.pt", TupleOutput())
    save("unsupported-op-cumsum.pt", Unsupported())
    save("control-flow-if.pt", ControlFlow())
    save("computed-weights.pt", ComputedWeights())
    save("view-fixed-batch.pt", ConstantShape())
    save("returns-a-number.pt", ReturnsNothingUseful())
    save("lstm-final-state.pt", LstmFinalState())
    save("lstm-projection.pt", LstmProjection())
    save("transpose-batch.pt", TransposesTheBatch())
    save("select-a-sample.pt", SelectsASample())
    save("branch-on-batch-size.pt", BranchOnBatchSize())
    save("upsample-uneven-factors.pt", UnevenUpsampling())
    newer_version("newer-file-format-version.pt")
    newer_data_version("newer-data-version.pt")


if __name__ == "__main__":
    main()
