"""Write a fine-tuned GGUF: the base file with some weight matrices replaced by base + a learned change.

A model distributed only as GGUF (like the embedded default) is fine-tuned through transformers, which
dequantizes it; evaluating the result at llama.cpp speed needs a GGUF again. Rather than converting the whole
model, this copies the base file (metadata, tokenizer, every untouched tensor in its original quantization)
and stores only the changed matrices, as float16 of dequantized base + delta. llama.cpp mixes tensor types
freely, so the result loads wherever the base did.

transformers' GGUF loader un-permutes the query/key rows of `llama` models (llama.cpp's rotary layout); the
delta is permuted back here. Qwen2 and other architectures keep the row order.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

_LAYER = re.compile(r"(?:^|\.)layers\.(\d+)\.(self_attn|mlp)\.(\w+)$")
_GGUF_NAMES = {
    "q_proj": "attn_q",
    "k_proj": "attn_k",
    "v_proj": "attn_v",
    "o_proj": "attn_output",
    "gate_proj": "ffn_gate",
    "up_proj": "ffn_up",
    "down_proj": "ffn_down",
}
_PERMUTED_ARCHS = {"llama"}


def gguf_tensor_name(module_name: str) -> str:
    """'model.layers.3.self_attn.q_proj' -> 'blk.3.attn_q.weight' (Llama/Qwen-style module names)."""
    m = _LAYER.search(module_name)
    if m is None or m.group(3) not in _GGUF_NAMES:
        raise ValueError(f"no GGUF tensor name known for layer {module_name!r}")
    return f"blk.{m.group(1)}.{_GGUF_NAMES[m.group(3)]}.weight"


def rope_permute(weight: np.ndarray, n_head: int) -> np.ndarray:
    """Rows of a query/key matrix from transformers' rotary layout to llama.cpp's (per head, interleave the two
    halves)."""
    rows = weight.shape[0]
    return weight.reshape(n_head, 2, rows // n_head // 2, *weight.shape[1:]).swapaxes(1, 2).reshape(weight.shape)


def _field_value(reader: object, key: str) -> int | None:
    field = reader.get_field(key)  # type: ignore[attr-defined]
    return None if field is None else int(field.contents())


def write_merged_gguf(base: str | Path, deltas: dict[str, np.ndarray], out: str | Path) -> Path:
    """Copy `base` to `out`, adding each delta (keyed by transformers module name, shape (out, in)) to its
    tensor. Raises ValueError when a delta names no tensor of the base or has the wrong shape."""
    import gguf

    reader = gguf.GGUFReader(str(base))
    arch = str(reader.get_field("general.architecture").contents())  # type: ignore[union-attr]
    n_head = _field_value(reader, f"{arch}.attention.head_count")
    n_head_kv = _field_value(reader, f"{arch}.attention.head_count_kv") or n_head
    by_tensor: dict[str, np.ndarray] = {}
    for module, delta in deltas.items():
        name = gguf_tensor_name(module)
        d = np.asarray(delta, dtype=np.float32)
        if arch in _PERMUTED_ARCHS and name.endswith(("attn_q.weight", "attn_k.weight")):
            heads = n_head if "attn_q" in name else n_head_kv
            if heads is None:
                raise ValueError(f"{base}: no attention head count for architecture {arch}")
            d = rope_permute(d, heads)
        by_tensor[name] = d
    tensors = {t.name: t for t in reader.tensors}
    missing = sorted(set(by_tensor) - set(tensors))
    if missing:
        raise ValueError(f"{base} has no tensor {missing[0]} (architecture {arch})")

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    writer = gguf.GGUFWriter(str(out), arch=arch)
    for field in reader.fields.values():
        if field.name.startswith("GGUF.") or field.name == "general.architecture":
            continue
        vtype = field.types[0]
        sub = field.types[-1] if vtype == gguf.GGUFValueType.ARRAY else None
        writer.add_key_value(field.name, field.contents(), vtype, sub_type=sub)
    for t in reader.tensors:
        if t.name in by_tensor:
            w = gguf.quants.dequantize(t.data, t.tensor_type).astype(np.float32)
            if w.shape != by_tensor[t.name].shape:
                raise ValueError(f"{t.name}: delta shape {by_tensor[t.name].shape}, tensor shape {w.shape}")
            writer.add_tensor(t.name, (w + by_tensor[t.name]).astype(np.float16))
        else:
            writer.add_tensor(t.name, t.data, raw_dtype=t.tensor_type)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return out
