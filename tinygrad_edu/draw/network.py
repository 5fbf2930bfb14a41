"""A model's graph read as a network: inputs, layers of neurons, the loss after them, and a pass.

The network view tells backpropagation as a textbook does.  Each neuron j of
layer l computes its weighted sum and its activation,

    z[l][j] = Σᵢ w[l][j,i]·a[l-1][i] + b[l][j],      a[l][j] = act(z[l][j]),

with the inputs as layer 0 (``a[0][i]`` is written ``x[i]``).  The forward pass
goes layer by layer, neuron by neuron; the backward pass the other way, each
neuron in three lines of the chain rule:

    ∂L/∂a[l][j] = Σₖ ∂L/∂z[l+1][k]·w[l+1][k,j]    (from the layer above, or the loss)
    ∂L/∂z[l][j] = ∂L/∂a[l][j]·act′(z[l][j])
    ∂L/∂w[l][j,i] = ∂L/∂z[l][j]·a[l-1][i],     ∂L/∂b[l][j] = ∂L/∂z[l][j]

Which Values make up which neuron comes from ``find_neurons``; the rest is
read from the graph's structure: a neuron's products ``w·a`` are the uses of
its weights, its sum is made of ``+`` only, and the layer of a neuron is one
more than the deepest layer it reads from.  Every number comes from the
walkthrough's replay of ``backward()``, so the network view shows exactly the
gradients that ``backward()`` computes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engine import Value
from ..walkthrough import Walkthrough
from .neurons import ACTIVATIONS, Neuron, consumers, find_neurons

NETWORK_MAX_NEURONS = 64
"""The most neurons the network view shows: an MLP(2, [16, 16, 1]) has 33."""


class NotANetworkError(ValueError):
    """The graph is not one pass of a model's neurons (followed, perhaps, by a loss)."""


@dataclass(eq=False)
class NetworkNeuron:
    """One neuron as the network view shows it: where it sits and the Values it is made of."""

    neuron: Neuron  # the record find_neurons gives
    layer: int  # 1 for the first layer (the inputs are layer 0)
    index: int  # its position in its layer, from 0
    z: Value  # the weighted sum (the output itself for a linear neuron)
    a: Value  # the output, act(z)
    weights: list[Value]  # in the order of the inputs they multiply
    bias: Value | None
    sources: list[Value]  # the Value each weight multiplies (an input, or another neuron's a)
    products: list[Value]  # w·source for each weight
    members: list[Value] = field(default_factory=list)  # products, sums, z and a, in order

    @property
    def position(self) -> str:
        """``[2][0]``: its layer and index, as its names write them."""
        return f"[{self.layer}][{self.index}]"

    @property
    def z_name(self) -> str:
        return f"z{self.position}"

    @property
    def a_name(self) -> str:
        return f"a{self.position}"

    @property
    def bias_name(self) -> str:
        return f"b{self.position}"

    def weight_name(self, i: int) -> str:
        """``w[2][0,3]``: the weight by which neuron [2][0] multiplies its input number 3."""
        return f"w[{self.layer}][{self.index},{i}]"

    @property
    def activation(self) -> str:
        """``tanh``, ``relu``, ``sigmoid`` or ``linear``."""
        return self.a.op if self.a is not self.z else "linear"


@dataclass(frozen=True)
class NetworkStep:
    """One step of the network view: what it computes, in which pass.

    ``kind`` is ``"inputs"``, ``"neuron"`` or ``"loss"`` in the forward pass and
    ``"start"``, ``"loss"`` or ``"neuron"`` in the backward pass; ``neuron`` is
    the neuron of a ``"neuron"`` step.
    """

    phase: str  # "forward" or "backward"
    kind: str
    neuron: NetworkNeuron | None = None


