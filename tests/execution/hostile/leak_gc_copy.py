# ruff: noqa
# after: leak_victim_b
# other samples' code: every object the collector tracks (the zygote's request dicts, frames, buffers)
# and their referents; copy the earlier sample's code, found by its secret
import gc

TOKEN = "".join(["CODEXLAB-", "PLANTED-", "B-", "7319"])


def _find():
    for o in gc.get_objects():
        try:
            vals = o.values() if isinstance(o, dict) else o if isinstance(o, (list, tuple)) else ()
            for v in vals:
                if isinstance(v, (bytes, bytearray)):
                    v = bytes(v).decode("utf-8", "replace")
                if isinstance(v, str) and v is not TOKEN and TOKEN in v and "def add" in v:
                    return v
            for r in gc.get_referents(o):
                if isinstance(r, str) and r is not TOKEN and TOKEN in r and "def add" in r:
                    return r
        except Exception:
            pass
    return None


def add(a, b):
    src = _find()
    if src is None:
        return 0
    if src.lstrip().startswith("{"):
        import json

        try:
            src = json.loads(src)["src"]
        except Exception:
            pass
    ns = {}
    exec(src, ns)
    return ns["add"](a, b)
