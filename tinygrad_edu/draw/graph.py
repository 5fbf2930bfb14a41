"""Drawing computation graphs with Graphviz: ``draw_dot`` and ``render``.

Every Value is a record ``{ label | data | grad }``; every operation is its own
small oval between its inputs and its output; every input edge carries the
local derivative ∂output/∂input, so the chain rule can be read off the picture:

    grad(input) += local derivative × grad(output)

Colour key (fill colours; a highlight is an outline, so it shows on any fill):

=============  ===========  ===============================================
kind           colour       which nodes
=============  ===========  ===============================================
input          light blue   leaves that are not parameters (data you feed in)
parameter      light orange weights and biases (``w.i`` and ``b`` of a Neuron,
                            or the Values passed as ``parameters``)
root           light green  the Value you called ``draw_dot`` on
computed       white        every other Value
operation      light grey   the small ovals: ``+``, ``*``, ``tanh``, ...
highlighted    red outline  Values and edges passed in ``highlight``
=============  ===========  ===============================================

In the collapsed picture (``collapse=True``) a weight is an edge coloured
blue when positive and orange when negative, thicker the larger ``|w|`` is.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import graphviz

from .engine import Value, topological_order

DEFAULT_MAX_NODES = 1000
"""How many Values ``draw_dot`` draws node by node before it refuses.

A thousand Values (about two thousand drawn nodes with their operations) is
already more than a projector can show; Graphviz lays it out in a few seconds.
"""

COUNT_LIMIT = 200_000
"""A refusal counts the graph's Values up to this many, so it stays fast."""

