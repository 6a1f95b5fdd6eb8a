"""The training loop: AdamW, warmup + cosine decay, gradient accumulation, bf16 autocast where it is faster than
fp32, optional torch.compile, periodic validation (loss and bits per byte), exact resume, JSONL log, and DDP or
FSDP when launched by torchrun.

A run directory holds `ckpt.pt`, `log.jsonl` and `loss.png`. Running the same command again resumes from the last
checkpoint; Ctrl-C finishes the current step, checkpoints and stops.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from codexlab.data.shards import TokenShards
from codexlab.errors import CodexlabError
from codexlab.reports.progress import make_progress, stderr_console
from codexlab.training import dist as ddist
from codexlab.training.batches import WindowSampler, eval_windows
from codexlab.training.checkpoint import CKPT_FILE, load_checkpoint, rng_state, save_checkpoint, set_rng_state
from codexlab.training.configs import model_config
from codexlab.training.hf import HFCausalLM, load_hf_model
from codexlab.training.model import GPT, GPTConfig
from codexlab.training.precision import autocast_dtype
from codexlab.training.sharding import STRATEGIES, full_state, load_full_state, shard_model

LOG_FILE = "log.jsonl"


@dataclass(frozen=True)
class TrainConfig:
    data: str
    out: str
    model: str = "codex-tiny"
    init_from: str | None = None
    ctx: int = 256
    batch_size: int = 8
    grad_accum: int = 1
    max_tokens: int = 1_000_000
    lr: float = 1e-3
    min_lr: float | None = None  # default lr / 10
    warmup_steps: int = 50
    weight_decay: float = 0.1
    beta1: float = 0.9
    beta2: float = 0.95
    grad_clip: float = 1.0
    dropout: float = 0.0
    eval_every: int = 100
    eval_batches: int = 16
    ckpt_every: int = 100
    log_every: int = 10
    dtype: str = "auto"  # auto | bf16 | fp32
    compile: bool = False
    seed: int = 0
    device: str | None = None
    threads: int | None = None  # None: all cores, or 1 when the machine is already busy (see cpu_threads)
    strategy: str = "ddp"  # ddp | fsdp, under torchrun; a single process trains unwrapped either way
    progress: bool = True

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TrainConfig:
        names = {f.name for f in fields(cls)}
        if "parallel" in d and "strategy" not in d:  # its name in checkpoints written before 0.1.0's rename
            d = {**d, "strategy": d["parallel"]}
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass(frozen=True)
class TrainResult:
    steps: int
    tokens: int
    train_loss: float
    val_loss: float
    val_bpb: float
    tokens_per_s: float
    seconds: float


def cpu_threads() -> int:
    """All cores on an idle machine; one when the load already exceeds the cores, because spinning OpenMP
    threads on an oversubscribed CPU made a step 25x slower than one thread in measurements here."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return 1 if os.getloadavg()[0] >= cores else cores


def lr_at(step: int, total: int, tc: TrainConfig) -> float:
    """Linear warmup, then cosine decay to min_lr at the last step."""
    min_lr = tc.min_lr if tc.min_lr is not None else tc.lr / 10
    if step < tc.warmup_steps:
        return tc.lr * (step + 1) / tc.warmup_steps
    progress = (step - tc.warmup_steps) / max(1, total - tc.warmup_steps)
    return min_lr + 0.5 * (tc.lr - min_lr) * (1 + math.cos(math.pi * min(1.0, progress)))


def build_model(tc: TrainConfig, vocab_size: int) -> tuple[nn.Module, int]:
    """Our GPT from a named config, or a transformers model to fine-tune; returns it with its context length."""
    if tc.init_from:
        hf = load_hf_model(tc.init_from)
        emb = hf.model.get_input_embeddings().weight.shape[0]  # type: ignore[operator]
        if emb < vocab_size:
            raise CodexlabError(
                f"{tc.init_from}: vocabulary {emb} < the shards' {vocab_size}; tokenize with its tokenizer"
            )
        return hf, min(tc.ctx, hf.ctx)
    torch.manual_seed(tc.seed)
    cfg = model_config(tc.model, vocab_size, tc.ctx, tc.dropout)
    return GPT(cfg), cfg.ctx


