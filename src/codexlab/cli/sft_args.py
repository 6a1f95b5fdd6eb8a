"""`codexlab curate sft` (fine-tune a transformers causal LM on problems' solutions, prompt tokens masked) and
`codexlab curate sweep` (choose its settings on held-out problems)."""

from __future__ import annotations

import argparse
import sys
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
    add_training_args(sft)
    sft.add_argument(
        "--lora-rank",
        type=int,
        help="LoRA on the attention projections with this rank (default: 16 for a GGUF model, which is written "
        "back as a GGUF; full fine-tuning for a checkpoint directory; 0: full fine-tuning)",
    )
    sft.add_argument("--lora-alpha", type=float, help="LoRA scale numerator (default: twice the rank)")
    sft.add_argument(
        "--held-out",
        metavar="PROBLEMS",
        help="problems never trained on (e.g. the <out>.heldout.jsonl of `curate targets --hold-out-every`): "
        "their solution-token loss before and after goes into sft.json and loss.png, to choose settings on",
    )
    sft.add_argument("--out-dir", type=Path, required=True, help="where to save the fine-tuned model")
    sft.add_argument("--steps", type=int, help="optimizer steps (default: one epoch over the problems)")
    sft.add_argument("--lr", type=float, help="AdamW learning rate (default 2e-4 with LoRA, 1e-5 for full fine-tuning)")
    sft.add_argument("--json", action="store_true", help="print the report as JSON")
    sft.set_defaults(func=cmd_sft)


def add_training_args(p: argparse.ArgumentParser) -> None:
    """What `curate sft` and `curate sweep` share: the model to start from and how examples are built."""
    p.add_argument(
        "--init-from",
        required=True,
        help="transformers checkpoint directory, .gguf file, or an embedded model name ('default', "
        "'smollm2-135m'); GGUF files are dequantized by transformers (needs the gguf package)",
    )
    p.add_argument(
        "--ending",
        choices=ENDINGS,
        default="next-def",
        help="how each target ends: next-def (default): two blank lines and `def`, which the paper's stop "
        "sequence '\\ndef' cuts; eos: the end-of-text token (an instruct model learns to close a code fence "
        "before it); none: nothing, so the model is not taught to stop",
    )
    p.add_argument("--batch-size", type=int, default=4, help="examples per step (default 4)")
    p.add_argument("--max-len", type=int, default=512, help="tokens per example (default 512)")
    p.add_argument("--seed", type=int, default=0, help="shuffling seed (default 0)")


def cmd_sft(args: argparse.Namespace) -> int:
    from codexlab.cli.common import load_problems_arg
    from codexlab.reports.progress import make_progress
    from codexlab.training.sft_recipe import check_held_out, recipe

    problems = load_problems_arg(args.problems)
    held_out = list(load_problems_arg(args.held_out).values()) if args.held_out else []
    check_held_out(list(problems.values()), held_out)  # before a model is fetched or loaded
    if args.lora_rank is not None and args.lora_rank < 0:
        raise CodexlabError("--lora-rank must be 0 (full fine-tuning) or more")
    if args.steps is not None and args.steps < 1:
        raise CodexlabError("--steps must be at least 1")
    init = _init_from(args.init_from)
    plan = recipe(init, len(problems), args.batch_size, args.lora_rank, args.lora_alpha, args.lr, args.steps)
    with make_progress(args.json) as progress:
        task = progress.add_task("fine-tuning", total=plan.steps, unit="step", extra="")

        def on_step(step: int, loss: float) -> None:
            progress.update(task, advance=1, extra=f"loss {loss:.3f}")

        from codexlab.training.sft import finetune_hf

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


def _init_from(spec: str) -> str:
    """--init-from as a path: an embedded model's name is fetched (on first use) and resolved to its file."""
    from codexlab.generation.model_files import MODELS, resolve_model

    init = str(resolve_model(spec)) if spec in MODELS else spec
    if not Path(init).exists():
        raise CodexlabError(
            f"--init-from {init}: no such checkpoint directory, GGUF file or embedded model ({', '.join(MODELS)})"
        )
    return init


