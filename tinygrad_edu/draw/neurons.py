"""Finding the Neurons in a graph, by the labels ``nn`` gives their outputs and parameters.

A Neuron labels its output ``<prefix>out`` and its parameters ``<prefix>w.i``
and ``<prefix>b``, where the prefix is its dotted name in the model
(``layers.0.neurons.1.``).  Both pictures use this: the full graph draws a
box around each Neuron's nodes, the collapsed one draws each Neuron as a node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..engine import Value

_NEURON_OUT = re.compile(r"(|.*\.)out")
_NEURON_PARAMETER = re.compile(r"(|.*\.)(?:w\.(\d+)|b)")
_LAYER_OF_NEURON = re.compile(r"(|.*\.)neurons\.(\d+)\.")


@dataclass
class Neuron:
    """What the graph shows of one Neuron: its outputs (one per call) and parameters."""

    prefix: str  # "layers.0.neurons.1." or "" for a standalone Neuron
    outs: list[Value]
    weights: dict[int, Value] = field(default_factory=dict)
    bias: Value | None = None

    @property
    def parameters(self) -> list[Value]:
        """The weights in order, then the bias."""
        bias = [] if self.bias is None else [self.bias]
        return [self.weights[i] for i in sorted(self.weights)] + bias

    @property
    def activation(self) -> str:
        """``tanh``, ``relu`` or ``sigmoid`` from its output's operation, else ``linear``."""
        op = self.outs[0].op
        return op if op in ("tanh", "relu", "sigmoid") else "linear"

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
    """The Neurons whose outputs and parameters are in ``order``, in the order they appear.

    A label ``out`` without parameters labelled next to it is not a Neuron.
    """
    neurons: dict[str, Neuron] = {}
    for node in order:
        match = _NEURON_OUT.fullmatch(node.label) if node.op else None
        if match:
            neurons.setdefault(match[1], Neuron(match[1], [])).outs.append(node)
    for node in order:
        match = _NEURON_PARAMETER.fullmatch(node.label) if not node.op else None
        if match and match[1] in neurons:
            neuron = neurons[match[1]]
            if match[2] is None:
                neuron.bias = node
            else:
                neuron.weights[int(match[2])] = node
    return [n for n in neurons.values() if n.parameters]


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
