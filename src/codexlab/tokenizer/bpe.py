"""Byte-level BPE (Hugging Face `tokenizers`) with one token per whitespace run.

GPT-3's tokenizer spent one token per few spaces of indentation; Codex added tokens for whitespace runs and saw
~30% fewer tokens. Here every run of 2-32 spaces, and every newline (or two) followed by 1-32 spaces, is a vocabulary
entry, and `ignore_merges` makes a pre-token that is a whole vocabulary entry map to it directly, so each indent is
exactly one token whatever BPE learned.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

from codexlab.errors import CodexlabError

EOS = "<|endoftext|>"
_SPACE, _NEWLINE = "\u0120", "\u010a"  # byte-level spellings of " " and "\n"
WHITESPACE_TOKENS: tuple[str, ...] = (
    *(_SPACE * n for n in range(2, 33)),
    *(_NEWLINE + _SPACE * n for n in range(1, 33)),
    *(_NEWLINE * 2 + _SPACE * n for n in range(1, 33)),
)
_WS_CHARS = frozenset("\u0120\u010a\u0109\u010d")  # space, newline, tab, carriage return


def _assemble(vocab: dict[str, int], merges: list[tuple[str, str]], ignore_merges: bool) -> Tokenizer:
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, ignore_merges=ignore_merges))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens([EOS])
    return tok


def _model_parts(tok: Tokenizer) -> tuple[dict[str, int], list[tuple[str, str]]]:
    model = json.loads(tok.to_str())["model"]
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ", 1)) for m in model["merges"]]
    return dict(model["vocab"]), merges  # type: ignore[return-value]


def train_tokenizer(
    texts: Iterable[str], vocab_size: int = 8192, whitespace_tokens: bool = True, show_progress: bool = True
) -> Tokenizer:
    """Train on the texts; with whitespace tokens the last learned merges make room, so the size stays exact."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[EOS],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=show_progress,
    )
    tok.train_from_iterator(texts, trainer)
    vocab, merges = _model_parts(tok)
    if not whitespace_tokens:
        return _assemble(vocab, merges, ignore_merges=False)
    missing = [t for t in WHITESPACE_TOKENS if t not in vocab]
    # Drop the last (rarest) learned merges, never a whitespace token, and give their ids to the missing runs.
    dropped: set[str] = set()
    while len(dropped) < len(missing) and merges:
        a, b = merges.pop()
        if a + b not in WHITESPACE_TOKENS:
            dropped.add(a + b)
    kept = sorted((t for t in vocab if t not in dropped), key=vocab.__getitem__)
    new_vocab = {t: i for i, t in enumerate([*kept, *missing])}
    merges = [m for m in merges if m[0] + m[1] in new_vocab]
    return _assemble(new_vocab, merges, ignore_merges=True)


def without_whitespace_tokens(tok: Tokenizer) -> Tokenizer:
    """The same BPE with every multi-character whitespace token unreachable: the ablation the paper measured."""
    vocab, merges = _model_parts(tok)
    merges = [m for m in merges if not _is_ws(m[0] + m[1])]
    return _assemble(vocab, merges, ignore_merges=False)


def _is_ws(token: str) -> bool:
    return len(token) > 1 and set(token) <= _WS_CHARS


@dataclass(frozen=True)
class WhitespaceSaving:
    """Token counts on the same texts with and without the whitespace tokens."""

    chars: int
    tokens_with: int
    tokens_without: int

    @property
    def reduction(self) -> float:
        return 1.0 - self.tokens_with / self.tokens_without if self.tokens_without else 0.0


def count_tokens(tok: Tokenizer, texts: Iterable[str], batch: int = 256) -> tuple[int, int]:
    """(tokens, characters) over the texts, encoded in batches."""
    tokens = chars = 0
    buf: list[str] = []
    for text in texts:
        buf.append(text)
        chars += len(text)
        if len(buf) >= batch:
            tokens += sum(len(e.ids) for e in tok.encode_batch(buf))
            buf = []
    if buf:
        tokens += sum(len(e.ids) for e in tok.encode_batch(buf))
    return tokens, chars


def measure_whitespace_saving(
    tok: Tokenizer, texts: Iterable[str], baseline: Tokenizer | None = None
) -> WhitespaceSaving:
    """Tokens with `tok` vs `baseline` (default: `tok` without its whitespace tokens) on the same texts."""
    texts = list(texts)
    with_ws, chars = count_tokens(tok, texts)
    without, _ = count_tokens(baseline or without_whitespace_tokens(tok), texts)
    return WhitespaceSaving(chars=chars, tokens_with=with_ws, tokens_without=without)


def load_tokenizer(path: str | Path) -> Tokenizer:
    """A tokenizer.json file, or a directory holding one (ours or any Hugging Face checkpoint's)."""
    p = Path(path)
    if p.is_dir():
        p = p / "tokenizer.json"
    if not p.is_file():
        raise CodexlabError(f"{path}: no tokenizer.json")
    return Tokenizer.from_file(str(p))
