"""Workload 2: build and backpropagate a chain of n operations, ``y = y + x`` n times.

A chain is the deepest graph there is: a recursive topological sort fails on
it, an iterative one takes time linear in n.
"""

from __future__ import annotations

import time
from importlib.util import find_spec


def time_chain(Value, n: int) -> tuple[float, float, float]:
    """(seconds to build, seconds to backpropagate, d y / d x) for a chain of n additions."""
    start = time.perf_counter()
    x = Value(0.5)
    y = x
    for _ in range(n):
        y = y + x
    built = time.perf_counter()
    y.backward()
    done = time.perf_counter()
    return built - start, done - built, float(x.grad)


def _row(name: str, n: int, Value) -> str:
    try:
        build, backward, slope = time_chain(Value, n)
    except RecursionError:
        return f"| {name} | {n:,} | | | RecursionError |"
    if slope != n + 1:
        raise AssertionError(f"{name}: d y / d x = {slope}, expected {n + 1}")
    return f"| {name} | {n:,} | {build:.2f} | {backward:.2f} | {build + backward:.2f} |"


def report(quick: bool = False) -> list[str]:
    from tinygrad_edu import Value

    sizes = (1_000, 10_000) if quick else (100_000, 1_000_000)
    rows = [
        "",
        "Workload 2: a chain of n operations (seconds)",
        "| engine | n | build | backward | total |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    rows += [_row("tinygrad_edu", n, Value) for n in sizes]
    if find_spec("micrograd") is not None:
        from micrograd.engine import Value as MicrogradValue

        # a million micrograd nodes would take ~0.7 GB; the smaller chain already fails
        rows.append(_row("micrograd", sizes[0], MicrogradValue))
    return rows
