"""Derivatives as functions: numerical gradients and gradient checking."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from .engine import Value, no_grad

Number = int | float


def _as_float(result: Value | Number) -> float:
    return result.data if isinstance(result, Value) else float(result)


def numerical_grad(
    f: Callable[..., Value | Number], inputs: Sequence[Number], eps: float = 1e-6
) -> list[float]:
    """The gradient of ``f`` at ``inputs`` by central differences.

    ∂f/∂xᵢ ≈ (f(x + ε·eᵢ) − f(x − ε·eᵢ)) / 2ε, with an error of order ε².

    Args:
        f: a function of ``len(inputs)`` scalars (Values or floats) returning a scalar.
        inputs: the point at which to differentiate.
        eps: the step ε.

    Returns:
        One estimate per input.
    """
    point = [float(x) for x in inputs]
    estimates = []
    with no_grad():
        for i in range(len(point)):
            up = point[:i] + [point[i] + eps] + point[i + 1 :]
            down = point[:i] + [point[i] - eps] + point[i + 1 :]
            f_up = _as_float(f(*map(Value, up)))
            f_down = _as_float(f(*map(Value, down)))
            estimates.append((f_up - f_down) / (2 * eps))
    return estimates


class GradcheckError(RuntimeError):
    """Analytic and numerical gradients disagree."""


def gradcheck(
    f: Callable[..., Value],
    inputs: Sequence[Number],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-4,
) -> bool:
    """Check ``backward()`` against central differences at ``inputs``.

    Passes when, for every input, |analytic − numerical| ≤ atol + rtol·|numerical|.

    Returns:
        True when every gradient agrees.

    Raises:
        GradcheckError: listing each input's analytic and numerical gradient.
    """
    xs = [Value(x, label=f"x{i}") for i, x in enumerate(inputs)]
    f(*xs).backward()
    analytic = [x.grad for x in xs]
    numerical = numerical_grad(f, inputs, eps)
    bad = [not math.isclose(a, n, rel_tol=rtol, abs_tol=atol) for a, n in zip(analytic, numerical)]
    if any(bad):
        rows = "\n".join(
            f"  x{i} = {x!r}: analytic {a:.8g}, numerical {n:.8g}{'  <-- differs' if b else ''}"
            for i, (x, a, n, b) in enumerate(zip(inputs, analytic, numerical, bad))
        )
        raise GradcheckError(f"gradients disagree (atol={atol}, rtol={rtol}):\n{rows}")
    return True
