"""One edge of the backward pass as a record: what ``backward_steps()`` yields.

Each step is ``input.grad += local_grad * upstream``, with the numbers it
used and the input's gradient after it; it prints as that line.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any


class BackwardStep(tuple):
    """One edge of the backward pass: ``input.grad += local_grad * upstream``.

    A tuple ``(output, input, upstream, local_grad, contribution, total)``, where
    ``contribution = local_grad · upstream`` and ``total`` is the input's grad so far.
    """

    __slots__ = ()
    _fields = ("output", "input", "upstream", "local_grad", "contribution", "total")

    def __new__(cls, output: Any, input: Any, upstream, local_grad, contribution, total):
        return tuple.__new__(cls, (output, input, upstream, local_grad, contribution, total))

    output = property(itemgetter(0), doc="the node the gradient flows back from")
    input = property(itemgetter(1), doc="the node it flows into")
    upstream = property(itemgetter(2), doc="∂root/∂output")
    local_grad = property(itemgetter(3), doc="∂output/∂input")
    contribution = property(itemgetter(4), doc="local_grad · upstream")
    total = property(itemgetter(5), doc="the input's gradient so far in this pass")

    def __repr__(self) -> str:
        """``w.grad += 2.0 * -0.2963 → -0.5926``: local · upstream, then the grad so far."""
        inp = self.input
        upstream, local, added, total = (number_of(x) for x in self[2:])
        unlabelled = f"('{inp.op}' {short(inp.data)})" if inp.op else f"({short(inp.data)})"
        name = inp.label or unlabelled
        line = f"{name}.grad += {short(local)} * {short(upstream)} → {short(total)}"
        return line if total == added else f"{line} ({short(total - added)} + {short(added)})"


def number_of(x: Any) -> float:
    """A step's number: a float, or the data of a Value (with ``create_graph``)."""
    return x if isinstance(x, float) else getattr(x, "data", x)


def short(x: float) -> str:
    """Four significant digits that still read as a float: 0.7071, 2.0, 1e+06."""
    text = f"{x:.4g}"
    return text + ".0" if text.lstrip("-").isdigit() else text
