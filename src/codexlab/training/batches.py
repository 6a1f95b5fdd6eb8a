"""Batches from packed token shards, addressed by position so a checkpoint can resume mid-epoch exactly.

Training windows are the non-overlapping `ctx + 1`-token spans of the train split, visited in a seeded permutation
per epoch. Sequence number `pos` is window `perm_epoch[pos % n]`: the position alone determines the next batch.
"""

from __future__ import annotations

import numpy as np
import torch


class WindowSampler:
    def __init__(self, tokens: np.ndarray, ctx: int, seed: int = 0) -> None:
        self.tokens = tokens
        self.ctx = ctx
        self.seed = seed
        self.n_windows = (len(tokens) - 1) // ctx
        if self.n_windows < 1:
            raise ValueError(f"split has {len(tokens)} tokens, fewer than one window of {ctx + 1}")
        self._epoch = -1
        self._perm = np.empty(0, dtype=np.int64)

    def _window(self, pos: int) -> int:
        epoch, i = divmod(pos, self.n_windows)
        if epoch != self._epoch:
            self._perm = np.random.default_rng([self.seed, epoch]).permutation(self.n_windows)
            self._epoch = epoch
        return int(self._perm[i])

    def batch(self, pos: int, size: int) -> tuple[torch.Tensor, torch.Tensor]:
        """Inputs and next-token targets for sequences pos .. pos+size-1, as int64 tensors (size, ctx)."""
        rows = []
        for p in range(pos, pos + size):
            start = self._window(p) * self.ctx
            rows.append(np.asarray(self.tokens[start : start + self.ctx + 1], dtype=np.int64))
        arr = torch.from_numpy(np.stack(rows))
        return arr[:, :-1], arr[:, 1:]


def eval_windows(tokens: np.ndarray, ctx: int, count: int) -> list[int]:
    """Evenly spaced fixed windows of the validation split: the same tokens at every evaluation."""
    n = (len(tokens) - 1) // ctx
    if n < 1:
        return []
    return sorted({int(i) for i in np.linspace(0, n - 1, num=min(count, n))})
