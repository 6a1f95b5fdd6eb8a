"""The paper's analyses of a judged run, one module each; every analysis returns a table and draws a plot.

Each module exposes `compute(...)` (plain data: rows for a table) and `plot(result, path)` (matplotlib, Agg).
"""
