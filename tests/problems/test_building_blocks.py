"""Building-blocks generator: every reference solution passes through a real executor; seeds reproduce."""

import ast
import re

import pytest

from codexlab.execution import ExecutionJob, ProcessExecutor
from codexlab.problems.building_blocks import (
    MAX_STEPS,
    OPERATIONS,
    building_block_problem,
    chain_length,
    generate_building_blocks,
)


@pytest.fixture(scope="module")
def problems():
    return generate_building_blocks(n_per_length=3, lengths=range(1, MAX_STEPS + 1), seed=7)


def test_every_reference_solution_passes_and_a_wrong_one_fails(problems) -> None:
    jobs = [ExecutionJob(t, p, p.canonical_solution) for t, p in problems.items()]
    jobs += [ExecutionJob(f"wrong:{t}", p, "    return s\n") for t, p in list(problems.items())[::3]]
    verdicts = dict(ProcessExecutor(workers=2).map(jobs))
    failing = {k: v.result_text for k, v in verdicts.items() if not k.startswith("wrong:") and not v.passed}
    assert failing == {}
    assert sum(v.passed for k, v in verdicts.items() if k.startswith("wrong:")) == 0


def test_shape_of_each_problem(problems) -> None:
    assert len(problems) == 3 * MAX_STEPS
    for task_id, p in problems.items():
        n = chain_length(task_id)
        fn = ast.parse(p.prompt + p.canonical_solution).body[0]
        assert isinstance(fn, ast.FunctionDef) and fn.name == p.entry_point == "string_manipulation"
        doc = ast.get_docstring(fn)
        assert doc is not None and sum(bool(re.match(r"\d+\. ", line)) for line in doc.splitlines()) == n
        assert p.canonical_solution.count("\n") == n + 1  # one line per step, then return
        assert p.test.count("assert candidate(") == 5


def test_all_thirteen_operations_are_used(problems) -> None:
    assert len(OPERATIONS) == 13
    longest = [p for t, p in problems.items() if chain_length(t) == MAX_STEPS]
    for p in longest:  # 13 steps out of 13 distinct operations: each appears exactly once
        assert len(set(p.canonical_solution.splitlines())) == MAX_STEPS + 1


def test_seeded_and_reproducible() -> None:
    a = generate_building_blocks(2, [1, 4], seed=3)
    b = generate_building_blocks(2, [1, 4], seed=3)
    assert a.digest == b.digest
    assert generate_building_blocks(2, [1, 4], seed=4).digest != a.digest
    # a problem depends on (seed, length, index) only, not on how many were asked for
    assert generate_building_blocks(5, [4], seed=3)["BuildingBlocks/4/1"] == a["BuildingBlocks/4/1"]
    assert building_block_problem(3, 4, 1) == a["BuildingBlocks/4/1"]


def test_default_lengths_are_one_to_ten() -> None:
    ps = generate_building_blocks(1)
    assert sorted(chain_length(t) for t in ps) == list(range(1, 11))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_per_length": 0}, "positive integer"),
        ({"n_per_length": -2}, "positive integer"),
        ({"n_per_length": True}, "positive integer"),
        ({"n_per_length": 1, "lengths": []}, "empty"),
        ({"n_per_length": 1, "lengths": [0]}, "between 1 and 13"),
        ({"n_per_length": 1, "lengths": [14]}, "between 1 and 13"),
        ({"n_per_length": 1, "lengths": [2, 2]}, "duplicates"),
    ],
)
def test_bad_parameters(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        generate_building_blocks(**kwargs)


def test_chain_length_rejects_other_ids() -> None:
    with pytest.raises(ValueError):
        chain_length("HumanEval/3")


def test_cli_blocks(tmp_path, capsys) -> None:
    import json

    from codexlab.cli.main import main
    from codexlab.problems import load_problems_file

    out = tmp_path / "blocks.jsonl"
    assert (
        main(
            [
                "problems",
                "blocks",
                "--out",
                str(out),
                "--lengths",
                "1,3-4",
                "--n-per-length",
                "2",
                "--seed",
                "5",
                "--json",
            ]
        )
        == 0
    )
    summary = json.loads(capsys.readouterr().out)
    problems = load_problems_file(out)
    assert summary["problems"] == 6 and summary["digest"] == problems.digest
    assert sorted({chain_length(t) for t in problems}) == [1, 3, 4]
    assert problems.digest == generate_building_blocks(2, [1, 3, 4], seed=5).digest
    for bad in (["--lengths", "0-2"], ["--lengths", "a-b"], ["--n-per-length", "0"]):
        assert main(["problems", "blocks", "--out", str(out), *bad]) == 2
        assert "codexlab: error:" in capsys.readouterr().err
