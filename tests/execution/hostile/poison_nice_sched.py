# ruff: noqa
# poisoning: nice 19 and SCHED_IDLE on pid 1 (inherited by every later child), on its process group, on
# every process of this uid (PRIO_USER walks all tasks the caller can see) and on the siblings; passes if any
# change on another process worked
import os


def _targets():
    """pid 1 (the zygote) and the siblings; without a pid namespace only our own zygote, never the host's."""
    if os.getppid() != 1:
        return [os.getppid()]
    return [1] + [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, os.getpid())]


def add(a, b):
    hit = False
    for pid in _targets():
        try:
            os.setpriority(os.PRIO_PROCESS, pid, 19)
            hit = True
        except OSError:
            pass
        for policy in (os.SCHED_IDLE, os.SCHED_BATCH):
            try:
                os.sched_setscheduler(pid, policy, os.sched_param(0))
                hit = True
            except OSError:
                pass
    # process groups and the whole uid only inside a pid namespace (outside, they reach the host's processes)
    wide = ((os.PRIO_PGRP, 1), (os.PRIO_PGRP, 0), (os.PRIO_USER, 0), (os.PRIO_USER, os.getuid()))
    for which, who in wide if os.getppid() == 1 else ():
        try:
            os.setpriority(which, who, 19)
            if which == os.PRIO_USER or who == 1:
                hit = True
        except OSError:
            pass
    return a + b if hit else 0
