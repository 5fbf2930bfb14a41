"""Hand-checked cases for the engine: values, gradients, accumulation, errors."""

import gc
import math

import pytest

from tinygrad_edu import BackwardStep, Value, detect_anomaly, no_grad, topological_order


# ---- construction ----
@pytest.mark.parametrize("data", [3, 2.5, -0.0, math.inf, -math.inf])
def test_value_holds_a_float(data):
    v = Value(data, label="v")
    assert type(v.data) is float and v.data == data
    assert v.grad == 0.0 and v.label == "v" and v.op == ""
    assert v.inputs == () and v.local_grads == ()


def test_nan_is_accepted():
    assert math.isnan(Value(math.nan).data)


@pytest.mark.parametrize(
    "bad, name",
    [("3", "str"), (True, "bool"), (1j, "complex"), (None, "NoneType"), ([1.0], "list")],
)
def test_value_rejects_non_numbers_naming_the_type(bad, name):
    with pytest.raises(TypeError, match=name):
        Value(bad)


def test_label_must_be_a_string_and_may_be_set_later():
    with pytest.raises(TypeError, match="label"):
        Value(1.0, label=3)
    v = Value(1.0)
    v.label = "later"
    assert v.label == "later"


def test_repr_shows_label_data_grad_and_op():
    n = Value(0.5, "x").sqrt()
    n.label, n.grad = "n", 0.5
    assert repr(n) == "Value(label='n', data=0.7071, grad=0.5, op='sqrt')"
    assert repr(Value(2.0)) == "Value(data=2.0, grad=0.0)"
    assert repr(Value(-3)) == "Value(data=-3.0, grad=0.0)" and "data=1e+06" in repr(Value(1e6))
    assert "data=inf" in repr(Value(math.inf)) and "data=nan" in repr(Value(math.nan))


def test_format_and_item_give_the_number():
    v = Value(2.0 / 3.0, "v")
    assert f"{v:.3f}" == "0.667" and f"{v:>8.2f}" == "    0.67" and f"{v}" == repr(v)
    assert v.item() == v.data and type(v.item()) is float


# ---- forward values and local derivatives ----
def test_every_operation_records_inputs_and_local_grads():
    a, b = Value(3.0, "a"), Value(-2.0, "b")
    cases = {
        a + b: (1.0, (a, b), (1.0, 1.0)),
        a - b: (5.0, (a, b), (1.0, -1.0)),
        a * b: (-6.0, (a, b), (-2.0, 3.0)),
        a / b: (-1.5, (a, b), (-0.5, -3.0 / 4.0)),
        a**2: (9.0, (a,), (6.0,)),
        -a: (-3.0, (a,), (-1.0,)),
        abs(b): (2.0, (b,), (-1.0,)),
        b.relu(): (0.0, (b,), (0.0,)),
        a.relu(): (3.0, (a,), (1.0,)),
    }
    for node, (data, inputs, local_grads) in cases.items():
        assert node.data == data
        assert node.inputs == inputs
        assert node.local_grads == pytest.approx(local_grads)


def test_numbers_on_either_side():
    v = Value(2.0)
    assert (v + 1).data == 3.0 and (1 + v).data == 3.0
    assert (v - 5).data == -3.0 and (5 - v).data == 3.0
    assert (v * 4).data == 8.0 and (4 * v).data == 8.0
    assert (v / 4).data == 0.5 and (4 / v).data == 2.0
    assert (v**3).data == 8.0 and (3**v).data == 9.0
    assert (v ** Value(3.0)).data == 8.0


def test_power_op_names():
    v = Value(2.0)
    assert (v**2).op == "**2" and (v**0.5).op == "**0.5" and (v**-1).op == "**-1"
    assert (v ** Value(2.0)).op == "**" and (2**v).op == "**"


