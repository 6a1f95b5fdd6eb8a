"""EvalPlus's per-task rules, in one place: how a task's JSON inputs become its arguments, and which tasks are
judged by a special oracle instead of equality with the canonical solution's output.

JSON has no tuples, sets or complex numbers, so MBPP+ stores those arguments as lists (or strings) and
EvalPlus converts them back per task before calling anything (`mbpp_deserialize_inputs` in EvalPlus 0.3.1).
The expected outputs and the sample must see the same arguments, so a shape is kept as Python source and runs
in both places: in the expected-output runner and inside the tests' `check` (which runs where no codexlab
module can be imported). Oracles are named here and implemented in the tests' template (`evalplus.py`).
"""

from __future__ import annotations

# A shape is the source of `_shape(args)`: the argument list of one call as JSON gave it -> the real arguments.
SHAPES: dict[str, str] = {
    "as_is": "def _shape(args):\n    return args\n",
    "each_tuple": "def _shape(args):\n    return [tuple(a) for a in args]\n",
    "each_list_of_tuples": "def _shape(args):\n    return [[tuple(x) for x in a] for a in args]\n",
    "each_tuple_of_tuples": "def _shape(args):\n    return [tuple(tuple(x) for x in a) for a in args]\n",
    "first_tuple": "def _shape(args):\n    return [tuple(args[0]), *args[1:]]\n",
    "first_list_of_tuples": "def _shape(args):\n    return [[tuple(x) for x in args[0]], *args[1:]]\n",
    "second_tuple": "def _shape(args):\n    return [args[0], tuple(args[1]), *args[2:]]\n",
    "first_tuple_of_items": (
        "def _shape(args):\n    return [tuple(tuple(x) if isinstance(x, list) else x for x in args[0])]\n"
    ),
    # EvalPlus turns an empty list into {} (an empty dict), not set(): kept, since the expected outputs come from it
    "first_list_of_sets": (
        "def _shape(args):\n    return [[set(x) if isinstance(x, list) and x else {} for x in args[0]]]\n"
    ),
    "first_dict_of_tuples": "def _shape(args):\n    return [{k: tuple(v) for k, v in args[0].items()}, *args[1:]]\n",
    "float_complex": "def _shape(args):\n    return [float(args[0]), complex(args[1])]\n",
    "complex": "def _shape(args):\n    return [complex(args[0])]\n",
    "deep_tuples": (
        "def _shape(args):\n"
        "    def deep(x):\n"
        "        return tuple(deep(i) for i in x) if isinstance(x, list) else x\n"
        "    return [deep(a) for a in args]\n"
    ),
}

_MBPP_SHAPE_TASKS: dict[str, tuple[int, ...]] = {
    "each_tuple": (2, 116, 132, 143, 222, 261, 273, 394, 399, 421, 424, 429, 470, 560, 579, 596, 616, 630, 726,
                   740, 744, 809),
    "each_list_of_tuples": (63, 64, 70, 94, 120, 237, 272, 299, 400, 409, 417, 438, 473, 614, 780),
    "first_list_of_tuples": (75, 413, 444, 753),
    "second_tuple": (106, 750),
    "first_list_of_sets": (115,),
    "float_complex": (124,),
    "first_tuple": (250, 307, 405, 446, 617, 720, 763, 808),
    "each_tuple_of_tuples": (259, 401, 445),
    "first_tuple_of_items": (278,),
    "first_dict_of_tuples": (722,),
    "complex": (252,),
    "deep_tuples": (580, 615, 791),
}  # fmt: skip
MBPP_SHAPES: dict[int, str] = {n: shape for shape, tasks in _MBPP_SHAPE_TASKS.items() for n in tasks}

# Oracles by entry point. "not_none": the output cannot be compared (a regex match object), so the expected value
# is whether the canonical returned something other than None; "set_eq": the order of the elements is free.
MBPP_ORACLES: dict[str, str] = {
    "are_equivalent": "any",  # Mbpp/164: the reference is ambiguous, so any output that returns counts
    "sum_div": "or_zero",  # Mbpp/295
    "surface_Area": "surface_area",  # Mbpp/581: the slant height read either way
    "digit_distance_nums": "digit_distance",  # Mbpp/558: numbers of unequal length padded with zeros
    **dict.fromkeys(("check_str", "text_match_three", "text_starta_endb"), "not_none"),
    **dict.fromkeys(
        (
            "similar_elements",
            "find_char_long",
            "common_in_nested_lists",
            "extract_singly",
            "larg_nnum",
            "intersection_array",
            "find_dissimilar",
            "Diff",
        ),
        "set_eq",
    ),  # fmt: skip
}
HUMANEVAL_ORACLES: dict[str, str] = {"find_zero": "find_zero"}  # HumanEval/32: any zero of the polynomial


def is_mbpp(task_id: str) -> bool:
    return task_id.startswith("Mbpp/")


def input_shape(task_id: str) -> str:
    """The source of `_shape(args)` for this task."""
    if is_mbpp(task_id):
        number = task_id.split("/", 1)[1]
        if number.isdigit():
            return SHAPES[MBPP_SHAPES.get(int(number), "as_is")]
    return SHAPES["as_is"]


def oracle(task_id: str, entry_point: str) -> str:
    """The special oracle that judges this task ("" for equality, with the float tolerance)."""
    table = MBPP_ORACLES if is_mbpp(task_id) else HUMANEVAL_ORACLES
    return table.get(entry_point, "")
