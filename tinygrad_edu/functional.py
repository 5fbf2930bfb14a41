"""Derivatives as functions: grad, value_and_grad, hessian, jvp; numerical checks.

``grad(f)`` turns a function into the function that computes its gradient, by
running ``backward()`` on a fresh graph.  Called inside another ``grad`` it
records its own backward pass (``create_graph=True``) and returns Values, so
derivatives nest: ``grad(grad(f))(x)`` is f''(x).  ``jvp`` is forward mode,
with the dual numbers of ``dual.py``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from .checks import is_number, is_whole
from .dual import forward_pass
from .engine import Value, enable_grad, no_grad, topological_order

Number = int | float


def _as_float(result: Value | Number) -> float:
    return result.data if isinstance(result, Value) else float(result)


def numerical_grad(
    f: Callable[..., Value | Number], inputs: Sequence[Number | Value], eps: float = 1e-6
) -> list[float]:
    """The gradient of ``f`` at ``inputs`` by central differences.

    ∂f/∂xᵢ ≈ (f(x + ε·eᵢ) − f(x − ε·eᵢ)) / 2ε, with an error of order ε².

    Args:
        f: a function of ``len(inputs)`` scalars returning a scalar: written for
            Values (it is given Values), or for floats, such as ``math.exp``
            (it is given floats when Values make it raise a TypeError).
        inputs: the point at which to differentiate (numbers, or Values: their data).
        eps: the step ε, a finite number > 0.

    Returns:
        One estimate per input.

    Raises:
        ValueError: ``eps`` is not a finite number > 0.
    """
    if not is_number(eps) or not 0 < eps < math.inf:
        raise ValueError(
            f"eps must be a finite number > 0 (a small step such as 1e-6), got {eps!r}"
        )
    point = _point(inputs, "numerical_grad")
    with no_grad():
        try:
            f(*map(Value, point))
            wrap = Value
        except TypeError:  # a function of floats: math.exp, or one using math's functions
            wrap = float
        estimates = []
        for i in range(len(point)):
            up = point[:i] + [point[i] + eps] + point[i + 1 :]
            down = point[:i] + [point[i] - eps] + point[i + 1 :]
            f_up = _as_float(f(*map(wrap, up)))
            f_down = _as_float(f(*map(wrap, down)))
            estimates.append((f_up - f_down) / (2 * eps))
    return estimates


def _point(inputs: Sequence[Any], name: str) -> list[float]:
    """The numbers of ``inputs``: numbers as floats, Values by their ``.data``."""
    if isinstance(inputs, str | bytes) or not isinstance(inputs, Sequence):
        raise TypeError(f"{name}: inputs must be a list of numbers, got {type(inputs).__name__}")
    point = []
    for i, x in enumerate(inputs):
        if isinstance(x, Value):
            point.append(x.data)
        elif is_number(x):
            point.append(float(x))
        else:
            raise TypeError(
                f"{name}: inputs[{i}] must be a number or a Value, got {type(x).__name__}: {x!r}"
            )
    return point


class GradcheckError(RuntimeError):
    """Analytic and numerical gradients disagree."""


def gradcheck(
    f: Callable[..., Value],
    inputs: Sequence[Number | Value],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-4,
) -> bool:
    """Check ``backward()`` against central differences at ``inputs``.

    Passes when, for every input, |analytic − numerical| ≤ atol + rtol·|numerical|
    (the rule of ``numpy.allclose``).  f is differentiated even inside ``no_grad()``.

    Returns:
        True when every gradient agrees.

    Raises:
        GradcheckError: listing each input's analytic and numerical gradient.
        TypeError: f returned something other than a Value (a constant number,
            say, has no recorded graph to check).
        ValueError: ``eps`` is not a finite number > 0.
    """
    point = _point(inputs, "gradcheck")
    xs = [Value(x, label=f"x{i}") for i, x in enumerate(point)]
    with enable_grad():
        output = f(*xs)
    if not isinstance(output, Value):
        raise TypeError(
            "gradcheck: f must return a Value computed from its arguments, got "
            f"{type(output).__name__}: {output!r}; a constant has no backward pass to check"
        )
    numerical = numerical_grad(f, point, eps)
    output.backward()
    analytic = [x.grad for x in xs]
    bad = [not _close(a, n, atol, rtol) for a, n in zip(analytic, numerical)]
    if any(bad):
        rows = "\n".join(
            f"  x{i} = {x!r}: analytic {a:.8g}, numerical {n:.8g}{'  <-- differs' if b else ''}"
            for i, (x, a, n, b) in enumerate(zip(point, analytic, numerical, bad))
        )
        raise GradcheckError(f"gradients disagree (atol={atol}, rtol={rtol}):\n{rows}")
    return True


def _close(analytic: float, numerical: float, atol: float, rtol: float) -> bool:
    """|analytic − numerical| ≤ atol + rtol·|numerical|; equal infinities agree, nan never does."""
    return analytic == numerical or abs(analytic - numerical) <= atol + rtol * abs(numerical)


# ---- grad, value_and_grad, hessian: reverse mode as function transformations ----


class _Nesting:
    """How many ``grad`` evaluations are running around the current one."""

    depth = 0


@contextmanager
def _inside_grad() -> Iterator[None]:
    _Nesting.depth += 1
    try:
        yield
    finally:
        _Nesting.depth -= 1


def grad(f: Callable[..., Value | Number], argnums: int | tuple[int, ...] = 0) -> Callable:
    """The gradient of ``f`` as a function: ``grad(f)(x) = ∂f/∂x``.

    With ``argnums=i`` it returns ∂f/∂xᵢ; with a tuple ``(i, j, …)`` the tuple
    (∂f/∂xᵢ, ∂f/∂xⱼ, …).  Called with numbers it returns floats.  Called inside
    another ``grad`` (or with Values) it records its backward pass and returns
    Values, so ``grad(grad(f))(x) = f''(x)`` and ``grad(grad(grad(f)))(x) = f'''(x)``.

    f is differentiated even inside ``no_grad()``; a ``no_grad()`` block *inside*
    f is a constant to it.  No ``.grad`` of any Value that f touches is changed.

    Args:
        f: a function of scalars (Values) returning a scalar (a Value or a number).
        argnums: which positional argument(s) to differentiate with respect to.

    Raises:
        TypeError, ValueError: for a bad ``argnums``, a differentiated argument
        that is not a number or Value, or an output that is not a scalar.
    """
    wanted = _check_argnums(argnums, "grad")
    _check_callable(f, "grad")

    def gradient_of_f(*args: Any) -> Any:
        _, grads = _value_and_grads(f, args, wanted, "grad")
        return grads if isinstance(argnums, tuple) else grads[0]

    return gradient_of_f


def value_and_grad(
    f: Callable[..., Value | Number], argnums: int | tuple[int, ...] = 0
) -> Callable:
    """``f`` and its gradient from one forward and one backward pass: (f(x), ∂f/∂x).

    Takes the same arguments and follows the same rules as ``grad``; the value
    is a float for numbers in and a Value inside another ``grad``.
    """
    wanted = _check_argnums(argnums, "value_and_grad")
    _check_callable(f, "value_and_grad")

    def value_and_gradient_of_f(*args: Any) -> tuple[Any, Any]:
        value, grads = _value_and_grads(f, args, wanted, "value_and_grad")
        return value, (grads if isinstance(argnums, tuple) else grads[0])

    return value_and_gradient_of_f


def hessian(f: Callable[..., Value | Number]) -> Callable[..., list[list[Any]]]:
    """The matrix of second derivatives: ``hessian(f)(x₁, …, xₙ)[i][j] = ∂²f/∂xᵢ∂xⱼ``.

    One forward pass and a recorded backward pass give the gradient as Values
    gᵢ = ∂f/∂xᵢ; one more backward pass per gᵢ gives row i, ∂gᵢ/∂xⱼ.  The
    matrix is symmetric for smooth f (the order of differentiation does not matter).

    Returns:
        A list of n rows of n floats (Values when nested inside ``grad``).
    """
    _check_callable(f, "hessian")

    def hessian_of_f(*args: Any) -> list[list[Any]]:
        if not args:
            raise ValueError("hessian(f) needs at least one argument to differentiate")
        nested = _is_nested(args)
        with enable_grad(), _inside_grad():
            inputs = [_as_input(x, i, "hessian") for i, x in enumerate(args)]
            output = _scalar_output(f(*inputs), "hessian")
            first = _gradients(output, inputs, create_graph=True)
            rows = [_gradients(g, inputs, create_graph=nested) for g in first]
        return rows

    return hessian_of_f


def _value_and_grads(
    f: Callable, args: tuple, argnums: tuple[int, ...], name: str
) -> tuple[Any, tuple[Any, ...]]:
    for i in argnums:
        if i >= len(args):
            raise ValueError(
                f"{name}: argnums asks for argument {i}, but f was called with "
                f"{len(args)} argument(s) (valid argnums: 0 to {len(args) - 1})"
            )
    nested = _is_nested(args)
    with enable_grad(), _inside_grad():
        inputs = {i: _as_input(args[i], i, name) for i in argnums}
        output = _scalar_output(f(*(inputs.get(i, x) for i, x in enumerate(args))), name)
        grads = _gradients(output, [inputs[i] for i in argnums], create_graph=nested)
    return (output if nested else output.data), tuple(grads)


def _gradients(output: Value, inputs: list[Value], create_graph: bool) -> list[Any]:
    """∂output/∂input for each input, leaving every ``.grad`` in the graph as it was.

    Each input is a node of its own (a fresh leaf or an identity node), so after
    ``backward()`` its ``.grad`` holds exactly this pass's gradient, or 0 when
    the output does not depend on it.  Floats come back, or Values with
    ``create_graph``.
    """
    saved = [(node, node.grad) for node in topological_order(output)]
    try:
        output.backward(create_graph=create_graph)
        grads = [x.grad for x in inputs]
    finally:
        for node, before in saved:
            node.grad = before
    if create_graph:
        return [g if isinstance(g, Value) else Value(g) for g in grads]
    return grads


def _is_nested(args: tuple) -> bool:
    """Values are wanted back inside another grad, or when Values come in."""
    return _Nesting.depth > 0 or any(isinstance(x, Value) for x in args)


def _as_input(x: Any, index: int, name: str) -> Value:
    """A node of its own for argument ``index``: a new leaf, or x + 0 for a Value x."""
    if isinstance(x, Value):
        node = x + 0.0
        node.label = x.label or f"x{index}"
        return node
    if not is_number(x):
        raise TypeError(
            f"{name}: argument {index} is differentiated, so it must be an int, float or "
            f"Value, got {type(x).__name__}: {x!r}"
        )
    return Value(x, label=f"x{index}")


def _scalar_output(output: Any, name: str) -> Value:
    if isinstance(output, Value):
        return output
    if is_number(output):
        return Value(output)  # a constant function: every derivative is 0
    shape = f" of length {len(output)}" if isinstance(output, (list, tuple)) else ""
    raise TypeError(
        f"{name}: f must return a scalar (a Value or a number), got "
        f"{type(output).__name__}{shape}; for a function with several outputs use jvp"
    )


def _check_argnums(argnums: Any, name: str) -> tuple[int, ...]:
    wanted = argnums if isinstance(argnums, tuple) else (argnums,)
    for i in wanted:
        if not is_whole(i):
            raise TypeError(
                f"{name}: argnums must be an int or a tuple of ints, got {type(i).__name__}: {i!r}"
            )
        if i < 0:
            raise ValueError(f"{name}: argnums must be >= 0 (argument positions), got {i}")
    if not wanted:
        raise ValueError(f"{name}: argnums=() names no argument; give at least one position")
    if len(set(wanted)) != len(wanted):
        raise ValueError(f"{name}: argnums {argnums!r} repeats a position; name each once")
    return wanted


def _check_callable(f: Any, name: str) -> None:
    if not callable(f):
        raise TypeError(f"{name} needs a function, got {type(f).__name__}: {f!r}")


# ---- jvp: forward mode ----


def jvp(
    f: Callable[..., Any], primals: Sequence[Number], tangents: Sequence[Number]
) -> tuple[Any, Any]:
    """Forward mode: f(x) and its directional derivative J·v, in one pass.

    For a scalar f, J·v = Σᵢ ∂f/∂xᵢ · vᵢ = ∇f · v; for a list of outputs yₖ it is
    the list of ∇yₖ · v.  f runs once on dual numbers x + v·ε, whose tangents
    carry the chain rule forward through the same rules (``ops.py``) that ``backward()`` uses.

    Args:
        f: a function of ``len(primals)`` scalars returning a scalar or a list of scalars.
        primals: the point x (numbers).
        tangents: the direction v (numbers), as many as primals.

    Returns:
        ``(f(x), J·v)``: two floats, or two lists of floats for a list of outputs.
    """
    _check_callable(f, "jvp")
    point = _numbers(primals, "primals")
    direction = _numbers(tangents, "tangents")
    if len(point) != len(direction):
        raise ValueError(
            f"jvp: {len(point)} primals but {len(direction)} tangents; give one tangent per input"
        )
    value, derivative, _ = forward_pass(f, point, direction)
    return value, derivative


def _numbers(xs: Any, name: str) -> list[float]:
    if isinstance(xs, (str, bytes)) or not isinstance(xs, Sequence):
        raise TypeError(f"jvp: {name} must be a list or tuple of numbers, got {type(xs).__name__}")
    for i, x in enumerate(xs):
        if not is_number(x):
            raise TypeError(
                f"jvp: {name}[{i}] must be an int or float, got {type(x).__name__}: {x!r}"
            )
    return [float(x) for x in xs]
