"""LoRA on a real GGUF model loaded through transformers, and the merged GGUF read back by transformers and
llama.cpp (SmolLM2-135M, a `llama` architecture, so the query/key row permutation is exercised)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from codexlab.training.gguf_merge import gguf_tensor_name, rope_permute, write_merged_gguf
from codexlab.training.lora import add_lora, merge_lora

pytestmark = pytest.mark.model
pytest.importorskip("gguf")


def _load(path: Path):
    from transformers import AutoModelForCausalLM

    return AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name, dtype=torch.float32)


def test_gguf_names_and_rope_permutation_round_trip() -> None:
    assert gguf_tensor_name("model.layers.3.self_attn.q_proj") == "blk.3.attn_q.weight"
    assert gguf_tensor_name("model.layers.11.mlp.down_proj") == "blk.11.ffn_down.weight"
    with pytest.raises(ValueError):
        gguf_tensor_name("lm_head")
    w = np.arange(8 * 3, dtype=np.float32).reshape(8, 3)
    p = rope_permute(w, 2)
    assert sorted(p[:, 0].tolist()) == sorted(w[:, 0].tolist()) and not np.array_equal(p, w)


def test_lora_trains_only_adapters_and_merges_exactly() -> None:
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(6, 6), torch.nn.ReLU(), torch.nn.Linear(6, 2))
    wrapped = add_lora(net, targets=("0",), rank=2, alpha=4.0)
    assert [n for n, p in net.named_parameters() if p.requires_grad] == ["0.lora_a", "0.lora_b"]
    x = torch.randn(5, 6)
    before = net(x).detach()
    assert torch.equal(before, net(x))  # B starts at zero: the model is unchanged
    opt = torch.optim.SGD([p for p in net.parameters() if p.requires_grad], lr=0.5)
    for _ in range(5):
        opt.zero_grad()
        net(x).pow(2).mean().backward()
        opt.step()
    adapted = net(x).detach()
    assert not torch.allclose(adapted, before)
    deltas = merge_lora(net, wrapped)
    assert isinstance(net[0], torch.nn.Linear) and set(deltas) == {"0"}
    torch.testing.assert_close(net(x), adapted, rtol=1e-5, atol=1e-5)


def test_merged_gguf_carries_the_change_and_loads_in_llama_cpp(small_model_path: Path, tmp_path: Path) -> None:
    model = _load(small_model_path)
    rng = np.random.default_rng(0)
    layers = ["model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.k_proj", "model.layers.1.self_attn.o_proj"]
    deltas = {}
    for name in layers:
        w = model.get_submodule(name).weight
        deltas[name] = (rng.standard_normal(tuple(w.shape)) * 0.01).astype(np.float32)
    out = write_merged_gguf(small_model_path, deltas, tmp_path / "merged.gguf")
    merged = _load(out)
    for name in layers:
        want = model.get_submodule(name).weight.detach().numpy() + deltas[name]
        got = merged.get_submodule(name).weight.detach().numpy()
        assert np.abs(got - want).max() < 2e-3  # float16 storage
    untouched = "model.layers.2.self_attn.q_proj"
    assert torch.equal(model.get_submodule(untouched).weight, merged.get_submodule(untouched).weight)

    from codexlab.generation.llamacpp import LlamaCppGenerator
    from codexlab.generation.types import SamplingParams

    gen = LlamaCppGenerator(out, n_ctx=512, parallel=1)
    try:
        s = next(gen.generate("def add(a, b):\n", SamplingParams(max_tokens=8)))
        assert len(s.tokens) > 0
    finally:
        gen.close()
    with pytest.raises(ValueError, match="no GGUF tensor name"):
        write_merged_gguf(small_model_path, {"lm_head": deltas[layers[0]]}, tmp_path / "bad.gguf")


def test_curate_sft_lora_on_a_gguf_writes_a_gguf(small_model_path: Path, tmp_path: Path) -> None:
    """`codexlab curate sft --lora-rank` on a GGUF model: LoRA through transformers, merged back into GGUF."""
    import json

    from codexlab.cli.main import main

    problems = tmp_path / "p.jsonl"
    rows = [
        {
            "task_id": "T/0",
            "prompt": 'def double(x):\n    """Twice x."""\n',
            "entry_point": "double",
            "canonical_solution": "    return 2 * x\n",
            "test": "def check(c):\n    assert c(2) == 4\n",
        },
        {
            "task_id": "T/1",
            "prompt": 'def neg(x):\n    """Minus x."""\n',
            "entry_point": "neg",
            "canonical_solution": "    return -x\n",
            "test": "def check(c):\n    assert c(2) == -2\n",
        },
    ]
    problems.write_text("".join(json.dumps(r) + "\n" for r in rows))
    held_out = tmp_path / "heldout.jsonl"
    triple = {**rows[0], "task_id": "T/2", "prompt": 'def triple(x):\n    """Thrice x."""\n', "entry_point": "triple"}
    held_out.write_text(json.dumps({**triple, "canonical_solution": "    return 3 * x\n"}) + "\n")
    out = tmp_path / "sft"
    assert (
        main(
            [
                "curate",
                "sft",
                str(problems),
                "--init-from",
                str(small_model_path),
                "--out-dir",
                str(out),
                "--lora-rank",
                "4",
                "--steps",
                "3",
                "--batch-size",
                "2",
                "--max-len",
                "64",
                "--lr",
                "1e-2",
                "--ending",
                "none",
                "--held-out",
                str(held_out),
                "--json",
            ]
        )
        == 0
    )
    report = json.loads((out / "sft.json").read_text())
    assert report["method"].startswith("lora r=4") and report["saved"] == str(out / "model.gguf")
    assert report["ending"] == "none"
    assert report["solution_loss_after"] < report["solution_loss_before"]
    assert report["held_out_problems"] == 1
    assert 0 < report["held_out_loss_before"] < 100 and 0 < report["held_out_loss_after"] < 100
    assert 0 < report["trainable_parameters"] < 1_000_000
    from codexlab.generation.model_files import check_gguf

    check_gguf(out / "model.gguf")


def test_a_tiny_fine_tune_ends_where_the_harness_ends(small_model_path: Path, tmp_path: Path) -> None:
    """The default ending (next-def): after fine-tuning, llama.cpp's completion of a training prompt is cut by
    the paper's '\\ndef' stop, right after the body, rather than running on or closing a fence."""
    from codexlab import SamplingParams, load_generator
    from codexlab.generation.types import PAPER_STOPS
    from codexlab.problems import Problem
    from codexlab.training.sft import finetune_hf

    problems = [
        Problem("T/0", 'def double(x):\n    """Twice x."""\n', "double", "    return 2 * x\n", ""),
        Problem("T/1", 'def neg(x):\n    """Minus x."""\n', "neg", "    return -x\n", ""),
    ]
    out = tmp_path / "sft"
    report = finetune_hf(small_model_path, problems, out, steps=30, lr=5e-3, batch_size=2, max_len=64, lora_rank=8)
    assert report["ending"] == "next-def"
    with load_generator(str(out / "model.gguf"), n_ctx=256, n_threads=2) as gen:
        params = SamplingParams(temperature=0.0, max_tokens=48, stop=PAPER_STOPS)
        sample = next(iter(gen.generate(problems[0].prompt, params)))
    assert sample.finish_reason == "stop"
    assert sample.raw_text is not None and sample.raw_text[len(sample.completion) :].startswith("\ndef")
    assert sample.completion.strip() == "return 2 * x"