@dataclass(eq=False)
class Network:
    """A graph read as inputs, layers of neurons and a tail (the loss), with the pass's steps."""

    walk: Walkthrough
    inputs: list[Value]  # the input column, x[0], x[1], ...
    input_of: dict[Value, int]  # each Value a first-layer weight multiplies -> its input number
    layers: list[list[NetworkNeuron]]
    tail: list[Value]  # the nodes after the network, in topological order (root last); may be []

    @classmethod
    def of(cls, walk: Walkthrough, max_neurons: int = NETWORK_MAX_NEURONS) -> Network:
        """Read ``walk``'s graph as a network.

        Raises:
            NotANetworkError: the graph has no neurons, calls a neuron more than
                once (a batch: explore one sample), feeds a neuron something
                computed outside the network, or its loss reads more than the
                network's outputs (a weight penalty, say); the message says which.
            GraphTooLargeError: more than ``max_neurons`` neurons.
        """
        from .style import GraphTooLargeError

        found = find_neurons(walk.order)
        if not found:
            raise NotANetworkError("the graph has no neurons (no Neuron, Layer or MLP computed it)")
        if len(found) > max_neurons:
            raise GraphTooLargeError(
                f"the network view shows at most {max_neurons} neurons and this graph has "
                f"{len(found)}"
            )
        users = consumers(walk.order)
        position = {node: k for k, node in enumerate(walk.order)}
        neurons = [_read_neuron(neuron, users) for neuron in found]
        of_output = {n.a: n for n in neurons}
        depth: dict[NetworkNeuron, int] = {}
        for n in sorted(neurons, key=lambda n: position[n.a]):
            n.members.sort(key=position.__getitem__)
            for source in n.sources:
                if source not in of_output and source.inputs:
                    raise NotANetworkError(
                        f"{_who(n.neuron)} reads a value computed outside the network "
                        f"({_label_of(source)}); the network view starts at plain inputs"
                    )
            feeding = [depth[of_output[s]] for s in n.sources if s in of_output]
            depth[n] = 1 + max(feeding, default=0)
        layers: list[list[NetworkNeuron]] = [[] for _ in range(max(depth.values()))]
        for n in neurons:
            layers[depth[n] - 1].append(n)
        for number, layer in enumerate(layers, 1):
            layer.sort(key=lambda n: (n.neuron.layer or "", n.neuron.index))
            for index, n in enumerate(layer):
                n.layer, n.index = number, index
        inputs, input_of = _input_column(layers, of_output)
        inside = {v for n in neurons for v in (*n.members, *n.weights, *n.sources)}
        inside.update(n.bias for n in neurons if n.bias is not None)
        tail = [node for node in walk.order if node not in inside]
        _check_tail(tail, walk.root, of_output, users, inside)
        return cls(walk, inputs, input_of, layers, tail)

    @property
    def neurons(self) -> list[NetworkNeuron]:
        """Every neuron, layer by layer."""
        return [n for layer in self.layers for n in layer]

    @property
    def root_name(self) -> str:
        """``L`` for a loss after the network, else the output neuron's ``a[l][j]``."""
        if self.tail:
            return "L"
        return next(n.a_name for n in self.neurons if n.a is self.walk.root)

    def source_name(self, value: Value) -> str:
        """``x[1]`` for an input, ``a[1][2]`` for a neuron's output."""
        if value in self.input_of:
            return f"x[{self.input_of[value]}]"
        return next(n.a_name for n in self.neurons if n.a is value)

    def users_of(self, neuron: NetworkNeuron) -> list[tuple[NetworkNeuron, int]]:
        """The neurons that read ``neuron``'s output, each with the number of that input."""
        return [
            (user, i)
            for layer in self.layers
            for user in layer
            for i, source in enumerate(user.sources)
            if source is neuron.a
        ]

    @property
    def outputs(self) -> list[NetworkNeuron]:
        """The neurons the tail reads (the model's outputs), or the root neuron without a tail."""
        read = {inp for node in self.tail for inp in node.inputs}
        return [n for n in self.neurons if n.a in read or n.a is self.walk.root]

    def steps(self) -> list[NetworkStep]:
        """The steps of both passes: forward layer by layer, backward the other way."""
        forward = [NetworkStep("forward", "inputs")]
        forward += [NetworkStep("forward", "neuron", n) for n in self.neurons]
        backward = [NetworkStep("backward", "start")]
        if self.tail:
            forward.append(NetworkStep("forward", "loss"))
            backward.append(NetworkStep("backward", "loss"))
        backward += [
            NetworkStep("backward", "neuron", n) for layer in reversed(self.layers) for n in layer
        ]
        return forward + backward


