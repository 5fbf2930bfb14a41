"""tinygrad_edu: a scalar autograd engine for learning, teaching and debugging backpropagation.

Importing it loads no heavy library: the names that draw (graphviz), the
explorer among them, are imported on first use, and training's progress bar
(tqdm) when it starts.
"""

from typing import Any

from .data import make_circles, make_moons, make_spirals, make_xor
from .dual import Dual
from .engine import (
    BackwardStep,
    Value,
    detect_anomaly,
    enable_grad,
    no_grad,
    topological_order,
)
from .explain import explain
from .functional import (
    GradcheckError,
    grad,
    gradcheck,
    hessian,
    jvp,
    numerical_grad,
    value_and_grad,
)
from .losses import binary_cross_entropy, cross_entropy, hinge, mse, softmax
from .nn import MLP, Layer, Module, Neuron, from_torch, load
from .ops import define_op
from .optim import SGD, Adam
from .train import DivergenceError, History, accuracy, evaluate, fit, predict

__version__ = "0.1.0"  # the one place of the version: pyproject.toml reads it from here

_ON_FIRST_USE = {"draw_dot": "draw", "render": "draw", "explore": "explorer"}  # name -> module


def __getattr__(name: str) -> Any:
    """The names whose modules load a heavy library, imported when first asked for."""
    if name not in _ON_FIRST_USE:
        raise AttributeError(f"module 'tinygrad_edu' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{_ON_FIRST_USE[name]}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "__version__",
    "MLP",
    "SGD",
    "Adam",
    "BackwardStep",
    "DivergenceError",
    "Dual",
    "GradcheckError",
    "History",
    "Layer",
    "Module",
    "Neuron",
    "Value",
    "accuracy",
    "binary_cross_entropy",
    "cross_entropy",
    "define_op",
    "detect_anomaly",
    "draw_dot",
    "enable_grad",
    "evaluate",
    "explain",
    "explore",
    "fit",
    "from_torch",
    "grad",
    "gradcheck",
    "hessian",
    "hinge",
    "jvp",
    "load",
    "make_circles",
    "make_moons",
    "make_spirals",
    "make_xor",
    "mse",
    "no_grad",
    "numerical_grad",
    "predict",
    "render",
    "softmax",
    "topological_order",
    "value_and_grad",
]
