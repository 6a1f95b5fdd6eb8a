"""Corpus building: sources -> filters -> exact dedup -> decontamination -> near-dup removal -> corpus.jsonl.

One streaming pass; only the dedup indexes grow with the corpus. The output is written to a temporary name and
renamed at the end, so an interrupted build leaves nothing half-done and rerunning simply builds again.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from codexlab.data.decontam import Decontaminator
from codexlab.data.dedup import ExactDedup, MinHashLSH
from codexlab.data.filters import REASONS, FilterConfig, check_file
from codexlab.data.sources import SourceFile, iter_sources
from codexlab.reports.progress import make_progress

CORPUS_FILE = "corpus.jsonl"
REPORT_FILE = "report.json"


@dataclass
class CorpusReport:
    """What was seen, kept and dropped (files and bytes per reason): the paper's filter table for this corpus."""

    sources: list[str] = field(default_factory=list)
    files_seen: int = 0
    bytes_seen: int = 0
    files_kept: int = 0
    bytes_kept: int = 0
    dropped_files: dict[str, int] = field(default_factory=dict)
    dropped_bytes: dict[str, int] = field(default_factory=dict)
    contaminated_tasks: dict[str, int] = field(default_factory=dict)

    def drop(self, reason: str, size: int) -> None:
        self.dropped_files[reason] = self.dropped_files.get(reason, 0) + 1
        self.dropped_bytes[reason] = self.dropped_bytes.get(reason, 0) + size

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)

    @classmethod
    def from_json(cls, text: str) -> CorpusReport:
        return cls(**json.loads(text))

    def rows(self) -> list[tuple[str, int, int]]:
        """(reason, files, bytes) in the order of the pipeline, then the kept total."""
        order = [*REASONS, "exact_duplicate", "contaminated", "near_duplicate"]
        out = [(r, self.dropped_files[r], self.dropped_bytes[r]) for r in order if r in self.dropped_files]
        return [("seen", self.files_seen, self.bytes_seen), *out, ("kept", self.files_kept, self.bytes_kept)]


def build_corpus(
    sources: list[str],
    out_dir: str | Path,
    *,
    filters: FilterConfig | None = None,
    decontaminator: Decontaminator | None = None,
    near_dup_threshold: float | None = 0.8,
    exclude: tuple[str, ...] = (),
    files: Iterable[SourceFile] | None = None,
    progress: bool = True,
) -> CorpusReport:
    """Write `out_dir/corpus.jsonl` (one {"origin", "text"} per kept file) and `out_dir/report.json`."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = CorpusReport(sources=list(sources))
    exact = ExactDedup()
    lsh_path = out / "lsh.sqlite.tmp"
    lsh_path.unlink(missing_ok=True)
    near = MinHashLSH(threshold=near_dup_threshold, path=lsh_path) if near_dup_threshold else None
    contaminated: Counter[str] = Counter()
    tmp = out / (CORPUS_FILE + ".tmp")
    stream = files if files is not None else iter_sources(sources, exclude)
    with open(tmp, "w", encoding="utf-8") as fh, make_progress(disable=not progress) as bar:
        task = bar.add_task("corpus", total=None, unit="files", extra="")
        for sf in stream:
            report.files_seen += 1
            report.bytes_seen += sf.size
            bar.update(task, advance=1, extra=f"kept {report.files_kept:,}")
            reason = _classify(sf, filters, exact, decontaminator, near, contaminated)
            if reason:
                report.drop(reason, sf.size)
                continue
            report.files_kept += 1
            report.bytes_kept += sf.size
            fh.write(json.dumps({"origin": sf.origin, "text": sf.data.decode("utf-8")}) + "\n")
    if near:
        near.close()
    lsh_path.unlink(missing_ok=True)
    report.contaminated_tasks = dict(sorted(contaminated.items()))
    os.replace(tmp, out / CORPUS_FILE)
    (out / REPORT_FILE).write_text(report.to_json())
    return report


def _classify(
    sf: SourceFile,
    filters: FilterConfig | None,
    exact: ExactDedup,
    decontaminator: Decontaminator | None,
    near: MinHashLSH | None,
    contaminated: Counter[str],
) -> str | None:
    reason = check_file(sf.data, sf.size, filters)
    if reason:
        return reason
    if exact.is_duplicate(sf.data):
        return "exact_duplicate"
    text = sf.data.decode("utf-8")
    if decontaminator is not None:
        hits = decontaminator.matches(text)
        if hits:
            contaminated.update(hits)
            return "contaminated"
    if near is not None and near.is_duplicate(text):
        return "near_duplicate"
    return None


def read_corpus(path: str | Path) -> Iterator[dict[str, str]]:
    """Records of a corpus directory (or corpus.jsonl file), streamed."""
    p = Path(path)
    if p.is_dir():
        p = p / CORPUS_FILE
    with open(p, encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def read_texts(path: str | Path) -> Iterator[str]:
    for rec in read_corpus(path):
        yield rec["text"]
