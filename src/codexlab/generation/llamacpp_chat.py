"""llama.cpp with the GGUF's own chat template, for chat prompting (`--prompt-format chat`).

The template is rendered to text here (the same Jinja template llama.cpp's `create_chat_completion` uses), so
generation still goes through `LlamaCppGenerator`: one prompt evaluation per problem, seeded per-sample
sampling and log-probs. Rendered chat prompts are tokenized with special tokens parsed (`<|im_start|>` must be
one token); plain completion prompts are not.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from codexlab.errors import CodexlabError
from codexlab.generation.llamacpp import LlamaCppGenerator


class LlamaCppChatGenerator(LlamaCppGenerator):
    """A `LlamaCppGenerator` that can also render chat messages with the model's template."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._rendered: deque[str] = deque(maxlen=8)
        self._bos_text = ""

    def render_chat(self, messages: list[dict[str, str]]) -> str:
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        template = self.llm.metadata.get("tokenizer.chat_template")
        if not template:
            raise CodexlabError(f"{self.model_path.name} has no chat template; use --prompt-format completion")
        piece = self._piece
        bos = piece(self.llm.token_bos())
        self._bos_text = bos
        text = Jinja2ChatFormatter(template, eos_token=piece(self.llm.token_eos()), bos_token=bos)(
            messages=messages  # type: ignore[arg-type]
        ).prompt
        self._rendered.append(text)
        return text

    def _piece(self, token: int) -> str:
        if token < 0:
            return ""
        return self.llm.detokenize([token], special=True).decode("utf-8", errors="ignore")

    def tokenize(self, text: str) -> list[int]:
        if text not in self._rendered:
            return super().tokenize(text)
        # the template writes its own BOS text where the model wants one
        add_bos = not (self._bos_text and text.startswith(self._bos_text))
        return list(self.llm.tokenize(text.encode("utf-8"), add_bos=add_bos, special=True))
