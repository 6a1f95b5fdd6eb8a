"""Training examples in HumanEval's completion format, from problems whose solutions are whole programs (MBPP+).

HumanEval shows the model a signature and a docstring and takes the function's body, cut at the paper's stop
sequences ('\\ndef', '\\nclass', '\\nif', ...). A solution that leans on a module-level import or helper
function therefore fails there: the helper after the function is cut off, the import never written. So the
target taught here is the body made self-contained: the solution's imports and module-level helpers
(functions, classes, constants) are moved into the body's top, its own docstring dropped, and module-level
test code (asserts, prints, `if __name__`) left out. The body keeps its text and comments: a model's comments
are part of how it works a problem out, and bodies rewritten by `ast.unparse` (no comments) taught the
default model to stop writing them (docs/curation.md). The prompt is the solution's own signature with the
problem's description as the docstring, as HumanEval writes it.

Targets come from the reference solutions (the paper's Codex-S) or from the model's own passing samples
(rejection sampling, which keeps the model's style); `from_run` picks the latter from a judged run.
"""

from __future__ import annotations

import ast
import copy
import textwrap
import warnings
from collections.abc import Iterable

from codexlab.curation.filter import keep_solved
from codexlab.problems.types import Problem, ProblemSet
from codexlab.store.rundata import RunData

# Distinct passing samples taken per problem with `from_run`: two (one greedy, one sampled) is the measured
# Codex-S recipe (docs/curation.md); more would weight the easy problems, which every sample solves.
OWN_TARGETS_PER_PROBLEM = 2

HELPERS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign)


def description(problem: Problem) -> str:
    """The problem's statement: an MBPP-style prompt's text inside its triple quotes, else the entry point's
    docstring (HumanEval-style prompts), else the whole prompt."""
    text = problem.prompt.strip()
    for quote in ('"""', "'''"):
        if text.startswith(quote) and text.endswith(quote) and len(text) > 6:
            return textwrap.dedent(text[3:-3]).strip()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(problem.prompt + "\n    pass\n")
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == problem.entry_point:
                return (ast.get_docstring(node) or "").strip()
    except SyntaxError:
        pass
    return text


def completion_problem(problem: Problem, solution: str, task_id: str | None = None) -> Problem | None:
    """`problem` rewritten as a completion example whose target is `solution`'s entry point made
    self-contained (see the module's docstring); None where the solution does not parse or has no such
    function."""
    try:
        with warnings.catch_warnings():  # (model code: an invalid escape is its problem, not a warning here)
            warnings.simplefilter("ignore")
            tree = ast.parse(solution)
    except SyntaxError:
        return None
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == problem.entry_point]
    if not functions:
        return None
    fn = functions[-1]
    imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    helpers = [n for n in tree.body if isinstance(n, HELPERS) and n is not fn]
    body = list(fn.body)
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        body = body[1:]  # its own docstring: the prompt gives the problem's
    if not body:
        return None
    header = copy.copy(fn)
    header.body, header.decorator_list = [ast.Pass()], []
    signature = ast.unparse(header).splitlines()[0]
    doc = textwrap.indent(description(problem), "    ").lstrip()
    prompt = f'{signature}\n    """ {doc}\n    """\n'
    lines = solution.splitlines()
    parts = [_source(lines, node) for node in imports + helpers]
    # the body as written, comments included (a model's comments are part of how it reasons; ast.unparse would
    # drop them, and a fine-tune on comment-free bodies taught the default model to stop writing them)
    start = body[0].lineno
    while start - 1 > fn.lineno and lines[start - 2].strip().startswith("#"):
        start -= 1  # the comments just above the first statement belong to it
    written = textwrap.dedent("\n".join(lines[start - 1 : fn.end_lineno]))
    parts.append(written if body[0].lineno > fn.lineno else "\n".join(ast.unparse(n) for n in body))
    target = "".join(textwrap.indent(part.rstrip() + "\n", "    ", lambda line: bool(line.strip())) for part in parts)
    if not _compiles(prompt + target):  # text that dedent cannot move (a string spanning lines): as ast writes it
        target = "".join(textwrap.indent(ast.unparse(node), "    ") + "\n" for node in imports + helpers + body)
    return Problem(task_id or problem.task_id, prompt, problem.entry_point, target, problem.test)


def _source(lines: list[str], node: ast.stmt) -> str:
    """A top-level statement's own lines (decorators included), comments inside it kept."""
    decorators = getattr(node, "decorator_list", [])
    top = min([node.lineno, *(d.lineno for d in decorators)])
    return "\n".join(lines[top - 1 : node.end_lineno or node.lineno])


def _compiles(source: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, "<target>", "exec")
    except (SyntaxError, ValueError):
        return False
    return True


def reference_targets(problems: ProblemSet, only: Iterable[str] | None = None) -> ProblemSet:
    """Every problem (or those in `only`) with its reference solution as the target."""
    keep = set(only) if only is not None else None
    out = [
        c
        for p in problems.values()
        if keep is None or p.task_id in keep
        if (c := completion_problem(p, p.canonical_solution)) is not None
    ]
    return ProblemSet(f"{problems.name}-completion", out)


def from_run(problems: ProblemSet, runs: Iterable[RunData], per_problem: int = OWN_TARGETS_PER_PROBLEM) -> ProblemSet:
    """Rejection sampling: each problem's passing samples in the judged runs (at most `per_problem` distinct
    targets, in run then sample order) as targets; failing and unjudged samples are never used."""
    targets: dict[str, list[Problem]] = {}
    for run in runs:
        for s in run.samples:
            problem = problems.get(s.task_id)
            have = targets.setdefault(s.task_id, [])
            if problem is None or not s.passed or len(have) >= per_problem:
                continue
            made = completion_problem(problem, s.completion, f"{s.task_id}#{len(have)}" if have else None)
            if made is not None and all(made.canonical_solution != h.canonical_solution for h in have):
                have.append(made)
    return ProblemSet(f"{problems.name}-own", [c for t in problems if t in targets for c in targets[t]])


def solved_in(problems: ProblemSet, runs: Iterable[RunData]) -> ProblemSet:
    """The problems with a passing sample in the judged runs: the paper's filter (`filter.keep_solved`), on
    samples already drawn."""
    outcomes: dict[str, list[bool]] = {}
    for run in runs:
        for task_id, passed in run.outcomes().items():
            outcomes.setdefault(task_id, []).extend(passed)
    return keep_solved(problems, outcomes, max((len(v) for v in outcomes.values()), default=0)).kept


def hold_out(problems: ProblemSet, every: int) -> tuple[ProblemSet, ProblemSet]:
    """(training problems, every `every`-th problem held out to choose settings on); `every` 0 holds none."""
    ids = list(problems)
    held = set(ids[every - 1 :: every]) if every else set()
    return problems.subset([t for t in ids if t not in held]), problems.subset([t for t in ids if t in held])
