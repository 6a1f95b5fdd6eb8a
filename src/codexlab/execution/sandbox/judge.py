"""The trusted judge: one process per worker. It holds the tests, runs `check(candidate)` itself with a
`candidate` that forwards each call to the sample's sandboxed child, and turns what happened into a Verdict.

The judge runs the prompt too (trusted, from the dataset) so the tests' helpers (HumanEval/32's `poly`,
/38's `encode_cyclic`) are the dataset's, not whatever the completion redefined. Only the entry point is
the sample's. Runs as `python -I` with jobs on stdin and verdicts on stdout, both as JSON frames.
"""

from __future__ import annotations

import builtins
import json
import os
import select
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from codexlab.execution.assertion import assertion_detail, exception_status
from codexlab.execution.outcome import ended_without_verdict
from codexlab.execution.sandbox import codec, wire
from codexlab.execution.sandbox.layers import Layers, active
from codexlab.execution.types import Status, Verdict

MAX_MESSAGE_BYTES = 16 << 20
PIPELINE_BYTES = 32 << 10  # unanswered requests in flight (a pipe holds 64 KiB)
MAX_LOAD_EXTENSION = 4.0  # a wall-clock limit may stretch to 1 + this times itself under CPU contention
TRACEBACK_CHARS = 4000
RECENT_PROBLEMS = 4  # problems whose executed tests a judge keeps
READ_SLACK_S = 0.5  # once an answer has begun to arrive: time to read it, beyond its size at the rate below
READ_BYTES_PER_S = 50e6


class Stop(BaseException):
    """Ends the tests with a verdict; a BaseException so `except Exception` in a test cannot swallow it."""

    def __init__(self, status: Status, detail: str, traceback: str = "") -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.traceback = traceback


class _Late(Exception):
    """One call's own time limit passed (see Channel.call_each)."""


class NotCarried:
    """What the test sees when the entry point returned a value that cannot cross the sandbox (a regex match, an
    object of the sample's own class): something, not None and truthy, equal to nothing. MBPP's not-None tasks
    only ask whether a match came back; every comparison with an expected value fails, as it should."""

    __slots__ = ("why",)

    def __init__(self, why: str) -> None:
        self.why = why

    def __eq__(self, other: object) -> bool:
        return False

    def __ne__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"<a value the sandbox cannot carry: {self.why}>"


class SampleError(Exception):
    """An exception raised inside the sample whose type is not a built-in one the test could catch."""


@dataclass
class JudgedProblem:
    """The judge's compiled copy of one problem. Its prompt and tests run once per worker, not once per sample
    (EvalPlus's tests parse up to hundreds of MB of inputs and expected outputs), and only the entry point the
    tests see changes from one sample to the next: the tests are the dataset's code, which keeps no state."""

    prompt: str
    test: str
    entry_point: str
    prompt_code: Any
    test_code: Any
    namespace: dict[str, Any] | None = None  # the executed prompt and tests, while recently used
    run_tests: Any = None  # their `check`, taken before any entry point named `check` replaces it (Mbpp/56)

    def tests(self) -> tuple[dict[str, Any], Any]:
        """The namespace the tests run in and their `check`, executed on first use."""
        if self.namespace is None:
            env: dict[str, Any] = {"__name__": "__judge__"}
            exec(self.prompt_code, env)
            exec(self.test_code, env)
            self.namespace, self.run_tests = env, env["check"]
        return self.namespace, self.run_tests

    def forget(self) -> None:
        self.namespace = self.run_tests = None


def _compile_problem(d: dict[str, str]) -> JudgedProblem:
    try:
        prompt_code = compile(d["prompt"], "<prompt>", "exec")
    except SyntaxError:
        prompt_code = compile(d["prompt"] + "    pass\n", "<prompt>", "exec")
    return JudgedProblem(d["prompt"], d["test"], d["entry_point"], prompt_code, compile(d["test"], "<test>", "exec"))


