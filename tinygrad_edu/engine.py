"""The autograd engine: a scalar ``Value`` that remembers how it was made, and the backward pass.

When ``c = a * b`` is computed, ``c`` records its inputs ``(a, b)`` and the
local derivatives ``(∂c/∂a, ∂c/∂b) = (b, a)``, from the rule of ``*`` in the
table of ``ops.py``.  ``backward()`` is then the chain rule, applied in
reverse topological order::

    for node in reversed(topological_order(root)):
        for inp, local in zip(node.inputs, node.local_grads):
            inp.grad += local * node.grad

An operation has one or two inputs, kept in the node's own slots: a node is
one object, with no closure and no reference cycle, freed as soon as it is dropped.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache
from typing import Any

from .accumulation import Accumulation
from .anomaly import check_edge, check_total
from .hooks import Hooked, HookHandle
from .methods import MathOnValues, add_methods, method
from .ops import OPERATIONS, Operation, describe, give_methods, power
from .steps import BackwardStep, short

Number = int | float

# What the engine does beyond its plain path: module globals, the cheapest check there is.
_recording = True  # False inside no_grad()
_detect_anomaly = False  # True inside detect_anomaly()
_plain = True  # recording and not checking: every new node asks


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

    The message names the operation and its inputs, or the edge and its numbers;
    a failed backward pass leaves every leaf's gradient as it was before it.
    """
    return _mode(anomaly=True)


