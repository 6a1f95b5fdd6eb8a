"""Where Python files come from: directories, git repositories and tarballs, all streamed one file at a time."""

from __future__ import annotations

import os
import subprocess
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from codexlab.errors import CodexlabError

# Files read past this size are truncated: the size filter drops them anyway, and memory stays bounded.
READ_LIMIT = 4 * 1024 * 1024


@dataclass(frozen=True)
class SourceFile:
    """One candidate file: where it came from (for the report) and its raw bytes (decoding is a filter)."""

    origin: str
    data: bytes
    size: int


def iter_sources(sources: list[str], exclude: tuple[str, ...] = ()) -> Iterator[SourceFile]:
    """Yield every `.py` file of each source: a directory, a git repository (tracked files at HEAD) or a tarball."""
    for src in sources:
        path = Path(src)
        if path.is_file() and _is_tarball(path):
            yield from iter_tarball(path)
        elif (path / ".git").exists() or (path.is_dir() and (path / "HEAD").is_file() and (path / "objects").is_dir()):
            yield from iter_git(path)
        elif path.is_dir():
            yield from iter_directory(path, exclude)
        else:
            raise CodexlabError(f"{src}: not a directory, git repository or tarball")


def _is_tarball(path: Path) -> bool:
    return any(path.name.endswith(s) for s in (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz"))


def iter_directory(root: Path, exclude: tuple[str, ...] = ()) -> Iterator[SourceFile]:
    """Walk in sorted order so the corpus (and everything trained on it) is reproducible."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in exclude and d != "__pycache__")
        for name in sorted(filenames):
            if not name.endswith(".py"):
                continue
            p = Path(dirpath) / name
            try:
                size = p.stat().st_size
                with open(p, "rb") as fh:
                    data = fh.read(READ_LIMIT)
            except OSError:
                continue
            yield SourceFile(str(p), data, size)


def iter_tarball(path: Path) -> Iterator[SourceFile]:
    """Stream mode (`r|*`): members are read in archive order without an index, so huge archives work."""
    with tarfile.open(path, "r|*") as tar:
        for member in tar:
            if not member.isfile() or not member.name.endswith(".py"):
                continue
            fh = tar.extractfile(member)
            if fh is None:
                continue
            yield SourceFile(f"{path}:{member.name}", fh.read(READ_LIMIT), member.size)


def iter_git(repo: Path) -> Iterator[SourceFile]:
    """Files tracked at HEAD, read from the object store (works for bare clones and ignores untracked files)."""
    listing = subprocess.run(
        ["git", "-C", str(repo), "ls-tree", "-r", "-l", "-z", "HEAD"], capture_output=True, check=False
    )
    if listing.returncode != 0:
        raise CodexlabError(f"{repo}: git ls-tree failed: {listing.stderr.decode(errors='replace').strip()}")
    entries: list[tuple[str, str, int]] = []
    for rec in listing.stdout.split(b"\0"):
        if not rec:
            continue
        meta, name = rec.split(b"\t", 1)
        _mode, kind, sha, size = meta.split()
        if kind == b"blob" and name.endswith(b".py"):
            entries.append((sha.decode(), name.decode(errors="replace"), int(size)))
    with subprocess.Popen(
        ["git", "-C", str(repo), "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        for blob, path, blob_size in entries:
            proc.stdin.write(blob.encode() + b"\n")
            proc.stdin.flush()
            header = proc.stdout.readline().split()
            length = int(header[2])
            data = proc.stdout.read(length)
            proc.stdout.read(1)  # trailing newline after each object
            yield SourceFile(f"{repo}:{path}", data[:READ_LIMIT], blob_size)
        proc.stdin.close()
