#!/bin/sh
# The commands behind every number in docs/analyses.md (run from the repository root, after the sweep runs).
set -e
C=.venv/bin/codexlab
OUT=runs/analyses
mkdir -p $OUT
for T in 0.2 0.6 0.8; do
  $C evaluate runs/sweep-t$T/samples.jsonl --limit 16 --workers 1 --no-progress --json > $OUT/eval-t$T.json
done
$C runs runs --json > $OUT/runs.json
$C analyze sweep runs/sweep-t0.2 runs/sweep-t0.6 runs/sweep-t0.8 --k 1,10 --out $OUT --json > $OUT/sweep.out.json
$C analyze ranking runs/sweep-t0.8 --out $OUT --json > $OUT/ranking.out.json
$C analyze bleu runs/sweep-t0.2 runs/sweep-t0.6 runs/sweep-t0.8 --out $OUT --json > $OUT/bleu.out.json
$C analyze failures runs/sweep-t0.2 runs/sweep-t0.6 runs/sweep-t0.8 --out $OUT --json > $OUT/failures.out.json
$C analyze lengths runs/sweep-t0.2 runs/sweep-t0.6 runs/sweep-t0.8 --out $OUT --json > $OUT/lengths.out.json
$C analyze difficulty runs/sweep-t0.8 --out $OUT --json > $OUT/difficulty.out.json
$C compare runs/sweep-t0.2 runs/sweep-t0.8 --k 1,10 --json > $OUT/compare.json
$C report runs/sweep-t0.8 --compare runs/sweep-t0.2 --out $OUT/report.html \
  --screenshot docs/report-overview.png --height 1400
$C report runs/sweep-t0.8 --compare runs/sweep-t0.2 --out $OUT/report.html \
  --screenshot docs/report-problem.png --problem HumanEval/0 --height 1100
