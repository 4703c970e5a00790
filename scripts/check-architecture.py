#!/usr/bin/env python3
"""Checks that #include arrows between Netdraft's folders point one way (docs/ARCHITECTURE.md).

Every *.h and *.cpp under engine/, editor/, widgets/, app/, bench/ and tests/ is read; each
`#include "..."` is mapped to the folder it names ("engine/core", "editor", "app/gui", ...) and
checked against ALLOWED below. Besides the arrows:
  - nothing under engine/ or app/cli includes Qt (<Q...>, <Qt...>, <qcustomplot.h>);
  - nothing under editor/, widgets/, app/gui includes LibTorch (<torch/...>, <ATen/...>, <c10/...>,
    <caffe2/...>), neither directly nor through an engine header it includes.

KNOWN_VIOLATIONS is a ratchet: today's back-arrows, each with the reason it is a debt. The check
fails on any violation not listed there, and on any listed entry that no longer occurs (so that the
list stays true: remove the entry in the change that fixes the debt).

Usage: check-architecture.py [--root DIR] [--list | --dot] [--skip-consumers]
Exit status: 0 clean (only known violations), 1 new or stale violations, 2 a broken table.
Standard library only.
"""

import argparse
import collections
import os
import re
import sys

# ---- The rules ------------------------------------------------------------------------------------

# The engine's folders, from the bottom up. A folder may include the folders on lower levels only;
# folders on the same level may not include each other.
#   0 core            errors, shapes, parameter values, problems
#   1 layers          the layer catalogue
#   2 graph           the graph document (blocks, connections, composites)
#   3 inference       shape inference        | project   graph + training settings + dataset spec
#   4 network         the compiled network: one checked, ordered view of a graph
#   5 model           the LibTorch module built from a compiled network
#   6 data            datasets and loaders   | io        the .netdraft file format, atomic files
#                     | distributed  torchrun workers: c10d store, process group, gradient all-reduce
#                                    (includes core only)
#   7 train           the trainer
#   8 export          TorchScript, state dict, PyTorch code | experiment  sweeps: trials, processes, results
#                     | insight   cost per block: parameters, multiply-accumulates, training memory
#   9 import          model files (TorchScript, ONNX) → projects with their starting weights; above
#                     export because a model Netdraft exported opens as its project (export metadata)
_CORE = ["engine/core"]
_LAYERS = _CORE + ["engine/layers"]
_GRAPH = _LAYERS + ["engine/graph"]
_DOCUMENT = _GRAPH + ["engine/inference", "engine/project"]
_NETWORK = _DOCUMENT + ["engine/network"]
_MODEL = _NETWORK + ["engine/model"]
_LOADING = _MODEL + ["engine/data", "engine/io", "engine/distributed"]
_TRAIN = _LOADING + ["engine/train"]
_EXPORT = _TRAIN + ["engine/export"]
ENGINE = _EXPORT + ["engine/experiment", "engine/import", "engine/insight"]

# folder -> the other folders it may include (a folder may always include itself).
ALLOWED = {
    "engine/core": [],
    "engine/layers": _CORE,
    "engine/graph": _LAYERS,
    "engine/inference": _GRAPH,
    "engine/project": _GRAPH,
    "engine/network": _DOCUMENT,
    "engine/model": _NETWORK,
    "engine/data": _MODEL,
    "engine/io": _MODEL,
    "engine/distributed": _CORE,  # c10d store, process group, gradient buckets: LibTorch and core only
    "engine/train": _LOADING,
    "engine/export": _TRAIN,
    "engine/experiment": _TRAIN,  # beside export: runs `netdraft-cli train` processes, exports nothing
    "engine/import": _EXPORT,  # model files into a project and its starting weights; reads export metadata
    "engine/insight": _TRAIN,  # beside export: what a network costs; reads the optimizer registry
    # Top level: app -> widgets -> editor -> engine.
    "editor": ENGINE,
    "widgets": ENGINE,  # training and settings widgets: the engine only
    "widgets/editing": ENGINE + ["editor", "widgets"],  # panels that edit the editor's document
    "widgets/experiment": ENGINE + ["widgets"],  # the experiment form, results table and plots: no editor
    "app/cli": ENGINE,  # netdraft-cli links the engine only
    "app/gui": ENGINE + ["editor", "widgets", "widgets/editing", "widgets/experiment", "app/cli"],  # shares cli/VersionText and NetdraftVersion.h
    # Consumers: benchmarks and test suites may include what their executables link.
    "bench": ENGINE + ["editor", "widgets", "widgets/editing", "widgets/experiment", "app/gui", "app/cli"],
    "tests/support": [],
    "tests/engine": ENGINE + ["tests/support"],
    "tests/distributed": ENGINE + ["tests/support"],
    "tests/fuzz": ENGINE,
    "tests/python": ENGINE + ["tests/support", "tests/engine"],
    "tests/onnx": ENGINE + ["tests/support", "tests/engine"],
    "tests/reliability": ENGINE + ["tests/support", "tests/engine"],
    "tests/import": ENGINE + ["tests/support", "tests/engine"],
    "tests/editor": ENGINE + ["editor", "tests/support", "tests/engine"],
    "tests/widgets": ENGINE + ["editor", "widgets", "widgets/editing", "tests/support", "tests/engine", "tests/editor"],
    "tests/app": ENGINE + ["editor", "widgets", "widgets/editing", "widgets/experiment", "app/gui", "app/cli", "tests/support", "tests/engine"],
}

