"""BLEU against functional correctness (the paper's Figure 8): is BLEU to the canonical solution a proxy?

Sentence BLEU-4 over code tokens (identifiers, numbers, strings, operators), with add-one smoothing of the
higher-order precisions (Lin & Och 2004) so that short programs do not all score zero. The paper found the
BLEU distributions of correct and incorrect samples overlap heavily: BLEU does not measure correctness.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from codexlab.analyses.common import Table, pyplot, save
from codexlab.store.rundata import RunData

_TOKEN = re.compile(r"[A-Za-z_][A-Za-z_0-9]*|\d+(?:\.\d+)?|\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'|\S")


def code_tokens(code: str) -> list[str]:
    """Split code into tokens, dropping comments; whitespace carries no weight."""
    code = re.sub(r"#[^\n]*", "", code)
    return _TOKEN.findall(code)


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def sentence_bleu(candidate: Sequence[str], reference: Sequence[str], max_n: int = 4) -> float:
    """BLEU-max_n of one candidate against one reference, in [0, 1]."""
    if not candidate or not reference:
        return 0.0
    log_p = 0.0
    for n in range(1, max_n + 1):
        cand, ref = _ngrams(candidate, n), _ngrams(reference, n)
        matches = sum(min(c, ref[g]) for g, c in cand.items())
        total = max(sum(cand.values()), 0)
        if n == 1:
            if matches == 0:
                return 0.0
            p = matches / total
        else:
            p = (matches + 1) / (total + 1)
        log_p += math.log(p) / max_n
    bp = 1.0 if len(candidate) > len(reference) else math.exp(1 - len(reference) / len(candidate))
    return bp * math.exp(log_p)


@dataclass
class BleuResult:
    correct: list[float]
    incorrect: list[float]
    problems_both: int  # problems with at least one correct and one incorrect sample
    problems_correct_higher: int  # of those, where the mean BLEU of correct samples is higher

    def table(self) -> Table:
        t = Table("BLEU-4 to the canonical solution, by verdict", ["samples", "n", "mean", "median", "p10", "p90"])
        for name, xs in (("correct", self.correct), ("incorrect", self.incorrect)):
            if xs:
                a = 100 * np.asarray(xs)
                row = [name, len(xs), float(a.mean()), float(np.median(a))]
                t.rows.append(row + [float(np.quantile(a, 0.1)), float(np.quantile(a, 0.9))])
            else:
                t.rows.append([name, 0, None, None, None, None])
        t.notes.append(
            f"(run, problem) pairs with both correct and incorrect samples: {self.problems_both}; mean BLEU of "
            f"the correct ones higher in {self.problems_correct_higher}"
        )
        return t


def compute(runs: Sequence[RunData]) -> BleuResult:
    correct: list[float] = []
    incorrect: list[float] = []
    both = higher = 0
    for run in runs:
        for task_id, samples in run.by_problem().items():
            prob = run.problems.get(task_id)
            if prob is None:
                continue
            ref = code_tokens(prob.canonical_solution)
            scores = {True: [], False: []}  # type: dict[bool, list[float]]
            for s in samples:
                if s.status != "unjudged":
                    scores[s.passed].append(sentence_bleu(code_tokens(s.completion), ref))
            correct += scores[True]
            incorrect += scores[False]
            if scores[True] and scores[False]:
                both += 1
                higher += float(np.mean(scores[True])) > float(np.mean(scores[False]))
    return BleuResult(correct, incorrect, both, higher)


def plot(result: BleuResult, path: Path) -> Path:
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    bins = np.linspace(0, 100, 26)
    for name, xs, color in (("correct", result.correct, "tab:green"), ("incorrect", result.incorrect, "tab:red")):
        if xs:
            ax.hist(100 * np.asarray(xs), bins=bins, alpha=0.55, density=True, color=color, label=f"{name} ({len(xs)})")
    ax.set_xlabel("BLEU-4 to the canonical solution")
    ax.set_ylabel("density")
    ax.set_title("BLEU of correct vs incorrect samples")
    ax.legend()
    return save(fig, path)
