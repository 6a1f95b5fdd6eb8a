"""Synthetic "building blocks" problems: chains of 1 to 13 simple string operations in one docstring.

The Codex paper (section 6, appendix) measured how pass rates fall as a docstring chains more simple steps.
Each operation here has a description, one line of reference code and an independent Python
implementation; expected outputs come from the implementation, so a wrong code template fails its tests.
Problem (length, i) depends only on (seed, length, i): asking for more problems never changes earlier ones.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from codexlab.problems.types import Problem, ProblemSet

ENTRY_POINT = "string_manipulation"
N_TESTS = 5
_LETTERS = "abcdeilnorst"
_SPACE_FILLERS = "!-_*#+"
_EXTRA_WORDS = ("apples", "banana", "cat", "dog", "kiwi")
_VOCAB = (
    "the quick brown fox jumps over lazy dog hello world code model python string letters "
    "sample test banana apple orange river stone green light paper data"
).split()


@dataclass(frozen=True)
class Step:
    """One concrete operation: how the docstring says it, the code line, and what it computes."""

    text: str
    code: str
    apply: Callable[[str], str]


def _remove_letter(rng: random.Random) -> Step:
    c = rng.choice(_LETTERS)
    return Step(
        f"remove every occurrence of the lowercase letter '{c}'",
        f"s = s.replace('{c}', '')",
        lambda s: "".join(ch for ch in s if ch != c),
    )


def _replace_spaces(rng: random.Random) -> Step:
    c = rng.choice(_SPACE_FILLERS)
    return Step(
        f"replace every space with '{c}'",
        f"s = s.replace(' ', '{c}')",
        lambda s: "".join(c if ch == " " else ch for ch in s),
    )


def _lowercase(rng: random.Random) -> Step:
    return Step("convert the string to lowercase", "s = s.lower()", str.lower)


def _trim_ends(rng: random.Random) -> Step:
    k = rng.randint(1, 3)
    return Step(
        f"remove the first {k} and the last {k} characters (nothing is left if the string has at "
        f"most {2 * k} characters)",
        f"s = s[{k}:-{k}]",
        lambda s: s[k : len(s) - k] if len(s) > 2 * k else "",
    )


def _remove_vowels(rng: random.Random) -> Step:
    return Step(
        "remove all vowels (a, e, i, o, u, in either case)",
        "s = ''.join(c for c in s if c.lower() not in 'aeiou')",
        lambda s: "".join(ch for ch in s if ch not in "aeiouAEIOU"),
    )


def _every_third(rng: random.Random) -> Step:
    return Step(
        "remove every third character (the 3rd, 6th, 9th, ...)",
        "s = ''.join(c for i, c in enumerate(s) if i % 3 != 2)",
        lambda s: "".join(s[i] for i in range(len(s)) if (i + 1) % 3),
    )


def _first_half_chars(rng: random.Random) -> Step:
    return Step(
        "drop the last half of the string, keeping its first len(s) // 2 characters",
        "s = s[:len(s) // 2]",
        lambda s: s[0 : len(s) // 2],
    )


def _triple_spaces(rng: random.Random) -> Step:
    return Step(
        "replace every space with three spaces",
        "s = s.replace(' ', '   ')",
        lambda s: "".join("   " if ch == " " else ch for ch in s),
    )


def _reverse_words(rng: random.Random) -> Step:
    return Step(
        "split the string on single spaces into words and reverse the order of the words",
        "s = ' '.join(s.split(' ')[::-1])",
        lambda s: " ".join(reversed(s.split(" "))),
    )


def _drop_first_half_words(rng: random.Random) -> Step:
    return Step(
        "split the string on single spaces into words and drop the first len(words) // 2 words",
        "s = ' '.join(s.split(' ')[len(s.split(' ')) // 2:])",
        lambda s: " ".join(s.split(" ")[len(s.split(" ")) // 2 :]),
    )


def _add_word(rng: random.Random) -> Step:
    w = rng.choice(_EXTRA_WORDS)
    return Step(
        f"split the string on single spaces into words and add the word '{w}' after every word",
        f"s = ' '.join(w + ' {w}' for w in s.split(' '))",
        lambda s: " ".join(x for word in s.split(" ") for x in (word, w)),
    )


def _alternate_case(rng: random.Random) -> Step:
    return Step(
        "make every other character uppercase, starting with the first (the 1st, 3rd, 5th, ...)",
        "s = ''.join(c.upper() if i % 2 == 0 else c for i, c in enumerate(s))",
        lambda s: "".join(s[i].upper() if i % 2 == 0 else s[i] for i in range(len(s))),
    )


def _strip_punctuation(rng: random.Random) -> Step:
    return Step(
        "delete all exclamation points, question marks and periods",
        "s = s.replace('!', '').replace('?', '').replace('.', '')",
        lambda s: "".join(ch for ch in s if ch not in "!?."),
    )


OPERATIONS: tuple[Callable[[random.Random], Step], ...] = (
    _remove_letter,
    _replace_spaces,
    _lowercase,
    _trim_ends,
    _remove_vowels,
    _every_third,
    _first_half_chars,
    _triple_spaces,
    _reverse_words,
    _drop_first_half_words,
    _add_word,
    _alternate_case,
    _strip_punctuation,
)
MAX_STEPS = len(OPERATIONS)


def _random_input(rng: random.Random) -> str:
    words = []
    for _ in range(rng.randint(2, 8)):
        w = rng.choice(_VOCAB)
        if rng.random() < 0.3:
            w = w.capitalize() if rng.random() < 0.7 else w.upper()
        if rng.random() < 0.2:
            w += rng.choice("!?.,")
        words.append(w)
    return " ".join(words)


def _problem(task_id: str, steps: list[Step], inputs: list[str]) -> Problem:
    lines = "".join(f"    {i}. {st.text}\n" for i, st in enumerate(steps, start=1))
    prompt = (
        f"def {ENTRY_POINT}(s: str) -> str:\n"
        f'    """Apply these steps to the string s, in order, and return the result:\n{lines}    """\n'
    )
    solution = "".join(f"    {st.code}\n" for st in steps) + "    return s\n"
    asserts = []
    for text in inputs:
        expected = text
        for st in steps:
            expected = st.apply(expected)
        asserts.append(f"    assert candidate({text!r}) == {expected!r}\n")
    return Problem(task_id, prompt, ENTRY_POINT, solution, "def check(candidate):\n" + "".join(asserts))


def building_block_problem(seed: int, length: int, index: int) -> Problem:
    """Problem `index` among those with `length` chained steps; a pure function of its arguments."""
    if not 1 <= length <= MAX_STEPS:
        raise ValueError(f"length must be between 1 and {MAX_STEPS}, got {length}")
    rng = random.Random(f"building-blocks:{seed}:{length}:{index}")
    steps = [op(rng) for op in rng.sample(OPERATIONS, length)]
    inputs = [_random_input(rng) for _ in range(N_TESTS - 1)] + [rng.choice(_VOCAB)]
    return _problem(f"BuildingBlocks/{length}/{index}", steps, inputs)


def generate_building_blocks(
    n_per_length: int = 10, lengths: Iterable[int] = range(1, 11), seed: int = 0
) -> ProblemSet:
    """n_per_length problems for each chain length; same arguments, same problems, on any machine."""
    if isinstance(n_per_length, bool) or not isinstance(n_per_length, int) or n_per_length < 1:
        raise ValueError(f"n_per_length must be a positive integer, got {n_per_length!r}")
    lengths = list(lengths)
    if not lengths:
        raise ValueError("lengths is empty")
    if len(set(lengths)) != len(lengths):
        raise ValueError(f"lengths has duplicates: {lengths}")
    problems = [building_block_problem(seed, n, i) for n in lengths for i in range(n_per_length)]
    return ProblemSet("building_blocks", problems)


def chain_length(task_id: str) -> int:
    """The number of steps in a building-blocks task_id ("BuildingBlocks/<length>/<i>")."""
    parts = task_id.split("/")
    if len(parts) != 3 or parts[0] != "BuildingBlocks" or not parts[1].isdigit():
        raise ValueError(f"not a building-blocks task_id: {task_id!r}")
    return int(parts[1])
