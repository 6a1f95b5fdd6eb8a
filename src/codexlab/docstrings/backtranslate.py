"""Back-translation, the paper's automatic measure of Codex-D: code from each generated docstring, judged.

For every generated docstring, the problem's prompt gets that docstring in place of the original; a code
model completes the new prompt and the completion runs against the original tests. pass@k of that code says
how much of what the tests need the docstring conveyed. The back-translated problem of docstring j of task T
is named "T#doc<j>", so pass@k is over docstrings x code samples.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from codexlab.curation.sample_eval import sample_and_evaluate
from codexlab.docstrings.parts import split_prompt
from codexlab.evaluation.evaluate import EvaluationResult
from codexlab.execution.types import Executor, Limits
from codexlab.generation.types import Generator, SamplingParams
from codexlab.jsonl import read_jsonl
from codexlab.problems.types import Problem, ProblemSet

SEPARATOR = "#doc"


def read_docstrings(path: Path) -> list[dict[str, Any]]:
    """The rows of a `docstrings generate` file."""
    return [obj for _, obj in read_jsonl(path)]


def backtranslation_problems(problems: ProblemSet, rows: list[dict[str, Any]]) -> ProblemSet:
    """One problem per generated docstring: the original prompt with the generated docstring, original tests."""
    out: list[Problem] = []
    for row in rows:
        original = problems.get(row["task_id"])
        if original is None:
            continue
        prompt = split_prompt(original).with_docstring(row["generated_docstring"])
        out.append(
            Problem(
                f"{original.task_id}{SEPARATOR}{row['sample_id']}",
                prompt,
                original.entry_point,
                original.canonical_solution,
                original.test,
            )
        )
    return ProblemSet(f"{problems.name}-backtranslated", out)


def original_task(task_id: str) -> str:
    return task_id.rsplit(SEPARATOR, 1)[0]


def backtranslate(
    problems: ProblemSet,
    docstrings_path: Path,
    generator: Generator,
    params: SamplingParams,
    n: int,
    out_dir: Path,
    executor: Executor,
    limits: Limits | None = None,
    ks: list[int] | None = None,
) -> EvaluationResult:
    """Regenerate n code samples per generated docstring and judge them (resumable under out_dir).

    Writes out_dir/backtranslation.jsonl: each generated docstring beside the original, with its code pass rate.
    """
    bt = backtranslation_problems(problems, read_docstrings(docstrings_path))
    if not bt:
        raise ValueError(f"{docstrings_path}: no docstrings for problems in {problems.name!r}")
    result = sample_and_evaluate(bt, generator, params, n, out_dir, executor, limits, ks=ks)
    per = result.per_problem()
    with open(out_dir / "backtranslation.jsonl", "w", encoding="utf-8") as fh:
        for row in read_docstrings(docstrings_path):
            key = f"{row['task_id']}{SEPARATOR}{row['sample_id']}"
            if key in per:
                fh.write(
                    json.dumps(
                        {
                            **row,
                            "backtranslated_task_id": key,
                            "code_samples": len(per[key]),
                            "code_passed": sum(per[key]),
                        }
                    )
                    + "\n"
                )
    return result
