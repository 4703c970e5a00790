"""One rank of the Python reference for test_distributed.DdpComparisonTest: PyTorch's own
DistributedDataParallel (Gloo, env:// rendezvous on 127.0.0.1) training the spirals MLP, written here
by hand, on the batches Netdraft's trainer makes.

    RANK=r WORLD_SIZE=n MASTER_ADDR=127.0.0.1 MASTER_PORT=p \
        python3 ddp_reference.py DATA_FOLDER INITIAL_WEIGHTS SETTINGS_JSON OUT

DATA_FOLDER holds netdraft_dump_training_order's files: the model-ready training inputs and targets
and each epoch's shuffled order. Every global batch of the order is split into near-equal contiguous
parts, one per rank (torch.tensor_split, as Netdraft's loader shards), so each rank's DDP step sees
the samples its Netdraft rank sees. With equal parts, DDP's mean of the ranks' gradients is the
gradient of the global batch's mean loss. Rank 0 saves the final state dict to OUT.
"""
import json
import os
import sys

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel


class SpiralsMlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(2, 64)
        self.fc2 = nn.Linear(64, 64)
        self.fc3 = nn.Linear(64, 2)

    def forward(self, x):
        return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))


def read(folder, name, dtype):
    with open(os.path.join(folder, name), "rb") as f:
        return torch.frombuffer(bytearray(f.read()), dtype=dtype)


def main(data_folder, initial_weights, settings_path, out):
    rank, world = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method="env://", rank=rank, world_size=world)
    with open(os.path.join(data_folder, "shape.json")) as f:
        shape = json.load(f)
    with open(settings_path) as f:
        settings = json.load(f)
    samples = shape["samples"]
    inputs = read(data_folder, "inputs.bin", torch.float32).view(samples, *shape["sample_shape"])
    targets = read(data_folder, "targets.bin", torch.int64)
    orders = read(data_folder, "orders.bin", torch.int64).view(shape["epochs"], samples)

    model = SpiralsMlp()
    model.load_state_dict(torch.load(initial_weights), strict=True)
    ddp = DistributedDataParallel(model)
    optimizer = torch.optim.Adam(ddp.parameters(), lr=settings["learning_rate"],
                                 betas=(settings["beta1"], settings["beta2"]), weight_decay=settings["weight_decay"])
    batch_size = settings["batch_size"]
    for epoch in range(settings["epochs"]):
        order = orders[epoch]
        for first in range(0, samples, batch_size):
            part = torch.tensor_split(order[first:first + batch_size], world)[rank]
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(ddp(inputs[part]), targets[part])
            loss.backward()
            optimizer.step()
    if rank == 0:
        torch.save(model.state_dict(), out)
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main(*sys.argv[1:])
