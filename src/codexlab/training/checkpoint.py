"""Checkpoints that resume exactly: weights, optimizer moments, step, data position and every RNG state.

Written to a temporary file and renamed, so an interruption while saving keeps the previous checkpoint.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import numpy as np
import torch

CKPT_FILE = "ckpt.pt"


def rng_state() -> dict[str, Any]:
    state: dict[str, Any] = {
        "torch": torch.get_rng_state(),
        "numpy": np.random.get_state(),
        "python": random.getstate(),
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict[str, Any]) -> None:
    torch.set_rng_state(state["torch"])
    np.random.set_state(state["numpy"])
    random.setstate(state["python"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def save_checkpoint(path: str | Path, payload: dict[str, Any]) -> None:
    path = Path(path)
    tmp = path.with_suffix(".tmp")
    torch.save(payload, tmp)
    os.replace(tmp, path)


def load_checkpoint(path: str | Path) -> dict[str, Any] | None:
    """The checkpoint at `path` (a run directory or file), or None when there is none yet."""
    p = Path(path)
    if p.is_dir():
        p = p / CKPT_FILE
    if not p.is_file():
        return None
    return torch.load(p, map_location="cpu", weights_only=False)  # type: ignore[no-any-return]
