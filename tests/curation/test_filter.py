"""Filtering problems by the model (Codex-S): the real small model, real execution."""

from __future__ import annotations

import json
from pathlib import Path

from codexlab.curation.filter import filter_by_model, keep_solved
from codexlab.execution import make_executor
from codexlab.generation.registry import load_generator
from codexlab.generation.types import SamplingParams
from codexlab.problems import ProblemSet, load_problems


def test_keep_solved_keeps_problems_with_any_pass(tiny: ProblemSet) -> None:
    result = keep_solved(tiny, {"Tiny/0": [False, True], "Tiny/1": [False, False]}, k=2)
    assert list(result.kept) == ["Tiny/0"]
    assert result.dropped == ["Tiny/1"]
    assert result.summary()["survival_rate"] == 0.5


def test_filter_with_small_model(tiny: ProblemSet, small_model_path: Path, tmp_path: Path) -> None:
    params = SamplingParams(temperature=0.8, max_tokens=24, seed=7)
    with load_generator(str(small_model_path), n_threads=1) as gen, make_executor("process", workers=1) as ex:
        result = filter_by_model(tiny, gen, params, k=2, work_dir=tmp_path / "work", executor=ex)
    summary = json.loads((tmp_path / "work" / "filter.json").read_text())
    assert summary["problems"] == 2 and summary["k"] == 2
    assert summary["kept"] + summary["dropped"] == 2
    # the kept set is exactly the problems with a passing verdict in the results file
    passed: dict[str, bool] = {}
    for line in (tmp_path / "work" / "samples.jsonl_results.jsonl").read_text().splitlines():
        row = json.loads(line)
        passed[row["task_id"]] = passed.get(row["task_id"], False) or row["passed"]
    assert set(result.kept) == {t for t, ok in passed.items() if ok}
    assert sum(len(v) for v in result.per_problem.values()) == 4
    kept_file = tmp_path / "work" / "kept.jsonl"
    assert kept_file.exists()
    if result.kept:
        assert list(load_problems(problems_file=kept_file)) == list(result.kept)
    else:
        assert kept_file.read_text() == ""


def test_a_work_dir_refuses_another_configuration(tiny: ProblemSet, small_model_path: Path, tmp_path: Path) -> None:
    """The work directory is a run directory: resuming it with other sampling parameters is refused, not mixed."""
    import pytest

    from codexlab.errors import CodexlabError

    params = SamplingParams(temperature=0.8, max_tokens=16, seed=7)
    with load_generator(str(small_model_path), n_threads=1) as gen, make_executor("process", workers=1) as ex:
        filter_by_model(tiny, gen, params, k=1, work_dir=tmp_path / "work", executor=ex)
        with pytest.raises(CodexlabError, match="different configuration"):
            filter_by_model(tiny, gen, SamplingParams(temperature=0.2, max_tokens=16), k=1,
                            work_dir=tmp_path / "work", executor=ex)  # fmt: skip
