"""Chat/instruct prompting: wrap a HumanEval prompt in an instruction, and turn the reply into a completion.

Instruct models answer with prose and a fenced code block that usually repeats the whole function. The
extracted completion is what executes after the HumanEval prompt: the function's body (re-indented to the
prompt's indentation) followed by the reply's other top-level definitions and imports (helpers, constants),
without example usage or tests. The raw reply is kept as `Sample.raw_text`. The exact prompt is documented in
docs/generation.md; change it there too if you change it here, because prompt details move scores.
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from typing import Any, Protocol, runtime_checkable

from codexlab.generation.types import Generator, Sample, SamplingParams

Message = dict[str, str]

SYSTEM_PROMPT = "You are an expert Python programmer."
INSTRUCTION = (
    "Complete the following Python function. Reply with the complete function, including its signature, "
    "in a single ```python code block."
)


# MBPP's prompts state a task and one example assertion, with no function to complete: the reply is the whole
# function (EvalPlus asks for "a self-contained Python script" the same way)
WHOLE_FUNCTION_INSTRUCTION = (
    "Write a self-contained Python function that solves the following problem and passes the example test. "
    "Reply with the function and the imports it needs in a single ```python code block."
)


def asks_for_whole_function(prompt: str) -> bool:
    """Whether the prompt states a task without a function to complete (MBPP) rather than a signature and
    docstring (HumanEval)."""
    return entry_point_of(prompt) is None


def chat_messages(prompt: str) -> list[Message]:
    """The conversation sent to a chat model for one prompt (HumanEval's or MBPP's)."""
    instruction = WHOLE_FUNCTION_INSTRUCTION if asks_for_whole_function(prompt) else INSTRUCTION
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": f"{instruction}\n\n```python\n{prompt.rstrip()}\n```"},
    ]


@runtime_checkable
class ChatRenderer(Protocol):
    """A generator that can render messages with its model's own chat template into a prompt string."""

    def render_chat(self, messages: list[Message]) -> str: ...


@runtime_checkable
class ChatNative(Protocol):
    """A generator that talks to a chat endpoint directly (an OpenAI-compatible server)."""

    def generate_chat(
        self, messages: list[Message], params: SamplingParams, n: int = 1, seed: int | None = None
    ) -> Iterator[Sample]: ...


class ChatGenerator(Generator):
    """Wrap a backend so that `generate(humaneval_prompt)` asks it as a chat model and extracts the function.

    The reply is generated without the paper's stop sequences (they would cut the repeated function short):
    it ends at the model's end-of-turn token or at max_tokens.
    """

    def __init__(self, inner: Generator) -> None:
        if not isinstance(inner, ChatRenderer | ChatNative):
            raise TypeError(f"{type(inner).__name__} has no chat template support")
        self.inner = inner
        self.model_id = f"{inner.model_id}+chat"
        self.problem_concurrency = inner.problem_concurrency

    @property
    def tokens_generated(self) -> int:
        return int(getattr(self.inner, "tokens_generated", 0))

    def generate(self, prompt: str, params: SamplingParams, n: int = 1, seed: int | None = None) -> Iterator[Sample]:
        messages = chat_messages(prompt)
        reply_params = replace(params, stop=())
        if isinstance(self.inner, ChatNative):
            replies = self.inner.generate_chat(messages, reply_params, n=n, seed=seed)
        else:
            assert isinstance(self.inner, ChatRenderer)
            replies = self.inner.generate(self.inner.render_chat(messages), reply_params, n=n, seed=seed)
        for s in replies:
            reply = s.raw_text if s.raw_text is not None else s.completion
            yield Sample(
                completion=extract_completion(reply, prompt),
                tokens=s.tokens,
                logprobs=s.logprobs,
                finish_reason=s.finish_reason,
                raw_text=reply,
            )

    def close(self) -> None:
        self.inner.close()


# ---------------------------------------------------------------- extraction

_FENCE = re.compile(r"^[ \t]*```[ \t]*([\w+-]*)[^\n]*\n(.*?)(?:^[ \t]*```|\Z)", re.S | re.M)
_DEF = re.compile(r"^def\s+([A-Za-z_]\w*)\s*\(", re.M)


def entry_point_of(prompt: str) -> str | None:
    """The function a HumanEval prompt asks for: its last top-level `def`."""
    names = _DEF.findall(prompt)
    return names[-1] if names else None


def _body_indent(prompt: str) -> str:
    """Indentation of the prompt function's body (taken from its docstring), normally four spaces."""
    tail = prompt[prompt.rfind("\ndef ") + 1 :] if "\ndef " in prompt else prompt
    for line in tail.splitlines()[1:]:
        if line.strip():
            return line[: len(line) - len(line.lstrip())] or "    "
    return "    "


def code_blocks(reply: str) -> list[str]:
    """Fenced code blocks in order (an unterminated last block, cut by max_tokens, counts), Python first."""
    blocks = [(lang.lower(), code) for lang, code in _FENCE.findall(reply)]
    python = [c for lang, c in blocks if lang in ("python", "py", "python3", "")]
    return python + [c for lang, c in blocks if lang not in ("python", "py", "python3", "")]


def _parse_prefix(code: str) -> tuple[ast.Module, list[str]] | None:
    """Parse `code`, dropping trailing lines until it parses (a reply cut by max_tokens)."""
    lines = code.splitlines()
    for end in range(len(lines), max(0, len(lines) - 40), -1):
        try:
            return ast.parse("\n".join(lines[:end]) + "\n"), lines[:end]
        except SyntaxError:
            continue
    return None


