"""Named model configurations: the Codex paper's family (named by non-embedding parameters) plus two toys.

Shapes follow the GPT-3/GPT-2 family at each size; the context is 1024 by default (the paper used 2048), and
`--ctx` changes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from codexlab.errors import CodexlabError


@dataclass(frozen=True)
class GPTConfig:
    """A GPT's shape. Plain data (no torch), so listing and choosing configs needs no `train` extra."""

    vocab_size: int = 8192
    n_layer: int = 4
    n_head: int = 4
    d_model: int = 128
    ctx: int = 256
    dropout: float = 0.0

    def non_embedding_params(self) -> int:
        """12·L·d² plus biases and norms, the count the scaling laws (and the paper's model names) use."""
        d = self.d_model
        per_layer = 12 * d * d + 13 * d
        return self.n_layer * per_layer + 2 * d

    def flops_per_token(self) -> int:
        """Training FLOPs per token: 6N for the matmuls with weights plus 6·L·ctx·d for attention scores."""
        n = self.non_embedding_params() + self.vocab_size * self.d_model  # the LM head is a matmul too
        return 6 * n + 6 * self.n_layer * self.ctx * self.d_model


# name: (n_layer, n_head, d_model)
SHAPES: dict[str, tuple[int, int, int]] = {
    "codex-tiny": (4, 4, 128),  # ~0.8M: the 2-core demo and tests
    "codex-4M": (6, 4, 256),  # ~4.7M: what a CPU trains in half an hour
    "codex-12M": (8, 8, 352),
    "codex-25M": (12, 8, 416),
    "codex-42M": (16, 8, 464),
    "codex-85M": (12, 12, 768),
    "codex-300M": (24, 16, 1024),
    "codex-679M": (24, 16, 1536),
    "codex-2.5B": (32, 32, 2560),
    "codex-12B": (40, 40, 5120),
}


def model_config(name: str, vocab_size: int, ctx: int = 1024, dropout: float = 0.0) -> GPTConfig:
    if name not in SHAPES:
        raise CodexlabError(f"unknown model config {name!r}; choose one of {', '.join(SHAPES)}")
    n_layer, n_head, d_model = SHAPES[name]
    return GPTConfig(vocab_size=vocab_size, n_layer=n_layer, n_head=n_head, d_model=d_model, ctx=ctx, dropout=dropout)
