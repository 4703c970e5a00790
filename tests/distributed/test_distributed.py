"""Data-parallel training under torchrun with Gloo on 127.0.0.1 (docs/DISTRIBUTED.md).

    python3 test_distributed.py NETDRAFT_CLI [unittest arguments, e.g. -k EqualWeights]

- 2 and 3 ranks end with the weights of a single process training on the whole batch (within 1e-5);
- a killed or hung rank makes rank 0 exit non-zero within --dist-timeout, naming the rank, and the last
  checkpoint still loads;
- with torchrun --max_restarts 1 a killed worker is restarted and the job resumes from the checkpoint;
- 2 ranks under torchrun end with the weights of PyTorch's own DistributedDataParallel (ddp_reference.py)
  trained from the same starting weights on the same shards (within 1e-5).
Weights are compared as state dicts (`netdraft-cli export --format state_dict`) loaded by plain torch.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import torch

CLI = None
DUMP_TOOL = None  # netdraft_dump_training_order, next to netdraft-cli unless NETDRAFT_DUMP_TRAINING_ORDER says
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOLERANCE = 1e-5


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_project(folder, samples, epochs, batch_size=32, **extra):
    """The spirals MLP (Linear/ReLU, no batch norm, no dropout), small and without keep_best."""
    with open(os.path.join(ROOT, "projects", "mlp_spirals.netdraft")) as f:
        project = json.load(f)
    project["dataset"]["samples"] = samples
    project["training"].update(epochs=epochs, batch_size=batch_size, keep_best=False, threads=1)
    project.update(extra)
    path = os.path.join(folder, "project.netdraft")
    with open(path, "w") as f:
        json.dump(project, f)
    return path


def torchrun(nproc, arguments, log_dir, extra=()):
    # --redirects: torch 1.13's launcher fails on its default under Python 3.11 (docs/DISTRIBUTED.md).
    return [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={nproc}",
            "--no_python", "--redirects", "2", "--tee", "2", "--log_dir", log_dir, *extra, CLI, *arguments]


def state_dict(project, weights, folder, name):
    out = os.path.join(folder, name + ".pt")
    command = [CLI, "export", project, "--format", "state_dict", "--out", out]
    if weights:
        command += ["--weights", weights]
    subprocess.run(command, check=True, capture_output=True)
    return torch.load(out)


def largest_difference(a, b):
    assert a.keys() == b.keys(), (a.keys(), b.keys())
    return max((a[k].double() - b[k].double()).abs().max().item() for k in a)


def wait_for(predicate, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def epoch_lines(metrics):
    try:
        with open(metrics) as f:
            lines = [json.loads(line) for line in f if line.endswith("}\n")]
        return [line for line in lines if line.get("type") == "epoch"]
    except OSError:
        return []


def has_epoch_line(metrics):
    return len(epoch_lines(metrics)) > 0


class EqualWeightsTest(unittest.TestCase):
    """K steps on N ranks equal K steps of one process on the global batch."""

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        # 300 samples → 240 training: 7 batches of 32 and one of 16 per epoch, 16 steps in 2 epochs;
        # on 3 ranks the parts are 11/11/10 and 6/5/5.
        cls.project = write_project(cls.folder.name, samples=300, epochs=2)
        single = os.path.join(cls.folder.name, "single")
        subprocess.run([CLI, "train", cls.project, "--out", single], check=True, capture_output=True)
        cls.single = state_dict(cls.project, os.path.join(single, "weights.pt"), cls.folder.name, "single")
        cls.initial = state_dict(cls.project, None, cls.folder.name, "initial")

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def check_ranks(self, ranks):
        out = os.path.join(self.folder.name, f"ranks{ranks}")
        logs = os.path.join(self.folder.name, f"logs{ranks}")
        result = subprocess.run(torchrun(ranks, ["train", self.project, "--out", out], logs),
                                capture_output=True, text=True, timeout=240)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn(f"distributed: rank 0 of {ranks}, gloo", result.stdout)
        self.assertIn("completed 2 epochs", result.stdout)
        trained = state_dict(self.project, os.path.join(out, "weights.pt"), self.folder.name, f"ranks{ranks}")
        # Training moved the weights, so agreeing with the single process is not agreeing by default.
        self.assertGreater(largest_difference(self.single, self.initial), 1e-2)
        difference = largest_difference(trained, self.single)
        print(f"{ranks} ranks: largest difference from one process {difference:.3g}")
        self.assertLess(difference, TOLERANCE)
        # Only rank 0 writes: one metrics.jsonl whose epochs carry all 240 samples' loss.
        self.assertEqual(len(epoch_lines(os.path.join(out, "metrics.jsonl"))), 2)

    def test_two_ranks(self):
        self.check_ranks(2)

    def test_three_ranks(self):
        self.check_ranks(3)

    def test_two_ranks_fine_tuning(self):
        """A frozen block and a block at 0.1 × the learning rate (optimizer groups, issue 18): 2 ranks still
        end with one process's weights, and the frozen block with its starting ones."""
        folder = os.path.join(self.folder.name, "fine_tuning")
        os.makedirs(folder)
        project = write_project(folder, samples=300, epochs=2)
        with open(project) as f:
            data = json.load(f)
        for block in data["graph"]["blocks"]:
            if block["id"] == "fc1":
                block["frozen"] = True
            if block["id"] == "fc2":
                block["learning_rate_scale"] = 0.1
        with open(project, "w") as f:
            json.dump(data, f)
        single = os.path.join(folder, "single")
        subprocess.run([CLI, "train", project, "--out", single], check=True, capture_output=True)
        expected = state_dict(project, os.path.join(single, "weights.pt"), folder, "single")
        initial = state_dict(project, None, folder, "initial")
        out = os.path.join(folder, "ranks2")
        result = subprocess.run(torchrun(2, ["train", project, "--out", out], os.path.join(folder, "logs")),
                                capture_output=True, text=True, timeout=240)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        trained = state_dict(project, os.path.join(out, "weights.pt"), folder, "ranks2")
        self.assertLess(largest_difference(trained, expected), TOLERANCE)
        for name in ("fc1.weight", "fc1.bias"):
            self.assertTrue(torch.equal(trained[name], initial[name]), name)
        # fc2 moved, and less than it moves at the full rate (the single run of setUpClass).
        moved = (trained["fc2.weight"] - initial["fc2.weight"]).abs().max().item()
        full = (self.single["fc2.weight"] - self.initial["fc2.weight"]).abs().max().item()
        self.assertGreater(moved, 0)
        self.assertLess(moved, full)


