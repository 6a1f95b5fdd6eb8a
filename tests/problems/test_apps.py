"""APPS loader and stdin/stdout judging, on real subprocesses: correct, wrong, crashing and looping programs."""

import ast
import json
from pathlib import Path

import pytest

from codexlab.cli.main import main
from codexlab.errors import InputError
from codexlab.execution import ExecutionJob, Limits, ProcessExecutor, Status
from codexlab.problems import load_problems_file
from codexlab.problems.apps import load_apps

QUESTION = 'Read two integers and print their sum.\nA line with a backslash \\ and triple quotes """ stays.'
SUM = {
    "problem_id": 10,
    "question": QUESTION,
    "input_output": json.dumps({"inputs": ["1 2\n", "10 -4\n"], "outputs": ["3\n", "6\n"]}),
    "solutions": json.dumps(["from os import *\nprint(1)", "a, b = map(int, input().split())\nprint(a + b)\n"]),
}
ECHO = {  # inputs and outputs as lists of lines, a tab-indented solution that ends with sys.exit(0)
    "problem_id": 11,
    "question": "Print every input line reversed.",
    "input_output": {"inputs": [["ab", "cd"]], "outputs": [["ba", "dc"]]},
    "solutions": ["import sys\nfor line in sys.stdin:\n\tprint(line.strip()[::-1])\nsys.exit(0)\n"],
}
CLASS_CALL = {
    "problem_id": 12,
    "question": "Return the largest element.",
    "starter_code": "class Solution:\n    def biggest(self, xs: list) -> int:\n        ",
    "input_output": {"fn_name": "biggest", "inputs": [[[1, 5, 2]], [[-1]]], "outputs": [[5], -1]},
    "solutions": [
        "class Solution:\n    def biggest(self, xs):\n        best = xs[0]\n        for x in xs:\n"
        "            best = max(best, x)\n        return best\n"
    ],
}
FUNC_CALL = {
    "problem_id": 13,
    "question": "Return the pair (a // b, a % b).",
    "starter_code": "def divmod2(a, b):\n",
    "input_output": {"fn_name": "divmod2", "inputs": [[7, 2], [9, 3]], "outputs": [[[3, 1]], [3, 0]]},
    "solutions": ["def divmod2(a, b):\n    return a // b, a % b\n"],
}
NO_SOLUTION = {"problem_id": 14, "question": "Print 42.", "input_output": {"inputs": [""], "outputs": ["42"]}}


def write(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


@pytest.fixture()
def apps_file(tmp_path: Path) -> Path:
    return write(tmp_path / "apps.jsonl", [SUM, ECHO, CLASS_CALL, FUNC_CALL, NO_SOLUTION])


def judge(problems, completions: dict) -> dict:
    # a short limit only for the looping case; the others get room for a loaded machine (the process executor's
    # deadline includes starting the interpreter and credits no time spent waiting for a CPU)
    jobs = [
        ExecutionJob(key, problems[tid], code, Limits(timeout_s=2.0 if key == "loop" else 10.0))
        for key, (tid, code) in completions.items()
    ]
    return dict(ProcessExecutor(workers=2).map(jobs))


def test_prompt_keeps_the_statement(apps_file: Path) -> None:
    problems = load_apps(apps_file)
    assert list(problems) == ["APPS/10", "APPS/11", "APPS/12", "APPS/13", "APPS/14"]
    assert problems["APPS/10"].entry_point == "run_program"
    fn = ast.parse(problems["APPS/10"].prompt).body[-1]
    assert isinstance(fn, ast.FunctionDef) and fn.name == "main"
    assert QUESTION in (ast.get_docstring(fn) or "")
    assert problems["APPS/12"].entry_point == "call_solution"
    for tid in ("APPS/12", "APPS/13"):  # call-based: the statement is the function's docstring
        tree = ast.parse(problems[tid].prompt)  # and the prompt compiles on its own
        fns = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name in ("biggest", "divmod2")]
        assert len(fns) == 1 and ast.get_docstring(fns[0]).startswith("Return the")
    assert problems["APPS/13"].entry_point == "divmod2"
    assert problems["APPS/14"].canonical_solution == ""
    # the first solution does not compile inside a function (star import), the second is used
    assert "map(int" in problems["APPS/10"].canonical_solution


def test_reference_solutions_pass(apps_file: Path) -> None:
    problems = load_apps(apps_file)
    verdicts = judge(problems, {t: (t, p.canonical_solution) for t, p in problems.items() if p.canonical_solution})
    assert {t: v.status for t, v in verdicts.items()} == {
        t: Status.PASSED for t in ["APPS/10", "APPS/11", "APPS/12", "APPS/13"]
    }


STDIN_CASES = {
    "correct": ("    a, b = map(int, sys.stdin.read().split())\n    print(a + b)\n", Status.PASSED, ""),
    "spacing": ("    a, b = map(int, input().split())\n    print(f'  {a + b}   ')\n    print()\n", Status.PASSED, ""),
    "buffer": (
        "    a, b = map(int, sys.stdin.buffer.read().split())\n    sys.stdout.write(str(a + b))\n",
        Status.PASSED,
        "",
    ),
    "exit0": ("    a, b = map(int, input().split())\n    print(a + b)\n    sys.exit()\n", Status.PASSED, ""),
    "wrong": ("    a, b = map(int, input().split())\n    print(a - b)\n", Status.FAILED, "case 0: expected '3\\n'"),
    "second_case_wrong": ("    print(3)\n", Status.FAILED, "case 1"),
    "crash": ("    a, b = map(int, input().split())\n    print(a / 0)\n", Status.ERROR, "ZeroDivisionError"),
    "exit3": ("    sys.exit(3)\n", Status.ERROR, "exited with status 3"),
    "reads_too_much": ("    input()\n    input()\n", Status.ERROR, "EOFError"),
    "syntax": ("    print(\n", Status.SYNTAX_ERROR, ""),
    "loop": ("    while True:\n        pass\n", Status.TIMEOUT, ""),
}


