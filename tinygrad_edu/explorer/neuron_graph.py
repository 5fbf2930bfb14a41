"""One neuron's node-level graph, opened from the network view: its part of both passes.

The neuron's Values (its products ``w·a``, the sums that add them to the bias,
z and a) are drawn with its inputs and parameters as leaves, so the picture
stops where the neuron does.  ``draw_dot`` draws the graph a Value ends, so
the neuron is rebuilt from copies of those leaves with the same operations,
which give the same floats (the numbers on the copies' edges are the
original's local derivatives); its short names label the copies.

Its steps are the network's, restricted to the neuron: the forward pass node
by node, then the backward pass from ∂L/∂a (which arrives from the layers
above) edge by edge, with the numbers of ``backward()``'s own steps.  An input
of the neuron gets this neuron's share of its gradient: the rest comes from
the other neurons that read it.

The picture is ``draw.neuron_picture``'s: a row per input (the weight over
the input, their ``*``, the product) added up along a rail of ``+`` into z,
in as many columns as show its text largest on a 1,280 × 800 screen, so a
neuron of 16 inputs fits whole at more than 12 px.  A sum that is not such a
chain (a graph labelled by hand) is laid out by Graphviz instead, the
products, the sums and their operations each on one rank.
"""

from __future__ import annotations

import operator
from collections import Counter

from ..draw.frames import GraphPicture
from ..draw.network import Network, NetworkNeuron
from ..draw.neuron_picture import NeuronPicture
from ..engine import BackwardStep, Value, enable_grad, topological_order
from ..formatting import format_number, format_operand
from ..walkthrough import Walkthrough, node_names
from .graph_view import forward_caption, graph_view

BINARY = {"+": operator.add, "*": operator.mul}  # a neuron's sum of products is made of these


def neuron_view(network: Network, n: NetworkNeuron) -> tuple[dict, list[str]]:
    """The page's data for neuron ``n``'s node-level view, and its SVG."""
    walk, copy_of = _neuron_walk(network, n)
    parameters = {copy_of[p] for p in (*n.weights, n.bias) if p is not None}
    picture = NeuronPicture.of(walk, parameters) or GraphPicture(
        walk,
        cluster=False,
        compact=True,
        parameters=parameters,
        arrange=lambda graph, dot_name: _line_up(graph, dot_name, n, copy_of),
    )
    on_rail = picture.on_rail if isinstance(picture, NeuronPicture) else set()
    captions = _captions(network, n, walk, on_rail)
    data, svgs = graph_view(walk, [picture], captions)
    data["title"] = f"neuron {n.position}"
    return data, svgs


def _neuron_walk(network: Network, n: NetworkNeuron) -> tuple[Walkthrough, dict[Value, Value]]:
    """A walkthrough of the rebuilt neuron, with the whole pass's numbers restricted to it."""
    copy_of: dict[Value, Value] = {}
    for source in n.sources:
        copy_of.setdefault(source, Value(source.data, network.source_name(source)))
    for i, weight in enumerate(n.weights):
        copy_of[weight] = Value(weight.data, n.weight_name(i))
    if n.bias is not None:
        copy_of[n.bias] = Value(n.bias.data, n.bias_name)
    with enable_grad():
        for node in n.members:
            inputs = [copy_of[inp] for inp in node.inputs]
            rebuilt = (
                BINARY[node.op](*inputs) if node.op in BINARY else getattr(inputs[0], node.op)()
            )
            copy_of[node] = rebuilt
    copy_of[n.z].label = n.z_name
    copy_of[n.a].label = n.a_name
    root = copy_of[n.a]
    order = topological_order(root)
    whole = network.walk
    totals = {node: 0.0 for node in order}
    totals[root] = whole.grads[n.a]
    steps, indices = [], []
    members = set(n.members)
    for step, index in zip(whole.steps, whole.input_indices):
        if step.output not in members:
            continue
        inp = copy_of[step.input]
        totals[inp] += step.contribution
        steps.append(
            BackwardStep(
                copy_of[step.output],
                inp,
                step.upstream,
                step.local_grad,
                step.contribution,
                totals[inp],
            )
        )
        indices.append(index)
    shares = Counter(step.input for step in steps)
    names = node_names(order)
    return Walkthrough(root, order, names, steps, indices, dict(totals), shares), copy_of


def _line_up(graph, dot_name: dict[Value, str], n: NetworkNeuron, copy_of: dict) -> None:
    """Put the products, the sums' operations and the sums each on one rank."""
    products = [copy_of[p] for p in n.products]
    sums = [copy_of[m] for m in n.members if m.op == "+"]
    graph.attr(newrank="true")
    for column in (
        [dot_name[p] for p in products],
        [f"{dot_name[s]}_op" for s in sums],
        [dot_name[s] for s in sums],
    ):
        if len(column) > 1:
            with graph.subgraph() as rank:
                rank.attr(rank="same")
                for name in column:
                    rank.node(name)


def _captions(
    network: Network, n: NetworkNeuron, walk: Walkthrough, on_rail: set[Value]
) -> list[tuple[str, str]]:
    """The card's line and explanation of each step, with ∂L/∂ for the gradients.

    ``on_rail``: the running totals that the picture draws as its rail, with no record.
    """
    leaf_kind = {network.source_name(s): s for s in n.sources}
    rail = {walk.names[node] for node in on_rail}
    captions = []
    for node in walk.forward_order:
        line, detail = forward_caption(walk, node)
        name = walk.names[node]
        if name in rail:
            detail += (
                f" {name} is the sum so far; it has no record here: the rail carries it from "
                "this + to the next (click the + to inspect it)."
            )
        if not node.inputs:
            if name in leaf_kind:
                source = leaf_kind[name]
                made = "an input of the network" if source in network.input_of else "the output"
                made += "" if source in network.input_of else f" of neuron {name[1:]}"
                detail = f"{name} is {made}: a leaf here, given to this neuron."
            elif name.startswith("w"):
                detail = f"{name} is a weight of this neuron: a parameter, a leaf."
            else:
                detail = f"{name} is the bias of this neuron: a parameter, a leaf."
        captions.append((line, detail))
    top = network.root_name
    arriving = walk.grads[walk.root]
    root_name = walk.names[walk.root]
    start = f"∂{top}/∂{root_name} = {format_number(arriving)}"
    where = (
        "the start of the backward pass"
        if n.a is network.walk.root
        else "the backward pass brings it from the layers above (see the network view)"
    )
    captions.append(
        (
            start,
            f"The gradient at this neuron's output: {where}. From here, each step carries "
            f"it one edge back: ∂{top}/∂input += ∂{top}/∂output · ∂output/∂input.",
        )
    )
    for number, (step, (share, count)) in enumerate(zip(walk.steps, walk.shares())):
        out, inp = walk.names[step.output], walk.names[step.input]
        line = (
            f"∂{top}/∂{inp} += ∂{top}/∂{out} · ∂{out}/∂{inp} = "
            f"{format_operand(step.upstream)} · {format_operand(step.local_grad)} = "
            f"{format_number(step.contribution)}"
        )
        detail = f"{walk.why(number)}."
        if inp in leaf_kind and leaf_kind[inp] not in network.input_of:
            detail += (
                f" This is neuron {n.position}'s share; other neurons that read {inp} add theirs."
            )
        if count > 1:
            detail += f" Share {share} of {count}."
        if inp in rail:
            detail += f" {inp}, a sum so far, is the rail from its + to the next one."
        captions.append((line, detail))
    return captions
