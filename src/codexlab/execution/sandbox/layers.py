"""The isolation a sandbox worker reached, layer by layer: the one value the zygote reports, the judge labels
(`judge.describe`), the executor checks (`judge.confining_layers`) and `codexlab sandbox check` prints.

Each layer is True where active, a Landlock ABI number for `landlock`, None for `bubblewrap` where the zygote
entered its namespaces itself, or a string saying why it is off ("disabled", "unavailable: ..."). Standard
library only: the zygote imports it in a bare interpreter."""

from __future__ import annotations

from typing import Any, TypedDict, cast

State = bool | int | str | None


class Layers(TypedDict, total=False):
    userns: State
    uidmap: State
    caps: State
    netns: State
    pidns: State
    mountns: State
    fsview: State
    noproc: State
    ipcns: State
    utsns: State
    cgroupns: State
    bubblewrap: State
    landlock: State
    seccomp: State
    rlimits: State
    pidfd: State
    prefork: State
    detail: dict[str, str]  # more about active layers, by layer name
    probe: dict[str, str]  # what the probe child tried, and what stopped it


def put(layers: Layers, name: str, value: State, only_if_unset: bool = False) -> None:
    """Set layer `name` (a name from a loop over layers; a literal key needs no helper)."""
    raw = cast(dict[str, Any], layers)
    if not (only_if_unset and name in raw):
        raw[name] = value


def active(layers: Layers, name: str) -> bool:
    """Whether `name` is on (a Landlock ABI number counts as on)."""
    value = layers.get(name)
    if name == "landlock":
        return isinstance(value, int) and not isinstance(value, bool)
    return value is True
