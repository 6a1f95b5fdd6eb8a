"""Record calls of chosen functions (arguments and results as literals) and anything impure they do.

Uses `sys.setprofile`: it sees every Python call and return and every call of a builtin (`c_call`), which
is where I/O, clocks and randomness show up. A side effect anywhere below a traced call taints every
traced call on the stack, since each of them caused it. Detection is best effort; the harvester replays
calls and finally runs every problem through an executor, so what slips through here is still caught.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from types import CodeType, FrameType
from typing import Any

from codexlab.problems.harvest.literals import literal_source

CO_OPTIMIZED, CO_VARARGS, CO_VARKEYWORDS = 0x01, 0x04, 0x08
CO_GENERATOR_LIKE = 0x20 | 0x80 | 0x100 | 0x200  # generator, coroutine, iterable coroutine, async generator

# Modules whose every function has effects beyond its result: I/O, processes, clocks, randomness.
IMPURE_MODULES = frozenset(
    {
        "os",
        "posix",
        "nt",
        "io",
        "_io",
        "socket",
        "_socket",
        "ssl",
        "select",
        "selectors",
        "subprocess",
        "_posixsubprocess",
        "signal",
        "shutil",
        "tempfile",
        "pathlib",
        "glob",
        "time",
        "random",
        "_random",
        "secrets",
        "uuid",
        "_uuid",
        "threading",
        "multiprocessing",
        "asyncio",
        "logging",
        "urllib.request",
        "http.client",
        "http.server",
        "sqlite3",
        "_sqlite3",
        "getpass",
        "webbrowser",
        "warnings",
        "_warnings",
    }
)
IMPURE_BUILTINS = frozenset(
    {
        "print",
        "input",
        "open",
        "exec",
        "eval",
        "setattr",
        "delattr",
        "breakpoint",
        "globals",
        "locals",
        "vars",
        "id",
        "hash",
        "__import__",
    }
)
PURE_SYS = frozenset(
    {"getrecursionlimit", "getsizeof", "intern", "getdefaultencoding", "getfilesystemencoding", "_getframe"}
)
IMPURE_DATETIME = frozenset({"now", "today", "utcnow", "fromtimestamp", "utcfromtimestamp"})
PURE_IO_TYPES = frozenset({"StringIO", "BytesIO"})
# Pure functions that live in otherwise impure modules (path and bytes conversions, not system calls).
PURE_CALLS = frozenset(
    {
        "posix.fspath",
        "nt.fspath",
        "os.fspath",
        "os.fsencode",
        "os.fsdecode",
        "os._fspath",
        "os._get_exports_list",
        "asyncio.coroutines.iscoroutinefunction",
        "asyncio.coroutines._is_coroutine",
    }
)


def _module_of(fn: Any) -> tuple[str, str]:
    """(module, name) of a builtin function or method, for deciding whether calling it is a side effect."""
    name = getattr(fn, "__name__", "?")
    owner = getattr(fn, "__self__", None)
    module = getattr(fn, "__module__", None)
    if module is None and owner is not None:
        if type(owner).__name__ == "module":
            module = owner.__name__
        else:
            kind = owner if isinstance(owner, type) else type(owner)
            if kind.__name__ in PURE_IO_TYPES:
                return "", name
            module = kind.__module__
    return module or "", name


def impure_builtin(fn: Any) -> str | None:
    """Why calling this builtin is impure, or None."""
    module, name = _module_of(fn)
    top = module.split(".")[0]
    if module == "builtins":
        return f"calls {name}()" if name in IMPURE_BUILTINS else None
    if top == "sys":
        return None if name in PURE_SYS else f"calls sys.{name}()"
    if top == "datetime":
        return f"calls datetime.{name}()" if name in IMPURE_DATETIME else None
    if impure_module(module) and f"{module}.{name}" not in PURE_CALLS:
        return f"calls {module}.{name}()"
    return None


def impure_module(module: str) -> bool:
    """Whether `module` or a package containing it is in IMPURE_MODULES."""
    parts = module.split(".")
    return any(".".join(parts[:i]) in IMPURE_MODULES for i in range(1, len(parts) + 1))


@dataclass
class Call:
    """One recorded call: source text of the arguments and of the result."""

    args: str
    kwargs: dict[str, str]
    result: str

    def call_source(self, name: str) -> str:
        parts = [self.args[1:-1].rstrip(",")] if self.args != "()" else []
        parts += [f"{k}={v}" for k, v in self.kwargs.items()]
        return f"{name}({', '.join(p for p in parts if p)})"


@dataclass
class FunctionTrace:
    """Everything seen about one traced function during the test run."""

    code: CodeType
    module_globals: dict[str, Any]
    calls: int = 0
    impure: Counter[str] = field(default_factory=Counter)
    nonliteral_args: int = 0
    nonliteral_result: int = 0
    recorded: dict[str, Call] = field(default_factory=dict)  # keyed by the call's argument source
    conflicting: int = 0  # same arguments, different results

    @property
    def qualname(self) -> str:
        return self.code.co_qualname


@dataclass
class _Active:
    frame: FrameType
    trace: FunctionTrace
    args: tuple[Any, ...] | None  # the argument objects, to detect mutation at return
    args_src: tuple[str, dict[str, str], list[str]] | None
    tainted: str | None = None


def _bound_arguments(frame: FrameType) -> tuple[list[Any], dict[str, Any]] | None:
    """The call's arguments as positional and keyword values, rebuilt from the frame's parameters."""
    code, local = frame.f_code, frame.f_locals
    names = code.co_varnames
    n, k = code.co_argcount, code.co_kwonlyargcount
    try:
        pos = [local[nm] for nm in names[:n]]
        kw = {nm: local[nm] for nm in names[n : n + k]}
        i = n + k
        if code.co_flags & CO_VARARGS:
            pos += list(local[names[i]])
            i += 1
        if code.co_flags & CO_VARKEYWORDS:
            extra = local[names[i]]
            if not all(isinstance(key, str) and key.isidentifier() for key in extra):
                return None
            kw.update(extra)
    except KeyError:
        return None
    return pos, kw


def _is_function(code: CodeType) -> bool:
    """A def'd function: not a module or class body (no CO_OPTIMIZED), not a lambda or comprehension."""
    return bool(code.co_flags & CO_OPTIMIZED) and not code.co_name.startswith("<")


