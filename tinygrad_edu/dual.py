"""Forward mode: dual numbers, run over the engine's own rule table.

A dual number x + x'·ε (with ε² = 0) carries a value x and a *tangent* x', the
rate at which x changes when the inputs move along a chosen direction v.  An
operation y = op(a, b) maps dual numbers by the chain rule, left to right::

    y  = op(a, b)
    y' = ∂y/∂a · a' + ∂y/∂b · b'

The local derivatives ∂y/∂a, ∂y/∂b are the operation's rule from the table
in ``ops.py``, evaluated on floats: the same line of math that ``backward()``
uses right to left.  No derivative is written twice.

One pass through f with tangents v gives J·v, one column of the Jacobian per
pass when v is a unit vector: forward mode is cheap with few inputs, whatever
the number of outputs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .checks import is_number
from .ops import FLOATS, OPERATIONS, Operation, give_methods, power

Number = int | float


class Tally:
    """The work of forward mode: ``operations`` evaluated and chain-rule ``products``."""

    __slots__ = ("operations", "products")

    def __init__(self) -> None:
        self.operations = 0
        self.products = 0

    def __repr__(self) -> str:
        """``Tally(operations=…, products=…)``."""
        return f"Tally(operations={self.operations}, products={self.products})"


class Dual:
    """A dual number ``primal + tangent·ε``: a value and its directional derivative.

    It has the same operations as ``Value``, made from the same table
    (``+ - * / **``, unary ``-``, ``abs``, ``exp log tanh sigmoid relu sin cos
    sqrt`` and any ``define_op``), so a function written for Values runs on
    Duals unchanged.  Plain numbers mixed in are constants (tangent 0, and no
    product is spent on them).

    Args:
        primal: the value.
        tangent: its derivative along the chosen direction.
        tally: where to count the work done (shared by every Dual of one pass).
    """

    __slots__ = ("primal", "tangent", "tally")

    def __init__(self, primal: Number, tangent: Number = 0.0, tally: Tally | None = None) -> None:
        self.primal = _check_number(primal, "primal")
        self.tangent = _check_number(tangent, "tangent")
        self.tally = tally

    def __repr__(self) -> str:
        """``Dual(primal=…, tangent=…)`` with four significant digits."""
        return f"Dual(primal={self.primal:.4g}, tangent={self.tangent:.4g})"

    def __pow__(self, exponent: Dual | Number) -> Dual:
        """(a**k)' = k·a**(k−1)·a' for a number k; with a Dual exponent also + a**b·log(a)·b'."""
        if isinstance(exponent, Dual):
            return _apply(OPERATIONS["**"], self, exponent)
        return _apply(power(_check_number(exponent, "exponent")), self)

    # ---- comparisons look at the primal, as Value's look at .data ----
    def __lt__(self, other: Dual | Number) -> bool:
        """Compares the primals, as Value compares ``.data``."""
        return self.primal < _primal(other)

    def __le__(self, other: Dual | Number) -> bool:
        """Compares the primals, as Value compares ``.data``."""
        return self.primal <= _primal(other)

    def __gt__(self, other: Dual | Number) -> bool:
        """Compares the primals, as Value compares ``.data``."""
        return self.primal > _primal(other)

    def __ge__(self, other: Dual | Number) -> bool:
        """Compares the primals, as Value compares ``.data``."""
        return self.primal >= _primal(other)

    __eq__ = object.__eq__
    __hash__ = object.__hash__


def _apply(operation: Operation, *operands: Dual | Number) -> Dual:
    """One operation on dual numbers: its rule gives y and ∂y/∂xᵢ; then y' = Σ ∂y/∂xᵢ · xᵢ'."""
    primals = [_primal(x) for x in operands]
    if operation.check is not None:
        operation.check(*primals)
    try:
        primal, local_grads = operation.rule(*primals, FLOATS)
    except OverflowError:
        raise OverflowError(f"{operation.name} of {primals} overflows a float") from None
    tally = next(x.tally for x in operands if isinstance(x, Dual))
    tangent = 0.0
    for x, local in zip(operands, local_grads):
        if isinstance(x, Dual):
            tangent += local * x.tangent
            if tally is not None:
                tally.products += 1
    if tally is not None:
        tally.operations += 1
    return Dual(primal, tangent, tally)


def _method(operation: Operation, reflected: bool) -> Callable[..., Dual]:
    """Dual's method for ``operation``: ``self <op> other``, swapped when ``reflected``."""

    def method(self: Dual, *other: Dual | Number) -> Dual:
        return _apply(operation, *other, self) if reflected else _apply(operation, self, *other)

    method.__doc__ = f"{operation.doc} Tangent: {'; '.join(operation.derivative_text)}."
    return method


def add_methods(operation: Operation) -> None:
    """Give Dual the methods of ``operation`` (the table's, or a ``define_op``'s)."""
    for name in operation.methods:
        setattr(Dual, name, _method(operation, reflected=name.startswith("__r")))


give_methods(Dual, add_methods)


def forward_pass(
    f: Callable[..., Any], primals: Sequence[Number], tangents: Sequence[Number]
) -> tuple[Any, Any, Tally]:
    """Run f once on dual numbers: the value f(x), the derivative J·v, and the work done.

    Args:
        f: a function of ``len(primals)`` scalars returning a scalar or a list of scalars.
        primals: the point x.
        tangents: the direction v, one number per input.

    Returns:
        ``(value, J·v, tally)``: floats for a scalar output, lists of floats for a list.
    """
    tally = Tally()
    duals = [Dual(x, t, tally) for x, t in zip(primals, tangents)]
    out = f(*duals)
    if isinstance(out, (list, tuple)):
        pairs = [_output(y, i) for i, y in enumerate(out)]
        return [p for p, _ in pairs], [t for _, t in pairs], tally
    primal, tangent = _output(out, None)
    return primal, tangent, tally


def _output(y: Any, index: int | None) -> tuple[float, float]:
    if isinstance(y, Dual):
        return y.primal, y.tangent
    if is_number(y):
        return float(y), 0.0  # a constant output
    where = "f" if index is None else f"output {index} of f"
    raise TypeError(
        f"jvp: {where} must be a scalar (a Dual or a number) or a list of them, "
        f"got {type(y).__name__}: {y!r}"
    )


def _check_number(x: Any, what: str) -> float:
    if not is_number(x):
        raise TypeError(f"a Dual's {what} must be an int or float, got {type(x).__name__}: {x!r}")
    return float(x)


def _primal(x: Dual | Number) -> float:
    return x.primal if isinstance(x, Dual) else _check_number(x, "operand")
