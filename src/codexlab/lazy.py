"""Lazy package exports: a package names what it offers without importing the modules (and their heavy
optional dependencies, torch or tokenizers) until a name is used, so `import codexlab` and every command that
does not train run on the base install."""

from __future__ import annotations

import importlib
from collections.abc import Callable


def lazy_exports(exports: dict[str, str]) -> Callable[[str], object]:
    """A module `__getattr__` that imports `exports[name]` (a module path) on first use of `name`."""

    def __getattr__(name: str) -> object:
        if name not in exports:
            raise AttributeError(name)
        return getattr(importlib.import_module(exports[name]), name)

    return __getattr__
