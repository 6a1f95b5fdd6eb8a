"""llama.cpp backend (llama-cpp-python): the embedded default, on CPU, for any GGUF file.

The prompt is evaluated once per problem. With `parallel` > 1 (the default) the n samples are decoded
together: the prompt's KV cells are shared by up to `parallel` sequences of one llama.cpp context, each decode
step feeds one token of every live sample in a single batch, and a finished sample's slot is refilled with the
next sample at once (continuous batching), so the weights are read once per step instead of once per sample.
With `parallel` = 1 samples run one after another, each restarting from the prompt's KV state.

Sampling happens here, in numpy, so that every sample gets its own seed (sample i of a problem uses seed + i)
and the per-token log-probabilities of the model's own distribution are recorded for ranking.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from codexlab.download import sha256_file
from codexlab.generation.model_files import check_gguf
from codexlab.generation.stops import truncate_at_stop
from codexlab.generation.types import Generator, Sample, SamplingParams

DEFAULT_PARALLEL = 8


def choose_token(logits: np.ndarray, temperature: float, top_p: float, rng: np.random.Generator) -> int:
    """Greedy at temperature 0, else nucleus sampling from the tempered distribution.

    Only tokens of probability >= 1e-6 are sorted when they hold the nucleus mass (the nucleus is then among
    them, so the draw is the same as with a full sort of the vocabulary, at a fraction of the cost).
    """
    if temperature <= 0:
        return int(np.argmax(logits))
    z = logits.astype(np.float64) / temperature
    z -= z.max()
    p = np.exp(z)
    p /= p.sum()
    if top_p < 1.0:
        cand = np.flatnonzero(p >= 1e-6)  # when these hold top_p of the mass, the nucleus is among them
        if p[cand].sum() < top_p:
            cand = np.arange(len(p))
        order = cand[np.argsort(-p[cand])]
        cum = np.cumsum(p[order])
        keep = order[: int(np.searchsorted(cum, top_p)) + 1]
        q = p[keep] / p[keep].sum()
        return int(keep[rng.choice(len(keep), p=q)])
    return int(rng.choice(len(p), p=p))


def token_logprob(logits: np.ndarray, token: int) -> float:
    """log softmax(logits)[token] under the model's own (untempered) distribution."""
    z = logits.astype(np.float64)
    m = z.max()
    return float(z[token] - m - np.log(np.exp(z - m).sum()))


class _Decoding:
    """One sample being decoded: its tokens, log-probs and text so far, and how it ended."""

    def __init__(self, index: int, rng: np.random.Generator, budget: int) -> None:
        self.index = index
        self.rng = rng
        self.budget = budget
        self.tokens: list[int] = []
        self.logprobs: list[float] = []
        self.ends: list[int] = []  # text length after each token
        self.raw = b""
        self.sample: Sample | None = None

    def push(self, gen: LlamaCppGenerator, logits: np.ndarray, params: SamplingParams) -> int | None:
        """Choose the next token from `logits`; return it, or None when the sample is complete."""
        tok = choose_token(logits, params.temperature, params.top_p, self.rng)
        if tok in gen.eos:
            self._finish(gen, "stop", self.raw.decode("utf-8", errors="replace"), len(self.tokens))
            return None
        self.logprobs.append(token_logprob(logits, tok))
        self.tokens.append(tok)
        self.raw += gen.llm.detokenize([tok])
        text = self.raw.decode("utf-8", errors="ignore")
        self.ends.append(len(text))
        cut_text, hit = truncate_at_stop(text, params.stop)
        if hit:
            # keep the tokens that contribute text before the cut (a token straddling it counts)
            starts = [0, *self.ends[:-1]]
            keep = sum(1 for s in starts if s < len(cut_text))
            self._finish(gen, "stop", cut_text, keep, raw_text=text)
            return None
        if len(self.tokens) >= self.budget:
            self._finish(gen, "length", self.raw.decode("utf-8", errors="replace"), len(self.tokens))
            return None
        return tok

    def _finish(self, gen: LlamaCppGenerator, reason: str, text: str, keep: int, raw_text: str | None = None) -> None:
        """Complete the sample with `text` and its first `keep` tokens; count every token decoded."""
        gen.tokens_generated += len(self.tokens)
        self.sample = Sample(text, self.tokens[:keep], self.logprobs[:keep], reason, raw_text=raw_text or text)


