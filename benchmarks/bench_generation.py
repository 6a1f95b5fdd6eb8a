"""Prompt reuse against the naive loop: samples/s and generated tokens/s for n samples per problem.

Both arms use the same llama.cpp model instance, the same problems and the same seeds; the only difference is
`reuse_prompt`: evaluate the prompt once per problem and restore its KV state for every sample, or evaluate it
again for every sample (one full generation call per sample). Arms alternate problem by problem so that load
from other processes on a shared machine falls on both alike. Because reuse is exact, both arms must produce
identical samples; the script checks that too.

    .venv/bin/python benchmarks/bench_generation.py            # default model, 3 problems, n=20, 64 new tokens
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

from codexlab.generation.llamacpp import LlamaCppGenerator
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
    ap.add_argument("--seed", type=int, default=1234)
    args = ap.parse_args(argv)

    problems = load_problems("humaneval")
    tasks = [t.strip() for t in args.task_ids.split(",") if t.strip()]
    gen = LlamaCppGenerator(resolve_model(args.model), n_ctx=2048, n_threads=args.threads)
    params = SamplingParams(temperature=args.temperature, max_tokens=args.max_tokens, seed=args.seed)
    threads = args.threads or os.cpu_count()
    print(
        f"model {gen.model_id}; {len(tasks)} problems x n={args.n}; max_tokens={args.max_tokens}; "
        f"T={args.temperature}; threads={threads}; {platform.machine()}"
    )
    totals = {True: [0.0, 0, 0], False: [0.0, 0, 0]}  # seconds, samples, tokens
    identical = True
    for task in tasks:
        prompt = problems[task].prompt
        n_prompt = len(gen.tokenize(prompt))
        outputs = {}
        for reuse in (True, False):
            gen.reuse_prompt = reuse
            before = gen.tokens_generated
            t0 = time.perf_counter()
            outputs[reuse] = [(s.completion, tuple(s.tokens)) for s in gen.generate(prompt, params, n=args.n)]
            dt = time.perf_counter() - t0
            made = gen.tokens_generated - before
            totals[reuse][0] += dt
            totals[reuse][1] += args.n
            totals[reuse][2] += made
            label = "reuse" if reuse else "naive"
            print(f"  {task:14s} prompt {n_prompt:4d} tok  {label}: {dt:7.1f} s  {made:5d} tok generated", flush=True)
        identical &= outputs[True] == outputs[False]

    print()
    print(f"{'arm':28s} {'samples':>8s} {'gen tok':>8s} {'seconds':>8s} {'samples/s':>10s} {'tok/s':>8s}")
    rate = {}
    for reuse, name in ((True, "prompt reuse (KV restore)"), (False, "naive (full call per sample)")):
        secs, samples, toks = totals[reuse]
        rate[reuse] = (samples / secs, toks / secs)
        print(f"{name:28s} {samples:8d} {toks:8d} {secs:8.1f} {samples / secs:10.3f} {toks / secs:8.1f}")
    print(
        f"\nspeed-up (reuse / naive): samples/s {rate[True][0] / rate[False][0]:.2f}x, "
        f"generated tokens/s {rate[True][1] / rate[False][1]:.2f}x"
    )
    print(f"identical samples in both arms: {'yes' if identical else 'NO'}")
    gen.close()
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
