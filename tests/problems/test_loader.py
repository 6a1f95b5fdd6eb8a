import gzip
import json
from pathlib import Path

import pytest

from codexlab.errors import InputError
from codexlab.problems import load_problems, load_problems_file


def test_humaneval_from_package(humaneval) -> None:
    assert len(humaneval) == 164
    p = humaneval["HumanEval/0"]
    assert p.entry_point == "has_close_elements"
    assert "def check(candidate)" in p.test
    assert len(humaneval.digest) == 64


def test_gzip_and_plain(tmp_path: Path, tiny_problems_file: Path) -> None:
    gz = tmp_path / "tiny.jsonl.gz"
    gz.write_bytes(gzip.compress(tiny_problems_file.read_bytes()))
    assert list(load_problems_file(gz)) == list(load_problems_file(tiny_problems_file)) == ["Tiny/0", "Tiny/1"]


@pytest.mark.parametrize(
    "content, line, message",
    [
        (b'{"task_id": "a"\n', 1, "malformed JSON"),
        (b'{"task_id": "a", "prompt": "", "entry_point": "f", "canonical_solution": ""}\n', 1, "missing field 'test'"),
        (b"\n\n", None, "empty"),
        (b"[1, 2]\n", 1, "expected a JSON object"),
        (b'{"task_id": "\xff"}\n', 1, "invalid UTF-8"),
        (
            b'{"task_id": 3, "prompt": "", "entry_point": "f", "canonical_solution": "", "test": ""}\n',
            1,
            "must be a string",
        ),
    ],
)
def test_bad_problem_files_name_file_and_line(tmp_path: Path, content: bytes, line, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        load_problems_file(path)
    assert message in str(err.value)
    assert str(path) in str(err.value)
    assert err.value.line == line


def test_duplicate_task_id(tmp_path: Path, tiny_problems_file: Path) -> None:
    lines = tiny_problems_file.read_text().splitlines()
    path = tmp_path / "dup.jsonl"
    path.write_text("\n".join([lines[0], lines[1], lines[0]]) + "\n")
    with pytest.raises(InputError, match=r"dup.jsonl:3: duplicate task_id 'Tiny/0' \(first on line 1\)"):
        load_problems_file(path)


def test_missing_file_and_unknown_dataset(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_problems_file(tmp_path / "nope.jsonl")
    with pytest.raises(InputError, match="unknown dataset"):
        load_problems("mbpp-nonexistent")


def test_problem_roundtrip(tiny_problems_file: Path) -> None:
    ps = load_problems_file(tiny_problems_file)
    assert json.loads(tiny_problems_file.read_text().splitlines()[0]) == ps["Tiny/0"].to_dict()
