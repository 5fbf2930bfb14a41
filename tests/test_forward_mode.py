"""Forward mode: Dual numbers and jvp against grad, by hand and on random expressions."""

import math

import pytest
from expressions import ValueMath, evaluate, expressions
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_edu import Dual, Value, grad, jvp
from tinygrad_edu.dual import forward_pass


def reals(low, high):
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def test_jvp_of_a_hand_derived_function():
    # f(x, y) = x²·sin y:  ∇f = (2x sin y, x² cos y)
    f = lambda x, y: x**2 * y.sin()
    value, derivative = jvp(f, [1.5, 0.4], [2.0, -1.0])
    assert value == pytest.approx(1.5**2 * math.sin(0.4), rel=1e-15)
    expected = 2 * 1.5 * math.sin(0.4) * 2.0 + 1.5**2 * math.cos(0.4) * -1.0
    assert derivative == pytest.approx(expected, rel=1e-14)


@settings(max_examples=120, deadline=None)
@given(
    expressions(3),
    st.lists(reals(-2, 2), min_size=3, max_size=3),
    st.lists(reals(-3, 3), min_size=3, max_size=3),
)
def test_directional_derivative_is_the_gradient_dotted_with_the_tangent(tree, xs, v):
    f = lambda *vs: evaluate(tree, vs, ValueMath)
    value, derivative = jvp(f, xs, v)
    gradient = grad(f, (0, 1, 2))(*xs)
    assert value == pytest.approx(f(*map(Value, xs)).data, rel=1e-12, abs=1e-12)
    dot = sum(g * t for g, t in zip(gradient, v))
    assert derivative == pytest.approx(dot, rel=1e-9, abs=1e-9)


def test_vector_outputs_give_the_jacobian_times_the_tangent():
    f = lambda a, b: [a * b, a.exp(), b / a, 3.0]
    values, derivatives = jvp(f, [2.0, 5.0], [1.0, 0.0])  # the column ∂/∂a
    assert values == pytest.approx([10.0, math.exp(2.0), 2.5, 3.0])
    assert derivatives == pytest.approx([5.0, math.exp(2.0), -5.0 / 4.0, 0.0])


@pytest.mark.parametrize(
    ("f", "domain"),
    [
        (lambda x: x.exp(), reals(-5, 5)),
        (lambda x: x.log(), reals(0.1, 5)),
        (lambda x: x.tanh(), reals(-5, 5)),
        (lambda x: x.sigmoid(), reals(-30, 30)),
        (lambda x: x.sin() + x.cos(), reals(-6, 6)),
        (lambda x: x.sqrt(), reals(0.1, 5)),
        (lambda x: abs(x) + x.relu() - x, reals(-5, 5).filter(lambda x: x != 0)),
        (lambda x: x**3 + x**-1 + 2**x, reals(0.2, 3)),
        (lambda x: (x + 1.0) ** x - 1 / x, reals(0.2, 3)),
        (lambda x: (2 - x) * (x / 3) * -x, reals(-5, 5)),
    ],
)
def test_every_operation_forward_equals_reverse(f, domain):
    @settings(max_examples=30, deadline=None)
    @given(domain)
    def run(x):
        value, slope = jvp(f, [x], [1.0])
        assert value == f(Value(x)).data
        assert slope == pytest.approx(grad(f)(x), rel=1e-12, abs=1e-12)

    run()


def test_tally_counts_operations_and_products():
    # a*b: 1 operation, 2 products; .sin(): 1 and 1; + 1.0 (a constant): 1 and 1
    _, _, tally = forward_pass(lambda a, b: (a * b).sin() + 1.0, [1.0, 2.0], [1.0, 0.0])
    assert (tally.operations, tally.products) == (3, 4)


def test_duals_refuse_what_values_refuse():
    with pytest.raises(ValueError, match=r"log\(-1.0\) is undefined"):
        Dual(-1.0, 1.0).log()
    with pytest.raises(ValueError, match=r"sqrt\(-2.0\) is undefined"):
        Dual(-2.0).sqrt()
    with pytest.raises(ZeroDivisionError, match="division by zero: 1.0 / 0.0"):
        1 / Dual(0.0)
    with pytest.raises(ValueError, match="negative base needs an integer exponent"):
        Dual(-2.0) ** 0.5
    with pytest.raises(TypeError, match="primal must be an int or float, got str"):
        Dual("1")


def test_jvp_errors_are_clear():
    f = lambda x, y: x * y
    with pytest.raises(ValueError, match="2 primals but 1 tangents"):
        jvp(f, [1.0, 2.0], [1.0])
    with pytest.raises(TypeError, match=r"primals\[1\] must be an int or float, got str"):
        jvp(f, [1.0, "2"], [1.0, 1.0])
    with pytest.raises(TypeError, match="tangents must be a list or tuple of numbers, got float"):
        jvp(f, [1.0, 2.0], 1.0)
    with pytest.raises(TypeError, match="output 1 of f must be a scalar"):
        jvp(lambda x: [x, None], [1.0], [1.0])
    with pytest.raises(TypeError, match="jvp needs a function"):
        jvp(None, [1.0], [1.0])
