"""Generate docstrings with a model (Codex-D) into a JSONL file, beside the original docstrings.

Each line: task_id, sample_id, original_docstring, generated_docstring, prompt_format, raw (the model's text),
model. Appends as it goes; rerunning with the same output resumes (task_id, sample_id pairs already written
are skipped). The HTML report can show the two docstrings side by side from this file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from codexlab.docstrings.parts import split_prompt
from codexlab.docstrings.prompts import DOC_STOP, chat_messages, clean_completion, clean_reply, completion_prompt
from codexlab.generation.chat import ChatGenerator, ChatRenderer
from codexlab.generation.sampling import existing_sample_ids
from codexlab.generation.types import Generator, Sample, SamplingParams
from codexlab.jsonl import JsonlAppender
from codexlab.problems.types import Problem, ProblemSet

PROMPT_FORMATS = ("completion", "chat")


def _renderer(generator: Generator) -> ChatRenderer:
    inner = generator.inner if isinstance(generator, ChatGenerator) else generator
    if not isinstance(inner, ChatRenderer):
        raise ValueError(f"{type(inner).__name__} cannot render chat prompts; use prompt_format='completion'")
    return inner


def docstring_samples(
    problem: Problem, generator: Generator, params: SamplingParams, n: int, seed: int, prompt_format: str
) -> Iterator[tuple[str, Sample]]:
    """(docstring, raw sample) pairs for one problem in the given prompt format."""
    if prompt_format == "chat":
        renderer = _renderer(generator)
        prompt = renderer.render_chat(chat_messages(problem))
        gen: Any = renderer
        for s in gen.generate(prompt, replace(params, stop=()), n=n, seed=seed):
            yield clean_reply(s.raw_text if s.raw_text is not None else s.completion), s
    elif prompt_format == "completion":
        inner = generator.inner if isinstance(generator, ChatGenerator) else generator
        for s in inner.generate(completion_prompt(problem), replace(params, stop=(DOC_STOP,)), n=n, seed=seed):
            yield clean_completion(s.completion), s
    else:
        raise ValueError(f"unknown prompt format {prompt_format!r}; choose one of {PROMPT_FORMATS}")


def generate_docstrings(
    problems: ProblemSet,
    generator: Generator,
    params: SamplingParams,
    n: int,
    out_path: Path,
    prompt_format: str = "chat",
    on_sample: Callable[[str, int], None] | None = None,
) -> int:
    """Write n generated docstrings per problem (those with a docstring to compare against); return how many
    were generated. Sample i uses seed params.seed + i, so a resumed run writes what an uninterrupted one would."""
    done = existing_sample_ids(out_path)
    made = 0
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with JsonlAppender(out_path) as out:
        for task_id, problem in problems.items():
            have = done.get(task_id, set())
            missing = [i for i in range(n) if i not in have]
            if not missing:
                continue
            original = split_prompt(problem).docstring
            first = missing[0]
            for offset, (doc, s) in enumerate(
                docstring_samples(problem, generator, params, n - first, params.seed + first, prompt_format)
            ):
                i = first + offset
                if i in have:
                    continue
                out.write(
                    {
                        "task_id": task_id,
                        "sample_id": i,
                        "original_docstring": original,
                        "generated_docstring": doc,
                        "prompt_format": prompt_format,
                        "raw": s.raw_text if s.raw_text is not None else s.completion,
                        "finish_reason": s.finish_reason,
                        "model": generator.model_id,
                    }
                )
                made += 1
                if on_sample:
                    on_sample(task_id, i)
    return made
