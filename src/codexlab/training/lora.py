"""Low-rank adaptation (LoRA): fine-tune a large model by training two small matrices per chosen layer.

W x becomes W x + (alpha / r) * B A x with A (r x in) and B (out x r); W stays frozen and B starts at zero, so
training begins from the unchanged model. Afterwards each adapted layer's change is the single matrix
(alpha / r) * B A, which `merge_lora` folds back into W (or `training.gguf_merge` writes into a GGUF file).
Written here rather than taken from a library so the whole method reads in one page and works on any
`nn.Linear`, codexlab's own GPT included.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import torch
from torch import nn

#: attention projections of Llama/Qwen-style transformers models (the usual LoRA targets)
ATTENTION_PROJECTIONS: tuple[str, ...] = ("q_proj", "k_proj", "v_proj", "o_proj")


class LoRALinear(nn.Module):
    """A frozen `nn.Linear` plus a trainable low-rank update."""

    def __init__(self, base: nn.Linear, rank: int, alpha: float) -> None:
        super().__init__()
        if rank < 1:
            raise ValueError("LoRA rank must be at least 1")
        self.base = base
        for p in base.parameters():
            p.requires_grad_(False)
        self.scale = alpha / rank
        self.lora_a = nn.Parameter(torch.empty(rank, base.in_features, dtype=base.weight.dtype))
        self.lora_b = nn.Parameter(torch.zeros(base.out_features, rank, dtype=base.weight.dtype))
        nn.init.kaiming_uniform_(self.lora_a, a=math.sqrt(5))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (x @ self.lora_a.t() @ self.lora_b.t()) * self.scale

    def delta(self) -> torch.Tensor:
        """The change to the base weight, (out, in), as one dense matrix."""
        return (self.lora_b @ self.lora_a).detach() * self.scale


def add_lora(
    model: nn.Module, targets: Iterable[str] = ATTENTION_PROJECTIONS, rank: int = 8, alpha: float = 16.0
) -> dict[str, LoRALinear]:
    """Freeze every parameter of `model` and wrap each `nn.Linear` whose name ends in one of `targets`.

    Returns the wrapped layers by their module names (e.g. "model.layers.0.self_attn.q_proj")."""
    suffixes = tuple(targets)
    for p in model.parameters():
        p.requires_grad_(False)
    chosen = [
        (name, mod)
        for name, mod in model.named_modules()
        if isinstance(mod, nn.Linear) and name.split(".")[-1] in suffixes
    ]
    if not chosen:
        raise ValueError(f"no nn.Linear layer named {', '.join(suffixes)} in the model")
    wrapped: dict[str, LoRALinear] = {}
    for name, mod in chosen:
        parent_name, _, attr = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        layer = LoRALinear(mod, rank, alpha)
        setattr(parent, attr, layer)
        wrapped[name] = layer
    return wrapped


def merge_lora(model: nn.Module, wrapped: dict[str, LoRALinear]) -> dict[str, torch.Tensor]:
    """Fold each update into its base weight and put the plain `nn.Linear` back; return the deltas by name."""
    deltas: dict[str, torch.Tensor] = {}
    for name, layer in wrapped.items():
        delta = layer.delta()
        with torch.no_grad():
            layer.base.weight += delta.to(layer.base.weight.dtype)
        parent_name, _, attr = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        setattr(parent, attr, layer.base)
        deltas[name] = delta
    return deltas
