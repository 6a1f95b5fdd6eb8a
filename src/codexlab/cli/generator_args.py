"""Build a generator from the shared model/sampling arguments (for the blocks, curate and docstrings commands)."""

from __future__ import annotations

import argparse

from codexlab.errors import CodexlabError
from codexlab.generation.types import Generator


def generator_from_args(args: argparse.Namespace, prompt_format: str | None = None) -> Generator:
    """The generator `run` would build for these arguments; `prompt_format` overrides --prompt-format."""
    from codexlab.generation.registry import load_generator

    if args.parallel is not None and args.parallel < 1:
        raise CodexlabError("--parallel must be at least 1")
    return load_generator(
        args.model,
        backend=args.backend,
        prompt_format=prompt_format or args.prompt_format,
        n_ctx=args.n_ctx,
        n_threads=args.threads,
        parallel=args.parallel,
        base_url=args.base_url,
        concurrency=args.api_concurrency,
        timeout=args.api_timeout,
        max_retries=args.api_retries,
        device=args.device,
        tensor_parallel_size=args.tensor_parallel_size,
        data_parallel_size=args.data_parallel_size,
    )