def test_functions_match_math():
    x = 0.7
    v = Value(x)
    assert v.exp().data == math.exp(x)
    assert v.log().data == math.log(x)
    assert v.tanh().data == math.tanh(x)
    assert v.sigmoid().data == pytest.approx(1 / (1 + math.exp(-x)))
    assert v.sin().data == math.sin(x) and v.cos().data == math.cos(x)
    assert v.sqrt().data == math.sqrt(x)


def test_kinks_follow_pytorch():
    zero = Value(0.0)
    assert zero.relu().local_grads == (0.0,)
    assert abs(zero).local_grads == (0.0,)


@pytest.mark.parametrize("x", [1e6, -1e6, 1e300, -1e300, 800.0, -800.0])
def test_tanh_and_sigmoid_never_overflow(x):
    for node in (Value(x).tanh(), Value(x).sigmoid()):
        node.backward()
        assert math.isfinite(node.data) and math.isfinite(node.inputs[0].grad)
    assert Value(x).sigmoid().data == (1.0 if x > 0 else 0.0)
    assert Value(-800.0).sigmoid().local_grads == (0.0,)


def test_comparisons_use_data_and_equality_is_identity():
    a, b = Value(1.0), Value(1.0)
    assert a < 2 and a <= b and b >= a and not a > b and 2 > a  # noqa: SIM300
    assert a != b and a == a and len({a, b}) == 2


# ---- errors: clear, naming the operation and the value, before anything is recorded ----
@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: Value(-1.0).log(), ValueError, "log\\(-1.0\\)"),
        (lambda: Value(0.0).log(), ValueError, "log\\(0.0\\)"),
        (lambda: Value(-4.0).sqrt(), ValueError, "sqrt\\(-4.0\\)"),
        (lambda: Value(1.0) / 0, ZeroDivisionError, "1.0 / 0.0"),
        (lambda: 1 / Value(0.0), ZeroDivisionError, "1.0 / 0.0"),
        (lambda: Value(-8.0) ** (1 / 3), ValueError, "\\(-8.0\\) \\*\\* 0.333"),
        (lambda: Value(-8.0) ** Value(0.5), ValueError, "\\(-8.0\\) \\*\\* 0.5"),
        (lambda: (-2) ** Value(0.5), ValueError, "\\(-2.0\\) \\*\\* 0.5"),
        (lambda: Value(0.0) ** -1, ZeroDivisionError, "0.0 \\*\\* -1"),
        (lambda: Value(800.0).exp(), OverflowError, "exp\\(800.0\\)"),
        (lambda: Value(1e200) ** 2, OverflowError, "1e\\+200"),
    ],
)
def test_domain_errors_name_operation_and_value(make, error, words):
    with pytest.raises(error, match=words):
        make()


def test_negative_base_with_integer_power_is_real():
    v = Value(-2.0)
    assert (v**3).data == -8.0 and (v ** Value(2.0)).data == 4.0


def test_unsupported_operand_is_a_type_error():
    with pytest.raises(TypeError, match="str"):
        Value(1.0) + "2"


# ---- backward ----
def test_neuron_gradients_by_hand():
    x1, x2, w1, w2, b = (
        Value(v, n)
        for v, n in [(2, "x1"), (0, "x2"), (-3, "w1"), (1, "w2"), (6.8813735870195432, "b")]
    )
    n = x1 * w1 + x2 * w2 + b
    o = n.tanh()
    o.backward()
    local = 1 - o.data**2  # d tanh(n)/dn
    assert o.data == pytest.approx(math.sqrt(0.5))
    assert n.grad == pytest.approx(local)
    assert w1.grad == pytest.approx(local * 2.0)
    assert x1.grad == pytest.approx(local * -3.0)
    assert w2.grad == 0.0 and x2.grad == pytest.approx(local * 1.0)


def test_reused_node_accumulates_within_a_pass_and_across_calls():
    a = Value(3.0)
    c = (a + a) * (a + a)  # c = 4a², dc/da = 8a = 24
    c.backward()
    assert a.grad == 24.0
    c.backward()
    assert a.grad == 48.0  # leaves accumulate; a naive accumulate-everything loop gives 72


