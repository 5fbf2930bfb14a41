"""What ``detect_anomaly()`` checks in the backward pass, and how it says what went wrong.

A gradient that is not finite is refused at the edge that makes it, with
the edge's numbers: ``backward through s = sqrt(z=0.0): the gradient flowing
into z=0.0 is inf = local inf * upstream 3.0``; or at the node whose shares
add up to it.  (Forward, the engine refuses a result that is not finite.)
"""

from __future__ import annotations

import math
from typing import Any

from .ops import describe, shown
from .steps import number_of


def check_edge(node: Any, inp: Any, local: Any, upstream: Any) -> None:
    """Refuse the edge ``inp.grad += local * upstream`` when its gradient would not be finite."""
    local, upstream = number_of(local), number_of(upstream)
    if not math.isfinite(local * upstream):
        raise FloatingPointError(
            f"backward through {_made(node)}: the gradient flowing into {shown(inp)} is "
            f"{local * upstream!r} = local {local!r} * upstream {upstream!r}"
        )


def check_total(node: Any, inp: Any) -> None:
    """Refuse a gradient that its finite shares added up to something not finite."""
    total = number_of(inp.grad)
    if not math.isfinite(total):
        raise FloatingPointError(
            f"backward through {_made(node)}: the gradient of {shown(inp)} adds up to "
            f"{total!r} (each of its shares was finite)"
        )


def _made(node: Any) -> str:
    output = f"{node.label} = " if node.label else ""
    return f"{output}{describe(node.op, *node.inputs)}"
