"""Toy datasets in the plane, seeded and pure Python, shaped like scikit-learn's.

Each ``make_*`` function takes the number of samples first and returns
``(X, y)``: ``X`` a list of ``[x1, x2]`` points and ``y`` a list of class
labels ``0..k-1``.  Gaussian noise of standard deviation ``noise`` is added to
every coordinate; the same ``seed`` gives the same points, and the global
``random`` state is never used.
"""

from __future__ import annotations

import math
import random

from .checks import is_number, is_whole

Dataset = tuple[list[list[float]], list[int]]


def _check(n_samples: int, noise: float, minimum: int = 1) -> None:
    if not is_whole(n_samples) or n_samples < minimum:
        raise ValueError(f"n_samples must be a whole number >= {minimum}, got {n_samples!r}")
    if not is_number(noise) or not noise >= 0:
        raise ValueError(f"noise must be a number >= 0, got {noise!r}")


def _finish(points: list[tuple[float, float]], labels: list[int], noise: float, seed, shuffle):
    """Add the noise, then (optionally) shuffle points and labels together."""
    rng = random.Random(seed)
    X = [[x1 + rng.gauss(0.0, noise), x2 + rng.gauss(0.0, noise)] for x1, x2 in points]
    y = list(labels)
    if shuffle:
        order = list(range(len(X)))
        rng.shuffle(order)
        X, y = [X[i] for i in order], [y[i] for i in order]
    return X, y


def _split(n_samples: int, n_classes: int) -> list[int]:
    """How many samples each class gets: as equal as possible, earlier classes first."""
    return [n_samples // n_classes + (k < n_samples % n_classes) for k in range(n_classes)]


def _steps(count: int, stop: float, endpoint: bool = True) -> list[float]:
    """``count`` evenly spaced numbers from 0 to ``stop`` (like ``numpy.linspace``)."""
    if count == 1:
        return [0.0]
    intervals = count - 1 if endpoint else count
    return [stop * i / intervals for i in range(count)]


def make_moons(
    n_samples: int = 100, *, noise: float = 0.0, seed: int | None = None, shuffle: bool = True
) -> Dataset:
    """Two interleaving half circles.

    Class 0 lies on (cos t, sin t) and class 1 on (1 − cos t, ½ − sin t), for t
    evenly spaced in [0, π].
    """
    _check(n_samples, noise)
    outer, inner = _split(n_samples, 2)
    points = [(math.cos(t), math.sin(t)) for t in _steps(outer, math.pi)]
    points += [(1 - math.cos(t), 0.5 - math.sin(t)) for t in _steps(inner, math.pi)]
    return _finish(points, [0] * outer + [1] * inner, noise, seed, shuffle)


def make_circles(
    n_samples: int = 100,
    *,
    noise: float = 0.0,
    factor: float = 0.8,
    seed: int | None = None,
    shuffle: bool = True,
) -> Dataset:
    """A circle inside another: class 0 on the unit circle, class 1 on radius ``factor``.

    Points sit at angles t evenly spaced in [0, 2π): (r cos t, r sin t).
    """
    _check(n_samples, noise)
    if not is_number(factor) or not 0 < factor < 1:
        raise ValueError(f"factor must be a number between 0 and 1, got {factor!r}")
    outer, inner = _split(n_samples, 2)
    angles_out, angles_in = _steps(outer, 2 * math.pi, False), _steps(inner, 2 * math.pi, False)
    points = [(math.cos(t), math.sin(t)) for t in angles_out]
    points += [(factor * math.cos(t), factor * math.sin(t)) for t in angles_in]
    return _finish(points, [0] * outer + [1] * inner, noise, seed, shuffle)


def make_xor(
    n_samples: int = 100, *, noise: float = 0.0, seed: int | None = None, shuffle: bool = True
) -> Dataset:
    """The XOR problem: the corners of the unit square, labelled a XOR b.

    Sample i sits at corner i mod 4 of (0, 0), (0, 1), (1, 0), (1, 1), with
    label 0, 1, 1, 0; so ``make_xor(4, shuffle=False)`` is the truth table.
    """
    _check(n_samples, noise)
    corners = [(0, 0), (0, 1), (1, 0), (1, 1)]
    points = [(float(a), float(b)) for a, b in (corners[i % 4] for i in range(n_samples))]
    labels = [int(a) ^ int(b) for a, b in points]
    return _finish(points, labels, noise, seed, shuffle)


def make_spirals(
    n_samples: int = 100,
    *,
    n_classes: int = 3,
    noise: float = 0.0,
    seed: int | None = None,
    shuffle: bool = True,
) -> Dataset:
    """``n_classes`` spiral arms winding out from the origin.

    Arm k holds points at radius r evenly spaced in [0, 1] and angle
    θ = 2πk/n_classes + 4r (radians): (r cos θ, r sin θ).
    """
    if not is_whole(n_classes) or n_classes < 2:
        raise ValueError(f"n_classes must be a whole number >= 2, got {n_classes!r}")
    _check(n_samples, noise, minimum=n_classes)
    points, labels = [], []
    for k, count in enumerate(_split(n_samples, n_classes)):
        for r in _steps(count, 1.0):
            angle = 2 * math.pi * k / n_classes + 4 * r
            points.append((r * math.cos(angle), r * math.sin(angle)))
            labels.append(k)
    return _finish(points, labels, noise, seed, shuffle)