def test_stdin_judging(apps_file: Path) -> None:
    problems = load_apps(apps_file)
    verdicts = judge(problems, {k: ("APPS/10", code) for k, (code, _, _) in STDIN_CASES.items()})
    for key, (_, status, detail) in STDIN_CASES.items():
        assert verdicts[key].status is status, (key, verdicts[key])
        assert detail in verdicts[key].detail, (key, verdicts[key])


def test_call_based_judging(apps_file: Path) -> None:
    problems = load_apps(apps_file)
    verdicts = judge(
        problems,
        {
            "class_ok": ("APPS/12", "        return max(xs)\n"),
            "class_wrong": ("APPS/12", "        return min(xs)\n"),
            "func_list": ("APPS/13", "    return [a // b, a % b]\n"),
            "func_crash": ("APPS/13", "    return a // 0\n"),
        },
    )
    assert verdicts["class_ok"].passed and verdicts["func_list"].passed
    assert verdicts["class_wrong"].status is Status.FAILED and "case 0" in verdicts["class_wrong"].detail
    assert verdicts["func_crash"].status is Status.ERROR


@pytest.mark.parametrize(
    "row, message",
    [
        ("{not json", "malformed JSON"),
        ({"input_output": {"inputs": ["1"], "outputs": ["1"]}}, "'question' must be a non-empty string"),
        ({"question": "q"}, "missing field 'input_output'"),
        ({"question": "q", "input_output": "{oops"}, "'input_output' is not valid JSON"),
        ({"question": "q", "input_output": {"inputs": ["1", "2"], "outputs": ["1"]}}, "2 inputs but 1 outputs"),
        ({"question": "q", "input_output": {"inputs": [], "outputs": []}}, "no test cases"),
        ({"question": "q", "input_output": {"inputs": [1], "outputs": ["1"]}}, "input 0 must be a string"),
        ({"question": "q", "input_output": {"fn_name": "a b", "inputs": [[1]], "outputs": [1]}}, "identifier"),
        ({"question": "q", "input_output": {"fn_name": "f", "inputs": [1], "outputs": [1]}}, "list of arguments"),
        ({"question": "q", "input_output": {"inputs": ["1"], "outputs": ["1"]}, "solutions": "[1]"}, "'solutions'"),
        ({**SUM}, "duplicate problem_id 'APPS/10' (first on line 1)"),
    ],
)
def test_bad_input_names_file_and_line(tmp_path: Path, row, message: str) -> None:
    path = write(tmp_path / "bad.jsonl", [SUM, row])
    with pytest.raises(InputError) as err:
        load_apps(path)
    assert err.value.line == 2 and str(err.value).startswith(f"{path}:2: ")
    assert message in str(err.value)


def test_empty_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        load_apps(write(tmp_path / "empty.jsonl", []))
    with pytest.raises(InputError, match="no such file"):
        load_apps(tmp_path / "missing.jsonl")


def test_cli_apps_then_check(apps_file: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "problems.jsonl"
    assert main(["problems", "apps", str(apps_file), "--out", str(out)]) == 0
    assert len(load_problems_file(out)) == 5
    # APPS/14 has no reference solution, so check reports exactly that one
    assert main(["problems", "check", str(out), "--executor", "process", "--json"]) == 1
    summary = json.loads(capsys.readouterr().out)
    assert summary["passed"] == 4 and list(summary["failed"]) == ["APPS/14"]


def test_apps_problems_in_a_judge_mode_executor(apps_file: Path) -> None:
    """Where the tests run in a separate judge process, stdin must still be replaced in the sample's,
    and a Solution instance never has to cross from the sample to the judge."""
    from codexlab import execution

    make = getattr(execution, "make_executor", None)
    if make is None:
        pytest.skip("no make_executor in this checkout")
    try:
        executor = make("sandbox", workers=2)
        getattr(executor, "start", lambda: None)()
    except Exception as exc:  # noqa: BLE001 - any reason the sandbox cannot start here
        pytest.skip(f"sandbox executor unavailable: {exc}")
    problems = load_apps(apps_file)
    cases = {"ok": STDIN_CASES["correct"], "wrong": STDIN_CASES["wrong"], "exit3": STDIN_CASES["exit3"]}
    jobs = [ExecutionJob(k, problems["APPS/10"], code, Limits(timeout_s=2.0)) for k, (code, _, _) in cases.items()]
    for tid in ("APPS/11", "APPS/12", "APPS/13"):
        jobs.append(ExecutionJob(tid, problems[tid], problems[tid].canonical_solution))
    jobs.append(ExecutionJob("class_wrong", problems["APPS/12"], "        return min(xs)\n"))
    with executor:
        verdicts = dict(executor.map(jobs))
    assert all(verdicts[k].passed for k in ("ok", "APPS/11", "APPS/12", "APPS/13")), verdicts
    assert verdicts["class_wrong"].status is Status.FAILED
    assert verdicts["wrong"].status is Status.FAILED and "case 0" in verdicts["wrong"].detail
    assert verdicts["exit3"].status is Status.ERROR
