"""Where codexlab keeps what it can make again but would rather not: model files, calibrations."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """$CODEXLAB_CACHE, else $XDG_CACHE_HOME/codexlab, else ~/.cache/codexlab."""
    if os.environ.get("CODEXLAB_CACHE"):
        return Path(os.environ["CODEXLAB_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "codexlab"