class CallTracer:
    """Profile hook recording calls of functions whose file `wanted(filename)` accepts."""

    def __init__(self, wanted: Callable[[str], bool], max_calls: int = 20) -> None:
        self.wanted = wanted
        self.max_calls = max_calls
        self.functions: dict[CodeType, FunctionTrace] = {}
        self.generators: dict[CodeType, str] = {}
        self._decided: dict[CodeType, bool] = {}
        self._stack: list[_Active] = []

    def __enter__(self) -> CallTracer:
        # the running thread only: one call stack, and a test's own threads are rarely about pure functions
        sys.setprofile(self._hook)
        return self

    def __exit__(self, *exc: object) -> None:
        sys.setprofile(None)
        self._stack.clear()

    def _taint(self, why: str) -> None:
        for active in self._stack:
            if active.tainted is None:
                active.tainted = why

    def _hook(self, frame: FrameType, event: str, arg: Any) -> None:
        if event == "call":
            code = frame.f_code
            tracked = self._decided.get(code)
            if tracked is None:
                tracked = self._decided[code] = _is_function(code) and self.wanted(code.co_filename)
            if tracked:
                self._enter(frame)
            elif self._stack and impure_module(module := str(frame.f_globals.get("__name__", ""))):
                if f"{module}.{code.co_name}" not in PURE_CALLS:
                    self._taint(f"calls {module}.{code.co_name}()")
        elif event == "return":
            if self._stack and self._stack[-1].frame is frame:
                self._exit(self._stack.pop(), arg)
        elif event == "c_call" and self._stack:
            why = impure_builtin(arg)
            if why:
                self._taint(why)

    def _enter(self, frame: FrameType) -> None:
        code = frame.f_code
        if code.co_flags & CO_GENERATOR_LIKE:
            self.generators[code] = str(frame.f_globals.get("__name__", "?"))
            return
        trace = self.functions.get(code)
        if trace is None:
            trace = self.functions[code] = FunctionTrace(code, frame.f_globals)
        trace.calls += 1
        args: tuple[Any, ...] | None = None
        src: tuple[str, dict[str, str], list[str]] | None = None
        if len(trace.recorded) < self.max_calls:
            bound = _bound_arguments(frame)
            pos_src = literal_source(tuple(bound[0])) if bound else None
            kw_src = {k: literal_source(v) for k, v in bound[1].items()} if bound else {}
            if bound is None or pos_src is None or any(v is None for v in kw_src.values()):
                trace.nonliteral_args += 1
            else:
                args = (*bound[0], *bound[1].values())
                src = (pos_src, {k: v for k, v in kw_src.items() if v is not None}, [repr(a) for a in args])
        self._stack.append(_Active(frame, trace, args, src))

    def _exit(self, active: _Active, result: Any) -> None:
        trace = active.trace
        if active.tainted is None and active.args is not None and active.args_src is not None:
            if [repr(a) for a in active.args] != active.args_src[2]:
                active.tainted = "mutates its arguments"
        if active.tainted is not None:
            trace.impure[active.tainted] += 1
            if self._stack:
                self._taint(active.tainted)  # callers caused the same effect
            return
        if active.args_src is None:
            return
        result_src = literal_source(result)
        if result_src is None:
            trace.nonliteral_result += 1
            return
        pos_src, kw_src, _ = active.args_src
        key = pos_src + repr(sorted(kw_src.items()))
        old = trace.recorded.get(key)
        if old is None:
            trace.recorded[key] = Call(pos_src, kw_src, result_src)
        elif old.result != result_src:
            trace.conflicting += 1
