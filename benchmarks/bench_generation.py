"""Batched decoding and prompt reuse against the naive loop: samples/s and generated tokens/s, n per problem.

Three arms on the same llama.cpp model instance, the same problems and the same seeds:
  batched    the prompt evaluated once, its KV cells shared by up to --parallel samples decoded side by
             side in one batch per step (continuous batching; codexlab's default)
  reuse      the prompt evaluated once, samples decoded one after another from its restored KV state
  naive      one full generation call per sample, prompt included (what most harnesses do)
Arms alternate problem by problem so that load from other processes on a shared machine falls on all alike.
Reuse is exact, so reuse and naive must produce identical samples (checked). Batched arithmetic rounds
differently from one-row decoding, so batched samples can part from the others after some tokens: the script
counts how many are identical.

    .venv/bin/python benchmarks/bench_generation.py            # default model, 3 problems, n=20, 64 new tokens
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

from codexlab.generation.llamacpp import DEFAULT_PARALLEL, LlamaCppGenerator
from codexlab.generation.model_files import resolve_model
from codexlab.generation.types import SamplingParams
from codexlab.problems import load_problems

DEFAULT_TASKS = "HumanEval/0,HumanEval/37,HumanEval/58"  # prompts of the median HumanEval length (118 tokens)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="default", help="embedded model name or .gguf path (default: default)")
    ap.add_argument("--task-ids", default=DEFAULT_TASKS, help=f"HumanEval problems (default {DEFAULT_TASKS})")
    ap.add_argument("--n", type=int, default=20, help="samples per problem (default 20)")
    ap.add_argument("--max-tokens", type=int, default=64, help="maximum new tokens per sample (default 64)")
    ap.add_argument("--temperature", type=float, default=0.8)
    ap.add_argument("--threads", type=int, default=None, help="llama.cpp threads (default: all cores)")
    ap.add_argument("--parallel", type=int, default=DEFAULT_PARALLEL, help="batched arm's slots (default 8)")
    ap.add_argument("--seed", type=int, default=1234)
    args = ap.parse_args(argv)

    problems = load_problems("humaneval")
    tasks = [t.strip() for t in args.task_ids.split(",") if t.strip()]
    gen = LlamaCppGenerator(resolve_model(args.model), n_ctx=2048, n_threads=args.threads)
    params = SamplingParams(temperature=args.temperature, max_tokens=args.max_tokens, seed=args.seed)
    threads = args.threads or os.cpu_count()
    print(
        f"model {gen.model_id}; {len(tasks)} problems x n={args.n}; max_tokens={args.max_tokens}; "
        f"T={args.temperature}; threads={threads}; parallel={args.parallel}; {platform.machine()}"
    )
    arms = {"batched": (True, args.parallel), "reuse": (True, 1), "naive": (False, 1)}
    totals = {arm: [0.0, 0, 0] for arm in arms}  # seconds, samples, tokens
    exact = True
    same_batched = 0
    for task in tasks:
        prompt = problems[task].prompt
        n_prompt = len(gen.tokenize(prompt))
        outputs = {}
        for arm, (reuse, parallel) in arms.items():
            gen.reuse_prompt, gen.parallel = reuse, parallel
            before = gen.tokens_generated
            t0 = time.perf_counter()
            outputs[arm] = [(s.completion, tuple(s.tokens)) for s in gen.generate(prompt, params, n=args.n)]
            dt = time.perf_counter() - t0
            made = gen.tokens_generated - before
            totals[arm][0] += dt
            totals[arm][1] += args.n
            totals[arm][2] += made
            print(f"  {task:14s} prompt {n_prompt:4d} tok  {arm:8s}: {dt:7.1f} s  {made:5d} tok generated", flush=True)
        exact &= outputs["reuse"] == outputs["naive"]
        same_batched += sum(a == b for a, b in zip(outputs["batched"], outputs["reuse"]))

    print()
    print(f"{'arm':34s} {'samples':>8s} {'gen tok':>8s} {'seconds':>8s} {'samples/s':>10s} {'tok/s':>8s}")
    names = {
        "batched": f"batched, {args.parallel} in parallel",
        "reuse": "prompt reuse, one at a time",
        "naive": "naive (full call per sample)",
    }
    rate = {}
    for arm, (secs, samples, toks) in totals.items():
        rate[arm] = (samples / secs, toks / secs)
        print(f"{names[arm]:34s} {samples:8d} {toks:8d} {secs:8.1f} {samples / secs:10.3f} {toks / secs:8.1f}")
    print()
    for a, b in (("batched", "naive"), ("reuse", "naive"), ("batched", "reuse")):
        print(
            f"speed-up {a} / {b}: samples/s {rate[a][0] / rate[b][0]:.2f}x, "
            f"generated tokens/s {rate[a][1] / rate[b][1]:.2f}x"
        )
    print(f"reuse and naive samples identical: {'yes' if exact else 'NO'}")
    print(f"batched samples identical to one-at-a-time: {same_batched} of {len(tasks) * args.n}")
    gen.close()
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
