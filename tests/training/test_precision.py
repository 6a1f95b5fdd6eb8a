"""The training precision comes from what this CPU does fast, measured, never from a feature flag alone."""

from __future__ import annotations

import torch

from codexlab.training.precision import BF16_MIN_SPEEDUP, autocast_dtype, cpu_bf16_speedup, matmul_flops


def test_explicit_choices_are_kept() -> None:
    cpu = torch.device("cpu")
    assert autocast_dtype("fp32", cpu) is None
    assert autocast_dtype("bf16", cpu) is torch.bfloat16


def test_auto_takes_bf16_only_where_it_measured_faster() -> None:
    speedup = cpu_bf16_speedup()
    assert speedup >= 0
    chosen = autocast_dtype("auto", torch.device("cpu"))
    assert chosen is (torch.bfloat16 if speedup >= BF16_MIN_SPEEDUP else None)
    assert cpu_bf16_speedup() == speedup  # measured once per process: every run in it trains alike


def test_peak_is_measured_and_positive() -> None:
    assert matmul_flops(torch.float32, budget_s=0.05) > 0


def test_measuring_bf16_leaves_the_seeded_random_state_alone() -> None:
    """The measurement runs inside a training run, after its seed: on CPUs with bf16 kernels it used to draw from
    the global generator, so the first run in a process started from other weights than the next."""
    torch.manual_seed(0)
    expected = torch.rand(4)
    torch.manual_seed(0)
    cpu_bf16_speedup.__wrapped__(budget_s=0.01)
    assert torch.equal(torch.rand(4), expected)
