"""Supervised fine-tuning on (prompt, solution) pairs with the loss on solution tokens only (Codex-S).

The paper fine-tuned Codex-S on curated problems and masked the prompt: the model is never trained to
reproduce docstrings, only to write the body that satisfies them. Here every example is the tokenized prompt
followed by the tokenized solution; `labels` (aligned with the tokens, transformers' convention) are -100 on
every prompt token, and the model is trained through the interface codexlab's trainer uses for both its own
GPT and wrapped transformers models: `model(idx, targets) -> (logits, loss)`, where targets[i] is the token at
i + 1 and -100 is ignored by the cross-entropy.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from codexlab.problems.types import Problem
from codexlab.training.endings import ENDINGS, NEXT_DEF
from codexlab.training.sft_recipe import FULL_LR, LORA_LR, LORA_RANK, Recipe, check_held_out, recipe

__all__ = ["FULL_LR", "LORA_LR", "LORA_RANK", "Recipe", "check_held_out", "finetune_hf", "recipe", "train_sft"]

IGNORE_INDEX = -100


@dataclass(frozen=True)
class SFTExample:
    """Token ids of prompt + solution, and labels that are -100 exactly on the prompt's tokens."""

    input_ids: list[int]
    labels: list[int]
    prompt_len: int

    def shifted(self) -> tuple[list[int], list[int]]:
        """(idx, targets) for next-token training: targets[i] = labels[i + 1]."""
        return self.input_ids[:-1], self.labels[1:]


def build_example(prompt_ids: Sequence[int], solution_ids: Sequence[int], max_len: int) -> SFTExample:
    """Concatenate prompt and solution, masking the prompt; over max_len, the prompt loses tokens from its
    start (the solution is what is learned, and the end of the prompt is its nearest context)."""
    if max_len < 2:
        raise ValueError("max_len must be at least 2")
    solution = list(solution_ids)[: max_len - 1]
    prompt = list(prompt_ids)[-(max_len - len(solution)) :] if prompt_ids else []
    if not prompt:
        raise ValueError("an example needs at least one prompt token to condition on")
    return SFTExample(prompt + solution, [IGNORE_INDEX] * len(prompt) + solution, len(prompt))


def problem_example(
    problem: Problem,
    encode: Callable[[str], list[int]],
    max_len: int,
    eos_id: int | None = None,
    ending: str = "next-def",
) -> SFTExample:
    """A problem's prompt and canonical solution, then the `ending` (`training/endings.py`; "eos" needs
    `eos_id`)."""
    if ending not in ENDINGS:
        raise ValueError(f"ending must be one of {', '.join(ENDINGS)}, got {ending!r}")
    text = problem.canonical_solution
    if ending == "next-def":
        text = text.rstrip("\n") + "\n" + NEXT_DEF
    solution = encode(text)
    if ending == "eos":
        if eos_id is None:
            raise ValueError("the 'eos' ending needs the tokenizer's end-of-text id")
        solution.append(eos_id)
    return build_example(encode(problem.prompt), solution, max_len)


def collate(examples: Sequence[SFTExample], pad_id: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-padded (idx, targets) tensors; padding is never a target. Right padding needs no attention
    mask under causal attention: real positions never attend to the padding after them."""
    pairs = [ex.shifted() for ex in examples]
    width = max(len(idx) for idx, _ in pairs)
    idx = torch.full((len(pairs), width), pad_id, dtype=torch.long)
    targets = torch.full((len(pairs), width), IGNORE_INDEX, dtype=torch.long)
    for row, (i, t) in enumerate(pairs):
        idx[row, : len(i)] = torch.tensor(i, dtype=torch.long)
        targets[row, : len(t)] = torch.tensor(t, dtype=torch.long)
    return idx, targets


def masked_loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy over the positions whose target is not -100 (the solution tokens)."""
    return F.cross_entropy(logits.float().reshape(-1, logits.size(-1)), targets.reshape(-1), ignore_index=IGNORE_INDEX)


@dataclass
class SFTResult:
    steps: int
    losses: list[float]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "steps": self.steps,
            "losses": self.losses,
            "seconds": round(self.seconds, 2),
            "first_loss": self.losses[0] if self.losses else None,
            "last_loss": self.losses[-1] if self.losses else None,
        }


def solution_loss(model: nn.Module, examples: Sequence[SFTExample], pad_id: int = 0) -> float:
    """Mean masked loss of `model` over examples, without gradients (before/after comparisons)."""
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for ex in examples:
            idx, targets = collate([ex], pad_id)
            logits = model(idx)[0]
            n = int((targets != IGNORE_INDEX).sum())
            total += float(masked_loss(logits, targets)) * n
            count += n
    return total / count if count else math.nan


