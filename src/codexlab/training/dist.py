"""Distributed data parallel when launched by torchrun; a single process (CPU or one GPU) otherwise."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import timedelta

import torch
import torch.distributed as dist

COLLECTIVE_TIMEOUT_S = 600
GLOO_SETTLE_S = 0.5


@dataclass(frozen=True)
class DistInfo:
    rank: int
    local_rank: int
    world: int
    device: torch.device

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def enabled(self) -> bool:
        return self.world > 1


def setup(device: str | None = None) -> DistInfo:
    """torchrun sets RANK/WORLD_SIZE/LOCAL_RANK; NCCL on GPUs, gloo on CPUs."""
    if "RANK" not in os.environ:
        dev = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        return DistInfo(0, 0, 1, dev)
    rank, world, local = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"]), int(os.environ["LOCAL_RANK"])
    if torch.cuda.is_available() and device != "cpu":
        torch.cuda.set_device(local)
        dev = torch.device("cuda", local)
        backend = "nccl"
    else:
        dev = torch.device("cpu")
        backend = "gloo"
    if not dist.is_initialized():
        # a rank that never arrives fails the others' collectives after this long, not after the default 30 min
        dist.init_process_group(backend, timeout=timedelta(seconds=COLLECTIVE_TIMEOUT_S))
    return DistInfo(rank, local, world, dev)


def all_mean(value: float, info: DistInfo) -> float:
    if not info.enabled:
        return value
    t = torch.tensor([value], dtype=torch.float64, device=info.device)
    dist.all_reduce(t)
    return float(t.item()) / info.world


def teardown(info: DistInfo, finished: bool = True) -> None:
    """Leave the process group; after a normal finish, only once every rank is done (rank 0 may still be saving).

    Without the barrier, a rank that destroyed its gloo group while another still used it sometimes hung or aborted
    at exit here. After an error the other ranks may never arrive, so there is no barrier then.

    After the barrier this thread sleeps briefly, without the GIL: gloo's worker threads release a finished
    collective's tensors after waking the caller, and releasing a tensor Python has seen takes the GIL. The group's
    destructor joins those threads while holding the GIL (when the last reference, DDP's reducer, is dropped), so
    a worker still releasing then waits for the GIL forever: one rank hung about 1 run in 10 without the pause.
    """
    if info.enabled and dist.is_initialized():
        if finished:
            dist.barrier()
            time.sleep(GLOO_SETTLE_S)
        dist.destroy_process_group()