class Value:
    """A scalar in a computation graph: its value, its gradient, and how it was made.

    Args:
        data: an int or float (``inf`` and ``nan`` included).
        label: a name shown in pictures, explanations and ``repr``.

    A node made by an operation holds each input and ∂self/∂input in
    ``input0, local_grad0`` (and ``input1, local_grad1``); ``inputs`` and
    ``local_grads`` show them as tuples.  The operations (``+ - * / **``,
    ``exp``, ``tanh``, ...) are methods made from the table in ``ops.py``.
    """

    __slots__ = ("data", "grad", "label", "_operation")
    __slots__ += ("input0", "local_grad0", "input1", "local_grad1")  # the inputs, ∂self/∂input

    def __init__(self, data: Number, label: str = "") -> None:
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}: {label!r}")
        self.data, self.grad, self.label = _number(data), 0.0, label
        self._operation = None  # a leaf: made by no operation
        self.input0 = self.local_grad0 = self.input1 = self.local_grad1 = None

    @property
    def op(self) -> str:
        """The operation that made this node: ``"+"``, ``"tanh"``, ``"**2"``; ``""`` for a leaf."""
        return "" if self._operation is None else self._operation.name

    @property
    def inputs(self) -> tuple[Value, ...]:
        """The Values this node was computed from: ``()``, ``(x,)`` or ``(a, b)``."""
        if self.input0 is None:
            return ()
        return (self.input0,) if self.input1 is None else (self.input0, self.input1)

    @property
    def local_grads(self) -> tuple[Any, ...]:
        """∂self/∂input for each input, recorded when the node was made."""
        if self.input0 is None:
            return ()
        return (self.local_grad0,) if self.input1 is None else (self.local_grad0, self.local_grad1)

    def __repr__(self) -> str:
        """``Value(label='n', data=0.7071, grad=0.5, op='tanh')``."""
        if not hasattr(self, "local_grad1"):  # seen only in a debugger, while _node fills it in
            return "Value(being made)"
        label = f"label={self.label!r}, " if self.label else ""
        op = f", op={self.op!r}" if self.op else ""
        grad = short(self.grad) if type(self.grad) is float else repr(self.grad)
        return f"Value({label}data={short(self.data)}, grad={grad}{op})"

    def __format__(self, spec: str) -> str:
        """``f"{v:.4f}"`` formats ``v.data``; ``f"{v}"`` is ``repr(v)``."""
        return format(self.data, spec) if spec else repr(self)

    def item(self) -> float:
        """The plain float ``self.data``, under PyTorch's name for it."""
        return self.data

    def __float__(self, *digits: Any) -> float:
        """Refused: a plain number would drop the graph, and no gradient could flow back."""
        raise TypeError(
            f"float(), int() or round() of a Value would drop its graph, and no gradient could "
            f"flow back through it: use v.data or v.item() for its number ({short(self.data)}), "
            "and the Value's own methods (v.exp(), v.log(), ...) instead of math's functions"
        )

    __int__ = __round__ = __float__

    def __bool__(self) -> bool:
        """A Value is true when its number is not 0, as a float is."""
        return self.data != 0

    def __pow__(self, exponent: Value | Number) -> Value:
        """x ** k for a number k (the one-input operation ``"**k"``), or a ** b for a Value b."""
        if isinstance(exponent, Value):
            return _power_of_values(self, exponent)
        return _power_method(_number(exponent))(self)

    # ---- comparisons look at .data and give a bool; == and hash stay identity (a node) ----
    def __lt__(self, other: Value | Number) -> bool:
        return self.data < _data_of(other)

    def __le__(self, other: Value | Number) -> bool:
        return self.data <= _data_of(other)

    def __gt__(self, other: Value | Number) -> bool:
        return self.data > _data_of(other)

    def __ge__(self, other: Value | Number) -> bool:
        return self.data >= _data_of(other)

    __eq__, __hash__ = object.__eq__, object.__hash__

    # ---- the backward pass ----
    def backward(self, gradient: Any = 1.0, *, create_graph: bool = False) -> None:
        """Set ``node.grad = gradient · ∂self/∂node`` for every node this Value depends on.

        The root's grad is ``gradient``; then each node, in reverse topological
        order, passes ``local * upstream`` to each input: the chain rule.
        Leaves accumulate across calls (as in PyTorch); any other node's grad
        holds this pass's gradient only.  With ``create_graph=True`` the pass
        is itself recorded: every ``.grad`` is a Value to differentiate again.

        The loop is ``backward_pass`` without its ``yield``, for the usual case;
        a hook in the graph, ``detect_anomaly()``, ``create_graph`` and other
        seeds than a float take that one.
        """
        order = topological_order(self)
        if create_graph or not _plain or type(gradient) is not float or Hooked.on_any(order):
            with _mode(recording=create_graph or None):  # create_graph records, even in no_grad
                for _ in backward_pass(self, gradient, create_graph=create_graph):
                    pass
            return
        with Accumulation(order) as earlier:  # noqa: F841 (p earlier: the leaves' grads before)
            self.grad = gradient
            for node in reversed(order):
                upstream = node.grad
                inp, local = node.input0, node.local_grad0
                if inp is not None:
                    inp.grad += local * upstream
                inp, local = node.input1, node.local_grad1
                if inp is not None:
                    inp.grad += local * upstream

    def backward_steps(
        self, gradient: Any = 1.0, *, create_graph: bool = False
    ) -> Iterator[BackwardStep]:
        """``backward()`` one edge at a time, in the same order, as ``BackwardStep`` s.

        Stopping before the last step leaves every leaf's gradient as it was.
        """
        return backward_pass(self, gradient, create_graph=create_graph)

    def register_hook(self, fn: Callable[[Any], object]) -> HookHandle:
        """Call ``fn(grad)`` in each backward pass once this node's gradient is complete.

        ``grad`` is this pass's ∂root/∂node.  To pause in the debugger at a node,
        ``def pause(g): breakpoint()`` and ``v.register_hook(pause)``.
        """
        if not callable(fn):
            raise TypeError(f"register_hook needs a callable, got {type(fn).__name__}")
        if type(self._operation) is not Hooked:
            self._operation = Hooked(self._operation)
        self._operation.hooks.append(fn)
        return HookHandle(self, fn)


_new_value = object.__new__