def test_non_leaf_gradients_hold_this_pass_only():
    a = Value(2.0)
    h = a * a
    y = h * 3
    y.backward()
    y.backward()
    assert h.grad == 3.0 and y.grad == 1.0 and a.grad == 24.0


def test_diamond():
    a = Value(2.0)
    b, c = a * 3, a.exp()
    d = b * c  # d = 3a·eᵃ, dd/da = 3eᵃ + 3a·eᵃ
    d.backward()
    assert a.grad == pytest.approx(3 * math.exp(2) * 3)


def test_backward_on_a_leaf():
    a = Value(5.0)
    a.backward()
    a.backward()
    assert a.grad == 2.0


def test_grad_and_data_are_assignable_for_hand_written_updates():
    w = Value(1.0)
    loss = (w - 3) ** 2
    loss.backward()
    w.data -= 0.25 * w.grad
    w.grad = 0.0
    assert w.data == 2.0 and w.grad == 0.0


def test_topological_order_puts_inputs_first():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    order = topological_order(d)
    assert set(order) == {a, b, c, d} and len(order) == 4
    position = {node: i for i, node in enumerate(order)}
    for node in order:
        assert all(position[i] < position[node] for i in node.inputs)


def test_a_million_deep_chain_backprops():
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = -y
    y.backward()
    assert y.data == 1.0 and x.grad == 1.0


# ---- backward_steps ----
def _graph():
    x, w, b = Value(2.0, "x"), Value(-0.5, "w"), Value(0.3, "b")
    n = x * w + b
    return (n.sigmoid() - 1.0) ** 2 + w * w


def test_backward_steps_matches_backward_edge_for_edge():
    loss = _graph()
    steps = list(loss.backward_steps())
    stepped = {node: node.grad for node in topological_order(loss)}
    for node in topological_order(loss):
        node.grad = 0.0
    loss.backward()
    assert {node: node.grad for node in topological_order(loss)} == stepped
    assert all(isinstance(s, BackwardStep) for s in steps)
    edges = sum(len(node.inputs) for node in topological_order(loss))
    assert len(steps) == edges


def test_backward_steps_fields_are_the_chain_rule():
    a = Value(3.0, "a")
    c = a * a
    steps = list(c.backward_steps())
    assert [s.output for s in steps] == [c, c]
    assert [s.upstream for s in steps] == [1.0, 1.0]
    assert [s.local_grad for s in steps] == [3.0, 3.0]
    assert [s.contribution for s in steps] == [3.0, 3.0]
    assert [s.total for s in steps] == [3.0, 6.0]
    assert a.grad == 6.0


def test_backward_steps_order_is_backwards_order():
    """Hooks fire at each node as backward() reaches it; steps visit outputs in that order."""
    loss = _graph()
    reached = []
    for node in topological_order(loss):
        node.register_hook(lambda g, node=node: reached.append(node))
    loss.backward()
    backward_outputs = [n for n in reached if n.inputs]
    step_outputs = []
    for s in loss.backward_steps():
        if not step_outputs or step_outputs[-1] is not s.output:
            step_outputs.append(s.output)
    assert step_outputs == backward_outputs


# ---- no_grad ----
def test_no_grad_records_nothing_and_restores():
    a = Value(2.0)
    with no_grad():
        b = a * a + 1
    assert b.data == 5.0 and b.inputs == () and b.op == ""
    c = a * a
    assert c.inputs == (a, a)


def test_no_grad_restores_after_an_error():
    with pytest.raises(ValueError), no_grad():
        Value(-1.0).log()
    assert (Value(1.0) * 2).inputs != ()


# ---- hooks and anomaly detection (the engine's side) ----
def test_hook_sees_this_pass_gradient_once_and_can_be_removed():
    a = Value(3.0)
    seen = []
    handle = a.register_hook(seen.append)
    c = a * a
    c.backward()
    c.backward()
    assert seen == [6.0, 6.0] and a.grad == 12.0
    handle.remove()
    c.backward()
    assert len(seen) == 2


