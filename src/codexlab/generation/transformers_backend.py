"""transformers backend: any local Hugging Face checkpoint directory, on CPU or GPU.

The prompt is run through the model once; its KV cache is then repeated for a batch of samples (all n share
the prompt as a prefix) and decoding proceeds one token per step for the whole batch. A sample that emits a
stop sequence or end-of-text leaves the batch at once (its rows are dropped from the cache), so finished
samples cost nothing more and the others do not wait for them. Token choice uses the same seeded numpy
sampler as the llama.cpp backend: sample i draws from its own generator seeded seed+i.
"""

from __future__ import annotations

import copy
import hashlib
import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from codexlab.errors import CodexlabError, InputError
from codexlab.generation.llamacpp import choose_token
from codexlab.generation.stops import truncate_at_stop
from codexlab.generation.types import Generator, Sample, SamplingParams


def _checkpoint_digest(path: Path) -> str:
    """A cheap identity for a checkpoint: its config and the names and sizes of its files."""
    h = hashlib.sha256((path / "config.json").read_bytes())
    for f in sorted(path.iterdir()):
        if f.is_file():
            h.update(f"{f.name}:{f.stat().st_size}".encode())
    return h.hexdigest()[:12]


class _Row:
    """One sample being decoded."""

    def __init__(self, index: int, seed: int) -> None:
        self.index = index
        self.rng = np.random.default_rng(seed)
        self.tokens: list[int] = []
        self.logprobs: list[float] = []
        self.ends: list[int] = []  # text length after each token
        self.sample: Sample | None = None


