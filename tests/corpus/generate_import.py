#!/usr/bin/env python3
"""Writes tests/corpus/pt-import/: TorchScript files the model importer must refuse with an error that
names the file (run once with Debian's python3-torch; the files are committed). Each is a loadable
module that cannot become a Netdraft network, a valid export made unreadable in a way only the
importer checks, or a Netdraft export whose project inside cannot be opened (exported-project-*). CorpusTest also runs every file of tests/corpus/pt/ through the importer.

    /usr/bin/python3 tests/corpus/generate_import.py
"""

import io
import json
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


TINY_PROJECT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds", "tiny.netdraft")


class TinyExport(nn.Module):
    """Shaped like Netdraft's TorchScript export of seeds/tiny.netdraft: one submodule per block, named
    by its id; `hidden` other than 4 no longer fits the project inside."""

    def __init__(self, hidden=4, with_head=True):
        super().__init__()
        self.fc1 = nn.Linear(8, hidden)
        self.fc2 = nn.Linear(hidden, 3) if with_head else nn.Identity()

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


def netdraft_export(name, project, module=None, format_version=1):
    """A module saved with Netdraft's export metadata (extra/netdraft.json) carrying `project`."""
    metadata = {"format": "netdraft-export", "format_version": format_version, "netdraft_version": "0.1.0",
                "project_name": "tiny", "input_shape": [8], "input_dtype": "float32", "input_scale": 1.0,
                "task": "classification", "class_names": [], "mean": [], "std": [],
                "normalization_folded": False, "project_directory": "/nowhere", "project": project}
    os.makedirs(HERE, exist_ok=True)
    torch.jit.save(torch.jit.script((module or TinyExport()).eval()), os.path.join(HERE, name),
                   _extra_files={"netdraft.json": json.dumps(metadata)})


def netdraft_exports():
    with open(TINY_PROJECT) as file:
        tiny = json.load(file)
    netdraft_export("exported-project-broken.pt", {"format": "netdraft", "version": 2, "graph": {"blocks": "none"}})
    netdraft_export("exported-project-unknown-layer.pt",
                    dict(tiny, graph=dict(tiny["graph"], blocks=[dict(block, type="Warp") if block["id"] == "fc1"
                                                                 else block for block in tiny["graph"]["blocks"]])))
    netdraft_export("exported-project-tensor-mismatch.pt", tiny, TinyExport(hidden=5))
    netdraft_export("exported-project-missing-tensors.pt", tiny, TinyExport(with_head=False))
    netdraft_export("exported-project-newer-metadata.pt", tiny, format_version=99)


def main():
    torch.manual_seed(0)
    netdraft_exports()
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
