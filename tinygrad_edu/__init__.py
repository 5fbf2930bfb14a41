"""tinygrad_edu: a scalar autograd engine for learning, teaching and debugging backpropagation."""

from .data import make_circles, make_moons, make_spirals, make_xor
from .draw import draw_dot, render
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
from .nn import MLP, Layer, Module, Neuron
from .optim import SGD, Adam
from .train import DivergenceError, History, accuracy, fit, predict

__all__ = [
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
    "detect_anomaly",
    "draw_dot",
    "enable_grad",
    "explain",
    "explore",
    "fit",
    "grad",
    "gradcheck",
    "hessian",
    "hinge",
    "jvp",
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


def __getattr__(name: str):
    """``explore`` is imported when first used: the explorer draws with Graphviz."""
    if name == "explore":
        from .explorer import explore

        return explore
    raise AttributeError(f"module 'tinygrad_edu' has no attribute {name!r}")
