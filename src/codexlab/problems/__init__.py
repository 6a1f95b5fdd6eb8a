"""Problems: what a model is asked to solve (HumanEval and any file in its format)."""

from codexlab.problems.loader import humaneval_path, load_problems, load_problems_file
from codexlab.problems.types import Problem, ProblemSet

__all__ = ["Problem", "ProblemSet", "humaneval_path", "load_problems", "load_problems_file"]
