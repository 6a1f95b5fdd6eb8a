# ruff: noqa
# attack: multiprocessing pool spawning workers
import multiprocessing


def add(a, b):
    with multiprocessing.Pool(8) as p:
        return sum(p.map(abs, [a, b]))