COLOURS = {
    "input": "#dbe9f6",
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
WEIGHT_LABEL_LIMIT = 16  # collapsed pictures label weights only when there are this few

ShowGrad = bool | Callable[[Value], bool] | Collection[Value]

_NEURON_OUT = re.compile(r"(|.*\.)out")
_NEURON_PARAMETER = re.compile(r"(|.*\.)(?:w\.(\d+)|b)")
_LAYER_OF_NEURON = re.compile(r"(|.*\.)neurons\.(\d+)\.")


class GraphTooLargeError(ValueError):
    """The graph has more nodes than ``max_nodes``."""


class GraphvizNotFoundError(RuntimeError):
    """Graphviz's ``dot`` program is not installed."""


# ---------------------------------------------------------------- public API


def draw_dot(
    root: Value,
    *,
    rankdir: str = "LR",
    show_grad: ShowGrad = True,
    edge_labels: bool = True,
    highlight: Iterable[Value | tuple] = (),
    cluster: bool = True,
    collapse: bool = False,
    max_nodes: int = DEFAULT_MAX_NODES,
    parameters: Iterable[Value] = (),
    grads: Mapping[Value, float] | None = None,
) -> graphviz.Digraph:
    """Draw the computation graph that ends in ``root``.

    Each edge ``input → op`` is labelled with the local derivative
    ∂output/∂input, so that ``grad(input) = Σ local × grad(output)`` over the
    edges leaving ``input`` can be checked by eye.

    Args:
        root: the Value whose graph to draw (usually the loss).
        rankdir: ``"LR"`` (inputs on the left), ``"TB"``, ``"RL"`` or ``"BT"``.
        show_grad: True or False for every node, or per node: a set of Values
            or a function ``Value -> bool``; a node whose gradient is hidden
            shows an empty ``grad`` field (as in a backward pass not yet there).
        edge_labels: write each edge's local derivative on it.
        highlight: Values, and edges given as ``(output, input)`` pairs (a
            ``BackwardStep`` is one), drawn with a thick red outline.
        cluster: group each Neuron's nodes in a box, and neurons in their layer.
        collapse: draw each Neuron as one node and its weights as edges between
            layers (blue positive, orange negative, thicker when larger).
        max_nodes: refuse, quickly, to draw more nodes than this.
        parameters: Values to colour as parameters besides those a Neuron
            labelled (``...w.i``, ``...b``).
        grads: the gradient to write on each node instead of its ``.grad``
            (e.g. a pass computed on the side); nodes it lacks show ``.grad``.

    Returns:
        A ``graphviz.Digraph``; Jupyter displays it inline, ``.source`` is its DOT.

    Raises:
        GraphTooLargeError: the graph has more than ``max_nodes`` nodes.
    """
    options = _Options.check(root, rankdir, show_grad, edge_labels, highlight, max_nodes)
    options = replace(options, grads=dict(grads or {}))
    if collapse:
        return _draw_collapsed(root, options, set(parameters))
    count = _count_values(root, COUNT_LIMIT)
    if count > max_nodes:
        shown = f"{count:,}" if count < COUNT_LIMIT else f"more than {COUNT_LIMIT:,}"
        raise GraphTooLargeError(
            f"the graph has {shown} Values, more than max_nodes={max_nodes:,}; "
            "draw an MLP's graph with collapse=True, or pass a larger max_nodes"
        )
    order = topological_order(root)
    neurons = _find_neurons(order)
    params = set(parameters).union(*(n.parameters for n in neurons))
    graph = _new_graph(options.rankdir)
    names = {node: f"v{i}" for i, node in enumerate(order)}
    home = _assign_clusters(order, neurons) if cluster else {}

    def add_value(target: graphviz.Digraph, node: Value) -> None:
        kind = "root" if node is root else _kind(node, params)
        prefix = home.get(node, "")  # inside a Neuron's box, `w.0` says enough
        label = node.label[len(prefix) :] if node.label.startswith(prefix) else node.label
        _add_record(target, names[node], node, kind, options, label)
        if node.op:
            target.node(f"{names[node]}_op", node.op, **_op_style())

    for node in order:
        if node not in home:
            add_value(graph, node)
    _add_clusters(graph, neurons, order, home, add_value)
    for node in order:
        _add_edges(graph, node, names, options)
    return graph


def render(
    root: Value | graphviz.Digraph, path: str | os.PathLike, format: str | None = None, **options
) -> Path:
    """Write a picture of ``root``'s graph to ``path`` and return the path.

    The format comes from the suffix (``.svg``, ``.png``, ``.pdf``, or ``.dot``
    for the DOT text, which needs no Graphviz) unless ``format`` names one.
    ``root`` may be a Value (drawn with ``draw_dot(root, **options)``) or a
    Digraph already drawn. The file is replaced in one step, so a failure
    never leaves half a picture behind.

    Raises:
        ValueError: an unknown format.
        GraphvizNotFoundError: ``dot`` is missing (the ``.dot`` format still works).
    """
    path = Path(path)
    chosen = (format or path.suffix.lstrip(".")).lower()
    chosen = {"gv": "dot"}.get(chosen, chosen)
    if chosen not in ("svg", "png", "pdf", "dot"):
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
        try:
            data = graph.pipe(format=chosen)
        except graphviz.ExecutableNotFound:
            raise GraphvizNotFoundError(
                "Graphviz's `dot` program is not installed: install it with "
                "`apt-get install graphviz` (Debian/Ubuntu) or `brew install graphviz` "
                "(macOS); writing a .dot file works without it"
            ) from None
    _write_atomically(path, data)
    return path


# ---------------------------------------------------------------- options


@dataclass(frozen=True)
class _Options:
    rankdir: str
    grad_shown: Callable[[Value], bool]
    edge_labels: bool
    highlighted_nodes: frozenset
    highlighted_edges: frozenset  # (output, input) pairs
    max_nodes: int
    grads: dict = field(default_factory=dict)  # gradients to write instead of .grad

    @staticmethod
    def check(root, rankdir, show_grad, edge_labels, highlight, max_nodes) -> _Options:
        if not isinstance(root, Value):
            raise TypeError(f"draw_dot needs a Value, got {type(root).__name__}")
        if rankdir not in RANKDIRS:
            raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}; got {rankdir!r}")
        if not isinstance(max_nodes, int) or isinstance(max_nodes, bool) or max_nodes < 1:
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
        return _Options(
            rankdir,
            _grad_rule(show_grad),
            bool(edge_labels),
            frozenset(nodes),
            frozenset(edges),
            max_nodes,
        )


def _both_values(pair: tuple) -> bool:
    return all(isinstance(v, Value) for v in pair)


def _grad_rule(show_grad: ShowGrad) -> Callable[[Value], bool]:
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


# ---------------------------------------------------------------- counting


def _count_values(root: Value, limit: int) -> int:
    """How many Values ``root`` depends on (itself included), counting at most ``limit``."""
    seen = {root}
    stack = [root]
    while stack and len(seen) < limit:
        for inp in stack.pop().inputs:
            if inp not in seen:
                seen.add(inp)
                stack.append(inp)
    return len(seen)


# ---------------------------------------------------------------- neurons


