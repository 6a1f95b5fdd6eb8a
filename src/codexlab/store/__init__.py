"""The run store: one SQLite file (run.sqlite) per run directory, the source of truth for a run.

Samples are keyed by (task_id, sample_id) and carry the content hash of the program they make; verdicts are
keyed by that hash, so the same program is judged once and two runs can be joined row by row. The JSONL files
beside it stay the openai/human-eval-compatible interface (see `codexlab.store.jsonl_io`).
"""

from codexlab.store.db import STORE_NAME, RunStore, open_store
from codexlab.store.rundata import ProblemInfo, RunData, SampleRecord, load_run

__all__ = ["STORE_NAME", "ProblemInfo", "RunData", "RunStore", "SampleRecord", "load_run", "open_store"]
