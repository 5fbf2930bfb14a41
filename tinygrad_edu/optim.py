"""Optimizers: SGD (with momentum and weight decay) and Adam, with PyTorch's update rules.

Each one holds a list of parameters; ``step()`` moves every parameter using its
``.grad`` and ``zero_grad()`` clears the gradients for the next step.  ``lr`` is
a plain attribute, so a learning-rate schedule just assigns to it.

``step()`` checks every gradient before it changes anything: each must be a
finite float.  After ``backward(create_graph=True)`` the gradients are Values
(graphs for higher derivatives); stepping with them is a ``TypeError`` rather
than a silent ``.data``, because a parameter must never become a graph: call
``backward()`` without ``create_graph`` for the step.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterable

from .checks import is_number
from .engine import Value


def _check_number(name: str, number: float, low: float, high: float = math.inf) -> float:
    ok = is_number(number)
    if not ok or not low <= number < high:
        upper = "" if high == math.inf else f" and < {high}"
        raise ValueError(f"{name} must be a number >= {low}{upper}, got {number!r}")
    return float(number)


class Optimizer(ABC):
    """What every optimizer shares: its parameters, ``lr`` and ``zero_grad()``."""

    def __init__(self, params: Iterable[Value], lr: float) -> None:
        who = type(self).__name__
        try:
            params = list(params)
        except TypeError:  # a model, or one Value, instead of its parameters
            raise TypeError(
                f"{who} expects an iterable of Values such as model.parameters(), "
                f"got {type(params).__name__}"
            ) from None
        if not params:
            raise ValueError(f"{who} needs at least one parameter (got an empty list)")
        for p in params:
            if not isinstance(p, Value):
                raise TypeError(
                    f"{who}'s parameters must be Values such as model.parameters() gives, "
                    f"got {type(p).__name__}"
                )
        # Each parameter once (a shared weight may be listed twice), so a step moves it once.
        self.params = list({id(p): p for p in params}.values())
        if not is_number(lr) or not lr > 0:
            raise ValueError(f"lr must be a number > 0, got {lr!r}")
        self.lr = float(lr)

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (gradients accumulate otherwise)."""
        for p in self.params:
            p.grad = 0.0

    @abstractmethod
    def step(self) -> None:
        """Move every parameter once, using its gradient (each optimizer's own rule)."""

    def _gradients(self) -> list[float]:
        """Every parameter's gradient as a float, once all of them are checked.

        Raises:
            TypeError: a gradient is a Value (left by ``backward(create_graph=True)``).
            ValueError: a gradient is nan or infinite.
            Nothing has been changed when either is raised.
        """
        grads = []
        for i, p in enumerate(self.params):
            g = p.grad
            name = f"parameter {i}" + (f" ({p.label})" if p.label else "")
            if isinstance(g, Value):
                raise TypeError(
                    f"{name} has a Value as its gradient, left by backward(create_graph=True); "
                    "an optimizer steps with float gradients: call backward() without "
                    "create_graph before step(). Nothing was changed."
                )
            if not math.isfinite(g):
                raise ValueError(
                    f"{name} has the gradient {g!r}; a step would make it {g!r} too. "
                    "Nothing was changed (detect_anomaly() finds where it came from)."
                )
            grads.append(float(g))
        return grads


class SGD(Optimizer):
    """Stochastic gradient descent, as ``torch.optim.SGD`` (no dampening, no Nesterov).

    For each parameter p with gradient g, at step t::

        g ← g + weight_decay · p          (L2 regularisation)
        b ← g at t = 1, else momentum · b + g
        p ← p − lr · b                    (b = g when momentum = 0)
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = _check_number("momentum", momentum, 0.0, 1.0)
        self.weight_decay = _check_number("weight_decay", weight_decay, 0.0)
        self.velocity: list[float | None] = [None] * len(self.params)

    def step(self) -> None:
        """One SGD update of every parameter (see the class docstring), grads checked first."""
        for i, (p, grad) in enumerate(zip(self.params, self._gradients())):
            g = grad + self.weight_decay * p.data
            if self.momentum:
                previous = self.velocity[i]
                g = g if previous is None else self.momentum * previous + g
                self.velocity[i] = g
            p.data -= self.lr * g


class Adam(Optimizer):
    """Adam, as ``torch.optim.Adam``: steps scaled by running averages of g and g².

    For each parameter p with gradient g, at step t = 1, 2, …::

        g ← g + weight_decay · p
        m ← β₁ m + (1 − β₁) g              (first moment, starts at 0)
        v ← β₂ v + (1 − β₂) g²             (second moment, starts at 0)
        p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        if not isinstance(betas, tuple | list) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = (
            _check_number("beta1", betas[0], 0.0, 1.0),
            _check_number("beta2", betas[1], 0.0, 1.0),
        )
        self.eps = _check_number("eps", eps, 0.0)
        self.weight_decay = _check_number("weight_decay", weight_decay, 0.0)
        self.steps = 0
        self.first_moment = [0.0] * len(self.params)
        self.second_moment = [0.0] * len(self.params)

    def step(self) -> None:
        """One Adam update of every parameter (see the class docstring), grads checked first."""
        grads = self._gradients()
        beta1, beta2 = self.betas
        self.steps += 1
        step_size = self.lr / (1 - beta1**self.steps)
        root_correction = math.sqrt(1 - beta2**self.steps)
        for i, (p, grad) in enumerate(zip(self.params, grads)):
            g = grad + self.weight_decay * p.data
            m = self.first_moment[i] = beta1 * self.first_moment[i] + (1 - beta1) * g
            v = self.second_moment[i] = beta2 * self.second_moment[i] + (1 - beta2) * g * g
            p.data -= step_size * m / (math.sqrt(v) / root_correction + self.eps)
