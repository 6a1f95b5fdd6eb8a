"""The layout docs/architecture.md promises, checked on the source: no import cycles between modules (function-
level imports included), and each pipeline stage imports only the stages before it."""

from __future__ import annotations

import ast
from pathlib import Path

import codexlab

SRC = Path(codexlab.__file__).resolve().parent.parent
# a stage may import the stages listed (and the foundation: errors, text, jsonl, paths, lazy), never later ones
# (the store, the one record of a run, sits beside the stages it records: generation and evaluation write it)
STAGE_DEPS = {
    "problems": set(),
    "execution": {"problems"},
    "store": {"problems", "execution"},
    "generation": {"problems", "store"},
    "evaluation": {"problems", "execution", "store"},
}
FOUNDATION = {
    "codexlab",
    "codexlab.errors",
    "codexlab.text",
    "codexlab.jsonl",
    "codexlab.paths",
    "codexlab.lazy",
    "codexlab.download",
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in (SRC / "codexlab").rglob("*.py"):
        name = ".".join(path.relative_to(SRC).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Modules of codexlab that `name` imports anywhere in its file (a `from pkg import sub` counts as sub)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            subs = {f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in modules}
            found |= subs if len(subs) == len(node.names) else subs | {base}
    return {m for m in found if m in modules and m != name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _cycle_from(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, if any (iterative depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in sorted(graph):
        if state.get(root):
            continue
        path, stack = [root], [iter(sorted(graph[root]))]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(graph[nxt])))
    return None


def test_no_import_cycles() -> None:
    assert _cycle_from(_graph()) is None, " -> ".join(_cycle_from(_graph()) or [])


def test_each_stage_imports_only_earlier_stages() -> None:
    bad = []
    for name, deps in _graph().items():
        stage = name.split(".")[1] if name.count(".") >= 1 else ""
        if stage not in STAGE_DEPS:
            continue
        allowed = {stage} | STAGE_DEPS[stage]
        for dep in deps:
            if dep in FOUNDATION:
                continue
            if dep.split(".")[1] not in allowed:
                bad.append(f"{name} imports {dep}")
    assert not bad, "\n".join(sorted(bad))


def test_tests_mirror_the_packages() -> None:
    """Each package under src/codexlab has its tests in the folder of the same name under tests/."""
    tests = Path(__file__).resolve().parent
    packages = {p.parent.name for p in (SRC / "codexlab").glob("*/__init__.py")}
    missing = sorted(p for p in packages if not any((tests / p).glob("test_*.py")))
    assert not missing, f"packages without tests/<package>/: {missing}"
