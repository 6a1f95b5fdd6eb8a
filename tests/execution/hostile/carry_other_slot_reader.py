# ruff: noqa
# after: carry_other_slot_writer
# state that outlives a sample (part 2): passes only if its own scratch holds what the earlier sample left
try:
    CARRIED = open("codexlab-carry").read()
except OSError:
    CARRIED = None


def add(a, b):
    return eval(CARRIED, {"a": a, "b": b}) if CARRIED else 0
