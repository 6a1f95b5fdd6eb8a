"""Hugging Face interop: start from any causal LM transformers can load, and export ours as a GPT-2 checkpoint.

Exported directories load with `AutoModelForCausalLM.from_pretrained(dir)` and `AutoTokenizer.from_pretrained(dir)`
and need no codexlab code, so any evaluator (codexlab's transformers backend included) can score them.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from tokenizers import Tokenizer
from torch import nn

from codexlab.tokenizer.bpe import EOS
from codexlab.training.model import GPT


class HFCausalLM(nn.Module):
    """A transformers causal LM behind GPT's interface: forward(idx, targets) -> (logits, loss)."""

    def __init__(self, model: nn.Module, source: str) -> None:
        super().__init__()
        self.model = model
        self.source = source
        config: Any = getattr(model, "config", None)
        ctx = getattr(config, "max_position_embeddings", None) or getattr(config, "n_positions", None)
        self.ctx = int(ctx) if ctx else 1024

    def forward(
        self, idx: torch.Tensor, targets: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        logits = self.model(input_ids=idx).logits
        if targets is None:
            return logits, None
        return logits, F.cross_entropy(logits.float().view(-1, logits.size(-1)), targets.reshape(-1))


def load_hf_model(source: str | Path) -> HFCausalLM:
    """A checkpoint directory, or a .gguf file (transformers dequantizes it; needs the `gguf` package)."""
    from transformers import AutoModelForCausalLM

    path = Path(source)
    if path.suffix == ".gguf":
        model = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name, dtype=torch.float32)
    else:
        model = AutoModelForCausalLM.from_pretrained(str(path), dtype=torch.float32)
    return HFCausalLM(model, str(source))


def gpt_to_hf_state(model: GPT) -> dict[str, torch.Tensor]:
    """Rename to GPT-2's keys; Linear (out, in) weights become Conv1D (in, out)."""
    out: dict[str, torch.Tensor] = {}
    for name, tensor in model.state_dict().items():
        if name == "lm_head.weight":
            out[name] = tensor.clone()
            continue
        t = tensor.detach().clone()
        if name.endswith(".weight") and any(k in name for k in ("c_attn", "c_proj", "c_fc")):
            t = t.t().contiguous()
        out[f"transformer.{name}"] = t
    return out


def export_gpt(model: GPT, tokenizer: Tokenizer, out_dir: str | Path) -> Path:
    """Write config, safetensors weights and a fast tokenizer (EOS doubles as BOS and padding, as in GPT-2)."""
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    cfg = model.cfg
    eos_id = tokenizer.token_to_id(EOS)
    hf_cfg = GPT2Config(
        vocab_size=cfg.vocab_size,
        n_positions=cfg.ctx,
        n_embd=cfg.d_model,
        n_layer=cfg.n_layer,
        n_head=cfg.n_head,
        activation_function="gelu_new",
        resid_pdrop=0.0,
        embd_pdrop=0.0,
        attn_pdrop=0.0,
        layer_norm_epsilon=1e-5,
        bos_token_id=eos_id,
        eos_token_id=eos_id,
        pad_token_id=eos_id,
        tie_word_embeddings=True,
    )
    hf = GPT2LMHeadModel(hf_cfg)
    missing, unexpected = hf.load_state_dict(gpt_to_hf_state(model), strict=False)
    missing = [k for k in missing if not k.endswith(".attn.bias") and not k.endswith("masked_bias")]
    if missing or unexpected:
        raise RuntimeError(f"export mismatch: missing {missing}, unexpected {unexpected}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    hf.save_pretrained(out)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, eos_token=EOS, bos_token=EOS, unk_token=EOS, pad_token=EOS
    )
    fast.model_max_length = cfg.ctx
    fast.save_pretrained(out)
    return out


def export_hf(model: HFCausalLM, out_dir: str | Path) -> Path:
    """A fine-tuned transformers model: save it and copy the tokenizer of the checkpoint it started from."""
    from transformers import AutoTokenizer

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model.model.save_pretrained(out)  # type: ignore[operator]
    src = Path(model.source)
    if src.suffix == ".gguf":
        AutoTokenizer.from_pretrained(str(src.parent), gguf_file=src.name).save_pretrained(out)
    else:
        try:
            AutoTokenizer.from_pretrained(str(src)).save_pretrained(out)
        except (OSError, ValueError):
            for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
                if (src / name).exists():
                    shutil.copy(src / name, out / name)
    return out