# Folders that must not include Qt, and folders (Qt code) that must not reach LibTorch.
NO_QT = ["engine/", "app/cli"]
NO_LIBTORCH = ["editor", "widgets", "widgets/editing", "widgets/experiment", "app/gui"]

# Known violations today: (where, what) -> why it is a debt. `where` is a file or a folder, `what` an
# included header or a folder; an entry covers every include line that matches both.
KNOWN_VIOLATIONS = {}

# ---- Reading the tree -----------------------------------------------------------------------------

SCANNED = ["engine", "editor", "widgets", "app", "bench", "tests"]
CONSUMERS = ("bench", "tests/")
TOP_FOLDERS = set(SCANNED)
GENERATED = {"NetdraftVersion.h": "app/cli/NetdraftVersion.h.in"}  # configure_file outputs
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
QT_HEADER = re.compile(r"^(Qt?[A-Z]|Qt[a-zA-Z]*/|qcustomplot\.h$)")
LIBTORCH_HEADER = re.compile(r"^(torch|ATen|c10|caffe2)/")

# One offending include: the including file and line, the include as written, the repository path
# it names and that path's folder (or "Qt", "LibTorch", "?").
Include = collections.namedtuple("Include", "file line text path target_folder")


def folder_of(path):
    """The checked folder of a source path: "engine/core", "app/gui", "tests/engine", "editor"."""
    parts = path.split("/")
    if parts[0] in ("engine", "app", "tests") and len(parts) > 2:
        return parts[0] + "/" + parts[1]
    if parts[0] == "widgets" and len(parts) > 2:
        return "widgets/" + parts[1]
    if parts[0] in ("editor", "widgets", "bench") and len(parts) > 1:
        return parts[0]
    return None


def under(folder, prefixes):
    return any(folder == p or (p.endswith("/") and folder.startswith(p)) for p in prefixes)


def source_files(root):
    for top in SCANNED:
        for directory, subdirectories, files in os.walk(os.path.join(root, top)):
            subdirectories.sort()
            for name in sorted(files):
                if name.endswith((".h", ".cpp")):
                    yield os.path.relpath(os.path.join(directory, name), root).replace(os.sep, "/")


def read_includes(root, path):
    """(line number, '<' or '"', included name) for each #include of a file."""
    result = []
    with open(os.path.join(root, path), encoding="utf-8", errors="replace") as stream:
        for number, line in enumerate(stream, 1):
            match = INCLUDE.match(line)
            if match:
                result.append((number, match.group(1), match.group(2)))
    return result


def resolve(root, path, name):
    """The repository path an include names, or None when it is not one of ours (or is moc output)."""
    if name.split("/")[0] in TOP_FOLDERS:
        return name
    if name in GENERATED:
        return GENERATED[name]
    if name.endswith(".moc") or name.startswith("moc_"):
        return None
    relative = os.path.normpath(os.path.join(os.path.dirname(path), name)).replace(os.sep, "/")
    if os.path.isfile(os.path.join(root, relative)):
        return relative
    return ""  # ours in form, but found nowhere


