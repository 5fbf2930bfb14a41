"""The table of operations: for each one, its rule, its domain check and the text of its derivative.

A *rule* maps an operation's inputs, and a namespace ``m`` of elementary
functions, to the operation's value and its local derivatives::

    "*":  lambda a, b, m: (a * b, (b, a))          # a·b, (∂/∂a, ∂/∂b)
    "tanh": lambda x, m: (out := m.tanh(x), (1.0 - out * out,))

Each rule is written once and evaluated four ways: on floats (``m = FLOATS``)
when the engine makes a node; on Values when ``backward(create_graph=True)``
records the backward pass itself; on the floats of dual numbers for ``jvp``;
and on symbols, by ``compile()``, which writes the same math out as Python.
So a rule uses only arithmetic, comparisons and what ``m`` offers:
``exp log sin cos tanh sigmoid sqrt pow sign where number``.

``define_op`` adds a record of the same form, and the operation is then a
method of ``Value`` with everything the built-in ones have.
"""

from __future__ import annotations

import inspect
import keyword
import math
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from .symbols import NotWritable, written_out

Rule = Callable[..., tuple]
Check = Callable[..., None]


class FLOATS:
    """Elementary functions on floats, the ``m`` of a rule when a node is made."""

    exp = staticmethod(math.exp)
    log = staticmethod(math.log)
    sin = staticmethod(math.sin)
    cos = staticmethod(math.cos)
    tanh = staticmethod(math.tanh)
    sqrt = staticmethod(math.sqrt)

    @staticmethod
    def pow(x: float, k: float) -> float:
        """x**k, with 0**k = inf for k < 0 (an infinite slope, as in IEEE and PyTorch)."""
        return math.inf if x == 0 and k < 0 else x**k

    @staticmethod
    def sigmoid(x: float) -> float:
        """σ(x) = 1 / (1 + e^-x), in a form that never overflows."""
        if x >= 0:
            return 1.0 / (1.0 + math.exp(-x))
        e = math.exp(x)
        return e / (1.0 + e)

    @staticmethod
    def sign(x: float) -> float:
        """1.0 for x > 0, -1.0 for x < 0, 0.0 at 0."""
        return 1.0 if x > 0 else -1.0 if x < 0 else 0.0

    @staticmethod
    def where(condition: bool, if_true: Any, if_false: Any) -> Any:
        """``if_true if condition else if_false``: a branch that compile() can write out."""
        return if_true if condition else if_false

    @staticmethod
    def number(x: float) -> float:
        """The number x holds: x itself (on Values, its ``.data``)."""
        return x


class Operation:
    """One record of the table: what an operation computes and how it differentiates.

    Attributes:
        name: how the operation is written in a graph: ``"+"``, ``"tanh"``, ``"**2"``.
        arity: its number of inputs, 1 or 2.
        rule: ``rule(*inputs, m) -> (value, (∂value/∂input, ...))``.
        check: ``check(*input_floats)`` raises the domain error of inputs the
            operation is undefined for (``log(-1.0)``), before anything is made.
        derivative_text: one line per input: ``("d(a*b)/da = b", "d(a*b)/db = a")``.
        methods: the ``Value`` methods it makes: ``("__mul__", "__rmul__")``,
            ``("tanh",)``; a reflected one (``__r*__``) takes its operands swapped.
        doc: a line on what it computes, the docstring of its methods.
    """

    __slots__ = ("name", "arity", "rule", "check", "derivative_text", "methods", "doc")

    def __init__(
        self,
        name: str,
        rule: Rule,
        derivative_text: Sequence[str],
        *,
        check: Check | None = None,
        methods: Sequence[str] = (),
        doc: str = "",
    ) -> None:
        self.name = name
        self.arity = len(derivative_text)
        self.rule = rule
        self.check = check
        self.derivative_text = tuple(derivative_text)
        self.methods = tuple(methods)
        self.doc = doc

    def __reduce__(self) -> tuple:
        """Copied or pickled by name: the copy is the table's own record."""
        return operation, (self.name,)

    def __repr__(self) -> str:
        """``Operation('*': d(a*b)/da = b; d(a*b)/db = a)``."""
        return f"Operation({self.name!r}: {'; '.join(self.derivative_text)})"


