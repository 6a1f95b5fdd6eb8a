"""llama.cpp backend (llama-cpp-python): the embedded default, on CPU, for any GGUF file.

The prompt is evaluated once per problem; each of the n samples restarts from that KV state (the cache is
truncated back to the prompt) and from the prompt's saved last-position logits. Sampling happens here, in
numpy, so that every sample gets its own seed (sample i of a problem uses seed + i: reproducible and resumable)
and the per-token log-probabilities of the model's own distribution are recorded for ranking.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from codexlab.generation.model_files import check_gguf, sha256_file
from codexlab.generation.stops import truncate_at_stop
from codexlab.generation.types import Generator, Sample, SamplingParams


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max()
    return z - np.log(np.exp(z).sum())


def choose_token(logits: np.ndarray, temperature: float, top_p: float, rng: np.random.Generator) -> int:
    """Greedy at temperature 0, else nucleus sampling from the tempered distribution."""
    if temperature <= 0:
        return int(np.argmax(logits))
    z = logits.astype(np.float64) / temperature
    z -= z.max()
    p = np.exp(z)
    p /= p.sum()
    if top_p < 1.0:
        order = np.argsort(-p)
        cum = np.cumsum(p[order])
        keep = order[: int(np.searchsorted(cum, top_p)) + 1]
        q = p[keep] / p[keep].sum()
        return int(keep[rng.choice(len(keep), p=q)])
    return int(rng.choice(len(p), p=p))


class LlamaCppGenerator(Generator):
    """Generate with a local GGUF model through llama.cpp, reusing the prompt's KV state across samples."""

    def __init__(
        self,
        model_path: str | Path,
        n_ctx: int = 2048,
        n_threads: int | None = None,
        model_id: str | None = None,
        reuse_prompt: bool = True,
    ) -> None:
        from llama_cpp import Llama  # imported here: loading the shared library takes a moment

        path = check_gguf(model_path)
        self.model_path = path
        self.reuse_prompt = reuse_prompt
        threads = n_threads or os.cpu_count() or 1
        self.llm = Llama(
            model_path=str(path),
            n_ctx=n_ctx,
            n_threads=threads,
            n_threads_batch=threads,
            logits_all=False,
            verbose=False,
        )
        self.n_vocab = self.llm.n_vocab()
        self.eos = {self.llm.token_eos()}
        eot = self.llm.metadata.get("tokenizer.ggml.eot_token_id")
        if eot is not None:
            self.eos.add(int(eot))
        self.model_id = model_id or f"{path.name}@{sha256_file(path)[:12]}"
        self.tokens_generated = 0

    def _last_logits(self) -> np.ndarray:
        ptr = self.llm._ctx.get_logits()
        return np.ctypeslib.as_array(ptr, shape=(self.n_vocab,)).copy()

    def _eval_prompt(self, prompt_ids: list[int]) -> np.ndarray:
        self.llm.reset()
        self.llm._ctx.kv_cache_seq_rm(-1, 0, -1)
        self.llm.eval(prompt_ids)
        return self._last_logits()

    def tokenize(self, text: str) -> list[int]:
        return list(self.llm.tokenize(text.encode("utf-8"), add_bos=True, special=False))

    def generate(self, prompt: str, params: SamplingParams, n: int = 1, seed: int | None = None) -> Iterator[Sample]:
        prompt_ids = self.tokenize(prompt)
        n_ctx = self.llm.n_ctx()
        if len(prompt_ids) >= n_ctx:
            raise ValueError(f"prompt has {len(prompt_ids)} tokens, the context holds {n_ctx}")
        budget = min(params.max_tokens, n_ctx - len(prompt_ids))
        base_seed = params.seed if seed is None else seed
        prompt_logits = self._eval_prompt(prompt_ids) if self.reuse_prompt else None
        for i in range(n):
            if prompt_logits is None:
                first = self._eval_prompt(prompt_ids)
            else:
                self.llm._ctx.kv_cache_seq_rm(-1, len(prompt_ids), -1)
                self.llm.n_tokens = len(prompt_ids)
                first = prompt_logits
            yield self._sample_one(first, params, budget, np.random.default_rng(base_seed + i))

    def _sample_one(self, logits: np.ndarray, params: SamplingParams, budget: int, rng: np.random.Generator) -> Sample:
        tokens: list[int] = []
        logprobs: list[float] = []
        ends: list[int] = []  # text length after each token
        raw = b""
        finish = "length"
        text = ""
        for _ in range(budget):
            tok = choose_token(logits, params.temperature, params.top_p, rng)
            if tok in self.eos:
                finish = "stop"
                break
            logprobs.append(float(_log_softmax(logits.astype(np.float64))[tok]))
            tokens.append(tok)
            raw += self.llm.detokenize([tok])
            text = raw.decode("utf-8", errors="ignore")
            ends.append(len(text))
            cut_text, hit = truncate_at_stop(text, params.stop)
            if hit:
                finish = "stop"
                # keep the tokens that contribute text before the cut (a token straddling it counts)
                starts = [0, *ends[:-1]]
                keep = sum(1 for s in starts if s < len(cut_text))
                self.tokens_generated += len(tokens)
                return Sample(cut_text, tokens[:keep], logprobs[:keep], finish, raw_text=text)
            self.llm.eval([tok])
            logits = self._last_logits()
        self.tokens_generated += len(tokens)
        text = raw.decode("utf-8", errors="replace")
        return Sample(text, tokens, logprobs, finish, raw_text=text)

    def close(self) -> None:
        llm = getattr(self, "llm", None)
        if llm is not None:
            llm.close()
            self.llm = None  # type: ignore[assignment]
