"""The table of operations: every rule against central differences, and operations of your own."""

import builtins
import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tinygrad_edu import (
    Dual,
    Value,
    define_op,
    draw_dot,
    explain,
    grad,
    gradcheck,
    jvp,
    numerical_grad,
    ops,
)
from tinygrad_edu.compile import compile
from tinygrad_edu.expr import parse
from tinygrad_edu.ops import FLOATS, OPERATIONS, functions, operation, power

BUILT_IN = [op.name for op in ops._BUILT_IN]


def rule_of_softplus(x, m):
    return m.log(1.0 + m.exp(x)), (m.sigmoid(x),)


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


@pytest.fixture
def softplus(restore_operations):
    """softplus(x) = log(1 + e^x), defined for one test and taken away after it."""
    return define_op("softplus", rule_of_softplus)


# ---- the built-in table ----
INPUTS = {  # where most draws are in the operation's domain (a**b: a > 0, or a whole b)
    "**": st.one_of(
        st.tuples(st.floats(0.05, 4), st.floats(-4, 4)),
        st.tuples(st.floats(-4, -0.05), st.integers(-4, 4).map(float)),
    ).map(list)
}


@pytest.mark.parametrize("name", BUILT_IN)
def test_every_rule_gives_the_derivatives_of_its_own_value(name):
    """∂value/∂input from the rule, against central differences of the rule's value."""
    record = OPERATIONS[name]
    any_inputs = st.lists(st.floats(-4, 4), min_size=record.arity, max_size=record.arity)

    @settings(max_examples=40, deadline=None)
    @given(INPUTS.get(name, any_inputs))
    def run(inputs):
        assume(all(abs(x) > 0.05 for x in inputs))  # away from kinks and poles
        try:
            if record.check is not None:
                record.check(*inputs)
            value, local_grads = record.rule(*inputs, FLOATS)
        except (ValueError, ZeroDivisionError):
            assume(False)
        assume(math.isfinite(value) and abs(value) < 1e6)

        def value_at(*xs):
            if record.check is not None:
                record.check(*xs)
            return record.rule(*xs, FLOATS)[0]

        for i, local in enumerate(local_grads):
            eps = 1e-6
            up, down = list(inputs), list(inputs)
            up[i] += eps
            down[i] -= eps
            try:
                numerical = (value_at(*up) - value_at(*down)) / (2 * eps)
            except ValueError:  # a^b for a < 0 is real only at whole b: no slope along b
                assert math.isnan(local)
                continue
            assert local == pytest.approx(numerical, rel=1e-4, abs=1e-5), (name, inputs, i)

    run()


def test_each_record_has_a_text_per_input_and_reads_well():
    for name in BUILT_IN:
        record = OPERATIONS[name]
        assert len(record.derivative_text) == record.arity
        assert repr(record).startswith(f"Operation({name!r}: ")
    assert repr(OPERATIONS["*"]) == "Operation('*': d(a*b)/da = b; d(a*b)/db = a)"


@pytest.mark.parametrize(
    "k, name, text",
    [
        (2.0, "**2", "d(x**2)/dx = 2*x"),
        (3.0, "**3", "d(x**3)/dx = 3*x**2"),
        (-1.0, "**-1", "d(x**-1)/dx = -1*x**-2"),
        (0.5, "**0.5", "d(x**0.5)/dx = 0.5*x**-0.5"),
        (1.0, "**1", "d(x**1)/dx = 1"),
    ],
)
def test_constant_powers_are_records_of_their_own(k, name, text):
    record = power(k)
    assert (record.name, record.derivative_text) == (name, (text,))
    assert operation(name) is record  # found again by the name a node carries
    assert (Value(2.0) ** k).op == name


def test_an_unknown_operation_name_is_a_clear_error():
    with pytest.raises(KeyError, match="no operation named 'frobnicate'"):
        operation("frobnicate")


def test_the_parser_and_the_functions_come_from_the_table():
    assert set(functions()) == {
        "exp",
        "log",
        "tanh",
        "sigmoid",
        "relu",
        "sin",
        "cos",
        "sqrt",
        "abs",
    }
    assert all(arity == 1 for arity in functions().values())


