"""Neural networks built from Values: Module, Neuron, Layer, MLP."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence

from .engine import Value

Number = int | float
Seed = int | random.Random | None
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")


class Module:
    """Something with parameters: it can list them, name them and zero their gradients.

    Parameters are found by walking the module's attributes in the order they
    were set: a Value, a Module, or a list of either. Their dotted names
    (``layers.0.neurons.1.w.2``) follow that walk.
    """

    def _children(self) -> Iterator[tuple[str, Value | Module]]:
        """The Values and Modules held directly, named by attribute (and list index)."""
        for attribute, held in vars(self).items():
            if attribute.startswith("_"):
                continue
            if isinstance(held, list):
                for index, item in enumerate(held):
                    if isinstance(item, Value | Module):
                        yield f"{attribute}.{index}", item
            elif isinstance(held, Value | Module):
                yield attribute, held

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        """Every parameter with its stable dotted name, in a fixed order."""
        for name, child in self._children():
            if isinstance(child, Value):
                yield name, child
            else:
                for inner, parameter in child.named_parameters():
                    yield f"{name}.{inner}", parameter

    def parameters(self) -> list[Value]:
        """Every parameter, in the order of ``named_parameters()``."""
        return [parameter for _, parameter in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (gradients accumulate otherwise)."""
        for parameter in self.parameters():
            parameter.grad = 0.0

    def _name_everything(self, prefix: str = "") -> None:
        """Label each parameter with its dotted name and tell each module its own."""
        self._name = prefix
        for name, child in self._children():
            if isinstance(child, Value):
                child.label = prefix + name
            else:
                child._name_everything(f"{prefix}{name}.")


def _rng(seed: Seed) -> random.Random:
    """A private generator: seeded ones repeat, and the global ``random`` is never touched."""
    return seed if isinstance(seed, random.Random) else random.Random(seed)


def _check_activation(activation: str) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}; got {activation!r}")
    return activation


class Neuron(Module):
    """One neuron: out = activation(w·x + b).

    Weights start uniform in ±√(6/nin) for relu (He) and ±√(3/nin) otherwise
    (LeCun), so the weighted sum keeps a similar scale whatever the fan-in; the
    bias starts at 0.
    """

    def __init__(self, nin: int, activation: str = "relu", seed: Seed = None) -> None:
        if not isinstance(nin, int) or isinstance(nin, bool) or nin < 1:
            raise ValueError(f"a Neuron needs a whole number of inputs >= 1, got {nin!r}")
        self._activation = _check_activation(activation)
        rng = _rng(seed)
        bound = math.sqrt((6.0 if activation == "relu" else 3.0) / nin)
        self.w = [Value(rng.uniform(-bound, bound)) for _ in range(nin)]
        self.b = Value(0.0)
        self._name_everything()

    @property
    def nin(self) -> int:
        return len(self.w)

    @property
    def activation(self) -> str:
        return self._activation

    def __call__(self, x: Sequence[Value | Number]) -> Value:
        """activation(Σ wᵢ·xᵢ + b); the result is labelled ``<name>out``."""
        _check_length(x, self.nin, "Neuron")
        z = self.b
        for wi, xi in zip(self.w, x):
            z = z + wi * xi
        out = z if self._activation == "linear" else getattr(z, self._activation)()
        if out is not z:
            z.label = f"{self._name}z"
        out.label = f"{self._name}out"
        return out


class Layer(Module):
    """``nout`` neurons reading the same inputs; calling it returns a list."""

    def __init__(self, nin: int, nout: int, activation: str = "relu", seed: Seed = None) -> None:
        if not isinstance(nout, int) or isinstance(nout, bool) or nout < 1:
            raise ValueError(f"a Layer needs a whole number of neurons >= 1, got {nout!r}")
        rng = _rng(seed)
        self.neurons = [Neuron(nin, activation, rng) for _ in range(nout)]
        self._name_everything()

    def __call__(self, x: Sequence[Value | Number]) -> list[Value]:
        """[neuron(x) for each neuron]."""
        _check_length(x, self.neurons[0].nin, "Layer")
        return [neuron(x) for neuron in self.neurons]


class MLP(Module):
    """A multilayer perceptron: layers of sizes ``nouts`` applied in turn.

    Hidden layers use ``activation``, the last one ``output_activation``.
    Calling it returns a Value when the last layer has one neuron, else a list.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "relu",
        output_activation: str = "linear",
        seed: Seed = None,
    ) -> None:
        if not nouts:
            raise ValueError("an MLP needs at least one layer size in nouts, e.g. [16, 16, 1]")
        _check_activation(activation)
        _check_activation(output_activation)
        rng = _rng(seed)
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], output_activation if i == last else activation, rng)
            for i in range(len(nouts))
        ]
        self._name_everything()

    def __call__(self, x: Sequence[Value | Number]) -> Value | list[Value]:
        """The last layer's output for input ``x``."""
        for layer in self.layers:
            x = layer(x)
        return x[0] if len(x) == 1 else x


def _check_length(x: Sequence, expected: int, who: str) -> None:
    if len(x) != expected:
        raise ValueError(f"{who} expects {expected} inputs, got {len(x)}")
