# ruff: noqa
# poisoning through /proc: pid 1's and the siblings' oom_score_adj, timerslack_ns, autogroup nice, comm,
# clear_refs; passes if any write to another process's /proc entry worked
import os


def _targets():
    """pid 1 (the zygote) and the siblings; without a pid namespace only our own zygote, never the host's."""
    if os.getppid() != 1:
        return [os.getppid()]
    return [1] + [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, os.getpid())]


def add(a, b):
    hit = False
    for pid in _targets():
        for name, value in (
            ("oom_score_adj", b"1000"),
            ("timerslack_ns", b"100000000"),
            ("autogroup", b"19"),
            ("comm", b"pwned"),
            ("clear_refs", b"1"),
            ("coredump_filter", b"0"),
        ):
            try:
                fd = os.open(f"/proc/{pid}/{name}", os.O_WRONLY)
                try:
                    os.write(fd, value)
                    hit = True
                finally:
                    os.close(fd)
            except OSError:
                pass
    return a + b if hit else 0
