"""Completion-format training targets: self-contained bodies that the paper's stop sequences cannot cut, from
reference solutions (the real MBPP+ file) and from only the passing samples of a really judged run."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from runfactory import make_run

from codexlab.curation.completion_targets import completion_problem, description, from_run, reference_targets
from codexlab.generation.stops import truncate_at_stop
from codexlab.generation.types import PAPER_STOPS
from codexlab.problems import Problem, ProblemSet
from codexlab.problems.evalplus import read_evalplus
from codexlab.store import load_run

MBPP_PLUS = Path(__file__).resolve().parents[3] / "shared" / "data" / "evalplus" / "MbppPlus.jsonl.gz"

MBPP_STYLE = Problem(
    "T/amicable",
    '"""\nWrite a function to sum all amicable numbers up to a limit.\nassert amicable_sum(300) == 504\n"""\n',
    "amicable_sum",
    "import math\nfrom functools import reduce\n\n"
    "def div_sum(n):\n    return 1 + sum(i + (n // i if i * i != n else 0)"
    " for i in range(2, math.isqrt(n) + 1) if n % i == 0)\n\n"
    "def amicable_sum(limit):\n    '''the sum, over amicable pairs'''\n"
    "    # a is amicable when the divisor sum of its divisor sum is a again\n"
    "    found = [a for a in range(2, limit + 1) if div_sum(a) != a and div_sum(div_sum(a)) == a]\n"
    "    return reduce(lambda x, y: x + y, found, 0)\n\n"
    "assert amicable_sum(300) == 504\nprint('ok')\n",
    "def check(candidate):\n    assert candidate(300) == 504\n    assert candidate(1500) == 2898\n",
)


def run_program(problem: Problem) -> dict:
    scope: dict = {}
    exec(problem.prompt + problem.canonical_solution, scope)  # trusted: the test's own crafted solution
    return scope


def test_helpers_and_imports_move_into_the_body_and_module_tests_are_dropped() -> None:
    made = completion_problem(MBPP_STYLE, MBPP_STYLE.canonical_solution)
    assert made is not None
    assert made.prompt.startswith("def amicable_sum(limit):\n")
    assert "Write a function to sum all amicable numbers" in made.prompt
    assert "the sum, over amicable pairs" not in made.canonical_solution  # its own docstring: the prompt's
    # the body as written: its comments are how the model reasons, so they stay
    assert "    # a is amicable when" in made.canonical_solution
    assert "print(" not in made.canonical_solution and "assert" not in made.canonical_solution
    # every line of the target is indented: the paper's stop sequences leave it whole
    assert not truncate_at_stop(made.canonical_solution, PAPER_STOPS)[1]
    scope = run_program(made)
    assert set(scope) - {"__builtins__"} == {"amicable_sum"}  # the helper and imports live inside it
    assert scope["amicable_sum"](300) == 504 and scope["amicable_sum"](1500) == 2898


def test_a_solution_without_the_entry_point_or_that_does_not_parse_gives_none() -> None:
    assert completion_problem(MBPP_STYLE, "def other(x):\n    return x\n") is None
    assert completion_problem(MBPP_STYLE, "def amicable_sum(limit:\n") is None
    assert completion_problem(MBPP_STYLE, "def amicable_sum(limit):\n    '''only a docstring'''\n") is None


def test_every_real_mbpp_plus_reference_becomes_an_uncuttable_body() -> None:
    if not MBPP_PLUS.exists():
        pytest.skip("no offline copy of the MBPP+ release here")
    plus = read_evalplus(MBPP_PLUS)
    problems = ProblemSet(
        "mbpp+", [Problem(p.task_id, p.prompt, p.entry_point, p.canonical_solution, "") for p in plus]
    )
    targets = reference_targets(problems)
    assert list(targets) == list(problems)
    for t, made in targets.items():
        with warnings.catch_warnings():  # (some references have invalid escapes, a warning only)
            warnings.simplefilter("ignore")
            compile(made.prompt + made.canonical_solution, t, "exec")
        assert not truncate_at_stop(made.canonical_solution, PAPER_STOPS)[1], t
        assert description(problems[t]).splitlines()[0] in made.prompt
    # Mbpp/123's reference calls a module-level helper; its target defines it inside and gives the same sums
    scope = run_program(targets["Mbpp/123"])
    assert scope["amicable_numbers_sum"](999) == 504 and scope["amicable_numbers_sum"](9999) == 31626
    assert reference_targets(problems, only=["Mbpp/2", "Mbpp/3"]).keys() == {"Mbpp/2", "Mbpp/3"}


def test_rejection_sampled_targets_come_only_from_passing_samples(tmp_path: Path) -> None:
    square = Problem(
        "T/sq",
        '"""\nSquare x.\n"""\n',
        "sq",
        "def sq(x):\n    return x * x\n",
        "def check(candidate):\n    assert candidate(3) == 9\n",
    )
    problems = ProblemSet("crafted", [MBPP_STYLE, square])
    wrong = "def amicable_sum(limit):\n    return 504\n"  # right on 300 only: fails
    right = (
        "import math\n\ndef amicable_sum(limit):\n    d = lambda n: sum(i for i in range(1, n) if n % i == 0)\n"
        "    return sum(a for a in range(2, limit + 1) if d(a) != a and d(d(a)) == a)\n"
    )
    run = make_run(
        tmp_path / "run",
        {"T/amicable": [wrong, right, right], "T/sq": ["def sq(x):\n    return x + x\n"]},
        problems=problems,
    )
    targets = from_run(problems, [load_run(run)], per_problem=2)
    assert list(targets) == ["T/amicable"]  # T/sq's one sample failed; a duplicate passing sample counts once
    assert "return 504\n" not in targets["T/amicable"].canonical_solution
    assert "import math" in targets["T/amicable"].canonical_solution


def test_the_targets_command_writes_training_and_held_out_files(tmp_path: Path) -> None:
    import json

    from codexlab.cli.main import main

    square = Problem("T/sq", '"""\nSquare x.\n"""\n', "sq", "def sq(x):\n    return x * x\n", "")
    rows = [MBPP_STYLE.to_dict(), square.to_dict()]
    problems = tmp_path / "problems.jsonl"
    problems.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "train.jsonl"
    assert (
        main(
            [
                "curate",
                "targets",
                str(problems),
                "--out",
                str(out),
                "--solutions",
                "reference",
                "--hold-out-every",
                "2",
                "--json",
            ]
        )
        == 0
    )
    train = [json.loads(line) for line in out.read_text().splitlines()]
    held = [json.loads(line) for line in (tmp_path / "train.jsonl.heldout.jsonl").read_text().splitlines()]
    assert [r["task_id"] for r in train] == ["T/amicable"] and [r["task_id"] for r in held] == ["T/sq"]
    assert held[0]["prompt"].startswith("def sq(x):") and held[0]["canonical_solution"] == "    return x * x\n"
    report = json.loads((tmp_path / "train.jsonl.targets.json").read_text())
    assert report["problems"] == 2 and report["targets"] == 1 and report["held_out"] == 1
    assert main(["curate", "targets", str(problems), "--out", str(out)]) == 2  # own, the default, needs --run
