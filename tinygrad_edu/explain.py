"""Backpropagation told step by step: the chain rule of every edge, in real numbers.

``explain(root)`` writes the backward pass as text, one line per edge, in the
order ``backward()`` takes them::

    d(L)/d(w1) += d(L)/d(n) * d(n)/d(w1) = 0.5 * 2.0 = 1.0    [n = x * w1; d(a*b)/db = a]

``to_html(root, path)`` writes the same story, forward pass first, as one
self-contained page to click through (see ``tinygrad_edu.explorer``).

Nothing here changes the graph: the pass is replayed on the side, so the
Values' ``.grad`` s, and any hooks registered on them, are left alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .engine import Value
from .formatting import format_number
from .walkthrough import Walkthrough, formula


def explain(root: Value) -> str:
    """The backward pass of ``root`` as text: the chain rule of each edge, in real numbers.

    One line per edge, in ``backward_steps()`` order::

        d(L)/d(input) += d(L)/d(output) * d(output)/d(input) = upstream * local = contribution

    followed by the operation and its derivative rule in brackets.  A node that
    feeds several operations gets one share per edge, marked ``(share i of n)``,
    and after its last share a line adding them up.  Labels name the nodes;
    unlabelled ones are ``v<i>`` by topological position, listed at the top with
    what they hold.  No ``.grad`` changes.
    """
    walk = Walkthrough.of(root)
    top = walk.names[root]
    lines = [
        f"Backward pass of {top} = {format_number(root.data)}: "
        f"{len(walk.steps)} edge{'' if len(walk.steps) == 1 else 's'}, "
        "in the order backward() takes them.",
        f"d({top})/d({top}) = 1.0 (the start)",
    ]
    unnamed = [node for node in walk.order if not node.label]
    if unnamed:
        meanings = (
            f"{walk.names[n]} = {formula(n, walk.names) if n.inputs else format_number(n.data)}"
            for n in unnamed
        )
        lines.insert(1, f"Unlabelled nodes: {', '.join(meanings)}")
    if not walk.steps:
        lines.append(f"{top} is a leaf: there is nothing to propagate.")
        return "\n".join(lines)
    width = max(len(walk.chain_rule(step)) for step in walk.steps)
    number_width = len(str(len(walk.steps)))
    indent = " " * (number_width + 2)
    for number, (step, (share, count)) in enumerate(zip(walk.steps, walk.shares())):
        chain = walk.chain_rule(step).ljust(width)
        share_note = f" (share {share} of {count})" if count > 1 else ""
        lines.append(f"{number + 1:>{number_width}}. {chain}  [{walk.why(number)}]{share_note}")
        if count > 1 and share == count:
            used = f"{walk.names[step.input]} is used {count} times: its shares add up"
            lines.append(f"{indent}{walk.sum_line(step.input)}  ({used})")
    return "\n".join(lines)


def to_html(root: Value, path: str | Path, **options: Any) -> Path:
    """The explorer page of ``root`` written to ``path``: ``tinygrad_edu.explorer.to_html``."""
    from .explorer import to_html as write_page

    return write_page(root, path, **options)
