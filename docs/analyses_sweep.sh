#!/bin/sh
# The temperature sweep behind docs/analyses.md: the first 40 HumanEval problems, n=20 samples per problem,
# top_p 0.95, at most 256 new tokens, with the default model. Each run resumes if interrupted.
set -e
for T in ${TEMPERATURES:-0.2 0.6 0.8}; do
  .venv/bin/codexlab run --model default --limit 40 --n 20 --temperature $T --max-tokens 256 \
    --run-dir runs/sweep40-t$T --no-progress
done
