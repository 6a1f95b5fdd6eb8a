#!/bin/sh
# The commands behind every number in docs/analyses.md (run from the repository root after
# docs/analyses_sweep.sh). RUNS lists the sweep's run directories (default: those that exist).
set -e
C=.venv/bin/codexlab
OUT=runs/analyses40
mkdir -p $OUT
RUNS=${RUNS:-$(ls -d runs/sweep40-t* | grep -v '\.log$')}
HOT=$(echo $RUNS | tr ' ' '\n' | tail -1)
COLD=$(echo $RUNS | tr ' ' '\n' | head -1)
$C runs runs --json > $OUT/runs.json
$C analyze sweep $RUNS --k 1,5,10,20 --out $OUT --json > $OUT/sweep.out.json
for R in $RUNS; do
  $C analyze ranking $R --out $OUT/ranking-$(basename $R) --json > $OUT/ranking-$(basename $R).out.json
  .venv/bin/python docs/analyses_paired_ranking.py $R 10 > $OUT/paired-ranking-$(basename $R).txt
done
$C analyze bleu $RUNS --out $OUT --json > $OUT/bleu.out.json
$C analyze failures $RUNS --out $OUT --json > $OUT/failures.out.json
$C analyze lengths $RUNS --out $OUT --json > $OUT/lengths.out.json
$C analyze difficulty $HOT --out $OUT --json > $OUT/difficulty.out.json
$C compare $COLD $HOT --k 1,10,20 --json > $OUT/compare.json
$C report $HOT --compare $COLD --out $OUT/report.html --screenshot docs/report-overview.png --height 1400
$C report $HOT --compare $COLD --out $OUT/report.html --screenshot docs/report-problem.png \
  --problem HumanEval/0 --height 1100
