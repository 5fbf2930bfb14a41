"""The collapsed picture of a network: each Neuron one node, each weight one edge.

The inputs form the first column and each layer the next one, in their
natural order from top to bottom (x0, x1, ...; neuron 0, 1, ...).  A weight's
edge is blue when positive and orange when negative, thicker the larger
``|w|``; a root past the network (a loss, say) is one record at the end.
"""

from __future__ import annotations

from ..engine import Value, topological_order
from .neurons import Neuron, find_neurons
from .notebook import ROOT_ID, Drawing
from .style import COLOURS, GraphTooLargeError, Options, add_record, lines, new_graph, number

WEIGHT_LABEL_LIMIT = 16  # weights are written on their edges only when there are this few


def draw_collapsed(
    root: Value, options: Options, parameters: set[Value], format: str = "svg"
) -> Drawing:
    """Each Neuron one node, each weight one edge, the inputs a column of their own."""
    order = topological_order(root)
    neurons = find_neurons(order)
    if not neurons:
        raise ValueError(
            "collapse=True draws the Neurons of a Neuron, Layer or MLP, and this graph has "
            "none (no Neuron of tinygrad_edu.nn, and no node labelled '<name>out' computed "
            "from parameters '<name>w.i')"
        )
    neuron_of_out = {out: neuron for neuron in neurons for out in neuron.outs}
    inputs: dict[int, list[Value]] = {}  # input position -> what the neurons read there
    wires: dict[tuple[str, str], Value] = {}  # (source node, neuron node) -> the weight
    fed = set()  # the neurons whose output another neuron reads
    for neuron in neurons:
        for call in neuron.inputs:
            for position, x in enumerate(call):
                if x in neuron_of_out:
                    fed.add(neuron_of_out[x].name)
                    source = _neuron_node(neuron_of_out[x])
                else:
                    inputs.setdefault(position, []).append(x)
                    source = f"input{position}"
                wires.setdefault((source, _neuron_node(neuron)), neuron.weights[position])
    drawn = len(neurons) + len(inputs) + (root not in neuron_of_out)
    if drawn > options.max_nodes:
        raise GraphTooLargeError(
            f"the collapsed picture has {drawn:,} nodes, more than max_nodes={options.max_nodes:,}"
        )
    graph = new_graph(options.rankdir, nodesep="0.3", ranksep="1.2", format=format)
    # rank=same must hold inside a layer's cluster (newrank), and the second round of
    # crossing minimisation that Graphviz runs across clusters would undo _keep_in_order
    graph.attr(newrank="true", remincross="false")
    _add_input_column(graph, dict(sorted(inputs.items())), parameters)
    _add_neuron_columns(graph, neurons, root, options)
    largest = max((abs(w.data) for w in wires.values()), default=0.0) or 1.0
    label_weights = options.edge_labels and len(wires) <= WEIGHT_LABEL_LIMIT
    for (source, target), weight in wires.items():
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
        graph.edge(source, target, **style)
    if root not in neuron_of_out:
        _add_root_summary(graph, root, [n for n in neurons if n.name not in fed], options)
    return graph


def _neuron_node(neuron: Neuron) -> str:
    """A Neuron's node name in the collapsed picture: ``neuron_layers_0_neurons_1``."""
    return f"neuron_{neuron.name}" if neuron.prefix else neuron.name


def _keep_in_order(box: Drawing, names: list[str]) -> None:
    """Hold a column's nodes in the order given, top to bottom.

    Graphviz reorders the nodes of a rank to cross fewer edges; invisible
    edges between neighbours within one rank fix their order instead.  With
    ``rankdir=LR`` an edge ``a -> b`` within a rank puts a *below* b, so each
    edge points from the lower node up to its neighbour above.
    """
    if len(names) < 2:
        return
    box.attr(rank="same")
    for above, below in zip(names, names[1:]):
        box.edge(below, above, style="invis")


def _add_input_column(graph, inputs: dict[int, list[Value]], parameters: set[Value]) -> None:
    """One circle per input position, whatever the batch: its name, and its value or count.

    Its name is the label its Values share (``x0``), else ``x<position>``; its
    value is written when every call read the same number, else how many calls
    read it (plain numbers become a new Value in every neuron that reads them).
    """
    with graph.subgraph(name="cluster_inputs") as box:
        box.attr(label="input", style="rounded", color="#999999")
        for position, values in inputs.items():
            labels = {x.label for x in values}
            name = labels.pop() if len(labels) == 1 and values[0].label else f"x{position}"
            numbers = {x.data for x in values}
            shown = number(values[0].data) if len(numbers) == 1 else f"{len(numbers)} values"
            kind = "parameter" if all(x in parameters for x in values) else "input"
            box.node(
                f"input{position}",
                lines([name, shown]),
                shape="circle",
                style="filled",
                fillcolor=COLOURS[kind],
            )
        _keep_in_order(box, [f"input{position}" for position in inputs])


def _add_neuron_columns(graph, neurons: list[Neuron], root: Value, options: Options) -> None:
    layers: dict[int, list[Neuron]] = {}
    for neuron in neurons:
        layers.setdefault(neuron.layer_index, []).append(neuron)
    count = len(layers)
    for index, in_layer in sorted(layers.items()):
        title = "output layer" if index == count - 1 else f"hidden layer {index + 1}"
        in_layer = sorted(in_layer, key=lambda neuron: neuron.index)
        with graph.subgraph(name=f"cluster_layer{index}") as box:
            box.attr(label=title, style="rounded", color="#999999")
            for neuron in in_layer:
                _add_neuron_node(box, neuron, root, options)
            _keep_in_order(box, [_neuron_node(neuron) for neuron in in_layer])


def _add_neuron_node(graph, neuron: Neuron, root: Value, options: Options) -> None:
    text = [neuron.activation]
    if len(neuron.outs) == 1:
        out = neuron.outs[0]
        text.append(number(out.data))
        if options.grad_shown is not None:
            text.append(f"grad {number(out.grad)}" if options.grad_shown(out) else "grad")
    else:
        text.append(f"{len(neuron.outs)} calls")
    is_root = any(out is root for out in neuron.outs)
    style = {
        "shape": "circle",
        "width": "1.5",
        "fixedsize": "true",
        "style": "filled",
        "fillcolor": COLOURS["root" if is_root else "computed"],
        **({"id": ROOT_ID} if is_root else {}),
        "tooltip": f"{neuron.prefix.rstrip('.') or 'neuron'}: bias "
        + (number(neuron.bias.data) if neuron.bias is not None else "none"),
    }
    if any(out in options.highlighted_nodes for out in neuron.outs):
        style.update(color=COLOURS["highlight"], penwidth="3.5")
    graph.node(_neuron_node(neuron), lines(text), **style)


def _add_root_summary(graph, root: Value, last: list[Neuron], options: Options) -> None:
    """The root past the network (a loss, say), fed by the neurons no other neuron reads."""
    add_record(graph, "root", root, "root", options, root.label)
    for neuron in last:
        graph.edge(_neuron_node(neuron), "root", style="dashed", color="#777777")
