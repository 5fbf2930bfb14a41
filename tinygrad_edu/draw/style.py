"""What every picture shares: colours, the drawing options, size limits and how a Value looks."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

import graphviz

from ..checks import is_whole
from ..engine import Value
from ..formatting import PICTURE_DIGITS, format_number

DEFAULT_MAX_NODES = 1000
"""How many Values ``draw_dot`` draws node by node before it refuses.

A thousand Values (about two thousand drawn nodes with their operations) is
already more than a projector can show; Graphviz lays it out in a few seconds.
"""

COLOURS = {
    "input": "#dbe9f6",
    "constant": "#f7f7f7",
    "parameter": "#fdd9b5",
    "root": "#c7e9c0",
    "computed": "#ffffff",
    "operation": "#eeeeee",
    "highlight": "#d62728",
    "positive": "#2b6cb0",
    "negative": "#e66101",
    "layer": "#f6f6f6",
    "neuron": "#ffffff",
}

RANKDIRS = ("LR", "TB", "RL", "BT")

FADED = "0.25"
"""The opacity of what a frame's forward pass has not computed yet."""

ShowGrad = bool | Callable[[Value], bool] | Collection[Value]


class GraphTooLargeError(ValueError):
    """The graph has more nodes than a picture may show."""


def number(x: float) -> str:
    """A number as the pictures write it: ``format_number`` with four significant digits."""
    return format_number(x, PICTURE_DIGITS)


# ---------------------------------------------------------------- options


@dataclass(frozen=True)
class Options:
    """``draw_dot``'s arguments, checked and in the form the drawing code uses."""

    rankdir: str
    grad_shown: Callable[[Value], bool] | None  # None: no grad field at all
    edge_labels: bool
    highlighted_nodes: frozenset
    highlighted_edges: frozenset  # (output, input) pairs
    max_nodes: int
    grads: dict = field(default_factory=dict)  # gradients to write instead of .grad

    @staticmethod
    def check(
        root: Value,
        rankdir: str,
        show_grad: ShowGrad,
        edge_labels: bool,
        highlight: Iterable[Value | tuple],
        max_nodes: int,
        grads: dict,
    ) -> Options:
        """The options, or a TypeError / ValueError that says which argument is wrong."""
        if not isinstance(root, Value):
            raise TypeError(f"draw_dot needs a Value, got {type(root).__name__}")
        if rankdir not in RANKDIRS:
            raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}; got {rankdir!r}")
        if not is_whole(max_nodes) or max_nodes < 1:
            raise ValueError(f"max_nodes must be a whole number >= 1, got {max_nodes!r}")
        nodes, edges = set(), set()
        for item in highlight:
            if isinstance(item, Value):
                nodes.add(item)
            elif isinstance(item, tuple) and len(item) >= 2 and _both_values(item[:2]):
                edges.add((item[0], item[1]))
            else:
                raise TypeError(
                    "highlight takes Values and (output, input) pairs of Values, "
                    f"got {type(item).__name__}: {item!r}"
                )
        return Options(
            rankdir,
            _grad_rule(show_grad),
            bool(edge_labels),
            frozenset(nodes),
            frozenset(edges),
            max_nodes,
            grads,
        )


def _both_values(pair: tuple) -> bool:
    return all(isinstance(v, Value) for v in pair)


def _grad_rule(show_grad: ShowGrad) -> Callable[[Value], bool] | None:
    """``show_grad`` as a function of the node; ``None`` means: no grad field at all."""
    if isinstance(show_grad, bool):
        return (lambda node: True) if show_grad else None
    if callable(show_grad):
        return show_grad
    if isinstance(show_grad, Collection):
        shown = set(show_grad)
        return lambda node: node in shown
    raise TypeError(
        "show_grad must be True, False, a collection of Values or a function Value -> bool; "
        f"got {type(show_grad).__name__}"
    )


# ---------------------------------------------------------------- graphs and nodes


def new_graph(rankdir: str, nodesep: str = "0.25", ranksep: str = "0.45") -> graphviz.Digraph:
    """An empty Digraph with the house fonts and spacing."""
    return graphviz.Digraph(
        "computation_graph",
        graph_attr={
            "rankdir": rankdir,
            "fontname": "Helvetica",
            "fontsize": "14",
            "nodesep": nodesep,
            "ranksep": ranksep,
        },
        node_attr={"fontname": "Helvetica", "fontsize": "14"},
        edge_attr={"fontname": "Helvetica", "fontsize": "12", "color": "#555555"},
    )


def kind_of(node: Value, parameters: set[Value]) -> str:
    """``"parameter"``, ``"computed"``, ``"input"`` or ``"constant"``: how the node looks.

    A leaf with a label is an input (``x``, ``y``); a leaf without one is a
    number written into the formula (the ``1.0`` of ``y - 1.0``): a constant.
    """
    if node in parameters:
        return "parameter"
    if node.op:
        return "computed"
    return "input" if node.label else "constant"


def _record_text(text: str) -> str:
    """Escape the characters that structure a Graphviz record label."""
    return re.sub(r"([\\{}|<>\"])", r"\\\1", text)


def add_record(graph, name: str, node: Value, kind: str, options: Options, label: str) -> None:
    """A Value as a record ``{ label | data | grad }`` filled with its kind's colour."""
    fields = [_record_text(label)] if label else []
    fields.append(f"data {number(node.data)}")
    if options.grad_shown is not None:
        shown = options.grad_shown(node)
        grad = options.grads.get(node, node.grad)
        fields.append(f"grad {number(grad)}" if shown else "grad ")
    text = " | ".join(fields)
    style = {"shape": "record", "style": "filled", "fillcolor": COLOURS[kind]}
    if kind == "constant":  # quiet: a dashed grey outline and grey text
        style.update(style="filled,dashed", color="#9a9a9a", fontcolor="#555555")
    if kind == "root":
        style["penwidth"] = "2"
    if node in options.highlighted_nodes:
        style.update(color=COLOURS["highlight"], penwidth="3.5")
    graph.node(name, f"{{ {text} }}", **style)  # LR: fields side by side; TB: stacked


def operation_style() -> dict[str, str]:
    """The small grey oval of an operation (``+``, ``*``, ``tanh``)."""
    return {
        "shape": "ellipse",
        "style": "filled",
        "fillcolor": COLOURS["operation"],
        "fontsize": "12",
        "height": "0.3",
    }


def lines(texts: list[str]) -> str:
    """Lines of a node's text, joined with DOT's own line break so the source stays one line."""
    return "\\n".join(texts)
