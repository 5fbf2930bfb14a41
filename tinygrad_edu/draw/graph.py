"""The graph node by node: ``draw_dot``.

Each Value is a record, each operation an oval, each edge into an operation
labelled with its local derivative.  With ``cluster=True`` the nodes a Neuron
computed sit in a box titled with the neuron, inside a box for its layer.
``collapse=True`` hands over to the collapsed picture (``collapsed.py``);
``focus`` draws only the part of the graph near some nodes (``focus.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import graphviz

from ..engine import Value, topological_order
from .collapsed import draw_collapsed
from .focus import focus_nodes, nearby
from .neurons import Neuron, consumers, find_neurons, parameters_of_models
from .notebook import Drawing
from .style import (
    COLOURS,
    CUT_STYLE,
    DEFAULT_MAX_NODES,
    GraphTooLargeError,
    Options,
    ShowGrad,
    add_record,
    derivative_style,
    kind_of,
    new_graph,
    number,
    operation_style,
)

COUNT_LIMIT = 200_000
"""A refusal counts the graph's Values up to this many, so it stays fast."""


def draw_dot(
    root: Value,
    format: str = "svg",
    rankdir: str = "LR",
    *,
    show_grad: ShowGrad = True,
    edge_labels: bool | str = True,
    highlight: Iterable[Value | tuple] = (),
    cluster: bool = True,
    collapse: bool = False,
    focus: Value | Iterable[Value] | None = None,
    depth: int = 1,
    max_nodes: int = DEFAULT_MAX_NODES,
    parameters: Iterable[Value] = (),
    grads: Mapping[Value, float] | None = None,
    names: Mapping[Value, str] | None = None,
) -> Drawing:
    """Draw the computation graph that ends in ``root``.

    Each edge ``input → op`` is labelled with the local derivative
    ∂output/∂input, so that ``grad(input) = Σ local × grad(output)`` over the
    edges leaving ``input`` can be checked by eye.

    Args:
        root: the Value whose graph to draw (usually the loss).
        format: the format ``.render()`` writes (``"svg"``, ``"png"``, ``"pdf"``, ...),
            as in micrograd's ``draw_dot(root, format="svg", rankdir="LR")``.
        rankdir: ``"LR"`` (inputs on the left), ``"TB"``, ``"RL"`` or ``"BT"``.
        show_grad: True or False for every node, or per node: a set of Values
            or a function ``Value -> bool``; a node whose gradient is hidden
            shows an empty ``grad`` field (as in a backward pass not yet there).
        edge_labels: write each edge's local derivative on it (True or ``"on"``),
            beside it as Graphviz places edge labels (``"beside"``), or not (False).
        highlight: Values, and edges given as ``(output, input)`` pairs (a
            ``BackwardStep`` is one), drawn with a thick red outline.
        cluster: group each Neuron's nodes in a box, and neurons in their layer.
        collapse: draw each Neuron as one node and its weights as edges between
            layers (blue positive, orange negative, thicker when larger).
        focus: draw only the Values within ``depth`` edges of these (a Value or
            several), counting edges either way; a ``⋯`` marks each edge cut off.
        depth: how many edges from ``focus`` to draw (0: the focus nodes alone).
        max_nodes: refuse, quickly, to draw more Values than this.
        parameters: Values to colour as parameters besides a model's own
            (the ``Parameter``s of ``nn``, and leaves labelled ``...w.i``, ``...b``).
        grads: the gradient to write on each node instead of its ``.grad``
            (e.g. a pass computed on the side); nodes it lacks show ``.grad``.
        names: a name to write in the record of each unlabelled node, such as
            the ``v6`` that ``explain`` and the explorer call it.

    Returns:
        A ``Drawing``: a ``graphviz.Digraph`` (``.source`` is its DOT text) that a
        notebook shows fitted to the width of its output area, root in view.

    Raises:
        GraphTooLargeError: the graph (or its focused part) has more than ``max_nodes`` Values.
    """
    options = Options.check(
        root, rankdir, show_grad, edge_labels, highlight, max_nodes, dict(grads or {})
    )
    if format not in graphviz.FORMATS:
        raise ValueError(f"format must be a Graphviz format (svg, png, pdf, ...), not {format!r}")
    if collapse:
        if focus is not None:
            raise ValueError("focus draws part of the node-by-node graph; drop collapse=True")
        return draw_collapsed(root, options, set(parameters), format)
    if focus is None:
        _refuse_if_too_large(root, max_nodes)
        order = topological_order(root)
        shown = set(order)
    else:
        order = topological_order(root)
        shown = nearby(order, focus_nodes(focus, order), depth)
        if len(shown) > max_nodes:
            raise GraphTooLargeError(
                f"the focused part has {len(shown):,} Values, more than max_nodes={max_nodes:,}; "
                "draw fewer focus nodes, a smaller depth, or pass a larger max_nodes"
            )
    unlabelled_names = dict(names or {})
    neurons = find_neurons(order)
    params = set(parameters) | parameters_of_models(order)
    params = params.union(*(n.parameters for n in neurons))
    graph = new_graph(options.rankdir, format=format)
    # each operation's inputs in the order of its operands: a before b in a * b, and so a
    # Neuron's weights in order, w.0 before w.1, and its neurons in order in their layer
    graph.graph_attr["ordering"] = "in"
    ids = {node: f"v{i}" for i, node in enumerate(order)}
    home = _assign_clusters(order, neurons) if cluster else {}

    def add_value(target: Drawing, node: Value) -> None:
        kind = "root" if node is root else kind_of(node, params)
        prefix = home[node].prefix if node in home else ""  # in a Neuron's box, `w.0` will do
        label = node.label[len(prefix) :] if node.label.startswith(prefix) else node.label
        label = label or unlabelled_names.get(node, "")
        add_record(target, ids[node], node, kind, options, label)
        if node.op:
            target.node(f"{ids[node]}_op", node.op, **operation_style())
            if options.edge_labels == "on":
                for i, (inp, local) in enumerate(zip(node.inputs, node.local_grads)):
                    lit = (node, inp) in options.highlighted_edges
                    target.node(f"{ids[node]}_in{i}", number(local), **derivative_style(lit))

    drawn = [node for node in order if node in shown]
    for node in drawn:
        if node not in home:
            add_value(graph, node)
    _add_clusters(graph, neurons, drawn, home, add_value)
    for node in drawn:
        _add_edges(graph, node, ids, options, shown)
    if focus is not None:
        _mark_cut_uses(graph, drawn, ids, shown, consumers(order))
    return graph


