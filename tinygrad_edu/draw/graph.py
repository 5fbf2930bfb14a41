"""The graph node by node: ``draw_dot``.

Each Value is a record, each operation an oval, each edge into an operation
labelled with its local derivative.  With ``cluster=True`` the nodes a Neuron
computed sit in a box titled with the neuron, inside a box for its layer.
``collapse=True`` hands over to the collapsed picture (``collapsed.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import graphviz

from ..engine import Value, topological_order
from .collapsed import draw_collapsed
from .neurons import Neuron, consumers, find_neurons, parameters_of_models
from .style import (
    COLOURS,
    DEFAULT_MAX_NODES,
    GraphTooLargeError,
    Options,
    ShowGrad,
    add_record,
    kind_of,
    new_graph,
    number,
    operation_style,
)

COUNT_LIMIT = 200_000
"""A refusal counts the graph's Values up to this many, so it stays fast."""


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
    names: Mapping[Value, str] | None = None,
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
        names: a name to write in the record of each unlabelled node, such as
            the ``v6`` that ``explain`` and the explorer call it.

    Returns:
        A ``graphviz.Digraph``; Jupyter displays it inline, ``.source`` is its DOT.

    Raises:
        GraphTooLargeError: the graph has more than ``max_nodes`` nodes.
    """
    options = Options.check(
        root, rankdir, show_grad, edge_labels, highlight, max_nodes, dict(grads or {})
    )
    if collapse:
        return draw_collapsed(root, options, set(parameters))
    count = count_values(root, COUNT_LIMIT)
    if count > max_nodes:
        shown = count_text(count)
        raise GraphTooLargeError(
            f"the graph has {shown} Values, more than max_nodes={max_nodes:,}; "
            "draw an MLP's graph with collapse=True, or pass a larger max_nodes"
        )
    unlabelled_names = dict(names or {})
    order = topological_order(root)
    neurons = find_neurons(order)
    params = set(parameters) | parameters_of_models(order)
    params = params.union(*(n.parameters for n in neurons))
    graph = new_graph(options.rankdir)
    ids = {node: f"v{i}" for i, node in enumerate(order)}
    home = _assign_clusters(order, neurons) if cluster else {}

    def add_value(target: graphviz.Digraph, node: Value) -> None:
        kind = "root" if node is root else kind_of(node, params)
        prefix = home[node].prefix if node in home else ""  # in a Neuron's box, `w.0` will do
        label = node.label[len(prefix) :] if node.label.startswith(prefix) else node.label
        label = label or unlabelled_names.get(node, "")
        add_record(target, ids[node], node, kind, options, label)
        if node.op:
            target.node(f"{ids[node]}_op", node.op, **operation_style())

    for node in order:
        if node not in home:
            add_value(graph, node)
    _add_clusters(graph, neurons, order, home, add_value)
    if cluster:
        _keep_neurons_in_order(graph, neurons, ids, options.rankdir)
    for node in order:
        _add_edges(graph, node, ids, options)
    return graph


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


def _keep_neurons_in_order(graph, neurons: list[Neuron], ids, rankdir: str) -> None:
    """Neuron 0's box above neuron 1's (left of it top to bottom), as in the model.

    Graphviz orders the boxes of a layer to cross fewer edges; the last
    operations of a layer's neurons put on one rank, joined by invisible
    edges, fix the order instead (the ovals that make those outputs, as Graphviz cannot draw a flat
    edge to a record).  An edge within a rank points the way the rank is read: right
    with ``TB``, down with ``BT``; with ``LR`` an edge ``a -> b`` puts a *below* b.
    This holds the order of a network with one hidden layer (the README's);
    with two or more Graphviz may still swap the boxes of an early layer.
    """
    layers: dict[str, list[Neuron]] = {}
    for neuron in neurons:
        if neuron.layer is not None and len(neuron.outs) == 1:
            layers.setdefault(neuron.layer, []).append(neuron)
    for in_layer in layers.values():
        outs = [f"{ids[n.outs[0]]}_op" for n in sorted(in_layer, key=lambda n: n.index)]
        if len(outs) < 2:
            continue
        graph.attr(newrank="true", remincross="false")  # a second round would undo it
        with graph.subgraph() as rank:
            rank.attr(rank="same")
            for first, second in zip(outs, outs[1:]):
                pair = (second, first) if rankdir in ("LR", "BT") else (first, second)
                rank.edge(*pair, style="invis")


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


def _add_edges(graph, node: Value, names: dict[Value, str], options: Options) -> None:
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
