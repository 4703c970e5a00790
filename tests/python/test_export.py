"""Checks Netdraft's exports with plain PyTorch, no Netdraft code: torch.jit.load, model.py with
load_state_dict(strict=True), and train.py under torchrun with two processes (gloo on CPU).

    python3 test_export.py FIXTURE_WRITER   (the write_export_fixtures executable)
"""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import unittest

import torch

WRITER = None
ATOL = 1e-5


def load_module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class ExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        result = subprocess.run([WRITER, cls.folder.name], capture_output=True, text=True)
        cls.writer_output = result.stdout + result.stderr
        cls.writer_ok = result.returncode == 0
        cls.cases = sorted(d for d in os.listdir(cls.folder.name) if os.path.isfile(
            os.path.join(cls.folder.name, d, "reference.pt")))

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def case_path(self, case, name):
        return os.path.join(self.folder.name, case, name)

    def test_writer_succeeded(self):
        self.assertTrue(self.writer_ok, self.writer_output)
        self.assertIn("classic_cnn", self.cases)
        self.assertIn("mobile_layers", self.cases)
        self.assertIn("sequence_layers", self.cases)
        self.assertIn("attention", self.cases)

    def test_torchscript_matches_reference(self):
        for case in self.cases:
            with self.subTest(case=case):
                extra = {"netdraft.json": ""}
                module = torch.jit.load(self.case_path(case, "model.pt"), map_location="cpu", _extra_files=extra)
                module.eval()
                reference = torch.load(self.case_path(case, "reference.pt"))
                with torch.no_grad():
                    output = module(reference["inputs"])
                torch.testing.assert_close(output, reference["outputs"], atol=ATOL, rtol=0)
                metadata = json.loads(extra["netdraft.json"])
                self.assertEqual(metadata["format"], "netdraft-export")
                self.assertEqual(metadata["input_shape"], list(reference["inputs"].shape[1:]))

    def test_model_py_loads_weights_strictly_and_matches(self):
        for case in self.cases:
            with self.subTest(case=case):
                code = load_module(self.case_path(case, "model.py"), "exported_model_" + case)
                model = code.Net()
                state = torch.load(self.case_path(case, "weights.pt"))
                model.load_state_dict(state, strict=True)
                model.eval()
                reference = torch.load(self.case_path(case, "reference.pt"))
                with torch.no_grad():
                    output = model(reference["inputs"])
                torch.testing.assert_close(output, reference["outputs"], atol=ATOL, rtol=0)
                # load_model() finds the weights next to model.py on its own.
                with torch.no_grad():
                    again = code.load_model()(reference["inputs"])
                torch.testing.assert_close(again, reference["outputs"], atol=ATOL, rtol=0)

    def test_metadata_matches_model_py(self):
        code = load_module(self.case_path("classic_cnn", "model.py"), "exported_model_meta")
        metadata = json.load(open(self.case_path("classic_cnn", "netdraft.json")))
        self.assertEqual(code.CLASS_NAMES, metadata["class_names"])
        self.assertEqual(list(code.INPUT_SHAPE), metadata["input_shape"])
        self.assertEqual(code.MEAN, metadata["mean"])

    def test_train_py_runs_distributed(self):
        folder = os.path.join(self.folder.name, "classic_cnn")
        env = dict(os.environ, CUDA_VISIBLE_DEVICES="", OMP_NUM_THREADS="1", PYTHONPATH=folder)
        out = os.path.join(folder, "trained.pt")
        # --redirects/--tee 2: torch 1.13's launcher fails on its default "0" under Python 3.11 (docs/EXPORT.md).
        command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
                   "--redirects", "2", "--tee", "2",
                   os.path.join(folder, "train.py"), "--epochs", "1", "--out", out]
        result = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=300)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("epoch 1/1", result.stdout)
        code = load_module(os.path.join(folder, "model.py"), "exported_model_trained")
        model = code.Net()
        model.load_state_dict(torch.load(out), strict=True)
        before = torch.load(os.path.join(folder, "weights.pt"))
        self.assertFalse(torch.equal(model.state_dict()["fc.weight"], before["fc.weight"]))

    def test_train_py_matches_every_registered_name(self):
        """Each registered optimizer, schedule and loss has a branch in train.py that computes what the
        engine computes (registries.pt) with the same settings (registries.json)."""
        folder = self.case_path("classic_cnn", "")
        sys.path.insert(0, folder)  # train.py imports model.py from its folder
        try:
            train = load_module(os.path.join(folder, "train.py"), "exported_train")
        finally:
            sys.path.remove(folder)
        with open(self.case_path("registries", "registries.json")) as file:
            registered = json.load(file)
        expected = torch.load(self.case_path("registries", "registries.pt"))
        s = dict(train.SETTINGS, **registered["settings"])
        for name in registered["optimizer"]:
            with self.subTest(optimizer=name):
                weights = torch.tensor([1.0, -2.0], dtype=torch.float64, requires_grad=True)
                optimizer = train.make_optimizer([weights], dict(s, optimizer=name))
                for _ in range(3):
                    optimizer.zero_grad()
                    (torch.tensor([1.0, 3.0], dtype=torch.float64) * weights * weights).sum().backward()
                    optimizer.step()
                torch.testing.assert_close(weights.detach(), expected["optimizer." + name], atol=1e-12, rtol=0)
        for name in registered["schedule"]:
            with self.subTest(schedule=name):
                rates = [s["learning_rate"] * train.learning_rate_factor(dict(s, schedule=name), epoch)
                         for epoch in range(s["epochs"])]
                self.assertTrue(all(rate > 0 for rate in rates))
                if name in APPROXIMATED_SCHEDULES:
                    continue
                torch.testing.assert_close(torch.tensor(rates, dtype=torch.float64), expected["schedule." + name],
                                           atol=1e-12, rtol=0)
        for name in registered["loss"]:
            with self.subTest(loss=name):
                key = "loss." + name + "."
                value = train.compute_loss(expected[key + "outputs"], expected[key + "targets"], dict(s, loss=name))
                torch.testing.assert_close(value, expected[key + "value"], atol=1e-12, rtol=0)
        for function, kind in ((lambda n: train.make_optimizer([], dict(s, optimizer=n)), "optimizer"),
                               (lambda n: train.learning_rate_factor(dict(s, schedule=n), 5), "schedule")):
            with self.assertRaisesRegex(ValueError, "unknown " + kind + " nonsense"):
                function("nonsense")

    def run_script(self, folder, script, *arguments, processes=1):
        env = dict(os.environ, CUDA_VISIBLE_DEVICES="", OMP_NUM_THREADS="1", PYTHONPATH=folder)
        launcher = [] if processes == 1 else ["-m", "torch.distributed.run", "--standalone",
                                              "--nproc_per_node=%d" % processes, "--redirects", "2", "--tee", "2"]
        command = [sys.executable] + launcher + [os.path.join(folder, script)] + list(arguments)
        result = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=300)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("epoch 1/1", result.stdout)

    def fine_tuning_module(self):
        folder = self.case_path("fine_tuning", "")
        sys.path.insert(0, folder)  # train.py imports model.py from its folder, not another case's
        sys.modules.pop("model", None)
        try:
            return load_module(os.path.join(folder, "train.py"), "exported_fine_tuning_train")
        finally:
            sys.path.remove(folder)
            sys.modules.pop("model", None)

    def test_train_py_without_fine_tuning_has_none_of_its_code(self):
        with open(self.case_path("classic_cnn", "train.py")) as file:
            source = file.read()
        for name in ("FROZEN_BLOCKS", "LEARNING_RATE_SCALES", "freeze_blocks", "parameter_groups",
                     'os.path.join(here, "weights.pt")'):
            self.assertNotIn(name, source)
        self.assertIn("make_optimizer(trained.parameters(), s)", source)

    def test_train_py_fine_tunes_as_netdraft(self):
        """The fine_tuning case: instance stem (Conv2d, BatchNorm2d, ReLU) frozen, fc at 0.1 x the rate.
        One epoch of one full batch from weights.pt equals Netdraft's trainer (engine_trained.pt); the
        frozen weights and batch-norm statistics stay bit for bit, under torchrun too."""
        folder = self.case_path("fine_tuning", "")
        before = torch.load(os.path.join(folder, "weights.pt"))
        engine = torch.load(os.path.join(folder, "engine_trained.pt"))
        frozen = [name for name in before if name.startswith("stem__")]
        self.assertEqual(len(frozen), 7)  # conv weight and bias, bn weight, bias and three statistics
        for processes, batch in ((1, "32"), (2, "8")):
            with self.subTest(processes=processes):
                out = os.path.join(folder, "trained_%d.pt" % processes)
                self.run_script(folder, "train.py", "--epochs", "1", "--batch-size", batch, "--out", out,
                                processes=processes)
                after = torch.load(out)
                for name in before:
                    self.assertEqual(torch.equal(after[name], before[name]), name in frozen, name)
                if processes == 1:
                    for name in before:
                        torch.testing.assert_close(after[name], engine[name], atol=1e-6, rtol=0, msg=name)

    def test_train_py_frozen_batch_norm_train_moves_statistics_only(self):
        folder = self.case_path("fine_tuning", "")
        out = os.path.join(folder, "trained_batch_norm_train.pt")
        self.run_script(folder, "train_batch_norm_train.py", "--epochs", "1", "--out", out)
        before, after = torch.load(os.path.join(folder, "weights.pt")), torch.load(out)
        for name in ("stem__conv.weight", "stem__conv.bias", "stem__bn.weight", "stem__bn.bias"):
            self.assertTrue(torch.equal(after[name], before[name]), name)
        for name in ("stem__bn.running_mean", "stem__bn.running_var", "stem__bn.num_batches_tracked"):
            self.assertFalse(torch.equal(after[name], before[name]), name)
        with open(os.path.join(folder, "train_batch_norm_train.py")) as file:
            self.assertNotIn("keep_frozen_blocks_in_eval", file.read())

    def test_train_py_refuses_to_train_with_every_block_frozen(self):
        """As Netdraft does, by name, not with PyTorch's "optimizer got an empty parameter list"."""
        train = self.fine_tuning_module()
        model = train.Net()
        train.FROZEN_BLOCKS = [name for name, child in model.named_children()
                               if any(True for _ in child.parameters())]
        with self.assertRaises(SystemExit) as refused:
            train.freeze_blocks(model)
        self.assertEqual(str(refused.exception),
                         "training: every block with weights is frozen; nothing would train (unfreeze a block)")

    def test_train_py_parameter_groups_keep_their_factor_under_every_schedule(self):
        train = self.fine_tuning_module()
        model = train.Net()
        train.freeze_blocks(model)
        names = {id(parameter): name for name, parameter in model.named_parameters()}
        base = train.SETTINGS["learning_rate"]
        for optimizer_name in ("sgd", "adam", "adagrad"):
            for schedule in ("step", "cosine", "onecycle"):
                with self.subTest(optimizer=optimizer_name, schedule=schedule):
                    s = dict(train.SETTINGS, optimizer=optimizer_name, schedule=schedule, epochs=6,
                             warmup_epochs=2, step_size=1, gamma=0.5)
                    optimizer = train.make_optimizer(train.parameter_groups(model, s), s)
                    groups = optimizer.param_groups
                    self.assertEqual([[names[id(p)] for p in group["params"]] for group in groups],
                                     [["conv2.weight", "conv2.bias", "bn2.weight", "bn2.bias"],
                                      ["fc.weight", "fc.bias"]])
                    schedule_steps = torch.optim.lr_scheduler.LambdaLR(
                        optimizer, lambda epoch: train.learning_rate_factor(s, epoch))
                    for epoch in range(s["epochs"]):
                        factor = train.learning_rate_factor(s, epoch)  # the warm-up's first: 1/3
                        self.assertEqual([group["lr"] for group in groups], [base * factor, base * 0.1 * factor])
                        optimizer.step()
                        schedule_steps.step()
        self.assertFalse(any(p.requires_grad for name, p in model.named_parameters() if name.startswith("stem__")))


# train.py steps OneCycleLR's per-epoch shape approximately, by a cosine decay (docs/EXPORT.md).
APPROXIMATED_SCHEDULES = {"onecycle"}

if __name__ == "__main__":
    WRITER = sys.argv.pop(1)
    unittest.main()