# ---- domain checks: each refuses the inputs its operation has no real value for ----
def _nonzero_divisor(a: float, b: float) -> None:
    if b == 0:
        raise ZeroDivisionError(f"division by zero: {a!r} / {b!r}")


def real_power(base: float, k: float) -> None:
    """Refuse base**k with no real value: a negative base needs an integer k."""
    if base < 0 and not k.is_integer():
        raise ValueError(
            f"({base!r}) ** {k!r} is not a real number: a negative base needs an integer exponent"
        )


def _defined_power(base: float, k: float) -> None:
    real_power(base, k)
    if base == 0 and k < 0:
        raise ZeroDivisionError(f"division by zero: {base!r} ** {k!r}")


def _positive_log(x: float) -> None:
    if x <= 0:
        raise ValueError(f"log({x!r}) is undefined: log needs a positive number")


def _nonnegative_sqrt(x: float) -> None:
    if x < 0:
        raise ValueError(f"sqrt({x!r}) is undefined: sqrt needs a number >= 0")


def _a_to_the_b(a, b, m):  # a^b for two inputs: d/da = b·a^(b-1), d/db = a^b·ln a
    out = m.pow(a, b)
    both_zero = m.number(a) == 0 and m.number(b) == 0
    d_base = 0.0 if both_zero else b * m.pow(a, b - 1)  # 0 where b = 0: never 0·inf
    d_exponent = out * m.log(a) if a > 0 else (0.0 if a >= 0 else math.nan)  # a^b·ln a
    return out, (d_base, d_exponent)


_BUILT_IN = [
    Operation(
        "+",
        lambda a, b, m: (a + b, (1.0, 1.0)),
        ["d(a+b)/da = 1", "d(a+b)/db = 1"],
        methods=["__add__", "__radd__"],
        doc="a + b.",
    ),
    Operation(
        "-",
        lambda a, b, m: (a - b, (1.0, -1.0)),
        ["d(a-b)/da = 1", "d(a-b)/db = -1"],
        methods=["__sub__", "__rsub__"],
        doc="a - b.",
    ),
    Operation(
        "*",
        lambda a, b, m: (a * b, (b, a)),
        ["d(a*b)/da = b", "d(a*b)/db = a"],
        methods=["__mul__", "__rmul__"],
        doc="a · b.",
    ),
    Operation(
        "/",
        lambda a, b, m: (a / b, (1.0 / b, -a / b / b)),  # not -a/(b·b): b·b underflows
        ["d(a/b)/da = 1/b", "d(a/b)/db = -a/b**2"],
        check=_nonzero_divisor,
        methods=["__truediv__", "__rtruediv__"],
        doc="a / b; b = 0 is a ZeroDivisionError.",
    ),
    Operation(
        "**",
        _a_to_the_b,
        ["d(a**b)/da = b*a**(b-1)", "d(a**b)/db = a**b*log(a)"],
        check=_defined_power,
        methods=["__rpow__"],  # Value.__pow__ also takes a number exponent: see power()
        doc="a ** b: a real number only (a negative base needs an integer exponent).",
    ),
    Operation(
        "neg",
        lambda x, m: (-x, (-1.0,)),
        ["d(-x)/dx = -1"],
        methods=["__neg__"],
        doc="-x.",
    ),
    Operation(
        "abs",
        lambda x, m: (abs(x), (m.sign(x),)),
        ["d(abs(x))/dx = sign(x)"],
        methods=["__abs__"],
        doc="|x|, with slope 0 at x = 0.",
    ),
    Operation(
        "exp",
        lambda x, m: (out := m.exp(x), (out,)),
        ["d(exp(x))/dx = exp(x)"],
        methods=["exp"],
        doc="e^x; an OverflowError past x ≈ 709.78.",
    ),
    Operation(
        "log",
        lambda x, m: (m.log(x), (1.0 / x,)),
        ["d(log(x))/dx = 1/x"],
        check=_positive_log,
        methods=["log"],
        doc="ln x, for x > 0.",
    ),
    Operation(
        "tanh",
        lambda x, m: (out := m.tanh(x), (1.0 - out * out,)),
        ["d(tanh(x))/dx = 1 - tanh(x)**2"],
        methods=["tanh"],
        doc="tanh x = (e^x - e^-x) / (e^x + e^-x), finite for every input.",
    ),
    Operation(
        "sigmoid",
        lambda x, m: (out := m.sigmoid(x), (out * (1.0 - out),)),
        ["d(sigmoid(x))/dx = sigmoid(x)*(1 - sigmoid(x))"],
        methods=["sigmoid"],
        doc="σ(x) = 1 / (1 + e^-x), finite for every input.",
    ),
    Operation(
        "relu",
        lambda x, m: (m.where(x > 0, x, 0.0), (m.where(x > 0, 1.0, 0.0),)),
        ["d(relu(x))/dx = 1 if x > 0 else 0"],
        methods=["relu"],
        doc="max(0, x), with slope 0 at x = 0.",
    ),
    Operation(
        "sin",
        lambda x, m: (m.sin(x), (m.cos(x),)),
        ["d(sin(x))/dx = cos(x)"],
        methods=["sin"],
        doc="sin x.",
    ),
    Operation(
        "cos",
        lambda x, m: (m.cos(x), (-m.sin(x),)),
        ["d(cos(x))/dx = -sin(x)"],
        methods=["cos"],
        doc="cos x.",
    ),
    Operation(
        "sqrt",
        lambda x, m: (m.sqrt(x), (0.5 * m.pow(x, -0.5),)),
        ["d(sqrt(x))/dx = 1/(2*sqrt(x))"],
        check=_nonnegative_sqrt,
        methods=["sqrt"],
        doc="√x, for x ≥ 0 (the slope at 0 is infinite).",
    ),
]
OPERATIONS: dict[str, Operation] = {op.name: op for op in _BUILT_IN}
"""Every operation by name; ``define_op`` adds to it (``**k`` for a number k: ``power(k)``)."""


