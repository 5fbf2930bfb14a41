"""Hessians against PyTorch's torch.autograd.functional.hessian (double precision)."""

import math

import pytest
from expressions import FloatMath, ValueMath, evaluate, expressions, torch_math
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tinygrad_edu import Value, grad, hessian, jvp, numerical_grad

torch = pytest.importorskip("torch")


TorchMath = torch_math(torch)


def torch_point(xs):
    return tuple(torch.tensor(x, dtype=torch.float64) for x in xs)


def torch_drops_a_power_term(tree, xs) -> bool:
    """Whether the tree raises to a power that is exactly 0 at ``xs``.

    PyTorch writes d(a**b)/da as ``where(b == 0, 0, b * a**(b-1))``; the mask is
    right for the first derivative but hides the b-term of the second (∂/∂b of
    b·a**(b-1) is a**(b-1) at b = 0, not 0), so its Hessian is wrong there.
    """
    if tree[0] == "var":
        return False
    if tree[0] == "pow" and math.tanh(evaluate(tree[2], xs, FloatMath)) == 0:
        return True
    return any(torch_drops_a_power_term(subtree, xs) for subtree in tree[1:])


def test_the_masked_power_point_is_detected():
    # (sigmoid(x0) + 0.5) ** tanh(x0) at x0 = 0: torch's Hessian gives 0.25, the truth is 0.5
    tree = ("pow", ("var", 0), ("var", 0))
    f = lambda x: evaluate(tree, [x], ValueMath)
    assert torch_drops_a_power_term(tree, [0.0]) and not torch_drops_a_power_term(tree, [0.1])
    assert hessian(f)(0.0)[0][0] == pytest.approx(0.5, rel=1e-12)
    theirs = torch.autograd.functional.hessian(
        lambda t: evaluate(tree, [t], TorchMath), torch_point([0.0])[0]
    )
    assert theirs.item() == pytest.approx(0.25)


@settings(max_examples=60, deadline=None)
@given(expressions(3), st.lists(st.floats(-2, 2), min_size=3, max_size=3))
@example(("pow", ("var", 0), ("var", 0)), [0.0, 0.0, 0.0])
def test_hessians_match_pytorch(tree, xs):
    f = lambda *vs: evaluate(tree, vs, ValueMath)
    ours = hessian(f)(*xs)
    if torch_drops_a_power_term(tree, xs):  # central differences of our gradient instead
        for i in range(3):
            row = numerical_grad(grad(f, argnums=i), xs)
            assert ours[i] == pytest.approx(row, rel=1e-5, abs=1e-6)
        return
    theirs = torch.autograd.functional.hessian(
        lambda *ts: evaluate(tree, ts, TorchMath) + 0 * sum(ts), torch_point(xs)
    )
    for i in range(3):
        for j in range(3):
            assert ours[i][j] == pytest.approx(theirs[i][j].item(), rel=1e-8, abs=1e-10)


@settings(max_examples=60, deadline=None)
@given(
    expressions(2),
    st.lists(st.floats(-2, 2), min_size=2, max_size=2),
    st.lists(st.floats(-2, 2), min_size=2, max_size=2),
)
def test_jvp_matches_pytorch(tree, xs, v):
    value, derivative = jvp(lambda *vs: evaluate(tree, vs, ValueMath), xs, v)
    their_value, their_derivative = torch.autograd.functional.jvp(
        lambda *ts: evaluate(tree, ts, TorchMath) + 0 * sum(ts), torch_point(xs), torch_point(v)
    )
    assert value == pytest.approx(their_value.item(), rel=1e-12, abs=1e-12)
    assert derivative == pytest.approx(their_derivative.item(), rel=1e-9, abs=1e-10)


@pytest.mark.parametrize("k", [0.0, 0.25, 0.5, 0.75, 1.0, 2.0, 3.0])
@pytest.mark.parametrize("exponent", ["number", "Value"])
def test_powers_at_zero_match_pytorch_up_to_the_third_derivative(k, exponent):
    """Infinite slopes stay inf (not an error), and 0·inf never turns into nan."""
    x = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    derivatives = [x**k]
    for _ in range(3):
        y, d = derivatives[-1], None
        if y.requires_grad:
            (d,) = torch.autograd.grad(y, x, create_graph=True, allow_unused=True)
        derivatives.append(torch.zeros((), dtype=torch.float64) if d is None else d)
    f = (lambda v: v**k) if exponent == "number" else (lambda v: v ** Value(k))
    for order, expected in enumerate(derivatives[1:], start=1):
        g = f
        for _ in range(order):
            g = grad(g)
        assert g(0.0) == expected.item(), (order, g(0.0), expected.item())
