"""Finding the Neurons in a graph: from the model's parameters, or else by their labels.

A Neuron of ``nn`` holds ``Parameter``s that know their Neuron and their input
position, and each call computes, as a chain of sums that starts at its bias,

    z = b + w₀·x₀ + w₁·x₁ + … + wₙ₋₁·xₙ₋₁,    out = activation(z)

``find_neurons`` follows that chain from the bias through the product of each
weight in turn, so it finds every call's weighted sum ``z``, output and inputs
from the graph's structure: labels may be changed freely.  A graph made without
``nn``, with Values labelled by hand as ``nn`` labels them (``<prefix>w.i``,
``<prefix>b`` and ``<prefix>out``), is read by those labels instead.  Both
pictures use this: the full graph draws a box around each Neuron's nodes, the
collapsed one draws each Neuron as one node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import nn
from ..engine import Value

_NEURON_OUT = re.compile(r"(|.*\.)out")
_NEURON_PARAMETER = re.compile(r"(|.*\.)(?:w\.(\d+)|b)")
_LAYER_OF_NEURON = re.compile(r"(|.*\.)neurons\.(\d+)\.")
ACTIVATIONS = tuple(a for a in nn.ACTIVATIONS if a != "linear")
"""The operations that make a neuron's output from its weighted sum (a linear neuron has none)."""


@dataclass
class Neuron:
    """What a graph shows of one Neuron: its parameters, and each call's sum, output and inputs.

    ``zs[c]``, ``outs[c]`` and ``inputs[c]`` belong to call c (one per sample of
    a batch): its weighted sum z = Σ wᵢxᵢ + b, its output activation(z) (z itself
    for a linear neuron) and its inputs xᵢ by position i.
    """

    prefix: str  # its dotted name and a dot, "layers.0.neurons.1." ("" for a Neuron on its own)
    outs: list[Value]
    weights: dict[int, Value] = field(default_factory=dict)
    bias: Value | None = None
    zs: list[Value] = field(default_factory=list)
    inputs: list[list[Value]] = field(default_factory=list)
    module: nn.Neuron | None = None  # the model's Neuron; None when found by labels
    layer_index: int = 0  # its column: 0 for the layer nearest the inputs, then 1, 2, ...
    name: str = "neuron"  # a DOT name, unique among the graph's Neurons: "layers_0_neurons_1"

    @property
    def parameters(self) -> list[Value]:
        """The weights in order, then the bias."""
        bias = [] if self.bias is None else [self.bias]
        return [self.weights[i] for i in sorted(self.weights)] + bias

    @property
    def activation(self) -> str:
        """``tanh``, ``relu``, ``sigmoid`` or ``linear``: the model's, else from its output's op."""
        if self.module is not None:
            return self.module.activation
        op = self.outs[0].op
        return op if op in ACTIVATIONS else "linear"

    @property
    def layer(self) -> str | None:
        """The layer's prefix (``"layers.0."``; ``""`` for a standalone Layer), or None."""
        match = _LAYER_OF_NEURON.fullmatch(self.prefix)
        return None if match is None else match[1]

    @property
    def index(self) -> int:
        """Its position in its layer (0 for a standalone Neuron)."""
        match = _LAYER_OF_NEURON.fullmatch(self.prefix)
        return 0 if match is None else int(match[2])

    @property
    def title(self) -> str:
        """``neuron 1 · tanh``: what its box or node is called."""
        match = _LAYER_OF_NEURON.fullmatch(self.prefix)
        name = f"neuron {match[2]}" if match else "neuron"
        return f"{name} · {self.activation}"


def find_neurons(order: list[Value]) -> list[Neuron]:
    """The Neurons called in ``order`` (a topological order), in the order of their first output.

    A Neuron of ``nn`` is found through its ``Parameter``s and the chain of sums
    it computes; its labels play no part.  Other Values are read by their labels:
    a node labelled ``<prefix>out`` with leaves ``<prefix>w.i`` or ``<prefix>b``
    is a Neuron, and a label ``out`` without such parameters is not.
    """
    users = consumers(order)
    found = _neurons_of_the_model(order, users) + _neurons_by_label(order, users)
    position = {node: i for i, node in enumerate(order)}
    found.sort(key=lambda neuron: position[neuron.outs[0]])
    _number_layers(found)
    taken: set[str] = set()
    for neuron in found:
        name = base = identifier(neuron.prefix) or "neuron"
        copy = 1
        while name in taken:
            copy += 1
            name = f"{base}_{copy}"
        taken.add(name)
        neuron.name = name
    return found


