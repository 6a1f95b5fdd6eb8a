"""Entry point of the `codexlab` command. Each sub-command lives in its own module with a `register` function."""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings
from collections.abc import Sequence

from codexlab import __version__
from codexlab.errors import CodexlabError

# One module per command group; each exposes register(subparsers) and sets `func` on its parsers.
COMMAND_MODULES = [
    "codexlab.cli.run_cmd",
    "codexlab.cli.model_cmd",
    "codexlab.cli.train_cmd",
    "codexlab.cli.sandbox_cmd",
    "codexlab.cli.problems_cmd",
    "codexlab.cli.runs_cmd",
    "codexlab.cli.analyze_cmd",
    "codexlab.cli.report_cmd",
    "codexlab.cli.blocks_cmd",
    "codexlab.cli.curate_cmd",
    "codexlab.cli.docstrings_cmd",
]

# Optional dependencies and the extra that installs each: commands import them only when they run.
OPTIONAL_MODULES = {
    "torch": "train",
    "transformers": "train",
    "tokenizers": "train",
    "gguf": "train",
    "accelerate": "train",
    "matplotlib": "report",
    "selenium": "report",
    "ray": "ray",
    "vllm": "vllm",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="codexlab",
        description="Evaluate code models by functional correctness (HumanEval, pass@k), execute untrusted "
        "completions in a sandbox, and train code models the way the Codex paper did.",
    )
    parser.add_argument("--version", action="version", version=f"codexlab {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _one_line_warning(
    message: Warning | str, category: type[Warning], filename: str, lineno: int, line: str | None = None
) -> str:
    return f"codexlab: warning: {message}\n"


def main(argv: Sequence[str] | None = None) -> int:
    # text from samples may hold what the terminal cannot encode (a lone surrogate): show it escaped, never crash
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    # the library warns (a weaker sandbox, inputs left out); on the command line a warning is one plain line
    shown, warnings.formatwarning = warnings.formatwarning, _one_line_warning
    try:
        return _main(argv)
    finally:
        warnings.formatwarning = shown


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except CodexlabError as exc:
        print(f"codexlab: error: {exc}", file=sys.stderr)
        return 2
    except ModuleNotFoundError as exc:
        extra = OPTIONAL_MODULES.get((exc.name or "").split(".")[0])
        if extra is None:
            raise
        print(
            f"codexlab: error: this command needs {exc.name}, from the {extra!r} extra: "
            f"pip install 'codexlab[{extra}]'",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        print("\ncodexlab: interrupted; rerun the same command to resume where it stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
