"""`codexlab curate sft`: fine-tune a transformers causal LM on problems' solutions, prompt tokens masked."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from codexlab.cli.common import emit_json
from codexlab.errors import CodexlabError
from codexlab.training.endings import ENDINGS


def add_sft_parser(cmds: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sft = cmds.add_parser(
        "sft",
        help="fine-tune on problems' canonical solutions (loss on solution tokens only)",
        description="Supervised fine-tuning as for Codex-S: each example is a problem's prompt "
        "then its canonical solution; the prompt's tokens are masked out of the loss. "
        "Saves a transformers checkpoint usable with `--backend transformers`, or, for a "
        "GGUF model fine-tuned with --lora-rank, OUT_DIR/model.gguf for `--model` with "
        "llama.cpp.",
    )
    sft.add_argument("problems", help="problems file (e.g. the output of `curate filter`) or a dataset name")
    sft.add_argument(
        "--init-from",
        required=True,
        help="transformers checkpoint directory, .gguf file, or an embedded model name ('default', "
        "'smollm2-135m'); GGUF files are dequantized by transformers (needs the gguf package)",
    )
    sft.add_argument(
        "--lora-rank",
        type=int,
        help="LoRA on the attention projections with this rank (default: 16 for a GGUF model, which is written "
        "back as a GGUF; full fine-tuning for a checkpoint directory; 0: full fine-tuning)",
    )
    sft.add_argument("--lora-alpha", type=float, help="LoRA scale numerator (default: twice the rank)")
    sft.add_argument(
        "--ending",
        choices=ENDINGS,
        default="next-def",
        help="how each target ends: next-def (default): two blank lines and `def`, which the paper's stop "
        "sequence '\\ndef' cuts; eos: the end-of-text token (an instruct model learns to close a code fence "
        "before it); none: nothing, so the model is not taught to stop",
    )
    sft.add_argument(
        "--held-out",
        metavar="PROBLEMS",
        help="problems never trained on (e.g. the <out>.heldout.jsonl of `curate targets --hold-out-every`): "
        "their solution-token loss before and after goes into sft.json and loss.png, to choose settings on",
    )
    sft.add_argument("--out-dir", type=Path, required=True, help="where to save the fine-tuned model")
    sft.add_argument("--steps", type=int, help="optimizer steps (default: one epoch over the problems)")
    sft.add_argument("--lr", type=float, help="AdamW learning rate (default 2e-4 with LoRA, 1e-5 for full fine-tuning)")
    sft.add_argument("--batch-size", type=int, default=4, help="examples per step (default 4)")
    sft.add_argument("--max-len", type=int, default=512, help="tokens per example (default 512)")
    sft.add_argument("--seed", type=int, default=0, help="shuffling seed (default 0)")
    sft.add_argument("--json", action="store_true", help="print the report as JSON")
    sft.set_defaults(func=cmd_sft)


def cmd_sft(args: argparse.Namespace) -> int:
    from codexlab.cli.common import load_problems_arg
    from codexlab.generation.model_files import MODELS, resolve_model
    from codexlab.reports.progress import make_progress
    from codexlab.training.sft import check_held_out, finetune_hf, recipe

    problems = load_problems_arg(args.problems)
    held_out = list(load_problems_arg(args.held_out).values()) if args.held_out else []
    check_held_out(list(problems.values()), held_out)  # before a model is fetched or loaded
    if args.lora_rank is not None and args.lora_rank < 0:
        raise CodexlabError("--lora-rank must be 0 (full fine-tuning) or more")
    if args.steps is not None and args.steps < 1:
        raise CodexlabError("--steps must be at least 1")
    init = str(resolve_model(args.init_from)) if args.init_from in MODELS else args.init_from
    if not Path(init).exists():
        raise CodexlabError(
            f"--init-from {init}: no such checkpoint directory, GGUF file or embedded model ({', '.join(MODELS)})"
        )
    plan = recipe(init, len(problems), args.batch_size, args.lora_rank, args.lora_alpha, args.lr, args.steps)
    with make_progress(args.json) as progress:
        task = progress.add_task("fine-tuning", total=plan.steps, unit="step", extra="")

        def on_step(step: int, loss: float) -> None:
            progress.update(task, advance=1, extra=f"loss {loss:.3f}")

        report = finetune_hf(
            init,
            list(problems.values()),
            args.out_dir,
            plan.steps,
            plan.lr,
            args.batch_size,
            args.max_len,
            args.seed,
            plan.lora_rank,
            plan.lora_alpha,
            on_step,
            ending=args.ending,
            held_out=held_out,
        )
    report["loss_plot"] = str(plot_losses(report, args.out_dir / "loss.png"))
    if args.json:
        emit_json(report)
    else:
        print(
            f"fine-tuned on {report['problems']} problems for {report['steps']} steps in {report['seconds']}s; "
            f"solution-token loss {report['solution_loss_before']} -> {report['solution_loss_after']}"
        )
        if report["held_out_problems"]:
            print(
                f"held-out loss ({report['held_out_problems']} problems) "
                f"{report['held_out_loss_before']} -> {report['held_out_loss_after']}"
            )
        print(f"model: {report['saved']}; loss curve: {report['loss_plot']}")
    return 0


def plot_losses(report: dict[str, Any], path: Path) -> Path:
    """Each step's solution-token loss, with the loss over all examples (and the held-out ones) before and after."""
    from codexlab.analyses.common import pyplot, save

    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.5))
    losses = report["losses"]
    ax.plot(range(1, len(losses) + 1), losses, lw=1, label="batch loss")
    ax.axhline(report["solution_loss_before"], color="tab:red", ls="--", lw=1, label="all examples, before")
    ax.axhline(report["solution_loss_after"], color="tab:green", ls="--", lw=1, label="all examples, after")
    if report.get("held_out_problems"):
        ax.axhline(report["held_out_loss_before"], color="tab:red", ls=":", lw=1, label="held out, before")
        ax.axhline(report["held_out_loss_after"], color="tab:green", ls=":", lw=1, label="held out, after")
    ax.set_xlabel("step")
    ax.set_ylabel("solution-token loss")
    ax.set_title(f"{report['method']}, lr {report['lr']}, {report['problems']} examples", fontsize=9)
    ax.legend(fontsize=8)
    return save(fig, path)