def _node(data: float, operation: Operation, a: Value, da: Any, b: Value | None, db: Any) -> Value:
    """The node an operation makes (inside ``no_grad()``, a leaf), filled in slot by slot."""
    if not _plain:
        if _detect_anomaly and not math.isfinite(data):
            raise FloatingPointError(f"{describe(operation.name, a, b)} gave {data!r}")
        if not _recording:
            operation = a = da = b = db = None
    out = _new_value(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._operation = operation
    out.input0 = a
    out.local_grad0 = da
    out.input1 = b
    out.local_grad1 = db
    return out


give_methods(Value, lambda operation: add_methods(Value, _node, operation))
_power_of_values = method(OPERATIONS["**"], Value, _node, "__pow__")  # a ** b for a Value b


@lru_cache(maxsize=256)
def _power_method(k: float) -> Callable[[Value], Value]:
    """The method x ** k for a number k."""
    return method(power(k), Value, _node, "__pow__")


VALUES = MathOnValues(Value, _node)  # the m of a rule evaluated on Values, for create_graph


def topological_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on, once each, inputs before the nodes that use them.

    An iterative depth-first search, so graphs of any depth work.  A node whose
    inputs are already placed is placed at once; any other goes back on the
    stack under a ``None`` marker, with its waiting inputs on top, and is
    placed when the marker comes off again, after them.
    """
    if not isinstance(root, Value):
        raise TypeError(f"topological_order needs a Value, got {type(root).__name__}: {root!r}")
    order: list[Value] = []
    seen: set[Value] = set()
    stack: list[Value | None] = [root]
    push, pop, see, place = stack.append, stack.pop, seen.add, order.append  # bound once
    while stack:
        node = pop()
        if node is None:  # a marker: the node under it has every input placed now
            place(pop())
        elif node not in seen:  # (a node pushed by two others is placed after the first)
            see(node)
            a, b = node.input0, node.input1
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
                place(node)
    return order


def backward_pass(
    root: Value, gradient: Any = 1.0, *, create_graph: bool = False, call_hooks: bool = True
) -> Iterator[BackwardStep]:
    """The backward pass, one edge at a time: the reference that ``backward()`` follows.

    With ``create_graph`` each local derivative is the operation's rule again,
    on Values, so every gradient is a Value with a graph of its own.
    ``explain`` replays the pass with ``call_hooks=False``.
    """
    seed = gradient.data if isinstance(gradient, Value) else _number(gradient, "the gradient")
    if create_graph:  # a Value seed keeps its own graph
        seed = gradient if isinstance(gradient, Value) else Value(seed)
    order = topological_order(root)
    with Accumulation(order):  # a failure or an early stop is undone
        root.grad = seed
        for node in reversed(order):
            upstream = node.grad
            if call_hooks and type(node._operation) is Hooked:
                node._operation.call(upstream)
            local_grads = _recorded_local_grads(node) if create_graph else node.local_grads
            for inp, local in zip(node.inputs, local_grads):
                if _detect_anomaly:
                    check_edge(node, inp, local, upstream)
                contribution = local * upstream
                if create_graph and type(inp.grad) is float:  # the first share: no 0.0 + g node
                    inp.grad = contribution
                else:
                    inp.grad += contribution
                if _detect_anomaly:
                    check_total(node, inp)
                yield BackwardStep(node, inp, upstream, local, contribution, inp.grad)


def _recorded_local_grads(node: Value) -> tuple:
    """The node's rule evaluated on its inputs as Values: local derivatives with graphs."""
    with _mode(anomaly=False):  # a bad number is reported by its edge
        return operation_of(node).rule(*node.inputs, VALUES)[1] if node.op else ()


def operation_of(node: Value) -> Operation | None:
    """The record of the operation that made ``node`` (``None`` for a leaf)."""
    made_by = node._operation
    return made_by.operation if type(made_by) is Hooked else made_by


def _number(data: Any, what: str = "Value") -> float:
    if type(data) is float:
        return data
    if type(data) is int or (isinstance(data, numbers.Real) and not isinstance(data, bool)):
        return float(data)
    raise TypeError(f"{what} needs an int or float, got {type(data).__name__}: {data!r}")


def _data_of(x: Any) -> float:
    return x.data if isinstance(x, Value) else _number(x)
