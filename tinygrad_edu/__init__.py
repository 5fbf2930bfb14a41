"""tinygrad_edu: a scalar autograd engine for learning, teaching and debugging backpropagation."""

from .dual import Dual
from .engine import (
    BackwardStep,
    Value,
    detect_anomaly,
    enable_grad,
    no_grad,
    topological_order,
)
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
    "enable_grad",
    "grad",
    "gradcheck",
    "hessian",
    "jvp",
    "no_grad",
    "numerical_grad",
    "topological_order",
    "value_and_grad",
]