@lru_cache(maxsize=256)
def power(k: float) -> Operation:
    """x**k for a constant k: the one-input operation ``"**k"``, with d(x**k)/dx = k·x^(k-1).

    Its slope is 0 for k = 0, even at x = 0 (never 0·inf).
    """
    k_text = _number_text(k)
    slope = {0: "0", 1: "1", 2: "2*x"}.get(k, f"{k_text}*x**{_number_text(k - 1)}")
    return Operation(
        f"**{k_text}",
        lambda x, m: (m.pow(x, k), (0.0 if k == 0 else k * m.pow(x, k - 1),)),
        [f"d(x**{k_text})/dx = {slope}"],
        check=None if k.is_integer() and k >= 0 else lambda x: _defined_power(x, k),
        doc=f"x ** {k_text}.",
    )


def _number_text(k: float) -> str:
    """How an exponent reads in an operation's name: ``2``, ``-0.5``, ``1e+20``."""
    return str(int(k)) if k.is_integer() and abs(k) < 1e16 else repr(k)


def operation(name: str) -> Operation:
    """The record of an operation by the name a node carries: ``"*"``, ``"tanh"``, ``"**2"``."""
    if name in OPERATIONS:
        return OPERATIONS[name]
    if name.startswith("**"):
        return power(float(name[2:]))
    raise KeyError(f"no operation named {name!r}")


def functions() -> dict[str, int]:
    """The operations written as calls, ``name(x)`` or ``name(a, b)``, and their numbers of inputs.

    ``exp``, ``log``, ..., ``abs`` (Python's own ``abs(x)``), and every ``define_op``.
    """
    return {
        op.name: op.arity
        for op in OPERATIONS.values()
        if op.name in op.methods or (op.name == "abs" and "__abs__" in op.methods)
    }


# ---- operations of your own ----
_METHOD_MAKERS: list[tuple[type, Callable[[Operation], None]]] = []
_DEFINED: dict[str, Operation] = {}  # the operations define_op added


def give_methods(cls: type, add_methods: Callable[[Operation], None]) -> None:
    """Make every operation of the table, now and later, a method of ``cls`` (Value, Dual)."""
    _METHOD_MAKERS.append((cls, add_methods))
    for op in OPERATIONS.values():
        add_methods(op)


