"""Tokenizer round-trip, one token per indent, the whitespace saving, and the shards written with it."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer

from codexlab.data.shards import TokenShards, is_validation
from codexlab.tokenizer.bpe import EOS, measure_whitespace_saving, train_tokenizer

TRICKY = [
    "def f(x):\n    return x  # ünïcödé ✓ 中文\n",
    "\tmixed\ttabs\r\n    and CRLF\r\n",
    "x = 1" + " " * 70 + "# a run longer than 32 spaces\n",
    "\n\n\n        deep\n" + " " * 40 + "deeper\n",
    "emoji 🐍 and \x00 control \x7f bytes",
    "",
]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    base = Path(sysconfig.get_paths()["stdlib"]) / "json"
    return [p.read_text() for p in sorted(base.glob("*.py"))]


@pytest.fixture(scope="module")
def tok(texts: list[str]) -> Tokenizer:
    return train_tokenizer(texts, vocab_size=400, show_progress=False)


def test_round_trip(tok: Tokenizer, texts: list[str]) -> None:
    for text in [*TRICKY, *texts]:
        assert tok.decode(tok.encode(text).ids, skip_special_tokens=False) == text


def test_exact_vocab_size_and_eos(tok: Tokenizer) -> None:
    vocab = tok.get_vocab()
    assert len(vocab) == 400
    assert sorted(vocab.values()) == list(range(400))
    assert tok.token_to_id(EOS) == 0


def test_every_indent_is_one_token(tok: Tokenizer) -> None:
    # As in GPT-2, the last space of a run joins the next word (" pass"); the rest of the indent is one token.
    for depth in (2, 4, 8, 12, 16, 20, 24, 28, 33):
        enc = tok.encode("pass\n" + " " * depth + "pass")
        assert "\u010a" + "\u0120" * (depth - 1) in enc.tokens, (depth, enc.tokens)


def test_whitespace_tokens_save_tokens(tok: Tokenizer, texts: list[str]) -> None:
    saving = measure_whitespace_saving(tok, texts)
    assert saving.tokens_with < saving.tokens_without
    assert saving.reduction > 0.1


def test_shards_are_packed_and_split(shard_dir: Path) -> None:
    shards = TokenShards(shard_dir)
    train, val = shards.split("train"), shards.split("val")
    assert train.dtype == np.uint16 and len(train) == shards.meta.train_tokens
    assert len(val) == shards.meta.val_tokens > 0
    assert int(train[-1]) == shards.meta.eos_id  # every document ends with EOS
    tok = Tokenizer.from_file(str(shard_dir / "tokenizer.json"))
    docs = np.split(np.asarray(train), np.flatnonzero(np.asarray(train) == shards.meta.eos_id)[:-1] + 1)
    first = tok.decode([int(t) for t in docs[0][:-1]])
    assert not is_validation(first, 0.15)
