"""What every picture shares: colours, the drawing options, size limits and how a Value looks."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from ..checks import is_whole
from ..engine import Value
from ..formatting import PICTURE_DIGITS, format_number
from .notebook import ROOT_ID, Drawing

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

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
"""The namespace every SVG the pictures write declares (and Graphviz's carry)."""

FADED = "0.25"
"""The opacity of what a frame's forward pass has not computed yet."""

EDGE_LABELS = ("on", "beside")
"""Where an edge's local derivative is written: on the edge, which it interrupts, or beside it.

``"on"`` (``edge_labels=True``) puts the number on its edge as a small node
of its own, so the line runs into the number and out of it: two edges that
cross can never swap their numbers.  ``"beside"`` is Graphviz's own edge
label, next to the middle of the edge, inside the edge's SVG group, where the
explorer's script and the frames look for it.
"""

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
    edge_labels: str  # "on", "beside", or "" for none
    highlighted_nodes: frozenset
    highlighted_edges: frozenset  # (output, input) pairs
    max_nodes: int
    grads: dict = field(default_factory=dict)  # gradients to write instead of .grad

    @staticmethod
    def check(
        root: Value,
        rankdir: str,
        show_grad: ShowGrad,
        edge_labels: bool | str,
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
        if isinstance(edge_labels, bool):
            edge_labels = "on" if edge_labels else ""
        elif edge_labels not in EDGE_LABELS:
            raise ValueError(
                f"edge_labels must be True, False, 'on' or 'beside'; got {edge_labels!r}"
            )
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
            edge_labels,
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


def new_graph(
    rankdir: str, nodesep: str = "0.15", ranksep: str = "0.25", format: str = "svg"
) -> Drawing:
    """An empty Drawing with the house fonts and spacing (``format`` for its ``.render()``).

    Spacing is tight and records are narrow, so that a lecture's graph fits a
    notebook's output area with its text still large: every gap costs width
    that the text would otherwise get when the picture is shrunk to fit.
    """
    return Drawing(
        "computation_graph",
        format=format,
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
    # margin and height: a record as narrow and low as its text allows
    style = {
        "shape": "record",
        "style": "filled",
        "fillcolor": COLOURS[kind],
        "margin": "0.06,0.02",
        "height": "0.2",
    }
    if kind == "constant":  # quiet: a dashed grey outline and grey text
        style.update(style="filled,dashed", color="#9a9a9a", fontcolor="#555555")
    if kind == "root":
        style.update(penwidth="2", id=ROOT_ID)  # the id: for the notebook to keep it in view
    if node in options.highlighted_nodes:
        style.update(color=COLOURS["highlight"], penwidth="3.5")
    # label over data over grad, whatever the direction: Graphviz stacks a record's fields
    # when the ranks run across (LR, RL), and braces turn them when the ranks run down
    stacked = options.rankdir in ("LR", "RL")
    graph.node(name, text if stacked else f"{{ {text} }}", **style)


def operation_style() -> dict[str, str]:
    """The small grey oval of an operation (``+``, ``*``, ``tanh``)."""
    return {
        "shape": "ellipse",
        "style": "filled",
        "fillcolor": COLOURS["operation"],
        "fontsize": "12",
        "height": "0.25",
        "width": "0.3",
        "margin": "0.02",
    }


def derivative_style(highlighted: bool = False) -> dict[str, str]:
    """A local derivative written on its edge: bare text that the edge runs into and out of."""
    style = {"shape": "plaintext", "fontsize": "12", "margin": "0.03,0.01"}
    style.update(width="0", height="0")  # as small as the number
    if highlighted:
        style["fontcolor"] = COLOURS["highlight"]
    return style


CUT_STYLE = {"label": "⋯", "shape": "plaintext", "fontcolor": "#777777", "fontsize": "14"}
"""Where ``focus`` cut the graph: an input or a use that is not drawn."""


def lines(texts: list[str]) -> str:
    """Lines of a node's text, joined with DOT's own line break so the source stays one line."""
    return "\\n".join(texts)