# ---- operations of your own ----
def test_a_defined_operation_records_a_node_that_backward_follows(softplus):
    x = Value(0.5, "x")
    y = x.softplus()
    assert y.op == "softplus" and y.inputs == (x,)
    assert y.data == pytest.approx(math.log(1 + math.exp(0.5)))
    y.backward()
    assert x.grad == pytest.approx(sigmoid(0.5))  # d softplus / dx = σ(x), by hand
    steps = list(x.softplus().backward_steps())
    assert len(steps) == 1 and steps[0].local_grad == pytest.approx(sigmoid(0.5))


def test_a_defined_operation_is_explained_drawn_and_checked(softplus):
    x = Value(0.5, "x")
    y = x.softplus()
    y.label = "y"
    text = explain(y)
    assert "y = softplus(x); d(softplus(x))/dx = sigmoid(x)" in text
    assert f"{sigmoid(0.5):.4f}" in draw_dot(y).source  # the local derivative on the edge
    assert gradcheck(lambda v: (v * 3).softplus() * v, [0.7])


def test_a_defined_operation_differentiates_twice_forward_and_compiled(softplus):
    f = lambda x: x.softplus()  # noqa: E731
    s = sigmoid(0.5)
    assert grad(grad(f))(0.5) == pytest.approx(s * (1 - s))  # σ'(x) = σ(1 − σ)
    assert jvp(f, [0.5], [2.0]) == pytest.approx((math.log(1 + math.exp(0.5)), 2 * s))
    assert isinstance(Dual(0.5, 1.0).softplus(), Dual)
    compiled = compile(lambda x: (x * x).softplus(), 1.5)
    value, (slope,) = compiled(0.25)
    assert value == pytest.approx(math.log(1 + math.exp(0.0625)))
    assert slope == pytest.approx(sigmoid(0.0625) * 0.5)
    assert "F.log(1.0 + F.exp(v0))" in compiled.source  # the rule, written out


def test_a_defined_operation_can_be_parsed(softplus):
    assert parse("softplus(x) + 1", {"x": 0.0}).data == pytest.approx(math.log(2) + 1)


def test_a_two_input_operation_is_a_method_taking_the_other_input(restore_operations):
    define_op("times_square", lambda a, b, m: (a * b * b, (b * b, 2.0 * a * b)))
    a, b = Value(2.0), Value(3.0)
    c = a.times_square(b)
    assert c.data == 18.0 and c.inputs == (a, b)
    c.backward()
    assert (a.grad, b.grad) == (9.0, 12.0)  # b², 2ab
    assert a.times_square(3).data == 18.0  # a number becomes a constant input
    assert parse("times_square(x, y)", {"x": 2.0, "y": 3.0}).data == 18.0
    assert OPERATIONS["times_square"].derivative_text == (
        "d(times_square(a, b))/da = b * b",
        "d(times_square(a, b))/db = 2.0 * a * b",
    )
    assert compile(lambda a, b: a.times_square(b), 2.0, 3.0)(1.0, 2.0) == (4.0, (4.0, 4.0))


def test_a_rule_that_branches_in_python_still_works_everywhere(restore_operations):
    define_op("clip", lambda x, m: (x if x < 1 else 1.0, (1.0 if x < 1 else 0.0,)), "d/dx = 1 or 0")
    assert Value(3.0).clip().data == 1.0
    compiled = compile(lambda x: x.clip() * x, 0.5)  # called, not written out
    assert compiled(0.5) == (0.25, (1.0,)) and compiled(2.0) == (2.0, (1.0,))
    assert "rule_" in compiled.source


def test_defining_again_needs_replace_and_keeps_old_nodes(softplus):
    old = Value(1.0).softplus()
    with pytest.raises(ValueError, match="replace=True"):
        define_op("softplus", lambda x, m: (2.0 * x, (2.0,)))
    define_op("softplus", lambda x, m: (2.0 * x, (2.0,)), "d/dx = 2", replace=True)
    assert Value(1.0).softplus().data == 2.0
    old.backward()
    assert old.inputs[0].grad == pytest.approx(sigmoid(1.0))  # made with the first rule


