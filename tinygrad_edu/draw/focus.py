"""Part of a graph: the Values within a few edges of the nodes a learner is looking at.

``draw_dot(root, focus=[n], depth=k)`` draws the Values at most k edges from
n, counting an edge either way (to an input or to a use), and marks each edge
that leaves the drawn part: a small ``⋯`` where an input or a use was cut off.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..checks import is_whole
from ..engine import Value
from .neurons import consumers


def focus_nodes(focus: Value | Iterable[Value], order: list[Value]) -> list[Value]:
    """``focus`` as a list of nodes of the graph, or a clear error before anything is drawn."""
    nodes = [focus] if isinstance(focus, Value) else list(focus)
    in_graph = set(order)
    for node in nodes:
        if not isinstance(node, Value):
            raise TypeError(f"focus takes Values of the graph, got {type(node).__name__}")
        if node not in in_graph:
            raise ValueError(f"focus: {node!r} is not in the graph being drawn")
    if not nodes:
        raise ValueError("focus needs at least one Value of the graph")
    return nodes


def nearby(order: list[Value], focus: list[Value], depth: int) -> set[Value]:
    """The Values at most ``depth`` edges from a node of ``focus``, edges counted either way.

    A breadth-first search from every focus node at once, through inputs and uses:
    distance(v) = min over focus nodes f of the fewest edges between f and v.
    """
    if not is_whole(depth) or depth < 0:
        raise ValueError(f"depth must be a whole number >= 0, got {depth!r}")
    users = consumers(order)
    reached = set(focus)
    ring = list(focus)  # the nodes first reached in the last round
    for _ in range(depth):
        next_ring = []
        for node in ring:
            for neighbour in (*node.inputs, *users.get(node, ())):
                if neighbour not in reached:
                    reached.add(neighbour)
                    next_ring.append(neighbour)
        ring = next_ring
    return reached
