"""tinygrad_edu: a scalar autograd engine for learning, teaching and debugging backpropagation."""

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

__all__ = [
    "BackwardStep",
    "Dual",
    "GradcheckError",
    "Value",
    "detect_anomaly",
    "draw_dot",
    "enable_grad",
    "explain",
    "grad",
    "gradcheck",
    "hessian",
    "jvp",
    "no_grad",
    "numerical_grad",
    "render",
    "topological_order",
    "value_and_grad",
]
