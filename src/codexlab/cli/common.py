"""Arguments and helpers shared by the sub-commands (problems, sampling, execution, output)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from codexlab.errors import CodexlabError, InputError
from codexlab.execution import Executor, Limits
from codexlab.generation.types import PAPER_STOPS, SamplingParams
from codexlab.problems import ProblemSet, load_problems
from codexlab.problems.evalplus import MBPP_STOPS
from codexlab.problems.loader import DATASETS, PLUS_DATASETS


def add_problem_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("problems")
    g.add_argument(
        "--dataset",
        default="humaneval",
        help="named problem set: humaneval (default, 164 problems), humaneval+ (EvalPlus's HumanEval+: base and "
        "plus inputs), humaneval+-base (its base inputs only), humaneval+mini, humaneval+mini-base",
    )
    g.add_argument("--problems", metavar="FILE", help="a HumanEval-format JSONL or JSONL.gz file (overrides --dataset)")
    g.add_argument("--limit", type=int, metavar="N", help="only the first N problems")
    g.add_argument("--task-ids", metavar="IDS", help="comma-separated task_ids to keep, e.g. HumanEval/0,HumanEval/5")


def load_problems_arg(spec: str) -> ProblemSet:
    """A problems file if `spec` is an existing path, else a named dataset (e.g. humaneval)."""
    if Path(spec).exists():
        return load_problems(problems_file=spec)
    if spec not in DATASETS and spec not in PLUS_DATASETS:
        names = ", ".join([*DATASETS, *PLUS_DATASETS])
        raise InputError(spec, f"no such problems file, nor a dataset name ({names})")
    return load_problems(spec)


def load_problem_args(args: argparse.Namespace) -> ProblemSet:
    problems = load_problems(args.dataset, args.problems)
    ids = list(problems)
    if getattr(args, "task_ids", None):
        wanted = [t.strip() for t in args.task_ids.split(",") if t.strip()]
        missing = [t for t in wanted if t not in problems]
        if missing:
            raise CodexlabError(f"--task-ids: unknown task_id {missing[0]!r} in {problems.name!r}")
        ids = wanted
    if getattr(args, "limit", None):
        if args.limit < 1:
            raise CodexlabError("--limit must be at least 1")
        ids = ids[: args.limit]
    return problems.subset(ids) if len(ids) != len(problems) else problems


def add_sampling_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("model and sampling")
    g.add_argument(
        "--model",
        default="default",
        help="'default' (Qwen2.5-Coder-0.5B-Instruct Q4_K_M, fetched on first use), "
        "'smollm2-135m', or a path to any .gguf file",
    )
    g.add_argument("--n", type=int, default=1, help="samples per problem (default 1; the paper used 200)")
    g.add_argument("--temperature", type=float, default=0.0, help="0 = greedy (default)")
    g.add_argument("--top-p", type=float, default=0.95, help="nucleus sampling mass (default 0.95, as the paper)")
    g.add_argument("--max-tokens", type=int, default=512, help="maximum new tokens per sample (default 512)")
    g.add_argument("--seed", type=int, default=1234, help="sample i of each problem uses seed+i (default 1234)")
    g.add_argument(
        "--stop",
        action="append",
        metavar="TEXT",
        help="stop sequence (repeatable; escapes like \\n allowed). Default: the paper's "
        + ", ".join(repr(s) for s in PAPER_STOPS)
        + " (for MBPP+, EvalPlus's: "
        + ", ".join(repr(s) for s in MBPP_STOPS)
        + ")",
    )
    g.add_argument("--n-ctx", type=int, default=2048, help="llama.cpp context size (default 2048)")
    g.add_argument(
        "--backend",
        default="auto",
        choices=("auto", "llamacpp", "transformers", "vllm", "openai"),
        help="auto (default): llama.cpp for .gguf files and embedded names, transformers for a checkpoint "
        "directory, openai when --base-url is given",
    )
    g.add_argument(
        "--prompt-format",
        default="completion",
        choices=("completion", "chat"),
        help="completion (default): the HumanEval prompt as the prefix; chat: the model's chat template with an "
        "instruction, and the function extracted from the reply (see docs/generation.md)",
    )
    g.add_argument("--base-url", help="OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1 (--backend openai)")
    g.add_argument("--api-concurrency", type=int, default=4, help="parallel HTTP requests (default 4)")
    g.add_argument("--api-timeout", type=float, default=120.0, help="seconds per HTTP request (default 120)")
    g.add_argument("--api-retries", type=int, default=5, help="retries on 429/5xx/connection errors (default 5)")
    g.add_argument("--threads", type=int, help="llama.cpp CPU threads (default: all cores)")
    g.add_argument(
        "--parallel",
        type=int,
        help="llama.cpp: samples of one prompt decoded side by side in one batch (default 8; 1 = one at a time)",
    )
    g.add_argument("--device", help="transformers: cpu, cuda, cuda:1 ... (default: cuda if available)")
    g.add_argument("--tensor-parallel-size", type=int, help="vLLM: GPUs per model replica")
    g.add_argument("--data-parallel-size", type=int, help="vLLM: model replicas")


def sampling_params(args: argparse.Namespace, problems: ProblemSet | None = None) -> SamplingParams:
    """The sampling flags; without --stop, the problem set's own stop sequences (MBPP's) or else the paper's."""
    if args.n < 1:
        raise CodexlabError("--n must be at least 1")
    if args.temperature < 0:
        raise CodexlabError("--temperature must be >= 0")
    if not 0 < args.top_p <= 1:
        raise CodexlabError("--top-p must be in (0, 1]")
    if args.temperature == 0 and args.n > 1:
        print("codexlab: note: temperature 0 is greedy, so all samples of a problem are identical", file=sys.stderr)
    default = problems.stops if problems is not None and problems.stops else PAPER_STOPS
    stops = tuple(s.encode().decode("unicode_escape") for s in args.stop) if args.stop else default
    return SamplingParams(
        temperature=args.temperature, top_p=args.top_p, max_tokens=args.max_tokens, stop=stops, seed=args.seed
    )


