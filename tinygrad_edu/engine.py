"""The autograd engine: a scalar ``Value``, its operations and their derivatives.

Every operation records, on the node it creates, its inputs and the *local
derivatives* of its output with respect to each input.  ``backward()`` is then
the chain rule in its plainest form, applied in reverse topological order::

    for node in reversed(topological_order(root)):
        for inp, local in zip(node.inputs, node.local_grads):
            inp.grad += local * node.grad

Each derivative is written once, in ``RULES``, as a function that works on
plain floats (``FLOATS``) when a node is made and on Values (``VALUES``) when
``backward(create_graph=True)`` records the backward pass itself.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache, partial
from typing import Any, NamedTuple

Number = int | float


class FLOATS:
    """Elementary functions on floats, with IEEE results where Python raises."""

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
        """1 / (1 + e^-x), in a form that never overflows."""
        if x >= 0:
            return 1.0 / (1.0 + math.exp(-x))
        e = math.exp(x)
        return e / (1.0 + e)


class VALUES:
    """The same functions on Values, so that a rule can build a graph."""

    exp = staticmethod(lambda x: x.exp())
    log = staticmethod(lambda x: x.log())
    sin = staticmethod(lambda x: x.sin())
    cos = staticmethod(lambda x: x.cos())
    tanh = staticmethod(lambda x: x.tanh())
    sqrt = staticmethod(lambda x: x.sqrt())
    sigmoid = staticmethod(lambda x: x.sigmoid())
    pow = staticmethod(lambda x, k: x**k)


def _pow(a, b, m):  # d(a^b)/da = b·a^(b-1);  d(a^b)/db = a^b·ln a (0 at a = 0, nan for a < 0)
    out = m.pow(a, b)
    d_exponent = out * m.log(a) if a > 0 else (0.0 if a >= 0 else math.nan)
    return out, (b * m.pow(a, b - 1), d_exponent)


# Each rule maps its inputs (floats, or Values) and the functions `m` to
# (forward value, local derivatives): one line of math per operation.
RULES: dict[str, Callable[..., tuple]] = {
    "+": lambda a, b, m: (a + b, (1.0, 1.0)),
    "-": lambda a, b, m: (a - b, (1.0, -1.0)),
    "*": lambda a, b, m: (a * b, (b, a)),
    "/": lambda a, b, m: (a / b, (1.0 / b, -a / (b * b))),
    "**": _pow,
    "neg": lambda x, m: (-x, (-1.0,)),
    "abs": lambda x, m: (abs(x), (1.0 if x > 0 else -1.0 if x < 0 else 0.0,)),
    "exp": lambda x, m: (out := m.exp(x), (out,)),
    "log": lambda x, m: (m.log(x), (1.0 / x,)),
    "tanh": lambda x, m: (out := m.tanh(x), (1.0 - out * out,)),
    "sigmoid": lambda x, m: (out := m.sigmoid(x), (out * (1.0 - out),)),
    "relu": lambda x, m: (x if x > 0 else 0.0, (1.0 if x > 0 else 0.0,)),
    "sin": lambda x, m: (m.sin(x), (m.cos(x),)),
    "cos": lambda x, m: (m.cos(x), (-m.sin(x),)),
    "sqrt": lambda x, m: (m.sqrt(x), (0.5 * m.pow(x, -0.5),)),
}


def _power(k: float, x, m):  # d(x^k)/dx = k·x^(k-1), for a constant k
    return m.pow(x, k), (k * m.pow(x, k - 1),)


@lru_cache(maxsize=256)
def rule_for(op: str) -> Callable[..., tuple]:
    """The rule of an operation name: ``RULES[op]``, or x^k for ``"**k"`` (a constant k)."""
    return RULES[op] if op in RULES else partial(_power, float(op[2:]))


class _Mode:
    """What the engine does beyond its plain path: ``no_grad`` and anomaly checks."""

    recording = True
    detect_anomaly = False
    plain = True  # recording and not checking: the fast path


@contextmanager
def _mode(**changes: bool) -> Iterator[None]:
    before = {"recording": _Mode.recording, "detect_anomaly": _Mode.detect_anomaly}
    settings = {**before, **changes}
    try:
        for name, setting in settings.items():
            setattr(_Mode, name, setting)
        _Mode.plain = _Mode.recording and not _Mode.detect_anomaly
        yield
    finally:
        for name, setting in before.items():
            setattr(_Mode, name, setting)
        _Mode.plain = _Mode.recording and not _Mode.detect_anomaly


def no_grad() -> AbstractContextManager[None]:
    """Inside this block operations compute values but record no graph (``inputs == ()``)."""
    return _mode(recording=False)


def enable_grad() -> AbstractContextManager[None]:
    """Inside this block operations are recorded again, even within ``no_grad()``."""
    return _mode(recording=True)


def detect_anomaly() -> AbstractContextManager[None]:
    """Inside this block a NaN or infinite result or gradient raises ``FloatingPointError``.

    The message names the operation and its inputs (forward), or the edge and
    its numbers (backward); a failed backward pass leaves every leaf's gradient
    as it was before the pass.
    """
    return _mode(detect_anomaly=True)


def _check_number(data: Any) -> float:
    if type(data) is float:
        return data
    if type(data) is int or (isinstance(data, numbers.Real) and not isinstance(data, bool)):
        return float(data)
    raise TypeError(f"Value needs an int or float, got {type(data).__name__}: {data!r}")


class BackwardStep(NamedTuple):
    """One edge of the backward pass: ``input.grad += local_grad * upstream``."""

    output: Value
    input: Value
    upstream: float
    local_grad: float
    contribution: float
    total: float


class HookHandle:
    """Returned by ``register_hook``; ``remove()`` detaches the hook."""

    def __init__(self, node: Value, fn: Callable) -> None:
        self.node, self.fn = node, fn
        self.removed = False

    def remove(self) -> None:
        """Detach the hook (doing nothing if it is already gone)."""
        hooks = self.node._hooks
        if not self.removed and hooks and self.fn in hooks:
            hooks.remove(self.fn)
            if not hooks:
                self.node._hooks = None
        self.removed = True


class Value:
    """A scalar in a computation graph: its value, its gradient, and how it was made.

    Args:
        data: an int or float (``inf`` and ``nan`` included).
        label: a name shown in pictures, explanations and ``repr``.

    ``inputs`` and ``local_grads`` hold, for a node made by an operation, the
    Values it was computed from and ∂self/∂input for each; a leaf has neither.
    """

    __slots__ = ("data", "grad", "label", "op", "_a", "_b", "_da", "_db", "_hooks")

    def __init__(self, data: Number, label: str = "") -> None:
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}: {label!r}")
        self.data = _check_number(data)
        self.grad = 0.0
        self.label = label
        self.op = ""
        self._a = self._b = self._da = self._db = self._hooks = None

    @property
    def inputs(self) -> tuple[Value, ...]:
        """The Values this node was computed from: (), (x,) or (a, b)."""
        if self._a is None:
            return ()
        return (self._a,) if self._b is None else (self._a, self._b)

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂input for each input, recorded when the node was made."""
        if self._a is None:
            return ()
        return (self._da,) if self._b is None else (self._da, self._db)

    def __repr__(self) -> str:
        label = f"label={self.label!r}, " if self.label else ""
        op = f", op={self.op!r}" if self.op else ""
        grad = f"{self.grad:.4g}" if isinstance(self.grad, float) else repr(self.grad)
        return f"Value({label}data={self.data:.4g}, grad={grad}{op})"

    # ---- arithmetic: a Value or a number on either side ----
    def __add__(self, other: Value | Number) -> Value:
        """a + b."""
        return _binary("+", self, _as_value(other))

    def __radd__(self, other: Number) -> Value:
        return _binary("+", _as_value(other), self)

    def __sub__(self, other: Value | Number) -> Value:
        """a - b."""
        return _binary("-", self, _as_value(other))

    def __rsub__(self, other: Number) -> Value:
        return _binary("-", _as_value(other), self)

    def __mul__(self, other: Value | Number) -> Value:
        """a · b."""
        return _binary("*", self, _as_value(other))

    def __rmul__(self, other: Number) -> Value:
        return _binary("*", _as_value(other), self)

    def __truediv__(self, other: Value | Number) -> Value:
        """a / b; b = 0 is a ``ZeroDivisionError``."""
        return _divide(self, _as_value(other))

    def __rtruediv__(self, other: Number) -> Value:
        return _divide(_as_value(other), self)

    def __pow__(self, exponent: Value | Number) -> Value:
        """x^k for a number k (one input), or a^b for a Value b (two inputs)."""
        if isinstance(exponent, Value):
            _check_power(self.data, exponent.data)
            return _binary("**", self, exponent)
        k = _check_number(exponent)
        _check_power(self.data, k)
        return _unary(f"**{int(k) if k.is_integer() else k!r}", self)

    def __rpow__(self, base: Number) -> Value:
        base = _as_value(base)
        _check_power(base.data, self.data)
        return _binary("**", base, self)

    def __neg__(self) -> Value:
        """-x."""
        return _unary("neg", self)

    def __abs__(self) -> Value:
        """|x|, with slope 0 at x = 0."""
        return _unary("abs", self)

    # ---- functions ----
    def exp(self) -> Value:
        """e^x; an ``OverflowError`` past x ≈ 709.78."""
        return _unary("exp", self)

    def log(self) -> Value:
        """ln x, for x > 0."""
        if self.data <= 0:
            raise ValueError(f"log({self.data!r}) is undefined: log needs a positive number")
        return _unary("log", self)

    def tanh(self) -> Value:
        """tanh x = (e^x - e^-x) / (e^x + e^-x), finite for every input."""
        return _unary("tanh", self)

    def sigmoid(self) -> Value:
        """σ(x) = 1 / (1 + e^-x), finite for every input."""
        return _unary("sigmoid", self)

    def relu(self) -> Value:
        """max(0, x), with slope 0 at x = 0."""
        return _unary("relu", self)

    def sin(self) -> Value:
        """sin x."""
        return _unary("sin", self)

    def cos(self) -> Value:
        """cos x."""
        return _unary("cos", self)

    def sqrt(self) -> Value:
        """√x, for x ≥ 0 (the slope at 0 is infinite)."""
        if self.data < 0:
            raise ValueError(f"sqrt({self.data!r}) is undefined: sqrt needs a number >= 0")
        return _unary("sqrt", self)

    # ---- comparisons look at .data; == and hash stay identity ----
    def __lt__(self, other: Value | Number) -> bool:
        return self.data < _data_of(other)

    def __le__(self, other: Value | Number) -> bool:
        return self.data <= _data_of(other)

    def __gt__(self, other: Value | Number) -> bool:
        return self.data > _data_of(other)

    def __ge__(self, other: Value | Number) -> bool:
        return self.data >= _data_of(other)

    __eq__ = object.__eq__
    __hash__ = object.__hash__

    # ---- the backward pass ----
    def backward(self, create_graph: bool = False) -> None:
        """Fill in ∂self/∂node for every node this Value depends on.

        The root's gradient is 1; each node in reverse topological order passes
        ``local_grad * node.grad`` to each input (the chain rule).  Leaves
        accumulate across calls (as in PyTorch); every other node's grad is reset
        and holds this pass's gradient only.  With ``create_graph=True`` the pass
        is itself recorded: every ``.grad`` is a Value you can differentiate again.
        """
        if create_graph or _Mode.detect_anomaly:
            for _ in _backward_pass(self, create_graph):
                pass
            return
        order = topological_order(self)
        earlier = _start_pass(order)
        self.grad = 1.0
        for node in reversed(order):
            grad = node.grad
            if node._hooks is not None:
                _call_hooks(node, grad)
            a = node._a
            if a is None:
                if node in earlier:
                    node.grad = earlier[node] + grad
                continue
            a.grad += node._da * grad
            b = node._b
            if b is not None:
                b.grad += node._db * grad

    def backward_steps(self) -> Iterator[BackwardStep]:
        """``backward()`` one edge at a time, in the same order, as ``BackwardStep`` s."""
        return _backward_pass(self, create_graph=False)

    def register_hook(self, fn: Callable[[Any], object]) -> HookHandle:
        """Call ``fn(grad)`` during each backward pass once this node's gradient is complete.

        ``grad`` is this pass's gradient (for a leaf, not including earlier passes).
        To pause in the debugger at a node: ``v.register_hook(lambda g: breakpoint())``.
        """
        if not callable(fn):
            raise TypeError(f"register_hook needs a callable, got {type(fn).__name__}")
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(fn)
        return HookHandle(self, fn)


