"""The Ray executor against a real local Ray started here: same verdicts as the local sandbox."""

from __future__ import annotations

import pytest

from codexlab.execution import ExecutionJob, Limits, Status, make_executor

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def test_ray_executor_judges_like_the_sandbox(local_ray, humaneval) -> None:
    problems = list(humaneval.values())[:12]
    jobs = [ExecutionJob(p.task_id, p, p.canonical_solution, Limits(timeout_s=10)) for p in problems]
    jobs.append(ExecutionJob("dup", problems[0], problems[0].canonical_solution, Limits(timeout_s=10)))
    jobs.append(ExecutionJob("wrong", problems[1], "    return None\n", Limits(timeout_s=10)))
    jobs.append(ExecutionJob("loop", problems[2], "    while True:\n        pass\n", Limits(timeout_s=1)))
    with make_executor("ray", workers=2) as ex:
        assert ex.name == "ray" and "seccomp" in ex.isolation  # type: ignore[attr-defined]
        verdicts = dict(ex.map(jobs))
    assert set(verdicts) == {j.key for j in jobs}
    assert all(verdicts[p.task_id].passed for p in problems)
    assert verdicts["dup"] is verdicts[problems[0].task_id]
    assert verdicts["wrong"].status in (Status.FAILED, Status.ERROR)
    assert verdicts["loop"].status is Status.TIMEOUT
