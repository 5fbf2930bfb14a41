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

from .checks import is_whole
from .engine import Value, topological_order
from .formatting import format_number, format_operand
from .walkthrough import Walkthrough, formula

EXPLAIN_MAX_EDGES = 2000
"""The most edges (lines) ``explain`` writes: one sample through an MLP(2, [16, 16, 1]) has 1,248.

The loss of a whole batch has a hundred times as many, more than anyone reads.
"""

LINE_WIDTH = 120
"""The width ``explain`` keeps its lines within, wrapping an edge over several lines if need be."""

MINIMUM_WIDTH = 40
"""The narrowest ``width`` explain takes: room for a name and its numbers."""


def explain(root: Value, *, max_edges: int = EXPLAIN_MAX_EDGES, width: int = LINE_WIDTH) -> str:
    """The backward pass of ``root`` as text: the chain rule of each edge, in real numbers.

    One line per edge, in ``backward_steps()`` order::

        d(L)/d(input) += d(L)/d(output) * d(output)/d(input) = upstream * local = contribution

    followed by the operation and its derivative rule in brackets.  A node that
    feeds several operations gets one share per edge, marked ``(share i of n)``,
    and after its last share a line adding them up.  Labels name the nodes;
    unlabelled ones are ``v<i>`` by topological position, listed at the top with
    what they hold.  No ``.grad`` changes.

    Lines stay within ``width`` characters: an edge whose line would be longer
    (long labels such as ``layers.0.neurons.2.out``) is written over several
    lines, its chain rule, its numbers and its rule each starting a line.

    Raises:
        TypeError: ``root`` is not a Value.
        ValueError: the graph has more than ``max_edges`` edges (checked first,
            quickly): explain a smaller graph, or pass a larger ``max_edges``.
    """
    if not isinstance(root, Value):
        raise TypeError(f"expected a Value to explain, got {type(root).__name__}")
    if not is_whole(width) or width < MINIMUM_WIDTH:
        raise ValueError(f"width must be a whole number >= {MINIMUM_WIDTH}, got {width!r}")
    _check_size(root, max_edges)
    walk = Walkthrough.of(root)
    top = walk.names[root]
    lines = _wrapped(
        [
            f"Backward pass of {top} = {format_number(root.data)}:",
            f"{len(walk.steps):,} edge{'' if len(walk.steps) == 1 else 's'},",
            "in the order backward() takes them.",
        ],
        "",
        width,
    )
    unnamed = [node for node in walk.order if not node.label]
    if unnamed:
        meanings = [
            f"{walk.names[n]} = {formula(n, walk.names) if n.inputs else format_number(n.data)}"
            for n in unnamed
        ]
        pieces = ["Unlabelled nodes:"] + [f"{m}," for m in meanings[:-1]] + meanings[-1:]
        lines += _wrapped(pieces, "  ", width)
    lines.append(f"d({top})/d({top}) = 1.0 (the start)")
    if not walk.steps:
        lines.append(f"{top} is a leaf: there is nothing to propagate.")
        return "\n".join(lines)
    number_width = len(str(len(walk.steps)))
    indent = " " * (number_width + 2)
    chains = [walk.chain_rule(step) for step in walk.steps]
    shares = walk.shares()
    notes = [
        f"[{walk.why(number)}]" + (f" (share {share} of {count})" if count > 1 else "")
        for number, (share, count) in enumerate(shares)
    ]
    fits = [number_width + 2 + len(c) + 2 + len(n) <= width for c, n in zip(chains, notes)]
    aligned = max((len(c) for c, fit in zip(chains, fits) if fit), default=0)
    for number, (step, (share, count)) in enumerate(zip(walk.steps, shares)):
        head = f"{number + 1:>{number_width}}. "
        line = f"{head}{chains[number].ljust(aligned)}  {notes[number]}"
        if len(line) > width and fits[number]:  # it fits, but not aligned with the others
            line = f"{head}{chains[number]}  {notes[number]}"
        if len(line) <= width:
            lines.append(line)
        else:  # too long for one line: the chain rule, then the rule, over several
            lines += _wrapped_edge(head, walk, number, (share, count), width)
        if count > 1 and share == count:
            used = f"({walk.names[step.input]} is used {count} times: its shares add up)"
            total = walk.sum_line(step.input).replace(" + ", " +\0").split("\0")
            lines += _wrapped([indent + total[0], *total[1:], " " + used], indent + "  ", width)
    return "\n".join(lines)


def _check_size(root: Value, max_edges: int) -> None:
    """Refuse, before any work, a graph with more than ``max_edges`` edges to explain."""
    if not is_whole(max_edges) or max_edges < 1:
        raise ValueError(f"max_edges must be a whole number >= 1, got {max_edges!r}")
    edges = sum(len(node.inputs) for node in topological_order(root))
    if edges > max_edges:
        raise ValueError(
            f"explain writes one line per edge, and this graph has {edges:,} edges, more than "
            f"max_edges={max_edges:,}: explain a smaller graph (one sample rather than a "
            f"whole batch), or pass max_edges={edges} to write every line"
        )


def _wrapped_edge(
    head: str, walk: Walkthrough, number: int, share: tuple[int, int], width: int
) -> list[str]:
    """Edge ``number``'s entry over several lines: its chain rule, broken before ``+=``,
    ``*`` and ``=``, then its operation and rule on lines of their own."""
    step = walk.steps[number]
    top, out, inp = (walk.names[v] for v in (walk.root, step.output, step.input))
    indent = " " * len(head) + "  "
    equation = [
        f"{head}d({top})/d({inp})",
        f"+= d({top})/d({out})",
        f"* d({out})/d({inp})",
        f"= {format_operand(step.upstream)} * {format_operand(step.local_grad)}",
        f"= {format_number(step.contribution)}",
    ]
    derivative, equals, slope = walk.rule_of(number).partition(" = ")  # breaks before its =
    note = [f"{indent}[{walk.made(number)};", derivative, f"{equals.strip()} {slope}]".lstrip()]
    if share[1] > 1:
        note.append(f"(share {share[0]} of {share[1]})")
    return _wrapped(equation, indent, width) + _wrapped(note, indent + "  ", width)


def _wrapped(pieces: list[str], indent: str, width: int) -> list[str]:
    """``pieces`` joined by spaces into lines of at most ``width`` characters where possible.

    A piece is never broken; a line that is full goes on with the next piece on
    a new line, after ``indent``.
    """
    lines = [pieces[0]]
    for piece in pieces[1:]:
        if len(lines[-1]) + 1 + len(piece) <= width:
            lines[-1] += " " + piece
        else:
            lines.append(indent + piece)
    return lines


def to_html(root: Value, path: str | Path, **options: Any) -> Path:
    """The explorer page of ``root`` written to ``path``: ``tinygrad_edu.explorer.to_html``."""
    from .explorer import to_html as write_page

    return write_page(root, path, **options)
