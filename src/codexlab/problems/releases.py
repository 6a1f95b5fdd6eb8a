"""The EvalPlus releases (HumanEval+ v0.1.10, MBPP+ v0.2.0), pinned by URL and sha256 and cached under the
user's cache directory. `fetch_release("humaneval+")` returns the verified file, downloading it once.

EvalPlus itself downloads the same assets; its own evaluator reads a local copy through HUMANEVAL_OVERRIDE_PATH
and MBPP_OVERRIDE_PATH. The files are Apache-2.0 (EvalPlus)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from codexlab.download import fetch_verified
from codexlab.errors import InputError
from codexlab.paths import cache_root


@dataclass(frozen=True)
class Release:
    """One released problem file: where it is published and the hash it must have."""

    name: str
    filename: str
    url: str
    sha256: str
    problems: int
    license: str = "Apache-2.0 (EvalPlus)"


_HE = "https://github.com/evalplus/humanevalplus_release/releases/download/v0.1.10"
_MBPP = "https://github.com/evalplus/mbppplus_release/releases/download/v0.2.0"
RELEASES = {
    r.name: r
    for r in (
        Release(
            "humaneval+",
            "HumanEvalPlus-v0.1.10.jsonl.gz",
            f"{_HE}/HumanEvalPlus.jsonl.gz",
            "272720b90ac375502c8ed23cd791c2a93dfb22a911641a494da74a426c09f101",
            164,
        ),
        Release(
            "humaneval+mini",
            "HumanEvalPlus-Mini-v0.1.10.jsonl.gz",
            f"{_HE}/HumanEvalPlus-Mini.jsonl.gz",
            "91486741f1627101021fbe50523df08eebb5b0bf5e804b633dcd5ca3c14dbd2f",
            164,
        ),
        Release(
            "mbpp+",
            "MbppPlus-v0.2.0.jsonl.gz",
            f"{_MBPP}/MbppPlus.jsonl.gz",
            "af43697e8791c4c149bdfd6b489d8b5412507551ac20e28a439f650b8225db63",
            378,
        ),
    )
}


def release_dir() -> Path:
    """`datasets/` under codexlab's cache root (see codexlab.paths)."""
    return cache_root() / "datasets"


def fetch_release(name: str, url: str | None = None) -> Path:
    """The verified release file `name` (a key of RELEASES), downloaded into `release_dir()` on first use.
    `url` fetches the same pinned file from elsewhere (a mirror)."""
    if name not in RELEASES:
        raise InputError(name, f"unknown release; choose one of {', '.join(RELEASES)}")
    r = RELEASES[name]
    return fetch_verified(url or r.url, release_dir() / r.filename, r.sha256, f"{r.name} ({r.filename})")
