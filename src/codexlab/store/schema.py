"""The run store's tables. Bump SCHEMA_VERSION when a table changes shape."""

SCHEMA_VERSION = 2  # 2: program_hash columns renamed verdict_key (what they always held)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL              -- JSON
);
CREATE TABLE IF NOT EXISTS problems (
    task_id            TEXT PRIMARY KEY,
    position           INTEGER NOT NULL,
    prompt             TEXT NOT NULL,
    entry_point        TEXT NOT NULL,
    canonical_solution TEXT NOT NULL,
    test               TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS samples (
    task_id       TEXT NOT NULL,
    sample_id     INTEGER NOT NULL,
    completion    TEXT NOT NULL,
    verdict_key   TEXT,              -- ExecutionJob.verdict_key: the program with its limits, and the executor
                                     -- that judges it; NULL until known
    finish_reason TEXT,
    n_tokens      INTEGER,
    mean_logprob  REAL,
    sum_logprob   REAL,
    data          TEXT NOT NULL,     -- the full JSONL record (tokens, logprobs, model, params, ...)
    created_at    REAL NOT NULL,
    PRIMARY KEY (task_id, sample_id)
);
CREATE INDEX IF NOT EXISTS samples_by_key ON samples (verdict_key);
CREATE TABLE IF NOT EXISTS verdicts (
    verdict_key    TEXT PRIMARY KEY,
    status         TEXT NOT NULL,
    passed         INTEGER NOT NULL,
    detail         TEXT NOT NULL,
    duration_s     REAL NOT NULL,
    traceback      TEXT NOT NULL,
    peak_memory_kb INTEGER,
    isolation      TEXT NOT NULL,
    created_at     REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS timings (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    stage      TEXT NOT NULL,        -- generate, evaluate, import
    started_at REAL NOT NULL,
    seconds    REAL NOT NULL,
    items      INTEGER NOT NULL,
    info       TEXT NOT NULL         -- JSON
);
"""

# what turns a store of an older version into this one (run in order, each in one transaction)
MIGRATIONS = {
    1: """
ALTER TABLE samples RENAME COLUMN program_hash TO verdict_key;
ALTER TABLE verdicts RENAME COLUMN program_hash TO verdict_key;
DROP INDEX IF EXISTS samples_by_hash;
""",
}
