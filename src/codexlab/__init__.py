"""codexlab: evaluate, execute and train code models the way the Codex paper did.

The package layout mirrors the pipeline: problems -> generation -> execution -> evaluation -> reports.
The names below are the public Python API (imported on first use, so `import codexlab` stays light):

    import codexlab
    problems = codexlab.load_problems("humaneval")
    result = codexlab.evaluate([{"task_id": "HumanEval/0", "completion": "    return False\\n"}], problems)
    done = codexlab.run("default", problems, n=10, params=codexlab.SamplingParams(temperature=0.8))
"""

from codexlab.lazy import lazy_exports

__version__ = "0.1.0"

_EXPORTS = {
    # the pipeline, as `codexlab run` and `codexlab evaluate` run it
    "run": "codexlab.api",
    "evaluate": "codexlab.api",
    "RunResult": "codexlab.api",
    "Progress": "codexlab.api",
    # problems
    "load_problems": "codexlab.problems",
    "Problem": "codexlab.problems",
    "ProblemSet": "codexlab.problems",
    # generation
    "load_generator": "codexlab.generation.registry",
    "Generator": "codexlab.generation.types",
    "Sample": "codexlab.generation.types",
    "SamplingParams": "codexlab.generation.types",
    # execution
    "make_executor": "codexlab.execution",
    "Executor": "codexlab.execution",
    "ExecutionJob": "codexlab.execution",
    "Limits": "codexlab.execution",
    "Status": "codexlab.execution",
    "Verdict": "codexlab.execution",
    # evaluation
    "EvaluationResult": "codexlab.evaluation",
    "pass_at_k": "codexlab.evaluation",
    # the run store: one record per sample, with its verdict once judged
    "SampleRecord": "codexlab.store",
    "RunData": "codexlab.store",
    "load_run": "codexlab.store",
}
__getattr__ = lazy_exports(_EXPORTS)
__all__ = ["__version__", *sorted(_EXPORTS)]
