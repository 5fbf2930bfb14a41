"""PyTorch and tinygrad_edu: an MLP's layers as an ``nn.Sequential``, and back.

One layer of an MLP is one ``Linear`` and its activation::

    neuron j's weight w.k   <->   Linear.weight[j, k]
    neuron j's bias b       <->   Linear.bias[j]
    relu / tanh / sigmoid   <->   ReLU() / Tanh() / Sigmoid()   (linear: nothing)

so ``Linear`` computes every neuron's Σₖ wₖ·xₖ + b at once, for a whole batch.
This module speaks PyTorch and plain numbers only (``LayerWeights``);
``MLP.to_torch`` and ``tinygrad_edu.from_torch`` in ``tinygrad_edu.nn`` turn
those numbers into a model.  PyTorch is imported when a function here runs,
never when tinygrad_edu is imported.
"""

from __future__ import annotations

from typing import Any, NamedTuple

ACTIVATION_LAYERS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}
"""Each activation and the name of the ``torch.nn`` layer that computes it."""


class LayerWeights(NamedTuple):
    """One layer as plain numbers: a row of weights per neuron, the biases, the activation."""

    rows: list[list[float]]
    biases: list[float]
    activation: str


def _torch() -> Any:
    try:
        import torch
    except ImportError:
        raise ImportError(
            "to_torch and from_torch need PyTorch: pip install torch "
            "(see https://pytorch.org/get-started/locally/)"
        ) from None
    return torch


def sequential(layers: list[LayerWeights], dtype: Any = None) -> Any:
    """``nn.Sequential(Linear, activation, Linear, ...)`` holding ``layers``' weights.

    The numbers are copied into tensors of ``dtype`` (default ``torch.float64``,
    in which they are exactly tinygrad_edu's floats); the tensors require
    gradients, as any fresh ``nn.Linear``'s do.  Made with ``skip_init``, so
    that torch's global random generator is not drawn from.
    """
    torch = _torch()
    dtype = torch.float64 if dtype is None else dtype
    modules = []
    for layer in layers:
        size = (len(layer.rows[0]), len(layer.rows))
        linear = torch.nn.utils.skip_init(torch.nn.Linear, *size, dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(layer.rows, dtype=torch.float64))
            linear.bias.copy_(torch.tensor(layer.biases, dtype=torch.float64))
        modules.append(linear)
        if layer.activation != "linear":
            modules.append(getattr(torch.nn, ACTIVATION_LAYERS[layer.activation])())
    return torch.nn.Sequential(*modules)


def layers_of(module: Any) -> list[LayerWeights]:
    """The layers of an ``nn.Sequential`` of ``Linear`` and activation layers, as numbers.

    Each ``Linear`` must have a bias and as many inputs as the one before has
    outputs, and may be followed by one ``ReLU``, ``Tanh`` or ``Sigmoid``
    (``Identity`` layers are skipped).

    Raises:
        TypeError: ``module`` is not an ``nn.Sequential``, or holds another kind of layer.
        ValueError: the layers do not fit together (see above).
    """
    torch = _torch()
    if not isinstance(module, torch.nn.Sequential):
        raise TypeError(
            "from_torch reads an nn.Sequential of Linear and activation layers, "
            f"got {type(module).__name__}"
        )
    activations = {getattr(torch.nn, name): kind for kind, name in ACTIVATION_LAYERS.items()}
    layers: list[LayerWeights] = []
    for position, child in enumerate(module):
        if isinstance(child, torch.nn.Identity):
            continue
        if type(child) is torch.nn.Linear:
            if child.bias is None:
                raise ValueError(
                    f"layer {position} is a Linear without a bias; every neuron here has one"
                )
            if layers and len(layers[-1].rows) != child.in_features:
                raise ValueError(
                    f"layer {position} takes {child.in_features} inputs, but the layer before "
                    f"gives {len(layers[-1].rows)}"
                )
            rows = child.weight.detach().double().tolist()
            biases = child.bias.detach().double().tolist()
            layers.append(LayerWeights(rows, biases, "linear"))
        elif type(child) in activations:
            if not layers or layers[-1].activation != "linear":
                raise ValueError(
                    f"layer {position} ({type(child).__name__}) must follow a Linear layer"
                )
            layers[-1] = layers[-1]._replace(activation=activations[type(child)])
        else:
            raise TypeError(
                "from_torch reads Linear, ReLU, Tanh and Sigmoid layers; layer "
                f"{position} is {type(child).__name__}"
            )
    if not layers:
        raise ValueError("from_torch needs at least one Linear layer")
    return layers