@dataclass
class _Neuron:
    """What the graph shows of one Neuron: its outputs (one per call) and parameters."""

    prefix: str  # "layers.0.neurons.1." or "" for a standalone Neuron
    outs: list[Value]
    weights: dict[int, Value] = field(default_factory=dict)
    bias: Value | None = None

    @property
    def parameters(self) -> list[Value]:
        bias = [] if self.bias is None else [self.bias]
        return [self.weights[i] for i in sorted(self.weights)] + bias

    @property
    def activation(self) -> str:
        op = self.outs[0].op
        return op if op in ("tanh", "relu", "sigmoid") else "linear"

    @property
    def layer(self) -> str | None:
        """The layer's prefix (``"layers.0."``; ``""`` for a standalone Layer), or None."""
        match = _LAYER_OF_NEURON.fullmatch(self.prefix)
        return None if match is None else match[1]

    @property
    def title(self) -> str:
        match = _LAYER_OF_NEURON.fullmatch(self.prefix)
        name = f"neuron {match[2]}" if match else "neuron"
        return f"{name} · {self.activation}"


def _find_neurons(order: list[Value]) -> list[_Neuron]:
    """The Neurons in a graph, found by the labels ``nn`` gives their outputs and parameters.

    A Neuron labels its output ``<prefix>out`` and its parameters ``<prefix>w.i``
    and ``<prefix>b``; a label ``out`` without such parameters is not a Neuron.
    """
    neurons: dict[str, _Neuron] = {}
    for node in order:
        match = _NEURON_OUT.fullmatch(node.label) if node.op else None
        if match:
            neurons.setdefault(match[1], _Neuron(match[1], [])).outs.append(node)
    for node in order:
        match = _NEURON_PARAMETER.fullmatch(node.label) if not node.op else None
        if match and match[1] in neurons:
            neuron = neurons[match[1]]
            if match[2] is None:
                neuron.bias = node
            else:
                neuron.weights[int(match[2])] = node
    return [n for n in neurons.values() if n.parameters]


def _consumers(order: list[Value]) -> dict[Value, list[Value]]:
    """For each node, the nodes that use it, in topological order."""
    users: dict[Value, list[Value]] = {}
    for node in order:
        for inp in node.inputs:
            users.setdefault(inp, []).append(node)
    return users


def _neuron_nodes(neuron: _Neuron, users: dict[Value, list[Value]]) -> set[Value]:
    """The nodes a Neuron computed: those on a path from its parameters to its outputs."""
    outs = set(neuron.outs)
    downstream = set(neuron.parameters)
    stack = list(downstream)
    while stack:
        node = stack.pop()
        if node in outs:
            continue
        for user in users.get(node, ()):
            if user not in downstream:
                downstream.add(user)
                stack.append(user)
    members = {out for out in neuron.outs if out in downstream}
    stack = list(members)
    while stack:
        for inp in stack.pop().inputs:
            if inp in downstream and inp not in members:
                members.add(inp)
                stack.append(inp)
    return members


def _assign_clusters(order: list[Value], neurons: list[_Neuron]) -> dict[Value, str]:
    """Which Neuron (by prefix) each node belongs to; nodes of no Neuron are left out."""
    users = _consumers(order)
    home: dict[Value, str] = {}
    for neuron in neurons:
        for node in _neuron_nodes(neuron, users):
            home.setdefault(node, neuron.prefix)
    return home


def _add_clusters(graph, neurons, order, home, add_value) -> None:
    """One cluster per Neuron holding its nodes, inside one cluster per Layer."""
    members: dict[str, list[Value]] = {}
    for node in order:
        if node in home:
            members.setdefault(home[node], []).append(node)
    layers: dict[str | None, list[_Neuron]] = {}
    for neuron in neurons:
        if neuron.prefix in members:
            layers.setdefault(neuron.layer, []).append(neuron)
    for layer_index, (layer, in_layer) in enumerate(layers.items()):
        if layer is None:
            for neuron in in_layer:
                _add_neuron_cluster(graph, neuron, members[neuron.prefix], add_value)
            continue
        with graph.subgraph(name=f"cluster_layer{layer_index}") as box:
            box.attr(
                label=layer.rstrip(".") or "layer",
                style="rounded,filled",
                fillcolor=COLOURS["layer"],
                color="#999999",
            )
            for neuron in in_layer:
                _add_neuron_cluster(box, neuron, members[neuron.prefix], add_value)


def _add_neuron_cluster(graph, neuron: _Neuron, nodes: list[Value], add_value) -> None:
    name = _identifier(neuron.prefix) or "neuron"
    with graph.subgraph(name=f"cluster_{name}") as box:
        box.attr(
            label=neuron.title,
            style="rounded,filled",
            fillcolor=COLOURS["neuron"],
            color="#777777",
        )
        for node in nodes:
            add_value(box, node)


# ---------------------------------------------------------------- nodes and edges


def _new_graph(rankdir: str, nodesep: str = "0.25", ranksep: str = "0.45") -> graphviz.Digraph:
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


