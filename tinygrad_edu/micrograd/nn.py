"""micrograd's ``nn``: ``Module``, ``Neuron``, ``Layer`` and ``MLP`` with micrograd's signatures.

Each is the tinygrad_edu module of the same name, started as micrograd starts
it: weights drawn from Python's global ``random`` (so ``random.seed(1337)``
gives micrograd's weights), uniform in [-1, 1], and every bias 0.  A neuron
computes ``b + w₀x₀ + w₁x₁ + ...`` in micrograd's order, so its numbers are
micrograd's, and its weights and bias are ``Parameter``s that know it, as
tinygrad_edu's are, so the pictures box each neuron.  ``Module`` is
tinygrad_edu's: ``parameters()`` and ``zero_grad()``, and
``named_parameters()``, ``state_dict()``, ``save()`` too.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import Any

from .. import nn
from ..nn import Module
from .engine import Value

__all__ = ["MLP", "Layer", "Module", "Neuron"]


class Parameter(nn.Parameter, Value):
    """A weight or bias: a micrograd Value that knows its Neuron, as tinygrad_edu's do.

    The pictures find a model's neurons through it, whatever the labels say.
    """

    __slots__ = ()


class Neuron(nn.Neuron):
    """micrograd's Neuron: relu(Σ wᵢxᵢ + b), or the plain sum with ``nonlin=False``.

    Its weights start uniform in [-1, 1] (from the global ``random``), its bias at 0.
    """

    def __init__(self, nin: int, nonlin: bool = True) -> None:
        nn.check_sizes(nin=nin)
        self._activation = "relu" if nonlin else "linear"
        self.w = [Parameter(random.uniform(-1, 1), self, i) for i in range(nin)]
        self.b = Parameter(0, self)

    @property
    def nonlin(self) -> bool:
        """True for a relu neuron, False for a linear one."""
        return self._activation == "relu"

    def __call__(self, x: Iterable[Value | float]) -> Value:
        """relu(b + w₀x₀ + w₁x₁ + ...), added in that order, as micrograd's ``sum``."""
        return super().__call__(_sample(x))

    def __repr__(self) -> str:
        """``ReLUNeuron(3)`` or ``LinearNeuron(3)``."""
        return f"{'ReLU' if self.nonlin else 'Linear'}Neuron({len(self.w)})"


class Layer(nn.Layer):
    """micrograd's Layer: ``nout`` Neurons(nin, **kwargs); with one, it gives the Value itself."""

    def __init__(self, nin: int, nout: int, **kwargs: Any) -> None:
        nn.check_sizes(nout=nout)
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def __call__(self, x: Iterable[Value | float]) -> Value | list[Value]:
        """[neuron(x) for each neuron], or that one Value when the layer has one neuron."""
        out = super().__call__(_sample(x))
        return out[0] if len(out) == 1 else out

    def __repr__(self) -> str:
        """``Layer of [ReLUNeuron(2), ReLUNeuron(2)]``."""
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(nn.MLP):
    """micrograd's MLP: relu layers of sizes ``nouts``, the last one linear."""

    def __init__(self, nin: int, nouts: Sequence[int]) -> None:
        nn.check_sizes(nouts=nouts)
        self._activation = "relu"
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        self.layers = [Layer(sizes[i], sizes[i + 1], nonlin=i != last) for i in range(len(nouts))]

    def __call__(self, x: Iterable[Value | float]) -> Value | list[Value]:
        """The last layer's output: a Value when it has one neuron, else a list."""
        x = _sample(x)
        nn._check_inputs(x, self.nin, "MLP")
        for layer in self.layers:
            out = layer(x)
            x = [out] if isinstance(out, Value) else out  # a one-neuron layer gives its Value
        return x[0] if len(x) == 1 else x

    def __repr__(self) -> str:
        """``MLP of [Layer of [ReLUNeuron(2), ...], Layer of [LinearNeuron(16)]]``."""
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"


def _sample(x: Any) -> Any:
    """micrograd zips its inputs, so a numpy row or a tuple works: a list of them (else as is)."""
    if type(x) is list or isinstance(x, str | bytes | Value) or not isinstance(x, Iterable):
        return x  # tinygrad_edu's check explains what is wrong with it
    return list(x)
