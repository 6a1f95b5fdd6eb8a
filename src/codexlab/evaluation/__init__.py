"""Evaluation: pass@k and the judging of samples files."""

from codexlab.evaluation.evaluate import EvaluationResult, evaluate_samples, read_samples, results_path_for
from codexlab.evaluation.pass_at_k import default_ks, mean_pass_at_k, pass_at_k, pass_at_k_table

__all__ = [
    "EvaluationResult",
    "default_ks",
    "evaluate_samples",
    "mean_pass_at_k",
    "pass_at_k",
    "pass_at_k_table",
    "read_samples",
    "results_path_for",
]
