"""tinygrad_edu: a scalar autograd engine for learning, teaching and debugging backpropagation."""

from .draw import draw_dot, render
from .engine import BackwardStep, Value, detect_anomaly, no_grad, topological_order
from .explain import explain
from .functional import GradcheckError, gradcheck, numerical_grad

__all__ = [
    "BackwardStep",
    "GradcheckError",
    "Value",
    "detect_anomaly",
    "draw_dot",
    "explain",
    "gradcheck",
    "no_grad",
    "numerical_grad",
    "render",
    "topological_order",
]
