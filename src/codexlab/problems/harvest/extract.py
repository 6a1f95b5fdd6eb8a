"""Turn a traced function into a self-contained problem: prompt, canonical solution, tests, or a reason not to.

The prompt is the function's signature and docstring, preceded by what its body needs from its module:
imports of installed modules, literal constants, compiled regexes and the source of helper functions
from the traced project (resolved recursively). Anything else it reads makes it non-self-contained.
"""

from __future__ import annotations

import ast
import builtins
import dis
import importlib
import inspect
import math
import re
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import CodeType, FunctionType, ModuleType
from typing import Any

from codexlab.problems.harvest.literals import literal_source
from codexlab.problems.harvest.tracer import FunctionTrace

CO_FUTURE_ANNOTATIONS = 0x1000000
MAX_HELPERS = 8
MAX_TESTS = 10


class Dropped(Exception):
    """A function that cannot become a problem; the message is the counted reason."""


@dataclass
class Pieces:
    """What a problem is built from; the harvester adds the task_id and verifies the solution."""

    name: str
    prompt: str
    solution: str
    test: str


def _global_names(code: CodeType) -> Iterator[tuple[str, str]]:
    """(opname, name) of every global read or write in the code and the code nested in it."""
    for ins in dis.get_instructions(code):
        if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME", "STORE_GLOBAL", "DELETE_GLOBAL"):
            yield ins.opname, str(ins.argval)
    for const in code.co_consts:
        if isinstance(const, CodeType):
            yield from _global_names(const)


def _def_node(fn: FunctionType) -> tuple[list[str], ast.FunctionDef]:
    try:
        source = textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError):
        raise Dropped("source not available") from None
    tree = ast.parse(source)
    node = tree.body[0] if tree.body else None
    if isinstance(node, ast.AsyncFunctionDef):
        raise Dropped("async function")
    if not isinstance(node, ast.FunctionDef) or node.name != fn.__name__:
        raise Dropped("source not available")
    if node.decorator_list:
        raise Dropped("decorated")
    return source.splitlines(), node


def _signature_names(node: ast.FunctionDef, future_annotations: bool) -> set[str]:
    """Names the `def` line evaluates when it runs: defaults, and annotations unless postponed."""
    parts: list[ast.AST] = [d for d in node.args.defaults + node.args.kw_defaults if d is not None]
    if not future_annotations:
        args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        args += [a for a in (node.args.vararg, node.args.kwarg) if a is not None]
        parts += [a.annotation for a in args if a.annotation is not None]
        if node.returns is not None:
            parts.append(node.returns)
    return {n.id for p in parts for n in ast.walk(p) if isinstance(n, ast.Name)}


@dataclass(frozen=True)
class Scope:
    """Where code lives: `in_project(file)` for traced sources (inlined as helpers), `importable(file)` for
    modules the executor's fresh `python -I` can import (standard library, installed packages)."""

    in_project: Callable[[str], bool]
    importable: Callable[[str], bool]

    def module_importable(self, module: ModuleType | str) -> bool:
        mod = sys.modules.get(module) if isinstance(module, str) else module
        if mod is None or mod.__name__ == "__main__":
            return False
        path = getattr(mod, "__file__", None)
        return path is None or self.importable(path)


