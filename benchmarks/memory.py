"""Workload 3: bytes per node, measured by tracemalloc, for ``a + b``."""

from __future__ import annotations

import tracemalloc
from importlib.util import find_spec


def bytes_per_node(Value, n: int = 20_000) -> float:
    """Memory held by one ``a + b`` node (its object and everything only it holds)."""
    a, b = Value(1.5), Value(2.5)
    nodes = [None] * n  # allocated before tracing starts
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(n):
            nodes[i] = a + b
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return (after - before) / n


def report() -> list[str]:
    from tinygrad_edu import Value

    ours = bytes_per_node(Value)
    rows = [
        "",
        "Workload 3: memory per node for a + b",
        "| engine | bytes / node | × tinygrad_edu |",
        "| --- | ---: | ---: |",
        f"| tinygrad_edu | {ours:.0f} | 1.00 |",
    ]
    if find_spec("micrograd") is not None:
        from micrograd.engine import Value as MicrogradValue

        theirs = bytes_per_node(MicrogradValue)
        rows.append(f"| micrograd | {theirs:.0f} | {theirs / ours:.2f} |")
    return rows
