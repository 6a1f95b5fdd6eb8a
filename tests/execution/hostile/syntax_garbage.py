# ruff: noqa
# expect: syntax_error
# attack: not Python at all
def add(a, b) return a +
