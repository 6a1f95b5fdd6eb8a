"""Evaluating samples files in openai/human-eval's format, with resume and bad-input errors."""

import json
from pathlib import Path

import pytest

from codexlab.errors import InputError
from codexlab.evaluation import evaluate_samples, results_path_for
from codexlab.evaluation.evaluate import store_path_for
from codexlab.execution import ProcessExecutor
from codexlab.store.db import RunStore


class CountingExecutor(ProcessExecutor):
    """The real process executor, counting how many programs it is asked to run."""

    def __init__(self) -> None:
        super().__init__(workers=2)
        self.ran = 0

    def map(self, jobs):
        for key, verdict in super().map(jobs):
            self.ran += 1
            yield key, verdict


def write(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_results_file_in_human_eval_format(tmp_path: Path, tiny) -> None:
    samples = write(
        tmp_path / "s.jsonl",
        [
            {"task_id": "Tiny/0", "completion": "    return a + b\n"},
            {"task_id": "Tiny/0", "completion": "    return a - b\n"},
            {"task_id": "Tiny/1", "completion": "    return s[::-1]\n"},
            {"task_id": "Tiny/1", "completion": "    return s[::-1]\n"},
        ],
    )
    ex = CountingExecutor()
    result = evaluate_samples(samples, tiny, ex)
    assert ex.ran == 3, "identical programs are judged once"
    rows = [json.loads(x) for x in results_path_for(samples).read_text().splitlines()]
    assert [r["passed"] for r in rows] == [True, False, True, True]
    assert rows[1]["result"].startswith("failed: AssertionError")
    assert rows[1]["status"] == "failed" and "candidate(1, 2) == 3" in rows[1]["detail"]
    assert all(
        {"task_id", "completion", "passed", "result", "status", "detail", "duration_s"} <= r.keys() for r in rows
    )
    summary = result.summary()
    assert summary["pass_at_k"]["pass@1"] == pytest.approx(0.75)
    assert summary["pass_at_k"]["pass@2"] == pytest.approx(1.0)
    assert summary["status_counts"] == {"passed": 3, "failed": 1}


def test_verdicts_of_one_executor_are_not_reused_by_another(tmp_path: Path, tiny) -> None:
    samples = write(tmp_path / "s.jsonl", [{"task_id": "Tiny/0", "completion": "    return a + b\n"}])
    evaluate_samples(samples, tiny, ProcessExecutor(workers=1))

    class Other(CountingExecutor):
        name = "other"

    ex = Other()
    evaluate_samples(samples, tiny, ex)
    assert ex.ran == 1


def test_rerun_costs_nothing(tmp_path: Path, tiny) -> None:
    samples = write(tmp_path / "s.jsonl", [{"task_id": "Tiny/0", "completion": "    return a + b\n"}])
    evaluate_samples(samples, tiny, ProcessExecutor(workers=1))
    ex = CountingExecutor()
    result = evaluate_samples(samples, tiny, ex)
    assert ex.ran == 0 and result.verdicts[0].passed


class InterruptedExecutor(CountingExecutor):
    """Stops the evaluation (as Ctrl-C would) after its first verdict has been handed back."""

    def map(self, jobs):
        for key, verdict in super().map(jobs):
            yield key, verdict
            raise KeyboardInterrupt


def test_an_interrupted_evaluation_resumes_from_its_store(tmp_path: Path, tiny) -> None:
    samples = write(
        tmp_path / "s.jsonl",
        [
            {"task_id": "Tiny/0", "completion": "    return a + b\n"},
            {"task_id": "Tiny/1", "completion": "    return s\n"},
        ],
    )
    with pytest.raises(KeyboardInterrupt):
        evaluate_samples(samples, tiny, InterruptedExecutor())
    assert not results_path_for(samples).exists()
    with RunStore(store_path_for(samples)) as store:
        assert len(store.verdicts()) == 1, "the verdict handed back before the interruption was committed"
    assert not list(tmp_path.glob("*.journal")), "the store is the only record"
    ex = CountingExecutor()
    result = evaluate_samples(samples, tiny, ex)
    assert ex.ran == 1
    assert [v.passed for v in result.verdicts] == [True, False]


@pytest.mark.parametrize(
    "rows, message",
    [
        ([{"task_id": "Tiny/0"}], "s.jsonl:1: missing field 'completion'"),
        ([{"task_id": "Tiny/0", "completion": 5}], "s.jsonl:1: field 'completion' must be a string"),
        (
            [{"task_id": "Tiny/0", "completion": ""}, {"task_id": "Tiny/9", "completion": ""}],
            "s.jsonl:2: unknown task_id 'Tiny/9'",
        ),
        ([{"task_id": "HumanEval/0", "completion": ""}], "is it a samples file for another dataset?"),
        ([], "no samples in file (empty)"),
    ],
)
def test_bad_samples(tmp_path: Path, tiny, rows, message: str) -> None:
    samples = write(tmp_path / "s.jsonl", rows)
    with pytest.raises(InputError) as err:
        evaluate_samples(samples, tiny, ProcessExecutor(workers=1))
    assert message in str(err.value)


def test_non_utf8_and_malformed_lines(tmp_path: Path, tiny) -> None:
    bad = tmp_path / "s.jsonl"
    bad.write_bytes(b'{"task_id": "Tiny/0", "completion": ""}\n{"task_id": "Tiny/0", "completion": "\xe9"}\n')
    with pytest.raises(InputError, match=r"s.jsonl:2: invalid UTF-8"):
        evaluate_samples(bad, tiny, ProcessExecutor(workers=1))
    bad.write_text('{"task_id": "Tiny/0", "completion": ""}\n{"task_id": \n')
    with pytest.raises(InputError, match=r"s.jsonl:2: malformed JSON"):
        evaluate_samples(bad, tiny, ProcessExecutor(workers=1))


def test_a_run_directory_is_judged_from_its_store_not_its_export(tmp_path: Path, tiny) -> None:
    """samples.jsonl in a run directory is an export: editing it changes neither what is judged nor what the
    store says each sample's completion was."""
    store = RunStore(tmp_path / "run.sqlite")
    store.add_sample({"task_id": "Tiny/0", "sample_id": 0, "completion": "    return a + b\n"})
    samples = write(tmp_path / "samples.jsonl", [{"task_id": "Tiny/0", "sample_id": 0, "completion": "    return 0\n"}])
    result = evaluate_samples(samples, tiny, ProcessExecutor(workers=1), store=store)
    assert [v.passed for v in result.verdicts] == [True]
    (row,) = [json.loads(x) for x in results_path_for(samples).read_text().splitlines()]
    assert row["completion"] == "    return a + b\n" and row["passed"]
    (judged,) = store.judged_samples()
    assert store.verdicts()[judged["verdict_key"]].passed
    store.close()


def test_an_edited_loose_file_is_judged_as_it_now_reads(tmp_path: Path, tiny) -> None:
    """Outside a run directory the file is the samples: its store keeps verdicts and the file as last judged."""
    samples = write(tmp_path / "s.jsonl", [{"task_id": "Tiny/0", "completion": "    return a + b\n"}])
    assert evaluate_samples(samples, tiny, ProcessExecutor(workers=1)).verdicts[0].passed
    write(samples, [{"task_id": "Tiny/0", "completion": "    return 0\n"}])
    assert not evaluate_samples(samples, tiny, ProcessExecutor(workers=1)).verdicts[0].passed
    with RunStore(store_path_for(samples)) as store:
        assert [r["completion"] for r in store.samples()] == ["    return 0\n"]
        (judged,) = store.judged_samples()
        assert not store.verdicts()[judged["verdict_key"]].passed