def add_execution_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("execution")
    g.add_argument(
        "--executor",
        default="auto",
        help="where samples run: auto (the strongest sandbox this host allows), sandbox, sandbox-inproc, "
        "process (not a sandbox), ray",
    )
    g.add_argument(
        "--unsafe",
        action="store_true",
        help="allow untrusted samples to run without a confining sandbox layer where this host has none "
        "(auto then uses the process executor: rlimits and process groups only)",
    )
    g.add_argument("--workers", type=int, default=None, help="parallel workers (default: number of CPUs)")
    g.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="a fixed wall-clock limit per sample, in seconds, as openai/human-eval has (its 3 s is the default "
        "of commands that do not calibrate). `run` and `evaluate` default to limits calibrated per problem "
        "on this machine: CPU time max(1 s, 4x the canonical solution's), wall clock 5x that",
    )
    g.add_argument("--memory-mb", type=int, default=1024, help="address-space limit per sample in MiB (default 1024)")


def make_executor_from_args(args: argparse.Namespace) -> Executor:
    from codexlab.execution import make_executor

    return make_executor(args.executor, workers=args.workers, unsafe=args.unsafe)


def limits_from_args(args: argparse.Namespace) -> Limits:
    """Fixed limits: --timeout (default 3 s, openai/human-eval's) and --memory-mb."""
    timeout = Limits().timeout_s if args.timeout is None else args.timeout
    if timeout <= 0:
        raise CodexlabError("--timeout must be positive")
    return Limits(timeout_s=timeout, memory_bytes=args.memory_mb << 20)


def add_output_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print a machine-readable summary on stdout")
    p.add_argument("--no-progress", action="store_true", help="hide progress bars")


def emit_json(obj: Any) -> None:
    print(json.dumps(obj, indent=2))
