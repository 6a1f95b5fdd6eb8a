"""Codex-D: prompt surgery on HumanEval, and docstring generation + back-translation with the real small model."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from codexlab.docstrings.backtranslate import backtranslate, backtranslation_problems
from codexlab.docstrings.generate import generate_docstrings
from codexlab.docstrings.parts import code_without_docstring, split_prompt
from codexlab.docstrings.prompts import clean_reply, completion_prompt
from codexlab.execution import make_executor
from codexlab.generation.registry import load_generator
from codexlab.generation.types import SamplingParams
from codexlab.problems import ProblemSet


def _first_string(fn: ast.FunctionDef) -> str:
    return str(next(s.value.value for s in fn.body if isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)))


def _lines(doc: str | None) -> list[str]:
    return [line.strip() for line in (doc or "").strip().splitlines()]


def test_every_humaneval_prompt_splits_and_reassembles(humaneval: ProblemSet) -> None:
    checked = 0
    for problem in humaneval.values():
        parts = split_prompt(problem)
        assert parts.docstring
        if "\\" in problem.prompt:
            continue  # an escape such as \\n in the source docstring is rendered as what it means
        checked += 1
        assert '"""' not in code_without_docstring(problem).split(f"def {problem.entry_point}")[-1]
        rebuilt = parts.with_docstring(parts.docstring) + problem.canonical_solution
        tree = ast.parse(rebuilt)
        fn = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == problem.entry_point][-1]
        orig = [
            n
            for n in ast.walk(ast.parse(problem.prompt))
            if isinstance(n, ast.FunctionDef) and n.name == problem.entry_point
        ][-1]
        assert _lines(_first_string(fn)) == _lines(_first_string(orig))
    assert checked > 150


def test_completion_prompt_puts_code_before_docstring(humaneval: ProblemSet) -> None:
    p = humaneval["HumanEval/0"]
    prompt = completion_prompt(p)
    assert prompt.endswith('has_close_elements.__doc__ = """')
    assert p.canonical_solution.strip() in prompt


def test_clean_reply_strips_fences_quotes_and_functions() -> None:
    assert clean_reply('"""Add two numbers."""') == "Add two numbers."
    assert clean_reply('```python\ndef f(a):\n    """Double a."""\n    return 2 * a\n```') == "Double a."
    assert clean_reply("```\nReverse s.\n```") == "Reverse s."


def test_generate_and_backtranslate_with_small_model(
    humaneval: ProblemSet, small_model_path: Path, tmp_path: Path
) -> None:
    problems = humaneval.subset(["HumanEval/0", "HumanEval/2"])
    docs = tmp_path / "docstrings.jsonl"
    with load_generator(str(small_model_path), n_threads=1) as gen:
        made = generate_docstrings(problems, gen, SamplingParams(max_tokens=40), 1, docs, prompt_format="chat")
        assert made == 2
        assert generate_docstrings(problems, gen, SamplingParams(max_tokens=40), 1, docs) == 0  # resumes
        rows = [json.loads(line) for line in docs.read_text().splitlines()]
        assert [r["task_id"] for r in rows] == ["HumanEval/0", "HumanEval/2"]
        assert all(r["original_docstring"] and "generated_docstring" in r for r in rows)

        bt = backtranslation_problems(problems, rows)
        assert list(bt) == ["HumanEval/0#doc0", "HumanEval/2#doc0"]
        assert bt["HumanEval/0#doc0"].test == problems["HumanEval/0"].test
        with make_executor("process", workers=1) as ex:
            result = backtranslate(problems, docs, gen, SamplingParams(max_tokens=48), 1, tmp_path / "bt", ex, ks=[1])
    summary = result.summary()
    assert summary["problems_evaluated"] == 2
    assert 0.0 <= summary["pass_at_k"]["pass@1"] <= 1.0
    side = [json.loads(line) for line in (tmp_path / "bt" / "backtranslation.jsonl").read_text().splitlines()]
    assert [s["backtranslated_task_id"] for s in side] == ["HumanEval/0#doc0", "HumanEval/2#doc0"]
    assert all(s["code_samples"] == 1 for s in side)
