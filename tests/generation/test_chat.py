"""Chat prompting: the function extracted from realistic replies executes after the HumanEval prompt; and a real
chat model (SmolLM2 through llama.cpp with the GGUF's own template) goes through the whole path."""

from __future__ import annotations

from pathlib import Path

import pytest

from codexlab.generation.chat import ChatGenerator, chat_messages, entry_point_of, extract_completion
from codexlab.generation.registry import load_generator
from codexlab.generation.types import SamplingParams

PROMPT = 'from typing import List\n\n\ndef total(xs: List[int]) -> int:\n    """Sum of the squares of xs.\n    >>> total([1, 2])\n    5\n    """\n'
TEST = "assert total([1, 2]) == 5\nassert total([]) == 0\nassert total([3]) == 9\n"


def _passes(prompt: str, completion: str, test: str) -> bool:
    namespace: dict[str, object] = {}
    exec(prompt + completion + "\n" + test, namespace)  # trusted strings written in this file
    return True


REPLIES = {
    "fence with prose and repeated docstring": '''Sure! Here is the implementation:

```python
from typing import List


def total(xs: List[int]) -> int:
    """Sum of the squares of xs.
    >>> total([1, 2])
    5
    """
    return sum(x * x for x in xs)
```

This uses a generator expression to square each element.''',
    "import and helper after, tests and prints dropped": """```python
import math

def total(xs):
    return sum(square(x) for x in xs)

def square(x):
    return int(math.pow(x, 2))

print(total([1, 2]))
assert total([3]) == 9
if __name__ == "__main__":
    total([1])
```""",
    "helper before the function, two-space indent": """```py
def _sq(v):
  return v * v

def total(xs):
  acc = 0
  for x in xs:
    acc += _sq(x)
  return acc
```""",
    "unterminated fence cut by max_tokens": """Here you go:
```python
def total(xs):
    result = 0
    for x in xs:
        result += x ** 2
    return result

# Example usage
print(total([1, 2, 3
""",
    "body only, no fence": "    return sum(x ** 2 for x in xs)\n",
    "plain code without a fence": "def total(xs):\n    return sum(map(lambda x: x * x, xs))\n",
    "example block first, solution second": """For example:
```
>>> total([1, 2])
5
```
The code:
```python
def total(xs: List[int]) -> int:
    return sum([x * x for x in xs])
```""",
}


@pytest.mark.parametrize("name", list(REPLIES))
def test_extracted_completion_executes(name: str) -> None:
    completion = extract_completion(REPLIES[name], PROMPT)
    assert _passes(PROMPT, completion, TEST), completion


def test_extraction_drops_functions_the_prompt_defines(humaneval) -> None:
    problem = humaneval["HumanEval/38"]  # the prompt defines encode_cyclic, then asks for decode_cyclic
    reply = ("```python\n" + problem.prompt + "    return encode_cyclic(encode_cyclic(s))\n```").replace(
        "def encode_cyclic(s: str):", "def encode_cyclic(s: str):  # repeated"
    )
    completion = extract_completion(reply, problem.prompt)
    assert "def encode_cyclic" not in completion
    assert completion.strip() == "return encode_cyclic(encode_cyclic(s))"
    namespace: dict[str, object] = {}
    exec(problem.prompt + completion + "\n" + problem.test + f"\ncheck({problem.entry_point})\n", namespace)


def test_entry_point_found_for_every_humaneval_prompt(humaneval) -> None:
    assert all(entry_point_of(p.prompt) == p.entry_point for p in humaneval.values())


def test_prompt_holds_instruction_and_the_humaneval_prompt() -> None:
    msgs = chat_messages(PROMPT)
    assert [m["role"] for m in msgs] == ["system", "user"]
    assert msgs[1]["content"].endswith("```python\n" + PROMPT.rstrip() + "\n```")


