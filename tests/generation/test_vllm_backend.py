"""vLLM cannot run on these CPU-only machines: check its parameter mapping, output conversion and import error."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field

import pytest

from codexlab.errors import CodexlabError
from codexlab.generation.registry import load_generator
from codexlab.generation.types import PAPER_STOPS, SamplingParams
from codexlab.generation.vllm_backend import engine_args, request_params, sample_from_output, trim_tokens


def test_engine_args_enable_prefix_caching_and_parallelism() -> None:
    args = engine_args("/models/m", tensor_parallel_size=2, data_parallel_size=4, n_ctx=4096)
    assert args["enable_prefix_caching"] is True
    assert args["tensor_parallel_size"] == 2 and args["data_parallel_size"] == 4
    assert args["max_model_len"] == 4096
    assert "data_parallel_size" not in engine_args("m")
    with pytest.raises(CodexlabError):
        engine_args("m", tensor_parallel_size=0)


def test_request_params_one_seeded_sample_with_stops() -> None:
    p = SamplingParams(temperature=0.8, top_p=0.95, max_tokens=300, seed=5)
    r = request_params(p, 7)
    assert r == {
        "n": 1,
        "temperature": 0.8,
        "top_p": 0.95,
        "max_tokens": 300,
        "stop": list(PAPER_STOPS),
        "include_stop_str_in_output": False,
        "logprobs": 0,
        "seed": 7,
    }
    g = request_params(SamplingParams(temperature=0.0), 1)
    assert g["temperature"] == 0.0 and g["top_p"] == 1.0


@dataclass
class _Logprob:
    logprob: float


@dataclass
class _Output:  # the fields of vllm.CompletionOutput that the backend reads
    text: str
    token_ids: list[int]
    finish_reason: str
    logprobs: list[dict[int, _Logprob]] = field(default_factory=list)


PIECES = {1: "    return", 2: " a", 3: "\n", 4: "def", 5: " g"}


def _decode(tokens: list[int]) -> str:
    return "".join(PIECES[t] for t in tokens)


def test_output_truncated_exactly_and_tokens_trimmed() -> None:
    # vLLM stops after the token that completes "\ndef" and leaves the stop out of the text
    out = _Output("    return a", [1, 2, 3, 4], "stop", [{t: _Logprob(-0.1 * t)} for t in [1, 2, 3, 4]])
    s = sample_from_output(out, SamplingParams(), _decode)
    assert s.completion == "    return a" and s.finish_reason == "stop"
    assert s.tokens == [1, 2] and s.logprobs == pytest.approx([-0.1, -0.2])
    # a stop vLLM was not told about is still applied
    out = _Output("    return a\ndef g", [1, 2, 3, 4, 5], "length", [{t: _Logprob(-1.0)} for t in [1, 2, 3, 4, 5]])
    s = sample_from_output(out, SamplingParams(), _decode)
    assert s.completion == "    return a" and s.finish_reason == "stop" and s.tokens == [1, 2]
    assert s.raw_text == "    return a\ndef g"
    assert trim_tokens([1, 2], [-1.0, -1.0], 12, _decode) == ([1, 2], [-1.0, -1.0])


@pytest.mark.skipif(importlib.util.find_spec("vllm") is not None, reason="vLLM is installed")
def test_missing_vllm_says_how_to_install() -> None:
    with pytest.raises(CodexlabError, match=r"pip install 'codexlab\[vllm\]'"):
        load_generator("some/model", backend="vllm")
