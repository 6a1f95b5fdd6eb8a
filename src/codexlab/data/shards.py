"""Packed token shards: every document's tokens followed by EOS, concatenated into one memory-mapped file per split.

Documents go to validation by a hash of their content, so the split is stable when the corpus grows and no file
appears on both sides. The meta file records bytes per token of the validation split, for bits per byte.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

from codexlab.reports.progress import make_progress

META_FILE = "meta.json"


@dataclass(frozen=True)
class ShardMeta:
    vocab_size: int
    dtype: str
    eos_id: int
    train_tokens: int
    val_tokens: int
    train_bytes: int
    val_bytes: int
    documents: int

    @property
    def val_bytes_per_token(self) -> float:
        return self.val_bytes / max(self.val_tokens, 1)


def is_validation(text: str, val_fraction: float) -> bool:
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little") % 1_000_000 < val_fraction * 1_000_000


def write_shards(
    texts: Iterable[str],
    tokenizer: Tokenizer,
    out_dir: str | Path,
    *,
    val_fraction: float = 0.02,
    eos: str = "<|endoftext|>",
    batch: int = 256,
    total: int | None = None,
    progress: bool = True,
) -> ShardMeta:
    """Tokenize and write `train.bin`, `val.bin` and `meta.json`; files appear only once complete."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    vocab_size = tokenizer.get_vocab_size()
    dtype = np.uint16 if vocab_size <= 2**16 else np.uint32
    eos_id = tokenizer.token_to_id(eos)
    if eos_id is None:
        raise ValueError(f"tokenizer has no {eos!r} token")
    counts = {"train": [0, 0], "val": [0, 0]}  # tokens, bytes
    docs = 0
    handles = {split: open(out / f"{split}.bin.tmp", "wb") for split in counts}
    try:
        with make_progress(disable=not progress) as bar:
            task = bar.add_task("tokenize", total=total, unit="docs", extra="")
            buf: list[str] = []

            def flush() -> None:
                for text, enc in zip(buf, tokenizer.encode_batch(buf)):
                    split = "val" if is_validation(text, val_fraction) else "train"
                    ids = np.asarray([*enc.ids, eos_id], dtype=dtype)
                    ids.tofile(handles[split])
                    counts[split][0] += ids.size
                    counts[split][1] += len(text.encode("utf-8", "surrogatepass")) + 1
                bar.update(task, advance=len(buf))
                buf.clear()

            for text in texts:
                buf.append(text)
                docs += 1
                if len(buf) >= batch:
                    flush()
            flush()
    finally:
        for fh in handles.values():
            fh.close()
    for split in counts:
        os.replace(out / f"{split}.bin.tmp", out / f"{split}.bin")
    meta = ShardMeta(
        vocab_size=vocab_size,
        dtype=np.dtype(dtype).name,
        eos_id=int(eos_id),
        train_tokens=counts["train"][0],
        val_tokens=counts["val"][0],
        train_bytes=counts["train"][1],
        val_bytes=counts["val"][1],
        documents=docs,
    )
    (out / META_FILE).write_text(json.dumps(asdict(meta), indent=2))
    return meta


class TokenShards:
    """Read side: the two splits as read-only memmaps, plus their meta."""

    def __init__(self, data_dir: str | Path) -> None:
        self.dir = Path(data_dir)
        self.meta = ShardMeta(**json.loads((self.dir / META_FILE).read_text()))

    def split(self, name: str) -> np.ndarray:
        path = self.dir / f"{name}.bin"
        if path.stat().st_size == 0:
            return np.empty(0, dtype=self.meta.dtype)
        return np.memmap(path, dtype=self.meta.dtype, mode="r")
