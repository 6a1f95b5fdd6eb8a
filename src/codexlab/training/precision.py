"""Which precision to train in, from what this device really does fast.

A CPU that reports bf16 support may still train slower in bf16 than in fp32 (emulated or poorly tuned kernels, and
autocast's casts): on one AMD EPYC with AVX512-BF16, bf16 autocast made training 7% slower than plain fp32. So
`auto` times a training step's linear layer (forward and backward) in both precisions once per process (about a
second) and takes bf16 on a CPU only where it is clearly faster. GPUs take bf16 wherever it is supported.
"""

from __future__ import annotations

import functools
import time

import torch

# bf16 must beat fp32 by this much to be chosen: a margin for what one layer's timing does not show
BF16_MIN_SPEEDUP = 1.2


def matmul_flops(
    dtype: torch.dtype, device: str = "cpu", shape: tuple[int, int, int] = (2048, 256, 1024), budget_s: float = 0.25
) -> float:
    """Peak FLOP/s of an (m, k) @ (k, n) matmul in `dtype`: the best of five windows of `budget_s` / 5 (at least
    one product each), so a moment when another process had the core does not pass for the peak."""
    m, k, n = shape
    a = torch.randn(m, k, device=device).to(dtype)
    b = torch.randn(k, n, device=device).to(dtype)
    a @ b  # warm-up: kernel selection, first-touch allocation
    sync = torch.cuda.synchronize if device.startswith("cuda") else (lambda: None)
    sync()
    best = 0.0
    for _ in range(5):
        reps, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < budget_s / 5 or reps == 0:
            a @ b
            reps += 1
            sync()
        best = max(best, 2 * m * k * n * reps / elapsed)
    return best


def _linear_steps_per_s(amp: torch.dtype | None, shape: tuple[int, int, int], budget_s: float) -> float:
    """Forward and backward passes per second of one linear layer, under autocast to `amp` (None: fp32)."""
    m, k, n = shape
    layer = torch.nn.Linear(k, n)
    x = torch.randn(m, k)

    def step() -> None:
        with torch.autocast("cpu", dtype=amp or torch.bfloat16, enabled=amp is not None):
            y = layer(x)
        y.float().square().mean().backward()

    step()  # warm-up: kernel selection, first-touch allocation
    reps, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < budget_s or reps == 0:
        step()
        reps += 1
    return reps / elapsed


@functools.cache
def cpu_bf16_speedup(shape: tuple[int, int, int] = (2048, 256, 1024), budget_s: float = 0.25) -> float:
    """How much faster a training step's linear layer runs under bf16 autocast than in fp32 on this CPU (forward
    and backward, casts included); 0 where the CPU has no bf16 kernels. Measured once per process."""
    if not torch.ops.mkldnn._is_mkldnn_bf16_supported():
        return 0.0
    with torch.random.fork_rng(devices=[]):  # the measurement must not move the run's seeded random state
        fp32 = _linear_steps_per_s(None, shape, budget_s)
        return _linear_steps_per_s(torch.bfloat16, shape, budget_s) / fp32


def autocast_dtype(choice: str, device: torch.device) -> torch.dtype | None:
    """The autocast dtype for `--dtype choice` (auto | bf16 | fp32) on `device`; None means plain fp32."""
    if choice == "fp32":
        return None
    if choice == "bf16":
        return torch.bfloat16
    if device.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else None
    return torch.bfloat16 if cpu_bf16_speedup() >= BF16_MIN_SPEEDUP else None