def define_op(
    name: str,
    rule: Rule,
    derivative_text: Sequence[str] | str | None = None,
    *,
    check: Check | None = None,
    replace: bool = False,
) -> Operation:
    """Add an operation of your own: after ``define_op("softplus", rule)``, ``x.softplus()``.

    ``rule`` has the form of the built-in ones: ``rule(x, m) -> (value, (∂value/∂x,))``,
    or ``rule(a, b, m) -> (value, (∂/∂a, ∂/∂b))`` for two inputs (then
    ``a.name(b)``), with ``m`` holding ``exp log sin cos tanh sigmoid sqrt pow
    sign where number``.  For example softplus(x) = log(1 + eˣ), whose slope is σ(x)::

        def rule(x, m):
            return m.log(1.0 + m.exp(x)), (m.sigmoid(x),)

    The new node works with backward, backward_steps, explain (with
    ``derivative_text``, one line per input, or a text written from the rule),
    draw_dot, gradcheck, create_graph and grad, jvp and compile().

    ``m.where(c, a, b)`` is a function: on Values and dual numbers both ``a``
    and ``b`` are computed before it chooses, so each must be defined for
    every input (as relu's ``x`` and ``0.0`` are; ``m.log(x)`` for x ≤ 0 is not).

    ``check(*inputs)``, if given, raises the error of inputs the operation is
    undefined for (a ``ValueError``, say), before anything is computed, in
    eager mode and in ``compile()``'s code alike.

    The same definition run again (a notebook cell run twice, a script that
    pdb restarts) defines the operation again; a different rule under a name
    ``define_op`` gave before needs ``replace=True``.  Nodes made already keep
    their rule.

    Raises:
        ValueError: the name is taken or not an identifier, or the rule does not
            return a value and one derivative per input; nothing is added.
        TypeError: the rule is not a function of its inputs and ``m``.
    """
    ours = name in _DEFINED
    replace = replace or (ours and _same_code(_DEFINED[name], rule, check))
    if replace and ours:
        OPERATIONS.pop(name)  # checked again below, as a new name; put back if refused
    try:
        operation = new_operation(name, rule, derivative_text, check)
        owners = [cls.__name__ for cls, _ in _METHOD_MAKERS if hasattr(cls, name) and not ours]
        taken = list(dict.fromkeys(owners))  # once each: micrograd's Value is also "Value"
        if taken:
            raise ValueError(f"{name!r} is already a name of {' and '.join(taken)}; choose another")
    except (TypeError, ValueError):
        if replace and ours:
            OPERATIONS[name] = _DEFINED[name]
        raise
    _DEFINED[name] = OPERATIONS[name] = operation
    for _, add_methods in _METHOD_MAKERS:
        add_methods(operation)
    return operation


def _same_code(defined: Operation, rule: Rule, check: Check | None) -> bool:
    """Whether ``rule`` and ``check`` are the defined operation's own, compiled again."""

    def code(function: Any) -> Any:
        return getattr(function, "__code__", function)

    return code(rule) == code(defined.rule) and code(check) == code(defined.check)


TRIAL_POINTS = (0.5, 1.5, 2.5, -0.5)
"""Where ``define_op`` tries a new rule, to check the shape of what it returns."""


def new_operation(
    name: str, rule: Rule, derivative_text: Sequence[str] | str | None, check: Check | None = None
) -> Operation:
    """Check a user's operation and make its record (``define_op`` adds it to the table).

    Raises:
        ValueError: ``name`` is not an identifier, is a keyword, or is taken
            (by an operation or any attribute of ``Value``); the rule does not
            return ``(value, (one derivative per input,))`` at the trial points.
        TypeError: ``rule`` is not a function of one or two inputs and ``m``.
    """
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError(f"an operation's name must be a Python identifier, got {name!r}")
    if name.startswith("_"):
        raise ValueError(f"an operation's name must not start with '_', got {name!r}")
    if name in OPERATIONS:
        again = " (replace=True defines it again)" if name in _DEFINED else ""
        raise ValueError(f"an operation named {name!r} already exists{again}")
    arity = _arity(rule)
    _check_shape(name, rule, arity)
    texts = _derivative_texts(name, rule, arity, derivative_text)
    if check is not None and not callable(check):
        raise TypeError(f"check must be a function of the inputs, got {type(check).__name__}")
    doc = f"{name}, defined by define_op."
    return Operation(name, rule, texts, check=check, methods=[name], doc=doc)


