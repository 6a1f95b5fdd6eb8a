"""What a Codex-S fine-tune trains with (the recipe's defaults) and on what it must not (held-out problems).

Kept apart from `training/sft.py`, which needs torch, so that the command line and the sweep can name the
defaults without loading it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from codexlab.errors import CodexlabError
from codexlab.problems.types import Problem

# The Codex-S recipe's defaults, measured on the default model (docs/curation.md): LoRA of rank 16 (alpha 32) on a
# GGUF model, full fine-tuning otherwise; AdamW at 2e-4 for LoRA, 1e-5 for full fine-tuning; one epoch.
LORA_RANK = 16
LORA_LR, FULL_LR = 2e-4, 1e-5


@dataclass(frozen=True)
class Recipe:
    lora_rank: int | None  # None: full fine-tuning
    lora_alpha: float
    lr: float
    steps: int


def recipe(
    init_from: str | Path,
    n_examples: int,
    batch_size: int,
    lora_rank: int | None = None,
    lora_alpha: float | None = None,
    lr: float | None = None,
    steps: int | None = None,
) -> Recipe:
    """The settings to train with: what the caller gave, the recipe's defaults for the rest (`lora_rank=0` asks
    for full fine-tuning of a GGUF model)."""
    if lora_rank is None:
        lora_rank = LORA_RANK if Path(init_from).suffix == ".gguf" else 0
    rank = lora_rank or None
    return Recipe(
        lora_rank=rank,
        lora_alpha=lora_alpha if lora_alpha is not None else 2.0 * (rank or LORA_RANK),
        lr=lr if lr is not None else (LORA_LR if rank else FULL_LR),
        steps=steps if steps is not None else max(1, math.ceil(n_examples / batch_size)),
    )


def check_held_out(problems: Sequence[Problem], held_out: Sequence[Problem]) -> None:
    """Refuse held-out problems that are trained on: the same prompt, or the same source problem (a target
    `Mbpp/2#1` is a second sample of `Mbpp/2`, and an own-sample prompt may differ from the reference's)."""
    prompts = {p.prompt for p in problems}
    sources = {p.task_id.split("#")[0] for p in problems}
    seen = [p.task_id for p in held_out if p.prompt in prompts or p.task_id.split("#")[0] in sources]
    if seen:
        raise CodexlabError(
            f"{len(seen)} held-out problems are also trained on, e.g. {seen[0]}: their loss would say nothing "
            "about unseen problems (use the <out>.heldout.jsonl that `curate targets --hold-out-every` wrote)"
        )
