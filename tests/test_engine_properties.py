"""Property tests: every derivative against central differences."""

import math

import pytest
from expressions import FloatMath, ValueMath, evaluate, expressions
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_edu import Value, gradcheck, numerical_grad


def reals(low, high):
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def check(f, *xs, atol=1e-5, rtol=1e-4):
    """f's gradient from backward() agrees with central differences at xs."""
    assert gradcheck(f, list(xs), atol=atol, rtol=rtol)


away_from_zero = reals(-5, 5).filter(lambda x: abs(x) > 1e-2)
positive = reals(0.05, 20)

UNARY_CASES = {
    "exp": (lambda x: x.exp(), reals(-20, 20)),
    "log": (lambda x: x.log(), positive),
    "tanh": (lambda x: x.tanh(), reals(-5, 5)),
    "sigmoid": (lambda x: x.sigmoid(), reals(-20, 20)),
    "relu": (lambda x: x.relu(), away_from_zero),
    "abs": (lambda x: abs(x), away_from_zero),
    "neg": (lambda x: -x, reals(-100, 100)),
    "sin": (lambda x: x.sin(), reals(-10, 10)),
    "cos": (lambda x: x.cos(), reals(-10, 10)),
    "sqrt": (lambda x: x.sqrt(), positive),
    "square": (lambda x: x**2, reals(-100, 100)),
    "cube": (lambda x: x**3, reals(-20, 20)),
    "reciprocal": (lambda x: x**-1, away_from_zero),
    "root": (lambda x: x**0.5, positive),
    "two_to_the": (lambda x: 2**x, reals(-10, 10)),
}


@pytest.mark.parametrize("name", sorted(UNARY_CASES))
def test_unary_gradient_matches_central_differences(name):
    f, domain = UNARY_CASES[name]

    @settings(max_examples=60, deadline=None)
    @given(domain)
    def run(x):
        assert math.isfinite(f(Value(x)).data)
        check(f, x)

    run()


BINARY_CASES = {
    "add": (lambda a, b: a + b, reals(-100, 100), reals(-100, 100)),
    "sub": (lambda a, b: a - b, reals(-100, 100), reals(-100, 100)),
    "mul": (lambda a, b: a * b, reals(-100, 100), reals(-100, 100)),
    "div": (lambda a, b: a / b, reals(-10, 10), away_from_zero),
    "pow": (lambda a, b: a**b, positive, reals(-3, 3)),
}


@pytest.mark.parametrize("name", sorted(BINARY_CASES))
def test_binary_gradient_matches_central_differences(name):
    f, left, right = BINARY_CASES[name]

    @settings(max_examples=60, deadline=None)
    @given(left, right)
    def run(a, b):
        check(f, a, b)

    run()


@settings(max_examples=150, deadline=None)
@given(expressions(3), st.lists(reals(-2, 2), min_size=3, max_size=3))
def test_random_compositions_match_central_differences(tree, xs):
    value = evaluate(tree, [Value(x) for x in xs], ValueMath)
    assert value.data == pytest.approx(evaluate(tree, xs, FloatMath), rel=1e-9, abs=1e-12)
    assert math.isfinite(value.data)
    variables = [Value(x) for x in xs]
    evaluate(tree, variables, ValueMath).backward()
    numerical = numerical_grad(lambda *vs: evaluate(tree, vs, ValueMath), xs)
    for v, n in zip(variables, numerical):
        assert v.grad == pytest.approx(n, rel=1e-4, abs=1e-5)


@settings(max_examples=50, deadline=None)
@given(expressions(2), st.lists(reals(-2, 2), min_size=2, max_size=2))
def test_backward_steps_leave_the_same_grads_as_backward(tree, xs):
    first = [Value(x) for x in xs]
    root = evaluate(tree, first, ValueMath)
    root.backward()
    second = [Value(x) for x in xs]
    for _ in evaluate(tree, second, ValueMath).backward_steps():
        pass
    assert [v.grad for v in first] == [v.grad for v in second]