def test_the_same_definition_run_again_defines_it_again(restore_operations):
    """A notebook cell run twice, or a script that pdb restarts: the rule's code is the same."""
    source = "def rule(x, m):\n    return m.log(1.0 + m.exp(x)), (m.sigmoid(x),)\n"
    for run in range(2):
        namespace: dict = {}
        exec(builtins.compile(source, f"<cell {run}>", "exec"), namespace)  # a new function
        define_op("softplus", namespace["rule"], "d(softplus(x))/dx = σ(x), run " + str(run))
    assert OPERATIONS["softplus"].derivative_text == ("d(softplus(x))/dx = σ(x), run 1",)
    assert Value(0.0).softplus().data == pytest.approx(math.log(2.0))
    with pytest.raises(ValueError, match="already exists"):
        define_op("softplus", rule_of_softplus)  # another function under the same name


@pytest.mark.parametrize(
    "name, rule, error, words",
    [
        ("exp", rule_of_softplus, ValueError, "already exists"),
        ("item", rule_of_softplus, ValueError, "already a name of Value"),
        ("soft plus", rule_of_softplus, ValueError, "identifier"),
        ("lambda", rule_of_softplus, ValueError, "identifier"),
        ("_hidden", rule_of_softplus, ValueError, "must not start with '_'"),
        ("one", lambda x, m: 1.0, ValueError, r"must return \(value, \(derivative,\)\)"),
        ("two", lambda x, m: (1.0, (1.0, 2.0)), ValueError, "one local derivative per input"),
        ("text", lambda x, m: ("a", (1.0,)), ValueError, "must return numbers"),
        ("no_m", lambda x: (x, (1.0,)), TypeError, "def rule"),
        ("nowhere", lambda x, m: (m.log(-abs(x) - 1), (1.0,)), ValueError, "trial point"),
        ("many", rule_of_softplus, ValueError, "derivative_text must be 1 str"),
    ],
)
def test_a_bad_operation_is_refused_before_anything_changes(name, rule, error, words):
    before = dict(OPERATIONS)
    text = ["one", "two"] if name == "many" else None
    with pytest.raises(error, match=words):
        define_op(name, rule, text)
    assert before == OPERATIONS
    assert name in ("exp", "item") or not hasattr(Value, name)


def test_numerical_grad_of_a_defined_operation_agrees(softplus):
    assert numerical_grad(lambda x: x.softplus(), [0.3]) == pytest.approx([sigmoid(0.3)])


def test_a_rule_comparing_with_equals_is_written_out_as_it_computes(restore_operations):
    """bump(x) = 5 at x = 0, else x: written out, == must stay a comparison, not identity."""
    define_op("bump", lambda x, m: (m.where(x == 0, 5.0, x), (m.where(x != 0, 1.0, 0.0),)))
    at_zero, elsewhere = Value(0.0).bump(), Value(2.0).bump()
    assert (at_zero.data, at_zero.local_grads) == (5.0, (0.0,))
    assert (elsewhere.data, elsewhere.local_grads) == (2.0, (1.0,))
    assert compile(lambda x: x.bump(), 1.0)(0.0) == (5.0, (0.0,))
    assert OPERATIONS["bump"].derivative_text == ("d(bump(x))/dx = 1.0 if x != 0 else 0.0",)


@pytest.mark.parametrize("name", ["node", "operation", "check", "rule", "F", "Value", "describe"])
def test_an_operation_may_have_the_name_of_a_word_its_method_uses(name, restore_operations):
    define_op(name, lambda x, m: (3.0 * x, (3.0,)))
    y = getattr(Value(2.0), name)()
    assert (y.data, y.op, y.local_grads) == (6.0, name, (3.0,))
    assert (Value(2.0) * Value(4.0)).data == 8.0  # the built-in methods are untouched