def make_optimizer(model: nn.Module, tc: TrainConfig, device: torch.device) -> torch.optim.AdamW:
    """Weight decay on matrices only; biases, norms and (tied) embeddings' duplicates handled once."""
    decay: list[nn.Parameter] = []
    no_decay: list[nn.Parameter] = []
    for p in {id(p): p for p in model.parameters() if p.requires_grad}.values():
        (decay if p.dim() >= 2 else no_decay).append(p)
    groups = [{"params": decay, "weight_decay": tc.weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=tc.lr, betas=(tc.beta1, tc.beta2), fused=device.type == "cuda")


class _StopFlag:
    """First Ctrl-C: finish the step, checkpoint, stop. Second: stop at once."""

    def __init__(self) -> None:
        self.set = False

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = signal.getsignal(signal.SIGINT)

        def handler(signum: int, frame: Any) -> None:
            if self.set:
                raise KeyboardInterrupt
            self.set = True
            stderr_console.print("[yellow]stopping after this step (Ctrl-C again to abort without saving)")

        signal.signal(signal.SIGINT, handler)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)


def train(tc: TrainConfig, stop_at_step: int | None = None) -> TrainResult:
    """Train (or resume) the run in `tc.out`. `stop_at_step` checkpoints and returns early, as Ctrl-C would."""
    torch.set_num_threads(tc.threads or cpu_threads())
    info = ddist.setup(tc.device)
    out = Path(tc.out)
    out.mkdir(parents=True, exist_ok=True)
    ckpt = load_checkpoint(out / CKPT_FILE)
    if ckpt is not None:  # the stored config wins, so a resumed run is the run it was
        tc = replace(TrainConfig.from_dict(ckpt["train_config"]), progress=tc.progress, strategy=tc.strategy)
    if tc.strategy not in STRATEGIES:
        raise CodexlabError(f"--strategy {tc.strategy!r}: choose one of {', '.join(STRATEGIES)}")
    fsdp = info.enabled and tc.strategy == "fsdp"
    shards = TokenShards(tc.data)
    model, ctx = build_model(tc, shards.meta.vocab_size)
    amp = autocast_dtype(tc.dtype, info.device)
    if fsdp:  # FSDP moves each shard to the device; bf16 through its mixed-precision policy on GPUs, fp32 on CPUs
        shard_model(model, info.device, info.world, amp)
        amp = None
    else:
        model.to(info.device)
    opt = make_optimizer(model, tc, info.device)
    step, data_pos = 0, 0
    if ckpt is not None:
        if fsdp:
            load_full_state(model, opt, ckpt["model"], ckpt["optimizer"])
        else:
            model.load_state_dict(ckpt["model"])
            opt.load_state_dict(ckpt["optimizer"])
        step, data_pos = int(ckpt["step"]), int(ckpt["data_pos"])
        set_rng_state(ckpt["rng"])
    _truncate_log(out / LOG_FILE, step, info)

    runner: nn.Module = model
    if tc.compile:
        runner = torch.compile(model)  # type: ignore[assignment]
    if info.enabled and not fsdp:
        from torch.nn.parallel import DistributedDataParallel

        runner = DistributedDataParallel(runner, device_ids=[info.local_rank] if info.device.type == "cuda" else None)

    sampler = WindowSampler(shards.split("train"), ctx, seed=tc.seed)
    val_tokens = shards.split("val")
    val_starts = eval_windows(val_tokens, ctx, tc.eval_batches * tc.batch_size)
    per_step = tc.batch_size * tc.grad_accum * info.world * ctx
    total_steps = max(1, tc.max_tokens // per_step)
    stop = _StopFlag()

    def autocast() -> contextlib.AbstractContextManager[Any]:
        if amp is None:
            return contextlib.nullcontext()
        return torch.autocast(device_type=info.device.type, dtype=amp)

    def evaluate() -> tuple[float, float]:
        if not val_starts:
            return float("nan"), float("nan")
        model.eval()
        losses = []
        with torch.no_grad(), autocast():
            for i in range(0, len(val_starts), tc.batch_size):
                rows = [val_tokens[s * ctx : s * ctx + ctx + 1] for s in val_starts[i : i + tc.batch_size]]
                arr = torch.as_tensor(np.stack(rows).astype(np.int64), device=info.device)
                _, loss = model(arr[:, :-1], arr[:, 1:])
                assert loss is not None
                losses.append(float(loss))
        model.train()
        val = ddist.all_mean(sum(losses) / len(losses), info)
        return val, val / math.log(2) / shards.meta.val_bytes_per_token

    def checkpoint() -> None:
        # FSDP gathers the unsharded state to rank 0 (a collective, so every rank calls this)
        model_state, opt_state = full_state(model, opt) if fsdp else (model.state_dict(), opt.state_dict())
        if info.is_main:
            save_checkpoint(
                out / CKPT_FILE,
                {
                    "model": model_state,
                    "optimizer": opt_state,
                    "step": step,
                    "data_pos": data_pos,
                    "rng": rng_state(),
                    "train_config": asdict(tc),
                    "model_config": asdict(model.cfg) if isinstance(model, GPT) else None,
                    "init_from": tc.init_from,
                },
            )

    log = open(out / LOG_FILE, "a") if info.is_main else None
    train_loss = val_loss = val_bpb = float("nan")
    trained_tokens, train_seconds = 0, 0.0
    start = time.perf_counter()
    finished = False
    try:
        with stop.installed(), make_progress(disable=not (tc.progress and info.is_main)) as bar:
            task = bar.add_task("train", total=total_steps * per_step, completed=step * per_step, unit="tok", extra="")
            model.train()
            while step < total_steps:
                t0 = time.perf_counter()
                lr = lr_at(step, total_steps, tc)
                for group in opt.param_groups:
                    group["lr"] = lr
                loss_sum = 0.0
                for micro in range(tc.grad_accum):
                    pos = data_pos + (micro * info.world + info.rank) * tc.batch_size
                    x, y = (t.to(info.device) for t in sampler.batch(pos, tc.batch_size))
                    # DDP all-reduces on the last micro-batch only; FSDP reduce-scatters every micro-batch, so
                    # accumulated gradients stay sharded
                    sync = micro == tc.grad_accum - 1 or not info.enabled or fsdp
                    with contextlib.nullcontext() if sync else runner.no_sync(), autocast():  # type: ignore[operator]
                        _, loss = runner(x, y)
                    assert loss is not None
                    (loss / tc.grad_accum).backward()
                    loss_sum += float(loss.detach())
                data_pos += tc.batch_size * tc.grad_accum * info.world
                if tc.grad_clip > 0:
                    torch.nn.utils.clip_grad_norm_(model.parameters(), tc.grad_clip)
                opt.step()
                opt.zero_grad(set_to_none=True)
                step += 1
                dt = time.perf_counter() - t0
                trained_tokens += per_step
                train_seconds += dt
                train_loss = loss_sum / tc.grad_accum
                row: dict[str, Any] = {"step": step, "tokens": step * per_step, "lr": lr}
                if step % tc.log_every == 0 or step == total_steps:
                    row.update(loss=ddist.all_mean(train_loss, info), tok_per_s=per_step / dt)
                if step % tc.eval_every == 0 or step == total_steps:
                    val_loss, val_bpb = evaluate()
                    row.update(val_loss=val_loss, val_bpb=val_bpb)
                    if info.is_main:
                        bar.console.print(
                            f"step {step}/{total_steps}  tokens {step * per_step:,}  loss {train_loss:.3f}  "
                            f"val {val_loss:.3f} ({val_bpb:.3f} bits/byte)  {trained_tokens / train_seconds:,.0f} tok/s"
                        )
                if log is not None and len(row) > 3:
                    log.write(json.dumps(row) + "\n")
                    log.flush()
                bar.update(task, advance=per_step, extra=f"loss {train_loss:.3f}")
                done = step == total_steps or step == stop_at_step or stop.set
                if done or step % tc.ckpt_every == 0:
                    checkpoint()
                if stop.set:
                    raise KeyboardInterrupt
                if step == stop_at_step:
                    break
        finished = True
    finally:
        if log is not None:
            log.close()
        ddist.teardown(info, finished)
    if info.is_main and step == total_steps:
        from codexlab.training.plot import plot_log

        plot_log(out / LOG_FILE, out / "loss.png")
    return TrainResult(
        steps=step,
        tokens=step * per_step,
        train_loss=train_loss,
        val_loss=val_loss,
        val_bpb=val_bpb,
        tokens_per_s=trained_tokens / train_seconds if train_seconds else 0.0,
        seconds=time.perf_counter() - start,
    )


def _truncate_log(path: Path, step: int, info: ddist.DistInfo) -> None:
    """Drop log rows past the checkpoint, so a resumed run's log reads as one uninterrupted run."""
    if not info.is_main or not path.exists():
        return
    rows = [line for line in path.read_text().splitlines() if line and json.loads(line)["step"] <= step]
    path.write_text("".join(r + "\n" for r in rows))


def load_trained_model(run_dir: str | Path) -> tuple[nn.Module, dict[str, Any]]:
    """The model of a run directory's last checkpoint (GPT or wrapped transformers model), in eval mode."""
    ckpt = load_checkpoint(run_dir)
    if ckpt is None:
        raise CodexlabError(f"{run_dir}: no checkpoint ({CKPT_FILE})")
    model: nn.Module
    if ckpt.get("init_from"):
        model = load_hf_model(ckpt["init_from"])
    else:
        model = GPT(GPTConfig(**ckpt["model_config"]))
    model.load_state_dict(ckpt["model"])
    model.eval()
    return model, ckpt


__all__ = ["HFCausalLM", "TrainConfig", "TrainResult", "load_trained_model", "lr_at", "train"]