def train_sft(
    model: nn.Module,
    examples: Sequence[SFTExample],
    steps: int,
    lr: float = 1e-5,
    batch_size: int = 4,
    pad_id: int = 0,
    seed: int = 0,
    on_step: Callable[[int, float], None] | None = None,
) -> SFTResult:
    """AdamW on the masked loss for `steps` batches drawn in shuffled epochs; returns each step's loss."""
    if not examples:
        raise ValueError("no training examples")
    rng = random.Random(seed)
    torch.manual_seed(seed)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=0.0)
    order: list[int] = []
    losses: list[float] = []
    started = time.monotonic()
    model.train()
    for step in range(steps):
        if len(order) < batch_size:
            fresh = list(range(len(examples)))
            rng.shuffle(fresh)
            order += fresh
        batch = [examples[i] for i in order[:batch_size]]
        del order[:batch_size]
        idx, targets = collate(batch, pad_id)
        logits = model(idx)[0]
        loss = masked_loss(logits, targets)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(round(loss.item(), 5))
        if on_step:
            on_step(step, losses[-1])
    model.eval()
    return SFTResult(steps, losses, time.monotonic() - started)


def finetune_hf(
    init_from: str | Path,
    problems: Sequence[Problem],
    out_dir: Path,
    steps: int,
    lr: float = 1e-5,
    batch_size: int = 4,
    max_len: int = 512,
    seed: int = 0,
    lora_rank: int | None = None,
    lora_alpha: float = 16.0,
    on_step: Callable[[int, float], None] | None = None,
    ending: str = "next-def",
    held_out: Sequence[Problem] = (),
) -> dict[str, Any]:
    """Fine-tune a transformers causal LM (a checkpoint directory or .gguf) on problems' solutions and save it.

    Full fine-tuning by default; with `lora_rank`, LoRA on the attention projections (merged afterwards).
    `ending` is how each target ends (ENDINGS above). `held_out` problems (never trained on) get the same
    solution-token loss before and after: the cheap signal on which to choose learning rate and steps.
    A checkpoint directory gives out_dir/ (model + tokenizer, loadable with `--backend transformers`); a .gguf
    gives out_dir/model.gguf, the base file with the changed matrices written in (LoRA only: a full fine-tune
    of a GGUF is saved as a transformers checkpoint). Both write out_dir/sft.json.
    """
    check_held_out(problems, held_out)
    from transformers import AutoTokenizer

    from codexlab.training.hf import export_hf, load_hf_model
    from codexlab.training.lora import ATTENTION_PROJECTIONS, add_lora, merge_lora

    path = Path(init_from)
    if path.suffix == ".gguf":
        tok = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
    else:
        tok = AutoTokenizer.from_pretrained(str(path))
    model = load_hf_model(init_from)

    def encode(text: str) -> list[int]:
        return list(tok(text, add_special_tokens=False)["input_ids"])

    pad_id = tok.pad_token_id if tok.pad_token_id is not None else (tok.eos_token_id or 0)
    examples = [problem_example(p, encode, max_len, tok.eos_token_id, ending) for p in problems]
    unseen = [problem_example(p, encode, max_len, tok.eos_token_id, ending) for p in held_out]
    before = solution_loss(model, examples, pad_id)
    unseen_before = solution_loss(model, unseen, pad_id) if unseen else None
    wrapped = add_lora(model.model, ATTENTION_PROJECTIONS, lora_rank, lora_alpha) if lora_rank else None
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    result = train_sft(model, examples, steps, lr, batch_size, pad_id, seed, on_step)
    after = solution_loss(model, examples, pad_id)
    unseen_after = solution_loss(model, unseen, pad_id) if unseen else None
    out_dir.mkdir(parents=True, exist_ok=True)
    deltas = merge_lora(model.model, wrapped) if wrapped is not None else {}
    if deltas and path.suffix == ".gguf":
        from codexlab.training.gguf_merge import write_merged_gguf

        saved = write_merged_gguf(path, {k: v.float().numpy() for k, v in deltas.items()}, out_dir / "model.gguf")
    else:
        saved = export_hf(model, out_dir)
    report = {
        "init_from": str(init_from),
        "problems": len(examples),
        "lr": lr,
        "batch_size": batch_size,
        "max_len": max_len,
        "ending": ending,
        "method": f"lora r={lora_rank} alpha={lora_alpha}" if lora_rank else "full",
        "trainable_parameters": trainable,
        "saved": str(saved),
        "solution_loss_before": round(before, 5),
        "solution_loss_after": round(after, 5),
        "held_out_problems": len(unseen),
        "held_out_loss_before": None if unseen_before is None else round(unseen_before, 5),
        "held_out_loss_after": None if unseen_after is None else round(unseen_after, 5),
        **result.to_dict(),
    }
    (out_dir / "sft.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report
