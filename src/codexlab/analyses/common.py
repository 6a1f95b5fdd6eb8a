"""What every analysis shares: a result type that renders as a table, and a headless matplotlib."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codexlab.text import DISPLAY_ERRORS


@dataclass
class Table:
    """A titled table: column names and rows of plain values (written as CSV, JSON and printed with rich)."""

    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "columns": self.columns, "rows": self.rows, "notes": self.notes}

    def write(self, stem: Path) -> list[Path]:
        """Write <stem>.csv and <stem>.json; return both paths."""
        stem.parent.mkdir(parents=True, exist_ok=True)
        csv_path, json_path = stem.with_suffix(".csv"), stem.with_suffix(".json")
        with open(csv_path, "w", newline="", encoding="utf-8", errors=DISPLAY_ERRORS) as fh:
            w = csv.writer(fh)
            w.writerow(self.columns)
            w.writerows(self.rows)
        json_path.write_text(json.dumps(self.to_dict(), indent=2, default=str) + "\n", encoding="utf-8")
        return [csv_path, json_path]

    def print(self) -> None:
        from rich.console import Console
        from rich.table import Table as RichTable

        t = RichTable(title=self.title, header_style="bold")
        for c in self.columns:
            t.add_column(c)
        for r in self.rows:
            t.add_row(*(fmt(x) for x in r))
        console = Console()
        console.print(t)
        for n in self.notes:
            console.print(n, style="dim")


def fmt(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.4g}"
    return "" if x is None else str(x)


def pyplot() -> Any:
    """matplotlib.pyplot on the Agg backend (no display needed); imported lazily because it is slow to import."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save(fig: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    pyplot().close(fig)
    return path