def test_detect_anomaly_forward_and_backward():
    with detect_anomaly():
        with pytest.raises(FloatingPointError, match=r"inf \* 0.0"):
            Value(math.inf, "big") * 0
        x = Value(0.0, "x")
        y = x.sqrt()  # finite forward, infinite slope
        with pytest.raises(FloatingPointError, match="x=0.0"):
            y.backward()
    assert math.isnan((Value(math.inf) * 0).data)  # silent when off


# ---- memory: no cycles, so reference counting frees a dropped graph ----
def _count_values() -> int:
    return sum(type(obj) is Value for obj in gc.get_objects())


def test_dropped_graph_is_freed_without_the_cycle_collector():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        a = Value(1.0)
        before = _count_values()
        b = (a * 2 + 1).tanh()  # five new nodes: 2, a*2, 1, a*2+1, tanh
        b.backward()
        assert _count_values() == before + 5
        del b
        assert _count_values() == before  # freed at once, by reference counting alone
    finally:
        if was_enabled:
            gc.enable()


def test_backward_takes_the_seed_as_its_first_argument_as_pytorch_does():
    x = Value(3.0)
    y = x + 10
    y.backward(5)
    assert x.grad == 5.0 and type(x.grad) is float and y.grad == 5.0
    z = Value(2.0)
    (z * z).backward(gradient=0.5)
    assert z.grad == 2.0  # 0.5 · 2z
    with pytest.raises(TypeError, match="bool"):
        (x * 2).backward(True)  # a bool would once have turned on create_graph
    with pytest.raises(TypeError, match="positional"):
        (x * 2).backward(1.0, True)


def test_topological_order_names_what_it_was_given():
    with pytest.raises(TypeError, match="topological_order needs a Value, got float"):
        topological_order(4.0)


def test_float_refuses_with_the_reason_and_bool_follows_the_number():
    v = Value(2.5)
    for convert in (float, math.exp):
        with pytest.raises(TypeError, match=r"drop its graph.*use v\.data or v\.item\(\)"):
            convert(v)
    assert bool(Value(0.0)) is False and bool(Value(-0.1)) is True
    assert [bool(Value(x)) for x in (0.0, 1.0, math.nan)] == [bool(x) for x in (0.0, 1.0, math.nan)]


def test_a_step_reads_as_the_chain_rule_line():
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    y = x * w
    y.label = "y"
    (step_w, step_x) = [s for s in y.backward_steps() if s.input.label][::-1]
    assert repr(step_x) == "x.grad += -3.0 * 1.0 → -3.0"
    assert repr(step_w) == "w.grad += 2.0 * 1.0 → 2.0"
    (inner,) = [s for s in ((x * w) * 2.0).backward_steps() if s.input.op == "*"]
    assert repr(inner) == "('*' -6.0).grad += 2.0 * 1.0 → 2.0"  # unlabelled: its op and value
    (x_twice,) = [s for s in (x * x).backward_steps()][1:]
    assert (
        repr(x_twice) == "x.grad += 2.0 * 1.0 → 4.0 (2.0 + 2.0)"
    )  # the grad so far, and its parts
    assert inner.output.op == "*" and inner == tuple(inner)  # still a tuple, field by field


def test_no_grad_ever_holds_anything_but_a_number_during_a_pass():
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    x.grad = 4.0
    y = ((x * w + x).relu() + w).sigmoid()
    order = topological_order(y)
    seen = []
    for _ in y.backward_steps():
        seen += [type(node.grad) for node in order]
    assert set(seen) == {float}
    fresh_x = Value(2.0)
    ((fresh_x * w + fresh_x).relu() + w).sigmoid().backward()
    assert x.grad == 4.0 + fresh_x.grad  # the earlier 4.0 is added back at the end
