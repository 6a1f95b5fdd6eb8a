"""What isolation this host allows: start one zygote, read the layers it reached and what its probe child
was stopped from doing, and say which layers are missing and why."""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass, field
from typing import Any

LAYER_INFO = {
    "userns": "user namespace (the sample's ids exist only inside it)",
    "uidmap": "unprivileged host uid for the sandbox's root (never host root: no chmod/chown of host files)",
    "caps": "every capability dropped in each sample (bounding, effective, permitted, ambient)",
    "netns": "network namespace (no interfaces: no network at all)",
    "pidns": "pid namespace per worker (sees and signals nothing outside)",
    "mountns": "mount namespace with its own /proc and a private /tmp",
    "fsview": "private read-only filesystem view: interpreter and stdlib only, no package data, home, cache, run dir",
    "noproc": "no procfs for samples (its global inode counter and host facts out of reach)",
    "ipcns": "IPC namespace per worker, per sample where seccomp cannot deny IPC (nothing shared or left behind)",
    "utsns": "UTS namespace (own hostname)",
    "cgroupns": "cgroup namespace (host cgroup paths hidden)",
    "bubblewrap": "bubblewrap around each worker, where the zygote cannot enter namespaces itself",
    "landlock": "Landlock (reads only what the view shows, writes only in scratch, no TCP, scoped signals)",
    "seccomp": "seccomp (no fork, exec, ptrace, sockets, mounts, namespaces; no chmod/chown/utime/xattrs/"
    "chattr, flock, SysV IPC, memfd; prlimit and priority only on itself; newer syscalls ENOSYS)",
    "rlimits": "rlimits (CPU, address space, file size, open files, no core)",
    "pidfd": "pidfd kill (race-free)",
}


@dataclass
class LayerReport:
    """Layers by name -> (active, detail), the probe child's attempts, and the isolation label."""

    layers: dict[str, tuple[bool, str]] = field(default_factory=dict)
    attempts: dict[str, str] = field(default_factory=dict)
    isolation: str = ""
    error: str = ""
    # what confines beyond rlimits (the executor requires one of them unless unsafe): judge.confining_layers
    confining: list[str] = field(default_factory=list)


def _summarize(name: str, value: Any, detail: str = "") -> tuple[bool, str]:
    if name == "bubblewrap" and value is None:
        return True, "not needed (namespaces entered directly)"
    more = f": {detail}" if detail else ""
    if value is True:
        return True, "active" + more
    if name == "landlock" and isinstance(value, int) and not isinstance(value, bool):
        return True, f"active (ABI {value}){more}"
    return False, str(value or "unavailable")


class _Zygote:
    """A zygote started only to read the layers it reached."""

    def __init__(self, want: dict[str, Any]) -> None:
        from codexlab.execution.sandbox import judge

        self.proc, self.sock, self.layers = judge.spawn_zygote(dict(want))

    def close(self) -> None:
        self.sock.close()  # the zygote exits on EOF
        self.proc.wait(timeout=10)


def probe_layers() -> LayerReport:
    """Start a zygote as the executor would and report; never raises."""
    if sys.platform != "linux":
        return LayerReport(error=f"{platform.system()}: the sandbox needs Linux; only the process executor runs here")
    from codexlab.execution.sandbox import judge

    want = {"namespaces": True, "landlock": True, "seccomp": True}
    try:  # as the executor launches its workers, bubblewrap fallback included
        zygote, _, bubblewrap_error = judge.launch(_Zygote, want)
    except (RuntimeError, OSError) as exc:
        return LayerReport(error=f"the zygote did not start: {exc}")
    zygote.close()
    layers = zygote.layers
    if layers.get("netns") is not True and layers.get("bubblewrap") is not True:
        layers["bubblewrap"] = f"unavailable: {bubblewrap_error or 'bwrap is not installed'}"
    report = LayerReport(isolation=judge.describe(layers), confining=judge.confining_layers(layers))
    found = layers.get("detail")
    details: dict[str, Any] = found if isinstance(found, dict) else {}
    for name in LAYER_INFO:
        report.layers[name] = _summarize(name, layers.get(name), str(details.get(name, "")))
    probe = layers.get("probe") or {}
    report.attempts = {str(k): str(v) for k, v in probe.items()}
    return report