def add_sweep_parser(cmds: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from codexlab.curation.sweep import CENTRE

    sw = cmds.add_parser(
        "sweep",
        help="choose the fine-tune's learning rate, epochs and LoRA rank on held-out training problems",
        description="Fine-tune once per setting and judge each model greedily on problems kept out of "
        "training (the <out>.heldout.jsonl of `curate targets --hold-out-every`), beside the model before "
        "fine-tuning, so that settings are chosen without looking at the benchmark. Settings vary one at a time "
        f"around the recipe's defaults (lr {CENTRE.lr:g}, {CENTRE.epochs:g} epoch, rank {CENTRE.lora_rank}), in "
        "the order given; OUT_DIR/sweep.json, sweep_table.csv and sweep.png are rewritten after every point, "
        "and rerunning the command resumes (finished fine-tunes are not trained again).",
    )
    sw.add_argument("problems", help="training problems file (the output of `curate targets`)")
    add_training_args(sw)
    sw.add_argument("--held-out", metavar="PROBLEMS", required=True, help="held-out problems to judge on")
    sw.add_argument("--out-dir", type=Path, required=True, help="one directory per point, and the tables")
    sw.add_argument("--lr", default="1e-4,4e-4", help="learning rates to try (default 1e-4,4e-4)")
    sw.add_argument("--epochs", default="0.5,2", help="epochs over the examples to try (default 0.5,2)")
    sw.add_argument("--lora-rank", default="", help="LoRA ranks to try (default: none besides the recipe's)")
    sw.add_argument("--executor", default="auto", help="where samples run (as for `codexlab run`)")
    sw.add_argument("--json", action="store_true", help="print sweep.json")
    sw.set_defaults(func=cmd_sweep)


def _floats(flag: str, text: str) -> list[float]:
    try:
        values = [float(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise CodexlabError(f"{flag} {text!r}: give numbers separated by commas") from None
    if any(v <= 0 for v in values):
        raise CodexlabError(f"{flag} {text!r}: every value must be positive")
    return values


def cmd_sweep(args: argparse.Namespace) -> int:
    from codexlab.cli.common import load_problems_arg
    from codexlab.curation.sweep import one_at_a_time, run_sweep
    from codexlab.reports.progress import RunBars, make_progress, stderr_console
    from codexlab.training.sft_recipe import check_held_out

    problems = load_problems_arg(args.problems)
    held_out = load_problems_arg(args.held_out)
    check_held_out(list(problems.values()), list(held_out.values()))  # before a model is fetched or loaded
    ranks = _floats("--lora-rank", args.lora_rank)
    if any(r != int(r) for r in ranks):
        raise CodexlabError(f"--lora-rank {args.lora_rank!r}: ranks are whole numbers")
    points = one_at_a_time(_floats("--lr", args.lr), _floats("--epochs", args.epochs), [int(r) for r in ranks])
    init = _init_from(args.init_from)
    if Path(init).suffix != ".gguf":
        raise CodexlabError(f"--init-from {init}: the sweep fine-tunes GGUF models with LoRA; give a .gguf file")
    with make_progress(args.json) as progress:
        task: list[Any] = []

        def on_point(name: str, steps: int) -> None:
            stderr_console.print(f"codexlab: sweep point {name}" + (f", {steps} steps" if steps else ""))
            if steps:
                task[:] = [progress.add_task(f"fine-tuning {name}", total=steps, unit="step", extra="")]

        def on_step(step: int, loss: float) -> None:
            progress.update(task[0], advance=1, extra=f"loss {loss:.3f}")

        result = run_sweep(
            init,
            list(problems.values()),
            held_out,
            args.out_dir,
            points,
            batch_size=args.batch_size,
            max_len=args.max_len,
            seed=args.seed,
            ending=args.ending,
            executor=args.executor,
            on_point=on_point,
            on_step=on_step,
            progress=RunBars(progress),
        )
    if args.json:
        emit_json(result.to_dict())
    else:
        result.table().print()
        print(f"codexlab: sweep.json, sweep_table.csv and sweep.png in {args.out_dir}", file=sys.stderr)
    return 0