class LlamaCppGenerator(Generator):
    """Generate with a local GGUF model through llama.cpp, sharing the prompt's KV state across samples."""

    def __init__(
        self,
        model_path: str | Path,
        n_ctx: int = 2048,
        n_threads: int | None = None,
        model_id: str | None = None,
        reuse_prompt: bool = True,
        parallel: int = DEFAULT_PARALLEL,
    ) -> None:
        from llama_cpp import Llama  # imported here: loading the shared library takes a moment

        path = check_gguf(model_path)
        self.model_path = path
        self.reuse_prompt = reuse_prompt
        self.parallel = max(1, parallel)
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
        self._batched: _BatchedContext | None = None

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
        decodings = (_Decoding(i, np.random.default_rng(base_seed + i), budget) for i in range(n))
        if self.reuse_prompt and self.parallel > 1 and n > 1:
            yield from self._generate_batched(prompt_ids, params, n, decodings)
            return
        prompt_logits = self._eval_prompt(prompt_ids) if self.reuse_prompt else None
        for d in decodings:
            if prompt_logits is None:
                logits = self._eval_prompt(prompt_ids)
            else:
                self.llm._ctx.kv_cache_seq_rm(-1, len(prompt_ids), -1)
                self.llm.n_tokens = len(prompt_ids)
                logits = prompt_logits
            while (tok := d.push(self, logits, params)) is not None:
                self.llm.eval([tok])
                logits = self._last_logits()
            assert d.sample is not None
            yield d.sample

    def _generate_batched(
        self, prompt_ids: list[int], params: SamplingParams, n: int, decodings: Iterator[_Decoding]
    ) -> Iterator[Sample]:
        slots = min(self.parallel, n)
        cells = len(prompt_ids) + slots * min(params.max_tokens, self.llm.n_ctx() - len(prompt_ids))
        if self._batched is None or self._batched.cells < cells or self._batched.slots < slots:
            if self._batched is not None:
                self._batched.close()
            # room for the default context plus `parallel` full answers, so one context serves a whole run
            room = self.llm.n_ctx() + self.parallel * min(params.max_tokens, self.llm.n_ctx())
            self._batched = _BatchedContext(self.llm, self.parallel, max(cells, room))
        ctx = self._batched
        first = ctx.eval_prompt(prompt_ids)
        live: dict[int, tuple[_Decoding, int]] = {}  # slot -> (sample, token to feed next)
        done: dict[int, Sample] = {}
        free = list(range(slots, 0, -1))  # slots 1..P; slot 0 holds the prompt
        pending = iter(decodings)

        def fill() -> None:
            """Start waiting samples while slots are free (a sample may end on its first token, slotless)."""
            while free and (d := next(pending, None)) is not None:
                tok = d.push(self, first, params)
                if tok is None:
                    assert d.sample is not None
                    done[d.index] = d.sample
                    continue
                slot = free.pop()
                ctx.fork_prompt(slot)
                live[slot] = (d, tok)

        fill()
        next_out = 0
        while next_out < n:
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            if not live:
                continue
            order = list(live)
            row = ctx.decode([(s, live[s][1], len(prompt_ids) + len(live[s][0].tokens) - 1) for s in order])
            for j, slot in enumerate(order):
                d = live[slot][0]
                tok = d.push(self, row(j), params)
                if tok is not None:
                    live[slot] = (d, tok)
                    continue
                assert d.sample is not None
                done[d.index] = d.sample
                del live[slot]
                ctx.drop(slot)
                free.append(slot)
            fill()

    def close(self) -> None:
        if self._batched is not None:
            self._batched.close()
            self._batched = None
        llm = getattr(self, "llm", None)
        if llm is not None:
            llm.close()
            self.llm = None  # type: ignore[assignment]


class _BatchedContext:
    """A second llama.cpp context on the same model weights, with one KV sequence per parallel sample.

    Sequence 0 holds the prompt; sequences 1..P share its cells (a unified KV cache makes the copy free) and
    append their own; `cells` is sized by the caller for the prompt plus every slot's token budget."""

    def __init__(self, llm: Any, parallel: int, cells: int) -> None:
        import llama_cpp
        from llama_cpp import _internals
        from llama_cpp._utils import suppress_stdout_stderr

        self._lib = llama_cpp
        self.slots, self.cells = parallel, cells
        params = type(llm.context_params).from_buffer_copy(llm.context_params)
        params.n_ctx = cells
        params.n_batch = max(llm.n_ctx(), parallel)
        params.n_ubatch = min(512, params.n_batch)
        params.n_seq_max = parallel + 1
        params.kv_unified = True
        with suppress_stdout_stderr():  # llama.cpp notes that all slots together exceed the training context
            self.ctx = _internals.LlamaContext(model=llm._model, params=params, verbose=False)
        self.batch = _internals.LlamaBatch(n_tokens=params.n_batch, embd=0, n_seq_max=1, verbose=False)
        self.memory = llama_cpp.llama_get_memory(self.ctx.ctx)
        self.n_vocab = llm.n_vocab()

    def eval_prompt(self, prompt_ids: list[int]) -> np.ndarray:
        """Clear every sequence, evaluate the prompt as sequence 0, return its last-position logits."""
        self._lib.llama_memory_clear(self.memory, True)
        self.batch.set_batch(prompt_ids, 0, False)
        self.ctx.decode(self.batch)
        return self._row(len(prompt_ids) - 1).copy()

    def fork_prompt(self, slot: int) -> None:
        self._lib.llama_memory_seq_cp(self.memory, 0, slot, -1, -1)

    def drop(self, slot: int) -> None:
        self._lib.llama_memory_seq_rm(self.memory, slot, -1, -1)

    def decode(self, items: list[tuple[int, int, int]]) -> Any:
        """Feed (slot, token, position) for each live sample in one batch; return row j's logits by index."""
        b = self.batch.batch
        b.n_tokens = len(items)
        for j, (slot, tok, pos) in enumerate(items):
            b.token[j] = tok
            b.pos[j] = pos
            b.seq_id[j][0] = slot
            b.n_seq_id[j] = 1
            b.logits[j] = True
        self.ctx.decode(self.batch)
        return self._row

    def _row(self, j: int) -> np.ndarray:
        ptr = self.ctx.get_logits_ith(j)
        return np.ctypeslib.as_array(ctypes.cast(ptr, ctypes.POINTER(ctypes.c_float)), shape=(self.n_vocab,))

    def close(self) -> None:
        self.batch.close()
        self.ctx.close()
