"""APPS-style competitive-programming problems as HumanEval-format problems judged on stdin/stdout.

Input: JSONL with APPS's fields: `question`, `input_output` (JSON text or object with `inputs`, `outputs` and
optional `fn_name`), optional `starter_code`, `solutions` (JSON list of programs) and `problem_id`.

Standard-input problems become a function `main()` whose docstring is the statement; the completion is
its body, a whole program indented once. A function body, not a top-level program, because executors run
`prompt + completion + test` as one module, so only a function can be run once per case, and the paper's
stop sequences ("\\nprint", "\\nif", ...) would cut a top-level program short. The entry point is a
helper in the prompt, `run_program(stdin_text) -> printed text`, so stdin is replaced inside the sample's
own process; the test compares outputs (trailing whitespace and blank edge lines ignored, or equal
whitespace-separated tokens). Call-based problems (`fn_name`) keep APPS's starter code with the statement
as its function's docstring; the test calls the function, or `call_solution(*args)` =
`Solution().fn(*args)` for class starter code.
"""

from __future__ import annotations

import ast
import json
import textwrap
from pathlib import Path
from typing import Any

from codexlab.errors import InputError
from codexlab.jsonl import read_jsonl
from codexlab.problems.types import Problem, ProblemSet

STDIN_ENTRY_POINT = "run_program"
CALL_ENTRY_POINT = "call_solution"
INSTRUCTION = "Read the input from standard input and print the answer to standard output."

# In the prompt, before `main`: the entry point runs the program inside the sample's own process, so the
# judge needs only a string in and a string out. Executors that keep the tests in a separate judge
# process (the sandbox's judge mode) then work too: replacing stdin in the judge would not reach the sample.
_STDIN_HELPER = '''import io
import sys


def run_program(stdin_text: str) -> str:
    """Judge helper: run main() with stdin_text as standard input; return what it printed."""
    old_in, old_out = sys.stdin, sys.stdout
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin_text.encode("utf-8")), encoding="utf-8")
    out = sys.stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\\n")
    try:
        main()
    except SystemExit as exc:
        if exc.code not in (None, 0):
            raise RuntimeError(f"program exited with status {exc.code}") from None
    finally:
        out.flush()
        sys.stdin, sys.stdout = old_in, old_out
    return out.buffer.getvalue().decode("utf-8", "replace")


'''

_STDIN_TEST = """
import json as _json

_CASES = _json.loads({cases!r})


def _same_output(got, expected):
    def lines(text):
        return [line.rstrip() for line in text.strip().splitlines()]
    return lines(got) == lines(expected) or got.split() == expected.split()


def check(candidate):
    for i, (data, expected) in enumerate(_CASES):
        got = candidate(data)
        assert _same_output(got, expected), f"case {{i}}: expected {{expected[:80]!r}}, got {{got[:80]!r}}"
"""

_CALL_HELPER = '''def call_solution(*args):
    """Judge helper: call Solution().{fn_name} with args."""
    return Solution().{fn_name}(*args)


'''

_CALL_TEST = """
import copy as _copy
import json as _json

_CASES = _json.loads({cases!r})


def _same_result(got, expected):
    if isinstance(got, tuple):
        got = list(got)
    if got == expected:
        return True
    return isinstance(expected, list) and len(expected) == 1 and got == expected[0]


def check(candidate):
    for i, (args, expected) in enumerate(_CASES):
        got = candidate(*_copy.deepcopy(args))
        assert _same_result(got, expected), f"case {{i}}: expected {{expected!r:.80}}, got {{got!r:.80}}"
"""


def _docstring(text: str, indent: str) -> str:
    """`text` as a triple-quoted docstring body: backslashes and triple quotes escaped, lines indented."""
    body = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').strip("\n")
    return textwrap.indent(body, indent)


