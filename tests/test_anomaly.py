"""detect_anomaly(): NaN and infinity caught where they are born, silent when off."""

import math

import pytest

from tinygrad_edu import Value, detect_anomaly


def test_forward_names_the_operation_its_inputs_and_their_labels():
    x, w = Value(math.inf, "x"), Value(2.0, "w")
    with detect_anomaly(), pytest.raises(FloatingPointError) as error:
        x * w
    assert str(error.value) == "x=inf * w=2.0 gave inf"


def test_forward_catches_an_overflow_to_infinity_in_a_product():
    big = Value(1e200, "big")
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"big=1e\+200 \* 1e\+200"):
        big * 1e200


def test_forward_catches_nan_in_a_function_and_names_it():
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"^tanh\(h=nan\) gave nan$"):
        Value(math.nan, "h").tanh()


def test_forward_catches_inf_minus_inf():
    a, b = Value(math.inf, "a"), Value(math.inf, "b")
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"a=inf - b=inf gave nan"):
        a - b


def test_backward_names_the_edge_and_its_numbers():
    z = Value(0.0, "z")
    s = z.sqrt()  # finite value 0, infinite slope
    s.label = "s"
    loss = s * 3.0
    with detect_anomaly(), pytest.raises(FloatingPointError) as error:
        loss.backward()
    assert str(error.value) == (
        "backward through s = sqrt(z=0.0): the gradient flowing into z=0.0 "
        "is inf = local inf * upstream 3.0"
    )


def test_backward_catches_nan_from_an_infinite_slope_times_zero():
    z = Value(0.0, "z")
    s = z.sqrt()
    loss = s * 0.0  # upstream 0 times local inf is nan
    with detect_anomaly(), pytest.raises(FloatingPointError, match="is nan = local inf"):
        loss.backward()


def test_backward_steps_check_too():
    z = Value(0.0, "z")
    loss = z.sqrt() * 2.0
    with detect_anomaly(), pytest.raises(FloatingPointError, match="into z=0.0"):
        list(loss.backward_steps())


def test_a_failed_backward_keeps_every_leaf_gradient():
    z, w = Value(0.0, "z"), Value(4.0, "w")
    loss = z.sqrt() * w
    z.grad, w.grad = 1.5, -2.5
    with detect_anomaly(), pytest.raises(FloatingPointError):
        loss.backward()
    assert (z.grad, w.grad) == (1.5, -2.5)


def test_silent_when_off_nan_and_inf_just_flow():
    x = Value(math.inf, "x")
    y = x * 2.0
    assert y.data == math.inf
    z = Value(0.0, "z")
    loss = z.sqrt() * 0.0
    loss.backward()
    assert math.isnan(z.grad)


def test_off_again_after_the_block_even_after_an_error():
    with pytest.raises(FloatingPointError), detect_anomaly():
        Value(math.nan) + 1.0
    assert math.isnan((Value(math.nan) + 1.0).data)


def test_finite_work_under_anomaly_mode_gives_the_same_gradients():
    def build():
        x, w = Value(0.7, "x"), Value(-1.3, "w")
        return x, w, ((x * w).tanh() + x**2).exp()

    x1, w1, out1 = build()
    out1.backward()
    x2, w2, out2 = build()
    with detect_anomaly():
        out2.backward()
    assert (x1.grad, w1.grad) == (x2.grad, w2.grad)


def test_anomaly_mode_still_records_graphs():
    with detect_anomaly():
        y = Value(2.0, "x") * 3.0
    assert y.op == "*" and len(y.inputs) == 2


def test_create_graph_reports_an_infinite_gradient_by_its_edge_as_plain_backward_does():
    messages = []
    for create_graph in (False, True):
        x = Value(0.0, "x")
        x.grad = 2.0
        with pytest.raises(FloatingPointError) as caught, detect_anomaly():
            x.sqrt().backward(create_graph=create_graph)
        messages.append(str(caught.value))
        assert x.grad == 2.0  # the leaf keeps what it held
    assert messages[0] == messages[1]
    assert messages[0] == (
        "backward through sqrt(x=0.0): the gradient flowing into x=0.0 is inf"
        " = local inf * upstream 1.0"
    )
