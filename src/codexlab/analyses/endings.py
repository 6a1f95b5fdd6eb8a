"""How completions end, and the junk they keep: what a fine-tune's ending convention is checked with.

A completion ends at a stop sequence (which one: the text the generator cut, kept in `raw_text`), at the
model's end-of-text token, or at the token limit. What is left can still hold junk that breaks the program:
a code fence (an instruct model closing its markdown) or module-level code after a function body (a line at
column 0 in a completion-mode body). One row per run, so before and after a fine-tune sit side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from codexlab.analyses.common import Table, pyplot, save
from codexlab.store.rundata import RunData, SampleRecord, distinct_names

KINDS = ("stop sequence", "end-of-text", "token limit")


def ending(sample: SampleRecord, stops: list[str]) -> tuple[str, str]:
    """(kind, detail): which of KINDS ended the sample, and for a stop sequence the one of `stops` that cut it
    ("sanitizer" where the kept program ends before it: a sanitized reply, MBPP style)."""
    if sample.finish_reason == "length":
        return "token limit", ""
    raw = sample.raw_text or str(sample.data.get("raw_text") or "")
    if len(raw) <= len(sample.completion):
        return "end-of-text", ""
    rest = raw[len(sample.completion) :] if raw.startswith(sample.completion) else ""
    cut = [s for s in stops if s and rest.startswith(s)]
    if cut:
        return "stop sequence", max(cut, key=len)
    return ("stop sequence", "sanitizer") if any(s and s in raw for s in stops) else ("end-of-text", "")


def has_fence(completion: str) -> bool:
    return "```" in completion


def has_module_code(sample: SampleRecord, prompt: str) -> bool:
    """A completion of a function prompt (one that ends inside a `def`) with a line at column 0 (a fence aside:
    that is counted on its own)."""
    if "def " not in prompt:
        return False  # a prompt answered by a whole program (MBPP style): column 0 is where it starts
    lines = sample.completion.splitlines()
    return any(line and not line[0].isspace() and not line.startswith("```") for line in lines)


@dataclass
class EndingsRow:
    run: str
    samples: int = 0
    kinds: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    stops: dict[str, int] = field(default_factory=dict)
    fence: int = 0
    module_code: int = 0


@dataclass
class EndingsResult:
    rows: list[EndingsRow]

    def table(self) -> Table:
        t = Table(
            "how completions end, and the junk they keep",
            ["run", "samples", *KINDS, "code fence kept", "module-level code kept"],
        )
        for r in self.rows:
            t.rows.append([r.run, r.samples, *(r.kinds[k] for k in KINDS), r.fence, r.module_code])
        for r in self.rows:
            stops = ", ".join(f"{s!r}: {n}" for s, n in sorted(r.stops.items(), key=lambda kv: -kv[1]))
            t.notes.append(f"{r.run}: stop sequences that ended samples: {stops or 'none'}")
        return t


def compute(runs: list[RunData]) -> EndingsResult:
    rows = []
    for run, name in zip(runs, distinct_names([r.run_dir for r in runs]), strict=True):
        row = EndingsRow(name)
        stops = list((run.meta.get("params") or {}).get("stop") or [])
        for s in run.samples:
            kind, stop = ending(s, stops)
            row.samples += 1
            row.kinds[kind] += 1
            if stop:
                row.stops[stop] = row.stops.get(stop, 0) + 1
            problem = run.problems.get(s.task_id)
            row.fence += has_fence(s.completion)
            row.module_code += problem is not None and has_module_code(s, problem.prompt)
        rows.append(row)
    if not any(r.samples for r in rows):
        raise ValueError("no samples in these runs")
    return EndingsResult(rows)


def plot(result: EndingsResult, path: Path) -> Path:
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(max(5.0, 1.6 * len(result.rows) + 2), 4))
    x = np.arange(len(result.rows))
    bottom = np.zeros(len(result.rows))
    for kind, color in zip(KINDS, ("tab:blue", "tab:green", "tab:red")):
        share = np.array([r.kinds[kind] / max(r.samples, 1) for r in result.rows])
        ax.bar(x, share, bottom=bottom, color=color, label=kind)
        bottom += share
    junk = [(r.fence + r.module_code) / max(r.samples, 1) for r in result.rows]
    ax.plot(x, junk, "kD", label="junk kept (fence or module code)")
    ax.set_xticks(x, [r.run for r in result.rows], rotation=15)
    ax.set_ylabel("share of samples")
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=8)
    return save(fig, path)