def _as_text(value: Any, what: str, path: Path, lineno: int) -> str:
    """APPS stores a case's stdin/stdout as a string or, in some problems, a list of lines."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(x, str) for x in value):
        return "\n".join(value) + "\n"
    raise InputError(path, f"{what} must be a string or a list of strings, got {type(value).__name__}", lineno)


def _cases(obj: dict[str, Any], path: Path, lineno: int) -> tuple[list[Any], list[Any], str | None]:
    raw = obj.get("input_output")
    if raw is None:
        raise InputError(path, "missing field 'input_output'", lineno)
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"field 'input_output' is not valid JSON: {exc.msg}", lineno) from None
    if not isinstance(raw, dict):
        raise InputError(path, "field 'input_output' must be an object with 'inputs' and 'outputs'", lineno)
    inputs, outputs, fn_name = raw.get("inputs"), raw.get("outputs"), raw.get("fn_name")
    if not isinstance(inputs, list) or not isinstance(outputs, list):
        raise InputError(path, "'input_output' needs list fields 'inputs' and 'outputs'", lineno)
    if len(inputs) != len(outputs):
        raise InputError(path, f"'input_output' has {len(inputs)} inputs but {len(outputs)} outputs", lineno)
    if not inputs:
        raise InputError(path, "'input_output' has no test cases", lineno)
    if fn_name is not None and (not isinstance(fn_name, str) or not fn_name.isidentifier()):
        raise InputError(path, f"'fn_name' must be a Python identifier, got {fn_name!r}", lineno)
    return inputs, outputs, fn_name


def _solutions(obj: dict[str, Any], path: Path, lineno: int) -> list[str]:
    raw = obj.get("solutions")
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"field 'solutions' is not valid JSON: {exc.msg}", lineno) from None
    if not isinstance(raw, list) or not all(isinstance(s, str) for s in raw):
        raise InputError(path, "field 'solutions' must be a list of programs (strings)", lineno)
    return raw


def _expand_leading_tabs(source: str) -> str:
    """Tabs in indentation become spaces (Python's 8-column tab stops) so re-indenting cannot mix them."""
    out = []
    for line in source.splitlines():
        stripped = line.lstrip(" \t")
        out.append(line[: len(line) - len(stripped)].expandtabs(8) + stripped)
    return "\n".join(out)


def _compiles(source: str) -> bool:
    try:
        compile(source, "<solution>", "exec")
    except (SyntaxError, ValueError):
        return False
    return True


def _stdin_problem(task_id: str, question: str, inputs: list[str], outputs: list[str], solutions: list[str]) -> Problem:
    prompt = (
        f'{_STDIN_HELPER}def main() -> None:\n    """\n{_docstring(question, "    ")}\n\n    {INSTRUCTION}\n    """\n'
    )
    body = ""
    for program in solutions:
        indented = textwrap.indent(_expand_leading_tabs(program.strip("\n")), "    ") + "\n"
        if _compiles(prompt + indented):
            body = indented
            break
    test = _STDIN_TEST.format(cases=json.dumps(list(zip(inputs, outputs, strict=True))))
    return Problem(task_id, prompt, STDIN_ENTRY_POINT, body, test)


def _method_body(solution: str, fn_name: str, indent: str) -> str:
    """The body of `fn_name` (a function or a method) in a solution program, re-indented to `indent`."""
    try:
        tree = ast.parse(solution)
    except SyntaxError:
        return ""
    lines = solution.splitlines()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == fn_name and node.body:
            first = node.body[0].lineno - 1
            assert node.end_lineno is not None
            body = textwrap.dedent("\n".join(lines[first : node.end_lineno]))
            return textwrap.indent(body, indent) + "\n"
    return ""


def _call_problem(
    task_id: str,
    question: str,
    starter: str,
    fn_name: str,
    inputs: list[Any],
    outputs: list[Any],
    solutions: list[str],
    path: Path,
    lineno: int,
) -> Problem:
    starter = _expand_leading_tabs(starter).rstrip() + "\n"
    header = [ln for ln in starter.splitlines() if ln.strip()][-1]
    indent = header[: len(header) - len(header.lstrip())] + "    "
    in_class = "class Solution" in starter
    entry = CALL_ENTRY_POINT if in_class else fn_name
    helper = _CALL_HELPER.format(fn_name=fn_name) if in_class else ""
    # The statement becomes the docstring of the starter's function, as in HumanEval: the prompt then
    # compiles on its own, and the completion continues the body at the docstring's indentation.
    doc = f'{indent}"""\n{_docstring(question, indent)}\n{indent}"""\n'
    prompt = f"from typing import *\n\n\n{helper}{starter}{doc}"
    if not _compiles(prompt):
        raise InputError(path, "field 'starter_code' does not end in a function header", lineno)
    body = ""
    for sol in solutions:
        candidate = _method_body(sol, fn_name, indent)
        if candidate and _compiles(prompt + candidate):
            body = candidate
            break
    for i, args in enumerate(inputs):
        if not isinstance(args, list):
            raise InputError(path, f"call-based input {i} must be a list of arguments", lineno)
    test = _CALL_TEST.format(cases=json.dumps(list(zip(inputs, outputs, strict=True))))
    return Problem(task_id, prompt, entry, body, test)


def apps_problem(obj: dict[str, Any], path: Path, lineno: int, task_id: str | None = None) -> Problem:
    """Convert one APPS record; `path` and `lineno` only serve error messages."""
    question = obj.get("question")
    if not isinstance(question, str) or not question.strip():
        raise InputError(path, "field 'question' must be a non-empty string", lineno)
    inputs, outputs, fn_name = _cases(obj, path, lineno)
    solutions = _solutions(obj, path, lineno)
    tid = task_id or f"APPS/{obj.get('problem_id', lineno)}"
    if fn_name is None:
        ins = [_as_text(x, f"input {i}", path, lineno) for i, x in enumerate(inputs)]
        outs = [_as_text(x, f"output {i}", path, lineno) for i, x in enumerate(outputs)]
        return _stdin_problem(tid, question, ins, outs, solutions)
    starter = obj.get("starter_code") or f"def {fn_name}(*args):\n"
    if not isinstance(starter, str):
        raise InputError(path, "field 'starter_code' must be a string", lineno)
    return _call_problem(tid, question, starter, fn_name, inputs, outputs, solutions, path, lineno)


def load_apps(path: str | Path, name: str | None = None) -> ProblemSet:
    """Read an APPS-style JSONL(.gz) file into problems; every error names the file and line."""
    path = Path(path)
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for lineno, obj in read_jsonl(path):
        problem = apps_problem(obj, path, lineno)
        if problem.task_id in seen:
            raise InputError(
                path, f"duplicate problem_id {problem.task_id!r} (first on line {seen[problem.task_id]})", lineno
            )
        seen[problem.task_id] = lineno
        problems.append(problem)
    if not problems:
        raise InputError(path, "no problems in file (empty)")
    return ProblemSet(name or path.name.split(".")[0], problems)
