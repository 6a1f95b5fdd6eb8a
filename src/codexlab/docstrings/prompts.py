"""Codex-D prompt formats: the code first, then the docstring to be written.

Completion models get the paper's order (signature and body, then the docstring) as Python that a model has
seen in real code: the function, then `name.__doc__ = \"\"\"` to be continued, stopped at the closing quotes.
Chat (instruct) models get an instruction with the function in a code block; the reply's text is the
docstring (fences and quotes around it are removed). Both formats are documented in docs/curation.md.
"""

from __future__ import annotations

import ast
import re
import textwrap

from codexlab.docstrings.parts import code_without_docstring
from codexlab.problems.types import Problem

DOC_STOP = '"""'
SYSTEM_PROMPT = "You are an expert Python programmer."
INSTRUCTION = (
    "Write the docstring for the Python function `{name}` below: say what it computes from its arguments and "
    "what it returns, precisely enough that a programmer could rewrite the function from the docstring alone. "
    "Reply with the docstring text only: no code, no quotes."
)


def completion_prompt(problem: Problem) -> str:
    """Signature and body, then the opening of the docstring to be written."""
    code = code_without_docstring(problem).rstrip()
    return f'{code}\n\n\n{problem.entry_point}.__doc__ = """'


def chat_messages(problem: Problem) -> list[dict[str, str]]:
    """The conversation asking an instruct model for the docstring of the problem's function."""
    code = code_without_docstring(problem).rstrip()
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": INSTRUCTION.format(name=problem.entry_point) + f"\n\n```python\n{code}\n```"},
    ]


_FENCE = re.compile(r"```[\w+-]*\n(.*?)(?:```|\Z)", re.S)


def clean_reply(reply: str) -> str:
    """The docstring text inside a reply: without code fences, surrounding quotes, or a repeated function."""
    text = reply.strip()
    m = _FENCE.search(text)
    if m:
        inner = m.group(1)
        try:
            tree = ast.parse(textwrap.dedent(inner))
        except SyntaxError:
            tree = None
        doc = None
        if tree is not None:
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    doc = ast.get_docstring(node)
                    break
        text = doc if doc is not None else inner
    text = text.strip()
    for q in ('"""', "'''"):
        if text.startswith(q):
            text = text[3:]
        if text.endswith(q):
            text = text[:-3]
    return textwrap.dedent(text).strip()


def clean_completion(completion: str) -> str:
    """A completion-format continuation up to the closing quotes, dedented."""
    return textwrap.dedent(completion.split(DOC_STOP)[0]).strip()