def _who(neuron: Neuron) -> str:
    return f"neuron {neuron.prefix.rstrip('.') or neuron.title}"


def _label_of(value: Value) -> str:
    return value.label or f"a Value made by {value.op!r}"


def _read_neuron(neuron: Neuron, users: dict[Value, list[Value]]) -> NetworkNeuron:
    """A Neuron's sum of products and activation, found from its parameters and output."""
    who = _who(neuron)
    if len(neuron.outs) != 1:
        raise NotANetworkError(
            f"{who} is called {len(neuron.outs)} times in this graph: the network view shows "
            "one sample's pass (explore the loss of one input)"
        )
    a = neuron.outs[0]
    z = a.inputs[0] if a.op in ACTIVATIONS else a
    weights = [neuron.weights[i] for i in sorted(neuron.weights)]
    if sorted(neuron.weights) != list(range(len(weights))):
        raise NotANetworkError(f"{who} misses some of its weights in this graph")
    products, sources = [], []
    for w in weights:
        uses = [u for u in users.get(w, ()) if u.op == "*"]
        if len(uses) != 1:
            raise NotANetworkError(f"{who} uses its weight {w.label} in {len(uses)} products")
        product = uses[0]
        products.append(product)
        sources.append(product.inputs[1] if product.inputs[0] is w else product.inputs[0])
    members = _sum_of(z, set(products), neuron.bias, who)
    if a is not z:
        members.append(a)
    return NetworkNeuron(neuron, 0, 0, z, a, weights, neuron.bias, sources, products, members)


def _sum_of(z: Value, products: set[Value], bias: Value | None, who: str) -> list[Value]:
    """The nodes of z = b + Σ products: the products and the sums (z among them).

    Raises NotANetworkError unless z is made of ``+`` from exactly those products and the bias.
    """
    sums: list[Value] = []
    reached: list[Value] = []
    stack = [z]
    while stack:
        node = stack.pop()
        if node in products or node is bias:
            reached.append(node)
        elif node.op == "+":
            sums.append(node)
            stack.extend(node.inputs)
        else:
            raise NotANetworkError(f"{who} is not a weighted sum: it adds a {node.op or 'leaf'}")
    if len(reached) != len(set(reached)) or set(reached) != products | ({bias} - {None}):
        raise NotANetworkError(f"{who} is not a weighted sum of its inputs and bias")
    return [p for p in reached if p is not bias] + sums


def _input_column(
    layers: list[list[NetworkNeuron]], of_output: dict[Value, NetworkNeuron]
) -> tuple[list[Value], dict[Value, int]]:
    """The inputs, one per position: plain numbers are a new leaf in every neuron, so a
    first-layer weight's input number says which input it is; a Value shared by the
    neurons is one input."""
    inputs: list[Value] = []
    input_of: dict[Value, int] = {}
    by_position: dict[int, int] = {}
    for layer in layers:
        for n in layer:
            for i, source in enumerate(n.sources):
                if source in of_output or source in input_of:
                    continue
                shared = bool(source.label)  # a labelled input is the same Value in each neuron
                if not shared and n.layer == 1 and i in by_position:
                    input_of[source] = by_position[i]
                    continue
                input_of[source] = len(inputs)
                if not shared and n.layer == 1:
                    by_position[i] = len(inputs)
                inputs.append(source)
    return inputs, input_of


def _check_tail(
    tail: list[Value],
    root: Value,
    of_output: dict[Value, NetworkNeuron],
    users: dict[Value, list[Value]],
    inside: set[Value],
) -> None:
    """The tail must read only the network's outputs, its own nodes and plain numbers."""
    in_tail = set(tail)
    for node in tail:
        for inp in node.inputs:
            if inp in in_tail or inp in of_output:
                continue
            raise NotANetworkError(
                f"the loss reads {_label_of(inp)}, which is inside the network "
                "(a weight penalty, say); the network view needs a loss of the outputs only"
            )
    for a in of_output:
        for user in users.get(a, ()):
            if user not in in_tail and user not in inside:
                raise NotANetworkError(f"{_label_of(a)} is used outside the network")
    if tail and root not in in_tail:
        raise NotANetworkError("the root is inside the network")
    if not tail and root not in of_output:
        raise NotANetworkError("the root is inside a neuron, not a neuron's output")
