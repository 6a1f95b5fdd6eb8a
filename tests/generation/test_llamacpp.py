"""Real llama.cpp generation with a real GGUF model (SmolLM2-135M-Instruct)."""

from pathlib import Path

import numpy as np
import pytest

from codexlab.generation.llamacpp import LlamaCppGenerator
from codexlab.generation.stops import stop_holdback, truncate_at_stop
from codexlab.generation.types import PAPER_STOPS, SamplingParams

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def gen(small_model_path: Path):
    g = LlamaCppGenerator(small_model_path, n_ctx=1024)
    yield g
    g.close()


def test_truncate_at_earliest_stop() -> None:
    text = "    return x\nprint(1)\ndef g():\n"
    assert truncate_at_stop(text, PAPER_STOPS) == ("    return x", True)
    assert truncate_at_stop("    return x\n", PAPER_STOPS) == ("    return x\n", False)
    assert truncate_at_stop("a\nifb\n#c", ("\n#", "\nif")) == ("a", True)
    assert stop_holdback("abc\nde", ("\ndef",)) == 3
    assert stop_holdback("abc", ("\ndef",)) == 0


def test_greedy_matches_llama_cpp_own_completion(gen: LlamaCppGenerator, humaneval) -> None:
    prompt = humaneval["HumanEval/2"].prompt
    params = SamplingParams(temperature=0.0, max_tokens=48)
    ours = next(gen.generate(prompt, params))
    # from an empty cache llama.cpp evaluates the whole prompt in one batch, then one token at a time, as we do:
    # the same arithmetic (with our tokens still cached it would re-evaluate the last prompt token alone)
    gen.llm.reset()
    theirs = gen.llm.create_completion(prompt, max_tokens=48, temperature=0.0, stop=list(PAPER_STOPS))
    assert ours.completion == theirs["choices"][0]["text"]
    assert len(ours.tokens) == len(ours.logprobs) > 0
    assert all(lp <= 0 for lp in ours.logprobs)
    assert ours.mean_logprob == pytest.approx(sum(ours.logprobs) / len(ours.logprobs))


def test_stop_sequences_cut_exactly(gen: LlamaCppGenerator, humaneval) -> None:
    prompt = humaneval["HumanEval/0"].prompt
    params = SamplingParams(temperature=0.9, max_tokens=96, seed=7)
    for s in gen.generate(prompt, params, n=4):
        for stop in PAPER_STOPS:
            assert stop not in s.completion
        if s.finish_reason == "stop" and s.raw_text:
            assert s.raw_text.startswith(s.completion)


def test_seeded_samples_reproduce_and_prompt_reuse_is_exact(small_model_path: Path, humaneval) -> None:
    prompt = humaneval["HumanEval/4"].prompt
    params = SamplingParams(temperature=0.8, max_tokens=32, seed=11)
    sequential = LlamaCppGenerator(small_model_path, n_ctx=1024, parallel=1)
    naive = LlamaCppGenerator(small_model_path, n_ctx=1024, reuse_prompt=False)
    try:
        first = [(s.completion, s.tokens) for s in sequential.generate(prompt, params, n=3)]
        again = [(s.completion, s.tokens) for s in sequential.generate(prompt, params, n=3)]
        assert first == again
        # sample i uses seed + i: asking for sample 2 alone gives the same sample
        alone = next(sequential.generate(prompt, params, n=1, seed=params.seed + 2))
        assert (alone.completion, alone.tokens) == first[2]
        # re-evaluating the prompt for every sample gives the same tokens as reusing its KV state
        assert [(s.completion, s.tokens) for s in naive.generate(prompt, params, n=3)] == first
    finally:
        sequential.close()
        naive.close()


def test_batched_decoding_is_seeded_and_cuts_each_sample_at_its_own_stop(
    gen: LlamaCppGenerator, small_model_path: Path, humaneval
) -> None:
    prompt = humaneval["HumanEval/0"].prompt
    params = SamplingParams(temperature=0.9, max_tokens=40, seed=5)
    assert gen.parallel > 1
    batched = list(gen.generate(prompt, params, n=12))  # more samples than slots: slots are refilled
    assert [(s.completion, s.tokens) for s in gen.generate(prompt, params, n=12)] == [
        (s.completion, s.tokens) for s in batched
    ]
    ids = gen.tokenize(prompt)
    assert gen._batched is not None
    batched_first = _log_softmax(gen._batched.eval_prompt(ids))
    sequential = LlamaCppGenerator(small_model_path, n_ctx=1024, parallel=1)
    try:
        one_by_one = list(sequential.generate(prompt, params, n=12))
        sequential_first = _log_softmax(sequential._eval_prompt(ids))
    finally:
        sequential.close()
    # both paths start from the prompt's logits, computed by different kernels (batched prompt evaluation rounds
    # differently on some CPUs): the distributions agree within a tolerance; the draws, and so the samples, need
    # not be the same
    likely = np.flatnonzero(np.exp(sequential_first) > 1e-3)
    assert len(likely) > 0
    np.testing.assert_allclose(batched_first[likely], sequential_first[likely], atol=0.1)
    assert len(one_by_one) == len(batched) == 12
    assert {s.finish_reason for s in batched} <= {"stop", "length"}
    for s in batched:
        assert len(s.tokens) == len(s.logprobs) <= 40
        assert all(lp <= 0 for lp in s.logprobs)
        assert not any(stop in s.completion for stop in PAPER_STOPS)
        if s.finish_reason == "stop" and s.raw_text:
            assert s.raw_text.startswith(s.completion)


def test_max_tokens_gives_length_finish(gen: LlamaCppGenerator) -> None:
    s = next(gen.generate("def f():\n    x = [", SamplingParams(max_tokens=5, stop=())))
    assert s.finish_reason in {"length", "stop"}
    assert len(s.tokens) <= 5


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    z = logits.astype(np.float64)
    z -= z.max()
    return z - np.log(np.exp(z).sum())
