"""numerical_grad and gradcheck."""

import math

import pytest

from tinygrad_edu import GradcheckError, Value, gradcheck, no_grad, numerical_grad


def test_numerical_grad_of_a_known_function():
    # f(a, b) = a²·b + sin(b): ∂f/∂a = 2ab, ∂f/∂b = a² + cos(b)
    estimate = numerical_grad(lambda a, b: a**2 * b + b.sin(), [1.5, -0.5])
    assert estimate == pytest.approx([2 * 1.5 * -0.5, 1.5**2 + math.cos(-0.5)], rel=1e-8)


def test_numerical_grad_accepts_functions_returning_floats():
    assert numerical_grad(lambda x: x.data**3, [2.0]) == pytest.approx([12.0], rel=1e-8)


def test_numerical_grad_records_no_graph():
    made = []
    numerical_grad(lambda x: made.append(x * x) or made[-1], [1.0])
    assert all(node.inputs == () for node in made)


def test_gradcheck_passes_for_correct_gradients():
    assert gradcheck(lambda a, b: (a * b).tanh() + a**2 / b, [0.3, 1.2]) is True


def test_gradcheck_reports_every_input_when_gradients_disagree():
    def wrong(a, b):
        out = a * b
        out.local_grad0 = 0.0  # corrupt the recorded ∂out/∂a
        return out

    with pytest.raises(GradcheckError) as caught:
        gradcheck(wrong, [2.0, 3.0])
    message = str(caught.value)
    assert "x0 = 2.0: analytic 0, numerical 3  <-- differs" in message
    assert "x1 = 3.0: analytic 2, numerical 2\n" in message + "\n"


def test_gradcheck_takes_tolerances():
    f = lambda x: Value.relu(x)  # kink at 0: numerical 0.5, analytic 0
    with pytest.raises(GradcheckError):
        gradcheck(f, [0.0])
    assert gradcheck(f, [0.0], atol=0.6)


def test_gradcheck_uses_the_documented_bound_atol_plus_rtol_times_numerical():
    f = lambda x: x.relu()  # at 0: analytic 0, numerical 0.5, a gap of 0.5
    assert gradcheck(f, [0.0], atol=0.25, rtol=0.5)  # 0.5 <= 0.25 + 0.5·0.5 (isclose: max = 0.25)
    with pytest.raises(GradcheckError):
        gradcheck(f, [0.0], atol=0.2, rtol=0.5)  # 0.5 > 0.2 + 0.5·0.5


def test_gradcheck_works_inside_no_grad():
    with no_grad():
        assert gradcheck(lambda a, b: a * b + a.tanh(), [0.5, -2.0])


def test_gradcheck_refuses_a_function_that_returns_no_value():
    with pytest.raises(TypeError, match="f must return a Value computed from its arguments"):
        gradcheck(lambda x: 3.0, [1.0])
    with pytest.raises(TypeError, match="got list"):
        gradcheck(lambda x: [x, x], [1.0])


@pytest.mark.parametrize("eps", [0, 0.0, -1e-6, math.inf, math.nan, "1e-6", True])
def test_numerical_grad_needs_a_positive_finite_step(eps):
    with pytest.raises(ValueError, match="eps must be a finite number > 0"):
        numerical_grad(lambda x: x * x, [1.0], eps=eps)
    with pytest.raises(ValueError, match="eps must be a finite number > 0"):
        gradcheck(lambda x: x * x, [1.0], eps=eps)