def _prompt_names(prompt: str) -> set[str]:
    return set(_DEF.findall(prompt))


def _is_kept_toplevel(node: ast.stmt, prompt_defs: set[str], entry: str) -> bool:
    """Definitions and imports the function may need; not tests, prints, or example calls."""
    if isinstance(node, ast.Import | ast.ImportFrom):
        return True
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name not in prompt_defs and node.name != entry
    if isinstance(node, ast.Assign | ast.AnnAssign):
        return not any(isinstance(n, ast.Call) for n in ast.walk(node))
    return False


def _first_line(node: ast.stmt) -> int:
    """A statement's first line, counting its decorators."""
    decorators = getattr(node, "decorator_list", None) or []
    return min([node.lineno, *(d.lineno for d in decorators)])


def _from_module(tree: ast.Module, lines: list[str], entry: str, prompt: str) -> str | None:
    prompt_defs = _prompt_names(prompt) - {entry}
    target = next(
        (n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == entry), None
    )
    if target is None:
        return None
    indent = _body_indent(prompt)
    body_nodes = target.body
    # the prompt already holds the docstring; drop a repeated one
    if (
        len(body_nodes) > 1
        and isinstance(body_nodes[0], ast.Expr)
        and isinstance(body_nodes[0].value, ast.Constant)
        and isinstance(body_nodes[0].value.value, str)
    ):
        body_nodes = body_nodes[1:]
    start = _first_line(body_nodes[0]) - 1
    end = target.end_lineno or len(lines)
    body = textwrap.indent(textwrap.dedent("\n".join(lines[start:end])), indent) + "\n"
    extras = [
        "\n".join(lines[_first_line(n) - 1 : n.end_lineno])
        for n in tree.body
        if n is not target and _is_kept_toplevel(n, prompt_defs, entry)
    ]
    return body + ("\n\n" + "\n\n".join(extras) + "\n" if extras else "")


def _looks_like_body(code: str) -> str | None:
    """A block that is only the function's body (indented or not): return it dedented if it parses."""
    text = textwrap.dedent(code).strip("\n")
    if not text or _DEF.search(text):
        return None
    try:
        ast.parse(text)
    except SyntaxError:
        return None
    return text


def _whole_program(tree: ast.Module, lines: list[str]) -> str:
    """The module's imports, functions, classes and constant assignments, in order: no tests, prints or calls."""
    kept = ["\n".join(lines[_first_line(n) - 1 : n.end_lineno]) for n in tree.body if _is_kept_toplevel(n, set(), "")]
    return "\n\n".join(kept) + "\n" if kept else ""


def sanitize_program(reply: str) -> str:
    """The code of a reply that answers with a whole function (MBPP, in chat or completion mode): from the first
    fenced block, else the reply itself, that parses (its cut-off tail dropped) into at least one definition, the
    definitions and imports, without example usage. Nothing found: the reply as it is."""
    for code in [*code_blocks(reply), reply]:  # the reply itself last: code then prose, or a stray fence
        parsed = _parse_prefix(textwrap.dedent(code))
        if parsed is not None:
            program = _whole_program(*parsed)
            if _DEF.search(program) or "class " in program:
                return program
    return reply


def extract_completion(reply: str, prompt: str, entry_point: str | None = None) -> str:
    """Turn a chat reply into a completion that runs after `prompt` (see the module docstring)."""
    if entry_point is None and asks_for_whole_function(prompt):
        return sanitize_program(reply)
    entry = entry_point or entry_point_of(prompt)
    candidates = code_blocks(reply) or [reply]
    if entry is not None:
        for code in candidates:
            parsed = _parse_prefix(textwrap.dedent(code))
            if parsed is not None:
                found = _from_module(parsed[0], parsed[1], entry, prompt)
                if found is not None:
                    return found
        # unparsable reply: take the lines of `def entry(` up to the next top-level line
        for code in candidates:
            m = re.search(rf"^def\s+{re.escape(entry)}\s*\(.*?(?::[ \t]*\n)", code, re.S | re.M)
            if m:
                rest = code[m.end() :].splitlines()
                kept: list[str] = []
                for line in rest:
                    if line.strip() and not line[:1].isspace():
                        break
                    kept.append(line)
                text = textwrap.dedent("\n".join(kept)).strip("\n")
                return textwrap.indent(text, _body_indent(prompt)) + "\n"
    body = next((b for b in map(_looks_like_body, candidates) if b is not None), None)
    if body is not None:
        return textwrap.indent(body, _body_indent(prompt)) + "\n"
    return textwrap.indent(textwrap.dedent(candidates[0]).strip("\n"), _body_indent(prompt)) + "\n"


def chat_generator(inner: Generator) -> ChatGenerator:
    """Wrap `inner` for chat prompting (raises TypeError when the backend has no chat template)."""
    return ChatGenerator(inner)


__all__: list[Any] = [
    "INSTRUCTION",
    "SYSTEM_PROMPT",
    "WHOLE_FUNCTION_INSTRUCTION",
    "asks_for_whole_function",
    "ChatGenerator",
    "chat_generator",
    "chat_messages",
    "code_blocks",
    "entry_point_of",
    "extract_completion",
    "sanitize_program",
]
