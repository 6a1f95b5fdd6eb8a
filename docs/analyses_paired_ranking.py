"""Paired difference (mean log-prob minus random, pass@1 of k=10) with a bootstrap CI over problems.

python docs/analyses_paired_ranking.py runs/sweep40-t0.8 10
"""

import sys

import numpy as np

from codexlab.analyses.ranking import candidates
from codexlab.evaluation.metrics import bootstrap_mean, paired_bootstrap_p
from codexlab.evaluation.ranking import pass1_of_k
from codexlab.store import load_run

run, k = load_run(sys.argv[1]), int(sys.argv[2])
cands = {t: v for t, v in candidates(run).items() if len(v) >= k}
d = np.array([pass1_of_k(v, k, "mean_logprob") - pass1_of_k(v, k, "random") for v in cands.values()])
print(f"{len(d)} problems; mean_logprob - random at k={k}: {bootstrap_mean(d)}; p={paired_bootstrap_p(d):.3g}")