def _arity(rule: Rule) -> int:
    if not callable(rule):
        raise TypeError(f"a rule must be a function, got {type(rule).__name__}: {rule!r}")
    try:
        parameters = inspect.signature(rule).parameters.values()
    except (TypeError, ValueError):
        raise TypeError(f"cannot read the parameters of the rule {rule!r}") from None
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(positional) not in (2, 3) or len(positional) != len(parameters):
        raise TypeError(
            "a rule takes its inputs and the math namespace m, as in "
            "def rule(x, m) or def rule(a, b, m); "
            f"got parameters ({', '.join(p.name for p in parameters)})"
        )
    return len(positional) - 1


def _derivative_texts(name: str, rule: Rule, arity: int, text: Any) -> list[str]:
    """One line per input: the given text, or else the rule's derivatives written out."""
    inputs = ["x"] if arity == 1 else ["a", "b"]
    if text is not None:
        texts = [text] if isinstance(text, str) else list(text)
        if len(texts) != arity or not all(isinstance(t, str) for t in texts):
            raise ValueError(f"derivative_text must be {arity} str (one per input), got {text!r}")
        return texts
    call = f"{name}({', '.join(inputs)})"
    try:
        written = written_out(rule, inputs, call, prefix="")[1]
    except NotWritable:  # a rule that branches on its inputs: the text cannot be read off it
        written = ["(see the rule)"] * arity
    return [f"d({call})/d{x} = {slope}" for x, slope in zip(inputs, written)]


def _check_shape(name: str, rule: Rule, arity: int) -> None:
    """Evaluate the rule at the first trial point it is defined at; it must return numbers."""
    failures = []
    for point in TRIAL_POINTS:
        inputs = [point] * arity
        try:
            result = rule(*inputs, FLOATS)
        except (ArithmeticError, ValueError) as error:
            failures.append(f"at {point}: {type(error).__name__}: {error}")
            continue
        except (AttributeError, TypeError) as error:  # a name m does not have, say
            raise ValueError(
                f"the rule of {name!r} fails at {point}: {type(error).__name__}: {error} "
                f"(m offers {', '.join(n for n in vars(FLOATS) if not n.startswith('_'))})"
            ) from None
        expected = f"(value, ({', '.join(['derivative'] * arity)},))"
        if not (isinstance(result, tuple) and len(result) == 2):
            raise ValueError(f"the rule of {name!r} must return {expected}, got {result!r}")
        value, local_grads = result
        if not isinstance(local_grads, tuple | list) or len(local_grads) != arity:
            raise ValueError(
                f"the rule of {name!r} must return {expected}: one local derivative per "
                f"input, got {local_grads!r}"
            )
        for what in (value, *local_grads):
            if isinstance(what, bool) or not isinstance(what, int | float):
                raise ValueError(
                    f"the rule of {name!r} must return numbers {expected}, got {result!r}"
                )
        return
    raise ValueError(
        f"the rule of {name!r} could not be evaluated at any trial point: {'; '.join(failures)}"
    )


def describe(name: str, *inputs: Any) -> str:
    """How an operation on these Values reads in a message: ``exp(800.0)``, ``x=1.0 / 0.0``."""
    texts = [shown(x) for x in inputs if x is not None]
    if len(texts) == 2 and not name.isidentifier():
        return f"{texts[0]} {name} {texts[1]}"
    if name.startswith("**"):
        return f"{texts[0]} ** {name[2:]}"
    return f"{name}({', '.join(texts)})"


def shown(x: Any) -> str:
    """A Value as a message shows it: ``x=2.0``, or ``2.0`` without a label."""
    return f"{x.label}={x.data!r}" if x.label else repr(x.data)
