"""The 2-core demo: corpus from the local Python installation -> tokenizer -> shards -> GPT -> HF export.

Every stage writes its output atomically and is skipped when that output exists, so Ctrl-C and rerunning the same
command resumes at the stage (and, for training, the step) where it stopped. Numbers land in `summary.json`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from codexlab.data.corpus import REPORT_FILE, CorpusReport, build_corpus, read_texts
from codexlab.data.decontam import Decontaminator
from codexlab.data.shards import META_FILE, ShardMeta, write_shards
from codexlab.problems import load_problems
from codexlab.reports.progress import stderr_console
from codexlab.tokenizer.bpe import load_tokenizer, measure_whitespace_saving, train_tokenizer
from codexlab.training.hf import export_gpt
from codexlab.training.model import GPT
from codexlab.training.trainer import TrainConfig, cpu_threads, load_trained_model, train


@dataclass(frozen=True)
class DemoConfig:
    out: str = "runs/train-demo"
    model: str = "codex-tiny"
    tokens: int = 1_000_000
    ctx: int = 1024  # HumanEval prompts (up to ~450 tokens here) plus the completion must fit
    batch_size: int = 4
    lr: float = 2e-3
    vocab_size: int = 8192
    site_packages: bool = False
    compile: bool = False
    compare_plain_bpe: bool = True
    eval_samples: int = 1  # HumanEval samples per problem after export; 0 skips evaluation
    eval_max_tokens: int = 128
    progress: bool = True


def local_python_sources(site_packages: bool) -> tuple[list[str], tuple[str, ...]]:
    """The standard library (its own site-packages excluded), plus this environment's site-packages on request."""
    stdlib = sysconfig.get_paths()["stdlib"]
    sources = [stdlib]
    if site_packages:
        sources.append(sysconfig.get_paths()["purelib"])
    return sources, ("site-packages",) if not site_packages else ()


def run_demo(cfg: DemoConfig) -> dict[str, Any]:
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Any] = {"config": asdict(cfg)}
    say = stderr_console.print

    corpus_dir = out / "corpus"
    if (corpus_dir / REPORT_FILE).exists():
        report = CorpusReport.from_json((corpus_dir / REPORT_FILE).read_text())
        say(f"[dim]corpus: reusing {corpus_dir}")
    else:
        sources, exclude = local_python_sources(cfg.site_packages)
        say(f"[bold]1/6 corpus[/] from {', '.join(sources)}")
        t0 = time.perf_counter()
        report = build_corpus(
            sources,
            corpus_dir,
            exclude=exclude,
            decontaminator=Decontaminator(load_problems("humaneval")),
            progress=cfg.progress,
        )
        summary["corpus_seconds"] = round(time.perf_counter() - t0, 1)
    summary["corpus"] = asdict(report)

    tok_path = out / "tokenizer.json"
    tok_report = out / "tokenizer_report.json"
    if tok_path.exists() and tok_report.exists():
        tokenizer = load_tokenizer(tok_path)
        summary["tokenizer"] = json.loads(tok_report.read_text())
        say(f"[dim]tokenizer: reusing {tok_path}")
    else:
        say(f"[bold]2/6 tokenizer[/] byte-level BPE, {cfg.vocab_size} tokens")
        t0 = time.perf_counter()
        tokenizer = train_tokenizer(read_texts(corpus_dir), cfg.vocab_size, show_progress=cfg.progress)
        seconds = time.perf_counter() - t0
        saving = measure_whitespace_saving(tokenizer, read_texts(corpus_dir))
        info: dict[str, Any] = {"train_seconds": round(seconds, 1), "ablation": asdict(saving)}
        info["ablation"]["reduction"] = saving.reduction
        if cfg.compare_plain_bpe:
            plain = train_tokenizer(
                read_texts(corpus_dir), cfg.vocab_size, whitespace_tokens=False, show_progress=False
            )
            vs_plain = measure_whitespace_saving(tokenizer, read_texts(corpus_dir), baseline=plain)
            info["vs_plain_bpe"] = {**asdict(vs_plain), "reduction": vs_plain.reduction}
        tokenizer.save(str(tok_path))
        tok_report.write_text(json.dumps(info, indent=2))
        summary["tokenizer"] = info

    data_dir = out / "data"
    if (data_dir / META_FILE).exists():
        meta = ShardMeta(**json.loads((data_dir / META_FILE).read_text()))
        say(f"[dim]shards: reusing {data_dir}")
    else:
        say("[bold]3/6 shards[/] tokenizing the corpus (2% of files held out for validation)")
        meta = write_shards(read_texts(corpus_dir), tokenizer, data_dir, total=report.files_kept, progress=cfg.progress)
        shutil.copy(tok_path, data_dir / "tokenizer.json")
    summary["shards"] = asdict(meta)

    say(f"[bold]4/6 train[/] {cfg.model} for {cfg.tokens:,} tokens")
    tc = TrainConfig(
        data=str(data_dir),
        out=str(out / "run"),
        model=cfg.model,
        ctx=cfg.ctx,
        batch_size=cfg.batch_size,
        max_tokens=cfg.tokens,
        lr=cfg.lr,
        warmup_steps=30,
        eval_every=50,
        ckpt_every=25,
        log_every=1,
        compile=cfg.compile,
        progress=cfg.progress,
    )
    result_path = out / "run" / "result.json"
    if not result_path.exists():
        result_path.write_text(json.dumps(asdict(train(tc)), indent=2))
    summary["train"] = json.loads(result_path.read_text())

    say("[bold]5/6 export[/] Hugging Face checkpoint")
    model, _ = load_trained_model(out / "run")
    assert isinstance(model, GPT)
    summary["model"] = {**asdict(model.cfg), "non_embedding_params": model.cfg.non_embedding_params()}
    export_dir = export_gpt(model, tokenizer, out / "model")
    summary["export_dir"] = str(export_dir)
    if cfg.eval_samples:
        summary["humaneval"] = evaluate_export(export_dir, out / "humaneval", cfg)
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    return summary


def evaluate_export(export_dir: Path, run_dir: Path, cfg: DemoConfig) -> dict[str, Any]:
    """`codexlab run --model EXPORT` (the transformers backend), exactly as a user would call it; resumable."""
    say = stderr_console.print
    say(f"[bold]6/6 HumanEval[/] {cfg.eval_samples} sample(s) per problem through the transformers backend")
    cmd = [
        sys.executable, "-m", "codexlab.cli.main", "run", "--model", str(export_dir), "--backend", "transformers",
        "--device", "cpu", "--n", str(cfg.eval_samples), "--temperature", "0" if cfg.eval_samples == 1 else "0.8",
        "--max-tokens", str(cfg.eval_max_tokens), "--run-dir", str(run_dir), "--json",
    ]  # fmt: skip
    if not cfg.progress:
        cmd.append("--no-progress")
    # Same thread policy as training: spinning OpenMP threads on a busy CPU make generation crawl.
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", str(cpu_threads()))}
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False, env=env)
    if proc.returncode != 0:
        return {"command": " ".join(cmd), "error": f"exit status {proc.returncode}"}
    return {"command": " ".join(cmd), "result": json.loads(proc.stdout)}