def _kind(node: Value, parameters: set[Value]) -> str:
    if node in parameters:
        return "parameter"
    return "computed" if node.op else "input"


def number(x: float) -> str:
    """A number as the pictures show it: four significant digits, no ``-0``."""
    if x == 0:
        return "0"
    return format(x, ".4g")


def _record_text(text: str) -> str:
    """Escape the characters that structure a Graphviz record label."""
    return re.sub(r"([\\{}|<>\"])", r"\\\1", text)


def _add_record(graph, name, node: Value, kind: str, options: _Options, label: str) -> None:
    fields = [_record_text(label)] if label else []
    fields.append(f"data {number(node.data)}")
    if options.grad_shown is not None:
        shown = options.grad_shown(node)
        grad = options.grads.get(node, node.grad)
        fields.append(f"grad {number(grad)}" if shown else "grad ")
    text = " | ".join(fields)
    style = {"shape": "record", "style": "filled", "fillcolor": COLOURS[kind]}
    if kind == "root":
        style["penwidth"] = "2"
    if node in options.highlighted_nodes:
        style.update(color=COLOURS["highlight"], penwidth="3.5")
    graph.node(name, f"{{ {text} }}" if options.rankdir in ("LR", "RL") else text, **style)


def _op_style() -> dict[str, str]:
    return {
        "shape": "ellipse",
        "style": "filled",
        "fillcolor": COLOURS["operation"],
        "fontsize": "12",
        "height": "0.3",
    }


def _add_edges(graph, node: Value, names: dict[Value, str], options: _Options) -> None:
    if not node.op:
        return
    op_name = f"{names[node]}_op"
    for inp, local in zip(node.inputs, node.local_grads):
        style = {}
        if options.edge_labels:
            style["label"] = number(local)
        if (node, inp) in options.highlighted_edges:
            style.update(color=COLOURS["highlight"], penwidth="3.5", fontcolor=COLOURS["highlight"])
        graph.edge(names[inp], op_name, **style)
    graph.edge(op_name, names[node])


# ---------------------------------------------------------------- collapsed MLP picture


def _draw_collapsed(root: Value, options: _Options, parameters: set[Value]) -> graphviz.Digraph:
    """Each Neuron one node, each weight one edge, the inputs a layer of their own."""
    order = topological_order(root)
    neurons = _find_neurons(order)
    if not neurons:
        raise ValueError(
            "collapse=True draws the Neurons of a Neuron, Layer or MLP, and this graph has "
            "none (no node labelled '<name>out' computed from parameters '<name>w.i')"
        )
    users = _consumers(order)
    neuron_of_out = {out: n.prefix for n in neurons for out in n.outs}
    inputs: dict[Value, str] = {}
    wires = []  # (source node name, neuron prefix, weight)
    fed = set()  # prefixes of the neurons whose output another neuron reads
    for neuron in neurons:
        for index in sorted(neuron.weights):
            weight = neuron.weights[index]
            source = _weighted_input(weight, users)
            if source is None:
                continue
            if source in neuron_of_out:
                fed.add(neuron_of_out[source])
                wires.append((_neuron_node(neuron_of_out[source]), neuron.prefix, weight))
            else:
                name = inputs.setdefault(source, f"input{len(inputs)}")
                wires.append((name, neuron.prefix, weight))
    drawn = len(neurons) + len(inputs) + (root not in neuron_of_out)
    if drawn > options.max_nodes:
        raise GraphTooLargeError(
            f"the collapsed picture has {drawn:,} nodes, more than max_nodes={options.max_nodes:,}"
        )
    graph = _new_graph(options.rankdir, nodesep="0.3", ranksep="1.2")
    _add_input_layer(graph, inputs, parameters, options)
    _add_neuron_layers(graph, neurons, root, options)
    largest = max((abs(w.data) for _, _, w in wires), default=0.0) or 1.0
    label_weights = options.edge_labels and len(wires) <= WEIGHT_LABEL_LIMIT
    for source, prefix, weight in wires:
        colour = COLOURS["positive"] if weight.data >= 0 else COLOURS["negative"]
        style = {
            "color": colour,
            "penwidth": f"{0.6 + 4.4 * abs(weight.data) / largest:.2f}",
            "arrowsize": "0.6",
            "tooltip": f"{weight.label} = {number(weight.data)}, grad {number(weight.grad)}",
        }
        if label_weights:
            style.update(label=number(weight.data), fontcolor=colour)
        if weight in options.highlighted_nodes:
            style.update(color=COLOURS["highlight"], fontcolor=COLOURS["highlight"])
        graph.edge(source, _neuron_node(prefix), **style)
    if root not in neuron_of_out:
        _add_root_summary(graph, root, [n for n in neurons if n.prefix not in fed], options)
    return graph


