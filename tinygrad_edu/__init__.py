"""tinygrad_edu: a scalar autograd engine for learning, teaching and debugging backpropagation."""

__version__ = "0.1.0"  # the one place of the version: pyproject.toml reads it from here

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
from .nn import MLP, Layer, Module, Neuron, from_torch, load
from .optim import SGD, Adam
from .train import DivergenceError, History, accuracy, evaluate, fit, predict

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
    "detect_anomaly",
    "draw_dot",
    "enable_grad",
    "evaluate",
    "explain",
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
