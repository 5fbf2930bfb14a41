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
    pow = staticmethod(lambda x, k: _power_in_a_derivative(x, k))


def _pow(a, b, m):  # d(a^b)/da = b·a^(b-1);  d(a^b)/db = a^b·ln a (0 at a = 0, nan for a < 0)
    out = m.pow(a, b)
    zero_times_inf = _data_of(a) == 0 and _data_of(b) == 0
    d_base = 0.0 if zero_times_inf else b * m.pow(a, b - 1)  # 0 at a = b = 0, as in PyTorch
    d_exponent = out * m.log(a) if a > 0 else (0.0 if a >= 0 else math.nan)
    return out, (d_base, d_exponent)


# Each rule maps its inputs (floats, or Values) and the functions `m` to
# (forward value, local derivatives): one line of math per operation.
RULES: dict[str, Callable[..., tuple]] = {
    "+": lambda a, b, m: (a + b, (1.0, 1.0)),
    "-": lambda a, b, m: (a - b, (1.0, -1.0)),
    "*": lambda a, b, m: (a * b, (b, a)),
    "/": lambda a, b, m: (a / b, (1.0 / b, -a / b / b)),  # not -a/(b·b): b·b underflows
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


def _power(k: float, x, m):  # d(x^k)/dx = k·x^(k-1) for a constant k (0 for k = 0, even at 0)
    return m.pow(x, k), (0.0 if k == 0 else k * m.pow(x, k - 1),)


@lru_cache(maxsize=256)
def rule_for(op: str) -> Callable[..., tuple]:
    """The rule of an operation name: ``RULES[op]``, or x^k for ``"**k"`` (a constant k)."""
    return RULES[op] if op in RULES else partial(_power, float(op[2:]))


# What the engine does beyond its plain path.  Module globals, because reading
# one is the cheapest check Python has, and every new node asks `_plain`.
_recording = True  # False inside no_grad()
_detect_anomaly = False  # True inside detect_anomaly()
_plain = True  # recording and not checking


@contextmanager
def _mode(recording: bool | None = None, anomaly: bool | None = None) -> Iterator[None]:
    global _recording, _detect_anomaly, _plain
    before = _recording, _detect_anomaly
    try:
        _recording = before[0] if recording is None else recording
        _detect_anomaly = before[1] if anomaly is None else anomaly
        _plain = _recording and not _detect_anomaly
        yield
    finally:
        _recording, _detect_anomaly = before
        _plain = _recording and not _detect_anomaly


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
    return _mode(anomaly=True)


def _check_number(data: Any) -> float:
    if type(data) is float:
        return data
    if type(data) is int or (isinstance(data, numbers.Real) and not isinstance(data, bool)):
        return float(data)
    raise TypeError(f"Value needs an int or float, got {type(data).__name__}: {data!r}")


# ---- domain checks: bad input is refused before anything is recorded ----
def _check_divisor(a: float, b: float) -> None:
    if b == 0:
        raise ZeroDivisionError(f"division by zero: {a!r} / {b!r}")


def _check_real_power(base: float, k: float) -> None:
    """Refuse powers with no real value: base^k needs an integer k when base < 0."""
    if base < 0 and not k.is_integer():
        raise ValueError(
            f"{base!r} ** {k!r} is not a real number: a negative base needs an integer exponent"
        )


def _check_power(base: float, k: float) -> None:
    """Refuse base^k with no real value, and 0 to a negative power (a division by zero)."""
    _check_real_power(base, k)
    if base == 0 and k < 0:
        raise ZeroDivisionError(f"division by zero: {base!r} ** {k!r}")


def _check_log(x: float) -> None:
    if x <= 0:
        raise ValueError(f"log({x!r}) is undefined: log needs a positive number")


def _check_sqrt(x: float) -> None:
    if x < 0:
        raise ValueError(f"sqrt({x!r}) is undefined: sqrt needs a number >= 0")


_new_value = object.__new__


def _record(data: float, op: str, a: Value, da, b: Value | None, db) -> Value:
    """A new Value holding ``data``, recording its inputs and local derivatives.

    Inside ``no_grad()`` it records nothing; inside ``detect_anomaly()`` a
    result that is not finite raises ``FloatingPointError``.
    """
    if _detect_anomaly and not math.isfinite(data):
        raise FloatingPointError(f"{_describe(op, a, b)} gave {data!r}")
    if not _recording:
        return _node(data, "", None, None, None, None)
    return _node(data, op, a, da, b, db)


def _node(data: float, op: str, a: Value | None, da, b: Value | None, db) -> Value:
    """A new Value, filled in slot by slot (cheaper than calling ``Value(...)``)."""
    out = _new_value(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._op = op
    out._a = a
    out._da = da
    out._b = b
    out._db = db
    return out


def _binary(
    op: str, doc: str = "", swapped: bool = False, check: Callable | None = None
) -> Callable[[Value, Value | Number], Value]:
    """The method for ``self <op> other`` (``other <op> self`` when ``swapped``).

    ``check(a, b)`` refuses bad input before anything is computed.
    """
    rule = RULES[op]

    def method(self: Value, other: Value | Number) -> Value:
        a, b = self, other
        if not isinstance(b, Value):
            b = Value(b)
        if swapped:
            a, b = b, a
        if check is not None:
            check(a.data, b.data)
        try:
            data, (da, db) = rule(a.data, b.data, FLOATS)
        except OverflowError:
            raise OverflowError(f"{_describe(op, a, b)} overflows a float") from None
        if _plain:
            return _node(data, op, a, da, b, db)
        return _record(data, op, a, da, b, db)

    method.__doc__ = doc
    return method


def _unary(op: str, doc: str, check: Callable | None = None) -> Callable[[Value], Value]:
    """The method ``self.<op>()``."""
    rule = RULES[op]

    def method(self: Value) -> Value:
        if check is not None:
            check(self.data)
        return _apply(op, rule, self)

    method.__doc__ = doc
    return method


def _apply(op: str, rule: Callable, x: Value) -> Value:
    try:
        data, (dx,) = rule(x.data, FLOATS)
    except OverflowError:
        raise OverflowError(f"{_describe(op, x)} overflows a float") from None
    if _plain:
        return _node(data, op, x, dx, None, None)
    return _record(data, op, x, dx, None, None)


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
        hooks = _hooks_of(self.node)
        if not self.removed and self.fn in hooks:
            hooks.remove(self.fn)
            if not hooks:
                self.node._op = self.node.op
        self.removed = True


class _Hooked:
    """A node's ``_op`` once hooks are registered on it: the operation's name and the hooks.

    Both say what the backward pass does at the node.  Hooks are rare, so they
    share a slot: with eight slots a node fits Python's 96-byte allocation
    class, with a ninth the 112-byte one, and training is measurably slower.
    """

    __slots__ = ("op", "hooks")

    def __init__(self, op: str) -> None:
        self.op = op
        self.hooks: list[Callable] = []


class Value:
    """A scalar in a computation graph: its value, its gradient, and how it was made.

    Args:
        data: an int or float (``inf`` and ``nan`` included).
        label: a name shown in pictures, explanations and ``repr``.

    ``inputs`` and ``local_grads`` hold, for a node made by an operation, the
    Values it was computed from and ∂self/∂input for each; a leaf has neither.
    They are kept in fixed slots (``_a``, ``_da``, ``_b``, ``_db``), because
    every object a node holds is one more thing to allocate and to collect; the
    node has eight slots in all, which keeps it in Python's 96-byte allocation class.
    """

    __slots__ = ("data", "grad", "label", "_op", "_a", "_da", "_b", "_db")

    def __init__(self, data: Number, label: str = "") -> None:
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}: {label!r}")
        self.data = _check_number(data)
        self.grad = 0.0
        self.label = label
        self._op = ""
        self._a = self._b = self._da = self._db = None

    @property
    def op(self) -> str:
        """The operation that made this node: "+", "tanh", "**2", ... ("" for a leaf)."""
        op = self._op
        return op if type(op) is str else op.op

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
        grad = _short(self.grad) if isinstance(self.grad, float) else repr(self.grad)
        return f"Value({label}data={_short(self.data)}, grad={grad}{op})"

    def __format__(self, spec: str) -> str:
        """``f"{v:.4f}"`` formats ``v.data``; ``f"{v}"`` is ``repr(v)``."""
        return format(self.data, spec) if spec else repr(self)

    def item(self) -> float:
        """The plain float ``self.data``, under PyTorch's name for it."""
        return self.data

    # ---- arithmetic: a Value or a number on either side ----
    # A neuron's w·x + b is n products and n sums, so + and * make nearly every
    # node of a network.  For two Values outside no_grad() and detect_anomaly()
    # their bodies are RULES["+"] and RULES["*"] written out, because calling the
    # rule costs a third of the operation (tests check that both paths agree).
    def __add__(self, other: Value | Number) -> Value:
        """a + b, with ∂/∂a = 1 and ∂/∂b = 1."""
        if type(other) is Value and _plain:
            return _node(self.data + other.data, "+", self, 1.0, other, 1.0)
        return _add(self, other)

    def __mul__(self, other: Value | Number) -> Value:
        """a · b, with ∂/∂a = b and ∂/∂b = a."""
        if type(other) is Value and _plain:
            return _node(self.data * other.data, "*", self, other.data, other, self.data)
        return _multiply(self, other)

    __radd__ = _binary("+", swapped=True)
    __sub__ = _binary("-", "a - b, with ∂/∂a = 1 and ∂/∂b = -1.")
    __rsub__ = _binary("-", swapped=True)
    __rmul__ = _binary("*", swapped=True)
    __truediv__ = _binary(
        "/",
        "a / b, with ∂/∂a = 1/b and ∂/∂b = -a/b²; b = 0 is a ``ZeroDivisionError``.",
        check=_check_divisor,
    )
    __rtruediv__ = _binary("/", swapped=True, check=_check_divisor)
    __rpow__ = _binary("**", swapped=True, check=_check_power)
    __neg__ = _unary("neg", "-x.")
    __abs__ = _unary("abs", "|x|, with slope 0 at x = 0.")

    def __pow__(self, exponent: Value | Number) -> Value:
        """x^k for a number k (one input), or a^b for a Value b (two inputs)."""
        if isinstance(exponent, Value):
            return _power_of_values(self, exponent)
        k = _check_number(exponent)
        _check_power(self.data, k)
        return _constant_power(self, k)

    # ---- functions ----
    exp = _unary("exp", "e^x; an ``OverflowError`` past x ≈ 709.78.")
    log = _unary("log", "ln x, for x > 0.", check=_check_log)
    tanh = _unary("tanh", "tanh x = (e^x - e^-x) / (e^x + e^-x), finite for every input.")
    sigmoid = _unary("sigmoid", "σ(x) = 1 / (1 + e^-x), finite for every input.")
    relu = _unary("relu", "max(0, x), with slope 0 at x = 0.")
    sin = _unary("sin", "sin x.")
    cos = _unary("cos", "cos x.")
    sqrt = _unary("sqrt", "√x, for x ≥ 0 (the slope at 0 is infinite).", check=_check_sqrt)

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
        if create_graph or _detect_anomaly:
            for _ in _backward_pass(self, create_graph):
                pass
            return
        order, earlier = _start_pass(self)
        try:
            self.grad = 1.0
            for node in reversed(order):
                grad = node.grad
                if type(node._op) is _Hooked:
                    _call_hooks(node, grad)
                a = node._a
                if a is not None:
                    a.grad += node._da * grad
                    b = node._b
                    if b is not None:
                        b.grad += node._db * grad
        except BaseException:  # a failing hook, or Ctrl-C: the leaves keep what they held
            _restore_leaves(order, earlier)
            raise
        _add_earlier(earlier)

    def backward_steps(self) -> Iterator[BackwardStep]:
        """``backward()`` one edge at a time, in the same order, as ``BackwardStep`` s.

        Stopping before the last step leaves every leaf's gradient as it was.
        """
        return _backward_pass(self, create_graph=False)

    def register_hook(self, fn: Callable[[Any], object]) -> HookHandle:
        """Call ``fn(grad)`` during each backward pass once this node's gradient is complete.

        ``grad`` is this pass's gradient.  During the pass every ``.grad`` holds
        this pass's gradients only; leaves add what they held before at its end.
        To pause in the debugger at a node: ``v.register_hook(lambda g: breakpoint())``.
        """
        if not callable(fn):
            raise TypeError(f"register_hook needs a callable, got {type(fn).__name__}")
        if type(self._op) is str:
            self._op = _Hooked(self._op)
        self._op.hooks.append(fn)
        return HookHandle(self, fn)


_add = _binary("+")  # a + b for a number b, or inside no_grad() or detect_anomaly()
_multiply = _binary("*")
_power_of_values = _binary("**", check=_check_power)  # a^b for a Value b
_real_power_of_values = _binary("**", check=_check_real_power)


def _constant_power(x: Value, k: float) -> Value:
    """x^k for a number k: the one-input operation "**k"."""
    op = f"**{int(k) if k.is_integer() else k!r}"
    return _apply(op, rule_for(op), x)


def _power_in_a_derivative(x: Value, k: Value | Number) -> Value:
    """x^k as a rule evaluated on Values needs it: 0 to a negative power is inf.

    A derivative can be infinite where its function is finite (the slope of
    √x at 0), so ``create_graph`` gives inf there, as plain backward and
    PyTorch do; only powers with no real value are refused.
    """
    if isinstance(k, Value):
        return _real_power_of_values(x, k)
    k = float(k)
    _check_real_power(x.data, k)
    return _constant_power(x, k)


def _short(x: float) -> str:
    """Four significant digits that still read as a float: 0.7071, 2.0, 1e+06."""
    text = f"{x:.4g}"
    return text + ".0" if text.lstrip("-").isdigit() else text


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

    An iterative depth-first search, so graphs of any depth work.  A node whose
    inputs are already placed is placed at once; any other goes back on the
    stack under a ``None`` marker, with its waiting inputs on top, and is
    placed when the marker comes off again, after them.
    """
    order: list[Value] = []
    seen: set[Value] = set()
    stack: list[Value | None] = [root]
    push, pop = stack.append, stack.pop  # bound once: the loop runs for every node
    while stack:
        node = pop()
        if node is None:  # a marker: the node under it has every input placed now
            order.append(pop())
            continue
        if node in seen:  # pushed by two nodes, placed after the first
            continue
        seen.add(node)
        a, b = node._a, node._b
        if b is not None and b not in seen:
            push(node)
            push(None)
            push(b)
            if a not in seen:
                push(a)  # on top, so a is placed before b
        elif a is not None and a not in seen:
            push(node)
            push(None)
            push(a)
        else:  # a leaf, or a node whose inputs are all placed
            order.append(node)
    return order


def _start_pass(root: Value) -> tuple[list[Value], dict[Value, Any]]:
    """``topological_order(root)`` with every gradient set to 0, and the leaves' earlier ones.

    The same search as ``topological_order``, except that a node's ``grad``
    marks it as seen instead of a set: the pass resets every gradient anyway,
    and a search without a set takes about two thirds of the time.
    """
    seen = object()  # a mark that no gradient can be
    order: list[Value] = []
    earlier: dict[Value, Any] = {}  # leaf -> its gradient from earlier passes
    stack: list[Value | None] = [root]
    push, pop = stack.append, stack.pop
    try:  # the same steps as topological_order's
        while stack:
            node = pop()
            if node is None:
                order.append(pop())
                continue
            if node.grad is seen:
                continue
            a, b = node._a, node._b
            if a is None and node.grad != 0.0:
                earlier[node] = node.grad
            node.grad = seen
            if b is not None and b.grad is not seen:
                push(node)
                push(None)
                push(b)
                if a.grad is not seen:
                    push(a)
            elif a is not None and a.grad is not seen:
                push(node)
                push(None)
                push(a)
            else:
                order.append(node)
        for node in order:
            node.grad = 0.0
        return order, earlier
    except BaseException:  # interrupted (Ctrl-C): no mark may stay, no leaf lose its gradient
        for node in topological_order(root):
            if node.grad is seen:
                node.grad = 0.0
        for leaf, before in earlier.items():
            leaf.grad = before
        raise


def _add_earlier(earlier: dict[Value, Any]) -> None:
    """At the end of a pass, each leaf adds the gradient it held before: leaves accumulate."""
    for leaf, before in earlier.items():
        leaf.grad = before + leaf.grad


def _hooks_of(node: Value) -> list[Callable]:
    op = node._op
    return [] if type(op) is str else op.hooks


def _call_hooks(node: Value, grad: Any) -> None:
    for fn in list(_hooks_of(node)):
        fn(grad)


def _backward_pass(root: Value, create_graph: bool) -> Iterator[BackwardStep]:
    """The backward pass as a generator of steps: the reference that backward() follows."""
    order, earlier = _start_pass(root)
    try:
        root.grad = Value(1.0) if create_graph else 1.0  # so that every gradient is a Value
        for node in reversed(order):
            upstream = node.grad
            if type(node._op) is _Hooked:
                _call_hooks(node, upstream)
            if node._a is None:
                continue
            if create_graph:  # the rule again, on Values; _check_gradient reports a bad number
                with _mode(anomaly=False):
                    _, local_grads = rule_for(node.op)(*node.inputs, VALUES)
                    contributions = [local * upstream for local in local_grads]
            else:
                local_grads = node.local_grads
                contributions = [local * upstream for local in local_grads]
            for inp, local, contribution in zip(node.inputs, local_grads, contributions):
                if _detect_anomaly:
                    _check_gradient(node, inp, upstream, local, contribution)
                inp.grad = _accumulate(inp.grad, contribution)
                yield BackwardStep(node, inp, upstream, local, contribution, inp.grad)
    except BaseException:  # a failing hook, an anomaly, Ctrl-C, or a caller that stopped early
        _restore_leaves(order, earlier)
        raise
    _add_earlier(earlier)


def _restore_leaves(order: list[Value], earlier: dict[Value, Any]) -> None:
    """After a pass that did not finish, the leaves keep what they held before it."""
    for node in order:
        if node._a is None:
            node.grad = earlier.get(node, 0.0)


def _accumulate(total: Any, contribution: Any) -> Any:
    """total + contribution, without a ``0.0 + g`` node when the total is still empty."""
    if isinstance(contribution, Value) and not isinstance(total, Value) and total == 0.0:
        return contribution
    return total + contribution


def _check_gradient(node: Value, inp: Value, upstream, local, contribution) -> None:
    number, local, upstream = (_data_of(x) for x in (contribution, local, upstream))
    if not math.isfinite(number):
        output = f"{node.label} = " if node.label else ""
        raise FloatingPointError(
            f"backward through {output}{_describe(node.op, *node.inputs)}: the gradient "
            f"flowing into {_name(inp)} is {number!r} = local {local!r} * upstream {upstream!r}"
        )