class Checker:
    def __init__(self, root):
        self.root = root
        self.violations = []  # (Include, message)
        self.arrows = collections.Counter()  # (from folder, to folder) -> include lines
        self.files = 0
        self.lines = 0
        self._includes = {}
        self._torch_path = {}

    def includes(self, path):
        if path not in self._includes:
            full = os.path.join(self.root, path)
            self._includes[path] = read_includes(self.root, path) if os.path.isfile(full) else []
        return self._includes[path]

    def libtorch_path(self, path):
        """The chain of includes from `path` to a LibTorch header, or None."""
        if path in self._torch_path:
            return self._torch_path[path]
        self._torch_path[path] = None  # cycles end here
        found = None
        for _, kind, name in self.includes(path):
            if kind == "<" and LIBTORCH_HEADER.match(name):
                found = ["<" + name + ">"]
                break
            target = resolve(self.root, path, name) if kind == '"' else None
            if target and target.startswith("engine/"):
                rest = self.libtorch_path(target)
                if rest:
                    found = [target] + rest
                    break
        self._torch_path[path] = found
        return found

    def run(self, skip_consumers):
        for path in source_files(self.root):
            folder = folder_of(path)
            if folder is None or (skip_consumers and folder.startswith(CONSUMERS)):
                continue
            self.files += 1
            for number, kind, name in self.includes(path):
                self.lines += 1
                self.check(path, folder, number, kind, name)

    def check(self, path, folder, number, kind, name):
        shown = '"%s"' % name if kind == '"' else "<%s>" % name
        if kind == "<":
            if under(folder, NO_QT) and QT_HEADER.match(name):
                self.report(path, number, shown, name, "Qt", "%s may not use Qt" % folder)
            elif under(folder, NO_LIBTORCH) and LIBTORCH_HEADER.match(name):
                self.report(path, number, shown, name, "LibTorch", "%s may not include LibTorch" % folder)
            if name.split("/")[0] not in TOP_FOLDERS:
                return
        target = resolve(self.root, path, name)
        if target is None:
            return
        if target == "":
            self.report(path, number, shown, name, "?", "no such file; a generated header goes in GENERATED")
            return
        to = folder_of(target)
        if to is None:
            self.report(path, number, shown, target, "?", "it is in no checked folder")
            return
        if to != folder:
            self.arrows[(folder, to)] += 1
        if folder not in ALLOWED or to not in ALLOWED:
            unknown = folder if folder not in ALLOWED else to
            self.report(path, number, shown, target, to, "folder %s is not in the ALLOWED table" % unknown)
        elif to != folder and to not in ALLOWED[folder]:
            self.report(path, number, shown, target, to, "folder %s may not depend on %s" % (folder, to))
        elif under(folder, NO_LIBTORCH) and to.startswith("engine/"):
            chain = self.libtorch_path(target)
            if chain:
                self.report(path, number, shown + ", which reaches " + " -> ".join(chain), target, "LibTorch",
                            "%s may not include LibTorch" % folder)

    def report(self, path, number, shown, target, to, reason):
        self.violations.append((Include(path, number, shown, target, to), reason))


def known_entry(include):
    """The KNOWN_VIOLATIONS key covering a violation, or None."""
    for where, what in KNOWN_VIOLATIONS:
        if where in (include.file, folder_of(include.file)) and what in (include.path, include.target_folder):
            return (where, what)
    return None


def table_problems():
    """A cycle or an unknown name in ALLOWED makes the rules meaningless."""
    problems = ["ALLOWED: %s may include unknown folder %s" % (a, b)
                for a, targets in ALLOWED.items() for b in targets if b not in ALLOWED]
    state = {}

    def visit(folder, trail):
        if state.get(folder) == "done":
            return
        if state.get(folder) == "open":
            problems.append("ALLOWED has a cycle: " + " -> ".join(trail + [folder]))
            return
        state[folder] = "open"
        for target in ALLOWED.get(folder, []):
            if target != folder:
                visit(target, trail + [folder])
        state[folder] = "done"

    for folder in ALLOWED:
        visit(folder, [])
    return problems


# ---- Output ---------------------------------------------------------------------------------------

def allowed(a, b):
    return b in ALLOWED.get(a, [])


def print_list(checker):
    width = max((len(a) for a, _ in checker.arrows), default=0)
    for (a, b), count in sorted(checker.arrows.items()):
        mark = "" if allowed(a, b) else "   <- not allowed"
        print("%-*s -> %-20s %4d%s" % (width, a, b, count, mark))


def print_dot(checker):
    print("digraph netdraft {")
    print('  rankdir=BT; node [shape=box, fontname="sans-serif"]; edge [fontname="sans-serif"];')
    for (a, b), count in sorted(checker.arrows.items()):
        style = "" if allowed(a, b) else ', color=red, fontcolor=red, penwidth=2'
        print('  "%s" -> "%s" [label=%d%s];' % (a, b, count, style))
    print("}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        help="repository root (default: the folder above scripts/)")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--list", action="store_true", help="print folder-to-folder include counts")
    output.add_argument("--dot", action="store_true", help="print a Graphviz graph of the folder arrows")
    parser.add_argument("--skip-consumers", action="store_true", help="leave out bench/ and tests/")
    options = parser.parse_args()

    problems = table_problems()
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    checker = Checker(options.root)
    checker.run(options.skip_consumers)
    if options.list:
        print_list(checker)
        return 0
    if options.dot:
        print_dot(checker)
        return 0

    new, known = [], collections.Counter()
    for include, reason in sorted(checker.violations, key=lambda v: (v[0].file, v[0].line)):
        entry = known_entry(include)
        print("%s:%d: includes %s (%s)%s" % (include.file, include.line, include.text, reason,
                                            " [known]" if entry else ""))
        if entry:
            known[entry] += 1
        else:
            new.append(include)
    stale = [entry for entry in KNOWN_VIOLATIONS if entry not in known]
    if options.skip_consumers:
        stale = [entry for entry in stale if not entry[0].startswith(CONSUMERS)]
    for where, what in stale:
        print("KNOWN_VIOLATIONS: (%s, %s) no longer occurs; remove the entry (and its line in "
              "docs/ARCHITECTURE.md)" % (where, what))
    print("check-architecture: %d files, %d includes; %d known violations (%d entries), %d new, %d stale entries"
          % (checker.files, checker.lines, sum(known.values()), len(known), len(new), len(stale)))
    return 1 if new or stale else 0


if __name__ == "__main__":
    sys.exit(main())
