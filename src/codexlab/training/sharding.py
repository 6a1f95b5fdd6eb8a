"""FSDP2 for models that do not fit one GPU: each transformer block is its own shard group, then the root.

Every rank holds 1/world of each parameter, gradient and AdamW moment. Checkpoints stay in the unsharded format a
single process writes (`model.state_dict()`, `opt.state_dict()` with parameters by index), gathered to rank 0 on
the CPU, so any run can resume, load or export them whatever parallelism wrote them.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn
from torch.distributed.checkpoint.state_dict import (
    StateDictOptions,
    get_model_state_dict,
    get_optimizer_state_dict,
    set_model_state_dict,
    set_optimizer_state_dict,
)

from codexlab.training.model import GPT

STRATEGIES = ("ddp", "fsdp")

_GATHER = StateDictOptions(full_state_dict=True, cpu_offload=True)
_SCATTER = StateDictOptions(full_state_dict=True)


def transformer_blocks(model: nn.Module) -> list[nn.Module]:
    """GPT's blocks; for a transformers model, its longest ModuleList (GPT-2's `h`, Llama's `layers`)."""
    if isinstance(model, GPT):
        return list(model.h)
    lists = [list(m) for m in model.modules() if isinstance(m, nn.ModuleList)]
    return max(lists, key=len) if lists else []


def shard_model(model: nn.Module, device: torch.device, world: int, amp: torch.dtype | None) -> nn.Module:
    """Shard in place (blocks first, then the root for embeddings, final norm and head) and return the model.

    Parameters may still be on the CPU: each block moves to `device` as it is sharded, so the whole model never
    sits on one GPU. bf16 mixed precision (bf16 compute, fp32 gradient reduction and master weights) on GPUs only.
    """
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.fsdp import MixedPrecisionPolicy, fully_shard

    mesh = init_device_mesh(device.type, (world,))
    mp = MixedPrecisionPolicy()
    if device.type == "cuda" and amp is not None:
        mp = MixedPrecisionPolicy(param_dtype=amp, reduce_dtype=torch.float32)
    for block in transformer_blocks(model):
        fully_shard(block, mesh=mesh, mp_policy=mp)
    fully_shard(model, mesh=mesh, mp_policy=mp)
    return model


def _param_names(model: nn.Module, opt: torch.optim.Optimizer) -> list[str]:
    """Fully qualified name of each optimizer parameter, in the index order `opt.state_dict()` numbers them."""
    name_of = {id(p): name for name, p in model.named_parameters()}
    return [name_of[id(p)] for group in opt.param_groups for p in group["params"]]


def full_state(model: nn.Module, opt: torch.optim.Optimizer) -> tuple[dict[str, Any], dict[str, Any]]:
    """Unsharded model and optimizer state dicts on rank 0's CPU (empty elsewhere). Collective: call on all ranks."""
    model_state = get_model_state_dict(model, options=_GATHER)
    by_name: dict[str, Any] = dict(get_optimizer_state_dict(model, opt, options=_GATHER))
    if not by_name:
        return model_state, {}
    index = {name: i for i, name in enumerate(_param_names(model, opt))}
    opt_state = {
        "state": {index[name]: s for name, s in by_name["state"].items()},
        "param_groups": [{**g, "params": [index[n] for n in g["params"]]} for g in by_name["param_groups"]],
    }
    return model_state, opt_state


def load_full_state(
    model: nn.Module, opt: torch.optim.Optimizer, model_state: dict[str, Any], opt_state: dict[str, Any]
) -> None:
    """Scatter unsharded state dicts (as `full_state` or a single process saved them) into the sharded model."""
    set_model_state_dict(model, dict(model_state), options=_SCATTER)  # copies: the setters replace their values
    names = _param_names(model, opt)
    by_name: dict[str, Any] = {
        "state": {names[int(i)]: dict(s) for i, s in opt_state["state"].items()},
        "param_groups": [{**g, "params": [names[int(i)] for i in g["params"]]} for g in opt_state["param_groups"]],
    }
    set_optimizer_state_dict(model, opt, by_name, options=_SCATTER)
