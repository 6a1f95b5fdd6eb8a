"""The hostile corpus: every attack in tests/execution/hostile/ is judged, never passes, leaves the host
unharmed and nothing running or allocated, and never affects the next sample in its worker; as the user
running the tests (root in CI) and, when that is root, again as an unprivileged user.

The harness itself (conventions of the attack files, the controls, the host checks) is hostile_harness.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hostile_harness import (
    HOSTILE_DIR,
    Traps,
    attacks,
    chains,
    corpus,
    descendants,
    file_state,
    humaneval_problem,
    posix_mqs,
    problems_with,
    remove_sysv,
    report,
    run_corpus,
    sysv_ipc,
    unlink_mq,
)

UNPRIVILEGED = 65534  # nobody
SRC = Path(__file__).resolve().parents[2] / "src"


def test_corpus_has_at_least_100_attacks() -> None:
    assert len(attacks()) >= 100


def test_corpus_headers_name_real_files() -> None:
    heads = chains(corpus())
    assert sum(1 for _ in heads) < len(corpus())  # some attacks come in parts


def test_hostile_corpus_never_passes_and_host_is_unharmed(tmp_path: Path) -> None:
    result = run_corpus(tmp_path)
    print(f"\nas uid {os.getuid()}:\n" + report(result))
    found = problems_with(result)
    assert not found, "\n".join(found)


def _copy_checkout(dest: Path) -> None:
    """What the unprivileged pass needs, where that user can read it (a CI clone may sit under /root)."""
    shutil.copytree(SRC / "codexlab", dest / "src" / "codexlab", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(HOSTILE_DIR, dest / "tests" / "hostile")
    shutil.copy(Path(__file__).with_name("hostile_harness.py"), dest / "tests" / "hostile_harness.py")
    for d in [dest, *dest.rglob("*")]:
        d.chmod(0o755 if d.is_dir() else 0o644)


def _interpreter_for(drop: list[str]) -> str | None:
    """This interpreter, or the same version elsewhere (a pyenv build under /root is out of the user's reach),
    that the unprivileged user can run and find again by its own path (the sandbox starts it by that path)."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [os.path.realpath(sys.executable), os.path.realpath(sys._base_executable)]
    candidates += [shutil.which(f"python{version}", path=d) or "" for d in ("/usr/bin", "/usr/local/bin", "/bin")]
    check = f"import os, sys; assert sys.version_info[:2] == {sys.version_info[:2]}; os.stat(sys.executable)"
    for python in dict.fromkeys(c for c in candidates if c):
        r = subprocess.run([*drop, python, "-I", "-c", check], capture_output=True, check=False)
        if r.returncode == 0:
            return python
    return None


def test_hostile_corpus_as_an_unprivileged_user() -> None:
    if os.geteuid() != 0:
        pytest.skip("already unprivileged: the test above is this pass")
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("setpriv (util-linux) is not installed: cannot drop to an unprivileged user")
    drop = [setpriv, f"--reuid={UNPRIVILEGED}", f"--regid={UNPRIVILEGED}", "--clear-groups", "--inh-caps=-all"]
    python = _interpreter_for(drop)
    if python is None:
        pytest.skip(f"no Python {sys.version_info.major}.{sys.version_info.minor} that uid {UNPRIVILEGED} can run")
    top = Path(tempfile.mkdtemp(prefix="codexlab-hostile-user-", dir="/tmp"))
    secret_dir = Path(f"/var/tmp/codexlab-rootsecret-{os.getpid()}")
    try:
        top.chmod(0o755)
        _copy_checkout(top)
        work = top / "work"
        work.mkdir()
        os.chown(work, UNPRIVILEGED, UNPRIVILEGED)
        (top / "humaneval.json").write_text(json.dumps(humaneval_problem()))
        # a root-owned 0600 file the unprivileged sandbox must neither read nor change
        secret_dir.mkdir(mode=0o755, exist_ok=True)
        token = f"codexlab-root-secret-{secrets.token_hex(8)}"
        secret = secret_dir / "secret.txt"
        secret.write_text(token + "\n")
        secret.chmod(0o600)
        before = file_state(str(secret))
        ipc_before, mq_before = sysv_ipc(), set(posix_mqs())
        out = work / "report.json"
        boot = (
            f"import sys; sys.path[:0] = [{str(top / 'src')!r}, {str(top / 'tests')!r}]; "
            "import hostile_harness; hostile_harness.main()"
        )
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(work),
            "LANG": "C.UTF-8",
            "CODEXLAB_HOSTILE_HUMANEVAL": str(top / "humaneval.json"),
            "CODEXLAB_HOSTILE_ROOT_SECRET": str(secret),
        }
        r = subprocess.run(
            [*drop, python, "-I", "-c", boot, str(out), str(work)],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert r.returncode == 0 and out.exists(), (
            f"the unprivileged pass failed:\n{r.stdout[-3000:]}\n{r.stderr[-6000:]}"
        )
        payload = json.loads(out.read_text())
        print(f"\nas uid {payload['uid']}:\n" + payload["report"])
        found = list(payload["problems"])
        # what only root can see: the root secret, host-wide IPC, processes
        if token in out.read_text():
            found.append("the root-owned secret reached a verdict in the unprivileged pass")
        if file_state(str(secret)) != before:
            found.append(f"the root-owned secret changed: {before} -> {file_state(str(secret))}")
        for kind, entries in sysv_ipc().items():
            for e in sorted(entries - ipc_before[kind]):
                found.append(f"SysV {kind} left behind by the unprivileged pass: {e}")
                remove_sysv(kind, e)
        for name in sorted(set(posix_mqs()) - mq_before):
            found.append(f"POSIX message queue left behind by the unprivileged pass: {name}")
            unlink_mq(name)
        found += [f"left running: pid {p}" for p in descendants(os.getpid())]
        assert payload["uid"] == UNPRIVILEGED
        assert not found, "\n".join(found)
    finally:
        shutil.rmtree(top, ignore_errors=True)
        shutil.rmtree(secret_dir, ignore_errors=True)


def test_traps_see_what_they_guard(tmp_path: Path) -> None:
    """The harness's own checks notice each kind of harm (so a clean run means something)."""
    import socket

    with Traps() as traps:
        plain = traps.victims[0]
        os.utime(plain, (0, 0))
        os.setxattr(plain, "user.codexlab-test", b"1")
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(str(traps.dir / "trap.sock"))
        Path("/tmp/codexlab-pwned-tmp").write_text("x")
        with contextlib.suppress(OSError):
            Path("/dev/shm/codexlab-carry").write_text("x")
        harm = traps.check()
        s.close()
    text = "\n".join(harm)
    assert "host file changed" in text and "xattrs" in text and "mtime_ns" in text
    assert "connected to the host listener" in text
    assert "codexlab-pwned-tmp" in text
    assert not os.path.exists("/tmp/codexlab-pwned-tmp")
