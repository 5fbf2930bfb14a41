"""explain(): the chain rule of every edge, in real numbers, against hand derivations."""

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tinygrad_edu import Value, explain
from tinygrad_edu.explorer import forward_caption
from tinygrad_edu.ops import OPERATIONS
from tinygrad_edu.walkthrough import Walkthrough, derivative_rule, replay_backward


def test_the_issue_example_line():
    """L = n * 0.5 with n = x * w1: d(L)/d(w1) = d(L)/d(n) · d(n)/d(w1) = 0.5 · 2.0."""
    x, w1 = Value(2.0, "x"), Value(3.0, "w1")
    n = x * w1
    n.label = "n"
    L = n * Value(0.5, "h")
    L.label = "L"
    assert explain(L).splitlines() == [
        "Backward pass of L = 3.0: 4 edges, in the order backward() takes them.",
        "d(L)/d(L) = 1.0 (the start)",
        "1. d(L)/d(n) += d(L)/d(L) * d(L)/d(n) = 1.0 * 0.5 = 0.5    [L = n * h; d(n*h)/dn = h]",
        "2. d(L)/d(h) += d(L)/d(L) * d(L)/d(h) = 1.0 * 6.0 = 6.0    [L = n * h; d(n*h)/dh = n]",
        "3. d(L)/d(x) += d(L)/d(n) * d(n)/d(x) = 0.5 * 3.0 = 1.5    [n = x * w1; d(x*w1)/dx = w1]",
        "4. d(L)/d(w1) += d(L)/d(n) * d(n)/d(w1) = 0.5 * 2.0 = 1.0  [n = x * w1; d(x*w1)/dw1 = x]",
    ]


def test_a_reused_node_shows_each_share_and_the_sum():
    """c = (a + b) * a: dc/da = (a + b) + a = 2a + b; at a = 3, b = 1 that is 4 + 3 = 7."""
    a, b = Value(3.0, "a"), Value(1.0, "b")
    s = a + b
    s.label = "s"
    c = s * a
    c.label = "c"
    assert explain(c).splitlines() == [
        "Backward pass of c = 12.0: 4 edges, in the order backward() takes them.",
        "d(c)/d(c) = 1.0 (the start)",
        "1. d(c)/d(s) += d(c)/d(c) * d(c)/d(s) = 1.0 * 3.0 = 3.0  [c = s * a; d(s*a)/ds = a]",
        "2. d(c)/d(a) += d(c)/d(c) * d(c)/d(a) = 1.0 * 4.0 = 4.0  [c = s * a; d(s*a)/da = s]"
        " (share 1 of 2)",
        "3. d(c)/d(a) += d(c)/d(s) * d(s)/d(a) = 3.0 * 1.0 = 3.0  [s = a + b; d(a+b)/da = 1]"
        " (share 2 of 2)",
        "   d(c)/d(a) = 4.0 + 3.0 = 7.0  (a is used 2 times: its shares add up)",
        "4. d(c)/d(b) += d(c)/d(s) * d(s)/d(b) = 3.0 * 1.0 = 3.0  [s = a + b; d(a+b)/db = 1]",
    ]


def test_unlabelled_nodes_get_stable_short_names_listed_with_their_meaning():
    """y = tanh(x * 2): tanh'(u) = 1 - tanh(u)², at u = 0 that is 1."""
    x = Value(0.0, "x")
    y = (x * 2.0).tanh()
    text = explain(y)
    assert text.splitlines()[1] == "Unlabelled nodes: v1 = 2.0, v2 = x * v1, v3 = tanh(v2)"
    assert "d(v3)/d(v2) += d(v3)/d(v3) * d(v3)/d(v2) = 1.0 * 1.0 = 1.0" in text
    assert "[v3 = tanh(v2); d(tanh(v2))/dv2 = 1 - tanh(v2)**2]" in text
    assert explain(y) == text  # stable: the same graph always reads the same


def test_a_node_used_twice_by_one_operation_names_both_rules():
    a = Value(3.0, "a")
    sq = a * a
    sq.label = "sq"
    lines = explain(sq).splitlines()
    assert "[sq = a * a; d(a*a)/da = a] (share 1 of 2)" in lines[2]
    assert "[sq = a * a; d(a*a)/da = a] (share 2 of 2)" in lines[3]
    assert lines[4].strip().startswith("d(sq)/d(a) = 3.0 + 3.0 = 6.0")


def test_a_leaf_has_nothing_to_explain():
    last_line = explain(Value(4.0, "w")).splitlines()[-1]
    assert last_line == "w is a leaf: there is nothing to propagate."


def test_explain_changes_no_gradient_and_calls_no_hook():
    x, w = Value(2.0, "x"), Value(-1.0, "w")
    y = (x * w).sigmoid()
    x.grad = 10.0
    calls = []
    x.register_hook(calls.append)
    explain(y)
    assert (x.grad, w.grad, y.grad, calls) == (10.0, 0.0, 0.0, [])


