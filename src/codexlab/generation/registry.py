"""Pick and build a generation backend from a model argument: `load_generator(model, backend, **opts)`.

`auto` decides from the model argument: a .gguf file or an embedded model name -> llama.cpp; a directory
holding a Hugging Face checkpoint (config.json) -> transformers. vLLM and OpenAI-compatible servers are chosen
explicitly (`backend="vllm"`, `backend="openai"` with `base_url`). Heavy libraries are imported only by the
backend that needs them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from codexlab.errors import CodexlabError
from codexlab.generation.types import Generator

BACKENDS = ("auto", "llamacpp", "transformers", "vllm", "openai")
PROMPT_FORMATS = ("completion", "chat")


def detect_backend(model: str, base_url: str | None = None) -> str:
    """The backend `auto` picks for a model argument."""
    if base_url:
        return "openai"
    from codexlab.generation.model_files import MODELS

    if model in MODELS:
        return "llamacpp"
    path = Path(model)
    if path.is_dir():
        if (path / "config.json").exists():
            return "transformers"
        raise CodexlabError(f"{model}: a directory without config.json is not a Hugging Face checkpoint")
    if path.is_file():
        return "llamacpp"
    raise CodexlabError(
        f"model {model!r} is neither an embedded model name, a .gguf file nor a checkpoint directory "
        "(for a server, pass --backend openai --base-url URL)"
    )


def _pop(opts: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: opts.pop(k) for k in names if opts.get(k) is not None}


def load_generator(model: str, backend: str = "auto", prompt_format: str = "completion", **opts: Any) -> Generator:
    """Build the generator for `model` on `backend`; with prompt_format="chat", wrap it for chat prompting.

    Options (unused ones are ignored, so the CLI can pass everything): n_ctx, n_threads, reuse_prompt,
    parallel (llama.cpp); device, dtype (transformers); tensor_parallel_size, data_parallel_size,
    gpu_memory_utilization (vLLM); base_url, api_key, concurrency, timeout, max_retries (OpenAI-compatible HTTP).
    """
    if backend not in BACKENDS:
        raise CodexlabError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    if prompt_format not in PROMPT_FORMATS:
        raise CodexlabError(f"unknown prompt format {prompt_format!r}; choose completion or chat")
    opts = {k: v for k, v in opts.items() if v is not None}
    if backend == "auto":
        backend = detect_backend(model, opts.get("base_url"))
    gen: Generator
    if backend == "llamacpp":
        from codexlab.generation.llamacpp_chat import LlamaCppChatGenerator
        from codexlab.generation.model_files import resolve_model

        gen = LlamaCppChatGenerator(
            resolve_model(model), **_pop(opts, "n_ctx", "n_threads", "reuse_prompt", "parallel")
        )
    elif backend == "transformers":
        from codexlab.generation.transformers_backend import TransformersGenerator

        gen = TransformersGenerator(model, **_pop(opts, "device", "dtype", "max_batch"))
    elif backend == "vllm":
        from codexlab.generation.vllm_backend import VLLMGenerator

        gen = VLLMGenerator(
            model,
            **_pop(opts, "tensor_parallel_size", "data_parallel_size", "gpu_memory_utilization", "dtype", "n_ctx"),
        )
    else:
        from codexlab.generation.openai_http import OpenAIGenerator

        if not opts.get("base_url"):
            raise CodexlabError("--backend openai needs --base-url (e.g. http://127.0.0.1:8000/v1)")
        gen = OpenAIGenerator(
            opts.pop("base_url"), model, **_pop(opts, "api_key", "concurrency", "timeout", "max_retries")
        )
    if prompt_format == "chat":
        from codexlab.generation.chat import ChatGenerator

        try:
            return ChatGenerator(gen)
        except TypeError as exc:
            gen.close()
            raise CodexlabError(f"{backend}: {exc}") from None
    return gen
