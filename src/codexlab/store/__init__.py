"""The run store: one SQLite file (run.sqlite) per run directory, the source of truth for a run.

Samples are keyed by (task_id, sample_id) and carry the key of their verdict (`ExecutionJob.verdict_key`: the
program, its limits and the executor); verdicts are keyed by it, so the same program is judged once and two
runs can be joined row by row. The JSONL files beside it are exports in openai/human-eval's format
(`codexlab.store.jsonl_io`); `codexlab.store.lock` is the run directory's lock.
"""

from codexlab.store.db import STORE_NAME, RunStore, open_store
from codexlab.store.rundata import RunData, SampleRecord, distinct_names, load_run

__all__ = ["STORE_NAME", "RunData", "RunStore", "SampleRecord", "distinct_names", "load_run", "open_store"]
