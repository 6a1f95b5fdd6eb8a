"""Loss curves from a run's JSONL log (matplotlib, no display needed)."""

from __future__ import annotations

import json
from pathlib import Path


def plot_log(log_path: str | Path, png_path: str | Path, title: str | None = None) -> Path:
    """Training loss (light) and validation loss (bold, with bits per byte on the right axis) against tokens."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [json.loads(line) for line in Path(log_path).read_text().splitlines() if line.strip()]
    train = [(r["tokens"], r["loss"]) for r in rows if "loss" in r]
    val = [(r["tokens"], r["val_loss"], r["val_bpb"]) for r in rows if "val_loss" in r]
    fig, ax = plt.subplots(figsize=(7, 4), dpi=110)
    if train:
        ax.plot([t for t, _ in train], [v for _, v in train], color="tab:blue", alpha=0.35, label="train loss")
    if val:
        ax.plot([t for t, _, _ in val], [v for _, v, _ in val], "o-", color="tab:red", label="validation loss")
        right = ax.twinx()
        ratio = val[-1][2] / val[-1][1] if val[-1][1] else 1.0  # bits per byte is a fixed multiple of nats/token
        lo, hi = ax.get_ylim()
        right.set_ylim(lo * ratio, hi * ratio)
        right.set_ylabel("validation bits per byte")
    ax.set_xlabel("training tokens")
    ax.set_ylabel("loss (nats / token)")
    ax.set_title(title or Path(log_path).parent.name)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right")
    fig.tight_layout()
    out = Path(png_path)
    fig.savefig(out)
    plt.close(fig)
    return out
