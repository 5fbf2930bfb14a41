"""The engine's inner workings: nodes made from the table, modes, hooks, interrupts, memory."""

import gc
import linecache
import math
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinygrad_edu import Value, detect_anomaly, enable_grad, no_grad, topological_order
from tinygrad_edu.accumulation import Accumulation
from tinygrad_edu.ops import FLOATS, OPERATIONS


def fields(v):
    return (v.data, v.grad, v.label, v.op, v.inputs, v.local_grads)


@pytest.mark.parametrize("op", ["+", "-", "*", "/", "**"])
def test_plain_path_builds_the_same_node_as_the_checked_path(op):
    a, b = Value(1.5), Value(0.75)
    make = {"+": a.__add__, "-": a.__sub__, "*": a.__mul__, "/": a.__truediv__, "**": a.__pow__}
    fast = make[op](b)
    with detect_anomaly():
        checked = make[op](b)
    assert fields(fast) == fields(checked)
    assert fast.local_grads == OPERATIONS[op].rule(1.5, 0.75, FLOATS)[1]


@given(st.floats(allow_nan=False), st.floats(allow_nan=False), st.sampled_from(["+", "-", "*"]))
def test_a_node_holds_exactly_what_its_rule_computes(a, b, op):
    node = {"+": Value.__add__, "-": Value.__sub__, "*": Value.__mul__}[op](Value(a), Value(b))
    data, local_grads = OPERATIONS[op].rule(a, b, FLOATS)
    assert math.isnan(node.data) if math.isnan(data) else node.data == data
    assert node.local_grads == local_grads
    assert node.op == op


def test_every_method_of_the_table_is_a_method_of_value():
    for operation in OPERATIONS.values():
        for name in operation.methods:
            assert getattr(Value, name).__doc__ == operation.doc, name


def test_a_node_fits_in_96_bytes():
    """Eight slots: a ninth would put every node in Python's next allocation class (112 bytes)."""
    assert sys.getsizeof(Value(1.0)) <= 96


def test_numbers_on_the_left_become_the_first_input():
    v = Value(2.0)
    for node, value, local_grads in [
        (3 - v, 1.0, (1.0, -1.0)),
        (3 / v, 1.5, (0.5, -0.75)),
        (3 * v, 6.0, (2.0, 3.0)),
        (3 + v, 5.0, (1.0, 1.0)),
    ]:
        constant, right = node.inputs
        assert constant.data == 3.0 and right is v
        assert node.data == value and node.local_grads == local_grads
    assert (2**v).inputs[1] is v


def test_operator_methods_keep_their_docstrings():
    assert Value.__add__.__doc__.startswith("a + b")
    assert "ZeroDivisionError" in Value.__truediv__.__doc__
    assert "709.78" in Value.exp.__doc__


def test_modes_nest_and_come_back_after_errors():
    x = Value(1.0)
    with no_grad():
        assert (x * 2).inputs == ()
        with enable_grad():
            assert len((x * 2).inputs) == 2
        assert (x * 2).inputs == ()
    with pytest.raises(RuntimeError), no_grad(), detect_anomaly():
        raise RuntimeError("leave both blocks")
    assert len((x * 2).inputs) == 2
    assert (x * float("inf")).data == float("inf")  # no anomaly check any more


def test_a_failing_hook_in_backward_leaves_the_leaves_as_they_were():
    a = Value(2.0)
    a.grad = 5.0
    b = a * a
    c = b + 1
    c.backward()
    assert a.grad == 5.0 + 4.0

    def fail(grad):
        raise RuntimeError("stop")

    b.register_hook(fail)
    with pytest.raises(RuntimeError, match="stop"):
        c.backward()
    assert a.grad == 9.0


def test_backward_leaves_the_interpreter_settings_alone():
    before = gc.isenabled(), gc.get_threshold(), sys.getrecursionlimit()
    y = x = Value(0.5)
    for _ in range(5_000):
        y = y + x
    y.backward()
    assert (gc.isenabled(), gc.get_threshold(), sys.getrecursionlimit()) == before
    assert x.grad == 5_001.0


def test_a_graph_is_freed_by_reference_counting_alone():
    x = Value(1.0)
    y = (x * x + 1).tanh()
    y.backward()
    refs = sys.getrefcount(x)
    del y
    assert sys.getrefcount(x) == refs - 2  # the x * x node held x twice, and is gone


def _interrupt_at_line(n, code, action):
    """Run ``action()`` with a KeyboardInterrupt raised at the n-th line run in ``code``.

    Except at a ``with`` line reached again as its block ends, and at a
    ``try:`` that a function starts with: a real Ctrl-C arrives where CPython
    looks for signals (loop back-edges and function entries), so the first is
    inside ``__exit__``; the second is the entry of the code that undoes an
    interrupted pass, which no code can protect.
    """
    lines = 0
    started = set()

    def in_frame(frame, event, arg):
        nonlocal lines
        if event == "line":
            text = linecache.getline(code.co_filename, frame.f_lineno).strip()
            if text.startswith("with ") and frame.f_lineno in started:
                return in_frame
            if text == "try:" and frame.f_lineno == code.co_firstlineno + 1:
                return in_frame
            started.add(frame.f_lineno)
            lines += 1
            if lines == n:
                raise KeyboardInterrupt
        return in_frame

    sys.settrace(lambda frame, event, arg: in_frame if frame.f_code is code else None)
    try:
        action()
    finally:
        sys.settrace(None)
    return lines


@pytest.mark.parametrize("where", ["__enter__", "__exit__", "topological_order", "backward"])
def test_ctrl_c_anywhere_in_backward_leaves_numbers_in_every_grad_and_the_leaves_as_they_were(
    where,
):
    from tinygrad_edu import engine

    holder = {"topological_order": engine, "backward": Value}.get(where, Accumulation)
    code = getattr(holder, where).__code__

    def graph():
        x, w = Value(2.0), Value(-3.0)
        x.grad, w.grad = 5.0, 7.0
        return x, w, ((x * w + x).relu() + w) * w

    lines = _interrupt_at_line(0, code, graph()[2].backward)  # count them
    assert lines >= 9  # the test reaches every line
    for n in range(1, lines + 1):
        x, w, y = graph()
        with pytest.raises(KeyboardInterrupt):
            _interrupt_at_line(n, code, y.backward)
        assert all(type(node.grad) is float for node in topological_order(y)), n
        assert (x.grad, w.grad) == (5.0, 7.0), n


def test_dividing_by_a_tiny_number_gives_an_infinite_slope_not_an_error():
    q = 1 / Value(1e-200)  # b·b underflows to 0; the slope -1/b² is -inf, as in PyTorch
    assert q.data == 1e200 and q.local_grads == (1e200, -math.inf)
