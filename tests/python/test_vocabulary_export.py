"""A language model's vocabulary travels with its run and its exports, read back without Netdraft:
the GPT example trained for one short epoch by netdraft-cli, then vocabulary.json in the run's
folder, the TorchScript archive's extra/netdraft.json, the ONNX model's metadata_props and the
exported model.py (VOCABULARY, TEXT_UNIT, decode()) must all give the same tokens, which must be
the grammar's own characters after the padding and unknown entries.

    python3 test_vocabulary_export.py NETDRAFT_CLI PROJECTS_DIR [--onnx]
"""
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

import torch

CLI = None
PROJECTS = None
WITH_ONNX = False

# The words of the grammar_text dataset (engine/data/TextDatasets.cpp), written out independently.
GRAMMAR_WORDS = ["ada", "bob", "cleo", "dan", "eve", "finn", "sees", "helps", "meets", "calls",
                 "today", "again", "at noon", "at night", ". "]
GRAMMAR_CHARACTERS = set("".join(GRAMMAR_WORDS)) | {" "}


def run(*arguments):
    result = subprocess.run([CLI, *arguments], capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"netdraft-cli {' '.join(arguments)} exited with {result.returncode}:\n"
                             f"{result.stdout}{result.stderr}")
    return result.stdout


class VocabularyExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        folder = cls.folder.name
        with open(os.path.join(PROJECTS, "gpt_char_grammar.netdraft"), encoding="utf-8") as file:
            text = re.sub(r'"samples": [0-9]+', '"samples": 300', file.read())
        cls.project = os.path.join(folder, "gpt.netdraft")
        with open(cls.project, "w", encoding="utf-8") as file:
            file.write(text)
        cls.train_output = run("train", cls.project, "--epochs", "1", "--out", os.path.join(folder, "run"),
                               "--sample-text", "2", "--sample-tokens", "10")
        weights = os.path.join(folder, "run", "weights.pt")
        run("export", cls.project, "--format", "torchscript", "--out", os.path.join(folder, "model.pt"),
            "--weights", weights)
        run("export", cls.project, "--format", "python", "--out", os.path.join(folder, "code"),
            "--weights", weights)
        if WITH_ONNX:
            run("export", cls.project, "--format", "onnx", "--out", os.path.join(folder, "model.onnx"),
                "--weights", weights)
        with open(os.path.join(folder, "run", "vocabulary.json"), encoding="utf-8") as file:
            cls.run_vocabulary = json.load(file)
        cls.tokens = cls.run_vocabulary["tokens"]

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def path(self, *names):
        return os.path.join(self.folder.name, *names)

    def test_run_folder_holds_the_grammars_vocabulary(self):
        self.assertEqual(self.run_vocabulary["text_unit"], "characters")
        self.assertEqual(self.tokens[:2], ["<pad>", "<unk>"])
        self.assertEqual(len(self.tokens), 22)  # the example's Embedding and Linear sizes
        self.assertEqual(set(self.tokens[2:]), GRAMMAR_CHARACTERS)
        self.assertEqual(self.tokens[2], " ")  # the most frequent character first
        self.assertIn("Sampled text (greedy, 10 characters after prompts from the test part):", self.train_output)
        self.assertEqual(len(re.findall(r'^  sample [12]: "….{24}" → ".{10}"$', self.train_output, re.M)), 2,
                         self.train_output)

    def check_metadata(self, metadata):
        self.assertEqual(metadata["vocabulary"], self.tokens)
        self.assertEqual(metadata["text_unit"], "characters")
        # The class names are the same tokens, shown: a space as '␣'.
        self.assertEqual(metadata["class_names"], ["␣" if token == " " else token for token in self.tokens])

    def test_torchscript_extra_file(self):
        extra = {"netdraft.json": ""}
        model = torch.jit.load(self.path("model.pt"), _extra_files=extra)
        self.check_metadata(json.loads(extra["netdraft.json"]))
        # Ids encoded with the exported vocabulary run through the model to one score per token.
        ids = [self.tokens.index(c) for c in "ada sees bob at noon. ev"]
        scores = model(torch.tensor([ids]))
        self.assertEqual(tuple(scores.shape), (1, len(self.tokens)))

    @unittest.skipUnless(WITH_ONNX or "--onnx" in sys.argv, "built without ONNX export")
    def test_onnx_metadata_props(self):
        import onnx
        model = onnx.load(self.path("model.onnx"))
        props = {entry.key: entry.value for entry in model.metadata_props}
        self.check_metadata(json.loads(props["netdraft.json"]))

    def test_python_code_and_its_metadata(self):
        spec = importlib.util.spec_from_file_location("exported_gpt", self.path("code", "model.py"))
        code = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(code)
        self.assertEqual(code.VOCABULARY, self.tokens)
        self.assertEqual(code.TEXT_UNIT, "characters")
        ids = [self.tokens.index(c) for c in "eve helps finn."]
        self.assertEqual(code.decode([0] + ids), "eve helps finn.")
        self.assertEqual(code.decode(torch.tensor(ids)), "eve helps finn.")
        with open(self.path("code", "netdraft.json"), encoding="utf-8") as file:
            self.check_metadata(json.load(file))


if __name__ == "__main__":
    CLI, PROJECTS = sys.argv[1], sys.argv[2]
    WITH_ONNX = "--onnx" in sys.argv
    unittest.main(argv=[sys.argv[0]])
