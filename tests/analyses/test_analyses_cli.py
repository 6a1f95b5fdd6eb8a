"""Each `codexlab analyze` command writes a PNG and a table; BLEU behaves like BLEU."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from runfactory import CRASH, WRONG, canonical, make_run

from codexlab.analyses.bleu import code_tokens, sentence_bleu
from codexlab.analyses.failures import compute as failure_taxonomy
from codexlab.store import load_run

CLI = [sys.executable, "-m", "codexlab.cli.main"]
T0, T1 = "HumanEval/0", "HumanEval/2"


def test_bleu_sanity() -> None:
    ref = code_tokens("    return number % 1.0  # comment\n")
    assert ref == ["return", "number", "%", "1.0"]
    assert sentence_bleu(ref, ref) == pytest.approx(1.0)
    assert sentence_bleu(code_tokens("x = [i for i in y]"), ref) == 0.0
    partial = sentence_bleu(code_tokens("return number % 2.0"), ref)
    assert 0 < partial < 1


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    tmp = tmp_path_factory.mktemp("analyses")
    lp = {(T0, 0): [-0.1] * 4, (T0, 1): [-2.0] * 4, (T1, 0): [-0.2] * 4, (T1, 1): [-1.0] * 4}
    low = make_run(tmp / "t0.2", {T0: [canonical(T0), CRASH], T1: [canonical(T1), WRONG]}, 0.2, lp)
    high = make_run(tmp / "t0.8", {T0: [WRONG, CRASH], T1: [canonical(T1), WRONG]}, 0.8, lp)
    return [low, high]


def test_failure_taxonomy_names_exceptions(runs: list[Path]) -> None:
    res = failure_taxonomy([load_run(r) for r in runs])
    assert res.kinds["ValueError"] == 2 and res.kinds["AssertionError"] == 3 and res.total == 8


@pytest.mark.parametrize("name", ["sweep", "ranking", "bleu", "failures", "difficulty", "lengths", "endings"])
def test_each_analysis_writes_plot_and_table(runs: list[Path], tmp_path: Path, name: str) -> None:
    from codexlab.cli.analyze_cmd import SINGLE_RUN, run_analysis

    result, files = run_analysis(name, runs[:1] if name in SINGLE_RUN else runs, tmp_path)
    png, csv_path, json_path = files
    assert png == tmp_path / f"{name}.png" and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    table = json.loads(json_path.read_text())
    assert csv_path.read_text().splitlines()[0] == ",".join(table["columns"])
    if name == "ranking":
        by_k = {r[0]: r for r in table["rows"]}
        assert by_k[2][2].startswith("100.0%")  # mean log-prob picks the right sample of both problems


def test_endings_name_the_stop_the_end_token_the_limit_and_the_junk(tmp_path: Path) -> None:
    from codexlab.analyses.endings import compute

    body = canonical(T0)
    fenced = body + "```\n"
    module = body + "print(has_close_elements([1.0], 0.5))\n"
    extra = {
        (T0, 0): {"raw_text": body + "\ndef", "finish_reason": "stop"},  # cut at '\ndef'
        (T0, 1): {"raw_text": fenced, "finish_reason": "stop"},  # the model's own end-of-text, after a fence
        (T0, 2): {"raw_text": module, "finish_reason": "length"},
    }
    run = make_run(tmp_path / "run", {T0: [body, fenced, module]}, extra=extra)
    row = compute([load_run(run)]).rows[0]
    assert row.samples == 3 and row.stops == {"\ndef": 1}
    assert row.kinds == {"stop sequence": 1, "end-of-text": 1, "token limit": 1}
    assert row.fence == 1 and row.module_code == 1


def test_analyze_sweep_command(runs: list[Path], tmp_path: Path) -> None:
    out = subprocess.run(
        [*CLI, "analyze", "sweep", *map(str, runs), "--out", str(tmp_path), "--json"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    rows = {r[0]: r for r in json.loads(out.stdout)["rows"]}
    assert rows[0.2][1].startswith("50.0%") and rows[0.8][1].startswith("25.0%")
    assert rows["best"][1] == "T=0.2"
    assert (tmp_path / "sweep.png").exists()
