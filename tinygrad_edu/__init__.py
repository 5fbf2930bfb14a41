"""tinygrad_edu: a scalar autograd engine for learning, teaching and debugging backpropagation."""

from .data import make_circles, make_moons, make_spirals, make_xor
from .engine import BackwardStep, Value, detect_anomaly, no_grad, topological_order
from .functional import GradcheckError, gradcheck, numerical_grad
from .losses import binary_cross_entropy, cross_entropy, hinge, mse, softmax
from .nn import MLP, Layer, Module, Neuron
from .optim import SGD, Adam
from .train import History, accuracy, fit, predict

__all__ = [
    "MLP",
    "SGD",
    "Adam",
    "BackwardStep",
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
    "fit",
    "gradcheck",
    "hinge",
    "make_circles",
    "make_moons",
    "make_spirals",
    "make_xor",
    "mse",
    "no_grad",
    "numerical_grad",
    "predict",
    "softmax",
    "topological_order",
]
