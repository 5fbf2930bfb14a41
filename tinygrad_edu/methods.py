"""How the table of operations becomes methods of Value: ``a * b``, ``2 ** x``, ``x.tanh()``.

Each record of ``ops.OPERATIONS`` names the methods it makes (``__mul__`` and
``__rmul__`` for ``*``, ``tanh`` for tanh).  A method is written out from the
operation's rule, the way ``compile()`` writes out a graph: called on symbols,
the rule gives its math as Python, and the method is that math, with the node
recorded.  For ``*``, whose rule is ``lambda a, b, m: (a * b, (b, a))``::

    def __mul__(self, other):
        if type(other) is not Value:
            other = other if isinstance(other, Value) else Value(other)
        a, b = self.data, other.data
        try:
            out = a * b
        except OverflowError:
            raise OverflowError(f"{describe(operation.name, self, other)} overflows a float")
        return node(out, operation, self, b, other, a)

So the derivative is written once, in the table, and a node costs no call of
its rule.  ``inspect.getsource(Value.__mul__)`` shows that text, and so does a
debugger stepping into ``a * b``.  A rule that branches on its inputs in Python
cannot be written out; its method calls the rule instead (``out, (da, db) =
rule(a, b, F)``), which computes the same.  ``node`` is the engine's: it makes
the Value (inside ``no_grad()``, a leaf).  This module knows Value only through
the class it is given, so the engine can import it.
"""

from __future__ import annotations

import linecache
import math
from collections.abc import Callable
from typing import Any

from .ops import FLOATS, OPERATIONS, Operation, describe, power, real_power
from .symbols import NotWritable, written_out

Node = Callable[..., Any]  # node(data, operation, a, da, b, db) -> Value
OWN = "the operation's own check"


def method(operation: Operation, value: type, node: Node, name: str, check: Any = OWN) -> Callable:
    """The method ``name`` of ``value`` for ``operation``, written out from its rule.

    A reflected name (``__rmul__``) takes its operands the other way round:
    ``other * self``.  ``check`` refuses bad input before anything is
    computed: the operation's own by default, another, or ``None``.
    """
    check = operation.check if check is OWN else check
    source = _source(operation, name, checked=check is not None)
    namespace = {"Value": value, "node": node, "operation": operation, "rule": operation.rule}
    namespace |= {"check": check, "F": FLOATS, "describe": describe, "inf": math.inf}
    namespace["nan"] = math.nan
    filename = f"<{value.__name__}.{name}, written from the rule of {operation.name!r}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    made: dict[str, Callable] = {}  # apart from the names above: an operation may be "node"
    exec(compile(source, filename, "exec"), namespace, made)  # the rule's math and those names
    written = made[name]
    written.__doc__ = f"{operation.doc}  {'; '.join(operation.derivative_text)}."
    return written


def _source(operation: Operation, name: str, checked: bool) -> str:
    """The text of the method: its inputs' numbers, the check, the rule's math, the node."""
    if operation.arity == 1:
        head = [f"def {name}(self):", "    x = self.data"]
        inputs, operands, nodes = ["x"], "self", "self, {0}, None, None"
    else:  # for a reflected name (__rmul__), other <op> self: most often a number on the left
        first, second = ("other", "self") if name.startswith("__r") else ("self", "other")
        head = [f"def {name}(self, other):", "    if type(other) is not Value:"]
        head.append("        other = other if isinstance(other, Value) else Value(other)")
        head.append(f"    a, b = {first}.data, {second}.data")
        inputs, operands = ["a", "b"], f"{first}, {second}"
        nodes = f"{first}, {{0}}, {second}, {{1}}"
    if checked:
        head.append(f"    check({', '.join(inputs)})")
    computed, local_grads = _math(operation, inputs)
    return "\n".join(
        [
            *head,
            "    try:",
            *(f"        {line}" for line in computed),
            "    except OverflowError:",
            f"        raise OverflowError(f'{{describe(operation.name, {operands})}} overflows"
            " a float') from None",
            f"    return node(out, operation, {nodes.format(*local_grads)})",
            "",
        ]
    )


def _math(operation: Operation, inputs: list[str]) -> tuple[list[str], list[str]]:
    """Lines computing ``out`` (and any local derivative that needs a line), and the locals.

    The rule on symbols gives its text; a rule that cannot be written out is called.
    """
    locals_ = [f"d{x}" for x in inputs]
    try:
        out, local_texts = written_out(operation.rule, inputs, "out")
    except NotWritable:  # it is called instead
        return [f"out, ({', '.join(locals_)},) = rule({', '.join(inputs)}, F)"], locals_
    lines = [f"out = {out}", *(f"{d} = {text}" for d, text in zip(locals_, local_texts))]
    return lines, locals_


def add_methods(value: type, node: Node, operation: Operation) -> None:
    """Make ``operation`` a method of ``value`` under each of its names."""
    for name in operation.methods:
        setattr(value, name, method(operation, value, node, name))


class MathOnValues:
    """The ``m`` of a rule evaluated on Values, for ``create_graph``: each function makes nodes.

    A derivative can be infinite where its function is finite (the slope of
    √x at 0), so ``pow`` here refuses only powers with no real value, where
    the method ``**`` also refuses 0 to a negative power.
    """

    def __init__(self, value: type, node: Node) -> None:
        self._value, self._node = value, node
        self._power_of_values = method(OPERATIONS["**"], value, node, "__pow__", real_power)
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
            self._powers[k] = method(power(k), self._value, self._node, "__pow__", check=None)
        return self._powers[k](x)

    def __repr__(self) -> str:
        return "VALUES (the math of rules on Values)"
