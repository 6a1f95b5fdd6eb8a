"""Fetching the pinned EvalPlus releases: from a real HTTP server on loopback, verified by sha256, cached;
a wrong file refused and removed; an unreachable URL a one-line error."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from codexlab.cli.main import main as cli_main
from codexlab.download import DownloadError, sha256_file
from codexlab.problems.releases import RELEASES, fetch_release, release_dir

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "evalplus"


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A folder served over HTTP on loopback (a real server in a thread)."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEXLAB_CACHE", str(tmp_path / "cache"))


def test_the_pinned_file_is_fetched_verified_and_cached(served: tuple[str, Path], capsys) -> None:
    copy = SHARED / "HumanEvalPlus.jsonl.gz"
    if not copy.exists():
        pytest.skip("no offline copy of the HumanEval+ release here")
    url, root = served
    shutil.copy(copy, root / "HumanEvalPlus.jsonl.gz")
    assert cli_main(["problems", "fetch", "humaneval+", "--url", f"{url}/HumanEvalPlus.jsonl.gz"]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path.parent == release_dir() and sha256_file(path) == RELEASES["humaneval+"].sha256
    (root / "HumanEvalPlus.jsonl.gz").unlink()  # cached: no second download
    assert fetch_release("humaneval+", f"{url}/HumanEvalPlus.jsonl.gz") == path


def test_a_file_with_another_hash_is_refused_and_not_kept(served: tuple[str, Path]) -> None:
    url, root = served
    (root / "MbppPlus.jsonl.gz").write_bytes(b"not the release")
    with pytest.raises(DownloadError, match="failed verification: sha256 .* expected af43697e"):
        fetch_release("mbpp+", f"{url}/MbppPlus.jsonl.gz")
    assert not any(release_dir().iterdir()), "nothing unverified is left in the cache"


def test_unreachable_is_one_clear_line(served: tuple[str, Path]) -> None:
    url, _ = served
    with pytest.raises(DownloadError, match="could not download humaneval\\+mini .*--problems FILE") as info:
        fetch_release("humaneval+mini", f"{url}/missing.jsonl.gz")  # 404
    assert "\n" not in str(info.value)
    with pytest.raises(DownloadError, match="could not download"):
        fetch_release("humaneval+", "http://127.0.0.1:9/HumanEvalPlus.jsonl.gz")  # nothing listens on port 9