def _refuse_if_too_large(root: Value, max_nodes: int) -> None:
    count = count_values(root, COUNT_LIMIT)
    if count > max_nodes:
        raise GraphTooLargeError(
            f"the graph has {count_text(count)} Values, more than max_nodes={max_nodes:,}; "
            "draw an MLP's graph with collapse=True, or pass a larger max_nodes"
        )


# ---------------------------------------------------------------- counting


def count_values(root: Value, limit: int) -> int:
    """How many Values ``root`` depends on (itself included), counting at most ``limit``."""
    seen = {root}
    stack = [root]
    while stack and len(seen) < limit:
        for inp in stack.pop().inputs:
            if inp not in seen:
                seen.add(inp)
                stack.append(inp)
    return len(seen)


def count_text(count: int) -> str:
    """A count from ``count_values(root, COUNT_LIMIT)`` as a message states it."""
    return f"{count:,}" if count < COUNT_LIMIT else f"more than {COUNT_LIMIT:,}"


# ---------------------------------------------------------------- neuron boxes


def _neuron_nodes(neuron: Neuron, users: dict[Value, list[Value]]) -> set[Value]:
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


def _assign_clusters(order: list[Value], neurons: list[Neuron]) -> dict[Value, Neuron]:
    """Which Neuron each node belongs to; nodes of no Neuron are left out."""
    users = consumers(order)
    home: dict[Value, Neuron] = {}
    for neuron in neurons:
        for node in _neuron_nodes(neuron, users):
            home.setdefault(node, neuron)
    return home


def _add_clusters(graph, neurons, order, home, add_value) -> None:
    """One cluster per Neuron holding its nodes, inside one cluster per Layer."""
    members: dict[str, list[Value]] = {}
    for node in order:
        if node in home:
            members.setdefault(home[node].name, []).append(node)
    layers: dict[str | None, list[Neuron]] = {}
    for neuron in neurons:
        if neuron.name in members:
            layers.setdefault(neuron.layer, []).append(neuron)
    for layer_index, (layer, in_layer) in enumerate(layers.items()):
        if layer is None:
            for neuron in in_layer:
                _add_neuron_cluster(graph, neuron, members[neuron.name], add_value)
            continue
        with graph.subgraph(name=f"cluster_layer{layer_index}") as box:
            box.attr(
                label=layer.rstrip(".") or "layer",
                style="rounded,filled",
                fillcolor=COLOURS["layer"],
                color="#999999",
            )
            for neuron in in_layer:
                _add_neuron_cluster(box, neuron, members[neuron.name], add_value)


def _add_neuron_cluster(graph, neuron: Neuron, nodes: list[Value], add_value) -> None:
    with graph.subgraph(name=f"cluster_{neuron.name}") as box:
        box.attr(
            label=neuron.title,
            style="rounded,filled",
            fillcolor=COLOURS["neuron"],
            color="#777777",
        )
        for node in nodes:
            add_value(box, node)


# ---------------------------------------------------------------- edges


def _add_edges(graph, node: Value, names: dict[Value, str], options: Options, shown) -> None:
    """The edges into ``node``'s operation, each with its local derivative, and the one out.

    With ``edge_labels="on"`` an edge runs input → derivative → operation, its number
    a node of its own on the line.  An input that ``focus`` left out is a ``⋯``.
    """
    if not node.op:
        return
    op_name = f"{names[node]}_op"
    for i, (inp, local) in enumerate(zip(node.inputs, node.local_grads)):
        style = {}
        if (node, inp) in options.highlighted_edges:
            style.update(color=COLOURS["highlight"], penwidth="3.5", fontcolor=COLOURS["highlight"])
        tail = names[inp]
        if inp not in shown:
            tail = f"{names[node]}_cut{i}"
            graph.node(tail, tooltip=f"input not drawn: {inp.label or names[inp]}", **CUT_STYLE)
            style["style"] = "dashed"
        if options.edge_labels == "on":
            on_edge = f"{names[node]}_in{i}"
            graph.edge(tail, on_edge, arrowhead="none", **style)
            style.pop("style", None)
            graph.edge(on_edge, op_name, **style)
            continue
        if options.edge_labels == "beside":
            style["label"] = number(local)
        graph.edge(tail, op_name, **style)
    graph.edge(op_name, names[node])


def _mark_cut_uses(graph, drawn, names, shown, users) -> None:
    """A ``⋯`` after each drawn node that ``focus`` left some of its uses out of."""
    for node in drawn:
        hidden = [user for user in users.get(node, ()) if user not in shown]
        if hidden:
            marker = f"{names[node]}_more"
            uses = "1 more use" if len(hidden) == 1 else f"{len(hidden)} more uses"
            graph.node(marker, tooltip=f"not drawn: {uses}", **CUT_STYLE)
            graph.edge(names[node], marker, style="dashed")
