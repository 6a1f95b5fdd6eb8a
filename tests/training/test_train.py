"""Training resumes exactly, and the export loads in transformers and generates; fine-tuning starts from it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from codexlab.tokenizer.bpe import load_tokenizer
from codexlab.training.hf import export_gpt
from codexlab.training.model import GPT
from codexlab.training.trainer import TrainConfig, load_trained_model, lr_at, train


def _config(shard_dir: Path, out: Path) -> TrainConfig:
    return TrainConfig(
        data=str(shard_dir),
        out=str(out),
        model="codex-tiny",
        ctx=64,
        batch_size=4,
        grad_accum=2,
        max_tokens=64 * 4 * 2 * 8,  # 8 steps
        lr=3e-3,
        warmup_steps=3,
        eval_every=4,
        eval_batches=2,
        ckpt_every=100,
        log_every=1,
        dropout=0.1,  # exercises the RNG state in the checkpoint
        threads=1,
        progress=False,
    )


def _losses(run: Path) -> list[tuple[int, float, float | None]]:
    rows = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines()]
    return [(r["step"], r["loss"], r.get("val_loss")) for r in rows]


def test_resume_reproduces_the_uninterrupted_run(shard_dir: Path, tmp_path: Path) -> None:
    straight = train(_config(shard_dir, tmp_path / "straight"))
    assert straight.steps == 8
    interrupted = train(_config(shard_dir, tmp_path / "resumed"), stop_at_step=5)
    assert interrupted.steps == 5
    resumed = train(_config(shard_dir, tmp_path / "resumed"))
    assert resumed.steps == 8
    assert _losses(tmp_path / "resumed") == _losses(tmp_path / "straight")
    a, _ = load_trained_model(tmp_path / "straight")
    b, _ = load_trained_model(tmp_path / "resumed")
    for (name, p), q in zip(a.state_dict().items(), b.state_dict().values()):
        assert torch.equal(p, q), name
    assert (tmp_path / "straight" / "loss.png").stat().st_size > 0
    first, last = _losses(tmp_path / "straight")[0][1], _losses(tmp_path / "straight")[-1][1]
    assert last < first


def test_lr_schedule() -> None:
    tc = TrainConfig(data="", out="", lr=1.0, min_lr=0.1, warmup_steps=10)
    assert lr_at(0, 100, tc) == pytest.approx(0.1)
    assert lr_at(9, 100, tc) == pytest.approx(1.0)
    assert lr_at(100, 100, tc) == pytest.approx(0.1)
    assert 0.1 < lr_at(55, 100, tc) < 1.0


def test_export_loads_in_transformers_and_fine_tunes(shard_dir: Path, tmp_path: Path) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tc = replace(_config(shard_dir, tmp_path / "run"), max_tokens=64 * 8 * 3, dropout=0.0)
    train(tc)
    ours, _ = load_trained_model(tmp_path / "run")
    assert isinstance(ours, GPT)
    export = export_gpt(ours, load_tokenizer(shard_dir), tmp_path / "hf")

    model = AutoModelForCausalLM.from_pretrained(export)
    tokenizer = AutoTokenizer.from_pretrained(export)
    ids = tokenizer("def load(fp):\n    ", return_tensors="pt").input_ids
    with torch.no_grad():
        theirs = model(ids).logits
        mine, _ = ours(ids)
    assert torch.allclose(theirs, mine, atol=1e-4)
    out = model.generate(ids, max_new_tokens=5, do_sample=False, pad_token_id=tokenizer.eos_token_id)
    assert out.shape[1] == ids.shape[1] + 5
    assert tokenizer.decode(out[0]).startswith("def load(fp):\n    ")

    # --init-from: continue training the exported checkpoint as a transformers model.
    ft = train(replace(tc, out=str(tmp_path / "ft"), init_from=str(export), max_tokens=64 * 8 * 2))
    assert ft.steps == 2 and ft.val_loss == ft.val_loss  # not NaN