class Resolver:
    """Collects the preamble a function's body needs, across helpers from the traced project."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.bound: dict[str, Any] = {}
        self.imports: set[str] = set()
        self.constants: list[str] = []
        self.helpers: list[str] = []
        self.aliases: list[str] = []
        self.future_annotations = False

    def preamble(self, entry_point: str) -> str:
        """Imports, constants, helpers and aliases of helpers, in an order that runs."""
        head = ["from __future__ import annotations\n"] if self.future_annotations else []
        aliases = [a for a in self.aliases if not a.endswith(f" = {entry_point}")]
        blocks = ["\n".join(sorted(self.imports)), "\n".join(self.constants), *self.helpers, "\n".join(aliases)]
        body = "\n\n\n".join(b.rstrip("\n") for b in blocks if b)
        return "".join(head) + (body + "\n\n\n" if body else "")

    def _bind(self, name: str, value: Any) -> bool:
        """Record that `name` means `value`; False when already bound (nothing to add)."""
        if name in self.bound:
            if self.bound[name] is not value and self.bound[name] != value:
                raise Dropped(f"name {name!r} means different things in different modules")
            return False
        self.bound[name] = value
        return True

    def function(self, fn: FunctionType, node: ast.FunctionDef) -> None:
        """Resolve the globals one function reads (body, defaults and annotations)."""
        if fn.__code__.co_flags & CO_FUTURE_ANNOTATIONS:
            self.future_annotations = True
        names: list[str] = []
        for op, name in _global_names(fn.__code__):
            if op in ("STORE_GLOBAL", "DELETE_GLOBAL"):
                raise Dropped("writes a global variable")
            names.append(name)
        names += sorted(_signature_names(node, bool(fn.__code__.co_flags & CO_FUTURE_ANNOTATIONS)))
        for name in dict.fromkeys(names):
            self.name(name, fn.__globals__)

    def name(self, name: str, module_globals: dict[str, Any]) -> None:
        if name not in module_globals:
            if hasattr(builtins, name):
                return
            raise Dropped(f"reads an undefined global ({name})")
        value = module_globals[name]
        if not self._bind(name, value):
            return
        if isinstance(value, ModuleType):
            if not self.scope.module_importable(value):
                raise Dropped("uses a module that is not importable outside the project")
            self.imports.add(
                f"import {value.__name__}" if value.__name__ == name else f"import {value.__name__} as {name}"
            )
        elif isinstance(value, FunctionType) and self.scope.in_project(value.__code__.co_filename):
            self._helper(name, value)
        elif isinstance(value, re.Pattern):
            self.imports.add("import re")
            self.constants.append(f"{name} = re.compile({value.pattern!r}, {int(value.flags)})")
        elif isinstance(value, float) and not math.isfinite(value):
            self.constants.append(f"{name} = float({str(value)!r})")
        elif (src := literal_source(value)) is not None:
            self.constants.append(f"{name} = {src}")
        else:
            self._imported(name, value)

    def _helper(self, name: str, fn: FunctionType) -> None:
        if fn.__qualname__ != fn.__name__:
            raise Dropped(f"calls a nested function or method of the project ({name})")
        if fn.__name__ != name:  # `bitcount = python_bitcount`: define it under its own name, then alias
            if fn.__globals__.get(fn.__name__) is not fn:
                raise Dropped(f"calls a project function not reachable by its own name ({name})")
            self.name(fn.__name__, fn.__globals__)
            self.aliases.append(f"{name} = {fn.__name__}")
            return
        if len(self.helpers) >= MAX_HELPERS:
            raise Dropped(f"needs more than {MAX_HELPERS} helper functions")
        lines, node = _def_node(fn)
        self.function(fn, node)
        self.helpers.append("\n".join(lines[: node.end_lineno]) + "\n")

    def _imported(self, name: str, value: Any) -> None:
        """Classes, functions and objects defined in an importable module, under their own name there."""
        module = getattr(value, "__module__", None)
        qual = getattr(value, "__qualname__", None)
        if not isinstance(module, str) or not isinstance(qual, str) or "." in qual:
            raise Dropped(f"reads a global that is not a literal ({name}: {type(value).__name__})")
        if not self.scope.module_importable(module):
            raise Dropped(f"uses a class or object that is not importable outside the project ({name})")
        try:
            found = getattr(importlib.import_module(module), qual, None)
        except ImportError:
            found = None
        if found is not value:
            raise Dropped(f"reads a global that is not a literal ({name}: {type(value).__name__})")
        self.imports.add(f"from {module} import {qual}" + (f" as {name}" if qual != name else ""))


def function_object(trace: FunctionTrace) -> FunctionType:
    """The module-level function a traced code object belongs to, reached by its name as a test would."""
    code = trace.code
    if "<locals>" in code.co_qualname:
        raise Dropped("nested function")
    if "." in code.co_qualname:
        raise Dropped("method")
    if code.co_name.startswith("<"):
        raise Dropped("not a function (module, class body or lambda)")
    fn = trace.module_globals.get(code.co_name)
    if not isinstance(fn, FunctionType) or fn.__code__ is not code:
        raise Dropped("not reachable by its name (decorated or rebound)")
    return fn


def split_function(fn: FunctionType) -> tuple[str, str, ast.FunctionDef]:
    """(signature and docstring, body after the docstring) of a function's source."""
    lines, node = _def_node(fn)
    if ast.get_docstring(node) is None:
        raise Dropped("no docstring")
    doc = node.body[0]
    if len(node.body) < 2:
        raise Dropped("empty body")
    assert doc.end_lineno is not None and node.end_lineno is not None
    if node.body[1].lineno <= doc.end_lineno:
        raise Dropped("code on the docstring's line")
    prompt = "\n".join(lines[: doc.end_lineno]) + "\n"
    solution = "\n".join(lines[doc.end_lineno : node.end_lineno]) + "\n"
    return prompt, solution, node


def extract(trace: FunctionTrace, scope: Scope, replay: Callable[[FunctionType, FunctionTrace], int]) -> Pieces:
    """Build the problem pieces for one traced function, or raise Dropped with the first reason that applies.

    `replay` calls the recorded calls again and drops those that raise or give another result.
    """
    fn = function_object(trace)
    if trace.impure:
        raise Dropped(f"impure: {trace.impure.most_common(1)[0][0]}")
    if any(op in ("STORE_GLOBAL", "DELETE_GLOBAL") for op, _ in _global_names(fn.__code__)):
        raise Dropped("impure: writes a global variable")
    if trace.conflicting:
        raise Dropped("nondeterministic: same arguments, different results")
    if not trace.recorded:
        if trace.nonliteral_args >= trace.nonliteral_result:
            raise Dropped("no call with literal arguments")
        raise Dropped("no call with a literal result")
    if replay(fn, trace) and not trace.recorded:
        raise Dropped("every recorded call raised or changed its result when replayed")
    head, body, node = split_function(fn)
    resolver = Resolver(scope)
    resolver.bound[fn.__name__] = fn
    resolver.function(fn, node)
    calls = list(trace.recorded.values())[:MAX_TESTS]
    asserts = "".join(f"    assert {c.call_source('candidate')} == {c.result}\n" for c in calls)
    # an alias of the function itself (a helper calls it by another name) can only follow its definition
    own_aliases = "".join(f"{a}\n" for a in resolver.aliases if a.endswith(f" = {fn.__name__}"))
    test = (own_aliases + "\n\n" if own_aliases else "") + "def check(candidate):\n" + asserts
    return Pieces(fn.__name__, resolver.preamble(fn.__name__) + head, body, test)
