"""The OpenAI-compatible backend against real servers on loopback: llama-cpp-python's own server with a small
GGUF model, and a tiny HTTP server of our own that answers 429/500/400 or stalls, to check retries."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from codexlab.generation.chat import ChatGenerator, extract_completion
from codexlab.generation.openai_http import APIError, OpenAIGenerator
from codexlab.generation.registry import load_generator
from codexlab.generation.types import PAPER_STOPS, SamplingParams

pytest.importorskip("uvicorn")
pytest.importorskip("fastapi")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def llama_server(small_model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    # one thread: on a busy shared machine llama.cpp's thread barriers make more threads slower, not faster
    cmd = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(small_model_path),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "2048",
        "--n_threads",
        "1",
    ]
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with open(log, "wb") as fh:  # a file, not a pipe: an unread pipe fills up and stalls the server
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(url + "/models", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"llama-cpp-python server did not start: {log.read_text()[-2000:]}")
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.model
def test_completions_against_llama_cpp_server(llama_server: str, humaneval) -> None:
    gen = OpenAIGenerator(llama_server, concurrency=3)
    try:
        assert gen.model.endswith(".gguf")  # "default" asked the server for its model
        prompt = humaneval["HumanEval/2"].prompt
        params = SamplingParams(temperature=0.8, max_tokens=16, seed=5)
        samples = list(gen.generate(prompt, params, n=2))
        assert len(samples) == 2
        for s in samples:
            assert s.finish_reason in ("stop", "length")
            assert not any(stop in s.completion for stop in PAPER_STOPS)
            assert s.logprobs and all(lp <= 0 for lp in s.logprobs)
            assert s.raw_text is not None and s.raw_text.startswith(s.completion)
        # the server honours per-request seeds: the same seed twice gives the same sample (both requests reuse the
        # prompt's cached cells the same way; a batch's first request may have evaluated the prompt differently)
        again = [next(gen.generate(prompt, params, n=1, seed=params.seed + 1)) for _ in range(2)]
        assert again[0].completion == again[1].completion
        assert gen.tokens_generated > 0
    finally:
        gen.close()


@pytest.mark.model
def test_chat_completions_extracts_a_function(llama_server: str, humaneval) -> None:
    gen = load_generator("default", backend="openai", prompt_format="chat", base_url=llama_server)
    try:
        assert isinstance(gen, ChatGenerator)
        prompt = humaneval["HumanEval/0"].prompt
        s = next(gen.generate(prompt, SamplingParams(temperature=0.0, max_tokens=48)))
        assert s.raw_text  # the whole reply is kept
        assert s.logprobs and all(lp <= 0 for lp in s.logprobs)
        # the completion is what the extractor makes of the whole reply, a body at the prompt's indentation
        assert s.completion == extract_completion(s.raw_text, prompt)
        assert s.completion.endswith("\n")
        first = next((line for line in s.completion.splitlines() if line.strip()), "    ")
        assert first.startswith("    ")
    finally:
        gen.close()


@pytest.mark.model
def test_cli_generate_through_server(llama_server: str, tiny_problems_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "samples.jsonl"
    cmd = [
        sys.executable,
        "-m",
        "codexlab.cli.main",
        "generate",
        "--problems",
        str(tiny_problems_file),
        "--backend",
        "openai",
        "--base-url",
        llama_server,
        "--n",
        "2",
        "--temperature",
        "0.7",
        "--max-tokens",
        "4",
        "--api-concurrency",
        "2",
        "--out",
        str(out),
        "--no-progress",
    ]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted((r["task_id"], r["sample_id"]) for r in rows) == [
        ("Tiny/0", 0),
        ("Tiny/0", 1),
        ("Tiny/1", 0),
        ("Tiny/1", 1),
    ]
    assert all(r["model"].startswith("openai:") for r in rows)


# ---------------------------------------------------------------- retries against a scripted server


class _Script:
    """What the scripted server answers, request by request: an HTTP status, or 'sleep' to stall."""

    def __init__(self, answers: list[Any]) -> None:
        self.answers = list(answers)
        self.seen: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.together: threading.Barrier | None = None  # answer only once this many requests are in flight
        self.apart = 0  # requests that reached the barrier alone


def _completion(text: str) -> dict[str, Any]:
    return {
        "choices": [
            {
                "text": text,
                "finish_reason": "length",
                "logprobs": {
                    "tokens": ["    return", " a", "\ndef", " g"],
                    "token_logprobs": [-0.5, -0.25, -0.1, -0.1],
                },
            }
        ],
        "usage": {"completion_tokens": 4},
    }


@pytest.fixture()
def scripted() -> Iterator[tuple[str, _Script]]:
    script = _Script([])

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with script.lock:
                script.seen.append({"auth": self.headers.get("Authorization"), "body": body})
                answer = script.answers.pop(0) if script.answers else 200
            if answer == "sleep":
                time.sleep(10)  # past the client's timeout; the handler thread is a daemon
                answer = 200
            if script.together is not None:
                try:
                    script.together.wait()
                except threading.BrokenBarrierError:
                    with script.lock:
                        script.apart += 1
            payload = (
                _completion("    return a\ndef g") if answer == 200 else {"error": {"message": f"status {answer}"}}
            )
            data = json.dumps(payload).encode()
            try:  # the client may have given up on a stalled answer
                self.send_response(answer)
                if answer == 429:
                    self.send_header("Retry-After", "0")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", script
    server.shutdown()
    server.server_close()


def test_retries_429_and_5xx_then_succeeds(scripted: tuple[str, _Script], monkeypatch: pytest.MonkeyPatch) -> None:
    url, script = scripted
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("CODEXLAB_API_KEY", "sk-test-123")
    script.answers = [429, 500, 503]
    gen = OpenAIGenerator(url, model="m", backoff_s=0.01)
    s = next(gen.generate("def f(a):\n", SamplingParams(max_tokens=8, seed=9)))
    gen.close()
    assert len(script.seen) == 4 and gen.retries == 3
    assert s.completion == "    return a"  # cut exactly at the earliest stop, client side
    assert s.logprobs == [-0.5, -0.25]  # the log-probs of the tokens before the cut
    assert s.finish_reason == "stop"
    assert all(r["auth"] == "Bearer sk-test-123" for r in script.seen)
    body = script.seen[0]["body"]
    assert body["model"] == "m" and body["seed"] == 9 and body["stop"] == list(PAPER_STOPS)


def test_client_errors_fail_at_once_and_retries_run_out(scripted: tuple[str, _Script]) -> None:
    url, script = scripted
    script.answers = [400]
    gen = OpenAIGenerator(url, model="m", backoff_s=0.01, max_retries=2)
    with pytest.raises(APIError, match="HTTP 400.*status 400"):
        next(gen.generate("x", SamplingParams()))
    assert len(script.seen) == 1
    script.answers = [500, 500, 500, 500]
    with pytest.raises(APIError, match="HTTP 500"):
        next(gen.generate("x", SamplingParams()))
    assert len(script.seen) == 1 + 3
    gen.close()


def test_timeout_is_retried(scripted: tuple[str, _Script]) -> None:
    url, script = scripted
    script.answers = ["sleep"]
    gen = OpenAIGenerator(url, model="m", timeout=3.0, backoff_s=0.01)
    s = next(gen.generate("x", SamplingParams()))
    gen.close()
    assert s.completion == "    return a" and gen.retries == 1


def test_greedy_runs_keep_several_problems_in_flight(scripted: tuple[str, _Script], humaneval, tmp_path: Path) -> None:
    """n=1 per problem still fills the request concurrency: the server answers only when three requests are
    waiting at once (a barrier, with a long safety timeout), so one-problem-at-a-time would break it."""
    from codexlab.generation.sampling import generate_samples

    url, script = scripted
    script.together = threading.Barrier(3, timeout=60)
    problems = humaneval.subset([f"HumanEval/{i}" for i in range(6)])
    gen = OpenAIGenerator(url, model="m", concurrency=3, max_retries=0)
    try:
        made = generate_samples(problems, gen, SamplingParams(max_tokens=8), 1, tmp_path / "s.jsonl")
    finally:
        gen.close()
    assert made == 6 and script.apart == 0
    rows = [json.loads(line) for line in (tmp_path / "s.jsonl").read_text().splitlines()]
    assert [r["task_id"] for r in rows] == list(problems)  # the file keeps the problems' order
    assert {r["completion"] for r in rows} == {"    return a"}
