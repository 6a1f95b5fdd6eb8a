"""String helpers: some pure, some not, to exercise every rule of the harvester."""

import functools
import io
import random
import re
import sys
import time

import minilib.mathutil as mu
from minilib.mathutil import clamp

_SEPARATORS = re.compile(r"[^a-z0-9]+")
VOWELS = "aeiou"
COUNT = 0


class Rect:
    def __init__(self, w, h):
        self.w, self.h = w, h

    def area(self):
        """Width times height."""
        return self.w * self.h


DEFAULT_RECT = Rect(1, 1)


def _clean(text):
    return text.strip().lower()


def slugify(text, sep="-"):
    """Lowercase text and join its alphanumeric runs with sep."""
    return _SEPARATORS.sub(sep, _clean(text)).strip(sep)


def count_vowels(text):
    """Number of vowels in text."""
    return sum(1 for c in text.lower() if c in VOWELS)


def join_words(words, *, sep=", "):
    """Join words with sep."""
    return sep.join(words)


def pad_number(n, width):
    """n as a string zero-padded to width, width clamped to 1..10."""
    return str(n).zfill(clamp(width, 1, 10))


def scaled_gcd(a, b):
    """gcd of a and b, through the module alias."""
    return mu.gcd(a, b)


def double(x):
    return x * 2


def shout(msg):
    """Upper-case msg, and print it."""
    print(msg.upper())
    return msg.upper()


def pick(xs):
    """A random element of xs."""
    return random.choice(xs)


def stamp(label):
    """label with the current time."""
    return f"{label}@{time.time():.0f}"


def append_one(xs):
    """Append 1 to xs and return its new length."""
    xs.append(1)
    return len(xs)


def area(rect):
    """Area of a Rect."""
    return rect.w * rect.h


def make_rect(w, h):
    """A Rect of the given size."""
    return Rect(w, h)


def default_area():
    """Area of the default rectangle."""
    return DEFAULT_RECT.w * DEFAULT_RECT.h


@functools.cache
def fib(n):
    """The n-th Fibonacci number."""
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def bump():
    """Increment the module counter and return it."""
    global COUNT
    COUNT += 1
    return COUNT


def parse_int(text):
    """Parse text as an integer."""
    return int(text)


def words_upper(text):
    """Every word upper-cased, through a nested function."""

    def up(w):
        return w.upper()

    return [up(w) for w in text.split()]


def program_name():
    """The file name of the running program."""
    return sys.argv[0].rsplit("/", 1)[-1]


def loud_slug(text):
    """slugify, announced: impure through a helper it calls."""
    return shout(slugify(text))


def table(rows):
    """Rows of cells as tab-separated lines, built in a StringIO (local buffers are pure)."""
    buf = io.StringIO()
    for row in rows:
        buf.write("\t".join(str(c) for c in row) + "\n")
    return buf.getvalue()