class Channel:
    """The judge's side of one sample: request/response pipes, capped output, deadline, pidfd."""

    def __init__(self, fds: list[int], start: float, limit_s: float, output_cap: int) -> None:
        self.out_r, self.resp_r, self.req_w, self.pidfd = fds
        os.set_blocking(self.req_w, False)  # see _send
        self.deadline = start + limit_s
        # time the sample spent runnable but waiting for a CPU is not charged to it, up to this much
        self.latest = start + limit_s * (1 + MAX_LOAD_EXTENSION)
        self.host_pid = _pid_of(self.pidfd)
        # credited: run-queue wait of the sample's process and of this judge (whose test code and
        # message handling are on the sample's clock too) since the sample started
        self.credited_wait = self._waited()
        self.output_cap = output_cap
        self.output = bytearray()
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.out_r, selectors.EVENT_READ)
        self.sel.register(self.resp_r, selectors.EVENT_READ)
        self.pending = bytearray()
        self.out_open = True
        self.calls = 0

    def receive(self, until: float | None = None) -> tuple[Any, ...]:
        """The child's next message, parsed."""
        return self._parse(self.next_body(until))

    def next_body(self, until: float | None = None) -> bytes:
        """The child's next message as sent, reading its output alongside; Stop on timeout, flood or exit,
        _Late once `until` (a single call's deadline) has passed. What is already in the pipe is read before
        lateness is judged, and once an answer has begun to arrive its reading gets READ_SLACK_S plus its
        announced size at READ_BYTES_PER_S (reading a large answer is the judge's time, not the sample's; a
        sample that sends a header and then stalls is late all the same)."""
        polled = False
        while True:
            if len(self.pending) >= 4:
                (n,) = wire.HEADER.unpack(self.pending[:4])
                if n > MAX_MESSAGE_BYTES:
                    raise Stop(Status.KILLED, f"result larger than {MAX_MESSAGE_BYTES} bytes")
                if len(self.pending) >= 4 + n:
                    body = bytes(self.pending[4 : 4 + n])
                    del self.pending[: 4 + n]
                    return body
            now = time.monotonic()
            left = self.deadline - now
            if left <= 0 and not self._extend_for_load():
                raise Stop(Status.TIMEOUT, "time limit reached")
            if until is not None:
                due = until
                if self.pending:
                    announced = wire.HEADER.unpack(self.pending[:4])[0] if len(self.pending) >= 4 else 0
                    due += READ_SLACK_S + announced / READ_BYTES_PER_S
                if due <= now:
                    if not polled:  # an answer may be waiting in the pipe, unread
                        polled = True
                        self._read_ready(0)
                        continue
                    raise _Late
                left = min(left, due - now)
            self._read_ready(max(left, 0.001))

    def _read_ready(self, timeout: float) -> None:
        """Read what the child's pipes hold, waiting up to `timeout` for something."""
        for key, _ in self.sel.select(timeout):
            fd = int(key.fd)  # type: ignore[arg-type]
            chunk = os.read(fd, 1 << 20)
            if fd == self.out_r:
                if not chunk:
                    self.sel.unregister(fd)
                    self.out_open = False
                    continue
                self.output += chunk
                if len(self.output) > self.output_cap:
                    raise Stop(Status.KILLED, f"output limit of {self.output_cap} bytes exceeded")
            elif not chunk:
                raise Stop(Status.ERROR, "the sample's process ended without answering")
            else:
                self.pending += chunk

    def _waited(self) -> float:
        return _run_queue_wait(self.host_pid) + _run_queue_wait("self")

    def _extend_for_load(self) -> bool:
        """Move the deadline by the sample's new run-queue wait (a loaded machine is not the sample's fault);
        False when there is none to credit or the cap is reached."""
        wait = self._waited()
        extra = wait - self.credited_wait
        if extra <= 0.001 or self.deadline >= self.latest:
            return False
        self.credited_wait = wait
        self.deadline = min(self.latest, self.deadline + extra)
        return True

    @staticmethod
    def _parse(body: bytes) -> tuple[Any, ...]:
        try:
            msg = codec.loads(body)
        except (ValueError, MemoryError, RecursionError, TypeError):
            raise Stop(Status.ERROR, "malformed message from the sample") from None
        if type(msg) is not list or not msg or type(msg[0]) is not str:
            raise Stop(Status.ERROR, "malformed message from the sample")
        return tuple(msg)

    def _send(self, payload: bytes) -> None:
        """Write one request within the sample's time: a sample that answered early and went on running, never
        reading its request pipe again, must not hang the judge on a full pipe."""
        data = memoryview(wire.HEADER.pack(len(payload)) + payload)
        while data:
            try:
                data = data[os.write(self.req_w, data) :]
            except BlockingIOError:
                pass
            except BrokenPipeError:
                raise Stop(Status.ERROR, "the sample's process ended without answering") from None
            if data:
                left = self.deadline - time.monotonic()
                if left <= 0 and not self._extend_for_load():
                    raise Stop(Status.TIMEOUT, "time limit reached (the sample stopped reading its calls)")
                select.select([], [self.req_w], [], max(left, 0.001))

    def _request(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bytes:
        try:
            return codec.encode((args, kwargs)).encode()
        except codec.NotPlain as exc:
            raise Stop(Status.ERROR, f"the test passed a value the sandbox cannot carry: {exc}") from None

    def _result(self, msg: tuple[Any, ...]) -> Any:
        """The value of one answer, or the sample's exception raised."""
        self.calls += 1
        kind = msg[0]
        if kind == "ok" and len(msg) == 2:
            try:
                return codec.from_tree(msg[1])
            except (ValueError, TypeError, IndexError, RecursionError, MemoryError):
                raise Stop(Status.ERROR, "malformed result from the sample") from None
        if kind == "bad":
            return NotCarried(_text(msg[1], 200) if len(msg) > 1 else "")
        if kind == "exc" and len(msg) == 4:
            raise _rebuild(msg[1], msg[2], msg[3])
        raise Stop(Status.ERROR, f"unexpected message from the sample: {_text(kind, 50)}")

    def call(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        self._send(self._request(args, kwargs))
        return self._result(self.receive())

    def _answer_within(self, index: int, started: float, waited: float, limit_s: float) -> bytes:
        """The answer to call `index`, which began at `started` when the run-queue wait stood at `waited`,
        within its own time limit (wall clock, with the run-queue wait of the sample and this judge since the
        call began credited, as for the whole sample)."""
        until = started + limit_s
        while True:
            try:
                return self.next_body(until)
            except _Late:
                now_waited = self._waited()
                if now_waited - waited <= 0.001 or until >= started + limit_s * (1 + MAX_LOAD_EXTENSION):
                    raise Stop(Status.TIMEOUT, f"input {index}: time limit of {limit_s:.1f} s reached") from None
                until, waited = until + (now_waited - waited), now_waited

    def call_each(
        self,
        arg_lists: Iterable[Sequence[Any]],
        limits_s: Sequence[float] | None = None,
        expected: Sequence[Any] | None = None,
    ) -> Iterator[Any]:
        """The results of calling the entry point on each argument list in turn, pipelined: requests go out
        ahead of the answers (at most PIPELINE_BYTES of them unanswered, less than a pipe holds, so writing
        one never waits on a child that is itself waiting to write an answer). The child still runs the calls
        one at a time, in order; a test that stops at a failing result leaves the rest unanswered. With
        `limits_s`, call i must answer within limits_s[i] seconds of the answer before it (EvalPlus's
        per-input limits), else the sample times out there. With `expected`, an answer byte for byte the encoding
        of expected[i] (the same value, of the same types) is expected[i] itself, not decoded: HumanEval+ returns
        up to 11 MiB per call."""
        requests = iter(arg_lists)
        unanswered: deque[int] = deque()
        in_flight = 0
        held: bytes | None = None  # the next request, waiting for room
        started: float | None = None  # when the call now running began, and the run-queue wait then
        waited = 0.0
        while True:
            while True:
                if held is None:
                    args = next(requests, None)
                    if args is None:
                        break
                    held = self._request(tuple(args), {})
                if unanswered and in_flight + len(held) > PIPELINE_BYTES:
                    break
                self._send(held)
                unanswered.append(len(held))
                in_flight += len(held)
                held = None
                if started is None:  # the first call begins once its request is in the child's pipe
                    started, waited = time.monotonic(), self._waited()
            if not unanswered:
                return
            in_flight -= unanswered.popleft()
            index = self.calls
            if limits_s is None or index >= len(limits_s) or started is None:
                body = self.next_body()
            else:
                body = self._answer_within(index, started, waited, limits_s[index])
            # the child goes on to the next call as soon as it has answered; what this judge then spends
            # decoding the answer and running the test's comparisons is on that call's clock, its run-queue
            # wait credited from here
            started, waited = time.monotonic(), self._waited()
            if expected is not None and index < len(expected) and body == _expected_answer(expected, index):
                self.calls += 1
                yield expected[index]
            else:
                yield self._result(self._parse(body))

    def kill(self) -> None:
        try:
            signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
        except (ProcessLookupError, OSError):
            pass
        self.sel.close()
        for fd in (self.out_r, self.resp_r, self.req_w, self.pidfd):
            os.close(fd)


# the answers an honest sample sends for each expected output, per list of expected outputs (a test's, held
# while its problem's tests are: see Judge._hold_tests), computed on first use
_ANSWERS: dict[int, tuple[Sequence[Any], list[bytes | None]]] = {}


def _expected_answer(expected: Sequence[Any], index: int) -> bytes | None:
    """The message an honest child sends when its result is expected[index]; None where comparing bytes would
    not be comparing values (a NaN, equal to nothing, not even itself) or the value cannot be encoded."""
    held = _ANSWERS.get(id(expected))
    if held is None or held[0] is not expected:
        while len(_ANSWERS) >= RECENT_PROBLEMS * 2:
            del _ANSWERS[next(iter(_ANSWERS))]
        held = _ANSWERS[id(expected)] = (expected, [b""] * len(expected))
    answers = held[1]
    if answers[index] == b"":
        try:
            wire_form: bytes | None = codec.dumps(["ok", codec.to_tree(expected[index])])
        except (codec.NotPlain, ValueError, RecursionError):
            wire_form = None
        if wire_form is not None and b"NaN" in wire_form:
            wire_form = None
        answers[index] = wire_form
    return answers[index]


def _pid_of(pidfd: int) -> int | None:
    """The process's pid as this judge sees it (the child lives in the zygote's pid namespace)."""
    try:
        with open(f"/proc/self/fdinfo/{pidfd}") as f:
            for line in f:
                if line.startswith("Pid:"):
                    pid = int(line.split()[1])
                    return pid if pid > 0 else None
    except (OSError, ValueError):
        pass
    return None


def _run_queue_wait(pid: int | str | None) -> float:
    """Seconds the process has spent runnable but waiting for a CPU (/proc/<pid>/schedstat), 0 if unknown."""
    if pid is None:
        return 0.0
    try:
        with open(f"/proc/{pid}/schedstat") as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return 0.0


_NOT_REBUILT = (SystemExit, KeyboardInterrupt, GeneratorExit, StopIteration, StopAsyncIteration)


def _text(x: Any, limit: int) -> str:
    """A string the sample sent, cut to `limit` characters (anything but a string is not rendered: a huge
    nested value would cost the judge time to print)."""
    return x[:limit] if type(x) is str else f"<{type(x).__name__}>"


def _rebuild(name: Any, msg: Any, tb: Any) -> BaseException:
    """The sample's exception, as a built-in the test may catch; its own classes become SampleError."""
    name, msg = _text(name, 100), _text(msg, 300)
    cls = getattr(builtins, name, None)
    exc: BaseException
    if isinstance(cls, type) and issubclass(cls, Exception) and not issubclass(cls, _NOT_REBUILT):
        try:
            exc = cls(msg)
        except Exception:  # noqa: BLE001 - e.g. UnicodeDecodeError needs five arguments
            exc = SampleError(f"{name}: {msg}")
    else:
        exc = SampleError(f"{name}: {msg}" if msg else name)
    exc.codexlab_sample_traceback = tb[-TRACEBACK_CHARS:] if type(tb) is str else ""  # type: ignore[attr-defined]
    exc.codexlab_sample_name = name  # type: ignore[attr-defined]
    return exc


def _assert_detail(exc: AssertionError, test: str) -> str:
    if getattr(exc, "codexlab_sample_name", None):
        return f"AssertionError raised by the sample: {str(exc)[:200]}".rstrip(": ")
    return assertion_detail(exc, test, "<test>")


class Judge:
    """Runs jobs one at a time against its own zygote."""

    def __init__(self, want: dict[str, bool]) -> None:
        self.problems: dict[str, JudgedProblem] = {}
        self.recent: deque[str] = deque()  # problems whose tests are held executed, most recent last
        self.zygote, self.sock, self.layers = spawn_zygote(want)
        self.isolation = describe(self.layers)
        # how the last job's sandbox failed, if it did: "setup" (before the sample ran: the child reported
        # it could not set itself up, or the zygote gave no process) or "crash" (the zygote broke afterwards)
        self.failure: str | None = None
        # the next child's fds, handed over by the zygote with the end of the previous sample (pre-fork)
        self.next_child: list[int] | None = None

    def close(self) -> None:
        """Close the socket (the zygote exits on EOF) and reap it, so its CPU time is accounted."""
        for fd in self.next_child or []:
            os.close(fd)
        self.next_child = None
        self.sock.close()
        try:
            self.zygote.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.zygote.kill()
            self.zygote.wait()

    def run(self, job: dict[str, Any]) -> Verdict:
        self.failure = "setup"  # until the sample's process is handed over
        problem = self.problems[job["problem_key"]]
        limits = job["limits"]
        mode = job["mode"]
        if mode == "judge":
            self._hold_tests(job["problem_key"], problem)
        isolation = self.isolation + (":judge" if mode == "judge" else ":inproc-forgeable")
        if mode == "judge":
            src = problem.prompt + job["completion"]
        else:
            src = f"{problem.prompt}{job['completion']}\n\n{problem.test}\n\ncheck({problem.entry_point})\n"
        child_limits = {
            "cpu_rlimit": limits["cpu_rlimit"],
            "memory_bytes": limits["memory_bytes"],
            "file_size_bytes": limits["file_size_bytes"],
            "open_files": limits["open_files"],
            "cpu_timer_s": limits.get("cpu_time_s"),
        }
        start = time.monotonic()
        request = {"src": src, "entry_point": problem.entry_point, "mode": mode, "limits": child_limits}
        fds = self._start_child(json.dumps(request).encode())
        # the sample's clock starts once its process has its job (the zygote's own latency is not its fault)
        chan = Channel(fds, time.monotonic(), float(limits["timeout_s"]), int(limits["output_bytes"]))
        self.failure = None
        try:
            status, detail, tb = self._judge(chan, problem, mode)
        finally:
            chan.kill()
        failure, self.failure = self.failure, "crash"
        end = json.loads(wire.recv_frame(self.sock.fileno()))
        if end.get("next"):
            _, nfds, _, _ = socket.recv_fds(self.sock, 16, 4)
            self.next_child = nfds if len(nfds) == 4 else None
        self.failure = failure
        duration = time.monotonic() - start
        status, detail = _refine(status, detail, end["status"], bytes(chan.output))
        return Verdict(status, detail, duration, tb, end.get("maxrss_kb"), isolation)

    def _hold_tests(self, key: str, problem: JudgedProblem) -> None:
        """Execute the problem's tests now, before the sample's clock starts, keeping those of the last
        RECENT_PROBLEMS problems (samples of one problem mostly come together). A test that fails to load is
        left to fail again on the sample's clock, where it becomes the verdict."""
        if key in self.recent:
            self.recent.remove(key)
        self.recent.append(key)
        while len(self.recent) > RECENT_PROBLEMS:
            self.problems[self.recent.popleft()].forget()
        try:
            problem.tests()
        except BaseException:  # noqa: BLE001, S110 - raised again, as the verdict, in _judge
            pass

    def _start_child(self, request: bytes) -> list[int]:
        """A locked-down child running this job: its fds. The job goes straight into the child's own request
        pipe, so no sample's code ever sits in the zygote's memory (and so in a later sample's, forked from
        it). The child the zygote handed over with the previous sample's end gets it at once ("run": the
        zygote then only waits for it); without one, the zygote forks one first ("fork")."""
        fds, self.next_child = self.next_child, None
        if fds is not None:
            try:
                wire.send_frame(fds[2], request)
                wire.send_frame(self.sock.fileno(), b'{"run": 1}')
                return fds
            except BrokenPipeError:  # it is gone: ask for a fresh one (the zygote drops the old one)
                for fd in fds:
                    os.close(fd)
        wire.send_frame(self.sock.fileno(), b'{"fork": 1}')
        _, fds, _, _ = socket.recv_fds(self.sock, 16, 4)
        if len(fds) != 4:
            raise RuntimeError("the zygote sent no descriptors")
        try:
            wire.send_frame(fds[2], request)
        except BrokenPipeError:
            for fd in fds:
                os.close(fd)
            raise RuntimeError("the sample's process ended before its job") from None
        return fds

    def _judge(self, chan: Channel, problem: JudgedProblem, mode: str) -> tuple[Status, str, str]:
        try:
            first = chan.receive()
            if first[0] == "setup_error":  # sent by the zygote's code before the sample's could run
                self.failure = "setup"
                return Status.ERROR, f"sandbox setup failed: {_text(first[1], 300) if len(first) > 1 else ''}", ""
            if first[0] != "started":
                return Status.ERROR, "malformed message from the sandbox", ""
            first = chan.receive()
            kind = first[0]
            if kind == "syntax_error":
                return Status.SYNTAX_ERROR, _text(first[1], 500) if len(first) > 1 else "", ""
            if kind == "load_error" and len(first) == 4:
                name, msg, tb = _text(first[1], 100), _text(first[2], 300), _text(first[3], 1 << 20)
                if mode == "inproc" and name == "AssertionError":
                    return Status.FAILED, f"AssertionError: {msg}".rstrip(": "), tb[-TRACEBACK_CHARS:]
                return _status_for_name(name), f"{name}: {msg}".rstrip(": "), tb[-TRACEBACK_CHARS:]
            if mode == "inproc":
                return (Status.PASSED, "", "") if kind == "passed" else (Status.ERROR, "malformed message", "")
            if kind != "ready":
                return Status.ERROR, "malformed message from the sample", ""
            env, run_tests = problem.tests()

            def candidate(*args: Any, **kwargs: Any) -> Any:
                return chan.call(args, kwargs)

            # tests that know all their inputs up front (EvalPlus's) call through this, pipelined
            candidate.codexlab_call_each = chan.call_each  # type: ignore[attr-defined]

            env[problem.entry_point] = candidate
            run_tests(candidate)
            if chan.calls == 0:
                return Status.ERROR, "the tests never called the entry point", ""
            return Status.PASSED, "", ""
        except Stop as stop:
            return stop.status, stop.detail, stop.traceback
        except AssertionError as exc:
            tb = getattr(exc, "codexlab_sample_traceback", "") or traceback.format_exc(limit=-6)
            return Status.FAILED, _assert_detail(exc, problem.test), tb[-TRACEBACK_CHARS:]
        except BaseException as exc:  # noqa: BLE001 - whatever the tests raised is the verdict
            name = getattr(exc, "codexlab_sample_name", None) or type(exc).__name__
            tb = getattr(exc, "codexlab_sample_traceback", "") or traceback.format_exc(limit=-6)
            msg = str(exc)[:300]
            detail = msg if isinstance(exc, SampleError) else f"{name}: {msg}".rstrip(": ")
            return _status_for_name(name), detail, tb[-TRACEBACK_CHARS:]


def _status_for_name(name: str) -> Status:
    return Status(exception_status(name))


def _refine(status: Status, detail: str, waitstatus: int, output: bytes) -> tuple[Status, str]:
    """Use the child's end: SIGXCPU is a CPU timeout, SIGKILL from the address-space limit an OOM."""
    if status is Status.PASSED:
        return status, detail
    if not detail.startswith("the sample's process ended"):
        return status, detail
    if os.WIFSIGNALED(waitstatus):
        return ended_without_verdict(os.WTERMSIG(waitstatus), None, output)
    if os.WIFEXITED(waitstatus):
        return ended_without_verdict(None, os.WEXITSTATUS(waitstatus), output)
    return status, detail


def confining_layers(layers: Layers) -> list[str]:
    """The layers a worker reached that confine a sample beyond rlimits: namespaces (its own or bubblewrap's),
    Landlock, seccomp. The sandbox refuses to run without one of them unless told it is unsafe."""
    strong = []
    if layers.get("netns") is True or layers.get("bubblewrap") is True:
        strong.append("namespaces")
    if active(layers, "landlock"):
        strong.append("landlock")
    if layers.get("seccomp") is True:
        strong.append("seccomp")
    return strong


def wants_bubblewrap(layers: Layers, want: dict[str, Any]) -> bool:
    """Whether to start the zygotes inside bubblewrap: they could not enter namespaces themselves, namespaces
    were asked for, bubblewrap was neither forced nor forbidden, and `bwrap` is installed."""
    return (
        layers.get("netns") is not True
        and bool(want.get("namespaces"))
        and "bubblewrap" not in want
        and shutil.which("bwrap") is not None
    )


class _Worker(Protocol):
    layers: Layers

    def close(self) -> None: ...


W = TypeVar("W", bound=_Worker)


def launch(start: Callable[[dict[str, Any]], W], want: dict[str, Any]) -> tuple[W, dict[str, Any], str | None]:
    """The one launcher of sandbox workers: `start(want)`, and where that worker could not enter namespaces and
    bubblewrap would (`wants_bubblewrap`), a second one inside bubblewrap, kept in its place. Returns the worker,
    the `want` it was started with (what later workers must be started with) and why bubblewrap failed, if
    it was tried and did."""
    first = start(want)
    if not wants_bubblewrap(first.layers, want):
        return first, want, None
    wrapped_want = {**want, "bubblewrap": True}
    try:
        wrapped = start(wrapped_want)
    except (RuntimeError, OSError) as exc:
        return first, want, str(exc)
    first.close()
    return wrapped, wrapped_want, None


def describe(layers: Layers) -> str:
    """A short isolation label such as 'sandbox:ns+landlock7+seccomp+rlimits'."""
    parts = []
    if layers.get("bubblewrap") is True:
        parts.append("bwrap")
    if all(layers.get(k) is True for k in ("userns", "netns", "pidns", "mountns")):
        parts.append("ns")
    elif layers.get("netns") is True:
        parts.append("userns+netns")
    if layers.get("fsview") is True:
        parts.append("view")
    if active(layers, "landlock"):
        parts.append(f"landlock{layers['landlock']}")
    if layers.get("seccomp") is True:
        parts.append("seccomp")
    parts.append("rlimits")
    return "sandbox:" + "+".join(parts)


def _bootstrap(call: str) -> list[str]:
    """A `python -I` command that imports codexlab from wherever this copy lives."""
    return [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {_code_root()!r}); {call}"]


def bubblewrap_prefix() -> list[str]:
    """bwrap around the zygote: new user, network, pid, ipc, uts and cgroup namespaces, no capabilities, and
    the same private read-only view the zygote builds itself where it can (`fsview`: the interpreter, the
    standard library, the sandbox's modules, no package data, home, cache or run directory), with bubblewrap's
    own /proc, /dev and /tmp. For hosts where the zygote cannot unshare by itself but bubblewrap can (it may
    be setuid, or allowed user namespaces by an AppArmor profile, as on Ubuntu 24.04)."""
    from codexlab.execution.sandbox import fsview

    exe = shutil.which("bwrap")
    if exe is None:
        raise RuntimeError("bubblewrap (bwrap) is not installed")
    cmd = [exe, "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
    return cmd + fsview.bubblewrap_args(fsview.plan(interpreter=True)) + ["--"]


def _code_root() -> str:
    """The folder that holds the codexlab package this process imported."""
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def spawn_zygote(want: dict[str, bool]) -> tuple[subprocess.Popen[bytes], socket.socket, Layers]:
    """Start a fresh zygote interpreter (inside bubblewrap when want["bubblewrap"]) and read its layers."""
    mine, theirs = socket.socketpair()
    from codexlab.execution.sandbox.zygote import boot_code

    cmd = [sys.executable, "-I", "-c", boot_code(_code_root())]
    if want.get("bubblewrap"):
        cmd = bubblewrap_prefix() + cmd
    proc = subprocess.Popen(
        cmd + [str(theirs.fileno()), json.dumps(want)],
        pass_fds=[theirs.fileno()],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )
    theirs.close()
    try:
        hello = json.loads(wire.recv_frame(mine.fileno()))
    except EOFError:
        proc.kill()
        proc.wait()
        mine.close()
        raise RuntimeError("the sandbox zygote failed to start") from None
    layers = hello["layers"]
    if want.get("bubblewrap"):
        layers["bubblewrap"] = True
    return proc, mine, layers


def spawn_command() -> list[str]:
    return _bootstrap("from codexlab.execution.sandbox.judge import main; main()")


def main() -> None:
    """Judge process loop: a hello with the layers, then one verdict per job, until stdin closes."""
    from codexlab.execution.sandbox import lowlevel

    lowlevel.set_pdeathsig(signal.SIGKILL)
    want = json.loads(sys.argv[1])
    inp, out = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)  # a print() in a test must not corrupt the verdict stream
    judge = Judge(want)
    wire.send_frame(out, json.dumps({"layers": judge.layers, "isolation": judge.isolation}).encode())
    while True:
        try:
            job = json.loads(wire.recv_frame(inp))
        except EOFError:
            judge.close()
            return
        if "problem" in job:
            judge.problems[job["problem_key"]] = _compile_problem(job["problem"])
        try:
            verdict = judge.run(job)
        except Exception as exc:  # noqa: BLE001 - a broken zygote: report it, the pool restarts this judge
            verdict = Verdict(Status.ERROR, f"sandbox failure: {type(exc).__name__}: {exc}", isolation=judge.isolation)
            reply = {"id": job["id"], "verdict": verdict.to_dict(), "fatal": True, "failure": judge.failure or "crash"}
            wire.send_frame(out, json.dumps(reply).encode())
            return
        reply = {"id": job["id"], "verdict": verdict.to_dict()}
        if judge.failure:
            reply["failure"] = judge.failure
        wire.send_frame(out, json.dumps(reply).encode())
