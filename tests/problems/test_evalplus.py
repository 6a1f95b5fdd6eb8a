"""EvalPlus problem files read into typed records: the real releases (the offline copies, where present) and
bad lines named by file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codexlab.download import sha256_file
from codexlab.errors import InputError
from codexlab.problems.evalplus import _source_string, read_evalplus
from codexlab.problems.releases import RELEASES

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "evalplus"


@pytest.mark.parametrize(
    "name, file", [("humaneval+", "HumanEvalPlus.jsonl.gz"), ("humaneval+mini", "HumanEvalPlus-Mini.jsonl.gz"),
                   ("mbpp+", "MbppPlus.jsonl.gz")],
)  # fmt: skip
def test_the_releases_read_whole(name: str, file: str) -> None:
    path = SHARED / file
    if not path.exists():
        pytest.skip(f"no offline copy of {file} here")
    assert sha256_file(path) == RELEASES[name].sha256, "the copy is the pinned release"
    problems = read_evalplus(path)
    assert len(problems) == RELEASES[name].problems
    assert all(p.base_input for p in problems)
    if not name.endswith("mini"):  # the full releases: the original tests, and many times their inputs
        assert all(p.base_test for p in problems)
        assert sum(len(p.plus_input) for p in problems) > 10 * sum(len(p.base_input) for p in problems)
    assert all(isinstance(args, list) for p in problems for args in p.base_input + p.plus_input)
    first = problems[0]
    if name.startswith("humaneval"):
        assert first.task_id == "HumanEval/0" and first.entry_point == "has_close_elements"
        assert first.base_input[0] == [[1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.3]
    else:
        assert first.task_id == "Mbpp/2" and "assert similar_elements" in first.base_test
        assert next(p for p in problems if p.task_id == "Mbpp/793").plus_input == [], "written {} there"
    assert any(p.atol > 0 for p in problems), "some problems compare floats with a tolerance"


def test_bad_lines_are_named(tmp_path: Path) -> None:
    good = {
        "task_id": "T/0", "prompt": "def f(x):\n", "entry_point": "f", "canonical_solution": "    return x\n",
        "base_input": [[1]], "plus_input": "[[2], [3]]", "atol": 0,
    }  # fmt: skip
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(good) + "\n")
    (p,) = read_evalplus(path)
    assert p.plus_input == [[2], [3]] and p.atol == 0.0
    for bad, message in [
        ({**good, "task_id": "T/1", "plus_input": "[[2], "}, "p.jsonl:2: field 'plus_input' is not JSON"),
        ({**good, "task_id": "T/1", "base_input": [1, 2]}, "p.jsonl:2: field 'base_input' must be a list of arg"),
        ({**good, "task_id": "T/1", "atol": "tight"}, "p.jsonl:2: field 'atol' must be a number"),
        (good, "p.jsonl:2: duplicate task_id 'T/0'"),
    ]:
        path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
        with pytest.raises(InputError, match=message):
            read_evalplus(path)


def _inc_set(tmp_path: Path, n_inputs: int):  # type: ignore[no-untyped-def]
    """The plus set of one toy problem, inc(x) = x + 1, on inputs 0 (base) and 1 .. n_inputs - 1 (plus)."""
    from codexlab.problems.evalplus import expected_outputs, problem_sets

    inc = {
        "task_id": "T/inc", "prompt": "def inc(x):\n", "entry_point": "inc", "canonical_solution": "    return x + 1\n",
        "base_input": [[0]], "plus_input": [[i] for i in range(1, n_inputs)], "atol": 0,
    }  # fmt: skip
    problems = read_evalplus(_write(tmp_path / "p.jsonl", [inc]))
    return problem_sets(problems, expected_outputs(problems), "toy+")[1]


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_plus_tests_judge_as_evalplus_does(tmp_path: Path) -> None:
    """Expected outputs from the canonical solution; floats within the tolerance (1e-6 when none is given);
    find_zero by its polynomial; plus = base and extra inputs; the first failing input named."""
    import codexlab
    from codexlab.problems.evalplus import expected_outputs, problem_sets

    half = {
        "task_id": "T/half", "prompt": "def half(x):\n", "entry_point": "half",
        "canonical_solution": "    return x / 2\n", "base_input": [[1], [3]], "plus_input": [[7], [10**6 + 1]],
        "atol": 0,
    }  # fmt: skip
    zero = {
        "task_id": "T/zero", "entry_point": "find_zero", "atol": 1e-6,
        "prompt": "def poly(xs, x):\n    return sum(c * x**i for i, c in enumerate(xs))\n\n\ndef find_zero(xs):\n",
        "canonical_solution": "    return -xs[0] / xs[1]\n", "base_input": [[[2, -1]]], "plus_input": [[[-3, 3]]],
    }  # fmt: skip
    problems = read_evalplus(_write(tmp_path / "p.jsonl", [half, zero]))
    expected = expected_outputs(problems, tmp_path / "expected.json")
    assert expected["T/half"].outputs == [["j", "0.5"], ["j", "1.5"], ["j", "3.5"], ["j", "500000.5"]]
    assert (tmp_path / "expected.json").exists(), "cached for the next load"
    base, plus = problem_sets(problems, expected, "toy+")
    samples = [
        {"task_id": "T/half", "completion": "    return x / 2 + 1e-9\n"},  # within 1e-6: passes
        {"task_id": "T/half", "completion": "    return x // 2 + 0.5 if x < 5 else 0.0\n"},  # base only
        {"task_id": "T/zero", "completion": "    return -xs[0] / xs[1] + 1e-12\n"},  # another zero, close enough
        {"task_id": "T/zero", "completion": "    return 0.0\n"},
    ]
    assert plus.base is base
    # EvalPlus's limits: max(1 s, 4x the canonical) per input, their sum per task (base inputs for the base set)
    limits = {t: max(1.0, min(60.0, sum(max(1.0, 4 * x) for x in e.times))) for t, e in expected.items()}
    assert plus.time_limit_s == limits
    assert base.time_limit_s == {"T/half": 2.0, "T/zero": 1.0}, "a second per input (each is fast)"
    with codexlab.make_executor("process", workers=2, unsafe=True) as ex:
        on_plus = codexlab.evaluate(samples, plus, executor=ex, calibrate=False)  # judged on base and plus
    assert on_plus.base is not None
    assert [v.passed for v in on_plus.base.verdicts] == [True, True, True, False]
    assert [v.passed for v in on_plus.verdicts] == [True, False, True, False]
    assert "input 2 of 4" in on_plus.verdicts[1].detail and "expected 3.5" in on_plus.verdicts[1].detail
    summary = on_plus.summary()
    assert summary["pass_at_k"]["pass@1"] == 0.5 and summary["base"]["pass_at_k"]["pass@1"] == 0.75


def test_the_humaneval_plus_base_set_passes_its_canonical_solutions(tmp_path: Path) -> None:
    """The real release's base inputs (HumanEval's own), judged in the sandbox: every canonical solution passes."""
    import codexlab
    from codexlab.problems.loader import load_plus

    copy = SHARED / "HumanEvalPlus.jsonl.gz"
    if not copy.exists():
        pytest.skip("no offline copy of the HumanEval+ release here")
    base = load_plus("humaneval+-base", copy)
    samples = [{"task_id": t, "completion": p.canonical_solution} for t, p in base.items()]
    result = codexlab.evaluate(samples, base, calibrate=False)
    assert sum(v.passed for v in result.verdicts) == 164, [v.detail for v in result.verdicts if not v.passed]


def test_an_output_too_large_to_carry_is_left_out_with_a_warning(tmp_path: Path) -> None:
    from codexlab.problems.evalplus import expected_outputs, problem_sets

    big = {
        "task_id": "T/big", "prompt": "def big(n):\n", "entry_point": "big", "canonical_solution": "    return 'x' * n\n",
        "base_input": [[3]], "plus_input": [[13 << 20], [4]], "atol": 0,
    }  # fmt: skip
    problems = read_evalplus(_write(tmp_path / "p.jsonl", [big]))
    expected = expected_outputs(problems)
    assert [kind for kind, _ in expected["T/big"].outputs] == ["j", "x", "j"]
    with pytest.warns(UserWarning, match=r"T/big: 1 of 3 inputs left out"):
        _, plus = problem_sets(problems, expected, "toy+")
    assert len(plus["T/big"].test) < 10_000, "the 13 MiB output is not in the tests"
    assert "[[3], [4]]" in plus["T/big"].test


# MBPP+ tasks that need EvalPlus's per-task rules: tuples and sets JSON cannot hold (2, 115, 580, 722), complex
# numbers (124, 252), set equality (2), not-None (737: a regex match that cannot cross the sandbox), a Counter
# (88), the alternative oracle of Mbpp/581, and Mbpp/56, whose function is itself named `check`
MBPP_RULES = ["Mbpp/2", "Mbpp/56", "Mbpp/88", "Mbpp/115", "Mbpp/124", "Mbpp/252", "Mbpp/558", "Mbpp/580",
              "Mbpp/581", "Mbpp/722", "Mbpp/737"]  # fmt: skip


@pytest.mark.parametrize("executor", ["sandbox", "process"])
def test_mbpp_plus_rules_judge_the_canonical_solutions_and_only_them(executor: str) -> None:
    import codexlab
    from codexlab.problems.evalplus import MBPP_STOPS, expected_outputs, problem_sets

    copy = SHARED / "MbppPlus.jsonl.gz"
    if not copy.exists():
        pytest.skip("no offline copy of the MBPP+ release here")
    problems = [p for p in read_evalplus(copy) if p.task_id in MBPP_RULES]
    base, plus = problem_sets(problems, expected_outputs(problems), "mbpp+")
    assert plus.stops == MBPP_STOPS and base.stops == MBPP_STOPS
    assert plus["Mbpp/2"].prompt.startswith('"""\nWrite a function') and plus["Mbpp/2"].prompt.endswith('"""\n')
    samples = [{"task_id": t, "completion": p.canonical_solution} for t, p in plus.items()]
    # never returns: ended by its input's own limit in the sandbox's judge (where only the task's limit applies,
    # the process executor, it would burn that whole minute)
    never = "def similar_elements(a, b):\n    while True:\n        pass\n"
    samples += [
        {
            "task_id": "Mbpp/2",
            "completion": never if executor == "sandbox" else "def similar_elements(a, b):\n    0/0\n",
        },
        # set equality: the same elements in another order (and a list) pass
        {"task_id": "Mbpp/2", "completion": "def similar_elements(a, b):\n    return sorted(set(a) & set(b))[::-1]\n"},
        # not-None: a match (which cannot cross the sandbox) where the reference returns None fails
        {"task_id": "Mbpp/737", "completion": "import re\ndef check_str(s):\n    return re.match('', s)\n"},
        # a plain dict where the reference returns a Counter passes
        {"task_id": "Mbpp/88", "completion": "def freq_count(xs):\n    return {x: xs.count(x) for x in xs}\n"},
        {"task_id": "Mbpp/124", "completion": "def angle_complex(a, b):\n    return 0.0\n"},
        # the alternative readings the special oracles accept: numbers of unequal length padded with zeros,
        # and the pyramid's height taken as its height rather than its slant height
        {
            "task_id": "Mbpp/558",
            "completion": "def digit_distance_nums(a, b):\n    a, b = str(a), str(b)\n"
            "    w = max(len(a), len(b))\n"
            "    return sum(abs(int(x) - int(y)) for x, y in zip(a.zfill(w), b.zfill(w)))\n",
        },
        {
            "task_id": "Mbpp/581",
            "completion": "import math\ndef surface_Area(b, h):\n"
            "    return round(b * b + 2 * b * math.sqrt((b / 2) ** 2 + h * h))\n",
        },
        {"task_id": "Mbpp/581", "completion": "def surface_Area(b, h):\n    return b * b\n"},
    ]
    kind = "process" if executor == "process" else "auto"
    with codexlab.make_executor(kind, workers=2, unsafe=executor == "process") as ex:
        result = codexlab.evaluate(samples, plus, executor=ex)
    canonical, extra = result.verdicts[: len(plus)], result.verdicts[len(plus) :]
    assert all(v.passed for v in canonical), [
        (s["task_id"], v.detail) for s, v in zip(samples, canonical) if not v.passed
    ]
    assert extra[0].status.value == ("timeout" if executor == "sandbox" else "error"), extra[0].detail
    assert [v.passed for v in extra[1:]] == [True, False, True, False, True, True, False], [v.detail for v in extra]
    assert "expected" in extra[4].detail and "input 0 of" in extra[4].detail


def test_pipelined_calls_carry_large_arguments_and_results_in_order(tmp_path: Path) -> None:
    """Under the sandbox's judge the calls go out ahead of the answers: arguments and results larger than a pipe
    holds neither deadlock nor reorder, and the first wrong result is the one named."""
    import codexlab
    from codexlab.problems.evalplus import expected_outputs, problem_sets

    echo = {
        "task_id": "T/echo", "prompt": "def echo(s, i):\n", "entry_point": "echo",
        "canonical_solution": "    return s * 3 + str(i)\n",
        "base_input": [["ab", 0]], "plus_input": [["xyz" * (70_000 + i), i] for i in range(1, 12)] + [["", 99]] * 300,
        "atol": 0,
    }  # fmt: skip
    problems = read_evalplus(_write(tmp_path / "p.jsonl", [echo]))
    _, plus = problem_sets(problems, expected_outputs(problems), "toy+")
    samples = [
        {"task_id": "T/echo", "completion": "    return s * 3 + str(i)\n"},
        {"task_id": "T/echo", "completion": "    return s * 3 + str(i if i != 7 else 0)\n"},
        {"task_id": "T/echo", "completion": "    return s * 3 + str(i if i != 99 else 0)\n"},
    ]
    result = codexlab.evaluate(samples, plus, calibrate=False)
    assert [v.passed for v in result.verdicts] == [True, False, False], [v.detail for v in result.verdicts]
    assert "input 7 of 312" in result.verdicts[1].detail
    assert "input 12 of 312" in result.verdicts[2].detail


def test_each_input_has_its_own_time_limit_in_the_sandbox(tmp_path: Path) -> None:
    """EvalPlus's per-input limits, max(1 s, 4x the canonical's time): a sample that never returns on one input
    times out there (not after the task's whole budget), and one that takes a third of a second on every input,
    far more than the canonical's total, passes because each input has its own second."""
    import codexlab

    plus = _inc_set(tmp_path, 12)
    assert plus.time_limit_s == {"T/inc": 12.0}
    spin = "    import time\n    end = time.process_time() + {}\n    while time.process_time() < end:\n        pass\n"
    samples = [
        {"task_id": "T/inc", "completion": "    while x == 5:\n        pass\n    return x + 1\n"},
        {"task_id": "T/inc", "completion": spin.format(0.3) + "    return x + 1\n"},
    ]
    result = codexlab.evaluate(samples, plus)
    stuck, slow = result.verdicts
    assert stuck.status.value == "timeout" and "input 5: time limit of 1.0 s" in stuck.detail, stuck.detail
    assert slow.passed, slow.detail


@pytest.mark.parametrize(
    "text",
    [json.dumps([1, "a\\b", "it's", 'say "hi"', "\n\t", "é"]), "'''", "ends in '", "ends in \\", "a\rb", "nul\0", ""],
)
def test_texts_embedded_in_tests_read_back_exactly(text: str) -> None:
    assert eval(_source_string(text)) == text


def test_a_plus_pass_decides_the_base_verdict_and_only_failures_are_judged_again(tmp_path: Path) -> None:
    """Plus runs the base inputs first, the same way: a sample that passes plus passes base without being run on
    it again; one that fails plus is judged on base, where it may pass."""
    import codexlab
    from codexlab.execution import ProcessExecutor
    from codexlab.problems.evalplus import expected_outputs, problem_sets

    inc = {
        "task_id": "T/inc", "prompt": "def inc(x):\n", "entry_point": "inc", "canonical_solution": "    return x + 1\n",
        "base_input": [[0], [1]], "plus_input": [[i] for i in range(2, 8)], "atol": 0,
    }  # fmt: skip
    problems = read_evalplus(_write(tmp_path / "p.jsonl", [inc]))
    _, plus = problem_sets(problems, expected_outputs(problems), "toy+")
    completions = ["    return x + 1\n", "    return x + 1 if x < 2 else 0\n", "    return x\n"]

    class Counting(ProcessExecutor):
        ran: list[str] = []

        def map(self, jobs):  # type: ignore[no-untyped-def]
            for key, verdict in super().map(jobs):
                self.ran.append(key)
                yield key, verdict

    with Counting(workers=1) as ex:
        result = codexlab.evaluate([{"task_id": "T/inc", "completion": c} for c in completions], plus, executor=ex)
    assert [v.passed for v in result.verdicts] == [True, False, False]
    assert result.base is not None and [v.passed for v in result.base.verdicts] == [True, True, False]
    assert len(Counting.ran) == 5, "3 on plus, then base only for the 2 that failed plus"


def test_answers_equal_to_the_expected_bytes_or_only_in_value_judge_as_evalplus(tmp_path: Path) -> None:
    """The judge takes an answer that is byte for byte the expected output's encoding as that output without
    decoding it; every other answer is decoded and compared as before: equal values of other types pass or fail
    as `==` says (2.0 == 2; a tuple is not a list), and a NaN, equal to nothing, is never taken on its bytes."""
    import codexlab
    from codexlab.problems.evalplus import expected_outputs, problem_sets

    pair = {
        "task_id": "T/pair",
        "prompt": "def pair(x):\n",
        "entry_point": "pair",
        "canonical_solution": "    return [x, x * 2]\n",
        "base_input": [[1]],
        "plus_input": [[2], [3]],
        "atol": 0,
    }
    nan = {
        "task_id": "T/nan", "prompt": "def nan(x):\n", "entry_point": "nan",
        "canonical_solution": "    return float('nan')\n", "base_input": [[1]], "plus_input": [], "atol": 0,
    }  # fmt: skip
    problems = read_evalplus(_write(tmp_path / "p.jsonl", [pair, nan]))
    _, plus = problem_sets(problems, expected_outputs(problems), "toy+")
    completions = [
        ("T/pair", "    return [x, x * 2]\n"),
        ("T/pair", "    return [float(x), x * 2.0]\n"),
        ("T/pair", "    return (x, x * 2)\n"),
        ("T/pair", "    return [x, x * 2 + (x == 2)]\n"),
        ("T/nan", "    return float('nan')\n"),
    ]
    result = codexlab.evaluate([{"task_id": t, "completion": c} for t, c in completions], plus)
    assert [v.passed for v in result.verdicts] == [True, True, False, False, False]
    tuple_detail, wrong_detail, nan_detail = (v.detail for v in result.verdicts[2:])
    assert "input 0 of 3" in tuple_detail and "input 1 of 3" in wrong_detail and "input 0 of 1" in nan_detail


def test_an_answer_begun_and_stalled_is_late_all_the_same(tmp_path: Path) -> None:
    """The judge gives an answer that has begun to arrive time to be read, by its announced size, not forever:
    a sample that writes an answer's header to its own response pipe and then computes on is late there."""
    import codexlab

    plus = _inc_set(tmp_path, 8)
    stall = (
        "    import os, struct, sys, time\n"
        "    frame = sys._getframe(1)\n"
        "    while 'resp_fd' not in frame.f_locals:\n"
        "        frame = frame.f_back\n"
        "    if x == 3:\n"
        "        body = b'[\"ok\",' + str(x + 1).encode() + b']'\n"
        "        os.write(frame.f_locals['resp_fd'], struct.pack('<I', len(body) + 64))\n"
        "        time.sleep(2.5)\n"
        "        os.write(frame.f_locals['resp_fd'], body + b' ' * 64)\n"
        "    return x + 1\n"
    )
    (verdict,) = codexlab.evaluate([{"task_id": "T/inc", "completion": stall}], plus).verdicts
    assert verdict.status.value == "timeout" and "input 3: time limit of 1.0 s" in verdict.detail, verdict.detail


def test_a_canonical_that_prints_or_reads_stdin_leaves_the_expected_outputs_whole(tmp_path: Path) -> None:
    from codexlab.problems.evalplus import expected_outputs

    noisy = {
        "task_id": "T/noisy", "prompt": "def noisy(x):\n", "entry_point": "noisy", "atol": 0,
        "canonical_solution": "    import sys\n    print('{\"task_id\": 1}')\n    sys.stdin.read()\n    return x\n",
        "base_input": [[1]], "plus_input": [[2]],
    }  # fmt: skip
    problems = read_evalplus(_write(tmp_path / "p.jsonl", [noisy, {**noisy, "task_id": "T/noisy2"}]))
    out = expected_outputs(problems, workers=1)
    assert [out[t].outputs for t in ("T/noisy", "T/noisy2")] == [[["j", "1"], ["j", "2"]]] * 2
