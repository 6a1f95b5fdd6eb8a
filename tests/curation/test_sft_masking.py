"""Loss masking for supervised fine-tuning: only solution tokens are targets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from codexlab.problems import Problem, ProblemSet
from codexlab.training.model import GPT, GPTConfig
from codexlab.training.sft import (
    IGNORE_INDEX,
    build_example,
    collate,
    masked_loss,
    problem_example,
    solution_loss,
    train_sft,
)


def byte_encode(text: str) -> list[int]:
    return list(text.encode())


PROBLEM = Problem(
    "T/0",
    'def add(a, b):\n    """Return a + b."""\n',
    "add",
    "    return a + b\n",
    "def check(candidate):\n    assert candidate(1, 2) == 3\n",
)


def test_labels_are_ignore_exactly_on_prompt_tokens() -> None:
    ex = problem_example(PROBLEM, byte_encode, max_len=512, eos_id=0, ending="eos")
    n_prompt = len(byte_encode(PROBLEM.prompt))
    solution = byte_encode(PROBLEM.canonical_solution) + [0]
    assert ex.prompt_len == n_prompt
    assert ex.input_ids == byte_encode(PROBLEM.prompt) + solution
    assert ex.labels[:n_prompt] == [IGNORE_INDEX] * n_prompt
    assert ex.labels[n_prompt:] == solution
    assert IGNORE_INDEX not in ex.labels[n_prompt:]


def test_each_ending_is_what_the_target_ends_with() -> None:
    def solution_text(ending: str) -> bytes:
        ex = problem_example(PROBLEM, byte_encode, max_len=512, eos_id=0, ending=ending)
        return bytes(ex.input_ids[ex.prompt_len :])

    # next-def: two blank lines and `def`, which the stop sequence '\ndef' cuts, leaving the body
    assert solution_text("next-def") == b"    return a + b\n\n\ndef"
    assert solution_text("eos") == b"    return a + b\n\x00"
    assert solution_text("none") == b"    return a + b\n"
    with pytest.raises(ValueError, match="ending"):
        problem_example(PROBLEM, byte_encode, max_len=512, ending="fence")
    with pytest.raises(ValueError, match="end-of-text"):
        problem_example(PROBLEM, byte_encode, max_len=512, ending="eos")


def test_truncation_drops_prompt_start_and_keeps_solution() -> None:
    ex = build_example(list(range(1, 11)), [50, 51, 52], max_len=6)
    assert ex.input_ids == [8, 9, 10, 50, 51, 52]
    assert ex.labels == [IGNORE_INDEX] * 3 + [50, 51, 52]


def test_shifted_targets_and_padding_are_masked() -> None:
    a = build_example([1, 2, 3], [4, 5], max_len=16)
    b = build_example([1], [6], max_len=16)
    idx, targets = collate([a, b], pad_id=0)
    assert idx.tolist() == [[1, 2, 3, 4], [1, 0, 0, 0]]
    # target i is the token at i + 1: the first solution token is predicted from the last prompt token
    assert targets.tolist() == [[IGNORE_INDEX, IGNORE_INDEX, 4, 5], [6, IGNORE_INDEX, IGNORE_INDEX, IGNORE_INDEX]]


def test_loss_changes_only_with_solution_positions() -> None:
    torch.manual_seed(0)
    ex = build_example([1, 2, 3, 4], [5, 6, 7], max_len=16)
    idx, targets = collate([ex])
    logits = torch.randn(1, idx.shape[1], 16)
    base = masked_loss(logits, targets)
    prompt_pos = (targets[0] == IGNORE_INDEX).nonzero().flatten().tolist()
    solution_pos = (targets[0] != IGNORE_INDEX).nonzero().flatten().tolist()
    assert prompt_pos == [0, 1, 2] and solution_pos == [3, 4, 5]

    changed_prompt = logits.clone()
    changed_prompt[0, prompt_pos] += torch.randn(len(prompt_pos), 16) * 5
    assert torch.allclose(masked_loss(changed_prompt, targets), base)

    changed_solution = logits.clone()
    changed_solution[0, solution_pos[0]] += torch.randn(16) * 5
    assert not torch.allclose(masked_loss(changed_solution, targets), base)

    # and it is exactly the mean cross-entropy over the solution tokens
    manual = torch.nn.functional.cross_entropy(logits[0, solution_pos], targets[0, solution_pos])
    assert torch.allclose(base, manual)


def test_prompt_gradients_come_only_from_solution_targets() -> None:
    torch.manual_seed(0)
    ex = build_example([1, 2, 3, 4], [5, 6], max_len=16)
    idx, targets = collate([ex])
    logits = torch.randn(1, idx.shape[1], 16, requires_grad=True)
    masked_loss(logits, targets).backward()
    assert logits.grad is not None
    grad_norm = logits.grad[0].abs().sum(dim=-1)
    assert torch.all(grad_norm[:3] == 0)
    assert torch.all(grad_norm[3:] > 0)


def test_finetuning_codexlab_gpt_lowers_solution_loss() -> None:
    torch.manual_seed(0)
    model = GPT(GPTConfig(vocab_size=256, n_layer=1, n_head=2, d_model=32, ctx=128))
    examples = [problem_example(PROBLEM, byte_encode, max_len=128, eos_id=0)]
    before = solution_loss(model, examples)
    result = train_sft(model, examples, steps=12, lr=3e-3, batch_size=1)
    after = solution_loss(model, examples)
    assert len(result.losses) == 12
    assert after < before


def test_curate_sft_command_on_exported_checkpoint(
    tiny_problems_file: Path, humaneval: ProblemSet, tmp_path: Path
) -> None:
    """`codexlab curate sft` end to end on a tiny codexlab GPT exported as a transformers checkpoint."""
    from codexlab.cli.main import main
    from codexlab.tokenizer.bpe import train_tokenizer
    from codexlab.training.hf import export_gpt

    texts = [p.prompt + p.canonical_solution for p in list(humaneval.values())[:20]]
    tok = train_tokenizer(texts, vocab_size=400, show_progress=False)
    torch.manual_seed(0)
    init = export_gpt(
        GPT(GPTConfig(vocab_size=tok.get_vocab_size(), n_layer=1, n_head=2, d_model=32, ctx=128)),
        tok,
        tmp_path / "init",
    )
    out = tmp_path / "sft"
    assert (
        main(
            [
                "curate",
                "sft",
                str(tiny_problems_file),
                "--init-from",
                str(init),
                "--out-dir",
                str(out),
                "--steps",
                "3",
                "--batch-size",
                "2",
                "--max-len",
                "96",
                "--lr",
                "1e-3",
            ]
        )
        == 0
    )
    report = json.loads((out / "sft.json").read_text())
    assert report["problems"] == 2 and report["steps"] == 3 and len(report["losses"]) == 3
    assert (out / "config.json").exists()
    assert (out / "loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_curate_sft_rejects_a_missing_model_a_negative_rank_and_trained_held_out(
    tiny_problems_file: Path, tmp_path: Path, capsys
) -> None:
    from codexlab.cli.main import main

    base = ["curate", "sft", str(tiny_problems_file), "--out-dir", str(tmp_path / "o")]
    assert main([*base, "--init-from", str(tmp_path / "missing.gguf")]) == 2
    assert "no such checkpoint directory" in capsys.readouterr().err
    assert main([*base, "--init-from", str(tmp_path), "--lora-rank", "-1"]) == 2
    assert "--lora-rank must be 0 (full fine-tuning) or more" in capsys.readouterr().err
    assert main([*base, "--init-from", str(tmp_path), "--held-out", str(tiny_problems_file)]) == 2
    assert "2 held-out problems are also trained on" in capsys.readouterr().err  # refused before the model loads
    for gone in ("gone.jsonl", "gone"):
        assert main([*base, "--init-from", str(tmp_path), "--held-out", str(tmp_path / gone)]) == 2
        assert f"{tmp_path / gone}: no such problems file, nor a dataset name" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_the_recipe_defaults_lora_on_gguf_full_otherwise_one_epoch() -> None:
    from codexlab.training.sft import FULL_LR, LORA_LR, LORA_RANK, recipe

    gguf = recipe("m.gguf", n_examples=10, batch_size=4)
    assert (gguf.lora_rank, gguf.lora_alpha, gguf.lr, gguf.steps) == (LORA_RANK, 2.0 * LORA_RANK, LORA_LR, 3)
    full = recipe("checkpoint-dir", n_examples=8, batch_size=4)
    assert (full.lora_rank, full.lr, full.steps) == (None, FULL_LR, 2)
    assert recipe("m.gguf", 8, 4, lora_rank=0).lora_rank is None  # 0 asks for full fine-tuning
    given = recipe("m.gguf", 8, 4, lora_rank=4, lora_alpha=8.0, lr=1e-3, steps=7)
    assert (given.lora_rank, given.lora_alpha, given.lr, given.steps) == (4, 8.0, 1e-3, 7)


def test_held_out_problems_that_are_trained_on_are_refused() -> None:
    from codexlab.errors import CodexlabError
    from codexlab.training.sft import check_held_out

    other = Problem("T/1", "def sub(a, b):\n", "sub", "    return a - b\n", "")
    second_sample = Problem("T/0#1", "def add(x: int, y: int) -> int:\n", "add", "    return x + y\n", "")
    check_held_out([PROBLEM], [other])  # disjoint: accepted
    with pytest.raises(CodexlabError, match="1 held-out problems are also trained on, e.g. T/0"):
        check_held_out([other, second_sample], [PROBLEM])  # another sample of T/0, its own signature
    with pytest.raises(CodexlabError, match="e.g. T/9"):
        check_held_out([PROBLEM], [Problem("T/9", PROBLEM.prompt, "add", "    return b + a\n", "")])
