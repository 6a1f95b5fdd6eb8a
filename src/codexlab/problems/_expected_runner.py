"""Runs in its own interpreter (standard library only): each problem's trusted canonical solution on each of its
inputs, in order, timing every call. Reads jobs {task_id, code, entry_point, inputs, shape, not_none} on stdin,
one JSON line each (`shape`: the source of `_shape(args)`, see evalplus_rules; `not_none`: record only whether
each output is not None), and writes one JSON line per job as it finishes it: {task_id, outputs, times} or
{task_id, error}. Each output is ["j", its JSON text] where JSON gives it back exactly (lists, strings, finite
floats, ints, bools, None, dicts with string keys), else ["p", a Python literal] (tuples, sets, infinities, ints
too long for a decimal literal), or ["x", its length] when it is too large to cross the sandbox (MBPP+'s
Mbpp/255 returns up to 1 GB)."""

import collections
import copy
import json
import os
import sys
import time

# collections' dicts compare equal to plain dicts with the same items; the sandbox carries them as dicts
DICT_KINDS = (dict, collections.Counter, collections.OrderedDict, collections.defaultdict)
# an output whose encoding is longer than this cannot cross the sandbox (16 MiB per message, with the codec's
# tags): left out. HumanEval+ returns up to 11 MiB (HumanEval/130), MBPP+ up to 1 GB (Mbpp/255)
MAX_OUTPUT_CHARS = 12 << 20


def literal(x: object) -> str:
    """repr(x), except that an int too long for a decimal literal (over 4300 digits) is written in hex."""
    t = type(x)
    if t is int and x.bit_length() > 14000:  # type: ignore[attr-defined]
        return f"int({hex(x)!r}, 16)"  # type: ignore[arg-type]
    if t is list:
        return "[" + ", ".join(literal(i) for i in x) + "]"  # type: ignore[attr-defined]
    if t is tuple:
        items = [literal(i) for i in x]  # type: ignore[attr-defined]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if t in DICT_KINDS:
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in x.items()) + "}"  # type: ignore[attr-defined]
    return repr(x)


def exact_json(x: object) -> bool:
    """Whether json.loads(json.dumps(x)) gives back x, types included."""
    t = type(x)
    if t in (str, bool) or x is None:
        return True
    if t is int:
        return x.bit_length() <= 14000  # type: ignore[attr-defined]
    if t is float:
        return x == x and x not in (float("inf"), float("-inf"))
    if t is list:
        return all(exact_json(i) for i in x)  # type: ignore[attr-defined]
    if t in DICT_KINDS:
        return all(type(k) is str and exact_json(v) for k, v in x.items())  # type: ignore[attr-defined]
    return False


# a list of these alone is exact JSON if the C encoder takes it with allow_nan=False: it refuses NaN, the
# infinities and ints of over 4300 digits (HumanEval/130 returns lists of 10**6 floats: checking each one in
# Python took longer than computing them)
FLAT = frozenset((str, int, float, bool, type(None)))


def _flat_json(x: object) -> str | None:
    if type(x) is not list or not FLAT.issuperset(map(type, x)):  # type: ignore[arg-type]
        return None
    try:
        return json.dumps(x, allow_nan=False)
    except ValueError:
        return None


def encoded(x: object) -> list[str]:
    """["j", JSON text], ["p", Python literal], or ["x", its length] for an output too large to carry."""
    flat = _flat_json(x)
    if flat is not None:
        kind, text = "j", flat
    else:
        kind, text = ("j", json.dumps(x)) if exact_json(x) else ("p", literal(x))
    return ["x", str(len(text))] if len(text) > MAX_OUTPUT_CHARS else [kind, text]


def main() -> None:
    # the jobs and the results keep their own streams: a canonical solution that prints or reads stdin must
    # not corrupt or consume them
    jobs, results = sys.stdin, sys.stdout
    sys.stdin, sys.stdout = open(os.devnull), sys.stderr
    for text in jobs:
        job = json.loads(text)
        try:
            env: dict = {"__name__": "__expected__"}
            exec(compile(job["code"], "<canonical>", "exec"), env)
            fn = env[job["entry_point"]]
            shaping: dict = {}
            exec(job.get("shape") or "def _shape(args):\n    return args\n", shaping)
            outputs, times = [], []
            for args in job["inputs"]:
                args = shaping["_shape"](copy.deepcopy(args))
                start = time.perf_counter()
                outputs.append(fn(*args))
                times.append(time.perf_counter() - start)
            if job.get("not_none"):
                outputs = [x is not None for x in outputs]
            line = {"task_id": job["task_id"], "outputs": [encoded(x) for x in outputs], "times": times}
        except BaseException as exc:  # noqa: BLE001 - reported per problem
            line = {"task_id": job["task_id"], "error": f"{type(exc).__name__}: {exc}"[:500]}
        results.write(json.dumps(line) + "\n")
        results.flush()


if __name__ == "__main__":
    main()
