#!/usr/bin/python3
"""Training throughput of the corrected classic CNN on CIFAR-shaped data, in one run: the Netdraft
engine (fp32, and the bf16 + channels-last fast mode), a plain LibTorch loop (both from
netdraft_bench_train) and the same network in PyTorch Python eager (fp32, and bf16 autocast +
channels-last for reference), alternating round by round so that every ratio compares figures taken
under the same machine load.

    /usr/bin/python3 bench/train_bench.py build/bin/netdraft_bench_train \
        [--samples 2048] [--epochs 2] [--rounds 3] [--threads 2] [--shapes-accuracy EPOCHS] [--device cuda]

Needs a Python with torch (Debian's python3-torch is 1.13). Nothing is downloaded. With --device cuda the
eager loop, like the plain LibTorch loop, keeps its batches on the GPU and synchronises before each clock
reading; the fast way there is bf16 autocast + channels-last too.
"""

import argparse
import re
import statistics
import subprocess
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def classic_cnn():
    layers = []
    channels = [3, 32, 64, 128]
    for i in range(3):
        layers += [nn.Conv2d(channels[i], channels[i + 1], 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(2048, 10))


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def eager_samples_per_second(samples, epochs, batch_size, fast, device=torch.device("cpu")):
    """PyTorch eager: batches made beforehand (float, scaled), SGD with momentum, like the plain loop."""
    torch.manual_seed(1)
    model = classic_cnn().to(device)
    generator = torch.Generator().manual_seed(3)
    images = torch.randint(0, 256, (samples, 3, 32, 32), dtype=torch.uint8, generator=generator)
    targets = torch.randint(0, 10, (samples,), generator=generator)
    batches = [(images[i:i + batch_size].float().div(255).to(device), targets[i:i + batch_size].to(device))
               for i in range(0, samples, batch_size)]
    if fast:
        model = model.to(memory_format=torch.channels_last)
        batches = [(x.contiguous(memory_format=torch.channels_last), y) for x, y in batches]
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    synchronize(device)
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(epochs):
        for inputs, labels in batches:
            optimizer.zero_grad()
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=fast):
                loss = F.cross_entropy(model(inputs).float(), labels)
            loss.backward()
            optimizer.step()
    synchronize(device)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    return samples * epochs / wall, samples * epochs / cpu


def run_engine(binary, arguments):
    output = subprocess.run([binary] + arguments, check=True, capture_output=True, text=True).stdout
    sys.stdout.write("".join("    " + line + "\n" for line in output.splitlines() if not line.startswith("RESULT")))
    return {name: float(value) for name, value in re.findall(r"^RESULT (\S+) (\S+)$", output, re.M)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary", help="path to netdraft_bench_train")
    parser.add_argument("--samples", type=int, default=2048)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--shapes-accuracy", type=int, default=0, metavar="EPOCHS",
                        help="also train on Shapes in fp32 and in the fast mode and report both accuracies")
    parser.add_argument("--device", default="cpu", help="cpu, cuda or cuda:K, for every way in the run")
    args = parser.parse_args()
    device = torch.device(args.device)
    torch.set_num_threads(args.threads)
    common = ["--samples", str(args.samples), "--epochs", str(args.epochs), "--batch-size", str(args.batch_size),
              "--threads", str(args.threads), "--device", args.device]
    where = torch.cuda.get_device_name(device) if device.type == "cuda" else f"{args.threads} threads"
    print(f"PyTorch {torch.__version__}, {where}, {args.samples} samples x {args.epochs} epochs, "
          f"batch {args.batch_size}")
    eager_samples_per_second(args.batch_size * 4, 1, args.batch_size, False, device)  # warm-up
    eager_samples_per_second(args.batch_size * 4, 1, args.batch_size, True, device)

    rounds = []
    for round_index in range(args.rounds):
        print(f"round {round_index + 1}:")
        figures = {name.replace("round1_", ""): value
                   for name, value in run_engine(args.binary, common + ["--rounds", "1"]).items()
                   if name.startswith("round1_")}
        for fast, name in ((False, "pytorch_eager_fp32"), (True, "pytorch_eager_bf16_channels_last")):
            figures[name], figures[name + "_cpu"] = eager_samples_per_second(
                args.samples, args.epochs, args.batch_size, fast, device)
        print("    " + ", ".join(f"{name} {value:.1f}" for name, value in sorted(figures.items())) + " samples/s")
        rounds.append(figures)

    names = sorted(name for name in rounds[0] if not name.endswith("_cpu"))
    print("\nsamples/s of wall time and of CPU time (all threads); ratios to PyTorch eager fp32 of the same round")
    print("\n| way | wall: median | wall: best | wall: median ratio | CPU: median | CPU: median ratio |")
    print("|---|---|---|---|---|---|")
    for name in names:
        values = [r[name] for r in rounds]
        ratios = [r[name] / r["pytorch_eager_fp32"] for r in rounds]
        cpu_values = [r[name + "_cpu"] for r in rounds]
        cpu_ratios = [r[name + "_cpu"] / r["pytorch_eager_fp32_cpu"] for r in rounds]
        print(f"| {name} | {statistics.median(values):.0f} | {max(values):.0f} | {statistics.median(ratios):.2f} "
              f"| {statistics.median(cpu_values):.0f} | {statistics.median(cpu_ratios):.2f} |")

    if args.shapes_accuracy > 0:
        print()
        run_engine(args.binary, ["--shapes-accuracy", str(args.shapes_accuracy), "--threads", str(args.threads),
                                 "--device", args.device])


if __name__ == "__main__":
    main()
