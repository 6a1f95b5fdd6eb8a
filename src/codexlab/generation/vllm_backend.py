"""vLLM backend for GPUs: tensor and data parallel, prefix caching, per-sample stops, log-probs.

vLLM is an optional dependency (`pip install codexlab[vllm]`), imported only when this backend is chosen.
The n samples of a prompt are n requests with seeds seed+i, submitted together: automatic prefix caching
computes the prompt's KV blocks once and shares them, and vLLM's scheduler retires each sequence as soon as it
hits a stop string or end-of-text (per sample, not per batch). The text is truncated here once more at the
earliest stop, exactly as the other backends do, and the tokens trimmed to match.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from codexlab.errors import CodexlabError
from codexlab.generation.stops import truncate_at_stop
from codexlab.generation.types import Generator, Sample, SamplingParams

INSTALL_HINT = (
    "the vLLM backend needs vLLM and a GPU: pip install 'codexlab[vllm]' "
    "(or use --backend transformers / llamacpp / openai)"
)


def import_vllm() -> Any:
    """Import vllm, or explain how to get it."""
    try:
        import vllm
    except ImportError as exc:
        raise CodexlabError(f"{INSTALL_HINT} ({exc})") from None
    return vllm


def engine_args(
    model: str,
    tensor_parallel_size: int = 1,
    data_parallel_size: int = 1,
    gpu_memory_utilization: float = 0.9,
    dtype: str = "auto",
    n_ctx: int | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Keyword arguments for `vllm.LLM`. Data parallelism (more than one replica) is vLLM's own."""
    if tensor_parallel_size < 1 or data_parallel_size < 1:
        raise CodexlabError("tensor and data parallel sizes must be at least 1")
    args: dict[str, Any] = {
        "model": model,
        "tensor_parallel_size": tensor_parallel_size,
        "gpu_memory_utilization": gpu_memory_utilization,
        "dtype": dtype,
        "enable_prefix_caching": True,
        "seed": seed,
    }
    if data_parallel_size > 1:
        args["data_parallel_size"] = data_parallel_size
    if n_ctx:
        args["max_model_len"] = n_ctx
    return args


def request_params(params: SamplingParams, seed: int) -> dict[str, Any]:
    """Keyword arguments for one `vllm.SamplingParams` (one sample: n=1 with its own seed)."""
    greedy = params.temperature <= 0
    return {
        "n": 1,
        "temperature": 0.0 if greedy else params.temperature,
        "top_p": 1.0 if greedy else params.top_p,
        "max_tokens": params.max_tokens,
        "stop": list(params.stop),
        "include_stop_str_in_output": False,
        "logprobs": 0,  # the chosen token's log-prob only
        "seed": seed,
    }


def trim_tokens(tokens: list[int], logprobs: list[float], cut_len: int, decode: Any) -> tuple[list[int], list[float]]:
    """Keep the tokens that contribute text before character `cut_len` (a token straddling it counts)."""
    if len(decode(tokens)) <= cut_len:
        return tokens, logprobs
    keep = 0
    while keep < len(tokens) and len(decode(tokens[:keep])) < cut_len:
        keep += 1
    return tokens[:keep], logprobs[:keep]


def sample_from_output(out: Any, params: SamplingParams, decode: Any) -> Sample:
    """Turn one vLLM CompletionOutput into a Sample, truncated exactly at the earliest stop."""
    tokens = [int(t) for t in out.token_ids]
    logprobs = [float(step[t].logprob) for step, t in zip(out.logprobs or [], tokens) if step and t in step]
    text = str(out.text)
    cut, hit = truncate_at_stop(text, params.stop)
    finish = "length" if out.finish_reason == "length" and not hit else "stop"
    tokens, logprobs = trim_tokens(tokens, logprobs, len(cut), decode)
    return Sample(cut, tokens, logprobs, finish, raw_text=text)


class VLLMGenerator(Generator):
    """Generate with vLLM on one or more GPUs."""

    def __init__(
        self,
        model: str,
        tensor_parallel_size: int = 1,
        data_parallel_size: int = 1,
        gpu_memory_utilization: float = 0.9,
        dtype: str = "auto",
        n_ctx: int | None = None,
    ) -> None:
        vllm = import_vllm()
        self._vllm = vllm
        self.llm = vllm.LLM(
            **engine_args(model, tensor_parallel_size, data_parallel_size, gpu_memory_utilization, dtype, n_ctx)
        )
        self.tokenizer = self.llm.get_tokenizer()
        self.model_id = f"vllm:{Path(model).name or model}"
        self.tokens_generated = 0

    def _decode(self, tokens: list[int]) -> str:
        return str(self.tokenizer.decode(tokens, skip_special_tokens=True))

    def render_chat(self, messages: list[dict[str, str]]) -> str:
        return str(self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True))

    def generate(self, prompt: str, params: SamplingParams, n: int = 1, seed: int | None = None) -> Iterator[Sample]:
        base = params.seed if seed is None else seed
        reqs = [self._vllm.SamplingParams(**request_params(params, base + i)) for i in range(n)]
        outputs = self.llm.generate([prompt] * n, reqs, use_tqdm=False)
        for out in outputs:
            sample = sample_from_output(out.outputs[0], params, self._decode)
            self.tokens_generated += len(sample.tokens)
            yield sample

    def close(self) -> None:
        self.llm = None
