"""Files fetched from their official release locations: pinned URL and sha256, written atomically, verified
before use. Standard library only (urllib), so the base install can fetch datasets."""

from __future__ import annotations

import hashlib
import os
import shutil
import urllib.error
import urllib.request
from pathlib import Path

from codexlab.errors import CodexlabError

TIMEOUT_S = 60.0


class DownloadError(CodexlabError):
    """A file could not be fetched, or what was fetched is not the pinned file."""


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def fetch_verified(url: str, dest: Path, sha256: str, what: str) -> Path:
    """`dest` if it already holds the file whose hash is `sha256`, else download `url` there and verify it.

    Nothing unverified is ever left at `dest`: the download goes to `<dest>.partial` and is renamed only once
    its hash matches; a mismatch removes it and says both hashes."""
    if dest.exists() and sha256_file(dest) == sha256:
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response, open(partial, "wb") as out:
            shutil.copyfileobj(response, out, 1 << 20)
    except (urllib.error.URLError, OSError) as exc:
        partial.unlink(missing_ok=True)
        reason = getattr(exc, "reason", None) or exc
        raise DownloadError(
            f"could not download {what} from {url} ({reason}); without network, put the file at {dest} "
            "or pass it with --problems FILE"
        ) from None
    got = sha256_file(partial)
    if got != sha256:
        partial.unlink(missing_ok=True)
        raise DownloadError(f"{what} from {url} failed verification: sha256 {got}, expected {sha256}")
    os.replace(partial, dest)
    return dest
