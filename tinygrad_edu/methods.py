"""How the table of operations becomes methods of Value: ``a * b``, ``2 ** x``, ``x.tanh()``.

Each record of ``ops.OPERATIONS`` names the methods it makes (``__mul__``
and ``__rmul__`` for ``*``, ``tanh`` for tanh).  Every such method does the
same four things, which for ``a * b`` read::

    b = b if isinstance(b, Value) else Value(b)      # a number is a constant leaf
    check(a.data, b.data)                             # for operations with a domain
    data, (da, db) = rule(a.data, b.data, FLOATS)     # the value and ∂/∂a, ∂/∂b
    return node(data, operation, a, da, b, db)       # the engine records it

``node`` is the engine's: it makes the Value (or, inside ``no_grad()``, a
leaf).  This module knows Value only through the class it is given, so the
engine can import it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .ops import FLOATS, OPERATIONS, Operation, describe, power, real_power

Node = Callable[..., Any]  # node(data, operation, a, da, b, db) -> Value
OWN = "the operation's own check"


def two_inputs(
    operation: Operation, value: type, node: Node, reflected: bool = False, check: Any = OWN
) -> Callable:
    """The method ``self <op> other``, or ``other <op> self`` when ``reflected``.

    ``check`` refuses bad input before anything is computed: the operation's
    own by default, or another (``None`` for none).
    """
    rule, name = operation.rule, operation.name
    check = operation.check if check is OWN else check

    def method(self: Any, other: Any) -> Any:
        if type(other) is not value:
            other = other if isinstance(other, value) else value(other)
        a, b = (other, self) if reflected else (self, other)
        if check is not None:
            check(a.data, b.data)
        try:
            data, (da, db) = rule(a.data, b.data, FLOATS)
        except OverflowError:
            raise OverflowError(f"{describe(name, a, b)} overflows a float") from None
        return node(data, operation, a, da, b, db)

    method.__doc__ = operation.doc
    return method


def one_input(operation: Operation, node: Node, check: Any = OWN) -> Callable:
    """The method ``self.<op>()`` (or ``-self``, ``abs(self)``), with the same steps."""
    rule, name = operation.rule, operation.name
    check = operation.check if check is OWN else check

    def method(self: Any) -> Any:
        if check is not None:
            check(self.data)
        try:
            data, (dx,) = rule(self.data, FLOATS)
        except OverflowError:
            raise OverflowError(f"{describe(name, self)} overflows a float") from None
        return node(data, operation, self, dx, None, None)

    method.__doc__ = operation.doc
    return method


def add_methods(value: type, node: Node, operation: Operation) -> None:
    """Make ``operation`` a method of ``value`` under each of its names (``__r…__`` swapped)."""
    for name in operation.methods:
        if operation.arity == 1:
            method = one_input(operation, node)
        else:
            method = two_inputs(operation, value, node, reflected=name.startswith("__r"))
        setattr(value, name, method)


class MathOnValues:
    """The ``m`` of a rule evaluated on Values, for ``create_graph``: each function makes nodes.

    A derivative can be infinite where its function is finite (the slope of
    √x at 0), so ``pow`` here refuses only powers with no real value, where
    the method ``**`` also refuses 0 to a negative power.
    """

    def __init__(self, value: type, node: Node) -> None:
        self._value, self._node = value, node
        self._power_of_values = two_inputs(OPERATIONS["**"], value, node, check=real_power)
        self._powers: dict[float, Callable] = {}

    def exp(self, x: Any) -> Any:
        return x.exp()

    def log(self, x: Any) -> Any:
        return x.log()

    def sin(self, x: Any) -> Any:
        return x.sin()

    def cos(self, x: Any) -> Any:
        return x.cos()

    def tanh(self, x: Any) -> Any:
        return x.tanh()

    def sigmoid(self, x: Any) -> Any:
        return x.sigmoid()

    def sqrt(self, x: Any) -> Any:
        return x.sqrt()

    def sign(self, x: Any) -> float:
        return FLOATS.sign(x.data)

    def number(self, x: Any) -> float:
        return x.data if isinstance(x, self._value) else float(x)

    where = staticmethod(FLOATS.where)

    def pow(self, x: Any, k: Any) -> Any:
        if isinstance(k, self._value):
            return self._power_of_values(x, k)
        k = float(k)
        real_power(x.data, k)
        if k not in self._powers:
            self._powers[k] = one_input(power(k), self._node, check=None)
        return self._powers[k](x)

    def __repr__(self) -> str:
        return "VALUES (the math of rules on Values)"