_new_value = object.__new__


def _node(data: float, op: str, a: Value, da, b: Value | None = None, db=None) -> Value:
    """A new Value holding ``data``, recording its inputs and local derivatives."""
    out = _new_value(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._hooks = None
    if _Mode.plain:
        out.op, out._a, out._da, out._b, out._db = op, a, da, b, db
        return out
    if _Mode.detect_anomaly and not math.isfinite(data):
        raise FloatingPointError(f"{_describe(op, a, b)} gave {data!r}")
    if _Mode.recording:
        out.op, out._a, out._da, out._b, out._db = op, a, da, b, db
    else:
        out.op, out._a, out._da, out._b, out._db = "", None, None, None, None
    return out


def _unary(op: str, x: Value) -> Value:
    try:
        data, (dx,) = rule_for(op)(x.data, FLOATS)
    except OverflowError:
        raise OverflowError(f"{_describe(op, x)} overflows a float") from None
    return _node(data, op, x, dx)


def _binary(op: str, a: Value, b: Value) -> Value:
    try:
        data, (da, db) = RULES[op](a.data, b.data, FLOATS)
    except OverflowError:
        raise OverflowError(f"{_describe(op, a, b)} overflows a float") from None
    return _node(data, op, a, da, b, db)


def _divide(a: Value, b: Value) -> Value:
    if b.data == 0:
        raise ZeroDivisionError(f"division by zero: {a.data!r} / {b.data!r}")
    return _binary("/", a, b)


def _check_power(base: float, k: float) -> None:
    """Refuse powers with no real value: base^k needs an integer k when base < 0."""
    if base < 0 and not k.is_integer():
        raise ValueError(
            f"{base!r} ** {k!r} is not a real number: a negative base needs an integer exponent"
        )
    if base == 0 and k < 0:
        raise ZeroDivisionError(f"division by zero: {base!r} ** {k!r}")


def _as_value(x: Value | Number) -> Value:
    return x if isinstance(x, Value) else Value(x)


def _data_of(x: Value | Number) -> float:
    return x.data if isinstance(x, Value) else _check_number(x)


def _name(v: Value) -> str:
    return f"{v.label}={v.data!r}" if v.label else repr(v.data)


def _describe(op: str, a: Value, b: Value | None = None) -> str:
    """How an operation reads in an error message: ``exp(800.0)``, ``x=1.0 / 0.0``."""
    if b is not None:
        return f"{_name(a)} {op} {_name(b)}"
    if op.startswith("**"):
        return f"{_name(a)} {op}"
    return f"{op}({_name(a)})"


def topological_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on, once each, inputs before the nodes that use them.

    An iterative depth-first search, so graphs of any depth work: a node is
    appended only after both its inputs have been.
    """
    order: list[Value] = []
    visited = {root}
    stack = [root]
    while stack:
        node = stack[-1]
        a = node._a
        if a is not None and a not in visited:
            visited.add(a)
            stack.append(a)
            continue
        b = node._b
        if b is not None and b not in visited:
            visited.add(b)
            stack.append(b)
            continue
        order.append(stack.pop())
    return order


def _start_pass(order: list[Value]) -> dict[Value, Any]:
    """Set every gradient to 0 for a new pass; return the leaves' earlier gradients."""
    earlier = {}
    for node in order:
        if node._a is None and node.grad != 0.0:
            earlier[node] = node.grad
        node.grad = 0.0
    return earlier


def _call_hooks(node: Value, grad: Any) -> None:
    for fn in list(node._hooks):
        fn(grad)


def _backward_pass(root: Value, create_graph: bool) -> Iterator[BackwardStep]:
    """The backward pass as a generator of steps: the reference that backward() follows."""
    order = topological_order(root)
    earlier = _start_pass(order)
    root.grad = Value(1.0) if create_graph else 1.0  # so that every gradient is a Value
    try:
        for node in reversed(order):
            upstream = node.grad
            if node._hooks is not None:
                _call_hooks(node, upstream)
            if node._a is None:
                if node in earlier:
                    node.grad = earlier[node] + upstream
                continue
            local_grads = node.local_grads
            if create_graph:
                _, local_grads = rule_for(node.op)(*node.inputs, VALUES)
            for inp, local in zip(node.inputs, local_grads):
                contribution = local * upstream
                if _Mode.detect_anomaly:
                    _check_gradient(node, inp, upstream, local, contribution)
                inp.grad = _accumulate(inp.grad, contribution)
                yield BackwardStep(node, inp, upstream, local, contribution, inp.grad)
    except Exception:  # an anomaly or a failing hook: the leaves keep what they held
        for node in order:
            if node._a is None:
                node.grad = earlier.get(node, 0.0)
        raise


def _accumulate(total: Any, contribution: Any) -> Any:
    """total + contribution, without a ``0.0 + g`` node when the total is still empty."""
    if isinstance(contribution, Value) and not isinstance(total, Value) and total == 0.0:
        return contribution
    return total + contribution


def _check_gradient(node: Value, inp: Value, upstream, local, contribution) -> None:
    number = contribution.data if isinstance(contribution, Value) else contribution
    if not math.isfinite(number):
        output = f"{node.label} = " if node.label else ""
        raise FloatingPointError(
            f"backward through {output}{_describe(node.op, *node.inputs)}: the gradient "
            f"flowing into {_name(inp)} is {number!r} = local {local!r} * upstream {upstream!r}"
        )
