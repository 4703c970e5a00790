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


def main():
    torch.manual_seed(0)
    save("two-inputs.pt", TwoInputs())
    save("tuple-output.pt", TupleOutput())
    save("unsupported-op-cumsum.pt", Unsupported())
    save("control-flow-if.pt", ControlFlow())
    save("computed-weights.pt", ComputedWeights())
    save("view-fixed-batch.pt", ConstantShape())
    save("returns-a-number.pt", ReturnsNothingUseful())
    newer_version("newer-file-format-version.pt")


if __name__ == "__main__":
    main()
