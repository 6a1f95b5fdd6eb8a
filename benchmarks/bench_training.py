"""Training throughput and model-FLOPs utilisation: codexlab's trainer vs a plain PyTorch loop of the same model.

Both train the same GPT (a named config) on the same random tokens for the same number of steps; the reference is
the textbook loop (fp32, no compile, AdamW). codexlab's loop runs as `codexlab train run` does (bf16 autocast where
this device runs bf16 faster than fp32, measured at start; optional torch.compile). Peak FLOP/s of each loop's
precision is measured in this process with matmuls of a training step's shape, so MFU is relative to what this
machine actually delivers; on a GPU it is relative to the datasheet peak.

    python benchmarks/bench_training.py                  # codex-4M, ctx 256, batch 8, 20 steps, CPU
    python benchmarks/bench_training.py --device cuda --model codex-85M --ctx 1024 --batch-size 16
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from codexlab.training.configs import model_config
from codexlab.training.model import GPT
from codexlab.training.precision import autocast_dtype, matmul_flops
from codexlab.training.trainer import TrainConfig, cpu_threads, train

PEAK_SHAPE = (2048, 1024, 1024)  # a matmul as large as the model's largest, small enough to time in a second
DATASHEET_BF16 = {"H100": 989e12, "H200": 989e12, "A100": 312e12}  # dense bf16 FLOP/s


def write_random_shards(path: Path, vocab: int, tokens: int) -> None:
    rng = np.random.default_rng(0)
    for split, count in (("train", tokens), ("val", tokens // 10)):
        rng.integers(1, vocab, size=count, dtype=np.uint16).tofile(path / f"{split}.bin")
    meta = dict(
        vocab_size=vocab,
        dtype="uint16",
        eos_id=0,
        train_tokens=tokens,
        val_tokens=tokens // 10,
        train_bytes=tokens * 3,
        val_bytes=tokens // 10 * 3,
        documents=1,
    )
    (path / "meta.json").write_text(json.dumps(meta))


def reference_loop(args: argparse.Namespace, tokens: np.ndarray) -> float:
    """Plain PyTorch: fp32, eager, AdamW, one batch per step. Returns median tokens/s after warm-up steps."""
    torch.manual_seed(0)
    model = GPT(model_config(args.model, args.vocab, args.ctx)).to(args.device)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.95), weight_decay=0.1)
    rng = np.random.default_rng(0)
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        starts = rng.integers(0, len(tokens) - args.ctx - 1, size=args.batch_size)
        batch = torch.from_numpy(np.stack([tokens[s : s + args.ctx + 1].astype(np.int64) for s in starts]))
        x, y = batch[:, :-1].to(args.device), batch[:, 1:].to(args.device)
        _, loss = model(x, y)
        assert loss is not None
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        float(loss.detach())  # synchronise, as the trainer does when it logs the loss
        times.append(time.perf_counter() - t0)
    return args.batch_size * args.ctx / statistics.median(times[args.warmup :])


def codexlab_loop(args: argparse.Namespace, data: Path, out: Path) -> float:
    tc = TrainConfig(
        data=str(data),
        out=str(out),
        model=args.model,
        ctx=args.ctx,
        batch_size=args.batch_size,
        max_tokens=args.steps * args.batch_size * args.ctx,
        warmup_steps=5,
        eval_every=10**9,
        eval_batches=1,
        ckpt_every=10**9,
        log_every=1,
        compile=args.compile,
        device=args.device,
        threads=args.threads,
        progress=False,
    )
    train(tc)
    rows = [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]
    return statistics.median(r["tok_per_s"] for r in rows[args.warmup :])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", default="codex-4M")
    p.add_argument("--ctx", type=int, default=256)
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--vocab", type=int, default=8192)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=4, help="steps left out of the median (compile lands here)")
    p.add_argument("--compile", action="store_true")
    p.add_argument("--device", default="cpu")
    p.add_argument("--threads", type=int, default=None)
    args = p.parse_args()
    args.threads = args.threads or cpu_threads()
    torch.set_num_threads(args.threads)
    cfg = model_config(args.model, args.vocab, args.ctx)
    flops_per_token = cfg.flops_per_token()

    amp = autocast_dtype("auto", torch.device(args.device))  # what train() will choose (measured once, cached)
    precision = "bf16" if amp is not None else "fp32"
    peak_fp32 = matmul_flops(torch.float32, args.device, PEAK_SHAPE, budget_s=1.0)
    peak_ours = peak_fp32 if amp is None else matmul_flops(torch.bfloat16, args.device, PEAK_SHAPE, budget_s=1.0)
    where = f"CPU, {args.threads} thread(s)"
    if args.device == "cuda":
        where = torch.cuda.get_device_name()
        peak_ours = next((v for k, v in DATASHEET_BF16.items() if k in where and amp is not None), peak_ours)
    where += f", codexlab in {precision} (peak fp32 {peak_fp32 / 1e9:.0f}, {precision} {peak_ours / 1e9:.0f} GFLOP/s)"

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        write_random_shards(data, args.vocab, max(200_000, args.steps * args.batch_size * (args.ctx + 1) * 2))
        tokens = np.memmap(data / "train.bin", dtype=np.uint16, mode="r")
        ref = reference_loop(args, tokens)
        ours = codexlab_loop(args, data, Path(tmp) / "run")

    print(
        f"model {args.model}: {cfg.non_embedding_params() / 1e6:.1f}M non-embedding params, ctx {args.ctx}, "
        f"batch {args.batch_size}, {flops_per_token / 1e6:.1f} MFLOP/token (training), {where}"
    )
    for label, tps, peak in (("reference (fp32 eager)", ref, peak_fp32), ("codexlab", ours, peak_ours)):
        achieved = tps * flops_per_token
        # a peak below what a loop achieved was not measured right (a throttled or busy core): no ratio then
        mfu = f"MFU {achieved / peak:6.1%} of its precision's measured peak" if 0 < achieved <= peak else "MFU n/a"
        print(f"  {label:<24} {tps:>10,.0f} tokens/s  {achieved / 1e9:>8.1f} GFLOP/s  {mfu}")
    print(f"  codexlab / reference: {ours / ref:.2f}x")


if __name__ == "__main__":
    main()
