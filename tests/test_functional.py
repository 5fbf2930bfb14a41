"""numerical_grad and gradcheck."""

import math

import pytest

from tinygrad_edu import GradcheckError, Value, gradcheck, numerical_grad


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
        out._da = 0.0  # corrupt the recorded ∂out/∂a
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
