"""A rule evaluated on symbols: the math it computes, written out as Python text.

``compile()`` writes each node's value and local derivatives as lines of
Python, and ``define_op`` writes the text of a new operation's derivative;
both get them by calling the operation's rule on ``Symbol`` s instead of
numbers::

    rule = lambda x, m: (out := m.tanh(x), (1.0 - out * out,))
    value, (slope,) = rule(Symbol.named("x"), SymbolicMath())
    value.text({})                   # 'F.tanh(x)'
    slope.text({value: "y"})         # '1.0 - y * y'

A symbol is a small expression tree; ``text`` writes it with only the
brackets Python needs, and with any sub-expression given a name (the node's
own value above) written as that name.  A rule that branches in Python on
its inputs (``if x > 0``) cannot be written out this way: ``bool`` of a
symbol raises ``NotWritable``, and the caller falls back to calling the rule.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

# How tightly each form binds, as in Python's grammar.
CONDITIONAL, COMPARISON, SUM, PRODUCT, UNARY, POWER, ATOM = 1, 6, 11, 12, 13, 14, 100


class NotWritable(TypeError):
    """The rule does something with a symbol that has no text (a Python ``if`` on it, say)."""


class Symbol:
    """An expression: a form such as ``"{0} + {1}"``, its parts, and how tightly it binds.

    Each part is a Symbol or a number, with the binding it needs to stand
    there without brackets.
    """

    __slots__ = ("form", "parts", "binding")

    def __init__(self, form: str, parts: tuple = (), binding: int = ATOM) -> None:
        self.form, self.parts, self.binding = form, parts, binding

    @classmethod
    def named(cls, name: str) -> Symbol:
        """A variable."""
        return cls(name)

    def text(self, names: dict[Symbol, str]) -> str:
        """This expression as Python, each symbol in ``names`` written as its name."""
        if self in names:
            return names[self]
        return self.form.format(*(_text(part, needs, names) for part, needs in self.parts))

    def __repr__(self) -> str:
        """``Symbol('x * y')``."""
        return f"Symbol({self.text({})!r})"

    def __bool__(self) -> bool:
        raise NotWritable("a rule that branches on its inputs in Python cannot be written out")

    # ---- arithmetic: the same forms, with the bindings that keep Python's order ----
    def __add__(self, other: Any) -> Symbol:
        return _binary("+", SUM, self, other)

    def __radd__(self, other: Any) -> Symbol:
        return _binary("+", SUM, other, self)

    def __sub__(self, other: Any) -> Symbol:
        return _binary("-", SUM, self, other)

    def __rsub__(self, other: Any) -> Symbol:
        return _binary("-", SUM, other, self)

    def __mul__(self, other: Any) -> Symbol:
        return _binary("*", PRODUCT, self, other)

    def __rmul__(self, other: Any) -> Symbol:
        return _binary("*", PRODUCT, other, self)

    def __truediv__(self, other: Any) -> Symbol:
        return _binary("/", PRODUCT, self, other)

    def __rtruediv__(self, other: Any) -> Symbol:
        return _binary("/", PRODUCT, other, self)

    def __pow__(self, other: Any) -> Symbol:
        return Symbol("{0} ** {1}", ((self, POWER + 1), (other, UNARY)), POWER)

    def __rpow__(self, other: Any) -> Symbol:
        return Symbol("{0} ** {1}", ((other, POWER + 1), (self, UNARY)), POWER)

    def __neg__(self) -> Symbol:
        return Symbol("-{0}", ((self, UNARY),), UNARY)

    def __abs__(self) -> Symbol:
        return call("abs", self)

    def __gt__(self, other: Any) -> Symbol:
        return _comparison(">", self, other)

    def __lt__(self, other: Any) -> Symbol:
        return _comparison("<", self, other)

    def __ge__(self, other: Any) -> Symbol:
        return _comparison(">=", self, other)

    def __le__(self, other: Any) -> Symbol:
        return _comparison("<=", self, other)

    def __eq__(self, other: Any) -> Symbol:  # type: ignore[override]
        return _comparison("==", self, other)

    def __ne__(self, other: Any) -> Symbol:  # type: ignore[override]
        return _comparison("!=", self, other)

    __hash__ = object.__hash__  # a symbol is a key by identity (``names``), as before ``==``


def _binary(operator: str, binding: int, left: Any, right: Any) -> Symbol:
    """``left operator right``, left-associative: ``a - (b - c)`` keeps its brackets."""
    return Symbol(f"{{0}} {operator} {{1}}", ((left, binding), (right, binding + 1)), binding)


def _comparison(operator: str, left: Any, right: Any) -> Symbol:
    """``left operator right``, bracketed on both sides: ``(a > 0) > b`` is not ``a > 0 > b``."""
    needs = COMPARISON + 1
    return Symbol(f"{{0}} {operator} {{1}}", ((left, needs), (right, needs)), COMPARISON)


def call(function: str, *arguments: Any) -> Symbol:
    """``function(arguments...)``."""
    slots = ", ".join(f"{{{i}}}" for i in range(len(arguments)))
    return Symbol(f"{function}({slots})", tuple((a, 0) for a in arguments))


def written_out(
    rule: Callable, operands: Sequence[str | float], value_name: str, prefix: str = "F."
) -> tuple[str, list[str]]:
    """A rule's value and its local derivatives as Python text, called on ``operands``.

    Each operand is a variable's name or a number (a constant); a derivative
    that reuses the value writes it as ``value_name``: for tanh on ``"x"``
    named ``"out"``, ``("F.tanh(x)", ["1.0 - out * out"])``.  Functions of ``m``
    are written under ``prefix``.

    Raises:
        NotWritable: the rule cannot be written out (it branches on its inputs
            in Python, or calls math's own functions); call it instead.
    """
    symbols = [Symbol.named(x) if isinstance(x, str) else x for x in operands]
    try:
        value, local_grads = rule(*symbols, SymbolicMath(prefix))
        names = {value: value_name} if isinstance(value, Symbol) else {}
        return written(value, {}), [written(local, names) for local in local_grads]
    except NotWritable:
        raise
    except Exception as error:  # math.exp(symbol), say: a TypeError
        raise NotWritable(f"the rule cannot be written out: {error}") from error


def written(expression: Any, names: dict[Symbol, str]) -> str:
    """A symbol's text, or a number's."""
    return expression.text(names) if isinstance(expression, Symbol) else number_text(expression)


def _text(part: Any, needs: int, names: dict[Symbol, str]) -> str:
    if isinstance(part, Symbol):
        text = part.text(names)
        binding = ATOM if part in names else part.binding
    else:
        text = number_text(part)
        binding = UNARY if text.startswith("-") else ATOM  # -0.0 too: (-0.0) ** x
    return f"({text})" if binding < needs else text


def number_text(x: Any) -> str:
    """A number as Python reads it back: ``2.0``, ``-0.5``, ``inf`` (the namespace defines inf)."""
    if isinstance(x, bool) or not isinstance(x, int | float):
        raise NotWritable(f"a rule gave {type(x).__name__} {x!r}, which has no text as a number")
    if isinstance(x, float) and not math.isfinite(x):
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    return repr(x)


class SymbolicMath:
    """The ``m`` of a rule evaluated on symbols: each function writes its call.

    ``prefix`` is what the calls are written under: ``"F."`` for code that has
    the float functions as ``F``, ``""`` for text a person reads.
    """

    def __init__(self, prefix: str = "F.") -> None:
        self.prefix = prefix

    def __getattr__(self, function: str):
        if function.startswith("_"):
            raise AttributeError(function)
        return lambda *arguments: call(self.prefix + function, *arguments)

    def where(self, condition: Any, if_true: Any, if_false: Any) -> Any:
        """``if_true if condition else if_false``, written inline."""
        if not isinstance(condition, Symbol):  # decided while tracing
            return if_true if condition else if_false
        parts = ((if_true, CONDITIONAL + 1), (condition, CONDITIONAL + 1), (if_false, CONDITIONAL))
        return Symbol("{0} if {1} else {2}", parts, CONDITIONAL)

    def number(self, x: Any) -> Any:
        """A symbol's number is not known while tracing."""
        if isinstance(x, Symbol):
            raise NotWritable("a rule that looks at its inputs' numbers cannot be written out")
        return x
