"""Runs in its own interpreter (standard library only): each problem's trusted canonical solution on each of its
inputs, in order, timing every call. Reads a JSON list of {task_id, code, entry_point, inputs} on stdin and
writes one JSON line per problem: {task_id, outputs, times} or {task_id, error}. Each output is ["j", its JSON
text] where JSON gives it back exactly (lists, strings, finite floats, ints, bools, None, dicts with string
keys), else ["p", a Python literal] (tuples, sets, infinities, ints too long for a decimal literal)."""

import copy
import json
import sys
import time


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
    if t is dict:
        return all(type(k) is str and exact_json(v) for k, v in x.items())  # type: ignore[attr-defined]
    return False


def encoded(x: object) -> list[str]:
    return ["j", json.dumps(x)] if exact_json(x) else ["p", literal(x)]


def main() -> None:
    for job in json.load(sys.stdin):
        try:
            env: dict = {"__name__": "__expected__"}
            exec(compile(job["code"], "<canonical>", "exec"), env)
            fn = env[job["entry_point"]]
            outputs, times = [], []
            for args in job["inputs"]:
                args = copy.deepcopy(args)
                start = time.perf_counter()
                outputs.append(fn(*args))
                times.append(time.perf_counter() - start)
            line = {"task_id": job["task_id"], "outputs": [encoded(x) for x in outputs], "times": times}
        except BaseException as exc:  # noqa: BLE001 - reported per problem
            line = {"task_id": job["task_id"], "error": f"{type(exc).__name__}: {exc}"[:500]}
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
