"""Build small judged run directories without a model: chosen completions, judged by the real executor."""

from __future__ import annotations

import json
from pathlib import Path

from codexlab.evaluation.evaluate import evaluate_samples
from codexlab.execution import ProcessExecutor
from codexlab.generation.types import PAPER_STOPS
from codexlab.pipeline import open_run_store, run_config
from codexlab.problems import ProblemSet, load_problems

WRONG = "    return None\n"
CRASH = "    raise ValueError('boom')\n"


def make_run(
    run_dir: Path,
    completions: dict[str, list[str]],
    temperature: float = 0.8,
    logprobs: dict | None = None,
    problems: ProblemSet | None = None,
    extra: dict | None = None,
) -> Path:
    """A run dir over HumanEval problems (or `problems`): completions[task_id] are its samples in order, judged
    for real; extra[(task_id, i)] adds fields to sample i's record."""
    allp = problems or load_problems("humaneval")
    problems = ProblemSet(allp.name, [allp[t] for t in completions])
    params = {"temperature": temperature, "top_p": 0.95, "max_tokens": 64, "stop": list(PAPER_STOPS), "seed": 1}
    n = max(len(v) for v in completions.values())
    config = run_config(problems, "crafted", params, n, {"timeout_s": 3.0, "memory_mb": 1024})
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "config.json").write_text(json.dumps(config))
    lines = []
    for task_id, comps in completions.items():
        for i, c in enumerate(comps):
            lp = (logprobs or {}).get((task_id, i), [-0.5] * 4)
            rec = {"task_id": task_id, "sample_id": i, "completion": c, "tokens": list(range(len(lp)))}
            rec.update(logprobs=lp, mean_logprob=sum(lp) / len(lp), model="crafted", params=params)
            rec.update((extra or {}).get((task_id, i), {}))  # e.g. raw_text and finish_reason
            lines.append(json.dumps(rec) + "\n")
    (run_dir / "samples.jsonl").write_text("".join(lines))
    with open_run_store(run_dir, config, problems) as store, ProcessExecutor(workers=2) as ex:
        evaluate_samples(run_dir / "samples.jsonl", problems, ex, store=store)
    return run_dir


def canonical(task_id: str) -> str:
    return load_problems("humaneval")[task_id].canonical_solution