class DdpComparisonTest(unittest.TestCase):
    """Netdraft's 2 ranks under torchrun against PyTorch's DistributedDataParallel (Gloo, 127.0.0.1):
    the same starting weights (made by Python, imported by the project), the same shuffled order
    (dumped from Netdraft's loader and sharded by Python), Adam, K = 22 steps."""

    ranks = 2
    epochs = 2

    def test_weights_equal_python_ddp(self):
        with tempfile.TemporaryDirectory() as folder:
            torch.manual_seed(2024)
            initial = os.path.join(folder, "initial.pt")
            # A plain dict: Netdraft reads tensors by name (an OrderedDict pickles as a class it does not read).
            torch.save(dict(self.python_model().state_dict()), initial)
            # 400 samples → 324 training: 10 batches of 32 and one of 4, split 16/16 and 2/2.
            project = write_project(folder, samples=400, epochs=self.epochs, initial_weights="initial.pt")
            with open(project) as f:
                settings = json.load(f)["training"]

            out = os.path.join(folder, "netdraft")
            result = subprocess.run(torchrun(self.ranks, ["train", project, "--out", out], os.path.join(folder, "logs")),
                                    capture_output=True, text=True, timeout=240)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            self.assertIn(f"distributed: rank 0 of {self.ranks}, gloo", result.stdout)
            trained = state_dict(project, os.path.join(out, "weights.pt"), folder, "netdraft")

            data = os.path.join(folder, "data")
            subprocess.run([DUMP_TOOL, project, data, str(self.epochs)], check=True, capture_output=True)
            with open(os.path.join(data, "shape.json")) as f:
                samples = json.load(f)["samples"]
            # DDP averages the ranks' mean gradients; that is the global batch's only for equal parts.
            self.assertTrue(all(min(32, samples - first) % self.ranks == 0 for first in range(0, samples, 32)), samples)
            settings_path = os.path.join(folder, "settings.json")
            with open(settings_path, "w") as f:
                json.dump(settings, f)
            reference = os.path.join(folder, "ddp.pt")
            self.run_ddp(data, initial, settings_path, reference)
            ddp = torch.load(reference)

            start = torch.load(initial)
            self.assertGreater(largest_difference(ddp, start), 1e-2)  # training moved the weights
            difference = largest_difference(trained, ddp)
            print(f"{self.ranks} ranks: largest difference from Python DDP {difference:.3g}")
            self.assertLess(difference, TOLERANCE)

    @staticmethod
    def python_model():
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from ddp_reference import SpiralsMlp
        return SpiralsMlp()

    def run_ddp(self, data, initial, settings, out):
        port = str(free_port())
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ddp_reference.py")
        workers = []
        for rank in range(self.ranks):
            environment = dict(os.environ, RANK=str(rank), WORLD_SIZE=str(self.ranks), MASTER_ADDR="127.0.0.1",
                               MASTER_PORT=port, GLOO_SOCKET_IFNAME="lo")
            workers.append(subprocess.Popen([sys.executable, script, data, initial, settings, out], env=environment,
                                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
        try:
            for rank, worker in enumerate(workers):
                output, _ = worker.communicate(timeout=120)
                self.assertEqual(worker.returncode, 0, f"DDP rank {rank}: {output}")
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.kill()
                    worker.wait()


class FaultTest(unittest.TestCase):
    """Workers started by hand (the environment torchrun sets, rank 0 hosting the store), so that the
    test, not torchrun's agent, decides what happens to a rank."""

    timeout = 4

    def start(self, folder, epochs=200):
        project = write_project(folder, samples=2000, epochs=epochs)
        port = str(free_port())
        workers = []
        for rank in range(2):
            environment = dict(os.environ, WORLD_SIZE="2", RANK=str(rank), LOCAL_RANK=str(rank),
                               LOCAL_WORLD_SIZE="2", MASTER_ADDR="127.0.0.1", MASTER_PORT=port)
            with open(os.path.join(folder, f"rank{rank}.log"), "w") as log:
                workers.append(subprocess.Popen(
                    [CLI, "train", project, "--out", os.path.join(folder, "run"), "--dist-timeout", str(self.timeout)],
                    env=environment, stdout=log, stderr=subprocess.STDOUT))
        wait_for(lambda: has_epoch_line(os.path.join(folder, "run", "metrics.jsonl")), 60, "the first epoch")
        return project, workers

    def check_fault(self, fault):
        with tempfile.TemporaryDirectory() as folder:
            project, (main, other) = self.start(folder)
            try:
                os.kill(other.pid, fault)
                started = time.time()
                status = main.wait(timeout=self.timeout + 30)
                elapsed = time.time() - started
            finally:
                for worker in (main, other):
                    if worker.poll() is None:
                        worker.kill()
                        worker.wait()
            with open(os.path.join(folder, "rank0.log")) as f:
                log = f.read()
            self.assertNotEqual(status, 0, log)
            self.assertIn("rank 1 stopped responding", log)
            self.assertLess(elapsed, self.timeout + 15, log)
            print(f"signal {fault}: rank 0 stopped after {elapsed:.1f} s: "
                  + [line for line in log.splitlines() if "rank 1" in line][0])
            # The last checkpoint (an epoch's end) is intact.
            evaluation = subprocess.run(
                [CLI, "evaluate", project, "--weights", os.path.join(folder, "run", "checkpoint.pt")],
                capture_output=True, text=True)
            self.assertEqual(evaluation.returncode, 0, evaluation.stdout + evaluation.stderr)

    def test_killed_rank(self):
        self.check_fault(signal.SIGKILL)

    def test_hung_rank(self):
        self.check_fault(signal.SIGSTOP)


class RestartTest(unittest.TestCase):
    def test_max_restarts_resumes(self):
        with tempfile.TemporaryDirectory() as folder:
            project = write_project(folder, samples=2000, epochs=12)
            out = os.path.join(folder, "run")
            launcher = subprocess.Popen(
                torchrun(2, ["train", project, "--out", out, "--dist-timeout", "10"], os.path.join(folder, "logs"),
                         extra=("--max_restarts", "1", "--monitor_interval", "1")),
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            try:
                wait_for(lambda: has_epoch_line(os.path.join(out, "metrics.jsonl")), 90, "the first epoch")
                workers = [int(p) for p in os.listdir("/proc") if p.isdigit() and self.is_worker(int(p), launcher.pid)]
                self.assertEqual(len(workers), 2)
                os.kill(max(workers), signal.SIGKILL)
                output, _ = launcher.communicate(timeout=240)
            finally:
                if launcher.poll() is None:
                    launcher.kill()
                    launcher.wait()
            self.assertEqual(launcher.returncode, 0, output)
            self.assertIn("restart 1: resuming from", output)
            self.assertIn("completed 12 epochs", output)

    @staticmethod
    def is_worker(pid, parent):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                command = f.read()
            return int(fields[1]) == parent and b"netdraft-cli" in command
        except OSError:
            return False


if __name__ == "__main__":
    CLI = os.path.abspath(sys.argv.pop(1))
    DUMP_TOOL = os.environ.get("NETDRAFT_DUMP_TRAINING_ORDER",
                               os.path.join(os.path.dirname(CLI), "netdraft_dump_training_order"))
    unittest.main(verbosity=2)
