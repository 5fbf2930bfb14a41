"""Pictures as files: ``render`` writes a graph as SVG, PNG, PDF or DOT text."""

from __future__ import annotations

import os
import subprocess
import warnings
from pathlib import Path

import graphviz

from ..engine import Value
from ..files import write_atomically
from .graph import draw_dot

FORMATS = ("svg", "png", "pdf", "dot")


class GraphvizNotFoundError(RuntimeError):
    """Graphviz's ``dot`` program is not installed."""


class GraphvizWarning(UserWarning):
    """Graphviz drew the picture but warned about it (all its warnings, in one line)."""


def render(
    root: Value | graphviz.Digraph, path: str | os.PathLike, format: str | None = None, **options
) -> Path:
    """Write a picture of ``root``'s graph to ``path`` and return the path.

    The format comes from the suffix (``.svg``, ``.png``, ``.pdf``, or ``.dot``
    for the DOT text, which needs no Graphviz) unless ``format`` names one.
    ``root`` may be a Value (drawn with ``draw_dot(root, **options)``) or a
    Digraph already drawn.  A missing folder is created.  The file is replaced
    in one step (``write_atomically``), so a failure never leaves half a
    picture behind.

    Raises:
        ValueError: an unknown format.
        GraphvizNotFoundError: ``dot`` is missing (the ``.dot`` format still works).
    """
    path = Path(path)
    chosen = (format or path.suffix.lstrip(".")).lower()
    chosen = {"gv": "dot"}.get(chosen, chosen)
    if chosen not in FORMATS:
        raise ValueError(
            f"cannot render to {path.name!r}: use a .svg, .png, .pdf or .dot file "
            f"(or format='svg', 'png', 'pdf' or 'dot'), got {chosen or 'no suffix'!r}"
        )
    if isinstance(root, graphviz.Digraph):
        if options:
            raise TypeError("draw options apply to a Value, not to a Digraph already drawn")
        graph = root
    else:
        graph = draw_dot(root, **options)
    if chosen == "dot":
        data = graph.source.encode()
    else:
        if chosen == "png":
            graph = graph.copy()
            graph.graph_attr["dpi"] = "144"
        data = pipe(graph, chosen)
    return write_atomically(path, data, make_folders=True)


def pipe(graph: graphviz.Digraph, format: str) -> bytes:
    """Graphviz's picture of ``graph`` in ``format``; a GraphvizNotFoundError without ``dot``.

    Graphviz writes its warnings (such as "node ... size too small for label",
    one per node) to stderr; they are gathered into one ``GraphvizWarning``,
    which a notebook shows once and ``tinygrad-edu`` prints as one line.
    """
    command = [graph.engine, f"-T{format}"]
    try:
        done = subprocess.run(command, input=graph.source.encode(), capture_output=True)
    except FileNotFoundError:
        raise GraphvizNotFoundError(
            "Graphviz's `dot` program is not installed: install it with "
            "`apt-get install graphviz` (Debian/Ubuntu) or `brew install graphviz` "
            "(macOS); writing a .dot file works without it"
        ) from None
    said = [line.strip() for line in done.stderr.decode(errors="replace").splitlines()]
    said = [line for line in said if line]
    if done.returncode != 0:
        raise RuntimeError(
            f"Graphviz's {graph.engine} failed (exit code {done.returncode}): "
            + ("; ".join(said[:3]) or "it said nothing")
        )
    if said:
        first = said[0].removeprefix("Warning: ")
        more = f" (and {len(said) - 1} more like it)" if len(said) > 1 else ""
        warnings.warn(
            GraphvizWarning(f"Graphviz warned: {first}{more}; the picture was drawn all the same"),
            stacklevel=3,
        )
    return done.stdout
