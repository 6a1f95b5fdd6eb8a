import pytest
from minilib import mathutil, textutil


def test_text():
    assert textutil.slugify("  Hello, World! ") == "hello-world"
    assert textutil.slugify("A b", sep="_") == "a_b"
    assert textutil.count_vowels("Banana") == 3
    assert textutil.join_words(["a", "b"], sep="+") == "a+b"
    assert textutil.join_words(["x"]) == "x"
    assert textutil.pad_number(7, 3) == "007"
    assert textutil.pad_number(7, 0) == "7"
    assert textutil.scaled_gcd(12, 18) == 6
    assert textutil.double(2) == 4
    assert textutil.words_upper("a b") == ["A", "B"]
    assert textutil.table([[1, "x"], [2, "y"]]) == "1\tx\n2\ty\n"


def test_math():
    assert mathutil.clamp(5, 0, 3) == 3
    assert mathutil.mean([1, 2, 3]) == 2.0
    assert list(mathutil.countdown(3)) == [3, 2, 1]


def test_impure():
    assert textutil.shout("hi") == "HI"
    assert textutil.pick([1]) == 1
    assert textutil.stamp("x").startswith("x@")
    xs = []
    assert textutil.append_one(xs) == 1
    assert textutil.bump() == 1
    assert textutil.loud_slug("A b") == "A-B"


def test_objects():
    r = textutil.make_rect(2, 3)
    assert textutil.area(r) == 6
    assert r.area() == 6
    assert textutil.default_area() == 1
    assert textutil.fib(10) == 55


def test_raises():
    with pytest.raises(ValueError):
        textutil.parse_int("x")


def test_process():
    assert textutil.program_name()
