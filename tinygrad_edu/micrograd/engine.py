"""micrograd's ``Value`` on tinygrad_edu: ``from tinygrad_edu.micrograd.engine import Value``.

It builds the graph micrograd builds, node for node: ``+``, ``*``, ``**k``
and ``relu`` are operations, and the rest is made of them as micrograd makes
it (``a - b`` is ``a + (b * -1)``, ``a / b`` is ``a * b**-1``), so the numbers
are micrograd's too.  Each node is a ``tinygrad_edu.Value`` that also answers
to micrograd's names for its parts:

    v._prev        the set of its inputs              (tinygrad_edu: v.inputs)
    v._op          '+', '*', '**2', 'ReLU', ''         (v.op, which says 'relu')
    v._backward()  this node's own chain-rule step     (v.local_grads)

A result of tinygrad_edu's engine is a plain ``Value``; the methods here give
it this class (``out.__class__ = Value``), which adds no field: the class has
the same slots, so the node stays the same object, re-classed in place.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MethodType
from typing import Any

from ..engine import Value as TinygradEduValue
from ..ops import Operation, give_methods

MICROGRAD_SPELLING = {"relu": "ReLU"}  # where micrograd's _op differs from tinygrad_edu's op

# The operators micrograd writes with others (below); every other method of the table is
# tinygrad_edu's own, returning micrograd Values: + * relu, and exp, tanh, ... on top.
COMPOSED = ("__neg__", "__radd__", "__sub__", "__rsub__", "__rmul__", "__truediv__",
            "__rtruediv__", "__rpow__")  # fmt: skip


class Value(TinygradEduValue):
    """micrograd's Value: ``Value(data, _children=(), _op='')``, a ``tinygrad_edu.Value`` too.

    Args:
        data: an int or float; it is kept as a float (``Value(2).data == 2.0``).
        _children, _op: micrograd's engine passes these when it makes a node, and
            must then attach a ``_backward`` closure.  Here an operation records
            its inputs with their local derivatives itself, so only a leaf is made
            by hand (give a new operation's rule to ``tinygrad_edu.define_op``).
        label: a name for pictures, as in the micrograd lecture's Value.
    """

    __slots__ = ()  # tinygrad_edu's slots and no more, so a node can change to this class

    def __init__(self, data: float, _children: Any = (), _op: str = "", label: str = "") -> None:
        if _children or _op:
            raise ValueError(
                f"Value(data, _children, _op) makes a node by hand, given {_children!r} and "
                f"{_op!r}: here an operation records its inputs with their local derivatives "
                "when it makes the node, and micrograd's _backward closure has no place. Give "
                "a new operation's rule to tinygrad_edu.define_op(name, rule), and x.name() "
                "makes its nodes (README: 'Operations of your own')"
            )
        super().__init__(data, label)

    @property
    def _prev(self) -> set[TinygradEduValue]:
        """The Values this node was computed from, as a set (micrograd's name for ``inputs``)."""
        return set(self.inputs)

    @property
    def _op(self) -> str:
        """micrograd's name of the operation that made this node: '+', '*', '**2', 'ReLU'; ''."""
        return MICROGRAD_SPELLING.get(self.op, self.op)

    @property
    def _backward(self) -> Callable[[], None]:
        """This node's own step of the chain rule, to call as ``v._backward()``."""
        return MethodType(backward_step, self)

    @_backward.setter
    def _backward(self, closure: Any) -> None:
        raise AttributeError(
            "a node's backward step is its recorded local derivatives (v.local_grads), not a "
            "closure: give a new operation's rule to tinygrad_edu.define_op(name, rule) instead "
            "(README: 'Operations of your own')"
        )

    def __pow__(self, exponent: float) -> Value:
        """x ** k for a number k, as micrograd: a Value exponent is a TypeError."""
        if isinstance(exponent, TinygradEduValue):
            raise TypeError(
                "micrograd's ** takes an int or float exponent, got a Value; "
                "tinygrad_edu.Value also differentiates a ** b with respect to b"
            )
        return _as_micrograd(TinygradEduValue.__pow__(self, exponent))

    def __rpow__(self, base: Any) -> Value:
        """number ** x: a TypeError, as in micrograd, whose ** takes only a number exponent."""
        raise TypeError(
            f"micrograd's Value has no {type(base).__name__} ** Value (its ** takes an int or "
            "float exponent); tinygrad_edu.Value has it"
        )

    # The rest of micrograd's operators, made of + * and ** as micrograd makes them.
    def __neg__(self) -> Value:  # -self
        return self * -1

    def __radd__(self, other: Any) -> Value:  # other + self
        return self + other

    def __sub__(self, other: Any) -> Value:  # self - other
        return self + (-other)

    def __rsub__(self, other: Any) -> Value:  # other - self
        return other + (-self)

    def __rmul__(self, other: Any) -> Value:  # other * self
        return self * other

    def __truediv__(self, other: Any) -> Value:  # self / other
        return self * other**-1

    def __rtruediv__(self, other: Any) -> Value:  # other / self
        return other * self**-1

    def __repr__(self) -> str:
        """micrograd's: ``Value(data=2.0, grad=0.0)``."""
        return f"Value(data={self.data}, grad={self.grad})"


def backward_step(node: TinygradEduValue) -> None:
    """One node's step of the backward pass: ``inp.grad += local * node.grad`` for each input.

    With ∂node/∂inp recorded as ``local`` when the node was made, this adds
    ∂root/∂node · ∂node/∂inp to each input's gradient: the chain rule for the
    edges into ``node``, and nothing for a leaf.  micrograd's ``backward()``
    calls it for every node, in reverse topological order.
    """
    upstream = node.grad
    for inp, local in zip(node.inputs, node.local_grads):
        inp.grad += local * upstream


def _as_micrograd(node: TinygradEduValue) -> Value:
    """The node the engine made, now of this class: the same object, nothing copied."""
    node.__class__ = Value
    return node


def _returning_micrograd(method: Callable, arity: int) -> Callable:
    """tinygrad_edu's ``method``, with a number operand and the result made micrograd Values.

    The steps are written out, not called (as ``_as_micrograd``): this runs for every node.
    """
    if arity == 1:

        def micrograd_method(self: Value) -> Value:
            out = method(self)
            out.__class__ = Value
            return out

    else:

        def micrograd_method(self: Value, other: Any) -> Value:
            if not isinstance(other, TinygradEduValue):
                other = Value(other)  # a number is a micrograd leaf, as micrograd wraps it
            out = method(self, other)
            out.__class__ = Value
            return out

    micrograd_method.__doc__ = method.__doc__
    return micrograd_method


def _give_micrograd_methods(operation: Operation) -> None:
    """Each method of ``operation`` that micrograd does not compose, returning micrograd Values."""
    for name in operation.methods:
        if name not in COMPOSED:
            method = _returning_micrograd(getattr(TinygradEduValue, name), operation.arity)
            method.__name__, method.__qualname__ = name, f"Value.{name}"
            setattr(Value, name, method)


give_methods(Value, _give_micrograd_methods)  # every operation, and those define_op adds later
