"""torchrun with two CPU processes (gloo): FSDP and DDP train codex-tiny as one process doing the same work does.

The straight and resumed runs go through the CLI (`codexlab train run --strategy fsdp`); the interrupted run needs
`stop_at_step`, so torchrun runs this file as a script for it (see the bottom).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict, replace
from pathlib import Path

import pytest
import torch

from codexlab.training.trainer import TrainConfig, load_trained_model, make_optimizer, train

pytestmark = pytest.mark.slow

STEPS = 6
CLI_FIELDS = (
    "data", "out", "model", "ctx", "batch_size", "grad_accum", "max_tokens", "lr", "warmup_steps", "eval_every",
    "eval_batches", "ckpt_every", "log_every", "dropout", "dtype", "seed", "threads", "strategy",
)  # fmt: skip


def _single(shard_dir: Path, out: Path) -> TrainConfig:
    """One process, 4 sequences per micro-batch: the same tokens per step as 2 ranks x 2 sequences."""
    return TrainConfig(
        data=str(shard_dir),
        out=str(out),
        model="codex-tiny",
        ctx=64,
        batch_size=4,
        grad_accum=2,
        max_tokens=64 * 4 * 2 * STEPS,
        lr=3e-3,
        warmup_steps=2,
        eval_every=3,
        eval_batches=2,
        ckpt_every=100,
        log_every=1,
        dropout=0.0,
        dtype="fp32",  # FSDP on CPU trains in fp32; bf16 autocast would make the two runs differ
        threads=1,
        progress=False,
    )


def _sharded(shard_dir: Path, out: Path) -> TrainConfig:
    """Per rank half the batch; twice the eval batches, so both evaluate the same 8 validation windows."""
    return replace(_single(shard_dir, out), batch_size=2, eval_batches=4, strategy="fsdp")


def _torchrun(*args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_PORT")}
    env["OMP_NUM_THREADS"] = "1"
    # --standalone: a local rendezvous on a free loopback port
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]


def _cli(tc: TrainConfig) -> None:
    flags = [f"--{name.replace('_', '-')}={getattr(tc, name)}" for name in CLI_FIELDS]
    _torchrun("-m", "codexlab.cli.main", "train", "run", *flags, "--no-progress")


def _log(run: Path) -> list[dict[str, float]]:
    return [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def one_process(shard_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    run = tmp_path_factory.mktemp("one-process")
    assert train(_single(shard_dir, run)).steps == STEPS
    return run


def _assert_same_curve(ref: list[dict[str, float]], run: list[dict[str, float]]) -> None:
    assert [r["step"] for r in run] == list(range(1, STEPS + 1))
    for a, b in zip(ref, run, strict=True):
        assert b["loss"] == pytest.approx(a["loss"], rel=1e-5), b["step"]
        assert b.get("val_loss", 0.0) == pytest.approx(a.get("val_loss", 0.0), rel=1e-5), b["step"]
    assert run[-1]["loss"] < run[0]["loss"]


def test_ddp_matches_one_process(shard_dir: Path, one_process: Path, tmp_path: Path) -> None:
    _cli(replace(_sharded(shard_dir, tmp_path / "ddp"), strategy="ddp"))
    _assert_same_curve(_log(one_process), _log(tmp_path / "ddp"))


def test_fsdp_matches_one_process_resumes_exactly_and_exports(
    shard_dir: Path, one_process: Path, tmp_path: Path
) -> None:
    straight = _sharded(shard_dir, tmp_path / "fsdp")
    _cli(straight)
    interrupted = _sharded(shard_dir, tmp_path / "fsdp-resumed")
    _torchrun(__file__, json.dumps(asdict(interrupted)), "3")
    assert [r["step"] for r in _log(tmp_path / "fsdp-resumed")] == [1, 2, 3]
    _cli(interrupted)  # the same command again resumes from step 3

    sharded, resumed = _log(tmp_path / "fsdp"), _log(tmp_path / "fsdp-resumed")
    _assert_same_curve(_log(one_process), sharded)
    assert [(r["loss"], r.get("val_loss")) for r in resumed] == [(r["loss"], r.get("val_loss")) for r in sharded]

    # The checkpoint is a single process's: it loads into an unwrapped GPT and a plain AdamW.
    model, ckpt = load_trained_model(tmp_path / "fsdp")
    ref_model, ref_ckpt = load_trained_model(one_process)
    resumed_model, _ = load_trained_model(tmp_path / "fsdp-resumed")
    assert ckpt["step"] == STEPS and ckpt["data_pos"] == ref_ckpt["data_pos"]
    assert ckpt["train_config"] == asdict(straight)  # the CLI passed every setting through
    for (name, p), q, r in zip(
        model.state_dict().items(), ref_model.state_dict().values(), resumed_model.state_dict().values(), strict=True
    ):
        assert torch.allclose(p, q, atol=5e-5), name
        assert torch.equal(p, r), name
    opt = make_optimizer(model, straight, torch.device("cpu"))
    opt.load_state_dict(ckpt["optimizer"])
    ref_state = ref_ckpt["optimizer"]["state"]
    assert ckpt["optimizer"]["state"].keys() == ref_state.keys()
    for i, s in ckpt["optimizer"]["state"].items():
        assert torch.equal(s["step"], ref_state[i]["step"])
        assert torch.allclose(s["exp_avg"], ref_state[i]["exp_avg"], atol=1e-5), i

    # ... and exports exactly as a one-process run's does.
    from transformers import AutoModelForCausalLM

    from codexlab.tokenizer.bpe import load_tokenizer
    from codexlab.training.hf import export_gpt
    from codexlab.training.model import GPT

    assert isinstance(model, GPT)
    export = export_gpt(model, load_tokenizer(shard_dir), tmp_path / "hf")
    hf = AutoModelForCausalLM.from_pretrained(export)
    ids = torch.arange(1, 17).unsqueeze(0)
    with torch.no_grad():
        assert torch.allclose(hf(ids).logits, model(ids)[0], atol=1e-4)


if __name__ == "__main__":  # one torchrun rank of an interrupted run: config as JSON, then the step to stop at
    train(TrainConfig.from_dict(json.loads(sys.argv[1])), stop_at_step=int(sys.argv[2]))
