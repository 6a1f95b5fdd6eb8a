"""Without the optional extras (torch, transformers, ...) `import codexlab` and every command that does not train
must work, and a command that needs an extra says which one in one line.

The extras are hidden from a real subprocess by an import hook that refuses them, as a base install would.
(`make test-base` also runs the CLI and the suites that need no extras in a real second venv without them.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from codexlab.cli.main import COMMAND_MODULES, OPTIONAL_MODULES

HIDE_EXTRAS = """
import importlib.abc, sys
HIDDEN = set(sys.argv[1].split(","))
class HideExtras(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, HideExtras())
sys.argv = sys.argv[1:]
"""


def run_without_extras(code: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    hidden = ",".join(OPTIONAL_MODULES)
    return subprocess.run(
        [sys.executable, "-c", HIDE_EXTRAS + code, hidden, *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def codexlab_without_extras(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_without_extras("from codexlab.cli.main import main; sys.exit(main(sys.argv[1:]))", *args, cwd=cwd)


def subcommands() -> list[str]:
    import argparse

    from codexlab.cli.main import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


def test_the_hook_hides_the_extras(tmp_path: Path) -> None:
    proc = run_without_extras("import torch", cwd=tmp_path)
    assert proc.returncode != 0 and "ModuleNotFoundError" in proc.stderr


def test_importing_codexlab_and_building_the_cli_needs_no_extra(tmp_path: Path) -> None:
    code = (
        "import codexlab, codexlab.execution, codexlab.evaluation, codexlab.problems, codexlab.store, "
        "codexlab.training, codexlab.data\n"
        "import codexlab.cli.main as m\n"
        f"for name in {COMMAND_MODULES!r}:\n    __import__(name)\n"
        "m.build_parser()\n"
        "print(sorted(set(sys.modules) & HIDDEN))\n"
    )
    proc = run_without_extras(code, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


@pytest.mark.parametrize("command", subcommands())
def test_every_command_explains_itself_without_extras(command: str, tmp_path: Path) -> None:
    proc = codexlab_without_extras(command, "--help", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "usage: codexlab" in proc.stdout


def test_canonical_solutions_pass_without_extras(tmp_path: Path) -> None:
    proc = codexlab_without_extras("evaluate", "--canonical", "--limit", "5", "--executor", "process", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_a_command_that_needs_an_extra_names_it_in_one_line(tmp_path: Path) -> None:
    proc = codexlab_without_extras("train", "configs", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr  # listing configs needs no torch
    (tmp_path / "corpus").mkdir()
    proc = codexlab_without_extras("tokenizer", "train", "corpus", "--out", "tok.json", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0, proc.stderr
    assert "pip install 'codexlab[train]'" in proc.stderr
