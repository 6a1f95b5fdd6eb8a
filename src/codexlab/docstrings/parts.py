"""Split a HumanEval prompt around its entry point's docstring, and put a different docstring in its place."""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass

from codexlab.problems.types import Problem


@dataclass(frozen=True)
class PromptParts:
    """The prompt's text before the docstring (imports, signature), the docstring, and the text after it."""

    before: str
    docstring: str
    after: str
    indent: str

    def with_docstring(self, docstring: str) -> str:
        """The prompt with `docstring` (plain text) in place of the original, as a triple-quoted block."""
        text = docstring.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
        body = "".join(f"{self.indent}{line}\n" if line.strip() else "\n" for line in text.splitlines())
        return f'{self.before}{self.indent}"""\n{body}{self.indent}"""\n{self.after}'


def split_prompt(problem: Problem) -> PromptParts:
    """Locate the entry point's docstring; ValueError if the prompt has none (or it shares the def's line)."""
    tree = ast.parse(problem.prompt)
    funcs = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == problem.entry_point
    ]
    if not funcs:
        raise ValueError(f"{problem.task_id}: no function {problem.entry_point!r} in the prompt")
    fn = funcs[-1]
    # the first string statement: usually the body's first, but some prompts put an import before it
    strings = [
        s
        for s in fn.body
        if isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) and isinstance(s.value.value, str)
    ]
    if not strings:
        raise ValueError(f"{problem.task_id}: {problem.entry_point!r} has no docstring")
    first = strings[0]
    assert isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)
    if first.lineno == fn.lineno or first.end_lineno is None:
        raise ValueError(f"{problem.task_id}: docstring on the def's own line")
    lines = problem.prompt.splitlines(keepends=True)
    doc_line = lines[first.lineno - 1]
    indent = doc_line[: len(doc_line) - len(doc_line.lstrip())]
    return PromptParts(
        before="".join(lines[: first.lineno - 1]),
        docstring=inspect.cleandoc(first.value.value),
        after="".join(lines[first.end_lineno :]),
        indent=indent,
    )


def code_without_docstring(problem: Problem) -> str:
    """The function as Codex-D sees it: the prompt minus the docstring, then the canonical body."""
    parts = split_prompt(problem)
    return parts.before + parts.after + problem.canonical_solution
