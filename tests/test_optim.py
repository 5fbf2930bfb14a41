"""Optimizers: steps against hand-computed updates, and against torch.optim when importable."""

import math
import random

import pytest

from tinygrad_edu import MLP, SGD, Adam, Value


def params_with(grads, data=None):
    data = data or [1.0] * len(grads)
    params = [Value(d) for d in data]
    for p, g in zip(params, grads):
        p.grad = g
    return params


def test_plain_sgd_step():
    p, q = params_with([0.5, -2.0], [1.0, 3.0])
    SGD([p, q], lr=0.1).step()
    assert (p.data, q.data) == pytest.approx((1.0 - 0.05, 3.0 + 0.2))


def test_sgd_weight_decay_adds_l2_gradient():
    (p,) = params_with([0.5], [2.0])
    SGD([p], lr=0.1, weight_decay=0.01).step()
    assert p.data == pytest.approx(2.0 - 0.1 * (0.5 + 0.01 * 2.0))


def test_sgd_momentum_over_three_steps():
    (p,) = params_with([1.0], [0.0])
    optimizer = SGD([p], lr=0.1, momentum=0.9)
    grads = [1.0, 2.0, -1.0]
    velocity, expected = None, 0.0
    for g in grads:
        p.grad = g
        optimizer.step()
        velocity = g if velocity is None else 0.9 * velocity + g  # first step: b = g
        expected -= 0.1 * velocity
    # by hand: b = 1, 2.9, 1.61 -> p = -0.1, -0.39, -0.551
    assert expected == pytest.approx(-0.551)
    assert p.data == pytest.approx(expected)


def test_adam_first_two_steps_by_hand():
    (p,) = params_with([0.5], [1.0])
    optimizer = Adam([p], lr=0.1)
    optimizer.step()
    # step 1: m = 0.05, v = 0.00025; m̂ = 0.5, v̂ = 0.25 -> p -= 0.1 * 0.5 / (0.5 + 1e-8)
    assert p.data == pytest.approx(1.0 - 0.1 * 0.5 / (0.5 + 1e-8), rel=1e-14)
    p.grad, before = -1.0, p.data
    optimizer.step()
    m = 0.9 * 0.05 + 0.1 * -1.0
    v = 0.999 * 0.00025 + 0.001 * 1.0
    m_hat, v_hat = m / (1 - 0.9**2), v / (1 - 0.999**2)
    assert p.data == pytest.approx(before - 0.1 * m_hat / (math.sqrt(v_hat) + 1e-8), rel=1e-12)


def test_zero_grad_and_assignable_lr():
    params = params_with([1.0, 2.0])
    optimizer = SGD(params, lr=1.0)
    optimizer.lr = 0.5
    optimizer.step()
    assert [p.data for p in params] == [0.5, 0.0]
    optimizer.zero_grad()
    assert [p.grad for p in params] == [0.0, 0.0]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: SGD([], lr=0.1), "at least one parameter"),
        (lambda: SGD([1.0], lr=0.1), "SGD's parameters must be Values .*got float"),
        (
            lambda: SGD(MLP(2, [1], seed=0), lr=0.1),
            "SGD expects an iterable of Values such as model.parameters\\(\\), got MLP",
        ),
        (lambda: Adam(Value(1.0)), "Adam expects an iterable of Values .*got Value"),
        (lambda: SGD([Value(1.0)], lr=0), "lr must be a number > 0, got 0"),
        (lambda: SGD([Value(1.0)], lr="0.1"), "lr must be a number > 0"),
        (lambda: SGD([Value(1.0)], lr=0.1, momentum=1.0), "momentum must be a number >= 0"),
        (lambda: SGD([Value(1.0)], lr=0.1, weight_decay=-1), "weight_decay must be"),
        (lambda: Adam([Value(1.0)], betas=(0.9,)), "betas must be a pair"),
        (lambda: Adam([Value(1.0)], betas=(0.9, 1.5)), "beta2 must be a number >= 0"),
        (lambda: Adam([Value(1.0)], eps=-1e-8), "eps must be"),
    ],
)
def test_bad_settings_are_clear_errors(make, message):
    with pytest.raises((ValueError, TypeError), match=message):
        make()


@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.1, momentum=0.9), lambda ps: Adam(ps)])
@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_a_non_finite_gradient_is_refused_before_anything_changes(make, bad):
    params = params_with([0.5, bad, 1.0], [1.0, 2.0, 3.0])
    optimizer = make(params)
    before = vars(optimizer).copy()
    with pytest.raises(
        ValueError, match=f"parameter 1 has the gradient {bad}.*Nothing was changed"
    ):
        optimizer.step()
    assert [p.data for p in params] == [1.0, 2.0, 3.0]
    assert vars(optimizer) == before  # no step counted, no moment or velocity stored


@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.1), lambda ps: Adam(ps, lr=0.1)])
def test_a_gradient_left_as_a_value_by_create_graph_is_a_type_error(make):
    w, x = Value(1.0, "w"), Value(3.0, "x")
    (w * x**2).backward(create_graph=True)
    assert isinstance(x.grad, Value)  # d/dx = 2wx, as a graph
    optimizer = make([w, x])
    before = vars(optimizer).copy()
    with pytest.raises(
        TypeError, match=r"parameter 0 \(w\) has a Value as its gradient.*create_graph"
    ):
        optimizer.step()
    assert (w.data, x.data) == (1.0, 3.0)
    assert vars(optimizer) == before


def test_a_parameter_listed_twice_is_stepped_once():
    (p,) = params_with([1.0], [0.0])
    optimizer = SGD([p, p], lr=0.5)
    assert optimizer.params == [p]
    optimizer.step()
    assert p.data == -0.5


def run_against_torch(torch, ours_class, theirs_class, **settings):
    rng = random.Random(0)
    start = [rng.uniform(-1, 1) for _ in range(5)]
    ours = [Value(x) for x in start]
    theirs = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    our_optimizer = ours_class(ours, **settings)
    their_optimizer = theirs_class([theirs], **settings)
    for _ in range(25):
        grads = [rng.uniform(-2, 2) for _ in start]
        for p, g in zip(ours, grads):
            p.grad = g
        theirs.grad = torch.tensor(grads, dtype=torch.float64)
        our_optimizer.step()
        their_optimizer.step()
    assert [p.data for p in ours] == pytest.approx(theirs.tolist(), rel=1e-13, abs=1e-15)


@pytest.mark.parametrize(
    "settings",
    [
        {"lr": 0.1},
        {"lr": 0.05, "momentum": 0.9},
        {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.01},
    ],
)
def test_sgd_matches_torch(settings):
    torch = pytest.importorskip("torch")
    run_against_torch(torch, SGD, torch.optim.SGD, **settings)


@pytest.mark.parametrize(
    "settings",
    [
        {"lr": 0.01},
        {"lr": 0.1, "betas": (0.8, 0.99), "eps": 1e-6},
        {"lr": 0.01, "weight_decay": 0.1},
    ],
)
def test_adam_matches_torch(settings):
    torch = pytest.importorskip("torch")
    run_against_torch(torch, Adam, torch.optim.Adam, **settings)
