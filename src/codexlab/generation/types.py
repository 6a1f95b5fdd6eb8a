"""The generation interface: a prompt and sampling parameters in; samples with tokens and log-probs out.

Every backend (llama.cpp, transformers, vLLM, OpenAI-compatible HTTP) implements `Generator`.
Nothing here knows about execution or sandboxes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

# The paper's stop sequences (Chen et al. 2021, section 3.3): a completion ends where a new top-level
# statement would begin.
PAPER_STOPS: tuple[str, ...] = ("\nclass", "\ndef", "\n#", "\nif", "\nprint")


@dataclass(frozen=True)
class SamplingParams:
    """How to sample. temperature 0 means greedy decoding (then one sample per problem suffices)."""

    temperature: float = 0.0
    top_p: float = 0.95
    max_tokens: int = 512
    stop: tuple[str, ...] = PAPER_STOPS
    seed: int = 1234

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["stop"] = list(self.stop)
        return d


@dataclass
class Sample:
    """One generated completion. `completion` is truncated exactly at the earliest stop sequence;
    `raw_text` is what the model produced (for chat models, the whole reply before extraction)."""

    completion: str
    tokens: list[int] = field(default_factory=list)
    logprobs: list[float] = field(default_factory=list)
    finish_reason: str = "stop"
    raw_text: str | None = None

    @property
    def mean_logprob(self) -> float | None:
        """Mean per-token log-probability: the paper's best ranking heuristic for picking one of n samples."""
        return sum(self.logprobs) / len(self.logprobs) if self.logprobs else None

    @property
    def sum_logprob(self) -> float | None:
        return sum(self.logprobs) if self.logprobs else None


class Generator(ABC):
    """A model that completes prompts. Implementations reuse work across the n samples of one prompt."""

    #: a short, stable identifier recorded with every sample (e.g. the model file's name and digest)
    model_id: str = "model"
    #: how many problems the sampling loop may have in flight at once (servers: their request concurrency;
    #: local backends use the machine already and keep 1)
    problem_concurrency: int = 1

    @abstractmethod
    def generate(self, prompt: str, params: SamplingParams, n: int = 1, seed: int | None = None) -> Iterator[Sample]:
        """Yield n samples for one prompt. `seed` overrides params.seed (used to make each sample distinct
        and reproducible: sample i of a problem gets seed params.seed + i)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Free the model."""

    def __enter__(self) -> Generator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
