"""Generate one temperature of the docs/analyses.md sweep with a single llama.cpp thread.

On a 2-core machine shared with other jobs, one thread per process wastes less time in thread synchronisation
than llama.cpp's default of one thread per core, so the temperatures run as parallel processes instead.
Writes a normal run directory (config.json, samples.jsonl, results, summary.json) that `codexlab` reads.

    python docs/analyses_sweep.py RUN_DIR TEMPERATURE N_PROBLEMS N MAX_TOKENS
"""

from __future__ import annotations

import sys
from pathlib import Path

from codexlab.evaluation.evaluate import evaluate_samples, write_summary
from codexlab.execution import ProcessExecutor
from codexlab.generation.llamacpp import LlamaCppGenerator
from codexlab.generation.model_files import resolve_model
from codexlab.generation.sampling import generate_samples
from codexlab.generation.types import PAPER_STOPS, SamplingParams
from codexlab.pipeline import prepare_run_dir, run_config
from codexlab.problems import load_problems


def main() -> None:
    run_dir, temp, n_problems, n, max_tokens = Path(sys.argv[1]), float(sys.argv[2]), *map(int, sys.argv[3:6])
    allp = load_problems("humaneval")
    problems = allp.subset(list(allp)[:n_problems])
    params = SamplingParams(temperature=temp, top_p=0.95, max_tokens=max_tokens, stop=PAPER_STOPS, seed=1234)
    gen = LlamaCppGenerator(resolve_model("default"), n_ctx=2048, n_threads=1)
    config = run_config(problems, gen.model_id, params.to_dict(), n, {"timeout_s": 3.0, "memory_mb": 1024})
    prepare_run_dir(run_dir, config)
    generate_samples(problems, gen, params, n, run_dir / "samples.jsonl")
    gen.close()
    with ProcessExecutor(workers=1) as ex:
        result = evaluate_samples(run_dir / "samples.jsonl", problems, ex)
    write_summary(run_dir / "summary.json", result.summary())


if __name__ == "__main__":
    main()