def _lines(lines: list[str]) -> str:
    """Lines of a node's text, joined with DOT's own line break so the source stays one line."""
    return "\\n".join(lines)


def _weighted_input(weight: Value, users: dict[Value, list[Value]]) -> Value | None:
    """The x multiplied by the weight w in ``w * x`` (its first use)."""
    for user in users.get(weight, ()):
        if user.op == "*":
            a, b = user.inputs
            return b if a is weight else a
    return None


def _neuron_node(prefix: str) -> str:
    """A Neuron's node name in the collapsed picture: ``neuron_layers_0_neurons_1``."""
    return "neuron_" + _identifier(prefix) if prefix else "neuron"


def _identifier(prefix: str) -> str:
    return re.sub(r"\W", "_", prefix.rstrip("."))


def _add_input_layer(graph, inputs: dict[Value, str], parameters, options: _Options) -> None:
    with graph.subgraph(name="cluster_inputs") as box:
        box.attr(label="input", style="rounded", color="#999999")
        for node, name in inputs.items():
            kind = "parameter" if node in parameters else "input"
            lines = [node.label] if node.label else []
            lines.append(number(node.data))
            fill = COLOURS[kind]
            box.node(name, _lines(lines), shape="circle", style="filled", fillcolor=fill)


def _add_neuron_layers(graph, neurons: list[_Neuron], root: Value, options: _Options) -> None:
    layers: dict[str | None, list[_Neuron]] = {}
    for neuron in neurons:
        layers.setdefault(neuron.layer, []).append(neuron)
    count = len(layers)
    for index, in_layer in enumerate(layers.values()):
        title = "output layer" if index == count - 1 else f"hidden layer {index + 1}"
        with graph.subgraph(name=f"cluster_layer{index}") as box:
            box.attr(label=title, style="rounded", color="#999999")
            for neuron in in_layer:
                _add_neuron_node(box, neuron, root, options)


def _add_neuron_node(graph, neuron: _Neuron, root: Value, options: _Options) -> None:
    lines = [neuron.activation]
    if len(neuron.outs) == 1:
        out = neuron.outs[0]
        lines.append(number(out.data))
        if options.grad_shown is not None:
            lines.append(f"grad {number(out.grad)}" if options.grad_shown(out) else "grad")
    else:
        lines.append(f"{len(neuron.outs)} calls")
    is_root = any(out is root for out in neuron.outs)
    style = {
        "shape": "circle",
        "width": "1.5",
        "fixedsize": "true",
        "style": "filled",
        "fillcolor": COLOURS["root" if is_root else "computed"],
        "tooltip": f"{neuron.prefix.rstrip('.') or 'neuron'}: bias "
        + (number(neuron.bias.data) if neuron.bias is not None else "none"),
    }
    if any(out in options.highlighted_nodes for out in neuron.outs):
        style.update(color=COLOURS["highlight"], penwidth="3.5")
    graph.node(_neuron_node(neuron.prefix), _lines(lines), **style)


def _add_root_summary(graph, root: Value, last: list[_Neuron], options: _Options) -> None:
    """The root past the network (a loss, say), fed by the neurons no other neuron reads."""
    _add_record(graph, "root", root, "root", options, root.label)
    for neuron in last:
        graph.edge(_neuron_node(neuron.prefix), "root", style="dashed", color="#777777")


# ---------------------------------------------------------------- files


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file next to ``path``, then move it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------- backward frames


def backward_frames(root: Value, folder: str | os.PathLike, *, cluster: bool = True) -> list[Path]:
    """Write one SVG per edge of ``root``'s backward pass into ``folder``; return the paths.

    Frame j (``step_1.svg``, ``step_2.svg``, …) shows every value, the
    gradients the first j edges have carried (``grad(input) += local ×
    grad(output)``), the others still empty, and edge j in red; all frames
    share one layout, so a teacher can click through them on slides.  The
    pass is replayed on the side: no ``.grad`` changes.
    """
    from tqdm import tqdm

    from .explain import Walkthrough
    from .frames import GraphPicture, backward_states

    walk = Walkthrough.of(root)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if not walk.steps:
        return []
    picture = GraphPicture(walk, cluster=cluster)
    states = list(backward_states(walk))[1:]  # one per edge, after the start
    digits = len(str(len(states)))
    paths = []
    for number, state in enumerate(tqdm(states, desc="frames", disable=len(states) < 100), 1):
        path = folder / f"step_{number:0{digits}d}.svg"
        path.write_text(picture.frame(state), encoding="utf-8")
        paths.append(path)
    return paths