class TransformersGenerator(Generator):
    """Generate with a local Hugging Face causal LM, sharing the prompt's KV cache across a batch of samples."""

    def __init__(
        self,
        model_dir: str | Path,
        device: str | None = None,
        dtype: str | None = None,
        max_batch: int = 32,
        model_id: str | None = None,
    ) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        path = Path(model_dir)
        if not (path / "config.json").exists():
            raise InputError(path, "not a Hugging Face checkpoint directory (no config.json)")
        self.device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        if dtype in (None, "auto"):
            use_bf16 = self.device.type == "cuda" and torch.cuda.is_bf16_supported()
            torch_dtype = torch.bfloat16 if use_bf16 else torch.float32
        else:
            torch_dtype = getattr(torch, dtype)
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        model: Any = AutoModelForCausalLM.from_pretrained(path, dtype=torch_dtype)
        self.model: Any = model.to(self.device).eval()
        # the keyword that passes a KV cache in: `cache` in recent transformers, `past_key_values` before
        forward = inspect.signature(self.model.forward).parameters
        self._cache_kw = "cache" if "cache" in forward else "past_key_values"
        self.max_batch = max(1, max_batch)
        self.max_len = int(getattr(self.model.config, "max_position_embeddings", 0) or 1 << 30)
        self.eos = self._eos_ids()
        self.model_id = model_id or f"{path.resolve().name}@{_checkpoint_digest(path)}"
        self.tokens_generated = 0
        self.batch_sizes: list[int] = []  # batch size at each decoding step of the last call (shows early exits)

    def _eos_ids(self) -> set[int]:
        ids: set[int] = set()
        for src in (getattr(self.model.generation_config, "eos_token_id", None), self.tokenizer.eos_token_id):
            if isinstance(src, int):
                ids.add(src)
            elif isinstance(src, list | tuple):
                ids.update(int(x) for x in src)
        return ids

    def render_chat(self, messages: list[dict[str, str]]) -> str:
        """The checkpoint's own chat template applied to `messages`, ready for the assistant's reply."""
        if not getattr(self.tokenizer, "chat_template", None):
            raise CodexlabError("this checkpoint's tokenizer has no chat template; use --prompt-format completion")
        return str(self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True))

    def tokenize(self, text: str) -> list[int]:
        bos = self.tokenizer.bos_token
        special = not (bos and text.startswith(bos))  # a rendered chat template already holds its BOS
        return list(self.tokenizer(text, add_special_tokens=special)["input_ids"])

    def generate(self, prompt: str, params: SamplingParams, n: int = 1, seed: int | None = None) -> Iterator[Sample]:
        import torch

        ids = self.tokenize(prompt)
        if not ids:
            ids = [next(iter(self.eos))] if self.eos else [0]
        if len(ids) >= self.max_len:
            raise ValueError(f"prompt has {len(ids)} tokens, the model holds {self.max_len}")
        budget = min(params.max_tokens, self.max_len - len(ids))
        base = params.seed if seed is None else seed
        self.batch_sizes = []
        with torch.inference_mode():
            out = self.model(input_ids=torch.tensor([ids], device=self.device), use_cache=True)
            cache, last = self._cache_of(out), out.logits[0, -1].float().cpu().numpy()
            for start in range(0, n, self.max_batch):
                m = min(self.max_batch, n - start)
                chunk_cache = cache if start + m >= n else copy.deepcopy(cache)
                rows = [_Row(start + j, base + start + j) for j in range(m)]
                self._run_batch(rows, chunk_cache, last, params, budget)
                for row in rows:
                    assert row.sample is not None
                    yield row.sample

    def _run_batch(self, rows: list[_Row], cache: Any, last: np.ndarray, params: SamplingParams, budget: int) -> None:
        import torch

        if len(rows) > 1:
            cache.batch_repeat_interleave(len(rows))
        active = rows
        logits = np.repeat(last[None, :], len(rows), axis=0)
        for step in range(budget + 1):
            self.batch_sizes.append(len(active))
            next_tokens: list[int] = []
            still: list[int] = []
            for k, row in enumerate(active):
                if step == budget:
                    row.sample = self._finish(row, "length", params)
                    continue
                tok = choose_token(logits[k], params.temperature, params.top_p, row.rng)
                if tok in self.eos:
                    row.sample = self._finish(row, "stop", params)
                    continue
                z = logits[k].astype(np.float64)
                z -= z.max()
                row.logprobs.append(float(z[tok] - np.log(np.exp(z).sum())))
                row.tokens.append(tok)
                text = self._decode(row.tokens)
                row.ends.append(len(text))
                if truncate_at_stop(text, params.stop)[1]:
                    row.sample = self._finish(row, "stop", params, text)
                    continue
                next_tokens.append(tok)
                still.append(k)
            if not still:
                return
            if len(still) < len(active):
                cache.batch_select_indices(torch.tensor(still, device=self.device))
                active = [active[k] for k in still]
            step_ids = torch.tensor(next_tokens, device=self.device)[:, None]
            out = self.model(input_ids=step_ids, use_cache=True, **{self._cache_kw: cache})
            cache, logits = self._cache_of(out), out.logits[:, -1].float().cpu().numpy()

    @staticmethod
    def _cache_of(out: Any) -> Any:
        cache = getattr(out, "cache", None)
        return cache if cache is not None else out.past_key_values

    def _decode(self, tokens: list[int]) -> str:
        return str(self.tokenizer.decode(tokens, skip_special_tokens=True))

    def _finish(self, row: _Row, reason: str, params: SamplingParams, decoded: str | None = None) -> Sample:
        self.tokens_generated += len(row.tokens)
        text = self._decode(row.tokens) if decoded is None else decoded
        cut, hit = truncate_at_stop(text, params.stop)
        if not hit:
            return Sample(text, row.tokens, row.logprobs, reason, raw_text=text)
        # keep the tokens that contribute text before the cut (a token straddling it counts)
        starts = [0, *row.ends[:-1]]
        keep = sum(1 for s in starts if s < len(cut))
        return Sample(cut, row.tokens[:keep], row.logprobs[:keep], "stop", raw_text=text)

    def close(self) -> None:
        self.model = None