def parameters_of_models(order: list[Value]) -> set[Value]:
    """The leaves of ``order`` that are a model's ``Parameter``s, however they are labelled."""
    return {node for node in order if isinstance(node, nn.Parameter)}


# ---------------------------------------------------------------- from the model


def _neurons_of_the_model(order: list[Value], users: dict[Value, list[Value]]) -> list[Neuron]:
    modules: dict[nn.Neuron, None] = {}  # in the order their parameters appear
    for node in order:
        if isinstance(node, nn.Parameter):
            modules.setdefault(node.neuron)
    neurons = []
    for module in modules:
        calls = [
            call
            for first in users.get(module.b, ())
            if (call := _follow_call(module, first, users)) is not None
        ]
        if calls:
            zs, outs, inputs = (list(column) for column in zip(*calls))
            weights = dict(enumerate(module.w))
            prefix = f"{module.dotted_name}." if module.dotted_name else ""
            neurons.append(Neuron(prefix, outs, weights, module.b, zs, inputs, module))
    return neurons


def _follow_call(
    module: nn.Neuron, first: Value, users: dict[Value, list[Value]]
) -> tuple[Value, Value, list[Value]] | None:
    """(z, out, inputs) of the call whose first sum is ``first`` = b + w₀·x₀, or None.

    Step i goes from the sum so far to the ``+`` node that adds wᵢ·xᵢ to it.
    """
    total, inputs = module.b, []
    for i, weight in enumerate(module.w):
        candidates = [first] if i == 0 else users.get(total, ())
        step = next((node for node in candidates if _adds(node, total, weight)), None)
        if step is None:
            return None
        product = step.inputs[1] if step.inputs[0] is total else step.inputs[0]
        inputs.append(product.inputs[1] if product.inputs[0] is weight else product.inputs[0])
        total = step
    if module.activation == "linear":
        return total, total, inputs
    out = next((node for node in users.get(total, ()) if node.op == module.activation), None)
    return None if out is None else (total, out, inputs)


def _adds(node: Value, total: Value, weight: Value) -> bool:
    """Whether ``node`` is ``total + weight·x`` (in either order)."""
    if node.op != "+" or total not in node.inputs:
        return False
    product = node.inputs[1] if node.inputs[0] is total else node.inputs[0]
    return product.op == "*" and weight in product.inputs


# ---------------------------------------------------------------- by labels


def _neurons_by_label(order: list[Value], users: dict[Value, list[Value]]) -> list[Neuron]:
    """The Neurons of a graph made without ``nn``, read from labels as ``nn`` writes them."""
    neurons: dict[str, Neuron] = {}
    for node in order:
        match = _NEURON_OUT.fullmatch(node.label) if node.op else None
        if match:
            neurons.setdefault(match[1], Neuron(match[1], [])).outs.append(node)
    for node in order:
        if node.op or isinstance(node, nn.Parameter):
            continue
        match = _NEURON_PARAMETER.fullmatch(node.label)
        if match and match[1] in neurons:
            neuron = neurons[match[1]]
            if match[2] is None:
                neuron.bias = node
            else:
                neuron.weights[int(match[2])] = node
    found = [n for n in neurons.values() if n.parameters]
    for neuron in found:
        neuron.zs = [out.inputs[0] if out.op in ACTIVATIONS else out for out in neuron.outs]
        products = {
            i: [user for user in users.get(weight, ()) if user.op == "*"]
            for i, weight in neuron.weights.items()
        }
        neuron.inputs = [
            [_other(products[i][call], neuron.weights[i]) for i in sorted(products)]
            for call in range(min((len(p) for p in products.values()), default=0))
        ]
    return found


def _other(product: Value, weight: Value) -> Value:
    """The x of the product ``weight · x``."""
    a, b = product.inputs
    return b if a is weight else a


# ---------------------------------------------------------------- shared


def _number_layers(neurons: list[Neuron]) -> None:
    """Give each Neuron its column: the neurons of one layer share one, in order of appearance.

    A Neuron outside a Layer is a column of its own.
    """
    columns: dict[object, int] = {}
    for neuron in neurons:
        key = neuron.layer if neuron.layer is not None else ("alone", id(neuron))
        neuron.layer_index = columns.setdefault(key, len(columns))


def consumers(order: list[Value]) -> dict[Value, list[Value]]:
    """For each node, the nodes that use it, in topological order."""
    users: dict[Value, list[Value]] = {}
    for node in order:
        for inp in node.inputs:
            users.setdefault(inp, []).append(node)
    return users


def identifier(prefix: str) -> str:
    """A prefix as a DOT name: ``layers.0.neurons.1.`` -> ``layers_0_neurons_1``."""
    return re.sub(r"\W", "_", prefix.rstrip("."))
