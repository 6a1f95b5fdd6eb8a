"""Byte-level BPE for code, with dedicated tokens for runs of spaces (the Codex paper's tokenizer change)."""

from codexlab.tokenizer.bpe import (
    EOS,
    WHITESPACE_TOKENS,
    WhitespaceSaving,
    load_tokenizer,
    measure_whitespace_saving,
    train_tokenizer,
)

__all__ = [
    "EOS",
    "WHITESPACE_TOKENS",
    "WhitespaceSaving",
    "load_tokenizer",
    "measure_whitespace_saving",
    "train_tokenizer",
]
