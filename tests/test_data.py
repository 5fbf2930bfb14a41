"""Toy datasets: shapes, labels, geometry without noise, seeding, and bad input."""

import math
import random

import pytest

from tinygrad_edu import make_circles, make_moons, make_spirals, make_xor

MAKERS = [make_moons, make_circles, make_xor, make_spirals]


@pytest.mark.parametrize("make", MAKERS)
def test_shapes_labels_and_seeding(make):
    X, y = make(61, noise=0.1, seed=3)
    assert len(X) == len(y) == 61
    assert all(len(p) == 2 and all(type(v) is float for v in p) for p in X)
    classes = 3 if make is make_spirals else 2
    assert sorted(set(y)) == list(range(classes))
    assert all(type(label) is int for label in y)
    assert make(61, noise=0.1, seed=3) == (X, y)
    assert make(61, noise=0.1, seed=4) != (X, y)


@pytest.mark.parametrize("make", MAKERS)
def test_the_global_random_state_is_untouched(make):
    state = random.getstate()
    make(20, noise=0.2, seed=None)
    assert random.getstate() == state


def test_moons_without_noise_lie_on_their_half_circles():
    X, y = make_moons(50, seed=0)
    assert y.count(0) == y.count(1) == 25
    for (a, b), label in zip(X, y):
        if label == 0:
            assert math.hypot(a, b) == pytest.approx(1.0) and b >= -1e-12
        else:
            assert math.hypot(a - 1, b - 0.5) == pytest.approx(1.0) and b <= 0.5 + 1e-12


def test_circles_without_noise_have_radius_1_and_factor():
    X, y = make_circles(40, factor=0.3, seed=0)
    for (a, b), label in zip(X, y):
        assert math.hypot(a, b) == pytest.approx(1.0 if label == 0 else 0.3)


def test_xor_of_four_is_the_truth_table():
    assert make_xor(4, shuffle=False) == (
        [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]],
        [0, 1, 1, 0],
    )


def test_spirals_arms_and_radius():
    X, y = make_spirals(30, n_classes=5, seed=0)
    assert [y.count(k) for k in range(5)] == [6] * 5
    assert max(math.hypot(a, b) for a, b in X) == pytest.approx(1.0)


def test_noise_moves_points_by_about_its_size():
    clean, _ = make_moons(400, seed=2, shuffle=False)
    noisy, _ = make_moons(400, noise=0.1, seed=2, shuffle=False)
    shifts = [a - b for p, q in zip(noisy, clean) for a, b in zip(p, q)]
    spread = math.sqrt(sum(s * s for s in shifts) / len(shifts))
    assert 0.09 < spread < 0.11


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: make_moons(0), "n_samples must be a whole number >= 1, got 0"),
        (lambda: make_moons(10.0), "n_samples must be a whole number"),
        (lambda: make_circles(10, noise=-0.1), "noise must be a number >= 0"),
        (lambda: make_circles(10, factor=1.5), "factor must be a number between 0 and 1"),
        (lambda: make_spirals(10, n_classes=1), "n_classes must be a whole number >= 2"),
        (lambda: make_spirals(2, n_classes=3), "n_samples must be a whole number >= 3"),
    ],
)
def test_bad_input_is_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