def test_constant_powers_name_their_rule():
    assert derivative_rule("**2") == "d(x**2)/dx = 2*x"
    assert derivative_rule("**3") == "d(x**3)/dx = 3*x**2"
    assert derivative_rule("**-1") == "d(x**-1)/dx = -1*x**-2"
    assert derivative_rule("**0.5") == "d(x**0.5)/dx = 0.5*x**-0.5"


def test_every_operation_has_a_derivative_text_for_each_input():
    for op in OPERATIONS.values():
        arity = len(__import__("inspect").signature(op.rule).parameters) - 1  # without `m`
        assert len(op.derivative_text) == op.arity == arity, op


def test_explain_refuses_something_that_is_not_a_value():
    with pytest.raises(TypeError, match="expected a Value"):
        explain(3.0)


UNARY = ["exp", "tanh", "sigmoid", "relu", "sin", "cos", "neg"]
BINARY = ["+", "-", "*"]


@st.composite
def graphs(draw):
    """A random graph over three leaves, with reuse, built from the engine's operations."""
    nodes = [Value(draw(st.floats(-2, 2)), name) for name in "abc"]
    for _ in range(draw(st.integers(1, 8))):
        if draw(st.booleans()):
            op = draw(st.sampled_from(UNARY))
            x = draw(st.sampled_from(nodes))
            assume(op != "exp" or x.data < 700)  # exp of exp of ... overflows a float
            nodes.append(-x if op == "neg" else getattr(x, op)())
        else:
            op = draw(st.sampled_from(BINARY))
            p, q = draw(st.sampled_from(nodes)), draw(st.sampled_from(nodes))
            nodes.append(p + q if op == "+" else p - q if op == "-" else p * q)
    return nodes[-1]


@settings(max_examples=60, deadline=None)
@given(graphs())
def test_the_replayed_pass_is_backward_steps_exactly(root):
    replayed = replay_backward(root)
    engine = list(root.backward_steps())
    assert len(replayed) == len(engine)
    for mine, theirs in zip(replayed, engine):
        assert mine.output is theirs.output and mine.input is theirs.input
        for field in ("upstream", "local_grad", "contribution", "total"):
            assert getattr(mine, field) == getattr(theirs, field) or (
                math.isnan(getattr(mine, field)) and math.isnan(getattr(theirs, field))
            )


@settings(max_examples=40, deadline=None)
@given(graphs())
def test_one_line_per_edge_and_a_sum_line_per_reused_node(root):
    walk = Walkthrough.of(root)
    lines = explain(root).splitlines()
    edge_lines = [line for line in lines if " += " in line]
    reused = [node for node, count in walk.share_counts.items() if count > 1]
    sum_lines = [line for line in lines if "its shares add up" in line]
    assert len(edge_lines) == len(walk.steps)
    assert len(sum_lines) == len(reused)
    root.backward()
    for node in reused:
        start = f"d({walk.names[root]})/d({walk.names[node]}) ="
        (line,) = [s for s in sum_lines if s.strip().startswith(start)]
        total = float(line.split("  (")[0].split(" = ")[-1])
        assert total == pytest.approx(node.grad, rel=1e-5, abs=1e-9)


def test_negative_operands_are_bracketed_as_python_reads_them():
    a = Value(-0.524979)
    square = a**2
    square.label = "L"
    product = Value(3.0, "b") * Value(-2.0)
    product.label = "p"
    assert forward_caption(Walkthrough.of(square), square)[0] == (
        "L = v0**2 = (-0.524979)**2 = 0.275603"
    )
    assert (
        forward_caption(Walkthrough.of(product), product)[0] == "p = b * v1 = 3.0 * (-2.0) = -6.0"
    )
    assert "d(p)/d(b) += d(p)/d(p) * d(p)/d(b) = 1.0 * (-2.0) = -2.0" in explain(product)


def test_each_rule_is_written_in_the_graphs_own_names():
    """The table's d(a*b)/db = a, with a and b named as the node's inputs are."""
    from tinygrad_edu.walkthrough import in_names, node_names, topological_order

    x, b = Value(2.0, "x"), Value(0.5, "b")
    shifted = x - 1.0
    shifted.label = "y-1"  # a name with an operator in it is bracketed
    product = shifted * b  # a user's `b` as the FIRST input of *: no mix-up with the rule's b
    long_name = Value(1.0, "layers.0.neurons.2.z")
    order = topological_order(product + long_name.tanh())
    names = node_names(order)
    assert in_names(product, 0, names) == "d((y-1)*b)/d(y-1) = b"
    assert in_names(product, 1, names) == "d((y-1)*b)/db = (y-1)"
    assert in_names(shifted**2, 0, {**names, shifted**2: "s"}) == "d((y-1)**2)/d(y-1) = 2*(y-1)"
    assert in_names(long_name.tanh(), 0, names) == "d(tanh(x))/dx = 1 - tanh(x)**2"  # as is