@pytest.mark.model
def test_llama_cpp_chat_with_the_gguf_template(small_model_path: Path, humaneval) -> None:
    gen = load_generator(str(small_model_path), prompt_format="chat", n_ctx=1024, n_threads=1)
    try:
        assert isinstance(gen, ChatGenerator) and gen.model_id.endswith("+chat")
        inner = gen.inner
        rendered = inner.render_chat(chat_messages(PROMPT))  # type: ignore[attr-defined]
        assert "<|im_start|>assistant" in rendered  # SmolLM2's ChatML template from the GGUF metadata
        im_start = inner.llm.tokenize(b"<|im_start|>", add_bos=False, special=True)  # type: ignore[attr-defined]
        assert len(im_start) == 1 and im_start[0] in inner.tokenize(rendered)  # type: ignore[attr-defined]
        prompt = humaneval["HumanEval/2"].prompt
        samples = list(gen.generate(prompt, SamplingParams(temperature=0.7, max_tokens=24, seed=3), n=2))
        assert len(samples) == 2
        for s in samples:
            assert s.raw_text and s.logprobs and len(s.tokens) == len(s.logprobs)
            assert s.completion.startswith("    ") or s.completion.strip() == ""
        assert gen.tokens_generated > 0
    finally:
        gen.close()


MBPP_PROMPT = '"""\nWrite a function to find the shared elements from the given two lists.\nassert set(similar_elements((3, 4, 5, 6),(5, 7, 4, 10))) == set((4, 5))\n"""\n'


def test_a_task_without_a_function_asks_for_the_whole_function_and_keeps_it() -> None:
    """MBPP's prompts: the instruction asks for a whole function; the reply's imports, helpers and the function
    are kept (whole, signature included), its example usage and tests are not."""
    from codexlab.generation.chat import WHOLE_FUNCTION_INSTRUCTION, asks_for_whole_function, sanitize_program

    assert asks_for_whole_function(MBPP_PROMPT) and not asks_for_whole_function("def f(x):\n    ...\n")
    (_, user) = chat_messages(MBPP_PROMPT)
    assert user["content"].startswith(WHOLE_FUNCTION_INSTRUCTION) and MBPP_PROMPT.strip() in user["content"]
    reply = (
        "Here is the function:\n\n```python\nimport itertools\nfrom math import gcd\n\nLIMIT = 10\n\n\n"
        "def _common(a, b):\n    return set(a) & set(b)\n\n\ndef similar_elements(a, b):\n"
        "    return tuple(_common(a, b))\n\n\nprint(similar_elements((1, 2), (2, 3)))\n"
        "assert similar_elements((1,), (1,)) == (1,)\nresult = similar_elements((1,), (2,))\n```\nIt works."
    )
    program = sanitize_program(reply)
    assert program == extract_completion(reply, MBPP_PROMPT)
    assert program.startswith("import itertools\n\nfrom math import gcd\n\nLIMIT = 10\n\ndef _common(a, b):")
    assert "def similar_elements(a, b):\n    return tuple(_common(a, b))" in program
    assert "print(" not in program and "assert" not in program and "result =" not in program
    env: dict = {}
    exec(MBPP_PROMPT + program, env)
    assert set(env["similar_elements"]((3, 4, 5, 6), (5, 7, 4, 10))) == {4, 5}
    # a reply cut off by max_tokens keeps what parses
    assert "def _common" in sanitize_program(reply[: reply.index("def similar_elements") + 30])


def test_a_completion_mode_answer_keeps_its_program_only() -> None:
    """Completion mode on MBPP: the function, then a stray closing fence and prose (what the instruct model
    writes there); the program is kept and the text as generated goes to raw_text."""
    from codexlab.generation.sampling import _program_only
    from codexlab.generation.types import Sample

    text = "def double(x):\n    return 2 * x\n```\n\nThis function doubles `x`. For example:\n\nprint(double(2))\n"
    kept = _program_only(Sample(completion=text, tokens=[1], logprobs=[-0.1]))
    assert kept.completion == "def double(x):\n    return 2 * x\n" and kept.raw_text == text
    chat = Sample(completion="def f():\n    pass\n", tokens=[1], logprobs=[-0.1], raw_text="```python\n...")
    assert _program_only(chat) is chat, "a chat reply was extracted already"
