"""A small real corpus (the standard library's json and email packages), its tokenizer and shards, built once."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

from codexlab.data.corpus import build_corpus, read_texts
from codexlab.data.shards import write_shards
from codexlab.tokenizer.bpe import train_tokenizer


@pytest.fixture(scope="session")
def shard_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shards")
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    build_corpus([str(stdlib / "json"), str(stdlib / "email")], root / "corpus", progress=False)
    tok = train_tokenizer(read_texts(root / "corpus"), vocab_size=512, show_progress=False)
    data = root / "data"
    write_shards(read_texts(root / "corpus"), tok, data, val_fraction=0.15, progress=False)
    tok.save(str(data / "tokenizer.json"))
    return data
