"""OpenAI-compatible HTTP backend: `/v1/completions` and `/v1/chat/completions` of any server.

Works with vLLM, llama.cpp's server, TGI, Ollama and hosted APIs. The n samples of a prompt are n requests
with seeds seed+i; at most `concurrency` requests are in flight, across problems as well as within one
(servers with prefix caching reuse the prompt). 429, 5xx,
timeouts and dropped connections are retried with exponential backoff (honouring Retry-After); other errors
fail at once with the server's message. The API key comes from $CODEXLAB_API_KEY or $OPENAI_API_KEY.
Only the standard library is used.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from codexlab.errors import CodexlabError
from codexlab.generation.stops import truncate_at_stop
from codexlab.generation.types import Generator, Sample, SamplingParams

RETRY_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})


class APIError(CodexlabError):
    """The server refused a request, or kept failing after all retries."""


def api_key_from_env() -> str | None:
    return os.environ.get("CODEXLAB_API_KEY") or os.environ.get("OPENAI_API_KEY") or None


def _trim_logprobs(pieces: list[str], logprobs: list[float], keep_chars: int) -> list[float]:
    """Log-probs of the tokens that contribute text before `keep_chars` (a token straddling the cut counts)."""
    out, pos = [], 0
    for piece, lp in zip(pieces, logprobs):
        if pos >= keep_chars:
            break
        out.append(lp)
        pos += len(piece)
    return out


class OpenAIGenerator(Generator):
    """Samples from an OpenAI-compatible server. `model="default"` asks the server for its first model."""

    def __init__(
        self,
        base_url: str,
        model: str = "default",
        api_key: str | None = None,
        concurrency: int = 4,
        timeout: float = 120.0,
        max_retries: int = 5,
        backoff_s: float = 0.5,
        max_backoff_s: float = 30.0,
        send_stops: int | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        if not self.base_url.endswith("/v1"):
            self.base_url += "/v1"
        self.api_key = api_key if api_key is not None else api_key_from_env()
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.send_stops = send_stops  # hosted APIs accept at most 4; the rest are applied here
        self.pool = ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="codexlab-http")
        self.problem_concurrency = max(1, concurrency)  # greedy runs (n=1) keep the server busy too
        self.model = self._first_model() if model == "default" else model
        self.model_id = f"openai:{self.model}"
        self.tokens_generated = 0
        self.retries = 0
        self._lock = threading.Lock()

    # ------------------------------------------------------------ transport

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        url = self.base_url + path
        for attempt in range(self.max_retries + 1):
            retry_after: float | None = None
            try:
                req = urllib.request.Request(url, data=data, headers=headers, method=method)
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    return dict(json.loads(resp.read()))
            except urllib.error.HTTPError as exc:
                detail = exc.read().decode("utf-8", errors="replace")[:500]
                if exc.code not in RETRY_STATUS or attempt == self.max_retries:
                    raise APIError(f"{method} {url}: HTTP {exc.code}: {detail}") from None
                header = exc.headers.get("Retry-After") if exc.headers else None
                try:
                    retry_after = float(header) if header else None
                except ValueError:
                    retry_after = None
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                if attempt == self.max_retries:
                    raise APIError(f"{method} {url}: {exc} (after {attempt + 1} attempts)") from None
            with self._lock:
                self.retries += 1
            delay = min(self.max_backoff_s, self.backoff_s * 2**attempt) * (0.5 + random.random() / 2)
            time.sleep(min(self.max_backoff_s, retry_after) if retry_after is not None else delay)
        raise AssertionError("unreachable")

    def _first_model(self) -> str:
        models = self._request("GET", "/models").get("data") or []
        if not models:
            raise APIError(f"{self.base_url}/models lists no models; pass --model NAME")
        return str(models[0]["id"])

    # ------------------------------------------------------------ sampling

    def _body(self, params: SamplingParams, seed: int) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model,
            "max_tokens": params.max_tokens,
            "temperature": params.temperature,
            "seed": seed,
            "n": 1,
        }
        if params.temperature > 0:
            body["top_p"] = params.top_p
        stops = list(params.stop)[: self.send_stops] if self.send_stops is not None else list(params.stop)
        if stops:
            body["stop"] = stops
        return body

    def _finish(
        self, text: str, pieces: list[str], lps: list[float], reason: str | None, params: SamplingParams
    ) -> Sample:
        cut, hit = truncate_at_stop(text, params.stop)
        if hit:
            lps = _trim_logprobs(pieces, lps, len(cut))
            reason = "stop"
        with self._lock:
            self.tokens_generated += len(lps)
        finish = "stop" if reason in ("stop", "eos", None) else str(reason)
        return Sample(cut, [], [float(x) for x in lps], finish, raw_text=text)

    def _complete(self, prompt: str, params: SamplingParams, seed: int) -> Sample:
        out = self._request("POST", "/completions", {**self._body(params, seed), "prompt": prompt, "logprobs": 1})
        choice = out["choices"][0]
        lp = choice.get("logprobs") or {}
        pieces = list(lp.get("tokens") or [])
        lps = [x for x in (lp.get("token_logprobs") or []) if x is not None]
        self._count_usage(out, lps)
        return self._finish(choice.get("text") or "", pieces, lps, choice.get("finish_reason"), params)

    def _chat(self, messages: list[dict[str, str]], params: SamplingParams, seed: int) -> Sample:
        body = {**self._body(params, seed), "messages": messages, "logprobs": True, "top_logprobs": 1}
        out = self._request("POST", "/chat/completions", body)
        choice = out["choices"][0]
        content = ((choice.get("logprobs") or {}).get("content")) or []
        pieces = [str(c.get("token", "")) for c in content]
        lps = [float(c["logprob"]) for c in content if c.get("logprob") is not None]
        self._count_usage(out, lps)
        text = (choice.get("message") or {}).get("content") or ""
        return self._finish(text, pieces, lps, choice.get("finish_reason"), params)

    def _count_usage(self, out: dict[str, Any], lps: list[float]) -> None:
        if not lps:  # no log-probs returned: count from the server's usage report instead
            with self._lock:
                self.tokens_generated += int((out.get("usage") or {}).get("completion_tokens") or 0)

    def _fan_out(self, fn: Any, payload: Any, params: SamplingParams, n: int, seed: int | None) -> Iterator[Sample]:
        base = params.seed if seed is None else seed
        futures = [self.pool.submit(fn, payload, params, base + i) for i in range(n)]
        try:
            for f in futures:
                yield f.result()
        finally:
            for f in futures:
                f.cancel()

    def generate(self, prompt: str, params: SamplingParams, n: int = 1, seed: int | None = None) -> Iterator[Sample]:
        """n requests to /v1/completions; sample i uses seed+i (reproducible where the server honours seeds)."""
        return self._fan_out(self._complete, prompt, params, n, seed)

    def generate_chat(
        self, messages: list[dict[str, str]], params: SamplingParams, n: int = 1, seed: int | None = None
    ) -> Iterator[Sample]:
        """n requests to /v1/chat/completions (the server applies the model's chat template)."""
        return self._fan_out(self._chat, messages, params, n, seed)

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
