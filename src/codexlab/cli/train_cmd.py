"""`codexlab data|tokenizer|train|export`: the Codex training recipe from Python files to a Hugging Face checkpoint."""

from __future__ import annotations

import argparse
import json
import os
import shutil
from dataclasses import asdict
from pathlib import Path

from rich.console import Console
from rich.table import Table

from codexlab.errors import CodexlabError

console = Console()


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    _register_data(sub)
    _register_tokenizer(sub)
    _register_train(sub)
    exp = sub.add_parser(
        "export",
        help="export a training run as a Hugging Face checkpoint directory",
        description="Write the run's last checkpoint as a transformers checkpoint (GPT-2 architecture, safetensors, "
        "fast tokenizer) that AutoModelForCausalLM / AutoTokenizer load without codexlab.",
    )
    exp.add_argument("run", type=Path, help="run directory (holds ckpt.pt)")
    exp.add_argument("--out", type=Path, required=True, help="checkpoint directory to write")
    exp.add_argument("--tokenizer", type=Path, help="tokenizer.json (default: the one next to the run's shards)")
    exp.set_defaults(func=cmd_export)


def _register_data(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    data = sub.add_parser("data", help="build a training corpus and its token shards")
    dsub = data.add_subparsers(dest="data_command", metavar="ACTION")
    build = dsub.add_parser(
        "build",
        help="collect, filter, deduplicate and decontaminate Python files into corpus.jsonl",
        description="Sources are directories, git repositories (files tracked at HEAD) or tarballs. Applies the "
        "Codex filters (size, line lengths, auto-generated, alphanumeric share), UTF-8 and parse checks, exact and "
        "MinHash near-duplicate removal, and HumanEval decontamination; prints what was dropped and why.",
    )
    build.add_argument("sources", nargs="+", help="directories, git repositories or tarballs")
    build.add_argument("--out", type=Path, required=True, help="corpus directory to write")
    build.add_argument("--exclude", action="append", default=[], help="directory name to skip (repeatable)")
    build.add_argument("--near-dup", type=float, default=0.8, help="MinHash Jaccard threshold; 0 disables")
    build.add_argument("--no-decontam", action="store_true", help="keep files that overlap HumanEval")
    build.add_argument("--no-progress", action="store_true")
    build.set_defaults(func=cmd_data_build)
    tok = dsub.add_parser(
        "tokenize",
        help="tokenize a corpus into packed train/val shards (memory-mapped)",
        description="Writes train.bin, val.bin (uint16 or uint32) and meta.json; files are split by content hash.",
    )
    tok.add_argument("corpus", type=Path, help="corpus directory (or corpus.jsonl)")
    tok.add_argument("--tokenizer", type=Path, required=True, help="tokenizer.json, or a Hugging Face model dir")
    tok.add_argument("--out", type=Path, required=True, help="shard directory to write")
    tok.add_argument("--val-fraction", type=float, default=0.02)
    tok.add_argument("--eos", default=None, help="document separator token (default: the tokenizer's EOS)")
    tok.add_argument("--no-progress", action="store_true")
    tok.set_defaults(func=cmd_data_tokenize)
    data.set_defaults(func=lambda a: (data.print_help(), 2)[1])


def _register_tokenizer(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    tk = sub.add_parser("tokenizer", help="train the byte-level BPE with whitespace-run tokens")
    tsub = tk.add_subparsers(dest="tokenizer_command", metavar="ACTION")
    tr = tsub.add_parser(
        "train",
        help="train a tokenizer on a corpus and measure the whitespace tokens' saving",
        description="Byte-level BPE (Hugging Face tokenizers) with one token per run of spaces / newline+indent, "
        "as the Codex paper added to GPT-3's tokenizer. Reports token counts with and without those tokens.",
    )
    tr.add_argument("corpus", type=Path, help="corpus directory (or corpus.jsonl)")
    tr.add_argument("--out", type=Path, required=True, help="tokenizer.json to write")
    tr.add_argument("--vocab-size", type=int, default=8192)
    tr.add_argument("--no-whitespace-tokens", action="store_true")
    tr.add_argument("--compare-plain", action="store_true", help="also train a plain BPE and compare token counts")
    tr.set_defaults(func=cmd_tokenizer_train)
    tk.set_defaults(func=lambda a: (tk.print_help(), 2)[1])


def _register_train(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from codexlab.training.configs import SHAPES

    train = sub.add_parser("train", help="train or fine-tune a GPT on token shards; run the 2-core demo")
    tsub = train.add_subparsers(dest="train_command", metavar="ACTION")
    run = tsub.add_parser(
        "run",
        help="train (or resume) a model",
        description="AdamW with warmup + cosine decay, gradient accumulation, bf16 autocast where supported. "
        "Rerunning the same command resumes from the run's checkpoint; Ctrl-C checkpoints and stops. Under torchrun "
        "it trains with DDP, or FSDP with --strategy fsdp.",
    )
    run.add_argument("--data", required=True, help="shard directory (from `codexlab data tokenize`)")
    run.add_argument("--out", required=True, help="run directory (checkpoint, log.jsonl, loss.png)")
    run.add_argument("--model", default="codex-tiny", choices=sorted(SHAPES), help="named config (default codex-tiny)")
    run.add_argument("--init-from", help="fine-tune a Hugging Face causal LM (directory or .gguf file)")
    run.add_argument("--ctx", type=int, default=256)
    run.add_argument("--batch-size", type=int, default=8, help="sequences per micro-batch per process")
    run.add_argument("--grad-accum", type=int, default=1)
    run.add_argument("--max-tokens", type=int, default=1_000_000, help="token budget of the whole run")
    run.add_argument("--lr", type=float, default=1e-3)
    run.add_argument("--min-lr", type=float, default=None)
    run.add_argument("--warmup-steps", type=int, default=50)
    run.add_argument("--weight-decay", type=float, default=0.1)
    run.add_argument("--dropout", type=float, default=0.0)
    run.add_argument("--eval-every", type=int, default=100)
    run.add_argument("--eval-batches", type=int, default=16)
    run.add_argument("--ckpt-every", type=int, default=100)
    run.add_argument("--log-every", type=int, default=10)
    run.add_argument("--dtype", choices=["auto", "bf16", "fp32"], default="auto")
    run.add_argument("--compile", action="store_true", help="torch.compile the model (30-60 s cold start)")
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--device", default=None, help="cpu or cuda (default: cuda when available)")
    run.add_argument(
        "--threads", type=int, default=None, help="torch CPU threads (default: all cores, 1 on a busy machine)"
    )
    run.add_argument(
        "--strategy",
        choices=["ddp", "fsdp"],
        default="ddp",
        help="under torchrun: replicate the model (ddp, default) or shard it per block (fsdp, for models that do "
        "not fit one GPU); a single process ignores it",
    )
    run.add_argument("--no-progress", action="store_true")
    run.set_defaults(func=cmd_train_run)

    demo = tsub.add_parser(
        "demo",
        help="corpus from the local Python installation -> tokenizer -> train a small GPT -> export (minutes)",
        description="Builds the corpus from this Python's standard library (and site-packages with "
        "--site-packages), trains the tokenizer, tokenizes, trains a small model for a fixed token budget and "
        "exports it as a Hugging Face checkpoint. Rerun to resume after Ctrl-C.",
    )
    demo.add_argument("--out", default="runs/train-demo")
    demo.add_argument("--model", default="codex-tiny", choices=sorted(SHAPES))
    demo.add_argument("--tokens", type=int, default=1_000_000, help="training token budget (default 1M)")
    demo.add_argument("--vocab-size", type=int, default=8192)
    demo.add_argument("--site-packages", action="store_true", help="add this environment's site-packages")
    demo.add_argument("--compile", action="store_true")
    demo.add_argument(
        "--eval-samples", type=int, default=1, help="HumanEval samples per problem after export (0 skips; default 1)"
    )
    demo.add_argument("--no-progress", action="store_true")
    demo.set_defaults(func=cmd_train_demo)

    plot = tsub.add_parser("plot", help="draw a run's loss curve from its log.jsonl")
    plot.add_argument("run", type=Path)
    plot.add_argument("--out", type=Path, help="PNG path (default RUN/loss.png)")
    plot.add_argument("--title")
    plot.set_defaults(func=cmd_train_plot)

    cfgs = tsub.add_parser("configs", help="list the named model configurations")
    cfgs.add_argument("--vocab-size", type=int, default=8192)
    cfgs.set_defaults(func=cmd_train_configs)
    train.set_defaults(func=lambda a: (train.print_help(), 2)[1])


def cmd_data_build(args: argparse.Namespace) -> int:
    from codexlab.data.corpus import build_corpus
    from codexlab.data.decontam import Decontaminator
    from codexlab.problems import load_problems

    decon = None if args.no_decontam else Decontaminator(load_problems("humaneval"))
    report = build_corpus(
        args.sources,
        args.out,
        decontaminator=decon,
        near_dup_threshold=args.near_dup or None,
        exclude=tuple(args.exclude),
        progress=not args.no_progress,
    )
    print_report(report)
    console.print(f"corpus: {args.out / 'corpus.jsonl'}  report: {args.out / 'report.json'}")
    return 0


def print_report(report: object) -> None:
    from codexlab.data.corpus import CorpusReport

    assert isinstance(report, CorpusReport)
    table = Table(title="corpus filters (first rule broken)")
    for col in ("stage", "files", "MB"):
        table.add_column(col, justify="left" if col == "stage" else "right")
    for name, files, size in report.rows():
        table.add_row(name, f"{files:,}", f"{size / 1e6:,.1f}")
    console.print(table)
    if report.contaminated_tasks:
        console.print("contaminated by: " + ", ".join(f"{k} ({v})" for k, v in report.contaminated_tasks.items()))


def cmd_data_tokenize(args: argparse.Namespace) -> int:
    from codexlab.data.corpus import read_texts
    from codexlab.data.shards import write_shards
    from codexlab.tokenizer.bpe import EOS, load_tokenizer

    tok = load_tokenizer(args.tokenizer)
    eos = args.eos or _eos_of(args.tokenizer) or EOS
    meta = write_shards(
        read_texts(args.corpus), tok, args.out, val_fraction=args.val_fraction, eos=eos, progress=not args.no_progress
    )
    src = args.tokenizer / "tokenizer.json" if args.tokenizer.is_dir() else args.tokenizer
    shutil.copy(src, args.out / "tokenizer.json")
    console.print_json(json.dumps(asdict(meta)))
    return 0


def _eos_of(path: Path) -> str | None:
    """A Hugging Face model directory names its EOS token in tokenizer_config.json."""
    cfg = path / "tokenizer_config.json" if path.is_dir() else None
    if cfg is None or not cfg.exists():
        return None
    eos = json.loads(cfg.read_text()).get("eos_token")
    return eos.get("content") if isinstance(eos, dict) else eos


def cmd_tokenizer_train(args: argparse.Namespace) -> int:
    from codexlab.data.corpus import read_texts
    from codexlab.tokenizer.bpe import measure_whitespace_saving, train_tokenizer

    tok = train_tokenizer(read_texts(args.corpus), args.vocab_size, whitespace_tokens=not args.no_whitespace_tokens)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tok.save(str(args.out))
    if not args.no_whitespace_tokens:
        s = measure_whitespace_saving(tok, read_texts(args.corpus))
        console.print(
            f"whitespace tokens: {s.tokens_with:,} tokens vs {s.tokens_without:,} without them "
            f"({s.reduction:.1%} fewer; {s.chars / s.tokens_with:.2f} chars/token)"
        )
        if args.compare_plain:
            plain = train_tokenizer(read_texts(args.corpus), args.vocab_size, whitespace_tokens=False)
            p = measure_whitespace_saving(tok, read_texts(args.corpus), baseline=plain)
            console.print(f"vs a plain BPE of the same size: {p.tokens_without:,} tokens ({p.reduction:.1%} fewer)")
    console.print(f"tokenizer: {args.out} ({tok.get_vocab_size()} tokens)")
    return 0


def cmd_train_run(args: argparse.Namespace) -> int:
    from codexlab.training.trainer import TrainConfig, train

    tc = TrainConfig(
        data=args.data,
        out=args.out,
        model=args.model,
        init_from=args.init_from,
        ctx=args.ctx,
        batch_size=args.batch_size,
        grad_accum=args.grad_accum,
        max_tokens=args.max_tokens,
        lr=args.lr,
        min_lr=args.min_lr,
        warmup_steps=args.warmup_steps,
        weight_decay=args.weight_decay,
        dropout=args.dropout,
        eval_every=args.eval_every,
        eval_batches=args.eval_batches,
        ckpt_every=args.ckpt_every,
        log_every=args.log_every,
        dtype=args.dtype,
        compile=args.compile,
        seed=args.seed,
        device=args.device,
        threads=args.threads,
        strategy=args.strategy,
        progress=not args.no_progress,
    )
    result = train(tc)
    if os.environ.get("RANK", "0") == "0":  # under torchrun, one summary
        console.print_json(json.dumps(asdict(result)))
    return 0


def cmd_train_demo(args: argparse.Namespace) -> int:
    from codexlab.training.demo import DemoConfig, run_demo

    cfg = DemoConfig(
        out=args.out,
        model=args.model,
        tokens=args.tokens,
        vocab_size=args.vocab_size,
        site_packages=args.site_packages,
        compile=args.compile,
        eval_samples=args.eval_samples,
        progress=not args.no_progress,
    )
    summary = run_demo(cfg)
    from codexlab.data.corpus import CorpusReport

    print_report(CorpusReport(**summary["corpus"]))
    ab = summary["tokenizer"]["ablation"]
    console.print(
        f"tokenizer: whitespace tokens give {ab['tokens_with']:,} tokens vs {ab['tokens_without']:,} without "
        f"({ab['reduction']:.1%} fewer)"
    )
    if "vs_plain_bpe" in summary["tokenizer"]:
        vp = summary["tokenizer"]["vs_plain_bpe"]
        console.print(f"           vs a plain BPE trained the same way: {vp['reduction']:.1%} fewer")
    tr = summary["train"]
    console.print(
        f"train: {tr['steps']} steps, {tr['tokens']:,} tokens, val loss {tr['val_loss']:.3f} nats/token "
        f"({tr['val_bpb']:.3f} bits/byte), {tr['tokens_per_s']:,.0f} tokens/s"
    )
    console.print(f"exported: {summary['export_dir']}  (summary: {Path(args.out) / 'summary.json'})")
    if "humaneval" in summary:
        console.print_json(json.dumps(summary["humaneval"]))
    return 0


def cmd_train_plot(args: argparse.Namespace) -> int:
    from codexlab.training.plot import plot_log

    log = args.run / "log.jsonl"
    if not log.exists():
        raise CodexlabError(f"{args.run}: no log.jsonl")
    console.print(str(plot_log(log, args.out or args.run / "loss.png", args.title)))
    return 0


def cmd_train_configs(args: argparse.Namespace) -> int:
    from codexlab.training.configs import SHAPES, model_config

    table = Table(title="model configurations (non-embedding parameters name the size, as in the paper)")
    for col in ("name", "layers", "heads", "d_model", "non-embedding params", "train GFLOP/token (ctx 1024)"):
        table.add_column(col, justify="left" if col == "name" else "right")
    for name, (n_layer, n_head, d_model) in SHAPES.items():
        cfg = model_config(name, args.vocab_size)
        table.add_row(
            name,
            str(n_layer),
            str(n_head),
            str(d_model),
            f"{cfg.non_embedding_params() / 1e6:,.1f}M",
            f"{cfg.flops_per_token() / 1e9:,.3f}",
        )
    console.print(table)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from codexlab.tokenizer.bpe import load_tokenizer
    from codexlab.training.hf import HFCausalLM, export_gpt, export_hf
    from codexlab.training.model import GPT
    from codexlab.training.trainer import load_trained_model

    model, ckpt = load_trained_model(args.run)
    if isinstance(model, HFCausalLM):
        out = export_hf(model, args.out)
    else:
        assert isinstance(model, GPT)
        tok_path = args.tokenizer or Path(ckpt["train_config"]["data"]) / "tokenizer.json"
        out = export_gpt(model, load_tokenizer(tok_path), args.out)
    console.print(f"exported {args.run} (step {ckpt['step']}) to {out}")
    return 0
