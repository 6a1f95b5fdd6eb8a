"""Exclusive use of a run directory: the flock every command that writes one holds while it does."""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from codexlab.errors import CodexlabError

if TYPE_CHECKING:
    from codexlab.store.db import RunStore

__all__ = ["LOCK_NAME", "RunDirBusy", "RunDirLock", "lock_run_dir", "store_holding_lock"]


LOCK_NAME = "run.lock"


class RunDirBusy(CodexlabError):
    """Another process holds the run directory."""


class RunDirLock:
    """Exclusive use of a run directory: an flock on `<run_dir>/run.lock`, which names the holder's pid.

    The operating system drops the lock when the holder exits, however it exits (kill -9 included), so a
    stale lock file never blocks anyone. Taking it again in the process that holds it nests (released when
    the outermost holder releases); every command that writes a run directory holds it while it does.
    Without `wait`, a held lock raises RunDirBusy naming the holder; with it, this waits for the holder.
    """

    _held: dict[str, tuple[int, int]] = {}  # lock path -> (fd, depth), for this process

    def __init__(self, run_dir: str | Path, wait: bool = False) -> None:
        self.run_dir = Path(run_dir)
        self.wait = wait
        self.path = self.run_dir / LOCK_NAME
        self._key = ""

    def acquire(self) -> RunDirLock:
        if self._key:
            return self
        self.run_dir.mkdir(parents=True, exist_ok=True)
        key = os.path.realpath(self.path)
        if key in self._held:
            fd, depth = self._held[key]
            self._held[key] = (fd, depth + 1)
            self._key = key
            return self
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = self.holder()
                who = f"process {holder}" if holder else "another process"
                if not self.wait:
                    raise RunDirBusy(
                        f"{self.run_dir} is in use by {who}; wait for it to finish (or pass --wait)"
                    ) from None
                print(f"codexlab: {self.run_dir} is in use by {who}; waiting for it (--wait)", file=sys.stderr)
                sys.stderr.flush()
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        self._held[key] = (fd, 1)
        self._key = key
        return self

    def holder(self) -> int | None:
        """The pid the holder wrote in the lock file, if it is readable and that process is alive."""
        try:
            text = self.path.read_text().strip()
        except OSError:
            return None
        if not text.isdigit():
            return None
        try:
            os.kill(int(text), 0)
        except ProcessLookupError:
            return None  # a holder that has just taken the lock has not written its pid yet
        except PermissionError:
            pass  # alive, someone else's
        return int(text)

    def release(self) -> None:
        if not self._key:
            return
        fd, depth = self._held[self._key]
        if depth > 1:
            self._held[self._key] = (fd, depth - 1)
        else:
            del self._held[self._key]
            os.close(fd)  # closing the only descriptor drops the flock
        self._key = ""

    def __enter__(self) -> RunDirLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def lock_run_dir(run_dir: str | Path, wait: bool = False) -> RunDirLock:
    """Take the run directory's lock (see RunDirLock); release it with .release() or use it as a context manager."""
    return RunDirLock(run_dir, wait).acquire()


def store_holding_lock(run_dir: str | Path, open_store: Callable[[], RunStore], wait: bool = False) -> RunStore:
    """Take the run directory's lock, then open its store with `open_store`; the store releases it on close."""
    lock = lock_run_dir(run_dir, wait)
    try:
        store = open_store()
    except BaseException:
        lock.release()
        raise
    store.hold(lock)
    return store
