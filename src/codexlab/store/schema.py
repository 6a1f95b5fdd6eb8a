"""The run store's tables. Bump SCHEMA_VERSION when a table changes shape."""

SCHEMA_VERSION = 1

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
    program_hash  TEXT,              -- sha256 of what runs (prompt, completion, tests, limits); NULL until known
    finish_reason TEXT,
    n_tokens      INTEGER,
    mean_logprob  REAL,
    sum_logprob   REAL,
    data          TEXT NOT NULL,     -- the full JSONL record (tokens, logprobs, model, params, ...)
    created_at    REAL NOT NULL,
    PRIMARY KEY (task_id, sample_id)
);
CREATE INDEX IF NOT EXISTS samples_by_hash ON samples (program_hash);
CREATE TABLE IF NOT EXISTS verdicts (
    program_hash   TEXT PRIMARY KEY,
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
