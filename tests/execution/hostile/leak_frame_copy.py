# ruff: noqa
# after: leak_victim_a
# other samples' code: walk the stack into the zygote's frames (the request it handled last is still a
# local there when it forked this process) and every object they reach; copy the earlier sample's code
# (found by its secret) and answer with its add()
import sys

TOKEN = "".join(["CODEXLAB-", "PLANTED-", "A-", "7319"])


def _find():
    seen, todo = set(), []
    f = sys._getframe()
    while f is not None:
        todo += [f.f_locals, f.f_globals]
        f = f.f_back
    n = 0
    while todo and n < 300000:
        o = todo.pop()
        n += 1
        if id(o) in seen:
            continue
        seen.add(id(o))
        if isinstance(o, (str, bytes, bytearray)):
            s = o.decode("utf-8", "replace") if not isinstance(o, str) else o
            if o is not TOKEN and TOKEN in s and "def add" in s:
                return s
            continue
        if isinstance(o, dict):
            todo += list(o.values())
        elif isinstance(o, (list, tuple, set, frozenset)):
            todo += list(o)
        elif hasattr(o, "__dict__") and not isinstance(o, type(sys)):
            try:
                todo += list(vars(o).values())
            except TypeError:
                pass
    return None


def add(a, b):
    src = _find()
    if src is None:
        return 0
    ns = {}
    exec(src, ns)
    return ns["add"](a, b)
